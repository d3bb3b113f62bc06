#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the harness needs on a Debian 12 machine (as root):
# QEMU, busybox, iperf3/ethtool, sparse, python3 (hostctl.sh's raw frames), the kernel headers of both guest
# kernels (6.1 and 6.12 LTS), the matching unsigned kernel images extracted
# into .cache/kernels/<abi>/, and checkpatch.pl from linux-source.
#
# Idempotent: when everything is already in place it returns in well under
# a second without touching apt. FORCE=1 re-resolves the ABIs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(qemu-system-x86 busybox-static cpio kmod iperf3 ethtool sparse
      iproute2 gcc make xz-utils perl git python3)
CMDS=(qemu-system-x86_64 busybox cpio insmod iperf3 ethtool sparse ip gcc
      make xz perl git python3)
CHECKPATCH="$CACHE/checkpatch"
CHECKPATCH_FILES=(checkpatch.pl spelling.txt const_structs.checkpatch)

export DEBIAN_FRONTEND=noninteractive

# Everything present? Then there is nothing to do.
all_present() {
	local c series abi f
	for c in "${CMDS[@]}"; do
		command -v "$c" >/dev/null 2>&1 || return 1
	done
	[ -s "$ABIS_FILE" ] || return 1
	[ "$(wc -l <"$ABIS_FILE")" -ge 2 ] || return 1
	while read -r series abi; do
		[ -f "$(vmlinuz_of "$abi")" ] || return 1
		[ -f "$(headers_of "$abi")/Makefile" ] || return 1
	done <"$ABIS_FILE"
	for f in "${CHECKPATCH_FILES[@]}"; do
		[ -f "$CHECKPATCH/$f" ] || return 1
	done
	return 0
}

if [ "${FORCE:-0}" != 1 ] && all_present; then
	exit 0
fi

[ "$(id -u)" = 0 ] || die "setup-deps.sh must run as root"

log "apt-get update"
apt-get update -q >/dev/null

log "installing tool packages"
apt-get install -y -q --no-install-recommends "${PKGS[@]}" >/dev/null

# Resolve a metapackage to the ABI-specific headers package it depends on:
#   linux-headers-amd64      -> linux-headers-6.1.0-NN-amd64
#   linux-headers-6.12-amd64 -> linux-headers-6.12.NNN+deb12-amd64
resolve_abi() {
	apt-cache depends "$1" |
		sed -n 's/^ *Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1
}

mkdir -p "$KERNELS" "$CACHE/debs"
abi61="$(resolve_abi linux-headers-amd64)"
abi612="$(resolve_abi linux-headers-6.12-amd64)"
[ -n "$abi61" ] || die "cannot resolve the 6.1 ABI from linux-headers-amd64"
[ -n "$abi612" ] || die "cannot resolve the 6.12 ABI from linux-headers-6.12-amd64"
log "guest kernels: 6.1 = $abi61, 6.12 = $abi612"

log "installing kernel headers"
apt-get install -y -q --no-install-recommends \
	"linux-headers-$abi61" "linux-headers-$abi612" >/dev/null

# Download a package into .cache/debs (once) and print the .deb's path.
fetch_deb() {
	local pkg="$1" deb
	deb="$(ls "$CACHE/debs/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)"
	if [ -z "$deb" ]; then
		# -o: apt's _apt user cannot write here; download as root quietly.
		(cd "$CACHE/debs" && apt-get download -q \
			-o APT::Sandbox::User=root "$pkg" >/dev/null)
		deb="$(ls "$CACHE/debs/${pkg}_"*.deb | head -n 1)"
	fi
	echo "$deb"
}

for abi in "$abi61" "$abi612"; do
	root="$(kernel_root "$abi")"
	if [ ! -f "$(vmlinuz_of "$abi")" ]; then
		log "extracting linux-image-$abi-unsigned"
		deb="$(fetch_deb "linux-image-$abi-unsigned")"
		rm -rf "$root.tmp"
		mkdir -p "$root.tmp"
		dpkg-deb -x "$deb" "$root.tmp"
		rm -rf "$root"
		mv "$root.tmp" "$root"
		# The module tree is only needed by the DEBUG in-tree mode;
		# the image itself is all a normal run boots.
		rm -f "$deb"
	fi
	[ -f "$(vmlinuz_of "$abi")" ] || die "no $(vmlinuz_of "$abi") after extraction"
done

printf '6.1 %s\n6.12 %s\n' "$abi61" "$abi612" >"$ABIS_FILE.tmp"
mv "$ABIS_FILE.tmp" "$ABIS_FILE"

# checkpatch.pl and its data files, from the newest linux-source.
if ! (cd "$CHECKPATCH" 2>/dev/null && ls "${CHECKPATCH_FILES[@]}" >/dev/null 2>&1); then
	src="linux-source-$(echo "$abi612" | cut -d. -f1-2)"
	log "extracting checkpatch.pl from $src"
	deb="$(fetch_deb "$src")"
	mkdir -p "$CHECKPATCH"
	members=()
	for f in "${CHECKPATCH_FILES[@]}"; do
		members+=("$src/scripts/$f")
	done
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$src.tar.xz" |
		tar -xJ -C "$CHECKPATCH" --strip-components=2 "${members[@]}"
	chmod +x "$CHECKPATCH/checkpatch.pl"
	rm -f "$deb"
fi

all_present || die "setup incomplete"
log "dependencies ready"
