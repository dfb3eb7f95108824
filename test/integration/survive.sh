#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# translatord survives what the network throws at it, counts it, and still
# shuts down cleanly:
#  1. malformed packets from both hosts (sent with AF_PACKET, past the
#     senders' own stacks): each lands on its drop counter or is passed on
#     statelessly, and ping still works both ways; a burst from a source
#     with no mapping gets ICMPv6 1/5 errors, no more than icmp-rate allows;
#  2. a full kernel queue (queue-maxlen 16, daemon stopped with SIGSTOP
#     during a UDP burst): the kernel's queue-drop counter moves, traffic
#     flows again after SIGCONT;
#  3. an unreachable destination (route deleted, then the IPv4 link down):
#     send errors counted, ping works again once the route is back;
#  4. the IPv4 interface deleted under it: errors counted, then SIGTERM
#     gives exit 0 and leaves no rule behind.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology

alive() {
	kill -0 "$IT_DAEMON_PID" 2>/dev/null && it_ctl status >/dev/null 2>&1
}

# wait_stat NAME BEFORE: the counter once it exceeds BEFORE (2 s at most).
wait_stat() {
	local i v
	for i in $(seq 20); do
		v=$(it_stat "$1")
		[ "${v:-0}" -gt "$2" ] && break
		sleep 0.1
	done
	echo "${v:-0}"
}

