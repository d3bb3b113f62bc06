#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-modules.sh <6.1|6.12|abi>
#
# Build the project's modules against one guest kernel's headers in a
# private copy of the sources (.cache/build/<abi>/), so builds for 6.1 and
# 6.12 never clobber each other or the work tree. Only files whose content
# changed are copied again, so rebuilds stay incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 <6.1|6.12|abi>"
abi="$(abi_of "$1")"
kdir="$(headers_of "$abi")"
out="$(build_dir_of "$abi")"
[ -f "$kdir/Makefile" ] || die "no headers in $kdir: run tools/testing/vm/setup-deps.sh"

sync_sources "$out"
[ -f "$out/Kbuild" ] || die "no Kbuild in the sources"

log "building modules for $abi"
if ! make -C "$kdir" M="$out" modules -j"$(nproc)"; then
	echo "BUILD FAILED for $abi" >&2
	exit 1
fi

# Every obj-m named in Kbuild must have produced a .ko.
missing=0
for m in $(sed -n 's/^obj-m[[:space:]]*+\{0,1\}:\{0,1\}=//p' "$out/Kbuild"); do
	ko="${m%.o}.ko"
	if [ ! -f "$out/$ko" ]; then
		echo "BUILD FAILED for $abi: $ko was not produced" >&2
		missing=1
	fi
done
[ "$missing" = 0 ] || exit 1
ls "$out"/*.ko >&2
