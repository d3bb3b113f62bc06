// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue layout (virtio 1.3, 2.7): descriptor table, available
 * ring (driver -> device) and used ring (device -> driver).
 */
#include <linux/slab.h>

#include "ring.h"

static __le16 *split_used_event(struct vtio_ring *r)
{
	return &r->split.avail->ring[r->num];
}

static __le16 *split_avail_event(struct vtio_ring *r)
{
	return (__le16 *)&r->split.used->ring[r->num];
}

static u16 split_used_idx(const struct vtio_ring *r)
{
	return le16_to_cpu(READ_ONCE(r->split.used->idx));
}

static void split_write_avail_flags(struct vtio_ring *r)
{
	WRITE_ONCE(r->split.avail->flags,
		   cpu_to_le16(r->split.avail_flags_shadow));
}

static void split_set_desc(struct vtio_split_desc *d,
			   const struct vtio_desc_extra *e)
{
	d->addr = cpu_to_le64(e->addr);
	d->len = cpu_to_le32(e->len);
	d->flags = cpu_to_le16(e->flags);
	d->next = cpu_to_le16(e->next);
}

int vtio_split_add(struct vtio_ring *r, struct scatterlist *sgs[],
		   unsigned int total_sg, unsigned int out_sgs,
		   unsigned int in_sgs, void *data, void *ctx, gfp_t gfp)
{
	struct vtio_split *s = &r->split;
	struct vtio_ring_req req;
	unsigned int i, idx;
	int err;

	err = vtio_ring_add_begin(r, &req, sgs, total_sg, out_sgs, in_sgs,
				  data, ctx, gfp);
	if (err)
		return err;

	if (req.ind) {
		struct vtio_split_desc *table = req.ind->table;

		for (i = 0; i < total_sg; i++)
			split_set_desc(&table[i], &req.ind->extra[i]);
		err = vtio_ring_add_indirect(r, &req);
		if (err)
			return err;
		split_set_desc(&s->desc[req.head], &r->extra[req.head]);
	} else {
		for (i = 0, idx = req.head; i < total_sg; i++) {
			split_set_desc(&s->desc[idx], &r->extra[idx]);
			idx = r->extra[idx].next;
		}
	}
	vtio_ring_add_commit(r, &req, data, ctx);

	/* Descriptors must be visible before the avail entry that names them. */
	s->avail->ring[s->avail_idx_shadow & (r->num - 1)] =
		cpu_to_le16(req.head);
	vtio_ring_wmb(r);
	s->avail_idx_shadow++;
	WRITE_ONCE(s->avail->idx, cpu_to_le16(s->avail_idx_shadow));

	/* The old/new window of kick_prepare must not wrap. */
	if (unlikely(++r->num_added == 0xffff))
		vtio_vq_kick(&r->vq);
	return 0;
}

bool vtio_split_more_used(struct vtio_ring *r)
{
	return r->last_used_idx != split_used_idx(r);
}

void *vtio_split_get_buf(struct vtio_ring *r, unsigned int *len, void **ctx)
{
	struct vtio_split *s = &r->split;
	unsigned int id;
	void *data;
	u32 l;

	if (r->batch_last != VTIO_NO_BATCH) {
		vtio_ring_take_batched(r, &id, &l);
	} else {
		u16 used_idx = split_used_idx(r);
		u16 ahead = used_idx - r->last_used_idx;
		u16 outstanding = s->avail_idx_shadow - r->last_used_idx;
		unsigned int slot = r->last_used_idx & (r->num - 1);

		if (!ahead)
			return NULL;
		if (unlikely(ahead > outstanding)) {
			vtio_ring_set_broken(r,
					     "device moved used index to %u, %u past %u, but only %u buffers are outstanding",
					     used_idx, ahead, r->last_used_idx,
					     outstanding);
			return NULL;
		}
		/* Read the element only after the index that covers it. */
		vtio_ring_rmb(r);
		if (vtio_ring_take_used(r,
					le32_to_cpu(READ_ONCE(s->used->ring[slot].id)),
					le32_to_cpu(READ_ONCE(s->used->ring[slot].len)),
					ahead, &id, &l))
			return NULL;
	}

	data = r->state[id].data;
	vtio_ring_detach(r, id, ctx);
	r->last_used_idx++;
	if (r->event_idx && !(s->avail_flags_shadow & VTIO_AVAIL_F_NO_INTERRUPT))
		/* Ask for an interrupt at the next entry; before the next read. */
		virt_store_mb(*split_used_event(r),
			      cpu_to_le16(r->last_used_idx));
	*len = l;
	return data;
}

