#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# transctl import: Jool's JSON files (test/import/*.json) give exactly the
# expected configuration (*.conf) and "ignored:" lines (*.stderr), which
# translatord --check accepts; bad files give exit 1, one message and
# nothing on stdout.
srcdir=${srcdir:-$(dirname "$0")/../..}
transctl=$(cd "$(dirname "${TRANSCTL:-./usr/transctl}")" && pwd)/transctl
translatord=${TRANSLATORD:-./translator/translatord}
translatord=$(cd "$(dirname "$translatord")" && pwd)/translatord
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

if "$transctl" import - </dev/null 2>&1 | grep -q "built without libjansson"; then
	echo "SKIP: transctl built without libjansson"
	exit 77
fi
cd "$srcdir/test/import" || exit 99

for name in siit nat64; do
	"$transctl" import "$name.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc != 0 ] || ! cmp -s "$tmp/out" "$name.conf" ||
	   ! cmp -s "$tmp/err" "$name.stderr"; then
		echo "FAIL: import $name.json (exit $rc):"
		diff -u "$name.conf" "$tmp/out"
		diff -u "$name.stderr" "$tmp/err"
		fail=1
	fi
	if [ -x "$translatord" ] &&
	   ! "$translatord" -c "$tmp/out" --check >"$tmp/check" 2>&1; then
		echo "FAIL: translatord --check refuses the import of $name.json:"
		cat "$tmp/check"
		fail=1
	fi
done
# From standard input, with the mode forced: the same text but the name.
"$transctl" import --mode siit - <siit.json 2>/dev/null >"$tmp/out"
sed 's/siit\.json/stdin/' siit.conf | cmp -s - "$tmp/out" ||
	{ echo "FAIL: import --mode siit - differs"; fail=1; }

# refused STATUS JSON MESSAGE [OPTIONS]: exit status, the whole stderr's
# last line, and an empty stdout.
refused() {
	want=$1 json=$2 msg=$3
	shift 3
	printf '%s' "$json" >"$tmp/in.json"
	"$transctl" import "$@" "$tmp/in.json" >"$tmp/out" 2>"$tmp/err"
	got=$?
	last=$(tail -1 "$tmp/err" | sed "s|$tmp/||")
	if [ $got != "$want" ] || [ -s "$tmp/out" ] || [ "$last" != "$msg" ]; then
		echo "FAIL: import '$json' $*: exit $got (want $want), stderr:"
		sed 's/^/    /' "$tmp/err"
		echo "    wanted: $msg"
		[ -s "$tmp/out" ] && echo "    and stdout was not empty"
		fail=1
	fi
}
refused 1 '{"eamt": [' \
	"transctl import: in.json:1:10: not valid JSON: ']' expected near end of file"
refused 1 '[1, 2]' "transctl import: in.json: expected a JSON object"
refused 1 '{"eamt": [], "eamt": []}' \
	"transctl import: in.json:1:19: not valid JSON: duplicate object key near '\"eamt\"'"
refused 1 '{"global": {"pool6": "64:ff9b::/96"}}' \
	"transctl import: in.json: neither SIIT (eamt, denylist4) nor NAT64 (pool4, bib) lists: give --mode siit|nat64"
refused 1 '{"eamt": [], "bib": []}' \
	"transctl import: in.json: both SIIT (eamt, denylist4) and NAT64 (pool4, bib) lists: give --mode"
# Wrong types.
refused 1 '{"global": {"pool6": 96}, "eamt": []}' \
	"transctl import: in.json: global.pool6: expected a prefix or null"
refused 1 '{"global": {"override-tos": "yes"}, "eamt": []}' \
	"transctl import: in.json: global.override-tos: expected true or false"
refused 1 '{"eamt": {"ipv6 prefix": "2001:db8::"}}' \
	"transctl import: in.json: eamt: expected a list"
refused 1 '{"eamt": [["2001:db8::", "192.0.2.1"]]}' \
	"transctl import: in.json: eamt[0]: expected an object"
refused 1 '{"denylist4": [24]}' \
	"transctl import: in.json: denylist4[0]: expected a prefix (string)"
refused 1 '{"bib": [{"protocol": "TCP", "ipv6 address": "2001:db8::1#80 #x", "ipv4 address": "192.0.2.1#80"}]}' \
	"transctl import: in.json: bib[0]: \"ipv6 address\": expected a string of one word"
refused 1 '{"bib": [], "global": {"udp-timeout": "5:00.5"}}' \
	"transctl import: in.json: global.udp-timeout: expected seconds or \"HH:MM:SS\""
# What the parser refuses, named by the Jool key it came from.
refused 1 '{"global": {"tos": 256}, "eamt": []}' \
	"transctl import: in.json: global.tos: 'tos 256': tos: 256 is out of range 0..255"
refused 1 '{"eamt": [{"ipv6 prefix": "2001:db8::/120", "ipv4 prefix": "192.0.2.0/16"}]}' \
	"transctl import: in.json: eamt[0]: 'eamt 2001:db8::/120 192.0.2.0/16': eamt: bad IPv4 prefix '192.0.2.0/16'"
refused 1 '{"eamt": [{"ipv6 prefix": "2001:db8::/120"}]}' \
	"transctl import: in.json: eamt[0]: missing \"ipv4 prefix\""
refused 1 '{"pool4": [{"protocol": "SCTP", "prefix": "192.0.2.1"}]}' \
	"transctl import: in.json: pool4[0]: protocol 'SCTP': TCP, UDP or ICMP"
refused 1 '{"pool4": [{"protocol": "TCP", "prefix": "192.0.2.1"}], "eamt": [{"ipv6 prefix": "2001:db8::", "ipv4 prefix": "192.0.2.9"}]}' \
	"transctl import: in.json: eamt[0]: 'eamt 2001:db8:: 192.0.2.9': eamt: mode nat64 has no EAMT (RFC 7757 is for SIIT): IPv6 hosts reach IPv4 ones through pool6, IPv4 hosts reach IPv6 ones through bib" --mode nat64
# Unknown keys are named on stderr, never dropped silently.
printf '{"eamt": [], "frob": 1, "global": {"nope": true}}' >"$tmp/u.json"
"$transctl" import "$tmp/u.json" 2>"$tmp/err" >"$tmp/out" ||
	{ echo "FAIL: unknown keys refused"; fail=1; }
sed "s|$tmp/||" "$tmp/err" >"$tmp/err2"
printf '%s\n' "u.json: ignored: frob (not a Jool key transctl knows)" \
	"u.json: ignored: global.nope (not a Jool setting transctl knows)" |
	cmp -s - "$tmp/err2" || { echo "FAIL: unknown keys:"; cat "$tmp/err2"; fail=1; }
# Command line.
"$transctl" import >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL: no FILE"; fail=1; }
"$transctl" import --mode clat x >/dev/null 2>&1; [ $? = 2 ] ||
	{ echo "FAIL: --mode clat"; fail=1; }
"$transctl" import --json siit.json >/dev/null 2>&1; [ $? = 2 ] ||
	{ echo "FAIL: import --json"; fail=1; }
"$transctl" import "$tmp/none.json" >/dev/null 2>&1; [ $? = 1 ] ||
	{ echo "FAIL: a missing file"; fail=1; }
exit $fail
