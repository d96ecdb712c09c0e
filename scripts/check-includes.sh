#!/usr/bin/env bash
# check-includes.sh -- the includes of src/ form no cycle, and a module
# reaches another only through its public header.  Three checks:
#
#   modules   the folders of src/ (core, admin, accounts, membership,
#             organisations, ...) with an edge A -> B when a file of A
#             includes "B/..." form a DAG;
#   public    a folder B that has a public header B/B.h is included by
#             other folders through that header only (B/B_int.h and B's
#             other headers are B's own);
#   files     inside each folder but the core (FILES_UNCHECKED below), the
#             units (x.c with x.h; x_int.h counts as x.h's) with an edge
#             x -> y when x.c or x.h includes y.h, or a header declaring
#             what y.c defines, form a DAG.
#
#   scripts/check-includes.sh
#
# A cycle is printed as "a -> b -> a".  Comments are not read; src/main.c,
# src/app.c and the other files at the top of src/ belong to no folder.
# Reports like a cmocka program ("[  PASSED  ] 3 test(s)." or
# "[  FAILED  ] ..."), so `make unit` runs and counts it with the unit
# tests.
set -uo pipefail

cd "$(dirname "$0")/.."

# "DIR FILE INCLUDED" for every quoted include of a file in a folder of src/
includes=$(for f in src/*/*.[ch]; do
	[ -e "$f" ] || continue
	perl -0777 -ne '
		my $f = $ARGV; (my $dir = $f) =~ s{^src/([^/]+)/.*}{$1};
		s{/\*.*?\*/}{}gs; s{//[^\n]*}{}g;
		print "$dir $f $1\n" while /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/mg;
	' "$f"
done)

