#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what building and testing xiommu needs on Debian 12 (clang and its
# runtime libraries for the libFuzzer targets, scripts/fuzz.sh). Runs apt-get
# directly as root, through sudo otherwise.
set -eu
if [ "$(id -u)" -eq 0 ]; then
	as_root() { "$@"; }
else
	as_root() { sudo "$@"; }
fi
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	gcc libc6-dev make pkg-config meson ninja-build \
	libinih-dev libcmocka-dev valgrind clang libclang-rt-dev gnuplot-nox >/dev/null
# tests/referee: an arm64 cross compiler for the SMMUv3 program (the VT-d one
# is built with gcc), cpio for the initramfs, and Debian 12's QEMU (arm, x86)
# for the runtime libraries of the QEMU 10 that tests/referee/setup.sh unpacks
# beside it, and for SeaBIOS
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio qemu-system-arm qemu-system-x86 >/dev/null
# tests/kernel/run: headers to build xiommu.ko, qemu and a static busybox
# to boot it (the kernel image itself is fetched with apt-get download)
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	linux-headers-amd64 qemu-system-x86 busybox-static >/dev/null
