// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized driver/device runs.  A NAPI-like driver (add, kick, process,
 * re-arm with enable_cb / prepare+poll / delayed, sleep until the
 * interrupt) against a conforming device that picks its completion order,
 * batches and notification wishes at random and sleeps until notified.
 *
 * Checked all along: every token comes back once with its length and
 * bytes (sim.c), kick_prepare agrees with the device's wish (sim.c), no
 * notification is missed while the device sleeps, and no interrupt is
 * missed while the driver sleeps with callbacks enabled.
 *
 * VTIO_SIM_SEED=<n> reproduces a run; VTIO_SIM_STEPS=<n> sets its length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ktap.h"
#include "helpers.h"
#include "shim_runtime.h"

enum drv_state { DRV_RUNNING, DRV_SLEEP, DRV_SLEEP_DELAYED };

struct rnd {
	struct sim s;
	struct prng p;
	/*
	 * NAPI style: callbacks off while processing, re-armed before
	 * sleeping.  Always-on style: callbacks never disabled, the driver
	 * drains and waits (exercises get_buf's own event updates).
	 */
	bool always_on;
	enum drv_state drv;
	u64 irqs_at_sleep;
	bool dev_asleep;
	u64 notifies_at_arm;
	u64 arm_pos;		/* avail end when the device went to sleep */
	u64 step;
};


/* The queue callback: a NAPI driver disables callbacks and gets to work. */
static void rnd_callback(struct sim *s)
{
	struct rnd *r = s->priv;

	if (r->drv != DRV_RUNNING) {
		if (!r->always_on)
			vtio_vq_disable_cb(s->vq);
		r->drv = DRV_RUNNING;
	}
}

static void drv_add(struct rnd *r)
{
	struct sim *s = &r->s;
	unsigned int n = 1 + prng_below(&r->p, 4), i, j;
	unsigned int maxseg = s->cfg.num < 6 ? s->cfg.num : 6;

	for (i = 0; i < n; i++) {
		u32 outs[6], ins[6];
		unsigned int nout = prng_below(&r->p, maxseg + 1), nin;
		unsigned int before = s->vq->num_free, need;
		struct sim_tok *t;
		int err;

		if (nout > maxseg - 1 && prng_below(&r->p, 2))
			nout = maxseg - 1;
		nin = nout >= maxseg ? 0 : prng_below(&r->p, maxseg - nout + 1);
		if (!nout && !nin)
			nin = 1;
		for (j = 0; j < nout; j++)
			outs[j] = 1 + prng_below(&r->p, 200);
		for (j = 0; j < nin; j++)
			ins[j] = prng_below(&r->p, 4) ? 1 + prng_below(&r->p, 300) : 1;
		t = sim_tok_new(s, outs, nout, ins, nin);
		need = s->cfg.indirect && nout + nin > 1 ? 1 : nout + nin;
		err = sim_add(s, t);
		if (err) {
			CHECK(s, err == -ENOSPC && need > before,
			      "add of %u slots with %u free gave %d", need,
			      before, err);
			sim_tok_free(t);
			break;
		}
	}
}

static void check_notifications(struct rnd *r)
{
	struct sim *s = &r->s;

	/* The device sleeps on a wish the driver's last kick covered. */
	if (r->dev_asleep && s->notifies == r->notifies_at_arm &&
	    dm_notify_expected(&s->dm, r->arm_pos, s->kick_old))
		sim_fail(s, "step %llu: missed notification: device asleep since %llu, driver kicked up to %llu",
			 (unsigned long long)r->step,
			 (unsigned long long)r->arm_pos,
			 (unsigned long long)s->kick_old);
}

static void drv_kick(struct rnd *r)
{
	sim_kick(&r->s);
	check_notifications(r);
}

