/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtio: a self-contained virtio guest stack (bus, ring, transports, drivers)
 * that loads beside the in-tree virtio modules.  Every symbol carries the
 * vtio_ prefix and lives in the VTIO symbol namespace.
 *
 * The contract mirrors the in-tree virtio API so a kernel developer can read
 * it without a guide: vtio_device ~ virtio_device, vtio_vq_* ~ virtqueue_*.
 */
#ifndef _VTIO_H
#define _VTIO_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/scatterlist.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/mod_devicetable.h>
#include <linux/version.h>

#include "vtio_features.h"

struct vtio_device;
struct vtio_vq;
struct irq_affinity;

/* ---------------------------------------------------------------- ids -- */

#define VTIO_DEV_ANY_ID		0xffffffffU

struct vtio_device_id {
	u32 device;	/* virtio device type, e.g. VIRTIO_ID_NET */
	u32 vendor;	/* VTIO_DEV_ANY_ID matches every vendor */
};

/* -------------------------------------------------------------- queues -- */

typedef void vtio_vq_callback_t(struct vtio_vq *vq);

/*
 * The driver-visible part of a virtqueue.  The ring module embeds it in its
 * private per-format state; never allocate one directly.
 */
struct vtio_vq {
	struct list_head list;		/* on vdev->vqs */
	vtio_vq_callback_t *callback;	/* "buffers used"; may be NULL */
	const char *name;
	struct vtio_device *vdev;
	unsigned int index;		/* queue index on the device */
	unsigned int num_free;		/* free descriptors */
	unsigned int num_max;		/* largest size the device accepts */
	void *priv;			/* transport: notify address etc. */
};

/* What a driver asks find_vqs() for, one entry per queue. */
struct vtio_vq_info {
	const char *name;		/* NULL: queue index unused, skip it */
	vtio_vq_callback_t *callback;	/* NULL: no interrupt needed */
	bool ctx;			/* driver passes a context per buffer */
	unsigned int size;		/* 0: device maximum */
};

/* --------------------------------------------------------- config ops -- */

/**
 * struct vtio_config_ops - what a transport implements
 * @get: read @len bytes of device config at @offset (no generation retry;
 *	drivers use vtio_cread*, which retries).
 * @set: write device config.
 * @generation: config generation counter (0 when the transport has none).
 * @get_status / @set_status: the device status byte.
 * @reset: reset the device and wait until it reads back 0.
 * @find_vqs: create @nvqs queues (entries with a NULL name are skipped and
 *	their slot set to NULL), set up interrupts; @desc spreads vectors.
 * @del_vqs: free every queue and interrupt find_vqs created.
 * @synchronize_cbs: wait for running queue/config callbacks to finish.
 * @get_features: the device's 64 feature bits.
 * @finalize_features: write vdev->features to the device.
 * @bus_name: the underlying bus device name (e.g. PCI address).
 * @set_vq_affinity: hint the CPUs a queue's interrupt should go to.
 * @get_vq_affinity: the CPUs the queue's interrupt is affine to, or NULL.
 * @reset_vq: reset one queue alone (VIRTIO_F_RING_RESET negotiated); when
 *	it returns 0 the device no longer touches the queue's ring.
 * @enable_vq: after reset_vq, tell the device about the queue's (new) ring
 *	and its interrupt, and enable it.  Both optional: without them the
 *	core never negotiates VIRTIO_F_RING_RESET.
 */
struct vtio_config_ops {
	void (*get)(struct vtio_device *vdev, unsigned int offset,
		    void *buf, unsigned int len);
	void (*set)(struct vtio_device *vdev, unsigned int offset,
		    const void *buf, unsigned int len);
	u32 (*generation)(struct vtio_device *vdev);
	u8 (*get_status)(struct vtio_device *vdev);
	void (*set_status)(struct vtio_device *vdev, u8 status);
	void (*reset)(struct vtio_device *vdev);
	int (*find_vqs)(struct vtio_device *vdev, unsigned int nvqs,
			struct vtio_vq *vqs[], const struct vtio_vq_info info[],
			struct irq_affinity *desc);
	void (*del_vqs)(struct vtio_device *vdev);
	void (*synchronize_cbs)(struct vtio_device *vdev);
	u64 (*get_features)(struct vtio_device *vdev);
	int (*finalize_features)(struct vtio_device *vdev);
	const char *(*bus_name)(struct vtio_device *vdev);
	int (*set_vq_affinity)(struct vtio_vq *vq, const struct cpumask *mask);
	const struct cpumask *(*get_vq_affinity)(struct vtio_device *vdev,
						 int index);
	int (*reset_vq)(struct vtio_vq *vq);
	int (*enable_vq)(struct vtio_vq *vq);
};

/* ------------------------------------------------------------- device -- */

