#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package's systemd units under a real systemd, as root (CI
# runs it after deb.sh; not a `make check` test). Where systemd is not
# PID 1 (CI, containers) `systemd-analyze verify` and seccomp-run.py only
# read the units; here a Debian rootfs boots under systemd-nspawn --boot
# (its own PID, mount and network namespaces: the firewall rules, TUN
# devices and queues stay inside), the package is installed there with
# apt-get, and:
#  1. translatord@t1 (a SIIT file like examples/siit.conf) starts:
#     active (running) only after READY=1, StatusText= is the daemon's
#     STATUS= line, MainPID is the pidfile's, the sandbox is on (seccomp
#     filter, no_new_privs, bounding set NET_ADMIN+NET_RAW);
#  2. systemctl reload (ExecReload: transctl reload) picks up a change
#     (transctl status through /run/translator/t1.sock) and fails on a
#     bad file, the daemon kept;
#  3. translatord@t2 (queues 65/129, TUN xlat-t2) runs beside it, each
#     with its chain, device and socket; a t3 on t2's queues is refused;
#  4. kill -9 of t1: systemd restarts it (Restart=on-failure), and the
#     rules are the same lines as before (no duplicates);
#  5. IPv6 pings and UDP from a namespace outside the container are
#     translated under the units' SystemCallFilter (counters, same PID);
#  6. translatord.service (translator.conf, control.sock) reloads too;
#  7. systemctl stop: its rules and TUN device gone, the other instance's
#     kept, Result=success; no journal error besides those provoked.
# The rootfs (mmdebstrap, minbase + systemd + the package's Depends) is
# cached in $XLAT_BOOT_CACHE (/var/cache/translator-ci), keyed by the date
# and the package list: 35-70 s to build, then a copy per run.
# Exits 77 (skip) without root, systemd-nspawn (systemd-container),
# mmdebstrap or /dev/net/tun, when the rootfs cannot be built (no mirror)
# or when systemd does not boot in the container. DEB: the .deb to test
# (default: scripts/build-deb.sh builds one into $DEB_OUT, ./build-deb).
# DEBIAN_MIRROR: http://deb.debian.org/debian.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${DEB_OUT:-$src/build-deb}
cache=${XLAT_BOOT_CACHE:-/var/cache/translator-ci}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
fail=0
ok() { echo "ok: $*"; }
# bad: on stderr, and in a file too, as it may run in a $(...) subshell.
bad() {
	echo "FAIL: $*" >&2
	fail=1
	[ -n "${work:-}" ] && : >"$work/failed"
}
skip() { echo "SKIP: systemd_boot.sh: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (systemd-nspawn)"
for p in systemd-nspawn mmdebstrap nsenter ip; do
	command -v $p >/dev/null ||
		skip "no $p (apt-get install systemd-container mmdebstrap)"
done
[ -c /dev/net/tun ] || skip "no /dev/net/tun"

if [ -z "${DEB:-}" ]; then
	"$src/scripts/build-deb.sh" "$out" >"$out.boot-build.log" 2>&1 || {
		tail -40 "$out.boot-build.log"; bad "scripts/build-deb.sh"; exit 1; }
	DEB=$(ls "$out"/translator_*.deb)
fi
[ -f "$DEB" ] || { bad "no package $DEB"; exit 1; }
echo "== package: $DEB"

# --- the rootfs: cached per day and package list ---------------------------
# The package's Depends and Recommends, without versions (first of any
# alternatives): apt resolves them in the rootfs, which then installs the
# package offline (the booted container has no network of its own).
deps=$(dpkg-deb -f "$DEB" Depends Recommends |
	sed 's/^[A-Za-z-]*: //; s/([^)]*)//g; s/|[^,]*//g; s/[[:space:]]//g' |
	tr ',\n' '\n\n' | grep . | sort -u | tr '\n' ',')
include="systemd,dbus,${deps%,}"
key=$(printf '%s %s %s' "$suite" "$mirror" "$include" | md5sum | cut -c1-8)
rootfs=$cache/rootfs-$suite-$(date -u +%Y%m%d)-$key
mkdir -p "$cache"
if [ -d "$rootfs" ]; then
	echo "== rootfs: $rootfs (cached)"
else
	echo "== rootfs: mmdebstrap $suite ($include)"
	# Yesterday's (and other lists') trees go: one per day.
	rm -rf "$cache"/rootfs-$suite-* "$cache"/tmp-rootfs-*
	tmp=$cache/tmp-rootfs-$$
	if ! timeout 400 mmdebstrap --variant=minbase --include="$include" \
		"$suite" "$tmp" "$mirror" >"$cache/mmdebstrap.log" 2>&1; then
		tail -15 "$cache/mmdebstrap.log"
		rm -rf "$tmp"
		skip "the rootfs could not be built (mmdebstrap from $mirror;" \
		     "log: $cache/mmdebstrap.log)"
	fi
	mv "$tmp" "$rootfs"
fi

# --- boot ----------------------------------------------------------------
work=$(mktemp -d /var/tmp/xlat-boot.XXXXXX) || exit 99
root=$work/root
machine=xlat-boot-$$
hns=xlat-boot-$$-h6
npid=
cleanup() {
	if [ -n "$npid" ] && kill -0 "$npid" 2>/dev/null; then
		# SIGTERM: nspawn asks the container's systemd to power off.
		kill -TERM "$npid"
		for _ in $(seq 60); do
			kill -0 "$npid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$npid" 2>/dev/null
		wait "$npid" 2>/dev/null
	fi
	ip netns del "$hns" 2>/dev/null
	case $work in /var/tmp/xlat-boot.*) rm -rf "$work" ;; esac
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cp -a --reflink=auto "$rootfs" "$root" || { bad "copying $rootfs"; exit 1; }
cp "$DEB" "$root/root/translator.deb"

# Whatever the daemon needs from the kernel (a container cannot load
# modules); built in or already loaded is fine too.
for m in tun nfnetlink_queue xt_NFQUEUE nft_compat nft_queue iptable_raw \
	 ip6table_raw xt_addrtype xt_mark; do
	modprobe -q "$m" 2>/dev/null
done

# No registration with machined and no scope unit of its own: neither
# needs a systemd on the host. --private-network: its own network
# namespace (only lo; CAP_NET_ADMIN kept there); /dev/net/tun is in
# nspawn's device list, bound in.
systemd-nspawn -D "$root" -M "$machine" --boot --register=no --keep-unit \
	--private-network --capability=CAP_NET_ADMIN,CAP_NET_RAW \
	--bind=/dev/net/tun >"$work/console" 2>&1 </dev/null &
npid=$!
leader=
for _ in $(seq 60); do
	leader=$(pgrep -P "$npid" -x systemd | head -1)
	[ -n "$leader" ] && break
	kill -0 "$npid" 2>/dev/null || break
	sleep 0.5
done
# c CMD...: CMD inside the container (its namespaces and root).
c() {
	nsenter -t "$leader" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 SYSTEMD_PAGER= "$@"
}
# Up to 90 s: its manager answers once /run/systemd/private is there
# ("Failed to connect to bus" before), "starting" until the boot is done.
state=
if [ -n "$leader" ]; then
	for _ in $(seq 180); do
		state=$(c systemctl is-system-running 2>&1)
		case $state in running|degraded) break ;; esac
		kill -0 "$npid" 2>/dev/null || break
		sleep 0.5
	done
