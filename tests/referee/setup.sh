#!/bin/sh
# SPDX-License-Identifier: MIT
# What the referee boots: QEMU 10 (bookworm-backports), an arm64 kernel
# Image and busybox-static:arm64, fetched with a private apt configuration
# (the machine's own sources stay as they are) and unpacked with dpkg-deb -x
# into $REFEREE_CACHE. Debian 12's own QEMU (installed by
# scripts/setup-debian.sh) brings the runtime libraries QEMU 10 needs.
# Prints nothing on success but the folder; idempotent.
set -eu
cache=${REFEREE_CACHE:-${HOME:-/root}/.cache/xiommu-referee}
apt_dir=$cache/apt
root=$cache/root
stamp=$root/.complete
pkgs_amd64="qemu-system-arm qemu-system-common qemu-system-data"
kmeta=linux-image-cloud-arm64:arm64

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
deb [arch=arm64 signed-by=$keyring] $mirror bookworm main
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
(cd "$apt_dir/dl" && apt-get "$@" download $pkgs_amd64 "$kpkg" busybox-static:arm64) \
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
"$root/usr/bin/qemu-system-aarch64" --version | head -n 1 >"$root/.qemu-version"
touch "$stamp"
echo "$root"