/**
 * struct vtio_device - one virtio device on the vtio bus
 * @index: unique number, names the device "vtio<index>"
 * @failed: FAILED status was set
 * @legacy_ok: set by the transport before registration: the device may be
 *	a legacy (pre-1.0) one, without VIRTIO_F_VERSION_1 and FEATURES_OK,
 *	whose rings and config are in guest byte order.  Only set it on a
 *	little-endian CPU, where that order is the __le layout the ring uses.
 * @config_core_enabled / @config_driver_enabled / @config_change_pending:
 *	config-change callbacks are delivered only while both are enabled;
 *	a change that arrives while disabled is replayed on enable.
 * @config_lock: protects the three fields above
 * @config_work: runs the driver's config_changed in process context
 * @dev: the driver-model device; parent is the transport's device
 * @id: device type and vendor
 * @config: the transport's operations
 * @vqs: every queue of this device
 * @features: negotiated features (device features & driver features)
 * @device_features: what the device offered
 * @priv: the driver's data
 */
struct vtio_device {
	int index;
	bool failed;
	bool legacy_ok;
	bool config_core_enabled;
	bool config_driver_enabled;
	bool config_change_pending;
	spinlock_t config_lock;		/* see @config_lock above */
	struct work_struct config_work;
	struct device dev;
	struct vtio_device_id id;
	const struct vtio_config_ops *config;
	struct list_head vqs;
	u64 features;
	u64 device_features;
	void *priv;
};

#define dev_to_vtio(_dev) container_of_const(_dev, struct vtio_device, dev)

/**
 * struct vtio_driver - a driver for vtio devices
 * @feature_table: feature bits (bit numbers) the driver understands; the
 *	core adds the transport features the ring supports.
 * @validate: may clear offered features before negotiation
 * @probe / @remove: bind / unbind
 * @config_changed: device config changed (called in process context)
 * @shutdown: system shutdown; default resets the device
 */
struct vtio_driver {
	struct device_driver driver;
	const struct vtio_device_id *id_table;
	const unsigned int *feature_table;
	unsigned int feature_table_size;
	int (*validate)(struct vtio_device *vdev);
	int (*probe)(struct vtio_device *vdev);
	void (*scan)(struct vtio_device *vdev);
	void (*remove)(struct vtio_device *vdev);
	void (*config_changed)(struct vtio_device *vdev);
	void (*shutdown)(struct vtio_device *vdev);
};

#define drv_to_vtio(_drv) container_of_const(_drv, struct vtio_driver, driver)

/* ----------------------------------------------------- bus core API --- */

int __vtio_register_driver(struct vtio_driver *drv, struct module *owner);
#define vtio_register_driver(drv) __vtio_register_driver(drv, THIS_MODULE)
void vtio_unregister_driver(struct vtio_driver *drv);
#define module_vtio_driver(__drv) \
	module_driver(__drv, vtio_register_driver, vtio_unregister_driver)

/*
 * Transports: register a device whose dev.parent, dev.release, id and config
 * are set.  The core names it "vtio<N>", resets it and sets ACKNOWLEDGE.
 * After this call (even when it fails) the transport drops its reference
 * with put_device(&vdev->dev) on error, or vtio_unregister_device() later;
 * the memory is freed by dev.release, never directly.
 */
int vtio_register_device(struct vtio_device *vdev);
void vtio_unregister_device(struct vtio_device *vdev);

/* Transports: the device signalled a configuration change (any context). */
void vtio_config_changed(struct vtio_device *vdev);
/* Transports: the device needs a reset (DEVICE_NEEDS_RESET / surprise). */
void vtio_break_device(struct vtio_device *vdev);

/* Drivers: set DRIVER_OK (called by the core after probe if not done). */
void vtio_device_ready(struct vtio_device *vdev);
void vtio_add_status(struct vtio_device *vdev, u8 status);
void vtio_reset_device(struct vtio_device *vdev);
void vtio_config_driver_enable(struct vtio_device *vdev);
void vtio_config_driver_disable(struct vtio_device *vdev);

static inline bool vtio_has_feature(const struct vtio_device *vdev,
				    unsigned int fbit)
{
	return fbit < 64 && (vdev->features & BIT_ULL(fbit));
}

static inline void vtio_clear_feature(struct vtio_device *vdev,
				      unsigned int fbit)
{
	if (fbit < 64)
		vdev->features &= ~BIT_ULL(fbit);
}

/*
 * Config space access with the generation retry loop: a multi-byte field
 * that changes while being read is read again.  Modern devices are little
 * endian.
 */
void vtio_cread_bytes(struct vtio_device *vdev, unsigned int offset,
		      void *buf, unsigned int len);
