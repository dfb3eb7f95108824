#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Deterministic NAT64 scale-out (docs/scale-out.md): two NAT64 nodes with
# the same configuration, the customers split in two slices by
# pool4-deterministic, BIRD 2 everywhere.
#
#   cl (customers 2001:db8:c::21-24: slice 1; 2001:db8:c::a1-a4: slice 2)
#    | 2001:db8:c::/64
#   r6 (AS 65006; ip -6 rule from slice 1 -> table 101, slice 2 -> 102;
#    |  table 101/102 fed by BIRD with n1's/n2's 64:ff9b::/96 first)
#    | 2001:db8:f1::/64          | 2001:db8:f2::/64
#   n1 (AS 65100, translatord)  n2 (AS 65100, translatord)
#    | 10.0.1.0/24               | 10.0.2.0/24
#   r4 (AS 65004; 192.0.2.16/30 via n1, 192.0.2.20/30 via n2)
#    | 198.51.100.0/24
#   s4 (IPv4 servers 198.51.100.2-9)
#
# Both nodes carry both slices (same file): each announces pool6 to r6
# with a community naming the slice it serves first, and both IPv4
# slices to r4, the other node's with a longer AS path (standby). Flows
# from every customer (sha256-checked TCP, UDP): the server sees each
# customer's deterministic address and a port inside its block (the
# offline `transctl address query --config` says which), and the
# reverse query names the customer. Then n1 crashes: r6 and r4 move
# slice 1 to n2; slice 2's transfers in flight finish (sha256), slice
# 1's new connections pass through n2 with the same address and block.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
. "$srcdir/test/integration/lib_multinode.sh"
it_init
mn_init

POOL6=64:ff9b::/96
SLICE4_1=192.0.2.16/30
SLICE4_2=192.0.2.20/30
C1="2001:db8:c::21 2001:db8:c::22 2001:db8:c::23 2001:db8:c::24"
C2="2001:db8:c::a1 2001:db8:c::a2 2001:db8:c::a3 2001:db8:c::a4"
CLIENTS="$C1 $C2"
SERVERS="198.51.100.2 198.51.100.3 198.51.100.4 198.51.100.5 198.51.100.6 198.51.100.7 198.51.100.8 198.51.100.9"
CONVERGE=15
IT_XFER_TIMEOUT=60
IT_XFER_IDLE=20

# v6view 198.51.100.2: the server under pool6 (RFC 6052 /96).
v6view() {
	printf '64:ff9b::%02x%02x:%02x%02x\n' $(echo "$1" | tr . ' ')
}

# server_of K: the K-th server (1-8), client_of K the K-th customer.
server_of() { echo "$SERVERS" | cut -d' ' -f"$1"; }
client_of() { echo $CLIENTS | cut -d' ' -f"$1"; }

# --- the network ------------------------------------------------------

build_network() {
	local k
	mn_two_nodes
	for k in $CLIENTS; do
		mn_addr cl eth0 "$k/64"
	done
	mn_x cl ip -6 route add default via 2001:db8:c::1 dev eth0
	# Customer K talks to server K: its source chosen by the route.
	for k in $(seq 8); do
		mn_x cl ip -6 route add "$(v6view "$(server_of "$k")")/128" \
			via 2001:db8:c::1 dev eth0 src "$(client_of "$k")"
	done
	mn_addr r6 west 2001:db8:c::1/64
	# Source routing: each slice's traffic to pool6 goes by its table.
	mn_x r6 ip -6 rule add from 2001:db8:c::/121 lookup 101 pref 1001
	mn_x r6 ip -6 rule add from 2001:db8:c::80/121 lookup 102 pref 1002
	mn_x s4 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	for k in $SERVERS; do
		mn_addr s4 eth0 "$k/24"
	done
	mn_x s4 ip route add default via 198.51.100.1 dev eth0
	mn_addr r4 east 198.51.100.1/24
	mn_node_addrs
}

# --- BGP (BIRD 2) -----------------------------------------------------

# r6: both nodes' 64:ff9b::/96 in master6; a pipe per slice copies them
# into its table, the route tagged (65100, S) preferred: the node
# serving slice S first, the other one as standby; a kernel protocol
# per table fills kernel table 100 + S.
r6_conf() {
	local s
	cat <<EOF
router id 10.255.6.6;
log stderr all;
protocol device { scan time 1; }
ipv6 table slice1;
ipv6 table slice2;
template bgp node {
	local as 65006;
	$MN_BGP_TIMERS
	ipv6 { import all; export none; };
}
protocol bgp n1 from node { neighbor 2001:db8:f1::2 as 65100; }
protocol bgp n2 from node { neighbor 2001:db8:f2::2 as 65100; }
EOF
	for s in 1 2; do
		cat <<EOF
filter to_slice$s {
	if (65100, $s) ~ bgp_community then preference = 200;
	else preference = 100;
	accept;
}
protocol pipe p$s { table master6; peer table slice$s; export filter to_slice$s; import none; }
protocol kernel k$s {
	ipv6 { table slice$s; import none; export all; };
	kernel table $((100 + s));
}
EOF
	done
}

