#!/usr/bin/env bash
# test.sh -- what `make test` does once the test packages are installed:
# every suite, each even when an earlier one failed, then the wall time and
# the counts of each and one line for the whole run.
#
#   unit               cmocka programs, the -O2 build             (make unit)
#   unit (sanitizers)  the same under AddressSanitizer + UBSan
#   http (sanitizers)  node --test against the sanitizer build: every server
#                      a test starts checks memory as it serves
#   http (postgresql)  the same files on PostgreSQL, the -O2 build: one
#                      private cluster for the suite (scripts/pg-cluster.sh),
#                      a database per server (tests/lib/testdb.mjs)
#   load               tests/load/: latency and shutdown under load, the -O2
#                      build, one file at a time
#   browser            node --test with Debian's chromium, the -O2 build
#
# Builds use every core (JOBS, default nproc); test files of a suite run side
# by side (HTTP files JOBS + 3 at a time, browser files JOBS + 1;
# TEST_CONCURRENCY=N sets both).  Each suite's output goes to the screen and to build/test-logs/.
# Near the end, the catalog coverage per language (scripts/coverage.sh).
# The last lines are the runners' own summaries and then
# "N passed, N failed"; the exit status is 1 when anything failed (a suite
# that ends without its summary counts as one failure).
set -uo pipefail

cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export JOBS=$jobs
logs=build/test-logs
mkdir -p "$logs"

names=()
passed=()
failed=()
times=()
summaries=()

# suite NAME LOG KIND MAKE-ARGS...: runs make with the arguments, keeps the
# output in LOG, and counts from KIND's summary (unit: run-unit.sh's
# "N passed, N failed"; node: the "# pass N" / "# fail N" / "# cancelled N"
# lines of node --test).
suite() {
	local name=$1 log=$logs/$2 kind=$3 t0 rc p f
	shift 3
	echo "== $name"
	t0=$(date +%s)
	make --no-print-directory "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	case "$kind" in
	unit)
		p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$log" | tail -1)
		;;
	node)
		p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | awk '{n += $1} END {if (NR) print n}')
		f=$(sed -n -e 's/^# fail \([0-9][0-9]*\)$/\1/p' -e 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$log" |
			awk '{n += $1} END {if (NR) print n}')
		;;
	esac
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "test.sh: $name ended without a summary (make exit status $rc)"
		p=${p:-0}
		f=$((${f:-0} + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "test.sh: $name: make failed (exit status $rc) with no failed test"
		f=1
	fi
	names+=("$name")
	passed+=("$p")
	failed+=("$f")
	times+=("$(($(date +%s) - t0))")
	# the runner's own closing lines, to repeat at the end
	if [ "$kind" = node ]; then
		summaries+=("$(grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$log" | tail -8 | paste -sd' ')")
	else
		summaries+=("$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)")
	fi
}

start=$(date +%s)
rm -f "$logs"/times-*.txt
suite "unit" unit.log unit -j"$jobs" unit
suite "unit (sanitizers)" unit-san.log unit -j"$jobs" BUILD=build/san SAN=1 OPT=-O1 unit
suite "http (sanitizers)" http-san.log node -j"$jobs" BUILD=build/san SAN=1 OPT=-O1 http
# one cluster for the whole suite, stopped and removed however it ends
pgdir=$(mktemp -d /tmp/alliance-pg-XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
if scripts/pg-cluster.sh start "$pgdir" >/dev/null; then
	ALLIANCE_TEST_DATABASE=postgresql ALLIANCE_TEST_PG_DIR=$pgdir \
		suite "http (postgresql)" http-pg.log node -j"$jobs" http
else
	names+=("http (postgresql)") passed+=(0) failed+=(1) times+=(0)
	summaries+=("the cluster did not start")
fi
scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1
if ls tests/load/*.test.mjs >/dev/null 2>&1; then
	suite "load" load.log node -j"$jobs" load
fi
suite "browser" browser.log node -j"$jobs" browser

total_p=0
total_f=0
echo
echo "== summary (wall time of each suite; logs in $logs/)"
for i in "${!names[@]}"; do
	printf '%-18s %5d s   %s\n' "${names[$i]}" "${times[$i]}" "${summaries[$i]:-no summary}"
	total_p=$((total_p + passed[i]))
	total_f=$((total_f + failed[i]))
done
# the slowest test files (tests/lib/file-times.mjs wrote their times)
slow=$(cat "$logs"/times-*.txt 2>/dev/null | sort -rn | head -5 |
	awk '{ f = $2; sub(".*/tests/", "tests/", f); printf "%s%s %d s", (NR > 1 ? ", " : ""), f, $1 / 1000 }')
[ -n "$slow" ] && echo "slowest files: $slow"
# one line per language: how much of the interface it translates
scripts/coverage.sh || echo "catalog coverage: could not be counted"
elapsed=$(($(date +%s) - start))
printf 'make test: %d min %d s of wall time\n' $((elapsed / 60)) $((elapsed % 60))
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
