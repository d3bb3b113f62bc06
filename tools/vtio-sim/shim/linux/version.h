/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VTIO_SIM_VERSION_H
#define _VTIO_SIM_VERSION_H

#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
/* Pretend to be the newer of the two supported guest kernels. */
#define LINUX_VERSION_CODE	KERNEL_VERSION(6, 12, 0)

#endif
