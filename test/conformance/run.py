#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Conformance runner: replays Jool's graybox cases through
`transctl replay` and compares what the translator emits with what Jool's
suite expects, by the matching rule of the cases' README.md.

  run.py --transctl PATH [--cases-dir DIR] [--modes siit[,nat64]]
         [--known-failures FILE] [--keep DIR] [-v] [CASE-GLOB...]

SIIT cases run one replay each, in parallel. NAT64 cases build on each
other: they run in file order through one replay, against one state, on
a clock that gives each case its time (stateful.py says how).

Exit status: 0 all run cases pass (or fail and are listed in
known-failures.tsv); 1 an unlisted case fails, or a listed one passes now;
77 the cases directory does not exist (automake's SKIP); 99 the runner
itself cannot work (bad arguments, transctl missing).
"""
import argparse
import concurrent.futures
import fnmatch
import os
import struct
import subprocess
import sys
import tempfile

EXIT_SKIP = 77
EXIT_HARD = 99

HERE = os.path.dirname(os.path.abspath(__file__))

# The README's default setups, in our config syntax. Settings that a case's
# setup may change are spelled out, so that the change can be undone after
# the case (the NAT64 cases share one translator).
DEFAULT_SETUP = {
    "siit": """\
mode siit
pool6 2001:db8:100::/40
eamt 2001:db8:3::/120 1.0.0.0/24
eamt 2001:db8:2::/120 10.0.0.0/24
rfc6791v4-prefix 203.0.113.8
lowest-ipv6-mtu 1280
address v6 2001:db8:1c0:2:1::
address v4 198.51.100.1
mtu v6 1500
mtu v4 1500
""",
    # Jool's NAT64 graybox setup: one pool4 address lending ports 1-3000,
    # static bindings for the IPv4-initiated cases. Its IPv4 hosts have
    # documentation addresses (192.0.2.x, 203.0.113.x) under 64:ff9b::/96,
    # which RFC 6052 section 3.1 forbids and Jool does not enforce: the
    # cases need wkp-allow-non-global.
    "nat64": """\
mode nat64
pool6 64:ff9b::/96
wkp-allow-non-global yes
pool4 192.0.2.2 1-3000 tcp
pool4 192.0.2.2 1-3000 udp
pool4 192.0.2.2 1-3000 icmp
bib tcp 192.0.2.2#2000 2001:db8::5#2000
bib udp 192.0.2.2#2000 2001:db8::5#2000
bib icmp 192.0.2.2#1 2001:db8::5#1
bib udp 192.0.2.2#1000 2001:db8:1::5#1001
bib udp 192.0.2.2#1002 2001:db8::5#1003
address v6 2001:db8::1
address v4 192.0.2.2
lowest-ipv6-mtu 1280
zeroize-traffic-class no
source-icmpv6-errors-better yes
mtu v6 1500
mtu v4 1500
""",
}

# Modes whose cases build on each other: run in file order, one state.
STATEFUL_MODES = ("nat64",)

# Jool's `set NAME VALUE` settings that map one to one onto our directives.
# Value translations are applied to every setting ("null" is Jool's "none").
SET_NAMES = {
    "pool6": "pool6",
    "rfc6791v4-prefix": "rfc6791v4-prefix",
    "rfc6791v6-prefix": "rfc6791v6-prefix",
    "lowest-ipv6-mtu": "lowest-ipv6-mtu",
    "amend-udp-checksum-zero": "amend-udp-checksum-zero",
    "zeroize-traffic-class": "zeroize-traffic-class",
    "source-icmpv6-errors-better": "source-icmpv6-errors-better",
}
VALUES = {
    "null": "none",
    "1": "yes", "true": "yes", "on": "yes",
    "0": "no", "false": "no", "off": "no",
}


class Unsupported(Exception):
    pass


def setup_directive(jool):
    """One Jool setup directive -> one of our config lines."""
    w = jool.split()
    if len(w) == 3 and w[0] == "set" and w[1] in SET_NAMES:
        return "%s %s" % (SET_NAMES[w[1]], VALUES.get(w[2], w[2]))
    if len(w) == 4 and w[:2] == ["eamt", "add"]:
        return "eamt %s %s" % (w[3], w[2])  # we write IPv6 first
    if len(w) == 3 and w[0] == "mtu" and w[1] in ("v4", "v6"):
        return jool
    raise Unsupported("setup '%s' has no equivalent here" % jool)


# --- pcap ----------------------------------------------------------------

LINKTYPE_RAW = 101
RAW_LINKTYPES = (LINKTYPE_RAW, 12, 14)  # DLT_RAW differs between systems


def write_pcap(path, packets, times=None):
    """times: each packet's timestamp in microseconds (default i seconds)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            LINKTYPE_RAW))
        for i, pkt in enumerate(packets):
            us = times[i] if times else i * 1000000
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000,
                                len(pkt), len(pkt)))
            f.write(pkt)


