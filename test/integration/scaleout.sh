#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIIT scale-out (docs/scale-out.md): two translator nodes with the same
# configuration behind BGP ECMP routers, BIRD 2 everywhere.
#
#   cl (IPv6 clients 2001:db8:c::21-24, seen from IPv4 as 192.0.2.33-36)
#    | 2001:db8:c::/64
#   r6 (AS 65006, ECMP over n1 and n2 for 2001:db8:64::/96)
#    | 2001:db8:f1::/64          | 2001:db8:f2::/64
#   n1 (AS 65100, translatord)  n2 (AS 65100, translatord)
#    | 10.0.1.0/24               | 10.0.2.0/24
#   r4 (AS 65004, ECMP over n1 and n2 for 192.0.2.0/24)
#    | 198.51.100.0/24
#   s4 (IPv4 servers 198.51.100.2-5, seen from IPv6 as 2001:db8:64::c633:6402-5)
#
# The nodes announce pool6 to r6 and the EAMT's IPv4 prefix to r4; the
# routers have no static route to either. Flows both ways through both
# nodes (sha256-checked TCP, UDP echo), both nodes' counters rise; then n1
# hangs (translatord SIGKILL, BIRD SIGSTOP) under rate-limited transfers:
# the routers' hold timers expire, they converge to n2 alone, the
# transfers in flight complete through n2 (SIIT keeps no state), new
# flows pass; n1 restarts and rejoins the multipath routes; n2 crashes
# (both SIGKILL: the sessions close, withdrawal at once), n1 carries on.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
. "$srcdir/test/integration/lib_multinode.sh"
it_init
mn_init

POOL6=2001:db8:64::/96
EAM4=192.0.2.0/24
CLIENTS="2001:db8:c::21 2001:db8:c::22 2001:db8:c::23 2001:db8:c::24"
SERVERS="198.51.100.2 198.51.100.3 198.51.100.4 198.51.100.5"
CONVERGE=15	# seconds: BGP sessions up, withdrawals seen
IT_XFER_TIMEOUT=60
IT_XFER_IDLE=20

# v6view 198.51.100.2: the server's IPv6 address (pool6, RFC 6052 /96).
v6view() {
	printf '2001:db8:64::%02x%02x:%02x%02x\n' $(echo "$1" | tr . ' ')
}

# v4view 2001:db8:c::21: the client's IPv4 address (the EAMT's /120).
v4view() {
	echo "192.0.2.$((16#${1##*:}))"
}

# --- the network ------------------------------------------------------

build_network() {
	local a s
	mn_two_nodes
	for a in $CLIENTS; do
		mn_addr cl eth0 "$a/64"
	done
	mn_x cl ip -6 route add default via 2001:db8:c::1 dev eth0
	# Each client address talks to its own server: several source
	# addresses, each flow's source chosen by its destination.
	set -- $CLIENTS
	for s in $SERVERS; do
		mn_x cl ip -6 route add "$(v6view "$s")/128" \
			via 2001:db8:c::1 dev eth0 src "$1"
		shift
	done
	mn_addr r6 west 2001:db8:c::1/64
	mn_x s4 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	for s in $SERVERS; do
		mn_addr s4 eth0 "$s/24"
	done
	mn_x s4 ip route add default via 198.51.100.1 dev eth0
	mn_addr r4 east 198.51.100.1/24
	mn_node_addrs
}

# --- BGP (BIRD 2) -----------------------------------------------------

# router_conf ID AS FAMILY NEIGHBOR...: a router learning from the nodes
# (AS 65100) and installing every equal best path: `merge paths on` makes
# the kernel protocol export them as one multipath route.
router_conf() {
	local id=$1 as=$2 fam=$3 nb i=0
	shift 3
	cat <<EOF
router id $id;
log stderr all;
protocol device { scan time 1; }
protocol kernel {
	$fam { import none; export all; };
	merge paths on;
}
template bgp node {
	local as $as;
	$MN_BGP_TIMERS
	$fam { import all; export none; };
}
EOF
	for nb in "$@"; do
		i=$((i + 1))
		echo "protocol bgp n$i from node { neighbor $nb as 65100; }"
	done
}

