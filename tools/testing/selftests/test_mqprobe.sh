# SPDX-License-Identifier: GPL-2.0
# mqprobe=MAX: the device offers MAX queue pairs (mq=on, a tap with MAX
# queues, vectors=2*MAX+2). At probe the driver enables min(CPUs, MAX)
# pairs; every queue has its own MSI-X vector; the enabled pairs'
# interrupts are spread over the CPUs; ethtool -S has counters for every
# queue of every pair.
. /vtio/tests/test_mqlib.sh

plan() { echo 6; }

run() {
	local max="${1:-4}" dev v cur want ncpu i n bad="" a b cpus used=""
	local names

	dev="$(mq_dev)"
	v="$(basename "$(vtio_dev "$dev")")"
	ncpu="$(nproc)"
	ethtool -l "$dev" 2>&1 | sed 's/^/# /'

	expect_eq "ethtool -l: $max pairs at most" "$(max_combined "$dev")" "$max"

	want=$((ncpu < max ? ncpu : max))
	cur="$(combined "$dev")"
	expect_eq "min($ncpu CPUs, $max) = $want pairs enabled at probe" "$cur" "$want"

	# One vector each: config, every input / output queue, control.
	grep -E " $v-" /proc/interrupts | sed 's/^/# /'
	for n in config control; do irq_has "$v-$n" || bad="$bad $n"; done
	for i in $(seq 0 $((max - 1))); do
		irq_has "$v-input.$i" || bad="$bad input.$i"
		irq_has "$v-output.$i" || bad="$bad output.$i"
	done
	[ "$(cat "$(vtio_dev "$dev")/irq_mode")" = msix-per-vq ] || bad="$bad irq_mode"
	[ -z "$bad" ] && ok "a vector per queue ($((2 * max + 2)) vectors)" ||
		not_ok "a vector per queue ($((2 * max + 2)) vectors)" "missing:$bad"

	# Both queues of a pair on the same CPUs, consecutive pairs apart.
	bad=""
	for i in $(seq 0 $((cur - 1))); do
		a="$(cat "/proc/irq/$(irq_num "$v-input.$i")/smp_affinity_list")"
		b="$(cat "/proc/irq/$(irq_num "$v-output.$i")/smp_affinity_list")"
		diag "pair $i: input affinity $a, output affinity $b"
		[ "$a" = "$b" ] || bad="$bad pair$i:$a/$b"
		used="$used $(list_cpus "$a")"
	done
	used="$(echo $used | tr ' ' '\n' | sort -u | tr '\n' ' ')"
	[ "$(count_words $used)" -ge "$want" ] || bad="$bad cpus-used:$used"
	[ -z "$bad" ] && ok "enabled pairs spread over CPUs $used" ||
		not_ok "enabled pairs spread over CPUs" "$bad"

	# Traffic, then: each queue's interrupts went to its own CPUs (x86
	# moves a vector at its next interrupt, so one may land on the CPU it
	# had before), and the effective affinity differs between pairs.
	ping_ok 20 56 >/dev/null
	iperf_mbps -t 2 -P 4 >/dev/null
	iperf_mbps -t 2 -P 4 -R >/dev/null
	bad=""
	for i in $(seq 0 $((cur - 1))); do
		for n in input output; do
			a="$(cat "/proc/irq/$(irq_num "$v-$n.$i")/smp_affinity_list")"
			b="$(cat "/proc/irq/$(irq_num "$v-$n.$i")/effective_affinity_list")"
			cpus="$(irq_cpus "$v-$n.$i")"
			diag "$n.$i: effective CPU $b, interrupts (cpu:count) ${cpus:-none}"
			[ "$(irq_elsewhere "$v-$n.$i" "$(list_cpus "$a")")" -le 2 ] ||
				bad="$bad $n.$i-off-cpu"
		done
		if [ "$i" -gt 0 ] && [ "$b" = "$(cat "/proc/irq/$(irq_num "$v-output.$((i - 1))")/effective_affinity_list")" ]; then
			bad="$bad pairs$((i - 1)),$i-same-cpu"
		fi
	done
	[ -z "$bad" ] && ok "interrupts on each pair's CPU, effective affinity differs per pair" ||
		not_ok "interrupts on each pair's CPU, effective affinity differs per pair" "$bad"

	# ethtool -S: every counter for every queue of every pair.
	bad=""
	names="$(ethtool -S "$dev" 2>/dev/null | awk '{ sub(":$", "", $1); print $1 }')"
	for i in $(seq 0 $((max - 1))); do
		for n in rx_queue_${i}_packets rx_queue_${i}_bytes rx_queue_${i}_drops \
			 rx_queue_${i}_kicks rx_queue_${i}_interrupts rx_queue_${i}_napi_polls \
			 tx_queue_${i}_packets tx_queue_${i}_bytes tx_queue_${i}_drops \
			 tx_queue_${i}_kicks tx_queue_${i}_interrupts tx_queue_${i}_napi_polls; do
			echo "$names" | grep -qx "$n" || bad="$bad $n"
		done
	done
	[ -z "$bad" ] && ok "ethtool -S: packets, bytes, drops, kicks, interrupts, napi polls for $max pairs" ||
		not_ok "ethtool -S: per-queue counters for $max pairs" "missing:$(echo $bad | cut -c 1-200)"
}
