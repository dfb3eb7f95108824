#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Resegmentation with every offload on (issue 4), for one egress mode:
# EGRESS=raw (the default) or EGRESS=tun; reseg_raw.sh and reseg_tun.sh
# set it and source this file.
#
# TSO, GSO and GRO are on on every veth (the translator's included), so
# the translator's TCP queue receives 64 KB aggregates. "The far link" is
# the egress link after translation, tested in two places:
#  - the translator's own egress interface: --mtu4 N (the IPv4 link is N;
#    IPv6 -> IPv4 leaves on it, IPv4 -> IPv6 arrives on it and its
#    segments must not grow beyond what the IPv4 host could send: the
#    ingress-MTU cap) and --mtu6 N (the same on the IPv6 side);
#  - further along: --router4 --mtu4far N keeps the translator's links at
#    1500 and makes the router <-> IPv4 host link N, so the router sends
#    Fragmentation Needed, which the translator must translate for the
#    sender and learn from for the segments it makes itself.
# For N = 1500, 1400, 1280: 100 MB each way checked by SHA-256, each
# transfer bounded by 120 s (given up after 15 s without progress) and
# reported with its rate; the receiver's largest segment (TCP_INFO
# rcv_mss) must fit the egress link and the ingress cap.
# Then: DF packets too big for the path (pings, and transfers towards a
# receiver that advertises a larger MSS than its link carries: path MTU
# discovery end to end, the sender's route cache must hold the translated
# MTU); DF=0 3000-byte pings fragmented and answered; the counters moved
# (aggregates in, more segments out, ICMP errors, the ICMP rate limit);
# `mss-clamp yes` lowers the MSS a SYN-ACK carries to the translated path;
# UDP from a UDP_SEGMENT sender and through rx-udp-gro-forwarding and
# rx-gro-list on the forwarding veths arrives as the datagrams sent.
# With EGRESS=tun the TUN device must exist and carry aggregates; the
# test leaves forwarding off in the translator's namespace: the daemon
# turns on what its TUN device needs.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
EGRESS=${EGRESS:-raw}
BYTES=${IT_RESEG_BYTES:-100000000}
MTUS=${IT_RESEG_MTUS:-1500 1400 1280}
TUN=rstun0
UDP_COUNT=200
UDP_SIZE=1000
case "$EGRESS" in
raw | tun) ;;
*) echo "reseg.sh: EGRESS=raw|tun, not '$EGRESS'"; exit 99 ;;
esac
IT_NAME="reseg_$EGRESS"
it_init
command -v ethtool >/dev/null || it_skip "no ethtool (Debian package ethtool)"
[ -x "$TRANSCTL" ] || it_skip "no $TRANSCTL (build first)"

# conf ADDRESS_V4 [DIRECTIVE...]: the demo configuration with this egress.
conf() {
	local addr4=$1 d
	shift
	sed "s/^address v4 .*/address v4 $addr4/" \
		"$srcdir/examples/demo-siit.conf" >"$IT_TMP/siit.conf"
	{
		echo "egress $EGRESS"
		[ "$EGRESS" = tun ] && echo "egress-tun $TUN"
		for d in "$@"; do echo "$d"; done
	} >>"$IT_TMP/siit.conf"
}

# up ADDRESS_V4 TOPOLOGY_OPTION...: network with every offload on, daemon.
TOPO=
up() {
	local addr4=$1
	shift
	TOPO="$*"
	echo "--- topology: $TOPO (egress $EGRESS)"
	it_topology --gro on --tso on "$@"
	conf "$addr4"
	it_daemon "$IT_TMP/siit.conf"
	if [ "$EGRESS" = tun ]; then
		it_check "[$TOPO] egress tun: $TUN exists and is up" sh -c \
			"ip -n '$XL' link show '$TUN' | grep -q ',UP'"
	fi
}

# down: the counters of this network, then a clean stop and teardown.
down() {
	it_counters
	echo "    counters: $(it_counters_show 'gso|seg|frag|icmp|too_big|tx_err|rate|pmtu|mtu|tun|oversize')"
	it_counters_zero "$TOPO" tx_err_msgsize drop_gso drop_oversize
	it_stop_daemon || it_fail "[$TOPO] translatord exit status"
	"$TOPOLOGY" down --prefix "$IT_PREFIX"
}

