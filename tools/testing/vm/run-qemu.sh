#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh [options]: boot one QEMU (TCG) guest on a virtio-net NIC
# whose tap sits in a private network namespace with an iperf3 server.
#
#   -k, --kernel 6.1|6.12|ABI   guest kernel (default 6.1)
#   -i, --initrd FILE           initramfs (default: build one for the kernel)
#   -n, --name NAME             scenario name: logs go to .cache/logs/NAME.*
#   -M, --machine q35|microvm   q35 (default): virtio-net-pci, driven by
#                               virtio_pci_modern; microvm: virtio-net-device
#                               on a virtio-mmio transport described by ACPI
#                               (LNRO0005), driven by virtio_mmio_msi
#   -V, --mmio-version 1|2      microvm only: the transport's Version, 1 =
#                               legacy (QEMU's default), 2 = virtio 1.x
#                               (virtio-mmio.force-legacy=false); default 2
#   -d, --device-opts OPTS      extra options of the virtio-net device
#                               ("vectors=0,...", "packed=on,...")
#   -q, --queues N              tap queues (default 1; >1 needs mq=on in OPTS)
#   -t, --tests LIST            guest test list (selftests/run.sh syntax)
#   -m, --mode test|demo        guest mode (default test)
#   -T, --timeout SECONDS       kill QEMU after this long (default 300)
#   -a, --append ARGS           extra kernel command line
#   -l, --live                  stream the console to stdout while it runs
#
# Outputs .cache/logs/NAME.log (full serial console, ttyS0) and
# .cache/logs/NAME.ktap (ttyS1: the guest's KTAP output and dmesg dump),
# .cache/logs/NAME.qemu.log (QEMU's stderr) and NAME.guest-errors.log
# (QEMU's -d guest_errors,unimp: a register access the device does not
# implement, e.g. a legacy-only register on a Version 2 transport),
# NAME.monitor.log (what QEMU's monitor answered) and NAME.hostctl.log
# (hostctl.sh: the host's half of tests that need the host to act, e.g.
# send frames from the tap or "set_link" on the monitor).
# Exit status is QEMU's; 124 means the timeout killed it.
#
# Host addresses: 10.213.0.1/24 on the tap, inside the namespace only;
# the guest is 10.213.0.2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=6.1 initrd="" name="" opts="" queues=1 tests="" mode=test
timeout=300 append="" live=0 machine=q35 mmio_version=2
while [ $# -gt 0 ]; do
	case "$1" in
	-k|--kernel) kernel="$2"; shift ;;
	-i|--initrd) initrd="$2"; shift ;;
	-n|--name) name="$2"; shift ;;
	-M|--machine) machine="$2"; shift ;;
	-V|--mmio-version) mmio_version="$2"; shift ;;
	-d|--device-opts) opts="$2"; shift ;;
	-q|--queues) queues="$2"; shift ;;
	-t|--tests) tests="$2"; shift ;;
	-m|--mode) mode="$2"; shift ;;
	-T|--timeout) timeout="$2"; shift ;;
	-a|--append) append="$2"; shift ;;
	-l|--live) live=1 ;;
	-h|--help) sed -n '3,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
[ "$opts" = - ] && opts=""
case "$machine" in
q35) ;;
microvm)
	case "$mmio_version" in 1|2) ;; *) die "--mmio-version: 1 or 2, not '$mmio_version'" ;; esac ;;
*) die "--machine: q35 or microvm, not '$machine'" ;;
esac

abi="$(abi_of "$kernel")"
vmlinuz="$(vmlinuz_of "$abi")"
[ -f "$vmlinuz" ] || die "no $vmlinuz: run setup-deps.sh"
name="${name:-$mode-$kernel}"
logs="$CACHE/logs"
mkdir -p "$logs"
log_file="$logs/$name.log"
ktap_file="$logs/$name.ktap"
rm -f "$log_file" "$ktap_file"

if [ -z "$initrd" ]; then
	initrd="$CACHE/initramfs-$abi.cpio.gz"
	"$VM_DIR/mkinitramfs.sh" "$abi" "$initrd"
fi

cmdline="console=ttyS0 loglevel=5 panic=-1 net.ifnames=0 mitigations=off"
cmdline+=" vtio.mode=$mode vtio.hostctl=1"
[ -n "$tests" ] && cmdline+=" vtio.tests=$tests"
# KFENCE where the kernel has it (Debian 6.12): sample every 10 ms.
if grep -q '^CONFIG_KFENCE=y' "$(kernel_root "$abi")/boot/config-$abi"; then
	cmdline+=" kfence.sample_interval=10"
fi
[ "${VTIO_DEBUG_INTREE:-0}" = 1 ] && cmdline+=" vtio.intree=1"
# microvm: the guest loads virtio_mmio_msi. microvm has no HPET and no
# ACPI PM timer, so when calibrating the TSC against the PIT fails, as it
# does now and then under TCG on a busy host, the guest hangs at boot: tell
# it the rate. TCG's TSC runs at the host's rate; a wrong one makes the
# guest's clock run fast or slow (2 GHz when the host does not say).
if [ "$machine" = microvm ]; then
	tsc_khz="$(awk -F': *' '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)"
	cmdline+=" tsc_early_khz=${tsc_khz:-2000000} no_timer_check vtio.transport=mmio"
