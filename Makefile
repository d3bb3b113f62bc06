# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the vtio modules.
#   make                 build against KDIR (see below)
#   make run             boot a QEMU guest on our modules (sets itself up)
#   make test            install deps, build for 6.1 and 6.12, run every test
#   make check           sparse (endian checks) + checkpatch
#   make install         modules_install + depmod
#   make clean

# Default KDIR: the running kernel's build tree, else the newest Debian
# headers the harness installed.
KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
	echo /lib/modules/$$(uname -r)/build; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; fi)

PWD := $(shell pwd)

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run tools/testing/vm/setup-deps.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) modules_install
	depmod -a

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(PWD) clean; fi
	rm -rf .cache/build

check:
	tools/testing/vm/check.sh

run:
	tools/testing/vm/run-demo.sh

test:
	tools/testing/vm/run-tests.sh

.PHONY: all modules install clean check run test
