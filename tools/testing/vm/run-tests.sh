#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh: what `make test` runs.
#   1. setup-deps.sh (packages, headers, guest kernels, checkpatch)
#   2. build the modules for every guest kernel the scenarios need
#   3. one initramfs per kernel
#   4. every scenario of tools/testing/vm/scenarios in a QEMU guest
#   5. tools/vtio-sim/run.sh when present (userspace unit tests)
# Counts each KTAP result, plus one "dmesg clean" and one "QEMU clean"
# result per scenario, and ends with the line "N passed, N failed, N
# skipped" (a KTAP "ok ... # SKIP" is skipped, not passed). Exits 0 only
# when nothing failed.
#
# Environment:
#   VTIO_DEBUG_INTREE=1                  DEBUG the harness itself: guests load
#                                        the kernel's own virtio modules
#                                        (most tests then fail on purpose)
#   SCENARIOS="default-6.1 reload-6.1"   run a subset (names or globs)
#   SKIP_SIM=1                           do not run tools/vtio-sim/run.sh
#   SCENARIO_FILE=path                   another scenario table (default: scenarios)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

SCENARIO_FILE="${SCENARIO_FILE:-$VM_DIR/scenarios}"
LOGS="$CACHE/logs"
# dmesg lines that fail a scenario (extended regex, case-sensitive).
BAD_DMESG='WARNING:|(^|[^A-Za-z])BUG:|kernel BUG at|Oops|list_add corruption|list_del corruption|hung task|KFENCE|UBSAN|general protection|Kernel panic|Call Trace:'

passed=0
failed=0
skipped=0
summary=()
wall_start=$SECONDS

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

