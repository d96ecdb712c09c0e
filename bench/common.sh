# bench/common.sh -- what every benchmark here shares: the settings
# (BENCH_RUNS, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS,
# ALLIANCE_BIN), the packages and the build, a temporary folder with the
# clean-up of both servers (alliance_pid, nginx_pid), free_port and
# wait_http.  Sourced from the repository root by bench/*.sh.

runs=${BENCH_RUNS:-2}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
bin=${ALLIANCE_BIN:-build/alliance}

scripts/install-deps.sh --test
if [ -z "${ALLIANCE_BIN:-}" ]; then
	make -s build/alliance
fi

tmp=$(mktemp -d /tmp/alliance-bench.XXXXXX)
chmod 755 "$tmp" # nginx's workers may run as another user
alliance_pid=
nginx_pid=
cleanup() {
	local rc=$?
	[ -n "$alliance_pid" ] && kill "$alliance_pid" 2>/dev/null && wait "$alliance_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a loopback port that was free a moment ago.
free_port() {
	node -e 'const s = require("node:net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# wait_http URL: wait up to 10 s for URL to answer 200.
wait_http() {
	local _
	for _ in $(seq 1 100); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench: $1 did not answer 200 within 10 s" >&2
	return 1
}

