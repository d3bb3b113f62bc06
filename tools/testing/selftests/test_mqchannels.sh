# SPDX-License-Identifier: GPL-2.0
# mqchannels=N1:N2:...: ethtool -L combined N1, N2, ... while iperf3 runs
# in both directions. Each change succeeds, afterwards only queues below
# the new count carry traffic (packet counters of the others stand
# still), iperf3 runs through every change, and the kernel reports no
# transmit timeout.
. /vtio/tests/test_mqlib.sh

plan() { echo $(($# * 2 + 2)); }

run() {
	local dev n b a grown bad secs pid out q dir rc i

	dev="$(mq_dev)"
	secs=$(($# * 7 + 6))
	out=/tmp/mqchannels.iperf
	timeout $((secs + 60)) iperf3 -c "$HOST_IP" --connect-timeout 5000 \
		-t "$secs" -P 4 --bidir >"$out" 2>&1 &
	pid=$!
	sleep 2

	for n in "$@"; do
		check "ethtool -L $dev combined $n under traffic" \
			ethtool -L "$dev" combined "$n"
		sleep 2		# what was queued before the change drains
		bad="" grown=""
		for dir in rx tx; do
			b="$(qcounts "$dev" "$dir")"
			sleep 2
			a="$(qcounts "$dev" "$dir")"
			q="$(qgrown "$b" "$a" 1)"
			diag "combined $n, $dir packets: $b -> $a"
			for i in $q; do [ "$i" -ge "$n" ] && bad="$bad $dir$i"; done
			grown="$grown$q"
		done
		if [ -n "$bad" ]; then
			not_ok "combined $n: only queues 0..$((n - 1)) in use" "busy:$bad"
		elif [ -z "$grown" ]; then
			not_ok "combined $n: only queues 0..$((n - 1)) in use" "no traffic at all"
		else
			ok "combined $n: only queues 0..$((n - 1)) in use"
		fi
	done

	wait "$pid"
	rc=$?
	grep -E 'SUM.*(sender|receiver)' "$out" | sed 's/^/# /'
	if [ "$rc" = 0 ] && grep -q 'receiver' "$out"; then
		ok "iperf3 --bidir ran through every change"
	else
		not_ok "iperf3 --bidir ran through every change" "exit $rc"
		tail -n 5 "$out" | sed 's/^/# /'
	fi

	if dmesg | grep -Eq 'NETDEV WATCHDOG|timed out|dropping packet'; then
		dmesg | grep -E 'NETDEV WATCHDOG|timed out|dropping packet' | sed 's/^/# /'
		not_ok "no transmit timeout or drop while channels changed"
	else
		ok "no transmit timeout or drop while channels changed"
	fi
}