static void drv_process(struct rnd *r)
{
	struct sim *s = &r->s;
	unsigned int budget = 1 + prng_below(&r->p, 16), got = 0;
	struct sim_tok *t;
	bool more;

	if (r->drv != DRV_RUNNING)
		return;
	if (r->always_on) {
		/* Callbacks stay on: drain, then wait for the next one. */
		while ((t = sim_get(s, NULL)))
			sim_tok_free(t);
		r->drv = DRV_SLEEP;
		r->irqs_at_sleep = s->irqs;
		return;
	}
	while (got < budget && (t = sim_get(s, NULL))) {
		sim_tok_free(t);
		got++;
	}
	/*
	 * Usually a driver out of budget keeps polling; sometimes it re-arms
	 * anyway (one buffer per interrupt drivers): then the enable calls
	 * must report what is still pending.
	 */
	if (got == budget ? prng_below(&r->p, 4) != 0 : prng_below(&r->p, 3) == 0)
		return;

	/* Out of work: re-arm, the way a driver would. */
	switch (prng_below(&r->p, 3)) {
	case 0:
		more = !vtio_vq_enable_cb(s->vq);
		r->drv = DRV_SLEEP;
		break;
	case 1:
		more = vtio_vq_poll(s->vq, vtio_vq_enable_cb_prepare(s->vq));
		r->drv = DRV_SLEEP;
		break;
	default:
		more = !vtio_vq_enable_cb_delayed(s->vq);
		r->drv = DRV_SLEEP_DELAYED;
		break;
	}
	if (more) {
		vtio_vq_disable_cb(s->vq);
		r->drv = DRV_RUNNING;
		return;
	}
	r->irqs_at_sleep = s->irqs;
}

static void check_interrupts(struct rnd *r)
{
	struct sim *s = &r->s;
	u64 unseen = s->completed - s->returned;

	if (r->drv == DRV_RUNNING || s->irqs != r->irqs_at_sleep || !unseen)
		return;
	/* Plain enable: any used buffer must have interrupted. */
	if (r->drv == DRV_SLEEP)
		sim_fail(s, "step %llu: missed interrupt: driver sleeps with callbacks on, %llu used buffers unseen",
			 (unsigned long long)r->step, (unsigned long long)unseen);
	/* Delayed: at the latest once everything outstanding is used. */
	else if (unseen == s->outstanding)
		sim_fail(s, "step %llu: missed delayed interrupt: all %llu outstanding buffers used",
			 (unsigned long long)r->step, (unsigned long long)unseen);
}

static void dev_step(struct rnd *r)
{
	struct sim *s = &r->s;
	struct dm *dm = &s->dm;
	unsigned int n, i;

	if (r->dev_asleep) {
		/* Woken by a notification, or by a timer now and then. */
		if (s->notifies == r->notifies_at_arm && prng_below(&r->p, 20))
			return;
		r->dev_asleep = false;
		dm_set_notify(dm, DM_NOTIFY_OFF, 0);
	}
	dm_fetch(dm, prng_below(&r->p, 4) ? ~0u : 1 + prng_below(&r->p, 4));
	n = prng_below(&r->p, dm_pending(dm) + 1);
	for (i = 0; i < n && dm_pending(dm); ) {
		if (dm->in_order) {
			unsigned int b = 1 + prng_below(&r->p, dm_pending(dm) < 6 ?
							   dm_pending(dm) : 6);

			dm_complete_batch(dm, b, pick_len(&r->p, dm_pending_buf(dm, b - 1)));
			i += b;
		} else {
			unsigned int k = prng_below(&r->p, dm_pending(dm));

			dm_complete(dm, k, pick_len(&r->p, dm_pending_buf(dm, k)));
			i++;
		}
		/* Interrupt decisions after some completions, not all. */
		if (prng_below(&r->p, 3) == 0)
			sim_irq(s);
	}
	sim_irq(s);
	check_interrupts(r);

	/* Nothing left to do: go to sleep on a wish, if nothing came in. */
	if (!dm_pending(dm) && prng_below(&r->p, 2)) {
		enum dm_notify_mode mode = prng_below(&r->p, 2) ? DM_NOTIFY_ON :
								  DM_NOTIFY_AT;
		unsigned int k = prng_below(&r->p, s->cfg.num / 2 + 1);

		if (!dm_set_notify(dm, mode, k)) {
			r->dev_asleep = true;
			r->notifies_at_arm = s->notifies;
			r->arm_pos = dm->abs_avail;
		}
	} else if (prng_below(&r->p, 4) == 0) {
		dm_set_notify(dm, prng_below(&r->p, 2) ? DM_NOTIFY_OFF : DM_NOTIFY_ON, 0);
	}
}

static void finish(struct rnd *r)
{
	struct sim *s = &r->s;
	unsigned int rounds = 0;

	/* Everything comes back once the device is woken and drains. */
	while (s->outstanding && rounds++ < 4 * s->cfg.num + 16) {
		r->dev_asleep = false;
		sim_kick(s);
		dm_fetch(&s->dm, ~0u);
		complete_all(s, &r->p);
		if (!r->always_on)
			vtio_vq_disable_cb(s->vq);
		r->drv = DRV_RUNNING;
		drain(s);
	}
	CHECK(s, !s->outstanding, "%llu tokens never came back",
	      (unsigned long long)s->outstanding);
	CHECK(s, s->vq->num_free == s->cfg.num, "num_free %u at the end",
	      s->vq->num_free);
}

