#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench-report.py RESULTS TIME RUNS: the tables of scripts/bench.sh.

RESULTS holds one line per measurement (scripts/bench-lib.sh, record()):
MODE OFFLOADS TEST RATE PROC_S_PER_GB ALL_S_PER_GB PROC_NS_PER_PKT.
Each figure is the median of its runs; every rate is followed by its ratio
to the kernel's rate for the same test and offload setting in this run.
"""
import collections
import math
import statistics
import sys

path, secs, runs = sys.argv[1:]
rows = collections.defaultdict(list)
tests, modes, offls = [], [], []
for line in open(path):
    mode, offl, test, *vals = line.rstrip("\n").split("\t")
    rows[(mode, offl, test)].append(tuple(float(v) for v in vals))
    for seen, x in ((tests, test), (modes, mode), (offls, offl)):
        if x not in seen:
            seen.append(x)


def median(vals):
    vals = [v for v in vals if not math.isnan(v)]
    return statistics.median(vals) if vals else float("nan")


med = {k: tuple(median([x[i] for x in v]) for i in range(4))
       for k, v in rows.items()}
NAMES = {"raw": "translatord raw", "tun": "translatord tun",
         "nat64": "translatord nat64"}


def label(m):
    base, _, w = m.partition(":w")
    return NAMES.get(base, base) + (" w%s" % w if w else "")


def is_pps(test):
    return test.startswith("udp")


def fmt_rate(test, v):
    if math.isnan(v) or not v:
        return "0"
    if test.startswith("tcp"):
        return "%.3f" % v
    return "{:,.0f}".format(v).replace(",", " ")


def rate_cell(m, o, tst):
    r = med.get((m, o, tst))
    if r is None:
        return "-"
    cell = fmt_rate(tst, r[0])
    k = med.get(("kernel", o, tst))
    if m != "kernel" and k and k[0] and r[0]:
        cell += " (%.2fx)" % (r[0] / k[0])
    return cell


def table(hdr, lines):
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for cells in lines:
        print("| " + " | ".join(cells) + " |")
    print()


def present(tst, o):
    return any((m, o, tst) in med for m in modes)


print("Medians of %s runs of %s s. tcp in Gbit/s; udp in packets/s "
      "received; conn in TCP connections/s; each with its ratio to the "
      "kernel in this run.\n" % (runs, secs))
table(["test", "offloads"] + [label(m) for m in modes],
      [[tst, o] + [rate_cell(m, o, tst) for m in modes]
       for tst in tests for o in offls if present(tst, o)])

print("CPU in seconds per GB delivered: proc (the translator process, all "
      "its threads) / all (the machine).\n")


def cpu_cell(m, o, tst):
    r = med.get((m, o, tst))
    if r is None:
        return "-"
    if math.isnan(r[1]):
        return "%.1f" % r[2]
    return "%.1f / %.1f" % (r[1], r[2])


table(["test", "offloads"] + [label(m) for m in modes],
      [[tst, o] + [cpu_cell(m, o, tst) for m in modes]
       for tst in tests if not tst.startswith("conn")
       for o in offls if present(tst, o)])

xl = [m for m in modes if m != "kernel"]
ns_rows = [(tst, o) for tst in tests
           if is_pps(tst) or tst.startswith("conn") for o in offls
           if any(not math.isnan(med.get((m, o, tst), (0, 0, 0, math.nan))[3])
                  for m in xl)]
if ns_rows:
    print("Translator CPU per packet in ns (utime + stime of all its "
          "threads / packets it took from its queues; TAYGA: / packets "
          "received; conn: per connection):\n")

    def ns_cell(m, o, tst):
        r = med.get((m, o, tst))
        return "-" if r is None or math.isnan(r[3]) else "%.0f" % r[3]

    table(["test", "offloads"] + [label(m) for m in xl],
          [[tst, o] + [ns_cell(m, o, tst) for m in xl] for tst, o in ns_rows])

# Workers: each translatord mode's rate with N workers over its rate with
# one (does a second worker help, and where?).
scaled = [m for m in modes if ":w" in m and not m.endswith(":w1")
          and m.split(":w")[0] + ":w1" in modes]
if scaled:
    print("Workers: rate with N workers / rate with workers 1:\n")

    def scale(m, o, tst):
        a = med.get((m, o, tst), (0,))[0]
        b = med.get((m.split(":w")[0] + ":w1", o, tst), (0,))[0]
        return "%.2f" % (a / b) if a and b else "-"

    table(["test", "offloads"] + [label(m) for m in scaled],
          [[tst, o] + [scale(m, o, tst) for m in scaled]
           for tst in tests for o in offls if present(tst, o)])

if "on" in offls and "off" in offls:
    print("Offloads on / off (rate ratio):\n")

    def onoff(m, tst):
        a = med.get((m, "on", tst), (0,))[0]
        b = med.get((m, "off", tst), (0,))[0]
        return "%.2f" % (a / b) if a and b else "n/a"

    table(["test"] + [label(m) for m in modes],
          [[tst] + [onoff(m, tst) for m in modes] for tst in tests])
