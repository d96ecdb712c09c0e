#!/usr/bin/env bash
# po.sh -- `make po`: extract every module's marked strings into its
# src/<module>/po/messages.pot and merge each src/<module>/po/<lang>.po with
# it (docs/ARCHITECTURE.md, Translations).
#
#   scripts/po.sh build/tmplpot
#
# A module is a folder of src/ with marked strings: its templates'
# {{t}}/{{tn}} tags (read by tools/tmplpot.c, the template compiler) and
# its C files' _(), N_() and _n() (read by xgettext).  The core's POT
# (src/core/po/) also takes the C files at the top of src/ (main.c,
# app.c, public_limits.c).  A module without a <lang>.po for a language
# some other module has gets one (msginit).  POT-Creation-Date is left out
# so that an unchanged extraction changes no file.  With --check DIR it
# writes the POTs under DIR instead and touches nothing (check-pot.sh).
set -euo pipefail

tmplpot=$1
out=""
if [ "${2-}" = "--check" ]; then
	out=$3
fi
cd "$(dirname "$0")/.."

langs=$(find src -path 'src/*/po/*.po' -printf '%f\n' | sed 's/\.po$//' | sort -u)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in src/*/; do
	m=$(basename "$dir")
	templates=$(ls "src/$m/templates/"*.html 2>/dev/null || true)
	cfiles=$(ls "src/$m/"*.c 2>/dev/null | grep -v -e '/test_' -e '/fuzz_' || true)
	if [ "$m" = core ]; then
		cfiles="$cfiles $(ls src/*.c)"
	fi
	"$tmplpot" $templates >"$tmp/$m-templates.pot"
	rm -f "$tmp/$m.pot"
	# shellcheck disable=SC2086
	xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=_n:1,2 --keyword=C_:1c,2 \
		--add-comments=TRANSLATORS: --package-name=alliance \
		--msgid-bugs-address=secretariat --no-wrap --sort-by-file \
		-o "$tmp/$m.pot" "$tmp/$m-templates.pot" $cfiles
	[ -s "$tmp/$m.pot" ] || continue # nothing marked
	sed -i -e '/^"POT-Creation-Date:/d' \
		-e "s|#: $tmp/$m-templates.pot:[0-9]*||" "$tmp/$m.pot"
	if [ -n "$out" ]; then
		mkdir -p "$out/$m"
		cp "$tmp/$m.pot" "$out/$m/messages.pot"
		continue
	fi
	mkdir -p "src/$m/po"
	cp "$tmp/$m.pot" "src/$m/po/messages.pot"
	for lang in $langs; do
		po="src/$m/po/$lang.po"
		if [ -e "$po" ]; then
			# no fuzzy matching: a guess ("Presentation" from
			# "Present:") is never shown (msgfmt skips it) but
			# hides that the message needs translating, and
			# check-pot counts it as missing
			msgmerge --quiet --update --backup=none --no-wrap \
				--no-fuzzy-matching "$po" "src/$m/po/messages.pot"
		else
			msginit --no-translator --no-wrap --locale="$lang" \
				--input="src/$m/po/messages.pot" --output-file="$po"
			# the language's Plural-Forms as the other modules
			# have it (msginit leaves some without)
			pf=$(grep -h '^"Plural-Forms:' src/*/po/"$lang".po |
				grep -v INTEGER | head -1 || true)
			if [ -n "$pf" ]; then
				PF=$pf awk '/^"Plural-Forms:/ { next } { print }
					/^"Content-Transfer-Encoding:/ { print ENVIRON["PF"] }' \
					"$po" >"$tmp/new.po"
				cp "$tmp/new.po" "$po"
			fi
		fi
	done
	echo "po.sh: src/$m/po: $(($(grep -c '^msgid ' "src/$m/po/messages.pot") - 1)) messages"
done
