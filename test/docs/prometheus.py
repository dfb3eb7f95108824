#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A strict parser of the Prometheus text exposition format 0.0.4, for
the output of `transctl stats --prometheus`, checked against the control
protocol body it was made from (GROUP TAB NAME TAB VALUE TAB DESC lines).

Format: every family has one HELP and one TYPE line, both before its
first sample; a family's samples are together; names match
[a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not "__"),
label values and HELP escaped; no series twice. Ours, besides: values
are non-negative integers, counters end in _total and gauges do not,
every body line is one sample with its value, label and description,
and there is no other sample.
"""
import argparse
import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*\Z')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*\Z')
VALUE = re.compile(r'(0|[1-9][0-9]*)\Z')
GAUGES = {'tcp_queue_waiting', 'other_queue_waiting'}
SUMS = {'core', 'daemon'}


class Bad(Exception):
    pass


def unescape(s, label):
    """The text of an escaped HELP (label=False) or label value."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\':
            if i + 1 == len(s):
                raise Bad('lone backslash in %r' % s)
            n = s[i + 1]
            if n == '\\':
                out.append('\\')
            elif n == 'n':
                out.append('\n')
            elif n == '"' and label:
                out.append('"')
            else:
                raise Bad('bad escape \\%s in %r' % (n, s))
            i += 2
            continue
        if c == '"' and label:
            raise Bad('unescaped quote in %r' % s)
        out.append(c)
        i += 1
    return ''.join(out)


def parse_labels(s):
    """'{a="x",b="y"}' -> (('a','x'),('b','y')); strict."""
    labels, i = [], 1
    while True:
        if s[i] == '}':
            return tuple(labels), i + 1
        m = re.compile(r'([^=]*)="').match(s, i)
        if not m or not LABEL.match(m.group(1)) or m.group(1).startswith('__'):
            raise Bad('bad label name in %r' % s)
        j = m.end()
        k = j
        while k < len(s) and s[k] != '"':
            k += 2 if s[k] == '\\' else 1
        if k >= len(s):
            raise Bad('unterminated label value in %r' % s)
        name = m.group(1)
        if any(n == name for n, _ in labels):
            raise Bad('label %s twice in %r' % (name, s))
        labels.append((name, unescape(s[j:k], True)))
        i = k + 1
        if s[i] == ',':
            i += 1
        elif s[i] != '}':
            raise Bad('expected , or } in %r' % s)


def parse(text):
    """{(name, labels): value}, {name: (help, type)}; raises Bad."""
    if text and not text.endswith('\n'):
        raise Bad('last line without newline')
    helps, types, samples, done, cur = {}, {}, {}, set(), None
    for n, line in enumerate(text.split('\n')[:-1], 1):
        where = 'line %d: ' % n
        try:
            if line.startswith('# HELP ') or line.startswith('# TYPE '):
                kind, rest = line[2:6], line[7:]
                name, sep, arg = rest.partition(' ')
                if not NAME.match(name) or not sep:
                    raise Bad('bad %s line %r' % (kind, line))
                if name in samples_names(samples) or name in done:
                    raise Bad('%s of %s after its samples' % (kind, name))
                table = helps if kind == 'HELP' else types
                if name in table:
                    raise Bad('second %s for %s' % (kind, name))
                if kind == 'HELP':
                    table[name] = unescape(arg, False)
                elif arg not in ('counter', 'gauge'):
                    raise Bad('type %r of %s' % (arg, name))
                else:
                    table[name] = arg
                continue
            if line.startswith('#') or not line:
                raise Bad('unexpected line %r' % line)
            m = re.match(r'[^{ ]*', line)
            name = m.group(0)
            if not NAME.match(name):
                raise Bad('bad metric name %r' % name)
            rest = line[m.end():]
            labels = ()
            if rest.startswith('{'):
                labels, end = parse_labels(rest)
                rest = rest[end:]
            if not rest.startswith(' ') or not VALUE.match(rest[1:]):
                raise Bad('value not a non-negative integer: %r' % line)
            if name not in helps or name not in types:
                raise Bad('sample of %s before its HELP and TYPE' % name)
            if name != cur:
                if name in done:
                    raise Bad('samples of %s not together' % name)
                if cur:
                    done.add(cur)
                cur = name
            key = (name, tuple(sorted(labels)))
            if key in samples:
                raise Bad('series %r twice' % (key,))
            samples[key] = int(rest[1:])
        except (Bad, IndexError) as e:
            raise Bad(where + str(e))
    for name, t in types.items():
        if (t == 'counter') != name.endswith('_total'):
            raise Bad('%s %s: counters and only they end in _total' % (t, name))
    fams = {name: (helps.get(name), types.get(name)) for name in
            set(helps) | set(types)}
    return samples, fams


def samples_names(samples):
    return {k[0] for k in samples}


def expected(body, mode):
    """What each body line must become: {(name, labels): value}, docs."""
    want, docs = {}, {}
    for line in body.split('\n'):
        if not line:
            continue
        group, name, value, desc = line.split('\t', 3)
        if mode == 'workers' and group in SUMS:
            continue
        gauge = name in GAUGES
        metric = 'translator_' + re.sub(r'[^a-zA-Z0-9_:]', '_', name) + \
            ('' if gauge else '_total')
        if group in SUMS or group == 'kernel':
            labels = ()
        else:
            w = group[6:] if group.startswith('worker') else group
            labels = (('worker', w),)
        want[(metric, labels)] = int(value)
        docs[metric] = (desc, 'gauge' if gauge else 'counter')
    return want, docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mode', choices=('sums', 'workers'), required=True)
    ap.add_argument('--body', required=True)
    ap.add_argument('prom')
    a = ap.parse_args()
    with open(a.prom) as f:
        text = f.read()
    with open(a.body) as f:
        body = f.read()
    try:
        samples, fams = parse(text)
    except Bad as e:
        print('FAIL: %s: %s' % (a.prom, e))
        return 1
    want, docs = expected(body, a.mode)
    bad = []
    for k in sorted(set(want) | set(samples)):
        if k not in samples:
            bad.append('missing %r = %d' % (k, want[k]))
        elif k not in want:
            bad.append('unexpected %r = %d' % (k, samples[k]))
        elif want[k] != samples[k]:
            bad.append('%r: %d, expected %d' % (k, samples[k], want[k]))
    for name, doc in docs.items():
        if fams.get(name) != doc:
            bad.append('%s: HELP/TYPE %r, expected %r' %
                       (name, fams.get(name), doc))
    if set(fams) != set(docs):
        bad.append('families without samples: %s' %
                   sorted(set(fams) - set(docs)))
    if len(samples) < 100:
        bad.append('only %d samples' % len(samples))
    for b in bad[:20]:
        print('FAIL: ' + b)
    if not bad:
        print('ok: %d samples in %d families (%s)' %
              (len(samples), len(fams), a.mode))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
