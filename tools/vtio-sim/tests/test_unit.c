// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the vtio_vq_* API against a conforming device model, for
 * every combination of format x INDIRECT_DESC x EVENT_IDX x IN_ORDER x
 * queue size (plus NOTIFICATION_DATA + ACCESS_PLATFORM at one size).
 * One KTAP line per (configuration, scenario).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ktap.h"
#include "helpers.h"
#include "shim_runtime.h"

/* How many ring slots a buffer of @nsg segments takes. */
static unsigned int slots_for(const struct sim *s, unsigned int nsg)
{
	return s->cfg.indirect && nsg > 1 ? 1 : nsg;
}

/* ------------------------------------------------------- scenarios -- */

/* Single and chained buffers, out and in: token, length and bytes back. */
static void sc_basic(struct sim *s, struct prng *p)
{
	static const u32 outs[] = { 17, 100, 3 }, ins[] = { 64, 1, 200, 7 };
	struct {
		const u32 *out, *in;
		unsigned int nout, nin;
	} shapes[] = {
		{ outs, NULL, 1, 0 },		/* one readable */
		{ NULL, ins, 0, 1 },		/* one writable */
		{ outs, ins, 1, 1 },		/* request + status */
		{ outs, ins, 3, 4 },		/* a long chain */
		{ NULL, ins, 0, 4 },		/* writable chain */
	};
	unsigned int i, added = 0, want_free = s->cfg.num;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		struct sim_tok *t = sim_tok_new(s, shapes[i].out, shapes[i].nout,
						shapes[i].in, shapes[i].nin);
		unsigned int need = slots_for(s, shapes[i].nout + shapes[i].nin);
		int err = sim_add(s, t);

		if (need > want_free) {
			/* -EINVAL too for a split chain that can never fit. */
			CHECK(s, err == -ENOSPC ||
			      (err == -EINVAL && !s->cfg.packed &&
			       shapes[i].nout + shapes[i].nin > s->cfg.num),
			      "shape %u needs %u slots, %u free: add gave %d",
			      i, need, want_free, err);
			if (err)
				sim_tok_free(t);
			else
				added++;
			continue;
		}
		CHECK(s, !err, "shape %u: add failed %d", i, err);
		if (err) {
			sim_tok_free(t);
			continue;
		}
		want_free -= need;
		added++;
		CHECK(s, s->vq->num_free == want_free, "num_free %u, expected %u",
		      s->vq->num_free, want_free);
	}
	sim_kick(s);
	CHECK(s, dm_fetch(&s->dm, ~0u) == added, "device fetched %u of %u",
	      dm_pending(&s->dm), added);
	for (i = 0; i < dm_pending(&s->dm); i++) {
		const struct dm_buf *b = dm_pending_buf(&s->dm, i);

		CHECK(s, b->indirect == (s->cfg.indirect && b->nsegs > 1),
		      "buffer %u: indirect %d with %u segments", b->id,
		      b->indirect, b->nsegs);
	}
	complete_all(s, p);
	CHECK(s, drain(s) == added, "drained fewer than %u", added);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u after drain",
	      s->vq->num_free);
	CHECK(s, !vtio_vq_get_buf(s->vq, &i), "get_buf on an empty ring");
}

