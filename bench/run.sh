#!/usr/bin/env bash
# bench/run.sh -- the home page from alliance against the same bytes served
# statically by nginx, measured with wrk in the same run on this machine.
#
#   bench/run.sh                       (or `make bench`)
#   BENCH_RUNS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 BENCH_THREADS=2 bench/run.sh
#
# It builds build/alliance if needed, initialises a fresh data folder in a temp
# directory, starts `alliance serve` on a free loopback port, saves the bytes
# and Content-Type of GET /, and has nginx (access log off, sendfile on, its own
# temp prefix) serve that file as / on another free loopback port.  Then wrk
# runs against each in turn -- alliance, nginx, alliance, nginx, ... --
# BENCH_RUNS times each, after a short warm-up.  Every run prints requests/s,
# p50 and p99; the summary gives the medians and the ratio alliance/nginx of
# the median requests/s (1.0 would be as fast as nginx serving a file).  Both
# servers are stopped at the end, also on failure or Ctrl-C.  The summary is
# also written to bench/out/home-vs-nginx.txt.  Loopback only; every run is
# bounded by its duration.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

. bench/common.sh

# -- alliance -------------------------------------------------------------------
mkdir -p "$tmp/data"
"$bin" init --data "$tmp/data" >/dev/null
a_port=$(free_port)
"$bin" serve --data "$tmp/data" --listen "127.0.0.1:$a_port" 2>"$tmp/alliance.log" &
alliance_pid=$!
if ! wait_http "http://127.0.0.1:$a_port/healthz"; then
	tail -20 "$tmp/alliance.log" >&2
	exit 1
fi

mkdir -p "$tmp/www"
ctype=$(curl -s -o "$tmp/www/index.html" -w '%{content_type}' "http://127.0.0.1:$a_port/")
size=$(wc -c <"$tmp/www/index.html")
chmod -R a+rX "$tmp/www"

# -- nginx ------------------------------------------------------------------------
start_nginx bench/run.sh "        location = / { try_files /index.html =404; }" /
if ! cmp -s "$tmp/www/index.html" <(curl -s "http://127.0.0.1:$n_port/"); then
	echo "bench: nginx does not serve the same bytes" >&2
	exit 1
fi

# -- wrk ----------------------------------------------------------------------------
echo "GET / : $size bytes, $ctype"
echo "wrk -t$threads -c$conns -d$duration --latency, $runs runs each, alternating; $(nproc) cores"
wrk -t"$threads" -c"$conns" -d2s "http://127.0.0.1:$a_port/" >/dev/null
wrk -t"$threads" -c"$conns" -d2s "http://127.0.0.1:$n_port/" >/dev/null
: >"$tmp/rps-alliance"
: >"$tmp/rps-nginx"
for _ in $(seq 1 "$runs"); do
	bench_one alliance "http://127.0.0.1:$a_port/" "$duration"
	bench_one nginx "http://127.0.0.1:$n_port/" "$duration"
done

a_rps=$(median "$tmp/rps-alliance" 1)
n_rps=$(median "$tmp/rps-nginx" 1)
mkdir -p bench/out
{
	echo "home page ($size bytes) alliance vs nginx static, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
	printf 'median    alliance %12s req/s   p50 %8s ms   p99 %8s ms\n' "$a_rps" "$(median "$tmp/rps-alliance" 2)" "$(median "$tmp/rps-alliance" 3)"
	printf 'median    nginx    %12s req/s   p50 %8s ms   p99 %8s ms\n' "$n_rps" "$(median "$tmp/rps-nginx" 2)" "$(median "$tmp/rps-nginx" 3)"
	awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "ratio alliance/nginx (median req/s): %.3f\n", (n > 0 ? a / n : 0) }'
} | tee bench/out/home-vs-nginx.txt
