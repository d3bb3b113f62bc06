#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-demo.sh: what `make run` does. Sets itself up, builds the modules for
# the 6.1 guest (KERNEL=6.12 for the other one), boots a QEMU guest whose
# virtio-net NIC is driven by the project's modules, shows ethtool -i, the
# address, a ping, a short iperf3 each way, the vtio interrupt lines and
# the per-queue counters, then powers off. No interactive shell (CI has no
# stdin). DEVICE_OPTS passes extra virtio-net-pci options (e.g. vectors=2).
# MACHINE=microvm boots a microvm with a virtio-mmio NIC instead, driven
# by virtio_mmio_msi (MMIO_VERSION=1 for a legacy transport, default 2);
# DEVICE_OPTS are then virtio-net-device options (e.g. packed=on).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel="${KERNEL:-6.1}"
"$VM_DIR/setup-deps.sh"
"$VM_DIR/build-modules.sh" "$kernel"
abi="$(abi_of "$kernel")"
initrd="$CACHE/initramfs-$abi.cpio.gz"
"$VM_DIR/mkinitramfs.sh" "$kernel" "$initrd"
exec "$VM_DIR/run-qemu.sh" --kernel "$kernel" --initrd "$initrd" \
	--name "demo-$kernel" --mode demo --timeout 240 --live \
	--machine "${MACHINE:-q35}" --mmio-version "${MMIO_VERSION:-2}" \
	--device-opts "${DEVICE_OPTS:--}"
