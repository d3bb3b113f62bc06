// SPDX-License-Identifier: GPL-2.0
/*
 * The format-independent half of the virtqueue engine: creation, DMA
 * mapping, indirect tables, used-element validation and the exported
 * vtio_vq_* API, which dispatches to the layout chosen at creation.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "ring.h"

static bool vtio_ring_enable_packed = true;
module_param_named(packed, vtio_ring_enable_packed, bool, 0444);
MODULE_PARM_DESC(packed,
		 "Accept VIRTIO_F_RING_PACKED when the device offers it (default: on)");

void vtio_ring_set_broken(struct vtio_ring *r, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (r->broken)
		return;
	WRITE_ONCE(r->broken, true);

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_err(&r->vq.vdev->dev, "virtqueue %u (%s) broken: %pV\n",
		r->vq.index, r->vq.name, &vaf);
	va_end(args);
}

int vtio_ring_map_sg(struct vtio_ring *r, struct scatterlist *sg,
		     enum dma_data_direction dir, dma_addr_t *addr)
{
	if (!r->use_dma_api) {
		/* Device sees guest-physical addresses (no ACCESS_PLATFORM). */
		*addr = sg_phys(sg);
		return 0;
	}
	*addr = dma_map_page(r->dma_dev, sg_page(sg), sg->offset, sg->length,
			     dir);
	return dma_mapping_error(r->dma_dev, *addr) ? -ENOMEM : 0;
}

void vtio_ring_unmap(struct vtio_ring *r, const struct vtio_desc_extra *e)
{
	if (!r->use_dma_api)
		return;
	dma_unmap_page(r->dma_dev, e->addr, e->len,
		       (e->flags & VTIO_DESC_F_WRITE) ? DMA_FROM_DEVICE :
							DMA_TO_DEVICE);
}

static struct vtio_indirect *vtio_indirect_alloc(unsigned int num,
						 gfp_t gfp)
{
	struct vtio_indirect *ind;
	size_t table_off = ALIGN(struct_size(ind, extra, num), 16);

	/* The table may be mapped with a bounce buffer: no highmem. */
	ind = kmalloc(table_off + num * VTIO_DESC_SIZE, gfp & ~__GFP_HIGHMEM);
	if (!ind)
		return NULL;
	ind->num = num;
	ind->table = (u8 *)ind + table_off;
	return ind;
}

/* Unmap the buffers an indirect table points to, then the table. */
static void vtio_indirect_free(struct vtio_ring *r, struct vtio_indirect *ind,
			       bool table_mapped)
{
	unsigned int i;

	for (i = 0; i < ind->num; i++)
		vtio_ring_unmap(r, &ind->extra[i]);
	if (table_mapped && r->use_dma_api)
		dma_unmap_single(r->dma_dev, ind->dma,
				 ind->num * VTIO_DESC_SIZE, DMA_TO_DEVICE);
	kfree(ind);
}

/* Unmap the first @n entries of a chain that failed half way. */
static void vtio_ring_unwind(struct vtio_ring *r, struct vtio_ring_req *req,
			     unsigned int n)
{
	unsigned int i, idx = req->head;

	if (req->ind) {
		req->ind->num = n;
		vtio_indirect_free(r, req->ind, false);
		return;
	}
	for (i = 0; i < n; i++) {
		vtio_ring_unmap(r, &r->extra[idx]);
		idx = r->extra[idx].next;
	}
}

/*
 * Map a request's buffers into shadow entries: the indirect table's, or
 * ring entries taken along the free list.  Both layouts then copy the
 * shadow into their own descriptor format.
 */
