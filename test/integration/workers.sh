#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `workers 2`: the rules spread flows over both workers (parallel TCP
# streams between the same two hosts on different ports, UDP flows), each
# worker's two queues receive packets (the kernel's per-queue counters and
# `transctl stats --workers`), streams stay whole (SHA-256) while the
# configuration is reloaded and the EAMT changed under them, and SIGTERM
# stops every worker within 2 s, in mode siit and in mode nat64 (a
# previous attempt hung there).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/siit.conf"
cp "$srcdir/examples/demo-siit.conf" "$CONF"
echo "workers 2" >>"$CONF"
STREAMS=6
BYTES=$((4 * 1024 * 1024))
PORT0=5600

# streams FROM TO LISTEN CONNECT LABEL: STREAMS parallel TCP transfers
# (ports PORT0...), each checked by size and SHA-256.
streams() {
	local from=$1 to=$2 listen=$3 connect=$4 label=$5 i ok=0 p
	local pids=()
	for i in $(seq "$STREAMS"); do
		p=$((PORT0 + i))
		ip netns exec "$to" timeout 70 python3 "$NETTOOL" xfer-sink \
			"$listen" "$p" --timeout 60 --idle 15 \
			>"$IT_TMP/sink$i" 2>&1 &
		pids+=($!)
	done
	for i in $(seq "$STREAMS"); do
		p=$((PORT0 + i))
		it_wait_for 5 sh -c "ip netns exec '$to' ss -Hltn 'sport = :$p' | grep -q ."
	done
	for i in $(seq "$STREAMS"); do
		ip netns exec "$from" timeout 70 python3 "$NETTOOL" \
			xfer-source "$connect" $((PORT0 + i)) "$BYTES" \
			--timeout 60 --idle 15 >"$IT_TMP/src$i" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in $(seq "$STREAMS"); do
		local src sink
		src=$(tail -1 "$IT_TMP/src$i")
		sink=$(tail -1 "$IT_TMP/sink$i")
		if [ "$(it_kv bytes "$sink")" = "$BYTES" ] &&
		   [ "$(it_kv sha256 "$sink")" = "$(it_kv sha256 "$src")" ]; then
			ok=$((ok + 1))
		else
			echo "    stream $i: source: $src"
			echo "    stream $i: sink:   $sink"
		fi
	done
	[ "$ok" = "$STREAMS" ] &&
		it_pass "$label: $STREAMS parallel streams of $BYTES B, sha256 equal" ||
		it_fail "$label: $ok of $STREAMS streams whole"
	PORT0=$((PORT0 + STREAMS))
}

# udp_flows FROM TO LISTEN CONNECT: 16 UDP request/response flows, each
# on its own port.
udp_flows() {
	local from=$1 to=$2 listen=$3 connect=$4 p ok=0 echo_pid
	for p in $(seq 7100 7115); do
		ip netns exec "$to" timeout 20 python3 "$NETTOOL" udp-echo \
			"$listen" "$p" 10 --timeout 10 >/dev/null 2>&1 &
		echo_pid=$!
		it_wait_for 5 sh -c "ip netns exec '$to' ss -Hlun 'sport = :$p' | grep -q ."
		ip netns exec "$from" timeout 20 python3 "$NETTOOL" udp-ask \
			"$connect" "$p" 3 --timeout 10 >/dev/null 2>&1 &&
			ok=$((ok + 1))
		kill "$echo_pid" 2>/dev/null
		wait "$echo_pid" 2>/dev/null
	done
	[ "$ok" = 16 ] && it_pass "16 UDP flows answered" ||
		it_fail "$ok of 16 UDP flows answered"
}

# kqueue N: packets the kernel handed to queue N so far (id_sequence).
kqueue() {
	ip netns exec "$XL" awk -v q="$1" '$1 == q { print $8 }' \
		/proc/net/netfilter/nfnetlink_queue
}

# wstat GROUP NAME: one counter of `transctl stats --workers`.
wstat() {
	it_tctl stats --workers | awk -v g="$1" -v n="$2" \
		'$1 == g && $2 == n { print $3 }'
}

# stop_within LABEL: SIGTERM, exit 0 within 2 s, rules gone.
stop_within() {
	local t0 t1 i status
	t0=$(date +%s%N)
	kill -TERM "$IT_DAEMON_PID"
	for i in $(seq 40); do
		kill -0 "$IT_DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	t1=$(date +%s%N)
	if kill -0 "$IT_DAEMON_PID" 2>/dev/null; then
		it_fail "$1: still running 2 s after SIGTERM"
		kill -KILL "$IT_DAEMON_PID"
		wait "$IT_DAEMON_PID" 2>/dev/null
		IT_DAEMON_PID=
		return
	fi
	wait "$IT_DAEMON_PID"
	status=$?
	IT_DAEMON_PID=
	[ "$status" = 0 ] && [ "$(it_queue_rules)" = 0 ] &&
		it_pass "$1: stopped in $(((t1 - t0) / 1000000)) ms, exit 0, rules gone" ||
		it_fail "$1: exit $status, $(it_queue_rules) rules left"
}

