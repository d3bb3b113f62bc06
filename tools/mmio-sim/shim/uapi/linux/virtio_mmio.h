/* SPDX-License-Identifier: GPL-2.0 */
/* The register offsets: the host's copy of the same uapi header. */
#include <linux/virtio_mmio.h>
