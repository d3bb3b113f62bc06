// SPDX-License-Identifier: GPL-2.0
/*
 * Test harness: fake device, queue, device model and checked tokens.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"
#include "shim_runtime.h"

/*
 * VTIO_SIM_MASK_FEATURES="35,38" pretends the ring lacks those bits, to
 * check that the suites skip (not fail) what an older ring cannot do.
 */
bool sim_ring_supports(u64 bit)
{
	const char *mask = getenv("VTIO_SIM_MASK_FEATURES");

	while (mask && *mask) {
		char *end;
		unsigned long b = strtoul(mask, &end, 0);

		if (end == mask)
			break;
		if (b == bit)
			return false;
		mask = *end ? end + 1 : end;
	}
	return vtio_ring_transport_features() & BIT_ULL(bit);
}

u64 sim_cfg_features(const struct sim_cfg *c)
{
	return BIT_ULL(VTIO_F_VERSION_1) |
	       (c->packed ? BIT_ULL(VTIO_F_RING_PACKED) : 0) |
	       (c->indirect ? BIT_ULL(VTIO_F_INDIRECT_DESC) : 0) |
	       (c->event_idx ? BIT_ULL(VTIO_F_EVENT_IDX) : 0) |
	       (c->in_order ? BIT_ULL(VTIO_F_IN_ORDER) : 0) |
	       (c->notif_data ? BIT_ULL(VTIO_F_NOTIFICATION_DATA) : 0) |
	       (c->access_platform ? BIT_ULL(VTIO_F_ACCESS_PLATFORM) : 0) |
	       (c->ring_reset ? BIT_ULL(VTIO_F_RING_RESET) : 0);
}

void sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->fails++) {
		va_start(ap, fmt);
		vsnprintf(s->first_fail, sizeof(s->first_fail), fmt, ap);
		va_end(ap);
	}
}

bool sim_ok(const struct sim *s)
{
	return !s->fails && !s->dm.errors;
}

const char *sim_why(const struct sim *s)
{
	if (s->fails)
		return s->first_fail;
	if (s->dm.errors)
		return s->dm.first_error;
	return "ok";
}

static struct sim *vq_to_sim(struct vtio_vq *vq)
{
	return container_of(vq->vdev, struct sim, vdev);
}

/* The transport's notify hook: what a doorbell write would carry. */
static bool sim_notify(struct vtio_vq *vq)
{
	struct sim *s = vq_to_sim(vq);
	u32 data = s->cfg.notif_data ? vtio_vq_notification_data(vq) : vq->index;

	s->notifies++;
	dm_on_notify(&s->dm, data);
	return !s->notify_fails;
}

static void sim_callback(struct vtio_vq *vq)
{
	struct sim *s = vq_to_sim(vq);

	s->callbacks++;
	if (s->on_callback)
		s->on_callback(s);
}

/* The device finished a buffer: remember what the driver must report. */
static void sim_on_used(void *opaque, const struct dm_buf *b, u32 len)
{
	struct sim *s = opaque;
	struct sim_tok *t;

	if (!b->nsegs)
		return;
	t = container_of((u8 *)(uintptr_t)b->segs[0].addr, struct sim_tok, data[0]);
	if (t->magic != SIM_TOK_MAGIC) {
		sim_fail(s, "device used buffer %u whose first address is no token",
			 b->id);
		return;
	}
	if (!t->outstanding || t->completed) {
		sim_fail(s, "device used token %llu twice or after its return",
			 (unsigned long long)t->serial);
		return;
	}
	if (b->out_len != t->out_len || b->in_len != t->in_len)
		sim_fail(s, "token %llu: device sees %u/%u readable/writable bytes, driver added %u/%u",
			 (unsigned long long)t->serial, b->out_len, b->in_len,
			 t->out_len, t->in_len);
	t->completed = true;
	t->expect_len = len;
	s->completed++;
}