fi
case $state in
running|degraded) ok "systemd booted in the container (pid 1 $(c cat /proc/1/comm), $state)" ;;
*)
	tail -20 "$work/console"
	cp "$work/console" "$cache/boot-console.log" 2>/dev/null
	skip "systemd did not boot under systemd-nspawn here (state '$state')"
	;;
esac
[ "$state" = degraded ] && c systemctl --failed --no-pager --plain

export DEBIAN_FRONTEND=noninteractive
if c env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	--no-install-recommends /root/translator.deb >"$work/install" 2>&1; then
	ok "apt-get install $(basename "$DEB") in the booted container"
else
	cat "$work/install"; bad "apt-get install in the container"; exit 1
fi

# show UNIT PROP: one property's value.
show() { c systemctl show -P "$2" "$1"; }
# xlat_rules: the XLAT lines of both families' rulesets, as saved
# (counters out).
xlat_rules() {
	c sh -c 'iptables-save; ip6tables-save' | grep XLAT | sed 's/\[[0-9:]*\]//'
}
stat_of() {	# stat_of SOCK NAME: a counter of transctl stats
	c transctl -s "$1" stats | awk -v n="$2" '$2 == n { print $3 }'
}
# journal ARGS: journalctl in the container, a failure of its own
# reported (an empty answer must mean no entries).
journal() {
	local o
	o=$(c journalctl -q --no-pager "$@" 2>&1) || { bad "journalctl $*: $o"; return 1; }
	[ -n "$o" ] && printf '%s\n' "$o"
	return 0
}
# cursor: the journal's position now (the last entry's cursor).
cursor() {
	local v
	v=$(c journalctl -q -n 1 --show-cursor | sed -n 's/^-- cursor: //p')
	[ -n "$v" ] || bad "no journal cursor"
	echo "$v"
}
# wait_restarted UNIT OLD_PID: active (running) again, restarted once,
# with a main PID other than OLD_PID (10 s at most). One `systemctl show`:
# the properties of one moment.
wait_restarted() {
	local _ v
	for _ in $(seq 40); do
		v=$(c systemctl show -p ActiveState,SubState,MainPID,NRestarts "$1" |
			sort | tr '\n' ' ')
		case $v in
		"ActiveState=active MainPID=0 "*|"ActiveState=active MainPID=$2 "*) ;;
		"ActiveState=active MainPID="*" NRestarts=1 SubState=running ")
			return 0 ;;
		esac
		sleep 0.25
	done
	echo "$1: $v" >&2
	return 1
}

