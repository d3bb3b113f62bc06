# SPDX-License-Identifier: GPL-2.0
# mqrss[=PAIRS]: guest-driven steering (VIRTIO_NET_F_RSS, QEMU rss=on).
# With PAIRS (default 4) pairs: an indirection table pointing only at
# queue 2 puts all received traffic on queue 2; the default table spreads
# it again (over 2+ queues); a new hash key and hash fields (ethtool -N rx-flow-hash) are
# accepted and read back; with VIRTIO_NET_F_HASH_REPORT (hash=on) the
# device's hash reaches the packets. The RSS checks skip without RSS, the
# hash report check without HASH_REPORT.
. /vtio/tests/test_mqlib.sh

plan() { echo 8; }

# table_entries DEV: the queue numbers of ethtool -x's table, one line.
table_entries() {
	ethtool -x "$1" 2>/dev/null | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) printf "%s ", $i }'
}
rss_key() { ethtool -x "$1" 2>/dev/null | awk '/^RSS hash key/ { getline; print; exit }'; }

run() {
	local pairs="${1:-4}" dev t w b a q key newkey i

	dev="$(mq_dev)"
	if ! has_feature "$dev" 60; then
		for t in "indirection table" "table -> queue 2" "traffic on queue 2 only" \
			 "default table" "traffic spread again" "hash key" \
			 "rx-flow-hash"; do
			ok "$t # SKIP VIRTIO_NET_F_RSS not negotiated"
		done
		hash_reports "$dev"
		return 0
	fi
	ethtool -L "$dev" combined "$pairs" || diag "ethtool -L $pairs failed"

	t="$(table_entries "$dev")"
	key="$(rss_key "$dev")"
	diag "table size $(count_words $t), key $key"
	if [ "$(count_words $t)" -ge 1 ] && [ "$(echo "$key" | tr -cd ':' | wc -c)" -ge 39 ]; then
		ok "ethtool -x: $(count_words $t)-entry table, $(( $(echo "$key" | tr -cd ':' | wc -c) + 1 ))-byte key"
	else
		not_ok "ethtool -x: table and 40-byte key" "table '$t' key '$key'"
	fi

	# weight 0 0 1 0 ...: every entry points at queue 2.
	w=""
	for i in $(seq 0 $((pairs - 1))); do
		[ "$i" = 2 ] && w="$w 1" || w="$w 0"
	done
	if ethtool -X "$dev" weight $w &&
	   [ -z "$(table_entries "$dev" | tr -d '2 ')" ]; then
		ok "ethtool -X weight$w: every entry is queue 2"
	else
		not_ok "ethtool -X weight$w: every entry is queue 2" "$(table_entries "$dev" | cut -c 1-60)"
	fi

	b="$(qcounts "$dev" rx)"
	iperf_ok -t 3 -P 8 -R >/dev/null
	ping_ok 20 56 >/dev/null
	a="$(qcounts "$dev" rx)"
	q="$(qgrown "$b" "$a" 50)"
	diag "rx packets per queue: $b -> $a"
	[ "$q" = "2 " ] && ok "all received traffic on queue 2" ||
		not_ok "all received traffic on queue 2" "queues in use: ${q:-none}"

	if ethtool -X "$dev" default &&
	   [ "$(count_words $(table_entries "$dev" | tr ' ' '\n' | sort -u))" = "$pairs" ]; then
		ok "ethtool -X default: table over all $pairs queues"
	else
		not_ok "ethtool -X default: table over all $pairs queues" "$(table_entries "$dev" | cut -c 1-60)"
	fi

	# Toeplitz is linear: flows whose ports differ in a few low bits (the
	# kernel hands out ephemeral ports in steps of 2) reach only the
	# queues a handful of key bits allow, so even 16 flows can miss a
	# queue or two with a random key. "Spread" is therefore 2+ queues.
	for i in 1 2; do
		b="$(qcounts "$dev" rx)"
		iperf_ok -t 3 -P 16 -R >/dev/null
		a="$(qcounts "$dev" rx)"
		q="$(qgrown "$b" "$a" 100)"
		diag "rx packets per queue: $b -> $a"
		[ "$(count_words $q)" -ge 2 ] && break
	done
	[ "$(count_words $q)" -ge 2 ] && ok "16 flows spread again (queues ${q% })" ||
		not_ok "16 flows spread again" "queues in use: ${q:-none}"

	newkey="$(seq 1 40 | awk '{ printf "%s%02x", (NR > 1 ? ":" : ""), ($1 * 37) % 256 }')"
	if ethtool -X "$dev" hkey "$newkey" && [ "$(rss_key "$dev")" = "$newkey" ] &&
	   iperf_ok -t 2 -P 4 -R >/dev/null; then
		ok "ethtool -X hkey: new key in force, traffic flows"
	else
		not_ok "ethtool -X hkey: new key in force, traffic flows" "key now $(rss_key "$dev")"
	fi

	ethtool -N "$dev" rx-flow-hash tcp4 sd
	t="$(ethtool -n "$dev" rx-flow-hash tcp4 2>&1)"
	ethtool -N "$dev" rx-flow-hash tcp4 sdfn
	a="$(ethtool -n "$dev" rx-flow-hash tcp4 2>&1)"
	echo "$t" | sed 's/^/# sd: /'
	if echo "$t" | grep -q 'IP SA' && ! echo "$t" | grep -q 'L4 bytes' &&
	   echo "$a" | grep -q 'L4 bytes 0 & 1'; then
		ok "rx-flow-hash tcp4: sd, then sdfn, read back"
	else
		not_ok "rx-flow-hash tcp4: sd, then sdfn, read back"
	fi

	hash_reports "$dev"
}

# With VIRTIO_NET_F_HASH_REPORT (guest-driven steering in force, or
# HASH_CONFIG on a device without RSS) received packets carry the hash.
hash_reports() {
	local dev="$1" b a

	if ! has_feature "$dev" 57; then
		ok "device hash reports # SKIP VIRTIO_NET_F_HASH_REPORT not negotiated"
		return 0
	fi
	b="$(qcounts "$dev" rx hash_reports)"
	iperf_ok -t 2 -P 4 -R >/dev/null
	a="$(qcounts "$dev" rx hash_reports)"
	diag "hash reports per queue: $b -> $a"
	[ -n "$(qgrown "$b" "$a" 100)" ] && ok "device hash reports reach the packets" ||
		not_ok "device hash reports reach the packets" "$b -> $a"
}
