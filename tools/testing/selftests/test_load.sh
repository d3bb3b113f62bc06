# SPDX-License-Identifier: GPL-2.0
# load: find the virtio-net PCI function, take it from the in-tree
# virtio-pci if that bound it (6.12: built in), insmod the project's
# modules, check our transport bound it and bring the netdev up.

plan() { echo 6; }

run() {
	local a dev

	if a="$(nic_pci)"; then
		ok "virtio-net PCI function present"
		diag "NIC $a ($(cat /sys/bus/pci/devices/$a/vendor):$(cat /sys/bus/pci/devices/$a/device)), bound to '$(pci_driver "$a")'"
	else
		not_ok "virtio-net PCI function present" "no 1af4:1041 / 1af4:1000 device"
	fi

	if [ "${VTIO_INTREE:-}" = 1 ]; then
		# DEBUG only: the kernel's own stack, to test the harness plumbing.
		diag "DEBUG: in-tree virtio stack, not the project's modules"
		load_intree_modules
		ok "insmod (in-tree) 1"; ok "insmod (in-tree) 2"; ok "insmod (in-tree) 3"
		expect_eq "PCI function bound to virtio-pci" "$(pci_driver "$a")" virtio-pci
	else
		[ -n "$a" ] && { takeover "$a" || diag "takeover of $a failed"; }
		load_modules
		expect_eq "PCI function bound to virtio_pci_modern" \
			"$(pci_driver "$a")" virtio_pci_modern
	fi

	if dev="$(find_netdev 15)" && net_up "$dev"; then
		echo "$dev" >/tmp/netdev
		ok "netdev $dev up with $GUEST_IP/24"
	else
		not_ok "netdev up with $GUEST_IP/24" "netdev '${dev:-none}' missing or not up"
	fi
	ip -br addr 2>/dev/null | sed 's/^/# /'
}
