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
# The hash seed of the spread chains (workers > 1) is the process's own.
it_ctl rules | tail -n +2 | sed 's/--hmark-rnd [0-9a-fx]*/--hmark-rnd R/' \
	>"$IT_TMP/rules.daemon"
it_check "rules lists 4 rules" \
	sh -c "[ \$(grep -Ec -- '^-A XLAT-[0-9]+-[0-9]+ ' '$IT_TMP/rules.daemon') = 4 ]"
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
# The output options on the daemon's real replies, before or after the
# command (usr/output.c).
"$TRANSCTL" --csv stats --control "$IT_TMP/ctl.sock" >"$IT_TMP/csv" 2>&1
it_check "transctl --csv stats: RFC 4180 with a header, 4 fields a row" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["group", "name", "value", "description"], rows[0]
assert len(rows) > 20 and all(len(r) == 4 and r[2].isdigit() for r in rows[1:])
assert ["core", "rx_v6"] in [r[:2] for r in rows]' "$IT_TMP/csv"
"$TRANSCTL" status --json -n --control "$IT_TMP/ctl.sock" >"$IT_TMP/sj" 2>&1
it_check "transctl status --json --numeric: the mark in decimal" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["rules_installed"] == "4" and d["mark"] == str(0x5854), d' "$IT_TMP/sj"
"$TRANSCTL" eamt show --csv --control "$IT_TMP/ctl.sock" >"$IT_TMP/ec" 2>&1
it_check "transctl eamt show --csv: the header alone (no EAMT in the file)" \
	sh -c "[ \"\$(cat '$IT_TMP/ec')\" = 'ipv6,ipv4' ]"
it_check "transctl rules -c CONFIG (offline) gives the installed rules" sh -c \
	"'$TRANSCTL' rules -c '$CONF' | sed 's/--hmark-rnd [0-9a-fx]*/--hmark-rnd R/' |
	cmp - '$IT_TMP/rules.daemon'"
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

# Requests are run whole or refused whole: a request cut at 256 bytes or
# at a NUL byte once ran as "denylist4 add 64.0.0.0/2".
cat >"$IT_TMP/raw.py" <<'PY'
import socket, sys, time
path, what = sys.argv[1], sys.argv[2]
if what == "idle":
    # Connections that never send a request, held open.
    held = []
    for _ in range(int(sys.argv[3])):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        held.append(s)
    print("open", flush=True)
    time.sleep(float(sys.argv[4]))
    sys.exit(0)
req = {"long": b"denylist4 add" + b" " * 233 + b"64.0.0.0/24\n",
       "nul": b"denylist4 add 64.0.0.0/2\x004\n"}[what]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(path)
s.sendall(req)
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    data = s.recv(4096)
    if not data:
        break
    reply += data
sys.stdout.write(reply.decode(errors="replace"))
PY
raw() { timeout 20 python3 "$IT_TMP/raw.py" "$IT_TMP/ctl.sock" "$@"; }
raw long >"$IT_TMP/reply" 2>&1
it_check "a request over 256 bytes is refused whole" \
	grep -q "^error request refused: longer than 256 bytes" "$IT_TMP/reply"
raw nul >"$IT_TMP/reply" 2>&1
it_check "a request with a NUL byte is refused whole" \
	grep -q "^error request refused: it holds a NUL byte" "$IT_TMP/reply"
it_ctl "denylist4 show" >"$IT_TMP/deny" 2>&1
if grep -q "64.0.0.0" "$IT_TMP/deny" || ! grep -q "^ok" "$IT_TMP/deny"; then
	it_fail "a refused request changed the denylist: $(tr '\n' ' ' <"$IT_TMP/deny")"
else
	it_pass "nothing of the refused requests ran (denylist4 unchanged)"
fi
[ "$(it_stat control_bad_requests)" = 2 ] &&
	it_pass "control_bad_requests counted them (2)" ||
	it_fail "control_bad_requests is $(it_stat control_bad_requests), not 2"

# Idle clients, more than the daemon's slots, do not hold others up.
raw idle 20 8 >"$IT_TMP/idle" 2>&1 &
idle_pid=$!
for i in $(seq 50); do
	grep -q open "$IT_TMP/idle" && break
	sleep 0.1
done
slow=
for i in 1 2 3; do
	t0=$(date +%s%N)
	timeout 5 "$TRANSCTL" status --control "$IT_TMP/ctl.sock" \
		>"$IT_TMP/tstatus" 2>&1 || slow="$slow failed"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -lt 1000 ] || slow="$slow ${ms}ms"
done
[ -z "$slow" ] && grep -q open "$IT_TMP/idle" &&
	it_pass "20 idle connections: status still answered within 1 s" ||
	it_fail "with 20 idle connections status was slow or failed:$slow"
kill "$idle_pid" 2>/dev/null
wait "$idle_pid" 2>/dev/null

# A non-root client that reaches the socket is told why, not EPIPE.
chmod 711 "$IT_TMP"
chmod 666 "$IT_TMP/ctl.sock"
bad=
for i in 1 2 3 4 5; do
	setpriv --reuid 65534 --regid 65534 --clear-groups timeout 10 \
		"$TRANSCTL" status --control "$IT_TMP/ctl.sock" \
		>"$IT_TMP/nobody" 2>&1
	status=$?
	grep -q "root only" "$IT_TMP/nobody" && [ "$status" = 1 ] ||
		bad="$bad [$status: $(cat "$IT_TMP/nobody")]"
done
chmod 600 "$IT_TMP/ctl.sock"
chmod 700 "$IT_TMP"
[ -z "$bad" ] && it_pass "non-root transctl: 'root only', exit 1 (5 times)" ||
	it_fail "non-root transctl:$bad"

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

it_conf_reset "$srcdir/examples/demo-siit.conf" "$CONF"
echo "queue-tcp 99" >>"$CONF"
it_ctl reload >"$IT_TMP/reply" 2>&1
it_check "a start-only setting is refused on reload" \
	grep -q "queue-tcp cannot change on reload" "$IT_TMP/reply"

it_conf_reset "$srcdir/examples/demo-siit.conf" "$CONF"
echo "translate4 203.0.113.0/24" >>"$CONF"
it_check "good reload" it_ctl reload
[ "$(it_queue_rules)" = 6 ] && it_pass "reload added the new rules (6)" ||
	it_fail "after reload expected 6 rules, found $(it_queue_rules)"

it_conf_reset "$srcdir/examples/demo-siit.conf" "$CONF"
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