# r4: the slices from both nodes; the shorter AS path (the serving node)
# wins, the prepended one (standby) takes over when it goes.
r4_conf() {
	cat <<EOF
router id 10.255.4.4;
log stderr all;
protocol device { scan time 1; }
protocol kernel { ipv4 { import none; export all; }; }
template bgp node {
	local as 65004;
	$MN_BGP_TIMERS
	ipv4 { import all; export none; };
}
protocol bgp n1 from node { neighbor 10.0.1.2 as 65100; }
protocol bgp n2 from node { neighbor 10.0.2.2 as 65100; }
EOF
}

# node_conf I: node I serves slice I first and stands by for the other.
node_conf() {
	local i=$1 o=$((3 - $1)) mine other
	mine=$(eval echo "\$SLICE4_$i")
	other=$(eval echo "\$SLICE4_$o")
	cat <<EOF
router id 10.255.1.$i;
log stderr all;
protocol device { scan time 1; }
protocol static pool6 { ipv6; route $POOL6 blackhole; }
protocol static mine4 { ipv4; route $mine blackhole; }
protocol static other4 { ipv4; route $other blackhole; }
protocol bgp r6 {
	local as 65100;
	neighbor 2001:db8:f$i::1 as 65006;
	$MN_BGP_TIMERS
	ipv6 {
		import none;
		export filter {
			if proto != "pool6" then reject;
			bgp_community.add((65100, $i));
			accept;
		};
	};
}
protocol bgp r4 {
	local as 65100;
	neighbor 10.0.$i.1 as 65004;
	$MN_BGP_TIMERS
	ipv4 {
		import none;
		export filter {
			if proto = "mine4" then accept;
			if proto != "other4" then reject;
			bgp_path.prepend(65100);
			bgp_path.prepend(65100);
			accept;
		};
	};
}
EOF
}

start_bgp() {
	r6_conf >"$IT_TMP/r6.conf"
	r4_conf >"$IT_TMP/r4.conf"
	node_conf 1 >"$IT_TMP/n1.conf"
	node_conf 2 >"$IT_TMP/n2.conf"
	mn_bird r6 "$IT_TMP/r6.conf"
	mn_bird r4 "$IT_TMP/r4.conf"
	mn_bird n1 "$IT_TMP/n1.conf"
	mn_bird n2 "$IT_TMP/n2.conf"
}

# --- translators: one file for both ------------------------------------

xlat_conf() {
	cat <<EOF
mode nat64
pool6 $POOL6
wkp-allow-non-global yes
pool4 192.0.2.16/29
pool4-deterministic 2001:db8:c::/121 $SLICE4_1 2016
pool4-deterministic 2001:db8:c::80/121 $SLICE4_2 2016
address v6 2001:db8:ff::1
address v4 10.255.0.1
interface v6 v6
interface v4 v4
fail-open no
rules auto
EOF
}

# --- checks -------------------------------------------------------------

# via NS FAMILY TABLE PREFIX: the gateway of the kernel route.
via() {
	mn_x "$1" ip "$2" route show table "$3" "$4" 2>/dev/null |
		sed -n 's/.* via \([^ ]*\).*/\1/p' | head -1
}

# via_is NS FAMILY TABLE PREFIX GW: for it_wait_for.
via_is() {
	[ "$(via "$1" "$2" "$3" "$4")" = "$5" ]
}

