#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# transctl stats --prometheus: the text of every real counter, summed and
# per worker (test/unit/test_stats_prom --dump), through a strict parser
# of the exposition format 0.0.4 (prometheus.py) that also checks each
# value against the daemon's body it came from. No root, no daemon.
srcdir=${srcdir:-$(dirname "$0")/../..}
dump=${TEST_STATS_PROM:-./test/unit/test_stats_prom}
fail=0

[ -x "$dump" ] || { echo "SKIP: build $dump first"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

for mode in sums workers; do
	if ! "$dump" --dump "$mode" "$tmp/body" >"$tmp/prom"; then
		echo "FAIL: $dump --dump $mode"
		fail=1
		continue
	fi
	if ! python3 "$srcdir/test/docs/prometheus.py" --mode "$mode" \
		--body "$tmp/body" "$tmp/prom"; then
		echo "FAIL: $mode:"
		head -20 "$tmp/prom" | sed 's/^/    /'
		fail=1
	fi
done

[ $fail = 0 ] && echo "PASS: prometheus.sh"
exit $fail
