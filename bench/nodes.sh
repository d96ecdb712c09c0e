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
# both), `nginx` (the saved bytes of each page as a file).  pg2/pg1lb
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
# pg1's.  But a node less busy wakes more often for fewer requests at a
# time, so its CPU per request depends on its load: paced runs
# (bench/paced.lua, wrk holding a fixed rate R, BENCH_RATE or BENCH_PACE
# times pg2's rate in the first round) compare a pg2 node with one node
# alone at the same rate per node (`pg2r` at R, `pg1r2` one node at
# R/2) and at the same rate in all (`pg1r`, one node at R).
# Runs alternate sqlite, pg1, pg1lb, pg2, the paced ones, nginx; the summary
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

# steal_share: the machine's stolen ticks and all its ticks so far
# (/proc/stat): a virtual machine whose host gives its cores to others
# runs slower for a while, and every figure of that run with it
steal_share() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t; exit }' /proc/stat
}

# measure NAME URL HEADER PROC=PID...: one wrk run; appends "rps p50 p99
# cpu_ms_per_req(PROC) ..." to $tmp/m-NAME and prints the line
measure() {
	local name=$1 url=$2 hdr=$3 out rps p50 p99 n spec before=() after=() line i
	shift 3
	local h=()
	[ -n "$hdr" ] && h=(-H "$hdr")
	for spec in "$@"; do before+=("$(ticks "${spec#*=}")"); done
	local steal0
	steal0=$(steal_share)
	# mrate=R: paced at R requests per second in all (bench/paced.lua)
	[ -n "${mrate:-}" ] && h+=(-s bench/paced.lua)
	local pace=()
	[ -n "${mrate:-}" ] && pace=(-- "$(awk -v r="$mrate" -v t="$threads" 'BEGIN { printf "%.3f", r / t }')")
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "${h[@]}" "$url" "${pace[@]}")
	for spec in "$@"; do after+=("$(ticks "${spec#*=}")"); done
	local steal
	steal=$(awk -v a="$steal0" -v b="$(steal_share)" 'BEGIN { split(a, x); split(b, y)
		printf "%.1f", (y[2] > x[2] ? (y[1] - x[1]) * 100 / (y[2] - x[2]) : 0) }')
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
	printf '%-20s %10s req/s  p50 %7s ms  p99 %7s ms  CPU ms/req:%s  steal %s%%\n' "$name" "$rps" "$p50" "$p99" "$cpu" "$steal"
}

nginx_static_pid=$nginx_pid
echo "$orgs organisations; wrk -t$threads -c$conns -d$duration --latency, $runs runs each, alternating; $(nproc) cores"
declare -A skip rate
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
	for name in sqlite pg1 pg1lb pg2 pg2r pg1r2 pg1r nginx; do : >"$tmp/m-$f-$name"; done
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
			# paced runs: the same requests per second asked of pg2
			# and of one node alone, so a node's CPU per request is
			# compared at the same load (a server less busy wakes more
			# often for fewer requests at a time, so saturated runs
			# cannot compare them).  R: a fraction (BENCH_PACE, 0.6)
			# of pg2's rate in the first round, or BENCH_RATE.
			# pg2 at R (each node R/2), one node at R/2 (the same
			# rate per node) and at R (the same rate in all).
			if [ -z "${rate[$f]:-}" ]; then
				rate[$f]=${BENCH_RATE:-$(awk -v r="$(tail -1 "$tmp/m-$f-pg2" | cut -d' ' -f1)" -v p="${BENCH_PACE:-0.6}" 'BEGIN { printf "%d", r * p }')}
			fi
			r=${rate[$f]}
			mrate=$r measure "$f-pg2r" "http://127.0.0.1:$lb_port${paths[$i]}" "$hdr" "node_a=$pid_pgb" "node_b=$pid_pgc" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
			mrate=$((r / 2)) measure "$f-pg1r2" "http://127.0.0.1:$lb1_port${paths[$i]}" "$hdr" "node=$pid_pga" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
			mrate=$r measure "$f-pg1r" "http://127.0.0.1:$lb1_port${paths[$i]}" "$hdr" "node=$pid_pga" "nginx_lb=$nginx_static_pid" "postgres=$pg_pid"
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
		for k in sqlite pg1 pg1lb pg2 nginx pg2r pg1r2 pg1r; do
			[ -s "$tmp/m-$f-$k" ] || continue
			rps=$(median "$tmp/m-$f-$k" 1)
			p99=$(median "$tmp/m-$f-$k" 3)
			printf '  %-7s %10s req/s  p99 %7s ms  ratio to nginx: req/s %.3f, p99 %.2f  CPU ms/req:' "$k" "$rps" "$p99" \
				"$(awk -v a="$rps" -v n="$n_rps" 'BEGIN { print (n > 0 ? a / n : 0) }')" \
				"$(awk -v a="$p99" -v n="$n_p99" 'BEGIN { print (n > 0 ? a / n : 0) }')"
			cols=$(awk '{print NF; exit}' "$tmp/m-$f-$k")
			case $k in
			sqlite) labels=(node) ;; pg1) labels=(node postgres) ;;
			pg1lb | pg1r2 | pg1r) labels=(node nginx_lb postgres) ;;
			pg2 | pg2r) labels=(node_a node_b nginx_lb postgres) ;; nginx) labels=(nginx) ;;
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
			# the paced runs, run by run: a pg2 node's CPU per request
			# it served over one node's alone at the same rate per
			# node (pg1r2) and at the same rate in all (pg1r)
			for k in pg1r2 pg1r; do
				paste -d' ' "$tmp/m-$f-$k" "$tmp/m-$f-pg2r" |
					awk '{ printf "%.4f %.4f\n", ($4 > 0 ? $10 * 2 / $4 : 0), ($4 > 0 ? $11 * 2 / $4 : 0) }' \
					>"$tmp/paced-$f-$k"
			done
			printf '  paced at %s req/s (pg2r: each node half; pg1r2: one node at half; pg1r: one node at all), run by run, median:\n' "${rate[$f]}"
			printf '    CPU per request served, pg2 node / one node alone at the same rate per node: %.3f and %.3f (target <= 1)\n' \
				"$(median "$tmp/paced-$f-pg1r2" 1)" "$(median "$tmp/paced-$f-pg1r2" 2)"
			printf '    CPU per request served, pg2 node / one node alone at the same rate in all:   %.3f and %.3f\n' \
				"$(median "$tmp/paced-$f-pg1r" 1)" "$(median "$tmp/paced-$f-pg1r" 2)"
			# a paced run that fell short of its rate compares other loads
			awk -v r="${rate[$f]}" -v f="$f" 'FILENAME ~ /pg1r2$/ { want = r / 2 } FILENAME !~ /pg1r2$/ { want = r }
				$1 < want * 0.97 { printf "    warning: a paced run of %s reached %s of %s req/s\n", f, $1, want }' \
				"$tmp/m-$f-pg2r" "$tmp/m-$f-pg1r2" "$tmp/m-$f-pg1r"
		fi
	done
} | tee bench/out/nodes.txt
