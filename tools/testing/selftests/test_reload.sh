# SPDX-License-Identifier: GPL-2.0
# reload: rmmod (reverse order) and insmod again, twice; the second time
# while a ping flood is running. Traffic must flow after each reload.
# The transport is this guest's (virtio_pci_modern or virtio_mmio_msi,
# the latter with the parameters test_load.sh was given).

plan() { echo 10; }

cycle() {
	local what="$1" m left="" dev a

	check "$what: rmmod all three" rmmod_all

	for m in $VTIO_MODULES; do module_loaded "$m" && left="$left $m"; done
	[ -d /sys/bus/vtio ] && left="$left bus:vtio"
	a="$(nic_dev)"
	[ -n "$(nic_driver "$a")" ] && left="$left driver:$(nic_driver "$a")"
	[ -z "$left" ] && ok "$what: modules, bus and binding gone" ||
		not_ok "$what: modules, bus and binding gone" "left:$left"

	check "$what: insmod all three" insmod_all

	if dev="$(find_netdev 15)" && net_up "$dev"; then
		echo "$dev" >/tmp/netdev
		ok "$what: netdev $dev back up"
	else
		not_ok "$what: netdev back up" "netdev '${dev:-none}'"
	fi
	check "$what: ping x50 after reload" ping_ok 50 56
}

run() {
	local pid

	cycle "idle reload"

	ping -i 0.01 -w 60 "$HOST_IP" >/dev/null 2>&1 &
	pid=$!
	sleep 1
	cycle "reload under ping"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