# With egress tun, aggregates are written whole: what the daemon wrote
# to the TUN device (its receive side) during one transfer averages far
# more than one MTU per write. tun_rx prints "packets bytes" so far.
tun_rx() {
	ip -n "$XL" -s -j link show "$TUN" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]["rx"]
print(s["packets"], s["bytes"])' 2>/dev/null || echo "0 0"
}

# tun_carried_aggregates "PACKETS BYTES" (before the transfer) LABEL
tun_carried_aggregates() {
	local p0 b0 p1 b1 pk by
	read -r p0 b0 <<<"$1"
	read -r p1 b1 < <(tun_rx)
	pk=$((p1 - p0)) by=$((b1 - b0))
	if [ "$pk" -gt 0 ] && [ $((by / pk)) -gt 3000 ]; then
		it_pass "  $TUN took $pk writes, $((by / pk)) B on average (aggregates)"
	else
		it_fail "  $2: $TUN took $pk writes of $by B in all: no aggregates went through the TUN device"
	fi
}

# xfer FROM TO LISTEN CONNECT LABEL LIMIT WHY: BYTES one way; the
# receiver's largest segment is at most LIMIT; with egress tun aggregates
# went through (IPv4 segments of 1260 bytes or less too: they leave with
# DF=0 and fresh IDs, which the kernel's GSO counts up, RFC 7915 5.1).
xfer() {
	local before
	[ "$EGRESS" = tun ] && before=$(tun_rx)
	it_transfer "$1" "$2" "$3" "$4" "$BYTES" "$5" || return
	it_mss_at_most "$6" "$7"
	if [ "$EGRESS" = tun ]; then
		tun_carried_aggregates "$before" "$5"
	fi
	return 0
}

# both_ways WHAT LIMIT_AT_H4 WHY4 LIMIT_AT_H6 WHY6: BYTES each way.
both_ways() {
	xfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" "[$1] IPv6 -> IPv4" \
		"$2" "$3"
	xfer "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" "[$1] IPv4 -> IPv6" "$4" "$5"
}

# snmp NS PROTO FIELD: a counter of /proc/net/snmp (Ip, Icmp...) or, for
# PROTO Ip6, /proc/net/snmp6.
snmp() {
	if [ "$2" = Ip6 ]; then
		ip netns exec "$1" awk -v f="Ip6$3" '$1 == f { print $2 }' /proc/net/snmp6
		return
	fi
	ip netns exec "$1" awk -v p="$2:" -v f="$3" '$1 == p {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i }
		else { print $c; exit } }' /proc/net/snmp
}

# df0_pings WHERE: 3000-byte pings with DF=0 both ways, fragmented on the
# way and reassembled by the hosts.
df0_pings() {
	local b6 b4
	b6=$(snmp "$H6" Ip6 ReasmOKs)
	it_check "[$1] ping -M dont -s 3000 IPv4 -> IPv6" \
		ip netns exec "$H4" timeout 10 ping -c 3 -i 0.2 -W 2 -s 3000 \
		-M dont "$IT_V4_VIEW_OF_V6"
	if [ "$(snmp "$H6" Ip6 ReasmOKs)" -ge $((b6 + 3)) ]; then
		it_pass "[$1] the IPv6 host reassembled the 3 requests"
	else
		it_fail "[$1] IPv6 host reassemblies: $b6 -> $(snmp "$H6" Ip6 ReasmOKs), expected +3"
	fi
	b4=$(snmp "$H4" Ip ReasmOKs)
	b6=$(snmp "$H6" Ip6 ReasmOKs)
	it_check "[$1] ping -s 3000 IPv6 -> IPv4" \
		ip netns exec "$H6" timeout 10 ping -c 3 -i 0.2 -W 2 -s 3000 \
		"$IT_V6_VIEW_OF_V4"
	if [ "$(snmp "$H4" Ip ReasmOKs)" -ge $((b4 + 3)) ] &&
	   [ "$(snmp "$H6" Ip6 ReasmOKs)" -ge $((b6 + 3)) ]; then
		it_pass "[$1] requests reassembled by the IPv4 host, replies by the IPv6 host"
	else
		it_fail "[$1] reassemblies: IPv4 host $b4 -> $(snmp "$H4" Ip ReasmOKs), IPv6 host $b6 -> $(snmp "$H6" Ip6 ReasmOKs), expected +3 each"
	fi
}

