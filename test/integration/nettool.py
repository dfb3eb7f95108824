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

  nettool.py udp-burst  ADDR PORT COUNT [--timeout S]
        send COUNT datagrams as fast as possible, no answers expected;
        print "sent N" (datagrams the local stack refused are not counted)
  nettool.py bad-packet IFACE DSTMAC SRC DST KIND [--timeout S] [--repeat N]
        build one malformed IPv4 or IPv6 packet (KIND, see BAD_KINDS) from
        SRC to DST and send it on IFACE to DSTMAC with an AF_PACKET socket,
        so that the local stack cannot check or fix it; "list" as KIND
        prints the kinds of the family of SRC

  nettool.py too-big SRC DST MTU [--bad-checksum]
        send (raw socket, from SRC) one ICMPv4 Fragmentation Needed or
        ICMPv6 Packet Too Big with next-hop MTU to DST, quoting a UDP
        packet DST sent to SRC; --bad-checksum spoils its ICMP checksum

  nettool.py ctl PATH REQUEST [--timeout S]
        one control-socket request (common/ctl_proto.h); print the reply,
        exit 0 on "ok", 1 on "error"

  nettool.py xfer-sink   ADDR PORT [--timeout S] [--idle S]
  nettool.py xfer-source ADDR PORT BYTES [--timeout S] [--idle S]
        tcp-sink/tcp-source that also give up when no byte moved for
        --idle seconds (default 15: a stalled path fails fast) and print
        one line of key=value: bytes, sha256, secs, mbit (rate), and from
        the kernel's TCP_INFO: rcv_mss (sink: largest segment payload
        seen), snd_mss, pmtu, retrans (source: at the end)

  nettool.py udp-gso-send ADDR PORT COUNT SIZE [--per-send N] [--gap S]
        send COUNT datagrams of SIZE bytes (index + pattern, see udp_dgram)
        N at a time (default 50, at most 64) as one UDP_SEGMENT send each,
        pausing --gap seconds (default 0.02) between sends; --per-send 1
        sends plain datagrams; print "sent COUNT in K sends"
  nettool.py udp-gso-recv ADDR PORT COUNT SIZE [--timeout S] [--idle S]
        receive until COUNT distinct datagrams or --idle seconds without
        one (default 3); check each one's size and content; print
        "got G distinct D bad B dup U" and succeed only when all COUNT
        arrived intact and nothing else did
  nettool.py udp-probe ADDR PORT COUNT SIZE [--gap S]
        send COUNT datagrams of SIZE bytes with DF set whatever the path
        MTU is (IP_PMTUDISC_PROBE), --gap seconds apart (default 0.02),
        to draw one Fragmentation Needed / Packet Too Big each from a
        narrower link; print "sent N"

