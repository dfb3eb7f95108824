#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 464XLAT (RFC 6877) end to end: an IPv4-only application reaches an
# IPv4-only server across an IPv6-only network through two translatord
# instances, the CLAT (SIIT with an EAMT, examples/clat.conf) and the
# PLAT (stateful NAT64, examples/plat.conf), one per namespace:
#
#   app   192.168.1.2/24 (eth0), default via 192.168.1.1
#    |
#   clat  lan 192.168.1.1/24 | wan 2001:db8:ffff:1::2/64      translatord siit
#    |                          192.168.1.0/24 = 2001:db8:aaaa::/120 (EAMT)
#   isp   west 2001:db8:ffff:1::1/64 | east 2001:db8:ffff:2::1/64   (IPv6 only)
#    |     routes 2001:db8:aaaa::/64 to clat, 64:ff9b::/96 to plat
#   plat  v6 2001:db8:ffff:2::2/64 | v4 203.0.113.1/24        translatord nat64
#    |                          pool4 198.51.100.1
#   srv4  203.0.113.10/24 (eth0), default via 203.0.113.1
#
# Checks: ping with replies (the CLAT's own LAN address untranslated);
# traceroute (the CLAT, the ISP and the PLAT as hops); UDP
# request/response, also fragmented both ways; TCP of a few MB both ways
# (SHA-256 on both ends); the server sees pool4 198.51.100.1; the PLAT's
# bindings and sessions have the CLAT's EAMT address 2001:db8:aaaa::2 as
# their IPv6 side; an ICMPv4 port unreachable comes back to the
# application quoting its own datagram (192.168.1.2 -> 203.0.113.10);
# inward through a static binding on the PLAT (from the server, and
# hairpinned from the application itself, RFC 6146 3.8), and the
# application's own port unreachable back to the server; with the
# clat-isp link at 1280 bytes, large TCP transfers stay intact with the
# CLAT's MSS clamping and without it (the CLAT's Fragmentation Needed
# 1260), the CLAT fragments DF=0 packets, and the ISP's Packet Too Big
# reaches the server as Fragmentation Needed 1260 through the PLAT.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
trap 'it_cleanup; it_net_cleanup' EXIT

APP="$IT_PREFIX-app"
CLAT="$IT_PREFIX-clat"
ISP="$IT_PREFIX-isp"
PLAT="$IT_PREFIX-plat"
SRV="$IT_PREFIX-srv4"
APP4=192.168.1.2
APP6=2001:db8:aaaa::2
SRV4=203.0.113.10
POOL4=198.51.100.1
CLAT_SOCK="$IT_TMP/clat.sock"
T=clat

net_up() {
	local n
	for n in app clat isp plat srv4; do
		it_netns "$n" || return 1
	done
	it_veth "$APP" eth0 "$CLAT" lan 1500 &&
	it_veth "$CLAT" wan "$ISP" west 1500 &&
	it_veth "$ISP" east "$PLAT" v6 1500 &&
	it_veth "$PLAT" v4 "$SRV" eth0 1500 || return 1
	# The application's side: IPv4 only.
	ip netns exec "$APP" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip netns exec "$APP" ip addr add "$APP4/24" dev eth0 &&
	ip netns exec "$APP" ip route add default via 192.168.1.1 &&
	ip netns exec "$CLAT" ip addr add 192.168.1.1/24 dev lan &&
	ip netns exec "$CLAT" ip -6 addr add 2001:db8:ffff:1::2/64 dev wan nodad &&
	ip netns exec "$CLAT" ip -6 route add default via 2001:db8:ffff:1::1 &&
	# The provider's IPv6-only network.
	ip netns exec "$ISP" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip netns exec "$ISP" ip -6 addr add 2001:db8:ffff:1::1/64 dev west nodad &&
	ip netns exec "$ISP" ip -6 addr add 2001:db8:ffff:2::1/64 dev east nodad &&
	ip netns exec "$ISP" ip -6 route add 2001:db8:aaaa::/64 via 2001:db8:ffff:1::2 &&
	ip netns exec "$ISP" ip -6 route add 64:ff9b::/96 via 2001:db8:ffff:2::2 &&
	ip netns exec "$PLAT" ip -6 addr add 2001:db8:ffff:2::2/64 dev v6 nodad &&
	ip netns exec "$PLAT" ip -6 route add default via 2001:db8:ffff:2::1 &&
	ip netns exec "$PLAT" ip addr add 203.0.113.1/24 dev v4 &&
	# The IPv4 internet: pool4 is routed to the PLAT by the default route.
	ip netns exec "$SRV" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip netns exec "$SRV" ip addr add "$SRV4/24" dev eth0 &&
	ip netns exec "$SRV" ip route add default via 203.0.113.1
}
net_up >"$IT_TMP/net.log" 2>&1 || {
	cat "$IT_TMP/net.log"
	echo "FAIL: $IT_NAME: topology"
	exit 1
}

