# SPDX-License-Identifier: GPL-2.0
# modules: only the project's modules drive the NIC, and of the two
# transports only the one of this guest (vtio.transport) is loaded.

plan() { echo 6; }

run() {
	local dev m missing="" intree="" drv vdev st want

	for m in $VTIO_MODULES; do module_loaded "$m" || missing="$missing $m"; done
	module_loaded "$VTIO_OTHER_TRANSPORT" && missing="$missing (and $VTIO_OTHER_TRANSPORT is loaded)"
	[ -z "$missing" ] && ok "project modules loaded, not $VTIO_OTHER_TRANSPORT" ||
		not_ok "project modules loaded, not $VTIO_OTHER_TRANSPORT" "missing:$missing"

	for m in $INTREE_MODULES; do module_loaded "$m" && intree="$intree $m"; done
	[ -z "$intree" ] && ok "no in-tree virtio module loaded" ||
		not_ok "no in-tree virtio module loaded" "loaded:$intree"
	sed 's/^/# /' /proc/modules

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"
	drv="$(ethtool -i "$dev" 2>/dev/null | sed -n 's/^driver: //p')"
	expect_eq "ethtool -i $dev: driver virtio_net_mq" "$drv" virtio_net_mq
	ethtool -i "$dev" 2>&1 | sed 's/^/# /'

	vdev="$(vtio_dev "$dev")"
	case "$(netdev_bus "$dev"):$(basename "$vdev")" in
	vtio:vtio[0-9]*) ok "$dev parent is a vtio device on bus vtio" ;;
	*) not_ok "$dev parent is a vtio device on bus vtio" \
		"parent '$vdev' on bus '$(netdev_bus "$dev")'" ;;
	esac
	for m in device vendor status features irq_mode modalias; do
		diag "$(basename "$vdev")/$m: $(cat "$vdev/$m" 2>&1)"
	done
	[ -e "$vdev/mmio_version" ] && diag "$(basename "$vdev")/mmio_version: $(cat "$vdev/mmio_version")"

	# The vendor a PCI function reports is its PCI vendor (Red Hat,
	# 0x1af4); a virtio-mmio transport reports VendorID, "QEMU" in QEMU.
	want=0x1af4
	[ "$VTIO_TRANSPORT" = mmio ] && want=0x554d4551
	if [ "$(($(cat "$vdev/device" 2>/dev/null || echo -1)))" = 1 ] &&
	   [ "$(($(cat "$vdev/vendor" 2>/dev/null || echo -1)))" = "$((want))" ]; then
		ok "vtio device: net (id 1), vendor $want"
	else
		not_ok "vtio device: net (id 1), vendor $want" \
			"device '$(cat "$vdev/device" 2>&1)' vendor '$(cat "$vdev/vendor" 2>&1)'"
	fi

	# ACKNOWLEDGE 1, DRIVER 2, DRIVER_OK 4, FEATURES_OK 8, NEEDS_RESET 64,
	# FAILED 128. A legacy device (virtio-mmio Version 1) has no
	# FEATURES_OK: the driver must not set it there.
	st="$(cat "$vdev/status" 2>/dev/null || echo 0)"
	st=$((st))
	if [ "$(cat "$vdev/mmio_version" 2>/dev/null)" = 1 ]; then
		if [ $((st & 15)) = 7 ] && [ $((st & 192)) = 0 ]; then
			ok "device status ACK|DRIVER|DRIVER_OK, no FEATURES_OK (legacy)"
		else
			not_ok "device status ACK|DRIVER|DRIVER_OK, no FEATURES_OK (legacy)" "status $st"
		fi
	elif [ $((st & 15)) = 15 ] && [ $((st & 192)) = 0 ]; then
		ok "device status ACK|DRIVER|FEATURES_OK|DRIVER_OK"
	else
		not_ok "device status ACK|DRIVER|FEATURES_OK|DRIVER_OK" "status $st"
	fi
}
