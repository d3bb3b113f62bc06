# SPDX-License-Identifier: GPL-2.0
# mqinval: invalid ethtool arguments fail with an error and change
# nothing: -L 0, -L above the maximum, separate rx/tx channels, bad -X
# weight lists, -G out of range, -N with fields the device cannot hash.
. /vtio/tests/test_mqlib.sh

plan() { echo 10; }

# state DEV: everything the calls below could have changed.
state() {
	ethtool -l "$1" 2>&1
	ethtool -x "$1" 2>&1
	ethtool -g "$1" 2>&1
	ethtool -n "$1" rx-flow-hash tcp4 2>&1
	ethtool -k "$1" 2>&1
}

# fails NAME CMD...: one result, ok when CMD exits non-zero.
fails() {
	local name="$1" out
	shift
	if out="$("$@" 2>&1)"; then
		not_ok "$name fails" "exit 0: $out"
	else
		ok "$name fails ($(echo "$out" | tail -n 1 | cut -c 1-70))"
	fi
}

run() {
	local dev max cur before after rss=1 w i ringmax out

	dev="$(mq_dev)"
	max="$(max_combined "$dev")"
	cur="$(combined "$dev")"
	has_feature "$dev" 60 || rss=0
	before="$(state "$dev")"

	fails "ethtool -L combined 0" ethtool -L "$dev" combined 0
	fails "ethtool -L combined $((max + 1))" ethtool -L "$dev" combined $((max + 1))
	fails "ethtool -L rx 1 tx 1" ethtool -L "$dev" rx 1 tx 1

	if [ "$rss" = 1 ]; then
		w=""
		for i in $(seq 0 "$cur"); do w="$w 1"; done
		fails "ethtool -X weight for $((cur + 1)) of $cur rings" ethtool -X "$dev" weight $w
		w=""
		for i in $(seq 1 "$cur"); do w="$w 0"; done
		fails "ethtool -X weight all zero" ethtool -X "$dev" weight $w
		fails "ethtool -X equal $((cur + 1))" ethtool -X "$dev" equal $((cur + 1))
	else
		ok "ethtool -X weight too long # SKIP no RSS"
		ok "ethtool -X weight all zero # SKIP no RSS"
		ok "ethtool -X equal too many # SKIP no RSS"
	fi

	ringmax="$(ethtool -g "$dev" | awk '$1 == "RX:" { print $2; exit }')"
	fails "ethtool -G rx $((ringmax * 2)) (max $ringmax)" ethtool -G "$dev" rx $((ringmax * 2))
	fails "ethtool -G rx 16 (below the minimum)" ethtool -G "$dev" rx 16

	# ethtool 6.1 exits 0 when -N fails: the message and the unchanged
	# state below tell.
	if [ "$rss" = 1 ]; then
		out="$(ethtool -N "$dev" rx-flow-hash tcp4 m 2>&1)"
		if echo "$out" | grep -qi 'cannot\|invalid\|not supported'; then
			ok "ethtool -N rx-flow-hash tcp4 m (L2 field) fails"
		else
			not_ok "ethtool -N rx-flow-hash tcp4 m (L2 field) fails" "$out"
		fi
	else
		ok "ethtool -N rx-flow-hash with an L2 field # SKIP no RSS"
	fi

	after="$(state "$dev")"
	if [ "$before" = "$after" ]; then
		ok "channels, table, key, rings, hash fields, offloads unchanged"
	else
		not_ok "channels, table, key, rings, hash fields, offloads unchanged"
		echo "$before" >/tmp/mqinval.before
		echo "$after" >/tmp/mqinval.after
		diff /tmp/mqinval.before /tmp/mqinval.after | head -n 20 | sed 's/^/# /'
	fi
}
