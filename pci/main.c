// SPDX-License-Identifier: GPL-2.0
/*
 * vtio PCI modern transport.
 *
 * Drives virtio 1.x PCI devices (modern ids 0x1040 + type, and transitional
 * ids used through their modern interface only) via the vendor-specific
 * capabilities: common config, notify, ISR and device config windows.
 *
 * Interrupts: MSI-X with one vector per callback queue plus one for config
 * changes; if the platform or the device cannot provide that, one shared
 * queue vector plus the config vector; as a last resort the INTx line with
 * the ISR register telling queue and config events apart.
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/io.h>
#include <linux/dma-mapping.h>
#include <linux/sysfs.h>
#include <uapi/linux/virtio_pci.h>

#include "vtio.h"
#include "vtio_config_io.h"

#define VPM_DRV_NAME		"virtio_pci_modern"

#define VPM_VENDOR_ID		0x1af4
#define VPM_MODERN_FIRST	0x1040
#define VPM_MODERN_LAST		0x107f
#define VPM_TRANSITIONAL_FIRST	0x1000
#define VPM_TRANSITIONAL_LAST	0x103f

/* ISR bits: a queue needs service / the device config changed. */
#define VPM_ISR_QUEUE		0x1
#define VPM_ISR_CONFIG		VIRTIO_PCI_ISR_CONFIG

#define VPM_NO_VECTOR		VIRTIO_MSI_NO_VECTOR
/* MSI-X table layout we program: config first, then the queue vector(s). */
#define VPM_VEC_CONFIG		0
#define VPM_VEC_QUEUES		1

#define VPM_RESET_TIMEOUT_MS	1000
#define VPM_IRQ_NAME_LEN	64

/*
 * The common config fields this driver uses end at queue_used_hi; newer
 * kernels and spec revisions append fields we do not need, so the minimum
 * length is fixed here rather than taken from sizeof().
 */
#define VPM_CC(field)		offsetof(struct virtio_pci_common_cfg, field)
#define VPM_COMMON_LEN		offsetofend(struct virtio_pci_common_cfg, \
					    queue_used_hi)
/*
 * virtio 1.2 4.1.4.3: queue_notify_data (le16) and queue_reset (le16)
 * follow queue_used_hi; a 6.1 uapi struct ends before them.
 */
#define VPM_CC_QUEUE_RESET	(VPM_COMMON_LEN + 2)
#define VPM_COMMON_RESET_LEN	(VPM_CC_QUEUE_RESET + 2)

static unsigned int extra_device_types[16];
static unsigned int n_extra_device_types;
module_param_array(extra_device_types, uint, &n_extra_device_types, 0444);
MODULE_PARM_DESC(extra_device_types,
		 "Virtio device types to accept besides net (1), comma separated; only useful with driver_override and a vtio driver for the type");

static int force_irq_mode;
module_param(force_irq_mode, int, 0644);
MODULE_PARM_DESC(force_irq_mode,
		 "First interrupt mode find_vqs tries: 0 auto (MSI-X per queue), 1 MSI-X shared queue vector, 2 INTx");

enum vpm_irq_mode {
	VPM_IRQ_NONE,
	VPM_IRQ_MSIX_PER_VQ,
	VPM_IRQ_MSIX_SHARED,
	VPM_IRQ_INTX,
};

static const char * const vpm_irq_mode_names[] = {
	[VPM_IRQ_NONE]		= "none",
	[VPM_IRQ_MSIX_PER_VQ]	= "msix-per-vq",
	[VPM_IRQ_MSIX_SHARED]	= "msix-shared",
	[VPM_IRQ_INTX]		= "intx",
};

static const char * const vpm_cap_names[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG]	= "common config",
	[VIRTIO_PCI_CAP_NOTIFY_CFG]	= "notify",
	[VIRTIO_PCI_CAP_ISR_CFG]	= "ISR",
	[VIRTIO_PCI_CAP_DEVICE_CFG]	= "device config",
};

/* Where a vendor capability says its structure lives. */
struct vpm_cap {
	int pos;		/* in PCI config space */
	u8 bar;
	u32 offset;
	u32 length;
};

struct vpm_queue {
	struct vtio_vq *vq;		/* NULL: index not used */
	void __iomem *notify;
	u16 vector;			/* MSI-X entry, or VPM_NO_VECTOR */
	bool irq_requested;		/* own vector requested (per-vq mode) */
	cpumask_var_t affinity;		/* must outlive the affinity hint */
	char irq_name[VPM_IRQ_NAME_LEN];
};

struct vpm_device {
	struct vtio_device vdev;
	struct pci_dev *pdev;

	int bars;			/* BARs reserved by probe */
	void __iomem *common;
	void __iomem *isr;
	void __iomem *notify;
	void __iomem *device;		/* NULL: no device config */
	u32 notify_len;
	u32 notify_mult;
	u32 device_len;
	bool queue_reset;		/* common config has queue_reset */

	/* Interrupt and queue state, owned by find_vqs / del_vqs. */
	enum vpm_irq_mode irq_mode;
	unsigned int nvectors;		/* MSI-X vectors allocated */
	bool config_irq;		/* config vector requested */
	bool queues_irq;		/* shared queue vector or INTx requested */
	struct vpm_queue *queues;
	unsigned int nqueues;
	char config_irq_name[VPM_IRQ_NAME_LEN];
	char queues_irq_name[VPM_IRQ_NAME_LEN];
};

