#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# daemon-cost.sh: translatord's user-space instructions per packet, exact
# (valgrind callgrind), where CPU times on a shared machine are noise.
#
#   sudo [BUILD=DIR] scripts/daemon-cost.sh [raw|tun] [SIZE] [6>4|4>6]
#
# One worker, examples/demo-siit.conf with `egress raw|tun` (default
# raw), on the network of scripts/topology.sh; test/perf/udpflood sends
# SIZE-byte datagrams (default 64) over 64 flows for 3 s (default IPv6 ->
# IPv4). Prints the packets the worker took (nfq_rx) and, per packet, the
# inclusive instructions of daemon_pkt_handle (checks, translation, MTU
# peek, queueing into the egress batch; not the system calls), of
# xlat_packet, and of egress_queue / tun_batch_add (the copy into the
# batch, if any), with tx_direct and tx_copied_bytes (docs/performance.md,
# "Copies per packet"). BUILD: a build without sanitizers (default: the
# source tree). Needs valgrind (callgrind_annotate).
set -u

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
EGRESS=${1:-raw} SIZE=${2:-64} DIR=${3:-6>4}
P=dc$$ H6=dc$$-h6 XL=dc$$-xl H4=dc$$-h4 T=$(mktemp -d)
PID=

cleanup() {
	[ -z "$PID" ] || kill "$PID" 2>/dev/null
	"$SRC/scripts/topology.sh" down --prefix "$P" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

case "$EGRESS" in raw | tun) ;; *) echo "daemon-cost.sh: raw|tun" >&2; exit 2 ;; esac
case "$DIR" in "6>4" | "4>6") ;; *) echo "daemon-cost.sh: 6>4|4>6" >&2; exit 2 ;; esac
"$SRC/scripts/topology.sh" up --prefix "$P" --gro on --tso on >/dev/null
# Several source addresses: NFQUEUE's balancing hashes addresses.
. "$SRC/scripts/bench-lib.sh"
flood_addrs
{ cat "$SRC/examples/demo-siit.conf"; echo "egress $EGRESS"
  echo "workers 1"; } >"$T/c.conf"
ip netns exec "$XL" valgrind --tool=callgrind --callgrind-out-file="$T/cg" \
	"$BUILD/translator/translatord" -c "$T/c.conf" --control "$T/ctl" \
	2>"$T/log" &
PID=$!
for _ in $(seq 300); do [ -S "$T/ctl" ] && break; sleep 0.1; done
[ -S "$T/ctl" ] || { cat "$T/log" >&2; exit 1; }
sleep 1
stat() {
	"$BUILD/usr/transctl" stats --control "$T/ctl" |
		awk -v n="$1" '$2 == n { print $3 }'
}
src=()
if [ "$DIR" = "6>4" ]; then
	sns=$H6 rns=$H4 dst=2001:db8:1c6:3364:2::
	for a in "${SRC6[@]}"; do src+=(-b "$a"); done
else
	sns=$H4 rns=$H6 dst=192.0.2.33
	for a in "${SRC4[@]}"; do src+=(-b "$a"); done
fi
ip netns exec "$rns" "$BUILD/test/perf/udpflood" recv -t 6 -j 1 9000 \
	>/dev/null 2>&1 &
rpid=$!
sleep 0.3
ip netns exec "$sns" timeout 10 "$BUILD/test/perf/udpflood" send -t 3 \
	-s "$SIZE" -f 64 -j 1 "${src[@]}" "$dst" 9000 >/dev/null 2>&1
sleep 1
n=$(stat nfq_rx) direct=$(stat tx_direct) copied=$(stat tx_copied_bytes)
wait "$rpid"
kill "$PID"
wait "$PID"
PID=
callgrind_annotate --inclusive=yes "$T/cg" >"$T/ann" 2>/dev/null
per() {
	awk -v fn="$1" -v n="${n:-0}" '$0 ~ (":" fn "( |$)") {
		gsub(",", "", $1); if (n) printf "%.0f", $1 / n; f = 1; exit }
		END { if (!f) printf "0" }' "$T/ann"
}
printf '%s %s B %s: %s packets; instructions per packet: daemon_pkt_handle %s, xlat_packet %s, egress_queue %s, tun_batch_add %s; tx_direct %s, tx_copied_bytes %s\n' \
	"$EGRESS" "$SIZE" "$DIR" "${n:-?}" "$(per daemon_pkt_handle)" \
	"$(per xlat_packet)" "$(per egress_queue)" "$(per tun_batch_add)" \
	"${direct:-?}" "${copied:-?}"