Every operation is bounded by --timeout (default 30 s) and exits non-zero
on failure with a message on stderr.
"""
import argparse
import errno
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


def accept_one(addr, port, timeout):
    """The first TCP connection to addr#port within timeout: (conn, peer)."""
    srv = socket.socket(family(addr), socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(1)
    srv.settimeout(timeout)
    return srv.accept()


def tcp_sink(a):
    conn, _ = accept_one(a.addr, a.port, a.timeout)
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
    peers = []
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
        if peer not in peers:
            peers.append(peer)
    # Who asked, as the server saw them (after the NATs on the way).
    for p in peers:
        print("peer=%s#%d" % (p[0], p[1]))


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


def udp_burst(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    s.setblocking(False)
    deadline = time.monotonic() + a.timeout
    sent = 0
    for i in range(a.count):
        if time.monotonic() > deadline:
            break
        try:
            s.send(b"burst %d" % i)
            sent += 1
        except (BlockingIOError, ConnectionRefusedError):
            time.sleep(0.0005)
    print("sent", sent)


# --- bad-packet: malformed packets, built by hand -------------------------

def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big")
                for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return (~total) & 0xffff


def with_csum(data, off, pseudo=b""):
    """data with the 16-bit checksum at off computed over pseudo + data."""
    data = bytearray(data)
    data[off:off + 2] = b"\0\0"
    data[off:off + 2] = csum16(pseudo + bytes(data)).to_bytes(2, "big")
    return bytes(data)


def ip4(src, dst, proto, payload, options=b"", ttl=64, tot_len=None):
    hlen = 20 + len(options)
    assert hlen % 4 == 0
    h = bytearray(20)
    h[0] = 0x40 | hlen // 4
    h[2:4] = (tot_len if tot_len is not None
              else hlen + len(payload)).to_bytes(2, "big")
    h[4:6] = (0x1234).to_bytes(2, "big")
    h[8] = ttl
    h[9] = proto
    h[12:16] = socket.inet_pton(socket.AF_INET, src)
    h[16:20] = socket.inet_pton(socket.AF_INET, dst)
    h = with_csum(bytes(h) + options, 10)
    return h + payload


def ip6(src, dst, nh, payload, hlim=64, plen=None):
    h = bytearray(40)
    h[0] = 0x60
    h[4:6] = (len(payload) if plen is None else plen).to_bytes(2, "big")
    h[6] = nh
    h[7] = hlim
    h[8:24] = socket.inet_pton(socket.AF_INET6, src)
    h[24:40] = socket.inet_pton(socket.AF_INET6, dst)
    return bytes(h) + payload


def pseudo6(src, dst, nh, length):
    return (socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) +
            length.to_bytes(4, "big") + b"\0\0\0" + bytes([nh]))


def udp(sport, dport, data, length=None, cs=0x1234):
    n = 8 + len(data) if length is None else length
    return (sport.to_bytes(2, "big") + dport.to_bytes(2, "big") +
            n.to_bytes(2, "big") + cs.to_bytes(2, "big") + data)


def icmp4(typ, code, rest, body, good=True):
    m = bytes([typ, code, 0, 0]) + rest + body
    m = with_csum(m, 2)
    if not good:
        m = m[:2] + bytes([m[2] ^ 0x55, m[3]]) + m[4:]
    return m


def icmp6(src, dst, typ, code, rest, body, good=True):
    m = bytes([typ, code, 0, 0]) + rest + body
    m = with_csum(m, 2, pseudo6(src, dst, 58, len(m)))
    if not good:
        m = m[:2] + bytes([m[2] ^ 0x55, m[3]]) + m[4:]
    return m


def bad4(kind, s, d):
    z4 = b"\0" * 4
    inner_udp = ip4(d, s, 17, udp(7000, 7001, b"x" * 8))
    if kind == "udp-short":		# 4 bytes of an 8-byte UDP header
        return ip4(s, d, 17, b"\x1b\x58\x1b\x59")
    if kind == "tcp-short":		# 10 bytes of a 20-byte TCP header
        return ip4(s, d, 6, bytes(range(10)))
    if kind == "udp-badlen":		# UDP length 300 in a 20-byte datagram
        return ip4(s, d, 17, udp(7000, 7001, b"y" * 12, length=300))
    if kind == "udp-len-short":		# UDP length 3 (below its own header)
        return ip4(s, d, 17, udp(7000, 7001, b"y" * 12, length=3))
    if kind == "icmp-short":		# 3 bytes of ICMP
        return ip4(s, d, 1, b"\x08\x00\xf7")
    if kind == "icmp-nested":		# Port Unreachable quoting an ICMP error
        inner = ip4(d, s, 1, icmp4(3, 1, z4, ip4(s, d, 17, udp(1, 2, b""))))
        return ip4(s, d, 1, icmp4(3, 3, z4, inner))
    if kind == "icmp-badsum":		# Port Unreachable, checksum wrong
        return ip4(s, d, 1, icmp4(3, 3, z4, inner_udp, good=False))
    if kind == "echo-badsum":		# Echo Request, checksum wrong
        return ip4(s, d, 1, icmp4(8, 0, b"\0\1\0\1", b"p" * 16,
                                  good=False))
    if kind == "icmp-inner-garbage":	# error quoting no IP header at all
        return ip4(s, d, 1, icmp4(3, 3, z4, b"\x99" * 28))
    if kind == "icmp-inner-short":	# error quoting 12 bytes of IPv4 header
        return ip4(s, d, 1, icmp4(3, 3, z4, inner_udp[:12]))
    if kind == "opt-zero-len":		# Record Route option of length 0
        return ip4(s, d, 17, udp(7000, 7001, b"o" * 8),
                   options=b"\x07\x00\x04\x00")
    if kind == "opt-overrun":		# LSRR of length 40 in a 4-byte area
        return ip4(s, d, 17, udp(7000, 7001, b"o" * 8),
                   options=b"\x83\x28\x04\x00")
    if kind == "opt-len-one":		# Timestamp option of length 1
        return ip4(s, d, 17, udp(7000, 7001, b"o" * 8),
                   options=b"\x44\x01\x00\x00")
    if kind == "opt-lsrr":		# unexpired loose source route
        return ip4(s, d, 17, udp(7000, 7001, b"o" * 8),
                   options=b"\x83\x07\x04" +
                   socket.inet_pton(socket.AF_INET, d) + b"\x00")
    if kind == "ttl-one":		# TTL 1: Time Exceeded expected
        return ip4(s, d, 17, udp(7000, 7001, b"t" * 8), ttl=1)
    raise KeyError(kind)


def bad6(kind, s, d):
    z4 = b"\0" * 4
    inner_udp = ip6(d, s, 17, udp(7000, 7001, b"x" * 8))
    if kind == "udp-short":
        return ip6(s, d, 17, b"\x1b\x58\x1b\x59")
    if kind == "tcp-short":
        return ip6(s, d, 6, bytes(range(10)))
    if kind == "udp-badlen":
        return ip6(s, d, 17, udp(7000, 7001, b"y" * 12, length=300))
    if kind == "udp-len-short":
        return ip6(s, d, 17, udp(7000, 7001, b"y" * 12, length=3))
    if kind == "icmp-short":
        return ip6(s, d, 58, b"\x80\x00\x7f")
    if kind == "icmp-nested":		# Port Unreachable quoting an ICMPv6 error
        q = ip6(s, d, 17, udp(1, 2, b""))
        inner = ip6(d, s, 58, icmp6(d, s, 1, 4, z4, q))
        return ip6(s, d, 58, icmp6(s, d, 1, 4, z4, inner))
    if kind == "icmp-badsum":
        return ip6(s, d, 58, icmp6(s, d, 1, 4, z4, inner_udp, good=False))
    if kind == "echo-badsum":
        return ip6(s, d, 58, icmp6(s, d, 128, 0, b"\0\1\0\1", b"p" * 16,
                                   good=False))
    if kind == "icmp-inner-garbage":
        return ip6(s, d, 58, icmp6(s, d, 1, 4, z4, b"\x99" * 48))
    if kind == "icmp-inner-short":	# 20 bytes of a 40-byte IPv6 header
        return ip6(s, d, 58, icmp6(s, d, 1, 4, z4, inner_udp[:20]))
    if kind == "frag-then-ext":		# Fragment, then Destination Options
        frag = bytes([60, 0, 0, 0]) + (0x1234).to_bytes(4, "big")
        dst = bytes([17, 0]) + b"\x01\x04\0\0\0\0"	# PadN
        return ip6(s, d, 44, frag + dst + udp(7000, 7001, b"f" * 8))
    if kind == "two-frags":		# two Fragment headers
        f1 = bytes([44, 0, 0, 0]) + (0x1111).to_bytes(4, "big")
        f2 = bytes([17, 0, 0, 0]) + (0x2222).to_bytes(4, "big")
        return ip6(s, d, 44, f1 + f2 + udp(7000, 7001, b"f" * 8))
    if kind == "ext-short":		# Destination Options cut at 4 bytes
        return ip6(s, d, 60, b"\x11\x00\x01\x00")
    if kind == "ext-overrun":		# Destination Options of 88 bytes in 16
        return ip6(s, d, 60, bytes([17, 10]) + b"\x01\x0c" + b"\0" * 12)
    if kind == "hlim-one":		# hop limit 1: Time Exceeded expected
        return ip6(s, d, 17, udp(7000, 7001, b"t" * 8), hlim=1)
    if kind == "udp-csum-zero":		# invalid in IPv6 (RFC 8200 8.1)
        return ip6(s, d, 17, udp(7000, 7001, b"z" * 8, cs=0))
    raise KeyError(kind)


BAD_KINDS = ["udp-short", "tcp-short", "udp-badlen", "udp-len-short",
             "icmp-short", "icmp-nested", "icmp-badsum", "echo-badsum",
             "icmp-inner-garbage", "icmp-inner-short"]
BAD_KINDS4 = BAD_KINDS + ["opt-zero-len", "opt-overrun", "opt-len-one",
                          "opt-lsrr", "ttl-one"]
BAD_KINDS6 = BAD_KINDS + ["frag-then-ext", "two-frags", "ext-short",
                          "ext-overrun", "hlim-one", "udp-csum-zero"]


def bad_packet(a):
    v6 = ":" in a.src
    kinds = BAD_KINDS6 if v6 else BAD_KINDS4
    if a.kind == "list":
        print("\n".join(kinds))
        return
    if a.kind not in kinds:
        sys.exit("bad-packet: unknown kind %s (%s)" % (a.kind,
                                                       " ".join(kinds)))
    pkt = (bad6 if v6 else bad4)(a.kind, a.src, a.dst)
    proto = 0x86DD if v6 else 0x0800
    mac = bytes(int(x, 16) for x in a.dstmac.split(":"))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(proto))
    s.settimeout(a.timeout)
    for _ in range(a.repeat):
        s.sendto(pkt, (a.iface, proto, 0, 0, mac))
    print("sent", a.kind, len(pkt), "bytes", a.repeat, "times")