# route_mtu NS DST WANT WHY: the sender's route cache holds a learned MTU.
route_mtu() {
	local got
	got=$(ip netns exec "$1" ip route get "$2" 2>&1 | grep -o 'mtu [0-9]*')
	if [ "$got" = "mtu $3" ]; then
		it_pass "  $4: route cache of the sender says $got"
	else
		it_fail "  $4: route cache of the sender says '${got:-no mtu}', expected mtu $3"
	fi
}

# advmss NS VALUE: the host advertises VALUE as its MSS (more than its own
# link carries), as a host beyond a narrower path would.
advmss() {
	local r fam=-4
	[ "$1" = "$H6" ] && fam=-6
	r=$(ip netns exec "$1" ip "$fam" route show default | head -1)
	# shellcheck disable=SC2086
	ip netns exec "$1" ip "$fam" route change $r advmss "$2"
}

# counter_positive WHY NAME...: the first of the NAMEs the daemon has
# (older names last) moved since it started.
counter_positive() {
	local why=$1 name v
	shift
	it_counters
	for name in "$@"; do
		v=$(it_counter "$name")
		[ -n "$v" ] || continue
		if [ "$v" -gt 0 ]; then
			it_pass "  $why: $name = $v"
		else
			it_fail "  $why: $name = 0"
		fi
		return
	done
	it_fail "  $why: the daemon has none of the counters $*"
}

# counters_moved: aggregates were received and cut into more segments, in
# userspace (gso_segments) or, with egress tun, by the kernel's GSO
# (gso_tun_segments: what the daemon asked for), and the TUN path was
# used exactly when configured.
counters_moved() {
	local agg segs tun user kern
	it_counters
	agg=$(it_counter gso_aggregates)
	user=$(it_counter gso_segments)
	kern=$(it_counter gso_tun_segments)
	segs=$((${user:-0} + ${kern:-0}))
	if [ "${agg:-0}" -gt 0 ] && [ "$segs" -gt "$agg" ]; then
		it_pass "[$TOPO] counters: $agg aggregates in, $segs segments out"
	else
		it_fail "[$TOPO] counters: gso_aggregates=${agg:-absent} gso_segments=${user:-absent} gso_tun_segments=${kern:-absent} (want aggregates > 0, segments > aggregates)"
	fi
	tun=$(it_counter gso_tun_aggregates)
	if [ "$EGRESS" = tun ] && [ "${tun:-0}" -gt 0 ]; then
		it_pass "[$TOPO] gso_tun_aggregates = $tun"
	elif [ "$EGRESS" = raw ] && [ "${tun:-0}" = 0 ] &&
	     [ "$(it_counter tx_tun)" -eq 0 ] 2>/dev/null; then
		it_pass "[$TOPO] egress raw: nothing written to a TUN device"
	else
		it_fail "[$TOPO] egress $EGRESS: gso_tun_aggregates=${tun:-absent} tx_tun=$(it_counter tx_tun)"
	fi
}

