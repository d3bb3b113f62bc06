# SPDX-License-Identifier: GPL-2.0
# mmio=VERSION[:x86-no-msi]: the NIC is driven by virtio_mmio_msi over a
# virtio-mmio transport of that Version (1 legacy, 2 virtio 1.x; microvm,
# vtio.transport=mmio), and the driver said what it found:
#   - the vtio device's parent is the ACPI-described platform device
#     (LNRO0005:NN), bound to virtio_mmio_msi;
#   - <vtio dev>/mmio_version is VERSION;
#   - dmesg has the probe line for that device and Version;
#   - x86-no-msi: the device announced MSI (with proto_v2_bits=1, QEMU's
#     RING_RESET bit 40 reads as the prototype's MMIO_MSI) and the driver
#     said once per probe why it uses the wired line instead ("x86 has no
#     MSI irq domain for platform devices"), and not again when the net
#     driver is unbound and bound (find_vqs once more on the same device);
#     without it: no line about MSI at all, since a plain Version 1/2
#     device has no MSI to fall back from;
#   - no error or warning from virtio_mmio_msi in dmesg.

plan() { [ "${2:-}" = x86-no-msi ] && echo 6 || echo 5; }

# dmesg_count TEXT: dmesg lines holding TEXT (fixed string).
dmesg_count() { dmesg | grep -cF "$1"; }

# rebind VTIODEV WHY: unbind and bind the net driver; the device must come
# back wired, with WHY not logged again, and carry traffic.
rebind() {
	local v="$1" why="$2" d=/sys/bus/vtio/drivers/virtio_net_mq n0 n1 dev mode

	n0="$(dmesg_count "$why")"
	if ! { echo "$v" >"$d/unbind" && echo "$v" >"$d/bind"; }; then
		not_ok "net driver rebound: wired, MSI reason not repeated" "unbind/bind of $v failed"
		return
	fi
	if dev="$(find_netdev 15)" && net_up "$dev"; then
		echo "$dev" >/tmp/netdev
	fi
	n1="$(dmesg_count "$why")"
	mode="$(cat "/sys/bus/vtio/devices/$v/irq_mode" 2>&1)"
	diag "after rebind: netdev '$dev', irq_mode $mode, reason logged $n0 -> $n1 times"
	if [ "$mode" = wired ] && [ "$n1" = "$n0" ] && ping_ok 20 56; then
		ok "net driver rebound: wired, MSI reason not repeated, ping ok"
	else
		not_ok "net driver rebound: wired, MSI reason not repeated, ping ok" \
			"irq_mode $mode, reason $n0 -> $n1 lines, netdev '$dev'"
	fi
}

run() {
	local want="$1" msi="${2:-}" dev vdev v pdev drv probe why nprobe nwhy bad

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"
	vdev="$(vtio_dev "$dev")"
	v="$(basename "$vdev")"
	pdev="$(basename "$(readlink -f "$vdev/..")")"
	drv="$(basename "$(readlink -f "$vdev/../driver" 2>/dev/null)" 2>/dev/null)"
	case "$(basename "$(readlink -f "$vdev/../subsystem" 2>/dev/null)"):$pdev:$drv" in
	platform:LNRO0005:*:virtio_mmio_msi)
		ok "$v parent $pdev (ACPI LNRO0005) bound to virtio_mmio_msi" ;;
	*)
		not_ok "$v parent is an ACPI LNRO0005 platform device bound to virtio_mmio_msi" \
			"parent '$pdev' driver '$drv'" ;;
	esac

	expect_eq "$v/mmio_version is $want" "$(cat "$vdev/mmio_version" 2>&1)" "$want"

	# Printed after registration, with the vtio name it got.
	probe="virtio_mmio_msi $pdev: virtio-mmio Version $want, device type 1, vendor 0x554d4551: $v"
	nprobe="$(dmesg_count "$probe")"
	[ "$nprobe" -ge 1 ] && ok "dmesg: probe line for Version $want" ||
		not_ok "dmesg: probe line for Version $want" "no '$probe'"

	dmesg | grep -F 'virtio_mmio_msi' | sed 's/^/# /'
	why="virtio_mmio_msi $pdev: MSI-capable device (Version $want) but x86 has no MSI irq domain for platform devices: using the wired interrupt"
	nprobe="$(dmesg_count "virtio_mmio_msi $pdev: virtio-mmio Version ")"
	if [ "$msi" = x86-no-msi ]; then
		# Once per device (a probe), however often find_vqs runs.
		nwhy="$(dmesg_count "$why")"
		if [ "$nwhy" -ge 1 ] && [ "$nwhy" -le "$nprobe" ]; then
			ok "dmesg: why not MSI (x86), $nwhy line(s) for $nprobe probe(s)"
		else
			not_ok "dmesg: why not MSI (x86)" "$nwhy lines for $nprobe probes: '$why'"
		fi
	else
		nwhy="$(dmesg | grep -F "virtio_mmio_msi $pdev:" | grep -c MSI)"
		[ "$nwhy" = 0 ] && ok "dmesg: no MSI message (a Version $want device has no MSI)" ||
			not_ok "dmesg: no MSI message (a Version $want device has no MSI)" "$nwhy lines"
	fi

	if [ "$msi" = x86-no-msi ]; then
		rebind "$v" "$why"
	fi

	# Raw records: "<level>[time] text"; 0..4 = emerg..warning. The probe
	# line is info (6): seeing it proves the levels are readable.
	bad="$(dmesg -r | grep -E '^<[0-4]>' | grep -F virtio_mmio_msi)"
	if ! dmesg -r | grep -E '^<6>' | grep -qF "$probe"; then
		not_ok "no error or warning from virtio_mmio_msi" "probe line not found at level 6 in dmesg -r"
	elif [ -z "$bad" ]; then
		ok "no error or warning from virtio_mmio_msi"
	else
		echo "$bad" | sed 's/^/# /'
		not_ok "no error or warning from virtio_mmio_msi" "$(echo "$bad" | head -n 1)"
	fi
}
