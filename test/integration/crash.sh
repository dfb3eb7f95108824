#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# translatord after a crash, and what it refuses to start with:
#  1. net.ipv6.conf.all.forwarding: turned on while running, put back to 0
#     at a clean exit when it was 0, left at 1 when it was 1;
#  2. kill -9 leaves its chain and jump (fail-closed: nothing goes through
#     untranslated); a restart, over the stale pidfile and control socket
#     and an extra jump added by hand, converges to exactly one set; a
#     clean stop leaves nothing; `transctl rules --flush` cleans up after
#     a kill -9; another instance's chain (other queues) is left alone;
#  3. a second daemon on a live one's pidfile or socket is refused and
#     leaves the first one's rules alone;
#  4. an `interface` that does not exist: start and reload refused with
#     FILE:LINE; address query says a local address is not queued even
#     inside a translated prefix (pool4 on the host's own address:
#     nat64_local.sh).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/siit.conf"
cp "$srcdir/examples/demo-siit.conf" "$CONF"
CHAIN=XLAT-64-128

# raw_count PATTERN: lines of both raw tables' -S output matching it.
raw_count() {
	ip netns exec "$XL" sh -c 'iptables -t raw -S; ip6tables -t raw -S' \
		2>/dev/null | grep -c -- "$1"
}
# one_set: 4 queue rules in the chain, one jump per family, nothing else.
one_set() {
	[ "$(raw_count "^-A $CHAIN ")" = 4 ] &&
	[ "$(raw_count "^-A PREROUTING -j $CHAIN\$")" = 2 ] &&
	[ "$(raw_count "^-N $CHAIN\$")" = 2 ] &&
	[ "$(it_queue_rules)" = 4 ]
}
# (any XLAT- chain: the spread chains of workers > 1 too)
no_set() {
	[ "$(raw_count "XLAT-")" = 0 ] && [ "$(it_queue_rules)" = 0 ]
}
raw_show() {
	ip netns exec "$XL" sh -c 'iptables -t raw -S; ip6tables -t raw -S' |
		sed 's/^/    /'
}
ping6() {
	ip netns exec "$H6" timeout 10 ping -c 2 -i 0.2 -W 2 "$IT_V6_VIEW_OF_V4"
}
ping4() {
	ip netns exec "$H4" timeout 10 ping -c 2 -i 0.2 -W 2 "$IT_V4_VIEW_OF_V6"
}
fwd6() {
	ip netns exec "$XL" cat /proc/sys/net/ipv6/conf/all/forwarding
}
kill9() {
	kill -KILL "$IT_DAEMON_PID"
	wait "$IT_DAEMON_PID" 2>/dev/null
	IT_DAEMON_PID=
}
# start_fail NAME CONF [ARGS]: a start that must fail; its output in $IT_TMP/NAME.
start_fail() {
	local name=$1 conf=$2
	shift 2
	ip netns exec "$XL" timeout 10 "$TRANSLATORD" -c "$conf" "$@" \
		>"$IT_TMP/$name" 2>&1 && echo "started" >>"$IT_TMP/$name"
}

# ------------------------------------------------------- 1. sysctls
ip netns exec "$XL" sysctl -qw net.ipv6.conf.all.forwarding=0
it_daemon "$CONF"
it_check "one set of rules after the start" one_set
[ "$(fwd6)" = 1 ] && it_pass "IPv6 forwarding on while running" ||
	it_fail "IPv6 forwarding $(fwd6) while running"
it_check "ping IPv6 -> IPv4" ping6
it_check "SIGTERM: clean exit" it_stop_daemon
[ "$(fwd6)" = 0 ] && it_pass "IPv6 forwarding back to 0 at exit" ||
	it_fail "IPv6 forwarding $(fwd6) after exit (was 0)"
ip netns exec "$XL" sysctl -qw net.ipv6.conf.all.forwarding=1

# --------------------------------------------------------- 2. kill -9
it_daemon "$CONF"
kill9
it_check "kill -9: the rules stay (fail-closed)" one_set
if ping6 >/dev/null 2>&1; then
	it_fail "a ping went through with no daemon"
else
	it_pass "no daemon: nothing goes through untranslated"
fi
[ -e "$IT_TMP/pid" ] && [ -S "$IT_TMP/ctl.sock" ] &&
	it_pass "kill -9 left a stale pidfile and socket" ||
	it_fail "no stale pidfile or socket to test with"
# A crash of an older version, or a hand, may leave a second jump.
ip netns exec "$XL" iptables -t raw -A PREROUTING -j "$CHAIN"
it_daemon "$CONF"
it_check "restart over the stale pidfile, socket and jumps: exactly one set" one_set
it_check "the pidfile holds the new pid" \
	grep -qx "$IT_DAEMON_PID" "$IT_TMP/pid"
it_check "ping IPv6 -> IPv4 after the restart" ping6
it_check "ping IPv4 -> IPv6 after the restart" ping4

# ------------------------------------------- 3. a live daemon is refused
start_fail second-pid "$CONF" --control "$IT_TMP/other.sock" \
	--pidfile "$IT_TMP/pid"
it_check "same pidfile as a live daemon: refused, naming its pid" \
	grep -q "pidfile .*: translatord pid $IT_DAEMON_PID holds it" \
	"$IT_TMP/second-pid"
