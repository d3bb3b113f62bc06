// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "helpers.h"

void cfg_name(const struct sim_cfg *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s q=%u%s%s%s%s%s", c->packed ? "packed" : "split",
		 c->num, c->indirect ? " ind" : "", c->event_idx ? " ei" : "",
		 c->in_order ? " io" : "", c->notif_data ? " nd" : "",
		 c->access_platform ? " ap" : "");
}

const char *cfg_unsupported(const struct sim_cfg *c)
{
	if (c->packed && !sim_ring_supports(VTIO_F_RING_PACKED))
		return "ring lacks RING_PACKED";
	if (c->in_order && !sim_ring_supports(VTIO_F_IN_ORDER))
		return "ring lacks IN_ORDER";
	if (c->notif_data && !sim_ring_supports(VTIO_F_NOTIFICATION_DATA))
		return "ring lacks NOTIFICATION_DATA";
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