# --- 1. far link = the translator's own IPv4 link ---------------------
for n in $MTUS; do
	up 198.51.100.1 --mtu4 "$n"
	both_ways "IPv4 link $n" $((n - 40)) "fits the IPv4 link" \
		$((n - 40)) "ingress cap: no larger than the IPv4 host could send"
	[ "$n" -lt 1500 ] && counter_positive "ingress cap applied" \
		gso_ingress_capped
	if [ "$n" = 1500 ]; then
		counters_moved
		df0_pings "IPv4 link 1500"
		# The 3008-byte IPv4 replies arrive in 1500-byte fragments,
		# 1528 bytes once translated: cut again for the IPv6 link.
		counter_positive "IPv4 fragments cut again for IPv6" \
			fragments_out
	fi
	if [ "$n" = 1280 ]; then
		# The IPv6 host is told it may send 1420-byte segments: the
		# translator must split aggregates and answer single packets
		# with Packet Too Big (1280 + 20).
		advmss "$H4" 1460
		ip netns exec "$H6" ip -6 route flush cache
		xfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" \
			"[IPv4 link 1280, receiver advertises MSS 1460] IPv6 -> IPv4" \
			1240 "fits the IPv4 link"
		ip netns exec "$H6" ip -6 route flush cache
		ip netns exec "$H6" timeout 10 ping -c 1 -W 2 -M do -s 1400 \
			"$IT_V6_VIEW_OF_V4" >"$IT_TMP/ping" 2>&1
		it_check "[IPv4 link 1280] 1448-byte IPv6 ping: Packet Too Big, mtu 1300" \
			grep -q "Packet too big: mtu=1300" "$IT_TMP/ping"
		route_mtu "$H6" "$IT_V6_VIEW_OF_V4" 1300 "after the translator's PTB"
		counter_positive "Packet Too Big counted" icmp_ptb_sent \
			icmp6_errors_sent
		# With mss-clamp the SYN-ACK's MSS 1460 reaches the IPv6 host
		# as 1240: its segments fit without any Packet Too Big.
		it_stop_daemon || it_fail "[$TOPO] translatord exit status"
		conf 198.51.100.1 "mss-clamp yes"
		it_daemon "$IT_TMP/siit.conf"
		ip netns exec "$H6" ip -6 route flush cache
		if it_transfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" \
			$((BYTES / 5)) "[IPv4 link 1280, receiver advertises MSS 1460, mss-clamp yes] IPv6 -> IPv4"; then
			# Without the clamp the MSS would come down too, but
			# only through Packet Too Big: the path MTU tells.
			m=$(it_kv snd_mss "$IT_XFER_SRC")
			p=$(it_kv pmtu "$IT_XFER_SRC")
			if [ "${m:-9999}" -le 1240 ] && [ "$p" = 1500 ]; then
				it_pass "  the IPv6 sender's MSS is $m <= 1240 and its path MTU still 1500 (clamped, no PTB needed)"
			else
				it_fail "  the IPv6 sender's MSS is ${m:-?}, path MTU ${p:-?} (want <= 1240 and 1500: clamped, no PTB needed)"
			fi
		fi
	fi
	down
done

# --- 2. far link = the translator's own IPv6 link ---------------------
for n in $MTUS; do
	[ "$n" = 1500 ] && continue	# the same network as IPv4 link 1500
	up 198.51.100.1 --mtu6 "$n"
	# Through an IPv6 link of 1280 the IPv4 segments are 1260 bytes.
	both_ways "IPv6 link $n" $((n - 60)) "ingress cap: no larger than the IPv6 host could send" \
		$((n - 60)) "fits the IPv6 link"
	counter_positive "ingress cap applied" gso_ingress_capped
	if [ "$n" = 1280 ]; then
		advmss "$H6" 1440
		ip netns exec "$H4" ip route flush cache
		xfer "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" \
			"[IPv6 link 1280, receiver advertises MSS 1440] IPv4 -> IPv6" \
			1220 "fits the IPv6 link"
		ip netns exec "$H4" ip route flush cache
		ip netns exec "$H4" timeout 10 ping -c 1 -W 2 -M do -s 1300 \
			"$IT_V4_VIEW_OF_V6" >"$IT_TMP/ping" 2>&1
		it_check "[IPv6 link 1280] 1328-byte DF ping: Fragmentation Needed, mtu 1260" \
			grep -q "Frag needed and DF set (mtu = 1260)" "$IT_TMP/ping"
		route_mtu "$H4" "$IT_V4_VIEW_OF_V6" 1260 "after the translator's FN"
		counter_positive "Fragmentation Needed counted" \
			icmp_frag_needed_sent icmp4_errors_sent
		# The rate limit: 10 errors/s, bucket of 5. 200 oversize DF
		# DF datagrams in about 2 s may get at most 5 + 10 per second.
		it_stop_daemon || it_fail "[$TOPO] translatord exit status"
		conf 198.51.100.1 "icmp-rate 10" "icmp-burst 5"
		it_daemon "$IT_TMP/siit.conf"
		before=$(snmp "$H4" Icmp InDestUnreachs)
		t0=$(date +%s)
		ip netns exec "$H4" timeout 20 python3 "$NETTOOL" udp-probe \
			"$IT_V4_VIEW_OF_V6" 9 200 1300 --gap 0.01 --timeout 15 \
			>/dev/null 2>&1
		secs=$(($(date +%s) - t0 + 1))
		got=$(($(snmp "$H4" Icmp InDestUnreachs) - before))
		it_counters
		limited=$(awk '$1 ~ /rate|limit/ && $1 ~ /icmp|err/ { print $1 "=" $2 }' \
			"$IT_TMP/counters" | tr '\n' ' ')
		if [ "$got" -ge 5 ] && [ "$got" -le $((5 + 10 * secs)) ]; then
			it_pass "[IPv6 link 1280] icmp-rate 10, icmp-burst 5: $got errors for 200 probes in ~${secs} s"
		else
			it_fail "[IPv6 link 1280] icmp-rate 10, icmp-burst 5: $got errors for 200 probes in ~${secs} s (want 5..$((5 + 10 * secs)))"
		fi
		if printf '%s' "$limited" | grep -Eq '=[1-9]'; then
			it_pass "[IPv6 link 1280] rate-limited errors counted: $limited"
		else
			it_fail "[IPv6 link 1280] no counter of rate-limited ICMP errors moved (${limited:-none exists})"
		fi
		# Only what passed the limit counts as sent.
		sent=$(it_counter icmp4_errors_sent)
		if [ "${sent:-0}" -ge "$got" ] && [ "${sent:-0}" -le $((5 + 10 * secs)) ]; then
			it_pass "[IPv6 link 1280] icmp4_errors_sent $sent: the errors that passed the limit ($got arrived)"
		else
			it_fail "[IPv6 link 1280] icmp4_errors_sent ${sent:-?}, but $got errors arrived, at most $((5 + 10 * secs)) allowed"
		fi
	fi
	down
