#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# net-bench.sh: side-by-side TCP throughput of the in-tree virtio_net stack
# (virtio_pci + virtio_net from the guest kernel's own package) and ours
# (virtio_pci_modern + virtio_net_mq), in the same QEMU configurations, one
# guest after the other. Reports; asserts nothing.
#
# Matrix: split / packed ring x 1 / 4 queue pairs x guest->host (tx) /
# host->guest (rx), iperf3 with the same number of parallel flows
# everywhere. Each configuration boots one guest per stack and runs
# selftests/test_mqbench.sh in it.
#
# Environment:
#   KERNEL=6.1|6.12    guest kernel (default 6.1)
#   SECS=10            seconds per iperf3 direction
#   STREAMS=4          parallel TCP flows
#   PAIRS="1 4"        queue pair counts
#   RINGS="split packed"
#   STACKS="intree ours"
#   REPEAT=1           guests per stack and configuration; the table shows
#                      the median (other QEMUs on the machine add noise)
#
# Prints a table: Gbit/s of each stack and the ratio ours / in-tree. The
# guests' logs are .cache/logs/bench-*.{log,ktap}. Under TCG (no KVM) the
# numbers measure the guest's CPU cost per byte more than anything else;
# compare them with each other, not with real hardware.
set -uo pipefail
VM_DIR="$(cd "$(dirname "$0")/../vm" && pwd)"
. "$VM_DIR/lib.sh"

KERNEL="${KERNEL:-6.1}"
SECS="${SECS:-10}"
STREAMS="${STREAMS:-4}"
PAIRS="${PAIRS:-1 4}"
RINGS="${RINGS:-split packed}"
STACKS="${STACKS:-intree ours}"
REPEAT="${REPEAT:-1}"

"$VM_DIR/setup-deps.sh" || die "setup-deps.sh failed"
abi="$(abi_of "$KERNEL")"
mkdir -p "$CACHE/logs" "$CACHE/bench"

log "building our modules for $abi"
"$VM_DIR/build-modules.sh" "$KERNEL" >"$CACHE/logs/bench-build.log" 2>&1 ||
	die "module build failed (see $CACHE/logs/bench-build.log)"
# One initramfs for both stacks: ours under /vtio, the in-tree modules
# under /intree (the harness's DEBUG layout); vtio.intree=1 picks.
initrd="$CACHE/bench/initramfs-$abi.cpio.gz"
VTIO_DEBUG_INTREE=1 "$VM_DIR/mkinitramfs.sh" "$KERNEL" "$initrd" \
	>>"$CACHE/logs/bench-build.log" 2>&1 || die "initramfs failed"

# median V...: the middle value ("-" when there is none).
median() {
	printf '%s\n' "$@" | grep -v '^-$' | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# res[STACK,RING,PAIRS,DIR]: Gbit/s of every run, space separated; "-"
# for a run without a result.
declare -A res
run_one() {
	local stack="$1" ring="$2" pairs="$3" rep="$4" name opts rc=0 v dir got=""
	name="bench-$KERNEL-$stack-$ring-$pairs-$rep"
	opts=""
	[ "$pairs" -gt 1 ] && opts="mq=on,vectors=$((2 * pairs + 2))"
	[ "$ring" = packed ] && opts="${opts:+$opts,}packed=on"
	VTIO_DEBUG_INTREE=$([ "$stack" = intree ] && echo 1 || echo 0) \
		"$VM_DIR/run-qemu.sh" --kernel "$KERNEL" --initrd "$initrd" \
		--name "$name" --device-opts "${opts:--}" --queues "$pairs" \
		--tests "load,mqbench=$SECS:$pairs:$STREAMS" \
		--timeout $((SECS * 3 + 180)) >/dev/null 2>&1 || rc=$?
	for dir in tx rx; do
		v="$(sed -n "s/^# bench $dir: \([0-9.]*\).*/\1/p" "$CACHE/logs/$name.ktap" 2>/dev/null | head -n 1)"
		if [ -n "$v" ] && [ "$v" != 0 ]; then
			v="$(awk "BEGIN { printf \"%.2f\", $v / 1000 }")"
		else
			v="-"
		fi
		res[$stack,$ring,$pairs,$dir]="${res[$stack,$ring,$pairs,$dir]:-} $v"
		got="$got $dir $v"
	done
	log "$name: exit $rc,$got Gbit/s"
}

# Stacks take turns, so slow phases of the machine hit both alike.
for rep in $(seq 1 "$REPEAT"); do
	for ring in $RINGS; do
		for pairs in $PAIRS; do
			for stack in $STACKS; do
				run_one "$stack" "$ring" "$pairs" "$rep"
			done
		done
	done
done

echo
echo "TCP throughput, Gbit/s: kernel $abi, QEMU TCG -smp 2, tap vhost=off,"
echo "iperf3 $STREAMS flows x ${SECS}s per direction, median of $REPEAT run(s);"
echo "tx = guest->host, rx = host->guest"
printf '%-7s %-6s %-3s %9s %9s %7s\n' ring pairs dir in-tree ours ratio
for ring in $RINGS; do
	for pairs in $PAIRS; do
		for dir in tx rx; do
			# shellcheck disable=SC2086 # one word per run
			a="$(median ${res[intree,$ring,$pairs,$dir]:--})"
			# shellcheck disable=SC2086
			b="$(median ${res[ours,$ring,$pairs,$dir]:--})"
			r="-"
			if [ "$a" != - ] && [ "$b" != - ]; then
				r="$(awk "BEGIN { printf \"%.2f\", $b / $a }")"
			fi
			printf '%-7s %-6s %-3s %9s %9s %7s\n' "$ring" "$pairs" "$dir" "$a" "$b" "$r"
		done
	done
done
