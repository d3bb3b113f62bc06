# SPDX-License-Identifier: GPL-2.0
# features=NAME:-NAME:...: negotiated feature bits in <vtio dev>/features
# (a string of 0/1, char N = bit N). NAME must be '1', -NAME must be '0'.

plan() { echo $#; }

run() {
	local dev vdev f spec name want bit got

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"
	vdev="$(vtio_dev "$dev")"
	f="$(cat "$vdev/features" 2>/dev/null)"
	diag "features: $f"
	for spec in "$@"; do
		case "$spec" in
		-*) name="${spec#-}"; want=0 ;;
		*) name="$spec"; want=1 ;;
		esac
		if ! bit="$(feature_bit "$name")"; then
			not_ok "feature $name" "unknown feature name"
			continue
		fi
		got="$(echo "$f" | cut -c $((bit + 1)))"
		expect_eq "feature $name (bit $bit) is $want" "$got" "$want"
	done
}