# node_conf I: a translator node announcing pool6 to r6 and the EAMT's
# IPv4 prefix to r4. The static routes exist only in BIRD (no kernel
# protocol here): they are what the node offers, not how it forwards.
node_conf() {
	local i=$1
	cat <<EOF
router id 10.255.1.$i;
log stderr all;
protocol device { scan time 1; }
protocol static pool6 { ipv6; route $POOL6 blackhole; }
protocol static eam4 { ipv4; route $EAM4 blackhole; }
protocol bgp r6 {
	local as 65100;
	neighbor 2001:db8:f$i::1 as 65006;
	$MN_BGP_TIMERS
	ipv6 { import none; export where proto = "pool6"; };
}
protocol bgp r4 {
	local as 65100;
	neighbor 10.0.$i.1 as 65004;
	$MN_BGP_TIMERS
	ipv4 { import none; export where proto = "eam4"; };
}
EOF
}

start_bgp() {
	router_conf 10.255.6.6 65006 ipv6 2001:db8:f1::2 2001:db8:f2::2 \
		>"$IT_TMP/r6.conf"
	router_conf 10.255.4.4 65004 ipv4 10.0.1.2 10.0.2.2 >"$IT_TMP/r4.conf"
	node_conf 1 >"$IT_TMP/n1.conf"
	node_conf 2 >"$IT_TMP/n2.conf"
	mn_bird r6 "$IT_TMP/r6.conf"
	mn_bird r4 "$IT_TMP/r4.conf"
	mn_bird n1 "$IT_TMP/n1.conf"
	mn_bird n2 "$IT_TMP/n2.conf"
}

# --- translators --------------------------------------------------------

xlat_conf() {
	cat <<EOF
mode siit
pool6 $POOL6
eamt 2001:db8:c::/120 $EAM4
address v6 2001:db8:ff::1
address v4 10.255.0.1
interface v6 v6
interface v4 v4
translate4 $EAM4
fail-open no
rules auto
EOF
}

# n1_rules: n1's firewall tables, both families, for comparison (with
# the workers' HMARK seed, chosen anew at every start, left out).
n1_rules() {
	local t
	for t in raw mangle filter; do
		mn_x n1 iptables -t "$t" -S
		mn_x n1 ip6tables -t "$t" -S
	done 2>/dev/null | sed 's/--hmark-rnd [^ ]*/--hmark-rnd R/'
}

# --- traffic ------------------------------------------------------------

PORT=5200

# tcp_flows TAG BYTES: one transfer from each client to its server and
# one more to the next server (8 flows), then one from each server back
# to a client (4 flows), all at once; checks them all.
tcp_flows() {
	local tag=$1 bytes=$2 n=0 s c k
	for k in 0 1; do
		for s in $SERVERS; do
			n=$((n + 1))
			mn_xfer_listen s4 0.0.0.0 $((PORT + n)) "${tag}_$n"
		done
	done
	for c in $CLIENTS; do
		n=$((n + 1))
		mn_xfer_listen cl :: $((PORT + n)) "${tag}_$n"
	done
	n=0
	for k in 0 1; do
		for s in $SERVERS; do
			n=$((n + 1))
			mn_xfer_send cl "$(v6view "$s")" $((PORT + n)) "$bytes" \
				"${tag}_$n"
		done
	done
	for c in $CLIENTS; do
		n=$((n + 1))
		mn_xfer_send s4 "$(v4view "$c")" $((PORT + n)) "$bytes" \
			"${tag}_$n"
	done
	PORT=$((PORT + n))
	# Others check this phase's counters while the flows run.
	[ -n "${FLOWS_HOOK:-}" ] && "$FLOWS_HOOK"
	for k in $(seq "$n"); do
		if [ "$k" -le 8 ]; then
			mn_xfer_check "${tag}_$k" "[$tag] TCP flow $k IPv6 -> IPv4"
		else
			mn_xfer_check "${tag}_$k" "[$tag] TCP flow $k IPv4 -> IPv6"
		fi
	done
}

