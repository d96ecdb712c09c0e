#!/usr/bin/env bash
# run.sh -- what `make run` does after the build: create the embedded database
# under the data folder on first use, then serve in the foreground.
#
#   ALLIANCE_DATA    data folder            (default ./data)
#   ALLIANCE_LISTEN  address:port to serve  (default 127.0.0.1:8080)
#   ALLIANCE_BIN     the binary             (default build/alliance)
set -euo pipefail

cd "$(dirname "$0")/.."
bin=${ALLIANCE_BIN:-build/alliance}
data=${ALLIANCE_DATA:-./data}
listen=${ALLIANCE_LISTEN:-127.0.0.1:8080}

if [ ! -x "$bin" ]; then
	echo "run.sh: $bin is not built; run \`make\` first" >&2
	exit 1
fi

if [ ! -f "$data/alliance.db" ]; then
	mkdir -p "$data"
	# prints the first administrator's one-time sign-in link
	ALLIANCE_LISTEN=$listen "$bin" init --data "$data"
else
	"$bin" migrate --data "$data" >/dev/null
	echo "To sign in as an administrator, get a one-time link with:"
	echo "  $bin user reset-password ADDRESS --data $data"
	echo "(the addresses: $bin user list --data $data)"
fi

exec "$bin" serve --data "$data" --listen "$listen"