mkconf() {	# mkconf NAME QTCP QOTHER POOL6 EAMT6 EAMT4 V6 V4 [EXTRA]
	{
		echo "mode siit"
		echo "pool6 $4"
		echo "eamt $5 $6"
		echo "address v6 $7"
		echo "address v4 $8"
		echo "workers 1"
		echo "queue-tcp $2"
		echo "queue-other $3"
		echo "egress-tun xlat-$1"
		[ $# -ge 9 ] && echo "$9"
	} >"$root/etc/translator/$1.conf"
}
cur0=$(cursor)

# --- 1. start: READY=1, STATUS=, the sandbox ----------------------------------
# t1: examples/siit.conf's translation (pool6, two EAMT entries), queues
# and TUN device of its own.
{
	grep -v '^#' "$src/examples/siit.conf" | grep .
	printf 'workers 1\nqueue-tcp 64\nqueue-other 128\negress-tun xlat-t1\n'
} >"$root/etc/translator/t1.conf"
if c systemctl start translatord@t1; then
	ok "systemctl start translatord@t1"
else
	c journalctl -q --no-pager -u translatord@t1; bad "systemctl start translatord@t1"
fi
v="$(show translatord@t1 Type) $(show translatord@t1 ActiveState)/$(show translatord@t1 SubState)"
[ "$v" = "notify active/running" ] && ok "t1: $v" || bad "t1: '$v', not notify active/running"
v=$(show translatord@t1 StatusText)
[ "$v" = "translating, 1 worker" ] && ok "t1 StatusText: $v" ||
	bad "t1 StatusText '$v', not 'translating, 1 worker'"
pid1=$(show translatord@t1 MainPID)
v=$(c cat /run/translator/t1.pid)
[ "$v" = "$pid1" ] && ok "t1 MainPID $pid1 = /run/translator/t1.pid" ||
	bad "t1 MainPID $pid1, pidfile '$v'"
v=$(c grep -E '^(CapBnd|NoNewPrivs|Seccomp):' "/proc/$pid1/status" | tr -s '\t\n' '  ')
[ "$v" = "CapBnd: 0000000000003000 NoNewPrivs: 1 Seccomp: 2 " ] &&
	ok "t1 sandbox: $v" || bad "t1 sandbox: '$v'"
v=$(c transctl -s /run/translator/t1.sock status | grep -E '^(pid|config|rules_chain|queue_tcp) ' | tr '\n' ' ')
case $v in
"pid $pid1 config /etc/translator/t1.conf queue_tcp 64"*"rules_chain XLAT-64-128 ")
	ok "transctl -s /run/translator/t1.sock status: $v" ;;