static struct vpm_device *to_vpm(struct vtio_device *vdev)
{
	return container_of(vdev, struct vpm_device, vdev);
}

/* ------------------------------------------------------ common config -- */

static u8 vpm_r8(struct vpm_device *vp, unsigned int off)
{
	return ioread8(vp->common + off);
}

static u16 vpm_r16(struct vpm_device *vp, unsigned int off)
{
	return ioread16(vp->common + off);
}

static u32 vpm_r32(struct vpm_device *vp, unsigned int off)
{
	return ioread32(vp->common + off);
}

static void vpm_w8(struct vpm_device *vp, unsigned int off, u8 val)
{
	iowrite8(val, vp->common + off);
}

static void vpm_w16(struct vpm_device *vp, unsigned int off, u16 val)
{
	iowrite16(val, vp->common + off);
}

static void vpm_w32(struct vpm_device *vp, unsigned int off, u32 val)
{
	iowrite32(val, vp->common + off);
}

/* 64-bit registers are two 32-bit halves; 64-bit MMIO is not required. */
static void vpm_w64(struct vpm_device *vp, unsigned int lo, unsigned int hi,
		    u64 val)
{
	vpm_w32(vp, lo, lower_32_bits(val));
	vpm_w32(vp, hi, upper_32_bits(val));
}

static u64 vpm_get_features(struct vtio_device *vdev)
{
	struct vpm_device *vp = to_vpm(vdev);
	u64 features;

	vpm_w32(vp, VPM_CC(device_feature_select), 0);
	features = vpm_r32(vp, VPM_CC(device_feature));
	vpm_w32(vp, VPM_CC(device_feature_select), 1);
	features |= (u64)vpm_r32(vp, VPM_CC(device_feature)) << 32;
	/* A short common config window cannot reset single queues. */
	if (!vp->queue_reset)
		features &= ~BIT_ULL(VTIO_F_RING_RESET);
	return features;
}

static int vpm_finalize_features(struct vtio_device *vdev)
{
	struct vpm_device *vp = to_vpm(vdev);

	/* The modern register layout only exists for VERSION_1 devices. */
	if (!vtio_has_feature(vdev, VTIO_F_VERSION_1)) {
		dev_err(&vp->pdev->dev,
			"VIRTIO_F_VERSION_1 was not negotiated; the modern interface needs it\n");
		return -EINVAL;
	}

	vpm_w32(vp, VPM_CC(guest_feature_select), 0);
	vpm_w32(vp, VPM_CC(guest_feature), lower_32_bits(vdev->features));
	vpm_w32(vp, VPM_CC(guest_feature_select), 1);
	vpm_w32(vp, VPM_CC(guest_feature), upper_32_bits(vdev->features));
	return 0;
}

static u8 vpm_get_status(struct vtio_device *vdev)
{
	return vpm_r8(to_vpm(vdev), VPM_CC(device_status));
}

static void vpm_set_status(struct vtio_device *vdev, u8 status)
{
	vpm_w8(to_vpm(vdev), VPM_CC(device_status), status);
}

static u32 vpm_generation(struct vtio_device *vdev)
{
	return vpm_r8(to_vpm(vdev), VPM_CC(config_generation));
}

static void vpm_synchronize_cbs(struct vtio_device *vdev)
{
	struct vpm_device *vp = to_vpm(vdev);
	unsigned int v;

	if (vp->irq_mode == VPM_IRQ_INTX)
		synchronize_irq(vp->pdev->irq);
	for (v = 0; v < vp->nvectors; v++)
		synchronize_irq(pci_irq_vector(vp->pdev, v));
}

static void vpm_reset(struct vtio_device *vdev)
{
	struct vpm_device *vp = to_vpm(vdev);
	unsigned long timeout;
	u8 status;

	vpm_w8(vp, VPM_CC(device_status), 0);

	/*
	 * The device may still be touching the rings until it reads back 0,
	 * so the caller must not free them before that.
	 */
	timeout = jiffies + msecs_to_jiffies(VPM_RESET_TIMEOUT_MS);
	for (;;) {
		status = vpm_r8(vp, VPM_CC(device_status));
		if (!status)
			break;
		/* All-ones reads from a vanished device never change. */
		if (status == 0xff && !pci_device_is_present(vp->pdev)) {
			dev_warn(&vp->pdev->dev, "device is gone, reset skipped\n");
			break;
		}
		if (time_after(jiffies, timeout)) {
			dev_err(&vp->pdev->dev,
				"device did not complete reset within %u ms (status still 0x%02x)\n",
				VPM_RESET_TIMEOUT_MS, status);
			break;
		}
		usleep_range(1000, 2000);
	}

	/* No callback may still be running on the pre-reset state. */
	vpm_synchronize_cbs(vdev);
}

static const char *vpm_bus_name(struct vtio_device *vdev)
{
	return pci_name(to_vpm(vdev)->pdev);
}

/* ------------------------------------------------------ device config -- */

static bool vpm_config_range_ok(struct vpm_device *vp, unsigned int offset,
				unsigned int len, const char *what)
{
	if ((u64)offset + len <= vp->device_len)
		return true;
	dev_err_ratelimited(&vp->pdev->dev,
			    "config %s of %u bytes at offset %u is outside the %u-byte device config window\n",
			    what, len, offset, vp->device_len);
	return false;
}

static void vpm_config_get(struct vtio_device *vdev, unsigned int offset,
			   void *buf, unsigned int len)
{
	struct vpm_device *vp = to_vpm(vdev);

	if (!vpm_config_range_ok(vp, offset, len, "read")) {
		memset(buf, 0, len);
		return;
	}
	vtio_config_io_read(vp->device + offset, buf, len, false);
}

