#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vtio-sim/run.sh: build the userspace ring harness and run all of
# it: unit, hostile-device, randomized and queue-resize suites, a bounded
# libFuzzer run and a benchmark smoke run.  Prints one "ok N name" /
# "not ok N name" line per test and, last, "N passed, N failed, N
# skipped".  Exit 0 only when nothing failed.
#
# Environment:
#   FUZZ_SECONDS=60    length of the fuzz run (0 skips the run: counted failed)
#   VTIO_SIM_SEED=n    seed of the randomized suite (printed on every run)
#   VTIO_SIM_STEPS=n   steps per randomized run
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
B="$HERE/build"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
MAKE=(make -s -C "$HERE" --no-print-directory)

n=0 passed=0 failed=0 skipped=0

ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $*"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n $1 # SKIP $2"; }

mkdir -p "$B"
echo "KTAP version 1"
echo "# vtio-sim: userspace ring harness"

# --- dependencies and builds ----------------------------------------------
if "$HERE/setup-deps.sh" >"$B/setup-deps.log" 2>&1; then
	ok "setup-deps"
else
	not_ok "setup-deps"
	sed 's/^/#   /' "$B/setup-deps.log" | tail -n 5
fi

if "${MAKE[@]}" tests bench >"$B/build.log" 2>&1; then
	ok "build: tests and bench (gcc, ASan/UBSan)"
	built=1
else
	not_ok "build: tests and bench"
	sed 's/^/#   /' "$B/build.log" | tail -n 20
	built=0
fi

# --- the four suites -------------------------------------------------------
# Re-number each suite's KTAP lines into ours; a suite that dies without
# reporting a failure (sanitizer abort, leak report) is a failure too.
run_suite() {
	local name=$1 bin=$2 log="$B/$1.log" rc=0 f0=$failed line num rest
	local in_fail=0

	if [ ! -x "$bin" ]; then
		not_ok "$name: not built"
		return
	fi
	"$bin" >"$log" 2>&1 || rc=$?
	while IFS= read -r line; do
		case "$line" in
		"not ok "*)
			rest="${line#not ok }"; num="${rest%% *}"; rest="${rest#"$num" }"
			not_ok "$name: $rest"; in_fail=1 ;;
		"ok "*"# SKIP "*)
			rest="${line#ok }"; num="${rest%% *}"; rest="${rest#"$num" }"
			skip "$name: ${rest%% # SKIP *}" "${rest##* # SKIP }"; in_fail=0 ;;
		"ok "*)
			rest="${line#ok }"; num="${rest%% *}"; rest="${rest#"$num" }"
			ok "$name: $rest"; in_fail=0 ;;
		"# seed"*)
			echo "$line" ;;
		"#"*)
			[ "$in_fail" = 1 ] && echo "$line" ;;
		esac
	done <"$log"
	if [ "$rc" != 0 ] && [ "$failed" = "$f0" ]; then
		not_ok "$name: exited with status $rc"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5 | sed 's/^/#   /'
	fi
}

run_suite unit "$B/test_unit"
run_suite hostile "$B/test_hostile"
run_suite random "$B/test_random"
run_suite resize "$B/test_resize"

# --- fuzzing ---------------------------------------------------------------
# No clang or libFuzzer is a failure, not a skip: the ring must be fuzzed.
if ! "${MAKE[@]}" fuzz >"$B/fuzz-build.log" 2>&1; then
	not_ok "fuzz: build (clang -fsanitize=fuzzer,address,undefined)"
	sed 's/^/#   /' "$B/fuzz-build.log" | tail -n 10
elif [ "$FUZZ_SECONDS" -le 0 ] 2>/dev/null; then
	not_ok "fuzz: FUZZ_SECONDS=$FUZZ_SECONDS, no run"
elif "${MAKE[@]}" fuzz-run FUZZ_SECONDS="$FUZZ_SECONDS" >"$B/fuzz.log" 2>&1; then
	execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz.log" | tail -n 1)"
	ok "fuzz: ${FUZZ_SECONDS}s, ${execs:-?} executions, no finding"
else
	not_ok "fuzz: finding in ${FUZZ_SECONDS}s run (see $B/fuzz.log)"
	grep -E 'ERROR|SUMMARY|runtime error|fuzz invariant|Test unit written' "$B/fuzz.log" |
		head -n 8 | sed 's/^/#   /'
fi

# --- benchmark smoke run: it works and no interrupt goes missing ----------
if [ "$built" = 1 ] && "$B/bench" --seconds 0.05 >"$B/bench.log" 2>&1; then
	ok "bench: smoke run (two threads, all rows)"
else
	not_ok "bench: smoke run"
	sed 's/^/#   /' "$B/bench.log" 2>/dev/null | tail -n 12
fi

echo "1..$n"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
