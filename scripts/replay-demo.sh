#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Demo until the daemon exists: translates examples/sample.pcap offline
# with examples/siit.conf and shows what went in and what came out.
#
# Uses the transctl of an existing build (in place, or .ci/run's
# build-plain); without one it builds out of tree in build-demo, first
# installing the build dependencies when run as root (sudo).
set -eu
cd "$(dirname "$0")/.."

find_transctl() {
	for t in usr/transctl build-plain/usr/transctl build-demo/usr/transctl; do
		if [ -x "$t" ]; then
			echo "$t"
			return
		fi
	done
}

build() {
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "== installing build dependencies"
		bash .ci/run --deps-only
	fi
	echo "== building"
	[ -x configure ] || ./autogen.sh
	jobs=$(nproc 2>/dev/null || echo 2)
	if [ -f config.status ]; then
		make -j"$jobs"	# configured in place by a developer
	else
		mkdir -p build-demo
		(cd build-demo && { [ -f Makefile ] || ../configure; } &&
			make -j"$jobs")
	fi
}

transctl=$(find_transctl)
if [ -z "$transctl" ]; then
	build
	transctl=$(find_transctl)
fi

out=$(mktemp /tmp/replay-demo.XXXXXX.pcap)
echo "== $transctl replay -c examples/siit.conf examples/sample.pcap $out"
"$transctl" replay -c examples/siit.conf examples/sample.pcap "$out"

if command -v tcpdump >/dev/null 2>&1; then
	echo "== in: examples/sample.pcap"
	tcpdump -nr examples/sample.pcap 2>/dev/null
	echo "== out: $out"
	tcpdump -nr "$out" 2>/dev/null
else
	echo "(install tcpdump to see the packets: apt-get install tcpdump)"
fi
echo "== the output is kept in $out"
