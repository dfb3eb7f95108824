#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each libFuzzer harness (built with --enable-fuzzing) over its seed
# corpus, then fuzzes it for FUZZ_SECONDS (default 20) from there. New
# inputs go to a scratch copy of the corpus, never into the source tree;
# a crash leaves its input in test/fuzz/NAME-crash-* of the build tree
# and fails the test. Run it from the top build directory (make check
# does). FUZZ_HARNESSES narrows the list (e.g. "fuzz_xlat").
set -u
src=${srcdir:-$(dirname "$0")/../..}/test/fuzz
secs=${FUZZ_SECONDS:-20}
list=${FUZZ_HARNESSES:-"fuzz_xlat fuzz_nat64 fuzz_config fuzz_control"}
# fuzz_import exists when transctl import does (libjansson).
[ -n "${FUZZ_HARNESSES:-}" ] || [ ! -x test/fuzz/fuzz_import ] ||
	list="$list fuzz_import"
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
rc=0
for h in $list; do
	bin=test/fuzz/$h	# tests run from the top build directory
	if [ ! -x "$bin" ]; then
		echo "$h: not built (configure --enable-fuzzing)"
		exit 77
	fi
	dict=
	case $h in
	fuzz_config) dict=-dict=$src/config.dict ;;
	fuzz_control) dict=-dict=$src/control.dict ;;
	fuzz_import) dict=-dict=$src/import.dict ;;
	esac
	mkdir -p "$work/$h"
	cp "$src/corpus/$h"/* "$work/$h/" 2>/dev/null
	echo "== $h: the seeds, then $secs s"
	# shellcheck disable=SC2086
	if ! "$bin" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="test/fuzz/$h-" \
		"$work/$h" > "$work/$h.log" 2>&1; then
		tail -n 60 "$work/$h.log"
		echo "FAIL: $h (input saved as test/fuzz/$h-crash-*)"
		rc=1
		continue
	fi
	grep -E '^stat::number_of_executed_units|^Done' "$work/$h.log"
done
exit $rc
