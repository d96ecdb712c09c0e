#!/usr/bin/env bash
# fresh-check.sh -- what `make fresh-check` does: the README's two commands on
# a minimal Debian 12, the way a new user meets the project.
#
#   scripts/fresh-check.sh            (as root; takes minutes)
#
# 1. A minimal Debian 12 root (debootstrap --variant=minbase, plus make, git
#    and ca-certificates, nothing else) is built once from this machine's own
#    apt sources and kept under the cache folder; later runs copy it.
# 2. The working tree as it is now (committed, changed and new files alike;
#    what .gitignore leaves out stays out) is cloned into a copy of that root.
# 3. Inside it (chroot, with /proc, /sys and /dev mounted): `make run` with
#    ALLIANCE_LISTEN on a free port until the home page answers, then
#    `make test`.
# 4. One line says how long each took and the test totals; on failure the
#    last line is the failing step's own message (the linker's, say).
#
# Mounts and processes are cleaned up however it ends (Ctrl-C included).
#
#   FRESH_CHECK_CACHE  base root, downloaded .deb and npm files
#                      (default /var/cache/alliance-fresh-check)
#   FRESH_CHECK_KEEP=1 keep the used root for a look (its path is printed)
#   FRESH_CHECK_RUN_TIMEOUT  seconds `make run` may take to answer (1800)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cache=${FRESH_CHECK_CACHE:-/var/cache/alliance-fresh-check}
run_timeout=${FRESH_CHECK_RUN_TIMEOUT:-1800}
suite=bookworm

say() { echo "fresh-check: $*" >&2; }
die() {
	say "$*"
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts); run it as root"

# -- the base root, cached -----------------------------------------------------

# The first Debian mirror this machine's apt uses for $suite (deb822 .sources
# files or one-line .list files): the project names no mirror of its own.
apt_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			/^[ \t]*$/ { if (uri && ok && deb) { print uri; done = 1; exit } uri = ""; ok = 0; deb = 0; next }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
			/^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			END { if (!done && uri && ok && deb) print uri }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1) == suite) print $i; break } }' "$f"
	done
	return 0
}

base=$cache/base-$suite
if [ ! -f "$base/.complete" ]; then
	command -v debootstrap >/dev/null 2>&1 || {
		say "installing debootstrap"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	}
	mirror=$(apt_mirror | head -1)
	[ -n "$mirror" ] || die "no '$suite' mirror in this machine's apt sources"
	say "building the minimal Debian 12 root once, from $mirror (kept in $base)"
	rm -rf "$base" && mkdir -p "$cache"
	debootstrap --variant=minbase --include=make,git,ca-certificates \
		"$suite" "$base" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		die "debootstrap failed; see $cache/debootstrap.log (last: $(tail -1 "$cache/debootstrap.log"))"
	# the machine's own sources (security updates too), none disabled ones
	rm -f "$base/etc/apt/sources.list"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && cp "$f" "$base$f"
	done
	apt-get clean -o RootDir="$base" 2>/dev/null || true
	touch "$base/.complete"
fi

# -- a copy of it for this run, and its clean-up ---------------------------------

work=$(mktemp -d "$cache/run.XXXXXX")
root=$work/root
mounted=()
tmpref=refs/fresh-check/$$

