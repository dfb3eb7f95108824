#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# transctl's operator commands against a running translatord: run-time
# `eamt` and `denylist4` changes that change how the next packet is
# translated (seen on the far host), `address query` for each rule, a
# broken reload that keeps the running configuration (run-time changes
# included) and a good one that returns to the file, status / stats /
# config, and the errors (unknown subcommand, bad address, permission,
# daemon not running) with their exit statuses.
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
it_topology
CONF="$IT_TMP/siit.conf"
cp "$srcdir/examples/demo-siit.conf" "$CONF"

# Addresses of the demo network (examples/demo-siit.conf, lib.sh). The
# entry gives the IPv6 host a second IPv4 address, outside translate4.
# (An entry for the IPv4 host's own address would not do: RFC 7757
# section 4.2 hairpins IPv6 packets to an EAMT IPv4 address back to IPv6.)
EAMT6=$IT_V6_HOST/128
EAMT4=203.0.113.5/32
H6_EAMT4=203.0.113.5
PORT=4242

tc() { timeout 30 "$TRANSCTL" "$@" --control "$IT_TMP/ctl.sock"; }

ping6_ok() { ip netns exec "$H6" timeout 10 ping -c 1 -W 2 "$1" >/dev/null 2>&1; }
ping6_lost() { ! ip netns exec "$H6" timeout 5 ping -c 1 -W 1 "$1" >/dev/null 2>&1; }
ping4_ok() { ip netns exec "$H4" timeout 10 ping -c 1 -W 2 "$1" >/dev/null 2>&1; }
ping4_lost() { ! ip netns exec "$H4" timeout 5 ping -c 1 -W 1 "$1" >/dev/null 2>&1; }

# A UDP service on the IPv4 host that answers "from ADDR": the source
# address it saw, i.e. how the translator mapped the IPv6 host's address.
cat >"$IT_TMP/whoami.py" <<'EOF'
import socket, sys, time
if sys.argv[1] == "serve":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], int(sys.argv[3])))
    deadline = time.monotonic() + float(sys.argv[4])
    while time.monotonic() < deadline:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            break
        s.sendto(b"from " + peer[0].encode(), peer)
else:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.connect((sys.argv[2], int(sys.argv[3])))
    for _ in range(10):
        s.send(b"who am I?")
        s.settimeout(0.5)
        try:
            print(s.recv(2048).decode())
            sys.exit(0)
        except (socket.timeout, ConnectionRefusedError):
            pass
    sys.exit("whoami: no answer")
EOF
whoami() {
	ip netns exec "$H6" timeout 15 python3 "$IT_TMP/whoami.py" ask \
		"$IT_V6_VIEW_OF_V4" "$PORT" 2>&1
}
ip netns exec "$H4" timeout 300 python3 "$IT_TMP/whoami.py" serve \
	"$IT_V4_HOST" "$PORT" 280 &
WHOAMI_PID=$!

# it_expect DESCRIPTION STATUS PATTERN COMMAND...: COMMAND exits with
# STATUS and its output (stdout and stderr) matches the grep -E PATTERN.
it_expect() {
	local what=$1 want=$2 pattern=$3 status
	shift 3
	"$@" >"$IT_TMP/exp" 2>&1
	status=$?
	if [ "$status" = "$want" ] && grep -Eq -- "$pattern" "$IT_TMP/exp"; then
		it_pass "$what"
	else
		it_fail "$what (exit $status, wanted $want and /$pattern/)"
		sed 's/^/    /' "$IT_TMP/exp" | tail -10
	fi
}

# it_field FILE KEY: the value of a "key  value" line of a query.
it_field() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ +/, ""); print; exit }' "$1"
}

it_daemon "$CONF"
rules0=$(it_queue_rules)

# --- eamt: an address that was not translated becomes reachable, and
# the IPv6 host's source address changes on the far side ---------------
it_expect "eamt show: the header only (empty table)" 0 '^IPV6 PREFIX +IPV4 PREFIX$' \
	tc eamt show