# The shipped examples as they are, but for the lab's documentation
# addresses behind 64:ff9b::/96 (RFC 6052 section 3.1).
cp "$srcdir/examples/clat.conf" "$IT_TMP/clat.conf"
echo "wkp-allow-non-global yes" >>"$IT_TMP/clat.conf"
cp "$srcdir/examples/plat.conf" "$IT_TMP/plat.conf"
echo "wkp-allow-non-global yes" >>"$IT_TMP/plat.conf"
it_daemon_in "$CLAT" "$IT_TMP/clat.conf" "$CLAT_SOCK"
# The PLAT is lib.sh's own daemon (it_ctl, it_tctl, it_counters).
# shellcheck disable=SC2034 # read by it_daemon in lib.sh
XL=$PLAT
it_daemon "$IT_TMP/plat.conf"

clat_tctl() {
	timeout 20 "$TRANSCTL" "$@" --control "$CLAT_SOCK"
}
clat_stat() {
	timeout 20 python3 "$NETTOOL" ctl "$CLAT_SOCK" stats --timeout 15 | awk -F'\t' -v n="$1" '$2 == n { print $3 }'
}

it_check "CLAT: status says mode siit" sh -c \
	"timeout 20 '$TRANSCTL' status --control '$CLAT_SOCK' | grep -qx 'mode siit'"
it_check "PLAT: status says mode nat64" sh -c \
	"timeout 20 '$TRANSCTL' status --control '$IT_TMP/ctl.sock' | grep -qx 'mode nat64'"

# --- ping ---------------------------------------------------------------------
ping_all() {
	ip netns exec "$APP" timeout 20 ping -c 3 -i 0.3 -W 3 "$SRV4" |
		tee /dev/stderr | grep -q ' 3 received'
}
it_check "$T: ping $APP4 -> $SRV4: 3 replies" ping_all

icmp_session() {
	it_tctl session show icmp | tee /dev/stderr |
		grep -Eq "^icmp +$APP6#[0-9]+ +64:ff9b::cb00:710a#0 +$POOL4#[0-9]+ +$SRV4#0 "
}
it_check "PLAT: session show icmp: $APP6 (the CLAT's EAMT address) <-> $POOL4" icmp_session

it_check "$T: the CLAT's own 192.168.1.1 answers untranslated (its rules skip local destinations)" \
	sh -c "ip netns exec '$APP' timeout 10 ping -c 1 -W 2 192.168.1.1 | grep -q ' 1 received'"

# The LAN's broadcasts and multicast are the CLAT host's to receive: its
# rules leave them alone (the EAMT's 192.168.1.0/24 holds the broadcast
# 192.168.1.255, which went out the WAN as 2001:db8:aaaa::ff before).
bcast() {
	local rx0 l
	rx0=$(clat_stat rx_v4)
	ip netns exec "$CLAT" timeout 20 python3 "$srcdir/test/integration/clattool.py" \
		udp-count 9137 3 --group 239.255.255.250 --on 192.168.1.1 --timeout 10 >"$IT_TMP/bc" 2>&1 &
	l=$!
	it_wait_for 5 grep -q listening "$IT_TMP/bc" || return 1
	for d in 192.168.1.255 255.255.255.255 239.255.255.250; do
		ip netns exec "$APP" timeout 5 python3 \
			"$srcdir/test/integration/clattool.py" udp-send "$d" 9137 || return 1
	done
	wait "$l" || { cat "$IT_TMP/bc"; return 1; }
	cat "$IT_TMP/bc"
	echo "CLAT rx_v4 $rx0 -> $(clat_stat rx_v4)"
	[ "$(clat_stat rx_v4)" = "$rx0" ]
}
it_check "$T: the app's datagrams to 192.168.1.255, 255.255.255.255 and 239.255.255.250 reach a listener on the CLAT, none queued" \
	bcast

