#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh: translatord on live traffic, as root, in throw-away network
# namespaces (scripts/topology.sh): an IPv6-only host pings and sends
# 20 MB over TCP to an IPv4-only host through the translator, and back.
# Builds the tree first if needed; prints the translator's counters; tears
# everything down at the end, also on failure or Ctrl-C.
#
#   sudo scripts/demo.sh            (BUILD=DIR if you build out of tree)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}	# tried first; see build()
PREFIX="demo$$"
H6="$PREFIX-h6" XL="$PREFIX-xl" H4="$PREFIX-h4"
TMP=
DAEMON=
NETTOOL="$SRC/test/integration/nettool.py"

step() { printf '\n== %s\n' "$*"; }

cleanup() {
	set +e
	if [ -n "$DAEMON" ] && kill -0 "$DAEMON" 2>/dev/null; then
		kill -TERM "$DAEMON"
		for _ in $(seq 50); do
			kill -0 "$DAEMON" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$DAEMON" 2>/dev/null
	fi
	"$SRC/scripts/topology.sh" down --prefix "$PREFIX" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

# Finds a build (in place, .ci/run's build-plain, or build-demo); without
# one, installs the dependencies (.ci/run --deps-only) and builds out of
# tree in build-demo, so that the source tree stays unconfigured for
# .ci/run.
build() {
	local b

	for b in "$BUILD" "$SRC/build-plain" "$SRC/build-demo"; do
		if [ -f "$b/Makefile" ]; then
			BUILD=$b
			make -C "$BUILD" -s -j2 translator/translatord usr/transctl
			return
		fi
	done
	step "installing dependencies and building (first run)"
	bash "$SRC/.ci/run" --deps-only
	[ -x "$SRC/configure" ] || (cd "$SRC" && ./autogen.sh)
	BUILD="$SRC/build-demo"
	mkdir -p "$BUILD"
	(cd "$BUILD" && "$SRC/configure" -q)
	make -C "$BUILD" -s -j2
}

ctl() {
	timeout 20 python3 "$NETTOOL" ctl "$TMP/ctl.sock" "$@"
}

start_daemon() {
	ip netns exec "$XL" "$BUILD/translator/translatord" \
		-c "$SRC/examples/demo-siit.conf" --control "$TMP/ctl.sock" \
		2>"$TMP/translatord.log" &
	DAEMON=$!
	for _ in $(seq 100); do
		ctl status >/dev/null 2>&1 && return 0
		kill -0 "$DAEMON" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/translatord.log" >&2
	echo "demo: translatord did not start" >&2
	exit 1
}

# transfer FROM TO LISTEN CONNECT PORT: 20 MB, SHA-256 on both ends.
transfer() {
	ip netns exec "$2" timeout 60 python3 "$NETTOOL" tcp-sink "$3" "$5" \
		--timeout 50 >"$TMP/sink" &
	local sink=$!
	for _ in $(seq 50); do
		ip netns exec "$2" ss -Hltn "sport = :$5" | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$1" timeout 60 python3 "$NETTOOL" tcp-source "$4" "$5" \
		20000000 --timeout 50 >"$TMP/source"
	wait "$sink"
	echo "sent:     $(cat "$TMP/source")"
	echo "received: $(cat "$TMP/sink")"
	cmp -s "$TMP/source" "$TMP/sink" || { echo "demo: MISMATCH" >&2; exit 1; }
	echo "SHA-256 equal"
}

[ "$(id -u)" = 0 ] || { echo "demo: run as root (sudo $0)" >&2; exit 1; }
trap cleanup EXIT
trap 'exit 130' INT TERM
TMP=$(mktemp -d)
build

step "network: $H6 (IPv6 only) -- $XL (translator) -- $H4 (IPv4 only)"
"$SRC/scripts/topology.sh" up --prefix "$PREFIX" >/dev/null
start_daemon
echo "translatord running (pid $DAEMON); its rules:"
ctl rules | tail -n +2 | sed 's/^/  /'

step "ping from the IPv6 host to 198.51.100.2 as 2001:db8:1c6:3364:2::"
ip netns exec "$H6" ping -c 3 -i 0.2 -W 2 2001:db8:1c6:3364:2::
step "ping from the IPv4 host to 2001:db8:1c0:2:21:: as 192.0.2.33"
ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 192.0.2.33

step "TCP, 20 MB, IPv6 host -> IPv4 host"
transfer "$H6" "$H4" 0.0.0.0 2001:db8:1c6:3364:2:: 5001
step "TCP, 20 MB, IPv4 host -> IPv6 host"
transfer "$H4" "$H6" :: 192.0.2.33 5002

step "translatord counters (non-zero)"
ctl stats | tail -n +2 | awk -F'\t' '$3 != 0 { printf "  %-7s %-26s %10s  %s\n", $1, $2, $3, $4 }'

step "stopping translatord (it removes its rules)"
kill -TERM "$DAEMON"
wait "$DAEMON" || true
DAEMON=
sed 's/^/  /' "$TMP/translatord.log"
echo "demo: done"
