#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# translatord's counters for node_exporter's textfile collector: run it
# as root every 15-60 s (a cron job or a systemd timer), with
# node_exporter started with --collector.textfile.directory=DIR.
#
#   prometheus-textfile.sh [DIR] [transctl stats options...]
#
# DIR defaults to /var/lib/prometheus/node-exporter. The file is written
# next to its final name and renamed over it (same file system: the
# rename is atomic), so node_exporter never reads half a scrape; when
# translatord does not answer, the old file is removed rather than left
# stale, and the script fails. Extra options go to `transctl stats`:
# --workers for one series per worker (label worker="N", "main" for the
# main thread; sum without (worker) for the totals), --control PATH.
set -eu

dir=${1:-/var/lib/prometheus/node-exporter}
[ $# -gt 0 ] && shift
transctl=${TRANSCTL:-transctl}
out="$dir/translator.prom"
tmp="$dir/.translator.prom.$$"

trap 'rm -f "$tmp"' EXIT
if "$transctl" stats --prometheus "$@" >"$tmp"; then
	chmod 0644 "$tmp"
	mv -f "$tmp" "$out"
else
	rm -f "$out"
	exit 1
fi
