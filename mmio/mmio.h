/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtio MMIO transport, shared between the register protocol (proto.c) and
 * the platform glue (main.c).
 *
 * proto.c is also compiled in userspace by tools/mmio-sim against small
 * shim headers and driven by a device model, because the MSI extension
 * exists on no real device.  So proto.c only uses what this header pulls
 * in, and everything that needs the platform (MSI allocation, request_irq)
 * goes through the vmm_plat_*() hooks below, which main.c implements for
 * the kernel and the simulator implements as fakes.
 */
#ifndef _VTIO_MMIO_H
#define _VTIO_MMIO_H

#include <linux/io.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <uapi/linux/virtio_mmio.h>

#include "vtio.h"

#define VMM_MAGIC		0x74726976	/* "virt", little endian */
#define VMM_VERSION_LEGACY	1
#define VMM_VERSION_MODERN	2
#define VMM_VERSION_MSI		3
/* Control registers end here; device config starts at VIRTIO_MMIO_CONFIG */
#define VMM_REGS_SIZE		VIRTIO_MMIO_CONFIG

/* Version 1 queues are given as page numbers of this page size. */
#define VMM_LEGACY_PAGE_SHIFT	12
#define VMM_LEGACY_PAGE_SIZE	BIT(VMM_LEGACY_PAGE_SHIFT)

/*
 * The MSI extension: the 32-bit register block of the second public
 * version of the virtio-mmio MSI proposal (Feb 2020).  On a Version 2
 * device 0x0c0 is QueueReset (virtio 1.2), so these registers are only
 * touched on a Version 3 device or with the prototype feature bits.
 */
#define VMM_MSI_VEC_NUM		0x0c0	/* R: vectors the device supports */
/* The same offset on a Version 2 device with VIRTIO_F_RING_RESET (R/W). */
#define VMM_QUEUE_RESET		0x0c0
#define VMM_MSI_STATE		0x0c4	/* R: enabled, sharing mode */
#define VMM_MSI_CMD		0x0c8	/* W: VMM_MSI_CMD_* */
#define VMM_MSI_VEC_SEL		0x0d0	/* W: vector; R: command answer */
#define VMM_MSI_ADDR_LO		0x0d4	/* W */
#define VMM_MSI_ADDR_HI		0x0d8	/* W */
#define VMM_MSI_DATA		0x0dc	/* W */

#define VMM_MSI_STATE_ENABLED	BIT(31)
#define VMM_MSI_STATE_SHARING	BIT(30)

#define VMM_MSI_CMD_ENABLE	1
#define VMM_MSI_CMD_DISABLE	2
#define VMM_MSI_CMD_CONFIGURE	3
#define VMM_MSI_CMD_MASK	4
#define VMM_MSI_CMD_UNMASK	5
#define VMM_MSI_CMD_MAP_CONFIG	6
#define VMM_MSI_CMD_MAP_QUEUE	7

#define VMM_NO_VECTOR		0xffffffffU
/* More than any sane device needs; larger counts are treated as garbage. */
#define VMM_MSI_MAX_VECTORS	2048

/* Fixed (non-sharing) mapping: vector 0 config, vector 1 + i queue i. */
#define VMM_VEC_CONFIG		0
#define VMM_VEC_QUEUES		1

/*
 * The prototype's feature bits.  Virtio 1.2/1.3 gave the same numbers to
 * NOTIF_CONFIG_DATA and RING_RESET, so they are only read this way when
 * the proto_v2_bits module parameter says so.
 */
#define VMM_F_PROTO_NOTIFY	VTIO_F_NOTIF_CONFIG_DATA	/* 39 */
#define VMM_F_PROTO_MSI		VTIO_F_RING_RESET		/* 40 */

/* Pseudo vector number of the wired interrupt line for the hooks below. */
#define VMM_WIRED		0x80000000U

#define VMM_IRQ_NAME_LEN	48

enum vmm_irq_mode {
	VMM_IRQ_NONE,
	VMM_IRQ_MSI_PER_VQ,
	VMM_IRQ_MSI_SHARED,
	VMM_IRQ_WIRED,
};

/* Fallbacks and oddities reported once per device (vmm_device.logged). */
enum vmm_log_once {
	VMM_LOG_NO_PLATFORM_MSI,
	VMM_LOG_PERVQ_VECTORS,
	VMM_LOG_PERVQ_PLATFORM,
	VMM_LOG_PERVQ_DEVICE,
	VMM_LOG_SHARED_VECTORS,
	VMM_LOG_SHARED_PLATFORM,
	VMM_LOG_SHARED_DEVICE,
	VMM_LOG_MSI_GARBAGE,
	VMM_LOG_RING_RESET,
	VMM_LOG_PROTO_BITS,
};

struct vmm_vector {
	u32 addr_lo;
	u32 addr_hi;
	u32 data;
	bool programmed;	/* the device holds a message for it */
	bool live;		/* a handler is installed: it may be unmasked */
	void *irq_data;		/* dev_id of request_irq, NULL: none */
	char name[VMM_IRQ_NAME_LEN];
};

struct vmm_queue {
	struct vtio_vq *vq;		/* NULL: index not used */
	u32 notify;			/* offset of its notify register */
	u32 vector;			/* MSI vector or VMM_NO_VECTOR */
};

