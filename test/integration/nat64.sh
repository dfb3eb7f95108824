#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Stateful NAT64 (RFC 6146) end to end, examples/nat64.conf with short
# timeouts: the IPv6-only host reaches the IPv4 host as
# 64:ff9b::198.51.100.2 through the shared pool4 address 192.0.2.2 with
# ping (also fragmented), curl against python3 -m http.server, UDP
# (also fragmented, both ways) and 200 concurrent TCP connections checked by
# SHA-256; `transctl session show` lists the sessions and they expire;
# an IPv4 host cannot open a connection inward without a static binding,
# and can with the file's and with one added by `transctl bib add`; an
# IPv6 host reaches another through its static binding (hairpinning);
# without wkp-allow-non-global the IPv4 host's documentation address is
# refused (RFC 6052 section 3.1).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
it_nat64_conf "$IT_TMP/nat64.conf" "icmp-timeout 3" "tcp-trans-timeout 6" \
	"tcp-incoming-syn-timeout 2"
it_daemon "$IT_TMP/nat64.conf"
V6RE=$(echo "$IT_V6_HOST" | sed 's/\./\\./g')

status_nat64() {
	it_tctl status >"$IT_TMP/status" &&
	grep -qx 'mode nat64' "$IT_TMP/status" &&
	grep -qx 'pool4_entries 3' "$IT_TMP/status" &&
	grep -qx 'bib_static_entries 1' "$IT_TMP/status" &&
	grep -qx 'nat64_bib_tcp 1' "$IT_TMP/status" &&
	grep -Eqx 'nat64_lock_taken [1-9][0-9]*' "$IT_TMP/status" &&
	grep -Eqx 'nat64_lock_contended [0-9]+' "$IT_TMP/status"
}
it_check "status: mode nat64, pool4 192.0.2.2 for 3 protocols, the file's static binding, the state's lock counts" \
	status_nat64

# --- ping, also in fragments -------------------------------------------------
it_check "ping IPv6 -> IPv4 through 64:ff9b::/96" \
	ip netns exec "$H6" ping -c 3 -i 0.2 -W 2 "$IT_NAT64_V4"
icmp_listed() {
	it_tctl session show icmp >"$IT_TMP/icmp" &&
	grep -Eq "^icmp +$V6RE#[0-9]+ +64:ff9b::c633:6402#0 +$IT_POOL4#[0-9]+ +198\.51\.100\.2#0 +- +[1-3]\$" \
		"$IT_TMP/icmp"
}
it_check "session show icmp: the echo identifier's session, pool4 192.0.2.2, expiring within icmp-timeout" \
	icmp_listed
it_counters
frags0=$(it_counter reassembled)
it_check "ping -s 3000: ICMP fragments both ways" \
	ip netns exec "$H6" ping -c 2 -i 0.3 -W 2 -s 3000 "$IT_NAT64_V4"
it_counters
it_check "ping -s 3000: $(($(it_counter reassembled) - frags0)) messages reassembled (>= 4: requests and replies)" \
	test "$(($(it_counter reassembled) - frags0))" -ge 4

# --- curl from an IPv4 web server ------------------------------------------------
mkdir -p "$IT_TMP/www"
head -c 1000000 /dev/urandom >"$IT_TMP/www/page.bin"
# --bind 0.0.0.0: with the host's own address http.server looks its name
# up (getfqdn) in a DNS it cannot reach from here, and listens 15 s late.
(cd "$IT_TMP/www" && exec ip netns exec "$H4" timeout 60 python3 -m http.server \
	8080 --bind 0.0.0.0 >"$IT_TMP/http.log" 2>&1) &
http_pid=$!
it_check "python3 -m http.server listens on the IPv4 host" it_listen "$H4" 8080
curl_page() {
	command -v curl >/dev/null || { echo "no curl (Debian package curl)"; return 1; }
	code=$(ip netns exec "$H6" timeout 20 curl -sS -g -o "$IT_TMP/got.bin" \
		-w '%{http_code}' "http://[$IT_NAT64_V4]:8080/page.bin") &&
	echo "HTTP $code" && [ "$code" = 200 ] &&
	[ "$(sha256sum <"$IT_TMP/got.bin")" = "$(sha256sum <"$IT_TMP/www/page.bin")" ]
}
it_check "curl http://[$IT_NAT64_V4]:8080/page.bin: HTTP 200, 1 MB, sha256 equal" curl_page
kill "$http_pid" 2>/dev/null
wait "$http_pid" 2>/dev/null

