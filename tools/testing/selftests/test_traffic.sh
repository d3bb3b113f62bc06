# SPDX-License-Identifier: GPL-2.0
# traffic[=SECONDS]: ping at three sizes, iperf3 both ways, per-queue
# ethtool counters. Asserts behaviour only: no performance thresholds.

plan() { echo 6; }

run() {
	local secs="${1:-10}" dev mtu tx rx stats rxp txp

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"

	check "ping x200, 56 bytes" ping_ok 200 56
	check "ping x200, 1400 bytes" ping_ok 200 1400

	mtu="$(cat "/sys/class/net/$dev/mtu")"
	if [ "$mtu" = 1500 ] && ping_ok 200 1472; then
		ok "ping x200, 1472 bytes (full 1500 MTU)"
	else
		not_ok "ping x200, 1472 bytes (full 1500 MTU)" "mtu $mtu"
	fi

	if tx="$(iperf_mbps -t "$secs")" && awk "BEGIN { exit !($tx > 0) }"; then
		diag "iperf3 tx: $tx Mbit/s"
		ok "iperf3 guest->host ${secs}s"
	else
		not_ok "iperf3 guest->host ${secs}s" "no data received"
	fi
	if rx="$(iperf_mbps -t "$secs" -R)" && awk "BEGIN { exit !($rx > 0) }"; then
		diag "iperf3 rx: $rx Mbit/s"
		ok "iperf3 host->guest ${secs}s"
	else
		not_ok "iperf3 host->guest ${secs}s" "no data received"
	fi

	stats="$(ethtool -S "$dev" 2>&1)"
	echo "$stats" | grep -E 'queue_0_(packets|bytes)' | sed 's/^ */# /'
	rxp="$(echo "$stats" | awk '$1 == "rx_queue_0_packets:" { print $2 }')"
	txp="$(echo "$stats" | awk '$1 == "tx_queue_0_packets:" { print $2 }')"
	if [ "${rxp:-0}" -gt 0 ] && [ "${txp:-0}" -gt 0 ]; then
		ok "ethtool -S queue 0 counters count traffic"
	else
		not_ok "ethtool -S queue 0 counters count traffic" "rx '${rxp}' tx '${txp}'"
	fi
}
