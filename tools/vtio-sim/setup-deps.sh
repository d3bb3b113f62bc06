#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what tools/vtio-sim needs on Debian 12 (as root): clang-14 and
# its runtime libraries (libFuzzer, ASan, UBSan), valgrind (callgrind for
# the benchmark).  gcc and its sanitizer runtimes come with build-essential.
#
# Idempotent: returns at once when everything is there.
set -euo pipefail

FUZZER_LIB_GLOB='/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a'
PKGS=(clang-14 libclang-rt-14-dev valgrind gcc make)

have_all() {
	command -v clang-14 >/dev/null 2>&1 || return 1
	command -v valgrind >/dev/null 2>&1 || return 1
	command -v gcc >/dev/null 2>&1 || return 1
	command -v make >/dev/null 2>&1 || return 1
	# shellcheck disable=SC2086 # the glob is meant to expand
	compgen -G "$FUZZER_LIB_GLOB" >/dev/null || return 1
}

if have_all; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup-deps: need root to install ${PKGS[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
have_all || { echo "setup-deps: clang-14 / libFuzzer / valgrind still missing" >&2; exit 1; }