# routes WHEN GW6_1 GW6_2 GW4_1 GW4_2: slice S's pool6 route (table
# 100 + S) on r6 and its IPv4 slice on r4 go to the expected nodes.
routes() {
	local when=$1 ok=1
	it_wait_for "$CONVERGE" via_is r6 -6 101 "$POOL6" "$2" || ok=0
	it_wait_for "$CONVERGE" via_is r6 -6 102 "$POOL6" "$3" || ok=0
	it_wait_for "$CONVERGE" via_is r4 -4 main "$SLICE4_1" "$4" || ok=0
	it_wait_for "$CONVERGE" via_is r4 -4 main "$SLICE4_2" "$5" || ok=0
	if [ "$ok" = 1 ]; then
		it_pass "$when: r6 slice 1 -> $2, slice 2 -> $3; r4 $SLICE4_1 -> $4, $SLICE4_2 -> $5"
	else
		it_fail "$when: r6 slice 1 -> '$(via r6 -6 101 "$POOL6")', slice 2 -> '$(via r6 -6 102 "$POOL6")'; r4 $SLICE4_1 -> '$(via r4 -4 main "$SLICE4_1")', $SLICE4_2 -> '$(via r4 -4 main "$SLICE4_2")' (expected $2 $3 $4 $5)"
	fi
}

# det_of CUSTOMER: "IPV4 LO HI" of the customer, from the file alone.
det_of() {
	"$TRANSCTL" address query --config "$IT_TMP/xlat.conf" "$1" |
		awk '$1 == "det_ipv4" { a = $2 } $1 == "det_ports" { p = $2 }
		     END { sub("-", " ", p); print a, p }'
}