/* Fill to -ENOSPC, twice around the ring, with num_free exact. */
static void sc_fill(struct sim *s, struct prng *p)
{
	unsigned int lap, n, num = s->cfg.num;
	u32 outs[2] = { 8, 8 };

	for (lap = 0; lap < 3; lap++) {
		/* Lap 1 misaligns the ring by a partial fill. */
		unsigned int target = lap == 1 ? (num + 1) / 2 : num;

		for (n = 0; n < target; n++) {
			/* Chains when indirect (still one slot each). */
			struct sim_tok *t = s->cfg.indirect && num >= 2 ?
				sim_tok_new(s, outs, 2, NULL, 0) :
				sim_tok_simple(s, n & 1 ? 0 : 8, n & 1 ? 16 : 0);
			int err = sim_add(s, t);

			if (err) {
				CHECK(s, 0, "lap %u: add %u of %u failed %d", lap,
				      n, target, err);
				sim_tok_free(t);
				break;
			}
		}
		CHECK(s, s->vq->num_free == num - target,
		      "lap %u: num_free %u after %u adds", lap,
		      s->vq->num_free, target);
		if (target == num) {
			struct sim_tok *t = sim_tok_simple(s, 8, 0);
			int err = sim_add(s, t);

			CHECK(s, err == -ENOSPC, "add on a full ring gave %d", err);
			CHECK(s, s->vq->num_free == 0, "num_free %u after -ENOSPC",
			      s->vq->num_free);
			if (err)
				sim_tok_free(t);
		}
		sim_kick(s);
		dm_fetch(&s->dm, ~0u);
		CHECK(s, dm_pending(&s->dm) == target, "device sees %u of %u",
		      dm_pending(&s->dm), target);
		complete_all(s, p);
		CHECK(s, drain(s) == target, "lap %u: drained fewer than %u",
		      lap, target);
		CHECK(s, s->vq->num_free == num, "lap %u: num_free %u", lap,
		      s->vq->num_free);
		CHECK(s, s->outstanding == 0, "%llu tokens still out",
		      (unsigned long long)s->outstanding);
	}
}

/*
 * kick_prepare against every suppression state the device can publish
 * (sim_kick compares each answer with the device model).
 */
static void sc_kick(struct sim *s, struct prng *p)
{
	unsigned int round, rounds = s->cfg.num < 16 ? 4 * s->cfg.num + 8 : 40;

	for (round = 0; round < rounds; round++) {
		enum dm_notify_mode mode = round % 4 == 0 ? DM_NOTIFY_ON :
					   round % 4 == 1 ? DM_NOTIFY_OFF :
							    DM_NOTIFY_AT;
		unsigned int k = round % 4 == 2 ? 0 : 1 + round % 3;
		unsigned int n = 1 + round % 3, added;
		u64 before = s->notifies;
		bool said;

		dm_set_notify(&s->dm, mode, k);
		added = add_simple(s, n, 32, 0);
		said = sim_kick(s);
		CHECK(s, s->notifies - before >= (said ? 1 : 0),
		      "kick_prepare true but no notification");
		if (added && !s->cfg.packed && !s->cfg.event_idx)
			CHECK(s, said == (mode != DM_NOTIFY_OFF),
			      "flags mode %d: kick said %d", mode, said);
		if (round % 2) {
			/* Sometimes the device lags a round behind. */
			dm_fetch(&s->dm, ~0u);
			complete_all(s, p);
			drain(s);
		}
	}
	dm_fetch(&s->dm, ~0u);
	complete_all(s, p);
	drain(s);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u", s->vq->num_free);
}

/* disable_cb keeps the device quiet; enable_cb reports pending work. */
static void sc_cb(struct sim *s, struct prng *p)
{
	u64 cbs;

	vtio_vq_disable_cb(s->vq);
	add_simple(s, s->cfg.num < 2 ? 1 : 2, 0, 16);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	dm_complete(&s->dm, 0, 5);
	CHECK(s, !sim_irq(s), "device interrupts although callbacks are disabled");
	CHECK(s, !vtio_vq_enable_cb(s->vq),
	      "enable_cb says nothing is pending with a used buffer");
	vtio_vq_disable_cb(s->vq);
	complete_all(s, p);
	drain(s);
	CHECK(s, vtio_vq_enable_cb(s->vq), "enable_cb false on an empty ring");

	/* Now armed: the next used buffer must interrupt. */
	cbs = s->callbacks;
	add_simple(s, 1, 0, 16);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	dm_complete(&s->dm, 0, 16);
	CHECK(s, sim_irq(s), "no interrupt after enable_cb");
	CHECK(s, s->callbacks == cbs + 1, "callback ran %llu times",
	      (unsigned long long)(s->callbacks - cbs));
	vtio_vq_disable_cb(s->vq);
	drain(s);
}

