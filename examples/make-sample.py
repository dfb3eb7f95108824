#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes examples/sample.pcap: a short conversation through the SIIT of
examples/siit.conf. The IPv6 node n6 (2001:db8:1c0:2:21::, 192.0.2.33 to
IPv4) sends UDP, a TCP SYN and an ICMPv6 echo request to the IPv4 node n4
(198.51.100.2, 2001:db8:1c6:3364:2:: to IPv6); n4 answers each over IPv4.

  make-sample.py [--ethernet] [OUT.pcap]

--ethernet wraps the packets in Ethernet frames and adds one ARP frame,
which `transctl replay` must skip (the tests use it).
"""
import ipaddress
import struct
import sys

N6 = ipaddress.IPv6Address("2001:db8:1c0:2:21::").packed
N4_AS_V6 = ipaddress.IPv6Address("2001:db8:1c6:3364:2::").packed
N4 = ipaddress.IPv4Address("198.51.100.2").packed
N6_AS_V4 = ipaddress.IPv4Address("192.0.2.33").packed

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def with_csum(l4, off, pseudo):
    """Stores the checksum of pseudo + l4 at offset off of l4."""
    c = csum(pseudo + l4)
    return l4[:off] + struct.pack("!H", c) + l4[off + 2:]


def ipv6(nxt, src, dst, l4, csum_off):
    pseudo = src + dst + struct.pack("!IxxxB", len(l4), nxt)
    if csum_off is not None:
        l4 = with_csum(l4, csum_off, pseudo)
    return struct.pack("!IHBB", 6 << 28, len(l4), nxt, 64) + src + dst + l4


def ipv4(proto, src, dst, l4, csum_off, ident):
    if csum_off is not None:
        pseudo = src + dst + struct.pack("!xBH", proto, len(l4))
        if proto == 1:  # ICMPv4 has no pseudo-header
            pseudo = b""
        l4 = with_csum(l4, csum_off, pseudo)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident,
                      0x4000, 64, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + l4


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, seq, ack, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                       64240, 0, 0)


def echo(icmp_type, ident, seq, payload):
    return struct.pack("!BBHHH", icmp_type, 0, 0, ident, seq) + payload


def packets():
    req = b"hello from n6\n"
    rep = b"hello from n4\n"
    ping = bytes(range(32))
    return [
        ipv6(17, N6, N4_AS_V6, udp(40000, 4000, req), 6),
        ipv4(17, N4, N6_AS_V4, udp(4000, 40000, rep), 6, 0x1001),
        ipv6(6, N6, N4_AS_V6, tcp(40001, 80, 1000, 0, 0x02), 16),
        ipv4(6, N4, N6_AS_V4, tcp(80, 40001, 5000, 1001, 0x12), 16, 0x1002),
        ipv6(58, N6, N4_AS_V6, echo(128, 7, 1, ping), 2),
        ipv4(1, N4, N6_AS_V4, echo(0, 7, 1, ping), 2, 0x1003),
    ]


def ethernet(pkt):
    ethertype = 0x86dd if pkt[0] >> 4 == 6 else 0x0800
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02" + struct.pack("!H", ethertype) + pkt


ARP_FRAME = (b"\xff" * 6 + b"\x02\0\0\0\0\x02" + b"\x08\x06" +
             struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + b"\x02\0\0\0\0\x02" +
             N4 + b"\0" * 6 + N6_AS_V4)


def write_pcap(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            linktype))
        for i, frame in enumerate(frames):
            # One packet every 10 ms from a fixed date: reproducible output.
            usec = 1_700_000_000 * 1_000_000 + i * 10_000
            f.write(struct.pack("<IIII", usec // 1_000_000, usec % 1_000_000,
                                len(frame), len(frame)))
            f.write(frame)


def main(argv):
    eth = "--ethernet" in argv
    args = [a for a in argv if a != "--ethernet"]
    out = args[0] if args else "sample.pcap"
    if eth:
        frames = [ethernet(p) for p in packets()]
        frames.insert(1, ARP_FRAME)
        write_pcap(out, LINKTYPE_ETHERNET, frames)
    else:
        write_pcap(out, LINKTYPE_RAW, packets())


if __name__ == "__main__":
    main(sys.argv[1:])
