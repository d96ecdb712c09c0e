#!/usr/bin/env bash
# bench/nodes.sh -- alliance on PostgreSQL, one node and two nodes behind
# nginx, against alliance on SQLite and nginx serving the same bytes, in
# one run on this machine (issue 11's benchmark).
#
#   bench/nodes.sh
#   BENCH_RUNS=3 BENCH_DURATION=10s BENCH_CONNECTIONS=64 BENCH_THREADS=2 bench/nodes.sh
#   BENCH_LOGS=DIR bench/nodes.sh     keeps the servers' logs in DIR
#
# The data: a SQLite data folder filled by bench/synthetic.sql (10,000
# organisations, 50,000 people; BENCH_ORGS for fewer) and a session for the
# administrator, copied with `alliance copy-to-postgres` into a database of
# a private cluster (scripts/pg-cluster.sh: a Unix socket, fsync off).
# Servers: `sqlite` (one node on the SQLite file), `pg1` (one node on
# PostgreSQL), `pg1lb` (that node alone behind nginx as a balancer),
# `pg2` (nginx round robin over two other nodes, keep-alive to
# both), `pg1half` (pg1lb with half the connections: the load one pg2
# node carries), `nginx` (the saved bytes of each page as a file).  pg2/pg1lb
# is the scale-out ratio: the same path through the balancer, one node
# or two; on two cores the balancer's own CPU (as much as a cached page
# costs a node) is paid by both, and pg2/pg1 says what it costs.
# Pages: the home page and the directory's first page as a visitor (the
# page cache answers after the first request), and /account with the
# session's cookie (signed in: never cached).  A page a server does not
# answer with 200 (the directory while its statements are not ported to
# PostgreSQL) is left out for that server and said so.
#
# For every wrk run: requests/s, p50, p99, and the CPU time per request of
# each process taking part, from /proc/PID/stat (utime + stime of the
# process and its children, living and ended: postgres is the postmaster
# and its backends, nginx its master and workers).  Two cores cannot show scale-out by
# throughput, so the CPU per request of each node under pg2 (per request
# it served: half of them, round robin) is the figure to compare with
# pg1's.  Runs alternate sqlite, pg1, pg1lb, pg2, nginx; the summary
# (medians, ratios to nginx, pg1/sqlite, pg2/pg1lb and pg2/pg1) goes to
# bench/out/nodes.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

. bench/common.sh