/* enable_cb_prepare + poll: the race-free way to re-arm. */
static void sc_poll(struct sim *s, struct prng *p)
{
	unsigned int opaque;

	add_simple(s, 1, 0, 32);
	sim_kick(s);
	opaque = vtio_vq_enable_cb_prepare(s->vq);
	CHECK(s, !vtio_vq_poll(s->vq, opaque), "poll true before any use");
	CHECK(s, !vtio_vq_more_used(s->vq), "more_used before any use");
	dm_fetch(&s->dm, ~0u);
	dm_complete(&s->dm, 0, 31);
	CHECK(s, vtio_vq_poll(s->vq, opaque), "poll false after a use");
	CHECK(s, vtio_vq_more_used(s->vq), "more_used false after a use");
	CHECK(s, sim_irq(s), "no interrupt after enable_cb_prepare");
	vtio_vq_disable_cb(s->vq);
	drain(s);
	opaque = vtio_vq_enable_cb_prepare(s->vq);
	CHECK(s, !vtio_vq_poll(s->vq, opaque), "poll true on an empty ring");
	(void)p;
}

/* enable_cb_delayed: interrupt comes, and with EVENT_IDX not at once. */
static void sc_delayed(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 16 ? s->cfg.num : 16, i, first = 0;

	vtio_vq_disable_cb(s->vq);
	n = add_simple(s, n, 0, 8);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	CHECK(s, vtio_vq_enable_cb_delayed(s->vq),
	      "enable_cb_delayed false with nothing used");
	for (i = 1; i <= n; i++) {
		dm_complete_batch(&s->dm, 1, 8);
		if (sim_irq(s) && !first)
			first = i;
	}
	CHECK(s, first, "no interrupt after all %u buffers were used", n);
	if (s->cfg.event_idx && n >= 4)
		CHECK(s, first > 1, "delayed callback fired at the first of %u", n);
	vtio_vq_disable_cb(s->vq);
	CHECK(s, drain(s) == n, "drain");
	(void)p;
}

/* detach_unused_buf gives every outstanding token back exactly once. */
static void sc_detach(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 8 ? s->cfg.num : 8, added, i;
	u32 ins[3] = { 4, 4, 4 };
	struct sim_tok *t;

	for (added = 0; added < n; added++) {
		t = sim_tok_new(s, ins, 1 + added % 3 <= s->vq->num_free ?
					1 + added % 3 : 1, ins, 1);
		if (sim_add(s, t)) {
			sim_tok_free(t);
			break;
		}
	}
	sim_kick(s);
	dm_fetch(&s->dm, added / 2);	/* the device took some */
	for (i = 0; (t = vtio_vq_detach_unused_buf(s->vq)); i++) {
		CHECK(s, t->magic == SIM_TOK_MAGIC && t->outstanding,
		      "detach returned a bad or returned token");
		t->outstanding = false;
		s->outstanding--;
		sim_tok_free(t);
	}
	CHECK(s, i == added, "detached %u of %u", i, added);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u after detach",
	      s->vq->num_free);
	if (s->cfg.access_platform)
		CHECK(s, vtio_sim_dma_live() == 0, "%ld DMA mappings live",
		      vtio_sim_dma_live());
	/* The device was reset: forget what it fetched. */
	dm_queue_reset(&s->dm);
	(void)p;
}

/* Out of order: the device completes in reverse, lengths vary. */
static void sc_ooo(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 32 ? s->cfg.num : 32, k;

	n = add_simple(s, n, s->cfg.num < 4 ? 0 : 4, 64);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	for (k = dm_pending(&s->dm); k-- > 0;)
		dm_complete(&s->dm, k, (k * 7) % 65);
	sim_irq(s);
	CHECK(s, drain(s) == n, "drain");
	(void)p;
}

