#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# core-cost.sh: instructions the translation core spends per packet
# (issue 12: <= 300 for a plain UDP/TCP packet in SIIT), counted by
# callgrind, no root and no network needed:
#
#   scripts/core-cost.sh [--count N] [--top K] [ROW...]
#
# It builds test/perf/core_cost (make, in BUILD: default the source
# tree; configure without --enable-sanitizers, and keep the default -O2,
# for meaningful counts) and runs it under valgrind --tool=callgrind once
# per row: N packets (default 10000) of plain UDP or TCP, 64 bytes of
# IPv4 / 84 of IPv6, translated by xlat_packet(). Only what runs inside
# xlat_packet() is collected (--toggle-collect=xlat_packet: the core and
# what it calls, nothing of the driver). Rows (core_cost --list):
# SIIT with both addresses under pool6 (a /96) or both in the EAMT, UDP
# and TCP, each direction; one NAT64 row (UDP 6->4 through established
# sessions) for information. Prints instructions per packet for each
# row, then the top K (default 12) functions by their own instructions
# per packet for each row. Figures only: it never fails on a count.
#
# Plain packets take the core's fast path (translator/core/xlat_fast.c);
# CORE_COST_NO_FAST=1 sends them through the general path instead (the
# figures before the fast path; core_cost --digest must not change).
# CORE_COST_KEEP=DIR keeps the callgrind.out files there.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
COUNT=10000
TOP=12
ROWS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--count) COUNT=$2; shift 2 ;;
	--top) TOP=$2; shift 2 ;;
	-h|--help) sed -n '3,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "usage: $0 [--count N] [--top K] [ROW...]" >&2; exit 2 ;;
	*) ROWS+=("$1"); shift ;;
	esac
done
command -v valgrind >/dev/null || {
	echo "$0: valgrind not found (apt-get install valgrind)" >&2; exit 1; }

make -s -C "$BUILD" test/perf/core_cost >/dev/null
BIN=$BUILD/test/perf/core_cost
[ ${#ROWS[@]} -gt 0 ] || mapfile -t ROWS < <("$BIN" --list)
COLLECT=(--collect-atstart=no --toggle-collect=xlat_packet)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=${CORE_COST_KEEP:-$TMP}
mkdir -p "$OUT"

# Total instructions of one callgrind.out file.
total_ir() {
	awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

printf '%-22s %10s %14s\n' row "Ir/packet" "Ir (total)"
for row in "${ROWS[@]}"; do
	f=$OUT/callgrind.out.$row
	valgrind --tool=callgrind "${COLLECT[@]}" --callgrind-out-file="$f" \
		"$BIN" "$row" "$COUNT" >"$TMP/$row.log" 2>&1 || {
		echo "$row: core_cost failed:" >&2; tail -5 "$TMP/$row.log" >&2
		exit 1; }
	ir=$(total_ir "$f")
	printf '%-22s %10.1f %14s\n' "$row" \
		"$(echo "$ir / $COUNT" | bc -l)" "$ir"
done

for row in "${ROWS[@]}"; do
	echo
	echo "== $row: top $TOP functions, own instructions per packet"
	callgrind_annotate --inclusive=no "$OUT/callgrind.out.$row" 2>/dev/null |
		awk -v n="$COUNT" -v top="$TOP" '
		/^-+$/ { dash++; next }
		dash >= 3 && NF >= 2 && $1 ~ /^[0-9,]+$/ && !/PROGRAM TOTALS/ && shown < top {
			ir = $1; gsub(",", "", ir)
			fn = $0; sub(/^ *[0-9,]+ +(\([^)]*\) +)?/, "", fn)
			sub(/ \[.*\]$/, "", fn)
			printf "  %8.1f  %s\n", ir / n, fn; shown++
		}'
done