# Prints the cycles of the graph given as "FROM TO" lines on stdin, one a
# line ("a -> b -> a"), each once.
cycles() {
	perl -ne '
		my ($a, $b) = split; next if !defined $b || $a eq $b;
		$e{$a}{$b} = 1; $n{$a} = $n{$b} = 1;
		END {
			my (%state, @stack, %seen);
			my $visit; $visit = sub {
				my $v = shift;
				$state{$v} = 1; push @stack, $v;
				for my $w (sort keys %{$e{$v} || {}}) {
					if (($state{$w} // 0) == 1) {
						my @c; my $i = $#stack;
						$i-- while $stack[$i] ne $w;
						@c = (@stack[$i .. $#stack], $w);
						my $key = join " ", sort @c[0 .. $#c - 1];
						print join(" -> ", @c), "\n" unless $seen{$key}++;
					} elsif (!$state{$w}) {
						$visit->($w);
					}
				}
				pop @stack; $state{$v} = 2;
			};
			for my $v (sort keys %n) { $visit->($v) unless $state{$v}; }
		}'
}

failed=()

# Folders whose files are not checked against each other: the core's
# request layer (http, auth, response, router, render) is one layer whose
# files call each other both ways; the modules' folders are all checked.
FILES_UNCHECKED="core"

# ---- modules
folders=" $(for d in src/*/; do d=${d%/}; printf '%s ' "${d#src/}"; done)"
bad=$(while read -r dir file inc; do
	[ -n "$inc" ] || continue
	to=${inc%%/*}
	[ "$to" != "$inc" ] || continue
	case "$folders" in *" $to "*) echo "$dir $to" ;; esac
done <<<"$includes" | sort -u | cycles)
if [ -n "$bad" ]; then
	echo "check-includes: module folders that include each other:"
	sed 's/^/  /' <<<"$bad"
	failed+=("modules: an include cycle between module folders")
fi

# ---- public headers
bad=$(while read -r dir file inc; do
	[ -n "$inc" ] || continue
	to=${inc%%/*}
	[ "$to" != "$inc" ] && [ "$to" != "$dir" ] || continue
	[ -e "src/$to/$to.h" ] || continue
	[ "$inc" = "$to/$to.h" ] && continue
	echo "  $file includes $inc (use $to/$to.h)"
done <<<"$includes")
if [ -n "$bad" ]; then
	echo "check-includes: headers of another module that are not its public one:"
	echo "$bad"
	failed+=("public: another module's internal header included")
fi

# ---- files inside a folder
# The unit of a file: x.c and x.h are x; x_int.h is x's other half
# (accounts_int.h, http_int.h).  x depends on y when x.c or x.h includes
# y.h, or uses a function or variable that y.c defines and a header it
# includes declares (a header may declare another file's functions: join.h
# declared review.c's review_application_view, which answer.c used).
# Including the folder's own header (F.h, F_int.h: what its files share)
# counts only through the names used.
bad=$(for d in src/*/; do
	d=${d%/}
	case " $FILES_UNCHECKED " in *" ${d#src/} "*) continue ;; esac
	perl -e '
		my $dir = shift;
		my $unit = sub {
			(my $u = shift) =~ s{.*/}{}; $u =~ s/\.[ch]$//;
			(my $base = $u) =~ s/_int$//;
			return -e "$dir/$base.h" ? $base : $u;
		};
		my $strip = sub { my $t = shift; $t =~ s{/\*.*?\*/}{}gs; $t =~ s{//[^\n]*}{}g; $t };
		my (%defines, %declares, %incs, %uses);
		for my $f (glob("$dir/*.c"), glob("$dir/*.h")) {
			open my $fh, "<", $f or next; local $/; my $t = $strip->(<$fh>);
			$incs{$f} = [ $t =~ /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/mg ];
			(my $code = $t) =~ s{"(?:\\.|[^"\\\n])*"}{""}g;
			$uses{$f} = { map { $_ => 1 } $code =~ /\b([A-Za-z_]\w*)\b/g };
			if ($f =~ /\.c$/) {
				# definitions: a name at the start of a line before "(" or
				# a global with an initialiser, not static
				$defines{$1} = $unit->($f) while $t =~ /^([A-Za-z_]\w*)\s*\(/mg;
				while ($t =~ /^(?!static\b)[A-Za-z_][^;=(]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*=/mg) {
					$defines{$1} = $unit->($f);
				}
			} else {
				for my $decl (split /;/, $t) {
					$decl =~ s/^\s*#.*$//mg;
					if ($decl =~ /\b([A-Za-z_]\w*)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:__attribute__.*)?$/s) {
						push @{$declares{$f}}, $1;
					} elsif ($decl =~ /^\s*extern\b.*?\b([A-Za-z_]\w*)\s*(?:\[\s*\])?\s*$/s) {
						push @{$declares{$f}}, $1;
					}
				}
			}
		}
		(my $name = $dir) =~ s{^src/}{};
		for my $f (sort keys %incs) {
			my $from = $unit->($f);
			for my $inc (@{$incs{$f}}) {
				$inc =~ s{^\Q$name\E/}{};
				next if $inc =~ m{/};
				my $h = "$dir/$inc";
				next unless -e $h;
				# the own header of the folder (F.h, F_int.h) declares what
				# all its files share: only what is used counts
				print "$name/$from $name/", $unit->($h), "\n"
					unless $unit->($h) eq $name;
				for my $n (@{$declares{$h} || []}) {
					print "$name/$from $name/$defines{$n}\n"
						if $defines{$n} && $uses{$f}{$n};
				}
			}
		}
	' "$d"
done | sort -u | cycles)
if [ -n "$bad" ]; then
	echo "check-includes: files of a folder that include each other's headers:"
	sed 's/^/  /' <<<"$bad"
	failed+=("files: an include cycle inside a folder")
fi

if [ "${#failed[@]}" -eq 0 ]; then
	echo "[  PASSED  ] 3 test(s)."
	exit 0
fi
echo "[  PASSED  ] $((3 - ${#failed[@]})) test(s)."
echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
for f in "${failed[@]}"; do
	echo "[  FAILED  ] check-includes: $f"
done
exit 1