# queue_idle: no packet waiting for a verdict in either queue (2 s at most).
queue_idle() {
	local i n
	for i in $(seq 20); do
		n=$(it_ctl stats | awk -F'\t' '$2 ~ /_queue_waiting$/ { s += $3 }
			END { print s + 0 }')
		[ "$n" = 0 ] && return 0
		sleep 0.1
	done
	echo "$n packets still waiting for a verdict"
	return 1
}

ping6() {
	ip netns exec "$H6" timeout 10 ping -c 2 -i 0.2 -W 2 "$IT_V6_VIEW_OF_V4"
}
ping4() {
	ip netns exec "$H4" timeout 10 ping -c 2 -i 0.2 -W 2 "$IT_V4_VIEW_OF_V6"
}

# ---------------------------------------------------------------- 1. bad
it_daemon "$srcdir/examples/demo-siit.conf"
MAC_XL6=$(ip netns exec "$XL" cat /sys/class/net/v6/address)
MAC_XL4=$(ip netns exec "$XL" cat /sys/class/net/v4/address)

# bad FAMILY KIND COUNTER: send one malformed packet of KIND from the host
# of FAMILY; COUNTER must move (the drop reason, or the translation
# counter for what a stateless translator passes on unchanged).
bad() {
	local fam=$1 kind=$2 counter=$3 before after out
	before=$(it_stat "$counter")
	if [ "$fam" = 6 ]; then
		out=$(ip netns exec "$H6" timeout 10 python3 "$NETTOOL" \
			bad-packet eth0 "$MAC_XL6" "$IT_V6_HOST" \
			"$IT_V6_VIEW_OF_V4" "$kind" --timeout 5 2>&1)
	else
		out=$(ip netns exec "$H4" timeout 10 python3 "$NETTOOL" \
			bad-packet eth0 "$MAC_XL4" "$IT_V4_HOST" \
			"$IT_V4_VIEW_OF_V6" "$kind" --timeout 5 2>&1)
	fi || {
		it_fail "IPv$fam $kind: could not send: $out"
		return
	}
	after=$(wait_stat "$counter" "${before:-0}")
	if [ "$after" -gt "${before:-0}" ]; then
		it_pass "IPv$fam $kind: $counter ${before:-0} -> $after"
	else
		it_fail "IPv$fam $kind: $counter did not move (${before:-?})"
	fi
}

for spec in \
	icmp-short:drop_truncated \
	icmp-nested:drop_icmp_nested \
	icmp-badsum:drop_icmp_checksum \
	icmp-inner-garbage:drop_icmp_inner \
	icmp-inner-short:drop_icmp_inner \
	frag-then-ext:drop_ext_after_fragment \
	two-frags:drop_malformed \
	ext-short:drop_truncated \
	ext-overrun:drop_truncated \
	hlim-one:drop_ttl_expired \
	udp-csum-zero:drop_udp6_csum_zero \
	udp-short:translated_6to4 \
	tcp-short:translated_6to4 \
	udp-badlen:translated_6to4 \
	udp-len-short:translated_6to4 \
	echo-badsum:translated_6to4; do
	bad 6 "${spec%%:*}" "${spec#*:}"
done
for spec in \
	icmp-short:drop_truncated \
	icmp-nested:drop_icmp_nested \
	icmp-badsum:drop_icmp_checksum \
	icmp-inner-garbage:drop_icmp_inner \
	icmp-inner-short:drop_icmp_inner \
	opt-lsrr:drop_source_route \
	ttl-one:drop_ttl_expired \
	opt-zero-len:translated_4to6 \
	opt-overrun:translated_4to6 \
	opt-len-one:translated_4to6 \
	udp-short:translated_4to6 \
	tcp-short:translated_4to6 \
	udp-badlen:translated_4to6 \
	udp-len-short:translated_4to6 \
	echo-badsum:translated_4to6; do
	bad 4 "${spec%%:*}" "${spec#*:}"
done
# All of them once more, back to back, from both sides at once (31 Python
# processes starting together: on a loaded machine that takes a while).
xd0=$(it_stat xlat_dropped)
pids=
for k in $(python3 "$NETTOOL" bad-packet x 0:0:0:0:0:0 :: :: list); do
	ip netns exec "$H6" timeout 60 python3 "$NETTOOL" bad-packet eth0 \
		"$MAC_XL6" "$IT_V6_HOST" "$IT_V6_VIEW_OF_V4" "$k" \
		--timeout 5 >/dev/null 2>&1 &
	pids="$pids $!"
done
for k in $(python3 "$NETTOOL" bad-packet x 0:0:0:0:0:0 0.0.0.0 0.0.0.0 list); do
	ip netns exec "$H4" timeout 60 python3 "$NETTOOL" bad-packet eth0 \
		"$MAC_XL4" "$IT_V4_HOST" "$IT_V4_VIEW_OF_V6" "$k" \
		--timeout 5 >/dev/null 2>&1 &
	pids="$pids $!"
done
wait $pids 2>/dev/null
it_check "alive after the malformed packets" alive
# 11 IPv6 and 7 IPv4 kinds above are dropped by the core.
xd=$(wait_stat xlat_dropped $((${xd0:-0} + 17)))
[ "$xd" -ge $((${xd0:-0} + 18)) ] &&
	it_pass "burst of all kinds: xlat_dropped ${xd0:-0} -> $xd" ||
	it_fail "burst of all kinds: xlat_dropped ${xd0:-?} -> $xd (+18 expected)"
# Every queued packet got its verdict: nothing stuck in the kernel.
it_check "nothing left waiting in the queues" queue_idle
it_check "ping IPv6 -> IPv4 after the malformed packets" ping6
it_check "ping IPv4 -> IPv6 after the malformed packets" ping4

# 300 packets from a source outside pool6 at once: each is answered with
# ICMPv6 1/5 by the core, and the token bucket (icmp-rate 100, icmp-burst
# 50) lets through at most the burst plus 100 a second.
nm0=$(it_stat drop_no_mapping)
ie0=$(it_stat icmp6_errors_sent)
rl0=$(it_stat icmp_rate_limited)
t0=$(date +%s)
ip netns exec "$H6" timeout 20 python3 "$NETTOOL" bad-packet eth0 \
	"$MAC_XL6" 2001:db8:ffff::1 "$IT_V6_VIEW_OF_V4" udp-badlen \
	--repeat 300 --timeout 5 >/dev/null 2>&1 ||
	it_fail "could not send from an unmapped source"
nm=$(wait_stat drop_no_mapping $((${nm0:-0} + 299)))
secs=$(( $(date +%s) - t0 + 1 ))
ie=$(( $(it_stat icmp6_errors_sent) - ${ie0:-0} ))
rl=$(( $(it_stat icmp_rate_limited) - ${rl0:-0} ))
if [ "$nm" -ge $((${nm0:-0} + 300)) ] && [ "$ie" -ge 1 ] &&
	[ "$ie" -le $((50 + 100 * secs)) ] && [ $((ie + rl)) -ge 300 ]; then
	it_pass "unmapped source: 300 dropped, $ie errors sent, $rl rate-limited in ~${secs} s"
else
	it_fail "unmapped source: drop_no_mapping ${nm0:-?} -> $nm, $ie errors sent, $rl rate-limited in ~${secs} s (want 300 drops, 1..$((50 + 100 * secs)) sent, 300 in all)"
fi
it_check "SIGTERM after the malformed packets: exit 0" it_stop_daemon
[ "$(it_queue_rules)" = 0 ] && it_pass "rules removed" ||
	it_fail "$(it_queue_rules) rules left after exit"

# ---------------------------------------------------------- 2. full queue
CONF="$IT_TMP/small-queue.conf"
cp "$srcdir/examples/demo-siit.conf" "$CONF"
echo "queue-maxlen 16" >>"$CONF"
# Parts 3 and 4 count the raw sockets' send errors: with `egress tun` the
# kernel forwards what we write and no send ever fails.
echo "egress raw" >>"$CONF"
it_daemon "$CONF"
it_check "queue-maxlen 16 taken" sh -c "timeout 20 python3 '$NETTOOL' ctl \
	'$IT_TMP/ctl.sock' config | grep -q '^queue-maxlen 16$'"
qd_before=$(it_stat other_queue_dropped)
kill -STOP "$IT_DAEMON_PID"
ip netns exec "$H6" timeout 20 python3 "$NETTOOL" udp-burst \
	"$IT_V6_VIEW_OF_V4" 9 2000 --timeout 10 >"$IT_TMP/burst" 2>&1
sleep 0.5
kill -CONT "$IT_DAEMON_PID"
echo "    burst: $(cat "$IT_TMP/burst")"
it_check "alive after SIGSTOP, a 2000-datagram burst and SIGCONT" alive
qd=$(wait_stat other_queue_dropped "${qd_before:-0}")
if [ "$qd" -gt 1000 ]; then
	it_pass "kernel counted other_queue_dropped $qd (queue-maxlen 16)"
else
	it_fail "other_queue_dropped only $qd (before ${qd_before:-?})"
fi
it_check "nothing left waiting in the queues after SIGCONT" queue_idle
it_check "ping IPv6 -> IPv4 after the full queue" ping6
it_check "ping IPv4 -> IPv6 after the full queue" ping4

# ---------------------------------------------------- 3. unreachable
ip netns exec "$XL" ip -4 route del 198.51.100.0/24 dev v4
un=$(it_stat tx_err_unreachable)
ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 1 "$IT_V6_VIEW_OF_V4" \
	>/dev/null 2>&1 && it_fail "ping went through without a route"
it_check "alive with no route to the IPv4 host" alive
un2=$(wait_stat tx_err_unreachable "${un:-0}")
[ "$un2" -ge $((${un:-0} + 3)) ] &&
	it_pass "no route: tx_err_unreachable ${un:-0} -> $un2" ||
	it_fail "no route: tx_err_unreachable ${un:-?} -> $un2 (3 expected)"
ip netns exec "$XL" ip -4 route add 198.51.100.0/24 dev v4 proto kernel \
	scope link src 198.51.100.1
it_check "ping IPv6 -> IPv4 with the route back" ping6

ip netns exec "$XL" ip link set v4 down
un=$(it_stat tx_err_unreachable)
ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 1 "$IT_V6_VIEW_OF_V4" \
	>/dev/null 2>&1 && it_fail "ping went through a link that is down"
it_check "alive with the IPv4 link down" alive
un2=$(wait_stat tx_err_unreachable "${un:-0}")
[ "$un2" -ge $((${un:-0} + 3)) ] &&
	it_pass "link down: tx_err_unreachable ${un:-0} -> $un2" ||
	it_fail "link down: tx_err_unreachable ${un:-?} -> $un2 (3 expected)"
ip netns exec "$XL" ip link set v4 up
ok=0
for i in $(seq 10); do
	ping6 >/dev/null 2>&1 && { ok=1; break; }
	sleep 0.3
done
[ $ok = 1 ] && it_pass "ping IPv6 -> IPv4 with the link up again" ||
	it_fail "no ping IPv6 -> IPv4 after the link came back"
it_check "ping IPv4 -> IPv6 with the link up again" ping4

# ------------------------------------------------- 4. interface removed
ip netns exec "$XL" ip link del v4
un=$(it_stat tx_err_unreachable)
ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 1 "$IT_V6_VIEW_OF_V4" \
	>/dev/null 2>&1 && it_fail "ping went through a deleted interface"
ip netns exec "$H6" timeout 20 python3 "$NETTOOL" udp-burst \
	"$IT_V6_VIEW_OF_V4" 9 20 --timeout 5 >/dev/null 2>&1
it_check "alive with the IPv4 interface deleted" alive
un2=$(wait_stat tx_err_unreachable "${un:-0}")
[ "$un2" -ge $((${un:-0} + 3)) ] &&
	it_pass "interface gone: tx_err_unreachable ${un:-0} -> $un2" ||
	it_fail "interface gone: tx_err_unreachable ${un:-?} -> $un2 (3 expected)"
it_check "status answers with the interface gone" it_ctl status
it_check "SIGTERM with the interface gone: exit 0" it_stop_daemon
[ "$(it_queue_rules)" = 0 ] && it_pass "rules removed at exit" ||
	it_fail "$(it_queue_rules) rules left after exit"
[ ! -e "$IT_TMP/ctl.sock" ] && [ ! -e "$IT_TMP/pid" ] &&
	it_pass "socket and pidfile removed" || it_fail "socket or pidfile left"
it_done