# Hop 1 is the CLAT (its own Time Exceeded); hops 2 and 3 (the ISP's
# router and the PLAT) answer from IPv6 addresses that neither pool6 nor
# the EAMT maps: the CLAT gives their errors its own address (RFC 7915
# section 5.1, RFC 6791 without a prefix). traceroute takes a hop's
# answer only when the quoted probe matches: the quotes were translated
# back by both translators.
if command -v traceroute >/dev/null; then
	ip netns exec "$APP" timeout 30 traceroute -n -q 1 -w 2 -m 6 "$SRV4" \
		>"$IT_TMP/tr" 2>&1
	sed 's/^/    /' "$IT_TMP/tr"
	tr_hops() {
		[ "$(grep -Ec '^ *[123] +192\.168\.1\.1 ' "$IT_TMP/tr")" = 3 ] &&
		grep -Eq '^ *4 +203\.0\.113\.10 ' "$IT_TMP/tr"
	}
	it_check "$T: traceroute: hops 1-3 (CLAT, ISP, PLAT) from 192.168.1.1, hop 4 the server" tr_hops
else
	echo "(no traceroute: Debian package traceroute; hops not checked)"
fi

# --- UDP ----------------------------------------------------------------------
ip netns exec "$SRV" timeout 40 python3 "$srcdir/test/integration/clattool.py" \
	udp-peer-echo 0.0.0.0 7001 20 --timeout 35 >/dev/null 2>&1 &
udp_pid=$!
it_listen "$SRV" 7001 udp
udp_peer() {
	local peer
	peer=$(ip netns exec "$APP" timeout 20 python3 \
		"$srcdir/test/integration/clattool.py" udp-peer-ask "$SRV4" 7001 \
		--timeout 15) || return 1
	echo "server saw $peer"
	[ "$peer" = "$POOL4" ]
}
it_check "$T: UDP request/response; the server sees the PLAT's pool4 $POOL4" udp_peer
kill "$udp_pid" 2>/dev/null
wait "$udp_pid" 2>/dev/null
ip netns exec "$SRV" timeout 40 python3 "$NETTOOL" udp-echo 0.0.0.0 7002 5 \
	--timeout 35 >/dev/null 2>&1 &
udp_pid=$!
it_listen "$SRV" 7002 udp
it_check "$T: 5 UDP requests, every answer checked (nettool udp-ask)" \
	ip netns exec "$APP" timeout 20 python3 "$NETTOOL" udp-ask "$SRV4" 7002 5 --timeout 15
kill "$udp_pid" 2>/dev/null
wait "$udp_pid" 2>/dev/null
ip netns exec "$SRV" timeout 40 python3 "$NAT64TOOL" udp-server 0.0.0.0 7003 \
	--timeout 35 >/dev/null 2>&1 &
udp_pid=$!
it_listen "$SRV" 7003 udp
it_check "$T: UDP requests of 3000 and 5000 bytes (IPv4 fragments, IPv6 fragments, reassembled by the PLAT)" \
	ip netns exec "$APP" timeout 20 python3 "$NAT64TOOL" udp-big-ask "$SRV4" 7003 \
	--sizes 3000,5000 --timeout 15
it_check "$T: UDP answers of 3000 and 5000 bytes, fragmented the other way" \
	ip netns exec "$APP" timeout 20 python3 "$NAT64TOOL" udp-big-ask "$SRV4" 7003 \
	--sizes 3000,5000 --give --timeout 15
kill "$udp_pid" 2>/dev/null
wait "$udp_pid" 2>/dev/null
udp_bib() {
	it_tctl bib show udp | tee /dev/stderr |
		grep -Eq "^udp +$APP6#[0-9]+ +$POOL4#[0-9]+ +dynamic "
}
it_check "PLAT: bib show udp: $APP6#port <-> $POOL4#port" udp_bib

# --- ICMP error path ------------------------------------------------------------
icmp_quote() {
	local out
	out=$(ip netns exec "$APP" timeout 20 python3 \
		"$srcdir/test/integration/clattool.py" icmp-quote "$SRV4" 9 \
		--timeout 10) || return 1
	echo "$out"
	echo "$out" | grep -Eqx "type 3 code 3 from $SRV4 quoting $APP4#[0-9]+ > $SRV4#9 proto 17"
}
it_check "$T: UDP to a closed port: ICMPv4 port unreachable from $SRV4 quoting $APP4 -> $SRV4#9" \
	icmp_quote

