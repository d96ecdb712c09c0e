#!/usr/bin/env bash
# check-tables.sh -- every table of a template sits in its own scroll
# region, so a table wider than a phone scrolls by itself and never the
# whole page (WCAG 2.1 reflow, 1.4.10; site.css .table-wrap): the element
# just before each <table> (Mustache tags and blank space between them
# allowed) is <div class="table-wrap ..."> with role="region", a name
# (aria-label or aria-labelledby) and tabindex="0", so a keyboard can
# reach and scroll it and a screen reader says what it holds.
#
#   scripts/check-tables.sh
#
# Template comments ({{! ... }}) are not read.  Reports like a cmocka
# program ("[  PASSED  ] 1 test(s)." or "[  FAILED  ] ..."), so `make unit`
# runs and counts it with the unit tests.
set -uo pipefail

cd "$(dirname "$0")/.."

bad=$(find src -path '*/templates/*.html' -print0 | sort -z | xargs -0 perl -0777 -ne '
	my $f = $ARGV;
	# comments out, their lines kept so line numbers stay true
	(my $t = $_) =~ s/(\{\{!.*?\}\})/"\n" x ($1 =~ tr{\n}{})/gse;
	while ($t =~ /<table\b/g) {
		my $at = $-[0];
		my $before = substr($t, 0, $at);
		my $line = 1 + (substr($t, 0, $at) =~ tr/\n//);
		# the last tag before the table; a Mustache tag is a word in
		# an attribute (aria-label="{{t "..."}}"), nothing between tags
		(my $tags = $before) =~ s/="\{\{[^}]*\}\}"/="x"/g;
		$tags =~ s/\{\{[^}]*\}\}//g;
		my ($last) = $tags =~ /(<[^<>]*>)\s*$/;
		$last //= "";
		my $ok = $last =~ /^<div\b/ && $last =~ /\bclass="(?:[^"]*\s)?table-wrap[\s"]/
			&& $last =~ /\brole="region"/ && $last =~ /\btabindex="0"/
			&& $last =~ /\baria-label(?:ledby)?="[^"]+"/;
		print "$f:$line: a table outside a labelled, focusable .table-wrap region (before it: $last)\n" unless $ok;
	}
')

if [ -z "$bad" ]; then
	echo "[  PASSED  ] 1 test(s)."
	exit 0
fi
echo "$bad"
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] check-tables: $(wc -l <<<"$bad") table(s) without their scroll region (see above)"
exit 1