static bool run_one(const struct sim_cfg *c, u64 seed, u64 steps,
		    char *why, size_t whylen)
{
	struct rnd *r = calloc(1, sizeof(*r));
	long kbase = vtio_sim_kmalloc_live();
	bool ok;

	prng_seed(&r->p, seed);
	if (sim_create(&r->s, c)) {
		snprintf(why, whylen, "vtio_vq_create failed");
		free(r);
		return false;
	}
	r->s.priv = r;
	r->s.on_callback = rnd_callback;
	r->always_on = prng_below(&r->p, 3) == 0;
	if (!r->always_on)
		vtio_vq_disable_cb(r->s.vq);
	for (r->step = 0; r->step < steps && sim_ok(&r->s); r->step++) {
		switch (prng_below(&r->p, 10)) {
		case 0: case 1: case 2:
			drv_add(r);
			if (prng_below(&r->p, 4))
				drv_kick(r);
			break;
		case 3:
			drv_kick(r);
			break;
		case 4: case 5:
			drv_process(r);
			break;
		default:
			dev_step(r);
			break;
		}
		if (vtio_vq_is_broken(r->s.vq))
			sim_fail(&r->s, "step %llu: queue broken: %s",
				 (unsigned long long)r->step,
				 vtio_sim_log_find("err", NULL) ?: "?");
	}
	if (sim_ok(&r->s))
		finish(r);
	ok = sim_ok(&r->s);
	snprintf(why, whylen, "%s", sim_why(&r->s));
	sim_destroy(&r->s);
	if (ok && vtio_sim_kmalloc_live() != kbase) {
		snprintf(why, whylen, "ring leaked %ld allocations",
			 vtio_sim_kmalloc_live() - kbase);
		ok = false;
	}
	free(r);
	return ok;
}

int main(void)
{
	static const unsigned int split_sizes[] = { 1, 2, 4, 16, 64, 256 };
	static const unsigned int packed_sizes[] = { 1, 2, 3, 7, 64, 100, 257 };
	const char *env = getenv("VTIO_SIM_SEED");
	u64 base = env ? strtoull(env, NULL, 0) : (u64)time(NULL);
	u64 steps = getenv("VTIO_SIM_STEPS") ? strtoull(getenv("VTIO_SIM_STEPS"), NULL, 0) :
					       20000;
	unsigned int run = 0, fmt, combo, i;

	ktap_begin("vtio-sim randomized");
	ktap_diag("seed %llu (VTIO_SIM_SEED=%llu reproduces), %llu steps per run",
		  (unsigned long long)base, (unsigned long long)base,
		  (unsigned long long)steps);
	for (fmt = 0; fmt < 2; fmt++) {
		const unsigned int *sizes = fmt ? packed_sizes : split_sizes;
		unsigned int nsizes = fmt ? ARRAY_SIZE(packed_sizes) :
					    ARRAY_SIZE(split_sizes);

		for (combo = 0; combo < 8; combo++) {
			for (i = 0; i < nsizes; i++, run++) {
				u64 seed = base * 1000003 + run;
				struct prng p;
				struct sim_cfg c = {
					.packed = fmt,
					.indirect = combo & 1,
					.event_idx = combo & 2,
					.in_order = combo & 4,
					.num = sizes[i],
					.callback = true,
				};
				char name[160], cn[96], why[600];
				const char *unsup;

				/* Transport options vary with the seed. */
				prng_seed(&p, seed ^ 0xabcdef);
				c.notif_data = prng_below(&p, 2) &&
					       sim_ring_supports(VTIO_F_NOTIFICATION_DATA);
				c.access_platform = prng_below(&p, 2);
				cfg_name(&c, cn, sizeof(cn));
				snprintf(name, sizeof(name), "random %s run=%u", cn, run);
				unsup = cfg_unsupported(&c);
				if (unsup) {
					ktap_skip(name, unsup);
					continue;
				}
				vtio_sim_log_clear();
				if (run_one(&c, seed, steps, why, sizeof(why))) {
					ktap_result(true, name, NULL);
				} else {
					ktap_result(false, name, why);
					ktap_diag("  reproduce: VTIO_SIM_SEED=%llu (run %u)",
						  (unsigned long long)base, run);
				}
			}
		}
	}
	return ktap_end();
}