static int vtio_ring_map_chain(struct vtio_ring *r, struct vtio_ring_req *req,
			       struct scatterlist *sgs[],
			       unsigned int out_sgs, unsigned int in_sgs)
{
	struct vtio_desc_extra *extra = req->ind ? req->ind->extra : r->extra;
	unsigned int i, n = 0, idx = req->ind ? 0 : req->head, prev = idx;
	struct scatterlist *sg;

	req->in_len = 0;
	for (i = 0; i < out_sgs + in_sgs; i++) {
		bool write = i >= out_sgs;

		for (sg = sgs[i]; sg && n < req->total_sg; sg = sg_next(sg)) {
			struct vtio_desc_extra *e = &extra[idx];
			dma_addr_t addr;

			if (vtio_ring_map_sg(r, sg, write ? DMA_FROM_DEVICE :
							    DMA_TO_DEVICE,
					     &addr)) {
				vtio_ring_unwind(r, req, n);
				return -ENOMEM;
			}
			e->addr = addr;
			e->len = sg->length;
			e->flags = VTIO_DESC_F_NEXT |
				   (write ? VTIO_DESC_F_WRITE : 0);
			if (req->ind)
				e->next = idx + 1;
			if (write)
				req->in_len += sg->length;
			prev = idx;
			idx = e->next;
			n++;
		}
	}
	if (unlikely(n != req->total_sg)) {
		vtio_ring_unwind(r, req, n);
		return -EINVAL;
	}
	extra[prev].flags &= ~VTIO_DESC_F_NEXT;
	req->last = prev;
	return 0;
}

int vtio_ring_add_begin(struct vtio_ring *r, struct vtio_ring_req *req,
			struct scatterlist *sgs[], unsigned int total_sg,
			unsigned int out_sgs, unsigned int in_sgs,
			void *data, void *ctx, gfp_t gfp)
{
	int err;

	if (unlikely(READ_ONCE(r->broken)))
		return -EIO;
	if (unlikely(!data || !total_sg || (ctx && !r->has_ctx)))
		return -EINVAL;
	/* Split: no chain longer than the queue, even indirect (2.7.5.3.1). */
	if (unlikely(total_sg > r->num && r->ops == &vtio_split_ops))
		return -EINVAL;

	req->total_sg = total_sg;
	req->ind = NULL;
	/* A chain of several buffers costs one ring slot when indirect. */
	if (r->indirect && total_sg > 1 && r->vq.num_free)
		req->ind = vtio_indirect_alloc(total_sg, gfp);
	req->ndescs = req->ind ? 1 : total_sg;
	if (r->vq.num_free < req->ndescs) {
		kfree(req->ind);
		return -ENOSPC;
	}
	req->head = r->free_head;
	err = vtio_ring_map_chain(r, req, sgs, out_sgs, in_sgs);
	if (err)
		return err;
	return 0;
}

/*
 * The layout has written the indirect table: map it and describe it in
 * the head's shadow entry, which becomes the request's only ring slot.
 */
int vtio_ring_add_indirect(struct vtio_ring *r, struct vtio_ring_req *req)
{
	struct vtio_indirect *ind = req->ind;
	struct vtio_desc_extra *e = &r->extra[req->head];
	size_t len = ind->num * VTIO_DESC_SIZE;

	if (!r->use_dma_api) {
		ind->dma = virt_to_phys(ind->table);
	} else {
		ind->dma = dma_map_single(r->dma_dev, ind->table, len,
					  DMA_TO_DEVICE);
		if (dma_mapping_error(r->dma_dev, ind->dma)) {
			vtio_indirect_free(r, ind, false);
			return -ENOMEM;
		}
	}
	e->addr = ind->dma;
	e->len = len;
	e->flags = VTIO_DESC_F_INDIRECT;
	req->last = req->head;
	return 0;
}

void vtio_ring_add_commit(struct vtio_ring *r, struct vtio_ring_req *req,
			  void *data, void *ctx)
{
	struct vtio_buf_state *st = &r->state[req->head];

	st->data = data;
	st->ctx = ctx;
	st->indir = req->ind;
	st->in_len = req->in_len;
	st->ndescs = req->ndescs;
	st->last = req->last;
	r->free_head = r->extra[req->last].next;
	r->vq.num_free -= req->ndescs;
}