*) bad "t1 status: '$v'" ;;
esac
v=$(xlat_rules | grep -c -- '-A XLAT-64-128 ')
[ "$v" = 10 ] && ok "t1: 10 rules in XLAT-64-128 (2 queues x 2 EAMT4, EAMT6 and pool6)" ||
	bad "t1: $v rules in XLAT-64-128, not 10"

# --- 2. reload ------------------------------------------------------------
echo 'eamt 2001:db8:4::/120 2.0.0.0/24' >>"$root/etc/translator/t1.conf"
if c systemctl reload translatord@t1; then
	ok "systemctl reload translatord@t1"
else
	bad "systemctl reload translatord@t1"
fi
v=$(c transctl -s /run/translator/t1.sock status | grep -E '^(eamt_entries|last_reload) ' | tr '\n' ' ')
[ "$v" = "eamt_entries 3 last_reload ok /etc/translator/t1.conf " ] &&
	ok "reload picked up the new EAMT entry: $v" || bad "after reload: '$v'"
v="$(show translatord@t1 MainPID) $(show translatord@t1 StatusText)"
[ "$v" = "$pid1 translating, 1 worker (reloaded)" ] && ok "t1 after reload: $v" ||
	bad "t1 after reload: '$v'"
v=$(xlat_rules | grep -c -- '-A XLAT-64-128 ')
[ "$v" = 14 ] && ok "t1: 14 rules after reload" || bad "t1: $v rules after reload, not 14"
n=$(wc -l <"$root/etc/translator/t1.conf")
echo 'bogus-directive 1' >>"$root/etc/translator/t1.conf"
if c systemctl reload translatord@t1 2>/dev/null; then
	bad "systemctl reload succeeded with a bad file"
else
	ok "systemctl reload fails on a bad file"
fi
v="$(show translatord@t1 ActiveState)/$(show translatord@t1 SubState) $(show translatord@t1 MainPID) $(show translatord@t1 StatusText)"
want="active/running $pid1 translating, 1 worker (reload refused: /etc/translator/t1.conf:$((n + 1)): unknown directive 'bogus-directive')"
[ "$v" = "$want" ] && ok "t1 kept running: $v" || bad "t1 after a bad reload: '$v', not '$want'"
sed -i '/^bogus-directive/d' "$root/etc/translator/t1.conf"
c systemctl reload translatord@t1 || bad "reload after the fix"
v="$(stat_of /run/translator/t1.sock reloads) $(stat_of /run/translator/t1.sock reload_failures)"
[ "$v" = "2 1" ] && ok "transctl stats: reloads 2, reload_failures 1" ||
	bad "reloads/reload_failures '$v', not '2 1'"

# --- 3. a second instance; a third on its queues --------------------------
mkconf t2 65 129 2001:db8:200::/40 2001:db8:12::/120 11.0.0.0/24 \
	2001:db8:1c0:2:2:: 198.51.100.2
if c systemctl start translatord@t2; then
	ok "systemctl start translatord@t2"
else
	c journalctl -q --no-pager -u translatord@t2; bad "systemctl start translatord@t2"
fi
pid2=$(show translatord@t2 MainPID)
v="$(show translatord@t1 SubState) $(show translatord@t2 SubState) $(show translatord@t2 StatusText)"
[ "$v" = "running running translating, 1 worker" ] && ok "t1 and t2 both running" ||
	bad "t1, t2: '$v'"