/*
 * The transport's queue reset: the device forgets the queue, and so does
 * the notification book (the ring's indexes start again too).
 */
static int sim_reset_vq(struct vtio_vq *vq)
{
	struct sim *s = vq_to_sim(vq);

	s->reset_vqs++;
	if (s->on_reset_vq)
		s->on_reset_vq(s);
	if (s->reset_vq_err)
		return s->reset_vq_err;
	dm_queue_reset(&s->dm);
	s->kick_old = 0;
	s->added_since_kick = 0;
	/* In order: the next token back is the next one added. */
	s->next_return_seq = s->next_add_seq;
	return 0;
}

/* ... and enabling it again: the device reads the ring's place and size. */
static int sim_enable_vq(struct vtio_vq *vq)
{
	struct sim *s = vq_to_sim(vq);
	unsigned int num = vtio_vq_get_vring_size(vq);
	int err;

	s->enable_vqs++;
	if (s->enable_vq_err)
		return s->enable_vq_err;
	if (num > vq->num_max)
		sim_fail(s, "queue enabled with %u entries, the device takes %u",
			 num, vq->num_max);
	err = dm_queue_enable(&s->dm, vq);
	if (!err)
		s->cfg.num = num;
	return err;
}

static const struct vtio_config_ops sim_config_ops = {
	.reset_vq	= sim_reset_vq,
	.enable_vq	= sim_enable_vq,
};

static void sim_recycle(struct vtio_vq *vq, void *buf)
{
	struct sim *s = vq_to_sim(vq);
	struct sim_tok *t = buf;

	if (!t || t->magic != SIM_TOK_MAGIC) {
		sim_fail(s, "recycle got %p, not a token", buf);
		return;
	}
	if (!t->outstanding) {
		sim_fail(s, "token %llu recycled, but it is not outstanding (%s)",
			 (unsigned long long)t->serial,
			 t->recycled ? "recycled twice" : "returned already");
		return;
	}
	t->outstanding = false;
	t->recycled = true;
	s->outstanding--;
	s->recycled++;
	t->next_recycled = s->recycled_toks;
	s->recycled_toks = t;
}

int sim_resize(struct sim *s, unsigned int num)
{
	return vtio_vq_resize(s->vq, num, sim_recycle);
}

int sim_create(struct sim *s, const struct sim_cfg *cfg)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->features = sim_cfg_features(cfg);
	s->vdev.features = s->features;
	s->vdev.dev.init_name = "vtio-sim0";
	s->vdev.config = &sim_config_ops;
	s->dma_dev.init_name = "sim-dma";
	INIT_LIST_HEAD(&s->vdev.vqs);
	s->exact_kicks = true;

	s->vq = vtio_vq_create(&s->vdev, 0, cfg->num, cfg->num_max ?: cfg->num,
			       sim_notify, cfg->callback ? sim_callback : NULL,
			       "simq", cfg->ctx, &s->dma_dev);
	if (IS_ERR(s->vq)) {
		err = PTR_ERR(s->vq);
		s->vq = NULL;
		return err;
	}
	err = dm_init(&s->dm, s->vq, s->features);
	if (err) {
		vtio_vq_destroy(s->vq);
		s->vq = NULL;
		return err;
	}
	s->dm.on_used = sim_on_used;
	s->dm.opaque = s;
	return 0;
}

unsigned int sim_destroy(struct sim *s)
{
	unsigned int n = 0;
	struct sim_tok *t;

	if (!s->vq)
		return 0;
	while ((t = vtio_vq_detach_unused_buf(s->vq))) {
		sim_tok_free(t);
		n++;
	}
	vtio_vq_destroy(s->vq);
	dm_destroy(&s->dm);
	s->vq = NULL;
	while ((t = s->recycled_toks)) {
		s->recycled_toks = t->next_recycled;
		sim_tok_free(t);
	}
	return n;
}

