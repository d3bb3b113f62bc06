# SPDX-License-Identifier: GPL-2.0
# mqctrl: control queue commands as traffic from the host sees them.
# promisc and allmulti (VIRTIO_NET_CTRL_RX) open the device's filter to
# foreign unicast and to multicast nobody joined; a MAC change
# (CTRL_MAC_ADDR_SET + MAC table) moves the filter to the new address; a
# VLAN added by 8021q (CTRL_VLAN) passes its tagged frames, a killed one
# no longer does; link down / up from the QEMU monitor toggles the carrier
# through a config interrupt; announce_self makes the device ask for a
# gratuitous ARP (VIRTIO_NET_S_ANNOUNCE), which the driver sends and
# acknowledges (CTRL_ANNOUNCE_ACK); ethtool -K lro off / on
# (CTRL_GUEST_OFFLOADS_SET) stops and restarts coalesced frames.
#
# The frames come from tools/testing/vm/hostctl.sh (run-qemu.sh starts it
# and says so with vtio.hostctl=1); without it those checks skip. The
# VLAN checks also need 8021q in /vtio/extra.
. /vtio/tests/test_mqlib.sh

plan() { echo 14; }

N=40			# frames per probe
FOREIGN=02:00:00:00:00:99
MCAST=01:00:5e:01:02:03

# rx_mode: the driver sends promisc / allmulti / the MAC table from a
# work item, so give it a moment before the host sends.
# (busybox ip knows no allmulticast: ifconfig [-]allmulti sets that flag.)
rx_mode() { "$@" && usleep 500000; }

# passes / blocked NAME COUNT: the probe got (nearly) all / (nearly) none.
passes() {
	[ "$2" -ge "$N" ] && ok "$1 ($2 frames)" || not_ok "$1" "$2 of $N frames arrived"
}
blocked() {
	[ "$2" -ge 0 ] && [ "$2" -le $((N / 4)) ] && ok "$1 ($2 frames)" ||
		not_ok "$1" "$2 of $N frames arrived"
}

# frame_size DEV: average bytes per received frame over a short
# host->guest iperf3 run.
frame_size() {
	local b a bb ba
	b="$(rx_packets "$1")"
	bb="$(cat "/sys/class/net/$1/statistics/rx_bytes")"
	iperf_mbps -t 2 -P 2 -R >/dev/null
	a="$(rx_packets "$1")"
	ba="$(cat "/sys/class/net/$1/statistics/rx_bytes")"
	echo $(((ba - bb) / (a - b + 1)))
}

load_8021q() {
	local m
	module_loaded 8021q && return 0
	for m in llc stp garp mrp 8021q; do
		[ -f "/vtio/extra/$m.ko" ] || continue
		module_loaded "$m" || insmod "/vtio/extra/$m.ko" || return 1
	done
	module_loaded 8021q
}

# mac_reached DEV MAC NAME: one result, ok when DEV takes MAC and the host
# reaches it (it learns the new address from our ARP request).
mac_reached() {
	if ip link set "$1" address "$2" && ip neigh flush dev "$1" >/dev/null &&
	   ping_ok 20 56; then
		ok "$3: the host reaches it"
	else
		not_ok "$3: the host reaches it"
	fi
}

# carrier_is DEV 0|1: wait up to 10 s for the carrier.
carrier_is() {
	local t=100
	while [ "$t" -gt 0 ]; do
		t=$((t - 1))
		[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ] && return 0
		usleep 100000
	done
	return 1
}

