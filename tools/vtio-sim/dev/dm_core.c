// SPDX-License-Identifier: GPL-2.0
/*
 * Device model, format-independent part: the in-flight list, buffer
 * contents, indirect tables, completion and the dispatch to the split or
 * packed half.
 */
#include <stdio.h>
#include <stdlib.h>

#include "devmodel.h"

void dm_err(struct dm *dm, const char *fmt, ...)
{
	va_list ap;

	if (dm->lenient)
		return;
	if (!dm->errors++) {
		va_start(ap, fmt);
		vsnprintf(dm->first_error, sizeof(dm->first_error), fmt, ap);
		va_end(ap);
	}
}

int dm_init(struct dm *dm, struct vtio_vq *vq, u64 features)
{
	int err;

	memset(dm, 0, sizeof(*dm));
	dm->packed = features & BIT_ULL(VTIO_F_RING_PACKED);
	dm->event_idx = features & BIT_ULL(VTIO_F_EVENT_IDX);
	dm->indirect = features & BIT_ULL(VTIO_F_INDIRECT_DESC);
	dm->in_order = features & BIT_ULL(VTIO_F_IN_ORDER);
	dm->notif_data = features & BIT_ULL(VTIO_F_NOTIFICATION_DATA);
	dm->vqn = vq->index;
	dm->data = true;
	dm->id_busy = calloc(65536, 1);
	if (!dm->id_busy)
		return -ENOMEM;
	err = dm_queue_enable(dm, vq);
	if (err)
		dm_destroy(dm);
	return err;
}

static void dm_buf_free(struct dm_buf *b)
{
	free(b->segs);
	free(b->ring_descs);
	b->segs = NULL;
	b->ring_descs = NULL;
}

/* Free what the device keeps per queue: in-flight buffers and their books. */
static void dm_queue_free(struct dm *dm)
{
	unsigned int i;

	for (i = 0; dm->pend && i < dm->npend; i++)
		dm_buf_free(&dm->pend[(dm->pend_head + i) % dm->cap]);
	free(dm->pend);
	free(dm->desc_busy);
	dm->pend = NULL;
	dm->desc_busy = NULL;
	dm->npend = 0;
}

void dm_destroy(struct dm *dm)
{
	dm_queue_free(dm);
	free(dm->id_busy);
	dm->id_busy = NULL;
}

void dm_queue_reset(struct dm *dm)
{
	dm_queue_free(dm);
	memset(&dm->q, 0, sizeof(dm->q));
	if (dm->id_busy)
		memset(dm->id_busy, 0, 65536);
}

int dm_queue_enable(struct dm *dm, struct vtio_vq *vq)
{
	void *desc = (void *)(uintptr_t)vtio_vq_desc_addr(vq);
	void *drv = (void *)(uintptr_t)vtio_vq_driver_addr(vq);
	void *dev = (void *)(uintptr_t)vtio_vq_device_addr(vq);
	unsigned int num = vtio_vq_get_vring_size(vq);

	if (dm->enabled) {
		dm_err(dm, "queue %u enabled again without a reset", dm->vqn);
		return -EBUSY;
	}
	if (!num || num > VTIO_QUEUE_SIZE_MAX ||
	    (!dm->packed && !is_power_of_2(num))) {
		dm_err(dm, "queue %u enabled with a %s ring of size %u",
		       dm->vqn, dm->packed ? "packed" : "split", num);
		return -EINVAL;
	}
	dm->num = num;
	dm->cap = num;
	dm->pend = calloc(dm->cap, sizeof(*dm->pend));
	dm->desc_busy = calloc(num, 1);
	if (!dm->pend || !dm->desc_busy) {
		dm_queue_reset(dm);
		return -ENOMEM;
	}
	if (dm->packed)
		dm_packed_start(dm, desc, drv, dev);
	else
		dm_split_start(dm, desc, drv, dev);
	/* Our wish on a fresh queue: notify me for every buffer. */
	dm->enabled = true;
	dm_set_notify(dm, DM_NOTIFY_ON, 0);
	return 0;
}

bool dm_add_seg(struct dm *dm, struct dm_buf *b, u64 addr, u32 len,
		bool write, unsigned int *cap)
{
	/* The standard: all device-readable parts before the writable ones. */
	if (!write && b->in_len) {
		dm_err(dm, "buffer %u: device-readable descriptor after a device-writable one",
		       b->id);
		return false;
	}
	if (write)
		b->in_len += len;
	else
		b->out_len += len;
	b->nelems++;
	if (dm->lenient)
		return true;
	if (b->nsegs == *cap) {
		unsigned int ncap = *cap ? *cap * 2 : 4;
		struct dm_seg *s = realloc(b->segs, ncap * sizeof(*s));

		if (!s)
			return false;
		b->segs = s;
		*cap = ncap;
	}
	b->segs[b->nsegs++] = (struct dm_seg){ addr, len, write };
	return true;
}

