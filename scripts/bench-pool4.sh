#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-pool4.sh: the cost of new NAT64 bindings as one pool4 address fills
# up (issue 10 item 1), in two ways, no root and no network needed:
#
#   scripts/bench-pool4.sh [--rounds N] [--no-replay]
#
# 1. test/perf/bench_pool4 (built by make): bindings/s at 10 %, 90 % and
#    99.9 % of the 65,535 UDP ports of one address, N new bindings per
#    level (default 100000), each removed again so the fill stays put
#    (per CPU second of the process: wall time is noisy on a shared host).
# 2. transctl replay of scripts/make-flows.py captures: 40,000 and 65,535
#    UDP flows from 8 IPv6 hosts through `pool4 192.0.2.2` (one binding
#    each), with the wall-clock time of each replay.
#
# BUILD: the build directory (default: the source tree). Build without
# --enable-sanitizers for meaningful numbers.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
ROUNDS=100000
REPLAY=1
while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) ROUNDS=$2; shift 2 ;;
	--no-replay) REPLAY=0; shift ;;
	*) echo "usage: $0 [--rounds N] [--no-replay]" >&2; exit 2 ;;
	esac
done

make -s -C "$BUILD" test/perf/bench_pool4 usr/transctl >/dev/null
"$BUILD/test/perf/bench_pool4" "$ROUNDS"
[ "$REPLAY" = 1 ] || exit 0

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf 'mode nat64\npool6 64:ff9b::/96\npool4 192.0.2.2\n' >"$TMP/n.conf"
for n in 40000 65535; do
	python3 "$SRC/scripts/make-flows.py" --flows "$n" "$TMP/in.pcap"
	start=$(date +%s.%N)
	"$BUILD/usr/transctl" replay -c "$TMP/n.conf" "$TMP/in.pcap" \
		"$TMP/out.pcap" | head -1
	end=$(date +%s.%N)
	awk -v n="$n" -v a="$start" -v b="$end" \
		'BEGIN { printf "replay of %u flows: %.2f s\n", n, b - a }'
done