/* In order: batches of 1..5, the last named; skipped ones full length. */
static void sc_batch(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 40 ? s->cfg.num : 40, got = 0, b;
	u32 ins[2] = { 10, 30 };

	for (b = 0; b < n; b++) {
		/* Chains of up to three, never longer than the queue. */
		struct sim_tok *t = sim_tok_new(s, ins, 1, ins,
						b % 3 || s->cfg.num < 3 ? 1 : 2);

		if (sim_add(s, t)) {
			sim_tok_free(t);
			break;
		}
	}
	n = b;
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	for (b = 1; dm_pending(&s->dm); b = b % 5 + 1) {
		unsigned int m = b < dm_pending(&s->dm) ? b : dm_pending(&s->dm);

		u32 last_in = dm_pending_buf(&s->dm, m - 1)->in_len;

		dm_complete_batch(&s->dm, m, 3 * m < last_in ? 3 * m : last_in);
		sim_irq(s);
		got += drain(s);
	}
	CHECK(s, got == n, "got %u of %u", got, n);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u", s->vq->num_free);
	(void)p;
}

/*
 * In order: the driver took only part of a batch.  The rest is used (the
 * device will not interrupt for it again), so every re-arm call must say
 * "more work" or the driver sleeps on buffers it was already given.
 */
static void sc_batch_rearm(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 3 ? s->cfg.num : 3, opaque;
	struct sim_tok *t;

	if (n < 2)
		return;		/* a batch needs two buffers */
	vtio_vq_disable_cb(s->vq);
	n = add_simple(s, n, 0, 16);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	dm_complete_batch(&s->dm, n, 16);
	t = sim_get(s, NULL);
	CHECK(s, t, "no buffer from the batch");
	sim_tok_free(t);

	CHECK(s, vtio_vq_more_used(s->vq), "more_used false mid-batch");
	opaque = vtio_vq_enable_cb_prepare(s->vq);
	CHECK(s, vtio_vq_poll(s->vq, opaque),
	      "poll false with %u buffers of a batch not taken", n - 1);
	vtio_vq_disable_cb(s->vq);
	CHECK(s, !vtio_vq_enable_cb(s->vq),
	      "enable_cb says no work with %u buffers of a batch not taken", n - 1);
	vtio_vq_disable_cb(s->vq);
	CHECK(s, !vtio_vq_enable_cb_delayed(s->vq),
	      "enable_cb_delayed says wait with all outstanding buffers used");
	vtio_vq_disable_cb(s->vq);
	CHECK(s, drain(s) == n - 1, "rest of the batch");
	(void)p;
}

/* Per-buffer context comes back with the token. */
static void sc_ctx(struct sim *s, struct prng *p)
{
	unsigned int n = s->cfg.num < 4 ? s->cfg.num : 4, i, len;
	static int ctxs[4];
	struct sim_tok *t;
	void *ctx;

	for (i = 0; i < n; i++) {
		t = sim_tok_simple(s, 0, 20);
		CHECK(s, !sim_add_inbuf_ctx(s, t, &ctxs[i]), "add_inbuf_ctx");
	}
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	complete_all(s, p);
	while ((t = sim_get_ctx(s, &len, &ctx))) {
		unsigned int which = (unsigned int)((t->serial - (s->next_serial - n)));

		CHECK(s, ctx == &ctxs[which], "token %u: ctx %p, expected %p",
		      which, ctx, (void *)&ctxs[which]);
		sim_tok_free(t);
	}
}

/* A failed DMA mapping or table allocation must unwind cleanly. */
static void sc_enomem(struct sim *s, struct prng *p)
{
	u32 outs[3] = { 8, 8, 8 };
	struct sim_tok *t;
	int err;

	/* The second mapping of a three-segment request fails. */
	t = sim_tok_new(s, outs, 3, NULL, 0);
	vtio_sim_fail_dma_map_in(2);
	err = sim_add(s, t);
	vtio_sim_fail_dma_map_in(0);
	CHECK(s, err == -ENOMEM, "add with a failing mapping gave %d", err);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u after -ENOMEM",
	      s->vq->num_free);
	CHECK(s, vtio_sim_dma_live() == 0, "%ld mappings leaked",
	      vtio_sim_dma_live());

	/* No memory for an indirect table: a direct chain instead. */
	vtio_sim_fail_alloc_in(1);
	err = sim_add(s, t);
	vtio_sim_fail_alloc_in(0);
	if (s->cfg.num >= 3) {
		CHECK(s, !err, "add without table memory gave %d", err);
		CHECK(s, s->vq->num_free == s->cfg.num - 3,
		      "fallback chain took %u slots", s->cfg.num - s->vq->num_free);
	} else {
		CHECK(s, err == -ENOSPC, "3-chain on a %u ring gave %d",
		      s->cfg.num, err);
		sim_tok_free(t);
	}
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	complete_all(s, p);
	drain(s);
}

