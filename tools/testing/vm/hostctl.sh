#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hostctl.sh RESULTS MONITOR PID [UNPARK]: the host's half of the guest
# tests that need the host to act (selftests/test_mqctrl.sh). Runs inside
# the guest's network namespace, next to the tap, until process PID
# (run-qemu.sh) exits.
#
# The guest asks by printing a line on its result port (ttyS1, the file
# RESULTS):
#   # VTIO-HOST: <seq> <request> [args]
# <seq> tells repeated requests apart; the requests are
#   set_link on|off            "set_link n0 on|off" on the QEMU monitor
#                              (MONITOR: path prefix of a "-chardev pipe")
#   announce                   "announce_self" on the QEMU monitor
#   send DSTMAC VLAN DSTIP N   N UDP frames (port 9) from the tap to DSTMAC,
#                              802.1Q-tagged when VLAN is not 0
# After a send, one more frame goes to the broadcast MAC, UDP from port
# 40000 + <seq> to the guest's own address (10.213.0.2) on closed port 9:
# the guest sees its UDP "NoPorts" counter move and knows the host is done.
# Frames are written raw (AF_PACKET, python3), so no neighbour or route
# entry on the host decides where they go.
#
# UNPARK=SECONDS (run-qemu.sh passes it for rss=on devices) works around a
# bug of QEMU 7.2's software RSS, which Debian 12's QEMU always uses (its
# eBPF RSS object does not load with libbpf 1.x). A frame read from tap
# queue Y that RSS sends to receive queue X is parked on Y's net queue when
# X has no free buffer at that moment; QEMU then stops reading tap queue Y
# until the guest notifies receive queue Y, which it has no reason to do
# while Y has buffers (its notifications are suppressed). Every flow the
# host kernel hashes to tap queue Y stalls. QEMU flushes every queue when
# the link state is set, so each UNPARK seconds "set_link n0 on" is typed
# while the link is up: the guest sees no change (no config interrupt).
# Seen as: tap fd missing from QEMU's poll set, "info virtio-queue-status"
# showing the queue idle with buffers, one set_link releasing the flows.
set -uo pipefail

[ $# -eq 3 ] || [ $# -eq 4 ] ||
	{ echo "usage: $0 RESULTS MONITOR PID [UNPARK]" >&2; exit 1; }
results="$1" mon="$2" owner="$3" unpark="${4:-0}"
tap=vtap0 host_ip=10.213.0.1 guest_ip=10.213.0.2

log() { echo "[$(date +%H:%M:%S)] $*"; }

# send DSTMAC VLAN DSTIP COUNT SPORT
send() {
	python3 - "$tap" "$host_ip" "$@" <<'EOF'
import socket, struct, sys, time

ifname, sip, dst, vlan, dip, count, sport = sys.argv[1:8]

def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

payload = b'vtio hostctl'
udp = struct.pack('!HHHH', int(sport), 9, 8 + len(payload), 0) + payload
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 socket.inet_aton(sip), socket.inet_aton(dip))
ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
src = open('/sys/class/net/%s/address' % ifname).read().strip()
eth = bytes.fromhex(dst.replace(':', '')) + bytes.fromhex(src.replace(':', ''))
if int(vlan):
    eth += struct.pack('!HH', 0x8100, int(vlan))
frame = eth + struct.pack('!H', 0x0800) + ip + udp

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
for _ in range(int(count)):
    s.send(frame)
    time.sleep(0.01)
EOF
}

monitor() {
	# QEMU keeps the FIFO open for reading: this write does not block.
	timeout 5 bash -c "echo '$*' >'$mon.in'" || log "monitor write failed"
}

# The link state the guest asked for, and a lock so that an unpark never
# lands between a test's "set_link off" and its "on".
link_file="$mon.link" lock_file="$mon.lock"
echo on >"$link_file"

set_link() {
	(
		flock 8
		echo "$1" >"$link_file"
		monitor "set_link n0 $1"
	) 8>"$lock_file"
}

unpark_loop() {
	local n=0
	log "unparking tap queues every $unpark s (QEMU software RSS)"
	trap 'log "unparked $n times"; exit 0' TERM
	while kill -0 "$owner" 2>/dev/null; do
		sleep "$unpark"
		(
			flock 8
			[ "$(cat "$link_file")" = on ] && monitor "set_link n0 on"
		) 8>"$lock_file" && n=$((n + 1))
	done
	log "unparked $n times"
}

handle() {
	local seq="$1" req="$2"
	shift 2
	case "$req" in
	set_link)
		case "$1" in on|off) set_link "$1" ;; *) log "set_link on|off" ;; esac ;;
	announce)
		monitor "announce_self" ;;
	send)
		[ $# -eq 4 ] || { log "send needs DSTMAC VLAN DSTIP N"; return; }
		send "$1" "$2" "$3" "$4" 1 || log "send failed"
		send ff:ff:ff:ff:ff:ff 0 "$guest_ip" 1 $((40000 + seq % 20000)) ||
			log "done marker failed" ;;
	*)
		log "unknown request '$req'" ;;
	esac
}

log "hostctl for $results (monitor $mon)"
if [ "$unpark" != 0 ]; then
	unpark_loop &
	unpark_pid=$!
	trap 'kill "$unpark_pid" 2>/dev/null' EXIT
fi
# tail follows the file QEMU creates and exits with run-qemu.sh.
tail -n +1 -F --pid="$owner" "$results" 2>/dev/null |
	while IFS= read -r line; do
		line="${line%$'\r'}"
		case "$line" in "# VTIO-HOST: "*) ;; *) continue ;; esac
		# shellcheck disable=SC2086 # split the request into words
		set -- ${line#"# VTIO-HOST: "}
		[ $# -ge 2 ] || continue
		log "request $*"
		handle "$@"
		log "done $*"
	done