static void vpm_config_set(struct vtio_device *vdev, unsigned int offset,
			   const void *buf, unsigned int len)
{
	struct vpm_device *vp = to_vpm(vdev);

	if (vpm_config_range_ok(vp, offset, len, "write"))
		vtio_config_io_write(vp->device + offset, buf, len, false);
}

/* ------------------------------------------------------------- notify -- */

static bool vpm_notify_index(struct vtio_vq *vq)
{
	struct vpm_queue *q = vq->priv;

	iowrite16(vq->index, q->notify);
	return true;
}

static bool vpm_notify_data(struct vtio_vq *vq)
{
	struct vpm_queue *q = vq->priv;

	iowrite32(vtio_vq_notification_data(vq), q->notify);
	return true;
}

/* The notify address of the selected queue, or NULL if the device lies. */
static void __iomem *vpm_notify_addr(struct vpm_device *vp,
				     unsigned int index)
{
	u16 off = vpm_r16(vp, VPM_CC(queue_notify_off));
	u64 pos = (u64)off * vp->notify_mult;
	unsigned int width = 2;

	if (vtio_has_feature(&vp->vdev, VTIO_F_NOTIFICATION_DATA))
		width = 4;
	if (pos + width > vp->notify_len) {
		dev_err(&vp->pdev->dev,
			"queue %u: notify offset %u * multiplier %u + %u bytes is outside the %u-byte notify window\n",
			index, off, vp->notify_mult, width, vp->notify_len);
		return NULL;
	}
	return vp->notify + pos;
}

/* ---------------------------------------------------------- interrupts -- */

static irqreturn_t vpm_config_interrupt(int irq, void *data)
{
	struct vpm_device *vp = data;

	vtio_config_changed(&vp->vdev);
	return IRQ_HANDLED;
}

/*
 * Run every queue mapped to @vector.  In INTx mode no queue has a vector,
 * so passing VPM_NO_VECTOR there covers all of them.
 */
