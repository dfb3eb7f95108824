#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the Debian package (debian/) in a clean copy of the tree and runs
# lintian on it:
#
#   scripts/build-deb.sh [OUTDIR]      (default: ./build-deb, which git ignores)
#
# The copy holds the files git knows (tracked, and new ones not ignored),
# so build directories (build-*/, ignored) and an in-place configure stay
# out. dpkg-buildpackage -us -uc -b runs there (unit tests included; set
# DEB_BUILD_OPTIONS=nocheck to skip them); translator_*.deb lands in
# OUTDIR with lintian's report (lintian.txt). Exits non-zero when the
# build fails or lintian reports an error (E:); warnings are printed.
# Needs: apt-get install debhelper dpkg-dev fakeroot lintian, and the
# Build-Depends of debian/control.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$src"
if [ -d .git ] || [ -f .git ]; then
	# build/ (the usual out-of-tree build directory) is not ignored, nor a
	# build-* that is not a directory.
	git ls-files -z --cached --others --exclude-standard |
		grep -zv '^build[-/]' |
		xargs -0 cp --parents -t "$work" ||
		{ echo "build-deb.sh: copying the tree failed" >&2; exit 1; }
else
	# A release tarball: no git; leave out the build directories
	# (configured ones, and OUTDIR), not build-aux/.
	set --
	for d in build build-*; do
		if [ -f "$d/config.status" ] || [ "$d" = build-deb ] ||
		   [ "$(cd "$d" 2>/dev/null && pwd)" = "$out" ]; then
			set -- "$@" --exclude="./$d"
		fi
	done
	tar -cf - "$@" . | tar -xf - -C "$work"
fi
# A tracked file deleted from the work tree makes cp fail above: commit
# the deletion (or restore the file) first.
[ -d "$work/debian" ] || { echo "build-deb.sh: no debian/" >&2; exit 1; }
mkdir -p "$work/src"
(cd "$work" && find . -mindepth 1 -maxdepth 1 ! -name src \
	-exec mv -t src {} +)

echo "== dpkg-buildpackage -us -uc -b (in $work/src)"
(cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -60 "$out/build.log"
	echo "build-deb.sh: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
grep -E '^# (TOTAL|PASS|SKIP|FAIL|XFAIL|ERROR)' "$out/build.log" || true
rm -f "$out"/translator_*.deb "$out"/translator-dbgsym_*.deb
mv "$work"/translator_*.deb "$out"/
mv "$work"/translator-dbgsym_*.deb "$out"/ 2>/dev/null || true
deb=$(ls "$out"/translator_*.deb)
echo "== built $deb"

echo "== lintian $(basename "$deb")"
# Root runs lintian too (CI): it refuses nothing, warns in a tag.
lintian -I "$deb" >"$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
if grep -q '^E: ' "$out/lintian.txt"; then
	echo "build-deb.sh: lintian reports errors" >&2
	exit 1
fi
echo "== lintian: no errors"
