#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP request/response through translatord both ways, and the ICMP error
# of a closed port coming back translated (the sender's connected socket
# sees ECONNREFUSED only if a well-formed Port Unreachable arrives), and
# an EAMT change taking effect at once for a host seen before.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
it_daemon "$srcdir/examples/demo-siit.conf"

# ask FROM_NS TO_NS LISTEN CONNECT PORT LABEL
ask() {
	ip netns exec "$2" timeout 20 python3 "$NETTOOL" udp-echo "$3" "$5" 10 \
		--timeout 15 >/dev/null 2>&1 &
	local echo_pid=$!
	it_check "$6" ip netns exec "$1" timeout 20 python3 "$NETTOOL" \
		udp-ask "$4" "$5" 10 --timeout 15
	kill "$echo_pid" 2>/dev/null
	wait "$echo_pid" 2>/dev/null
}

ask "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" 7001 "UDP request/response IPv6 -> IPv4"
ask "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" 7002 "UDP request/response IPv4 -> IPv6"
# One copy per packet (docs/performance.md): each translation was
# written by the core into its egress slot (here io_uring TUN, demo-siit),
# none copied there after.
SENT=$(( $(it_stat tx_v4_sent) + $(it_stat tx_v6_sent) + $(it_stat tx_tun) ))
DIRECT=$(it_stat tx_direct) COPIED=$(it_stat tx_copied_bytes)
if grep -q "TUN batch" "$IT_TMP/daemon.log"; then
	echo "TUN batching unavailable: one copy not checked"
elif [ "$SENT" -ge 40 ] && [ "${DIRECT:-0}" = "$SENT" ] &&
	[ "${COPIED:-1}" = 0 ]; then
	it_pass "one copy: tx_direct $DIRECT of $SENT sent, tx_copied_bytes 0"
else
	it_fail "one copy: tx_direct ${DIRECT:-?} of $SENT sent," \
		"tx_copied_bytes ${COPIED:-?}"
fi
# source_seen PORT: the IPv4 source of a datagram from H6 to the IPv4
# host, as the IPv4 host's socket sees it (empty when none came).
source_seen() {
	ip netns exec "$H4" timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(8)
print(s.recvfrom(64)[1][0])' "$1" >"$IT_TMP/seen" 2>/dev/null &
	local rx=$!
	ip netns exec "$H6" timeout 10 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for _ in range(20):
    s.sendto(b"who", (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.2)' "$IT_V6_VIEW_OF_V4" "$1" &
	local tx=$!
	wait "$rx"
	kill "$tx" 2>/dev/null
	wait "$tx" 2>/dev/null
	cat "$IT_TMP/seen"
}

# The fast path's address cache (core/xlat_fcache.h) holds the IPv6
# host's pool6 mapping from the requests above; each EAMT change is a new
# configuration snapshot, which the workers' caches must not outlive.
seen=$(source_seen 7003)
[ "$seen" = "$IT_V4_VIEW_OF_V6" ] && it_pass "UDP source through pool6: $seen" ||
	it_fail "UDP source through pool6: '$seen', expected $IT_V4_VIEW_OF_V6"
it_tctl eamt add "$IT_V6_HOST/128" 192.0.2.77/32 >/dev/null 2>&1
seen=$(source_seen 7004)
[ "$seen" = 192.0.2.77 ] && it_pass "UDP source after eamt add: $seen" ||
	it_fail "UDP source after eamt add: '$seen', expected 192.0.2.77"
it_tctl eamt remove "$IT_V6_HOST/128" >/dev/null 2>&1
seen=$(source_seen 7005)
[ "$seen" = "$IT_V4_VIEW_OF_V6" ] && it_pass "UDP source after eamt remove: $seen" ||
	it_fail "UDP source after eamt remove: '$seen', expected $IT_V4_VIEW_OF_V6"

it_check "closed port: ICMPv4 port unreachable arrives as ICMPv6" \
	ip netns exec "$H6" timeout 10 python3 "$NETTOOL" udp-closed \
	"$IT_V6_VIEW_OF_V4" 9 --timeout 5
it_check "closed port: ICMPv6 port unreachable arrives as ICMPv4" \
	ip netns exec "$H4" timeout 10 python3 "$NETTOOL" udp-closed \
	"$IT_V4_VIEW_OF_V6" 9 --timeout 5
it_done
