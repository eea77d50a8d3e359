#!/bin/sh
# SPDX-License-Identifier: MIT
# The xiommu command: usage, --help, and config errors that name file, line and key.
set -u
xiommu=$1
data=$2
fail=0
check() {	# name, expected exit, needle, command...
	name=$1 code=$2 needle=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$code" ] || ! printf '%s' "$out" | grep -qF -- "$needle"; then
		echo "not ok - $name (exit $rc, wanted $code; output: $out)"
		fail=1
	else
		echo "ok - $name"
	fi
}
check "no command" 2 "usage: xiommu COMMAND" "$xiommu"
check "help" 0 "info" "$xiommu" --help
check "info --help" 0 "usage: xiommu info [-c FILE] [--json]" "$xiommu" info --help
check "info --help names the default" 0 "/xiommu/xiommu.ini)" "$xiommu" info --help
check "info extra argument" 2 "usage: xiommu info" "$xiommu" info conf.ini
check "unknown command" 2 "unknown command 'frobnicate'" "$xiommu" frobnicate
check "missing file" 1 "nonexistent.ini: cannot open" "$xiommu" info -c "$data/nonexistent.ini"
check "misspelt key" 1 "misspelt.ini:7: [unit t0] unknown key 'sid_bitz' = '8'" "$xiommu" info -c "$data/misspelt.ini"
check "bad value" 1 "badvalue.ini:4: [unit t0] key 'pasid_bits' = '99': expected a number 0..20" "$xiommu" info -c "$data/badvalue.ini"
# a plugin's cross-key check: its words once, after file, line and section
check "plugin check" 1 "xiommu: $data/vtd-mamv.ini:3: [unit vtd0] mamv 3: must be 0 when psi = no" "$xiommu" info -c "$data/vtd-mamv.ini"
check "decode kinds" 0 "word" "$xiommu" decode test --kinds
check "decode fields" 0 "high             0x80000001  RESERVED BITS SET" "$xiommu" decode test word 8000000100000002
check "decode low" 0 "low              0x2" "$xiommu" decode test word 8000000100000002
check "decode strict" 3 "RESERVED" "$xiommu" decode --strict test word 8000000100000002
check "decode json" 0 '"name": "high", "value": 2147483649, "hex": "0x80000001", "reserved": true' "$xiommu" decode --json test word 8000000100000002
check "decode bad kind" 1 "test has no kind 'ste'; accepted: word" "$xiommu" decode test ste 0
check "decode bad word" 2 "word 0 'xyz' is not a 64-bit hex number" "$xiommu" decode test word xyz
check "decode word count" 1 "2 words do not fit" "$xiommu" decode test word 1 2
check "decode no plugin" 1 "plugin xiommu-nosuch.so not found" "$xiommu" decode nosuch ste 0
exit $fail