def read_pcap(path):
    return [pkt for _, pkt in read_pcap_ts(path)]


def read_pcap_ts(path):
    """[(microseconds, packet)] of a raw IP pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: no pcap header" % path)
    for order in "<>":
        magic = struct.unpack(order + "I", data[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        raise ValueError("%s: not a pcap file" % path)
    linktype = struct.unpack(order + "I", data[20:24])[0] & 0x0fffffff
    if linktype not in RAW_LINKTYPES:
        raise ValueError("%s: link type %d, raw IP expected" % (path, linktype))
    packets, off = [], 24
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError("%s: truncated record header" % path)
        sec, usec, incl = struct.unpack(order + "III", data[off:off + 12])
        off += 16
        if off + incl > len(data):
            raise ValueError("%s: truncated packet" % path)
        packets.append((sec * 1000000 + usec, data[off:off + incl]))
        off += incl
    return packets


# --- matching rule -------------------------------------------------------

def ipv4_header_ok(pkt):
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        return False
    hlen = (pkt[0] & 0xf) * 4
    if hlen < 20 or hlen > len(pkt):
        return False
    s = sum(struct.unpack("!%dH" % (hlen // 2), pkt[:hlen]))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s == 0xffff


def compare(got, exp, ignore):
    """None if got matches exp, else a one-line reason."""
    free_id = len(exp) >= 20 and exp[0] >> 4 == 4 and exp[4:6] == b"\0\0"
    skip = set(ignore)
    if free_id:
        skip |= {4, 5, 10, 11}  # the checksum follows the free ID
    for off in range(min(len(got), len(exp))):
        if off not in skip and got[off] != exp[off]:
            return "offset %d: got 0x%02x, expected 0x%02x%s" % (
                off, got[off], exp[off],
                "" if len(got) == len(exp) else
                " (length %d, expected %d)" % (len(got), len(exp)))
    if len(got) != len(exp):
        return "length %d, expected %d (equal up to offset %d)" % (
            len(got), len(exp), min(len(got), len(exp)))
    if free_id and not ipv4_header_ok(got):
        return "IPv4 header checksum invalid (Identification is free, " \
               "so the checksum must be valid)"
    return None


MAX_DIFF_ROWS = 12


def diffdump(got, exp, context=2):
    """Hex dump of exp against got: equal lines once, differing lines as
    a -expected/+emitted pair, long equal stretches elided."""
    def hexline(chunk):
        return " ".join("%02x" % b for b in chunk)

    rows = []
    for off in range(0, max(len(got), len(exp)), 16):
        g, e = got[off:off + 16], exp[off:off + 16]
        rows.append((off, g == e, g, e))
    show = set()
    for i, (_, same, _, _) in enumerate(rows):
        if not same:
            show.update(range(i - context, i + context + 1))
    out, elided, shown = [], False, 0
    for i, (off, same, g, e) in enumerate(rows):
        if not same:
            shown += 1
            if shown > MAX_DIFF_ROWS:
                out.append("      ... (%d more differing lines)" %
                           (sum(not r[1] for r in rows) - MAX_DIFF_ROWS))
                break
        if i not in show and i > 0:
            if not elided:
                out.append("      ...")
            elided = True
            continue
        elided = False
        if same:
            out.append("      %04x  %s" % (off, hexline(e)))
        else:
            out.append("    - %04x  %s" % (off, hexline(e)))
            out.append("    + %04x  %s" % (off, hexline(g)))
    return "\n".join(out)


# --- one case ------------------------------------------------------------

class Case:
    def __init__(self, row, lineno):
        self.id = row["id"]
        self.mode = row["mode"]
        self.froms = row["from"].split()
        self.send = [s.strip() for s in row["send"].split(" + ")]
        self.expect = row["expect"].split()
        self.ignore = [int(x) for x in row["ignore"].split(",") if x.strip()]
        self.setup = [s.strip() for s in row["setup"].split(";") if s.strip()]
        self.note = row.get("note", "")
        self.lineno = lineno


def read_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for lineno, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            fields += [""] * (len(header) - len(fields))
            cases.append(Case(dict(zip(header, fields)), lineno))
    return cases


def replay_args(case, packets):
    """--from for the case, or none when its packets arrive on both sides
    (transctl then picks each packet's side by its IP version)."""
    if len(case.froms) == 1:
        return ["--from", case.froms[0]]
    if len(case.froms) != len(packets):
        raise Unsupported("%d sides for %d packets" % (len(case.froms),
                                                        len(packets)))
    for side, pkt in zip(case.froms, packets):
        if "v%d" % (pkt[0] >> 4) != side:
            raise Unsupported("a packet arriving on %s is not IPv%s" %
                              (side, side[1]))
    return []


def run_case(case, opts, workdir):
    """Returns (passed, message, detail) for one case."""
    try:
        sets = [setup_directive(s) for s in case.setup]
        packets = [read_packet(opts.cases_dir, p) for p in case.send]
        expected = [read_packet(opts.cases_dir, p) for p in case.expect]
        from_args = replay_args(case, packets)
    except (Unsupported, OSError) as e:
        return False, str(e), ""

    cdir = os.path.join(workdir, case.id)
    os.makedirs(cdir, exist_ok=True)
    conf = os.path.join(cdir, "translator.conf")
    in_pcap = os.path.join(cdir, "in.pcap")
    out_pcap = os.path.join(cdir, "out.pcap")
    with open(conf, "w") as f:
        f.write(DEFAULT_SETUP[case.mode])
    write_pcap(in_pcap, packets)
    cmd = [opts.transctl, "replay", "-c", conf] + from_args
    for s in sets:
        cmd += ["--set", s]
    cmd += [in_pcap, out_pcap]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return False, "transctl replay timed out", ""
    summary = (p.stdout + p.stderr).strip()
    if p.returncode != 0:
        return False, "transctl replay exit %d: %s" % (
            p.returncode, summary.splitlines()[-1] if summary else ""), ""
    try:
        got = read_pcap(out_pcap)
    except (OSError, ValueError) as e:
        return False, str(e), summary
    return check_output(case, got, expected, summary, opts.verbose)


def check_output(case, got, expected, summary, verbose):
    detail = []
    if verbose:
        detail.append("    " + summary)
        for i in range(max(len(got), len(expected))):
            g = got[i] if i < len(got) else b""
            e = expected[i] if i < len(expected) else b""
            detail.append("    packet %d: -expected (%d bytes) "
                          "+emitted (%d bytes)\n%s" % (
                              i + 1, len(e), len(g), diffdump(g, e)))
    detail = "\n".join(detail)
    for i, (g, e) in enumerate(zip(got, expected)):
        why = compare(g, e, case.ignore)
        if why:
            return False, "packet %d of %d: %s" % (
                i + 1, len(expected), why), detail
    if len(got) != len(expected):
        return False, "emitted %d packet(s), expected %d (%s)" % (
            len(got), len(expected), summary), detail
    return True, "", detail


def read_packet(cases_dir, rel):
    with open(os.path.join(cases_dir, "packets", rel), "rb") as f:
        return f.read()


# --- known failures and the report --------------------------------------

def read_known(path):
    known = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if lineno == 1 or not line.strip() or line.startswith("#"):
                continue  # header
            fields = line.split("\t")
            if len(fields) < 2 or not fields[1].strip():
                raise ValueError("%s:%d: expected 'id<TAB>reason'" %
                                 (path, lineno))
            known[fields[0]] = fields[1]
    return known


def parse_args(argv):
    default_dir = os.environ.get("CONFORMANCE_DIR") or os.path.join(
        HERE, "..", "..", "..", "shared", "conformance", "jool-graybox")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--transctl", required=True, help="path of transctl")
    ap.add_argument("--cases-dir", default=default_dir,
                    help="folder with cases.tsv and packets/ "
                         "(default: $CONFORMANCE_DIR, else %(default)s)")
    ap.add_argument("--modes", default="siit,nat64",
                    help="comma-separated modes to run (default: "
                         "%(default)s)")
    ap.add_argument("--known-failures",
                    default=os.path.join(HERE, "known-failures.tsv"))
    ap.add_argument("--keep", metavar="DIR",
                    help="keep each case's config and pcaps under DIR")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="hex dumps of failing cases")
    ap.add_argument("globs", nargs="*", metavar="CASE-GLOB",
                    help="run only the matching case ids")
    return ap.parse_args(argv)


