#!/usr/bin/env bash
# check-sql.sh -- shared SQL stays in the dialect SQLite and PostgreSQL
# share.  Shared SQL is every string literal of src/**/*.c (the statement
# tables; unit tests, fuzz targets, the two backends db_sqlite.c and
# db_pg.c, and db_copy.c, which reads one and writes the other, excepted)
# and every shared migration (src/*/migrations/NNNN_*.sql,
# not the .sqlite.sql and .pg.sql versions of one backend).  In it, SQLite's
# own words fail the check: json_each, json_group_array, group_concat, FTS5
# (MATCH, bm25, snippet, rowid), INDEXED BY, a unary + steering the planner,
# date and time functions ('unixepoch', strftime, date(...)), PRAGMA,
# INSERT OR IGNORE/REPLACE, BEGIN IMMEDIATE, numbered ?N placeholders, a
# placeholder tested for NULL with no type PostgreSQL can infer ("? IS
# NULL": write CAST(? AS TEXT) IS NULL), ...
#
#   scripts/check-sql.sh                 the check
#   scripts/check-sql.sh --write-allow   writes scripts/check-sql.allow from
#                                        the tree as it is (after moving
#                                        files; read the diff before
#                                        committing it)
#
# scripts/check-sql.allow lists what is there today, "FILE WORD COUNT" a
# line: each line is work left for issue 11 (the PostgreSQL port).  A file
# with more than its count of a word fails; one with fewer is reported, so
# the line can be lowered.  Reports like a cmocka program ("[  PASSED  ] 1
# test(s)." or "[  FAILED  ] ..."), so `make unit` runs and counts it.
set -uo pipefail

cd "$(dirname "$0")/.."
allow=scripts/check-sql.allow

# counts: "FILE WORD COUNT" for every SQLite-only word of every file's
# shared SQL.  Comments and character literals are not SQL; adjacent
# string literals are one string.
counts() {
	local f
	for f in $(ls src/*.c src/*/*.c src/*/*/*.c 2>/dev/null | sort); do
		case "$f" in
		*/test_*.c | */fuzz_*.c | src/core/db_sqlite.c | src/core/db_pg.c | src/core/db_copy.c) continue ;;
		esac
		echo "$f"
	done | while read -r f; do
		perl -0777 -ne '
			s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g;
			s{^\s*#\s*include[^\n]*}{}mg;
			s{\b\w+_(?:sqlite|pg)\s*\[[^\]]*\]\s*=\s*\{.*?\};}{}gs;
			s{^[ \t]*#[ \t]*define[ \t]+\w+_(?:SQLITE|PG)\b(?:[^\n]*\\\n)*[^\n]*}{}mg;
			s{'"'"'(?:\\.|[^'"'"'\\\n])+'"'"'}{0}g;
			my $sql = "";
			my $prev_end = -1;
			while (/"((?:\\.|[^"\\\n])*)"/g) {
				my ($text, $start) = ($1, $-[0]);
				my $between = $prev_end >= 0 ? substr($_, $prev_end, $start - $prev_end) : "x";
				$sql .= ($between =~ /^\s*$/ ? "" : "\n") . $text;
				$prev_end = $+[0];
			}
			print $sql;' "$f" | words "$f"
	done
	for f in $(ls src/*/migrations/*.sql src/*/*/migrations/*.sql 2>/dev/null | sort); do
		case "$f" in *.sqlite.sql | *.pg.sql) continue ;; esac
		sed -e 's/--.*$//' "$f" | words "$f"
	done
}

# words FILE: the SQLite-only words in the SQL on standard input, counted.
words() {
	F=$1 perl -0777 -ne '
		my $f = $ENV{F};
		my @w = (
			["json_each", qr/\bjson_each\s*\(/i],
			["json_group_array", qr/\bjson_group_(?:array|object)\s*\(/i],
			["json_extract", qr/\bjson_extract\s*\(/i],
			["group_concat", qr/\bgroup_concat\s*\(/i],
			["MATCH", qr/\bMATCH\b/],
			["fts5", qr/\b(?:bm25|snippet|highlight)\s*\(|\bfts5\b/i],
			["rowid", qr/\browid\b/i],
			["INDEXED_BY", qr/\bINDEXED\s+BY\b/i],
			["unary_plus", qr/(?:^|[\s(,=])\+[A-Za-z_]/m],
			["date_functions", qr/\b(?:date|time|datetime|julianday|strftime|unixepoch)\(|\x27unixepoch\x27|\x27start of /i],
			["PRAGMA", qr/\bPRAGMA\b/i],
			["INSERT_OR", qr/\bINSERT\s+OR\s+(?:IGNORE|REPLACE|ABORT|FAIL|ROLLBACK)\b|\bREPLACE\s+INTO\b/i],
			["BEGIN_IMMEDIATE", qr/\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b/i],
			["numbered_placeholder", qr/\?\d/],
			["untyped_null_test", qr/\?\d*\s+IS\s+(?:NOT\s+)?NULL\b/i],
			["sqlite_functions", qr/\b(?:ifnull|iif|instr|char|total|printf|likelihood|unlikely|last_insert_rowid|changes)\s*\(/i],
			["sqlite_words", qr/\bAUTOINCREMENT\b|\bWITHOUT\s+ROWID\b|\bCOLLATE\s+NOCASE\b|\bGLOB\b|\bsqlite_\w+|\bVIRTUAL\s+TABLE\b|\bRAISE\s*\(/i],
		);
		for my $w (@w) {
			my ($name, $re) = @$w;
			my $n = () = /$re/g;
			print "$f $name $n\n" if $n;
		}'
}

if [ "${1:-}" = --write-allow ]; then
	{
		echo "# check-sql.allow -- SQLite-only SQL in shared files that"
		echo "# scripts/check-sql.sh accepts today: \"FILE WORD COUNT\" a line,"
		echo "# each line work left for issue 11 (the PostgreSQL port).  Lower"
		echo "# or remove a line when the SQL is ported; never raise one."
		counts
	} >"$allow"
	echo "check-sql.sh: wrote $allow ($(grep -vc '^#' "$allow") lines)"
	exit 0
fi

bad=0
now=$(counts)
while read -r f w n; do
	[ -n "$f" ] || continue
	a=$(awk -v f="$f" -v w="$w" '$1 == f && $2 == w { print $3 }' "$allow" 2>/dev/null)
	a=${a:-0}
	if [ "$n" -gt "$a" ]; then
		echo "$f: $w $n time(s), $a allowed: write it in the SQL both SQLite and PostgreSQL take (or in a .sqlite.sql/.pg.sql migration)"
		bad=$((bad + 1))
	fi
done <<<"$now"
while read -r f w a; do
	case "$f" in '#'* | '') continue ;; esac
	n=$(awk -v f="$f" -v w="$w" '$1 == f && $2 == w { print $3 }' <<<"$now")
	if [ "${n:-0}" -lt "$a" ]; then
		echo "check-sql.sh: note: $f has ${n:-0} $w, $a allowed: lower its line in $allow"
	fi
done <"$allow"

if [ "$bad" -eq 0 ]; then
	echo "[  PASSED  ] 1 test(s)."
	exit 0
fi
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] check-sql: $bad SQLite-only word(s) in shared SQL (see above)"
exit 1
