// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "helpers.h"
#include "shim_runtime.h"

void cfg_name(const struct sim_cfg *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s q=%u%s%s%s%s%s%s",
		 c->packed ? "packed" : "split", c->num,
		 c->indirect ? " ind" : "", c->event_idx ? " ei" : "",
		 c->in_order ? " io" : "", c->notif_data ? " nd" : "",
		 c->access_platform ? " ap" : "", c->ring_reset ? " rr" : "");
}

const char *cfg_unsupported(const struct sim_cfg *c)
{
	if (c->packed && !sim_ring_supports(VTIO_F_RING_PACKED))
		return "ring lacks RING_PACKED";
	if (c->in_order && !sim_ring_supports(VTIO_F_IN_ORDER))
		return "ring lacks IN_ORDER";
	if (c->notif_data && !sim_ring_supports(VTIO_F_NOTIFICATION_DATA))
		return "ring lacks NOTIFICATION_DATA";
	if (c->ring_reset && !sim_ring_supports(VTIO_F_RING_RESET))
		return "ring lacks RING_RESET";
	return NULL;
}

u32 pick_len(struct prng *p, const struct dm_buf *b)
{
	switch (prng_below(p, 4)) {
	case 0:
		return b->in_len;
	case 1:
		return 0;
	default:
		return prng_below(p, b->in_len + 1);
	}
}

unsigned int complete_all(struct sim *s, struct prng *p)
{
	unsigned int irqs = 0;

	while (dm_pending(&s->dm)) {
		if (s->dm.in_order) {
			unsigned int n = 1 + prng_below(p, dm_pending(&s->dm) < 4 ?
							   dm_pending(&s->dm) : 4);

			dm_complete_batch(&s->dm, n,
					  pick_len(p, dm_pending_buf(&s->dm, n - 1)));
		} else {
			unsigned int k = prng_below(p, dm_pending(&s->dm));

			dm_complete(&s->dm, k, pick_len(p, dm_pending_buf(&s->dm, k)));
		}
		if (prng_below(p, 2))
			irqs += sim_irq(s);
	}
	irqs += sim_irq(s);
	return irqs;
}

unsigned int drain(struct sim *s)
{
	struct sim_tok *t;
	unsigned int n = 0;

	while ((t = sim_get(s, NULL))) {
		sim_tok_free(t);
		n++;
	}
	return n;
}

unsigned int add_simple(struct sim *s, unsigned int n, u32 out, u32 in)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sim_tok *t = sim_tok_simple(s, out, in);

		if (sim_add(s, t)) {
			sim_tok_free(t);
			break;
		}
	}
	return i;
}

bool end_test(struct sim *s, long kbase, char *why, size_t size)
{
	bool ok = sim_ok(s);

	snprintf(why, size, "%s", sim_why(s));
	sim_destroy(s);
	if (ok && vtio_sim_kmalloc_live() != kbase) {
		snprintf(why, size, "ring leaked %ld allocations",
			 vtio_sim_kmalloc_live() - kbase);
		ok = false;
	}
	if (ok && vtio_sim_dma_live()) {
		snprintf(why, size, "%ld DMA mappings live after destroy",
			 vtio_sim_dma_live());
		ok = false;
	}
	return ok;
}

void scenario_name(const struct sim_cfg *c, const char *title, char *buf,
		   size_t size)
{
	char cn[96];

	cfg_name(c, cn, sizeof(cn));
	snprintf(buf, size, "%s: %s", cn, title);
}

const char *run_scenario(const struct sim_cfg *c, u64 seed, scenario_fn *fn,
			 bool may_break, bool *ok, char *why, size_t size)
{
	long kbase = vtio_sim_kmalloc_live();
	const char *unsup = cfg_unsupported(c);
	struct prng p;
	struct sim s;
	int err;

	if (unsup)
		return unsup;
	prng_seed(&p, seed);
	vtio_sim_log_clear();
	err = sim_create(&s, c);
	if (err) {
		snprintf(why, size, "vtio_vq_create failed %d", err);
		*ok = false;
		return NULL;
	}
	fn(&s, &p);
	if (!may_break)
		CHECK(&s, !vtio_vq_is_broken(s.vq), "queue broken: %s",
		      vtio_sim_log_find("err", NULL) ?: "?");
	CHECK(&s, !vtio_sim_log_count("err"), "dev_err: %s",
	      vtio_sim_log_find("err", NULL));
	*ok = end_test(&s, kbase, why, size);
	return NULL;
}
