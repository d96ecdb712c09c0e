#!/usr/bin/env bash
# check-layers.sh -- the core, the secretariat's admin pages and main.c name
# no feature: they include no header of a feature folder (every folder of
# src/ but core and admin) and use none of the names those headers declare
# (functions, variables, macros).  A feature reaches the platform through
# what its struct module declares, and src/app.c, which lists the modules,
# is the only file allowed to know them all.
#
#   scripts/check-layers.sh
#
# Comments are not read.  A use the core still needs is listed, with its
# reason, in scripts/check-layers.allow ("FILE NAME", NAME a header such as
# accounts/cli.h or an identifier); anything else fails.  Reports like a
# cmocka program ("[  PASSED  ] 1 test(s)." or "[  FAILED  ] ..."), so
# `make unit` runs and counts it with the unit tests.
set -uo pipefail

cd "$(dirname "$0")/.."

features=()
for d in src/*/; do
	d=${d%/}
	d=${d#src/}
	case "$d" in
	core | admin) ;;
	*) features+=("$d") ;;
	esac
done

# The names every feature header declares, one a line: functions and
# variables at the start of a declaration, macros.
names=$(for f in "${features[@]}"; do
	for h in src/"$f"/*.h; do
		[ -e "$h" ] || continue
		perl -0777 -ne '
			s{/\*.*?\*/}{}gs; s{//[^\n]*}{}g;
			print "$1\n" while /^#define\s+([A-Za-z_]\w*)/mg;
			for my $decl (split /;/) {
				next if $decl =~ /^\s*(typedef|#)/m && $decl !~ /\n[a-z]/;
				$decl =~ s/^\s*#.*$//mg;
				$decl =~ s/\{[^{}]*\}//gs;
				next if $decl =~ /^\s*(typedef|struct\s+\w+\s*$|enum)/s;
				if ($decl =~ /^[A-Za-z_][^(]*?\b([A-Za-z_]\w*)\s*\(/m) {
					print "$1\n";
				} elsif ($decl =~ /^\s*extern\b[^(]*?\b([A-Za-z_]\w*)\s*(\[\s*\])?\s*$/s) {
					print "$1\n";
				}
			}' "$h"
	done
done | grep -v '^ALLIANCE_.*_H$' | sort -u)

allowed() { # FILE NAME
	[ -f scripts/check-layers.allow ] &&
		grep -v '^\s*#' scripts/check-layers.allow |
		awk -v f="$1" -v n="$2" '$1 == f && $2 == n { found = 1 } END { exit !found }'
}

bad=0
for file in src/main.c src/core/*.[ch] src/admin/*.[ch]; do
	[ -e "$file" ] || continue
	for f in "${features[@]}"; do
		while read -r inc; do
			[ -n "$inc" ] || continue
			allowed "$file" "$inc" && continue
			echo "$file: includes $inc (a feature's header)"
			bad=$((bad + 1))
		done < <(sed -n "s|^[[:space:]]*#[[:space:]]*include[[:space:]]*\"\(\.\./\)*\($f/[^\"]*\)\".*|\2|p" "$file")
	done
	# its code without comments, strings and characters, and the macros
	# it defines itself (a local T is not the feature's T)
	code=$(perl -0777 -pe 's{/\*.*?\*/}{}gs; s{//[^\n]*}{}g; s{"(?:\\.|[^"\\\n])*"}{""}g; s{'"'"'(?:\\.|[^'"'"'\\\n])+'"'"'}{0}g' "$file")
	own=$(sed -n 's/^[[:space:]]*#[[:space:]]*define[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' <<<"$code" | sort -u)
	used=$(grep -owE '[A-Za-z_][A-Za-z0-9_]*' <<<"$code" | sort -u |
		comm -12 - <(echo "$names") | comm -23 - <(echo "$own"))
	for n in $used; do
		allowed "$file" "$n" && continue
		echo "$file: uses $n (declared by a feature)"
		bad=$((bad + 1))
	done
done

if [ "$bad" -eq 0 ]; then
	echo "[  PASSED  ] 1 test(s)."
	exit 0
fi
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] check-layers: $bad use(s) of a feature by the core (see above)"
exit 1
