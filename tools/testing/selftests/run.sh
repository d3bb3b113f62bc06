#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh "TEST[=ARG[:ARG...]],..."   (guest side, busybox sh)
#
# Runs the listed tests (test_TEST.sh files) in order as one KTAP document.
# The plan is the sum of each test's plan(); a test that dies or times out
# has its missing results filled in as "not ok", so the count only stops
# matching the plan when the guest itself dies.
# Example: load,modules,irq=msix-per-vq,features=CSUM:-MRG_RXBUF,traffic=10
. /vtio/tests/lib.sh

TEST_TIMEOUT=${TEST_TIMEOUT:-150}
list="$(echo "$1" | tr ',' ' ')"

echo "KTAP version 1"
total=0
for t in $list; do
	name="${t%%=*}"
	args=""
	case "$t" in *=*) args="$(echo "${t#*=}" | tr ':' ' ')" ;; esac
	f="/vtio/tests/test_$name.sh"
	if [ ! -f "$f" ]; then
		echo "# unknown test '$name'"
		echo "1..1"
		echo "not ok 1 unknown test $name"
		exit 1
	fi
	n="$(. "$f"; plan $args)"
	total=$((total + n))
done
echo "1..$total"

echo 0 >"$KTAP_COUNTER"
for t in $list; do
	name="${t%%=*}"
	args=""
	case "$t" in *=*) args="$(echo "${t#*=}" | tr ':' ' ')" ;; esac
	f="/vtio/tests/test_$name.sh"
	want="$(. "$f"; plan $args)"
	before="$(ktap_count)"
	echo "# ---- $name $args"
	start="$(cut -d. -f1 /proc/uptime)"
	timeout "$TEST_TIMEOUT" sh -c ". /vtio/tests/lib.sh; . '$f'; TEST_PREFIX='$name: '; run $args"
	rc=$?
	got=$(($(ktap_count) - before))
	echo "# $name: ${got}/${want} results, exit $rc, $(($(cut -d. -f1 /proc/uptime) - start)) s"
	while [ "$got" -lt "$want" ]; do
		not_ok "$name: result $((got + 1)) missing" "test aborted (exit $rc)"
		got=$((got + 1))
	done
done
