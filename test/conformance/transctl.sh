#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# transctl's command line and `replay` on the shipped example: the example
# config must parse and every packet of the sample must be translated.
srcdir=${srcdir:-$(dirname "$0")/../..}
transctl=${TRANSCTL:-./usr/transctl}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect STATUS PATTERN COMMAND...: exit status and a line of its output.
expect() {
	want=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ] || ! grep -q -- "$pattern" "$tmp/out"; then
		echo "FAIL: $* (exit $got, expected $want; wanted '$pattern'):"
		sed 's/^/    /' "$tmp/out"
		fail=1
	fi
}

expect 2 "unknown command 'frobnicate'" "$transctl" frobnicate
expect 2 "replay" "$transctl"
expect 0 "replay" "$transctl" help
expect 0 "Usage: transctl replay" "$transctl" help replay
expect 0 "Usage: transctl version" "$transctl" version --help
expect 0 "Usage: transctl help" "$transctl" help --help
expect 0 "^transctl [0-9]" "$transctl" version
# The output options, global: refused (2) where a command cannot honour
# them, before anything runs.
expect 2 "^transctl rules: --csv does not apply to 'rules'" \
	"$transctl" rules --csv -c "$srcdir/examples/siit.conf"
expect 2 "^transctl config: --json does not apply to 'config'" \
	"$transctl" --json config
expect 2 "^transctl replay: --numeric does not apply to 'replay'" \
	"$transctl" -n replay -c x in.pcap out.pcap
expect 2 "^transctl offloads: --numeric does not apply to 'offloads'" \
	"$transctl" offloads lo --numeric
expect 2 "^transctl: --json and --csv exclude each other$" \
	"$transctl" --json status --csv
expect 2 "eamt add: --csv does not apply here" \
	"$transctl" eamt add 2001:db8::/120 10.0.0.0/24 --csv
expect 2 "--csv and --prometheus exclude each other" \
	"$transctl" stats --csv --prometheus
expect 2 "^transctl: missing command$" "$transctl" --csv
expect 2 "required" "$transctl" replay in.pcap out.pcap
expect 2 "v4 or v6" "$transctl" replay -c x --from v5 in.pcap out.pcap
expect 1 "nonexistent.conf" "$transctl" replay -c "$tmp/nonexistent.conf" \
	"$srcdir/examples/sample.pcap" "$tmp/o.pcap"
expect 1 "no-such-directive" "$transctl" replay -c "$srcdir/examples/siit.conf" \
	--set 'no-such-directive 1' "$srcdir/examples/sample.pcap" "$tmp/o.pcap"
expect 1 "nonexistent.pcap" "$transctl" replay -c "$srcdir/examples/siit.conf" \
	"$tmp/nonexistent.pcap" "$tmp/o.pcap"

expect 0 "^replay: 6 in, 6 out, 6 translated, 0 dropped$" \
	"$transctl" replay -c "$srcdir/examples/siit.conf" \
	"$srcdir/examples/sample.pcap" "$tmp/o.pcap"
# The same packets in Ethernet frames, with one ARP frame to skip.
"${PYTHON3:-python3}" "$srcdir/examples/make-sample.py" --ethernet \
	"$tmp/eth.pcap" || exit 99
expect 0 "^replay: 7 in, 6 out, 6 translated, 0 dropped, 1 not IP (skipped)$" \
	"$transctl" replay -c "$srcdir/examples/siit.conf" \
	"$tmp/eth.pcap" "$tmp/o.pcap"
# Without pool6 nothing maps, and the summary names the reason.
expect 0 "0 translated, 6 dropped; drop_no_mapping" \
	"$transctl" replay -c "$srcdir/examples/siit.conf" --set 'pool6 none' \
	"$srcdir/examples/sample.pcap" "$tmp/o.pcap"
# Fragmented ICMP is gathered as the daemon gathers it: a 3000-byte echo
# request in two IPv6 fragments is held, then translated whole and cut to
# the IPv4 MTU (1500): three IPv4 fragments.
"${PYTHON3:-python3}" - "$tmp/frag.pcap" <<'PY' || exit 99
import ipaddress, struct, sys
src = ipaddress.IPv6Address("2001:db8:1c0:2:21::").packed
dst = ipaddress.IPv6Address("2001:db8:1c6:3364:2::").packed
msg = bytes(range(256)) * 11 + bytes(184)
icmp = struct.pack("!BBHHH", 128, 0, 0, 7, 1) + msg
pseudo = src + dst + struct.pack("!IxxxB", len(icmp), 58)
data = pseudo + icmp
s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
while s >> 16:
    s = (s & 0xffff) + (s >> 16)