/*
 * Split: a chain longer than the queue, even through an indirect table,
 * breaks "MUST NOT create a descriptor chain longer than the Queue Size":
 * add must refuse it (the device model flags it if it gets through).
 */
static void sc_longchain(struct sim *s, struct prng *p)
{
	u32 lens[SIM_MAX_SG];
	unsigned int i, n = s->cfg.num + 1;
	struct sim_tok *t;
	int err;

	for (i = 0; i < n; i++)
		lens[i] = 4;
	t = sim_tok_new(s, lens, n, NULL, 0);
	err = sim_add(s, t);
	if (err) {
		CHECK(s, err == -EINVAL || err == -ENOSPC,
		      "chain of %u on a queue of %u: add gave %d", n,
		      s->cfg.num, err);
		sim_tok_free(t);
	}
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	complete_all(s, p);
	drain(s);
}

/* Bad arguments fail with -EINVAL and leave the queue as it was. */
static void sc_args(struct sim *s, struct prng *p)
{
	struct sim_tok *t = sim_tok_simple(s, 8, 0);
	struct scatterlist *sgs[1] = { t->sg };
	static int ctx;
	int err;

	err = vtio_vq_add_sgs(s->vq, sgs, 1, 0, NULL, GFP_ATOMIC);
	CHECK(s, err == -EINVAL, "NULL token: %d", err);
	err = vtio_vq_add_outbuf(s->vq, t->sg, 0, t, GFP_ATOMIC);
	CHECK(s, err == -EINVAL, "no segments: %d", err);
	err = vtio_vq_add_inbuf_ctx(s->vq, t->sg, 1, t, &ctx, GFP_ATOMIC);
	CHECK(s, err == -EINVAL, "ctx on a queue without ctx: %d", err);
	/* More segments asked for than the list holds. */
	err = vtio_vq_add_outbuf(s->vq, t->sg, 2, t, GFP_ATOMIC);
	if (!s->cfg.indirect && s->cfg.num < 2)
		CHECK(s, err == -ENOSPC, "2 segments on a 1-slot ring: %d", err);
	else
		CHECK(s, err == -EINVAL, "short list: %d", err);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u after bad adds",
	      s->vq->num_free);
	CHECK(s, vtio_sim_dma_live() == 0, "%ld mappings after bad adds",
	      vtio_sim_dma_live());
	CHECK(s, !vtio_vq_is_broken(s->vq), "bad arguments broke the queue");
	CHECK(s, vtio_vq_get_vring_size(s->vq) == s->cfg.num, "vring size %u",
	      vtio_vq_get_vring_size(s->vq));
	CHECK(s, vtio_vq_is_packed(s->vq) == s->cfg.packed, "is_packed wrong");
	sim_tok_free(t);
	(void)p;
}

/* A queue without a callback never asks for interrupts. */
static void sc_nocb(struct sim *s, struct prng *p)
{
	add_simple(s, 1, 0, 8);
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	dm_complete(&s->dm, 0, 8);
	CHECK(s, !dm_irq_check(&s->dm), "device interrupts a queue without callback");
	CHECK(s, drain(s) == 1, "drain");
	(void)p;
}

/* ----------------------------------------------------------- runner -- */

struct scenario {
	const char *name;
	scenario_fn *fn;
	bool (*applies)(const struct sim_cfg *c);
	bool ctx;
	bool no_callback;
};

static bool always(const struct sim_cfg *c) { (void)c; return true; }
static bool not_in_order(const struct sim_cfg *c) { return !c->in_order; }
static bool in_order(const struct sim_cfg *c) { return c->in_order; }
static bool small_indirect_split(const struct sim_cfg *c)
{
	return !c->packed && c->indirect && c->num < SIM_MAX_SG;
}

