#!/usr/bin/env bash
# bench/directory.sh -- the member directory (GET /members) with 10,000
# synthetic organisations and 50,000 synthetic people (bench/synthetic.sql)
# from alliance against the same bytes served statically by nginx, measured
# with wrk in the same run on this machine; like bench/run.sh.
#
#   bench/directory.sh
#   BENCH_RUNS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 BENCH_THREADS=2 bench/directory.sh
#
# Two pages: the first page (/members) and a search (/members?q=gene&page=3).
# Each is measured twice against alliance: as a visitor, whose page comes
# from the page cache after the first request, and with "Cookie: session=x",
# which bypasses the cache (the handler and its SQL run every time; the
# unknown session is answered as a visitor's, so the bytes are the same).
# nginx serves the saved bytes of each page.  Runs alternate alliance,
# nginx, ...; the summary gives median req/s, p50, p99 and the ratio
# alliance/nginx, and goes to bench/out/directory-vs-nginx.txt.
#
# SQL statements per page: fixed by design, whatever the page size -- three
# for the list (the count; the page rows with each row's focal areas in a
# group_concat subquery; the filter options), as src/organisations/directory.c
# says; the core adds its own (PRAGMA data_version for the page cache, the
# session lookup when a cookie is sent).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

. bench/common.sh

# -- alliance -------------------------------------------------------------------
mkdir -p "$tmp/data"
"$bin" init --data "$tmp/data" >/dev/null
sqlite3 "$tmp/data/alliance.db" <bench/synthetic.sql
a_port=$(free_port)
"$bin" serve --data "$tmp/data" --listen "127.0.0.1:$a_port" 2>"$tmp/alliance.log" &
alliance_pid=$!
if ! wait_http "http://127.0.0.1:$a_port/healthz"; then
	tail -20 "$tmp/alliance.log" >&2
	exit 1
fi

mkdir -p "$tmp/www"
paths=("/members" "/members?q=gene&page=3")
files=(first search)
ctype=
for i in 0 1; do
	ctype=$(curl -s -o "$tmp/www/${files[$i]}.html" -w '%{content_type}' "http://127.0.0.1:$a_port${paths[$i]}")
	if ! cmp -s "$tmp/www/${files[$i]}.html" <(curl -s -H 'Cookie: session=x' "http://127.0.0.1:$a_port${paths[$i]}"); then
		echo "bench: ${paths[$i]} differs with a session cookie" >&2
		exit 1
	fi
done
chmod -R a+rX "$tmp/www"

# -- nginx ------------------------------------------------------------------------
start_nginx bench/directory.sh "        location = /first { try_files /first.html =404; }
        location = /search { try_files /search.html =404; }" /first
if ! cmp -s "$tmp/www/search.html" <(curl -s "http://127.0.0.1:$n_port/search"); then
	echo "bench: nginx does not serve the same bytes" >&2
	exit 1
fi

# -- wrk ----------------------------------------------------------------------------
echo "directory: $(sqlite3 "$tmp/data/alliance.db" "SELECT count(*) FROM organisations") organisations, $(sqlite3 "$tmp/data/alliance.db" "SELECT count(*) FROM people") people"
echo "wrk -t$threads -c$conns -d$duration --latency, $runs runs each, alternating; $(nproc) cores"
echo "SQL statements per list page: 3 (count, page rows with focal areas, filter options) + the core's own"
for i in 0 1; do
	echo "${paths[$i]}: $(wc -c <"$tmp/www/${files[$i]}.html") bytes"
	wrk -t"$threads" -c"$conns" -d2s "http://127.0.0.1:$a_port${paths[$i]}" >/dev/null
	wrk -t"$threads" -c"$conns" -d2s "http://127.0.0.1:$n_port/${files[$i]}" >/dev/null
done
names=()
for i in 0 1; do
	f=${files[$i]}
	names+=("$f-cached" "$f-uncached" "$f-nginx")
	: >"$tmp/rps-$f-cached"; : >"$tmp/rps-$f-uncached"; : >"$tmp/rps-$f-nginx"
done
for _ in $(seq 1 "$runs"); do
	for i in 0 1; do
		f=${files[$i]}
		bench_one "$f-cached" "http://127.0.0.1:$a_port${paths[$i]}" "$duration"
		bench_one "$f-nginx" "http://127.0.0.1:$n_port/$f" "$duration"
		bench_one "$f-uncached" "http://127.0.0.1:$a_port${paths[$i]}" "$duration" "Cookie: session=x"
	done
done

mkdir -p bench/out
{
	echo "member directory alliance vs nginx static, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -c$conns"
	for i in 0 1; do
		f=${files[$i]}
		n_rps=$(median "$tmp/rps-$f-nginx" 1)
		echo "${paths[$i]}"
		for k in cached uncached nginx; do
			printf '  median %-9s %10s req/s   p50 %8s ms   p99 %8s ms' "$k" "$(median "$tmp/rps-$f-$k" 1)" "$(median "$tmp/rps-$f-$k" 2)" "$(median "$tmp/rps-$f-$k" 3)"
			if [ "$k" != nginx ]; then
				awk -v a="$(median "$tmp/rps-$f-$k" 1)" -v n="$n_rps" 'BEGIN { printf "   ratio %.3f", (n > 0 ? a / n : 0) }'
			fi
			echo
		done
	done
} | tee bench/out/directory-vs-nginx.txt
