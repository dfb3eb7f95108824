#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package end to end, as root (CI runs it; not a `make check`
# test, as it installs and removes a package on this machine):
# scripts/build-deb.sh builds translator_*.deb in a clean copy of the tree
# and fails on a lintian error; then apt-get installs it, and this checks
# the programs run (versions), the man pages render, the completion and
# the systemd units are in place and pass `systemd-analyze verify`, the
# service was neither enabled nor given a configuration, and that
# `apt-get purge` removes it all; installed over an existing
# /etc/translator/translator.conf, the service is enabled. Exits 77 (skip)
# without root. DEB_OUT: where the .deb and the logs go (./build-deb).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${DEB_OUT:-$src/build-deb}
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

[ "$(id -u)" = 0 ] || { echo "SKIP: deb.sh needs root (apt-get install)"; exit 77; }
# Left by an interrupted run: CI (CI=true) removes them; elsewhere they
# may be an operator's, and are not touched.
if [ "${CI:-}" = true ]; then
	apt-get purge -y translator >/dev/null 2>&1
	rm -rf /etc/translator
fi
if dpkg -s translator >/dev/null 2>&1; then
	echo "FAIL: a translator package is installed already; not touching it"
	exit 1
fi
[ -e /etc/translator ] && { echo "FAIL: /etc/translator exists already"; exit 1; }

"$src/scripts/build-deb.sh" "$out" || exit 1
deb=$(ls "$out"/translator_*.deb)
ver=$(dpkg-deb -f "$deb" Version)

export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "$deb" >"$out/install.log" 2>&1 || {
	cat "$out/install.log"; bad "apt-get install $deb"; exit 1; }
trap 'apt-get purge -y translator >/dev/null 2>&1' EXIT
ok "installed $(basename "$deb")"

# The programs: versions match the package's.
v=$(transctl version 2>&1)
case $v in *"$ver"*) ok "transctl version: $v" ;; *) bad "transctl version: '$v', not $ver" ;; esac
v=$(translatord --version 2>&1)
case $v in *"$ver"*) ok "translatord --version: $v" ;; *) bad "translatord --version: '$v', not $ver" ;; esac
# A shipped example parses with the installed daemon (no root needed for
# --check, nothing applied).
ex=/usr/share/doc/translator/examples/siit.conf
if translatord -c "$ex" --check >/dev/null 2>"$out/check.err"; then
	ok "translatord --check $ex"
else
	bad "translatord --check $ex: $(cat "$out/check.err")"
fi

for p in transctl.8 translatord.8 translator.conf.5; do
	f=/usr/share/man/man${p##*.}/$p.gz
	[ -f "$f" ] || { bad "no $f"; continue; }
	if command -v man >/dev/null; then
		if MANWIDTH=80 man --warnings -l "$f" >/dev/null 2>"$out/man.err" &&
		   [ ! -s "$out/man.err" ]; then
			ok "man -l $f"
		else
			bad "man -l $f: $(cat "$out/man.err")"
		fi
	else
		ok "$f (man not installed: not rendered)"
	fi
done
f=/usr/share/bash-completion/completions/transctl
[ -f "$f" ] && ok "$f" || bad "no $f"

units="translatord.service translatord@.service"
for u in $units; do
	f=/lib/systemd/system/$u
	[ -f "$f" ] || { bad "no $f"; continue; }
	grep -q '^ExecStart=/usr/sbin/translatord -c /etc/translator/' "$f" ||
		bad "$f: ExecStart not /usr/sbin/translatord -c /etc/translator/..."
	grep -q '^SystemCallFilter=@system-service$' "$f" ||
		bad "$f: no SystemCallFilter"
	# Not enabled: no configuration was there at install time.
	[ -e "/etc/systemd/system/multi-user.target.wants/$u" ] &&
		bad "$u enabled on install"
done
if command -v systemd-analyze >/dev/null; then
	tmp=$(mktemp -d)
	cp /lib/systemd/system/translatord@.service "$tmp/translatord@ci.service"
	for f in /lib/systemd/system/translatord.service "$tmp/translatord@ci.service"; do
		if SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$f" \
			>"$out/verify.out" 2>&1 && [ ! -s "$out/verify.out" ]; then
			ok "systemd-analyze verify $f"
		else
			bad "systemd-analyze verify $f: $(cat "$out/verify.out")"
		fi
	done
	rm -rf "$tmp"
fi
[ -d /etc/translator ] && ok "/etc/translator/" || bad "no /etc/translator/"
n=$(find /etc/translator -type f | wc -l)
[ "$n" = 0 ] && ok "no configuration installed" || bad "$n files in /etc/translator"
dpkg -L translator | grep -q '^/usr/share/doc/translator/examples/nat64.conf$' &&
	ok "examples" || bad "no examples/nat64.conf"

trap - EXIT
if apt-get purge -y translator >"$out/purge.log" 2>&1; then
	ok "apt-get purge translator"
else
	cat "$out/purge.log"; bad "apt-get purge translator"
fi
for f in /usr/sbin/translatord /usr/sbin/transctl /etc/translator \
	 /lib/systemd/system/translatord.service; do
	[ -e "$f" ] && bad "$f left after purge"
done

# With a configuration in place before the install (an operator's or a
# configuration management tool's), translatord.service is enabled; purge
# disables it and leaves the operator's file. Only where systemd does not
# run (CI): elsewhere it would also start translating with the example.
if [ -d /run/systemd/system ]; then
	echo "skip: install with a configuration (systemd runs here)"
else
	mkdir -p /etc/translator
	cp "$src/examples/siit.conf" /etc/translator/translator.conf
	wants=/etc/systemd/system/multi-user.target.wants/translatord.service
	if apt-get install -y --no-install-recommends "$deb" \
		>"$out/install.log" 2>&1; then
		[ -L "$wants" ] && ok "enabled when translator.conf exists" ||
			bad "not enabled although translator.conf exists"
		apt-get purge -y translator >"$out/purge.log" 2>&1 ||
			bad "apt-get purge translator (2)"
		[ -e "$wants" ] && bad "$wants left after purge"
		[ -f /etc/translator/translator.conf ] &&
			ok "purge keeps the operator's translator.conf" ||
			bad "purge removed the operator's translator.conf"
	else
		cat "$out/install.log"
		bad "apt-get install $deb (with a configuration)"
	fi
	rm -rf /etc/translator
fi

[ $fail = 0 ] && echo "PASS: deb.sh"
exit $fail