run() {
	local dev v mac newmac n host=1 vlan=1 cfg

	dev="$(mq_dev)"
	v="$(basename "$(vtio_dev "$dev")")"
	mac="$(cat "/sys/class/net/$dev/address")"
	newmac=52:54:00:12:34:57
	hostctl_ok || host=0
	[ "$host" = 1 ] || diag "no host helper (vtio.hostctl=1 missing): host-side checks skip"
	rx_mode ip link set "$dev" promisc off
	rx_mode ifconfig "$dev" -allmulti

	if [ "$host" = 1 ]; then
		blocked "foreign unicast filtered" \
			"$(rx_from_host "$dev" $FOREIGN 0 10.213.0.99 $N)"
		rx_mode ip link set "$dev" promisc on
		passes "promisc on: foreign unicast arrives" \
			"$(rx_from_host "$dev" $FOREIGN 0 10.213.0.99 $N)"
		rx_mode ip link set "$dev" promisc off
		blocked "multicast to an unjoined group filtered" \
			"$(rx_from_host "$dev" $MCAST 0 239.1.2.3 $N)"
		rx_mode ifconfig "$dev" allmulti
		passes "allmulti on: multicast to an unjoined group arrives" \
			"$(rx_from_host "$dev" $MCAST 0 239.1.2.3 $N)"
		rx_mode ifconfig "$dev" -allmulti
	else
		for n in "foreign unicast filtered" "promisc on: foreign unicast arrives" \
			 "multicast filtered" "allmulti on: multicast arrives"; do
			ok "$n # SKIP no host helper"
		done
	fi

	mac_reached "$dev" "$newmac" "MAC changed to $newmac"
	if [ "$host" = 1 ]; then
		blocked "frames to the old MAC filtered" \
			"$(rx_from_host "$dev" "$mac" 0 10.213.0.99 $N)"
	else
		ok "frames to the old MAC filtered # SKIP no host helper"
	fi
	mac_reached "$dev" "$mac" "MAC back to $mac"

	if [ "$host" = 0 ]; then
		vlan=0
		ok "VLAN 100 added # SKIP no host helper"
		ok "VLAN 100 killed # SKIP no host helper"
	elif ! load_8021q; then
		vlan=0
		ok "VLAN 100 added # SKIP no 8021q module in /vtio/extra"
		ok "VLAN 100 killed # SKIP no 8021q module in /vtio/extra"
	fi
	if [ "$vlan" = 1 ]; then
		if ip link add link "$dev" name "$dev.100" type vlan id 100 &&
		   ip link set "$dev.100" up; then
			passes "VLAN 100 added: its tagged frames arrive" \
				"$(rx_from_host "$dev" "$mac" 100 10.214.0.2 $N)"
		else
			not_ok "VLAN 100 added: its tagged frames arrive" "cannot create $dev.100"
		fi
		ip link del "$dev.100"
		blocked "VLAN 100 killed: its tagged frames filtered" \
			"$(rx_from_host "$dev" "$mac" 100 10.214.0.2 $N)"
	fi

	# LRO = the device's guest TSO: frames far above the MTU while on.
	# The VLAN above switched it off (an upper device without LRO turns it
	# off below), so "off" here is still switchable; "[fixed]" is not.
	if ethtool -k "$dev" | grep -Eq '^large-receive-offload: (on|off)$'; then
		if ethtool -K "$dev" lro off && n="$(frame_size "$dev")" &&
		   [ "$n" -le 1514 ]; then
			ok "ethtool -K lro off: frames of $n bytes on average"
		else
			not_ok "ethtool -K lro off: no coalesced frames" "average ${n:-?} bytes"
		fi
		if ethtool -K "$dev" lro on && n="$(frame_size "$dev")" &&
		   [ "$n" -gt 3000 ]; then
			ok "ethtool -K lro on: coalesced frames of $n bytes on average"
		else
			not_ok "ethtool -K lro on: coalesced frames" "average ${n:-?} bytes"
		fi
	else
		ok "ethtool -K lro off # SKIP no switchable LRO"
		ok "ethtool -K lro on # SKIP no switchable LRO"
	fi

	if [ "$host" = 1 ]; then
		cfg="$(irq_sum "$v-config")"
		host_req set_link off
		if carrier_is "$dev" 0; then
			ok "set_link off: carrier down (config interrupts $cfg -> $(irq_sum "$v-config"))"
		else
			not_ok "set_link off: carrier down" "carrier $(cat "/sys/class/net/$dev/carrier")"
		fi
		host_req set_link on
		if carrier_is "$dev" 1 && [ "$(irq_sum "$v-config")" -ge $((cfg + 2)) ] &&
		   ping_ok 10 56; then
			ok "set_link on: carrier up, 2 config interrupts, traffic flows"
		else
			not_ok "set_link on: carrier up, 2 config interrupts, traffic flows" \
				"carrier $(cat "/sys/class/net/$dev/carrier"), config interrupts $cfg -> $(irq_sum "$v-config")"
		fi
	else
		ok "set_link off # SKIP no host helper (QEMU monitor)"
		ok "set_link on # SKIP no host helper (QEMU monitor)"
	fi

	if [ "$host" = 1 ] && has_feature "$dev" GUEST_ANNOUNCE; then
		cfg="$(irq_sum "$v-config")"
		n="$(cat "/sys/class/net/$dev/statistics/tx_packets")"
		host_req announce
		sleep 3		# QEMU announces in 5 rounds over ~1.5 s
		if [ "$(irq_sum "$v-config")" -gt "$cfg" ] &&
		   [ "$(cat "/sys/class/net/$dev/statistics/tx_packets")" -gt "$n" ] &&
		   ! dmesg | grep -q 'failed to acknowledge'; then
			ok "announce_self: config interrupt, announcement sent and acknowledged"
		else
			not_ok "announce_self: config interrupt, announcement sent and acknowledged" \
				"config interrupts $cfg -> $(irq_sum "$v-config")"
		fi
	else
		ok "announce_self # SKIP no host helper or no GUEST_ANNOUNCE"
	fi
}