fi
[ -n "$append" ] && cmdline+=" $append"

# A private network namespace: name unique per run, removed on exit.
ns="vtio-$$-$(echo "$name" | tr -c 'A-Za-z0-9_.\n-' '_')"
ns="${ns:0:60}"
# The QEMU monitor on a pair of FIFOs ("-chardev pipe" opens MON.in and
# MON.out), so hostctl.sh can type commands at it.
mon="$logs/$name.mon"
iperf_pid="" tail_pid="" drain_pid="" hostctl_pid=""
cleanup() {
	local p
	for p in "$tail_pid" "$iperf_pid" "$hostctl_pid" "$drain_pid"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null || true
	done
	rm -f "$mon.in" "$mon.out" "$mon.link" "$mon.lock"
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
# QEMU asks for a multi-queue tap only when queues > 1, and the kernel
# insists the flags match, so create the tap the same way.
mq=""
[ "$queues" -gt 1 ] && mq=multi_queue
ip netns exec "$ns" ip tuntap add dev vtap0 mode tap $mq
ip -n "$ns" addr add 10.213.0.1/24 dev vtap0
ip -n "$ns" link set vtap0 up

# The iperf3 server lives no longer than the guest may.
ip netns exec "$ns" timeout "$((timeout + 30))" \
	iperf3 -s -B 10.213.0.1 >"$logs/$name.iperf3.log" 2>&1 &
iperf_pid=$!

# The monitor's replies must be read or QEMU blocks on a full FIFO; the
# open for reading waits until QEMU opens the write end.
rm -f "$mon.in" "$mon.out"
mkfifo "$mon.in" "$mon.out"
cat "$mon.out" >"$logs/$name.monitor.log" &
drain_pid=$!
touch "$ktap_file"
# rss=on: QEMU 7.2's software RSS can park a tap queue (see hostctl.sh).
unpark=0
case ",$opts," in *,rss=on,*) unpark=2 ;; esac
ip netns exec "$ns" "$VM_DIR/hostctl.sh" "$ktap_file" "$mon" $$ "$unpark" \
	>"$logs/$name.hostctl.log" 2>&1 &
hostctl_pid=$!

netdev="tap,id=n0,ifname=vtap0,script=no,downscript=no,vhost=off,queues=$queues"
errors_file="$logs/$name.guest-errors.log"
rm -f "$errors_file"
if [ "$machine" = microvm ]; then
	# microvm's own ISA serial port is ttyS0; the KTAP port (ttyS1) is a
	# second isa-serial at the legacy COM2 address, which the 8250 driver
	# probes. ACPI describes the virtio-mmio transports (_HID LNRO0005).
	device="virtio-net-device,netdev=n0,mac=52:54:00:12:34:56${opts:+,$opts}"
	qemu=(qemu-system-x86_64 -M "microvm,acpi=on")
	[ "$mmio_version" = 2 ] && qemu+=(-global virtio-mmio.force-legacy=false)
	serial=(-serial "file:$log_file"
		-chardev "file,id=ktap,path=$ktap_file"
		-device "isa-serial,chardev=ktap,iobase=0x2f8,irq=3")
	what="microvm, virtio-mmio Version $mmio_version, device $device"
else
	device="virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56${opts:+,$opts}"
	qemu=(qemu-system-x86_64 -M q35)
	serial=(-serial "file:$log_file" -serial "file:$ktap_file")
	what="q35, device $device"
fi
qemu+=(-accel tcg -smp 2 -m 1024
	-nodefaults -display none -no-reboot
	-kernel "$vmlinuz" -initrd "$initrd" -append "$cmdline"
	"${serial[@]}" -d "guest_errors,unimp" -D "$errors_file"
	-chardev "pipe,id=mon0,path=$mon" -mon chardev=mon0,mode=readline
	-netdev "$netdev" -device "$device")

log "boot $name: kernel $abi, $what"
echo "${qemu[*]}" >"$logs/$name.cmd"

if [ "$live" = 1 ]; then
	touch "$log_file"
	tail -n +1 -F "$log_file" 2>/dev/null &
	tail_pid=$!
fi

start=$SECONDS
rc=0
ip netns exec "$ns" timeout --kill-after=10 "$timeout" "${qemu[@]}" \
	</dev/null >"$logs/$name.qemu.log" 2>&1 || rc=$?
if [ "$live" = 1 ]; then
	sleep 0.5
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "$name: TIMEOUT after ${timeout}s"
	echo "VTIO-HOST: QEMU killed after ${timeout}s timeout" >>"$log_file"
	rc=124
elif [ "$rc" != 0 ]; then
	log "$name: QEMU exited with $rc: $(tail -n 3 "$logs/$name.qemu.log")"
fi
log "$name: guest ran $((SECONDS - start)) s"
exit "$rc"
