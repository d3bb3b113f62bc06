// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio register protocol: device checks, feature and status
 * handshake, queue setup for Version 1 (legacy, page-number addressing)
 * and Version 2 (modern), and the MSI extension of Version 3 devices:
 * vector programming, masking, event mapping and the fallback from one
 * vector per queue to one shared queue vector to the wired interrupt.
 *
 * This file is also built in userspace (tools/mmio-sim), so it touches the
 * platform only through the vmm_plat_*() hooks; see mmio.h.
 */
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/log2.h>
#include <linux/err.h>

#include "mmio.h"
#include "vtio_ring_layout.h"
#include "vtio_config_io.h"

/* How long reset may take: 1000 polls, 1-2 ms apart. */
#define VMM_RESET_POLLS		1000

static u32 vmm_rd(struct vmm_device *vm, unsigned int off)
{
	return readl(vm->base + off);
}

static void vmm_wr(struct vmm_device *vm, unsigned int off, u32 val)
{
	writel(val, vm->base + off);
}

static bool vmm_legacy(const struct vmm_device *vm)
{
	return vm->version == VMM_VERSION_LEGACY;
}

const char *vmm_irq_mode_name(enum vmm_irq_mode mode)
{
	switch (mode) {
	case VMM_IRQ_MSI_PER_VQ:
		return "msi-per-vq";
	case VMM_IRQ_MSI_SHARED:
		return "msi-shared";
	case VMM_IRQ_WIRED:
		return "wired";
	default:
		return "none";
	}
}

/* ---------------------------------------------------------- discovery -- */

/*
 * virtio 1.3, 4.2.3.1.1: check MagicValue and Version, then DeviceID; a
 * DeviceID of 0 is a placeholder slot, which must be left alone without
 * an error and without touching any other register.
 */
int vmm_check_device(struct vmm_device *vm)
{
	u32 magic, version, id;

	if (vm->size < VMM_REGS_SIZE) {
		dev_err(vm->dev,
			"register window is %llu bytes; the control registers alone need %u\n",
			(unsigned long long)vm->size, VMM_REGS_SIZE);
		return -EINVAL;
	}

	magic = vmm_rd(vm, VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VMM_MAGIC) {
		dev_err(vm->dev,
			"not a virtio-mmio device: magic value 0x%08x, expected 0x%08x (\"virt\")\n",
			magic, VMM_MAGIC);
		return -ENODEV;
	}

	version = vmm_rd(vm, VIRTIO_MMIO_VERSION);
	if (version < VMM_VERSION_LEGACY || version > VMM_VERSION_MSI) {
		dev_err(vm->dev,
			"unsupported virtio-mmio version %u (1 legacy, 2 modern, 3 modern with MSI)\n",
			version);
		return -ENODEV;
	}
	vm->version = version;

	id = vmm_rd(vm, VIRTIO_MMIO_DEVICE_ID);
	if (!id)
		return -ENODEV;
	/* Device types are small numbers; all-ones is a bus error. */
	if (id > U16_MAX) {
		dev_err(vm->dev, "device id 0x%08x is not a virtio device type\n",
			id);
		return -ENODEV;
	}
	vm->vdev.id.device = id;
	vm->vdev.id.vendor = vmm_rd(vm, VIRTIO_MMIO_VENDOR_ID);
	return 0;
}

/* ----------------------------------------------------------- features -- */

u64 vmm_get_features(struct vtio_device *vdev)
{
	struct vmm_device *vm = to_vmm(vdev);
	const u64 proto = BIT_ULL(VMM_F_PROTO_NOTIFY) | BIT_ULL(VMM_F_PROTO_MSI);
	u64 features;

	vmm_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	features = vmm_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES);
	vmm_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	features |= (u64)vmm_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES) << 32;

	/* Reserved for future use on MMIO (virtio 1.3, 4.2.4). */
	features &= ~BIT_ULL(VTIO_F_ADMIN_VQ);
	/* A legacy device has no QueueReset register to back the bit. */
	if (vm->version == VMM_VERSION_LEGACY)
		features &= ~BIT_ULL(VTIO_F_RING_RESET);

	vm->proto_offered = 0;
	if (vm->version == VMM_VERSION_MSI &&
	    (features & BIT_ULL(VTIO_F_RING_RESET))) {
		/* Its QueueReset register would be our MsiVecNum. */
		vmm_log_once(vm, VMM_LOG_RING_RESET,
			     "Version 3 device offers RING_RESET (bit 40): not negotiated, 0x0c0 is MsiVecNum on Version 3\n");
		features &= ~BIT_ULL(VTIO_F_RING_RESET);
	} else if (vm->version == VMM_VERSION_MODERN && vm->proto_bits &&
		   (features & proto)) {
		vm->proto_offered = features & proto;
		features &= ~proto;
		vmm_log_once(vm, VMM_LOG_PROTO_BITS,
			     "proto_v2_bits: reading feature bits 39/40 (offered 0x%llx) as the MSI prototype's MMIO_NOTIFICATION/MMIO_MSI\n",
			     (unsigned long long)vm->proto_offered);
	}
	return features;
}

