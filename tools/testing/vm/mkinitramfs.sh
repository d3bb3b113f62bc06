#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh <6.1|6.12|abi> <out.cpio.gz>
#
# A busybox-static initramfs for the test guests:
#   /init            guest/init (mounts, reads vtio.* from the cmdline, runs
#                    the tests, dumps dmesg, powers off)
#   /vtio/*.ko       the project's modules from .cache/build/<abi>/
#   /vtio/tests/     tools/testing/selftests/
#   iperf3, ethtool  with their shared libraries and the dynamic loader
#   /vtio/extra/     8021q and the modules it needs, from the guest kernel
#                    (test_mqctrl.sh's VLAN filter checks)
#
# No in-tree kernel module goes in, except with VTIO_DEBUG_INTREE=1, a
# debugging aid for the harness itself: it adds the kernel's own virtio
# modules under /intree/ so the QEMU/tap/iperf plumbing can be proven
# without the project's modules. Never used by make test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 <6.1|6.12|abi> <out.cpio.gz>"
abi="$(abi_of "$1")"
out="$2"
build="$(build_dir_of "$abi")"
root="$(mktemp -d "${TMPDIR:-/tmp}/vtio-initramfs.XXXXXX")"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root} \
	"$root"/vtio/tests

# busybox and one symlink per applet at the path busybox itself reports.
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# Dynamically linked tools, their libraries and the loader, at the same
# paths as on the host.
copy_with_libs() {
	local bin="$1" lib
	install -D -m 0755 "$bin" "$root$bin"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}
copy_with_libs "$(command -v iperf3)"
copy_with_libs "$(command -v ethtool)"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo "127.0.0.1 localhost" >"$root/etc/hosts"
echo "vtio-guest" >"$root/etc/hostname"

# The project's modules.
shopt -s nullglob
kos=("$build"/*.ko)
shopt -u nullglob
if [ ${#kos[@]} -gt 0 ]; then
	cp "${kos[@]}" "$root/vtio/"
elif [ "${VTIO_DEBUG_INTREE:-0}" != 1 ]; then
	die "no modules in $build: run build-modules.sh $1 first"
fi

# Guest tests and init.
cp "$REPO"/tools/testing/selftests/*.sh "$root/vtio/tests/"
install -m 0755 "$VM_DIR/guest/init" "$root/init"

# copy_kernel_module PATH DIR: the guest kernel's module PATH (relative to
# its kernel/ tree, compressed or not) into DIR; nothing when built in.
mods="$(kernel_root "$abi")/lib/modules/$abi/kernel"
copy_kernel_module() {
	local m="$1" dir="$2"
	mkdir -p "$dir"
	if [ -f "$mods/$m" ]; then
		cp "$mods/$m" "$dir/"
	elif [ -f "$mods/$m.xz" ]; then
		xz -dc "$mods/$m.xz" >"$dir/$(basename "$m")"
	fi
}

# 802.1Q and its dependencies, loaded by test_mqctrl.sh in this order.
for m in net/llc/llc.ko net/802/stp.ko net/802/garp.ko net/802/mrp.ko \
	 net/8021q/8021q.ko; do
	copy_kernel_module "$m" "$root/vtio/extra"
done

if [ "${VTIO_DEBUG_INTREE:-0}" = 1 ]; then
	log "DEBUG: adding the in-tree virtio modules of $abi under /intree"
	for m in drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko \
		 drivers/virtio/virtio_pci_legacy_dev.ko \
		 drivers/virtio/virtio_pci_modern_dev.ko \
		 drivers/virtio/virtio_pci.ko drivers/virtio/virtio_mmio.ko \
		 net/core/failover.ko \
		 drivers/net/net_failover.ko drivers/net/virtio_net.ko; do
		copy_kernel_module "$m" "$root/intree"
	done
fi

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