static irqreturn_t vpm_queues_interrupt(struct vpm_device *vp, int irq,
					u16 vector)
{
	irqreturn_t ret = IRQ_NONE;
	unsigned int i;

	for (i = 0; i < vp->nqueues; i++) {
		struct vpm_queue *q = &vp->queues[i];

		if (q->vq && q->vector == vector &&
		    vtio_vq_interrupt(irq, q->vq) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	}
	return ret;
}

static irqreturn_t vpm_shared_interrupt(int irq, void *data)
{
	return vpm_queues_interrupt(data, irq, VPM_VEC_QUEUES);
}

static irqreturn_t vpm_intx_interrupt(int irq, void *data)
{
	struct vpm_device *vp = data;
	u8 isr;

	/* Reading ISR acknowledges the interrupt and deasserts the line. */
	isr = ioread8(vp->isr);
	/* Nothing pending (shared line), or all-ones from a removed device. */
	if (!isr || isr == 0xff)
		return IRQ_NONE;

	if (isr & VPM_ISR_CONFIG)
		vtio_config_changed(&vp->vdev);
	if (isr & VPM_ISR_QUEUE)
		vpm_queues_interrupt(vp, irq, VPM_NO_VECTOR);
	return IRQ_HANDLED;
}

/*
 * Allocate the MSI-X vectors for @mode, hook up the config vector and map
 * config changes to it.  -EAGAIN means "this mode is not available, try
 * the next one"; the reason has been logged.
 */
static int vpm_setup_msix(struct vpm_device *vp, enum vpm_irq_mode mode,
			  unsigned int ncallbacks, struct irq_affinity *desc)
{
	struct pci_dev *pdev = vp->pdev;
	const char *next = mode == VPM_IRQ_MSIX_PER_VQ ?
		"trying one shared queue vector" : "falling back to INTx";
	unsigned int nvec = 2;
	int ret;

	if (mode == VPM_IRQ_MSIX_PER_VQ)
		nvec = 1 + ncallbacks;

	if (mode == VPM_IRQ_MSIX_PER_VQ && desc && ncallbacks) {
		/* Spread only the queue vectors; config is a pre-vector. */
		struct irq_affinity aff = *desc;

		aff.pre_vectors++;
		ret = pci_alloc_irq_vectors_affinity(pdev, nvec, nvec,
						     PCI_IRQ_MSIX |
						     PCI_IRQ_AFFINITY, &aff);
	} else {
		ret = pci_alloc_irq_vectors(pdev, nvec, nvec, PCI_IRQ_MSIX);
	}
	if (ret < 0) {
		dev_info(&pdev->dev, "cannot allocate %u MSI-X vectors (%d), %s\n",
			 nvec, ret, next);
		return -EAGAIN;
	}
	vp->nvectors = nvec;

	ret = request_irq(pci_irq_vector(pdev, VPM_VEC_CONFIG),
			  vpm_config_interrupt, 0, vp->config_irq_name, vp);
	if (ret) {
		dev_info(&pdev->dev, "cannot request config MSI-X interrupt (%d), %s\n",
			 ret, next);
		return -EAGAIN;
	}
	vp->config_irq = true;

	/* The device reports a failed mapping by reading back NO_VECTOR. */
	vpm_w16(vp, VPM_CC(msix_config), VPM_VEC_CONFIG);
	if (vpm_r16(vp, VPM_CC(msix_config)) != VPM_VEC_CONFIG) {
		dev_warn(&pdev->dev,
			 "device could not map config changes to MSI-X vector %u, %s\n",
			 VPM_VEC_CONFIG, next);
		return -EAGAIN;
	}
	return 0;
}

/* Request the queue interrupt(s) once every queue of the attempt exists. */
static int vpm_request_queue_irqs(struct vpm_device *vp,
				  enum vpm_irq_mode mode)
{
	struct pci_dev *pdev = vp->pdev;
	unsigned int i;
	int ret;

	switch (mode) {
	case VPM_IRQ_MSIX_PER_VQ:
		for (i = 0; i < vp->nqueues; i++) {
			struct vpm_queue *q = &vp->queues[i];

			if (!q->vq || q->vector == VPM_NO_VECTOR)
				continue;
			if (!zalloc_cpumask_var(&q->affinity, GFP_KERNEL))
				return -ENOMEM;
			ret = request_irq(pci_irq_vector(pdev, q->vector),
					  vtio_vq_interrupt, 0, q->irq_name,
					  q->vq);
			if (ret) {
				dev_info(&pdev->dev,
					 "cannot request MSI-X interrupt for queue %u (%d), trying one shared queue vector\n",
					 i, ret);
				return -EAGAIN;
			}
			q->irq_requested = true;
		}
		return 0;
	case VPM_IRQ_MSIX_SHARED:
		ret = request_irq(pci_irq_vector(pdev, VPM_VEC_QUEUES),
				  vpm_shared_interrupt, 0, vp->queues_irq_name,
				  vp);
		if (ret) {
			dev_info(&pdev->dev,
				 "cannot request shared queue MSI-X interrupt (%d), falling back to INTx\n",
				 ret);
			return -EAGAIN;
		}
		vp->queues_irq = true;
		return 0;
	default:
		ret = request_irq(pdev->irq, vpm_intx_interrupt, IRQF_SHARED,
				  vp->queues_irq_name, vp);
		if (ret) {
			dev_err(&pdev->dev, "cannot request INTx interrupt %u (%d)\n",
				pdev->irq, ret);
			return ret;
		}
		vp->queues_irq = true;
		return 0;
	}
}

static void vpm_free_irqs(struct vpm_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	unsigned int i;

	for (i = 0; i < vp->nqueues; i++) {
		struct vpm_queue *q = &vp->queues[i];
		int irq;

		if (!q->irq_requested)
			continue;
		irq = pci_irq_vector(pdev, q->vector);
		/* The hint points at q->affinity, which is about to go. */
		irq_update_affinity_hint(irq, NULL);
		free_irq(irq, q->vq);
		q->irq_requested = false;
	}
	if (vp->queues_irq) {
		if (vp->irq_mode == VPM_IRQ_INTX)
			free_irq(pdev->irq, vp);
		else
			free_irq(pci_irq_vector(pdev, VPM_VEC_QUEUES), vp);
		vp->queues_irq = false;
	}
	if (vp->config_irq) {
		free_irq(pci_irq_vector(pdev, VPM_VEC_CONFIG), vp);
		vp->config_irq = false;
	}
}

/* ------------------------------------------------------------- queues -- */

/* Create queue @index and program it into the device; it stays disabled. */
/*
 * Tell the device where the selected queue's ring is and which vector it
 * signals; false when the device did not take the vector (read back).
 */
static bool vpm_program_queue(struct vpm_device *vp, struct vpm_queue *q)
{
	struct vtio_vq *vq = q->vq;

	vpm_w16(vp, VPM_CC(queue_select), vq->index);
	/* The ring may have settled on fewer entries than asked for. */
	vpm_w16(vp, VPM_CC(queue_size), vtio_vq_get_vring_size(vq));
	vpm_w64(vp, VPM_CC(queue_desc_lo), VPM_CC(queue_desc_hi),
		vtio_vq_desc_addr(vq));
	vpm_w64(vp, VPM_CC(queue_avail_lo), VPM_CC(queue_avail_hi),
		vtio_vq_driver_addr(vq));
	vpm_w64(vp, VPM_CC(queue_used_lo), VPM_CC(queue_used_hi),
		vtio_vq_device_addr(vq));

	if (!vp->nvectors)
		return true;
	vpm_w16(vp, VPM_CC(queue_msix_vector), q->vector);
	return q->vector == VPM_NO_VECTOR ||
	       vpm_r16(vp, VPM_CC(queue_msix_vector)) == q->vector;
}

static int vpm_setup_queue(struct vpm_device *vp, unsigned int index,
			   const struct vtio_vq_info *info, u16 vector)
{
	struct vpm_queue *q = &vp->queues[index];
	struct device *dev = &vp->pdev->dev;
	bool (*notify)(struct vtio_vq *vq) = vpm_notify_index;
	unsigned int num_queues, max, size;
	struct vtio_vq *vq;

	num_queues = vpm_r16(vp, VPM_CC(num_queues));
	if (index >= num_queues) {
		dev_err(dev, "queue %u (%s) requested but the device has only %u queues\n",
			index, info->name, num_queues);
		return -ENOENT;
	}

	vpm_w16(vp, VPM_CC(queue_select), index);
	max = vpm_r16(vp, VPM_CC(queue_size));
	if (!max) {
		dev_err(dev, "queue %u (%s): device reports queue size 0\n",
			index, info->name);
		return -ENOENT;
	}
	size = info->size ? min(info->size, max) : max;
	/* Only the packed layout allows sizes that are not a power of 2. */
	if (!vtio_has_feature(&vp->vdev, VTIO_F_RING_PACKED))
		size = rounddown_pow_of_two(size);

	q->notify = vpm_notify_addr(vp, index);
	if (!q->notify)
		return -EINVAL;
	if (vtio_has_feature(&vp->vdev, VTIO_F_NOTIFICATION_DATA))
		notify = vpm_notify_data;

	vq = vtio_vq_create(&vp->vdev, index, size, max, notify,
			    info->callback, info->name, info->ctx, dev);
	if (IS_ERR(vq)) {
		dev_err(dev, "queue %u (%s): cannot create a %u-entry ring (%ld)\n",
			index, info->name, size, PTR_ERR(vq));
		return PTR_ERR(vq);
	}
	vq->priv = q;
	q->vq = vq;
	q->vector = vector;
	snprintf(q->irq_name, sizeof(q->irq_name), "%s-%s",
		 dev_name(&vp->vdev.dev), info->name);

	if (!vpm_program_queue(vp, q)) {
		dev_warn(dev, "device could not map queue %u to MSI-X vector %u, %s\n",
			 index, vector,
			 vp->irq_mode == VPM_IRQ_MSIX_PER_VQ ?
			 "trying one shared queue vector" :
			 "falling back to INTx");
		return -EAGAIN;
	}
	return 0;
}

/*
 * Enabling is the last step: an enabled queue cannot be disabled again
 * without a device reset, so a failed attempt must never get this far.
 */
static void vpm_enable_queues(struct vpm_device *vp)
{
	unsigned int i;

	for (i = 0; i < vp->nqueues; i++) {
		if (!vp->queues[i].vq)
			continue;
		vpm_w16(vp, VPM_CC(queue_select), i);
		vpm_w16(vp, VPM_CC(queue_enable), 1);
	}
}

/*
 * VIRTIO_F_RING_RESET (virtio 1.2 4.1.4.3.2): write 1 to queue_reset; the
 * reset is done when queue_reset and queue_enable both read 0.
 */
static int vpm_reset_vq(struct vtio_vq *vq)
{
	struct vpm_device *vp = to_vpm(vq->vdev);
	unsigned long timeout;

	vpm_w16(vp, VPM_CC(queue_select), vq->index);
	vpm_w16(vp, VPM_CC_QUEUE_RESET, 1);
	timeout = jiffies + msecs_to_jiffies(VPM_RESET_TIMEOUT_MS);
	while (vpm_r16(vp, VPM_CC_QUEUE_RESET) ||
	       vpm_r16(vp, VPM_CC(queue_enable))) {
		if (time_after(jiffies, timeout)) {
			dev_err(&vp->pdev->dev,
				"queue %u (%s) not reset within %u ms\n",
				vq->index, vq->name, VPM_RESET_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		usleep_range(100, 200);
	}
	/* An interrupt raised before the reset may still be in its handler. */
	vpm_synchronize_cbs(vq->vdev);
	return 0;
}

/* After vpm_reset_vq: the (new) ring, the same vector, enabled again. */
static int vpm_enable_vq(struct vtio_vq *vq)
{
	struct vpm_device *vp = to_vpm(vq->vdev);
	struct vpm_queue *q = vq->priv;

	if (!vpm_program_queue(vp, q)) {
		dev_err(&vp->pdev->dev,
			"queue %u (%s): device did not take MSI-X vector %u back after its reset\n",
			vq->index, vq->name, q->vector);
		return -EIO;
	}
	vpm_w16(vp, VPM_CC(queue_enable), 1);
	return 0;
}

/* Undo everything find_vqs (or a failed attempt of it) set up. */
static void vpm_teardown(struct vpm_device *vp)
{
	unsigned int i;

	/* Handlers first: the shared and INTx ones walk vp->queues. */
	vpm_free_irqs(vp);

	for (i = 0; i < vp->nqueues; i++) {
		struct vpm_queue *q = &vp->queues[i];

		if (q->vq) {
			if (vp->nvectors) {
				vpm_w16(vp, VPM_CC(queue_select), i);
				vpm_w16(vp, VPM_CC(queue_msix_vector),
					VPM_NO_VECTOR);
			}
			vtio_vq_destroy(q->vq);
		}
		free_cpumask_var(q->affinity);
	}

	if (vp->nvectors) {
		vpm_w16(vp, VPM_CC(msix_config), VPM_NO_VECTOR);
		pci_free_irq_vectors(vp->pdev);
		vp->nvectors = 0;
	}
	kfree(vp->queues);
	vp->queues = NULL;
	vp->nqueues = 0;
	WRITE_ONCE(vp->irq_mode, VPM_IRQ_NONE);
}

static unsigned int vpm_count_callbacks(unsigned int nvqs,
					const struct vtio_vq_info info[])
{
	unsigned int i, n = 0;

	for (i = 0; i < nvqs; i++)
		if (info[i].name && info[i].callback)
			n++;
	return n;
}

/* One complete find_vqs attempt in @mode; -EAGAIN: try the next mode. */
static int vpm_try_mode(struct vpm_device *vp, enum vpm_irq_mode mode,
			unsigned int nvqs, struct vtio_vq *vqs[],
			const struct vtio_vq_info info[],
			struct irq_affinity *desc)
{
	const char *name = dev_name(&vp->vdev.dev);
	u16 next_vector = VPM_VEC_QUEUES;
	unsigned int i;
	int err;

	vp->queues = kcalloc(nvqs, sizeof(*vp->queues), GFP_KERNEL);
	if (!vp->queues)
		return -ENOMEM;
	vp->nqueues = nvqs;
	WRITE_ONCE(vp->irq_mode, mode);

	snprintf(vp->config_irq_name, sizeof(vp->config_irq_name),
		 "%s-config", name);
	snprintf(vp->queues_irq_name, sizeof(vp->queues_irq_name), "%s-%s",
		 name, mode == VPM_IRQ_INTX ? "intx" : "virtqueues");

	if (mode != VPM_IRQ_INTX) {
		err = vpm_setup_msix(vp, mode, vpm_count_callbacks(nvqs, info),
				     desc);
		if (err)
			goto fail;
	}

	for (i = 0; i < nvqs; i++) {
		u16 vector = VPM_NO_VECTOR;

		if (!info[i].name)
			continue;
		if (info[i].callback && mode == VPM_IRQ_MSIX_PER_VQ)
			vector = next_vector++;
		else if (info[i].callback && mode == VPM_IRQ_MSIX_SHARED)
			vector = VPM_VEC_QUEUES;
		err = vpm_setup_queue(vp, i, &info[i], vector);
		if (err)
			goto fail;
	}

	err = vpm_request_queue_irqs(vp, mode);
	if (err)
		goto fail;

	vpm_enable_queues(vp);
	for (i = 0; i < nvqs; i++)
		vqs[i] = vp->queues[i].vq;
	return 0;

fail:
	vpm_teardown(vp);
	return err;
}

static int vpm_find_vqs(struct vtio_device *vdev, unsigned int nvqs,
			struct vtio_vq *vqs[],
			const struct vtio_vq_info info[],
			struct irq_affinity *desc)
{
	struct vpm_device *vp = to_vpm(vdev);
	struct pci_dev *pdev = vp->pdev;
	enum vpm_irq_mode mode = VPM_IRQ_MSIX_PER_VQ;
	unsigned int i;
	int err;

	if (vp->queues) {
		dev_err(&pdev->dev, "find_vqs called while queues already exist\n");
		return -EBUSY;
	}
	for (i = 0; i < nvqs; i++)
		vqs[i] = NULL;

	if (force_irq_mode == 1)
		mode = VPM_IRQ_MSIX_SHARED;
	else if (force_irq_mode == 2)
		mode = VPM_IRQ_INTX;
	if (mode != VPM_IRQ_INTX && pci_msix_vec_count(pdev) <= 0) {
		dev_info(&pdev->dev, "device has no MSI-X capability, using INTx\n");
		mode = VPM_IRQ_INTX;
	}

	for (;;) {
		err = vpm_try_mode(vp, mode, nvqs, vqs, info, desc);
		if (err != -EAGAIN || mode == VPM_IRQ_INTX)
			break;
		mode = mode == VPM_IRQ_MSIX_PER_VQ ? VPM_IRQ_MSIX_SHARED :
						      VPM_IRQ_INTX;
	}
	return err;
}

static void vpm_del_vqs(struct vtio_device *vdev)
{
	vpm_teardown(to_vpm(vdev));
}

static int vpm_set_vq_affinity(struct vtio_vq *vq, const struct cpumask *mask)
{
	struct vpm_device *vp = to_vpm(vq->vdev);
	struct vpm_queue *q = vq->priv;
	int irq;

	/* Only a queue with a vector of its own can be steered. */
	if (vp->irq_mode != VPM_IRQ_MSIX_PER_VQ || !q->irq_requested)
		return -EINVAL;

	irq = pci_irq_vector(vp->pdev, q->vector);
	if (!mask)
		return irq_update_affinity_hint(irq, NULL);
	/* The hint keeps a pointer, so it must point at our own copy. */
	cpumask_copy(q->affinity, mask);
	return irq_set_affinity_and_hint(irq, q->affinity);
}

static const struct cpumask *vpm_get_vq_affinity(struct vtio_device *vdev,
						 int index)
{
	struct vpm_device *vp = to_vpm(vdev);
	struct vpm_queue *q;

	if (vp->irq_mode != VPM_IRQ_MSIX_PER_VQ || index < 0 ||
	    index >= vp->nqueues)
		return NULL;
	q = &vp->queues[index];
	if (!q->irq_requested)
		return NULL;
	return pci_irq_get_affinity(vp->pdev, q->vector);
}

static const struct vtio_config_ops vpm_config_ops = {
	.get			= vpm_config_get,
	.set			= vpm_config_set,
	.generation		= vpm_generation,
	.get_status		= vpm_get_status,
	.set_status		= vpm_set_status,
	.reset			= vpm_reset,
	.find_vqs		= vpm_find_vqs,
	.del_vqs		= vpm_del_vqs,
	.synchronize_cbs	= vpm_synchronize_cbs,
	.get_features		= vpm_get_features,
	.finalize_features	= vpm_finalize_features,
	.bus_name		= vpm_bus_name,
	.set_vq_affinity	= vpm_set_vq_affinity,
	.get_vq_affinity	= vpm_get_vq_affinity,
	.reset_vq		= vpm_reset_vq,
	.enable_vq		= vpm_enable_vq,
};

/* -------------------------------------------------------------- sysfs -- */

static ssize_t irq_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct vpm_device *vp = to_vpm(dev_to_vtio(dev));

	return sysfs_emit(buf, "%s\n",
			  vpm_irq_mode_names[READ_ONCE(vp->irq_mode)]);
}
static DEVICE_ATTR_RO(irq_mode);

static struct attribute *vpm_attrs[] = {
	&dev_attr_irq_mode.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vpm);

/* -------------------------------------------------------------- probe -- */

/*
 * Find the first usable capability of @type.  Capabilities naming a
 * reserved BAR are ignored as the spec requires; malformed ones are
 * reported and skipped so that a later good one can still be used.
 */
static int vpm_find_cap(struct vpm_device *vp, u8 type, u32 min_len,
			u8 min_cap_len, struct vpm_cap *cap)
{
	struct pci_dev *pdev = vp->pdev;
	const char *what = vpm_cap_names[type];
	u8 cfg_type, bar, cap_len;
	u32 offset, length;
	int pos;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos > 0;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos +
				     offsetof(struct virtio_pci_cap, cfg_type),
				     &cfg_type);
		if (cfg_type != type)
			continue;
		pci_read_config_byte(pdev, pos +
				     offsetof(struct virtio_pci_cap, bar), &bar);
		if (bar >= PCI_STD_NUM_BARS)
			continue;
		pci_read_config_byte(pdev, pos +
				     offsetof(struct virtio_pci_cap, cap_len),
				     &cap_len);
		if (cap_len < min_cap_len) {
			dev_warn(&pdev->dev, "%s capability at 0x%x is %u bytes, needs %u; skipped\n",
				 what, pos, cap_len, min_cap_len);
			continue;
		}
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM)) {
			dev_warn(&pdev->dev, "%s capability at 0x%x names BAR %u, which is not a memory BAR; skipped\n",
				 what, pos, bar);
			continue;
		}
		pci_read_config_dword(pdev, pos +
				      offsetof(struct virtio_pci_cap, offset),
				      &offset);
		pci_read_config_dword(pdev, pos +
				      offsetof(struct virtio_pci_cap, length),
				      &length);
		if (length < min_len) {
			dev_warn(&pdev->dev, "%s capability at 0x%x is %u bytes long, needs at least %u; skipped\n",
				 what, pos, length, min_len);
			continue;
		}
		/* u64 sum: offset + length cannot wrap. */
		if ((u64)offset + length > pci_resource_len(pdev, bar)) {
			dev_warn(&pdev->dev, "%s capability at 0x%x: 0x%x bytes at offset 0x%x exceed BAR %u (0x%llx bytes); skipped\n",
				 what, pos, length, offset, bar,
				 (u64)pci_resource_len(pdev, bar));
			continue;
		}
		cap->pos = pos;
		cap->bar = bar;
		cap->offset = offset;
		cap->length = length;
		return 0;
	}
	return -ENODEV;
}

