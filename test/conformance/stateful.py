# SPDX-License-Identifier: GPL-2.0-or-later
"""Stateful conformance cases (NAT64): the cases build on each other, so
they run in file order through one `transctl replay`, against one state.

Time: each case starts one second after the previous one, or later when
its note says its expected packet arrives after N seconds (the
simultaneous-open timer): replay's clock is the capture's timestamps, and
what the translator emits carries the time of the packet or timer that
caused it, which tells to which case it belongs. --linger lets the last
case's timers fire.

Settings: a case's setup applies from its first packet (replay --set-at)
and is undone at the next case's first packet with the default setup's
line for the same setting.

The IPv4 network: in Jool's NAT64 testbed the IPv4 side is 192.0.2.0/24
and n4 (192.0.2.5) routes the rest of the IPv4 world, which is not there
(its setup script: 203.0.113.0/24 via 192.0.2.5). The runner plays that
router: a packet the translator sends beyond 192.0.2.0/24 is answered,
as a Linux router without a route does, with ICMP host unreachable from
192.0.2.5, TTL 64, quoting the packet; the answer is fed back to the
translator right after the packet that caused it (the whole run is then
replayed again: replay is deterministic). Packets consumed that way are
not expected anywhere; every other emitted packet is compared.
"""
import os
import re
import struct
import subprocess

CASE_GAP_US = 1000000        # between cases
BACK_TO_BACK_US = 1000       # between the packets of one case
ROUTER_DELAY_US = 1          # the router's answer, after its cause
START_US = 1000 * 1000000
WAIT_RE = re.compile(r"after ([0-9]+(?:\.[0-9]+)?) ?s\b")

LAN4 = (0xc0000200, 0xffffff00)  # 192.0.2.0/24
ROUTER4 = bytes([192, 0, 2, 5])
MAX_PASSES = 4


def ip4_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def off_lan4(pkt):
    """An IPv4 packet for beyond the testbed's IPv4 network."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        return False
    dst = struct.unpack("!I", pkt[16:20])[0]
    return dst & LAN4[1] != LAN4[0]


def host_unreachable(pkt):
    """What n4 answers: ICMP type 3 code 1 quoting up to 576 bytes."""
    quote = pkt[:576 - 28]
    icmp = bytearray(struct.pack("!BBHI", 3, 1, 0, 0) + quote)
    struct.pack_into("!H", icmp, 2, ip4_csum(bytes(icmp)))
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(quote),
                               0, 0, 64, 1, 0, ROUTER4, pkt[12:16]))
    struct.pack_into("!H", ip, 10, ip4_csum(bytes(ip)))
    return bytes(ip + icmp)


def setting_key(line):
    w = line.split()
    return " ".join(w[:2] if w[0] in ("mtu", "address", "interface")
                    else w[:1])


class Plan:
    """The cases laid out in time, with their settings."""

    def __init__(self, prepared, default_setup):
        self.cases = prepared            # [(case, sets, packets, expected)]
        self.start, self.window = [], []
        t = START_US
        for case, _, _, _ in prepared:
            m = WAIT_RE.search(case.note)
            self.start.append(t)
            self.window.append(int(float(m.group(1)) * 1000000)
                               if m else CASE_GAP_US)
            t += self.window[-1]
        self.defaults = {setting_key(l): l
                         for l in default_setup.splitlines() if l.strip()}

    def restore(self, line):
        key = setting_key(line)
        if key not in self.defaults:
            raise ValueError("setup '%s' cannot be undone: the default "
                             "setup has no '%s' line" % (line, key))
        return self.defaults[key]

    def inputs(self, answers):
        """[(time, packet, case index)], answers {time: packet} included."""
        seq = []
        for k, (_, _, packets, _) in enumerate(self.cases):
            for i, pkt in enumerate(packets):
                seq.append((self.start[k] + i * BACK_TO_BACK_US, pkt, k))
        for t, pkt in answers.items():
            seq.append((t, pkt, self.case_at(t)))
        return sorted(seq, key=lambda x: x[0])

    def set_at(self, seq):
        """replay --set-at arguments for the inputs seq: a case's settings
        at its first packet, undone at the next case's first packet."""
        first = {}
        for n, (_, _, k) in enumerate(seq, 1):
            first.setdefault(k, n)
        pairs = []
        for k, (_, sets, _, _) in enumerate(self.cases):
            if not sets or k not in first:
                continue
            pairs += [(first[k], line) for line in sets]
            later = [first[j] for j in first if j > k]
            if later:
                pairs += [(min(later), self.restore(line)) for line in sets]
        args = []
        for n, line in sorted(pairs, key=lambda p: p[0]):  # stable
            args += ["--set-at", "%d:%s" % (n, line)]
        return args

    def case_at(self, t):
        for k in range(len(self.cases) - 1, -1, -1):
            if t >= self.start[k]:
                return k
        return 0


