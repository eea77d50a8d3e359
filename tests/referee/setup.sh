#!/bin/sh
# SPDX-License-Identifier: MIT
# What the referee boots: QEMU 10 (bookworm-backports) and a Debian kernel
# with busybox-static, fetched with a private apt configuration (the
# machine's own sources stay as they are) and unpacked with dpkg-deb -x into
# $REFEREE_CACHE, one folder per target:
#   setup.sh [arm64]  qemu-system-arm, the arm64 cloud kernel Image,
#                     busybox-static:arm64 (the SMMUv3 referee)
#   setup.sh x86      qemu-system-x86, the amd64 cloud kernel,
#                     busybox-static:amd64 (the VT-d referee)
# Debian 12's own QEMU (installed by scripts/setup-debian.sh) brings the
# runtime libraries QEMU 10 needs.
# Prints nothing on success but the folder; idempotent.
set -eu
target=${1:-arm64}
cache=${REFEREE_CACHE:-${HOME:-/root}/.cache/xiommu-referee}
case $target in
arm64)
	apt_dir=$cache/apt
	root=$cache/root
	pkgs_amd64="qemu-system-arm qemu-system-common qemu-system-data"
	kmeta=linux-image-cloud-arm64:arm64
	bb=busybox-static:arm64
	qemu_bin=qemu-system-aarch64
	;;
x86)
	apt_dir=$cache/apt-x86
	root=$cache/root-x86
	pkgs_amd64="qemu-system-x86 qemu-system-common qemu-system-data"
	kmeta=linux-image-cloud-amd64:amd64
	bb=busybox-static:amd64
	qemu_bin=qemu-system-x86_64
	;;
*)
	echo "referee setup: unknown target $target (arm64 or x86)" >&2
	exit 1
	;;
esac
stamp=$root/.complete

if [ -f "$stamp" ]; then
	echo "$root"
	exit 0
fi
# the archive the machine already uses (deb822 or one-line sources)
mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' |
	 grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' |
			      grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

rm -rf "$apt_dir" "$root"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts" \
	"$apt_dir/prefs" "$apt_dir/dl" "$root"
: >"$apt_dir/status"
cat >"$apt_dir/sources.list" <<EOF
deb [arch=amd64,arm64 signed-by=$keyring] $mirror bookworm-backports main
deb [arch=amd64,arm64 signed-by=$keyring] $mirror bookworm main
EOF
set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" \
	-o Dir::Etc::SourceParts="$apt_dir/parts" \
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$apt_dir/prefs" \
	-o Dir::State::Lists="$apt_dir/lists" -o Dir::State::status="$apt_dir/status" \
	-o Dir::Cache="$apt_dir/cache" -o Dir::Cache::archives="$apt_dir/archives" \
	-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
	-o APT::Default-Release=bookworm-backports -o APT::Sandbox::User=root -q
apt-get "$@" update >"$apt_dir/update.log" 2>&1 || {
	cat "$apt_dir/update.log" >&2
	echo "referee setup: apt-get update of bookworm-backports failed" >&2
	exit 1
}
# the kernel: whatever versioned package the backports meta-package names
kpkg=$(apt-cache "$@" depends "$kmeta" | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "referee setup: no kernel behind $kmeta" >&2; exit 1; }
(cd "$apt_dir/dl" && apt-get "$@" download $pkgs_amd64 "$kpkg" "$bb") \
	>"$apt_dir/download.log" 2>&1 || {
	cat "$apt_dir/download.log" >&2
	echo "referee setup: download failed" >&2
	exit 1
}
for deb in "$apt_dir"/dl/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
rm -f "$apt_dir"/dl/*.deb
ls "$root"/boot/vmlinuz-* >/dev/null
"$root/usr/bin/$qemu_bin" --version | head -n 1 >"$root/.qemu-version"
touch "$stamp"
echo "$root"