static void __iomem *vpm_map_cap(struct vpm_device *vp,
				 const struct vpm_cap *cap, u32 len)
{
	void __iomem *p = pci_iomap_range(vp->pdev, cap->bar, cap->offset, len);

	if (!p)
		dev_err(&vp->pdev->dev, "cannot map 0x%x bytes at offset 0x%x of BAR %u\n",
			len, cap->offset, cap->bar);
	return p;
}

static void vpm_unmap(struct vpm_device *vp)
{
	struct pci_dev *pdev = vp->pdev;

	if (vp->device)
		pci_iounmap(pdev, vp->device);
	if (vp->notify)
		pci_iounmap(pdev, vp->notify);
	if (vp->isr)
		pci_iounmap(pdev, vp->isr);
	if (vp->common)
		pci_iounmap(pdev, vp->common);
	vp->device = NULL;
	vp->notify = NULL;
	vp->isr = NULL;
	vp->common = NULL;
	if (vp->bars)
		pci_release_selected_regions(pdev, vp->bars);
	vp->bars = 0;
}

/* Locate, reserve and map the capability windows; undone by vpm_unmap. */
static int vpm_map_caps(struct vpm_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	struct vpm_cap common, isr, notify, device = {};
	bool has_device;
	int err;

	if (vpm_find_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, VPM_COMMON_LEN,
			 sizeof(struct virtio_pci_cap), &common)) {
		dev_err(&pdev->dev, "device has no usable common config capability\n");
		return -ENODEV;
	}
	if (vpm_find_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, 1,
			 sizeof(struct virtio_pci_cap), &isr)) {
		dev_err(&pdev->dev, "device has no usable ISR capability\n");
		return -ENODEV;
	}
	if (vpm_find_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, 2,
			 sizeof(struct virtio_pci_notify_cap), &notify)) {
		dev_err(&pdev->dev, "device has no usable notify capability\n");
		return -ENODEV;
	}
	/* Optional: some device types have no config fields at all. */
	has_device = !vpm_find_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, 1,
				   sizeof(struct virtio_pci_cap), &device);

	pci_read_config_dword(pdev, notify.pos +
			      offsetof(struct virtio_pci_notify_cap,
				       notify_off_multiplier),
			      &vp->notify_mult);

	vp->bars = BIT(common.bar) | BIT(isr.bar) | BIT(notify.bar);
	if (has_device)
		vp->bars |= BIT(device.bar);
	err = pci_request_selected_regions(pdev, vp->bars, VPM_DRV_NAME);
	if (err) {
		dev_err(&pdev->dev, "cannot reserve BARs (mask 0x%x): %d\n",
			vp->bars, err);
		vp->bars = 0;
		return err;
	}

	/* Map only what is used: the notify window may span megabytes. */
	vp->queue_reset = common.length >= VPM_COMMON_RESET_LEN;
	vp->common = vpm_map_cap(vp, &common, vp->queue_reset ?
				 VPM_COMMON_RESET_LEN : VPM_COMMON_LEN);
	vp->isr = vpm_map_cap(vp, &isr, 1);
	vp->notify = vpm_map_cap(vp, &notify, notify.length);
	if (has_device)
		vp->device = vpm_map_cap(vp, &device, device.length);
	if (!vp->common || !vp->isr || !vp->notify ||
	    (has_device && !vp->device)) {
		vpm_unmap(vp);
		return -ENOMEM;
	}
	vp->notify_len = notify.length;
	vp->device_len = has_device ? device.length : 0;
	return 0;
}

