#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh [options]: boot one QEMU (TCG) guest on a virtio-net-pci NIC
# whose tap sits in a private network namespace with an iperf3 server.
#
#   -k, --kernel 6.1|6.12|ABI   guest kernel (default 6.1)
#   -i, --initrd FILE           initramfs (default: build one for the kernel)
#   -n, --name NAME             scenario name: logs go to .cache/logs/NAME.*
#   -d, --device-opts OPTS      extra virtio-net-pci options ("vectors=0,...")
#   -q, --queues N              tap queues (default 1; >1 needs mq=on in OPTS)
#   -t, --tests LIST            guest test list (selftests/run.sh syntax)
#   -m, --mode test|demo        guest mode (default test)
#   -T, --timeout SECONDS       kill QEMU after this long (default 300)
#   -a, --append ARGS           extra kernel command line
#   -l, --live                  stream the console to stdout while it runs
#
# Outputs .cache/logs/NAME.log (full serial console, ttyS0) and
# .cache/logs/NAME.ktap (ttyS1: the guest's KTAP output and dmesg dump).
# Exit status is QEMU's; 124 means the timeout killed it.
#
# Host addresses: 10.213.0.1/24 on the tap, inside the namespace only;
# the guest is 10.213.0.2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=6.1 initrd="" name="" opts="" queues=1 tests="" mode=test
timeout=300 append="" live=0
while [ $# -gt 0 ]; do
	case "$1" in
	-k|--kernel) kernel="$2"; shift ;;
	-i|--initrd) initrd="$2"; shift ;;
	-n|--name) name="$2"; shift ;;
	-d|--device-opts) opts="$2"; shift ;;
	-q|--queues) queues="$2"; shift ;;
	-t|--tests) tests="$2"; shift ;;
	-m|--mode) mode="$2"; shift ;;
	-T|--timeout) timeout="$2"; shift ;;
	-a|--append) append="$2"; shift ;;
	-l|--live) live=1 ;;
	-h|--help) sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
[ "$opts" = - ] && opts=""

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
cmdline+=" vtio.mode=$mode"
[ -n "$tests" ] && cmdline+=" vtio.tests=$tests"
# KFENCE where the kernel has it (Debian 6.12): sample every 10 ms.
if grep -q '^CONFIG_KFENCE=y' "$(kernel_root "$abi")/boot/config-$abi"; then
	cmdline+=" kfence.sample_interval=10"
fi
[ "${VTIO_DEBUG_INTREE:-0}" = 1 ] && cmdline+=" vtio.intree=1"
[ -n "$append" ] && cmdline+=" $append"

# A private network namespace: name unique per run, removed on exit.
ns="vtio-$$-$(echo "$name" | tr -c 'A-Za-z0-9_.\n-' '_')"
ns="${ns:0:60}"
iperf_pid="" tail_pid=""
cleanup() {
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null || true
	[ -n "$iperf_pid" ] && kill "$iperf_pid" 2>/dev/null || true
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

netdev="tap,id=n0,ifname=vtap0,script=no,downscript=no,vhost=off,queues=$queues"
device="virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56${opts:+,$opts}"

qemu=(qemu-system-x86_64 -M q35 -accel tcg -smp 2 -m 1024
	-nodefaults -display none -no-reboot
	-kernel "$vmlinuz" -initrd "$initrd" -append "$cmdline"
	-serial "file:$log_file" -serial "file:$ktap_file"
	-netdev "$netdev" -device "$device")

log "boot $name: kernel $abi, device $device"
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
