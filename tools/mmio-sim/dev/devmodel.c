// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio device model; see devmodel.h.  Register semantics follow
 * virtio 1.3 section 4.2 (Version 2), its legacy interface (Version 1) and
 * Documentation/mmio.rst for the MSI extension (Version 3).
 */
#include <linux/virtio_mmio.h>

#include "devmodel.h"

#define MSI_VEC_NUM	0x0c0
#define MSI_STATE	0x0c4
#define MSI_CMD		0x0c8
#define MSI_VEC_SEL	0x0d0
#define MSI_ADDR_LO	0x0d4
#define MSI_ADDR_HI	0x0d8
#define MSI_DATA	0x0dc
#define STATUS_FEATURES_OK	0x08

static struct dm *cur;

static void violation(struct dm *dm, const char *fmt, ...)
	__printf(2, 3);

static void violation(struct dm *dm, const char *fmt, ...)
{
	va_list ap;

	if (!dm->violations++) {
		va_start(ap, fmt);
		vsnprintf(dm->violation, sizeof(dm->violation), fmt, ap);
		va_end(ap);
	}
}

static void dm_reset(struct dm *dm)
{
	unsigned int i;

	dm->status = 0;
	dm->dev_feat_sel = 0;
	dm->drv_feat_sel = 0;
	dm->driver_features = 0;
	dm->int_status = 0;
	dm->queue_sel = 0;
	dm->queue_reset_reads = 0;
	for (i = 0; i < DM_MAX_VQ; i++) {
		struct dm_vq *q = &dm->vq[i];

		q->num = 0;
		q->ready = 0;
		q->pfn = 0;
		q->align = 0;
		q->desc = q->driver = q->device = 0;
		q->vector = DM_NO_VECTOR;
	}
	dm->msi_enabled = false;
	for (i = 0; i < DM_MAX_VEC; i++) {
		dm->vec[i].configured = false;
		dm->vec[i].masked = true;
		dm->vec[i].pending = false;
	}
	dm->config_vector = DM_NO_VECTOR;
	dm->reset_reads = dm->reset_busy;
}

void dm_init(struct dm *dm, u32 version, u32 device_id, u64 features)
{
	memset(dm, 0, sizeof(*dm));
	dm->magic = 0x74726976;
	dm->version = version;
	dm->device_id = device_id;
	dm->vendor_id = 0x554d4551;
	dm->features = features;
	dm->size = 0x200;
	dm->nvq = 3;
	dm->num_max = 256;
	dm->msi = version == 3;
	dm->msi_nvec = 8;
	dm_reset(dm);
	dm->reset_reads = 0;
	dm->msi_answer = 0;
}

void dm_attach(struct dm *dm)
{
	cur = dm;
}

void dm_trace_clear(struct dm *dm)
{
	dm->ntrace = 0;
}

void dm_trace_dump(const struct dm *dm, unsigned int from)
{
	unsigned int i;

	for (i = from; i < dm->ntrace; i++)
		fprintf(stderr, "#   %c%u 0x%03x 0x%08x\n", dm->trace[i].op,
			dm->trace[i].size * 8, dm->trace[i].off, dm->trace[i].val);
}

unsigned int dm_count(const struct dm *dm, unsigned int from, u32 lo, u32 hi)
{
	unsigned int i, n = 0;

	for (i = from; i < dm->ntrace; i++)
		if (dm->trace[i].off >= lo && dm->trace[i].off < hi)
			n++;
	return n;
}

static void record(struct dm *dm, char op, unsigned int size, u32 off, u32 val)
{
	if (dm->ntrace < DM_MAX_TRACE)
		dm->trace[dm->ntrace++] = (struct dm_access){ op, size, off, val };
}

/* ------------------------------------------------------------- MSI --- */

static void deliver(struct dm *dm, u32 v)
{
	struct dm_vec *vec = &dm->vec[v];

	if (dm->nsent < DM_MAX_SENT)
		dm->sent[dm->nsent++] = (struct dm_msg){ vec->addr_lo,
							 vec->addr_hi,
							 vec->data };
	sim_msi_deliver(vec->addr_lo, vec->addr_hi, vec->data);
}

static void fire(struct dm *dm, u32 v)
{
	if (v == DM_NO_VECTOR || v >= dm->msi_nvec || !dm->vec[v].configured) {
		dm->lost++;
		return;
	}
	if (dm->vec[v].masked) {
		dm->vec[v].pending = true;
		return;
	}
	deliver(dm, v);
}

