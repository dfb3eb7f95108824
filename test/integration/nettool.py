#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic helpers for the integration tests (Python standard library only).

  nettool.py tcp-sink   ADDR PORT [--timeout S]
        accept one connection, read to EOF; print "BYTES SHA256"
  nettool.py tcp-source ADDR PORT BYTES [--timeout S]
        connect, send BYTES of deterministic data; print "BYTES SHA256"
  nettool.py udp-echo   ADDR PORT COUNT [--timeout S]
        answer up to COUNT datagrams with "echo:" + payload
  nettool.py udp-ask    ADDR PORT COUNT [--timeout S]
        send COUNT requests, check every answer; print "ok N"
  nettool.py udp-closed ADDR PORT [--timeout S]
        send to a closed port; succeed when the ICMP error comes back
        (the connected socket reports ECONNREFUSED)

  nettool.py ctl PATH REQUEST [--timeout S]
        one control-socket request (common/ctl_proto.h); print the reply,
        exit 0 on "ok", 1 on "error"

Every operation is bounded by --timeout (default 30 s) and exits non-zero
on failure with a message on stderr.
"""
import argparse
import hashlib
import socket
import sys
import time

CHUNK = 65536


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def pattern(total):
    """Deterministic, incompressible-looking data, CHUNK bytes at a time."""
    block = hashlib.sha256(b"translator").digest()
    buf = bytearray()
    counter = 0
    while len(buf) < CHUNK:
        buf += hashlib.sha256(block + counter.to_bytes(4, "big")).digest()
        counter += 1
    chunk = bytes(buf[:CHUNK])
    sent = 0
    while sent < total:
        n = min(CHUNK, total - sent)
        yield chunk[:n]
        sent += n


def tcp_sink(a):
    srv = socket.socket(family(a.addr), socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.addr, a.port))
    srv.listen(1)
    srv.settimeout(a.timeout)
    conn, _ = srv.accept()
    deadline = time.monotonic() + a.timeout
    h = hashlib.sha256()
    total = 0
    while True:
        conn.settimeout(max(0.1, deadline - time.monotonic()))
        data = conn.recv(CHUNK)
        if not data:
            break
        h.update(data)
        total += len(data)
    conn.close()
    print(total, h.hexdigest())


def tcp_source(a):
    s = socket.create_connection((a.addr, a.port), timeout=a.timeout)
    deadline = time.monotonic() + a.timeout
    h = hashlib.sha256()
    for chunk in pattern(a.bytes):
        s.settimeout(max(0.1, deadline - time.monotonic()))
        s.sendall(chunk)
        h.update(chunk)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(max(0.1, deadline - time.monotonic()))
    s.recv(1)  # wait for the peer's close: all data was taken
    s.close()
    print(a.bytes, h.hexdigest())


def udp_echo(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    for _ in range(a.count):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, peer = s.recvfrom(CHUNK)
        except socket.timeout:
            break
        s.sendto(b"echo:" + data, peer)


def udp_ask(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    ok = 0
    for i in range(a.count):
        req = b"request %d" % i
        # The echo server may still be starting: resend a few times.
        for _ in range(10):
            s.send(req)
            s.settimeout(max(0.1, min(1.0, deadline - time.monotonic())))
            try:
                if s.recv(CHUNK) == b"echo:" + req:
                    ok += 1
                    break
            except (socket.timeout, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    break
    print("ok", ok)
    if ok != a.count:
        sys.exit("udp-ask: %d of %d answers" % (ok, a.count))


def udp_closed(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    s.settimeout(a.timeout)
    s.send(b"anyone?")
    try:
        s.recv(CHUNK)
    except ConnectionRefusedError:
        print("port unreachable")
        return
    except socket.timeout:
        sys.exit("udp-closed: no ICMP error within %s s" % a.timeout)
    sys.exit("udp-closed: got an answer from a port that should be closed")


def ctl(a):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    s.connect(a.addr)
    s.sendall(a.request.encode() + b"\n")
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        data = s.recv(CHUNK)
        if not data:
            break
        reply += data
    sys.stdout.write(reply.decode(errors="replace"))
    if not reply.startswith(b"ok\n"):
        sys.exit(1)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "ctl":
        p = argparse.ArgumentParser()
        p.add_argument("op")
        p.add_argument("addr")
        p.add_argument("request")
        p.add_argument("--timeout", type=float, default=30.0)
        a = p.parse_args()
        try:
            ctl(a)
        except OSError as e:
            sys.exit("ctl: %s" % e)
        return

    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("op", choices=["tcp-sink", "tcp-source", "udp-echo",
                                  "udp-ask", "udp-closed"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("n", type=int, nargs="?", default=1)
    p.add_argument("--timeout", type=float, default=30.0)
    a = p.parse_args()
    a.bytes = a.count = a.n
    ops = {"tcp-sink": tcp_sink, "tcp-source": tcp_source,
           "udp-echo": udp_echo, "udp-ask": udp_ask, "udp-closed": udp_closed}
    try:
        ops[a.op](a)
    except OSError as e:
        sys.exit("%s: %s" % (a.op, e))


if __name__ == "__main__":
    main()