orgs=${BENCH_ORGS:-10000}
hz=$(getconf CLK_TCK)
pids_extra=()
pg_dir=
cleanup_nodes() {
	local p
	# BENCH_LOGS=DIR keeps the servers' logs (the run's folder goes)
	[ -n "${BENCH_LOGS:-}" ] && mkdir -p "$BENCH_LOGS" && cp "$tmp"/*.log "$BENCH_LOGS"/ 2>/dev/null
	for p in "${pids_extra[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	[ -n "$pg_dir" ] && scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
}
trap 'rc=$?; cleanup_nodes; (exit $rc); cleanup' EXIT

# -- the data ---------------------------------------------------------------------
mkdir -p "$tmp/lite" "$tmp/pgdata"
"$bin" init --data "$tmp/lite" >/dev/null 2>&1
sed -e "s/n < 9999/n < $((orgs - 1))/; s/n < 49999/n < $((orgs * 5 - 1))/" bench/synthetic.sql |
	sqlite3 "$tmp/lite/alliance.db" >/dev/null
token=bench$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
now=$(date +%s)
sqlite3 "$tmp/lite/alliance.db" "INSERT INTO sessions (hash, person_id, created_at, last_seen_at, client)
  SELECT '$hash', id, $now, $now, '127.0.0.1' FROM people WHERE role = 'admin' ORDER BY id LIMIT 1"

pg_dir="$tmp/pg"
scripts/pg-cluster.sh start "$pg_dir" >/dev/null
admin_url=$(scripts/pg-cluster.sh url "$pg_dir")
psql -X -q -d "$admin_url" -c 'CREATE DATABASE bench'
db_url=$(scripts/pg-cluster.sh url "$pg_dir" bench)
"$bin" copy-to-postgres --data "$tmp/lite" "$db_url" | tail -1
pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")

# -- the servers ------------------------------------------------------------------
# start_node NAME ARGS...: alliance serve on a free port; sets port_NAME, pid_NAME
start_node() {
	local name=$1 port
	shift
	port=$(free_port)
	"$bin" serve --listen "127.0.0.1:$port" "$@" 2>"$tmp/$name.log" &
	pids_extra+=($!)
	printf -v "pid_$name" '%s' $!
	printf -v "port_$name" '%s' "$port"
	if ! wait_http "http://127.0.0.1:$port/healthz"; then
		tail -20 "$tmp/$name.log" >&2
		exit 1
	fi
}
start_node sqlite --data "$tmp/lite"
# behind a balancer a node trusts it (README, Deployment): its
# connections, all from one address, are not held to the 128 per address
# a node alone allows (nginx's kept-alive ones and wrk's together passed
# that, and wrk's were refused: a pg1 run after a pg2 run measured 0)
start_node pga --data "$tmp/pgdata" --database "$db_url" --trusted-proxy 127.0.0.1
# pg2's two nodes are processes of their own, with the default workers
# (one per core) like pg1's: BENCH_NODE2_WORKERS=N gives each N instead.
# Half the cores each (two nodes standing for two machines) was tried: a
# worker waits for PostgreSQL's answer, so one worker a node halved the
# signed-in page's throughput (pg2/pg1lb 0.83) for no CPU per request saved
w2=()
[ -n "${BENCH_NODE2_WORKERS:-}" ] && w2=(--workers "$BENCH_NODE2_WORKERS")
start_node pgb --data "$tmp/pgdata" --database "$db_url" --trusted-proxy 127.0.0.1 "${w2[@]}"
start_node pgc --data "$tmp/pgdata" --database "$db_url" --trusted-proxy 127.0.0.1 "${w2[@]}"

lb_port=$(free_port)
lb1_port=$(free_port)
cookie="Cookie: session=$token"
paths=("/" "/members" "/account")
files=(home directory account)
hdrs=("" "" "$cookie")
mkdir -p "$tmp/www"
for i in 0 1 2; do
	f=${files[$i]}
	h=()
	[ -n "${hdrs[$i]}" ] && h=(-H "${hdrs[$i]}")
	code=$(curl -s "${h[@]}" -o "$tmp/www/$f.html" -w '%{http_code}' "http://127.0.0.1:$port_sqlite${paths[$i]}")
	[ "$code" = 200 ] || { echo "bench: ${paths[$i]} on SQLite answered $code" >&2; exit 1; }
done
chmod -R a+rX "$tmp/www"
ctype="text/html; charset=utf-8"

start_nginx bench/nodes.sh "        location = /home { try_files /home.html =404; }
        location = /directory { try_files /directory.html =404; }
        location = /account { try_files /account.html =404; }
    }
    # buffers that hold a whole page (the directory's is about 48 KB):
    # with nginx's default 8 x 4 KB the rest of it went through a
    # temporary file, and the balancer spent three times a cached home
    # page's CPU on it (README, Deployment)
    upstream alliance_nodes {
        server 127.0.0.1:$port_pgb;
        server 127.0.0.1:$port_pgc;
        keepalive 64;
    }
    upstream alliance_one {
        server 127.0.0.1:$port_pga;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$lb1_port;
        location / {
            proxy_pass http://alliance_one;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_buffer_size 16k;
            proxy_buffers 16 16k;
        }
    }
    server {
        listen 127.0.0.1:$lb_port;
        location / {
            proxy_pass http://alliance_nodes;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_buffer_size 16k;
            proxy_buffers 16 16k;
        }" /home
for p in $lb_port $lb1_port; do
	wait_http "http://127.0.0.1:$p/healthz" || { cat "$tmp/nginx/logs/error.log" >&2; exit 1; }
done

# -- measuring ----------------------------------------------------------------------
# ticks PID: CPU time of PID and its children (one level: backends,
# workers), in clock ticks: utime + stime, and cutime + cstime, where the
# times of children that ended (autovacuum workers) are added
ticks() {
	local p=$1 t=0 c
	t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)
	# cat, not awk on the files: mawk stops at a process that ended
	for c in $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$p" '$4 == p {print $1}'); do
		t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$c/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# measure NAME URL HEADER PROC=PID...: one wrk run; appends "rps p50 p99
# cpu_ms_per_req(PROC) ..." to $tmp/m-NAME and prints the line
measure() {
	local name=$1 url=$2 hdr=$3 out rps p50 p99 n spec before=() after=() line i
	shift 3
	local h=()
	[ -n "$hdr" ] && h=(-H "$hdr")
	for spec in "$@"; do before+=("$(ticks "${spec#*=}")"); done
	out=$(wrk -t"$threads" -c"${mconns:-$conns}" -d"$duration" --latency "${h[@]}" "$url")
	for spec in "$@"; do after+=("$(ticks "${spec#*=}")"); done
	if grep -q 'Non-2xx' <<<"$out"; then
		echo "$out" >&2
		echo "bench: $name answered non-2xx" >&2
		exit 1
	fi
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	line="$rps $p50 $p99"
	local cpu=""
	i=0
	for spec in "$@"; do
		local c
		c=$(awk -v a="${before[$i]}" -v b="${after[$i]}" -v n="$n" -v hz="$hz" \
			'BEGIN { printf "%.4f", (n > 0 ? (b - a) * 1000 / hz / n : 0) }')
		line="$line $c"
		cpu="$cpu ${spec%%=*} $c"
		i=$((i + 1))
	done
	echo "$line" >>"$tmp/m-$name"
	printf '%-20s %10s req/s  p50 %7s ms  p99 %7s ms  CPU ms/req:%s\n' "$name" "$rps" "$p50" "$p99" "$cpu"
}

nginx_static_pid=$nginx_pid
echo "$orgs organisations; wrk -t$threads -c$conns -d$duration --latency, $runs runs each, alternating; $(nproc) cores"
declare -A skip
for i in 0 1 2; do
	f=${files[$i]}
	h=()
	[ -n "${hdrs[$i]}" ] && h=(-H "${hdrs[$i]}")
	for s in pga lb; do
		port=$port_pga
		[ $s = lb ] && port=$lb_port
		code=$(curl -s "${h[@]}" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port${paths[$i]}")
		[ "$code" = 200 ] || { skip[$f]="answered $code"; echo "${paths[$i]}: $code on PostgreSQL: left out"; }
	done
	for name in sqlite pg1 pg1lb pg1half pg2 nginx; do : >"$tmp/m-$f-$name"; done
done
for _ in $(seq 1 "$runs"); do
	for i in 0 1 2; do
		f=${files[$i]}
		hdr=${hdrs[$i]}
		measure "$f-sqlite" "http://127.0.0.1:$port_sqlite${paths[$i]}" "$hdr" "node=$pid_sqlite"
		if [ -z "${skip[$f]:-}" ]; then
			measure "$f-pg1" "http://127.0.0.1:$port_pga${paths[$i]}" "$hdr" "node=$pid_pga" "postgres=$pg_pid"
			measure "$f-pg1lb" "http://127.0.0.1:$lb1_port${paths[$i]}" "$hdr" "node=$pid_pga" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
			measure "$f-pg2" "http://127.0.0.1:$lb_port${paths[$i]}" "$hdr" "node_a=$pid_pgb" "node_b=$pid_pgc" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
			# one node behind the balancer with half the connections:
			# the load a pg2 node carries, so the CPU per request of a
			# node that does the same work alone (a server less busy
			# wakes more often for fewer requests at a time)
			mconns=$((conns / 2)) measure "$f-pg1half" "http://127.0.0.1:$lb1_port${paths[$i]}" "$hdr" "node=$pid_pga" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
		fi
		measure "$f-nginx" "http://127.0.0.1:$n_port/$f" "" "nginx=$nginx_static_pid"
	done
done

mkdir -p bench/out
{
	echo "alliance on PostgreSQL (1 node, 2 nodes behind nginx) vs SQLite vs nginx static, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $orgs organisations, wrk -c$conns -d$duration x$runs"
	echo "(CPU ms per request: of all the run's requests; pg2's node_a and node_b per request each served, half of them, round robin; nginx_lb is the nginx that also serves the static files, idle but for the balancer during pg1lb and pg2 runs)"
	for i in 0 1 2; do
		f=${files[$i]}
		n_rps=$(median "$tmp/m-$f-nginx" 1)
		n_p99=$(median "$tmp/m-$f-nginx" 3)
		echo "${paths[$i]}${hdrs[$i]:+ (signed in)}${skip[$f]:+: PostgreSQL ${skip[$f]}, left out}"
		for k in sqlite pg1 pg1lb pg1half pg2 nginx; do
			[ -s "$tmp/m-$f-$k" ] || continue
			rps=$(median "$tmp/m-$f-$k" 1)
			p99=$(median "$tmp/m-$f-$k" 3)
			printf '  %-7s %10s req/s  p99 %7s ms  ratio to nginx: req/s %.3f, p99 %.2f  CPU ms/req:' "$k" "$rps" "$p99" \
				"$(awk -v a="$rps" -v n="$n_rps" 'BEGIN { print (n > 0 ? a / n : 0) }')" \
				"$(awk -v a="$p99" -v n="$n_p99" 'BEGIN { print (n > 0 ? a / n : 0) }')"
			cols=$(awk '{print NF; exit}' "$tmp/m-$f-$k")
			case $k in
			sqlite) labels=(node) ;; pg1) labels=(node postgres) ;;
			pg1lb | pg1half) labels=(node nginx_lb postgres) ;;
			pg2) labels=(node_a node_b nginx_lb postgres) ;; nginx) labels=(nginx) ;;
			esac
			for c in $(seq 4 "$cols"); do
				v=$(median "$tmp/m-$f-$k" "$c")
				# a node of pg2 served half the requests (round robin):
				# its CPU per request it served
				case ${labels[$((c - 4))]} in node_?) v=$(awk -v v="$v" 'BEGIN { printf "%.3f", v * 2 }') ;; esac
				printf ' %s %s' "${labels[$((c - 4))]}" "$v"
			done
			echo
		done
		if [ -s "$tmp/m-$f-pg1" ]; then
			awk -v s="$(median "$tmp/m-$f-sqlite" 1)" -v a="$(median "$tmp/m-$f-pg1" 1)" \
				-v l="$(median "$tmp/m-$f-pg1lb" 1)" -v b="$(median "$tmp/m-$f-pg2" 1)" \
				'BEGIN { printf "  pg1/sqlite %.3f (target >= 0.5)   pg2/pg1lb %.3f (target >= 0.9; pg2/pg1 %.3f)\n", a / s, b / l, b / a }'
			# the same ratios run by run (pg1lb and pg2 of one round
			# measured a few seconds apart, so a slow spell of the
			# machine weighs on both), then their median; and a pg2
			# node's CPU per request it served over pg1lb's node's
			paste -d' ' "$tmp/m-$f-pg1lb" "$tmp/m-$f-pg2" |
				awk '{ printf "%.4f %.4f %.4f\n", $7 / $1, ($4 > 0 ? $10 * 2 / $4 : 0), ($4 > 0 ? $11 * 2 / $4 : 0) }' \
				>"$tmp/pairs-$f"
			printf '  run by run, median: pg2/pg1lb %.3f   CPU per request served, pg2 node / pg1lb node: %.3f and %.3f (target <= 1)\n' \
				"$(median "$tmp/pairs-$f" 1)" "$(median "$tmp/pairs-$f" 2)" "$(median "$tmp/pairs-$f" 3)"
			paste -d' ' "$tmp/m-$f-pg1half" "$tmp/m-$f-pg2" |
				awk '{ printf "%.4f %.4f\n", ($4 > 0 ? $10 * 2 / $4 : 0), ($4 > 0 ? $11 * 2 / $4 : 0) }' \
				>"$tmp/half-$f"
			printf '  run by run, median: CPU per request served, pg2 node / one node alone at the same load (pg1half, -c%d): %.3f and %.3f\n' \
				$((conns / 2)) "$(median "$tmp/half-$f" 1)" "$(median "$tmp/half-$f" 2)"
		fi
	done
} | tee bench/out/nodes.txt
