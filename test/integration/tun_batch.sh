#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TUN egress in io_uring batches (tun-batch, translator/daemon/tun_batch.c):
# a burst of numbered UDP datagrams of one flow, each way, arrives in the
# order sent (losses allowed, never reordering); the daemon submitted
# batches (tx_tun_batches) and no TUN write failed; then the same with
# `tun-batch 0` (one writev per packet: no batch). Without io_uring in the
# kernel (or a build without liburing) the batched half reports that.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology

BURST=3000

# burst FROM_NS TO_NS LISTEN DST PORT LABEL: BURST datagrams, in order?
burst() {
	rm -f "$IT_TMP/ready"
	ip netns exec "$2" timeout 30 python3 - "$3" "$5" "$BURST" \
		"$IT_TMP/ready" >"$IT_TMP/recv" 2>&1 <<-'EOF' &
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
	s.bind((sys.argv[1], int(sys.argv[2])))
	s.settimeout(3)
	open(sys.argv[4], "w").close()
	last, got, bad = -1, 0, 0
	try:
	    while got < int(sys.argv[3]):
	        n = int.from_bytes(s.recv(64)[:4], "big")
	        bad += n <= last
	        last, got = n, got + 1
	except socket.timeout:
	    pass
	print(got, bad)
	EOF
	local rpid=$! i
	# Bound before the burst starts (a loaded machine starts python
	# slowly): at most 10 s.
	for i in $(seq 100); do
		[ -e "$IT_TMP/ready" ] && break
		sleep 0.1
	done
	ip netns exec "$1" timeout 20 python3 - "$4" "$5" "$BURST" <<-'EOF'
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_DGRAM)
	pad = bytes(60)
	for i in range(int(sys.argv[3])):
	    s.sendto(i.to_bytes(4, "big") + pad, (sys.argv[1], int(sys.argv[2])))
	EOF
	wait "$rpid"
	read -r got bad <"$IT_TMP/recv"
	if [ "${bad:-1}" = 0 ] && [ "${got:-0}" -ge $((BURST / 2)) ]; then
		it_pass "$6: $got of $BURST in order"
	else
		it_fail "$6: received ${got:-?} of $BURST, ${bad:-?} out of order"
	fi
}

# run LABEL: both directions, then the TUN counters.
run() {
	burst "$H6" "$H4" 0.0.0.0 "$IT_V6_VIEW_OF_V4" 7101 "$1, IPv6 -> IPv4"
	burst "$H4" "$H6" :: "$IT_V4_VIEW_OF_V6" 7102 "$1, IPv4 -> IPv6"
	TX=$(it_stat tx_tun) ERR=$(it_stat tx_tun_errors)
	BATCHES=$(it_stat tx_tun_batches)
	DIRECT=$(it_stat tx_direct) COPIED=$(it_stat tx_copied_bytes)
	if [ "${TX:-0}" -ge "$BURST" ] && [ "${ERR:-1}" = 0 ]; then
		it_pass "$1: tx_tun $TX, tx_tun_errors 0"
	else
		it_fail "$1: tx_tun ${TX:-?}, tx_tun_errors ${ERR:-?}"
	fi
}

{ cat "$srcdir/examples/demo-siit.conf"; echo "egress tun"; } \
	>"$IT_TMP/batch.conf"
it_daemon "$IT_TMP/batch.conf"
run "tun-batch 32 (default)"
if grep -q "TUN batch" "$IT_TMP/daemon.log"; then
	echo "batching unavailable: $(grep -m1 "TUN batch" "$IT_TMP/daemon.log")"
elif [ "${BATCHES:-0}" -gt 0 ] && [ "$BATCHES" -lt "$TX" ]; then
	it_pass "batched: $TX packets in $BATCHES submissions"
else
	it_fail "batched: tx_tun_batches ${BATCHES:-?} for tx_tun ${TX:-?}"
fi
# One copy per packet: each written by the core into its io_uring slot.
if grep -q "TUN batch" "$IT_TMP/daemon.log"; then
	:
elif [ "${DIRECT:-0}" = "$TX" ] && [ "${COPIED:-1}" = 0 ]; then
	it_pass "batched, one copy: tx_direct $DIRECT of $TX, tx_copied_bytes 0"
else
	it_fail "batched, one copy: tx_direct ${DIRECT:-?} of $TX," \
		"tx_copied_bytes ${COPIED:-?}"
fi
it_stop_daemon || it_fail "translatord exit status"

{ cat "$IT_TMP/batch.conf"; echo "tun-batch 0"; } >"$IT_TMP/one.conf"
it_daemon "$IT_TMP/one.conf"
run "tun-batch 0"
if [ "${BATCHES:-1}" = 0 ]; then
	it_pass "tun-batch 0: no submission, one writev each"
else
	it_fail "tun-batch 0: tx_tun_batches ${BATCHES:-?}"
fi
# No slot: writev(2) from the core's arena, still no copy of ours.
if [ "${DIRECT:-1}" = 0 ] && [ "${COPIED:-1}" = 0 ]; then
	it_pass "tun-batch 0: tx_direct 0, tx_copied_bytes 0"
else
	it_fail "tun-batch 0: tx_direct ${DIRECT:-?}, tx_copied_bytes ${COPIED:-?}"
fi
it_done