static bool vpm_type_allowed(unsigned int type)
{
	unsigned int i;

	if (type == VTIO_ID_NET)
		return true;
	for (i = 0; i < n_extra_device_types; i++)
		if (type && extra_device_types[i] == type)
			return true;
	return false;
}

/*
 * The virtio device type, or -ENODEV.  Checked here and not only through
 * the id table because driver_override binds without an id match.
 */
static int vpm_device_type(struct pci_dev *pdev)
{
	unsigned int type;

	if (pdev->vendor != VPM_VENDOR_ID) {
		dev_info(&pdev->dev, "vendor 0x%04x is not the virtio vendor\n",
			 pdev->vendor);
		return -ENODEV;
	}
	if (pdev->device >= VPM_MODERN_FIRST &&
	    pdev->device <= VPM_MODERN_LAST) {
		type = pdev->device - VPM_MODERN_FIRST;
	} else if (pdev->device >= VPM_TRANSITIONAL_FIRST &&
		   pdev->device <= VPM_TRANSITIONAL_LAST) {
		type = pdev->subsystem_device;
	} else {
		dev_info(&pdev->dev, "device id 0x%04x is not a virtio device id\n",
			 pdev->device);
		return -ENODEV;
	}
	if (!vpm_type_allowed(type)) {
		dev_info(&pdev->dev, "virtio device type %u is not handled (see extra_device_types)\n",
			 type);
		return -ENODEV;
	}
	return type;
}

