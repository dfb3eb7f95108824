#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# examples/clat.conf and examples/plat.conf as shipped (well-known prefix
# rules on, unlike the lab of test/integration/clat.sh), offline through
# `transctl replay`: the CLAT maps the LAN's 192.168.1.2 by its EAMT and a
# global destination by pool6, refuses a documentation destination under
# 64:ff9b::/96 (RFC 6052 section 3.1) with ICMPv4 3/13, and maps an answer
# back; the PLAT takes the CLAT's output and sends it from pool4.
srcdir=${srcdir:-$(dirname "$0")/../..}
transctl=${TRANSCTL:-./usr/transctl}
py=${PYTHON3:-python3}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# The LAN's packets: UDP and an echo request to 1.2.3.4 (global), UDP to
# 203.0.113.10 (documentation: refused under the well-known prefix), and
# from the WAN an answer 64:ff9b::102:304 -> 2001:db8:aaaa::2.
"$py" - "$tmp/in.pcap" <<'PY' || exit 99
import ipaddress, struct, sys
def csum(d):
    d += b"\0" * (len(d) % 2)
    s = sum(struct.unpack("!%dH" % (len(d) // 2), d))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def v4(src, dst, proto, l4, ck):
    s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
    if proto == 17:
        pseudo = s + d + struct.pack("!xBH", 17, len(l4))
    else:
        pseudo = b""
    l4 = l4[:ck] + struct.pack("!H", csum(pseudo + l4)) + l4[ck + 2:]
    h = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), 7, 0x4000, 64,
                    proto, 0) + s + d
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + l4
def udp(sp, dp, data):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data
def v6udp(src, dst, l4):
    s, d = ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed
    l4 = l4[:6] + struct.pack("!H", csum(s + d + struct.pack(
        "!IxxxB", len(l4), 17) + l4)) + l4[8:]
    return struct.pack("!IHBB", 6 << 28, len(l4), 17, 64) + s + d + l4
pkts = [v4("192.168.1.2", "1.2.3.4", 17, udp(40000, 53, b"query"), 6),
        v4("192.168.1.2", "1.2.3.4", 1,
           struct.pack("!BBHHH", 8, 0, 0, 77, 1) + b"ping", 2),
        v4("192.168.1.2", "203.0.113.10", 17, udp(40001, 53, b"query"), 6),
        v6udp("64:ff9b::102:304", "2001:db8:aaaa::2", udp(53, 40000, b"answer"))]
out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101)
for i, p in enumerate(pkts):
    out += struct.pack("<IIII", 1, i, len(p), len(p)) + p
open(sys.argv[1], "wb").write(out)
PY

# show PCAP: one line per packet: family, source, destination, protocol,
# and the ports (UDP) or type/code (ICMP).
show() {
	"$py" - "$1" <<'PY'
import ipaddress, struct, sys
b = open(sys.argv[1], "rb").read()
off = 24
while off < len(b):
    n = struct.unpack("<I", b[off + 8:off + 12])[0]
    p = b[off + 16:off + 16 + n]
    off += 16 + n
    if p[0] >> 4 == 4:
        ihl = (p[0] & 15) * 4
        s, d, proto = ipaddress.IPv4Address(p[12:16]), ipaddress.IPv4Address(p[16:20]), p[9]
        l4 = p[ihl:]
    else:
        s, d, proto = ipaddress.IPv6Address(p[8:24]), ipaddress.IPv6Address(p[24:40]), p[6]
        l4 = p[40:]
    if proto == 17:
        x = "udp %d>%d" % struct.unpack("!HH", l4[:4])
    else:
        x = "icmp %d/%d" % (l4[0], l4[1])
    print("v%d %s > %s %s" % (p[0] >> 4, s, d, x))
PY
}

# expect_lines FILE LINE...: FILE holds exactly these lines (a regex each).
expect_lines() {
	f=$1
	shift
	n=0
	for re in "$@"; do
		n=$((n + 1))
		line=$(sed -n "${n}p" "$f")
		if ! printf '%s\n' "$line" | grep -Eqx -- "$re"; then
			echo "FAIL: $f line $n: '$line', expected '$re'"
			fail=1
		fi
	done
	if [ "$(wc -l <"$f")" != "$n" ]; then
		echo "FAIL: $f has $(wc -l <"$f") lines, expected $n:"
		sed 's/^/    /' "$f"
		fail=1
	fi
}

"$transctl" replay -c "$srcdir/examples/clat.conf" "$tmp/in.pcap" \
	"$tmp/clat.pcap" >"$tmp/sum" 2>&1
cat "$tmp/sum"
if grep -q 'built without libpcap' "$tmp/sum"; then
	echo "SKIP: transctl replay needs libpcap"
	exit 77
fi
grep -qx 'replay: 4 in, 4 out, 3 translated, 1 dropped; drop_wkp_non_global 1' \
	"$tmp/sum" || { echo "FAIL: CLAT summary"; fail=1; }
show "$tmp/clat.pcap" >"$tmp/clat.txt" || exit 99
sed 's/^/    /' "$tmp/clat.txt"
expect_lines "$tmp/clat.txt" \
	'v6 2001:db8:aaaa::2 > 64:ff9b::102:304 udp 40000>53' \
	'v6 2001:db8:aaaa::2 > 64:ff9b::102:304 icmp 128/0' \
	'v4 192\.168\.1\.1 > 192\.168\.1\.2 icmp 3/13' \
	'v4 1\.2\.3\.4 > 192\.168\.1\.2 udp 53>40000'

# The PLAT: the CLAT's two IPv6 packets leave from pool4 (the IPv4 ones
# come to its IPv4 side for no pool4 address and are dropped).
"$transctl" replay -c "$srcdir/examples/plat.conf" "$tmp/clat.pcap" \
	"$tmp/plat.pcap" >"$tmp/sum" 2>&1
cat "$tmp/sum"
grep -qx 'replay: 4 in, 2 out, 2 translated, 2 dropped; drop_no_mapping 1, drop_icmp_inner 1' "$tmp/sum" ||
	{ echo "FAIL: PLAT summary"; fail=1; }
show "$tmp/plat.pcap" >"$tmp/plat.txt" || exit 99
sed 's/^/    /' "$tmp/plat.txt"
expect_lines "$tmp/plat.txt" \
	'v4 198\.51\.100\.1 > 1\.2\.3\.4 udp [0-9]+>53' \
	'v4 198\.51\.100\.1 > 1\.2\.3\.4 icmp 8/0'
exit $fail
