#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The systemd units `make` generates (scripts/systemd/*.service.in):
# every @VAR@ substituted, Type=notify, each instance of translatord@ with
# its own file, control socket and pidfile, and `systemd-analyze verify`
# finds nothing to say about them (a copy pointing at the translatord and
# transctl just built, since verify wants ExecStart's and ExecReload's
# programs to exist). SKIP (77)
# without systemd-analyze (Debian: apt-get install systemd). No root.
srcdir=${srcdir:-$(dirname "$0")/../..}
fail=0

[ -f Makefile ] || { echo "SKIP: run from the build directory"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# The units, made as make makes them (a make of its own).
units="scripts/systemd/translatord.service scripts/systemd/translatord@.service"
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" $units \
	>"$tmp/log" 2>&1; then
	echo "FAIL: make $units:"
	sed 's/^/    /' "$tmp/log"
	exit 1
fi
for u in $units; do
	if grep -n '@[a-z_]*@' "$u"; then
		echo "FAIL: $u: not substituted"
		fail=1
	fi
	grep -q '^Type=notify$' "$u" || { echo "FAIL: $u: no Type=notify"; fail=1; }
	# systemctl reload through transctl, on ExecStart's control socket
	# (synchronous, fails on a refused file; no /bin/kill needed).
	ctl=$(sed -n 's/^ExecStart=.* --control \([^ ]*\).*/\1/p' "$u")
	sbin=$(sed -n 's|^ExecStart=\(/[^ ]*\)/translatord .*|\1|p' "$u")
	[ -n "$ctl" ] && [ -n "$sbin" ] &&
	grep -qx "ExecReload=$sbin/transctl -s $ctl reload" "$u" ||
		{ echo "FAIL: $u: ExecReload is not '$sbin/transctl -s $ctl reload'"; fail=1; }
	# SIGTERM to the daemon alone: its iptables children removing the
	# rules at exit must not get it too (systemd_boot.sh).
	grep -q '^KillMode=mixed$' "$u" || { echo "FAIL: $u: no KillMode=mixed"; fail=1; }
	grep -q '^SystemCallFilter=@system-service$' "$u" ||
		{ echo "FAIL: $u: no SystemCallFilter=@system-service"; fail=1; }
	grep -q '^SystemCallErrorNumber=EPERM$' "$u" ||
		{ echo "FAIL: $u: no SystemCallErrorNumber=EPERM"; fail=1; }
done
inst=scripts/systemd/translatord@.service
for want in '-c [^ ]*/translator/%i\.conf' '--control /run/translator/%i\.sock' \
	    '--pidfile /run/translator/%i\.pid'; do
	grep -q -- "^ExecStart=.* $want" "$inst" ||
		{ echo "FAIL: $inst: ExecStart without $want"; fail=1; }
done

command -v systemd-analyze >/dev/null 2>&1 || {
	echo "SKIP: systemd-analyze not found (apt-get install systemd);" \
	     "units generated and checked, not verified"
	[ $fail = 0 ] && exit 77
	exit $fail
}
daemon=$(pwd)/translator/translatord
ctl=$(pwd)/usr/transctl
for p in "$daemon" "$ctl"; do
	[ -x "$p" ] || { echo "FAIL: no $p (build first)"; exit 1; }
done
for u in $units; do
	sed -e "s|^ExecStart=[^ ]*|ExecStart=$daemon|" \
	    -e "s|^ExecReload=[^ ]*|ExecReload=$ctl|" \
	    -e '/^AssertPathExists=/d' "$u" >"$tmp/${u##*/}"
done
# The template through an instance of it.
cp "$tmp/translatord@.service" "$tmp/translatord@test.service"
for u in translatord.service translatord@test.service; do
	# verify prints its findings (and exits 0 on some of them): any
	# output is a failure.
	if ! (cd "$tmp" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify \
		--man=no "./$u") >"$tmp/out" 2>&1 || [ -s "$tmp/out" ]; then
		echo "FAIL: systemd-analyze verify $u:"
		sed 's/^/    /' "$tmp/out"
		fail=1
	else
		echo "ok: systemd-analyze verify $u"
	fi
done

[ $fail = 0 ] && echo "PASS: systemd.sh"
exit $fail
