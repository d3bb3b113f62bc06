# SPDX-License-Identifier: GPL-2.0
# load[=PARAM=VALUE:...]: find the NIC on its transport (a virtio-net PCI
# function, or with vtio.transport=mmio the virtio-mmio platform device
# ACPI describes), take it from the in-tree driver if that bound it (6.12:
# virtio-pci is built in), insmod the project's modules (the transport
# module with PARAMs, kept for later reloads), check our transport bound
# it and bring the netdev up.

plan() { echo 6; }

run() {
	local a dev what want

	echo "$*" >"$TRANSPORT_ARGS_FILE"
	if [ "$VTIO_TRANSPORT" = mmio ]; then
		what="virtio-mmio platform device (ACPI LNRO0005)"
	else
		what="virtio-net PCI function"
	fi
	if a="$(nic_dev)"; then
		ok "$what present"
		if [ "$VTIO_TRANSPORT" = mmio ]; then
			diag "NIC $a ($(cat "/sys/bus/platform/devices/$a/modalias")), bound to '$(nic_driver "$a")'"
		else
			diag "NIC $a ($(cat /sys/bus/pci/devices/$a/vendor):$(cat /sys/bus/pci/devices/$a/device)), bound to '$(nic_driver "$a")'"
		fi
	else
		not_ok "$what present" "no such device on bus $NIC_BUS"
	fi

	if [ "${VTIO_INTREE:-}" = 1 ]; then
		# DEBUG only: the kernel's own stack, to test the harness plumbing.
		diag "DEBUG: in-tree virtio stack, not the project's modules"
		load_intree_modules
		ok "insmod (in-tree) 1"; ok "insmod (in-tree) 2"; ok "insmod (in-tree) 3"
		want="$INTREE_TRANSPORT"
	else
		[ -n "$a" ] && { takeover "$a" || diag "takeover of $a failed"; }
		load_modules
		want="$VTIO_TRANSPORT_MODULE"
	fi
	# The driver binds while insmod runs (no deferred probe expected).
	expect_eq "$NIC_BUS device ${a:-?} bound to $want" "$(nic_driver "$a")" "$want"

	if dev="$(find_netdev 15)" && net_up "$dev"; then
		echo "$dev" >/tmp/netdev
		ok "netdev $dev up with $GUEST_IP/24"
	else
		not_ok "netdev up with $GUEST_IP/24" "netdev '${dev:-none}' missing or not up"
	fi
	ip -br addr 2>/dev/null | sed 's/^/# /'
}
