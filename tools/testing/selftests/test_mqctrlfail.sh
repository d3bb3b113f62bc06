# SPDX-License-Identifier: GPL-2.0
# mqctrlfail: a control command the device refuses, or never answers,
# fails back to the caller and leaves the previous state; the interface
# keeps carrying traffic.
#
# QEMU accepts every command the driver sends, so the faults come from the
# driver's debugfs knobs (net/debugfs.c): ctrl_refuse sends the next
# command with a class no device implements (the device answers
# VIRTIO_NET_ERR through the real queue), ctrl_mute queues the next one
# without notifying the device (the bounded wait runs out, the control
# queue is disabled). A reload at the end brings the control queue back;
# the buffer the device never answered is freed after the reset.
. /vtio/tests/test_mqlib.sh

plan() { echo 12; }

DEBUGFS=/sys/kernel/debug/virtio_net_mq

# refused NAME KNOB CMD...: arm KNOB for one command, run CMD; one result,
# ok when CMD fails and the command took the fault (the knob is back at 0).
refused() {
	local name="$1" knob="$2" out t0 rc=0
	shift 2
	echo 1 >"$knob"
	t0="$(date +%s)"
	out="$("$@" 2>&1)" || rc=$?
	if [ "$rc" != 0 ] && [ "$(cat "$knob")" = 0 ]; then
		ok "$name fails after $(($(date +%s) - t0)) s ($(echo "$out" | tail -n 1 | cut -c 1-60))"
	else
		not_ok "$name fails" "exit $rc, knob $(cat "$knob"): $out"
	fi
	echo 0 >"$knob"
}

# same NAME BEFORE AFTER: one result, ok when the state did not change.
same() {
	if [ "$2" = "$3" ]; then
		ok "$1 unchanged"
	else
		not_ok "$1 unchanged" "was '$2', now '$3'"
	fi
}

lro() { ethtool -k "$1" | awk '$1 == "large-receive-offload:" { print $2 }'; }

run() {
	local dev v dir cur other mac table lro_was lro_want

	dev="$(mq_dev)"
	v="$(basename "$(vtio_dev "$dev")")"
	dir="$DEBUGFS/$v"
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	if [ ! -f "$dir/ctrl_refuse" ]; then
		skip_n 12 "no $dir (kernel without debugfs?)"
		return 0
	fi
	cur="$(combined "$dev")"
	other=$((cur > 1 ? cur - 1 : 2))
	mac="$(cat "/sys/class/net/$dev/address")"

	# Refused: each command fails, each state stays.
	refused "refused ethtool -L combined $other" "$dir/ctrl_refuse" \
		ethtool -L "$dev" combined "$other"
	same "queue pairs ($cur)" "$cur" "$(combined "$dev")"

	refused "refused MAC change" "$dir/ctrl_refuse" \
		ip link set "$dev" address 52:54:00:12:34:58
	same "MAC address ($mac)" "$mac" "$(cat "/sys/class/net/$dev/address")"

	if has_feature "$dev" 60; then
		table="$(ethtool -x "$dev")"
		refused "refused ethtool -X equal 1" "$dir/ctrl_refuse" \
			ethtool -X "$dev" equal 1
		same "RSS table and key" "$table" "$(ethtool -x "$dev")"
	else
		ok "refused ethtool -X # SKIP no RSS"
		ok "RSS table # SKIP no RSS"
	fi

	# ethtool -K reports a feature the driver could not change by
	# exit status on some ethtool versions only: the state tells.
	lro_was="$(lro "$dev")"
	[ "$lro_was" = on ] && lro_want=off || lro_want=on
	if ethtool -k "$dev" | grep -q '^large-receive-offload: .*fixed'; then
		ok "refused ethtool -K lro # SKIP LRO not switchable"
	else
		echo 1 >"$dir/ctrl_refuse"
		ethtool -K "$dev" lro "$lro_want" >/dev/null 2>&1
		same "refused ethtool -K lro $lro_want: LRO ($lro_was), knob used," \
			"$lro_was 0" "$(lro "$dev") $(cat "$dir/ctrl_refuse")"
		echo 0 >"$dir/ctrl_refuse"
		# Drop the wish too, or the next feature update retries it.
		ethtool -K "$dev" lro "$lro_was" >/dev/null 2>&1
	fi

	if ethtool -L "$dev" combined "$other" && ethtool -L "$dev" combined "$cur" &&
	   ping_ok 20 56; then
		ok "after refusals: -L $other and back to $cur work, traffic flows"
	else
		not_ok "after refusals: -L $other and back to $cur work, traffic flows"
	fi

	# Never answered: the wait is bounded, then the control queue is off.
	refused "unanswered ethtool -L combined $other" "$dir/ctrl_mute" \
		ethtool -L "$dev" combined "$other"
	if dmesg | grep -q "not answered in [0-9]* ms; control queue disabled"; then
		ok "dmesg: command not answered, control queue disabled"
	else
		not_ok "dmesg: command not answered, control queue disabled"
	fi
	if ! ethtool -L "$dev" combined "$other" >/dev/null 2>&1 &&
	   [ "$(combined "$dev")" = "$cur" ] && ping_ok 20 56; then
		ok "control queue off: commands fail, $cur pairs stay, traffic flows"
	else
		not_ok "control queue off: commands fail, $cur pairs stay, traffic flows" \
			"combined $(combined "$dev")"
	fi

	# A reload resets the device: control queue back, nothing leaked.
	if rmmod_all && insmod_all && dev="$(find_netdev 15)" && net_up "$dev" &&
	   echo "$dev" >/tmp/netdev && ethtool -L "$dev" combined "$other" &&
	   [ "$(combined "$dev")" = "$other" ] && ping_ok 20 56; then
		ok "after a reload: ethtool -L combined $other works, traffic flows"
	else
		not_ok "after a reload: ethtool -L combined $other works, traffic flows" \
			"netdev '${dev:-none}'"
	fi
}
