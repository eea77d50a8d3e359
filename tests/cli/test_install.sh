#!/bin/sh
# SPDX-License-Identifier: MIT
# An installation into a temporary DESTDIR: the library's file name and
# SONAME follow one version scheme, the example configs are installed, and
# the installed `xiommu info` without -c opens the installed default.
set -u
meson=$1
build=$2
dest=$(mktemp -d "${TMPDIR:-/tmp}/xiommu-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
fail=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; fail=1; }

if ! out=$("$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet 2>&1); then
	echo "not ok - meson install: $out"
	exit 1
fi
ok "meson install --destdir"
# where things went: the install plan names them
intro=$("$meson" introspect --installed "$build")
path_of() {	# the installed path whose name matches the pattern
	printf '%s\n' "$intro" | tr ',' '\n' | sed -n 's/.*: *"\(.*\)".*/\1/p' | grep -E "$1" | head -n 1
}
lib=$(path_of '/libxiommu\.so\.[0-9]+\.[0-9]+\.[0-9]+$')
cli=$(path_of '/bin/xiommu$')
conf=$(path_of '/xiommu/xiommu\.ini$')
plugin=$(path_of '/xiommu-smmuv3\.so$')

# one scheme: libxiommu.so.MAJOR.MINOR.PATCH has SONAME libxiommu.so.MAJOR
if [ -z "$lib" ] || [ ! -f "$dest$lib" ]; then
	nok "library installed as libxiommu.so.X.Y.Z"
else
	file=${lib##*/}
	major=${file#libxiommu.so.}
	major=${major%%.*}
	soname=$(readelf -d "$dest$lib" | sed -n 's/.*SONAME.*\[\(.*\)\].*/\1/p')
	if [ "$soname" = "libxiommu.so.$major" ] && [ -e "${dest}${lib%/*}/$soname" ]; then
		ok "SONAME $soname matches $file"
	else
		nok "SONAME '$soname' does not match $file"
	fi
fi
for f in xiommu.ini portable.ini; do
	if [ -n "$conf" ] && [ -f "$dest${conf%/*}/$f" ]; then
		ok "conf $f installed"
	else
		nok "conf $f installed"
	fi
done
# the installed command, its installed library and plugins, no -c
if [ -z "$cli" ] || [ -z "$plugin" ] || [ -z "$lib" ]; then
	nok "xiommu info without -c: command, plugin or library not installed"
else
	out=$(cd / && LD_LIBRARY_PATH="$dest${lib%/*}" XIOMMU_PLUGIN_PATH="$dest${plugin%/*}" \
	      "$dest$cli" info 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '^unit smmu0$' &&
	   printf '%s' "$out" | grep -q '^unit vtd0$'; then
		ok "xiommu info without -c opens the installed default"
	else
		nok "xiommu info without -c (exit $rc): $out"
	fi
fi
exit $fail
