# SPDX-License-Identifier: GPL-2.0
# offloads=FEATURE=on|off:...: netdev offload state from `ethtool -k`
# (e.g. tx-checksumming=off): what the driver derived from the negotiated
# virtio features.

plan() { echo $#; }

run() {
	local dev k spec name want got

	dev="$(cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0)"
	k="$(ethtool -k "$dev" 2>&1)"
	for spec in "$@"; do
		name="${spec%%=*}"
		want="${spec#*=}"
		got="$(echo "$k" | awk -v n="$name:" '$1 == n { print $2; exit }')"
		diag "$name: $(echo "$k" | awk -v n="$name:" '$1 == n { $1 = ""; print; exit }')"
		expect_eq "ethtool -k $dev: $name $want" "$got" "$want"
	done
}
