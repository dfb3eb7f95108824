#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# traceroute through translatord with an IPv4 router behind it: the
# translator answers for its own hop, and the router's ICMPv4 Time
# Exceeded reaches the IPv6 host translated, from the router's address
# under pool6 (203.0.113.2 -> 2001:db8:1cb:71:2::).
. "${srcdir:-$(dirname "$0")/../..}/test/integration/lib.sh"
it_init
command -v traceroute >/dev/null ||
	it_skip "no traceroute (Debian package traceroute)"
it_topology --router4
sed 's/^address v4 .*/address v4 203.0.113.1/' \
	"$srcdir/examples/demo-siit.conf" >"$IT_TMP/siit.conf"
it_daemon "$IT_TMP/siit.conf"

ip netns exec "$H6" timeout 30 traceroute -6 -n -q 1 -w 2 -m 5 \
	"$IT_V6_VIEW_OF_V4" >"$IT_TMP/tr6" 2>&1
sed 's/^/    /' "$IT_TMP/tr6"
it_check "hop 1 is the translator (its own Time Exceeded)" \
	grep -Eq '^ *1 +2001:db8:1c0:2:1:: ' "$IT_TMP/tr6"
it_check "hop 2 is the IPv4 router, its Time Exceeded translated" \
	grep -Eq '^ *2 +2001:db8:1cb:71:2:: ' "$IT_TMP/tr6"
it_check "hop 3 is the IPv4 host" \
	grep -Eq '^ *3 +2001:db8:1c6:3364:2:: ' "$IT_TMP/tr6"

ip netns exec "$H4" timeout 30 traceroute -n -q 1 -w 2 -m 5 \
	"$IT_V4_VIEW_OF_V6" >"$IT_TMP/tr4" 2>&1
sed 's/^/    /' "$IT_TMP/tr4"
it_check "IPv4 traceroute: the translator answers for its hop" \
	grep -Eq '^ *2 +203\.0\.113\.1 ' "$IT_TMP/tr4"
it_check "IPv4 traceroute reaches the IPv6 host" \
	grep -Eq '^ *3 +192\.0\.2\.33 ' "$IT_TMP/tr4"
it_done
