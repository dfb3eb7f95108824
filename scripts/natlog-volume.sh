#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# natlog-volume.sh: NAT64 log lines per 1,000 flows, with and without
# port blocks (docs/nat-logging.md quotes the figures).
#
#   scripts/natlog-volume.sh [BUILD_DIR]      (default: build)
#
# Runs test/unit/test_nat64_log, whose test_volume makes 1,000 UDP flows
# from 10 IPv6 hosts (each in its own /64, 100 flows each) through the
# NAT64 state with logging-bib and logging-session, lets them all expire
# on the test's clock, and counts the lines the logging hook received:
# without blocks, with pool4-block-size 128 and with 64. The test asserts
# the counts (2000, 20, 40 BIB/block lines; 2000 session lines) and
# prints them; this prints that line. Needs a build (make check builds
# the test; `make test/unit/test_nat64_log` alone is enough).
set -euo pipefail
build=${1:-build}
bin="$build/test/unit/test_nat64_log"
if [ ! -x "$bin" ]; then
	make -C "$build" test/unit/test_nat64_log >/dev/null
fi
out=$("$bin" 2>&1) || {
	echo "$out"
	echo "natlog-volume: test_nat64_log failed" >&2
	exit 1
}
line=$(printf '%s\n' "$out" | grep '^natlog-volume:')
echo "$line"
# In one table: lines per 1,000 flows (made and removed).
printf '%s\n' "$line" | awk '{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "%-40s %8s %10s\n", "per 1,000 flows (10 hosts)", "BIB/block", "+sessions"
	printf "%-40s %8d %10d\n", "one line per binding", v["bib"], v["bib"] + v["sessions"]
	printf "%-40s %8d %10d\n", "pool4-block-size 128", v["blocks128"], v["blocks128"] + v["sessions"]
	printf "%-40s %8d %10d\n", "pool4-block-size 64", v["blocks64"], v["blocks64"] + v["sessions"]
}'
