#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what building and testing xiommu needs on Debian 12 (run as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	gcc libc6-dev make pkg-config meson ninja-build \
	libinih-dev libcmocka-dev valgrind >/dev/null
