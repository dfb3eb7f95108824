#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20 MB over TCP each way through translatord, checked with SHA-256:
# first with the kernel's default offloads (GSO aggregates reach the TCP
# queue whole and are split here), then with a 1280-byte IPv6 link and
# offloads off, where a DF ping that does not fit gets the translator's
# Fragmentation Needed with the right MTU.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
BYTES=${IT_TCP_BYTES:-20000000}
it_init

# transfer FROM_NS TO_NS LISTEN_ADDR CONNECT_ADDR PORT LABEL
transfer() {
	local from=$1 to=$2 listen=$3 connect=$4 port=$5 label=$6 i
	ip netns exec "$to" timeout 60 python3 "$NETTOOL" tcp-sink "$listen" \
		"$port" --timeout 50 >"$IT_TMP/sink" 2>&1 &
	local sink=$!
	for i in $(seq 50); do
		ip netns exec "$to" ss -Hltn "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$from" timeout 60 python3 "$NETTOOL" tcp-source \
		"$connect" "$port" "$BYTES" --timeout 50 >"$IT_TMP/source" 2>&1
	local src_status=$?
	wait "$sink"
	local sink_status=$?
	if [ "$src_status" = 0 ] && [ "$sink_status" = 0 ] &&
	   [ -s "$IT_TMP/source" ] && cmp -s "$IT_TMP/source" "$IT_TMP/sink"; then
		it_pass "$label: $(cut -c1-24 "$IT_TMP/sink")..."
	else
		it_fail "$label (source exit $src_status, sink exit $sink_status)"
		echo "    sent:     $(cat "$IT_TMP/source")"
		echo "    received: $(cat "$IT_TMP/sink")"
	fi
}

run_both_ways() {
	transfer "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" 5001 "$1: IPv6 -> IPv4"
	transfer "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" 5002 "$1: IPv4 -> IPv6"
}

it_topology
it_daemon "$srcdir/examples/demo-siit.conf"
run_both_ways "default offloads"
segs=$(it_stat gso_segments)
echo "    (aggregates split into ${segs:-0} segments)"
it_stop_daemon || it_fail "translatord exit status"
"$TOPOLOGY" down --prefix "$IT_PREFIX"

it_topology --mtu6 1280 --gro off --tso off
it_daemon "$srcdir/examples/demo-siit.conf"
run_both_ways "IPv6 MTU 1280, offloads off"
# 1328 bytes with DF become 1348 in IPv6: too big for 1280.
ip netns exec "$H4" timeout 10 ping -c 1 -W 2 -M do -s 1300 \
	"$IT_V4_VIEW_OF_V6" >"$IT_TMP/ping" 2>&1
it_check "DF ping over the IPv6 MTU gets Fragmentation Needed (mtu 1260)" \
	grep -q "Frag needed and DF set (mtu = 1260)" "$IT_TMP/ping"
it_done
