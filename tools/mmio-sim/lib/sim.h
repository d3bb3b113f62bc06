/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated platform (MSI domain, interrupt lines), stubs of the vtio
 * ring and core that mmio/proto.c calls, and the recorded kernel log.
 */
#ifndef _MMIO_SIM_H
#define _MMIO_SIM_H

#include "sim_kernel.h"
#include "mmio.h"
#include "devmodel.h"

#define SIM_MAX_VEC	64

struct sim_irq {
	irq_handler_t handler;
	void *data;
	char name[64];
	unsigned int calls;
	unsigned int syncs;
};

struct sim_plat {
	/* knobs */
	bool msi_possible;		/* the device has an MSI domain */
	unsigned int msi_max;		/* vectors the platform can give, 0: any */
	int fail_request;		/* request_irq fails for this vector */
	bool compose_late;		/* compose messages at request_irq */

	/* state */
	struct vmm_device *vm;
	unsigned int nvec;		/* allocated vectors */
	unsigned int allocs, frees;
	struct sim_irq vec[SIM_MAX_VEC];
	struct sim_irq wired;
	unsigned int stray;		/* messages nobody listens for */
	unsigned int unhandled;		/* wired interrupts answered IRQ_NONE */
	unsigned int affinity_epoch;	/* bumps the composed address */
};

extern struct sim_plat plat;

/* The message the platform composes for vector @v. */
u32 sim_msg_addr(unsigned int v);
u32 sim_msg_data(unsigned int v);
/* Move vector @v to another CPU: the platform rewrites its message. */
void sim_set_affinity(unsigned int v);

/* --- ring stubs --- */
struct sim_vq {
	struct vtio_vq vq;
	bool (*notify)(struct vtio_vq *vq);
	unsigned int num;
	u64 desc, driver, device;
	unsigned int interrupts;
};

extern unsigned int sim_vqs_live;	/* created and not destroyed */
extern unsigned int sim_config_changes;
extern int sim_fail_vq_create;		/* index that fails, -1: none */
extern bool sim_bad_layout;		/* hand out a non-legacy layout */
extern u64 sim_vq_base;			/* desc address of queue 0 */

struct sim_vq *sim_vq(struct vtio_vq *vq);

/* --- log --- */
void sim_log_clear(void);
/* Lines containing @needle since the last clear. */
unsigned int sim_log_count(const char *needle);
void sim_log_dump(void);

void sim_reset_all(void);

#endif
