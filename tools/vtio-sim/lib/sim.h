/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test harness around one queue: a fake vtio_device, the ring under
 * test, a device model on the same memory, and tokens (driver buffers)
 * whose every trip is checked: each comes back once, with its token, the
 * length the device wrote and the bytes the device wrote.
 *
 * The harness also keeps the book the standard asks for on notifications:
 * every kick_prepare answer is compared with what the device model's
 * suppression state requires.
 */
#ifndef _VTIO_SIM_SIM_H
#define _VTIO_SIM_SIM_H

#include <linux/types.h>
#include <linux/scatterlist.h>

#include "vtio.h"
#include "../dev/devmodel.h"

#define SIM_TOK_MAGIC	0x76746f6bU	/* "vtok" */
#define SIM_MAX_SG	64

/* One driver buffer: out segments then in segments, laid out in data[]. */
struct sim_tok {
	u32 magic;
	u64 serial;
	u64 add_seq;		/* order of successful adds */
	unsigned int nout, nin;
	u32 out_len, in_len;
	bool outstanding;	/* added, not yet returned / detached */
	bool completed;		/* the device used it */
	u32 expect_len;		/* what the driver must report */
	bool recycled;		/* came back through resize's recycle */
	struct sim_tok *next_recycled;
	struct scatterlist sg[SIM_MAX_SG];
	u8 data[];
};

struct sim_cfg {
	bool packed, indirect, event_idx, in_order, notif_data;
	bool access_platform;
	unsigned int num;
	bool callback;		/* give the queue a callback */
	bool ctx;
	bool ring_reset;	/* negotiate VIRTIO_F_RING_RESET */
	unsigned int num_max;	/* the device's largest size; 0: num */
};

struct sim {
	struct vtio_device vdev;
	struct device dma_dev;
	struct vtio_vq *vq;
	struct dm dm;
	struct sim_cfg cfg;
	u64 features;

	/* notification book */
	u64 kick_old;		/* avail end at the last kick_prepare */
	u64 added_since_kick;	/* what the ring's num_added counts */
	bool exact_kicks;	/* compare kick_prepare with the device */
	bool notify_fails;	/* the transport reports the device gone */
	u64 notifies;
	u64 kicks, kicks_true;

	/* interrupt book */
	u64 irqs;		/* interrupts the device raised */
	u64 callbacks;		/* ... that reached the queue callback */
	void (*on_callback)(struct sim *s);
	void *priv;

	/*
	 * Queue reset book (the transport's reset_vq / enable_vq).  A
	 * non-zero *_err makes that call fail with it; on_reset_vq runs
	 * inside reset_vq, in the middle of vtio_vq_resize(), before the
	 * device lets go of the ring.
	 */
	int reset_vq_err;
	int enable_vq_err;
	void (*on_reset_vq)(struct sim *s);
	u64 reset_vqs, enable_vqs;	/* calls, failed ones included */
	u64 recycled;			/* tokens handed to sim_recycle */
	struct sim_tok *recycled_toks;	/* ... kept until sim_destroy */

	/* tokens */
	u64 next_serial;
	u64 next_add_seq;
	u64 next_return_seq;	/* in-order: the order they must come back */
	u64 outstanding;
	u64 completed;		/* tokens the device used (returned or not) */
	u64 returned;

	unsigned int fails;
	char first_fail[512];
};

/* Which transport bits the ring supports (gating for IN_ORDER etc.). */
bool sim_ring_supports(u64 bit);
u64 sim_cfg_features(const struct sim_cfg *cfg);

int sim_create(struct sim *s, const struct sim_cfg *cfg);
/* Returns the number of tokens the harness had to detach. */
unsigned int sim_destroy(struct sim *s);

void sim_fail(struct sim *s, const char *fmt, ...) __printf(2, 3);
/* No harness failure and no device-model error so far. */
bool sim_ok(const struct sim *s);
const char *sim_why(const struct sim *s);

/* Tokens: @out_lens[nout] readable and @in_lens[nin] writable segments. */
struct sim_tok *sim_tok_new(struct sim *s, const u32 *out_lens,
			    unsigned int nout, const u32 *in_lens,
			    unsigned int nin);
struct sim_tok *sim_tok_simple(struct sim *s, u32 out_len, u32 in_len);
void sim_tok_free(struct sim_tok *t);

/* Add through vtio_vq_add_sgs and keep the notification book. */
int sim_add(struct sim *s, struct sim_tok *t);
/* The same through add_outbuf / add_inbuf / add_inbuf_ctx. */
int sim_add_inbuf_ctx(struct sim *s, struct sim_tok *t, void *ctx);
/* kick_prepare (checked against the device) and notify; returns prepare. */
bool sim_kick(struct sim *s);
/* get_buf with every check; returns the token or NULL. */
struct sim_tok *sim_get(struct sim *s, unsigned int *len);
struct sim_tok *sim_get_ctx(struct sim *s, unsigned int *len, void **ctx);
/* Device: interrupt decision; delivers vtio_vq_interrupt when due. */
bool sim_irq(struct sim *s);
/*
 * vtio_vq_resize() with a recycle callback that checks each token (one
 * that is not outstanding fails the test) and keeps it, so that a token
 * get_buf returns later is caught, not freed memory.
 */
int sim_resize(struct sim *s, unsigned int num);
/* Device: fetch everything, complete in order with full length. */
unsigned int sim_device_run(struct sim *s);

#endif
