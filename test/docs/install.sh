#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install DESTDIR=...` installs the programs, the three man pages
# (which render without warnings) and the bash completion, identical to
# their sources, the systemd units and the examples (under the doc
# directory); `make uninstall` removes them again. No root needed.
srcdir=${srcdir:-$(dirname "$0")/../..}
make=${MAKE:-make}
fail=0

[ -f Makefile ] || { echo "SKIP: run from the build directory"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

# A make of its own: not a part of the `make check` that runs this test.
inst() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$make" "$@" DESTDIR="$root" \
		>"$tmp/log" 2>&1 && return 0
	echo "FAIL: make $*:"
	sed 's/^/    /' "$tmp/log" | tail -20
	exit 1
}

# installed PATTERN SOURCE: exactly one installed file matches the find
# -path PATTERN, and it is a copy of SOURCE (when given).
installed() {
	n=$(find "$root" -type f -path "$1" | wc -l)
	f=$(find "$root" -type f -path "$1" | head -1)
	if [ "$n" != 1 ]; then
		echo "FAIL: $n installed files match $1"
		fail=1
	elif [ -n "$2" ] && ! cmp -s "$f" "$2"; then
		echo "FAIL: $f differs from $2"
		fail=1
	fi
}

inst install
for p in man/man8/transctl.8 man/man8/translatord.8 man/man5/translator.conf.5; do
	installed "*/share/$p" "$srcdir/man/${p##*/}"
	f=$(find "$root" -type f -path "*/share/$p" | head -1)
	if [ -n "$f" ] && command -v man >/dev/null; then
		if ! MANWIDTH=80 man --warnings -l "$f" 2>"$tmp/warn" >/dev/null ||
		   [ -s "$tmp/warn" ]; then
			echo "FAIL: man -l $p:"
			sed 's/^/    /' "$tmp/warn"
			fail=1
		fi
	fi
done
installed "*/bash-completion/completions/transctl" "$srcdir/completion/transctl"
installed "*/sbin/transctl"
installed "*/sbin/translatord"
# The systemd units (configure's systemdsystemunitdir, here under prefix).
installed "*/systemd/system/translatord.service"
installed "*/systemd/system/translatord@.service"
# The examples, under the doc directory; the daemon accepts the configs.
for e in siit.conf nat64.conf demo-siit.conf clat.conf plat.conf \
	 sample.pcap prometheus-textfile.sh; do
	installed "*/share/doc/translator/examples/$e" "$srcdir/examples/$e"
done
for e in siit.conf nat64.conf clat.conf plat.conf; do
	f=$(find "$root" -type f -path "*/share/doc/translator/examples/$e" | head -1)
	if [ -n "$f" ] && ! ./translator/translatord -c "$f" --check \
			>"$tmp/check" 2>&1; then
		echo "FAIL: translatord --check -c $e:"
		sed 's/^/    /' "$tmp/check"
		fail=1
	fi
done

inst uninstall
left=$(find "$root" -type f | sed "s|^$root||")
if [ -n "$left" ]; then
	echo "FAIL: make uninstall left files behind:"
	echo "$left" | sed 's/^/    /'
	fail=1
fi

[ $fail = 0 ] && echo "PASS: install.sh"
exit $fail