cleanup() {
	local rc=$? p pids=()
	trap - EXIT INT TERM
	# every process whose root is the copy (make run's server, chromium, ...)
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
	done
	if [ "${#pids[@]}" -gt 0 ]; then
		kill -TERM "${pids[@]}" 2>/dev/null || true
		sleep 2
		kill -KILL "${pids[@]}" 2>/dev/null || true
	fi
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -R "${mounted[$i]}" 2>/dev/null || umount -R -l "${mounted[$i]}" 2>/dev/null || true
	done
	git -C "$src" update-ref -d "$tmpref" 2>/dev/null || true
	if [ "${FRESH_CHECK_KEEP:-0}" = 1 ]; then
		say "kept $root"
	elif ! grep -q " $work/" /proc/mounts; then
		rm -rf "$work"
	else
		say "left $work: something is still mounted under it"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp -a "$base" "$root"
# The network as this machine sees it, like its apt sources: its resolver,
# the certificate authorities it added (a proxy of its own, say) and its npm
# settings.  A machine without such things copies nothing here.
cp /etc/resolv.conf "$root/etc/resolv.conf"
extra_ca=0
for f in /usr/local/share/ca-certificates/*.crt; do
	[ -f "$f" ] || continue
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp "$f" "$root/usr/local/share/ca-certificates/"
	extra_ca=1
done
[ "$extra_ca" = 1 ] && chroot "$root" update-ca-certificates >/dev/null 2>&1
for f in /root/.npmrc /etc/npmrc /usr/etc/npmrc; do
	[ -f "$f" ] && mkdir -p "$root$(dirname "$f")" && cp "$f" "$root$f"
done

mnt() { # mnt TARGET MOUNT-ARGS...: mount and remember for the clean-up
	local target=$1
	shift
	mkdir -p "$target"
	mount "$@" "$target"
	mounted+=("$target")
}
mnt "$root/proc" -t proc proc
mnt "$root/sys" --rbind /sys
mount --make-rslave "$root/sys"
mnt "$root/dev" --rbind /dev
mount --make-rslave "$root/dev"
mkdir -p "$cache/apt-archives/partial" "$cache/npm"
mnt "$root/var/cache/apt/archives" --bind "$cache/apt-archives"
mnt "$root/root/.npm" --bind "$cache/npm"

# The working tree as a commit of its own (a temporary index: the real one
# and the branches are untouched), cloned the way a user clones.
tree=$(
	export GIT_INDEX_FILE=$work/index
	git -C "$src" read-tree HEAD
	git -C "$src" add -A .
	git -C "$src" write-tree
)
commit=$(git -C "$src" commit-tree "$tree" -p HEAD -m "fresh-check: the working tree")
git -C "$src" update-ref "$tmpref" "$commit"
git clone -q --no-checkout "$src" "$root/root/alliance"
git -C "$root/root/alliance" fetch -q "$src" "$tmpref"
git -C "$root/root/alliance" checkout -q -B main FETCH_HEAD
git -C "$src" update-ref -d "$tmpref"

# A port nothing listens on (bash's /dev/tcp: the host may have no python).
port=
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 20000))
	if ! { (exec 3<>"/dev/tcp/127.0.0.1/$p"); } 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || die "no free port found"

# inroot CMD: a login-like shell in the copy, in the clone, as root
inroot() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		ALLIANCE_LISTEN="127.0.0.1:$port" \
		${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"} \
		bash -c "cd /root/alliance && $1"
}

# fail STEP LOG: the summary, then the step's own last error as the last line
fail() {
	local step=$1 log=$2 why
	# the linker's own words when it failed, else the last error that is
	# not make's or collect2's echo of it
	why=$(grep -E '^/usr/bin/ld: ' "$log" | tail -1)
	[ -n "$why" ] || why=$(grep -E '(error|Error|FAIL|failed)' "$log" |
		grep -Ev '^(make(\[[0-9]+\])?: \*\*\*|collect2: )' | tail -1)
	[ -n "$why" ] || why=$(tail -1 "$log")
	echo "fresh-check: FAILED: $step (log: $log)"
	echo "$why"
	exit 1
}

logs=$cache/logs
mkdir -p "$logs"
run_log=$logs/make-run.log
test_log=$logs/make-test.log
: >"$run_log"
: >"$test_log"

# home_answers: the home page answers 200 on the port
home_answers() {
	{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
	printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	local status
	IFS= read -r -t 10 status <&3 || status=
	exec 3<&-
	case "$status" in "HTTP/1."?" 200"*) return 0 ;; *) return 1 ;; esac
}

say "make run in $root (port $port); log: $run_log"
t0=$(date +%s)
inroot 'make run' >"$run_log" 2>&1 &
runpid=$!
until home_answers; do
	if ! kill -0 "$runpid" 2>/dev/null; then
		wait "$runpid" || true
		fail "make run ended before the home page answered" "$run_log"
	fi
	[ $(($(date +%s) - t0)) -lt "$run_timeout" ] ||
		fail "make run: no home page within $run_timeout s" "$run_log"
	sleep 2
done
t_run=$(($(date +%s) - t0))
say "home page answered after ${t_run} s; stopping make run"
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -TERM "${p#/proc/}" 2>/dev/null
done
wait "$runpid" 2>/dev/null || true

say "make test; log: $test_log"
t0=$(date +%s)
if ! inroot 'make test' >"$test_log" 2>&1; then
	fail "make test" "$test_log"
fi
t_test=$(($(date +%s) - t0))
totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$test_log" | tail -1)
echo "fresh-check: make run ${t_run} s (home page answered), make test ${t_test} s: ${totals:-no totals line}"