finish() {
	echo
	echo "==================== summary ===================="
	printf '%s\n' "${summary[@]}"
	echo "wall time: $((SECONDS - wall_start)) s"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

# --- 1. dependencies ----------------------------------------------------------
if ! "$VM_DIR/setup-deps.sh"; then
	fail "setup-deps.sh"
	summary+=("setup-deps: FAILED")
	finish
fi

# --- scenario selection -----------------------------------------------------
rows=()
while read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	rows+=("$line")
done <"$SCENARIO_FILE"

selected=()
if [ -n "${SCENARIOS:-}" ]; then
	for want in ${SCENARIOS//,/ }; do
		hit=0
		for row in "${rows[@]}"; do
			# shellcheck disable=SC2053 # glob match on purpose
			if [[ "${row%% *}" == $want ]]; then selected+=("$row"); hit=1; fi
		done
		[ "$hit" = 1 ] || { fail "no scenario matches '$want'"; summary+=("unknown scenario '$want'"); }
	done
else
	selected=("${rows[@]}")
fi

# --- 2 + 3. builds and initramfs per kernel ------------------------------------
declare -A initrd build_ok
for row in "${selected[@]}"; do
	read -r _ kernel _ <<<"$row"
	[ -n "${build_ok[$kernel]:-}" ] && continue
	abi="$(abi_of "$kernel")"
	t0=$SECONDS
	echo "==== build $kernel ($abi)"
	mkdir -p "$LOGS"
	if "$VM_DIR/build-modules.sh" "$kernel" >"$LOGS/build-$kernel.log" 2>&1; then
		initrd[$kernel]="$CACHE/initramfs-$abi.cpio.gz"
		if "$VM_DIR/mkinitramfs.sh" "$kernel" "${initrd[$kernel]}" >>"$LOGS/build-$kernel.log" 2>&1; then
			build_ok[$kernel]=1
			pass
			summary+=("build $kernel: ok ($((SECONDS - t0)) s)")
		else
			build_ok[$kernel]=0
			fail "initramfs for $kernel (see $LOGS/build-$kernel.log)"
			tail -n 20 "$LOGS/build-$kernel.log"
			summary+=("build $kernel: initramfs FAILED")
		fi
	else
		build_ok[$kernel]=0
		fail "module build for $kernel (see $LOGS/build-$kernel.log)"
		grep -E 'error|ERROR|warning|BUILD FAILED' "$LOGS/build-$kernel.log" | head -n 40
		summary+=("build $kernel: FAILED")
		# DEBUG (harness plumbing only): boot the in-tree stack anyway.
		if [ "${VTIO_DEBUG_INTREE:-0}" = 1 ]; then
			initrd[$kernel]="$CACHE/initramfs-$abi.cpio.gz"
			"$VM_DIR/mkinitramfs.sh" "$kernel" "${initrd[$kernel]}" && build_ok[$kernel]=1
		fi
	fi
done

# --- 4. scenarios ---------------------------------------------------------------
# Score one scenario from its logs; prints its results and failures.
score() {
	local name="$1" rc="$2" secs="$3" ktap="$LOGS/$1.ktap" log="$LOGS/$1.log"
	local plan results okn notok skipn bad dmesg

	# Results are top-level KTAP lines printed before the dmesg dump.
	results="$(sed -n '/^----- VTIO DMESG BEGIN -----/q; /^\(not \)\{0,1\}ok [0-9]/p' "$ktap" 2>/dev/null | tr -d '\r')"
	plan="$(sed -n 's/^1\.\.\([0-9]\{1,\}\)\r\{0,1\}$/\1/p' "$ktap" 2>/dev/null | head -n 1)"
	okn="$(grep -c '^ok ' <<<"$results")"
	notok="$(grep -c '^not ok ' <<<"$results")"
	skipn="$(grep -c '^ok .*# SKIP' <<<"$results")"
	# Show the failures and the measured throughput.
	{ grep '^not ok ' <<<"$results"; grep -E '^# iperf3 (tx|rx):' "$ktap" 2>/dev/null; } |
		tr -d '\r' | sed "s/^/  $name: /"
	passed=$((passed + okn - skipn))
	skipped=$((skipped + skipn))
	failed=$((failed + notok))

	local status="$okn ok ($skipn skipped), $notok not ok"
	if [ "$rc" = 124 ]; then
		fail "$name: timed out"
		status+=", TIMEOUT"
	elif [ -z "$plan" ]; then
		fail "$name: no KTAP plan (guest did not run the tests; see $log)"
		status+=", NO PLAN"
	elif [ "$plan" != $((okn + notok)) ]; then
		fail "$name: KTAP plan 1..$plan but $((okn + notok)) results (see $log)"
		status+=", PLAN MISMATCH"
	fi

	# The guest's dmesg, or the console log when the guest never dumped it.
	if grep -q '^----- VTIO DMESG END -----' "$ktap" 2>/dev/null; then
		dmesg="$(sed -n '/^----- VTIO DMESG BEGIN -----/,/^----- VTIO DMESG END -----/p' "$ktap")"
		bad="$(grep -E "$BAD_DMESG" <<<"$dmesg" | head -n 20)"
		if [ -z "$bad" ]; then
			pass
			status+=", dmesg clean"
		else
			fail "$name: dmesg not clean:"
			sed 's/^/    /' <<<"$bad"
			status+=", DMESG DIRTY"
		fi
	else
		fail "$name: no dmesg dump (guest crashed or hung; see $log)"
		grep -E "$BAD_DMESG" "$log" 2>/dev/null | head -n 20 | sed 's/^/    /'
		tail -n 15 "$log" 2>/dev/null | sed 's/^/    | /'
		status+=", NO DMESG"
	fi

	# QEMU's side: accesses to registers the device does not have (-D log
	# of -d guest_errors,unimp, e.g. a legacy register on a Version 2
	# transport) and virtio errors it printed (virtio_error() on stderr).
	# QEMU 7.2's virtio-mmio offers RING_RESET but has no QueueReset
	# register (0x0c0): its accesses are expected once the driver has
	# said so and fallen back to device resets.
	local qerr known="" qlog="$LOGS/$name.guest-errors.log"
	if [ -f "$qlog" ]; then
		if grep -q 'device did not complete a queue reset' <<<"${dmesg:-}" &&
		   grep -q 'bad register offset (0xc0)' "$qlog"; then
			known='bad register offset \(0xc0\)'
			status+=", QEMU lacks QueueReset"
		fi
		qerr="$({ grep -Ev "${known:-^\$}" "$qlog"
			  grep -i virtio "$LOGS/$name.qemu.log"; } 2>/dev/null | head -n 20)"
		if [ -z "$qerr" ]; then
			pass
			status+=", QEMU clean"
		else
			fail "$name: QEMU logged guest errors:"
			sed 's/^/    /' <<<"$qerr"
			status+=", QEMU GUEST ERRORS"
		fi
	fi
	summary+=("$(printf '%-20s %s (%s s)' "$name" "$status" "$secs")")
}