# --- UDP ----------------------------------------------------------------------
it_udp_server 7001
udp_pid=$IT_UDP_PID
it_check "UDP request/response IPv6 -> IPv4" \
	ip netns exec "$H6" timeout 20 python3 "$NETTOOL" udp-ask "$IT_NAT64_V4" 7001 5 --timeout 15
it_counters
held0=$(it_counter fragments_held)
it_check "UDP answers of 3000 and 5000 bytes: IPv4 fragments reassembled, sent on as IPv6 fragments" \
	ip netns exec "$H6" timeout 20 python3 "$NAT64TOOL" udp-big-ask "$IT_NAT64_V4" 7001 \
	--sizes 3000,5000 --give --timeout 15
it_counters
it_check "NAT64 reassembly held $(($(it_counter fragments_held) - held0)) IPv4 fragments (>= 4)" \
	test "$(($(it_counter fragments_held) - held0))" -ge 4
fout0=$(it_counter fragments_out)
it_check "UDP requests of 3000 and 5000 bytes: IPv6 fragments reassembled, sent on as IPv4 fragments" \
	ip netns exec "$H6" timeout 20 python3 "$NAT64TOOL" udp-big-ask "$IT_NAT64_V4" 7001 \
	--sizes 3000,5000 --timeout 15
it_counters
it_check "the core cut them to the IPv4 MTU: $(($(it_counter fragments_out) - fout0)) fragments (>= 5)" \
	test "$(($(it_counter fragments_out) - fout0))" -ge 5
kill "$udp_pid" 2>/dev/null
wait "$udp_pid" 2>/dev/null
it_check "closed UDP port: ICMPv4 port unreachable comes back through the session as ICMPv6" \
	ip netns exec "$H6" timeout 10 python3 "$NETTOOL" udp-closed "$IT_NAT64_V4" 9 --timeout 5

udp_listed() {
	it_tctl session show udp | grep -Eq "^udp +$V6RE#[0-9]+ +64:ff9b::c633:6402#7001 +$IT_POOL4#[0-9]+ +198\.51\.100\.2#7001 +- +(29[0-9]|300)\$"
}
it_check "session show udp: the UDP session, expiring in udp-timeout (300 s)" udp_listed
json_consistent() {
	it_tctl session show --json >"$IT_TMP/s.json" &&
	python3 - "$IT_TMP/s.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
rows, c = j["sessions"], j["counts"]
for p in ("tcp", "udp", "icmp"):
    n = sum(r["proto"] == p for r in rows)
    assert c[p] == n, (p, c[p], n)
assert c["total"] == len(rows) and j["omitted"] == 0, c
assert c["udp"] >= 1, c
print(c)
EOF
}
it_check "session show --json: parses; the counts match the rows (tcp, udp, icmp)" json_consistent
# The same UDP session as CSV with protocol numbers: the header, then
# 17 (UDP) in the first field, the state "-" and the seconds left.
udp_csv() {
	it_tctl --csv --numeric session show udp >"$IT_TMP/s.csv" &&
	head -1 "$IT_TMP/s.csv" | grep -qx 'proto,ipv6,remote6,ipv4,remote4,state,expires_s' &&
	grep -Eq "^17,$V6RE#[0-9]+,64:ff9b::c633:6402#7001,$IT_POOL4#[0-9]+,198\.51\.100\.2#7001,-,(2[0-9][0-9]|300)\$" "$IT_TMP/s.csv" &&
	! grep -q 'udp' "$IT_TMP/s.csv"
}
it_check "session show udp --csv --numeric: RFC 4180 rows, protocol 17, no count footer" udp_csv

# --- 200 concurrent TCP connections --------------------------------------------
it_counters
sess0=$(it_counter nat64_sessions_added)
bib0=$(it_counter nat64_bib_added)
exp0=$(it_counter nat64_sessions_expired)
# A client port may still have its binding from an earlier test (curl):
# endpoint-independent mapping then reuses it instead of adding one.
bib_old=$(it_nat64_count bib tcp)
ip netns exec "$H4" timeout 70 python3 "$NAT64TOOL" many-server 0.0.0.0 9000 \
	--conns 200 --timeout 60 >"$IT_TMP/many-server" 2>&1 &