done

# --- 3. far link beyond an IPv4 router: path MTU discovery ------------
for n in $MTUS; do
	up 203.0.113.1 --router4 --mtu4far "$n"
	both_ways "far IPv4 link $n behind a router" $((n - 40)) \
		"fits the far link" 1440 "fits the IPv6 link"
	# The IPv4 host announces MSS n - 40: the IPv6 host's segments fit
	# the far link, and the translator never cuts bigger than that MSS,
	# so no Fragmentation Needed is needed (the MSS 1460 case below is).
	# The cut is bounded by that MSS once the sender's own size is
	# known, from a segment seen alone; when whole transfers came
	# merged (a loaded machine, several workers) at most two more give
	# it its chance, as below; the check is unchanged.
	for again in 1 2; do
		[ "$n" -lt 1500 ] || break
		it_counters
		[ "$(it_counter gso_peer_mss_capped)" -gt 0 ] 2>/dev/null && break
		xfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" \
			"[far IPv4 link $n behind a router] IPv6 -> IPv4 (again, $again)" \
			$((n - 40)) "fits the far link"
	done
	[ "$n" -lt 1500 ] && counter_positive "segments bounded by the receiver's MSS" \
		gso_peer_mss_capped
	if [ "$n" = 1280 ]; then
		ip netns exec "$H6" ip -6 route flush cache
		df0_pings "far IPv4 link 1280"
		# PMTU discovery end to end: the receiver advertises 1460, only
		# the router's Fragmentation Needed (mtu 1280), translated into
		# Packet Too Big (mtu 1300), can tell the sender.
		advmss "$H4" 1460
		ip netns exec "$H6" ip -6 route flush cache
		ok=0
		xfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" \
			"[far IPv4 link 1280, receiver advertises MSS 1460] DF IPv6 -> IPv4" \
			1240 "fits the far link" && ok=1
		# Only a segment of the sender's own size, seen alone, lets
		# the translator cut bigger than 1260 bytes and meet the
		# router's link; when a whole transfer comes merged (a loaded
		# machine, several workers) there is none and no FN: at most
		# two more transfers give it its chance, the check is unchanged.
		for again in 1 2; do
			[ "$ok" = 1 ] && [ "$(it_kv pmtu "$IT_XFER_SRC")" != 1300 ] ||
				break
			ok=0
			xfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" \
				"[far IPv4 link 1280, receiver advertises MSS 1460] DF IPv6 -> IPv4 (again, $again)" \
				1240 "fits the far link" && ok=1
		done
		if [ "$ok" = 1 ]; then
			if [ "$(it_kv pmtu "$IT_XFER_SRC")" = 1300 ]; then
				it_pass "  the sender's TCP path MTU became 1300"
			else
				it_fail "  the sender's TCP path MTU is $(it_kv pmtu "$IT_XFER_SRC"), expected 1300"
			fi
		fi
		route_mtu "$H6" "$IT_V6_VIEW_OF_V4" 1300 "after the router's FN, translated"
		counter_positive "path MTU learned from the router's FN" \
			pmtu_learned
	fi
	down
done

# --- 4. UDP: UDP_SEGMENT senders, UDP GRO forwarding, GRO lists --------

