#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages against the programs: every page renders without warnings;
# the configuration examples of translator.conf(5) pass `translatord
# --check`, and every directive those write back has its own entry in the
# page; transctl(8) documents every subcommand and long option of
# transctl, translatord(8) every option of translatord. No root needed.
srcdir=${srcdir:-$(dirname "$0")/../..}
man5="$srcdir/man/translator.conf.5"
transctl=${TRANSCTL:-./usr/transctl}
translatord=${TRANSLATORD:-./translator/translatord}
fail=0

if [ ! -x "$transctl" ] || [ ! -x "$translatord" ]; then
	echo "SKIP: build transctl and translatord first"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

bad() {
	echo "FAIL: $*"
	fail=1
}

if command -v man >/dev/null; then
	for p in "$srcdir"/man/*.[58]; do
		MANWIDTH=80 man --warnings -l "$p" >/dev/null 2>"$tmp/warn"
		[ -s "$tmp/warn" ] && bad "man -l ${p##*/}: $(head -3 "$tmp/warn")"
	done
else
	echo "note: no man(1): rendering not checked"
fi

# The examples: each .nf/.fi block of translator.conf(5) that starts with
# "mode", unescaped, goes through translatord --check.
awk -v dir="$tmp" '
	/^\.nf$/ { inblock = 1; n++; file = dir "/ex" n ".conf"; first = 1; next }
	/^\.fi$/ { inblock = 0; close(file); next }
	inblock {
		if (first && $1 != "mode") { inblock = 0; next }
		first = 0
		gsub(/\\-/, "-"); gsub(/\\\(aq/, "\047")
		print > file
	}' "$man5"
examples=$(ls "$tmp"/ex*.conf 2>/dev/null)
[ "$(echo "$examples" | grep -c conf)" -ge 3 ] ||
	bad "translator.conf(5): expected 3 configuration examples, found: $examples"
for ex in $examples; do
	if ! "$translatord" -c "$ex" --check >"$tmp/check" 2>&1; then
		bad "translator.conf(5) example does not parse: $(cat "$tmp/check")"
		sed 's/^/    /' "$ex"
		continue
	fi
	# The file part only: the rules script follows "# rules".
	sed '/^# rules/,$d' "$tmp/check" | grep -v '^#' >>"$tmp/written"
done

# Every directive written back has an entry: ".B[IR] NAME" or
# ".BI \"NAME v4\"" at the start of a line.
awk '{ print $1 }' "$tmp/written" | sort -u >"$tmp/names"
while read -r d; do
	grep -Eq "^\\.B[IR]? \"?${d}[ \"]" "$man5" ||
		bad "translator.conf(5) has no entry for the directive '$d'"
done <"$tmp/names"
[ "$(wc -l <"$tmp/names")" -ge 40 ] ||
	bad "only $(wc -l <"$tmp/names") directives from the examples"

# transctl(8): each subcommand a subsection, each long option mentioned.
cmds=$("$transctl" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || bad "no commands from '$transctl help'"
for c in $cmds; do
	grep -Eq "^\\.SS \"?$c( |\"|$)" "$srcdir/man/transctl.8" ||
		bad "transctl(8) has no section for '$c'"
	for o in $("$transctl" "$c" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' |
		grep -oE -- '--[a-z][a-z-]*'); do
		e=$(echo "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$e" "$srcdir/man/transctl.8" ||
			bad "transctl(8) does not mention '$c $o'"
	done
done

# README: its transctl synopsis (the first indented block of the
# "## transctl" section) names every subcommand, and every long option
# of each command's --help (or its short form) but --help and --control.
awk '/^## transctl$/ { on = 1; next } /^## / { on = 0 }
	on && /^    / { inblock = 1; print; next } inblock { exit }' \
	"$srcdir/README" >"$tmp/synopsis"
for c in $cmds; do
	grep -Eq "^    transctl (.*[ |])?$c( |\$)" "$tmp/synopsis" ||
		bad "README's transctl synopsis has no '$c'"
	"$transctl" "$c" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' |
		sed 's/^ *//; s/,//' >"$tmp/opts"
	while read -r short long; do
		[ -n "$long" ] || { long=$short; short=; }
		case $long in --help|--control) continue ;; esac
		grep -q -- "$long" "$tmp/synopsis" ||
			{ [ -n "$short" ] && grep -q -- "$short " "$tmp/synopsis"; } ||
			bad "README's transctl synopsis does not mention '$c $long'"
	done <"$tmp/opts"
done

# translatord(8): every option of its --help.
for o in $("$translatord" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' |
	grep -oE -- '--[a-z][a-z-]*'); do
	e=$(echo "$o" | sed 's/-/\\\\-/g')
	grep -q -- "$e" "$srcdir/man/translatord.8" ||
		bad "translatord(8) does not mention '$o'"
done

[ $fail = 0 ] && echo "PASS: manpages.sh"
exit $fail