int vmm_finalize_features(struct vtio_device *vdev)
{
	struct vmm_device *vm = to_vmm(vdev);
	bool modern = !vmm_legacy(vm);
	u64 features;

	if (modern != vtio_has_feature(vdev, VTIO_F_VERSION_1)) {
		dev_err(vm->dev, modern ?
			"Version %u device: VIRTIO_F_VERSION_1 was not negotiated\n" :
			"Version %u (legacy) device cannot take VIRTIO_F_VERSION_1\n",
			vm->version);
		return -EINVAL;
	}

	/* The prototype's bits are ours: the core never saw them. */
	vm->proto_features = vm->proto_offered;
	features = vdev->features | vm->proto_features;
	vm->msi = vm->version == VMM_VERSION_MSI ||
		  (vm->proto_features & BIT_ULL(VMM_F_PROTO_MSI));
	vm->notify_cfg = vm->version == VMM_VERSION_MSI ||
			 (vm->proto_features & BIT_ULL(VMM_F_PROTO_NOTIFY));

	vmm_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vmm_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES, lower_32_bits(features));
	/* Legacy devices offer no upper word, and QEMU's log a write to it. */
	if (modern || upper_32_bits(features)) {
		vmm_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		vmm_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES,
		       upper_32_bits(features));
	}
	return 0;
}

/* ------------------------------------------------------------- status -- */

u8 vmm_get_status(struct vtio_device *vdev)
{
	return vmm_rd(to_vmm(vdev), VIRTIO_MMIO_STATUS) & 0xff;
}

void vmm_set_status(struct vtio_device *vdev, u8 status)
{
	vmm_wr(to_vmm(vdev), VIRTIO_MMIO_STATUS, status);
}

void vmm_reset(struct vtio_device *vdev)
{
	struct vmm_device *vm = to_vmm(vdev);
	unsigned int i;
	u32 status = 0;

	vmm_wr(vm, VIRTIO_MMIO_STATUS, 0);

	/*
	 * Until the device reads back 0 it may still use the rings, so the
	 * caller must not free them before (virtio 1.2, 4.2.3.1).
	 */
	for (i = 0; i < VMM_RESET_POLLS; i++) {
		status = vmm_rd(vm, VIRTIO_MMIO_STATUS);
		if (!status)
			break;
		if (status == U32_MAX) {
			dev_warn(vm->dev, "status reads all-ones: device gone?\n");
			break;
		}
		usleep_range(1000, 2000);
	}
	if (i == VMM_RESET_POLLS)
		dev_err(vm->dev,
			"device did not complete reset after %u polls (status 0x%02x)\n",
			VMM_RESET_POLLS, status);

	/* No callback may still run on the state from before the reset. */
	vmm_synchronize_cbs(vdev);
}

/* ------------------------------------------------------ device config -- */

/* Legacy devices have no generation counter; 0 means "never changes". */
u32 vmm_generation(struct vtio_device *vdev)
{
	struct vmm_device *vm = to_vmm(vdev);

	return vmm_legacy(vm) ? 0 : vmm_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION);
}

static bool vmm_config_ok(struct vmm_device *vm, unsigned int offset,
			  unsigned int len, const char *what)
{
	u64 room = vm->size - VMM_REGS_SIZE;

	if ((u64)offset + len <= room)
		return true;
	dev_err_ratelimited(vm->dev,
			    "config %s of %u bytes at offset %u is outside the %llu-byte config window\n",
			    what, len, offset, (unsigned long long)room);
	return false;
}

void vmm_config_get(struct vtio_device *vdev, unsigned int offset,
		    void *buf, unsigned int len)
{
	struct vmm_device *vm = to_vmm(vdev);

	if (!vmm_config_ok(vm, offset, len, "read")) {
		memset(buf, 0, len);
		return;
	}
	vtio_config_io_read(vm->base + VIRTIO_MMIO_CONFIG + offset, buf, len,
			    vmm_legacy(vm));
}

void vmm_config_set(struct vtio_device *vdev, unsigned int offset,
		    const void *buf, unsigned int len)
{
	struct vmm_device *vm = to_vmm(vdev);

	if (vmm_config_ok(vm, offset, len, "write"))
		vtio_config_io_write(vm->base + VIRTIO_MMIO_CONFIG + offset,
				     buf, len, vmm_legacy(vm));
}

/* ------------------------------------------------------------- notify -- */

static bool vmm_notify_index(struct vtio_vq *vq)
{
	struct vmm_device *vm = to_vmm(vq->vdev);
	struct vmm_queue *q = vq->priv;

	writel(vq->index, vm->base + q->notify);
	return true;
}

static bool vmm_notify_data(struct vtio_vq *vq)
{
	struct vmm_device *vm = to_vmm(vq->vdev);
	struct vmm_queue *q = vq->priv;

	writel(vtio_vq_notification_data(vq), vm->base + q->notify);
	return true;
}

/*
 * Devices with the notification extension read back QueueNotify as
 * base | multiplier << 16: queue i is notified at base + i * multiplier.
 * 0 (nothing programmed) keeps every queue on QueueNotify.
 */
