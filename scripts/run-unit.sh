#!/usr/bin/env bash
# run-unit.sh -- run cmocka unit test programs and sum up their test cases.
#
#   scripts/run-unit.sh build/core/test_util build/core/test_escape ...
#
# The programs run side by side, UNIT_JOBS at a time (default JOBS + 2, or
# the number of cores + 2: most of their time is spent waiting, on a
# PostgreSQL cluster starting, a child process, a lock they test); each
# program's output is shown whole, in the order given, as soon as it and
# the ones before it have ended.  The counts come from cmocka's closing
# lines, "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed
# below:".  A program that exits non-zero without reporting a failed test (a
# crash, an abort, a sanitizer report) counts as one failed test of its own,
# and so does one that cannot be started.  Ends with the line
# "N passed, N failed" and exits 1 if anything failed.
set -uo pipefail

par=${UNIT_JOBS:-$((${JOBS:-$(nproc 2>/dev/null || echo 2)} + 2))}
progs=("$@")
n=${#progs[@]}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

passed=0
failed=0
broken=()
next=0

# report I: the output of program I and its counts
report() {
	local prog=${progs[$1]} out=$dir/$1.out rc p f why
	rc=$(cat "$dir/$1.rc")
	echo "== $prog"
	if [ "$rc" = missing ]; then
		echo "run-unit.sh: $prog: not an executable"
		failed=$((failed + 1))
		broken+=("$prog (missing)")
		return
	fi
	cat "$out"
	# a program may run several groups: add up every closing line.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | awk '{n += $1} END {if (NR) print n}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | awk '{n += $1} END {if (NR) print n}')
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
}

# the programs that have ended, in order, up to the first still running
report_ended() {
	while [ "$next" -lt "$n" ] && [ -f "$dir/$next.rc" ]; do
		report "$next"
		next=$((next + 1))
	done
}

for i in "${!progs[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$par" ]; do
		wait -n
		report_ended
	done
	prog=${progs[$i]}
	if [ ! -x "$prog" ]; then
		echo missing > "$dir/$i.rc"
		continue
	fi
	# cmocka writes its report to stdout and assertion messages to
	# stderr: both are kept, for the screen and for counting; the status
	# is written under another name and renamed, so a file there is whole
	(
		"$prog" > "$dir/$i.out" 2>&1
		echo $? > "$dir/$i.rc.tmp"
		mv "$dir/$i.rc.tmp" "$dir/$i.rc"
	) &
	report_ended
done
while [ "$next" -lt "$n" ]; do
	wait -n 2>/dev/null || sleep 0.1
	report_ended
done

if [ "${#broken[@]}" -gt 0 ]; then
	echo "broken programs:"
	printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
