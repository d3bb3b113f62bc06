/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device-independent feature bits and status values (virtio 1.3, section 6
 * and 2.1).  Defined here under our own names because the kernels we build
 * against (6.1, 6.12) ship different subsets in their uapi headers.
 */
#ifndef _VTIO_FEATURES_H
#define _VTIO_FEATURES_H

#define VTIO_F_INDIRECT_DESC		28
#define VTIO_F_EVENT_IDX		29
#define VTIO_F_VERSION_1		32
#define VTIO_F_ACCESS_PLATFORM		33
#define VTIO_F_RING_PACKED		34
#define VTIO_F_IN_ORDER			35
#define VTIO_F_ORDER_PLATFORM		36
#define VTIO_F_SR_IOV			37
#define VTIO_F_NOTIFICATION_DATA	38
#define VTIO_F_NOTIF_CONFIG_DATA	39
#define VTIO_F_RING_RESET		40
#define VTIO_F_ADMIN_VQ			41

/* Feature bits 0..23 and 50..127 belong to the device type. */
#define VTIO_TRANSPORT_F_START		24
#define VTIO_TRANSPORT_F_END		50

#define VTIO_STATUS_ACKNOWLEDGE		0x01
#define VTIO_STATUS_DRIVER		0x02
#define VTIO_STATUS_DRIVER_OK		0x04
#define VTIO_STATUS_FEATURES_OK		0x08
#define VTIO_STATUS_NEEDS_RESET		0x40
#define VTIO_STATUS_FAILED		0x80

#define VTIO_ID_NET			1

#endif /* _VTIO_FEATURES_H */
