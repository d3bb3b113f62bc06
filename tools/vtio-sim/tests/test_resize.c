// SPDX-License-Identifier: GPL-2.0
/*
 * vtio_vq_resize() (VIRTIO_F_RING_RESET) against the device model.  The
 * transport's reset_vq makes the device forget the queue, the ring hands
 * every buffer it still holds to the recycle callback, takes new memory
 * when the size changes, starts afresh, and enable_vq makes the device
 * read the ring's place and size again.  For split and packed x
 * INDIRECT_DESC x EVENT_IDX x IN_ORDER, and again with NOTIFICATION_DATA
 * and ACCESS_PLATFORM; besides the working resizes, every error path:
 * not negotiated, bad sizes, reset_vq or enable_vq failing, no memory for
 * the new ring, and an interrupt arriving in the middle of the reset.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ktap.h"
#include "helpers.h"
#include "shim_runtime.h"

#define NUM_MAX	512	/* the largest queue the device takes */
#define LAPS	3	/* traffic after a resize, in laps of the ring */

/* Where each format starts, then smaller, larger, one entry and back. */
enum { START, SMALLER, LARGER, ONE, BACK, WALK_LEN };
static const unsigned int split_walk[WALK_LEN] = { 8, 2, 256, 1, 8 };
static const unsigned int packed_walk[WALK_LEN] = { 100, 37, 257, 1, 100 };

static unsigned int walk(const struct sim *s, unsigned int step)
{
	return (s->cfg.packed ? packed_walk : split_walk)[step];
}

/* ------------------------------------------------------- traffic --- */

/* A token of one to three segments, readable and writable, any length. */
static struct sim_tok *tok_mixed(struct sim *s, struct prng *p)
{
	unsigned int nseg = 1 + prng_below(p, s->cfg.num < 3 ? s->cfg.num : 3);
	unsigned int nout = prng_below(p, nseg + 1), i;
	u32 lens[3];

	for (i = 0; i < nseg; i++)
		lens[i] = 1 + prng_below(p, 64);
	return sim_tok_new(s, lens, nout, lens + nout, nseg - nout);
}

/* Add up to @n of them, until the ring is full; returns how many. */
static unsigned int add_mixed(struct sim *s, struct prng *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sim_tok *t = tok_mixed(s, p);
		int err = sim_add(s, t);

		if (err) {
			CHECK(s, err == -ENOSPC, "add gave %d", err);
			sim_tok_free(t);
			break;
		}
	}
	return i;
}

/*
 * Round trips over @laps laps of the ring: fill part of it, the device
 * takes everything and uses it (any order, or in-order batches), and
 * every token comes back once with the length the device wrote (sim_get
 * checks token, length and bytes; sim_kick checks every notification).
 */
static void traffic(struct sim *s, struct prng *p, unsigned int laps)
{
	u64 done = 0, want = (u64)laps * s->cfg.num;

	while (done < want && sim_ok(s)) {
		unsigned int n = add_mixed(s, p, 1 + prng_below(p, s->cfg.num));
		unsigned int got;

		CHECK(s, n, "nothing fits an empty ring of %u", s->cfg.num);
		if (!n)
			break;
		sim_kick(s);
		CHECK(s, dm_fetch(&s->dm, ~0u) == n, "device fetched %u of %u",
		      dm_pending(&s->dm), n);
		complete_all(s, p);
		got = drain(s);
		CHECK(s, got == n, "added %u, got %u back", n, got);
		done += n;
	}
	CHECK(s, s->vq->num_free == s->cfg.num && !s->outstanding,
	      "after traffic: num_free %u of %u, %llu tokens out",
	      s->vq->num_free, s->cfg.num, (unsigned long long)s->outstanding);
}

/*
 * Leave buffers on the ring in every state a reset can find them in:
 * used and not taken yet (with IN_ORDER: the rest of a batch), fetched by
 * the device, made available, added but not notified yet.  Returns how
 * many are outstanding.
 */
static u64 leave_outstanding(struct sim *s, struct prng *p)
{
	unsigned int n = add_mixed(s, p, s->cfg.num), used, i;
	struct dm *dm = &s->dm;

	sim_kick(s);
	dm_fetch(dm, n - n / 3);
	used = dm_pending(dm) / 2;
	if (dm->in_order && used) {
		dm_complete_batch(dm, used,
				  pick_len(p, dm_pending_buf(dm, used - 1)));
	} else {
		for (i = 0; i < used; i++) {
			unsigned int k = prng_below(p, dm_pending(dm));

			dm_complete(dm, k, pick_len(p, dm_pending_buf(dm, k)));
		}
	}
	sim_irq(s);
	/* One of the used ones taken: it is no longer the ring's. */
	if (used >= 2)
		sim_tok_free(sim_get(s, NULL));
	n += add_mixed(s, p, 2);
	CHECK(s, s->outstanding, "nothing outstanding (%u added)", n);
	return s->outstanding;
}

