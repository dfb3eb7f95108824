#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# NAT64 logging (logging-bib, logging-session) and port blocks
# (pool4-block-size) end to end: the file's static binding is logged at
# start; 20 TCP connections from the IPv6 host each give exactly one
# "NAT64 BIB add" and one "NAT64 session add" line whose IPv4 side is
# what `transctl bib show` lists, and, once they expire, one "del" line
# each (reason=expired); a reload that turns logging off silences it; one
# that turns blocks on logs one "NAT64 block add" line for the host's
# /64 and no line per binding, every new binding inside the block's
# ports; no line was lost (nat64_log_dropped 0). The lines are read from
# translatord's stderr (daemon.log), where they go beside syslog.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CHECK="$srcdir/test/integration/natlog_check.py"
LOG="$IT_TMP/daemon.log"
V6PFX=2001:db8:1c0:2::/64

# conf FILE DIRECTIVES...: examples/nat64.conf, short TCP timeouts, and
# the given logging and block directives.
conf() {
	local f=$1
	shift
	it_nat64_conf "$f" "tcp-trans-timeout 8" "$@"
}
conf "$IT_TMP/nat64.conf" "logging-bib yes" "logging-session yes"
it_daemon "$IT_TMP/nat64.conf"

static_line() {
	grep -Eq "NAT64 BIB add proto=tcp v6=\[$IT_V6_HOST\]:8000 v4=$IT_POOL4:8000 static=yes time=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z\$" "$LOG"
}
it_check "the file's static binding is logged at start (static=yes)" \
	it_wait_for 5 static_line

# conns N PORT: N TCP connections from the IPv6 host, all open at once.
conns() {
	ip netns exec "$H4" timeout 40 python3 "$NAT64TOOL" many-server 0.0.0.0 "$2" \
		--conns "$1" --timeout 30 >"$IT_TMP/server" 2>&1 &
	local pid=$!
	it_listen "$H4" "$2"
	ip netns exec "$H6" timeout 40 python3 "$NAT64TOOL" many-client \
		"$IT_NAT64_V4" "$2" --conns "$1" --up 2000 --down 2000 --timeout 30
	local st=$?
	wait "$pid"
	return $st
}

# --- 20 connections: one add line each, matching bib show ---------------------
it_check "20 TCP connections IPv6 -> IPv4" conns 20 9000
it_tctl bib show tcp --json >"$IT_TMP/bib1.json"
it_check "bib show lists 20 dynamic TCP bindings of $IT_V6_HOST" \
	test "$(python3 -c 'import json,sys; print(sum(r["type"] == "dynamic" for r in json.load(open(sys.argv[1]))["bib"]))' "$IT_TMP/bib1.json")" = 20
added() {
	python3 "$CHECK" "$LOG" "$IT_TMP/bib1.json" add "$IT_V6_HOST" 198.51.100.2:9000
}
it_check "each has exactly one BIB add and one session add line, IPv4 side as bib show says" \
	it_wait_for 5 added
added

# --- expiry: one del line each --------------------------------------------------
expired() {
	[ "$(it_nat64_count bib tcp)" = 1 ]
}
it_check "the closed connections expire (tcp-trans-timeout 8)" it_wait_for 30 expired
removed() {
	python3 "$CHECK" "$LOG" "$IT_TMP/bib1.json" del "$IT_V6_HOST" 198.51.100.2:9000
}
it_check "each has exactly one BIB del and one session del line, reason=expired" \
	it_wait_for 5 removed
removed

# --- reload: logging off, then blocks on ------------------------------------------
conf "$IT_TMP/next.conf" "logging-bib no" "logging-session no"
it_conf_reset "$IT_TMP/next.conf" "$IT_TMP/nat64.conf"
it_check "reload with logging-bib no, logging-session no" it_tctl reload
n0=$(grep -c 'NAT64 ' "$LOG")
it_check "5 more connections" conns 5 9001
sleep 1
it_check "no NAT64 line after logging was turned off ($n0 before, $(grep -c 'NAT64 ' "$LOG") after)" \
	test "$(grep -c 'NAT64 ' "$LOG")" = "$n0"
it_check "and they expire" it_wait_for 30 expired

conf "$IT_TMP/next.conf" "logging-bib yes" "pool4-block-size 100"
it_conf_reset "$IT_TMP/next.conf" "$IT_TMP/nat64.conf"
it_check "reload with logging-bib yes, pool4-block-size 100" it_tctl reload
skip=$(wc -l <"$LOG")
it_tctl bib show tcp --json >"$IT_TMP/bib2.json"
it_check "10 connections with blocks on" conns 10 9002
it_tctl bib show tcp --json >"$IT_TMP/bib3.json"
block() {
	python3 "$CHECK" "$LOG" "$IT_TMP/bib3.json" block "$V6PFX" "$IT_V6_HOST" \
		"$skip" "$IT_TMP/bib2.json"
}
it_check "one block add line for $V6PFX, none per binding, the 10 bindings inside its ports" \
	it_wait_for 5 block
block
it_check "status: nat64_blocks_tcp 1" \
	sh -c "timeout 20 '$TRANSCTL' status --control '$IT_TMP/ctl.sock' | grep -qx 'nat64_blocks_tcp 1'"
block_gone() {
	grep -Eq "NAT64 block del proto=tcp v6=$V6PFX v4=$IT_POOL4 ports=[0-9]+-[0-9]+ reason=expired " "$LOG"
}
it_check "the block is released with its last binding (block del, reason=expired)" \
	it_wait_for 30 block_gone

it_counters
it_check "nat64_log_dropped 0, nat64_blocks_added 1" \
	test "$(it_counter nat64_log_dropped)" = 0 -a "$(it_counter nat64_blocks_added)" = 1
it_done