u8 vtio_cread8(struct vtio_device *vdev, unsigned int offset);
u16 vtio_cread16(struct vtio_device *vdev, unsigned int offset);
u32 vtio_cread32(struct vtio_device *vdev, unsigned int offset);
u64 vtio_cread64(struct vtio_device *vdev, unsigned int offset);
void vtio_cwrite8(struct vtio_device *vdev, unsigned int offset, u8 val);
void vtio_cwrite16(struct vtio_device *vdev, unsigned int offset, u16 val);
void vtio_cwrite32(struct vtio_device *vdev, unsigned int offset, u32 val);

/* ------------------------------------------------------ ring: transports */

/**
 * vtio_vq_create - allocate a ring for queue @index
 * @vdev: the device (its negotiated features choose the format)
 * @index: queue index
 * @num: queue size (a power of two for split rings)
 * @num_max: largest size the device reported
 * @notify: transport hook that tells the device about new buffers;
 *	returns false when the device is gone
 * @callback: driver callback for used buffers
 * @name: queue name
 * @ctx: driver wants a per-buffer context pointer
 * @dma_dev: device used for the DMA API (the transport's bus device)
 *
 * The format (split, later packed / in-order) comes from vdev->features.
 * Returns the queue or an ERR_PTR.
 */
struct vtio_vq *vtio_vq_create(struct vtio_device *vdev, unsigned int index,
			       unsigned int num, unsigned int num_max,
			       bool (*notify)(struct vtio_vq *vq),
			       vtio_vq_callback_t *callback, const char *name,
			       bool ctx, struct device *dma_dev);
void vtio_vq_destroy(struct vtio_vq *vq);

/* Drivers: new ring size for one queue, see ring/core.c. */
int vtio_vq_resize(struct vtio_vq *vq, unsigned int num,
		   void (*recycle)(struct vtio_vq *vq, void *buf));

/* Bus addresses of the three ring areas, for the transport to program. */
dma_addr_t vtio_vq_desc_addr(const struct vtio_vq *vq);
dma_addr_t vtio_vq_driver_addr(const struct vtio_vq *vq);
dma_addr_t vtio_vq_device_addr(const struct vtio_vq *vq);

/*
 * With VIRTIO_F_NOTIFICATION_DATA the transport writes this 32-bit value
 * instead of the queue index: vqn | next_idx << 16 (split), or
 * vqn | next_off << 16 | next_wrap << 31 (packed).
 */
u32 vtio_vq_notification_data(const struct vtio_vq *vq);

/* Interrupt entry: the device used buffers on @vq (a struct vtio_vq *). */
irqreturn_t vtio_vq_interrupt(int irq, void *vq);

/* Mark every queue of @vdev broken / working (reset, surprise removal). */
void vtio_vqs_break_all(struct vtio_device *vdev);

/* The transport features the ring supports, for vtio_driver negotiation. */
u64 vtio_ring_transport_features(void);

/* --------------------------------------------------------- ring: drivers */

int vtio_vq_add_sgs(struct vtio_vq *vq, struct scatterlist *sgs[],
		    unsigned int out_sgs, unsigned int in_sgs,
		    void *data, gfp_t gfp);
int vtio_vq_add_outbuf(struct vtio_vq *vq, struct scatterlist sg[],
		       unsigned int num, void *data, gfp_t gfp);
int vtio_vq_add_inbuf(struct vtio_vq *vq, struct scatterlist sg[],
		      unsigned int num, void *data, gfp_t gfp);
int vtio_vq_add_inbuf_ctx(struct vtio_vq *vq, struct scatterlist sg[],
			  unsigned int num, void *data, void *ctx, gfp_t gfp);

bool vtio_vq_kick_prepare(struct vtio_vq *vq);
bool vtio_vq_notify(struct vtio_vq *vq);
bool vtio_vq_kick(struct vtio_vq *vq);

void *vtio_vq_get_buf(struct vtio_vq *vq, unsigned int *len);
void *vtio_vq_get_buf_ctx(struct vtio_vq *vq, unsigned int *len, void **ctx);

void vtio_vq_disable_cb(struct vtio_vq *vq);
bool vtio_vq_enable_cb(struct vtio_vq *vq);
unsigned int vtio_vq_enable_cb_prepare(struct vtio_vq *vq);
bool vtio_vq_poll(struct vtio_vq *vq, unsigned int last_used_idx);
bool vtio_vq_enable_cb_delayed(struct vtio_vq *vq);
bool vtio_vq_more_used(struct vtio_vq *vq);

void *vtio_vq_detach_unused_buf(struct vtio_vq *vq);
unsigned int vtio_vq_get_vring_size(const struct vtio_vq *vq);
bool vtio_vq_is_broken(const struct vtio_vq *vq);
bool vtio_vq_is_packed(const struct vtio_vq *vq);

/* Small helpers the in-tree API also has. */
static inline struct vtio_device *vtio_vq_device(struct vtio_vq *vq)
{
	return vq->vdev;
}

#endif /* _VTIO_H */