# ------------------------------------------------------------ mode siit
it_daemon "$CONF"
it_tctl status >"$IT_TMP/status"
it_check "status: workers 2, a line per worker" sh -c \
	"grep -qx 'workers 2' '$IT_TMP/status' &&
	 grep -q '^worker_0 queues 64 128 cpu [0-9-]* packets ' '$IT_TMP/status' &&
	 grep -q '^worker_1 queues 65 129 cpu [0-9-]* packets ' '$IT_TMP/status'"
it_check "a spread chain per class, HMARK in each" sh -c \
	"[ \$(ip netns exec '$XL' sh -c 'iptables -t raw -S; ip6tables -t raw -S' |
	     grep -c -- '-j HMARK') = 4 ]"
streams "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" "TCP IPv6 -> IPv4"
streams "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" "TCP IPv4 -> IPv6"
udp_flows "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4"
udp_flows "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6"
for q in 64 65 128 129; do
	n=$(kqueue "$q")
	[ "${n:-0}" -gt 0 ] && it_pass "queue $q received $n packets" ||
		it_fail "queue $q received nothing"
done
for w in 0 1; do
	n=$(wstat "worker$w" nfq_rx)
	[ "${n:-0}" -gt 0 ] && it_pass "worker $w counted $n packets (stats --workers)" ||
		it_fail "worker $w counted ${n:-no} packets"
done
# Each SYN's MSS went to the other worker too (daemon_worker.c's notes).
n=$(it_stat worker_notes)
[ "${n:-0}" -gt 0 ] && it_pass "workers told each other $n MSS/PMTU notes" ||
	it_fail "no note between the workers"
total=$(it_stat nfq_rx)
sum=$(($(wstat worker0 nfq_rx) + $(wstat worker1 nfq_rx)))
[ "$total" -ge "$sum" ] && [ "$sum" -gt 0 ] &&
	it_pass "stats sums the workers ($total >= $sum)" ||
	it_fail "stats nfq_rx $total, workers' sum $sum"

# Reloads and EAMT changes while streams run. The entries map other
# hosts than the streams' (one for H6 would change their source address
# and reset them: that is what an EAMT entry is for).
(
	for i in 1 2 3; do
		sleep 0.2
		it_tctl eamt add 2001:db8:fffe::5/128 203.0.113.9/32 || exit 1
		it_tctl reload || exit 1
		it_tctl eamt add 2001:db8:ffff::/120 203.0.113.0/30 || exit 1
		it_tctl eamt remove 2001:db8:ffff::/120 || exit 1
	done
) >"$IT_TMP/changes" 2>&1 &
changes=$!
streams "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" "TCP IPv6 -> IPv4 during reloads and EAMT changes"
wait "$changes" && it_pass "3 reloads and 9 EAMT changes under traffic" ||
	{ it_fail "changes under traffic"; sed 's/^/    /' "$IT_TMP/changes"; }
it_check "ping after the changes" ip netns exec "$H6" timeout 10 \
	ping -c 2 -i 0.2 -W 2 "$IT_V6_VIEW_OF_V4"

# A stop under traffic.
ip netns exec "$H6" timeout 20 ping -f -W 1 -w 10 "$IT_V6_VIEW_OF_V4" \
	>/dev/null 2>&1 &
flood=$!
sleep 1
stop_within "siit, under a ping flood"
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null

# ----------------------------------------------------------- mode nat64
it_nat64_conf "$IT_TMP/nat64.conf" "workers 2"
it_daemon "$IT_TMP/nat64.conf"
STREAMS=4
streams "$H6" "$H4" 0.0.0.0 "$IT_NAT64_V4" "NAT64 TCP IPv6 -> IPv4"
it_check "NAT64 ping" ip netns exec "$H6" timeout 10 \
	ping -c 2 -i 0.2 -W 2 "$IT_NAT64_V4"
it_check "NAT64: reload" it_tctl reload
ip netns exec "$H6" timeout 20 ping -f -W 1 -w 10 "$IT_NAT64_V4" \
	>/dev/null 2>&1 &
flood=$!
sleep 1
stop_within "nat64, under a ping flood"
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
it_daemon "$IT_TMP/nat64.conf"
stop_within "nat64, idle"
it_done
