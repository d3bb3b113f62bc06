# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the multiqueue tests (test_mq*.sh source this file
# first). Not a test of its own: as "mqlib" it has no results.

plan() { echo 0; }
run() { :; }

mq_dev() { cat /tmp/netdev 2>/dev/null || find_netdev 1 || echo eth0; }

# --- channels and per-queue counters -------------------------------------

# combined DEV / max_combined DEV: ethtool -l current / maximum pairs.
combined() {
	ethtool -l "$1" 2>/dev/null | awk '/^Current/ { c = 1 }
		c && $1 == "Combined:" { print $2; exit }'
}
max_combined() {
	ethtool -l "$1" 2>/dev/null | awk '$1 == "Combined:" { print $2; exit }'
}

# qcounts DEV rx|tx [FIELD]: FIELD (default packets) of every queue of one
# direction, in queue order, on one line.
qcounts() {
	ethtool -S "$1" 2>/dev/null | awk -v d="$2" -v f="${3:-packets}" '
		{ k = $1; sub(":$", "", k) }
		k ~ "^" d "_queue_[0-9]+_" f "$" {
			q = k; sub("^" d "_queue_", "", q); sub("_.*", "", q)
			v[q] = $2; if (q + 1 > n) n = q + 1
		}
		END { for (i = 0; i < n; i++) printf "%s%s", (i ? " " : ""), v[i] + 0; print "" }'
}

# qgrown BEFORE AFTER MIN: the queues (0-based) whose count grew by >= MIN.
qgrown() {
	echo "$1|$2" | awk -F'|' -v min="$3" '{
		n = split($1, a, " "); split($2, b, " ")
		for (i = 1; i <= n; i++) if (b[i] - a[i] >= min) printf "%d ", i - 1
	}'
}

# count_words WORDS...: how many.
count_words() { echo $#; }

# --- features, interrupts --------------------------------------------------

# has_feature DEV NAME: the vtio device negotiated feature NAME (or bit).
has_feature() {
	local f bit
	f="$(cat "$(vtio_dev "$1")/features" 2>/dev/null)"
	bit="$(feature_bit "$2")" || return 1
	[ "$(echo "$f" | cut -c $((bit + 1)))" = 1 ]
}

# irq_num NAME: the IRQ number of the /proc/interrupts line named NAME.
irq_num() {
	awk -v n="$1" '$NF == n { sub(":", "", $1); print $1; exit }' /proc/interrupts
}

# irq_cpus NAME: "cpu:count" for the CPUs that counted interrupts on NAME.
irq_cpus() {
	awk -v n="$1" 'NR == 1 { ncpu = NF; next }
		$NF == n { for (i = 2; i <= ncpu + 1; i++) if ($i > 0) printf "%d:%d ", i - 2, $i }' \
		/proc/interrupts
}

# irq_elsewhere NAME CPUS: interrupts of NAME counted outside CPUS.
irq_elsewhere() {
	local n=0 cc
	for cc in $(irq_cpus "$1"); do
		echo " $2 " | grep -q " ${cc%%:*} " || n=$((n + ${cc#*:}))
	done
	echo "$n"
}

# list_cpus LIST: expand "0-2,4" into "0 1 2 4".
list_cpus() {
	echo "$1" | tr ',' '\n' | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) printf "%d ", i }'
}

# --- traffic ----------------------------------------------------------------

rx_packets() { cat "/sys/class/net/$1/statistics/rx_packets"; }

# iperf_ok ARGS...: an iperf3 run that delivered data (rate in the diag).
iperf_ok() {
	local r
	r="$(iperf_mbps "$@")" || return 1
	diag "iperf3 $*: $r Mbit/s"
	awk "BEGIN { exit !($r > 0) }"
}

# --- the host side (tools/testing/vm/hostctl.sh) ----------------------------

# Requests must reach the result port even from inside $(...): keep the
# test's own stdout (the pipe to ttyS1) on fd 9.
exec 9>&1

# The host helper runs when run-qemu.sh started it (vtio.hostctl=1).
hostctl_ok() { grep -qw 'vtio.hostctl=1' /proc/cmdline; }

udp_noports() {
	awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) if ($i == "NoPorts") c = i; h = 1 }
		else { print $c; exit } }' /proc/net/snmp
}

# host_req REQUEST ARGS...: one request line on the result port.
host_req() {
	local seq
	seq=$(($(cat /tmp/hostctl.seq 2>/dev/null || echo 0) + 1))
	echo "$seq" >/tmp/hostctl.seq
	echo "# VTIO-HOST: $seq $*" >&9
}

# host_send DSTMAC VLAN DSTIP N: the host sends N frames; returns when its
# "done" frame (UDP to a closed port here) arrived, or fails after 20 s.
host_send() {
	local before i
	before="$(udp_noports)"
	host_req send "$@"
	for i in $(seq 200); do
		if [ "$(udp_noports)" -gt "$before" ]; then
			usleep 300000	# frames on other queues may still be in NAPI
			return 0
		fi
		usleep 100000
	done
	diag "the host did not finish 'send $*'"
	return 1
}

# rx_from_host DEV DSTMAC VLAN DSTIP N: frames DEV received while the host
# sent N of them (plus its done frame); -1 when the host did not answer.
rx_from_host() {
	local dev="$1" b a
	shift
	b="$(rx_packets "$dev")"
	host_send "$@" || { echo -1; return 0; }
	a="$(rx_packets "$dev")"
	echo $((a - b))
}

# skip_n N REASON: N skipped results.
skip_n() {
	local i
	for i in $(seq "$1"); do ok "skipped $i # SKIP $2"; done
}