static bool msi_vec_ok(struct dm *dm, u32 v)
{
	return v < dm->msi_nvec && v < DM_MAX_VEC;
}

static void msi_map(struct dm *dm, u32 *slot)
{
	u32 v = dm->msi_vec_sel;

	if (v == DM_NO_VECTOR) {
		*slot = DM_NO_VECTOR;
		dm->msi_answer = DM_NO_VECTOR;
	} else if (!msi_vec_ok(dm, v) || (dm->map_limit && v >= dm->map_limit)) {
		dm->msi_answer = DM_NO_VECTOR;
	} else {
		*slot = v;
		dm->msi_answer = v;
	}
}

static void msi_cmd(struct dm *dm, u32 cmd)
{
	u32 v = dm->msi_vec_sel;
	struct dm_vec *vec = msi_vec_ok(dm, v) ? &dm->vec[v] : NULL;

	switch (cmd) {
	case 1:	/* ENABLE */
		if (!dm->refuse_enable)
			dm->msi_enabled = true;
		break;
	case 2:	/* DISABLE */
		dm->msi_enabled = false;
		break;
	case 3:	/* CONFIGURE */
		if (!vec || dm->refuse_configure) {
			dm->msi_answer = DM_NO_VECTOR;
			break;
		}
		vec->addr_lo = dm->msi_addr_lo;
		vec->addr_hi = dm->msi_addr_hi;
		vec->data = dm->msi_data;
		vec->configured = true;
		dm->msi_answer = v;
		break;
	case 4:	/* MASK */
		if (!vec) {
			dm->msi_answer = DM_NO_VECTOR;
			break;
		}
		vec->masked = true;
		break;
	case 5:	/* UNMASK: deliver what came in while masked */
		if (!vec) {
			dm->msi_answer = DM_NO_VECTOR;
			break;
		}
		vec->masked = false;
		if (vec->pending && vec->configured) {
			vec->pending = false;
			deliver(dm, v);
		}
		break;
	case 6:	/* MAP_CONFIG */
	case 7:	/* MAP_QUEUE */
		if (!dm->msi_sharing) {
			violation(dm, "MAP command %u on a device with the fixed vector mapping",
				  cmd);
			break;
		}
		if (cmd == 6)
			msi_map(dm, &dm->config_vector);
		else if (dm->queue_sel < dm->nvq)
			msi_map(dm, &dm->vq[dm->queue_sel].vector);
		else
			dm->msi_answer = DM_NO_VECTOR;
		break;
	default:
		violation(dm, "unknown MSI command %u", cmd);
		break;
	}
	if (dm->on_msi_cmd)
		dm->on_msi_cmd(dm, cmd, v);
}

void dm_signal_queue(struct dm *dm, unsigned int q)
{
	if (dm->msi_enabled) {
		fire(dm, dm->msi_sharing ? dm->vq[q].vector : 1 + q);
		return;
	}
	dm->int_status |= VIRTIO_MMIO_INT_VRING;
	sim_wired_raise();
}

void dm_signal_config(struct dm *dm)
{
	dm->config_gen++;
	if (dm->msi_enabled) {
		fire(dm, dm->msi_sharing ? dm->config_vector : 0);
		return;
	}
	dm->int_status |= VIRTIO_MMIO_INT_CONFIG;
	sim_wired_raise();
}

/* ------------------------------------------------------- registers --- */

static bool notify_cfg_readable(struct dm *dm)
{
	return dm->version == 3 ||
	       (dm->version == 2 && (dm->driver_features & BIT_ULL(39)));
}

static bool msi_present(struct dm *dm)
{
	return dm->msi && (dm->version == 3 ||
			   (dm->driver_features & BIT_ULL(40)));
}

/* QueueReset (virtio 1.2): a standard Version 2 device with RING_RESET. */
static bool queue_reset_present(struct dm *dm)
{
	return dm->version == 2 && !dm->msi &&
	       (dm->driver_features & BIT_ULL(40));
}

/* The selected queue back to its state after a device reset. */
static void queue_reset(struct dm *dm, struct dm_vq *q)
{
	q->num = 0;
	q->ready = 0;
	q->desc = q->driver = q->device = 0;
	q->vector = DM_NO_VECTOR;
	dm->queue_resets++;
	dm->queue_reset_reads = dm->queue_reset_busy;
}