struct vmm_device {
	struct vtio_device vdev;
	struct device *dev;		/* the platform device */
	void __iomem *base;
	u64 size;			/* bytes mapped at base */
	u32 version;			/* 1, 2 or 3 */
	int wired_irq;			/* < 0: no wired line */

	/* Chosen by main.c from module parameters before registration. */
	bool proto_bits;		/* honour bits 39/40 on Version 2 */
	enum vmm_irq_mode first_mode;	/* per-vq, shared or wired */

	/* Learnt in get_features / finalize_features. */
	u64 proto_offered;		/* bits 39/40 a Version 2 device offered */
	u64 proto_features;		/* ... and that we acknowledge */
	bool msi;			/* MSI registers exist */
	bool notify_cfg;		/* QueueNotify reads back base/multiplier */

	/* Interrupt and queue state, owned by find_vqs / del_vqs. */
	enum vmm_irq_mode irq_mode;
	bool msi_sharing;		/* device maps events on command */
	bool msi_allocated;		/* platform vectors allocated */
	bool msi_enabled;		/* ENABLE accepted */
	bool msi_refused;		/* a CONFIGURE was answered NO_VECTOR */
	u32 msi_dev_vectors;		/* MsiVecNum */
	/*
	 * MsiVecSel/MsiAddr/MsiData/MsiCmd form one transaction, and the
	 * kernel reprograms a vector from irq context (affinity changes),
	 * so every sequence on them holds this lock.
	 */
	raw_spinlock_t msi_lock;
	struct vmm_vector *vectors;
	unsigned int nvectors;
	struct vmm_queue *queues;
	unsigned int nqueues;
	u32 notify_base;
	u32 notify_mult;
	bool wired_requested;
	char wired_name[VMM_IRQ_NAME_LEN];
	unsigned long logged;		/* BIT(enum vmm_log_once) */
};

/*
 * A fallback or device oddity is worth one line, not one per find_vqs:
 * drivers are unbound and rebound, the reason does not change.  Only
 * called in process context (probe, find_vqs), so no atomics needed.
 */
#define vmm_log_once(vm, what, fmt, ...)				\
do {									\
	struct vmm_device *_vm = (vm);					\
	unsigned long _bit = BIT(what);					\
									\
	if (!(_vm->logged & _bit)) {					\
		_vm->logged |= _bit;					\
		dev_info(_vm->dev, fmt, ##__VA_ARGS__);			\
	}								\
} while (0)

static inline struct vmm_device *to_vmm(struct vtio_device *vdev)
{
	return container_of(vdev, struct vmm_device, vdev);
}

/* --- register protocol (proto.c) --------------------------------------- */

int vmm_check_device(struct vmm_device *vm);
u64 vmm_get_features(struct vtio_device *vdev);
int vmm_finalize_features(struct vtio_device *vdev);
u8 vmm_get_status(struct vtio_device *vdev);
void vmm_set_status(struct vtio_device *vdev, u8 status);
void vmm_reset(struct vtio_device *vdev);
u32 vmm_generation(struct vtio_device *vdev);
void vmm_config_get(struct vtio_device *vdev, unsigned int offset,
		    void *buf, unsigned int len);
void vmm_config_set(struct vtio_device *vdev, unsigned int offset,
		    const void *buf, unsigned int len);
int vmm_find_vqs(struct vtio_device *vdev, unsigned int nvqs,
		 struct vtio_vq *vqs[], const struct vtio_vq_info info[],
		 struct irq_affinity *desc);
void vmm_del_vqs(struct vtio_device *vdev);
int vmm_reset_vq(struct vtio_vq *vq);
int vmm_enable_vq(struct vtio_vq *vq);
void vmm_synchronize_cbs(struct vtio_device *vdev);
const char *vmm_irq_mode_name(enum vmm_irq_mode mode);

/* The platform composed (or, all zero, withdrew) vector @vec's message. */
void vmm_msi_write_msg(struct vmm_device *vm, unsigned int vec,
		       u32 addr_lo, u32 addr_hi, u32 data);

irqreturn_t vmm_wired_interrupt(int irq, void *data);
irqreturn_t vmm_config_interrupt(int irq, void *data);
irqreturn_t vmm_queues_interrupt(int irq, void *data);

/* --- platform hooks (main.c; fakes in tools/mmio-sim) ------------------ */

/* Can this device get MSI vectors at all?  Logs the reason when not. */
bool vmm_plat_msi_possible(struct vmm_device *vm);
/* Allocate @nvec vectors; the platform calls vmm_msi_write_msg for them. */
int vmm_plat_msi_alloc(struct vmm_device *vm, unsigned int nvec);
void vmm_plat_msi_free(struct vmm_device *vm);
/* @vec: an MSI vector below nvec, or VMM_WIRED for the wired line. */
int vmm_plat_request_irq(struct vmm_device *vm, unsigned int vec,
			 irq_handler_t handler, const char *name, void *data);
void vmm_plat_free_irq(struct vmm_device *vm, unsigned int vec, void *data);
void vmm_plat_sync_irq(struct vmm_device *vm, unsigned int vec);

#endif /* _VTIO_MMIO_H */
