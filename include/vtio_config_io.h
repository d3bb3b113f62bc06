/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device-specific config windows of memory-mapped transports (PCI modern,
 * MMIO).  Modern devices want each field accessed at its own width
 * (virtio 1.3, 4.1.3.1 / 4.2.2.2), 64-bit fields as two 32-bit halves.
 * Registers are little endian and ioread16/32 return CPU order, so values
 * are turned back into LE bytes: callers always see the raw field layout.
 * Legacy config is in guest byte order: there only byte accesses are
 * right whatever the width (@bytewise).
 */
#ifndef _VTIO_CONFIG_IO_H
#define _VTIO_CONFIG_IO_H

static inline void vtio_config_io_read(const void __iomem *p, void *buf,
				       unsigned int len, bool bytewise)
{
	__le32 l[2];
	__le16 w;
	unsigned int i;

	switch (bytewise ? 0 : len) {
	case 2:
		w = cpu_to_le16(ioread16(p));
		memcpy(buf, &w, sizeof(w));
		break;
	case 4:
		l[0] = cpu_to_le32(ioread32(p));
		memcpy(buf, l, sizeof(l[0]));
		break;
	case 8:
		l[0] = cpu_to_le32(ioread32(p));
		l[1] = cpu_to_le32(ioread32(p + 4));
		memcpy(buf, l, sizeof(l));
		break;
	default:
		for (i = 0; i < len; i++)
			((u8 *)buf)[i] = ioread8(p + i);
		break;
	}
}

static inline void vtio_config_io_write(void __iomem *p, const void *buf,
					unsigned int len, bool bytewise)
{
	__le32 l[2];
	__le16 w;
	unsigned int i;

	switch (bytewise ? 0 : len) {
	case 2:
		memcpy(&w, buf, sizeof(w));
		iowrite16(le16_to_cpu(w), p);
		break;
	case 4:
		memcpy(l, buf, sizeof(l[0]));
		iowrite32(le32_to_cpu(l[0]), p);
		break;
	case 8:
		memcpy(l, buf, sizeof(l));
		iowrite32(le32_to_cpu(l[0]), p);
		iowrite32(le32_to_cpu(l[1]), p + 4);
		break;
	default:
		for (i = 0; i < len; i++)
			iowrite8(((const u8 *)buf)[i], p + i);
		break;
	}
}

#endif /* _VTIO_CONFIG_IO_H */
