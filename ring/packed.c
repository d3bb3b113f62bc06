// SPDX-License-Identifier: GPL-2.0
/*
 * Packed virtqueue layout (virtio 1.3, 2.8): one descriptor ring shared by
 * both sides, ownership signalled by the AVAIL/USED flag bits against each
 * side's wrap counter, plus two event suppression structures.
 */
#include <linux/slab.h>

#include "ring.h"

#define PACKED_WRAP_SHIFT	VTIO_EVENT_WRAP_SHIFT
#define PACKED_IDX_MASK		(BIT(PACKED_WRAP_SHIFT) - 1)

size_t vtio_packed_bytes(unsigned int num)
{
	return num * sizeof(struct vtio_packed_desc) +
	       2 * sizeof(struct vtio_packed_event);
}

/* A descriptor is used when AVAIL and USED both equal the wrap counter. */
static bool packed_desc_is_used(const struct vtio_ring *r, unsigned int idx,
				bool wrap)
{
	u16 flags = le16_to_cpu(READ_ONCE(r->packed.desc[idx].flags));
	bool avail = flags & VTIO_DESC_F_AVAIL;
	bool used = flags & VTIO_DESC_F_USED;

	return avail == used && used == wrap;
}

static u16 packed_off_wrap(unsigned int idx, bool wrap)
{
	return idx | (u16)wrap << PACKED_WRAP_SHIFT;
}

static void packed_write_desc(struct vtio_packed_desc *d,
			      const struct vtio_desc_extra *e, u16 id)
{
	d->addr = cpu_to_le64(e->addr);
	d->len = cpu_to_le32(e->len);
	d->id = cpu_to_le16(id);
}

static void packed_set_event_flags(struct vtio_ring *r, u16 flags)
{
	if (r->packed.event_flags_shadow == flags)
		return;
	r->packed.event_flags_shadow = flags;
	WRITE_ONCE(r->packed.driver_event->flags, cpu_to_le16(flags));
}

int vtio_packed_add(struct vtio_ring *r, struct scatterlist *sgs[],
		    unsigned int total_sg, unsigned int out_sgs,
		    unsigned int in_sgs, void *data, void *ctx, gfp_t gfp)
{
	struct vtio_packed *p = &r->packed;
	unsigned int i, idx, pos = p->next_avail_idx, head_pos = pos;
	u16 head_flags = 0;
	struct vtio_ring_req req;
	int err;

	err = vtio_ring_add_begin(r, &req, sgs, total_sg, out_sgs, in_sgs,
				  data, ctx, gfp);
	if (err)
		return err;

	if (req.ind) {
		struct vtio_packed_desc *table = req.ind->table;

		/* Inside a table only WRITE is meaningful. */
		for (i = 0; i < total_sg; i++) {
			packed_write_desc(&table[i], &req.ind->extra[i], 0);
			table[i].flags = cpu_to_le16(req.ind->extra[i].flags &
						     VTIO_DESC_F_WRITE);
		}
		err = vtio_ring_add_indirect(r, &req);
		if (err)
			return err;
	}

	/* Every slot gets the buffer id; the device reads it from the last. */
	for (i = 0, idx = req.head; i < req.ndescs; i++) {
		const struct vtio_desc_extra *e = &r->extra[idx];
		u16 flags = (e->flags & ~(VTIO_DESC_F_AVAIL | VTIO_DESC_F_USED)) |
			    p->avail_used_flags;

		if (i < req.ndescs - 1)
			flags |= VTIO_DESC_F_NEXT;
		else
			flags &= ~VTIO_DESC_F_NEXT;
		packed_write_desc(&p->desc[pos], e, req.head);
		if (i == 0)
			head_flags = flags;
		else
			p->desc[pos].flags = cpu_to_le16(flags);
		idx = e->next;
		if (++pos == r->num) {
			pos = 0;
			p->avail_wrap = !p->avail_wrap;
			p->avail_used_flags ^= VTIO_DESC_F_AVAIL |
					       VTIO_DESC_F_USED;
		}
	}
	p->next_avail_idx = pos;
	vtio_ring_add_commit(r, &req, data, ctx);

	/* The head's flags publish the whole chain: last, behind a barrier. */
	vtio_ring_wmb(r);
	WRITE_ONCE(p->desc[head_pos].flags, cpu_to_le16(head_flags));

	r->num_added += req.ndescs;
	/* Keep the kick_prepare window within one lap of the ring. */
	if (unlikely(r->num_added >= r->num))
		vtio_vq_kick(&r->vq);
	return 0;
}

bool vtio_packed_kick_prepare(struct vtio_ring *r)
{
	struct vtio_packed *p = &r->packed;
	u16 new = p->next_avail_idx, old = new - r->num_added;
	u16 off_wrap, flags, event;

	/* Our descriptors must be visible before we read the device's wish. */
	vtio_ring_mb(r);
	r->num_added = 0;

	off_wrap = le16_to_cpu(READ_ONCE(p->device_event->desc));
	flags = le16_to_cpu(READ_ONCE(p->device_event->flags));
	if (flags != VTIO_EVENT_F_DESC)
		return flags != VTIO_EVENT_F_DISABLE;

	/* An offset in the previous lap is "behind": shift it down by num. */
	event = off_wrap & PACKED_IDX_MASK;
	if ((bool)(off_wrap >> PACKED_WRAP_SHIFT) != p->avail_wrap)
		event -= r->num;
	return vtio_need_event(event, new, old);
}

bool vtio_packed_more_used(struct vtio_ring *r)
{
	return r->batch_last != VTIO_NO_BATCH ||
	       packed_desc_is_used(r, r->last_used_idx, r->packed.used_wrap);
}

