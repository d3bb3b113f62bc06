#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per add + get (driver side only), from callgrind: collect
# only inside vtio_vq_add_outbuf and vtio_vq_get_buf, divide by the
# number of round trips.  Usage: callgrind.sh path/to/bench [N]
set -euo pipefail
BENCH=$1
N=${2:-20000}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

for fmt in split packed; do
	valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$fmt" \
		--toggle-collect=vtio_vq_add_outbuf --toggle-collect=vtio_vq_get_buf \
		"$BENCH" --single "$fmt" "$N" >/dev/null 2>"$OUT/log.$fmt"
	ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$OUT/cg.$fmt")
	awk -v f="$fmt" -v ir="$ir" -v n="$N" \
		'BEGIN { printf "callgrind %-6s: %.1f instructions per add+get (%d round trips)\n", f, ir / n, n }'
done
