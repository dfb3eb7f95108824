#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Path MTUs are learned only from the errors the core accepted (issue 10).
#
# translatord lowers its own segment size towards a destination when it
# translates a Fragmentation Needed / Packet Too Big about it. An error
# the core drops (here: a bad ICMP checksum, counted drop_icmp_checksum)
# must teach nothing: otherwise anyone could make the translator answer
# full-size traffic with Packet Too Big. Both families:
#  - the IPv4 host sends Fragmentation Needed (MTU 600) with a bad
#    checksum about a packet of the IPv6 host: pmtu_learned stays, and a
#    1500-byte DF IPv6 ping still gets through; then a good one: learned
#    (552, the floor), and the same ping gets Packet Too Big (mtu 1280);
#  - the IPv6 host sends Packet Too Big (MTU 1280) with a bad checksum:
#    nothing learned, a 1480-byte DF IPv4 ping (1500 once translated) still gets through; then a
#    good one: learned, and that ping gets Fragmentation Needed (1260).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init

# ping6_big: a 1500-byte IPv6 packet with DF semantics (IPv6 never
# fragments on the way) from the IPv6 host to the IPv4 host; its output.
ping6_big() {
	ip netns exec "$H6" ip -6 route flush cache >/dev/null 2>&1
	ip netns exec "$H6" timeout 10 ping -c 1 -W 2 -M "do" -s 1452 \
		"$IT_V6_VIEW_OF_V4" 2>&1
}

ping4_big() {
	ip netns exec "$H4" ip route flush cache >/dev/null 2>&1
	ip netns exec "$H4" timeout 10 ping -c 1 -W 2 -M "do" -s 1452 \
		"$IT_V4_VIEW_OF_V6" 2>&1
}

# counter_is NAME WANT WHY
counter_is() {
	local v
	v=$(it_stat "$1")
	if [ "$v" = "$2" ]; then
		it_pass "$3: $1 = $v"
	else
		it_fail "$3: $1 = ${v:-?}, expected $2"
	fi
}

# too_big FROM_NS SRC DST MTU [--bad-checksum]: one crafted error.
too_big() {
	local ns=$1
	shift
	ip netns exec "$ns" timeout 10 python3 "$NETTOOL" too-big "$@" \
		--timeout 5 >/dev/null
	sleep 0.5
}

it_topology
it_daemon "$srcdir/examples/demo-siit.conf"
it_check "full-size IPv6 ping before any error" ping6_big
it_check "full-size IPv4 ping before any error" ping4_big

# learn_round WHAT FROM_NS SRC DST MTU PING ANSWER: WHAT (an ICMP error
# from SRC about a packet DST sent) with a bad checksum teaches nothing
# and PING still gets through; a good one is learned and PING gets
# ANSWER.
learn_round() {
	local what=$1 ns=$2 src=$3 dst=$4 mtu=$5 ping=$6 answer=$7 bad learned
	bad=$(it_stat drop_icmp_checksum)
	learned=$(it_stat pmtu_learned)
	too_big "$ns" "$src" "$dst" "$mtu" --bad-checksum
	counter_is drop_icmp_checksum $((bad + 1)) "$what with a bad checksum dropped"
	counter_is pmtu_learned "$learned" "$what with a bad checksum teaches nothing"
	it_check "full-size $ping after the bad $what: unaffected" "$ping"
	too_big "$ns" "$src" "$dst" "$mtu"
	counter_is pmtu_learned $((learned + 1)) "a good $what (MTU $mtu) is learned"
	out=$("$ping")
	if printf '%s' "$out" | grep -q "$answer"; then
		it_pass "full-size $ping after the good $what: $answer"
	else
		it_fail "full-size $ping after the good $what: $out"
	fi
}

learn_round "Fragmentation Needed" "$H4" "$IT_V4_HOST" "$IT_V4_VIEW_OF_V6" \
	600 ping6_big "Packet too big: mtu=1280"
learn_round "Packet Too Big" "$H6" "$IT_V6_HOST" "$IT_V6_VIEW_OF_V4" \
	1280 ping4_big "Frag needed and DF set (mtu = 1260)"

it_stop_daemon || it_fail "translatord exit status"
it_done