it_check "eamt show --json: an empty list" sh -c \
	"'$TRANSCTL' eamt show --json --control '$IT_TMP/ctl.sock' | python3 -c '
import json, sys; assert json.load(sys.stdin) == {\"eamt\": []}'"
tc address query "$H6_EAMT4" >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" queued)" = no ] &&
	it_pass "address query $H6_EAMT4: not queued before eamt add" ||
	{ it_fail "address query $H6_EAMT4 before"; sed 's/^/    /' "$IT_TMP/q"; }
it_check "before eamt add: $H6_EAMT4 is not translated" ping4_lost "$H6_EAMT4"
it_expect "the IPv4 host sees the IPv6 host through pool6" 0 \
	"^from $IT_V4_VIEW_OF_V6$" whoami

it_expect "eamt add" 0 "^eamt add $EAMT6 $EAMT4$" tc eamt add "$EAMT6" "$EAMT4"
it_check "after eamt add: the next ping to $H6_EAMT4 reaches the IPv6 host" \
	ping4_ok "$H6_EAMT4"
it_expect "after eamt add: the next datagram arrives from $H6_EAMT4" 0 \
	"^from $H6_EAMT4$" whoami
tc address query "$H6_EAMT4" >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" rule)" = eamt ] &&
[ "$(it_field "$IT_TMP/q" result)" = "$IT_V6_HOST" ] &&
[ "$(it_field "$IT_TMP/q" match)" = "eamt $EAMT6 $EAMT4" ] &&
[ "$(it_field "$IT_TMP/q" queued_by)" = "$EAMT4" ] &&
	it_pass "address query $H6_EAMT4: the eamt entry, $IT_V6_HOST, queued" ||
	{ it_fail "address query of an EAMT address"; sed 's/^/    /' "$IT_TMP/q"; }
tc address query "$IT_V6_HOST" --json >"$IT_TMP/q.json" 2>&1
it_check "address query --json of the IPv6 host" python3 -c '
import json, sys
q = json.load(open(sys.argv[1]))
assert q["family"] == "ipv6" and q["rule"] == "eamt", q
assert q["result"] == sys.argv[2] and q["match"] == "eamt " + sys.argv[3], q' \
	"$IT_TMP/q.json" "$H6_EAMT4" "$EAMT6 $EAMT4"
it_expect "eamt show lists the entry, aligned" 0 \
	"^2001:db8:1c0:2:21::/128 +203\\.0\\.113\\.5/32$" tc eamt
it_check "eamt show --json" sh -c \
	"'$TRANSCTL' eamt show --json --control '$IT_TMP/ctl.sock' | python3 -c '
import json, sys
assert json.load(sys.stdin) == {\"eamt\": [{\"ipv6\": \"$EAMT6\", \"ipv4\": \"$EAMT4\"}]}'"
[ "$(it_queue_rules)" = $((rules0 + 4)) ] &&
	it_pass "eamt add installed the entry's 4 queue rules" ||
	it_fail "after eamt add: $(it_queue_rules) rules, wanted $((rules0 + 4))"
it_expect "status counts the entry and the run-time change" 0 \
	'^runtime_changes 1$' tc status
grep -q '^eamt_entries 1$' "$IT_TMP/exp" && it_pass "status: eamt_entries 1" ||
	it_fail "status: eamt_entries"
it_expect "config show has the run-time entry" 0 "^eamt $EAMT6 $EAMT4$" \
	tc config show
grep -q "a reload returns to the file" "$IT_TMP/exp" &&
	it_pass "config show warns about run-time changes" ||
	it_fail "config show: no run-time warning"

# RFC 7757: overlapping entries are allowed, the longest prefix wins in
# each direction; an IPv4 suffix shorter than the IPv6 one sits right
# after the IPv6 prefix.
it_expect "eamt add of an overlapping entry" 0 \
	"^eamt add 2001:db8:eeee::/120 203.0.113.0/24$" \
	tc eamt add 2001:db8:eeee::/120 203.0.113.0/24
it_check "the overlapped /32 still wins: $H6_EAMT4 reaches the IPv6 host" \
	ping4_ok "$H6_EAMT4"
tc address query 203.0.113.6 >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" result)" = 2001:db8:eeee::6 ] &&
[ "$(it_field "$IT_TMP/q" match)" = "eamt 2001:db8:eeee::/120 203.0.113.0/24" ] &&
	it_pass "address query 203.0.113.6: the /24 entry" ||
	{ it_fail "address query 203.0.113.6"; sed 's/^/    /' "$IT_TMP/q"; }