static void vmm_read_notify_cfg(struct vmm_device *vm)
{
	u32 v = 0;

	if (vm->notify_cfg)
		v = vmm_rd(vm, VIRTIO_MMIO_QUEUE_NOTIFY);
	if (!v) {
		vm->notify_base = VIRTIO_MMIO_QUEUE_NOTIFY;
		vm->notify_mult = 0;
		return;
	}
	vm->notify_base = v & 0xffff;
	vm->notify_mult = v >> 16;
}

/*
 * A notify register must be a 32-bit register inside the window that does
 * not alias another control register: QueueNotify itself, or anything
 * past the control block.
 */
static int vmm_notify_offset(struct vmm_device *vm, unsigned int index,
			     u32 *off)
{
	u64 pos = vm->notify_base + (u64)index * vm->notify_mult;

	if (pos != VIRTIO_MMIO_QUEUE_NOTIFY &&
	    (pos % 4 || pos < VMM_REGS_SIZE || pos + 4 > vm->size)) {
		dev_err(vm->dev,
			"queue %u: notify address 0x%llx (base 0x%x + %u * %u) is not a 32-bit register past the control block of the %llu-byte window\n",
			index, (unsigned long long)pos, vm->notify_base, index,
			vm->notify_mult, (unsigned long long)vm->size);
		return -EINVAL;
	}
	*off = pos;
	return 0;
}

/* -------------------------------------------------------------- MSI --- */

static void vmm_msi_cmd(struct vmm_device *vm, u32 vec, u32 cmd)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vm->msi_lock, flags);
	vmm_wr(vm, VMM_MSI_VEC_SEL, vec);
	vmm_wr(vm, VMM_MSI_CMD, cmd);
	raw_spin_unlock_irqrestore(&vm->msi_lock, flags);
}

/*
 * MAP_CONFIG / MAP_QUEUE (the queue is the one in QueueSel) in sharing
 * mode.  The device answers on MsiVecSel: the vector, or NO_VECTOR when
 * it cannot map the event there.  Unmapping (NO_VECTOR) always works.
 */
static bool vmm_msi_map(struct vmm_device *vm, u32 cmd, u32 vec)
{
	unsigned long flags;
	u32 answer;

	raw_spin_lock_irqsave(&vm->msi_lock, flags);
	vmm_wr(vm, VMM_MSI_VEC_SEL, vec);
	vmm_wr(vm, VMM_MSI_CMD, cmd);
	answer = vec == VMM_NO_VECTOR ? vec : vmm_rd(vm, VMM_MSI_VEC_SEL);
	raw_spin_unlock_irqrestore(&vm->msi_lock, flags);
	return vec == VMM_NO_VECTOR || answer != VMM_NO_VECTOR;
}

/*
 * Called by the platform's MSI layer (irq_write_msi_msg) with the message
 * it composed for vector @vec: at activation, on affinity changes (from
 * irq context, hence the raw lock) and with all zeroes at deactivation.
 * The vector is masked while address and data change, so the device never
 * sends half of an old and half of a new message; an event meanwhile stays
 * pending and UNMASK delivers it to the new address.
 */
void vmm_msi_write_msg(struct vmm_device *vm, unsigned int vec,
		       u32 addr_lo, u32 addr_hi, u32 data)
{
	struct vmm_vector *v;
	unsigned long flags;

	if (!vm->vectors || vec >= vm->nvectors)
		return;
	v = &vm->vectors[vec];

	raw_spin_lock_irqsave(&vm->msi_lock, flags);
	vmm_wr(vm, VMM_MSI_VEC_SEL, vec);
	vmm_wr(vm, VMM_MSI_CMD, VMM_MSI_CMD_MASK);
	v->programmed = false;
	if (addr_lo || addr_hi || data) {
		vmm_wr(vm, VMM_MSI_ADDR_LO, addr_lo);
		vmm_wr(vm, VMM_MSI_ADDR_HI, addr_hi);
		vmm_wr(vm, VMM_MSI_DATA, data);
		vmm_wr(vm, VMM_MSI_CMD, VMM_MSI_CMD_CONFIGURE);
		if (vmm_rd(vm, VMM_MSI_VEC_SEL) == VMM_NO_VECTOR) {
			/* Reported by find_vqs, which can fall back. */
			vm->msi_refused = true;
		} else {
			v->addr_lo = addr_lo;
			v->addr_hi = addr_hi;
			v->data = data;
			v->programmed = true;
			if (v->live && vm->msi_enabled)
				vmm_wr(vm, VMM_MSI_CMD, VMM_MSI_CMD_UNMASK);
		}
	}
	raw_spin_unlock_irqrestore(&vm->msi_lock, flags);
}

/* Is MSI worth trying?  Says why not, once. */
static bool vmm_msi_usable(struct vmm_device *vm)
{
	u32 n, state;

	if (!vm->msi)
		return false;
	/* Asked first: without platform MSI no MSI register is touched. */
	if (!vmm_plat_msi_possible(vm))
		return false;

	n = vmm_rd(vm, VMM_MSI_VEC_NUM);
	state = vmm_rd(vm, VMM_MSI_STATE);
	if (!n || n > VMM_MSI_MAX_VECTORS) {
		vmm_log_once(vm, VMM_LOG_MSI_GARBAGE,
			     "MsiVecNum reads %u, expected 1..%u: not using MSI, using the wired interrupt\n",
			     n, VMM_MSI_MAX_VECTORS);
		return false;
	}
	vm->msi_dev_vectors = n;
	vm->msi_sharing = state & VMM_MSI_STATE_SHARING;
	return true;
}