static void vpm_release(struct device *dev)
{
	kfree(to_vpm(dev_to_vtio(dev)));
}

static int vpm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vpm_device *vp;
	int type, err;

	type = vpm_device_type(pdev);
	if (type < 0)
		return type;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->pdev = pdev;

	err = pci_enable_device(pdev);
	if (err)
		goto err_free;

	err = vpm_map_caps(vp);
	if (err)
		goto err_disable;

	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA mask (%d)\n", err);
		goto err_unmap;
	}
	pci_set_master(pdev);

	vp->vdev.id.device = type;
	vp->vdev.id.vendor = pdev->subsystem_vendor;
	vp->vdev.config = &vpm_config_ops;
	vp->vdev.dev.parent = &pdev->dev;
	vp->vdev.dev.release = vpm_release;
	vp->vdev.dev.groups = vpm_groups;
	pci_set_drvdata(pdev, vp);

	err = vtio_register_device(&vp->vdev);
	if (err) {
		dev_err(&pdev->dev, "cannot register vtio device (%d)\n", err);
		pci_set_drvdata(pdev, NULL);
		vpm_unmap(vp);
		pci_clear_master(pdev);
		pci_disable_device(pdev);
		/* The core owns vp now: the last reference frees it. */
		put_device(&vp->vdev.dev);
		return err;
	}
	return 0;

