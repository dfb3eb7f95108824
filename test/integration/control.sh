#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# translatord's life cycle and control socket: requests, reload (good,
# bad, start-only change, SIGHUP), the rules it installs and removes, and
# its refusals (not root, bad config, socket in use).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/siit.conf"
cp "$srcdir/examples/demo-siit.conf" "$CONF"

# Refusals before a daemon runs.
ip netns exec "$XL" setpriv --reuid 65534 --regid 65534 --clear-groups \
	--inh-caps=-all "$TRANSLATORD" -c "$CONF" --control "$IT_TMP/x.sock" \
	>"$IT_TMP/nonroot" 2>&1
it_check "refuses to run without root or capabilities" \
	grep -q "needs root, or CAP_NET_ADMIN and CAP_NET_RAW" "$IT_TMP/nonroot"
printf 'pool6 2001:db8:100::/40\ntranslate4 300.1.2.3/8\n' >"$IT_TMP/bad.conf"
ip netns exec "$XL" timeout 10 "$TRANSLATORD" -c "$IT_TMP/bad.conf" \
	--control "$IT_TMP/x.sock" >"$IT_TMP/badstart" 2>&1
it_check "a bad config stops the start with FILE:LINE" \
	grep -q "bad.conf:2: " "$IT_TMP/badstart"
[ "$(it_queue_rules)" = 0 ] && it_pass "no rule left by the failed starts" ||
	it_fail "rules left behind by failed starts"

it_daemon "$CONF"
it_check "status" sh -c "it_ctl() { timeout 20 python3 '$NETTOOL' ctl '$IT_TMP/ctl.sock' \"\$@\"; };
	it_ctl status | grep -q '^rules_installed 4$'"
it_ctl stats >"$IT_TMP/stats"
n_core=$(grep -c '^core	' "$IT_TMP/stats")
n_desc=$(awk -F'\t' 'NF == 4 && $4 != ""' "$IT_TMP/stats" | wc -l)
n_all=$(($(wc -l <"$IT_TMP/stats") - 1))
if [ "$n_core" -ge 20 ] && [ "$n_desc" = "$n_all" ] &&
   grep -q '^kernel	tcp_queue_dropped	' "$IT_TMP/stats"; then
	it_pass "stats: $n_all counters, each with its explanation"
else
	it_fail "stats: $n_core core lines, $n_desc of $n_all described"
fi
it_check "config shows the daemon directives" \
	sh -c "timeout 20 python3 '$NETTOOL' ctl '$IT_TMP/ctl.sock' config | grep -q '^translate4 192.0.2.0/24$'"
it_ctl rules | tail -n +2 >"$IT_TMP/rules.daemon"
it_check "rules lists 4 rules" \
	sh -c "[ \$(timeout 20 python3 '$NETTOOL' ctl '$IT_TMP/ctl.sock' rules | grep -c NFQUEUE) = 4 ]"
[ "$(it_queue_rules)" = 4 ] && it_pass "4 rules in the kernel" ||
	it_fail "expected 4 rules in the kernel, found $(it_queue_rules)"
# The same through transctl.
"$TRANSCTL" status --control "$IT_TMP/ctl.sock" >"$IT_TMP/tstatus" 2>&1
it_check "transctl status" grep -q '^rules_installed 4$' "$IT_TMP/tstatus"
"$TRANSCTL" stats --json --control "$IT_TMP/ctl.sock" >"$IT_TMP/json" 2>&1
it_check "transctl stats --json is JSON with the three groups" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"core", "daemon", "kernel"}, d.keys()
assert d["core"]["rx_v6"]["description"]' "$IT_TMP/json"
it_check "transctl rules -c CONFIG (offline) gives the installed rules" sh -c \
	"'$TRANSCTL' rules -c '$CONF' | cmp - '$IT_TMP/rules.daemon'"
if it_ctl frobnicate >"$IT_TMP/reply" 2>&1; then
	it_fail "an unknown request was accepted"
else
	it_check "unknown request answered with an error" \
		grep -q "^error unknown request" "$IT_TMP/reply"
fi
it_check "non-root clients cannot connect" sh -c "! setpriv --reuid 65534 \
	--regid 65534 --clear-groups timeout 10 python3 '$NETTOOL' ctl \
	'$IT_TMP/ctl.sock' status"
ls -l "$IT_TMP/ctl.sock" >"$IT_TMP/ls"
it_check "socket mode 0600" grep -q '^srw------- ' "$IT_TMP/ls"

# Reload: a bad file is refused and the running configuration stays.
echo "pool6 2001:db8:100::/41" >>"$CONF"
it_ctl reload >"$IT_TMP/reply" 2>&1
it_check "bad reload refused with FILE:LINE" grep -q "^error .*siit.conf:[0-9]*: " \
	"$IT_TMP/reply"
it_check "ping still translated after the refused reload" \
	ip netns exec "$H6" timeout 10 ping -c 1 -W 2 "$IT_V6_VIEW_OF_V4"
[ "$(it_stat reload_failures)" = 1 ] && it_pass "reload_failures counted" ||
	it_fail "reload_failures not counted"
"$TRANSCTL" reload --control "$IT_TMP/ctl.sock" >"$IT_TMP/treload" 2>&1
status=$?
it_check "transctl reload of a bad file: exit 1 with the message" sh -c \
	"[ $status = 1 ] && grep -q 'transctl reload: .*siit.conf:[0-9]*: ' '$IT_TMP/treload'"

cp "$srcdir/examples/demo-siit.conf" "$CONF"
echo "queue-tcp 99" >>"$CONF"
it_ctl reload >"$IT_TMP/reply" 2>&1
it_check "a start-only setting is refused on reload" \
	grep -q "queue-tcp cannot change on reload" "$IT_TMP/reply"

cp "$srcdir/examples/demo-siit.conf" "$CONF"
echo "translate4 203.0.113.0/24" >>"$CONF"
it_check "good reload" it_ctl reload
[ "$(it_queue_rules)" = 6 ] && it_pass "reload added the new rules (6)" ||
	it_fail "after reload expected 6 rules, found $(it_queue_rules)"

cp "$srcdir/examples/demo-siit.conf" "$CONF"
kill -HUP "$IT_DAEMON_PID"
for i in $(seq 50); do
	[ "$(it_queue_rules)" = 4 ] && break
	sleep 0.1
done
[ "$(it_queue_rules)" = 4 ] && it_pass "SIGHUP reload removed them again (4)" ||
	it_fail "after SIGHUP expected 4 rules, found $(it_queue_rules)"
it_check "ping translated after the reloads" \
	ip netns exec "$H4" timeout 10 ping -c 1 -W 2 "$IT_V4_VIEW_OF_V6"

# A second daemon must not steal the socket or the queues.
ip netns exec "$XL" timeout 10 "$TRANSLATORD" -c "$CONF" \
	--control "$IT_TMP/ctl.sock" >"$IT_TMP/second" 2>&1
it_check "a second daemon is refused" grep -Eq "another|holds this queue" \
	"$IT_TMP/second"
it_check "the first one still answers" it_ctl status

# SIGTERM: exit 0, rules, socket and pidfile gone.
it_check "SIGTERM: clean exit" it_stop_daemon
[ "$(it_queue_rules)" = 0 ] && it_pass "rules removed at exit" ||
	it_fail "$(it_queue_rules) rules left after exit"
[ ! -e "$IT_TMP/ctl.sock" ] && [ ! -e "$IT_TMP/pid" ] &&
	it_pass "socket and pidfile removed" || it_fail "socket or pidfile left"
it_done