/*
 * Vectors a mode needs.  Fixed mapping: 0 config, 1 + i queue i, so up to
 * the last queue that wants interrupts.  Sharing: config plus one per
 * callback queue, or config plus one for all of them.
 */
static unsigned int vmm_msi_nvec(struct vmm_device *vm,
				 enum vmm_irq_mode mode, unsigned int nvqs,
				 const struct vtio_vq_info info[])
{
	unsigned int i, ncb = 0, last = 0;

	for (i = 0; i < nvqs; i++) {
		if (info[i].name && info[i].callback) {
			ncb++;
			last = i + 1;
		}
	}
	if (mode == VMM_IRQ_MSI_SHARED)
		return ncb ? 2 : 1;
	return 1 + (vm->msi_sharing ? ncb : last);
}

static const char *vmm_then(enum vmm_irq_mode next)
{
	return next == VMM_IRQ_MSI_SHARED ?
		"trying one shared MSI vector for all queues" :
		"using the wired interrupt";
}

static int vmm_request_vector(struct vmm_device *vm, unsigned int vec,
			      irq_handler_t handler, void *data)
{
	struct vmm_vector *v = &vm->vectors[vec];
	int err;

	err = vmm_plat_request_irq(vm, vec, handler, v->name, data);
	if (err)
		return err;
	v->irq_data = data;
	v->live = true;
	return 0;
}

/*
 * First half of an MSI attempt: vectors from the platform, config changes
 * on vector 0.  -EAGAIN: this mode is not possible, *next says what to
 * try; the reason has been logged (once).
 */
static int vmm_msi_setup(struct vmm_device *vm, enum vmm_irq_mode mode,
			 unsigned int nvqs, const struct vtio_vq_info info[],
			 enum vmm_irq_mode *next)
{
	bool per_vq = mode == VMM_IRQ_MSI_PER_VQ;
	unsigned int nvec = vmm_msi_nvec(vm, mode, nvqs, info);
	int err;

	*next = per_vq && vm->msi_sharing ? VMM_IRQ_MSI_SHARED : VMM_IRQ_WIRED;

	if (!per_vq && !vm->msi_sharing) {
		vmm_log_once(vm, VMM_LOG_SHARED_DEVICE,
			     "device maps vectors statically (vector 1 + i for queue i), so queues cannot share one: %s\n",
			     vmm_then(*next));
		return -EAGAIN;
	}
	if (nvec > vm->msi_dev_vectors) {
		vmm_log_once(vm, per_vq ? VMM_LOG_PERVQ_VECTORS :
					  VMM_LOG_SHARED_VECTORS,
			     "%s needs %u MSI vectors, the device has %u: %s\n",
			     per_vq ? "one vector per queue" :
				      "a shared queue vector",
			     nvec, vm->msi_dev_vectors, vmm_then(*next));
		return -EAGAIN;
	}

	vm->vectors = kcalloc(nvec, sizeof(*vm->vectors), GFP_KERNEL);
	if (!vm->vectors)
		return -ENOMEM;
	vm->nvectors = nvec;

	err = vmm_plat_msi_alloc(vm, nvec);
	if (err) {
		vmm_log_once(vm, per_vq ? VMM_LOG_PERVQ_PLATFORM :
					  VMM_LOG_SHARED_PLATFORM,
			     "platform could not allocate %u MSI vectors (%d): %s\n",
			     nvec, err, vmm_then(*next));
		return -EAGAIN;
	}
	vm->msi_allocated = true;

	if (vm->msi_sharing &&
	    !vmm_msi_map(vm, VMM_MSI_CMD_MAP_CONFIG, VMM_VEC_CONFIG)) {
		vmm_log_once(vm, per_vq ? VMM_LOG_PERVQ_DEVICE :
					  VMM_LOG_SHARED_DEVICE,
			     "device answered NO_VECTOR to mapping config changes to vector %u: %s\n",
			     VMM_VEC_CONFIG, vmm_then(*next));
		return -EAGAIN;
	}

	snprintf(vm->vectors[VMM_VEC_CONFIG].name, VMM_IRQ_NAME_LEN,
		 "%s-config", dev_name(&vm->vdev.dev));
	err = vmm_request_vector(vm, VMM_VEC_CONFIG, vmm_config_interrupt, vm);
	if (err) {
		vmm_log_once(vm, per_vq ? VMM_LOG_PERVQ_PLATFORM :
					  VMM_LOG_SHARED_PLATFORM,
			     "cannot request the config MSI interrupt (%d): %s\n",
			     err, vmm_then(*next));
		return -EAGAIN;
	}
	return 0;
}

/*
 * Last step of an MSI attempt, once every handler is installed: check that
 * each vector got its message, switch the device to MSI and unmask.
 */