void *vtio_packed_get_buf(struct vtio_ring *r, unsigned int *len, void **ctx)
{
	struct vtio_packed *p = &r->packed;
	unsigned int last = r->last_used_idx, id;
	void *data;
	u32 l;

	if (r->batch_last != VTIO_NO_BATCH) {
		vtio_ring_take_batched(r, &id, &l);
	} else {
		if (!packed_desc_is_used(r, last, p->used_wrap))
			return NULL;
		/* Read id and length only after the flags publishing them. */
		vtio_ring_rmb(r);
		if (vtio_ring_take_used(r, le16_to_cpu(READ_ONCE(p->desc[last].id)),
					le32_to_cpu(READ_ONCE(p->desc[last].len)),
					r->num, &id, &l))
			return NULL;
	}

	data = r->state[id].data;
	/* The device skips the whole chain: so do we. */
	last += r->state[id].ndescs;
	if (last >= r->num) {
		last -= r->num;
		p->used_wrap = !p->used_wrap;
	}
	r->last_used_idx = last;
	vtio_ring_detach(r, id, ctx);

	if (p->event_flags_shadow == VTIO_EVENT_F_DESC)
		/* EVENT_IDX: interrupt at the next used slot; before next read */
		virt_store_mb(p->driver_event->desc,
			      cpu_to_le16(packed_off_wrap(last, p->used_wrap)));
	*len = l;
	return data;
}

void vtio_packed_disable_cb(struct vtio_ring *r)
{
	packed_set_event_flags(r, VTIO_EVENT_F_DISABLE);
}

/* Ask for an interrupt once the device reaches @off_wrap (or any use). */
static void packed_arm_event(struct vtio_ring *r, u16 off_wrap)
{
	if (r->event_idx) {
		WRITE_ONCE(r->packed.driver_event->desc, cpu_to_le16(off_wrap));
		/* The position must be visible before the flags enabling it. */
		virt_wmb();
	}
	packed_set_event_flags(r, r->event_idx ? VTIO_EVENT_F_DESC :
						 VTIO_EVENT_F_ENABLE);
}

unsigned int vtio_packed_enable_cb_prepare(struct vtio_ring *r)
{
	u16 off_wrap = packed_off_wrap(r->last_used_idx, r->packed.used_wrap);

	packed_arm_event(r, off_wrap);
	return off_wrap;
}

bool vtio_packed_poll(struct vtio_ring *r, unsigned int off_wrap)
{
	unsigned int idx = off_wrap & PACKED_IDX_MASK;

	/* Our enable must be visible before we look at the ring. */
	vtio_ring_mb(r);
	if (idx >= r->num)
		return false;
	return packed_desc_is_used(r, idx, off_wrap >> PACKED_WRAP_SHIFT);
}

bool vtio_packed_enable_cb_delayed(struct vtio_ring *r)
{
	unsigned int bufs = (r->num - r->vq.num_free) * 3 / 4;
	unsigned int idx = r->last_used_idx + bufs;
	bool wrap = r->packed.used_wrap;

	if (idx >= r->num) {
		idx -= r->num;
		wrap = !wrap;
	}
	packed_arm_event(r, packed_off_wrap(idx, wrap));
	vtio_ring_mb(r);
	return !packed_desc_is_used(r, r->last_used_idx, r->packed.used_wrap);
}

void *vtio_packed_detach_unused(struct vtio_ring *r)
{
	unsigned int id;
	void *data;

	for (id = 0; id < r->num; id++) {
		data = r->state[id].data;
		if (!data)
			continue;
		vtio_ring_detach(r, id, NULL);
		return data;
	}
	return NULL;
}

static u32 packed_notification_data(const struct vtio_ring *r)
{
	return r->vq.index |
	       (u32)packed_off_wrap(r->packed.next_avail_idx,
				    r->packed.avail_wrap) << 16;
}

static dma_addr_t packed_driver_area(const struct vtio_ring *r)
{
	return r->queue_dma + r->num * sizeof(struct vtio_packed_desc);
}

static dma_addr_t packed_device_area(const struct vtio_ring *r)
{
	return packed_driver_area(r) + sizeof(struct vtio_packed_event);
}

int vtio_packed_init(struct vtio_ring *r)
{
	struct vtio_packed *p = &r->packed;

	p->desc = r->queue;
	p->driver_event = (void *)(p->desc + r->num);
	p->device_event = p->driver_event + 1;
	/* Both sides start on lap 1: available means AVAIL=1, USED=0. */
	p->avail_wrap = true;
	p->used_wrap = true;
	p->avail_used_flags = VTIO_DESC_F_AVAIL;
	p->event_flags_shadow = VTIO_EVENT_F_ENABLE;
	if (!r->vq.callback)
		vtio_packed_disable_cb(r);
	return 0;
}

const struct vtio_ring_ops vtio_packed_ops = {
	.add			= vtio_packed_add,
	.kick_prepare		= vtio_packed_kick_prepare,
	.get_buf		= vtio_packed_get_buf,
	.more_used		= vtio_packed_more_used,
	.disable_cb		= vtio_packed_disable_cb,
	.enable_cb_prepare	= vtio_packed_enable_cb_prepare,
	.poll			= vtio_packed_poll,
	.enable_cb_delayed	= vtio_packed_enable_cb_delayed,
	.detach_unused		= vtio_packed_detach_unused,
	.notification_data	= packed_notification_data,
	.driver_area		= packed_driver_area,
	.device_area		= packed_device_area,
};
