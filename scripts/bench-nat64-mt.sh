#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP through one shared NAT64 state with 1 and 2 translating threads
# (issue 12): packets/s, thread CPU per packet and the contention of the
# state's lock, against one state per thread. A figure, not a test.
# Usage: scripts/bench-nat64-mt.sh [BUILD-DIR [RUNS [SECONDS]]]
#
# The figures of two threads mean something only when both ran at once:
# look at "on cpu" (2.00 = two CPUs the whole time); on a machine shared
# with other work, run it a few times (RUNS) and keep the rows near 2.
set -eu
build=${1:-.}
runs=${2:-3}
secs=${3:-1}
bin=$build/test/perf/bench_nat64_mt
if [ ! -x "$bin" ]; then
	echo "error: $bin not built (make test/perf/bench_nat64_mt)" >&2
	exit 1
fi
echo "# $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$runs" ]; do
	"$bin" "$secs" 2
	i=$((i + 1))
done