/* Give a used buffer's ids back to the free list and unmap it. */
void vtio_ring_detach(struct vtio_ring *r, unsigned int id, void **ctx)
{
	struct vtio_buf_state *st = &r->state[id];

	if (st->indir) {
		vtio_indirect_free(r, st->indir, true);
	} else {
		unsigned int i, idx = id;

		for (i = 0; i < st->ndescs; i++) {
			vtio_ring_unmap(r, &r->extra[idx]);
			idx = r->extra[idx].next;
		}
	}
	/* In order, ids stay on their fixed circle: the run just grows. */
	if (!r->in_order) {
		r->extra[st->last].next = r->free_head;
		r->free_head = id;
	}
	r->vq.num_free += st->ndescs;
	if (ctx)
		*ctx = st->ctx;
	st->data = NULL;
	st->ctx = NULL;
	st->indir = NULL;
}

/* Validate the id and length of a used element the device wrote. */
static bool vtio_ring_check_used(struct vtio_ring *r, u32 id, u32 len)
{
	const struct vtio_buf_state *st;

	if (unlikely(id >= r->num)) {
		vtio_ring_set_broken(r, "device used id %u, queue size is %u",
				     id, r->num);
		return false;
	}
	st = &r->state[id];
	if (unlikely(!st->data)) {
		vtio_ring_set_broken(r, "device used id %u, which is not in use",
				     id);
		return false;
	}
	if (unlikely(len > st->in_len)) {
		vtio_ring_set_broken(r,
				     "device wrote %u bytes to buffer %u, which has %u device-writable bytes",
				     len, id, st->in_len);
		return false;
	}
	return true;
}

/*
 * In-order rings allocate ids sequentially and get them back in the same
 * order, so the outstanding ids form one run right after the free ones.
 */
static unsigned int vtio_ring_oldest(const struct vtio_ring *r)
{
	return (r->free_head + r->vq.num_free) % r->num;
}

int vtio_ring_take_used(struct vtio_ring *r, u32 id, u32 len,
			unsigned int max_batch, unsigned int *out_id,
			u32 *out_len)
{
	unsigned int oldest, i, n;

	if (!vtio_ring_check_used(r, id, len))
		return -EIO;
	*out_id = id;
	*out_len = len;
	if (!r->in_order)
		return 0;

	oldest = vtio_ring_oldest(r);
	if (id == oldest)
		return 0;
	/*
	 * One element for a batch: it names the batch's last buffer, and
	 * every older outstanding buffer is used too, completely (1.3,
	 * 2.7.9): they report their whole device-writable size.
	 */
	for (i = oldest, n = 1; i != id; i = (r->state[i].last + 1) % r->num) {
		if (unlikely(++n > max_batch || !r->state[i].data)) {
			vtio_ring_set_broken(r,
					     "device used a batch ending at id %u that covers more than the %u buffers it may complete",
					     id, max_batch);
			return -EIO;
		}
	}
	r->batch_last = id;
	r->batch_len = len;
	*out_id = oldest;
	*out_len = r->state[oldest].in_len;
	return 0;
}

void vtio_ring_take_batched(struct vtio_ring *r, unsigned int *out_id,
			    u32 *out_len)
{
	unsigned int id = vtio_ring_oldest(r);

	*out_id = id;
	*out_len = r->state[id].in_len;
	if (id == r->batch_last) {
		*out_len = r->batch_len;
		r->batch_last = VTIO_NO_BATCH;
	}
}

/*
 * Dispatch to the layout's ops table.  INDIRECT_CALL_2 turns the common
 * cases into direct calls, so no retpoline is paid per buffer.
 */
static int vtio_ring_add(struct vtio_ring *r, struct scatterlist *sgs[],
			 unsigned int total_sg, unsigned int out_sgs,
			 unsigned int in_sgs, void *data, void *ctx, gfp_t gfp)
{
	return INDIRECT_CALL_2(r->ops->add, vtio_packed_add, vtio_split_add,
			       r, sgs, total_sg, out_sgs, in_sgs, data, ctx,
			       gfp);
}

static bool vtio_ring_more_used(struct vtio_ring *r)
{
	return INDIRECT_CALL_2(r->ops->more_used, vtio_packed_more_used,
			       vtio_split_more_used, r);
}

static void *vtio_ring_detach_unused(struct vtio_ring *r)
{
	return INDIRECT_CALL_2(r->ops->detach_unused,
			       vtio_packed_detach_unused,
			       vtio_split_detach_unused, r);
}