def too_big(a):
    """A Fragmentation Needed / Packet Too Big from a.src about a packet
    a.dst sent to a.src, through a raw socket (no checksum fixed)."""
    body = udp(7000, 7001, b"q" * 32)
    if ":" in a.src:
        inner = ip6(a.dst, a.src, 17, body)
        pkt = ip6(a.src, a.dst, 58, icmp6(a.src, a.dst, 2, 0,
                                          a.mtu.to_bytes(4, "big"), inner,
                                          good=not a.bad_checksum))
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_RAW)
    else:
        inner = ip4(a.dst, a.src, 17, body)
        pkt = ip4(a.src, a.dst, 1, icmp4(3, 4, b"\0\0" +
                                         a.mtu.to_bytes(2, "big"), inner,
                                         good=not a.bad_checksum))
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                          socket.IPPROTO_RAW)
    s.settimeout(a.timeout)
    s.sendto(pkt, (a.dst, 0))
    print("sent", len(pkt), "bytes")


# --- transfers that report rates and the kernel's view of the path -------

# Offsets in struct tcp_info (linux/tcp.h): 8 bytes of u8 fields, then u32s.
TCPI_SND_MSS, TCPI_RCV_MSS, TCPI_PMTU, TCPI_TOTAL_RETRANS = 16, 20, 60, 100


