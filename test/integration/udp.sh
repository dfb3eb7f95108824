#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP request/response through translatord both ways, and the ICMP error
# of a closed port coming back translated (the sender's connected socket
# sees ECONNREFUSED only if a well-formed Port Unreachable arrives).
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
it_check "closed port: ICMPv4 port unreachable arrives as ICMPv6" \
	ip netns exec "$H6" timeout 10 python3 "$NETTOOL" udp-closed \
	"$IT_V6_VIEW_OF_V4" 9 --timeout 5
it_check "closed port: ICMPv6 port unreachable arrives as ICMPv4" \
	ip netns exec "$H4" timeout 10 python3 "$NETTOOL" udp-closed \
	"$IT_V4_VIEW_OF_V6" 9 --timeout 5
it_done
