# SPDX-License-Identifier: GPL-2.0
# Common helpers for the host-side test harness scripts. Source, don't run.

VM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$VM_DIR/../../.." && pwd)"
CACHE="$REPO/.cache"
KERNELS="$CACHE/kernels"
ABIS_FILE="$KERNELS/abis"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# abi_of <series|abi>: map "6.1" / "6.12" to the full ABI recorded by
# setup-deps.sh ("6.1.0-56-amd64"); a full ABI name is passed through.
abi_of() {
	local want="$1" series abi
	[ -f "$ABIS_FILE" ] || die "$ABIS_FILE missing: run tools/testing/vm/setup-deps.sh"
	while read -r series abi; do
		if [ "$series" = "$want" ] || [ "$abi" = "$want" ]; then
			echo "$abi"
			return 0
		fi
	done <"$ABIS_FILE"
	die "unknown kernel '$want' (known: $(awk '{print $1}' "$ABIS_FILE" | tr '\n' ' '))"
}

# Where the guest kernel of an ABI was extracted.
kernel_root() { echo "$KERNELS/$1"; }
vmlinuz_of() { echo "$KERNELS/$1/boot/vmlinuz-$1"; }
headers_of() { echo "/usr/src/linux-headers-$1"; }
build_dir_of() { echo "$CACHE/build/$1"; }

# list_sources: the kernel module sources, relative to $REPO: tracked plus
# untracked-but-not-ignored files, minus what is not kernel code.
list_sources() {
	if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$REPO" ls-files -co --exclude-standard
	else
		(cd "$REPO" && find . -path ./.git -prune -o -path ./.cache -prune \
			-o -type f -print | sed 's|^\./||')
	fi | grep -Ev '^(tools|Documentation|\.ci|\.cache)/' || true
}

# sync_sources DEST: copy the sources into DEST, only files whose content
# changed (so make rebuilds incrementally); drop files no longer present.
sync_sources() {
	local dest="$1" f
	mkdir -p "$dest"
	list_sources | sort >"$dest/.sources.new"
	while IFS= read -r f; do
		[ -f "$REPO/$f" ] || continue		# deleted but still in the index
		if ! cmp -s "$REPO/$f" "$dest/$f"; then
			mkdir -p "$(dirname "$dest/$f")"
			cp "$REPO/$f" "$dest/$f"
		fi
	done <"$dest/.sources.new"
	if [ -f "$dest/.sources" ]; then
		comm -23 "$dest/.sources" "$dest/.sources.new" |
			while IFS= read -r f; do rm -f "$dest/$f"; done
	fi
	mv "$dest/.sources.new" "$dest/.sources"
}
