#!/usr/bin/env bash
# install-deps.sh -- make sure the Debian packages that alliance needs are here.
#
#   scripts/install-deps.sh          build, run and unit tests: compiler,
#                                    libraries (cmocka, libpq too), sqlite3
#   scripts/install-deps.sh --test   also the HTTP, browser and bench tools:
#                                    node and npm, chromium, nginx, wrk, curl,
#                                    strace, postgresql (private clusters)
#
# Each need is checked first (pkg-config, `command -v`, a header), and only the
# packages for the needs that are missing are installed, so a second run is
# quiet and a machine whose node came from elsewhere is left alone.  As root it
# runs apt-get itself (with `apt-get update` once first, unless APT_UPDATED=1
# says the caller has just done it); otherwise through `sudo -n`; failing both
# it prints the exact command and exits 1.
set -euo pipefail

want_test=0
for arg in "$@"; do
	case "$arg" in
	--test) want_test=1 ;;
	-h | --help)
		sed -n '2,/^set /p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "install-deps.sh: unknown argument: $arg" >&2
		exit 2
		;;
	esac
done

missing=()
add() {
	local p
	for p in "$@"; do
		case " ${missing[*]-} " in *" $p "*) ;; *) missing+=("$p") ;; esac
	done
}

# need_cmd COMMAND PACKAGE...: the packages, if COMMAND is not on the PATH.
need_cmd() {
	local c=$1
	shift
	command -v "$c" >/dev/null 2>&1 || add "$@"
}

# need_pc MODULE PACKAGE...: the packages, if pkg-config does not know MODULE.
need_pc() {
	local m=$1
	shift
	if ! command -v pkg-config >/dev/null 2>&1; then
		add pkg-config "$@"
	elif ! pkg-config --exists "$m"; then
		add "$@"
	fi
}

# need_file PATH PACKAGE...: the packages, if PATH does not exist.
need_file() {
	local f=$1
	shift
	[ -e "$f" ] || add "$@"
}

# -- build and run ------------------------------------------------------------
need_cmd cc build-essential
need_cmd make build-essential
need_cmd pkg-config pkg-config
need_cmd msgfmt gettext
need_pc libmicrohttpd libmicrohttpd-dev
need_pc sqlite3 libsqlite3-dev
need_pc jansson libjansson-dev
need_pc libcmark-gfm libcmark-gfm-dev libcmark-gfm-extensions-dev
need_file /usr/include/cmark-gfm-core-extensions.h libcmark-gfm-extensions-dev
need_pc libsodium libsodium-dev
need_pc zlib zlib1g-dev
need_cmd sqlite3 sqlite3
need_pc libcurl libcurl4-openssl-dev
need_pc cmocka libcmocka-dev
need_pc libutf8proc libutf8proc-dev
need_file /usr/include/csv.h libcsv-dev
# the PostgreSQL backend (database = postgresql://...)
need_pc libpq libpq-dev
# the calendar: iCalendar and RRULE (libical), and the IANA time zones
# its meetings are kept in (tzdata: /usr/share/zoneinfo)
need_pc libical libical-dev
need_file /usr/share/zoneinfo/Europe/Vienna tzdata

# -- tests and benchmarks -----------------------------------------------------
if [ "$want_test" = 1 ]; then
	# nodejs from Debian 12 ships without npm; a node from elsewhere brings
	# its own npm, so ask for the Debian npm only when there is none.
	need_cmd node nodejs
	need_cmd npm npm
	need_cmd chromium chromium
	# nginx: the benchmarks' reference and nodes.test.mjs's load balancer
	need_cmd nginx nginx-light
	need_cmd wrk wrk
	need_cmd curl curl
	# tests/http/store.test.mjs watches the server's fsyncs
	need_cmd strace strace
	# scripts/pg-cluster.sh: initdb and postgres of Debian's server package
	# (never its system cluster), psql for the tests' own statements
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || add postgresql
	need_cmd psql postgresql-client
	# the Atom feeds and other XML are checked with xmllint
	need_cmd xmllint libxml2-utils
	# clang (for the fuzz targets) is optional and never installed here.
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

update="apt-get update -qq && "
[ "${APT_UPDATED:-0}" = 1 ] && update=""
apt_cmd="${update}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"

if [ "$(id -u)" = 0 ]; then
	run=(bash -c)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run=(sudo -n bash -c)
else
	echo "install-deps.sh: missing packages: ${missing[*]}" >&2
	echo "install-deps.sh: run as root:" >&2
	echo "  $apt_cmd" >&2
	exit 1
fi

echo "install-deps.sh: installing: ${missing[*]}" >&2
"${run[@]}" "$apt_cmd"
