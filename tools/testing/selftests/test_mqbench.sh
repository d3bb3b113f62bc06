# SPDX-License-Identifier: GPL-2.0
# mqbench=SECS:PAIRS:STREAMS: throughput for tools/testing/bench/net-bench.sh,
# for whichever stack drives the NIC (ours, or the in-tree one with
# vtio.intree=1). ethtool -L combined PAIRS, then iperf3 with STREAMS
# parallel TCP flows guest->host and host->guest for SECS seconds each.
# Prints "# bench tx: <Mbit/s>" and "# bench rx: <Mbit/s>"; asserts only
# that data moved.
. /vtio/tests/test_mqlib.sh

plan() { echo 2; }

run() {
	local secs="${1:-10}" pairs="${2:-1}" streams="${3:-4}" dev r dir

	dev="$(mq_dev)"
	if [ "$(max_combined "$dev")" -ge "$pairs" ] 2>/dev/null; then
		ethtool -L "$dev" combined "$pairs" ||
			diag "ethtool -L $dev combined $pairs failed"
	fi
	diag "bench: $(ethtool -i "$dev" | sed -n 's/^driver: //p'), $(combined "$dev") pair(s), $streams streams, ${secs}s"

	for dir in tx rx; do
		if [ "$dir" = tx ]; then
			r="$(iperf_mbps -t "$secs" -P "$streams" -O 1)"
		else
			r="$(iperf_mbps -t "$secs" -P "$streams" -O 1 -R)"
		fi
		if [ -n "$r" ] && awk "BEGIN { exit !($r > 0) }"; then
			echo "# bench $dir: $r"
			ok "iperf3 $dir, $streams streams"
		else
			echo "# bench $dir: 0"
			not_ok "iperf3 $dir, $streams streams" "no data"
		fi
	done
}