/* ------------------------------------------------------- creation --- */

static int vtio_ring_alloc_queue(struct vtio_ring *r, size_t bytes)
{
	r->queue_bytes = PAGE_ALIGN(bytes);
	if (r->use_dma_api) {
		r->queue = dma_alloc_coherent(r->dma_dev, r->queue_bytes,
					      &r->queue_dma, GFP_KERNEL);
	} else {
		r->queue = alloc_pages_exact(r->queue_bytes,
					     GFP_KERNEL | __GFP_ZERO);
		if (r->queue)
			r->queue_dma = virt_to_phys(r->queue);
	}
	return r->queue ? 0 : -ENOMEM;
}

static void vtio_ring_free_queue(struct vtio_ring *r)
{
	if (!r->queue)
		return;
	if (r->use_dma_api)
		dma_free_coherent(r->dma_dev, r->queue_bytes, r->queue,
				  r->queue_dma);
	else
		free_pages_exact(r->queue, r->queue_bytes);
}

/* Split rings index with a mask; packed ones take any size. */
static bool vtio_ring_size_ok(struct vtio_device *vdev, unsigned int index,
			      unsigned int num)
{
	bool packed = vtio_has_feature(vdev, VTIO_F_RING_PACKED);

	if (num && num <= VTIO_QUEUE_SIZE_MAX && (packed || is_power_of_2(num)))
		return true;
	dev_err(&vdev->dev, "virtqueue %u: bad %s ring size %u\n",
		index, packed ? "packed" : "split", num);
	return false;
}

/* Allocate the memory of a @num-entry ring: id state and the ring itself. */
static int vtio_ring_alloc(struct vtio_ring *r, unsigned int num)
{
	bool packed = r->ops == &vtio_packed_ops;

	r->num = num;
	r->state = kcalloc(num, sizeof(*r->state), GFP_KERNEL);
	r->extra = kcalloc(num, sizeof(*r->extra), GFP_KERNEL);
	if (!r->state || !r->extra)
		return -ENOMEM;
	return vtio_ring_alloc_queue(r, packed ? vtio_packed_bytes(num) :
						 vtio_split_bytes(num));
}

static void vtio_ring_free(struct vtio_ring *r)
{
	vtio_ring_free_queue(r);
	kfree(r->extra);
	kfree(r->state);
}

/*
 * Put an allocated ring in its initial state, as a device expects it after
 * a reset: every id free, nothing available or used, indexes at 0.
 */
static int vtio_ring_start(struct vtio_ring *r)
{
	unsigned int i;

	memset(r->queue, 0, r->queue_bytes);
	memset(r->state, 0, r->num * sizeof(*r->state));
	memset(&r->split, 0, sizeof(r->split));
	memset(&r->packed, 0, sizeof(r->packed));
	r->vq.num_free = r->num;
	r->free_head = 0;
	r->num_added = 0;
	r->last_used_idx = 0;
	r->batch_len = 0;
	/* One circle of ids; in-order rings never reorder it. */
	for (i = 0; i < r->num; i++)
		r->extra[i].next = (i + 1) % r->num;
	r->batch_last = VTIO_NO_BATCH;
	return r->ops == &vtio_packed_ops ? vtio_packed_init(r) :
					    vtio_split_init(r);
}

