#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# transctl offloads on a veth pair in a network namespace of its own:
# risky offloads found (exit 1), --dry-run changes nothing, --fix turns
# them off (ethtool agrees) and is idempotent, fixed features are shown
# as fixed, --json parses, unknown interfaces fail in one line, -c CONFIG
# names the two sides (MTU checks), BIG TCP sizes are found and lowered
# when the kernel allows them, and the legacy ioctl path does the same.
# Then translatord: without IFACE or -c, transctl asks the running daemon
# for its interfaces; the daemon warns about risky offloads at start, and
# with `offloads-fix yes` turns them off (ethtool agrees). A bridge: its
# ports (and a VLAN's lower device) are checked and fixed too;
# translatord watches it at run time
# (features turned on later, a port added later, sizes) and says each new
# risky setting once, and with offloads-fix turns it off.
# Root only: without root or `ip netns` it reports SKIP (77).
transctl=${TRANSCTL:-./usr/transctl}
case $transctl in
/*) ;;
*) transctl=$(pwd)/$transctl ;;
esac
translatord=${TRANSLATORD:-./translator/translatord}
case $translatord in
/*) ;;
*) translatord=$(pwd)/$translatord ;;
esac
python=${PYTHON3:-python3}
ns="offl$$"
v6=ofl6
v4=ofl4

skip() {
	echo "SKIP: offloads.sh: $*"
	exit 77
}

[ -z "${XLAT_NO_INTEGRATION:-}" ] || skip "XLAT_NO_INTEGRATION is set (lib.sh)"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null || skip "no 'ip' (Debian package iproute2)"
command -v ethtool >/dev/null || skip "no ethtool (Debian package ethtool)"
[ -x "$transctl" ] || skip "no $transctl (build first)"
[ -x "$translatord" ] || skip "no $translatord (build first)"
ip netns list >/dev/null 2>&1 || skip "'ip netns' is unavailable"

tmp=$(mktemp -d) || exit 99
daemon=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$daemon" ] && kill -KILL "$daemon" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$ns" 2>/dev/null || skip "cannot create a network namespace"

fail=0
in_ns() {
	ip netns exec "$ns" "$@"
}

# expect STATUS PATTERN COMMAND...: exit status and an output line (ERE).
expect() {
	want=$1 pattern=$2
	shift 2
	in_ns "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ] || ! grep -Eq -- "$pattern" "$tmp/out"; then
		echo "FAIL: $* (exit $got, expected $want; wanted /$pattern/):"
		sed 's/^/    /' "$tmp/out"
		fail=1
	fi
}

# refute PATTERN: the last command's output has no such line.
refute() {
	if grep -Eq -- "$1" "$tmp/out"; then
		echo "FAIL: unexpected /$1/ in:"
		sed 's/^/    /' "$tmp/out"
		fail=1
	fi
}

# ethtool_is IFACE FEATURE STATE: what `ethtool -k` says.
ethtool_is() {
	if ! in_ns ethtool -k "$1" | grep -Eq "^$2: $3( |$)"; then
		echo "FAIL: ethtool -k $1: $2 is not $3:"
		in_ns ethtool -k "$1" | grep -E "^$2:" | sed 's/^/    /'
		fail=1
	fi
}

# set_size IFACE ATTR VALUE: RTM_NEWLINK with one u32 attribute, for the
# sizes iproute2 6.1 cannot set (gro_ipv4_max_size is attribute 64).
set_size() {
	in_ns "$python" - "$@" <<'EOF'
import socket, struct, sys
idx = socket.if_nametoindex(sys.argv[1])
body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, idx, 0, 0)
body += struct.pack("=HHI", 8, int(sys.argv[2]), int(sys.argv[3]))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.send(struct.pack("=IHHII", 16 + len(body), 16, 0x5, 1, 0) + body)
ans = s.recv(4096)
sys.exit(0 if struct.unpack("=HHi", ans[4:8] + ans[16:20])[2] == 0 else 1)
EOF
}

row() {
	echo "^$1 +$2 +$3 +$4 +$5( |$)"
}

in_ns ip link add "$v6" type veth peer name "$v4" || exit 99
in_ns ip link set "$v6" up && in_ns ip link set "$v4" up || exit 99
in_ns ethtool -K "$v6" rx-gro-list on rx-udp-gro-forwarding on gro on ||
	exit 99

# --- risky offloads are found ------------------------------------------
expect 1 "$(row $v6 rx-gro-list on no risky)" "$transctl" offloads $v6
for r in "$(row $v6 rx-udp-gro-forwarding on no risky)" \
	"$(row $v6 rx-gro on no handled)" "$(row $v6 rx-lro off yes ok)" \
	"^2 risky: 2 can change \\(--fix\\), 0 cannot$"; do
	grep -Eq -- "$r" "$tmp/out" || { echo "FAIL: no /$r/"; fail=1; }
done

# BIG TCP, when the kernel takes it (Linux 5.19 for GRO, 6.3 for IPv4).
big=0
if in_ns ip link set dev $v6 gro_max_size 131072 2>/dev/null; then
	big=1
	expect 1 "$(row $v6 gro_max_size 131072 no risky)" \
		"$transctl" offloads $v6
else
	echo "note: the kernel refuses gro_max_size 131072: BIG TCP part skipped"
fi
big4=0
if [ $big = 1 ] && set_size $v6 64 131072 2>/dev/null; then
	big4=1
	expect 1 "$(row $v6 gro_ipv4_max_size 131072 no risky)" \
		"$transctl" offloads $v6
elif [ $big = 1 ]; then
	echo "note: the kernel refuses gro_ipv4_max_size 131072: that part skipped"
fi

# --- --dry-run changes nothing -----------------------------------------
expect 1 "^$v6 rx-gro-list: on -> off: would change$" \
	"$transctl" offloads --dry-run $v6
ethtool_is $v6 rx-gro-list on
ethtool_is $v6 rx-udp-gro-forwarding on
[ $big = 1 ] && expect 1 "$(row $v6 gro_max_size 131072 no risky)" \
	"$transctl" offloads $v6

# --- --json parses, with and without actions --------------------------
for opts in "--json" "--json --dry-run"; do
	# shellcheck disable=SC2086
	in_ns "$transctl" offloads $opts $v6 >"$tmp/json"
	got=$?
	if [ $got != 1 ] || ! "$python" -m json.tool "$tmp/json" >/dev/null; then
		echo "FAIL: offloads $opts: exit $got or bad JSON:"
		sed 's/^/    /' "$tmp/json"
		fail=1
	fi
done
grep -q '"feature": "rx-gro-list", "state": "on", "fixed": false, "risk": "risky"' \
	"$tmp/json" || { echo "FAIL: JSON row for rx-gro-list"; fail=1; }

# --- --fix turns them off, reads back, and is idempotent ---------------
expect 0 "^$v6 rx-gro-list: on -> off: changed$" \
	"$transctl" offloads --fix $v6
grep -Eq "^$v6 rx-udp-gro-forwarding: on -> off: changed$" "$tmp/out" ||
	{ echo "FAIL: rx-udp-gro-forwarding not reported changed"; fail=1; }
[ $big = 1 ] && { grep -Eq "^$v6 gro_max_size: 131072 -> 65536: changed$" \
	"$tmp/out" || { echo "FAIL: gro_max_size not changed"; fail=1; }; }
[ $big4 = 1 ] && { grep -Eq "^$v6 gro_ipv4_max_size: 131072 -> 65536: changed$" \
	"$tmp/out" || { echo "FAIL: gro_ipv4_max_size not changed"; fail=1; }; }
ethtool_is $v6 rx-gro-list off
ethtool_is $v6 rx-udp-gro-forwarding off
ethtool_is $v6 generic-receive-offload on	# handled: left on
if [ $big = 1 ] && ! in_ns ip -d link show $v6 | grep -q "gro_max_size 65536"; then
	echo "FAIL: gro_max_size is not 65536 after --fix"
	fail=1
fi
expect 0 "^nothing to change$" "$transctl" offloads --fix $v6
expect 0 "^nothing risky$" "$transctl" offloads $v6

# --- the legacy ioctl path ---------------------------------------------
in_ns ethtool -K $v6 rx-gro-list on || exit 99
expect 1 "$(row $v6 rx-gro-list on no risky)" \
	env TRANSCTL_ETHTOOL_IOCTL=1 "$transctl" offloads $v6
grep -Eq -- "$(row $v6 rx-lro off yes ok)" "$tmp/out" ||
	{ echo "FAIL: ioctl: rx-lro not fixed"; fail=1; }
expect 0 "^$v6 rx-gro-list: on -> off: changed$" \
	env TRANSCTL_ETHTOOL_IOCTL=1 "$transctl" offloads --fix $v6
ethtool_is $v6 rx-gro-list off

# --- errors ------------------------------------------------------------
expect 2 "^transctl offloads: no interface 'nosuch0'$" \
	"$transctl" offloads nosuch0
[ "$(wc -l <"$tmp/out")" = 1 ] || { echo "FAIL: more than one line"; fail=1; }
# No IFACE, no -c and no daemon behind the socket.
expect 2 "^transctl offloads: name an interface or give -c CONFIG; asking translatord failed: cannot connect to $tmp/none.sock: .*\\(is translatord running\\?\\)$" \
	"$transctl" offloads -s "$tmp/none.sock"
[ "$(wc -l <"$tmp/out")" = 1 ] || { echo "FAIL: more than one line"; fail=1; }
expect 2 "^transctl offloads: unknown option '--frob'$" \
	"$transctl" offloads --frob $v6

# --- -c CONFIG: both sides, and the MTU checks -------------------------
printf 'interface v6 %s\ninterface v4 %s\n' $v6 $v4 >"$tmp/t.conf"
expect 0 "$(row $v4 mtu 1500 - info).*IPv4 MTU 1500 \\+ 20 > IPv6 MTU 1500: IPv4 packets over 1480 bytes get Fragmentation Needed" \
	"$transctl" offloads -c "$tmp/t.conf"
if ! grep -Eq -- "$(row $v6 mtu 1500 - ok)" "$tmp/out" ||
	! grep -Eq -- "$(row $v4 rx-gro-list off no ok)" "$tmp/out"; then
	echo "FAIL: -c: both interfaces expected"
	fail=1
fi
in_ns ip link set dev $v4 mtu 1480 || exit 99
expect 0 "$(row $v4 mtu 1480 - ok).*IPv4 MTU 1480 \\+ 20 <= IPv6 MTU 1500" \
	"$transctl" offloads -c "$tmp/t.conf"
in_ns ip link set dev $v6 mtu 1200 || exit 99
expect 1 "$(row $v6 mtu 1200 - risky)" "$transctl" offloads -c "$tmp/t.conf"
# An IFACE argument narrows the check; the configuration still names it.
expect 1 "$(row $v6 mtu 1200 - risky)" \
	"$transctl" offloads -c "$tmp/t.conf" $v6
refute "^$v4 "
printf 'interface v6 %s\ninterface v4 nosuch4\n' $v6 >"$tmp/bad.conf"
expect 2 "^transctl offloads: no interface 'nosuch4'$" \
	"$transctl" offloads -c "$tmp/bad.conf"
expect 2 "nonexistent" "$transctl" offloads -c "$tmp/nonexistent.conf"

# --- translatord: asked for its interfaces, and its own check ----------
# start_daemon CONFIG: translatord in the namespace, until its socket is up.
start_daemon() {
	rm -f "$tmp/ctl.sock"
	ip netns exec "$ns" "$translatord" -c "$1" --control "$tmp/ctl.sock" \
		>"$tmp/daemon.log" 2>&1 &
	daemon=$!
	for _ in $(seq 100); do
		[ -S "$tmp/ctl.sock" ] && return 0
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: translatord did not start:"
	sed 's/^/    /' "$tmp/daemon.log"
	fail=1
	return 1
}

# stop_daemon: SIGTERM, a bounded wait, and a clean exit (status 0).
stop_daemon() {
	kill -TERM "$daemon" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	st=$?
	daemon=
	if [ "$st" != 0 ]; then
		echo "FAIL: translatord exited with status $st:"
		sed 's/^/    /' "$tmp/daemon.log" | tail -20
		fail=1
	fi
}

# logged PATTERN: a line of the daemon's log matches (ERE).
logged() {
	if ! grep -Eq -- "$1" "$tmp/daemon.log"; then
		echo "FAIL: translatord did not log /$1/:"
		sed 's/^/    /' "$tmp/daemon.log"
		fail=1
	fi
}

# wait_log PATTERN: up to 5 s for a line of the daemon's log (ERE). The
# control socket is up before the offload check runs (daemon.c), so what
# that check logs at start is waited for, not taken at once.
wait_log() {
	for _ in $(seq 50); do
		grep -Eq -- "$1" "$tmp/daemon.log" && return 0
		sleep 0.1
	done
	logged "$1"	# fails, with the log
	return 1
}

in_ns ip link set dev $v6 mtu 1500 || exit 99
in_ns ethtool -K $v6 rx-gro-list on rx-udp-gro-forwarding on || exit 99
# `rules manual`: no iptables needed, nothing is queued.
cat >"$tmp/d.conf" <<EOF
mode siit
pool6 2001:db8:100::/40
interface v6 $v6
interface v4 $v4
rules manual
EOF
if start_daemon "$tmp/d.conf"; then
	wait_log "offloads: $v6 rx-gro-list on: GRO list: datagram boundaries lost$"
	wait_log "offloads: $v6 rx-udp-gro-forwarding on: UDP GRO forwarding: datagram boundaries lost$"
	wait_log "offloads: $v4, $v6: 2 risky settings \\(0 fixed in hardware\\); 'offloads-fix yes' or 'transctl offloads --fix' turns them off$"
	if grep -Eq "offloads: .*rx-gro (on|off)|offloads: $v4 " "$tmp/daemon.log"; then
		echo "FAIL: translatord warned about a setting that is fine:"
		sed 's/^/    /' "$tmp/daemon.log"
		fail=1
	fi
	ethtool_is $v6 rx-gro-list on	# a check only: nothing changed
	# transctl offloads without IFACE: the running daemon's interfaces.
	expect 1 "$(row $v6 rx-gro-list on no risky)" \
		"$transctl" offloads -s "$tmp/ctl.sock"
	grep -Eq -- "$(row $v4 mtu 1480 - ok).*IPv4 MTU 1480 \\+ 20 <= IPv6 MTU 1500" \
		"$tmp/out" || { echo "FAIL: daemon's v4 side not checked"; fail=1; }
	stop_daemon
fi

echo "offloads-fix yes" >>"$tmp/d.conf"
if start_daemon "$tmp/d.conf"; then
	wait_log "offloads-fix: $v6 rx-gro-list: on -> off: changed$"
	wait_log "offloads-fix: $v6 rx-udp-gro-forwarding: on -> off: changed$"
	wait_log "offloads: $v4, $v6: nothing risky$"
	ethtool_is $v6 rx-gro-list off
	ethtool_is $v6 rx-udp-gro-forwarding off
	ethtool_is $v6 generic-receive-offload on	# handled: left on
	stop_daemon
fi

# An interface that does not exist: the daemon does not start (refused
# with the file's line before offloads-fix would fail on it).
sed "s/^interface v4 .*/interface v4 nosuch4/" "$tmp/d.conf" >"$tmp/d2.conf"
in_ns timeout 10 "$translatord" -c "$tmp/d2.conf" \
	--control "$tmp/ctl2.sock" >"$tmp/daemon.log" 2>&1
