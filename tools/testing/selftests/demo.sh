#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: bring the NIC up on the project's modules and show it working.
. /vtio/tests/lib.sh

a="$(nic_dev)" && takeover "$a"
for m in $VTIO_MODULES; do
	echo "+ insmod $m.ko"
	insmod "$VTIO_DIR/$m.ko" || echo "insmod $m failed"
done
dev="$(find_netdev 15)" || { echo "no vtio netdev appeared"; exit 1; }
net_up "$dev"
show() { echo; echo "+ $*"; "$@" 2>&1; }
show ethtool -i "$dev"
show ip addr show dev "$dev"
show ping -c 5 "$HOST_IP"
show iperf3 -c "$HOST_IP" -t 3
show iperf3 -c "$HOST_IP" -t 3 -R
echo; echo "+ grep vtio /proc/interrupts"; grep vtio /proc/interrupts
show ethtool -S "$dev"
echo; echo "demo done, powering off"