err_unmap:
	vpm_unmap(vp);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(vp);
	return err;
}

static void vpm_remove(struct pci_dev *pdev)
{
	struct vpm_device *vp = pci_get_drvdata(pdev);

	/* Unregistering may drop the last reference; keep vp until done. */
	get_device(&vp->vdev.dev);

	/* A vanished device never completes requests: fail them now. */
	if (!pci_device_is_present(pdev))
		vtio_vqs_break_all(&vp->vdev);

	vtio_unregister_device(&vp->vdev);

	/* The interrupts must not outlive the module; a driver bug left them. */
	if (vp->queues) {
		dev_warn(&pdev->dev, "driver left its queues set up; freeing them\n");
		vpm_teardown(vp);
	}

	vpm_unmap(vp);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
	pci_set_drvdata(pdev, NULL);
	put_device(&vp->vdev.dev);
}

/* Stop all DMA before kexec or power off, even if no driver did. */
static void vpm_shutdown(struct pci_dev *pdev)
{
	struct vpm_device *vp = pci_get_drvdata(pdev);

	if (!vp)
		return;
	vpm_reset(&vp->vdev);
	pci_clear_master(pdev);
}

static const struct pci_device_id vpm_id_table[] = {
	{ PCI_DEVICE(VPM_VENDOR_ID, VPM_MODERN_FIRST + VTIO_ID_NET) },
	{ PCI_DEVICE_SUB(VPM_VENDOR_ID, VPM_TRANSITIONAL_FIRST, PCI_ANY_ID,
			 VTIO_ID_NET) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vpm_id_table);

static struct pci_driver vpm_driver = {
	.name		= VPM_DRV_NAME,
	.id_table	= vpm_id_table,
	.probe		= vpm_probe,
	.remove		= vpm_remove,
	.shutdown	= vpm_shutdown,
};
module_pci_driver(vpm_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtio virtio PCI modern transport (MSI-X, shared vector, INTx)");
MODULE_IMPORT_NS(VTIO);