# peer_ok LABEL CUSTOMER PEER: PEER (ADDR#PORT, as the server saw it) is
# the customer's deterministic address with a port of its block, and
# the offline reverse query names the customer.
peer_ok() {
	local label=$1 c=$2 peer=$3 a p want lo hi back
	a=${peer%#*}
	p=${peer#*#}
	set -- $(det_of "$c")
	back=$("$TRANSCTL" address query --config "$IT_TMP/xlat.conf" "$a" \
		"$p" | awk '$1 == "det_customer" { print $2 }')
	if [ -n "$p" ] && [ "$a" = "$1" ] && [ "$p" -ge "$2" ] &&
	   [ "$p" -le "$3" ] && [ "$back" = "$c/128" ]; then
		it_pass "$label: $c seen as $peer (block $1 $2-$3; reverse: $back)"
	else
		it_fail "$label: $c seen as '$peer', expected $1 $2-$3 (reverse '$back')"
	fi
}

# --- traffic ------------------------------------------------------------

PORT=5200

# tcp_start TAG BYTES K...: a transfer from customer K to server K each.
tcp_start() {
	local tag=$1 bytes=$2 k
	shift 2
	for k in "$@"; do
		mn_xfer_listen s4 "$(server_of "$k")" $((PORT + k)) "${tag}_$k"
	done
	for k in "$@"; do
		mn_xfer_send cl "$(v6view "$(server_of "$k")")" $((PORT + k)) \
			"$bytes" "${tag}_$k"
	done
}

# tcp_check TAG K...: sha256 and the peer the server saw.
tcp_check() {
	local tag=$1 k
	shift
	for k in "$@"; do
		mn_xfer_check "${tag}_$k" "[$tag] TCP customer $k" &&
			peer_ok "[$tag] TCP customer $k" "$(client_of "$k")" \
				"$(it_kv peer "$(tail -1 "$IT_TMP/${tag}_$k.sink")")"
	done
	PORT=$((PORT + 10))
}

UPORT=6000
# udp_flows TAG K...: 20 checked answers per customer, and its peer.
udp_flows() {
	local tag=$1 k pids=
	shift
	for k in "$@"; do
		mn_x s4 timeout 30 python3 "$NETTOOL" udp-echo \
			"$(server_of "$k")" $((UPORT + k)) 20 --timeout 25 \
			>"$IT_TMP/$tag.echo$k" 2>&1 &
		eval "echo_$k=$!"
	done
	for k in "$@"; do
		it_listen "$IT_PREFIX-s4" $((UPORT + k)) udp
	done
	for k in "$@"; do
		mn_x cl timeout 30 python3 "$NETTOOL" udp-ask \
			"$(v6view "$(server_of "$k")")" $((UPORT + k)) 20 \
			--timeout 20 >"$IT_TMP/$tag.udp$k" 2>&1 &
		eval "ask_$k=$!"
	done
	for k in "$@"; do
		if wait "$(eval echo "\$ask_$k")" &&
		   grep -qx 'ok 20' "$IT_TMP/$tag.udp$k"; then
			it_pass "[$tag] UDP customer $k: 20 of 20 answers"
		else
			it_fail "[$tag] UDP customer $k: $(tail -1 "$IT_TMP/$tag.udp$k")"
		fi
		wait "$(eval echo "\$echo_$k")"
		peer_ok "[$tag] UDP customer $k" "$(client_of "$k")" \
			"$(sed -n 's/^peer=//p' "$IT_TMP/$tag.echo$k" | head -1)"
	done
	UPORT=$((UPORT + 10))
}

# stat NS NAME: a counter (0 when the daemon does not answer).
stat() {
	local v
	v=$(mn_stat "$1" "$2")
	echo "${v:-0}"
}

# --- the test -----------------------------------------------------------

build_network || { echo "FAIL: $IT_NAME: network"; exit 1; }
xlat_conf >"$IT_TMP/xlat.conf"
mn_translatord n1 "$IT_TMP/xlat.conf"
mn_translatord n2 "$IT_TMP/xlat.conf"
start_bgp
if ! mn_bgp_sessions_up "$CONVERGE"; then
	it_done
	exit 1
fi
routes "both nodes up" 2001:db8:f1::2 2001:db8:f2::2 10.0.1.2 10.0.2.2

# 1. Every customer through its slice's node: the server sees the
# deterministic address and block; each node binds only its slice.
tcp_start spread 2000000 1 2 3 4 5 6 7 8
tcp_check spread 1 2 3 4 5 6 7 8
udp_flows spread 1 2 3 4 5 6 7 8
b1=$(stat n1 nat64_bib_added)
b2=$(stat n2 nat64_bib_added)
if [ "$b1" -ge 8 ] && [ "$b2" -ge 8 ]; then
	it_pass "both nodes made bindings (n1 $b1, n2 $b2: 4 customers x TCP and UDP each)"
else
	it_fail "bindings n1 $b1, n2 $b2 (expected >= 8 each)"
fi
# The running node answers from the same mapping, and its BIB names
# the customer at the port the server saw.
peer=$(it_kv peer "$(tail -1 "$IT_TMP/spread_1.sink")")
online_query() {
	mn_tctl n1 address query "${peer%#*}" "${peer#*#}" >"$IT_TMP/q" &&
	cat "$IT_TMP/q" &&
	awk '$1 == "det_customer" && $2 == "2001:db8:c::21/128" { c = 1 }
	     $1 == "bindings" && $0 ~ / tcp 2001:db8:c::21#/ { b = 1 }
	     END { exit !(c && b) }' "$IT_TMP/q"
}
it_check "online: n1 'address query ${peer%#*} ${peer#*#}': det_customer 2001:db8:c::21/128, its TCP binding in bindings" \
	online_query

# 2. n1 crashes (translatord and BIRD SIGKILL) while rate-limited
# transfers of both slices run.
mn_x cl tc qdisc add dev eth0 root tbf rate 16mbit burst 32kb latency 200ms
tcp_start crash 4000000 1 2 3 4 5 6 7 8
sleep 1
mn_kill n1
routes "n1 crashed" 2001:db8:f2::2 2001:db8:f2::2 10.0.2.2 10.0.2.2
# Slice 2's transfers, on n2 all along, finish intact.
tcp_check crash 5 6 7 8
# Slice 1's were on n1: their sessions died with it (no state sync).
lost=0
for k in 1 2 3 4; do
	wait "$(eval echo "\$MN_SRC_crash_$k")" || lost=$((lost + 1))
	wait "$(eval echo "\$MN_SINK_crash_$k")"
done
if [ "$lost" = 4 ]; then
	it_pass "slice 1's 4 transfers in flight through n1 were cut (n2 has no copy of n1's sessions: no synchronisation)"
else
	it_fail "$lost of slice 1's 4 transfers through n1 were cut (expected 4: n2 has no sessions of n1)"
fi
mn_x cl tc qdisc del dev eth0 root

# 3. Slice 1's new connections go through n2, with the same address
# and block (both nodes share the mapping).
before=$(stat n2 nat64_bib_added)
tcp_start after 1000000 1 2 3 4
tcp_check after 1 2 3 4
udp_flows after 1 2 3 4
after=$(stat n2 nat64_bib_added)
if [ "$((after - before))" -ge 8 ]; then
	it_pass "n2 bound slice 1's customers ($((after - before)) new bindings)"
else
	it_fail "n2 made $((after - before)) bindings for slice 1 (expected >= 8)"
fi
full=$(stat n2 nat64_det_block_full)
if [ "$full" = 0 ]; then
	it_pass "n2 nat64_det_block_full is 0"
else
	it_fail "n2 nat64_det_block_full is $full"
fi

if [ "$IT_FAILS" != 0 ]; then
	for n in n1 n2; do
		echo "translatord $n log:"
		tail -20 "$IT_TMP/$n.log" | sed 's/^/    /'
	done
	for n in r6 r4; do
		tail -5 "$IT_TMP/$n.bird.log" | sed "s/^/    $n: /"
	done
fi
it_done