struct vtio_vq *vtio_vq_create(struct vtio_device *vdev, unsigned int index,
			       unsigned int num, unsigned int num_max,
			       bool (*notify)(struct vtio_vq *vq),
			       vtio_vq_callback_t *callback, const char *name,
			       bool ctx, struct device *dma_dev)
{
	struct vtio_ring *r;
	int err;

	if (!vtio_ring_size_ok(vdev, index, num))
		return ERR_PTR(-EINVAL);

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);

	r->vq.vdev = vdev;
	r->vq.index = index;
	r->vq.name = name;
	r->vq.callback = callback;
	r->vq.num_max = num_max;
	r->notify = notify;
	r->dma_dev = dma_dev;
	r->has_ctx = ctx;
	r->use_dma_api = vtio_has_feature(vdev, VTIO_F_ACCESS_PLATFORM);
	r->weak_barriers = !vtio_has_feature(vdev, VTIO_F_ORDER_PLATFORM);
	r->event_idx = vtio_has_feature(vdev, VTIO_F_EVENT_IDX);
	r->indirect = vtio_has_feature(vdev, VTIO_F_INDIRECT_DESC);
	r->in_order = vtio_has_feature(vdev, VTIO_F_IN_ORDER);
	r->ops = vtio_has_feature(vdev, VTIO_F_RING_PACKED) ?
		 &vtio_packed_ops : &vtio_split_ops;

	err = vtio_ring_alloc(r, num);
	if (!err)
		err = vtio_ring_start(r);
	if (err) {
		vtio_ring_free(r);
		kfree(r);
		return ERR_PTR(err);
	}
	list_add_tail(&r->vq.list, &vdev->vqs);
	return &r->vq;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_create, VTIO);

/*
 * vtio_vq_resize - give one queue a new ring of @num entries while the
 * device and its other queues keep running (VIRTIO_F_RING_RESET).
 *
 * The transport resets the queue in the device, every buffer still on the
 * ring goes back to the driver through @recycle, the ring is replaced and
 * the transport enables the queue again.  When the new ring cannot be
 * allocated the old one is started again, empty, and -ENOMEM returned.
 * A broken queue stays broken: -EIO, nothing touched.
 * The caller keeps the queue's callback and every other user of @vq away
 * (NAPI disabled, transmit stopped) for the duration.
 */
int vtio_vq_resize(struct vtio_vq *vq, unsigned int num,
		   void (*recycle)(struct vtio_vq *vq, void *buf))
{
	struct vtio_device *vdev = vq->vdev;
	const struct vtio_config_ops *ops = vdev->config;
	struct vtio_ring *r = to_ring(vq);
	struct vtio_ring old;
	void *buf;
	int err, err2;

	if (!vtio_has_feature(vdev, VTIO_F_RING_RESET) || !ops->reset_vq ||
	    !ops->enable_vq)
		return -EOPNOTSUPP;
	/* What broke it (the device, or its removal) outlives a queue reset. */
	if (vtio_vq_is_broken(vq))
		return -EIO;
	if (num > vq->num_max || !vtio_ring_size_ok(vdev, vq->index, num))
		return -EINVAL;

	/* The transport's reset waits for handlers that did not see this. */
	WRITE_ONCE(r->resetting, true);
	err = ops->reset_vq(vq);
	if (err) {
		WRITE_ONCE(r->resetting, false);
		return err;
	}
	/* The device let go of the ring: what is on it is the driver's. */
	while ((buf = vtio_ring_detach_unused(r)))
		recycle(vq, buf);

	err = 0;
	if (num != r->num) {
		old = *r;
		r->state = NULL;
		r->extra = NULL;
		r->queue = NULL;
		err = vtio_ring_alloc(r, num);
		if (err) {
			vtio_ring_free(r);
			r->num = old.num;
			r->state = old.state;
			r->extra = old.extra;
			r->queue = old.queue;
			r->queue_dma = old.queue_dma;
			r->queue_bytes = old.queue_bytes;
		} else {
			vtio_ring_free(&old);
		}
	}
	vtio_ring_start(r);
	/* Ring pointers and indexes before handlers may look at them. */
	smp_store_release(&r->resetting, false);

	err2 = ops->enable_vq(vq);
	if (err2) {
		vtio_ring_set_broken(r, "not enabled again after its reset (%d)",
				     err2);
		return err2;
	}
	return err;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_resize, VTIO);

void vtio_vq_destroy(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);
	unsigned int i;

	/* Buffers the driver never detached: unmap so no mapping leaks. */
	for (i = 0; vtio_ring_detach_unused(r); i++)
		;
	if (i)
		dev_warn(&vq->vdev->dev, "virtqueue %s freed with %u buffers\n",
			 vq->name, i);
	list_del(&vq->list);
	vtio_ring_free(r);
	kfree(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_destroy, VTIO);