for row in "${selected[@]}"; do
	read -r name kernel queues timeout opts tests <<<"$row"
	echo
	echo "==== scenario $name: kernel $kernel, opts $opts, tests $tests"
	# device-opts "mmio=1|2[,OPTS]": a microvm guest with a virtio-mmio
	# transport of that Version; the rest are virtio-net-device options.
	machine=(--machine q35)
	case "$opts" in
	mmio=[12] | mmio=[12],*)
		machine=(--machine microvm --mmio-version "${opts:5:1}")
		opts="${opts:7}"
		opts="${opts:--}" ;;
	mmio=*)
		fail "$name: device-opts '$opts': mmio=1 or mmio=2"
		summary+=("$(printf '%-20s NOT RUN (bad mmio= in device-opts)' "$name")")
		continue ;;
	esac
	if [ "${build_ok[$kernel]:-0}" != 1 ]; then
		fail "$name: not run (build for $kernel failed)"
		summary+=("$(printf '%-20s NOT RUN (build failed)' "$name")")
		continue
	fi
	t0=$SECONDS
	rc=0
	"$VM_DIR/run-qemu.sh" --kernel "$kernel" --initrd "${initrd[$kernel]}" \
		--name "$name" "${machine[@]}" --device-opts "$opts" --queues "$queues" \
		--tests "$tests" --timeout "$timeout" || rc=$?
	score "$name" "$rc" "$((SECONDS - t0))"
	echo "---- ${summary[-1]}"
done

# --- 5. userspace harnesses (tools/vtio-sim: ring, tools/mmio-sim: MMIO) -------
for sim_name in vtio-sim mmio-sim; do
	sim="$REPO/tools/$sim_name/run.sh"
	[ -x "$sim" ] && [ "${SKIP_SIM:-0}" != 1 ] && [ -z "${SCENARIOS:-}" ] ||
		continue
	echo
	echo "==== tools/$sim_name/run.sh"
	t0=$SECONDS
	rc=0
	log="$LOGS/$sim_name.log"
	"$sim" >"$log" 2>&1 || rc=$?
	# Its failures (with their diagnostics) and closing lines; full log kept.
	awk '/^not ok/ { show = 1; n++ } /^(ok|not ok) / && !/^not ok/ { show = 0 }
	     show && n <= 40' "$log"
	tail -n 3 "$log"
	echo "(full output: $log)"
	line="$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
	if [ -n "$line" ]; then
		p="$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$line")"
		f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")"
		k=0
		grep -qE ' [0-9]+ skipped' <<<"$line" &&
			k="$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")"
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + k))
		[ "$rc" != 0 ] && [ "$f" = 0 ] && fail "$sim_name exited $rc"
		summary+=("$(printf '%-20s %s passed, %s failed, exit %s (%s s)' "$sim_name" "$p" "$f" "$rc" "$((SECONDS - t0))")")
	else
		fail "$sim_name: no 'N passed, N failed' line (exit $rc)"
		summary+=("$(printf '%-20s NO RESULT LINE (exit %s)' "$sim_name" "$rc")")
	fi
done

finish
