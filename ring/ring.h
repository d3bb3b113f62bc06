/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring internals shared by the format-independent core (core.c) and the
 * format implementations (split.c, later packed.c).
 */
#ifndef _VTIO_RING_INTERNAL_H
#define _VTIO_RING_INTERNAL_H

#include <linux/dma-mapping.h>
#include <linux/indirect_call_wrapper.h>

#include "vtio.h"
#include "vtio_ring_layout.h"

struct vtio_ring;

/*
 * One const table per ring layout.  The core dispatches with
 * INDIRECT_CALL_*, so the hot path compiles to direct calls (no retpoline).
 */
struct vtio_ring_ops {
	int (*add)(struct vtio_ring *r, struct scatterlist *sgs[],
		   unsigned int total_sg, unsigned int out_sgs,
		   unsigned int in_sgs, void *data, void *ctx, gfp_t gfp);
	bool (*kick_prepare)(struct vtio_ring *r);
	void *(*get_buf)(struct vtio_ring *r, unsigned int *len, void **ctx);
	bool (*more_used)(struct vtio_ring *r);
	void (*disable_cb)(struct vtio_ring *r);
	unsigned int (*enable_cb_prepare)(struct vtio_ring *r);
	bool (*poll)(struct vtio_ring *r, unsigned int last_used);
	bool (*enable_cb_delayed)(struct vtio_ring *r);
	void *(*detach_unused)(struct vtio_ring *r);
	u32 (*notification_data)(const struct vtio_ring *r);
	dma_addr_t (*driver_area)(const struct vtio_ring *r);
	dma_addr_t (*device_area)(const struct vtio_ring *r);
};

/*
 * What the driver wrote into one descriptor, kept outside device-visible
 * memory: unmapping and chain walks never trust the ring itself.
 */
struct vtio_desc_extra {
	dma_addr_t addr;
	u32 len;
	u16 flags;
	u16 next;		/* next in chain, or next free */
};

/*
 * An indirect table: our shadow of each entry, then (in the same
 * allocation, 16-byte aligned) the device-visible descriptors.
 */
struct vtio_indirect {
	dma_addr_t dma;
	unsigned int num;
	void *table;			/* split or packed descriptors */
	struct vtio_desc_extra extra[];
};

/* Per buffer (per head id) state. */
struct vtio_buf_state {
	void *data;			/* the driver's token; NULL: free */
	void *ctx;
	struct vtio_indirect *indir;
	u32 in_len;			/* device-writable bytes in the buffer */
	u16 ndescs;			/* ring descriptors the chain occupies */
	u16 last;			/* last descriptor of the chain */
};

struct vtio_split {
	struct vtio_split_desc *desc;
	struct vtio_split_avail *avail;
	struct vtio_split_used *used;
	u16 avail_idx_shadow;
	u16 avail_flags_shadow;
};

struct vtio_packed {
	struct vtio_packed_desc *desc;
	struct vtio_packed_event *driver_event;	/* we write, device reads */
	struct vtio_packed_event *device_event;	/* device writes, we read */
	u16 next_avail_idx;
	u16 avail_used_flags;	/* AVAIL/USED bits for the current lap */
	u16 event_flags_shadow;	/* what we last wrote to driver_event */
	bool avail_wrap;
	bool used_wrap;
};

#define VTIO_NO_BATCH	UINT_MAX

struct vtio_ring {
	struct vtio_vq vq;
	const struct vtio_ring_ops *ops;
	struct device *dma_dev;
	bool (*notify)(struct vtio_vq *vq);

	bool use_dma_api;	/* ACCESS_PLATFORM: bus addresses via DMA API */
	bool weak_barriers;	/* no ORDER_PLATFORM: SMP barriers suffice */
	bool event_idx;
	bool indirect;
	bool has_ctx;
	bool in_order;
	bool broken;
	bool resetting;		/* vtio_vq_resize() is replacing the ring */

	unsigned int num;
	u16 free_head;		/* first free descriptor */
	u16 num_added;		/* added since the last kick_prepare */
	u16 last_used_idx;
	unsigned int batch_last;	/* in-order batch end, or VTIO_NO_BATCH */
	u32 batch_len;			/* length reported for batch_last */

	struct vtio_buf_state *state;	/* [num] */
	struct vtio_desc_extra *extra;	/* [num] */

	void *queue;			/* the ring memory */
	dma_addr_t queue_dma;
	size_t queue_bytes;

	union {
		struct vtio_split split;
		struct vtio_packed packed;
	};
};

#define to_ring(_vq) container_of_const(_vq, struct vtio_ring, vq)

extern const struct vtio_ring_ops vtio_split_ops;
int vtio_split_init(struct vtio_ring *r);

extern const struct vtio_ring_ops vtio_packed_ops;
int vtio_packed_init(struct vtio_ring *r);
size_t vtio_packed_bytes(unsigned int num);

