#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what `make check` runs.
#   - sparse with endian checks over every module source, built against the
#     6.12 headers in a private copy (.cache/check/<abi>), C=2 so every file
#     is checked even when up to date; warnings from our files count.
#   - checkpatch.pl --strict on every .c/.h of the kernel modules.
# Exits non-zero on any sparse warning/error or checkpatch ERROR, WARNING
# or CHECK (what --strict adds).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$VM_DIR/setup-deps.sh"

KERNEL="${KERNEL:-6.12}"
abi="$(abi_of "$KERNEL")"
kdir="$(headers_of "$abi")"
copy="$CACHE/check/$abi"
logs="$CACHE/logs"
mkdir -p "$logs"
status=0

# --- sparse -------------------------------------------------------------------
echo "==== sparse (C=2, __CHECK_ENDIAN__, $abi)"
sync_sources "$copy"
rc=0
make -C "$kdir" M="$copy" C=2 CF="-D__CHECK_ENDIAN__" modules -j"$(nproc)" \
	>"$logs/sparse.log" 2>&1 || rc=$?
# Only diagnostics about our own files count (kernel headers have noise).
sparse_out="$(grep -E "^$copy/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$logs/sparse.log" |
	sed "s|^$copy/||" | sort -u || true)"
if [ "$rc" != 0 ]; then
	echo "build failed under sparse (see $logs/sparse.log):"
	grep -E 'error|ERROR' "$logs/sparse.log" | head -n 30
	status=1
fi
if [ -n "$sparse_out" ]; then
	echo "$sparse_out"
	echo "sparse: $(wc -l <<<"$sparse_out") diagnostics"
	status=1
else
	echo "sparse: clean"
fi

# --- checkpatch ---------------------------------------------------------------
echo "==== checkpatch --strict"
checkpatch="$CACHE/checkpatch/checkpatch.pl"
files=()
while IFS= read -r f; do
	files+=("$f")
done < <(cd "$REPO" && list_sources | grep -E '^(ring|pci|net|include|mmio)/.*\.[ch]$' | sort)
if [ ${#files[@]} -eq 0 ]; then
	echo "checkpatch: no source files found"
	status=1
else
	cp_out=""
	for f in "${files[@]}"; do
		[ -f "$REPO/$f" ] || continue
		# Run outside the work tree: in a git tree checkpatch drops a
		# .checkpatch-camelcase.git.* cache file into the current folder.
		# --root: the kernel headers seed checkpatch's CamelCase list.
		# Headers carry no Documentation/devicetree, so the DT binding
		# lookup ("virtio,mmio" is documented upstream) cannot work.
		out="$(cd "$CACHE/checkpatch" && "$checkpatch" --no-tree --strict \
			--root="$kdir" --terse --show-types \
			--ignore UNDOCUMENTED_DT_STRING -f "$REPO/$f" 2>&1 || true)"
		out="${out//$REPO\//}"
		# --terse still prints a "total:" line per file when not clean.
		out="$(grep -Ev '^(total:|$|grep: )|has no obvious style problems' <<<"$out" || true)"
		[ -n "$out" ] && cp_out+="$out"$'\n'
	done
	if [ -n "$cp_out" ]; then
		printf '%s' "$cp_out"
		echo "checkpatch: $(grep -c ': ERROR:' <<<"$cp_out" || true) errors," \
			"$(grep -c ': WARNING:' <<<"$cp_out" || true) warnings," \
			"$(grep -c ': CHECK:' <<<"$cp_out" || true) checks in ${#files[@]} files"
		status=1
	else
		echo "checkpatch: ${#files[@]} files clean"
	fi
fi

exit "$status"