it_expect "eamt add with a shorter IPv4 suffix" 0 \
	"^eamt add 2001:db8:eeee:1::/64 198.18.0.0/24$" \
	tc eamt add 198.18.0.0/24 2001:db8:eeee:1::/64
tc address query 198.18.0.9 >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" result)" = 2001:db8:eeee:1:900:: ] &&
	it_pass "address query 198.18.0.9: 2001:db8:eeee:1:900:: (RFC 7757 3.2)" ||
	{ it_fail "address query 198.18.0.9"; sed 's/^/    /' "$IT_TMP/q"; }
it_expect "eamt remove of the two" 0 "^eamt remove 2001:db8:eeee:1::/64 198.18.0.0/24$" \
	sh -c "'$TRANSCTL' eamt remove 2001:db8:eeee::/120 --control '$IT_TMP/ctl.sock' &&
	'$TRANSCTL' eamt remove 198.18.0.0/24 --control '$IT_TMP/ctl.sock'"

# The parser's checks, applied by the daemon.
it_expect "eamt add of an entry's own IPv4 prefix: refused, exit 1" 1 \
	"^transctl eamt add: .*the entry $EAMT6 $EAMT4 already has $EAMT4$" \
	tc eamt add 2001:db8:eeee::/128 "$EAMT4"
it_expect "eamt add with a longer IPv4 suffix: refused, exit 1" 1 \
	'^transctl eamt add: .*host bits.*the IPv4 suffix must fit' \
	tc eamt add 2001:db8:eeee::/120 10.0.0.0/16
it_expect "eamt add with a bad prefix: refused before sending, exit 2" 2 \
	"bad IPv4 prefix '10.0.0.1/24': host bits set past /24 \\(10.0.0.0/24\\?\\)" \
	tc eamt add 2001:db8:eeee::/120 10.0.0.1/24
it_expect "eamt remove of a prefix inside an entry names the entry" 1 \
	"no entry is exactly 2001:db8:1c0:2::/64; it overlaps the entry $EAMT6 $EAMT4" \
	tc eamt remove 2001:db8:1c0:2::/64

it_expect "eamt remove (by the IPv4 prefix)" 0 "^eamt remove $EAMT6 $EAMT4$" \
	tc eamt remove "$EAMT4"
it_check "after eamt remove: $H6_EAMT4 is not translated again" \
	ping4_lost "$H6_EAMT4"
it_expect "after eamt remove: from $IT_V4_VIEW_OF_V6 again" 0 \
	"^from $IT_V4_VIEW_OF_V6$" whoami
it_expect "eamt remove of a missing entry: exit 1" 1 \
	"^transctl eamt remove: $EAMT6: no such entry$" tc eamt remove "$EAMT6"
[ "$(it_queue_rules)" = "$rules0" ] && it_pass "eamt remove took its rules out" ||
	it_fail "after eamt remove: $(it_queue_rules) rules, wanted $rules0"
it_expect "eamt add and remove by the IPv6 prefix" 0 "^eamt remove $EAMT6 $EAMT4$" \
	sh -c "'$TRANSCTL' eamt add $EAMT4 $EAMT6 --control '$IT_TMP/ctl.sock' &&
	'$TRANSCTL' eamt remove $EAMT6 --control '$IT_TMP/ctl.sock'"

# --- denylist4 -----------------------------------------------------------
drops0=$(it_stat drop_denylist)
it_check "before denylist4 add: ping through pool6" ping6_ok "$IT_V6_VIEW_OF_V4"
it_expect "denylist4 add" 0 "^denylist4 add $IT_V4_HOST/32$" \
	tc denylist4 add "$IT_V4_HOST"
