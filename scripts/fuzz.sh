#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, no
# recoverable UB) into ${FUZZ_BUILD:-build/fuzz} and run one for SECONDS:
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh all SECONDS     each target in turn
#   scripts/fuzz.sh ci [PERCENT]    each target for its fixed number of runs
#                                   with -seed=1 from the committed seeds only
#                                   (PERCENT of them, 100 by default): the same
#                                   inputs on every machine, whatever its speed
#   scripts/fuzz.sh list            the targets
# TARGET is config, decode, raw_inv, messages, guest_mem or program. The corpus grows
# in the build folder, seeded from tests/fuzz/corpus/TARGET; a finding is
# written to the build folder's artifacts/ and the run fails. Replay one
# with: build/fuzz/tests/fuzz/fuzz_TARGET FILE. FUZZ_CFLAGS adds compiler
# flags when the build folder is set up (e.g. -fno-sanitize=shift-exponent to
# look past a known finding). `scripts/fuzz.sh repro` replays the findings
# kept in tests/fuzz/repro/ (TARGET-WHAT files); each must now pass.
# XF_TWICE=1 runs each input twice and compares; XF_TRACE=1 prints what
# each run saw, call by call, to diff the two runs of a mismatch.
set -eu
ci= norand=
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$top/build/fuzz}
jobs=${JOBS:-2}
targets="config decode raw_inv messages guest_mem program"
# Runs per target in `ci` mode: about a minute each on the 2-core machine the
# project is developed on (-runs counts inputs, so a faster machine runs
# the same ones sooner; `scripts/fuzz.sh ci` here replays CI exactly).
ci_runs() {
	case $1 in
	config) echo 1700000 ;;
	decode) echo 4400000 ;;
	raw_inv) echo 1700000 ;;
	messages) echo 120000 ;;
	guest_mem) echo 240000 ;;
	program) echo 200000 ;;
	esac
}

usage() { echo "usage: $0 TARGET|all SECONDS [libFuzzer options...] | ci [PERCENT] | repro | list" >&2; exit 2; }
[ $# -ge 1 ] || usage
if [ "$1" = list ]; then echo "$targets"; exit 0; fi
target=$1 secs=${2:-0}
case $target in repro | ci) ;; *) [ $# -ge 2 ] || usage ;; esac
shift $(($# >= 2 ? 2 : 1))

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" -Dfuzz=true -Dtests=disabled \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all ${FUZZ_CFLAGS:-}" >/dev/null
fi
meson compile -C "$build" -j "$jobs" >/dev/null

env_run() {
	XIOMMU_PLUGIN_PATH=$build/plugins \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:quarantine_size_mb=${FUZZ_QUARANTINE_MB:-16} \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$@"
}

run() {
	t=$1
	shift
	exe=$build/tests/fuzz/fuzz_$t
	[ -x "$exe" ] || { echo "no fuzz target '$t' (targets: $targets)" >&2; exit 2; }
	corpus=$build/corpus/$t
	mkdir -p "$corpus" "$build/artifacts"
	seeds=
	[ -d "$top/tests/fuzz/corpus/$t" ] && seeds=$top/tests/fuzz/corpus/$t
	dict=
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=-dict=$top/tests/fuzz/$t.dict
	if [ "$ci" ]; then
		# a fresh corpus: what earlier runs found would change the inputs
		corpus=$build/ci-corpus/$t
		rm -rf "$corpus"
		mkdir -p "$corpus"
		runs=$(($(ci_runs "$t") * secs / 100))
		echo "=== fuzz $t for $runs runs (-seed=1${norand:+, no ASLR})"
		# -reload=0: rereading the corpus folder is timed, so it would
		# interleave differently on a faster machine
		set -- -runs="$runs" -seed=1 -reload=0 "$@"
	else
		echo "=== fuzz $t for ${secs}s"
		set -- -max_total_time="$secs" "$@"
	fi
	# shellcheck disable=SC2086
	env_run $norand "$exe" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/artifacts/$t-" $dict "$@" "$corpus" $seeds
	case $t in
	raw_inv | guest_mem | messages)
		# persistent rigs: every input of the corpus twice, same results
		echo "=== $t: each corpus input run twice (XF_TWICE)"
		# shellcheck disable=SC2086
		XF_TWICE=1 env_run "$exe" -runs=0 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$build/artifacts/$t-twice-" "$corpus" $seeds ;;
	esac
}

if [ "$target" = repro ]; then
	fail=0
	for f in "$top"/tests/fuzz/repro/*; do
		case $f in *.md) continue ;; esac
		[ -f "$f" ] || continue
		t=$(basename "$f")
		t=${t%%-*}
		if env_run "$build/tests/fuzz/fuzz_$t" "$f" >"$build/repro.log" 2>&1; then
			echo "ok - $(basename "$f")"
		else
			echo "FAIL - $(basename "$f"): $(grep -m1 -E 'runtime error|oracle|ERROR' "$build/repro.log")"
			fail=1
		fi
	done
	exit $fail
elif [ "$target" = ci ]; then
	ci=1
	[ "$secs" != 0 ] || secs=100
	# The value profile of comparisons (-use_cmp) feeds heap and stack
	# addresses into the mutations, so with ASLR the same seed runs other
	# inputs: run without it where the kernel lets us.
	if setarch "$(uname -m)" -R true 2>/dev/null; then
		norand="setarch $(uname -m) -R"
	else
		echo "fuzz.sh: cannot turn ASLR off (setarch -R): this run will not replay exactly" >&2
	fi
	for t in $targets; do
		run "$t" "$@"
	done
elif [ "$target" = all ]; then
	for t in $targets; do
		run "$t" "$@"
	done
else
	run "$target" "$@"
fi