server_pid=$!
it_listen "$H4" 9000
it_check "200 concurrent TCP connections, 64 KB each way, both SHA-256 sums checked" \
	ip netns exec "$H6" timeout 70 python3 "$NAT64TOOL" many-client "$IT_NAT64_V4" 9000 \
	--conns 200 --up 65536 --down 65536 --timeout 60
wait "$server_pid"
tcp_now=$(it_nat64_count session tcp)
it_check "the server saw all 200 open at once ($(cat "$IT_TMP/many-server"))" \
	grep -q '^served=200 peak=200 ' "$IT_TMP/many-server"
it_counters
it_check "200 new sessions, 200 bindings new or reused ($(($(it_counter nat64_sessions_added) - sess0)), $(($(it_counter nat64_bib_added) - bib0)) + ${bib_old:-0} old)" \
	test "$(($(it_counter nat64_sessions_added) - sess0))" -ge 200 -a \
	"$(($(it_counter nat64_bib_added) - bib0 + ${bib_old:-0}))" -ge 200
it_check "session show counts them: tcp $tcp_now (>= 200)" test "${tcp_now:-0}" -ge 200

# --- expiry ---------------------------------------------------------------------
expired() {
	[ "$(it_nat64_count session tcp)" = 0 ] &&
	[ "$(it_nat64_count session icmp)" = 0 ] &&
	[ "$(it_nat64_count bib tcp)" = 1 ] &&
	[ "$(it_nat64_count bib icmp)" = 0 ]
}
it_check "closed TCP (tcp-trans-timeout 6) and ICMP (icmp-timeout 3) sessions expire, their dynamic bindings with them" \
	it_wait_for 20 expired
it_counters
it_check "nat64_sessions_expired grew by $(($(it_counter nat64_sessions_expired) - exp0)) (>= 200)" \
	test "$(($(it_counter nat64_sessions_expired) - exp0))" -ge 200
it_check "the UDP session stays (udp-timeout 300)" test "$(it_nat64_count session udp)" -ge 1

# --- IPv4-initiated connections ---------------------------------------------------
# refused PORT: an IPv4 host's connection to 192.0.2.2#PORT, which no
# binding holds: the SYN waits tcp-incoming-syn-timeout (RFC 6146
# 3.5.2.2), then port unreachable comes back: ECONNREFUSED.
refused() {
	ip netns exec "$H6" timeout 20 python3 "$NETTOOL" tcp-sink :: "$1" \
		--timeout 10 >/dev/null 2>&1 &
	local sink=$! t0 t1 out
	it_listen "$H6" "$1"
	t0=$(date +%s%N)
	out=$(ip netns exec "$H4" timeout 20 python3 "$NETTOOL" tcp-source \
		"$IT_POOL4" "$1" 1000 --timeout 10 2>&1)
	t1=$(date +%s%N)
	kill "$sink" 2>/dev/null
	wait "$sink" 2>/dev/null
	echo "$out ($(((t1 - t0) / 1000000)) ms)"
	case "$out" in
	*"Connection refused"*) [ $(((t1 - t0) / 1000000)) -ge 1500 ] ;;
	*) return 1 ;;
	esac
}
it_counters
syn0=$(it_counter nat64_syn_unanswered)
it_check "IPv4 -> 192.0.2.2#8001 without a binding: refused after the 2 s wait" refused 8001
it_counters
it_check "nat64_syn_unanswered counted it" \
	test "$(($(it_counter nat64_syn_unanswered) - syn0))" -ge 1
IT_XFER_PORT=7999
it_transfer "$H4" "$H6" :: "$IT_POOL4" 1000000 \
	"IPv4 -> IPv6 through the file's static binding 192.0.2.2#8000"
# RFC 6146 3.8: an IPv6 host reaching a NAT64 address comes back in.
IT_XFER_PORT=7999
it_transfer "$H6" "$H6" :: "64:ff9b::$IT_POOL4" 1000000 \
	"hairpinning: IPv6 -> 64:ff9b::192.0.2.2#8000 -> the same IPv6 host"
it_check "transctl bib add tcp 192.0.2.2#8001 [$IT_V6_HOST]#8001" \
	sh -c "timeout 20 '$TRANSCTL' bib add tcp $IT_POOL4#8001 $IT_V6_HOST#8001 --control '$IT_TMP/ctl.sock' |
		grep -qx 'bib add tcp $IT_POOL4#8001 $IT_V6_HOST#8001'"