# --- TCP ----------------------------------------------------------------------
PORT=5200
# upload BYTES LABEL: app -> server, SHA-256 on both ends, the server's peer.
upload() {
	local bytes=$1 sink out src
	PORT=$((PORT + 1))
	ip netns exec "$SRV" timeout 130 python3 "$srcdir/test/integration/clattool.py" \
		tcp-peer-sink 0.0.0.0 "$PORT" --timeout 120 >"$IT_TMP/sink" 2>&1 &
	sink=$!
	it_listen "$SRV" "$PORT"
	src=$(ip netns exec "$APP" timeout 130 python3 "$NETTOOL" tcp-source \
		"$SRV4" "$PORT" "$bytes" --timeout 120)
	wait "$sink"
	out=$(cat "$IT_TMP/sink")
	echo "source: $src"
	echo "sink:   $out"
	[ "$out" = "peer=$POOL4 bytes=$bytes sha256=${src#* }" ]
}
# download BYTES: server -> app.
download() {
	local bytes=$1 srv out got
	PORT=$((PORT + 1))
	ip netns exec "$SRV" timeout 130 python3 "$srcdir/test/integration/clattool.py" \
		tcp-peer-serve 0.0.0.0 "$PORT" "$bytes" --timeout 120 \
		>"$IT_TMP/serve" 2>&1 &
	srv=$!
	it_listen "$SRV" "$PORT"
	got=$(ip netns exec "$APP" timeout 130 python3 \
		"$srcdir/test/integration/clattool.py" tcp-get "$SRV4" "$PORT" \
		--timeout 120)
	wait "$srv"
	out=$(cat "$IT_TMP/serve")
	echo "server: $out"
	echo "app:    $got"
	[ "$out" = "peer=$POOL4 $got" ]
}
it_check "$T: TCP 4 MB app -> server: sha256 equal, the server's peer is $POOL4" \
	upload 4000000
it_check "$T: TCP 4 MB server -> app: sha256 equal, the server's peer is $POOL4" \
	download 4000000
tcp_bib() {
	it_tctl bib show tcp | tee /dev/stderr |
		grep -Eq "^tcp +$APP6#[0-9]+ +$POOL4#[0-9]+ +dynamic "
}
it_check "PLAT: bib show tcp: $APP6#port <-> $POOL4#port" tcp_bib
tcp_session() {
	it_tctl session show tcp | tee /dev/stderr |
		grep -Eq "^tcp +$APP6#[0-9]+ +64:ff9b::cb00:710a#$PORT +$POOL4#[0-9]+ +$SRV4#$PORT "
}
it_check "PLAT: session show tcp: $APP6 -> 64:ff9b::203.0.113.10#$PORT as $POOL4" tcp_session

# --- inward: a static binding on the PLAT to the customer's application -------
# 198.51.100.1#8000 leads to 2001:db8:aaaa::2#8000, which the CLAT's EAMT
# makes 192.168.1.2#8000: port forwarding for a 464XLAT customer.
it_check "PLAT: transctl bib add tcp $POOL4#8000 $APP6#8000" \
	sh -c "timeout 20 '$TRANSCTL' bib add tcp $POOL4#8000 $APP6#8000 --control '$IT_TMP/ctl.sock' |
		grep -qx 'bib add tcp $POOL4#8000 $APP6#8000'"
# inward FROM_NS EXPECTED_PEER: FROM_NS sends 1 MB to $POOL4#8000, the
# application receives it and sees EXPECTED_PEER.
inward() {
	local sink src out
	ip netns exec "$APP" timeout 40 python3 "$srcdir/test/integration/clattool.py" \
		tcp-peer-sink 0.0.0.0 8000 --timeout 30 >"$IT_TMP/sink" 2>&1 &
	sink=$!
	it_listen "$APP" 8000
	src=$(ip netns exec "$1" timeout 40 python3 "$NETTOOL" tcp-source \
		"$POOL4" 8000 1000000 --timeout 30)
	wait "$sink"
	out=$(cat "$IT_TMP/sink")
	echo "source: $src"
	echo "sink:   $out"
	[ "$out" = "peer=$2 bytes=1000000 sha256=${src#* }" ]
}
it_check "$T: server -> $POOL4#8000 -> the application: 1 MB intact, the application sees $SRV4" \
	inward "$SRV" "$SRV4"
# RFC 6146 section 3.8: the PLAT sends a packet for its own pool4 back
# in; the application reaches itself and sees the PLAT's address.
it_check "$T: hairpinning: the application -> $POOL4#8000 -> itself: 1 MB intact, seen from $POOL4" \
	inward "$APP" "$POOL4"