static int vmm_msi_enable(struct vmm_device *vm, enum vmm_irq_mode mode,
			  enum vmm_irq_mode *next)
{
	bool per_vq = mode == VMM_IRQ_MSI_PER_VQ;
	enum vmm_log_once what = per_vq ? VMM_LOG_PERVQ_DEVICE :
					  VMM_LOG_SHARED_DEVICE;
	unsigned long flags;
	unsigned int i;
	u32 state;

	for (i = 0; i < vm->nvectors; i++) {
		struct vmm_vector *v = &vm->vectors[i];

		if (v->live && !v->programmed) {
			vmm_log_once(vm, what,
				     "MSI vector %u has no message (%s): %s\n",
				     i, vm->msi_refused ?
				     "device answered NO_VECTOR to CONFIGURE" :
				     "the platform never composed one",
				     vmm_then(*next));
			return -EAGAIN;
		}
		/* Fixed-mapping vectors nobody listens on must stay quiet. */
		if (!v->live)
			vmm_msi_cmd(vm, i, VMM_MSI_CMD_MASK);
	}

	raw_spin_lock_irqsave(&vm->msi_lock, flags);
	vmm_wr(vm, VMM_MSI_CMD, VMM_MSI_CMD_ENABLE);
	state = vmm_rd(vm, VMM_MSI_STATE);
	vm->msi_enabled = state & VMM_MSI_STATE_ENABLED;
	raw_spin_unlock_irqrestore(&vm->msi_lock, flags);
	if (!vm->msi_enabled) {
		/* Not a question of vectors: no MSI mode can work. */
		*next = VMM_IRQ_WIRED;
		vmm_log_once(vm, what,
			     "device did not enable MSI (MsiState 0x%08x): %s\n",
			     state, vmm_then(*next));
		return -EAGAIN;
	}

	/* An event that came in while masked is delivered now. */
	for (i = 0; i < vm->nvectors; i++)
		if (vm->vectors[i].live)
			vmm_msi_cmd(vm, i, VMM_MSI_CMD_UNMASK);
	return 0;
}

/* ----------------------------------------------------------- interrupts -- */

irqreturn_t vmm_config_interrupt(int irq, void *data)
{
	struct vmm_device *vm = data;

	vtio_config_changed(&vm->vdev);
	return IRQ_HANDLED;
}

/* The shared queue vector: every queue mapped to it. */
irqreturn_t vmm_queues_interrupt(int irq, void *data)
{
	struct vmm_device *vm = data;
	irqreturn_t ret = IRQ_NONE;
	unsigned int i;

	for (i = 0; i < vm->nqueues; i++) {
		struct vmm_queue *q = &vm->queues[i];

		if (q->vq && q->vector == VMM_VEC_QUEUES &&
		    vtio_vq_interrupt(irq, q->vq) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	}
	return ret;
}

/*
 * The wired line, possibly shared with other devices: InterruptStatus says
 * whether it was us and what happened.  Undefined bits are ignored (virtio
 * 1.3, 4.2.2.2); all-ones is what a vanished device reads as.
 */
irqreturn_t vmm_wired_interrupt(int irq, void *data)
{
	struct vmm_device *vm = data;
	u32 status = vmm_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS);
	unsigned int i;

	if (status == U32_MAX)
		return IRQ_NONE;
	status &= VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG;
	if (!status)
		return IRQ_NONE;
	vmm_wr(vm, VIRTIO_MMIO_INTERRUPT_ACK, status);

	if (status & VIRTIO_MMIO_INT_CONFIG)
		vtio_config_changed(&vm->vdev);
	if (status & VIRTIO_MMIO_INT_VRING)
		for (i = 0; i < vm->nqueues; i++)
			if (vm->queues[i].vq)
				vtio_vq_interrupt(irq, vm->queues[i].vq);
	return IRQ_HANDLED;
}

/* -------------------------------------------------------------- queues -- */

/* Version 1: the device derives all three areas from one page number. */
static int vmm_setup_legacy_ring(struct vmm_device *vm, struct vtio_vq *vq,
				 unsigned int num)
{
	u64 desc = vtio_vq_desc_addr(vq);
	u64 pfn = desc >> VMM_LEGACY_PAGE_SHIFT;

	/*
	 * The legacy layout (virtio 1.3, 2.7.2) puts the available ring right
	 * after the descriptors and the used ring at the next QueueAlign
	 * boundary; the ring module must have laid it out exactly so.
	 */
	if (desc & (VMM_LEGACY_PAGE_SIZE - 1) ||
	    vtio_vq_driver_addr(vq) != desc + vtio_split_avail_offset(num) ||
	    vtio_vq_device_addr(vq) != desc + vtio_split_used_offset(num)) {
		dev_err(vm->dev,
			"queue %u: ring at 0x%llx is not in the legacy layout (page aligned, used ring on a %u-byte boundary)\n",
			vq->index, (unsigned long long)desc, VTIO_SPLIT_ALIGN);
		return -EINVAL;
	}
	if (!pfn || pfn > U32_MAX) {
		dev_err(vm->dev,
			"queue %u: ring at 0x%llx cannot be given as a 32-bit QueuePFN\n",
			vq->index, (unsigned long long)desc);
		return -EINVAL;
	}
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_ALIGN, VTIO_SPLIT_ALIGN);
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_PFN, (u32)pfn);
	return 0;
}

