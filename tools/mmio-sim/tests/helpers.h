/* SPDX-License-Identifier: GPL-2.0 */
/* Test fixture, a mini vtio core and trace assertions for test_mmio.c. */
#ifndef _MMIO_SIM_HELPERS_H
#define _MMIO_SIM_HELPERS_H

#include "sim.h"

struct fx {
	struct dm dm;
	struct vmm_device *vm;
	struct device pdev;
	struct vtio_vq *vqs[8];
};

/* One expected register access; ANY matches every value. */
struct acc {
	char op;
	u16 off;
	u32 val;
};

#define ANY		0xa5a5a5a5U
#define R(o)		{ 'R', (o), ANY }
#define RV(o, v)	{ 'R', (o), (v) }
#define W(o, v)		{ 'W', (o), (v) }

/* What ring/core.c's vtio_ring_transport_features() offers. */
#define SIM_RING_FEATURES						\
	(BIT_ULL(VTIO_F_INDIRECT_DESC) | BIT_ULL(VTIO_F_EVENT_IDX) |	\
	 BIT_ULL(VTIO_F_VERSION_1) | BIT_ULL(VTIO_F_ACCESS_PLATFORM) |	\
	 BIT_ULL(VTIO_F_ORDER_PLATFORM) | BIT_ULL(VTIO_F_IN_ORDER) |	\
	 BIT_ULL(VTIO_F_NOTIFICATION_DATA) | BIT_ULL(VTIO_F_RING_PACKED))

extern bool test_ok;
#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "#   %s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			test_ok = false;				\
		}							\
	} while (0)

void fx_init(struct fx *f, u32 version, u64 features);
void fx_free(struct fx *f);
/* ring/bus.c's probe sequence (with the proposed legacy_ok change). */
int core_probe(struct fx *f, u64 drv_features);
int core_find(struct fx *f, unsigned int n, const struct vtio_vq_info *info);
void core_ready(struct fx *f);
/* Exact accesses from trace index @from on, only offsets in [lo, hi). */
bool expect_seq(struct fx *f, unsigned int from, u32 lo, u32 hi,
		const struct acc *e, unsigned int n);
#define EXPECT_SEQ(f, from, lo, hi, ...)				\
	do {								\
		const struct acc _e[] = { __VA_ARGS__ };		\
		if (!expect_seq(f, from, lo, hi, _e, ARRAY_SIZE(_e))) {	\
			fprintf(stderr, "#   %s:%d: sequence mismatch\n",	\
				__FILE__, __LINE__);			\
			test_ok = false;				\
		}							\
	} while (0)

#endif