it_check "after denylist4 add: $IT_V6_VIEW_OF_V4 is not translated" \
	ping6_lost "$IT_V6_VIEW_OF_V4"
[ "$(it_stat drop_denylist)" -gt "$drops0" ] &&
	it_pass "drop_denylist counted the refused ping" ||
	it_fail "drop_denylist did not move ($drops0)"
tc address query "$IT_V6_VIEW_OF_V4" >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" rule)" = denylist ] &&
[ "$(it_field "$IT_TMP/q" result)" = - ] &&
[ "$(it_field "$IT_TMP/q" match)" = "denylist4 $IT_V4_HOST/32" ] &&
	it_pass "address query of a denylisted address: the denylist4 entry" ||
	{ it_fail "address query of a denylisted address"; sed 's/^/    /' "$IT_TMP/q"; }
it_expect "denylist4 show" 0 "^$IT_V4_HOST/32$" tc denylist4
it_check "denylist4 show --json" sh -c \
	"'$TRANSCTL' denylist4 show --json --control '$IT_TMP/ctl.sock' | python3 -c '
import json, sys
assert json.load(sys.stdin) == {\"denylist4\": [{\"prefix\": \"$IT_V4_HOST/32\"}]}'"
it_expect "denylist4 add of a listed prefix: exit 1" 1 \
	"^transctl denylist4 add: $IT_V4_HOST/32 is already listed$" \
	tc denylist4 add "$IT_V4_HOST/32"
it_expect "denylist4 remove" 0 "^denylist4 remove $IT_V4_HOST/32$" \
	tc denylist4 remove "$IT_V4_HOST/32"
it_check "after denylist4 remove: ping through pool6 again" \
	ping6_ok "$IT_V6_VIEW_OF_V4"
it_expect "denylist4 remove of a missing prefix: exit 1" 1 \
	"no such entry" tc denylist4 remove 203.0.113.0/24

# --- address query: pool6, reserved, untranslatable ---------------------
tc address query "$IT_V4_HOST" >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" rule)" = pool6 ] &&
[ "$(it_field "$IT_TMP/q" result)" = "$IT_V6_VIEW_OF_V4" ] &&
[ "$(it_field "$IT_TMP/q" match)" = "pool6 2001:db8:100::/40" ] &&
	it_pass "address query $IT_V4_HOST: pool6, $IT_V6_VIEW_OF_V4" ||
	{ it_fail "address query of a pool6 address"; sed 's/^/    /' "$IT_TMP/q"; }
tc address query 2001:db8:17f:0:1:: >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" rule)" = reserved ] &&
grep -q "loopback (RFC 1122" "$IT_TMP/q" &&
	it_pass "address query of pool6's view of 127.0.0.1: reserved" ||
	{ it_fail "address query of a reserved address"; sed 's/^/    /' "$IT_TMP/q"; }
tc address query 2001:db8:9999::1 >"$IT_TMP/q" 2>&1
[ "$(it_field "$IT_TMP/q" rule)" = none ] &&
[ "$(it_field "$IT_TMP/q" queued)" = no ] &&
grep -q "outside pool6 2001:db8:100::/40" "$IT_TMP/q" &&
	it_pass "address query of an untranslatable address: none, not queued" ||
	{ it_fail "address query of an untranslatable address"; sed 's/^/    /' "$IT_TMP/q"; }

# --- reload: a broken file keeps everything, a good one returns to it ---
it_expect "eamt add before the reloads" 0 . tc eamt add "$EAMT6" "$EAMT4"
echo "pool6 2001:db8:100::/41" >>"$CONF"
it_expect "reload of a broken file: exit 1 with FILE:LINE" 1 \
	"^transctl reload: .*siit.conf:[0-9]+: pool6" tc reload
it_check "after the refused reload: pool6 still translates" \
	ping6_ok "$IT_V6_VIEW_OF_V4"
