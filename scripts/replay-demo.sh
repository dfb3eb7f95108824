#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Demo until the daemon exists: translates examples/sample.pcap offline
# with examples/siit.conf and shows what went in and what came out.
# Builds the tree first when usr/transctl is missing. Needs no root.
set -eu
cd "$(dirname "$0")/.."

if [ ! -x usr/transctl ]; then
	echo "== building (usr/transctl not found)"
	[ -x configure ] || ./autogen.sh
	[ -f Makefile ] || ./configure
	make -j"$(nproc 2>/dev/null || echo 2)"
fi

out=$(mktemp /tmp/replay-demo.XXXXXX.pcap)
echo "== usr/transctl replay -c examples/siit.conf examples/sample.pcap $out"
usr/transctl replay -c examples/siit.conf examples/sample.pcap "$out"

if command -v tcpdump >/dev/null 2>&1; then
	echo "== in (examples/sample.pcap)"
	tcpdump -nr examples/sample.pcap 2>/dev/null
	echo "== out ($out)"
	tcpdump -nr "$out" 2>/dev/null
else
	echo "(install tcpdump to see the packets: apt-get install tcpdump)"
fi
echo "== output kept in $out"