got=$?
if [ $got = 0 ] || [ $got = 124 ]; then
	echo "FAIL: translatord started (exit $got) with offloads-fix yes and no interface"
	fail=1
fi
logged "d2.conf:[0-9]*: interface v4 nosuch4: no such interface here"

# --- a bridge: its ports are checked and fixed too ---------------------
br=oflbr p1=oflp1 p2=oflp2
in_ns ip link add $br type bridge || exit 99
for p in $p1 $p2; do
	in_ns ip link add $p type veth peer name "${p}x" || exit 99
	in_ns ip link set $p master $br || exit 99
	in_ns ip link set $p up && in_ns ip link set "${p}x" up || exit 99
done
in_ns ip link set $br up || exit 99
in_ns ethtool -K $p1 rx-gro-list on rx-udp-gro-forwarding on || exit 99
port1="$p1 \\(port of $br\\)"
expect 1 "$(row "$port1" rx-gro-list on no risky)" "$transctl" offloads $br
for r in "$(row "$port1" rx-udp-gro-forwarding on no risky)" \
	"$(row "$p2 \\(port of $br\\)" rx-gro-list off no ok)" \
	"$(row $br rx-gro-list off no ok)" \
	"^2 risky: 2 can change \\(--fix\\), 0 cannot$"; do
	grep -Eq -- "$r" "$tmp/out" || { echo "FAIL: bridge: no /$r/"; fail=1; }
