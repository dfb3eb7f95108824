#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# completion/transctl, sourced in bash without the bash-completion package:
# what COMPREPLY holds after <TAB> at the end of each command line, and
# that it completes every subcommand and every long option transctl
# itself lists (so a new command or option cannot be forgotten). No root.
srcdir=${srcdir:-$(dirname "$0")/../..}
comp="$srcdir/completion/transctl"
transctl=${TRANSCTL:-./usr/transctl}
fail=0

[ -r "$comp" ] || { echo "FAIL: no $comp"; exit 1; }
[ -x "$transctl" ] || { echo "SKIP: no $transctl (build first)"; exit 77; }
# shellcheck source=../../completion/transctl
. "$comp" || { echo "FAIL: sourcing $comp"; exit 1; }
complete -p transctl | grep -q -- '-F _transctl transctl$' ||
	{ echo "FAIL: 'complete -F _transctl transctl' not registered"; fail=1; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# tab LINE: runs the completion as bash would at the end of LINE (a
# trailing space means a new, empty word) and prints the sorted replies
# on one line.
tab() {
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_transctl transctl "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect LINE REPLIES: the exact replies, sorted, space-separated.
expect() {
	local got
	got=$(tab "$1")
	if [ "$got" != "$2" ]; then
		echo "FAIL: '$1<TAB>': got '$got', expected '$2'"
		fail=1
	fi
}

# has LINE WORD: WORD is among the replies.
has() {
	local got
	got=" $(tab "$1") "
	case $got in
	*" $2 "*) ;;
	*) echo "FAIL: '$1<TAB>': '$2' not in '$got'"; fail=1 ;;
	esac
}

expect "transctl st" "stats status"
expect "transctl offloads --" "--config --control --csv --dry-run --fix --help --json"
expect "transctl offloads --f" "--fix"
expect "transctl stats --" "--control --csv --help --json --nonzero --numeric --prometheus --workers"
expect "transctl import --mode " "auto nat64 siit"
expect "transctl session show --c" "--control --csv"
expect "transctl replay --" "--config --from --help --linger --set --set-at"
expect "transctl replay --from " "v4 v6"
expect "transctl replay -s " ""
expect "transctl eamt " "add remove show"
expect "transctl eamt add " ""
expect "transctl denylist4 r" "remove"
expect "transctl address " "dump-deterministic query"
expect "transctl config s" "show"
expect "transctl help off" "offloads"
expect "transctl x" ""
expect "transctl --v" "--version"
# Interfaces for offloads: "lo" exists in every network namespace.
has "transctl offloads " lo
has "transctl offloads --fix l" lo
# Files for -c and --control, and for replay's captures.
mkdir "$tmp/d" && touch "$tmp/d/siit.conf" "$tmp/d/in.pcap" || exit 99
expect "transctl offloads -c $tmp/d/s" "$tmp/d/siit.conf"
expect "transctl rules --config $tmp/d/" "$tmp/d/in.pcap $tmp/d/siit.conf"
expect "transctl status -s $tmp/d/i" "$tmp/d/in.pcap"
expect "transctl replay -c $tmp/d/siit.conf $tmp/d/i" "$tmp/d/in.pcap"

# Every subcommand transctl lists, and every long option of its --help.
cmds=$("$transctl" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || { echo "FAIL: no commands from '$transctl help'"; fail=1; }
all=" $(tab "transctl ") "
for c in $cmds; do
	case $all in
	*" $c "*) ;;
	*) echo "FAIL: '$c' is not completed: add it to completion/transctl"; fail=1 ;;
	esac
	opts=" $(tab "transctl $c --") "
	for o in $("$transctl" "$c" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' |
		grep -oE -- '--[a-z][a-z-]*'); do
		case $opts in
		*" $o "*) ;;
		*) echo "FAIL: 'transctl $c $o' is not completed: add it to completion/transctl"
		   fail=1 ;;
		esac
	done
done

[ $fail = 0 ] && echo "PASS: completion.sh"
exit $fail