v=$(c transctl -s /run/translator/t2.sock status | grep -E '^(pid|config|queue_tcp|queue_other|rules_chain) ' | tr '\n' ' ')
case $v in
"pid $pid2 config /etc/translator/t2.conf queue_tcp 65"*"queue_other 129 "*"rules_chain XLAT-65-129 ")
	ok "t2 on its own socket: $v" ;;
*) bad "t2 status: '$v'" ;;
esac
v=$(c ip -br link | awk '{ print $1 }' | grep '^xlat-' | sort | tr '\n' ' ')
[ "$v" = "xlat-t1 xlat-t2 " ] && ok "TUN devices: $v" || bad "TUN devices: '$v'"
v=$(xlat_rules | grep -c -- '^-A PREROUTING -j XLAT-')
[ "$v" = 4 ] && ok "4 jumps (2 chains x 2 families)" || bad "$v jumps, not 4"
before=$(xlat_rules)
mkconf t3 65 129 2001:db8:300::/40 2001:db8:13::/120 12.0.0.0/24 \
	2001:db8:1c0:2:3:: 198.51.100.3
cur=$(cursor)
if c systemctl start translatord@t3 2>/dev/null; then
	bad "translatord@t3 started on t2's queues"
else
	v=$(journal -o cat -u translatord@t3 --after-cursor="$cur" |
		grep -c 'queue 65: bind: .*/etc/translator/t3.conf: each instance needs queues of its own')
	[ "$v" -ge 1 ] && ok "t3 on t2's queues refused, the journal says why" ||
		bad "t3 refused without the queue message"
fi
c systemctl stop translatord@t3
c systemctl reset-failed translatord@t3 2>/dev/null
[ "$(xlat_rules)" = "$before" ] && ok "t3 left t1's and t2's rules alone" ||
	bad "t3 changed the rules"
[ "$(show translatord@t2 MainPID)" = "$pid2" ] || bad "t2 restarted by t3's failure"
cur1=$(cursor)
errs=$(journal -p err --after-cursor="$cur0" |
	grep -v "bogus-directive\|Reload failed for translatord@t1\|translatord@t3\|t3.conf")
[ -z "$errs" ] && ok "journal: only the errors provoked (bad reload, t3)" ||
	bad "journal errors: $errs"

# --- 4. kill -9: restarted, rules not duplicated ------------------------------
c sh -c "kill -9 $pid1"
if wait_restarted translatord@t1 "$pid1"; then
	pid1=$(show translatord@t1 MainPID)
	ok "t1 restarted after kill -9 (NRestarts=$(show translatord@t1 NRestarts), pid $pid1)"
else
	c journalctl -q --no-pager -u translatord@t1 | tail; bad "t1 not restarted"
fi
[ "$(show translatord@t1 NRestarts)" = 1 ] || bad "NRestarts $(show translatord@t1 NRestarts), not 1"
after=$(xlat_rules)
if [ "$after" = "$before" ]; then
	ok "rules after the restart: the same $(echo "$after" | grep -c '^-A') lines as before"
else
	bad "rules changed by the restart:"; diff <(echo "$before") <(echo "$after")
fi
v=$(journal -o cat -u translatord@t1 --after-cursor="$cur1")
case $v in
*"Failed with result 'signal'"*"Scheduled restart job, restart counter is at 1"*)
	ok "journal: t1 failed (signal), restart scheduled" ;;
*) bad "no signal failure and restart in the journal: $v" ;;
esac

# --- 5. traffic under the system call filter -------------------------------
# A namespace on the host, a veth into the container's: pings and UDP to
# 2001:db8:2::7 (EAMT: 10.0.0.7) from 2001:db8:3::5 (1.0.0.5), which t1
# translates and writes to xlat-t1 (a blackhole route beyond: counted,
# not answered, and no ICMP error that would make bash's UDP writes
# fail). t2's prefixes do not overlap t1's (see the report: two
# instances translating each other's output would loop).
ip netns add "$hns" &&
ip link add xb$$a netns "$hns" type veth peer name xb$$b netns "/proc/$leader/ns/net" &&
c ip addr add 2001:db8:3::1/120 dev xb$$b nodad && c ip link set xb$$b up &&
ip -n "$hns" addr add 2001:db8:3::5/120 dev xb$$a nodad &&
ip -n "$hns" link set xb$$a up &&
ip -n "$hns" -6 route add default via 2001:db8:3::1 &&
c ip route add blackhole 10.0.0.0/24 ||
	bad "the traffic namespace"
