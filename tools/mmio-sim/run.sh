#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: build and run the MMIO register-protocol tests.  Prints one TAP
# line per test; the last line is "N passed, N failed"; exit 0 only when
# nothing failed.  MMIO_SIM_VERBOSE=1 shows every driver message.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! make -s -C "$here" >"$here/.build.log" 2>&1; then
	sed 's/^/# /' "$here/.build.log"
	rm -f "$here/.build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f "$here/.build.log"

out="$("$here/build/test_mmio" 2>&1)"
rc=$?
last="$(tail -n 1 <<<"$out")"
if [[ ! "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
	# The binary died before its summary (sanitizer report, crash).
	printf '%s\n' "$out"
	echo "0 passed, 1 failed"
	exit 1
fi
printf '%s\n' "$out"
[ "$rc" -eq 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]
