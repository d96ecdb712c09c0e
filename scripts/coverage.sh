#!/usr/bin/env bash
# coverage.sh -- how much of the interface each language translates: one
# line, "catalog coverage: fr 100% (812/812), ar 18% (150/812)", counted
# over the messages of every module's messages.pot (a message with plural
# forms counts once; fuzzy translations count as untranslated, as msgfmt
# drops them).  scripts/test.sh prints it near the end of make test.
#
#   scripts/coverage.sh
set -euo pipefail

cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pots=$(ls src/*/po/messages.pot 2>/dev/null || true)
if [ -z "$pots" ]; then
	echo "catalog coverage: no catalogs"
	exit 0
fi
# shellcheck disable=SC2086
msgcat --use-first -o "$tmp/all.pot" $pots
line=""
for lang in $(find src -path 'src/*/po/*.po' -printf '%f\n' | sed 's/\.po$//' | sort -u); do
	# each module's translated entries only (as the Makefile merges them:
	# an empty or obsolete entry first would hide another's translation)
	for f in src/*/po/"$lang".po; do
		m=${f#src/}
		msgattrib --translated --no-fuzzy --no-obsolete -o "$tmp/$lang-${m%%/*}.po" "$f"
	done
	msgcat --use-first -o "$tmp/$lang.po" "$tmp/$lang"-*.po
	msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang-all.po" "$tmp/$lang.po" "$tmp/all.pot"
	stats=$(msgfmt --statistics -o /dev/null "$tmp/$lang-all.po" 2>&1 | tail -1)
	done_=$(sed -n 's/^\([0-9]*\) translated message.*/\1/p' <<<"$stats")
	fuzzy=$(sed -n 's/.* \([0-9]*\) fuzzy translation.*/\1/p' <<<"$stats")
	untr=$(sed -n 's/.* \([0-9]*\) untranslated message.*/\1/p' <<<"$stats")
	total=$((${done_:-0} + ${fuzzy:-0} + ${untr:-0}))
	pct=$((total ? ${done_:-0} * 100 / total : 0))
	line="$line${line:+, }$lang $pct% (${done_:-0}/$total)"
done
echo "catalog coverage: $line"