/*
 * An indirect table: split entries chain with NEXT/next (in order: next
 * must be i + 1), packed entries are sequential and may carry only WRITE.
 */
bool dm_walk_indirect(struct dm *dm, struct dm_buf *b, u64 addr, u32 len,
		      unsigned int *cap)
{
	unsigned int n = len / 16, i, steps;

	b->indirect = true;
	if (!dm->indirect) {
		dm_err(dm, "INDIRECT descriptor without VIRTIO_F_INDIRECT_DESC");
		return false;
	}
	if (!len || len % 16) {
		dm_err(dm, "indirect table length %u is not a positive multiple of 16",
		       len);
		return false;
	}
	if (dm->lenient)
		return true;	/* do not follow a fuzzed address */

	if (dm->packed) {
		const struct vtio_packed_desc *t = (const void *)(uintptr_t)addr;

		for (i = 0; i < n; i++) {
			u16 f = le16_to_cpu(t[i].flags);

			if (f & ~VTIO_DESC_F_WRITE) {
				dm_err(dm, "packed indirect entry %u has flags %#x: only WRITE is allowed",
				       i, f);
				return false;
			}
			if (!dm_add_seg(dm, b, le64_to_cpu(t[i].addr),
					le32_to_cpu(t[i].len),
					f & VTIO_DESC_F_WRITE, cap))
				return false;
		}
		return true;
	}

	{
		const struct vtio_split_desc *t = (const void *)(uintptr_t)addr;

		for (i = 0, steps = 0;; steps++) {
			u16 f = le16_to_cpu(t[i].flags);
			u16 next = le16_to_cpu(t[i].next);

			if (steps >= n) {
				dm_err(dm, "indirect table of %u entries loops", n);
				return false;
			}
			if (f & VTIO_DESC_F_INDIRECT) {
				dm_err(dm, "INDIRECT flag inside an indirect table (entry %u)",
				       i);
				return false;
			}
			if (!dm_add_seg(dm, b, le64_to_cpu(t[i].addr),
					le32_to_cpu(t[i].len),
					f & VTIO_DESC_F_WRITE, cap))
				return false;
			if (!(f & VTIO_DESC_F_NEXT))
				break;
			if (next >= n) {
				dm_err(dm, "indirect entry %u: next %u outside a table of %u",
				       i, next, n);
				return false;
			}
			if (dm->in_order && next != i + 1) {
				dm_err(dm, "in-order: indirect entry %u chains to %u, not %u",
				       i, next, i + 1);
				return false;
			}
			i = next;
		}
		if (steps + 1 != n)
			dm_err(dm, "indirect table has %u entries but the chain uses %u",
			       n, steps + 1);
	}
	return true;
}

/* Read the driver's data (check the pattern): the buffer must be ours. */
static void dm_check_out_data(struct dm *dm, const struct dm_buf *b)
{
	u64 key;
	u32 i, k = 0, s;

	if (!dm->data || dm->lenient || !b->nsegs || b->segs[0].write)
		return;
	key = b->segs[0].addr;
	for (s = 0; s < b->nsegs && !b->segs[s].write; s++) {
		const u8 *p = (const u8 *)(uintptr_t)b->segs[s].addr;

		for (i = 0; i < b->segs[s].len; i++, k++) {
			if (p[i] != dm_pattern(key, k)) {
				dm_err(dm, "buffer %u: readable byte %u is %#x, expected %#x",
				       b->id, k, p[i], dm_pattern(key, k));
				return;
			}
		}
	}
}

/* Write @len bytes of pattern into the device-writable segments. */
static void dm_write_in_data(struct dm *dm, const struct dm_buf *b, u32 len)
{
	u64 key;
	u32 i, k = 0, s;

	if (!dm->data || dm->lenient || !b->nsegs)
		return;
	key = b->segs[0].addr;
	for (s = 0; s < b->nsegs && k < len; s++) {
		u8 *p = (u8 *)(uintptr_t)b->segs[s].addr;

		if (!b->segs[s].write)
			continue;
		for (i = 0; i < b->segs[s].len && k < len; i++, k++)
			p[i] = dm_pattern(key, k);
	}
}