done
in_ns "$transctl" offloads --json $br >"$tmp/json"
grep -q "\"interface\": \"$p1\", \"upper\": \"$br\", \"relation\": \"port\", \"feature\": \"rx-gro-list\", \"state\": \"on\"" \
	"$tmp/json" || { echo "FAIL: bridge: JSON row of the port"; fail=1; }
"$python" -m json.tool "$tmp/json" >/dev/null ||
	{ echo "FAIL: bridge: bad JSON"; fail=1; }
expect 0 "^$port1 rx-gro-list: on -> off: changed$" \
	"$transctl" offloads --fix $br
grep -Eq "^$port1 rx-udp-gro-forwarding: on -> off: changed$" "$tmp/out" ||
	{ echo "FAIL: bridge: rx-udp-gro-forwarding not changed"; fail=1; }
ethtool_is $p1 rx-gro-list off
ethtool_is $p1 rx-udp-gro-forwarding off
expect 0 "^nothing risky$" "$transctl" offloads $br

# A VLAN: the device below it, when the kernel has the 8021q module.
in_ns ip link add oflv type veth peer name oflvx || exit 99
if in_ns ip link add link oflv name oflv.10 type vlan id 10 2>/dev/null; then
	in_ns ethtool -K oflv rx-gro-list on || exit 99
	expect 1 "$(row "oflv \\(below oflv\\.10\\)" rx-gro-list on no risky)" \
		"$transctl" offloads oflv.10
	in_ns ethtool -K oflv rx-gro-list off || exit 99