static void vmm_setup_modern_ring(struct vmm_device *vm, struct vtio_vq *vq)
{
	u64 desc = vtio_vq_desc_addr(vq);
	u64 driver = vtio_vq_driver_addr(vq);
	u64 device = vtio_vq_device_addr(vq);

	vmm_wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, lower_32_bits(desc));
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_DESC_HIGH, upper_32_bits(desc));
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_AVAIL_LOW, lower_32_bits(driver));
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, upper_32_bits(driver));
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_USED_LOW, lower_32_bits(device));
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_USED_HIGH, upper_32_bits(device));
}

/*
 * Create queue @index and program it (virtio 1.3, 4.2.3.2 and 4.2.4);
 * a modern queue stays not ready until the whole attempt has succeeded.
 */
static int vmm_setup_queue(struct vmm_device *vm, unsigned int index,
			   const struct vtio_vq_info *info, u32 vector,
			   enum vmm_irq_mode mode, enum vmm_irq_mode *next)
{
	struct vmm_queue *q = &vm->queues[index];
	bool (*notify)(struct vtio_vq *vq) = vmm_notify_index;
	struct vtio_vq *vq;
	u32 max, size, busy;
	int err;

	vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, index);
	busy = vmm_rd(vm, vmm_legacy(vm) ? VIRTIO_MMIO_QUEUE_PFN :
					   VIRTIO_MMIO_QUEUE_READY);
	if (busy) {
		dev_err(vm->dev, "queue %u (%s) is already in use (%s reads 0x%x)\n",
			index, info->name,
			vmm_legacy(vm) ? "QueuePFN" : "QueueReady", busy);
		return -EBUSY;
	}
	max = vmm_rd(vm, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!max) {
		dev_err(vm->dev, "queue %u (%s) does not exist (QueueNumMax is 0)\n",
			index, info->name);
		return -ENOENT;
	}
	if (max > VTIO_QUEUE_SIZE_MAX) {
		dev_err(vm->dev, "queue %u (%s): QueueNumMax %u exceeds the %u entries virtio allows\n",
			index, info->name, max, VTIO_QUEUE_SIZE_MAX);
		return -EINVAL;
	}
	size = info->size ? min(info->size, max) : max;
	/* Only the packed layout allows sizes that are not a power of 2. */
	if (!vtio_has_feature(&vm->vdev, VTIO_F_RING_PACKED))
		size = rounddown_pow_of_two(size);

	err = vmm_notify_offset(vm, index, &q->notify);
	if (err)
		return err;
	if (vtio_has_feature(&vm->vdev, VTIO_F_NOTIFICATION_DATA))
		notify = vmm_notify_data;

	vq = vtio_vq_create(&vm->vdev, index, size, max, notify, info->callback,
			    info->name, info->ctx, vm->dev);
	if (IS_ERR(vq)) {
		dev_err(vm->dev, "queue %u (%s): cannot create a %u-entry ring (%ld)\n",
			index, info->name, size, PTR_ERR(vq));
		return PTR_ERR(vq);
	}
	vq->priv = q;
	q->vq = vq;
	q->vector = vector;

	/* The ring may have settled on fewer entries than asked for. */
	size = vtio_vq_get_vring_size(vq);
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_NUM, size);
	if (vmm_legacy(vm)) {
		err = vmm_setup_legacy_ring(vm, vq, size);
		if (err)
			return err;
	} else {
		vmm_setup_modern_ring(vm, vq);
	}

	if (vm->msi_allocated && vm->msi_sharing &&
	    !vmm_msi_map(vm, VMM_MSI_CMD_MAP_QUEUE, vector)) {
		vmm_log_once(vm, mode == VMM_IRQ_MSI_PER_VQ ?
				 VMM_LOG_PERVQ_DEVICE : VMM_LOG_SHARED_DEVICE,
			     "device answered NO_VECTOR to mapping queue %u to vector %u: %s\n",
			     index, vector, vmm_then(*next));
		return -EAGAIN;
	}
	if (mode == VMM_IRQ_MSI_PER_VQ && vector != VMM_NO_VECTOR)
		snprintf(vm->vectors[vector].name, VMM_IRQ_NAME_LEN, "%s-%s",
			 dev_name(&vm->vdev.dev), info->name);
	return 0;
}

/* Request the queue interrupt(s) once every queue of the attempt exists. */
static int vmm_request_queue_irqs(struct vmm_device *vm,
				  enum vmm_irq_mode mode,
				  enum vmm_irq_mode *next)
{
	unsigned int i;
	int err;

