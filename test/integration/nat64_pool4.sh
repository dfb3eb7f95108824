#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Stateful NAT64 with every offload on (GRO, TSO, GSO on each veth): a
# pool4 of two TCP ports is exhausted by two connections, a third is
# refused (counter and ICMP error) while the two carry on; `transctl pool4
# add` at run time makes room, `pool4 remove` takes the bindings along,
# `reload` returns to the file; 20 MB each way (IPv4 -> IPv6 through a
# static binding) arrive intact as GSO aggregates, with `egress tun` and
# then `egress raw` (the daemon cuts the aggregates itself).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology --gro on --tso on

# conf FILE EGRESS: two TCP ports in pool4, UDP and ICMP unrestricted, and
# a static binding for the transfers from IPv4; the lab's documentation
# addresses under 64:ff9b::/96 allowed (see it_nat64_conf).
conf() {
	cat >"$1" <<EOF
mode nat64
pool6 64:ff9b::/96
wkp-allow-non-global yes
pool4 $IT_POOL4 2000-2001 tcp
pool4 $IT_POOL4 udp
pool4 $IT_POOL4 icmp
bib tcp $IT_POOL4#5200 $IT_V6_HOST#5200
address v6 2001:db8:1c0:2:1::
address v4 198.51.100.1
interface v6 v6
interface v4 v4
egress $2
EOF
}
conf "$IT_TMP/nat64.conf" tun
it_daemon "$IT_TMP/nat64.conf"

# --- exhaustion ---------------------------------------------------------------
ip netns exec "$H4" timeout 70 python3 "$NAT64TOOL" echo-server 0.0.0.0 9100 \
	--timeout 60 >/dev/null 2>&1 &
echo_pid=$!
it_listen "$H4" 9100
it_counters
ex0=$(it_counter drop_nat64_pool4_exhausted)
err0=$(it_counter icmp6_errors_sent)
ip netns exec "$H6" timeout 40 python3 "$NAT64TOOL" hold-client "$IT_NAT64_V4" \
	9100 --conns 2 --extra 1 --bytes 300000 --timeout 30 >"$IT_TMP/hold" 2>&1
hold_status=$?
it_check "pool4 of 2 ports: 2 connections open, the 3rd refused at once, the 2 then echo 300 KB each ($(cat "$IT_TMP/hold"))" \
	test "$hold_status" = 0
it_check "the refusal was an ICMPv6 error, not a timeout" \
	grep -Eq '^held=2 refused=1 echo_ok=2 errors=E[A-Z]+$' "$IT_TMP/hold"
it_counters
it_check "drop_nat64_pool4_exhausted +$(($(it_counter drop_nat64_pool4_exhausted) - ex0)), icmp6_errors_sent +$(($(it_counter icmp6_errors_sent) - err0))" \
	test "$(($(it_counter drop_nat64_pool4_exhausted) - ex0))" -ge 1 -a \
	"$(($(it_counter icmp6_errors_sent) - err0))" -ge 1
pool4_full() {
	it_tctl pool4 show >"$IT_TMP/pool4" &&
	grep -qx 'pool4 used: tcp 2 of 2, udp 0 of 65535, icmp 0 of 65536' "$IT_TMP/pool4"
}
it_check "pool4 show: tcp 2 of 2 used" pool4_full

# --- run-time pool4 changes -------------------------------------------------------
it_check "transctl pool4 add 192.0.2.3 tcp" \
	sh -c "timeout 20 '$TRANSCTL' pool4 add 192.0.2.3 tcp --control '$IT_TMP/ctl.sock' |
		grep -qx 'pool4 add 192.0.2.3 tcp'"
it_check "the rules queue 192.0.2.3 now" \
	sh -c "timeout 20 '$TRANSCTL' rules --control '$IT_TMP/ctl.sock' |
		grep -q -- '-d 192.0.2.3/32 -p tcp '"
it_check "a new connection gets through with the new address" \
	ip netns exec "$H6" timeout 20 python3 "$NAT64TOOL" hold-client "$IT_NAT64_V4" \
	9100 --conns 1 --extra 0 --bytes 100000 --timeout 15
kill "$echo_pid" 2>/dev/null
wait "$echo_pid" 2>/dev/null

# xfers LABEL: 20 MB each way with aggregates; IPv4 -> IPv6 through the
# static binding 192.0.2.2#5200 (it_transfer's next port is 5200).
xfers() {
	it_counters
	local gso0 seg0 tun0
	gso0=$(it_counter gso_aggregates)
	seg0=$(it_counter gso_segments)
	tun0=$(it_counter gso_tun_aggregates)
	IT_XFER_PORT=5150
	it_transfer "$H6" "$H4" 0.0.0.0 "$IT_NAT64_V4" 20000000 "[$1] IPv6 -> IPv4, offloads on"
	IT_XFER_PORT=5199
	it_transfer "$H4" "$H6" :: "$IT_POOL4" 20000000 "[$1] IPv4 -> IPv6 (static binding), offloads on"
	it_counters
	XF_GSO=$(($(it_counter gso_aggregates) - gso0))
	XF_SEG=$(($(it_counter gso_segments) - seg0))
	XF_TUN=$(($(it_counter gso_tun_aggregates) - tun0))
	it_check "[$1] aggregates translated whole: $XF_GSO received, $XF_TUN to the TUN's GSO, $XF_SEG segments cut here" \
		test "$XF_GSO" -ge 100
}
xfers tun
it_check "[tun] the kernel's GSO cut them (gso_tun_aggregates >= 100)" test "$XF_TUN" -ge 100
it_check "[tun] the session took the new pool4 address" \
	sh -c "timeout 20 '$TRANSCTL' session show tcp --control '$IT_TMP/ctl.sock' |
		grep -q ' 192\.0\.2\.3#[0-9]* *198\.51\.100\.2#5151 '"

pool4_removed() {
	it_tctl pool4 remove 192.0.2.3 tcp >"$IT_TMP/rm" &&
	grep -qx 'pool4 remove 192.0.2.3 tcp' "$IT_TMP/rm" &&
	grep -Eq '^1 pool4 entry removed; [1-9][0-9]* binding\(s\) outside pool4 now dropped' "$IT_TMP/rm" &&
	! it_tctl session show | grep -q ' 192\.0\.2\.3#'
}
it_check "transctl pool4 remove 192.0.2.3 tcp: its bindings and sessions go" pool4_removed
it_check "transctl pool4 remove of an entry that is not there: exit 1, one line" \
	sh -c "! timeout 20 '$TRANSCTL' pool4 remove 192.0.2.9 --control '$IT_TMP/ctl.sock' 2>'$IT_TMP/err' &&
		[ \$(wc -l <'$IT_TMP/err') = 1 ] && grep -q 'no such entry' '$IT_TMP/err'"
reloaded() {
	it_tctl pool4 add 192.0.2.4 tcp >/dev/null &&
	it_tctl reload >/dev/null &&
	! it_tctl pool4 show | grep -q '192\.0\.2\.4' &&
	it_tctl status | grep -qx 'runtime_changes 0'
}
it_check "reload returns to the file (a run-time pool4 entry goes)" reloaded

it_check "translatord (egress tun) exits 0 on SIGTERM" it_stop_daemon

# --- egress raw: the daemon cuts the aggregates itself -----------------------------
conf "$IT_TMP/nat64raw.conf" raw
it_daemon "$IT_TMP/nat64raw.conf"
xfers raw
it_check "[raw] aggregates cut here ($XF_SEG segments)" test "$XF_SEG" -ge 1000
it_check "translatord (egress raw) exits 0 on SIGTERM" it_stop_daemon
it_done