t0=$(stat_of /run/translator/t1.sock translated_6to4)
# wait_stat SOCK NAME VALUE: the counter at VALUE within 5 s (the
# workers' counters reach transctl stats a little later).
wait_stat() {
	local _
	for _ in $(seq 20); do
		[ "$(stat_of "$1" "$2")" = "$3" ] && return 0
		sleep 0.25
	done
	return 1
}
ip netns exec "$hns" ping -q -c 50 -i 0.02 -W 1 2001:db8:2::7 >/dev/null 2>&1
wait_stat /run/translator/t1.sock translated_6to4 $((t0 + 50)) ||
	bad "pings: translated_6to4 +$(($(stat_of /run/translator/t1.sock translated_6to4) - t0)), not 50"
ip netns exec "$hns" bash -c 'for i in $(seq 20); do
	echo "datagram $i" >/dev/udp/2001:db8:2::7/9; done' ||
	bad "sending UDP from $hns"
wait_stat /run/translator/t1.sock translated_6to4 $((t0 + 70)) ||
	bad "UDP: translated_6to4 +$(($(stat_of /run/translator/t1.sock translated_6to4) - t0)), not 70"
v="$(show translatord@t1 MainPID) $(show translatord@t1 SubState) $(show translatord@t1 NRestarts)"
[ "$v" = "$pid1 running 1" ] &&
	ok "50 pings and 20 UDP datagrams translated under the filter, same pid" ||
	bad "t1 after the traffic: '$v', not '$pid1 running 1'"

# --- 6. translatord.service ---------------------------------------------------
mkconf translator 66 130 2001:db8:400::/40 2001:db8:14::/120 14.0.0.0/24 \
	2001:db8:1c0:2:4:: 198.51.100.4
c systemctl start translatord.service || bad "systemctl start translatord.service"
echo 'eamt 2001:db8:15::/120 15.0.0.0/24' >>"$root/etc/translator/translator.conf"
c systemctl reload translatord.service || bad "systemctl reload translatord.service"
v="$(c transctl -s /run/translator/control.sock status | grep '^eamt_entries ') $(show translatord.service StatusText)"
[ "$v" = "eamt_entries 2 translating, 1 worker (reloaded)" ] &&
	ok "translatord.service reloaded: $v" || bad "translatord.service: '$v'"
c systemctl stop translatord.service

# --- 7. stop ----------------------------------------------------------------------
t2rules=$(xlat_rules | grep 'XLAT-65-129')
c systemctl stop translatord@t1 || bad "systemctl stop translatord@t1"
v="$(show translatord@t1 ActiveState) $(show translatord@t1 Result) $(show translatord@t1 ExecMainStatus)"
[ "$v" = "inactive success 0" ] && ok "t1 stopped: $v" || bad "t1 stop: '$v'"
[ "$(xlat_rules)" = "$t2rules" ] && ok "t1's rules gone, t2's kept" ||
	bad "rules after stopping t1: $(xlat_rules)"
c ip link show xlat-t1 >/dev/null 2>&1 && bad "xlat-t1 left after stop"
c systemctl stop translatord@t2 || bad "systemctl stop translatord@t2"
v=$(xlat_rules | wc -l)
[ "$v" = 0 ] && ok "no XLAT rule left" || bad "$v XLAT lines left"
errs=$(journal -p err --after-cursor="$cur1")
[ -z "$errs" ] && ok "journal: no error since the provoked ones" ||
	bad "journal errors: $errs"

[ -e "$work/failed" ] && fail=1
[ $fail = 0 ] && echo "PASS: systemd_boot.sh"
exit $fail