# big_udp_seen FAMILY DEV: aggregates (> 1500 B) counted by a rule that
# udp_round put before the daemon's in the translator's raw PREROUTING.
big_udp_seen() {
	ip netns exec "$XL" "$1" -t raw -L PREROUTING -v -n -x 2>/dev/null |
		awk -v d="$2" '$0 ~ /length 1501:65535/ && $0 ~ d { print $1; exit }'
}

# udp_round HOW PORT: UDP_COUNT datagrams each way, sent 50 at a time
# with UDP_SEGMENT. HOW "gso": the sender's veth passes each send on as
# one UDP GSO packet; HOW "gro": the sender's veth cuts it (its
# tx-udp-segmentation off) and the translator's veth must merge the
# datagrams again (rx-udp-gro-forwarding / rx-gro-list). Either way
# aggregates reach the translator, which must deliver every datagram.
udp_round() {
	local how=$1 port=$2 from to listen connect ipt dev big label seg=on
	label="UDP_SEGMENT x50"
	if [ "$how" = gro ]; then
		label="$label, cut by the sender's veth, merged by GRO"
		seg=off
	fi
	ip netns exec "$H6" ethtool -K eth0 tx-udp-segmentation "$seg"
	ip netns exec "$H4" ethtool -K eth0 tx-udp-segmentation "$seg"
	for dir in 64 46; do
		if [ "$dir" = 64 ]; then
			from=$H6 to=$H4 listen=0.0.0.0 connect=$IT_V6_VIEW_OF_V4
			ipt=ip6tables dev=v6
		else
			from=$H4 to=$H6 listen=:: connect=$IT_V4_VIEW_OF_V6
			ipt=iptables dev=v4
		fi
		port=$((port + 1))
		ip netns exec "$XL" "$ipt" -t raw -Z PREROUTING 2>/dev/null
		ip netns exec "$to" timeout 30 python3 "$NETTOOL" udp-gso-recv \
			"$listen" "$port" "$UDP_COUNT" "$UDP_SIZE" --timeout 20 \
			>"$IT_TMP/urecv" 2>&1 &
		local rpid=$!
		for _ in $(seq 50); do
			ip netns exec "$to" ss -Hlun "sport = :$port" | grep -q . && break
			sleep 0.1
		done
		ip netns exec "$from" timeout 30 python3 "$NETTOOL" udp-gso-send \
			"$connect" "$port" "$UDP_COUNT" "$UDP_SIZE" --per-send 50 \
			--gap 0.02 --timeout 20 >"$IT_TMP/usend" 2>&1
		wait "$rpid"
		local st=$?
		big=$(big_udp_seen "$ipt" "$dev")
		if [ "$st" = 0 ]; then
			it_pass "[$TOPO] UDP $label ${dir:0:1}->${dir:1:1}: $(cat "$IT_TMP/urecv") ($(cat "$IT_TMP/usend"); ${big:-?} aggregates seen on $dev)"
		else
			it_fail "[$TOPO] UDP $label ${dir:0:1}->${dir:1:1}: $(tr '\n' ' ' <"$IT_TMP/urecv") ($(cat "$IT_TMP/usend"))"
		fi
		if [ "${big:-0}" = 0 ]; then
			it_fail "[$TOPO] UDP $label ${dir:0:1}->${dir:1:1}: no aggregate reached the translator: the test proved nothing"
		fi
	done
}

udp_rules() {
	ip netns exec "$XL" ip6tables -t raw -I PREROUTING 1 -i v6 -p udp \
		-m length --length 1501:65535 &&
	ip netns exec "$XL" iptables -t raw -I PREROUTING 1 -i v4 -p udp \
		-m length --length 1501:65535
}

up 198.51.100.1 --udp-gro-fwd on
udp_rules || it_fail "[$TOPO] counting rules"
udp_round gso 7100
udp_round gro 7200
down

# GRO lists: UDP datagrams and TCP segments merged as fraglist aggregates
# on the translator's veths (and split again before or in the daemon).
up 198.51.100.1 --mtu4 1280 --udp-gro-fwd on --gro-list on
udp_rules || it_fail "[$TOPO] counting rules"
udp_round gso 7300
udp_round gro 7400
both_ways "rx-gro-list, IPv4 link 1280" 1240 "fits the IPv4 link" \
	1240 "ingress cap"
down

it_done