/* Is @off one of the per-queue notification registers? */
static bool is_notify(struct dm *dm, u32 off)
{
	unsigned int i;

	if (off == VIRTIO_MMIO_QUEUE_NOTIFY)
		return true;
	if (!notify_cfg_readable(dm) || !dm->notify_cfg)
		return false;
	for (i = 0; i < dm->nvq; i++)
		if (off == (dm->notify_cfg & 0xffff) + i * (dm->notify_cfg >> 16))
			return true;
	return false;
}

static u32 lcg(void)
{
	static u32 x = 12345;

	x = x * 1103515245 + 12345;
	return x;
}

static u32 dm_read(struct dm *dm, u32 off, unsigned int size)
{
	struct dm_vq *q = &dm->vq[dm->queue_sel % DM_MAX_VQ];
	bool legacy = dm->version == 1;

	if (dm->garbage)
		return lcg();
	if (dm->id_was_zero && off > VIRTIO_MMIO_DEVICE_ID)
		violation(dm, "read 0x%03x after DeviceID read 0", off);
	if (off >= VIRTIO_MMIO_CONFIG) {
		u32 v = 0;

		memcpy(&v, &dm->config[off - VIRTIO_MMIO_CONFIG], size);
		return v;
	}
	if (size != 4)
		violation(dm, "%u-bit read of control register 0x%03x", size * 8, off);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return dm->magic;
	case VIRTIO_MMIO_VERSION:
		return dm->version;
	case VIRTIO_MMIO_DEVICE_ID:
		dm->id_was_zero = !dm->device_id;
		return dm->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return dm->vendor_id;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (dm->dev_feat_sel > 1)
			return 0;
		return (u32)(dm->features >> (32 * dm->dev_feat_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		if (legacy && q->pfn)
			violation(dm, "QueueNumMax read while QueuePFN is set");
		return dm->queue_sel < dm->nvq ? dm->num_max : 0;
	case VIRTIO_MMIO_QUEUE_PFN:
		if (!legacy)
			break;
		return dm->queue_busy ? 0x1234 : q->pfn;
	case VIRTIO_MMIO_QUEUE_READY:
		if (legacy)
			break;
		return dm->queue_busy ? 1 : q->ready;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (!notify_cfg_readable(dm))
			break;
		return dm->notify_cfg;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return dm->int_status;
	case VIRTIO_MMIO_STATUS:
		if (dm->reset_reads) {
			dm->reset_reads--;
			return 0x1;
		}
		return dm->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		if (legacy)
			break;
		return dm->config_gen;
	case MSI_VEC_NUM:
	case MSI_STATE:
	case MSI_VEC_SEL:
		if (off == MSI_VEC_NUM && queue_reset_present(dm)) {
			if (dm->queue_reset_stuck)
				return 1;
			if (dm->queue_reset_reads) {
				dm->queue_reset_reads--;
				return 1;
			}
			return 0;
		}
		if (!msi_present(dm)) {
			violation(dm, "read 0x%03x (QueueReset / MSI block) on a device without MSI",
				  off);
			return 0;
		}
		if (off == MSI_VEC_NUM)
			return dm->msi_nvec;
		if (off == MSI_STATE)
			return (dm->msi_enabled ? BIT(31) : 0) |
			       (dm->msi_sharing ? BIT(30) : 0);
		return dm->msi_answer;
	}
	violation(dm, "read of write-only or undefined register 0x%03x", off);
	return 0;
}

static void dm_write(struct dm *dm, u32 off, unsigned int size, u32 val)
{
	struct dm_vq *q = &dm->vq[dm->queue_sel % DM_MAX_VQ];
	bool legacy = dm->version == 1;

	if (dm->garbage)
		return;
	if (dm->id_was_zero)
		violation(dm, "write 0x%03x after DeviceID read 0", off);
	if (is_notify(dm, off)) {
		if (size != 4)
			violation(dm, "%u-bit notification", size * 8);
		if (dm->nnotify < DM_MAX_NOTIFY) {
			dm->notify[dm->nnotify].off = off;
			dm->notify[dm->nnotify++].val = val;
		}
		return;
	}
	if (off >= VIRTIO_MMIO_CONFIG) {
		memcpy(&dm->config[off - VIRTIO_MMIO_CONFIG], &val, size);
		return;
	}
	if (size != 4)
		violation(dm, "%u-bit write of control register 0x%03x", size * 8, off);

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		dm->dev_feat_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (dm->drv_feat_sel == 0)
			dm->driver_features = (dm->driver_features & ~0xffffffffULL) | val;
		else if (dm->drv_feat_sel == 1)
			dm->driver_features = (dm->driver_features & 0xffffffffULL) |
					      (u64)val << 32;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		dm->drv_feat_sel = val;
		return;
	case VIRTIO_MMIO_GUEST_PAGE_SIZE:
		if (!legacy)
			break;
		dm->guest_page_size = val;
		return;
	case VIRTIO_MMIO_QUEUE_SEL:
		dm->queue_sel = val;
		return;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (val > dm->num_max || (!legacy && q->ready))
			violation(dm, "QueueNum %u (max %u, ready %u)", val,
				  dm->num_max, q->ready);
		q->num = val;
		return;
	case VIRTIO_MMIO_QUEUE_ALIGN:
		if (!legacy)
			break;
		q->align = val;
		return;
	case VIRTIO_MMIO_QUEUE_PFN:
		if (!legacy)
			break;
		if (val && !dm->guest_page_size)
			violation(dm, "QueuePFN before GuestPageSize");
		q->pfn = val;
		return;
	case VIRTIO_MMIO_QUEUE_READY:
		if (legacy)
			break;
		q->ready = val & 1;
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		dm->int_status &= ~val;
		return;
	case VIRTIO_MMIO_STATUS:
		if (!val) {
			dm_reset(dm);
			return;
		}
		if (legacy && (val & STATUS_FEATURES_OK))
			violation(dm, "FEATURES_OK written to a legacy device");
		if (!legacy && (val & STATUS_FEATURES_OK) &&
		    (dm->driver_features & ~dm->features))
			val &= ~STATUS_FEATURES_OK;
		dm->status = val;
		return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		if (legacy)
			break;
		if (q->ready)
			violation(dm, "queue address written while ready");
		switch (off) {
		case VIRTIO_MMIO_QUEUE_DESC_LOW:
			q->desc = (q->desc & ~0xffffffffULL) | val;
			break;
		case VIRTIO_MMIO_QUEUE_DESC_HIGH:
			q->desc = (q->desc & 0xffffffffULL) | (u64)val << 32;
			break;
		case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
			q->driver = (q->driver & ~0xffffffffULL) | val;
			break;
		case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
			q->driver = (q->driver & 0xffffffffULL) | (u64)val << 32;
			break;
		case VIRTIO_MMIO_QUEUE_USED_LOW:
			q->device = (q->device & ~0xffffffffULL) | val;
			break;
		default:
			q->device = (q->device & 0xffffffffULL) | (u64)val << 32;
			break;
		}
		return;
	case MSI_CMD:
	case MSI_VEC_SEL:
	case MSI_ADDR_LO:
	case MSI_ADDR_HI:
	case MSI_DATA:
		if (!msi_present(dm)) {
			violation(dm, "write 0x%03x (MSI block) on a device without MSI",
				  off);
			return;
		}
		if (off == MSI_CMD)
			msi_cmd(dm, val);
		else if (off == MSI_VEC_SEL)
			dm->msi_vec_sel = dm->msi_answer = val;
		else if (off == MSI_ADDR_LO)
			dm->msi_addr_lo = val;
		else if (off == MSI_ADDR_HI)
			dm->msi_addr_hi = val;
		else
			dm->msi_data = val;
		return;
	case MSI_VEC_NUM:	/* QueueReset on a standard device */
		if (!queue_reset_present(dm))
			violation(dm, "write 0x0c0 (QueueReset / MsiVecNum)");
		else if (val != 1 || dm->queue_sel >= dm->nvq)
			violation(dm, "QueueReset write of %u to queue %u", val,
				  dm->queue_sel);
		else
			queue_reset(dm, q);
		return;
	}
	violation(dm, "write of read-only or undefined register 0x%03x", off);
}

/* --------------------------------------------------- shim accessors --- */

static u32 offset_of(const volatile void *addr, unsigned int size)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)cur->window;

	if (a < base || a + size > base + cur->size) {
		violation(cur, "access at window offset %ld outside the %u-byte window",
			  (long)(a - base), cur->size);
		return DM_WINDOW;
	}
	return a - base;
}

u32 sim_mmio_read(const volatile void *addr, unsigned int size)
{
	u32 off = offset_of(addr, size), v;

	if (off >= DM_WINDOW)
		return U32_MAX;
	v = dm_read(cur, off, size);
	record(cur, 'R', size, off, v);
	return v;
}

void sim_mmio_write(volatile void *addr, unsigned int size, u32 val)
{
	u32 off = offset_of(addr, size);

	if (off >= DM_WINDOW)
		return;
	record(cur, 'W', size, off, val);
	dm_write(cur, off, size, val);
}
