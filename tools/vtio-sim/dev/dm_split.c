// SPDX-License-Identifier: GPL-2.0
/*
 * Device model, split ring half (virtio 1.3, 2.7): avail ring and
 * descriptor table in, used ring out, flags / EVENT_IDX suppression.
 */
#include <stdlib.h>

#include "devmodel.h"

static __le16 *dm_used_event(const struct dm *dm)
{
	return &dm->avail->ring[dm->num];
}

static __le16 *dm_avail_event(const struct dm *dm)
{
	return (__le16 *)&dm->used->ring[dm->num];
}

/* Read one chain from the avail ring into @b; false: nothing / broken. */
bool dm_split_fetch_one(struct dm *dm, struct dm_buf *b)
{
	u16 avail_idx = le16_to_cpu(READ_ONCE(dm->avail->idx));
	unsigned int cap = 0, idx, steps = 0, rcap = 0;
	u16 head;

	if (avail_idx == dm->last_avail)
		return false;
	if ((u16)(avail_idx - dm->last_avail) > dm->num) {
		dm_err(dm, "avail idx %u is %u entries past our %u: more than the queue size %u",
		       avail_idx, (u16)(avail_idx - dm->last_avail),
		       dm->last_avail, dm->num);
		return false;
	}
	/* Entries and descriptors only after the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = le16_to_cpu(READ_ONCE(dm->avail->ring[dm->last_avail & (dm->num - 1)]));
	if (head >= dm->num) {
		dm_err(dm, "avail entry %u names descriptor %u, queue size %u",
		       dm->last_avail, head, dm->num);
		return false;
	}
	if (dm->in_order && head != dm->next_head && !dm->lenient) {
		dm_err(dm, "in-order: chain starts at descriptor %u, ring order expects %u",
		       head, dm->next_head);
		return false;
	}
	b->id = head;

	for (idx = head;; steps++) {
		const struct vtio_split_desc *d = &dm->sdesc[idx];
		u16 flags = le16_to_cpu(READ_ONCE(d->flags));
		u16 next = le16_to_cpu(READ_ONCE(d->next));
		u64 addr = le64_to_cpu(READ_ONCE(d->addr));
		u32 len = le32_to_cpu(READ_ONCE(d->len));

		if (steps >= dm->num) {
			dm_err(dm, "chain at %u is longer than the queue (loop?)",
			       head);
			return false;
		}
		if (!dm->lenient) {
			if (dm->desc_busy[idx]) {
				dm_err(dm, "descriptor %u is part of a chain already in flight",
				       idx);
				return false;
			}
			if (b->slots == rcap) {
				u16 *r;

				rcap = rcap ? rcap * 2 : 4;
				r = realloc(b->ring_descs, rcap * sizeof(*r));
				if (!r)
					return false;
				b->ring_descs = r;
			}
			b->ring_descs[b->slots] = idx;
			dm->desc_busy[idx] = 1;
		}
		b->slots++;
		if (flags & VTIO_DESC_F_INDIRECT) {
			if (flags & VTIO_DESC_F_NEXT) {
				dm_err(dm, "descriptor %u has both INDIRECT and NEXT",
				       idx);
				return false;
			}
			if (!dm_walk_indirect(dm, b, addr, len, &cap))
				return false;
			break;
		}
		if (!dm_add_seg(dm, b, addr, len, flags & VTIO_DESC_F_WRITE, &cap))
			return false;
		if (!(flags & VTIO_DESC_F_NEXT))
			break;
		if (next >= dm->num) {
			dm_err(dm, "descriptor %u: next %u, queue size %u", idx,
			       next, dm->num);
			return false;
		}
		if (dm->in_order && next != (idx + 1) % dm->num) {
			dm_err(dm, "in-order: descriptor %u chains to %u, not %u",
			       idx, next, (idx + 1) % dm->num);
			return false;
		}
		idx = next;
	}
	dm->next_head = (head + b->slots) % dm->num;
	dm->last_avail++;
	dm->abs_avail++;
	return true;
}

/*
 * One used element at our used index; the index then moves by @advance
 * (1, or the batch size for an in-order batch).
 */
void dm_split_write_used(struct dm *dm, u16 id, u32 len, u16 advance)
{
	struct vtio_split_used_elem *e = &dm->used->ring[dm->used_idx & (dm->num - 1)];

	WRITE_ONCE(e->id, cpu_to_le32(id));
	WRITE_ONCE(e->len, cpu_to_le32(len));
	/* The element must be visible before the index that covers it. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	dm->used_idx += advance;
	dm->abs_used += advance;
	WRITE_ONCE(dm->used->idx, cpu_to_le16(dm->used_idx));
}

/* The used index moved over [old, new): did it pass what the driver asked? */
bool dm_split_irq_due(struct dm *dm, u64 old_abs, u64 new_abs)
{
	u16 flags = le16_to_cpu(READ_ONCE(dm->avail->flags));
	u16 event;

	if (!dm->event_idx) {
		if (flags & ~VTIO_AVAIL_F_NO_INTERRUPT)
			dm_err(dm, "avail flags %#x has undefined bits", flags);
		return !(flags & VTIO_AVAIL_F_NO_INTERRUPT);
	}
	/* With EVENT_IDX the driver MUST keep flags at 0. */
	if (flags)
		dm_err(dm, "avail flags %#x with EVENT_IDX (must be 0)", flags);
	event = le16_to_cpu(READ_ONCE(*dm_used_event(dm)));
	/* Did we write the entry at index used_event (mod 2^16)? */
	return dm_window_hits(event, old_abs, new_abs, 65536);
}

void dm_split_set_notify(struct dm *dm)
{
	if (!dm->event_idx) {
		WRITE_ONCE(dm->used->flags,
			   cpu_to_le16(dm->mode == DM_NOTIFY_OFF ?
				       VTIO_USED_F_NO_NOTIFY : 0));
		return;
	}
	/*
	 * EVENT_IDX has no "off": ask for the entry half the index space
	 * away, which the driver reaches only if we stop reading for long.
	 */
	if (dm->mode == DM_NOTIFY_OFF)
		dm->event_abs = dm->abs_avail + 0x8000;
	WRITE_ONCE(*dm_avail_event(dm), cpu_to_le16((u16)dm->event_abs));
}

u64 dm_split_avail_end(const struct dm *dm)
{
	u16 idx = le16_to_cpu(READ_ONCE(dm->avail->idx));

	return dm->abs_avail + (u16)(idx - dm->last_avail);
}

/* NOTIFICATION_DATA, split: vqn | next_idx << 16, next_idx = avail idx. */
void dm_split_check_notify(struct dm *dm, u32 data)
{
	u16 idx = le16_to_cpu(READ_ONCE(dm->avail->idx));

	if ((data >> 16) != idx)
		dm_err(dm, "notification data next_idx %u, but avail idx is %u",
		       data >> 16, idx);
}

/*
 * A queue just enabled: we read the avail ring from entry 0, so a driver
 * that did not start its ring afresh would feed us stale entries.
 */
void dm_split_start(struct dm *dm, void *desc, void *driver, void *device)
{
	u16 idx;

	dm->sdesc = desc;
	dm->avail = driver;
	dm->used = device;
	idx = le16_to_cpu(READ_ONCE(dm->avail->idx));
	if (idx)
		dm_err(dm, "queue %u enabled with avail idx %u: a new ring starts at 0",
		       dm->vqn, idx);
}
