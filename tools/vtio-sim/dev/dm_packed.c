// SPDX-License-Identifier: GPL-2.0
/*
 * Device model, packed ring half (virtio 1.3, 2.8): one descriptor ring
 * whose AVAIL/USED bits are read against our wrap counters, used
 * descriptors written in place, and the two event suppression areas.
 *
 * Positions are kept absolute too (slots since the start): a slot's lap
 * parity gives its wrap counter, lap 0 having wrap = 1.
 */
#include <stdlib.h>

#include "devmodel.h"

static bool dm_is_avail(u16 flags, bool wrap)
{
	return !!(flags & VTIO_DESC_F_AVAIL) == wrap &&
	       !!(flags & VTIO_DESC_F_USED) != wrap;
}

static bool abs_wrap(const struct dm *dm, u64 pos)
{
	return !((pos / dm->num) & 1);
}

static u16 abs_off_wrap(const struct dm *dm, u64 pos)
{
	return (u16)(pos % dm->num) |
	       (u16)abs_wrap(dm, pos) << VTIO_EVENT_WRAP_SHIFT;
}

bool dm_packed_fetch_one(struct dm *dm, struct dm_buf *b)
{
	unsigned int cap = 0, pos = dm->avail_off;
	bool wrap = dm->avail_wrap;
	u16 flags = le16_to_cpu(READ_ONCE(dm->pdesc[pos].flags));

	if (!dm_is_avail(flags, wrap))
		return false;
	/* The rest of the descriptor only after the flags publishing it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);

	for (;;) {
		const struct vtio_packed_desc *d = &dm->pdesc[pos];
		u64 addr = le64_to_cpu(READ_ONCE(d->addr));
		u32 len = le32_to_cpu(READ_ONCE(d->len));

		flags = le16_to_cpu(READ_ONCE(d->flags));
		if (b->slots && !dm_is_avail(flags, wrap)) {
			/* The head was published last: the rest must be there. */
			dm_err(dm, "slot %u (chain from %u) is not available: flags %#x, wrap %d",
			       pos, dm->avail_off, flags, wrap);
			return false;
		}
		if (++b->slots > dm->num) {
			dm_err(dm, "chain from slot %u is longer than the queue",
			       dm->avail_off);
			return false;
		}
		if (flags & VTIO_DESC_F_INDIRECT) {
			if (flags & VTIO_DESC_F_NEXT) {
				dm_err(dm, "slot %u has both INDIRECT and NEXT", pos);
				return false;
			}
			if (!dm_walk_indirect(dm, b, addr, len, &cap))
				return false;
		} else if (!dm_add_seg(dm, b, addr, len,
				       flags & VTIO_DESC_F_WRITE, &cap)) {
			return false;
		}
		if (++pos == dm->num) {
			pos = 0;
			wrap = !wrap;
		}
		if (!(flags & VTIO_DESC_F_NEXT)) {
			/* The buffer id lives in the chain's last descriptor. */
			b->id = le16_to_cpu(READ_ONCE(d->id));
			break;
		}
	}
	dm->avail_off = pos;
	dm->avail_wrap = wrap;
	dm->abs_avail += b->slots;
	return true;
}

/*
 * A used descriptor at our used slot: id and len first, then flags with
 * AVAIL = USED = our wrap counter; then skip the @slots the buffer (or
 * in-order batch) occupied.
 */
void dm_packed_write_used(struct dm *dm, u16 id, u32 len, u16 slots)
{
	struct vtio_packed_desc *d = &dm->pdesc[dm->used_off];
	u16 flags = dm->used_wrap ? VTIO_DESC_F_AVAIL | VTIO_DESC_F_USED : 0;

	WRITE_ONCE(d->id, cpu_to_le16(id));
	WRITE_ONCE(d->len, cpu_to_le32(len));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(d->flags, cpu_to_le16(flags));
	dm->abs_used += slots;
	dm->used_off = dm->abs_used % dm->num;
	dm->used_wrap = abs_wrap(dm, dm->abs_used);
}

/*
 * An "off | wrap" event names a slot modulo two laps: lap 0 of each pair
 * has wrap = 1.  Position within that period of 2 * num slots.
 */
