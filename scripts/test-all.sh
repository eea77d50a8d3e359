#!/bin/sh
# SPDX-License-Identifier: MIT
# Every test of xiommu: the normal build's tests, the same tests in an
# ASan+UBSan build, and the unit and model tests under valgrind with leak
# checking that fails on any leak. Build folders go under ${BUILD_ROOT:-build}.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${BUILD_ROOT:-$top/build}
jobs=${JOBS:-2}

step() { printf '\n=== %s\n' "$*"; }

step "normal build"
[ -d "$root/normal" ] || meson setup "$root/normal" "$top" >/dev/null
meson compile -C "$root/normal" -j "$jobs"
meson test -C "$root/normal" --no-suite bench --print-errorlogs --num-processes "$jobs"

step "ASan + UBSan build"
[ -d "$root/asan" ] || meson setup "$root/asan" "$top" -Db_sanitize=address,undefined \
	-Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null
meson compile -C "$root/asan" -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C "$root/asan" --no-suite bench --print-errorlogs --num-processes "$jobs"

step "valgrind (leaks fail the run)"
# the C test programs only: the CLI suite is a shell script
meson test -C "$root/normal" --no-suite bench --no-suite cli --print-errorlogs \
	--num-processes "$jobs" \
	--timeout-multiplier 10 \
	--wrap='valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all'

step "main job: xiommu info -c conf/xiommu.ini"
"$root/normal/tools/xiommu" info -c "$top/conf/xiommu.ini"
