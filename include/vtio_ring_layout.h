/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory layouts of the split and packed virtqueues (virtio 1.3, 2.7 and
 * 2.8).  Only modern (little-endian) devices are driven, so every field is
 * __le.  Shared between the kernel ring and the userspace device model.
 */
#ifndef _VTIO_RING_LAYOUT_H
#define _VTIO_RING_LAYOUT_H

/* Descriptor flags, identical bit values in both formats. */
#define VTIO_DESC_F_NEXT	0x0001
#define VTIO_DESC_F_WRITE	0x0002
#define VTIO_DESC_F_INDIRECT	0x0004
/* Packed only: availability and use are signalled by these two bits. */
#define VTIO_DESC_F_AVAIL	0x0080
#define VTIO_DESC_F_USED	0x8000

/* Split: driver -> device "please don't interrupt" / device -> driver. */
#define VTIO_AVAIL_F_NO_INTERRUPT	1
#define VTIO_USED_F_NO_NOTIFY		1

/* Packed event suppression flags. */
#define VTIO_EVENT_F_ENABLE	0
#define VTIO_EVENT_F_DISABLE	1
#define VTIO_EVENT_F_DESC	2
/* Packed event suppression "desc" field: offset in bits 0..14, wrap in 15 */
#define VTIO_EVENT_WRAP_SHIFT	15

/* Largest queue the standard allows. */
#define VTIO_QUEUE_SIZE_MAX	32768

struct vtio_split_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct vtio_split_avail {
	__le16 flags;
	__le16 idx;
	__le16 ring[];
	/* followed by __le16 used_event when EVENT_IDX is negotiated */
};

struct vtio_split_used_elem {
	__le32 id;	/* head of the used chain */
	__le32 len;	/* bytes the device wrote */
};

struct vtio_split_used {
	__le16 flags;
	__le16 idx;
	struct vtio_split_used_elem ring[];
	/* followed by __le16 avail_event when EVENT_IDX is negotiated */
};

struct vtio_packed_desc {
	__le64 addr;
	__le32 len;
	__le16 id;
	__le16 flags;
};

struct vtio_packed_event {
	__le16 desc;	/* offset | wrap << 15 */
	__le16 flags;
};

/*
 * Split ring byte sizes.  Used ring alignment: the legacy (Version 1 MMIO)
 * layout requires the used ring at a page boundary after the avail ring;
 * we use that one layout for every transport.
 */
#define VTIO_SPLIT_ALIGN	4096

static inline unsigned long vtio_split_avail_offset(unsigned int num)
{
	return (unsigned long)num * sizeof(struct vtio_split_desc);
}

static inline unsigned long vtio_split_used_offset(unsigned int num)
{
	unsigned long avail_end = vtio_split_avail_offset(num) +
		sizeof(struct vtio_split_avail) + sizeof(__le16) * (num + 1);

	return (avail_end + VTIO_SPLIT_ALIGN - 1) & ~(VTIO_SPLIT_ALIGN - 1UL);
}

static inline unsigned long vtio_split_bytes(unsigned int num)
{
	return vtio_split_used_offset(num) + sizeof(struct vtio_split_used) +
		sizeof(struct vtio_split_used_elem) * num + sizeof(__le16);
}

/*
 * EVENT_IDX: should the side that moved its index from @old to @new signal
 * the other side, which asked to be told once index @event is passed?
 */
static inline bool vtio_need_event(u16 event, u16 new, u16 old)
{
	return (u16)(new - event - 1) < (u16)(new - old);
}

#endif /* _VTIO_RING_LAYOUT_H */
