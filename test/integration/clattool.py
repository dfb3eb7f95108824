#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of test/integration/clat.sh (Python standard library only).

  clattool.py tcp-peer-sink ADDR PORT [--timeout S]
        accept one connection, read to EOF; print
        "peer=ADDR bytes=N sha256=HEX" (the address the server sees)
  clattool.py tcp-peer-serve ADDR PORT BYTES [--timeout S]
        accept one connection, send BYTES of random data, close; print
        "peer=ADDR bytes=N sha256=HEX"
  clattool.py tcp-get ADDR PORT [--timeout S]
        connect, read to EOF; print "bytes=N sha256=HEX"
  clattool.py udp-peer-echo ADDR PORT COUNT [--timeout S]
        answer up to COUNT datagrams with "peer ADDR:PORT " + payload
  clattool.py udp-peer-ask ADDR PORT [--timeout S]
        one request, resent every second; print the peer address the
        server reported
  clattool.py udp-count PORT COUNT [--group G --on ADDR] [--timeout S]
        receive on 0.0.0.0#PORT (member of multicast group G on the
        interface of address ADDR, if given)
        until COUNT datagrams or the timeout; print "got N"; succeed
        when all COUNT came
  clattool.py udp-send ADDR PORT [--timeout S]
        send one datagram (broadcast allowed)
  clattool.py icmp-quote DST PORT [--timeout S]
        send one UDP datagram to a closed port DST#PORT and catch the
        ICMPv4 error on a raw socket; print "type T code C from SRC
        quoting QSRC#QSPORT > QDST#QDPORT proto P"

Every operation is bounded by --timeout (default 20 s) and exits non-zero
on failure with a message on stderr.
"""
import argparse
import hashlib
import os
import select
import socket
import struct
import sys
import time

import nettool  # same directory: its TCP listener


def read_to_eof(conn, timeout, op):
    """Read conn to EOF within timeout; close it; (bytes, sha256 hex)."""
    deadline = time.monotonic() + timeout
    h = hashlib.sha256()
    total = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit("%s: timeout after %d bytes" % (op, total))
        conn.settimeout(left)
        data = conn.recv(65536)
        if not data:
            break
        h.update(data)
        total += len(data)
    conn.close()
    return total, h.hexdigest()


def tcp_peer_sink(a):
    conn, peer = nettool.accept_one(a.addr, a.port, a.timeout)
    total, digest = read_to_eof(conn, a.timeout, "tcp-peer-sink")
    print("peer=%s bytes=%d sha256=%s" % (peer[0], total, digest))


def tcp_peer_serve(a):
    conn, peer = nettool.accept_one(a.addr, a.port, a.timeout)
    conn.settimeout(a.timeout)
    h = hashlib.sha256()
    left = a.bytes
    while left > 0:
        chunk = os.urandom(min(left, 65536))
        conn.sendall(chunk)
        h.update(chunk)
        left -= len(chunk)
    conn.shutdown(socket.SHUT_WR)
    conn.recv(1)  # the peer's close: everything was taken
    conn.close()
    print("peer=%s bytes=%d sha256=%s" % (peer[0], a.bytes, h.hexdigest()))


def tcp_get(a):
    s = socket.create_connection((a.addr, a.port), timeout=a.timeout)
    print("bytes=%d sha256=%s" % read_to_eof(s, a.timeout, "tcp-get"))


def udp_peer_echo(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    for _ in range(a.count):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, peer = s.recvfrom(65536)
        except socket.timeout:
            break
        s.sendto(b"peer %s:%d " % (peer[0].encode(), peer[1]) + data, peer)


def udp_peer_ask(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    req = b"who am I?"
    while time.monotonic() < deadline:
        s.send(req)
        s.settimeout(max(0.1, min(1.0, deadline - time.monotonic())))
        try:
            ans = s.recv(65536)
        except (socket.timeout, ConnectionRefusedError):
            continue
        words = ans.split(b" ", 2)
        if len(words) == 3 and words[0] == b"peer" and words[2] == req:
            print(words[1].decode().rsplit(":", 1)[0])
            return
        sys.exit("udp-peer-ask: unexpected answer %r" % ans)
    sys.exit("udp-peer-ask: no answer within %s s" % a.timeout)


def udp_count(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", a.port))
    if a.group:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(a.group) + socket.inet_aton(a.on))
    print("listening", flush=True)
    deadline = time.monotonic() + a.timeout
    got = 0
    while got < a.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            s.recv(65536)
        except socket.timeout:
            break
        got += 1
    print("got", got)
    if got != a.count:
        sys.exit("udp-count: %d of %d datagrams" % (got, a.count))


def udp_send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.sendto(b"hello", (a.addr, a.port))


def icmp_quote(a):
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.connect((a.addr, a.port))
    sport = udp.getsockname()[1]
    udp.send(b"anyone?")
    deadline = time.monotonic() + a.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([raw], [], [], left)[0]:
            sys.exit("icmp-quote: no ICMP error within %s s" % a.timeout)
        pkt, _ = raw.recvfrom(65536)
        ihl = (pkt[0] & 15) * 4
        icmp = pkt[ihl:]
        if len(icmp) < 8 + 20 + 8 or icmp[0] not in (3, 11, 12):
            continue        # an echo or something unrelated
        inner = icmp[8:]
        iihl = (inner[0] & 15) * 4
        qsport, qdport = struct.unpack("!HH", inner[iihl:iihl + 4])
        if qsport != sport:
            continue
        print("type %d code %d from %s quoting %s#%d > %s#%d proto %d" % (
            icmp[0], icmp[1], socket.inet_ntoa(pkt[12:16]),
            socket.inet_ntoa(inner[12:16]), qsport,
            socket.inet_ntoa(inner[16:20]), qdport, inner[9]))
        return


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("tcp-peer-sink")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.set_defaults(fn=tcp_peer_sink)
    c = sub.add_parser("tcp-peer-serve")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.add_argument("bytes", type=int)
    c.set_defaults(fn=tcp_peer_serve)
    c = sub.add_parser("tcp-get")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.set_defaults(fn=tcp_get)
    c = sub.add_parser("udp-peer-echo")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.add_argument("count", type=int)
    c.set_defaults(fn=udp_peer_echo)
    c = sub.add_parser("udp-peer-ask")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.set_defaults(fn=udp_peer_ask)
    c = sub.add_parser("udp-count")
    c.add_argument("port", type=int)
    c.add_argument("count", type=int)
    c.add_argument("--group")
    c.add_argument("--on", default="0.0.0.0")
    c.set_defaults(fn=udp_count)
    c = sub.add_parser("udp-send")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.set_defaults(fn=udp_send)
    c = sub.add_parser("icmp-quote")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.set_defaults(fn=icmp_quote)
    for c in sub.choices.values():
        c.add_argument("--timeout", type=float, default=20)
    a = p.parse_args()
    try:
        a.fn(a)
    except OSError as e:
        sys.exit("%s: %s" % (a.cmd, e))


if __name__ == "__main__":
    main()
