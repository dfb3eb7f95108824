#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs a program under the system call filter of the systemd units.

    scripts/seccomp-run.py [--group @system-service] PROGRAM [ARG...]

The units say SystemCallFilter=@system-service and
SystemCallErrorNumber=EPERM: every call outside systemd's group fails with
EPERM. This builds the same filter (the group as this machine's systemd
defines it, expanded with `systemd-analyze syscall-filter`; libseccomp
through python3-seccomp) and execs PROGRAM under it, children included,
so that translatord can be tested where systemd is not PID 1 (containers,
CI), e.g. the integration tests, from a build directory, with

    printf '#!/bin/sh\nexec %s %s "$@"\n' $PWD/../scripts/seccomp-run.py \
        $PWD/translator/translatord >/tmp/xlat-sc && chmod +x /tmp/xlat-sc
    TRANSLATORD=/tmp/xlat-sc make check TESTS=test/integration/tun_batch.sh

(test/integration/lib.sh starts $TRANSLATORD; the exec chain keeps the
daemon's pid). A call outside the group fails with EPERM as under
systemd. NO_NEW_PRIVS is set (libseccomp's default), as the units'
NoNewPrivileges=yes does. Needs /usr/bin/python3 with python3-seccomp.
"""
import os
import subprocess
import sys


def groups():
    out = subprocess.run(["systemd-analyze", "syscall-filter"],
                         capture_output=True, text=True, check=True).stdout
    table, cur = {}, None
    for line in out.splitlines():
        word = line.strip().split(" ")[0] if line.strip() else ""
        if line.startswith("@"):
            cur = word
            table[cur] = []
        elif cur and word and not word.startswith("#"):
            table[cur].append(word)
    return table


def expand(table, name, seen=None):
    seen = set() if seen is None else seen
    calls = set()
    for item in table[name]:
        if item.startswith("@"):
            if item not in seen:
                seen.add(item)
                calls |= expand(table, item, seen)
        else:
            calls.add(item)
    return calls


def main(argv):
    group = "@system-service"
    if len(argv) > 2 and argv[1] == "--group":
        group = argv[2]
        argv = argv[2:]
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        import seccomp
    except ImportError:
        sys.stderr.write("seccomp-run.py: no python3-seccomp "
                         "(apt-get install python3-seccomp)\n")
        return 77
    calls = expand(groups(), group)
    filt = seccomp.SyscallFilter(defaction=seccomp.ERRNO(1))  # EPERM
    for name in sorted(calls):
        try:
            filt.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            pass  # not a call on this architecture (libseccomp knows it)
    filt.load()
    os.execvp(argv[1], argv[1:])
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv))