struct sim_tok *sim_tok_new(struct sim *s, const u32 *out_lens,
			    unsigned int nout, const u32 *in_lens,
			    unsigned int nin)
{
	size_t total = 0, off = 0;
	struct sim_tok *t;
	unsigned int i;

	if (nout + nin == 0 || nout + nin > SIM_MAX_SG)
		return NULL;
	for (i = 0; i < nout; i++)
		total += out_lens[i];
	for (i = 0; i < nin; i++)
		total += in_lens[i];
	t = calloc(1, sizeof(*t) + total + 1);
	if (!t)
		abort();
	t->magic = SIM_TOK_MAGIC;
	t->serial = s->next_serial++;
	t->nout = nout;
	t->nin = nin;
	if (nout)
		sg_init_table(t->sg, nout);
	if (nin)
		sg_init_table(t->sg + nout, nin);
	for (i = 0; i < nout + nin; i++) {
		u32 len = i < nout ? out_lens[i] : in_lens[i - nout];

		sg_set_buf(&t->sg[i], t->data + off, len);
		off += len;
		if (i < nout)
			t->out_len += len;
		else
			t->in_len += len;
	}
	/* Readable bytes carry the pattern; writable ones start poisoned. */
	for (i = 0; i < t->out_len; i++)
		t->data[i] = dm_pattern((uintptr_t)t->data, i);
	memset(t->data + t->out_len, 0xa5, t->in_len);
	return t;
}

struct sim_tok *sim_tok_simple(struct sim *s, u32 out_len, u32 in_len)
{
	return sim_tok_new(s, &out_len, out_len ? 1 : 0, &in_len,
			   in_len ? 1 : 0);
}

void sim_tok_free(struct sim_tok *t)
{
	if (t)
		t->magic = 0;
	free(t);
}

/*
 * Book-keeping shared by every add: the ring kicks by itself when its
 * window would overflow (packed: a lap of descriptors; split: 0xffff
 * buffers); then a notification is due exactly when the device asked.
 */
static void sim_after_add(struct sim *s, struct sim_tok *t,
			  unsigned int free_before, u64 notifies_before)
{
	unsigned int ndescs = free_before - s->vq->num_free;

	t->outstanding = true;
	t->add_seq = s->next_add_seq++;
	s->outstanding++;
	s->added_since_kick += s->cfg.packed ? ndescs : 1;
	if (s->cfg.packed ? s->added_since_kick >= s->cfg.num :
			    s->added_since_kick == 0xffff) {
		u64 end = dm_avail_end(&s->dm);
		bool want = dm_notify_expected(&s->dm, s->kick_old, end);
		bool got = s->notifies != notifies_before;

		if (s->exact_kicks && want != got)
			sim_fail(s, "add kicked by itself (window full): notified %d, device expected %d",
				 got, want);
		s->kick_old = end;
		s->added_since_kick = 0;
	} else if (s->notifies != notifies_before) {
		sim_fail(s, "add notified the device without a full window");
	}
}

int sim_add(struct sim *s, struct sim_tok *t)
{
	struct scatterlist *sgs[2];
	unsigned int nsg = 0, out = 0, in = 0, before = s->vq->num_free;
	u64 nb = s->notifies;
	int err;

	if (t->nout) {
		sgs[nsg++] = t->sg;
		out = 1;
	}
	if (t->nin) {
		sgs[nsg++] = t->sg + t->nout;
		in = 1;
	}
	err = vtio_vq_add_sgs(s->vq, sgs, out, in, t, GFP_ATOMIC);
	if (err) {
		if (s->vq->num_free != before)
			sim_fail(s, "failed add (%d) changed num_free %u -> %u",
				 err, before, s->vq->num_free);
		return err;
	}
	sim_after_add(s, t, before, nb);
	return 0;
}

int sim_add_inbuf_ctx(struct sim *s, struct sim_tok *t, void *ctx)
{
	unsigned int before = s->vq->num_free;
	u64 nb = s->notifies;
	int err;

	if (t->nout)
		return -EINVAL;
	err = vtio_vq_add_inbuf_ctx(s->vq, t->sg, t->nin, t, ctx, GFP_ATOMIC);
	if (!err)
		sim_after_add(s, t, before, nb);
	return err;
}