/* The device takes and uses what is outstanding; all of it comes back. */
static void finish_outstanding(struct sim *s, struct prng *p)
{
	u64 out = s->outstanding;
	unsigned int got;

	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	complete_all(s, p);
	got = drain(s);
	CHECK(s, got == out && !s->outstanding,
	      "%u of %llu outstanding tokens came back", got,
	      (unsigned long long)out);
}

/* ------------------------------------------------------- resizing --- */

/* What a resize is checked against. */
struct before {
	u64 outstanding, recycled, resets, enables;
	unsigned int num;
	dma_addr_t desc;
};

static struct before snap(const struct sim *s)
{
	return (struct before){
		.outstanding = s->outstanding, .recycled = s->recycled,
		.resets = s->reset_vqs, .enables = s->enable_vqs,
		.num = s->cfg.num, .desc = vtio_vq_desc_addr(s->vq),
	};
}

/*
 * After a reset that reached the device: every buffer outstanding before
 * came back once through recycle, the ring has @num entries, all free,
 * nothing used, the driver's next position is the ring's start, and the
 * device was given the ring again (it checks the ring is a fresh one).
 */
static void check_restarted(struct sim *s, const struct before *b,
			    unsigned int num)
{
	/* Queue 0, offset 0; packed on lap 1 (wrap bit set). */
	u32 start = s->cfg.packed ? 1u << 31 : 0;
	unsigned int len;

	CHECK(s, s->reset_vqs == b->resets + 1 &&
	      s->enable_vqs == b->enables + 1,
	      "transport saw %llu resets and %llu enables, expected 1 and 1",
	      (unsigned long long)(s->reset_vqs - b->resets),
	      (unsigned long long)(s->enable_vqs - b->enables));
	CHECK(s, s->recycled - b->recycled == b->outstanding && !s->outstanding,
	      "%llu of %llu outstanding tokens recycled, %llu still out",
	      (unsigned long long)(s->recycled - b->recycled),
	      (unsigned long long)b->outstanding,
	      (unsigned long long)s->outstanding);
	CHECK(s, s->vq->num_free == num, "num_free %u, expected %u",
	      s->vq->num_free, num);
	CHECK(s, vtio_vq_get_vring_size(s->vq) == num && s->dm.num == num,
	      "ring size %u, device sees %u, expected %u",
	      vtio_vq_get_vring_size(s->vq), s->dm.num, num);
	CHECK(s, !vtio_vq_get_buf(s->vq, &len), "get_buf returned a buffer");
	CHECK(s, !vtio_vq_more_used(s->vq), "more_used on a fresh ring");
	CHECK(s, vtio_vq_notification_data(s->vq) == start,
	      "next position %#x, not the ring's start %#x",
	      vtio_vq_notification_data(s->vq), start);
	/* Same size: the ring keeps its memory. */
	if (num == b->num)
		CHECK(s, vtio_vq_desc_addr(s->vq) == b->desc,
		      "a ring of the same size moved");
	CHECK(s, !vtio_vq_is_broken(s->vq), "queue broken");
	if (s->cfg.access_platform)
		CHECK(s, vtio_sim_dma_live() == 0,
		      "%ld DMA mappings live after the reset",
		      vtio_sim_dma_live());
}

static void resize_ok(struct sim *s, unsigned int num)
{
	struct before b = snap(s);
	int err = sim_resize(s, num);

	CHECK(s, !err, "resize %u -> %u gave %d", b.num, num, err);
	check_restarted(s, &b, num);
}

/*
 * A resize that fails with @want and leaves the queue as it was: no
 * buffer moves, the size stays.  @reset: the transport's reset_vq was
 * called (and failed).
 */