def tcp_info(sock):
    """snd_mss, rcv_mss, pmtu and total_retrans of a connected socket."""
    raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    u32 = lambda off: int.from_bytes(raw[off:off + 4], sys.byteorder)
    return {"snd_mss": u32(TCPI_SND_MSS), "rcv_mss": u32(TCPI_RCV_MSS),
            "pmtu": u32(TCPI_PMTU), "retrans": u32(TCPI_TOTAL_RETRANS)}


def step_timeout(deadline, idle):
    """Socket timeout for one step: the idle limit, within the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("overall --timeout reached")
    return min(idle, left)


def report(total, digest, t0, extra, peer=None):
    secs = max(time.monotonic() - t0, 1e-6)
    fields = ["bytes=%d" % total, "sha256=%s" % digest, "secs=%.2f" % secs,
              "mbit=%.0f" % (total * 8 / secs / 1e6)]
    fields += ["%s=%d" % kv for kv in sorted(extra.items())]
    if peer:
        fields.append("peer=%s#%d" % (peer[0], peer[1]))
    print(" ".join(fields))


def xfer_sink(a):
    conn, peer = accept_one(a.addr, a.port, a.timeout)
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    h = hashlib.sha256()
    total = 0
    rcv_mss = 0
    while True:
        conn.settimeout(step_timeout(deadline, a.idle))
        try:
            data = conn.recv(CHUNK)
        except socket.timeout:
            sys.exit("xfer-sink: stalled after %d bytes" % total)
        if not data:
            break
        h.update(data)
        total += len(data)
        rcv_mss = max(rcv_mss, tcp_info(conn)["rcv_mss"])
    conn.close()
    report(total, h.hexdigest(), t0, {"rcv_mss": rcv_mss}, peer)


def connect_retry(addr, port, deadline, idle):
    """A TCP connection; a route that is missing for an instant (an
    ICMPv6/ICMP "no route" while BGP routers converge: ENETUNREACH,
    EHOSTUNREACH) is retried up to 3 times, 0.5 s apart, and said on
    stderr, as a client would retry; anything else fails at once."""
    for attempt in range(4):
        try:
            return socket.create_connection(
                (addr, port), timeout=step_timeout(deadline, idle))
        except OSError as e:
            if (e.errno not in (errno.ENETUNREACH, errno.EHOSTUNREACH)
                    or attempt == 3):
                raise
            print("xfer-source: connect: %s, retrying" % e.strerror,
                  file=sys.stderr)
            time.sleep(0.5)


def xfer_source(a):
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    s = connect_retry(a.addr, a.port, deadline, a.idle)
    h = hashlib.sha256()
    sent = 0
    try:
        for chunk in pattern(a.bytes):
            s.settimeout(step_timeout(deadline, a.idle))
            s.sendall(chunk)
            h.update(chunk)
            sent += len(chunk)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(step_timeout(deadline, a.idle))
        s.recv(1)  # the peer's close: it has taken everything
    except socket.timeout:
        sys.exit("xfer-source: stalled after %d bytes sent (%s)" %
                 (sent, " ".join("%s=%d" % kv
                                 for kv in sorted(tcp_info(s).items()))))
    info = tcp_info(s)
    s.close()
    report(a.bytes, h.hexdigest(), t0,
           {k: info[k] for k in ("snd_mss", "pmtu", "retrans")})


def udp_dgram(index, size):
    """Datagram `index` of `size` bytes: index, size, then a pattern."""
    head = index.to_bytes(4, "big") + size.to_bytes(4, "big")
    seed = hashlib.sha256(head).digest()
    body = (seed * (size // len(seed) + 1))[:max(size - 8, 0)]
    return (head + body)[:size]


UDP_SEGMENT = 103	# linux/udp.h, level SOL_UDP (17)
UDP_MAX_PER_SEND = 64


def udp_gso_send(a):
    if not 1 <= a.per_send <= UDP_MAX_PER_SEND:
        sys.exit("udp-gso-send: --per-send 1..%d" % UDP_MAX_PER_SEND)
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.connect((a.addr, a.port))
    s.settimeout(a.timeout)
    if a.per_send > 1:
        s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, a.size)
    sends = 0
    for first in range(0, a.count, a.per_send):
        n = min(a.per_send, a.count - first)
        buf = b"".join(udp_dgram(first + i, a.size) for i in range(n))
        if s.send(buf) != len(buf):
            sys.exit("udp-gso-send: short send")
        sends += 1
        time.sleep(a.gap)
    print("sent %d in %d sends" % (a.count, sends))


def udp_gso_recv(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    # Room for every datagram: a short buffer would lose some here, not
    # in the translator. SO_RCVBUFFORCE (33) passes rmem_max as root.
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((a.addr, a.port))
    deadline = time.monotonic() + a.timeout
    seen = set()
    got = bad = dup = 0
    while len(seen) < a.count:
        try:
            s.settimeout(step_timeout(deadline, a.idle))
            data = s.recv(CHUNK)
        except socket.timeout:
            break
        got += 1
        index = int.from_bytes(data[:4], "big") if len(data) >= 4 else -1
        if (len(data) != a.size or not 0 <= index < a.count or
                data != udp_dgram(index, a.size)):
            bad += 1
            print("bad datagram: %d bytes, index %d" % (len(data), index),
                  file=sys.stderr)
        elif index in seen:
            dup += 1
        else:
            seen.add(index)
    # Anything late or extra would show here.
    s.settimeout(0.3)
    try:
        while True:
            s.recv(CHUNK)
            got += 1
            dup += 1
    except socket.timeout:
        pass
    print("got %d distinct %d bad %d dup %d" % (got, len(seen), bad, dup))
    if len(seen) != a.count or bad or dup:
        missing = sorted(set(range(a.count)) - seen)[:10]
        sys.exit("udp-gso-recv: %d of %d datagrams intact; first missing %s"
                 % (len(seen), a.count, missing))


# linux/in.h, linux/in6.h: "set DF, ignore the path MTU".
IP_MTU_DISCOVER, IPV6_MTU_DISCOVER, PMTUDISC_PROBE = 10, 23, 3


def udp_probe(a):
    fam = family(a.addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_PROBE)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_PROBE)
    s.settimeout(a.timeout)
    deadline = time.monotonic() + a.timeout
    sent = 0
    for i in range(a.count):
        if time.monotonic() > deadline:
            break
        try:
            s.sendto(udp_dgram(i, a.size), (a.addr, a.port))
            sent += 1
        except OSError:
            pass	# a refused send (queued error) is not a probe sent
        time.sleep(a.gap)
    print("sent", sent)


# Subcommands with their own positional arguments ("name:int" for numbers);
# the rest (tcp-sink, udp-echo, ...) share the parser at the end of main().
OPS = {
    "bad-packet": (bad_packet, ["iface", "dstmac", "src", "dst", "kind"]),
    "udp-burst": (udp_burst, ["addr", "port:int", "count:int"]),
    "too-big": (too_big, ["src", "dst", "mtu:int"]),
    "ctl": (ctl, ["addr", "request"]),
    "udp-probe": (udp_probe, ["addr", "port:int", "count:int", "size:int"]),
    "xfer-sink": (xfer_sink, ["addr", "port:int"]),
    "xfer-source": (xfer_source, ["addr", "port:int", "bytes:int"]),
    "udp-gso-send": (udp_gso_send, ["addr", "port:int", "count:int",
                                    "size:int"]),
    "udp-gso-recv": (udp_gso_recv, ["addr", "port:int", "count:int",
                                    "size:int"]),
}


def main_op(op):
    func, args = OPS[op]
    p = argparse.ArgumentParser(prog="nettool.py " + op)
    p.add_argument("op")
    for arg in args:
        name, _, kind = arg.partition(":")
        p.add_argument(name, type=int if kind == "int" else str)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--idle", type=float,
                   default=3.0 if op == "udp-gso-recv" else 15.0)
    p.add_argument("--per-send", type=int, default=50)
    p.add_argument("--gap", type=float, default=0.02)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--bad-checksum", action="store_true")
    a = p.parse_args()
    try:
        func(a)
    except OSError as e:
        sys.exit("%s: %s" % (op, e))


def main():
    if len(sys.argv) > 1 and sys.argv[1] in OPS:
        main_op(sys.argv[1])
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