bool sim_kick(struct sim *s)
{
	u64 end = dm_avail_end(&s->dm);
	bool want = dm_notify_expected(&s->dm, s->kick_old, end);
	bool got;

	got = vtio_vq_kick_prepare(s->vq);
	s->kicks++;
	/* Nothing added: a spurious notification is allowed, no check. */
	if (s->exact_kicks && s->added_since_kick && got != want)
		sim_fail(s, "kick_prepare said %s after positions %llu..%llu, device (mode %d, event %llu) expected %s",
			 got ? "notify" : "no notify",
			 (unsigned long long)s->kick_old,
			 (unsigned long long)end, s->dm.mode,
			 (unsigned long long)s->dm.event_abs,
			 want ? "notify" : "no notify");
	s->kick_old = end;
	s->added_since_kick = 0;
	if (got) {
		s->kicks_true++;
		vtio_vq_notify(s->vq);
	}
	return got;
}

static struct sim_tok *sim_check_returned(struct sim *s, void *data,
					  unsigned int len)
{
	struct sim_tok *t = data;
	u32 i;

	if (!t)
		return NULL;
	if (t->magic != SIM_TOK_MAGIC) {
		sim_fail(s, "get_buf returned %p, not a token", data);
		return NULL;
	}
	if (!t->outstanding) {
		sim_fail(s, "get_buf returned token %llu, which is not outstanding (twice?)",
			 (unsigned long long)t->serial);
		return NULL;
	}
	if (!t->completed) {
		sim_fail(s, "get_buf returned token %llu, which the device never used",
			 (unsigned long long)t->serial);
		return t;
	}
	if (len != t->expect_len)
		sim_fail(s, "token %llu: get_buf length %u, device wrote %u (writable %u)",
			 (unsigned long long)t->serial, len, t->expect_len,
			 t->in_len);
	if (s->cfg.in_order && t->add_seq != s->next_return_seq)
		sim_fail(s, "in-order: add #%llu returned, expected add #%llu",
			 (unsigned long long)t->add_seq,
			 (unsigned long long)s->next_return_seq);
	s->next_return_seq = t->add_seq + 1;
	if (s->dm.data) {
		u64 key = (uintptr_t)t->data;

		for (i = 0; i < len && i < t->in_len; i++) {
			if (t->data[t->out_len + i] != dm_pattern(key, i)) {
				sim_fail(s, "token %llu: byte %u the device wrote reads %#x",
					 (unsigned long long)t->serial, i,
					 t->data[t->out_len + i]);
				break;
			}
		}
	}
	t->outstanding = false;
	s->outstanding--;
	s->returned++;
	return t;
}

struct sim_tok *sim_get(struct sim *s, unsigned int *len)
{
	unsigned int l = 0xdeadbeef;
	void *data = vtio_vq_get_buf(s->vq, &l);

	if (len)
		*len = l;
	return sim_check_returned(s, data, l);
}

struct sim_tok *sim_get_ctx(struct sim *s, unsigned int *len, void **ctx)
{
	unsigned int l = 0xdeadbeef;
	void *data = vtio_vq_get_buf_ctx(s->vq, &l, ctx);

	if (len)
		*len = l;
	return sim_check_returned(s, data, l);
}

bool sim_irq(struct sim *s)
{
	if (!dm_irq_check(&s->dm))
		return false;
	s->irqs++;
	vtio_vq_interrupt(0, s->vq);
	return true;
}

unsigned int sim_device_run(struct sim *s)
{
	unsigned int n = 0;

	dm_fetch(&s->dm, ~0u);
	while (dm_pending(&s->dm)) {
		dm_complete(&s->dm, 0, dm_pending_buf(&s->dm, 0)->in_len);
		n++;
	}
	return n;
}