static void resize_fails(struct sim *s, unsigned int num, int want,
			 bool reset)
{
	struct before b = snap(s);
	unsigned int free = s->vq->num_free;
	int err = sim_resize(s, num);

	CHECK(s, err == want, "resize %u -> %u gave %d, expected %d", b.num,
	      num, err, want);
	CHECK(s, s->reset_vqs == b.resets + reset && s->enable_vqs == b.enables,
	      "transport saw %llu resets and %llu enables, expected %d and 0",
	      (unsigned long long)(s->reset_vqs - b.resets),
	      (unsigned long long)(s->enable_vqs - b.enables), reset);
	CHECK(s, s->recycled == b.recycled && s->outstanding == b.outstanding,
	      "%llu tokens recycled, %llu of %llu still out",
	      (unsigned long long)(s->recycled - b.recycled),
	      (unsigned long long)s->outstanding,
	      (unsigned long long)b.outstanding);
	CHECK(s, s->vq->num_free == free &&
	      vtio_vq_get_vring_size(s->vq) == b.num,
	      "num_free %u (was %u), size %u (was %u)", s->vq->num_free, free,
	      vtio_vq_get_vring_size(s->vq), b.num);
	CHECK(s, vtio_vq_desc_addr(s->vq) == b.desc, "the ring moved");
	CHECK(s, !vtio_vq_is_broken(s->vq), "queue broken");
}

/* ------------------------------------------------------ scenarios --- */

/* 1. Buffers in every state come back once, through recycle only. */
static void sc_outstanding(struct sim *s, struct prng *p)
{
	traffic(s, p, 1);		/* away from the ring's start */
	leave_outstanding(s, p);
	resize_ok(s, walk(s, SMALLER));
	/* A recycled token that get_buf returned would fail in sim_get. */
	traffic(s, p, LAPS);
}

/* 2. Down, up, to one entry and back: traffic over laps after each. */
static void sc_walk(struct sim *s, struct prng *p)
{
	unsigned int step;

	for (step = SMALLER; step < WALK_LEN && sim_ok(s); step++) {
		leave_outstanding(s, p);
		resize_ok(s, walk(s, step));
		traffic(s, p, LAPS);
	}
}

/* 3. The same size: same memory, but every index back at the start. */
static void sc_same(struct sim *s, struct prng *p)
{
	unsigned int num = s->cfg.num;

	traffic(s, p, 1);
	leave_outstanding(s, p);
	resize_ok(s, num);
	traffic(s, p, LAPS);
}

/* 4. Refused before anything happens; the queue goes on as it was. */
static void sc_not_negotiated(struct sim *s, struct prng *p)
{
	leave_outstanding(s, p);
	resize_fails(s, walk(s, SMALLER), -EOPNOTSUPP, false);
	resize_fails(s, s->cfg.num, -EOPNOTSUPP, false);
	finish_outstanding(s, p);
	traffic(s, p, 1);
}

/* The feature negotiated, but the transport lacks reset_vq/enable_vq. */
static void sc_no_ops(struct sim *s, struct prng *p)
{
	static const struct vtio_config_ops no_queue_reset;
	const struct vtio_config_ops *ops = s->vdev.config;

	leave_outstanding(s, p);
	s->vdev.config = &no_queue_reset;
	resize_fails(s, walk(s, SMALLER), -EOPNOTSUPP, false);
	s->vdev.config = ops;
	finish_outstanding(s, p);
	traffic(s, p, 1);
}

/* A size the ring refuses must also say which, as create does. */
static void bad_size_logged(struct sim *s, unsigned int num)
{
	char want[64];

	snprintf(want, sizeof(want), "bad %s ring size %u",
		 s->cfg.packed ? "packed" : "split", num);
	resize_fails(s, num, -EINVAL, false);
	CHECK(s, vtio_sim_log_find("err", want), "no dev_err \"%s\" (last: %s)",
	      want, vtio_sim_log_last() ?: "none");
	vtio_sim_log_clear();
}

static void sc_bad_size(struct sim *s, struct prng *p)
{
	leave_outstanding(s, p);
	/* Above the device's maximum (split: a power of two nonetheless). */
	resize_fails(s, s->cfg.packed ? NUM_MAX + 1 : 2 * NUM_MAX, -EINVAL,
		     false);
	resize_fails(s, 2 * VTIO_QUEUE_SIZE_MAX, -EINVAL, false);
	bad_size_logged(s, 0);
	if (!s->cfg.packed)
		bad_size_logged(s, 12);
	finish_outstanding(s, p);
	traffic(s, p, 1);
}

/*
 * reset_vq fails: its error comes back, the device still has the queue
 * and the buffers are still outstanding; the device finishes them, and a
 * later reset works.
 */
static void sc_reset_fails(struct sim *s, struct prng *p)
{
	u64 cbs;

	leave_outstanding(s, p);
	s->reset_vq_err = -ETIMEDOUT;
	resize_fails(s, walk(s, LARGER), -ETIMEDOUT, true);
	s->reset_vq_err = 0;
	/* No longer resetting: an interrupt with used work is handled. */
	if (vtio_vq_more_used(s->vq)) {
		cbs = s->callbacks;
		CHECK(s, vtio_vq_interrupt(0, s->vq) == IRQ_HANDLED &&
		      s->callbacks == cbs + 1,
		      "interrupt not handled after a failed reset");
	}
	finish_outstanding(s, p);
	traffic(s, p, 1);
	leave_outstanding(s, p);
	resize_ok(s, walk(s, LARGER));
	traffic(s, p, 1);
}