unsigned int dm_fetch(struct dm *dm, unsigned int max)
{
	unsigned int n = 0;

	/* A reset queue is not processed: its memory is not ours. */
	while (dm->enabled && n < max && dm->npend < dm->cap) {
		struct dm_buf *b = &dm->pend[(dm->pend_head + dm->npend) % dm->cap];
		bool ok;

		memset(b, 0, sizeof(*b));
		ok = dm->packed ? dm_packed_fetch_one(dm, b) :
				  dm_split_fetch_one(dm, b);
		if (!ok) {
			dm_buf_free(b);
			break;
		}
		/*
		 * Split: "A driver MUST NOT create a descriptor chain longer
		 * than the Queue Size of the device" (1.1, 2.6.5.3.1; 1.3 keeps
		 * "the queue size ... is the maximum possible descriptor chain
		 * length"), indirect entries included: libvhost-user breaks
		 * the queue on it.  Packed only says "longer than allowed by
		 * the device" for tables, so no limit is assumed there.
		 */
		if (!dm->packed && b->nelems > dm->num)
			dm_err(dm, "buffer %u is a chain of %u elements, longer than the queue size %u",
			       b->id, b->nelems, dm->num);
		b->seq = dm->seq++;
		if (dm->id_busy[b->id] && !dm->lenient)
			dm_err(dm, "buffer id %u made available again while in flight",
			       b->id);
		dm->id_busy[b->id] = 1;
		dm_check_out_data(dm, b);
		dm->npend++;
		dm->st.bufs_fetched++;
		n++;
	}
	return n;
}

const struct dm_buf *dm_pending_buf(const struct dm *dm, unsigned int k)
{
	return k < dm->npend ? &dm->pend[(dm->pend_head + k) % dm->cap] : NULL;
}

/* Take pending buffer @k out of the list (order kept only for k == 0). */
static struct dm_buf dm_take(struct dm *dm, unsigned int k)
{
	struct dm_buf *slot = &dm->pend[(dm->pend_head + k) % dm->cap];
	struct dm_buf b = *slot;
	unsigned int i;

	if (k == 0) {
		dm->pend_head = (dm->pend_head + 1) % dm->cap;
	} else {
		*slot = dm->pend[(dm->pend_head + dm->npend - 1) % dm->cap];
	}
	dm->npend--;
	dm->id_busy[b.id] = 0;
	for (i = 0; b.ring_descs && i < b.slots; i++)
		dm->desc_busy[b.ring_descs[i]] = 0;
	return b;
}

static void dm_publish_used(struct dm *dm, u16 id, u32 len, u16 nbufs,
			    u16 slots)
{
	if (dm->packed)
		dm_packed_write_used(dm, id, len, slots);
	else
		dm_split_write_used(dm, id, len, nbufs);
	dm->st.used_elems++;
}

void dm_complete(struct dm *dm, unsigned int k, u32 len)
{
	struct dm_buf b;

	if (k >= dm->npend) {
		dm_err(dm, "harness bug: completing %u of %u pending", k,
		       dm->npend);
		return;
	}
	if (dm->in_order && k != 0) {
		dm_err(dm, "harness bug: out-of-order completion with IN_ORDER");
		return;
	}
	if (len > dm->pend[(dm->pend_head + k) % dm->cap].in_len)
		dm_err(dm, "harness bug: completing with %u bytes, buffer has %u",
		       len, dm->pend[(dm->pend_head + k) % dm->cap].in_len);
	b = dm_take(dm, k);
	dm_write_in_data(dm, &b, len);
	if (dm->on_used)
		dm->on_used(dm->opaque, &b, len);
	dm_publish_used(dm, b.id, len, 1, b.slots);
	dm->st.bufs_used++;
	dm_buf_free(&b);
}

void dm_complete_batch(struct dm *dm, unsigned int n, u32 len)
{
	unsigned int i, slots = 0;
	struct dm_buf b;

	if (!n || n > dm->npend || (n > 1 && !dm->in_order)) {
		dm_err(dm, "harness bug: batch of %u (pending %u, in_order %d)",
		       n, dm->npend, dm->in_order);
		return;
	}
	if (len > dm->pend[(dm->pend_head + n - 1) % dm->cap].in_len)
		dm_err(dm, "harness bug: batch length %u, last buffer has %u",
		       len, dm->pend[(dm->pend_head + n - 1) % dm->cap].in_len);
	for (i = 0; i < n; i++) {
		b = dm_take(dm, 0);
		slots += b.slots;
		/* Skipped buffers count as completely used: write them all. */
		u32 l = i == n - 1 ? len : b.in_len;

		dm_write_in_data(dm, &b, l);
		if (dm->on_used)
			dm->on_used(dm->opaque, &b, l);
		dm->st.bufs_used++;
		if (i < n - 1)
			dm_buf_free(&b);
	}
	/* One element at the batch's first position, naming its last buffer. */
	dm_publish_used(dm, b.id, len, n, slots);
	dm_buf_free(&b);
}

