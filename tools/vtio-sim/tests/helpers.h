/* SPDX-License-Identifier: GPL-2.0 */
/* Small steps the suites share: configs, names, device and driver loops. */
#ifndef _VTIO_SIM_HELPERS_H
#define _VTIO_SIM_HELPERS_H

#include "../lib/sim.h"

#define CHECK(s, cond, fmt, ...)					\
	do {								\
		if (!(cond))						\
			sim_fail(s, "%s:%d: " fmt, __func__, __LINE__,	\
				 ##__VA_ARGS__);			\
	} while (0)

/* "split q=8 ind ei io nd ap rr" */
void cfg_name(const struct sim_cfg *c, char *buf, size_t size);
/* NULL, or why the ring cannot run @c (e.g. "ring lacks IN_ORDER"). */
const char *cfg_unsupported(const struct sim_cfg *c);

/* A small deterministic PRNG (xorshift64*), seedable per test. */
struct prng {
	u64 s;
};

static inline u64 prng_next(struct prng *p)
{
	p->s ^= p->s >> 12;
	p->s ^= p->s << 25;
	p->s ^= p->s >> 27;
	return p->s * 0x2545f4914f6cdd1dULL;
}

static inline u32 prng_below(struct prng *p, u32 n)
{
	return n ? (u32)(prng_next(p) % n) : 0;
}

static inline void prng_seed(struct prng *p, u64 seed)
{
	p->s = seed * 0x9e3779b97f4a7c15ULL + 0x1234567;
	if (!p->s)
		p->s = 1;
}

/* A length the device may write into @b: 0..in_len, varied by @p. */
u32 pick_len(struct prng *p, const struct dm_buf *b);
/*
 * Complete every pending buffer: random order without IN_ORDER, random
 * batches with it; raises interrupts as the device model decides.
 * Returns how many interrupts were raised.
 */
unsigned int complete_all(struct sim *s, struct prng *p);
/* get_buf until NULL, freeing tokens; returns how many. */
unsigned int drain(struct sim *s);
/* Add @n simple tokens (stops at the first failure); returns how many. */
unsigned int add_simple(struct sim *s, unsigned int n, u32 out, u32 in);
/*
 * The end of a test: keep the first failure in @why, destroy the queue,
 * then fail on allocations (against @kbase, vtio_sim_kmalloc_live() before
 * sim_create) or DMA mappings left behind.  Returns whether it passed.
 */
bool end_test(struct sim *s, long kbase, char *why, size_t size);

typedef void scenario_fn(struct sim *s, struct prng *p);
/*
 * Run @fn on a new queue of config @c with a PRNG seeded from @seed.
 * Returns why the ring cannot run @c (nothing ran), or NULL with *@ok
 * telling whether the test passed: no sim_fail, no dev_err, no leak and,
 * unless @may_break, no broken queue; the first failure is in @why.
 */
const char *run_scenario(const struct sim_cfg *c, u64 seed, scenario_fn *fn,
			 bool may_break, bool *ok, char *why, size_t size);

/* "<config>: @title" into @buf. */
void scenario_name(const struct sim_cfg *c, const char *title, char *buf,
		   size_t size);

#endif