# udp_flows TAG: 8 UDP flows (two per client, one echo server port
# each, fresh ports every time), 20 checked request/answer pairs each.
UPORT=6000
udp_flows() {
	local tag=$1 n=0 s k pids=
	# Each echo server bound to its address: answers come from where
	# the requests went (the clients' sockets are connected).
	for k in 0 1; do
		for s in $SERVERS; do
			n=$((n + 1))
			mn_x s4 timeout 30 python3 "$NETTOOL" udp-echo "$s" \
				$((UPORT + n)) 40 --timeout 25 >/dev/null 2>&1 &
		done
	done
	for n in $(seq 8); do
		it_listen "$IT_PREFIX-s4" $((UPORT + n)) udp
	done
	n=0
	for k in 0 1; do
		for s in $SERVERS; do
			n=$((n + 1))
			mn_x cl timeout 30 python3 "$NETTOOL" udp-ask \
				"$(v6view "$s")" $((UPORT + n)) 20 --timeout 20 \
				>"$IT_TMP/$tag.udp$n" 2>&1 &
			pids="$pids $!"
		done
	done
	UPORT=$((UPORT + n))
	n=0
	for k in $pids; do
		n=$((n + 1))
		if wait "$k" && grep -qx 'ok 20' "$IT_TMP/$tag.udp$n"; then
			it_pass "[$tag] UDP flow $n: 20 of 20 answers"
		else
			it_fail "[$tag] UDP flow $n: $(tail -1 "$IT_TMP/$tag.udp$n")"
		fi
	done
}

# snap TAG: both nodes' translated counters into variables TAG_n1_6to4...
snap() {
	local n d v
	for n in n1 n2; do
		for d in 6to4 4to6; do
			v=$(mn_stat "$n" "translated_$d")
			eval "${1}_${n}_$d=${v:-0}"
		done
	done
}

# rose BEFORE AFTER NODE DIR MIN: the counter rose by MIN at least.
rose() {
	local b a
	b=$(eval echo "\$${1}_${3}_$4")
	a=$(eval echo "\$${2}_${3}_$4")
	if [ "$((a - b))" -ge "$5" ]; then
		it_pass "$3 translated_$4 rose by $((a - b)) (>= $5)"
	else
		it_fail "$3 translated_$4 rose by $((a - b)) ($b -> $a, expected >= $5)"
	fi
}

# multipath WHEN N: r6 and r4 have N BGP nexthops for the prefixes
# (within CONVERGE seconds), learned by BIRD (proto bird), not static;
# MP_MS: how long it took (milliseconds), empty if it did not happen.
multipath() {
	local t0 t1
	MP_MS=
	t0=$(date +%s%N)
	if it_wait_for "$CONVERGE" mn_nexthops_are r6 "$POOL6" "$2" &&
	   it_wait_for "$CONVERGE" mn_nexthops_are r4 "$EAM4" "$2"; then
		t1=$(date +%s%N)
		MP_MS=$(((t1 - t0) / 1000000))
		it_pass "$1: r6 $POOL6 and r4 $EAM4 have $2 nexthop(s) (after $(((t1 - t0) / 1000000)) ms)"
	else
		it_fail "$1: nexthops r6 $(mn_nexthops r6 "$POOL6"), r4 $(mn_nexthops r4 "$EAM4"), expected $2"
		mn_x r6 ip -6 route | sed 's/^/    r6: /'
		mn_x r4 ip route | sed 's/^/    r4: /'
	fi
	if [ "$(mn_route_proto r6 "$POOL6")" = bird ] &&
	   [ "$(mn_route_proto r4 "$EAM4")" = bird ]; then
		it_pass "$1: both routes learned by BIRD (proto bird)"
	else
		it_fail "$1: route protocols r6 '$(mn_route_proto r6 "$POOL6")' r4 '$(mn_route_proto r4 "$EAM4")'"
	fi
}

# --- the test -----------------------------------------------------------

build_network || { echo "FAIL: $IT_NAME: network"; exit 1; }
xlat_conf >"$IT_TMP/xlat.conf"
mn_translatord n1 "$IT_TMP/xlat.conf"
mn_translatord n2 "$IT_TMP/xlat.conf"
grep -h 'translating:' "$IT_TMP/n1.log" | sed 's/^/    n1: /'
rules_before=$(n1_rules)
start_bgp
if ! mn_bgp_sessions_up "$CONVERGE"; then
	for n in r6 r4 n1 n2; do
		tail -5 "$IT_TMP/$n.bird.log" | sed "s/^/    $n: /"
	done
	it_done
	exit 1
fi
multipath "both nodes up" 2
mn_x r6 ip -6 route show "$POOL6" | sed 's/^/    r6: /'
mn_x r4 ip route show "$EAM4" | sed 's/^/    r4: /'

