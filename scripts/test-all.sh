#!/bin/sh
# SPDX-License-Identifier: MIT
# Every test of xiommu: the normal build's tests, the same tests in an
# ASan+UBSan build, and the unit and model tests under valgrind with leak
# checking that fails on any leak, the thread stress test built with
# ThreadSanitizer, a bounded run of every fuzz target (clang, ASan + UBSan;
# `scripts/fuzz.sh ci`: a fixed number of runs per target with -seed=1 from
# the committed seeds, about a minute each here and the same inputs everywhere;
# FUZZ_PERCENT scales the runs, 100 by default, 0 skips them; FUZZ_SECONDS=N
# runs each for N seconds instead, which explores differently on a faster
# machine and so does not replay), xiommu.ko in a kernel
# booted under qemu, and the QEMU referee (tests/referee/run;
# XIOMMU_REFEREE=0 skips it). Build folders go under ${BUILD_ROOT:-build}.
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
	--wrap="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --num-callers=40 --suppressions=$top/scripts/valgrind.supp"

step "ThreadSanitizer: the thread stress test"
[ -d "$root/tsan" ] || meson setup "$root/tsan" "$top" -Db_sanitize=thread -Db_lundef=false >/dev/null
meson compile -C "$root/tsan" -j "$jobs" tests/e2e/test_threads plugins/xiommu-vtd
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	meson test -C "$root/tsan" --no-rebuild --print-errorlogs threads

fuzz_pct=${FUZZ_PERCENT:-100}
if [ "${FUZZ_SECONDS:-}" ]; then
	set -- all "$FUZZ_SECONDS" -seed=1
	fuzz_pct=$FUZZ_SECONDS
	fuzz_what="${FUZZ_SECONDS}s each"
else
	set -- ci "$fuzz_pct"
	fuzz_what="fixed runs with -seed=1 (${fuzz_pct}%), as 'scripts/fuzz.sh ci' replays"
fi
if [ "$fuzz_pct" -gt 0 ]; then
	step "fuzz targets, $fuzz_what"
	FUZZ_BUILD=$root/fuzz JOBS=$jobs sh "$top/scripts/fuzz.sh" "$@" \
		>"$root/fuzz.log" 2>&1 || {
		grep -E 'oracle|runtime error|ERROR|artifact|Test unit written' "$root/fuzz.log" >&2
		echo "fuzzing found a bug: $root/fuzz.log, inputs in $root/fuzz/artifacts" >&2
		exit 1
	}
	grep -E '^=== |DONE |stat::number_of_executed_units' "$root/fuzz.log"
fi

step "booted kernel: xiommu.ko under qemu (tests/kernel/run)"
BUILD_ROOT=$root "$top/tests/kernel/run" >"$root/kernel-run.log" 2>&1 || {
	cat "$root/kernel-run.log"; exit 1; }
grep -E '^(ktest:|bench:|XIOMMU-KTEST-RESULT|tests/kernel/run:)' "$root/kernel-run.log"

step "QEMU referee: QEMU's SMMUv3 and VT-d against the models, same host layer and plugins"
# XIOMMU_REFEREE=0 skips it (three guests under TCG: arm64 SMMUv3, x86 VT-d second and first level; about 2.5 minutes)
if [ "${XIOMMU_REFEREE:-1}" != 0 ]; then
	REFEREE_BUILD="$root/referee" sh "$top/tests/referee/run"
fi

step "main job: xiommu conform -c conf/xiommu.ini"
"$root/normal/tools/xiommu" conform -c "$top/conf/xiommu.ini"
