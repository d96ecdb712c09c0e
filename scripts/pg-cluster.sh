#!/usr/bin/env bash
# pg-cluster.sh -- a private PostgreSQL cluster for the tests: never the
# system's (no pg_ctlcluster, no postgresql service).
#
#   scripts/pg-cluster.sh start DIR   initdb into DIR/data (when it is not
#                                     there yet) and start postgres; prints
#                                     the URL of its `postgres` database
#   scripts/pg-cluster.sh url DIR [NAME]  the URL of database NAME (default
#                                     postgres) of the cluster in DIR
#   scripts/pg-cluster.sh stop DIR    stop it (fast shutdown) and wait
#
# postgres listens on a Unix socket in DIR only (listen_addresses is empty:
# no TCP port), with trust authentication for the superuser `alliance`
# (the socket is in a folder only its owner and root can reach), fsync off
# (a test's data does not outlive it).  initdb and postgres refuse to run
# as root, so as root they run as `nobody` (setpriv) with DIR owned by it;
# root, whom the tests run as on CI, still reaches the socket (DIR's parent
# folders must then be searchable by all, as /tmp is).  DIR must be an
# absolute path of at most 90 bytes (a socket's path is at most 107).
# The binaries are Debian's postgresql package's,
# /usr/lib/postgresql/VERSION/bin (the newest there), or PG_BINDIR.
set -euo pipefail

die() {
	echo "pg-cluster.sh: $*" >&2
	exit 1
}

[ $# -ge 2 ] || die "usage: pg-cluster.sh start|stop|url DIR [NAME]"
cmd=$1
dir=$2
case "$dir" in /*) ;; *) die "DIR must be an absolute path: $dir" ;; esac
[ ${#dir} -le 90 ] || die "DIR is too long for a socket path: $dir"

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
	die "no initdb: install Debian's postgresql package (scripts/install-deps.sh --test)"

# as_owner CMD...: CMD as the owner of the cluster (nobody when we are root)
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			--reset-env -- env PATH=/usr/bin:/bin "$@"
	else
		"$@"
	fi
}

url() { # NAME
	echo "postgresql://alliance@/$1?host=$dir"
}

case "$cmd" in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown nobody:nogroup "$dir"
	fi
	chmod 700 "$dir"
	as_owner test -w "$dir" ||
		die "$(id -un) runs postgres as nobody, who cannot reach $dir: its parent folders must be searchable by all (as /tmp is)"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$dir/data" -U alliance --auth=trust \
			-E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
			{
				cat "$dir/initdb.log" >&2
				die "initdb failed"
			}
	fi
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c max_connections=200 -c shared_buffers=32MB" start >/dev/null ||
		{
			tail -20 "$dir/postgres.log" >&2
			die "postgres did not start"
		}
	url postgres
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
	;;
url)
	url "${3:-postgres}"
	;;
*)
	die "unknown command: $cmd (start, stop or url)"
	;;
esac