start_fail second-sock "$CONF" --control "$IT_TMP/ctl.sock" \
	--pidfile "$IT_TMP/other.pid"
it_check "same socket as a live daemon: refused" \
	grep -q "another translatord is listening" "$IT_TMP/second-sock"
ip netns exec "$XL" timeout 20 "$TRANSCTL" rules --flush -c "$CONF" \
	>"$IT_TMP/flush" 2>&1
it_check "rules --flush while the daemon runs: refused" \
	grep -q "queue [0-9]* has a reader (translatord is running)" "$IT_TMP/flush"
it_check "the refused starts and flush left the live one's rules" one_set
it_check "the first daemon still answers" it_ctl status
it_check "ping IPv4 -> IPv6 after the refused starts" ping4

# --------------------------------------------------- clean stop, flush
it_check "SIGTERM: clean exit" it_stop_daemon
it_check "clean stop: no chain, no jump, no rule" no_set
[ ! -e "$IT_TMP/pid" ] && [ ! -e "$IT_TMP/ctl.sock" ] &&
	it_pass "socket and pidfile removed" || it_fail "socket or pidfile left"

it_daemon "$CONF"
kill9
ip netns exec "$XL" timeout 20 "$TRANSCTL" rules --flush -c "$CONF" \
	>"$IT_TMP/flush" 2>&1
it_check "transctl rules --flush after kill -9: 6 rules removed" \
	grep -qx "flushed chain $CHAIN: 6 rules removed" "$IT_TMP/flush"
it_check "after the flush: no chain, no jump, no rule" no_set
ip netns exec "$XL" timeout 20 "$TRANSCTL" rules --flush -c "$CONF" \
	>"$IT_TMP/flush" 2>&1
it_check "a second flush has nothing to do" \
	grep -qx "flushed chain $CHAIN: 0 rules removed" "$IT_TMP/flush"
[ "$(fwd6)" = 1 ] && it_pass "IPv6 forwarding that was 1 stays 1" ||
	it_fail "IPv6 forwarding $(fwd6) (was 1 before the start)"

# Another instance (other queues) keeps its chain when this one stops.
sed 's/^rules auto$/rules auto\nqueue-tcp 70\nqueue-other 80/' "$CONF" \
	>"$IT_TMP/other.conf"
it_daemon "$CONF"
ip netns exec "$XL" timeout 20 "$TRANSCTL" rules -c "$IT_TMP/other.conf" \
	>"$IT_TMP/other.sh" && ip netns exec "$XL" sh "$IT_TMP/other.sh"
it_check "SIGTERM with a second chain present" it_stop_daemon
[ "$(raw_count "^-A XLAT-70-80 ")" = 4 ] && [ "$(raw_count "$CHAIN")" = 0 ] &&
	it_pass "the stop removed its own chain only (the pasted XLAT-70-80 stays)" ||
	{ it_fail "chains after the stop:"; raw_show; }
ip netns exec "$XL" timeout 20 "$TRANSCTL" rules --flush -c "$IT_TMP/other.conf" \
	>/dev/null 2>&1
it_check "transctl rules --flush -c other.conf removed it" no_set

# -------------------------------------- 4. what the host cannot carry
printf 'interface v4 nosuch0\n' >>"$IT_TMP/badif.conf"
cat "$CONF" "$IT_TMP/badif.conf" >"$IT_TMP/badif.conf.tmp"
mv "$IT_TMP/badif.conf.tmp" "$IT_TMP/badif.conf"
line=$(grep -n '^interface v4 nosuch0' "$IT_TMP/badif.conf" | cut -d: -f1)
start_fail badif "$IT_TMP/badif.conf" --control "$IT_TMP/x.sock"
it_check "interface that does not exist: start refused with FILE:LINE" \
	grep -q "badif.conf:$line: interface v4 nosuch0: no such interface" \
	"$IT_TMP/badif"
it_check "no rule left by the refused start" no_set

it_daemon "$CONF"
cp "$IT_TMP/badif.conf" "$CONF.new"
cp "$CONF" "$CONF.good"
mv "$CONF.new" "$CONF"
it_tctl reload >"$IT_TMP/reload" 2>&1
it_check "reload introducing it: refused with the message" \
	grep -q "siit.conf:$line: interface v4 nosuch0: no such interface" \
	"$IT_TMP/reload"
it_check "the running configuration stays (one set, ping)" \
	sh -c "ip netns exec '$XL' iptables -t raw -S $CHAIN | grep -q -- '-i v4 ' &&
		ip netns exec '$H4' timeout 10 ping -c 1 -W 2 '$IT_V4_VIEW_OF_V6'"
mv "$CONF.good" "$CONF"

# address query: translate4 holds 192.0.2.77, but the host owns it.
ip netns exec "$XL" ip addr add 192.0.2.77/32 dev lo
it_tctl address query 192.0.2.78 >"$IT_TMP/q" 2>&1
it_check "address query of a translated address: queued yes" \
	grep -Eq '^queued +yes' "$IT_TMP/q"
it_tctl address query 192.0.2.77 >"$IT_TMP/q" 2>&1
it_check "address query of a local address: queued no, and why" sh -c \
	"grep -Eq '^queued +no' '$IT_TMP/q' && grep -q 'an address of this host' '$IT_TMP/q'"
it_check "SIGTERM" it_stop_daemon

it_done
