#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic helpers of the stateful NAT64 integration tests (nat64*.sh).

Every operation is bounded by --timeout and prints one line of key=value
fields; the exit status is 0 only when everything checked out.

  many-server ADDR PORT --conns N
      Accepts N connections. Each sends a 12-byte header (index, upload
      length, download length) and its upload; the server hashes it, and
      once all N uploads are in (so all N connections are open at once
      through the NAT64: N sessions) answers each with the SHA-256 of what
      it received, then the download, derived from the index.
  many-client ADDR PORT --conns N --up BYTES --down BYTES
      Opens N connections at once and checks both SHA-256 sums of each.
  echo-server ADDR PORT
      Echoes every connection's bytes until it closes (until --timeout).
  hold-client ADDR PORT --conns N --extra M --bytes B
      Opens N connections (each must succeed), then tries M more (each
      must fail: pool4 exhausted; the error says how), then echoes B bytes
      over each of the N held ones, checked by SHA-256.
  udp-server ADDR PORT
      Answers "give:N" with N bytes (made from N) and anything else with
      "echo:" + it, until --timeout.
  udp-big-ask ADDR PORT --sizes 3000,5000 [--give]
      UDP datagrams of those sizes (fragmented on the way) to udp-server
      (or nettool's udp-echo); each answer must be "echo:" + the datagram.
      With --give the requests are small and the answers that big
      (fragmented the other way).
"""

import argparse
import asyncio
import errno
import hashlib
import random
import socket
import struct
import sys
import time

HDR = struct.Struct("!III")
CHUNK = 65536


def payload(index, size, salt):
    """Bytes only the index determines (both ends can make them)."""
    return random.Random(index * 7919 + salt).randbytes(size)


# --- many-server / many-client ---------------------------------------------

async def many_server(a):
    done = asyncio.Event()
    state = {"uploads": 0, "open": 0, "peak": 0, "served": 0, "bad": 0}

    async def handle(reader, writer):
        state["open"] += 1
        state["peak"] = max(state["peak"], state["open"])
        try:
            index, up, down = HDR.unpack(await reader.readexactly(HDR.size))
            h = hashlib.sha256()
            left = up
            while left:
                data = await reader.read(min(left, CHUNK))
                if not data:
                    raise ConnectionError("short upload")
                h.update(data)
                left -= len(data)
            state["uploads"] += 1
            if state["uploads"] == a.conns:
                done.set()
            await done.wait()
            writer.write(h.digest() + payload(index, down, 2))
            await writer.drain()
            state["served"] += 1
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            state["bad"] += 1
        finally:
            state["open"] -= 1
            writer.close()

    server = await asyncio.start_server(handle, a.addr, a.port,
                                        backlog=a.conns + 16)
    t0 = time.monotonic()
    async with server:
        try:
            await asyncio.wait_for(done.wait(), a.timeout)
            # The last answers: every handler finishes or fails.
            while (state["served"] + state["bad"] < a.conns and
                   time.monotonic() - t0 < a.timeout):
                await asyncio.sleep(0.05)
        except asyncio.TimeoutError:
            pass
    print("served=%d peak=%d uploads=%d bad=%d" %
          (state["served"], state["peak"], state["uploads"], state["bad"]))
    return state["served"] == a.conns


async def one_client(a, index, results):
    up = payload(index, a.up, 1)
    want_down = hashlib.sha256(payload(index, a.down, 2)).digest()
    try:
        reader, writer = await asyncio.open_connection(a.addr, a.port)
        writer.write(HDR.pack(index, a.up, a.down) + up)
        await writer.drain()
        digest = await reader.readexactly(32)
        down = await reader.readexactly(a.down)
        writer.close()
        ok = (digest == hashlib.sha256(up).digest() and
              hashlib.sha256(down).digest() == want_down)
        results["ok" if ok else "mismatch"] += 1
    except (OSError, asyncio.IncompleteReadError) as e:
        results["failed"] += 1
        results["why"] = str(e)


async def many_client(a):
    results = {"ok": 0, "mismatch": 0, "failed": 0, "why": "-"}
    t0 = time.monotonic()
    tasks = [one_client(a, i, results) for i in range(a.conns)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), a.timeout)
    except asyncio.TimeoutError:
        results["why"] = "timeout"
    print("conns=%d ok=%d mismatch=%d failed=%d secs=%.2f why=%s" %
          (a.conns, results["ok"], results["mismatch"], results["failed"],
           time.monotonic() - t0, results["why"].replace(" ", "_")))
    return results["ok"] == a.conns


# --- echo-server / hold-client ---------------------------------------------

async def echo_server(a):
    async def handle(reader, writer):
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        writer.close()

    server = await asyncio.start_server(handle, a.addr, a.port)
    async with server:
        await asyncio.sleep(a.timeout)
    return True


def err_name(e):
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timeout"
    return errno.errorcode.get(e.errno, str(e.errno)) if e.errno else str(e)


def echo_check(s, nbytes):
    data = random.Random(nbytes).randbytes(nbytes)
    s.sendall(data)
    got = b""
    while len(got) < nbytes:
        chunk = s.recv(CHUNK)
        if not chunk:
            break
        got += chunk
    return hashlib.sha256(got).digest() == hashlib.sha256(data).digest()


def hold_client(a):
    deadline = time.monotonic() + a.timeout
    family = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    held, refused, errors = [], 0, []
    for _ in range(a.conns):
        held.append(socket.create_connection((a.addr, a.port),
                                             timeout=a.connect_timeout))
    for _ in range(a.extra):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(a.connect_timeout)
        try:
            s.connect((a.addr, a.port))
            errors.append("connected")
        except OSError as e:
            refused += 1
            errors.append(err_name(e))
        s.close()
    echo_ok = 0
    for s in held:
        s.settimeout(max(0.5, deadline - time.monotonic()))
        try:
            echo_ok += echo_check(s, a.bytes)
        except OSError as e:
            errors.append("echo_" + err_name(e))
        s.close()
    print("held=%d refused=%d echo_ok=%d errors=%s" %
          (len(held), refused, echo_ok, ",".join(errors) or "-"))
    return refused == a.extra and echo_ok == a.conns


# --- udp-big-ask ---------------------------------------------------------------

def udp_server(a):
    family = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data, peer = s.recvfrom(CHUNK)
        except socket.timeout:
            break
        if data.startswith(b"give:") and data[5:].isdigit():
            n = min(int(data[5:]), 65000)
            s.sendto(random.Random(n).randbytes(n), peer)
        else:
            s.sendto(b"echo:" + data, peer)
    return True


def udp_big_ask(a):
    family = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    ok = []
    for size in [int(x) for x in a.sizes.split(",")]:
        req = random.Random(size).randbytes(size)
        want = b"echo:" + req
        if a.give:
            req, want = b"give:%d" % size, req
        for _ in range(10):	# the server may still be starting
            s.send(req)
            s.settimeout(max(0.1, min(1.0, deadline - time.monotonic())))
            try:
                if s.recv(CHUNK) == want:
                    ok.append(str(size))
                    break
            except (socket.timeout, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    break
            except OSError as e:	# EMSGSIZE after a Packet Too Big...
                print("error=%s" % err_name(e))
                if time.monotonic() > deadline:
                    break
    print("ok=%d sizes=%s" % (len(ok), ",".join(ok) or "-"))
    return len(ok) == len(a.sizes.split(","))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("op", choices=["many-server", "many-client", "echo-server",
                                  "hold-client", "udp-server",
                                  "udp-big-ask"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--extra", type=int, default=1)
    p.add_argument("--up", type=int, default=65536)
    p.add_argument("--down", type=int, default=65536)
    p.add_argument("--bytes", type=int, default=65536)
    p.add_argument("--sizes", default="3000,5000")
    p.add_argument("--give", action="store_true")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--connect-timeout", type=float, default=5.0)
    a = p.parse_args()
    try:
        if a.op == "many-server":
            ok = asyncio.run(many_server(a))
        elif a.op == "many-client":
            ok = asyncio.run(many_client(a))
        elif a.op == "echo-server":
            ok = asyncio.run(echo_server(a))
        elif a.op == "hold-client":
            ok = hold_client(a)
        elif a.op == "udp-server":
            ok = udp_server(a)
        else:
            ok = udp_big_ask(a)
    except OSError as e:
        sys.exit("%s: %s" % (a.op, e))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
