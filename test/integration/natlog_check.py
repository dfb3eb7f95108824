#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks translatord's NAT64 log lines (docs/nat-logging.md) against the
bindings `transctl bib show --json` listed: natlog.sh's helper.

  natlog_check.py LOG BIB_JSON add|del V6ADDR DST4
      every dynamic TCP binding of V6ADDR in BIB_JSON has exactly one
      "NAT64 BIB add" (add) or "NAT64 BIB del ... reason=expired" (del)
      line with its IPv6 and IPv4 transport addresses, and exactly one
      session line of the same kind towards DST4 (ADDR:PORT).
  natlog_check.py LOG BIB_JSON block V6PREFIX V6ADDR SKIP OLD_JSON
      after the first SKIP lines of LOG: one "NAT64 block add" line for
      V6PREFIX, no "NAT64 BIB add" line of a dynamic binding, and every
      dynamic TCP binding of V6ADDR in BIB_JSON that OLD_JSON did not
      list inside the block's address and ports.
Prints what it found; exits 1 on a mismatch.
"""
import json
import re
import sys

TIME = r"time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def lines_of(path, skip=0):
    out = []
    with open(path, errors="replace") as f:
        for i, raw in enumerate(f):
            if i < skip:
                continue
            k = raw.find("NAT64 ")
            if k >= 0:
                out.append(raw[k:].rstrip("\n"))
    return out


def bindings(path, v6):
    rows = json.load(open(path))["bib"]
    got = []
    for r in rows:
        if r["proto"] != "tcp" or r["type"] != "dynamic":
            continue
        a6, p6 = r["ipv6"].rsplit("#", 1)
        a4, p4 = r["ipv4"].rsplit("#", 1)
        if a6 == v6:
            got.append((a6, int(p6), a4, int(p4)))
    return got


def check_flows(log, bibs, kind, dst4):
    ok = True
    tail = r" static=no " + TIME if kind == "add" else \
        r" static=no reason=expired " + TIME
    stail = r" " + TIME if kind == "add" else r" reason=expired " + TIME
    for a6, p6, a4, p4 in bibs:
        v6 = re.escape("[%s]:%d" % (a6, p6))
        bib_re = re.compile(r"NAT64 BIB %s proto=tcp v6=%s v4=([0-9.]+:\d+)%s$"
                            % (kind, v6, tail))
        ses_re = re.compile(r"NAT64 session %s proto=tcp v6=%s v4=([0-9.]+:\d+) "
                            r"dst4=%s dst6=\[[0-9a-f:.]+\]:\d+%s$"
                            % (kind, v6, re.escape(dst4), stail))
        b = [m.group(1) for m in map(bib_re.match, log) if m]
        s = [m.group(1) for m in map(ses_re.match, log) if m]
        want = "%s:%d" % (a4, p4)
        if b != [want] or s != [want]:
            print("port %d: BIB %s lines %s, session lines %s, bib show %s"
                  % (p6, kind, b, s, want))
            ok = False
    print("%d bindings, each with one BIB %s and one session %s line"
          % (len(bibs), kind, kind) if ok else "mismatch")
    return ok


def check_block(log, bibs, prefix, old):
    blk = re.compile(r"NAT64 block add proto=tcp v6=%s v4=([0-9.]+) "
                     r"ports=(\d+)-(\d+) %s$" % (re.escape(prefix), TIME))
    found = [m for m in map(blk.match, log) if m]
    dyn = [x for x in log if x.startswith("NAT64 BIB add")
           and "static=no" in x]
    new = [b for b in bibs if (b[1], b[3]) not in old]
    if len(found) != 1 or dyn or not new:
        print("block lines %d, per-binding lines %d, new bindings %d"
              % (len(found), len(dyn), len(new)))
        return False
    a4, lo, hi = found[0].group(1), int(found[0].group(2)), \
        int(found[0].group(3))
    bad = [b for b in new if b[2] != a4 or not lo <= b[3] <= hi]
    print("block %s ports %d-%d holds %d new bindings, %d outside"
          % (a4, lo, hi, len(new) - len(bad), len(bad)))
    return not bad


def main():
    a = sys.argv[1:]
    if len(a) == 5 and a[2] in ("add", "del"):
        ok = check_flows(lines_of(a[0]), bindings(a[1], a[3]), a[2], a[4])
    elif len(a) == 7 and a[2] == "block":
        old = {(b[1], b[3]) for b in bindings(a[6], a[4])}
        ok = check_block(lines_of(a[0], int(a[5])), bindings(a[1], a[4]),
                         a[3], old)
    else:
        print(__doc__)
        ok = False
    sys.exit(0 if ok else 1)


main()
