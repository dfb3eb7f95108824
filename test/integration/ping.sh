#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ping through translatord both ways, and a 3000-byte IPv4 ping with DF=0,
# which must reach the IPv6 host as IPv6 fragments and be answered.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
it_daemon "$srcdir/examples/demo-siit.conf"

it_check "ping IPv6 -> IPv4" \
	ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 2 "$IT_V6_VIEW_OF_V4"
it_check "ping IPv4 -> IPv6" \
	ip netns exec "$H4" timeout 10 ping -c 3 -i 0.2 -W 2 "$IT_V4_VIEW_OF_V6"

reasm() {
	ip netns exec "$H6" awk '$1 == "Ip6ReasmOKs" { print $2 }' /proc/net/snmp6
}
before=$(reasm)
it_check "ping -s 3000 -M dont IPv4 -> IPv6" \
	ip netns exec "$H4" timeout 10 ping -c 2 -i 0.2 -W 2 -s 3000 -M dont \
	"$IT_V4_VIEW_OF_V6"
after=$(reasm)
if [ "$after" -ge $((before + 2)) ]; then
	it_pass "the IPv6 host reassembled IPv6 fragments ($before -> $after)"
else
	it_fail "the IPv6 host reassembled no IPv6 fragments ($before -> $after)"
fi
it_check "ping -s 3000 IPv6 -> IPv4" \
	ip netns exec "$H6" timeout 10 ping -c 2 -i 0.2 -W 2 -s 3000 \
	"$IT_V6_VIEW_OF_V4"
frags=$(it_stat fragments_out)
if [ "${frags:-0}" -gt 0 ]; then
	it_pass "core counted $frags fragments out"
else
	it_fail "core counted no fragments out"
fi
it_done