bool dm_irq_check(struct dm *dm)
{
	u64 old = dm->irq_checked, new = dm->abs_used;
	bool due;

	if (!dm->enabled)
		return false;
	/* Our used writes must be visible before we read the driver's wish. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	dm->irq_checked = new;
	if (new == old)
		return false;
	dm->st.irq_checks++;
	due = dm->packed ? dm_packed_irq_due(dm, old, new) :
			   dm_split_irq_due(dm, old, new);
	if (due)
		dm->st.irqs++;
	return due;
}

bool dm_set_notify(struct dm *dm, enum dm_notify_mode mode, unsigned int k)
{
	if (!dm->enabled) {
		dm_err(dm, "harness bug: notification wish on reset queue %u",
		       dm->vqn);
		return false;
	}
	if (mode == DM_NOTIFY_AT && !dm->event_idx)
		mode = DM_NOTIFY_ON;
	dm->mode = mode;
	dm->event_abs = dm->abs_avail + (mode == DM_NOTIFY_AT ? k : 0);
	if (dm->packed)
		dm_packed_set_notify(dm);
	else
		dm_split_set_notify(dm);
	/* The wish must be visible before we look at the ring again. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return dm_avail_end(dm) != dm->abs_avail;
}

/*
 * Does [old, new) contain a position equal to @event modulo @period?  The
 * standard compares 16-bit indexes (split) and offset + wrap bit (packed,
 * a period of two laps), so a wish repeats every period.
 */
bool dm_window_hits(u64 event, u64 old, u64 new, u64 period)
{
	u64 dist = (event % period + period - old % period) % period;

	return new > old && dist < new - old;
}

bool dm_notify_expected(const struct dm *dm, u64 old_abs, u64 new_abs)
{
	u64 period = dm->packed ? 2 * (u64)dm->num : 65536;
	bool crossed = dm_window_hits(dm->event_abs, old_abs, new_abs, period);

	if (new_abs <= old_abs)
		return false;
	if (dm->packed) {
		/* ENABLE / DISABLE / DESC, whatever EVENT_IDX says. */
		if (dm->mode == DM_NOTIFY_OFF)
			return false;
		return dm->mode == DM_NOTIFY_ON || crossed;
	}
	/* Split: flags without EVENT_IDX, avail_event (always) with it. */
	if (!dm->event_idx)
		return dm->mode != DM_NOTIFY_OFF;
	return crossed;
}

u64 dm_avail_end(const struct dm *dm)
{
	if (!dm->enabled)
		return dm->abs_avail;
	return dm->packed ? dm_packed_avail_end(dm) : dm_split_avail_end(dm);
}

void dm_on_notify(struct dm *dm, u32 data)
{
	dm->st.notifies++;
	if (!dm->enabled) {
		dm_err(dm, "notification for queue %u while it is reset",
		       dm->vqn);
		return;
	}
	if (!dm->notif_data) {
		if (data != dm->vqn)
			dm_err(dm, "notification carries %#x, expected queue index %u",
			       data, dm->vqn);
		return;
	}
	if ((data & 0xffff) != dm->vqn) {
		dm_err(dm, "notification data %#x names queue %u, expected %u",
		       data, data & 0xffff, dm->vqn);
		return;
	}
	if (dm->packed)
		dm_packed_check_notify(dm, data);
	else
		dm_split_check_notify(dm, data);
}

void dm_raw_used(struct dm *dm, u32 id, u32 len, u16 idx_advance, u16 slots)
{
	if (dm->packed) {
		dm_packed_write_used(dm, (u16)id, len, slots);
	} else {
		/* A split element holds a 32-bit id: write it whole. */
		struct vtio_split_used_elem *e =
			&dm->used->ring[dm->used_idx & (dm->num - 1)];

		WRITE_ONCE(e->id, cpu_to_le32(id));
		WRITE_ONCE(e->len, cpu_to_le32(len));
		__atomic_thread_fence(__ATOMIC_RELEASE);
		dm->used_idx += idx_advance;
		dm->abs_used += idx_advance;
		WRITE_ONCE(dm->used->idx, cpu_to_le16(dm->used_idx));
	}
}