	switch (mode) {
	case VMM_IRQ_MSI_PER_VQ:
		for (i = 0; i < vm->nqueues; i++) {
			struct vmm_queue *q = &vm->queues[i];

			if (!q->vq || q->vector == VMM_NO_VECTOR)
				continue;
			err = vmm_request_vector(vm, q->vector,
						 vtio_vq_interrupt, q->vq);
			if (err) {
				vmm_log_once(vm, VMM_LOG_PERVQ_PLATFORM,
					     "cannot request the MSI interrupt of queue %u (%d): %s\n",
					     i, err, vmm_then(*next));
				return -EAGAIN;
			}
		}
		return 0;
	case VMM_IRQ_MSI_SHARED:
		if (vm->nvectors <= VMM_VEC_QUEUES)
			return 0;	/* no queue wants interrupts */
		snprintf(vm->vectors[VMM_VEC_QUEUES].name, VMM_IRQ_NAME_LEN,
			 "%s-virtqueues", dev_name(&vm->vdev.dev));
		err = vmm_request_vector(vm, VMM_VEC_QUEUES,
					 vmm_queues_interrupt, vm);
		if (err) {
			vmm_log_once(vm, VMM_LOG_SHARED_PLATFORM,
				     "cannot request the shared queue MSI interrupt (%d): %s\n",
				     err, vmm_then(*next));
			return -EAGAIN;
		}
		return 0;
	default:
		if (vm->wired_irq < 0) {
			dev_err(vm->dev, "no wired interrupt line and no usable MSI: the device cannot signal\n");
			return -ENXIO;
		}
		snprintf(vm->wired_name, sizeof(vm->wired_name), "%s-wired",
			 dev_name(&vm->vdev.dev));
		err = vmm_plat_request_irq(vm, VMM_WIRED, vmm_wired_interrupt,
					   vm->wired_name, vm);
		if (err) {
			dev_err(vm->dev, "cannot request wired interrupt %d (%d)\n",
				vm->wired_irq, err);
			return err;
		}
		vm->wired_requested = true;
		return 0;
	}
}

static void vmm_free_irqs(struct vmm_device *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nvectors; i++) {
		struct vmm_vector *v = &vm->vectors[i];

		if (!v->irq_data)
			continue;
		vmm_plat_free_irq(vm, i, v->irq_data);
		v->irq_data = NULL;
		v->live = false;
	}
	if (vm->wired_requested) {
		vmm_plat_free_irq(vm, VMM_WIRED, vm);
		vm->wired_requested = false;
	}
}

/* Stop using a queue: the device must let go before the ring is freed. */
static void vmm_deactivate_queue(struct vmm_device *vm, unsigned int index)
{
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, index);
	if (vmm_legacy(vm)) {
		vmm_wr(vm, VIRTIO_MMIO_QUEUE_PFN, 0);
		return;
	}
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_READY, 0);
	/* virtio 1.3, 4.2.2.2: read it back to synchronise with the device */
	if (vmm_rd(vm, VIRTIO_MMIO_QUEUE_READY))
		dev_warn(vm->dev, "queue %u still reads ready after being stopped\n",
			 index);
}

/*
 * VIRTIO_F_RING_RESET (virtio 1.2, 4.2.2): write 1 to QueueReset; the
 * reset is done when QueueReset and QueueReady both read 0.  Only a
 * standard Version 2 device gets this far: get_features never lets the
 * feature through where 0x0c0 is an MSI register.
 */
int vmm_reset_vq(struct vtio_vq *vq)
{
	struct vmm_device *vm = to_vmm(vq->vdev);
	u32 reset = 0, ready = 0;
	unsigned int i;

	vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, vq->index);
	vmm_wr(vm, VMM_QUEUE_RESET, 1);
	for (i = 0; i < VMM_RESET_POLLS; i++) {
		reset = vmm_rd(vm, VMM_QUEUE_RESET);
		ready = vmm_rd(vm, VIRTIO_MMIO_QUEUE_READY);
		if (!reset && !ready)
			break;
		usleep_range(100, 200);
	}
	if (i == VMM_RESET_POLLS) {
		dev_err(vm->dev,
			"queue %u (%s) not reset after %u polls (QueueReset %u, QueueReady %u)\n",
			vq->index, vq->name, VMM_RESET_POLLS, reset, ready);
		return -ETIMEDOUT;
	}
	/* An interrupt raised before the reset may still be in its handler. */
	vmm_synchronize_cbs(vq->vdev);
	return 0;
}

/* After vmm_reset_vq: the (new) ring, ready again; the interrupt stays. */
int vmm_enable_vq(struct vtio_vq *vq)
{
	struct vmm_device *vm = to_vmm(vq->vdev);

	vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, vq->index);
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_NUM, vtio_vq_get_vring_size(vq));
	vmm_setup_modern_ring(vm, vq);
	vmm_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