it_check "bib show tcp lists it as static" \
	sh -c "timeout 20 '$TRANSCTL' bib show tcp --control '$IT_TMP/ctl.sock' |
		grep -Eq '^tcp +$V6RE#8001 +$IT_POOL4#8001 +static +0\$'"
IT_XFER_PORT=8000
it_transfer "$H4" "$H6" :: "$IT_POOL4" 1000000 \
	"IPv4 -> IPv6 through the binding added at run time"
it_check "transctl bib remove tcp 192.0.2.2#8001" \
	sh -c "timeout 20 '$TRANSCTL' bib remove tcp $IT_POOL4#8001 --control '$IT_TMP/ctl.sock' |
		grep -q '^bib remove tcp $IT_POOL4#8001 .*(static)\$'"
it_check "IPv4 -> 192.0.2.2#8001 refused again once removed" refused 8001

it_counters
nobib0=$(it_counter drop_nat64_no_binding)
ip netns exec "$H4" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3):
    s.sendto(b"knock", (sys.argv[1], 7777))' "$IT_POOL4"
sleep 0.5
it_counters
it_check "UDP from IPv4 to an unbound pool4 port: dropped as drop_nat64_no_binding" \
	test "$(($(it_counter drop_nat64_no_binding) - nobib0))" -eq 3

# --- address query and eamt in a NAT64 ----------------------------------------
# query_is ADDR RULE RESULT REASON-PATTERN
query_is() {
	it_tctl address query "$1" >"$IT_TMP/query" 2>&1 &&
	grep -Eq "^rule +$2\$" "$IT_TMP/query" &&
	grep -Eq "^result +$3\$" "$IT_TMP/query" &&
	grep -Eq "^reason +$4" "$IT_TMP/query" ||
	{ sed 's/^/    /' "$IT_TMP/query"; false; }
}
it_check "address query 192.0.2.2: pool4, with its bindings" query_is \
	"$IT_POOL4" pool4 - "a pool4 address .*[1-9][0-9]* bindings? now \(tcp"
it_check "address query 64:ff9b::198.51.100.2: the IPv4 host it stands for" \
	query_is "$IT_NAT64_V4" pool6 198.51.100.2 "stands for the IPv4 host 198.51.100.2"
it_check "address query 198.51.100.2: an IPv4 host, at its pool6 form" \
	query_is 198.51.100.2 pool6 64:ff9b::c633:6402 "an IPv4 host: IPv6 hosts reach it at 64:ff9b::c633:6402"
it_check "address query of the IPv6 host: its bindings" query_is \
	"$IT_V6_HOST" bib - "an IPv6 host: .*[1-9][0-9]* bindings? now"
it_tctl eamt add 2001:db8:9::/120 203.0.113.0/24 >"$IT_TMP/eamt" 2>&1
status=$?
it_check "eamt add in mode nat64: refused, exit 1, with why" sh -c \
	"[ $status = 1 ] && grep -q 'mode nat64 has no EAMT (RFC 7757 is for SIIT)' '$IT_TMP/eamt'"

# --- RFC 6052 section 3.1: without wkp-allow-non-global, the IPv4 host's
# documentation address is not translated under 64:ff9b::/96 ------------------
grep -v '^wkp-allow-non-global' "$IT_TMP/nat64.conf" >"$IT_TMP/wkp.conf"
cp "$IT_TMP/wkp.conf" "$IT_TMP/nat64.conf"
it_check "reload without wkp-allow-non-global" it_tctl reload
it_counters
wkp0=$(it_counter drop_wkp_non_global)
ip netns exec "$H6" timeout 10 ping -c 1 -W 2 "$IT_NAT64_V4" \
	>"$IT_TMP/wkp.ping" 2>&1
it_check "ping $IT_NAT64_V4: answered 'administratively prohibited'" \
	grep -qi 'administratively prohibited' "$IT_TMP/wkp.ping"
it_counters
it_check "the drop counted in drop_wkp_non_global" \
	test "$(($(it_counter drop_wkp_non_global) - wkp0))" -ge 1

it_check "translatord exits 0 on SIGTERM" it_stop_daemon
it_done
