# SPDX-License-Identifier: GPL-2.0
#
# Guest-side library for the vtio selftests (busybox sh). Source, don't run.
#
# KTAP output: run.sh prints the header and plan; tests print results with
# ok/not_ok (numbered globally through a counter file) and diagnostics with
# diag. A test file defines plan() (echo its number of results for its
# arguments) and run() (print exactly that many results).

VTIO_DIR=/vtio
HOST_IP=10.213.0.1
GUEST_IP=10.213.0.2
# The NIC's transport (vtio.transport=, exported by guest/init): pci, a
# virtio-net-pci function (q35), or mmio, a virtio-mmio platform device
# described by ACPI (microvm). Only that transport's module is loaded.
VTIO_TRANSPORT="${VTIO_TRANSPORT:-pci}"
if [ "$VTIO_TRANSPORT" = mmio ]; then
	VTIO_TRANSPORT_MODULE=virtio_mmio_msi
	VTIO_OTHER_TRANSPORT=virtio_pci_modern
	NIC_BUS=platform
	INTREE_TRANSPORT=virtio-mmio		# the in-tree driver's name
	INTREE_LOAD_TRANSPORT=virtio_mmio
else
	VTIO_TRANSPORT_MODULE=virtio_pci_modern
	VTIO_OTHER_TRANSPORT=virtio_mmio_msi
	NIC_BUS=pci
	INTREE_TRANSPORT=virtio-pci
	INTREE_LOAD_TRANSPORT="virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci"
fi
# Load order; unload is the reverse.
VTIO_MODULES="virtio_ring_packed $VTIO_TRANSPORT_MODULE virtio_net_mq"
# Parameters for the transport module (test_load.sh writes them).
TRANSPORT_ARGS_FILE=/tmp/transport.args
# The in-tree virtio stack: must never be loaded in a real test run.
INTREE_MODULES="virtio virtio_ring virtio_pci virtio_mmio virtio_net virtio_pci_modern_dev virtio_pci_legacy_dev"
# DEBUG (vtio.intree=1) load order of the in-tree modules, where modular.
INTREE_LOAD="virtio_ring virtio $INTREE_LOAD_TRANSPORT failover net_failover virtio_net"

KTAP_COUNTER=/tmp/ktap.n

# --- KTAP -----------------------------------------------------------------

ktap_next() {
	local n
	n=$(($(cat "$KTAP_COUNTER" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$KTAP_COUNTER"
	echo "$n"
}
ktap_count() { cat "$KTAP_COUNTER" 2>/dev/null || echo 0; }

# ok NAME / not_ok NAME [REASON] / diag TEXT...
ok() { echo "ok $(ktap_next) ${TEST_PREFIX:-}$1"; }
not_ok() { echo "not ok $(ktap_next) ${TEST_PREFIX:-}$1${2:+ # $2}"; }
diag() { echo "# $*"; }

# check NAME CMD...: one result from a command's exit status.
check() {
	local name="$1"
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# --- modules ----------------------------------------------------------------

module_loaded() { grep -q "^$1 " /proc/modules; }

# module_args MODULE: its insmod parameters (only the transport has any).
module_args() {
	[ "$1" = "$VTIO_TRANSPORT_MODULE" ] && cat "$TRANSPORT_ARGS_FILE" 2>/dev/null
	return 0
}

# load_modules: insmod the project's modules in order (one result each).
load_modules() {
	local m out args
	for m in $VTIO_MODULES; do
		args="$(module_args "$m")"
		# shellcheck disable=SC2086 # one word per parameter
		if out=$(insmod "$VTIO_DIR/$m.ko" $args 2>&1); then
			ok "insmod $m${args:+ $args}"
		else
			not_ok "insmod $m${args:+ $args}" "$(echo "$out" | tail -n 1)"
		fi
	done
}

# insmod_all / rmmod_all: load in order / unload in reverse order, as one
# step: every failure becomes a diagnostic, the status says if any failed.
insmod_all() {
	local m out args rc=0
	for m in $VTIO_MODULES; do
		args="$(module_args "$m")"
		# shellcheck disable=SC2086 # one word per parameter
		out=$(insmod "$VTIO_DIR/$m.ko" $args 2>&1) ||
			{ diag "insmod $m${args:+ $args}: $out"; rc=1; }
	done
	return $rc
}
rmmod_all() {
	local m out rc=0 list=""
	for m in $VTIO_MODULES; do list="$m $list"; done
	for m in $list; do
		out=$(rmmod "$m" 2>&1) || { diag "rmmod $m: $out"; rc=1; }
	done
	return $rc
}

# DEBUG only: the kernel's own virtio stack (built-in parts are skipped).
load_intree_modules() {
	local m
	for m in $INTREE_LOAD; do
		[ -f "/intree/$m.ko" ] && insmod "/intree/$m.ko"
	done
	return 0
}

# --- the NIC ----------------------------------------------------------------

# nic_pci: the PCI address of the virtio-net function (1af4:1041 modern, or
# 1af4:1000 transitional with subsystem device 1 = net).
nic_pci() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] || continue
		case "$(cat "$d/device")" in
		0x1041) basename "$d"; return 0 ;;
		0x1000) [ "$(cat "$d/subsystem_device")" = 0x0001 ] &&
			{ basename "$d"; return 0; } ;;
		esac
	done
	return 1
}

