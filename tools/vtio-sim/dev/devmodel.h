/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtqueue device model: the device side of one split or packed ring,
 * working on the memory the driver ring code (ring/) exposes.
 *
 * It fetches what the driver made available and checks it against the
 * standard (descriptor flags, AVAIL/USED bits against its wrap counter,
 * chains, indirect tables, buffer ids, in-order descriptor use), completes
 * buffers in any order or in in-order batches, keeps its own available
 * buffer notification suppression state (so a test can ask "must the
 * driver notify now?") and decides, from what the driver wrote, whether
 * a used buffer notification ("interrupt") is due.
 *
 * Everything it finds wrong with the driver is counted in @errors with the
 * first message kept: the tests assert errors == 0.
 *
 * Threading: one device thread may run fetch/complete/irq_check while the
 * driver runs on another (the benchmark); all shared-memory accesses use
 * READ_ONCE/WRITE_ONCE and C11 fences, as a real device would.
 */
#ifndef _VTIO_SIM_DEVMODEL_H
#define _VTIO_SIM_DEVMODEL_H

#include <linux/types.h>

#include "vtio.h"
#include "vtio_ring_layout.h"

struct dm_seg {
	u64 addr;
	u32 len;
	bool write;
};

/* One buffer the device fetched and has not completed yet. */
struct dm_buf {
	u16 id;		/* split: chain head; packed: buffer id */
	u16 slots;	/* ring descriptors the buffer occupies */
	u32 out_len;	/* device-readable bytes */
	u32 in_len;	/* device-writable bytes */
	u32 nsegs;
	u32 nelems;	/* buffer elements, ring and indirect (also lenient) */
	bool indirect;
	u64 seq;	/* fetch order, from 0 */
	struct dm_seg *segs;	/* [nsegs]; NULL in lenient mode */
	u16 *ring_descs;	/* split: the ring descriptors of the chain */
};

/* The device's wish about available buffer notifications. */
enum dm_notify_mode {
	DM_NOTIFY_ON,	/* notify me for every new buffer */
	DM_NOTIFY_OFF,	/* I am polling: no notifications */
	DM_NOTIFY_AT,	/* EVENT_IDX: notify once position event_abs is made available */
};

struct dm_stats {
	u64 notifies;		/* notifications received */
	u64 irq_checks;		/* interrupt decisions taken */
	u64 irqs;		/* ... that said "interrupt" */
	u64 used_elems;		/* used elements / descriptors written */
	u64 bufs_used;		/* buffers completed */
	u64 bufs_fetched;
};

struct dm;
/*
 * Called for each completed buffer: @len is what the driver must report
 * (the written length, or in_len for a buffer an in-order batch skipped).
 */
typedef void dm_used_fn(void *opaque, const struct dm_buf *b, u32 len);

/*
 * Members reachable one by one and, as @NAME, as a whole: the kernel's
 * struct_group(), which the shims do not provide.
 */
#ifndef struct_group
#define struct_group(NAME, MEMBERS...)					\
	union {								\
		struct { MEMBERS };					\
		struct { MEMBERS } NAME;				\
	}
#endif

struct dm {
	/* negotiated */
	bool packed, event_idx, indirect, in_order, notif_data;
	unsigned int vqn;
	/*
	 * Lenient: a fuzzer scribbles on the ring, so do not follow
	 * addresses (no indirect tables, no buffer data) and do not count
	 * driver errors.
	 */
	bool lenient;
	/* Write a pattern into device-writable buffers, check readable ones. */
	bool data;

	/*
	 * The queue as the driver last enabled it: a queue reset
	 * (VIRTIO_F_RING_RESET) forgets all of it, dm_queue_enable() reads
	 * the ring's place and size again.
	 */
	struct_group(q,
		bool enabled;		/* the device may use the ring */
		unsigned int num;

		/* ring memory (identity DMA: bus addresses are pointers) */
		struct vtio_split_desc *sdesc;
		struct vtio_split_avail *avail;
		struct vtio_split_used *used;
		struct vtio_packed_desc *pdesc;
		struct vtio_packed_event *drv_evt;	/* driver writes */
		struct vtio_packed_event *dev_evt;	/* we write */

		/* device cursors */
		u16 last_avail;		/* split: next avail entry to read */
		u16 used_idx;		/* split: our used->idx */
		u16 avail_off;		/* packed: next slot to read */
		bool avail_wrap;
		u16 used_off;		/* packed: next slot to mark used */
		bool used_wrap;
		u16 next_head;		/* split in-order: next head expected */
		u64 abs_avail;		/* split: entries; packed: slots read */
		u64 abs_used;		/* split: used idx; packed: slots */
		u64 irq_checked;	/* abs_used at the last irq decision */
		u64 seq;

		/* fetched, not completed: a FIFO (oldest first) of [cap] */
		struct dm_buf *pend;
		unsigned int pend_head, npend, cap;
		u8 *desc_busy;		/* split: [num] descriptors in flight */

		/* notification suppression we published */
		enum dm_notify_mode mode;
		u64 event_abs;		/* DM_NOTIFY_AT: position awaited */
	);
	u8 *id_busy;		/* [65536] buffer ids in flight */

	dm_used_fn *on_used;
	void *opaque;

	struct dm_stats st;
	unsigned int errors;
	char first_error[256];
};

/* Set up on a queue created with @features (the negotiated bits). */
int dm_init(struct dm *dm, struct vtio_vq *vq, u64 features);
void dm_destroy(struct dm *dm);

/*
 * Queue reset (VIRTIO_F_RING_RESET), the device's half.  Reset: forget the
 * queue -- what was fetched and not used, cursors, wrap counters, wishes --
 * and stop touching its memory.  Enable: read the ring's place and size
 * from @vq, as a transport hands them over, and start from a fresh ring.
 * A queue enabled twice without a reset, a bad size or a ring that is not
 * in its initial state are driver errors.
 */
void dm_queue_reset(struct dm *dm);
int dm_queue_enable(struct dm *dm, struct vtio_vq *vq);

/* Fetch up to @max newly available buffers; returns how many. */
unsigned int dm_fetch(struct dm *dm, unsigned int max);
static inline unsigned int dm_pending(const struct dm *dm)
{
	return dm->npend;
}
const struct dm_buf *dm_pending_buf(const struct dm *dm, unsigned int k);

/* Complete pending buffer @k (0 = oldest) with @len bytes written. */
void dm_complete(struct dm *dm, unsigned int k, u32 len);
/*
 * IN_ORDER: complete the @n oldest buffers with one used element naming
 * the last, which gets @len; the others count as fully written.
 */
void dm_complete_batch(struct dm *dm, unsigned int n, u32 len);

/*
 * After writing used elements: is a used buffer notification due, by the
 * driver's flags / used_event / event suppression structure?
 */
bool dm_irq_check(struct dm *dm);

/*
 * Publish our notification wish; @k is the distance for DM_NOTIFY_AT
 * (buffers for split, descriptors for packed).  Without EVENT_IDX AT
 * degrades to ON.  Returns true when buffers are already available past
 * our cursor (after a full barrier): a device must not sleep then.
 */
bool dm_set_notify(struct dm *dm, enum dm_notify_mode mode, unsigned int k);
/*
 * Must the driver notify for what it published between positions
 * @old_abs and @new_abs (dm_avail_end() values)?
 */
bool dm_notify_expected(const struct dm *dm, u64 old_abs, u64 new_abs);
bool dm_window_hits(u64 event, u64 old, u64 new, u64 period);
/* Where the driver's published buffers end, as an absolute position. */
u64 dm_avail_end(const struct dm *dm);
/* A notification with this 32-bit payload arrived: check it. */
void dm_on_notify(struct dm *dm, u32 data);

/* Raw writes for hostile tests: a used element / descriptor as given. */
void dm_raw_used(struct dm *dm, u32 id, u32 len, u16 idx_advance,
		 u16 slots);

/* The byte pattern both sides use for buffer contents. */
static inline u8 dm_pattern(u64 key, u32 i)
{
	return (u8)((key >> 4) * 29 + i * 13 + 5);
}

void dm_err(struct dm *dm, const char *fmt, ...) __printf(2, 3);

/* Split / packed halves (dm_split.c, dm_packed.c). */
bool dm_split_fetch_one(struct dm *dm, struct dm_buf *b);
void dm_split_write_used(struct dm *dm, u16 id, u32 len, u16 advance);
bool dm_split_irq_due(struct dm *dm, u64 old_abs, u64 new_abs);
void dm_split_set_notify(struct dm *dm);
u64 dm_split_avail_end(const struct dm *dm);
void dm_split_check_notify(struct dm *dm, u32 data);

bool dm_packed_fetch_one(struct dm *dm, struct dm_buf *b);
void dm_packed_write_used(struct dm *dm, u16 id, u32 len, u16 slots);
bool dm_packed_irq_due(struct dm *dm, u64 old_abs, u64 new_abs);
void dm_packed_set_notify(struct dm *dm);
u64 dm_packed_avail_end(const struct dm *dm);
void dm_packed_check_notify(struct dm *dm, u32 data);

/* Take a ring over at enable: its areas, and is it in its initial state? */
void dm_split_start(struct dm *dm, void *desc, void *driver, void *device);
void dm_packed_start(struct dm *dm, void *desc, void *driver, void *device);

/* Shared by both halves: append a segment, parse an indirect table. */
bool dm_add_seg(struct dm *dm, struct dm_buf *b, u64 addr, u32 len,
		bool write, unsigned int *cap);
bool dm_walk_indirect(struct dm *dm, struct dm_buf *b, u64 addr, u32 len,
		      unsigned int *cap);

#endif