static bool dma_api(const struct sim_cfg *c)
{
	return c->access_platform && c->indirect;
}

static const struct scenario scenarios[] = {
	{ "basic", sc_basic, always },
	{ "fill", sc_fill, always },
	{ "kick", sc_kick, always },
	{ "cb", sc_cb, always },
	{ "poll", sc_poll, always },
	{ "delayed", sc_delayed, always },
	{ "detach", sc_detach, always },
	{ "ooo", sc_ooo, not_in_order },
	{ "batch", sc_batch, in_order },
	{ "batch-rearm", sc_batch_rearm, in_order },
	{ "ctx", sc_ctx, always, true },
	{ "enomem", sc_enomem, dma_api },
	{ "longchain", sc_longchain, small_indirect_split },
	{ "args", sc_args, always },
	{ "nocb", sc_nocb, always, false, true },
};

static void run_one(const struct sim_cfg *base, const struct scenario *sc)
{
	struct sim_cfg c = *base;
	char name[160], why[600];
	const char *unsup;
	u64 seed;
	bool ok;

	c.callback = !sc->no_callback;
	c.ctx = sc->ctx;
	scenario_name(&c, sc->name, name, sizeof(name));
	seed = c.num * 131 + c.packed * 7 + c.indirect * 3 + c.event_idx * 11 +
	       c.in_order * 13;
	unsup = run_scenario(&c, seed, sc->fn, false, &ok, why, sizeof(why));
	ktap_outcome(name, unsup, ok, why);
}

/* vtio_vq_create refuses sizes the format cannot have, with a message. */
static void test_create(void)
{
	static const struct { bool packed; unsigned int num; bool ok; } c[] = {
		{ false, 0, false }, { false, 3, false }, { false, 100, false },
		{ false, 65536, false }, { false, 1, true }, { false, 32768, true },
		{ true, 0, false }, { true, 32769, false }, { true, 1, true },
		{ true, 32767, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct sim_cfg cfg = { .packed = c[i].packed, .num = c[i].num,
				       .callback = true };
		char name[96];
		struct sim s;
		int err;

		snprintf(name, sizeof(name), "create %s q=%u %s",
			 c[i].packed ? "packed" : "split", c[i].num,
			 c[i].ok ? "works" : "is refused");
		vtio_sim_log_clear();
		err = sim_create(&s, &cfg);
		if (c[i].ok) {
			ktap_result(!err, name, "vtio_vq_create failed");
			if (!err)
				sim_destroy(&s);
		} else {
			ktap_result(err == -EINVAL &&
				    vtio_sim_log_find("err", "ring size"),
				    name, "no -EINVAL with a \"ring size\" message");
		}
	}
}

int main(void)
{
	static const unsigned int split_sizes[] = { 2, 8, 256, 32768 };
	static const unsigned int packed_sizes[] = { 1, 3, 100, 257, 32768 };
	unsigned int fmt, combo, i, k;

	ktap_begin("vtio-sim unit");
	test_create();
	for (fmt = 0; fmt < 2; fmt++) {
		const unsigned int *sizes = fmt ? packed_sizes : split_sizes;
		unsigned int nsizes = fmt ? ARRAY_SIZE(packed_sizes) :
					    ARRAY_SIZE(split_sizes);

		/* The brief's matrix, then NOTIFICATION_DATA + DMA API. */
		for (i = 0; i <= nsizes; i++) {
			for (combo = 0; combo < 8; combo++) {
				struct sim_cfg c = {
					.packed = fmt,
					.indirect = combo & 1,
					.event_idx = combo & 2,
					.in_order = combo & 4,
					.num = i < nsizes ? sizes[i] : (fmt ? 100 : 8),
					.notif_data = i == nsizes,
					.access_platform = i == nsizes,
				};

				for (k = 0; k < ARRAY_SIZE(scenarios); k++)
					if (scenarios[k].applies(&c))
						run_one(&c, &scenarios[k]);
			}
		}
	}
	return ktap_end();
}
