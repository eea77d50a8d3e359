#!/bin/sh
# SPDX-License-Identifier: MIT
# The xiommu command's conform, run, decode and bench outputs users read.
# Usage: test_tools.sh XIOMMU CONFIG
set -u
x=$1
conf=$2
fails=0
tmp=${TMPDIR:-/tmp}/xiommu-tools.$$
trap 'rm -f "$tmp"' EXIT

check() {	# check WHAT PATTERN: the last output ($tmp) holds the line PATTERN (grep -E)
	if ! grep -Eq -- "$2" "$tmp"; then
		echo "FAIL $1: no line matching '$2' in:"; sed 's/^/    /' "$tmp"
		fails=$((fails + 1))
	else
		echo "ok   $1"
	fi
}

# decode: pointer fields print the address they point at, enumerations their name
"$x" decode smmuv3 ste 0x81234565b 0 >"$tmp" 2>&1
check "STE S1ContextPtr is the CD table address" '^S1ContextPtr +0x812345640$'
check "STE Config names the config" '^Config +0x5 +stage 1'
check "STE S1Fmt names the format" '^S1Fmt +0x1 +2-level'
"$x" decode smmuv3 cd 0x0 0x40001000 0 0 >"$tmp" 2>&1
check "CD TTB0 is the table address" '^TTB0 +0x40001000$'
"$x" decode vtd pasid 0x000000000000000c1 0x3 0x812345004 0 0 0 0 0 >"$tmp" 2>&1
check "PASID entry PGTT names the type" '^PGTT +0x3 +nested'
check "PASID entry FLPTPTR is the table address" '^FLPTPTR +0x812345000$'
check "PASID entry FLPM names the depth" '^FLPM +0x1 +5-level'
"$x" decode vtd qi 0x0000000500070026 0x7000 0 0 >"$tmp" 2>&1
check "QI G names the granularity" '^G +0x2 +PASID'
"$x" decode vtd --kinds >"$tmp" 2>&1
[ "$(tail -c 1 "$tmp" | od -An -c | tr -d ' ')" = '\n' ] && echo "ok   --kinds ends with a newline" ||
	{ echo "FAIL --kinds does not end with a newline"; fails=$((fails + 1)); }

# run: a false expect fails naming file and line
printf 'unit 0\nviommu v\nexpect error EBUSY\n' >"$tmp.trace"
"$x" run -c "$conf" "$tmp.trace" >"$tmp" 2>&1
rc=$?
rm -f "$tmp.trace"
[ $rc = 1 ] && echo "ok   run exits 1 on a false expect" ||
	{ echo "FAIL run exit status $rc"; fails=$((fails + 1)); }
check "run names file and line" "$tmp.trace:3: expect error EBUSY: the last command returned 0"

# conform: lists scenarios, JSON summary, TAP lines name scenario, unit, vendor, backend
"$x" conform --list >"$tmp" 2>&1
check "conform --list" '^translate-4k +'
"$x" conform -c "$conf" --scenario hw-info --format json >"$tmp" 2>&1
check "conform JSON" '"pass": 2, "fail": 0, "skip": 0'
"$x" conform -c "$conf" --scenario hw-info --format tap >"$tmp" 2>&1
check "conform TAP" '^ok 1 - hw-info smmu0 smmuv3 embedded$'
"$x" conform -c "$conf" --scenario 'no-such*' >"$tmp" 2>&1
check "conform names a glob that matches nothing" "matches no scenario"

# bench: with several units, one column per unit after the per-unit tables
"$x" bench -c "$conf" -n 20 --no-memory >"$tmp" 2>&1
check "bench side-by-side header" '^figure +smmuv3/embedded +vtd/embedded$'
check "bench side-by-side row" '^xlate\.hit +[0-9]+\.[0-9] +[0-9]+\.[0-9]$'
exit $((fails > 0))