else
	echo "note: no VLAN devices here: that part skipped"
fi

# --- translatord watches at run time ------------------------------------

# logged_once PATTERN: exactly one line of the daemon's log matches.
logged_once() {
	got=$(grep -Ec -- "$1" "$tmp/daemon.log")
	if [ "$got" != 1 ]; then
		echo "FAIL: translatord logged /$1/ $got times, not once:"
		sed 's/^/    /' "$tmp/daemon.log"
		fail=1
	fi
}

# counter NAME: the value of a daemon counter.
counter() {
	in_ns "$transctl" stats -s "$tmp/ctl.sock" |
		awk -v n="$1" '$2 == n { print $3 }'
}

in_ns ip link set dev $v4 mtu 1500 || exit 99
cat >"$tmp/w0.conf" <<EOF
mode siit
pool6 2001:db8:100::/40
interface v6 $br
interface v4 $v4
rules manual
offloads-check-interval 1
EOF
cp "$tmp/w0.conf" "$tmp/w.conf"
mtu_note="offloads: $v4 mtu 1500: IPv4 MTU 1500 \\+ 20 > IPv6 MTU 1500: IPv4 packets over 1480 bytes get Fragmentation Needed \\(DF\\) or become IPv6 fragments"
if start_daemon "$tmp/w.conf"; then
	logged "offloads: $v4, $br: nothing risky$"
	# A feature turned on later (an rtnetlink link event): said once.
	in_ns ethtool -K $p2 rx-gro-list on || exit 99
	wait_log "offloads: $p2 \\(port of $br\\) rx-gro-list on: GRO list: datagram boundaries lost$"
	sleep 2.5	# two more re-check periods
	logged_once "offloads: $p2 .*rx-gro-list"
	logged_once "$mtu_note"
	ethtool_is $p2 rx-gro-list on	# no offloads-fix: left as it is
	# A port that joins later, risky from the start.
	in_ns ip link add oflp3 type veth peer name oflp3x || exit 99
	in_ns ethtool -K oflp3 rx-udp-gro-forwarding on || exit 99
	in_ns ip link set oflp3 master $br || exit 99
	wait_log "offloads: oflp3 \\(port of $br\\) rx-udp-gro-forwarding on: "
	# A size raises no event: the periodic re-check finds it.
	if [ $big = 1 ]; then
		in_ns ip link set dev $p1 gro_max_size 131072 || exit 99
		wait_log "offloads: $port1 gro_max_size 131072: BIG TCP"
	fi
	got=$(counter offloads_risky_seen)
	[ "$got" = $((2 + big)) ] ||
		{ echo "FAIL: offloads_risky_seen is '$got', not $((2 + big))"; fail=1; }
	[ "$(counter offloads_fixed)" = 0 ] ||
		{ echo "FAIL: offloads_fixed is not 0 without offloads-fix"; fail=1; }
	# A reload that turns offloads-fix on fixes what is on already.
	echo "offloads-fix yes" >>"$tmp/w.conf"
	in_ns "$transctl" reload -s "$tmp/ctl.sock" >/dev/null ||
		{ echo "FAIL: reload"; fail=1; }
	wait_log "offloads-fix: $p2 \\(port of $br\\) rx-gro-list: on -> off: changed$"
	ethtool_is $p2 rx-gro-list off
	stop_daemon