# pci_driver ADDR: name of the bound driver, empty when unbound.
pci_driver() {
	local l=/sys/bus/pci/devices/$1/driver
	[ -e "$l" ] && basename "$(readlink -f "$l")"
	return 0
}

# nic_mmio: the virtio-mmio platform device of the NIC, as ACPI describes
# it (LNRO0005:NN; QEMU's microvm lists only the transports in use, and the
# scenarios plug in one device, the NIC).
nic_mmio() {
	local d
	for d in /sys/bus/platform/devices/LNRO0005:*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

# nic_dev: the NIC's device on its transport's bus (NIC_BUS).
nic_dev() {
	if [ "$VTIO_TRANSPORT" = mmio ]; then nic_mmio; else nic_pci; fi
}

# nic_driver ADDR: the driver bound to the NIC's device, empty when unbound.
nic_driver() {
	local l=/sys/bus/$NIC_BUS/devices/$1/driver
	[ -e "$l" ] && basename "$(readlink -f "$l")"
	return 0
}

# takeover ADDR: take the NIC from the in-tree transport driver the way a
# user would (6.12 has virtio-pci built in): unbind, then driver_override
# so that only our transport may bind it (when it is loaded, or via
# drivers_probe). The in-tree virtio-mmio is a module in both kernels and
# not in the initramfs, so it never holds the NIC here.
takeover() {
	local a="$1" drv
	drv="$(nic_driver "$a")"
	[ "$drv" = "$INTREE_TRANSPORT" ] || return 0
	diag "taking $a over from the in-tree $INTREE_TRANSPORT"
	echo "$a" >"/sys/bus/$NIC_BUS/drivers/$INTREE_TRANSPORT/unbind" || return 1
	echo "$VTIO_TRANSPORT_MODULE" >"/sys/bus/$NIC_BUS/devices/$a/driver_override" || return 1
}

# netdev_bus NETDEV: the bus of the netdev's parent device.
netdev_bus() {
	local s=/sys/class/net/$1/device/subsystem
	[ -e "$s" ] && basename "$(readlink -f "$s")"
}

# find_netdev [SECONDS]: wait for the netdev whose parent sits on bus vtio
# (bus virtio in DEBUG in-tree mode) and print its name.
find_netdev() {
	local tries=$((${1:-10} * 10)) n bus=vtio
	[ "${VTIO_INTREE:-}" = 1 ] && bus=virtio
	while [ "$tries" -gt 0 ]; do
		for n in /sys/class/net/*; do
			n="$(basename "$n")"
			if [ "$(netdev_bus "$n")" = "$bus" ]; then
				echo "$n"
				return 0
			fi
		done
		usleep 100000
		tries=$((tries - 1))
	done
	return 1
}

# net_up NETDEV: address it, bring it up, wait for carrier (10 s).
net_up() {
	local dev="$1" i
	ip addr flush dev "$dev" 2>/dev/null
	ip addr add "$GUEST_IP/24" dev "$dev" || return 1
	ip link set "$dev" up || return 1
	for i in $(seq 100); do
		[ "$(cat "/sys/class/net/$dev/carrier" 2>/dev/null)" = 1 ] && return 0
		usleep 100000
	done
	diag "$dev: no carrier after 10 s"
	return 1
}

# vtio_dev NETDEV: sysfs directory of the netdev's vtio device.
vtio_dev() { readlink -f "/sys/class/net/$1/device"; }

# --- traffic and interrupts -------------------------------------------------

# ping_ok COUNT SIZE: COUNT pings of SIZE bytes at 10 ms, all answered.
ping_ok() {
	local out
	out="$(ping -c "$1" -s "$2" -i 0.01 -W 5 -w $(($1 / 5 + 30)) "$HOST_IP" 2>&1)"
	echo "$out" | grep -E 'packets transmitted|round-trip' | sed 's/^/# /'
	echo "$out" | grep -q "^$1 packets transmitted, $1 packets received, 0% packet loss"
}

# iperf_mbps ARGS...: run an iperf3 client to the host; print the receiver's
# bitrate in Mbit/s (fails when there is no receiver line).
iperf_mbps() {
	local out
	out="$(timeout 90 iperf3 -c "$HOST_IP" --connect-timeout 5000 "$@" 2>&1)"
	echo "$out" | awk '
		/receiver/ {
			for (i = 2; i <= NF; i++) if ($i ~ /bits\/sec$/) {
				v = $(i - 1); u = $i
				if (u ~ /^Gbits/) v *= 1000
				else if (u ~ /^Kbits/) v /= 1000
				else if (u ~ /^bits/) v /= 1000000
				printf "%.2f\n", v; found = 1; exit
			}
		}
		END { exit !found }' || { echo "$out" | tail -n 5 | sed 's/^/# iperf3: /' >&2; return 1; }
}

# irq_sum NAME...: total count over all CPUs of the /proc/interrupts lines
# carrying any of the names (a shared line lists "a, b").
irq_sum() {
	awk -v names="$*" '
		NR == 1 { ncpu = NF; next }
		{
			hit = 0
			n = split(names, want, " ")
			for (i = 1; i <= n; i++) {
				line = $0 ","
				if (index(line, " " want[i] ",") || index(line, " " want[i] " ")) hit = 1
			}
			if (!hit) next
			for (i = 2; i <= ncpu + 1; i++) sum += $i
		}
		END { print sum + 0 }' /proc/interrupts
}

# irq_has NAME: /proc/interrupts has a line for NAME.
irq_has() {
	awk -v name="$1" '{ line = $0 "," } index(line, " " name ",") || index(line, " " name " ") { f = 1 } END { exit !f }' /proc/interrupts
}

# feature_bit NAME: virtio-net / device-independent feature bit numbers.
feature_bit() {
	case "$1" in
	CSUM) echo 0 ;; GUEST_CSUM) echo 1 ;; CTRL_GUEST_OFFLOADS) echo 2 ;;
	MTU) echo 3 ;; MAC) echo 5 ;; GUEST_TSO4) echo 7 ;; GUEST_TSO6) echo 8 ;;
	GUEST_ECN) echo 9 ;; GUEST_UFO) echo 10 ;; HOST_TSO4) echo 11 ;;
	HOST_TSO6) echo 12 ;; HOST_ECN) echo 13 ;; HOST_UFO) echo 14 ;;
	MRG_RXBUF) echo 15 ;; STATUS) echo 16 ;; CTRL_VQ) echo 17 ;;
	CTRL_RX) echo 18 ;; CTRL_VLAN) echo 19 ;; GUEST_ANNOUNCE) echo 21 ;;
	MQ) echo 22 ;; CTRL_MAC_ADDR) echo 23 ;; INDIRECT_DESC) echo 28 ;;
	EVENT_IDX) echo 29 ;; VERSION_1) echo 32 ;; ACCESS_PLATFORM) echo 33 ;;
	RING_PACKED) echo 34 ;; IN_ORDER) echo 35 ;; RING_RESET) echo 40 ;;
	[0-9]*) echo "$1" ;;
	*) return 1 ;;
	esac
}
