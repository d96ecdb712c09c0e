#!/usr/bin/env bash
# check-pot.sh -- every marked string is in its module's catalogs: extracts
# the messages again (scripts/po.sh --check, the same extraction as
# `make po`, into a temporary folder) and fails when one is missing from
# the committed src/<module>/po/messages.pot or from one of the module's
# <lang>.po files -- someone marked text and forgot `make po`.
#
#   TMPLPOT=build/tmplpot scripts/check-pot.sh
#
# Reports like a cmocka program ("[  PASSED  ] 1 test(s)." or
# "[  FAILED  ] ..."), so `make unit` runs and counts it with the unit
# tests.
set -uo pipefail

cd "$(dirname "$0")/.."
tmplpot=${TMPLPOT:-build/tmplpot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "check-pot.sh: $*"
	echo "[  FAILED  ] 1 test(s), listed below:"
	exit 1
}

scripts/po.sh "$tmplpot" --check "$tmp" >"$tmp/log" 2>&1 ||
	fail "extraction failed: $(cat "$tmp/log")"
bad=0
for pot in "$tmp"/*/messages.pot; do
	[ -e "$pot" ] || continue
	m=$(basename "$(dirname "$pot")")
	for def in "src/$m/po/messages.pot" src/"$m"/po/*.po; do
		if [ ! -e "$def" ]; then
			echo "check-pot.sh: src/$m has marked strings but no $def: run make po"
			bad=1
			continue
		fi
		if ! msgcmp --use-untranslated "$def" "$pot" >"$tmp/cmp" 2>&1; then
			echo "check-pot.sh: $def lacks messages the sources mark (run make po):"
			# msgcmp names the line of each missing msgid in $pot
			sed -n 's/^[^:]*:\([0-9]*\): this message is used but not defined.*/\1/p' \
				"$tmp/cmp" | head -10 | while read -r line; do
				echo "  $(sed -n "$((line - 1))p" "$pot")"
			done
			bad=1
		fi
	done
done
[ "$bad" -eq 0 ] || fail "catalogs out of date"
echo "check-pot.sh: every marked message is in its module's catalogs"
echo "[  PASSED  ] 1 test(s)."
