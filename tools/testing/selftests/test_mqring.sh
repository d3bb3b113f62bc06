# SPDX-License-Identifier: GPL-2.0
# mqring: ethtool -g / -G. The maximum is the device's; -G gives every
# queue its new size, one queue at a time by queue reset when
# VIRTIO_F_RING_RESET (bit 40) is negotiated, else by resetting and
# re-initialising the whole device (QEMU: queue_reset=off); traffic, the
# queue pairs and the RSS table survive it; a packed ring also takes a
# size that is not a power of 2.
. /vtio/tests/test_mqlib.sh

plan() { echo 8; }

# carrier_up DEV: wait up to 10 s for the carrier after "ip link set up".
carrier_up() {
	local t=100
	while [ "$t" -gt 0 ] && [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" != 1 ]; do
		t=$((t - 1))
		usleep 100000
	done
	[ "$t" -gt 0 ]
}

rings() { ethtool -g "$1" | awk '/^Current/ { c = 1 } c && ($1 == "RX:" || $1 == "TX:") { printf "%s ", $2 }'; }

run() {
	local dev max cur table shrink_rc odd how

	dev="$(mq_dev)"
	ethtool -g "$dev" 2>&1 | sed 's/^/# /'
	max="$(ethtool -g "$dev" | awk '$1 == "RX:" { print $2; exit }')"
	cur="$(combined "$dev")"
	table="$(ethtool -x "$dev" 2>/dev/null | grep -E '^ *[0-9]+:')"
	[ "$(rings "$dev")" = "$max $max " ] &&
		ok "ethtool -g: rings at the device maximum $max" ||
		not_ok "ethtool -g: rings at the device maximum $max" "now $(rings "$dev")"

	if ethtool -G "$dev" rx 128 tx 128 && [ "$(rings "$dev")" = "128 128 " ]; then
		ok "ethtool -G rx 128 tx 128"
	else
		not_ok "ethtool -G rx 128 tx 128" "now $(rings "$dev")"
	fi

	# A device that offers queue reset but never completes one (QEMU
	# 7.2's virtio-mmio has no QueueReset register) gets device resets.
	if has_feature "$dev" RING_RESET &&
	   ! dmesg | grep -q "$dev: device did not complete a queue reset"; then
		how="set by queue reset"
	else
		how="set by device reset"
		dmesg | grep "$dev: device did not complete a queue reset" | sed 's/^/# /'
	fi
	if dmesg | grep -q "$dev: rings of 128/128 entries, $how"; then
		ok "-G took the $how path (RING_RESET $(has_feature "$dev" RING_RESET && echo on || echo off))"
	else
		not_ok "-G took the $how path" "$(dmesg | grep 'rings of' | tail -n 1)"
	fi

	if ping_ok 50 56 && iperf_ok -t 2 -P 4 >/dev/null && iperf_ok -t 2 -P 4 -R >/dev/null; then
		ok "traffic both ways on 128-entry rings"
	else
		not_ok "traffic both ways on 128-entry rings"
	fi

	[ "$(combined "$dev")" = "$cur" ] &&
	[ "$(ethtool -x "$dev" 2>/dev/null | grep -E '^ *[0-9]+:')" = "$table" ] &&
		ok "$cur queue pairs and the RSS table survive -G" ||
		not_ok "$cur queue pairs and the RSS table survive -G" "combined $(combined "$dev")"

	if has_feature "$dev" RING_PACKED; then
		odd=200
		if ethtool -G "$dev" rx $odd tx $odd && [ "$(rings "$dev")" = "$odd $odd " ] &&
		   ping_ok 20 1400; then
			ok "packed ring: ethtool -G rx $odd tx $odd (not a power of 2)"
		else
			not_ok "packed ring: ethtool -G rx $odd tx $odd (not a power of 2)" "now $(rings "$dev")"
		fi
	else
		ok "ring size not a power of 2 # SKIP split ring"
	fi

	# Closed: the rings change, the queues start with the next open.
	# Up again whatever -G said, so a failure here is not every later one.
	ip link set "$dev" down && ethtool -G "$dev" rx 64 tx 64
	shrink_rc=$?
	if ip link set "$dev" up && [ "$shrink_rc" = 0 ] && [ "$(rings "$dev")" = "64 64 " ] &&
	   carrier_up "$dev" && ping_ok 20 1400 && iperf_ok -t 2 -P 4 >/dev/null; then
		ok "ethtool -G rx 64 tx 64 while down, then up: traffic flows"
	else
		not_ok "ethtool -G rx 64 tx 64 while down, then up: traffic flows" "now $(rings "$dev")"
	fi

	if ethtool -G "$dev" rx "$max" tx "$max" && [ "$(rings "$dev")" = "$max $max " ] &&
	   ping_ok 50 1400; then
		ok "ethtool -G back to $max, traffic flows"
	else
		not_ok "ethtool -G back to $max, traffic flows" "now $(rings "$dev")"
	fi
}