def select(cases, opts, modes):
    run, skipped = [], {}
    for c in cases:
        if opts.globs and not any(fnmatch.fnmatch(c.id, g)
                                  for g in opts.globs):
            continue
        if c.mode in modes:
            run.append(c)
        else:
            skipped[c.mode] = skipped.get(c.mode, 0) + 1
    return run, skipped


def report(cases, results, known, opts):
    passed = failed = known_failing = 0
    stale = []
    for case, (ok, msg, detail) in zip(cases, results):
        if ok and case.id in known:
            stale.append(case.id)
        elif ok:
            passed += 1
        elif case.id in known:
            known_failing += 1
            if opts.verbose:
                print("KNOWN %s: %s" % (case.id, msg))
        else:
            failed += 1
            print("FAIL %s: %s" % (case.id, msg))
            if detail:
                print(detail)
    for cid in stale:
        print("FIXED %s: passes but is listed in %s: remove it" %
              (cid, os.path.basename(opts.known_failures)))
    print("conformance: %d passed, %d failed" % (passed, failed))
    print("known-failing: %d" % known_failing)
    return failed == 0 and not stale


def main(argv):
    opts = parse_args(argv)
    tsv = os.path.join(opts.cases_dir, "cases.tsv")
    if not os.path.isdir(opts.cases_dir):
        print("SKIP: no conformance cases at %s (set CONFORMANCE_DIR or "
              "--cases-dir)" % opts.cases_dir)
        return EXIT_SKIP
    if not os.access(opts.transctl, os.X_OK):
        print("error: %s is not an executable transctl" % opts.transctl)
        return EXIT_HARD
    modes = [m for m in opts.modes.split(",") if m]
    for m in modes:
        if m not in DEFAULT_SETUP:
            print("error: mode %s: its default setup is not written yet" % m)
            return EXIT_HARD
    try:
        cases = read_cases(tsv)
        known = read_known(opts.known_failures)
    except (OSError, ValueError) as e:
        print("error: %s" % e)
        return EXIT_HARD
    unknown = sorted(set(known) - {c.id for c in cases})
    if unknown:
        print("error: %s lists unknown cases: %s" %
              (opts.known_failures, " ".join(unknown)))
        return 1

    run, skipped = select(cases, opts, modes)
    for mode, n in sorted(skipped.items()):
        print("skipped: %d %s case(s) (not enabled: --modes)" % (n, mode))
    with tempfile.TemporaryDirectory(prefix="conformance.") as tmp:
        workdir = opts.keep or tmp
        results = run_all(run, opts, workdir)
    return 0 if report(run, results, known, opts) else 1


def run_all(run, opts, workdir):
    """Results in the order of run: stateless cases in parallel, each
    stateful mode's cases in file order through one translator."""
    import stateful
    byid = {}
    single = [c for c in run if c.mode not in STATEFUL_MODES]
    with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as ex:
        for c, r in zip(single, ex.map(lambda c: run_case(c, opts, workdir),
                                       single)):
            byid[c.id] = r
    for mode in STATEFUL_MODES:
        group = [c for c in run if c.mode == mode]
        if group:
            byid.update(stateful.run_cases(mode, group, opts, workdir,
                                           sys.modules[__name__]))
    return [byid[c.id] for c in run]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
