#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the test initramfs: load xiommu.ko, run every test program,
# check the module's counters, unload/load in a loop, print the marker and
# power off. The host side (tests/kernel/run) reads the console.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo	# the firmware's escape codes end the first console line
pass=0
fail=0
note() { read -r up _ </proc/uptime; echo "ktest: [${up}s] $*"; }
ok() { pass=$((pass + 1)); note "ok $1"; }
bad() { fail=$((fail + 1)); note "FAIL $1"; }
if insmod /xiommu.ko sids=0-63; then ok insmod; else bad insmod; fi
for t in /tests/kt_*; do
	n=${t##*/}
	if "$t"; then ok "$n"; else bad "$n"; fi
	live=$(cat /sys/module/xiommu/parameters/live_allocs)
	pinned=$(cat /sys/module/xiommu/parameters/pinned_pages)
	if [ "$live" = 0 ] && [ "$pinned" = 0 ]; then ok "$n-counters"; else bad "$n-counters live=$live pinned=$pinned"; fi
done
# libxiommu end to end through the kernel backend
if LD_LIBRARY_PATH=/lib XIOMMU_PLUGIN_PATH=/plugins /e2e/test_stage2 /conf/kernel.ini; then
	ok e2e-stage2-kernel
else
	bad e2e-stage2-kernel
fi
if LD_LIBRARY_PATH=/lib XIOMMU_PLUGIN_PATH=/plugins /e2e/test_portable /conf/portable-kernel.ini; then
	ok e2e-portable-kernel
else
	bad e2e-portable-kernel
fi
live=$(cat /sys/module/xiommu/parameters/live_allocs)
pinned=$(cat /sys/module/xiommu/parameters/pinned_pages)
if [ "$live" = 0 ] && [ "$pinned" = 0 ]; then ok e2e-counters; else bad "e2e-counters live=$live pinned=$pinned"; fi
# the conformance suite, every scenario on both vendors, through /dev/xiommu;
# its scale scenarios attach hundreds of streams, so grant it a wider range
rmmod xiommu && insmod /xiommu.ko sids=0-4095 || bad conform-reload
# (into a file first: the console is a terminal, which would get the progress line)
if LD_LIBRARY_PATH=/lib XIOMMU_PLUGIN_PATH=/plugins /e2e/xiommu conform -c /conf/kernel.ini \
		--verbose >/conform.log 2>&1; then
	cat /conform.log
	ok conform-kernel
else
	cat /conform.log
	bad conform-kernel
fi
live=$(cat /sys/module/xiommu/parameters/live_allocs)
pinned=$(cat /sys/module/xiommu/parameters/pinned_pages)
if [ "$live" = 0 ] && [ "$pinned" = 0 ]; then ok conform-counters; else bad "conform-counters live=$live pinned=$pinned"; fi
rmmod xiommu && insmod /xiommu.ko sids=0-63 || bad conform-reload
# figures, not a test (KTEST_BENCH=0 on the kernel command line skips them)
if ! grep -q KTEST_BENCH=0 /proc/cmdline; then
	/bench/kb_bench || bad kb_bench
	# xiommu bench's side-by-side table: the kernel backend beside the embedded one
	LD_LIBRARY_PATH=/lib XIOMMU_PLUGIN_PATH=/plugins /e2e/xiommu bench -c /conf/compare.ini \
		-n 2000 --no-memory >/bench.log 2>&1 || bad xiommu-bench
	sed -n '/side by side/,$p' /bench.log | sed 's/^/bench: /'
fi
if rmmod xiommu; then ok rmmod; else bad rmmod; fi
# without the module, the kernel backend says how to load it
msg=$(LD_LIBRARY_PATH=/lib XIOMMU_PLUGIN_PATH=/plugins /e2e/test_stage2 /conf/kernel.ini 2>&1)
case $msg in
*"the xiommu kernel module is not loaded; load it with"*) ok backend-unloaded-message ;;
*) bad backend-unloaded-message; echo "$msg" | head -3 ;;
esac
i=0
loop=ok
while [ $i -lt 5 ]; do
	insmod /xiommu.ko sids=0-63 || loop=bad
	/tests/kt_abi >/dev/null || loop=bad
	[ "$(cat /sys/module/xiommu/parameters/live_allocs)" = 0 ] || loop=bad
	rmmod xiommu || loop=bad
	i=$((i + 1))
done
if [ $loop = ok ]; then ok load-unload-loop; else bad load-unload-loop; fi
echo "XIOMMU-KTEST-RESULT: pass=$pass fail=$fail"
poweroff -f