# 1. Flows spread over both nodes.
snap a
tcp_flows spread 2000000
udp_flows spread
snap b
for n in n1 n2; do
	rose a b "$n" 6to4 20
	rose a b "$n" 4to6 20
done

# 2. n1 hangs while rate-limited transfers run through both nodes: its
# translatord dies (SIGKILL; its NFQUEUE rules stay, so what still comes
# to n1 is dropped) and its BIRD freezes (SIGSTOP) with the sessions
# open. The routers find out when their hold timers (3 s) expire.
mn_x cl tc qdisc add dev eth0 root tbf rate 40mbit burst 32kb latency 100ms
mn_x s4 tc qdisc add dev eth0 root tbf rate 20mbit burst 32kb latency 100ms
hang_n1() {
	local n k running
	sleep 0.5
	snap c
	sleep 0.5
	snap d
	for n in n1 n2; do
		rose c d "$n" 6to4 10
		rose c d "$n" 4to6 10
	done
	running=0
	for k in $(seq 12); do
		kill -0 "$(eval echo "\$MN_SRC_hang_$k")" 2>/dev/null &&
			running=$((running + 1))
	done
	mn_kill n1 hang
	if [ "$running" -ge 4 ]; then
		it_pass "n1 hangs (translatord SIGKILL, BIRD SIGSTOP) with $running of 12 transfers running"
	else
		it_fail "n1 hangs with only $running of 12 transfers running (too late to tell)"
	fi
	multipath "n1 silent" 1
	# Withdrawn by the hold timer: not before 1 s (keepalives every
	# second), not after hold time + 3 s.
	if [ -n "$MP_MS" ] && [ "$MP_MS" -ge 1000 ] && [ "$MP_MS" -le 6000 ]; then
		it_pass "n1's routes withdrawn on hold timer expiry ($MP_MS ms, hold time 3 s)"
	else
		it_fail "n1's routes withdrawn after ${MP_MS:-?} ms (expected 1000-6000: hold time 3 s)"
	fi
}
FLOWS_HOOK=hang_n1 tcp_flows hang 3000000
if ! mn_tctl n1 status >/dev/null 2>&1; then
	it_pass "n1's translatord is gone (its control socket does not answer)"
else
	it_fail "n1's translatord still answers"
fi
for n in cl s4; do
	mn_x "$n" tc qdisc del dev eth0 root
done

# 3. New flows after the crash: all through n2.
snap e
tcp_flows after 1000000
udp_flows after
snap f
rose e f n2 6to4 100
rose e f n2 4to6 100

# 4. n1 restarts (a new translatord over the rules the killed one left,
# a new BIRD) and rejoins: the same rules as at the first start (none
# doubled), both nexthops again, flows through both.
mn_kill n1
mn_translatord n1 "$IT_TMP/xlat.conf"
mn_bird n1 "$IT_TMP/n1.conf"
rules_after=$(n1_rules)
if [ "$rules_after" = "$rules_before" ]; then
	it_pass "n1's firewall rules after the restart are those of the first start ($(echo "$rules_before" | wc -l) lines)"
else
	it_fail "n1's firewall rules differ after the restart:"
	diff <(echo "$rules_before") <(echo "$rules_after") | sed 's/^/    /'
fi
multipath "n1 restarted" 2
snap g
tcp_flows rejoin 1000000
snap h
for n in n1 n2; do
	rose g h "$n" 6to4 50
done

# 5. n2 crashes outright (translatord and BIRD SIGKILL): the kernel
# closes its BGP connections, the routers withdraw at once (well within
# the hold time); n1 alone carries new flows.
mn_kill n2
multipath "n2 crashed" 1
if [ -n "$MP_MS" ] && [ "$MP_MS" -lt 1000 ]; then
	it_pass "n2's routes withdrawn on the closed session ($MP_MS ms)"
else
	it_fail "n2's routes withdrawn after ${MP_MS:-?} ms (expected < 1000)"
fi
snap i
udp_flows alone
snap j
rose i j n1 6to4 160
rose i j n1 4to6 160

if [ "$IT_FAILS" != 0 ]; then
	for n in n1 n2; do
		echo "translatord $n log:"
		tail -20 "$IT_TMP/$n.log" | sed 's/^/    /'
	done
fi
it_done
