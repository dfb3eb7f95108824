#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a pcap of many UDP flows from a few IPv6 hosts to IPv4 hosts
behind pool6 64:ff9b::/96: one datagram per flow, each a new binding for a
NAT64 (the load of issue 10 item 1: one pool4 address filled to the last
port).

  make-flows.py [--flows N] [--hosts H] OUT.pcap

Flow i comes from 2001:db8::(i % H + 1), source port 1024 + i // H (the
ports stay in the 1024-65535 class and alternate parity), to
64:ff9b::198.51.100.(i % 200 + 1) port 53. Defaults: 65535 flows, 8 hosts.
One packet every 10 us, from a fixed date: reproducible output.
"""
import argparse
import importlib.util
import ipaddress
import os
import struct

LINKTYPE_RAW = 101


def sample_module():
    """examples/make-sample.py: its IPv6 and UDP builders."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "examples", "make-sample.py")
    spec = importlib.util.spec_from_file_location("make_sample", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flows", type=int, default=65535)
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("out")
    a = ap.parse_args()
    if a.hosts < 1 or a.flows < 1 or (a.flows - 1) // a.hosts > 65535 - 1024:
        ap.error("too many flows for that many hosts (ports 1024-65535)")
    pkt = sample_module()
    hosts = [ipaddress.IPv6Address("2001:db8::%x" % (h + 1)).packed
             for h in range(a.hosts)]
    dsts = [ipaddress.IPv6Address("64:ff9b::198.51.100.%d" % (d + 1)).packed
            for d in range(200)]
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            LINKTYPE_RAW))
        for i in range(a.flows):
            p = pkt.ipv6(17, hosts[i % a.hosts], dsts[i % 200],
                         pkt.udp(1024 + i // a.hosts, 53, b"q"), 6)
            usec = 1_700_000_000 * 1_000_000 + i * 10
            f.write(struct.pack("<IIII", usec // 1_000_000,
                                usec % 1_000_000, len(p), len(p)))
            f.write(p)


if __name__ == "__main__":
    main()