/* Undo everything find_vqs (or a failed attempt of it) set up. */
static void vmm_teardown(struct vmm_device *vm)
{
	unsigned long flags;
	unsigned int i;

	/* Silence the device first, then take the handlers away. */
	if (vm->msi_allocated) {
		for (i = 0; i < vm->nvectors; i++)
			vmm_msi_cmd(vm, i, VMM_MSI_CMD_MASK);
		raw_spin_lock_irqsave(&vm->msi_lock, flags);
		if (vm->msi_enabled)
			vmm_wr(vm, VMM_MSI_CMD, VMM_MSI_CMD_DISABLE);
		vm->msi_enabled = false;
		raw_spin_unlock_irqrestore(&vm->msi_lock, flags);
		if (vm->msi_sharing) {
			vmm_msi_map(vm, VMM_MSI_CMD_MAP_CONFIG, VMM_NO_VECTOR);
			for (i = 0; i < vm->nqueues; i++) {
				if (!vm->queues[i].vq ||
				    vm->queues[i].vector == VMM_NO_VECTOR)
					continue;
				vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, i);
				vmm_msi_map(vm, VMM_MSI_CMD_MAP_QUEUE,
					    VMM_NO_VECTOR);
			}
		}
	}

	/* Handlers next: the shared and wired ones walk vm->queues. */
	vmm_free_irqs(vm);

	for (i = 0; i < vm->nqueues; i++) {
		struct vmm_queue *q = &vm->queues[i];

		if (!q->vq)
			continue;
		vmm_deactivate_queue(vm, i);
		vtio_vq_destroy(q->vq);
		q->vq = NULL;
	}

	if (vm->msi_allocated) {
		vmm_plat_msi_free(vm);
		vm->msi_allocated = false;
	}
	kfree(vm->vectors);
	vm->vectors = NULL;
	vm->nvectors = 0;
	vm->msi_refused = false;
	kfree(vm->queues);
	vm->queues = NULL;
	vm->nqueues = 0;
	WRITE_ONCE(vm->irq_mode, VMM_IRQ_NONE);
}

/* One complete find_vqs attempt in @mode; -EAGAIN: try *next. */
static int vmm_try_mode(struct vmm_device *vm, enum vmm_irq_mode mode,
			unsigned int nvqs, struct vtio_vq *vqs[],
			const struct vtio_vq_info info[],
			enum vmm_irq_mode *next)
{
	u32 vector, next_vector = VMM_VEC_QUEUES;
	unsigned int i;
	int err;

	*next = VMM_IRQ_WIRED;
	vm->queues = kcalloc(nvqs, sizeof(*vm->queues), GFP_KERNEL);
	if (!vm->queues)
		return -ENOMEM;
	vm->nqueues = nvqs;
	WRITE_ONCE(vm->irq_mode, mode);

	if (mode != VMM_IRQ_WIRED) {
		err = vmm_msi_setup(vm, mode, nvqs, info, next);
		if (err)
			goto fail;
	}

	/* Before any queue is set up (virtio 1.3, 4.2.4). */
	if (vmm_legacy(vm))
		vmm_wr(vm, VIRTIO_MMIO_GUEST_PAGE_SIZE, VMM_LEGACY_PAGE_SIZE);

	for (i = 0; i < nvqs; i++) {
		if (!info[i].name)
			continue;
		vector = VMM_NO_VECTOR;
		if (info[i].callback && mode == VMM_IRQ_MSI_PER_VQ)
			vector = vm->msi_sharing ? next_vector++ :
						   VMM_VEC_QUEUES + i;
		else if (info[i].callback && mode == VMM_IRQ_MSI_SHARED)
			vector = VMM_VEC_QUEUES;
		err = vmm_setup_queue(vm, i, &info[i], vector, mode, next);
		if (err)
			goto fail;
	}

	err = vmm_request_queue_irqs(vm, mode, next);
	if (err)
		goto fail;
	if (mode != VMM_IRQ_WIRED) {
		err = vmm_msi_enable(vm, mode, next);
		if (err)
			goto fail;
	}

	/* Last: a failed attempt never had a queue the device could use. */
	for (i = 0; i < nvqs; i++) {
		if (!vm->queues[i].vq)
			continue;
		if (!vmm_legacy(vm)) {
			vmm_wr(vm, VIRTIO_MMIO_QUEUE_SEL, i);
			vmm_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
		}
		vqs[i] = vm->queues[i].vq;
	}
	return 0;

fail:
	vmm_teardown(vm);
	return err;
}

int vmm_find_vqs(struct vtio_device *vdev, unsigned int nvqs,
		 struct vtio_vq *vqs[], const struct vtio_vq_info info[],
		 struct irq_affinity *desc)
{
	struct vmm_device *vm = to_vmm(vdev);
	enum vmm_irq_mode mode = vm->first_mode, next;
	unsigned int i;
	int err;

	if (vm->queues) {
		dev_err(vm->dev, "find_vqs called while queues already exist\n");
		return -EBUSY;
	}
	for (i = 0; i < nvqs; i++)
		vqs[i] = NULL;

	vmm_read_notify_cfg(vm);
	if (mode != VMM_IRQ_WIRED && !vmm_msi_usable(vm))
		mode = VMM_IRQ_WIRED;

	for (;;) {
		err = vmm_try_mode(vm, mode, nvqs, vqs, info, &next);
		if (err != -EAGAIN || mode == VMM_IRQ_WIRED)
			break;
		/* Only ever downhill: per-vq, shared, wired. */
		mode = next > mode ? next : VMM_IRQ_WIRED;
	}
	return err;
}

void vmm_del_vqs(struct vtio_device *vdev)
{
	vmm_teardown(to_vmm(vdev));
}

void vmm_synchronize_cbs(struct vtio_device *vdev)
{
	struct vmm_device *vm = to_vmm(vdev);
	unsigned int i;

	for (i = 0; i < vm->nvectors; i++)
		if (vm->vectors[i].irq_data)
			vmm_plat_sync_irq(vm, i);
	if (vm->wired_requested)
		vmm_plat_sync_irq(vm, VMM_WIRED);
}