icmp = icmp[:2] + struct.pack("!H", ~s & 0xffff) + icmp[4:]
out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101)
for off, part, more in ((0, 1448, 1), (1448, len(icmp) - 1448, 0)):
    frag = struct.pack("!BBHI", 58, 0, off | more, 0x5eed) + \
        icmp[off:off + part]
    pkt = struct.pack("!IHBB", 6 << 28, len(frag), 44, 64) + src + dst + frag
    out += struct.pack("<IIII", 1, off, len(pkt), len(pkt)) + pkt
open(sys.argv[1], "wb").write(out)
PY
expect 0 "^replay: 2 in, 3 out, 1 translated, 0 dropped, 1 held for reassembly$" \
	"$transctl" replay -c "$srcdir/examples/siit.conf" \
	"$tmp/frag.pcap" "$tmp/o.pcap"
# The daemon's file replays as it is: its daemon-only directives are set
# aside (translate4, egress, rules...), not refused.
expect 0 "6 translated, 0 dropped" \
	"$transctl" replay -c "$srcdir/examples/demo-siit.conf" \
	"$srcdir/examples/sample.pcap" "$tmp/o.pcap"
# With egress tun and no interface given, what the daemon writes to its
# TUN device comes back through PREROUTING and must not be queued again;
# with `egress raw` there is nothing to exclude.
expect 0 "XLAT-64-128 ! -i xlat-tun -d 2001:db8:100::/40 -p tcp" \
	"$transctl" rules -c "$srcdir/examples/siit.conf"
printf 'egress raw\n' | cat "$srcdir/examples/siit.conf" - >"$tmp/raw.conf"
"$transctl" rules -c "$tmp/raw.conf" >"$tmp/out" 2>&1
if grep -q -- "-i xlat-tun" "$tmp/out"; then
	echo "FAIL: egress raw still excludes the TUN device"
	fail=1
fi
# pool4-deterministic without a daemon (--config): the exact answers of
# the mapping both ways, the dump's first and last rows, the refusals.
cat >"$tmp/det.conf" <<'EOF'
mode nat64
pool6 64:ff9b::/96
pool4 198.51.100.0/29
pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 2016
fail-open no
EOF
expect 0 "^det_customer  2001:db8:c::85/128$" \
	"$transctl" address query 198.51.100.4 12000 --config "$tmp/det.conf"
expect 0 "^det_ports     11104-13119$" \
	"$transctl" address query 198.51.100.4 12000 --config "$tmp/det.conf"
expect 0 "^det_ipv4      198.51.100.4$" \
	"$transctl" address query -c "$tmp/det.conf" 2001:db8:c::85
expect 0 '"det_customer": "2001:db8:c::80/128-2001:db8:c::9f/128"' \
	"$transctl" --json address query 198.51.100.4 -c "$tmp/det.conf"
expect 0 "^det_customer,-$" \
	"$transctl" --csv address query 198.51.100.4 1023 -c "$tmp/det.conf"
expect 0 "^det_entry  -$" \
	"$transctl" address query 192.0.2.1 80 -c "$tmp/det.conf"
expect 0 "^2001:db8:c::ff/128,198.51.100.7,63520,65535$" \
	"$transctl" --csv address dump-deterministic -c "$tmp/det.conf"
"$transctl" --csv address dump-deterministic -c "$tmp/det.conf" >"$tmp/out"
if [ "$(wc -l <"$tmp/out")" != 257 ] ||
   [ "$(sed -n 2p "$tmp/out")" != "2001:db8:c::/128,198.51.100.0,1024,3039" ]; then
	echo "FAIL: dump-deterministic: $(wc -l <"$tmp/out") lines, second '$(sed -n 2p "$tmp/out")'"
	fail=1
fi
expect 0 '"port_last": 3039}' \
	"$transctl" --json address dump-deterministic 2001:db8:c::/120 \
	-c "$tmp/det.conf"
expect 1 "no pool4-deterministic entry has that V6PREFIX" \
	"$transctl" address dump-deterministic 2001:db8:d::/120 -c "$tmp/det.conf"
expect 2 "ADDR \[PORT\] (0..65535) expected" \
	"$transctl" address query 198.51.100.4 65536 -c "$tmp/det.conf"
sed 's/2016/2048/' "$tmp/det.conf" >"$tmp/bad.conf"
expect 1 "256 customers (/128 in /120) do not fit in 8 addresses x 31 blocks of 2048 ports (from 1024) = 248" \
	"$transctl" address query 198.51.100.4 -c "$tmp/bad.conf"
exit $fail