static u64 dm_event_pos(const struct dm *dm, u16 off_wrap)
{
	u64 off = off_wrap & (BIT(VTIO_EVENT_WRAP_SHIFT) - 1);

	return off_wrap >> VTIO_EVENT_WRAP_SHIFT ? off : off + dm->num;
}

bool dm_packed_irq_due(struct dm *dm, u64 old_abs, u64 new_abs)
{
	u16 flags = le16_to_cpu(READ_ONCE(dm->drv_evt->flags));
	u16 desc;

	switch (flags) {
	case VTIO_EVENT_F_ENABLE:
		return true;
	case VTIO_EVENT_F_DISABLE:
		return false;
	case VTIO_EVENT_F_DESC:
		if (!dm->event_idx) {
			dm_err(dm, "driver event flags DESC without EVENT_IDX");
			return true;
		}
		break;
	default:
		dm_err(dm, "driver event flags %#x are reserved", flags);
		return true;
	}
	/* The offset only after the flags enabling it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	desc = le16_to_cpu(READ_ONCE(dm->drv_evt->desc));
	if ((desc & (BIT(VTIO_EVENT_WRAP_SHIFT) - 1)) >= dm->num) {
		dm_err(dm, "driver event offset %u outside a queue of %u",
		       desc & 0x7fff, dm->num);
		return true;
	}
	/* Did this batch of used slots cover the slot the driver named? */
	return dm_window_hits(dm_event_pos(dm, desc), old_abs, new_abs,
			      2 * (u64)dm->num);
}

void dm_packed_set_notify(struct dm *dm)
{
	u16 flags = dm->mode == DM_NOTIFY_OFF ? VTIO_EVENT_F_DISABLE :
		    dm->mode == DM_NOTIFY_ON ? VTIO_EVENT_F_ENABLE :
					       VTIO_EVENT_F_DESC;

	if (flags == VTIO_EVENT_F_DESC) {
		WRITE_ONCE(dm->dev_evt->desc,
			   cpu_to_le16(abs_off_wrap(dm, dm->event_abs)));
		/* The position before the flags that make it count. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	WRITE_ONCE(dm->dev_evt->flags, cpu_to_le16(flags));
}

/* Walk the available descriptors past our cursor (at most one lap). */
u64 dm_packed_avail_end(const struct dm *dm)
{
	unsigned int pos = dm->avail_off, n;
	bool wrap = dm->avail_wrap;

	for (n = 0; n < dm->num; n++) {
		u16 flags = le16_to_cpu(READ_ONCE(dm->pdesc[pos].flags));

		if (!dm_is_avail(flags, wrap))
			break;
		if (++pos == dm->num) {
			pos = 0;
			wrap = !wrap;
		}
	}
	return dm->abs_avail + n;
}

/* NOTIFICATION_DATA, packed: vqn | next_off << 16 | next_wrap << 31. */
void dm_packed_check_notify(struct dm *dm, u32 data)
{
	u16 want = abs_off_wrap(dm, dm_packed_avail_end(dm));

	if ((data >> 16) != want)
		dm_err(dm, "notification data next_off %u wrap %u, but the driver's next slot is %u wrap %u",
		       (data >> 16) & 0x7fff, data >> 31, want & 0x7fff,
		       want >> VTIO_EVENT_WRAP_SHIFT);
}

/*
 * A queue just enabled: both sides start on lap 1 (wrap counters set), so
 * no slot may look available for that lap yet, or we would fetch what the
 * driver never made available on this ring.
 */
void dm_packed_start(struct dm *dm, void *desc, void *driver, void *device)
{
	unsigned int i;

	dm->pdesc = desc;
	dm->drv_evt = driver;
	dm->dev_evt = device;
	dm->avail_wrap = true;
	dm->used_wrap = true;
	for (i = 0; i < dm->num; i++) {
		u16 flags = le16_to_cpu(READ_ONCE(dm->pdesc[i].flags));

		if (dm_is_avail(flags, true)) {
			dm_err(dm, "queue %u enabled with slot %u available (flags %#x): a new ring has none",
			       dm->vqn, i, flags);
			break;
		}
	}
}
