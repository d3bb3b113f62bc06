# SPDX-License-Identifier: GPL-2.0
# mqcpu[=PAIRS]: CPU hotplug moves the queue pairs. With PAIRS (default 4)
# pairs on 2 CPUs, pairs 1 and 3 start on CPU 1; taking CPU 1 offline
# puts every transmit queue's XPS map (and interrupt hint) on CPU 0, and
# bringing it back restores the spread the driver had; traffic flows in
# between. Without a CPU that can go offline the checks skip.
. /vtio/tests/test_mqlib.sh

plan() { echo 5; }

CPU1=/sys/devices/system/cpu/cpu1/online

# xps_all DEV PAIRS: the XPS CPU mask of tx queues 0..PAIRS-1, as numbers.
xps_all() {
	local i v
	for i in $(seq 0 $(($2 - 1))); do
		v="$(tr -d ',\n' <"/sys/class/net/$1/queues/tx-$i/xps_cpus" 2>/dev/null)"
		printf '%d ' "0x${v:-0}"
	done
}

# wait_xps DEV PAIRS WANT: up to 10 s for the XPS maps to read WANT.
wait_xps() {
	local t=100
	while [ "$t" -gt 0 ] && [ "$(xps_all "$1" "$2")" != "$3" ]; do
		t=$((t - 1))
		usleep 100000
	done
	[ "$t" -gt 0 ]
}

# hint NAME: the affinity hint of the interrupt named NAME, as a number.
hint() {
	local irq v
	irq="$(irq_num "$1")"
	v="$(tr -d ',\n' <"/proc/irq/$irq/affinity_hint" 2>/dev/null)"
	printf '%d' "0x${v:-0}"
}

run() {
	local pairs="${1:-4}" dev v spread one="" i

	dev="$(mq_dev)"
	v="$(basename "$(vtio_dev "$dev")")"
	if [ "$(nproc)" != 2 ] || [ ! -w "$CPU1" ]; then
		skip_n 5 "needs 2 CPUs, CPU 1 able to go offline"
		return 0
	fi
	ethtool -L "$dev" combined "$pairs" || diag "ethtool -L $pairs failed"
	spread="$(xps_all "$dev" "$pairs")"
	for i in $(seq "$pairs"); do one="${one}1 "; done
	diag "XPS with 2 CPUs: $spread"

	echo 0 >"$CPU1"
	if wait_xps "$dev" "$pairs" "$one"; then
		ok "CPU 1 offline: every tx queue's XPS map is CPU 0 ($(xps_all "$dev" "$pairs"))"
	else
		not_ok "CPU 1 offline: every tx queue's XPS map is CPU 0" "$(xps_all "$dev" "$pairs")"
	fi
	# Pair 1's interrupts were hinted at CPU 1.
	expect_eq "CPU 1 offline: input.1's interrupt hint is CPU 0" \
		"$(hint "$v-input.1")" 1
	iperf_ok -t 2 -P 4 >/dev/null && iperf_ok -t 2 -P 4 -R >/dev/null &&
		ok "CPU 1 offline: traffic both ways" ||
		not_ok "CPU 1 offline: traffic both ways"

	echo 1 >"$CPU1"
	if wait_xps "$dev" "$pairs" "$spread"; then
		ok "CPU 1 back: the spread returns ($spread)"
	else
		not_ok "CPU 1 back: the spread returns ($spread)" "$(xps_all "$dev" "$pairs")"
	fi
	iperf_ok -t 2 -P 4 -R >/dev/null && ok "CPU 1 back: traffic flows" ||
		not_ok "CPU 1 back: traffic flows"
}
