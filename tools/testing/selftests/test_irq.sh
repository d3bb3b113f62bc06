# SPDX-License-Identifier: GPL-2.0
# irq=MODE: interrupt mode (PCI: msix-per-vq, msix-shared, intx; MMIO:
# wired, the platform interrupt line), the /proc/interrupts names for it,
# and data-path interrupts during traffic.

plan() { echo 3; }

run() {
	local mode="$1" dev vdev v present absent data n bad="" before after

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"
	vdev="$(vtio_dev "$dev")"
	v="$(basename "$vdev")"
	case "$mode" in
	msix-per-vq)
		# The control queue has an interrupt too (its acks end a wait).
		present="$v-config $v-input.0 $v-output.0 $v-control"
		absent="$v-virtqueues $v-intx $v-wired"
		data="$v-input.0 $v-output.0" ;;
	msix-shared)
		present="$v-config $v-virtqueues"
		absent="$v-input.0 $v-output.0 $v-control $v-intx $v-wired"
		data="$v-virtqueues" ;;
	intx)
		present="$v-intx"
		absent="$v-config $v-virtqueues $v-input.0 $v-output.0 $v-control $v-wired"
		data="$v-intx" ;;
	wired)
		# virtio_mmio_msi on x86: no MSI for platform devices.
		present="$v-wired"
		absent="$v-config $v-virtqueues $v-input.0 $v-output.0 $v-control $v-intx"
		data="$v-wired" ;;
	*)
		diag "unknown irq mode $mode" ;;
	esac

	expect_eq "$v/irq_mode is $mode" "$(cat "$vdev/irq_mode" 2>&1)" "$mode"

	grep -E " $v-" /proc/interrupts | sed 's/^/# /'
	for n in $present; do irq_has "$n" || bad="$bad missing:$n"; done
	for n in $absent; do irq_has "$n" && bad="$bad unexpected:$n"; done
	[ -z "$bad" ] && ok "/proc/interrupts names for $mode" ||
		not_ok "/proc/interrupts names for $mode" "$bad"

	before="$(irq_sum $data)"
	ping_ok 50 56 >/dev/null
	iperf_mbps -t 2 >/dev/null
	after="$(irq_sum $data)"
	diag "data-path interrupts ($data): $before -> $after"
	[ "$after" -gt "$before" ] && ok "data-path interrupts rise with traffic" ||
		not_ok "data-path interrupts rise with traffic" "$before -> $after"
}