dma_addr_t vtio_vq_desc_addr(const struct vtio_vq *vq)
{
	return to_ring(vq)->queue_dma;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_desc_addr, VTIO);

dma_addr_t vtio_vq_driver_addr(const struct vtio_vq *vq)
{
	const struct vtio_ring *r = to_ring(vq);

	return r->ops->driver_area(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_driver_addr, VTIO);

dma_addr_t vtio_vq_device_addr(const struct vtio_vq *vq)
{
	const struct vtio_ring *r = to_ring(vq);

	return r->ops->device_area(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_device_addr, VTIO);

u32 vtio_vq_notification_data(const struct vtio_vq *vq)
{
	const struct vtio_ring *r = to_ring(vq);

	return r->ops->notification_data(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_notification_data, VTIO);

u64 vtio_ring_transport_features(void)
{
	return BIT_ULL(VTIO_F_INDIRECT_DESC) | BIT_ULL(VTIO_F_EVENT_IDX) |
	       BIT_ULL(VTIO_F_VERSION_1) | BIT_ULL(VTIO_F_ACCESS_PLATFORM) |
	       BIT_ULL(VTIO_F_ORDER_PLATFORM) | BIT_ULL(VTIO_F_IN_ORDER) |
	       BIT_ULL(VTIO_F_NOTIFICATION_DATA) | BIT_ULL(VTIO_F_RING_RESET) |
	       (vtio_ring_enable_packed ? BIT_ULL(VTIO_F_RING_PACKED) : 0);
}
EXPORT_SYMBOL_NS_GPL(vtio_ring_transport_features, VTIO);

void vtio_vqs_break_all(struct vtio_device *vdev)
{
	struct vtio_vq *vq;

	list_for_each_entry(vq, &vdev->vqs, list)
		WRITE_ONCE(to_ring(vq)->broken, true);
}
EXPORT_SYMBOL_NS_GPL(vtio_vqs_break_all, VTIO);

/* ------------------------------------------------------ driver API --- */

int vtio_vq_add_sgs(struct vtio_vq *vq, struct scatterlist *sgs[],
		    unsigned int out_sgs, unsigned int in_sgs,
		    void *data, gfp_t gfp)
{
	struct vtio_ring *r = to_ring(vq);
	unsigned int i, total = 0;
	struct scatterlist *sg;

	for (i = 0; i < out_sgs + in_sgs; i++)
		for (sg = sgs[i]; sg; sg = sg_next(sg))
			total++;
	return vtio_ring_add(r, sgs, total, out_sgs, in_sgs, data, NULL, gfp);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_add_sgs, VTIO);

int vtio_vq_add_outbuf(struct vtio_vq *vq, struct scatterlist sg[],
		       unsigned int num, void *data, gfp_t gfp)
{
	struct vtio_ring *r = to_ring(vq);

	return vtio_ring_add(r, &sg, num, 1, 0, data, NULL, gfp);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_add_outbuf, VTIO);

int vtio_vq_add_inbuf(struct vtio_vq *vq, struct scatterlist sg[],
		      unsigned int num, void *data, gfp_t gfp)
{
	struct vtio_ring *r = to_ring(vq);

	return vtio_ring_add(r, &sg, num, 0, 1, data, NULL, gfp);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_add_inbuf, VTIO);

int vtio_vq_add_inbuf_ctx(struct vtio_vq *vq, struct scatterlist sg[],
			  unsigned int num, void *data, void *ctx, gfp_t gfp)
{
	struct vtio_ring *r = to_ring(vq);

	return vtio_ring_add(r, &sg, num, 0, 1, data, ctx, gfp);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_add_inbuf_ctx, VTIO);

bool vtio_vq_kick_prepare(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	return INDIRECT_CALL_2(r->ops->kick_prepare, vtio_packed_kick_prepare,
			       vtio_split_kick_prepare, r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_kick_prepare, VTIO);

bool vtio_vq_notify(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	if (unlikely(READ_ONCE(r->broken)))
		return false;
	if (!r->notify(vq)) {
		vtio_ring_set_broken(r, "notification failed (device gone?)");
		return false;
	}
	return true;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_notify, VTIO);

bool vtio_vq_kick(struct vtio_vq *vq)
{
	if (vtio_vq_kick_prepare(vq))
		return vtio_vq_notify(vq);
	return true;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_kick, VTIO);

void *vtio_vq_get_buf_ctx(struct vtio_vq *vq, unsigned int *len, void **ctx)
{
	struct vtio_ring *r = to_ring(vq);

	if (unlikely(READ_ONCE(r->broken)))
		return NULL;
	return INDIRECT_CALL_2(r->ops->get_buf, vtio_packed_get_buf,
			       vtio_split_get_buf, r, len, ctx);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_get_buf_ctx, VTIO);

void *vtio_vq_get_buf(struct vtio_vq *vq, unsigned int *len)
{
	return vtio_vq_get_buf_ctx(vq, len, NULL);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_get_buf, VTIO);

void vtio_vq_disable_cb(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	INDIRECT_CALL_2(r->ops->disable_cb, vtio_packed_disable_cb,
			vtio_split_disable_cb, r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_disable_cb, VTIO);

unsigned int vtio_vq_enable_cb_prepare(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	return INDIRECT_CALL_2(r->ops->enable_cb_prepare,
			       vtio_packed_enable_cb_prepare,
			       vtio_split_enable_cb_prepare, r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_enable_cb_prepare, VTIO);

bool vtio_vq_poll(struct vtio_vq *vq, unsigned int last_used_idx)
{
	struct vtio_ring *r = to_ring(vq);

	if (unlikely(READ_ONCE(r->broken)))
		return false;
	/* The rest of an in-order batch is used; no interrupt will tell. */
	if (r->batch_last != VTIO_NO_BATCH)
		return true;
	return INDIRECT_CALL_2(r->ops->poll, vtio_packed_poll,
			       vtio_split_poll, r, last_used_idx);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_poll, VTIO);

bool vtio_vq_enable_cb(struct vtio_vq *vq)
{
	return !vtio_vq_poll(vq, vtio_vq_enable_cb_prepare(vq));
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_enable_cb, VTIO);

bool vtio_vq_enable_cb_delayed(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	/* Armed either way; a pending in-order batch is work to do now. */
	return INDIRECT_CALL_2(r->ops->enable_cb_delayed,
			       vtio_packed_enable_cb_delayed,
			       vtio_split_enable_cb_delayed, r) &&
	       r->batch_last == VTIO_NO_BATCH;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_enable_cb_delayed, VTIO);

bool vtio_vq_more_used(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	return !READ_ONCE(r->broken) && vtio_ring_more_used(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_more_used, VTIO);

void *vtio_vq_detach_unused_buf(struct vtio_vq *vq)
{
	struct vtio_ring *r = to_ring(vq);

	return vtio_ring_detach_unused(r);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_detach_unused_buf, VTIO);

unsigned int vtio_vq_get_vring_size(const struct vtio_vq *vq)
{
	return to_ring(vq)->num;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_get_vring_size, VTIO);

bool vtio_vq_is_broken(const struct vtio_vq *vq)
{
	return READ_ONCE(to_ring(vq)->broken);
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_is_broken, VTIO);

bool vtio_vq_is_packed(const struct vtio_vq *vq)
{
	return to_ring(vq)->ops == &vtio_packed_ops;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_is_packed, VTIO);

irqreturn_t vtio_vq_interrupt(int irq, void *opaque)
{
	struct vtio_vq *vq = opaque;
	struct vtio_ring *r = to_ring(vq);

	/* A shared or INTx handler must not read a ring being replaced. */
	if (unlikely(READ_ONCE(r->resetting)))
		return IRQ_NONE;
	if (!vtio_ring_more_used(r))
		return IRQ_NONE;
	if (unlikely(READ_ONCE(r->broken)))
		return IRQ_HANDLED;
	if (vq->callback)
		vq->callback(vq);
	return IRQ_HANDLED;
}
EXPORT_SYMBOL_NS_GPL(vtio_vq_interrupt, VTIO);
