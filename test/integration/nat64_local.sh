#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# NAT64 with pool4 on the translator's own IPv4 address (198.51.100.1, on
# v4) and a port range above the host's ip_local_port_range, as Jool
# users often run it: the rules queue only pool4's ports there (and ICMP
# but echo requests); ping, TCP and UDP from the IPv6 host get through
# with bindings in the range; the translator host's own ping, TCP and UDP
# (ICMP port unreachable) from the same address still work, its ICMP
# given back untranslated and counted; address query says "ports"; a
# pool4 range that overlaps ip_local_port_range is warned about. Fragmented
# IPv4 answers need the kernel's reassembly before the raw table
# (conntrack), as documented.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/nat64.conf"
OWN4=198.51.100.1
grep -v -e '^pool4 ' -e '^bib ' "$srcdir/examples/nat64.conf" >"$CONF"
echo "pool4 $OWN4 61001-65535" >>"$CONF"
# The lab's IPv4 host has a documentation address (RFC 6052 3.1).
echo "wkp-allow-non-global yes" >>"$CONF"
ip netns exec "$XL" sysctl -qw net.ipv4.ip_local_port_range="32768 60999"
it_daemon "$CONF"
it_check "no overlap warning for 61001-65535" \
	sh -c "! grep -q ip_local_port_range '$IT_TMP/daemon.log'"

it_check "ping IPv6 -> IPv4 through pool4 on the host's own address" \
	ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 2 "$IT_NAT64_V4"
it_transfer "$H6" "$H4" 0.0.0.0 "$IT_NAT64_V4" 2000000 "TCP IPv6 -> IPv4"
it_udp_server 7001
udp_pid=$IT_UDP_PID
it_check "UDP request/response IPv6 -> IPv4" \
	ip netns exec "$H6" timeout 20 python3 "$NETTOOL" udp-ask "$IT_NAT64_V4" 7001 5 --timeout 15
# Fragments: only the first carries the ports the rules match, unless the
# kernel reassembles before the raw table, which conntrack does.
ip netns exec "$XL" iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP
it_check "with conntrack on: fragmented UDP answers (3000, 5000 B) come back" \
	ip netns exec "$H6" timeout 20 python3 "$NAT64TOOL" udp-big-ask "$IT_NAT64_V4" 7001 \
	--sizes 3000,5000 --give --timeout 15
ip netns exec "$XL" iptables -D FORWARD -m conntrack --ctstate INVALID -j DROP
in_range() {
	it_tctl session show >"$IT_TMP/sessions" &&
	awk -v a="$OWN4" '$4 ~ "^" a "#" { split($4, p, "#");
		n++; if (p[2] < 61001 || p[2] > 65535) bad++ }
		END { exit !(n >= 3 && !bad) }' "$IT_TMP/sessions"
}
it_check "the bindings are $OWN4 with ports in 61001-65535" in_range

# The host's own traffic from the same address.
it_counters
hb0=$(it_counter local_handed_back)
it_check "the translator host's own ping to the IPv4 host" \
	ip netns exec "$XL" timeout 10 ping -c 3 -i 0.2 -W 2 "$IT_V4_HOST"
it_transfer "$XL" "$H4" 0.0.0.0 "$IT_V4_HOST" 1000000 "the host's own TCP to the IPv4 host"
it_check "the host's own UDP: ICMP port unreachable reaches it" \
	ip netns exec "$XL" timeout 10 python3 "$NETTOOL" udp-closed "$IT_V4_HOST" 9 --timeout 5
it_counters
it_check "its ICMP was given back: local_handed_back +$(($(it_counter local_handed_back) - hb0)) (>= 4)" \
	test "$(($(it_counter local_handed_back) - hb0))" -ge 4
it_check "ping IPv6 -> IPv4 still" \
	ip netns exec "$H6" timeout 10 ping -c 2 -i 0.2 -W 2 "$IT_NAT64_V4"

it_tctl address query "$OWN4" >"$IT_TMP/q" 2>&1
it_check "address query $OWN4: queued ports, with the range" sh -c \
	"grep -Eq '^queued +ports$' '$IT_TMP/q' &&
	 grep -Eq '^queued_by .*$OWN4/32 tcp 61001:65535' '$IT_TMP/q'"

it_check "pool4 add of an overlapping range on the host's address: taken" \
	it_tctl pool4 add "$OWN4" 40000-40100 udp
it_check "... and warned about (ip_local_port_range 32768-60999)" \
	grep -q "pool4 $OWN4/32 40000-40100 udp holds $OWN4, an address of this host, and overlaps its ip_local_port_range 32768-60999" \
	"$IT_TMP/daemon.log"
kill "$udp_pid" 2>/dev/null
wait "$udp_pid" 2>/dev/null
it_check "SIGTERM: clean exit" it_stop_daemon
[ "$(it_queue_rules)" = 0 ] && it_pass "rules removed at exit" ||
	it_fail "$(it_queue_rules) rules left after exit"
it_done