/* enable_vq fails: the buffers came back, the queue is broken, and says so. */
static void sc_enable_fails(struct sim *s, struct prng *p)
{
	static const char want[] = "not enabled again after its reset";
	u64 out = leave_outstanding(s, p);
	struct sim_tok *t;
	const char *msg;
	unsigned int len;
	int err;

	s->enable_vq_err = -EIO;
	err = sim_resize(s, walk(s, SMALLER));
	s->enable_vq_err = 0;
	CHECK(s, err == -EIO, "resize with a failing enable_vq gave %d", err);
	CHECK(s, s->recycled == out && !s->outstanding,
	      "%llu of %llu tokens recycled", (unsigned long long)s->recycled,
	      (unsigned long long)out);
	CHECK(s, vtio_vq_is_broken(s->vq), "queue not broken");
	msg = vtio_sim_log_find("err", want);
	CHECK(s, msg, "no dev_err \"%s\" (last: %s)", want,
	      vtio_sim_log_last() ?: "none");
	if (msg)
		CHECK(s, strstr(msg, "virtqueue 0 (simq) broken") &&
		      strstr(msg, "(-5)"),
		      "dev_err \"%s\" lacks the queue or the error", msg);
	CHECK(s, vtio_sim_log_count("err") == 1, "%u dev_err messages",
	      vtio_sim_log_count("err"));
	t = sim_tok_simple(s, 0, 8);
	err = sim_add(s, t);
	CHECK(s, err == -EIO, "add on the broken queue gave %d", err);
	if (err)
		sim_tok_free(t);
	CHECK(s, !vtio_vq_get_buf(s->vq, &len), "get_buf on the broken queue");
	CHECK(s, !vtio_vq_notify(s->vq), "notify on the broken queue");
	vtio_sim_log_clear();
}

/*
 * A broken queue (here: the device was marked broken) is not revived by
 * a resize: -EIO before the transport is asked, buffers untouched.
 */
static void sc_broken(struct sim *s, struct prng *p)
{
	struct before b;
	int err;

	leave_outstanding(s, p);
	vtio_vqs_break_all(&s->vdev);
	b = snap(s);
	err = sim_resize(s, walk(s, SMALLER));
	CHECK(s, err == -EIO, "resize of a broken queue gave %d", err);
	CHECK(s, s->reset_vqs == b.resets && s->enable_vqs == b.enables &&
	      s->recycled == b.recycled,
	      "broken queue: %llu resets, %llu enables, %llu recycled",
	      (unsigned long long)(s->reset_vqs - b.resets),
	      (unsigned long long)(s->enable_vqs - b.enables),
	      (unsigned long long)(s->recycled - b.recycled));
	CHECK(s, vtio_vq_is_broken(s->vq) &&
	      vtio_vq_get_vring_size(s->vq) == b.num,
	      "after the refused resize: broken %d, size %u (was %u)",
	      vtio_vq_is_broken(s->vq), vtio_vq_get_vring_size(s->vq), b.num);
}

/*
 * 5. No memory for the new ring (its id state, its shadow descriptors or
 * the ring itself): -ENOMEM, and the old ring, started again, empty.
 */
static void sc_enomem(struct sim *s, struct prng *p)
{
	unsigned int k;

	for (k = 1; k <= 3 && sim_ok(s); k++) {
		unsigned int num = walk(s, k == 2 ? SMALLER : LARGER);
		struct before b;
		int err;

		leave_outstanding(s, p);
		b = snap(s);
		vtio_sim_fail_alloc_in(k);
		err = sim_resize(s, num);
		vtio_sim_fail_alloc_in(0);
		CHECK(s, err == -ENOMEM,
		      "allocation %u failing: resize gave %d", k, err);
		check_restarted(s, &b, b.num);
		traffic(s, p, LAPS);
	}
}

/*
 * 6. An interrupt while the transport resets the queue, with a used buffer
 * on the ring: the handler must leave the ring alone.
 */
struct irq_probe {
	bool ran, more_used;
	irqreturn_t ret;
	u64 callbacks;
};

static void probe_irq(struct sim *s)
{
	struct irq_probe *pr = s->priv;
	u64 cbs = s->callbacks;

	pr->ran = true;
	pr->more_used = vtio_vq_more_used(s->vq);
	pr->ret = vtio_vq_interrupt(0, s->vq);
	pr->callbacks = s->callbacks - cbs;
}