# The application's ICMPv4 error, translated by the CLAT and the PLAT.
timeout 20 "$TRANSCTL" bib add udp "$POOL4#9" "$APP6#9" --control "$IT_TMP/ctl.sock" >/dev/null
icmp_inward() {
	local out
	out=$(ip netns exec "$SRV" timeout 20 python3 \
		"$srcdir/test/integration/clattool.py" icmp-quote "$POOL4" 9 \
		--timeout 10) || return 1
	echo "$out"
	echo "$out" | grep -Eqx "type 3 code 3 from $POOL4 quoting $SRV4#[0-9]+ > $POOL4#9 proto 17"
}
it_check "$T: UDP to the application's closed port through a static binding: port unreachable from $POOL4 quoting $SRV4 -> $POOL4#9" \
	icmp_inward

# --- counters -----------------------------------------------------------------
clat_counts() {
	local v
	for v in translated_4to6 translated_6to4; do
		echo "$v=$(clat_stat "$v")"
		[ "$(clat_stat "$v")" -gt 0 ] || return 1
	done
}
it_check "CLAT: translated both ways" clat_counts

# --- a narrower IPv6 link: the clat-isp link at 1280 ----------------------------
ip netns exec "$CLAT" ip link set wan mtu 1280
ip netns exec "$ISP" ip link set west mtu 1280
sleep 1.2	# the daemons' route MTU cache (1 s)
# From the server (first: once TCP has taught the PLAT the path's MTU,
# the PLAT answers such datagrams itself): its 1428-byte IPv4 datagram
# with DF becomes a 1448-byte IPv6 packet at the PLAT, too big for the
# ISP's 1280 link; the ISP's Packet Too Big reaches the server as
# Fragmentation Needed 1260.
it_counters
learned0=$(it_counter pmtu_learned)
ptb_back() {
	ip netns exec "$SRV" timeout 20 python3 "$NETTOOL" udp-probe "$POOL4" 9 2 1400 &&
	sleep 0.5 &&
	ip netns exec "$SRV" ip route get "$POOL4" | tee /dev/stderr | grep -q 'mtu 1260' &&
	it_counters &&
	echo "PLAT pmtu_learned $learned0 -> $(it_counter pmtu_learned)" &&
	[ "$(it_counter pmtu_learned)" -gt "${learned0:-0}" ]
}
it_check "$T: the ISP's Packet Too Big 1280 reaches the server as Fragmentation Needed 1260 (PLAT pmtu_learned)" \
	ptb_back

it_check "$T: MTU 1280 clat-isp, MSS clamped by the CLAT: TCP 8 MB app -> server intact" \
	upload 8000000
it_check "$T: MTU 1280 clat-isp, MSS clamped by the CLAT: TCP 8 MB server -> app intact" \
	download 8000000
it_conf_reset "$IT_TMP/clat.conf" "$IT_TMP/clat2.conf"
echo "mss-clamp no" >>"$IT_TMP/clat2.conf"
cp "$IT_TMP/clat2.conf" "$IT_TMP/clat.conf"
it_check "CLAT: reload with mss-clamp no" clat_tctl reload
# A 1428-byte IPv4 packet with DF becomes a 1448-byte IPv6 one, over the
# WAN's 1280: the CLAT answers Fragmentation Needed with 1280 - 20
# (RFC 7915 section 4; ping reports the kernel's cached value later on).
frag_needed() {
	local out
	out=$(ip netns exec "$APP" timeout 20 ping -c 2 -i 0.3 -W 2 -s 1400 -Mdo "$SRV4" 2>&1)
	echo "$out"
	echo "$out" | grep -Eq '^From 192\.168\.1\.1 .*mtu = 1260\)'
}
it_check "$T: MTU 1280 clat-isp: ping -s 1400 -M do gets Fragmentation Needed, MTU 1260, from the CLAT" \
	frag_needed
it_check "$T: MTU 1280 clat-isp, path MTU discovery: TCP 8 MB app -> server intact" \
	upload 8000000
it_check "$T: MTU 1280 clat-isp, path MTU discovery: TCP 8 MB server -> app intact" \
	download 8000000
frag0=$(clat_stat fragments_out)
ping_frag() {
	ip netns exec "$APP" timeout 20 ping -c 2 -i 0.3 -W 3 -s 1400 -M dont "$SRV4" |
		tee /dev/stderr | grep -q ' 2 received' &&
	echo "fragments_out $frag0 -> $(clat_stat fragments_out)" &&
	[ "$(clat_stat fragments_out)" -ge $((frag0 + 2)) ]
}
it_check "$T: MTU 1280 clat-isp: ping -s 1400 -M dont: 2 replies, the CLAT cut the requests into IPv6 fragments" \
	ping_frag

if [ "$IT_FAILS" != 0 ]; then
	echo "CLAT log:"
	sed 's/^/    /' "$CLAT_SOCK.log" | tail -30
fi
it_done