fi
in_ns ip link del oflp3

# A long interval: within the test only link events bring a re-check.
sed 's/^offloads-check-interval .*/offloads-check-interval 30/' \
	"$tmp/w0.conf" >"$tmp/w2.conf"
echo "offloads-fix yes" >>"$tmp/w2.conf"
in_ns ethtool -K $p2 rx-gro-list on || exit 99
if start_daemon "$tmp/w2.conf"; then
	# At start: what is on already.
	logged "offloads-fix: $p2 \\(port of $br\\) rx-gro-list: on -> off: changed$"
	ethtool_is $p2 rx-gro-list off
	# At run time: said once, turned off, and the fix said.
	in_ns ethtool -K $p1 rx-udp-gro-forwarding on || exit 99
	wait_log "offloads-fix: $port1 rx-udp-gro-forwarding: on -> off: changed$"
	ethtool_is $p1 rx-udp-gro-forwarding off
	sleep 1		# the events of the fix itself bring a re-check
	logged_once "offloads: $p1 .*rx-udp-gro-forwarding on"
	logged_once "offloads-fix: $p1 .*rx-udp-gro-forwarding"
	# On again: news again, turned off again.
	in_ns ethtool -K $p1 rx-udp-gro-forwarding on || exit 99
	for _ in $(seq 50); do
		[ "$(grep -c "offloads-fix: $p1 .*rx-udp-gro-forwarding" \
			"$tmp/daemon.log")" = 2 ] && break
		sleep 0.1
	done
	ethtool_is $p1 rx-udp-gro-forwarding off
	got=$(counter offloads_fixed)
	[ "$got" = 2 ] ||
		{ echo "FAIL: offloads_fixed is '$got', not 2"; fail=1; }
	stop_daemon
fi

[ $fail = 0 ] && echo "PASS: offloads.sh"
exit $fail
