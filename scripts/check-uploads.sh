#!/usr/bin/env bash
# check-uploads.sh -- every module that keeps uploaded files in the store
# (a call of http_upload_keep() in a source file of its folder, tests
# aside) declares the columns that name them (`.uploads =` in its struct
# module, core/uploads.h): the hourly sweep removes every stored file no
# declared column names, so a module that forgot would lose its files a
# day after they were sent.
#
#   scripts/check-uploads.sh
#
# Reports like a cmocka program, so `make unit` runs and counts it with
# the unit tests.
set -uo pipefail

cd "$(dirname "$0")/.."

bad=
for dir in src/*/; do
	mod=${dir%/}
	[ "$mod" = src/core ] && continue
	files=$(find "$mod" -maxdepth 1 -name '*.c' ! -name 'test_*' | sort)
	[ -n "$files" ] || continue
	# shellcheck disable=SC2086
	if grep -l 'http_upload_keep(' $files >/dev/null &&
		! grep -qE '^[[:space:]]*\.uploads[[:space:]]*=' $files; then
		bad+="$mod: keeps uploaded files ($(grep -l 'http_upload_keep(' $files | tr '\n' ' '| sed 's/ $//')) but declares no .uploads column"$'\n'
	fi
done

if [ -z "$bad" ]; then
	echo "[  PASSED  ] 1 test(s)."
	exit 0
fi
printf '%s' "$bad"
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] check-uploads: $(printf '%s' "$bad" | wc -l) module(s) without their .uploads columns (see above)"
exit 1