def replay(plan, seq, opts, rundir, rt):
    conf = os.path.join(rundir, "translator.conf")
    in_pcap = os.path.join(rundir, "in.pcap")
    out_pcap = os.path.join(rundir, "out.pcap")
    with open(conf, "w") as f:
        f.write(rt.DEFAULT_SETUP[plan.mode])
    rt.write_pcap(in_pcap, [p for _, p, _ in seq], [t for t, _, _ in seq])
    linger = plan.window[-1] / 1e6
    cmd = [opts.transctl, "replay", "-c", conf, "--linger", str(linger)]
    cmd += plan.set_at(seq) + [in_pcap, out_pcap]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    summary = (p.stdout + p.stderr).strip()
    if p.returncode != 0:
        raise RuntimeError("transctl replay exit %d: %s" % (
            p.returncode, summary.splitlines()[-1] if summary else ""))
    return rt.read_pcap_ts(out_pcap), summary


def run_cases(mode, cases, opts, workdir, rt):
    """{case id: (passed, message, detail)} for the cases of one mode."""
    results, prepared = {}, []
    for case in cases:
        try:
            sets = [rt.setup_directive(s) for s in case.setup]
            packets = [rt.read_packet(opts.cases_dir, p) for p in case.send]
            expected = [rt.read_packet(opts.cases_dir, p)
                        for p in case.expect]
            for side, pkt in zip(case.froms * len(packets), packets):
                if "v%d" % (pkt[0] >> 4) != side:
                    raise rt.Unsupported("a packet arriving on %s is not "
                                         "IPv%s" % (side, side[1]))
        except (rt.Unsupported, OSError) as e:
            results[case.id] = (False, str(e), "")
            continue
        prepared.append((case, sets, packets, expected))
    if not prepared:
        return results
    plan = Plan(prepared, rt.DEFAULT_SETUP[mode])
    plan.mode = mode
    rundir = os.path.join(workdir, "%s-run" % mode)
    os.makedirs(rundir, exist_ok=True)
    answers = {}
    try:
        for _ in range(MAX_PASSES):
            seq = plan.inputs(answers)
            got, summary = replay(plan, seq, opts, rundir, rt)
            new = {t + ROUTER_DELAY_US: host_unreachable(p)
                   for t, p in got if off_lan4(p)}
            if set(new) <= set(answers):
                break
            answers.update(new)
    except (ValueError, RuntimeError, OSError,
            subprocess.TimeoutExpired) as e:
        for case, _, _, _ in prepared:
            results[case.id] = (False, str(e), "")
        return results
    consumed = {t - ROUTER_DELAY_US for t in answers}
    per_case = [[] for _ in prepared]
    for t, pkt in got:
        if not (t in consumed and off_lan4(pkt)):
            per_case[plan.case_at(t)].append(pkt)
    for k, (case, _, _, expected) in enumerate(prepared):
        results[case.id] = rt.check_output(case, per_case[k], expected,
                                           summary, opts.verbose)
    return results
