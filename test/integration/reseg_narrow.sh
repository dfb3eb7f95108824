#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A sender behind a narrower IPv6 path, with every offload on and an IPv4
# router that filters ICMP (issue 10):
#
#   h6 ==1280== r6 --1500-- xl --1500-- r4 ==FAR== h4
#
# h6 sends 1280-byte packets (its link), TSO/GSO/GRO glue them into 64 KB
# aggregates that reach the translator without their segment size. RFC
# 7915 5.1 makes 1260-byte DF=0 IPv4 packets of them, which the far link
# (1400 or 1280) carries; cut to the translator's own links they would be
# 1480-byte DF=1 packets, and r4, which sends and forwards no ICMP at all
# (a firewall), drops them without a word: the upload stalls. For both
# egress modes: 100 MB from h6 to h4 and back, SHA-256 checked, each
# bounded by 120 s (given up after 15 s without progress); the receiver's
# largest segment must not exceed the sender's (1208 bytes of payload);
# the counters show the segment size came from the flow (or its absence).
# Then the same with h6 announcing MSS 1440, as a host would whose
# narrower link is further on (found by path MTU discovery): its SYN tells
# nothing, only its segments do.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
BYTES=${IT_RESEG_BYTES:-100000000}
IT_XFER_TIMEOUT=${IT_XFER_TIMEOUT:-120}
TUN=rntun0
# The sender's segments: 1280 - 40 (IPv6) - 20 (TCP) - 12 (timestamps).
SEG=1208
it_init
command -v ethtool >/dev/null || it_skip "no ethtool (Debian package ethtool)"

# up EGRESS FAR: the network, r4 silent, the daemon.
up() {
	local c
	TOPO="egress $1, far IPv4 link $2"
	echo "--- $TOPO"
	it_topology --gro on --tso on --router6 --mtu6far 1280 \
		--router4 --mtu4far "$2"
	for c in OUTPUT FORWARD; do
		ip netns exec "$R4" iptables -A "$c" -p icmp -j DROP ||
			it_fail "[$TOPO] r4: cannot filter ICMP"
	done
	sed -e "s/^address v4 .*/address v4 203.0.113.1/" \
		-e "s/^address v6 .*/address v6 2001:db8:ff:6::1/" \
		"$srcdir/examples/demo-siit.conf" >"$IT_TMP/siit.conf"
	{
		echo "egress $1"
		[ "$1" = tun ] && echo "egress-tun $TUN"
	} >>"$IT_TMP/siit.conf"
	it_daemon "$IT_TMP/siit.conf"
}

down() {
	it_counters
	echo "    counters: $(it_counters_show 'gso|seg|pmtu|tun|icmp|msgsize')"
	it_counters_zero "$TOPO" tx_err_msgsize drop_gso
	it_stop_daemon || it_fail "[$TOPO] translatord exit status"
	"$TOPOLOGY" down --prefix "$IT_PREFIX"
}

# upload LABEL: h6 -> h4, and the largest segment h4 received.
upload() {
	it_transfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" "$BYTES" \
		"[$TOPO] $1 IPv6 -> IPv4" || return
	it_mss_at_most "$SEG" "the sender's"
}

# some_moved WHY NAME...: the sum of the counters is positive.
some_moved() {
	local why=$1 name sum=0 v
	shift
	it_counters
	for name in "$@"; do
		v=$(it_counter "$name")
		sum=$((sum + ${v:-0}))
	done
	if [ "$sum" -gt 0 ]; then
		it_pass "  $why: $(it_counters_show "$(echo "$@" | tr ' ' '|')")"
	else
		it_fail "  $why: $* all 0"
	fi
}

for eg in tun raw; do
	far=1400
	[ "$eg" = raw ] && far=1280
	up "$eg" "$far"
	upload "h6 MSS 1220:"
	some_moved "aggregates cut to the flow's size" gso_size_seen \
		gso_size_unknown
	# A lone segment is the sender's first packets or a retransmission
	# that GRO did not merge; on a loaded machine a whole transfer can
	# come merged. At most two more uploads give the table its chance;
	# the check itself is unchanged.
	for again in 1 2; do
		it_counters
		[ "$(it_counter segsize_raised)" -gt 0 ] 2>/dev/null && break
		upload "h6 MSS 1220 (again, $again):"
	done
	some_moved "segments seen alone" segsize_raised
	it_transfer "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" "$BYTES" \
		"[$TOPO] IPv4 -> IPv6"
	# h6 hides its 1280 link: its SYN says 1440.
	r=$(ip netns exec "$H6" ip -6 route show default | head -1)
	# shellcheck disable=SC2086
	ip netns exec "$H6" ip -6 route change $r advmss 1440
	upload "h6 MSS 1440:"
	down
done

it_done