bool vtio_split_kick_prepare(struct vtio_ring *r)
{
	struct vtio_split *s = &r->split;
	u16 new = s->avail_idx_shadow;
	u16 old = new - r->num_added;

	/* The avail index must be visible before we read the device's wish. */
	vtio_ring_mb(r);
	r->num_added = 0;

	if (r->event_idx)
		return vtio_need_event(le16_to_cpu(READ_ONCE(*split_avail_event(r))),
				       new, old);
	return !(le16_to_cpu(READ_ONCE(s->used->flags)) &
		 VTIO_USED_F_NO_NOTIFY);
}

void vtio_split_disable_cb(struct vtio_ring *r)
{
	struct vtio_split *s = &r->split;

	if (s->avail_flags_shadow & VTIO_AVAIL_F_NO_INTERRUPT)
		return;
	s->avail_flags_shadow |= VTIO_AVAIL_F_NO_INTERRUPT;
	if (r->event_idx)
		/* Half the index space away: the device will not reach it. */
		WRITE_ONCE(*split_used_event(r),
			   cpu_to_le16(r->last_used_idx + 0x8000));
	else
		split_write_avail_flags(r);
}

static void split_enable_flags(struct vtio_ring *r)
{
	struct vtio_split *s = &r->split;

	if (!(s->avail_flags_shadow & VTIO_AVAIL_F_NO_INTERRUPT))
		return;
	s->avail_flags_shadow &= ~VTIO_AVAIL_F_NO_INTERRUPT;
	if (!r->event_idx)
		split_write_avail_flags(r);
}

unsigned int vtio_split_enable_cb_prepare(struct vtio_ring *r)
{
	u16 last = r->last_used_idx;

	split_enable_flags(r);
	if (r->event_idx)
		WRITE_ONCE(*split_used_event(r), cpu_to_le16(last));
	return last;
}

bool vtio_split_poll(struct vtio_ring *r, unsigned int last_used)
{
	/* Our enable must be visible before we look at the used index. */
	vtio_ring_mb(r);
	return (u16)last_used != split_used_idx(r);
}

bool vtio_split_enable_cb_delayed(struct vtio_ring *r)
{
	u16 bufs = (u16)(r->split.avail_idx_shadow - r->last_used_idx) * 3 / 4;

	split_enable_flags(r);
	if (r->event_idx)
		WRITE_ONCE(*split_used_event(r),
			   cpu_to_le16(r->last_used_idx + bufs));
	vtio_ring_mb(r);
	return (u16)(split_used_idx(r) - r->last_used_idx) <= bufs;
}

void *vtio_split_detach_unused(struct vtio_ring *r)
{
	struct vtio_split *s = &r->split;
	unsigned int i;
	void *data;

	for (i = 0; i < r->num; i++) {
		data = r->state[i].data;
		if (!data)
			continue;
		vtio_ring_detach(r, i, NULL);
		s->avail_idx_shadow--;
		WRITE_ONCE(s->avail->idx, cpu_to_le16(s->avail_idx_shadow));
		return data;
	}
	return NULL;
}

static u32 split_notification_data(const struct vtio_ring *r)
{
	return r->vq.index | (u32)r->split.avail_idx_shadow << 16;
}

static dma_addr_t split_driver_area(const struct vtio_ring *r)
{
	return r->queue_dma + vtio_split_avail_offset(r->num);
}

static dma_addr_t split_device_area(const struct vtio_ring *r)
{
	return r->queue_dma + vtio_split_used_offset(r->num);
}

int vtio_split_init(struct vtio_ring *r)
{
	struct vtio_split *s = &r->split;

	s->desc = r->queue;
	s->avail = r->queue + vtio_split_avail_offset(r->num);
	s->used = r->queue + vtio_split_used_offset(r->num);
	/* A queue without a callback never wants interrupts. */
	if (!r->vq.callback)
		vtio_split_disable_cb(r);
	return 0;
}

const struct vtio_ring_ops vtio_split_ops = {
	.add			= vtio_split_add,
	.kick_prepare		= vtio_split_kick_prepare,
	.get_buf		= vtio_split_get_buf,
	.more_used		= vtio_split_more_used,
	.disable_cb		= vtio_split_disable_cb,
	.enable_cb_prepare	= vtio_split_enable_cb_prepare,
	.poll			= vtio_split_poll,
	.enable_cb_delayed	= vtio_split_enable_cb_delayed,
	.detach_unused		= vtio_split_detach_unused,
	.notification_data	= split_notification_data,
	.driver_area		= split_driver_area,
	.device_area		= split_device_area,
};
