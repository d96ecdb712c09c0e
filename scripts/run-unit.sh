#!/usr/bin/env bash
# run-unit.sh -- run cmocka unit test programs and sum up their test cases.
#
#   scripts/run-unit.sh build/core/test_util build/core/test_escape ...
#
# Each program's output is shown as it runs.  The counts come from cmocka's
# closing lines, "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed
# below:".  A program that exits non-zero without reporting a failed test (a
# crash, an abort, a sanitizer report) counts as one failed test of its own,
# and so does one that cannot be started.  Ends with the line
# "N passed, N failed" and exits 1 if anything failed.
set -uo pipefail

passed=0
failed=0
broken=()

for prog in "$@"; do
	echo "== $prog"
	out=$(mktemp)
	if [ ! -x "$prog" ]; then
		echo "run-unit.sh: $prog: not an executable"
		failed=$((failed + 1))
		broken+=("$prog (missing)")
		rm -f "$out"
		continue
	fi
	# cmocka writes its report to stdout and assertion messages to stderr;
	# keep both on screen and both for counting.
	"$prog" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	# a program may run several groups: add up every closing line.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | awk '{n += $1} END {if (NR) print n}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | awk '{n += $1} END {if (NR) print n}')
	rm -f "$out"
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		if [ "$rc" -gt 128 ]; then
			why="killed by signal $((rc - 128))"
		else
			why="exit status $rc"
		fi
		echo "run-unit.sh: $prog: $why without a cmocka failure report"
		failed=$((failed + 1))
		broken+=("$prog ($why)")
	elif [ "$rc" -eq 0 ] && [ -z "$p" ]; then
		echo "run-unit.sh: $prog: exited 0 but reported no passed tests"
	fi
done

if [ "${#broken[@]}" -gt 0 ]; then
	echo "broken programs:"
	printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