/* One buffer added, used by the device, not taken. */
static void one_used(struct sim *s)
{
	CHECK(s, add_simple(s, 1, 0, 16) == 1, "add");
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	dm_complete(&s->dm, 0, 16);
}

static void sc_irq(struct sim *s, struct prng *p)
{
	struct irq_probe pr = { 0 };
	u64 cbs;

	one_used(s);
	s->priv = &pr;
	s->on_reset_vq = probe_irq;
	resize_ok(s, walk(s, SMALLER));
	s->on_reset_vq = NULL;
	s->priv = NULL;
	CHECK(s, pr.ran && pr.more_used,
	      "no used buffer on the ring when reset_vq ran");
	CHECK(s, pr.ret == IRQ_NONE && !pr.callbacks,
	      "interrupt mid-reset: returned %d, callback ran %llu times",
	      pr.ret, (unsigned long long)pr.callbacks);

	/* Reset over: the next used buffer is handled. */
	one_used(s);
	cbs = s->callbacks;
	CHECK(s, vtio_vq_interrupt(0, s->vq) == IRQ_HANDLED &&
	      s->callbacks == cbs + 1, "interrupt after the reset not handled");
	CHECK(s, drain(s) == 1, "drain");
	traffic(s, p, 1);
}

/* A queue without a callback still asks for no interrupt after a resize. */
static void sc_nocb(struct sim *s, struct prng *p)
{
	leave_outstanding(s, p);
	resize_ok(s, walk(s, SMALLER));
	one_used(s);
	CHECK(s, !dm_irq_check(&s->dm),
	      "device interrupts a queue without callback after its resize");
	CHECK(s, drain(s) == 1, "drain");
}

/* ----------------------------------------------------------- runner -- */

struct scenario {
	const char *name;
	scenario_fn *fn;
	bool no_ring_reset;	/* RING_RESET not negotiated */
	bool no_callback;
	bool breaks;		/* the queue ends broken, on purpose */
};

static const struct scenario scenarios[] = {
	{ "buffers outstanding come back through recycle", sc_outstanding },
	{ "smaller, larger, 1, back: traffic after each", sc_walk },
	{ "same size restarts the ring", sc_same },
	{ "not negotiated: -EOPNOTSUPP", sc_not_negotiated,
	  .no_ring_reset = true },
	{ "transport without reset_vq: -EOPNOTSUPP", sc_no_ops },
	{ "bad sizes: -EINVAL", sc_bad_size },
	{ "reset_vq fails", sc_reset_fails },
	{ "enable_vq fails: broken", sc_enable_fails, .breaks = true },
	{ "broken queue: -EIO, stays broken", sc_broken, .breaks = true },
	{ "no memory for the new ring: -ENOMEM", sc_enomem },
	{ "interrupt while resetting", sc_irq },
	{ "no callback, no interrupt", sc_nocb, .no_callback = true },
};

static void run_one(const struct sim_cfg *base, unsigned int k)
{
	const struct scenario *sc = &scenarios[k];
	struct sim_cfg c = *base;
	char name[160], why[600];
	const char *unsup;
	u64 seed;
	bool ok;

	c.ring_reset = !sc->no_ring_reset;
	c.callback = !sc->no_callback;
	scenario_name(&c, sc->name, name, sizeof(name));
	seed = k * 977 + c.packed * 7 + c.indirect * 3 + c.event_idx * 11 +
	       c.in_order * 13 + c.notif_data * 17;
	unsup = run_scenario(&c, seed, sc->fn, sc->breaks, &ok, why,
			     sizeof(why));
	ktap_outcome(name, unsup, ok, why);
}

int main(void)
{
	unsigned int fmt, row, combo, k;
	const unsigned int *sizes;

	ktap_begin("vtio-sim resize");
	for (fmt = 0; fmt < 2; fmt++) {
		sizes = fmt ? packed_walk : split_walk;
		/* Row 1: NOTIFICATION_DATA and the DMA API as well. */
		for (row = 0; row < 2; row++) {
			for (combo = 0; combo < 8; combo++) {
				struct sim_cfg c = {
					.packed = fmt,
					.indirect = combo & 1,
					.event_idx = combo & 2,
					.in_order = combo & 4,
					.notif_data = row,
					.access_platform = row,
					.num = sizes[START],
					.num_max = NUM_MAX,
				};

				for (k = 0; k < ARRAY_SIZE(scenarios); k++)
					run_one(&c, k);
			}
		}
	}
	return ktap_end();
}
