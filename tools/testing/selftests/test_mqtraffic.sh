# SPDX-License-Identifier: GPL-2.0
# mqtraffic=PAIRS: with ethtool -L combined PAIRS, 8 parallel iperf3 flows
# host->guest land on at least 3 receive queues and 8 flows guest->host
# use at least 3 transmit queues (min(3, PAIRS) of them); the queues in
# use count interrupts and NAPI polls.
#
# Where a flow lands is a hash of its ports, so a run can put 8 flows on
# fewer queues by chance (a few percent for 8 flows on 4 queues): a second
# run with new ports decides before the test fails.
. /vtio/tests/test_mqlib.sh

plan() { echo 6; }

# spread DEV DIR IPERF_ARGS...: run iperf3, print the queues of DIR it used.
spread() {
	local dev="$1" dir="$2" b a
	shift 2
	b="$(qcounts "$dev" "$dir")"
	iperf_ok "$@" >&2 || return 1
	a="$(qcounts "$dev" "$dir")"
	echo "# $dir packets per queue: $b -> $a" >&2
	qgrown "$b" "$a" 100
}

# spread_check DIR WHO VERB IPERF_ARGS...: 8 flows (twice when they landed
# on too few queues); two results. Uses run()'s dev, secs, pairs and want.
spread_check() {
	local dir="$1" who="$2" verb="$3" try q
	shift 3
	for try in 1 2; do
		q="$(spread "$dev" "$dir" -t "$secs" -P 8 "$@")" || { q=""; break; }
		[ "$(count_words $q)" -ge "$want" ] && break
		diag "run $try: $who flows on queues ${q:-none} only: again"
	done
	[ -n "$q" ] && ok "$who: 8 iperf3 flows" ||
		not_ok "$who: 8 iperf3 flows" "iperf3 failed"
	[ "$(count_words $q)" -ge "$want" ] &&
		ok "$who flows $verb $want+ of $pairs $dir queues (${q% })" ||
		not_ok "$who flows $verb $want+ of $pairs $dir queues" "only on: ${q:-none}"
}

run() {
	local pairs="${1:-4}" secs="${2:-4}" dev want b a bad="" ib ia pb pa i

	dev="$(mq_dev)"
	want=$((pairs < 3 ? pairs : 3))

	check "ethtool -L $dev combined $pairs" ethtool -L "$dev" combined "$pairs"

	spread_check rx "host->guest" "land on" -R
	spread_check tx "guest->host" use

	# Every queue that carried traffic also took interrupts and polls.
	b="$(qcounts "$dev" rx)"
	ib="$(qcounts "$dev" rx interrupts)"
	pb="$(qcounts "$dev" rx napi_polls)"
	iperf_ok -t 2 -P 8 -R >/dev/null
	a="$(qcounts "$dev" rx)"
	ia="$(qcounts "$dev" rx interrupts)"
	pa="$(qcounts "$dev" rx napi_polls)"
	for i in $(qgrown "$b" "$a" 100); do
		echo " $(qgrown "$ib" "$ia" 1) " | grep -q " $i " || bad="$bad irq$i"
		echo " $(qgrown "$pb" "$pa" 1) " | grep -q " $i " || bad="$bad poll$i"
	done
	diag "rx interrupts per queue: $ia; napi polls: $pa"
	[ -z "$bad" ] && ok "rx queues in use count interrupts and napi polls" ||
		not_ok "rx queues in use count interrupts and napi polls" "$bad"
}