it_check "after the refused reload: the run-time entry still translates" \
	ping4_ok "$H6_EAMT4"
it_expect "status reports the refused reload" 0 '^last_reload error .*siit.conf' \
	tc status
it_conf_reset "$srcdir/examples/demo-siit.conf" "$CONF"
it_expect "reload of the good file says run-time changes are replaced" 0 \
	"replaced by the file" tc reload
it_expect "after the reload: the table is the file's (empty)" 0 \
	'^IPV6 PREFIX +IPV4 PREFIX$' tc eamt show
[ "$(wc -l <"$IT_TMP/exp")" = 1 ] && it_pass "eamt show: no entry left" ||
	it_fail "eamt show after reload: $(cat "$IT_TMP/exp")"
it_check "after the reload: $H6_EAMT4 is not translated" ping4_lost "$H6_EAMT4"
it_expect "status: run-time changes forgotten" 0 '^runtime_changes 0$' tc status

# --- the other commands -------------------------------------------------
it_check "stats --json parses with python3 -m json.tool" sh -c \
	"'$TRANSCTL' stats --json --control '$IT_TMP/ctl.sock' | python3 -m json.tool >/dev/null"
it_expect "config show" 0 '^pool6 2001:db8:100::/40$' tc config show

# --- errors ---------------------------------------------------------------
it_expect "unknown command: exit 2 with the list" 2 \
	"unknown command 'frob'" "$TRANSCTL" frob
grep -q '^  denylist4 ' "$IT_TMP/exp" && grep -q '^  address ' "$IT_TMP/exp" &&
	it_pass "the list names the new commands" || it_fail "command list"
it_expect "unknown subcommand: exit 2 with the list" 2 \
	"^transctl eamt: unknown subcommand 'frob' \\(show, add, remove\\)$" \
	tc eamt frob
it_expect "address query of a bad address: exit 2" 2 \
	"^transctl address query: bad address '192.0.2': not an IPv4 or IPv6 address$" \
	tc address query 192.0.2
it_expect "the daemon refuses a malformed request itself" 1 \
	"^error address query: bad address '192.0.2'" it_ctl "address query 192.0.2"
it_expect "the daemon refuses arguments to a request that takes none" 1 \
	"^error status: unexpected argument 'now'" it_ctl "status now"
it_expect "the daemon lists the subcommands of a table" 1 \
	"^error denylist4: unknown subcommand 'list' \\(show, add, remove\\)" \
	it_ctl "denylist4 list"
it_expect "permission denied for non-root users" 1 \
	"cannot connect to $IT_TMP/ctl.sock: Permission denied" \
	setpriv --reuid 65534 --regid 65534 --clear-groups \
	timeout 10 "$TRANSCTL" eamt show --control "$IT_TMP/ctl.sock"

kill "$WHOAMI_PID" 2>/dev/null
wait "$WHOAMI_PID" 2>/dev/null
it_check "SIGTERM: clean exit" it_stop_daemon
it_expect "daemon not running: exit 1, the socket path tried" 1 \
	"^transctl eamt show: cannot connect to $IT_TMP/ctl.sock: .*\\(is translatord running\\?\\)$" \
	tc eamt show
it_expect "status with the daemon stopped: exit 1, the path" 1 \
	"cannot connect to $IT_TMP/ctl.sock" tc status

# With `rules manual` the daemon installs nothing and says so.
sed 's/^rules auto$/rules manual/' "$srcdir/examples/demo-siit.conf" >"$CONF"
it_daemon "$CONF"
it_expect "rules manual: eamt add reminds to update the rules" 0 \
	"^rules manual: update your queue rules" tc eamt add "$EAMT6" "$EAMT4"
[ "$(it_queue_rules)" = 0 ] && it_pass "rules manual: no rule installed" ||
	it_fail "rules manual: $(it_queue_rules) rules installed"
it_expect "rules manual: the daemon's rules include the entry" 0 \
	"-d $EAMT4 " tc rules
it_check "SIGTERM: clean exit (rules manual)" it_stop_daemon
it_done
