/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio-mmio device model: Version 1 (legacy), Version 2 (virtio 1.x)
 * and Version 3 (Version 2 plus the MSI extension, both mapping modes).
 * It records every register access so tests can assert exact sequences,
 * and flags accesses the spec forbids as protocol violations.
 */
#ifndef _MMIO_SIM_DEVMODEL_H
#define _MMIO_SIM_DEVMODEL_H

#include "sim_kernel.h"

#define DM_WINDOW	0x1000		/* bytes of register window */
#define DM_MAX_VQ	16
#define DM_MAX_VEC	64
#define DM_MAX_TRACE	4096
#define DM_MAX_SENT	256
#define DM_MAX_NOTIFY	256
#define DM_NO_VECTOR	0xffffffffU

struct dm_access {
	char op;			/* 'R' or 'W' */
	u8 size;
	u16 off;
	u32 val;
};

struct dm_vq {
	u32 num_max;
	u32 num;
	u32 ready;			/* Version 2/3 */
	u32 pfn, align;			/* Version 1 */
	u64 desc, driver, device;
	u32 vector;			/* sharing mode mapping */
};

struct dm_vec {
	u32 addr_lo, addr_hi, data;
	bool configured;
	bool masked;
	bool pending;
};

struct dm_msg {
	u32 addr_lo, addr_hi, data;
};

struct dm {
	/* identity and what the device offers */
	u32 magic;
	u32 version;
	u32 device_id;
	u32 vendor_id;
	u64 features;
	u32 size;			/* bytes the driver may map */
	unsigned int nvq;		/* queues that exist */
	u32 num_max;

	/* MSI extension (Version 3, or Version 2 with bit 40) */
	bool msi;
	u32 msi_nvec;			/* MsiVecNum */
	bool msi_sharing;		/* MsiState bit 30 */
	u32 notify_cfg;			/* what QueueNotify reads as */

	/* misbehaviour knobs */
	bool refuse_enable;		/* ENABLE does nothing */
	bool refuse_configure;		/* CONFIGURE answers NO_VECTOR */
	u32 map_limit;			/* MAP to vector >= this: NO_VECTOR */
	unsigned int reset_busy;	/* status reads non-zero this often */
	bool garbage;			/* every read returns junk */
	bool queue_busy;		/* QueueReady/QueuePFN read non-zero */
	unsigned int queue_reset_busy;	/* QueueReset reads 1 this often */
	bool queue_reset_stuck;		/* ... or for ever */
	/* called after every MSI command (tests inject events there) */
	void (*on_msi_cmd)(struct dm *dm, u32 cmd, u32 vec);

	/* state */
	u8 window[DM_WINDOW];		/* only its address is used */
	u32 status;
	u32 dev_feat_sel, drv_feat_sel;
	u64 driver_features;
	u32 guest_page_size;
	u32 queue_sel;
	struct dm_vq vq[DM_MAX_VQ];
	u32 int_status;
	u32 config_gen;
	u8 config[DM_WINDOW];
	unsigned int reset_reads;
	unsigned int queue_reset_reads;
	unsigned int queue_resets;	/* QueueReset writes of 1 */
	bool id_was_zero;		/* DeviceID 0 was read */
	bool msi_enabled;
	u32 msi_vec_sel, msi_answer;
	u32 msi_addr_lo, msi_addr_hi, msi_data;
	struct dm_vec vec[DM_MAX_VEC];
	u32 config_vector;

	/* what happened */
	struct dm_access trace[DM_MAX_TRACE];
	unsigned int ntrace;
	struct dm_msg sent[DM_MAX_SENT];
	unsigned int nsent;
	unsigned int lost;		/* events with no usable vector */
	struct { u32 off, val; } notify[DM_MAX_NOTIFY];
	unsigned int nnotify;
	unsigned int violations;
	char violation[256];		/* the first one */
};

/* A fresh device of @version with the given id and features. */
void dm_init(struct dm *dm, u32 version, u32 device_id, u64 features);
/* Make it the device the shim's readl/writel talk to. */
void dm_attach(struct dm *dm);

/* Device-side events: used buffers on queue @q, or a config change. */
void dm_signal_queue(struct dm *dm, unsigned int q);
void dm_signal_config(struct dm *dm);

/* Trace helpers. */
void dm_trace_clear(struct dm *dm);
void dm_trace_dump(const struct dm *dm, unsigned int from);
/* Accesses to [lo, hi) since trace index @from. */
unsigned int dm_count(const struct dm *dm, unsigned int from, u32 lo, u32 hi);

/* Provided by the platform fake (lib/plat.c): where messages/lines go. */
void sim_msi_deliver(u32 addr_lo, u32 addr_hi, u32 data);
void sim_wired_raise(void);

#endif
