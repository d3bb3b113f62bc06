# SPDX-License-Identifier: GPL-2.0
# modules: only the project's modules drive the NIC.

plan() { echo 6; }

run() {
	local dev m missing="" intree="" drv vdev st

	for m in $VTIO_MODULES; do module_loaded "$m" || missing="$missing $m"; done
	[ -z "$missing" ] && ok "project modules loaded" ||
		not_ok "project modules loaded" "missing:$missing"

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

	if [ "$(($(cat "$vdev/device" 2>/dev/null || echo -1)))" = 1 ] &&
	   [ "$(($(cat "$vdev/vendor" 2>/dev/null || echo -1)))" = "$((0x1af4))" ]; then
		ok "vtio device: net (id 1), vendor 0x1af4"
	else
		not_ok "vtio device: net (id 1), vendor 0x1af4" \
			"device '$(cat "$vdev/device" 2>&1)' vendor '$(cat "$vdev/vendor" 2>&1)'"
	fi

	# ACKNOWLEDGE 1, DRIVER 2, DRIVER_OK 4, FEATURES_OK 8, NEEDS_RESET 64, FAILED 128
	st="$(cat "$vdev/status" 2>/dev/null || echo 0)"
	st=$((st))
	if [ $((st & 15)) = 15 ] && [ $((st & 192)) = 0 ]; then
		ok "device status ACK|DRIVER|FEATURES_OK|DRIVER_OK"
	else
		not_ok "device status ACK|DRIVER|FEATURES_OK|DRIVER_OK" "status $st"
	fi
}
