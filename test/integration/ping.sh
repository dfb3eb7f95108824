#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ping through translatord both ways, and a 3000-byte IPv4 ping with DF=0,
# which must reach the IPv6 host as IPv6 fragments and be answered.
# Then drop-icmpv6-info set by a reload: ICMPv6 echo requests and replies
# are dropped and counted (IPv4 pings get no reply), and unset again.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/siit.conf"
it_conf_reset "$srcdir/examples/demo-siit.conf" "$CONF"
it_daemon "$CONF"

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

echo "drop-icmpv6-info yes" >>"$CONF"
it_check "reload with drop-icmpv6-info yes" it_ctl reload
if ip netns exec "$H6" timeout 5 ping -c 2 -i 0.2 -W 1 "$IT_V6_VIEW_OF_V4" \
	>/dev/null 2>&1; then
	it_fail "drop-icmpv6-info: ping IPv6 -> IPv4 answered"
else
	it_pass "drop-icmpv6-info: ping IPv6 -> IPv4 not answered"
fi
dropped=$(it_stat drop_icmpv6_info)
if [ "${dropped:-0}" -ge 2 ]; then
	it_pass "drop_icmpv6_info counted $dropped"
else
	it_fail "drop_icmpv6_info is '${dropped}', expected at least 2"
fi
# IPv4 -> IPv6: the request crosses, the IPv6 host's reply does not.
in0=$(it_stat translated_4to6)
ip netns exec "$H4" timeout 5 ping -c 2 -i 0.2 -W 1 "$IT_V4_VIEW_OF_V6" \
	>/dev/null 2>&1 && it_fail "drop-icmpv6-info: the echo reply crossed"
in1=$(it_stat translated_4to6)
dropped2=$(it_stat drop_icmpv6_info)
if [ "$((in1 - in0))" -ge 2 ] && [ "$((dropped2 - dropped))" -ge 2 ]; then
	it_pass "ping IPv4 -> IPv6: requests translated, replies dropped"
else
	it_fail "ping IPv4 -> IPv6: translated_4to6 +$((in1 - in0)), drop_icmpv6_info +$((dropped2 - dropped))"
fi
sed -i '/^drop-icmpv6-info/d' "$CONF"
it_check "reload without drop-icmpv6-info" it_ctl reload
it_check "ping IPv6 -> IPv4 answered again" \
	ip netns exec "$H6" timeout 10 ping -c 1 -W 2 "$IT_V6_VIEW_OF_V4"
it_done