/* The hot split operations, named so the core can call them directly. */
int vtio_split_add(struct vtio_ring *r, struct scatterlist *sgs[],
		   unsigned int total_sg, unsigned int out_sgs,
		   unsigned int in_sgs, void *data, void *ctx, gfp_t gfp);
bool vtio_split_kick_prepare(struct vtio_ring *r);
void *vtio_split_get_buf(struct vtio_ring *r, unsigned int *len, void **ctx);
bool vtio_split_more_used(struct vtio_ring *r);
void vtio_split_disable_cb(struct vtio_ring *r);
unsigned int vtio_split_enable_cb_prepare(struct vtio_ring *r);
bool vtio_split_poll(struct vtio_ring *r, unsigned int last_used);
bool vtio_split_enable_cb_delayed(struct vtio_ring *r);
void *vtio_split_detach_unused(struct vtio_ring *r);

/* ... and the packed ones. */
int vtio_packed_add(struct vtio_ring *r, struct scatterlist *sgs[],
		    unsigned int total_sg, unsigned int out_sgs,
		    unsigned int in_sgs, void *data, void *ctx, gfp_t gfp);
bool vtio_packed_kick_prepare(struct vtio_ring *r);
void *vtio_packed_get_buf(struct vtio_ring *r, unsigned int *len, void **ctx);
bool vtio_packed_more_used(struct vtio_ring *r);
void vtio_packed_disable_cb(struct vtio_ring *r);
unsigned int vtio_packed_enable_cb_prepare(struct vtio_ring *r);
bool vtio_packed_poll(struct vtio_ring *r, unsigned int last_used);
bool vtio_packed_enable_cb_delayed(struct vtio_ring *r);
void *vtio_packed_detach_unused(struct vtio_ring *r);

/* ---- shared helpers (core.c) ---- */

void vtio_ring_set_broken(struct vtio_ring *r, const char *fmt, ...)
	__printf(2, 3);

/*
 * Barriers between our ring writes and the device's reads: SMP flavour for
 * a device emulated by another CPU, DMA flavour with ORDER_PLATFORM (real
 * hardware behind a bus).
 */
static inline void vtio_ring_mb(const struct vtio_ring *r)
{
	if (r->weak_barriers)
		virt_mb();	/* orders our stores against later loads */
	else
		mb();		/* the same against a real device */
}

static inline void vtio_ring_rmb(const struct vtio_ring *r)
{
	if (r->weak_barriers)
		virt_rmb();	/* index/flags before the entry they cover */
	else
		dma_rmb();	/* the same for a real device */
}

static inline void vtio_ring_wmb(const struct vtio_ring *r)
{
	if (r->weak_barriers)
		virt_wmb();	/* entries before the index publishing them */
	else
		dma_wmb();	/* the same for a real device */
}

int vtio_ring_map_sg(struct vtio_ring *r, struct scatterlist *sg,
		     enum dma_data_direction dir, dma_addr_t *addr);
void vtio_ring_unmap(struct vtio_ring *r, const struct vtio_desc_extra *e);

/* Both layouts use 16-byte descriptors, in the ring and in tables. */
#define VTIO_DESC_SIZE	16
static_assert(sizeof(struct vtio_split_desc) == VTIO_DESC_SIZE);
static_assert(sizeof(struct vtio_packed_desc) == VTIO_DESC_SIZE);

/*
 * One request being added, between vtio_ring_add_begin() and
 * vtio_ring_add_commit().  @head is the buffer id; with @ind the request's
 * buffers are in ind->extra[0..total_sg-1], else in r->extra along the
 * chain from @head to @last.
 */
struct vtio_ring_req {
	struct vtio_indirect *ind;
	unsigned int total_sg;
	unsigned int head;
	unsigned int last;
	unsigned int ndescs;	/* ring slots the request takes */
	u32 in_len;
};

int vtio_ring_add_begin(struct vtio_ring *r, struct vtio_ring_req *req,
			struct scatterlist *sgs[], unsigned int total_sg,
			unsigned int out_sgs, unsigned int in_sgs,
			void *data, void *ctx, gfp_t gfp);
int vtio_ring_add_indirect(struct vtio_ring *r, struct vtio_ring_req *req);
void vtio_ring_add_commit(struct vtio_ring *r, struct vtio_ring_req *req,
			  void *data, void *ctx);
void vtio_ring_detach(struct vtio_ring *r, unsigned int id, void **ctx);

/*
 * Which buffer does a used element (id, len) complete?  Validates both and
 * handles in-order batches, which complete at most @max_batch buffers.
 * Returns 0 with the buffer's id and length, or -EIO (queue now broken).
 */
int vtio_ring_take_used(struct vtio_ring *r, u32 id, u32 len,
			unsigned int max_batch, unsigned int *out_id,
			u32 *out_len);
/* The next buffer of a pending in-order batch (r->batch_last set). */
void vtio_ring_take_batched(struct vtio_ring *r, unsigned int *out_id,
			    u32 *out_len);

#endif /* _VTIO_RING_INTERNAL_H */
