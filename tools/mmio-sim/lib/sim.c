// SPDX-License-Identifier: GPL-2.0
/*
 * Platform fakes (the vmm_plat_*() hooks of mmio/mmio.h), ring and core
 * stubs, and the recorded log.  The platform composes MSI messages the way
 * the kernel's MSI layer does: it calls vmm_msi_write_msg() for every
 * vector at allocation (or at request_irq with compose_late), with zeroes
 * when freeing, and again on an affinity change.
 */
#include "sim.h"
#include "vtio_ring_layout.h"

struct sim_plat plat;
int sim_locks_held;
unsigned int sim_vqs_live;
unsigned int sim_config_changes;
int sim_fail_vq_create = -1;
bool sim_bad_layout;
u64 sim_vq_base = 0x10000000;

/* ------------------------------------------------------------- log --- */

#define SIM_LOG_LINES	256
static char sim_lines[SIM_LOG_LINES][256];
static unsigned int sim_nlines;

void sim_log(const char *level, const struct device *dev, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s %s: ", level, dev_name(dev));
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (sim_nlines < SIM_LOG_LINES)
		strcpy(sim_lines[sim_nlines++], buf);
	if (getenv("MMIO_SIM_VERBOSE"))
		fprintf(stderr, "#   log: %s", buf);
}

void sim_log_clear(void)
{
	sim_nlines = 0;
}

unsigned int sim_log_count(const char *needle)
{
	unsigned int i, n = 0;

	for (i = 0; i < sim_nlines; i++)
		if (strstr(sim_lines[i], needle))
			n++;
	return n;
}

void sim_log_dump(void)
{
	unsigned int i;

	for (i = 0; i < sim_nlines; i++)
		fprintf(stderr, "#   log: %s", sim_lines[i]);
}

/* -------------------------------------------------------- platform --- */

u32 sim_msg_addr(unsigned int v)
{
	return 0xfee00000 | (plat.affinity_epoch << 12) | (v << 4);
}

u32 sim_msg_data(unsigned int v)
{
	return 0x4000 + v;
}

static void compose(unsigned int v)
{
	vmm_msi_write_msg(plat.vm, v, sim_msg_addr(v), 0, sim_msg_data(v));
}

void sim_set_affinity(unsigned int v)
{
	plat.affinity_epoch++;
	compose(v);
}

bool vmm_plat_msi_possible(struct vmm_device *vm)
{
	if (plat.msi_possible)
		return true;
	vmm_log_once(vm, VMM_LOG_NO_PLATFORM_MSI,
		     "MSI-capable device (Version %u) but sim: no MSI irq domain: using the wired interrupt\n",
		     vm->version);
	return false;
}

int vmm_plat_msi_alloc(struct vmm_device *vm, unsigned int nvec)
{
	unsigned int v;

	if (plat.nvec)
		return -EBUSY;	/* the driver leaked an earlier allocation */
	if (nvec > SIM_MAX_VEC || (plat.msi_max && nvec > plat.msi_max))
		return -ENOSPC;
	plat.vm = vm;
	plat.nvec = nvec;
	plat.allocs++;
	if (!plat.compose_late)
		for (v = 0; v < nvec; v++)
			compose(v);
	return 0;
}

void vmm_plat_msi_free(struct vmm_device *vm)
{
	unsigned int v;

	/* Deactivation: the MSI layer writes an all-zero message. */
	for (v = 0; v < plat.nvec; v++)
		vmm_msi_write_msg(vm, v, 0, 0, 0);
	plat.nvec = 0;
	plat.frees++;
}

static struct sim_irq *sim_irq_of(unsigned int vec)
{
	if (vec == VMM_WIRED)
		return &plat.wired;
	if (vec >= plat.nvec)
		return NULL;
	return &plat.vec[vec];
}

int vmm_plat_request_irq(struct vmm_device *vm, unsigned int vec,
			 irq_handler_t handler, const char *name, void *data)
{
	struct sim_irq *irq = sim_irq_of(vec);

	if (!irq || irq->handler)
		return -EINVAL;
	if (plat.fail_request >= 0 && vec == (unsigned int)plat.fail_request)
		return -EBUSY;
	irq->handler = handler;
	irq->data = data;
	snprintf(irq->name, sizeof(irq->name), "%s", name);
	if (plat.compose_late && vec != VMM_WIRED)
		compose(vec);
	return 0;
}

void vmm_plat_free_irq(struct vmm_device *vm, unsigned int vec, void *data)
{
	struct sim_irq *irq = sim_irq_of(vec);

	if (!irq || !irq->handler || irq->data != data) {
		fprintf(stderr, "# free_irq of vector %u that is not requested with this data\n",
			vec);
		abort();
	}
	irq->handler = NULL;
	irq->data = NULL;
	irq->name[0] = '\0';
}

void vmm_plat_sync_irq(struct vmm_device *vm, unsigned int vec)
{
	struct sim_irq *irq = sim_irq_of(vec);

	if (irq)
		irq->syncs++;
}

void sim_msi_deliver(u32 addr_lo, u32 addr_hi, u32 data)
{
	unsigned int v;

	for (v = 0; v < plat.nvec; v++) {
		struct sim_irq *irq = &plat.vec[v];

		if (addr_lo == sim_msg_addr(v) && !addr_hi &&
		    data == sim_msg_data(v) && irq->handler) {
			irq->calls++;
			irq->handler(100 + v, irq->data);
			return;
		}
	}
	plat.stray++;
}

void sim_wired_raise(void)
{
	if (!plat.wired.handler) {
		plat.unhandled++;
		return;
	}
	plat.wired.calls++;
	if (plat.wired.handler(5, plat.wired.data) == IRQ_NONE)
		plat.unhandled++;
}

/* ------------------------------------------------------ ring stubs --- */

struct sim_vq *sim_vq(struct vtio_vq *vq)
{
	return container_of(vq, struct sim_vq, vq);
}

struct vtio_vq *vtio_vq_create(struct vtio_device *vdev, unsigned int index,
			       unsigned int num, unsigned int num_max,
			       bool (*notify)(struct vtio_vq *vq),
			       vtio_vq_callback_t *callback, const char *name,
			       bool ctx, struct device *dma_dev)
{
	struct sim_vq *s;

	if ((int)index == sim_fail_vq_create)
		return ERR_PTR(-ENOMEM);
	if (!num || num > VTIO_QUEUE_SIZE_MAX ||
	    (!vtio_has_feature(vdev, VTIO_F_RING_PACKED) && !is_power_of_2(num)))
		return ERR_PTR(-EINVAL);
	s = calloc(1, sizeof(*s));
	s->vq.vdev = vdev;
	s->vq.index = index;
	s->vq.name = name;
	s->vq.callback = callback;
	s->vq.num_max = num_max;
	s->notify = notify;
	s->num = num;
	/* The ring module's layout: legacy split, or the packed areas. */
	s->desc = sim_vq_base + (u64)index * 0x100000;
	if (vtio_has_feature(vdev, VTIO_F_RING_PACKED)) {
		s->driver = s->desc + 16ULL * num;
		s->device = s->driver + 4;
	} else {
		s->driver = s->desc + vtio_split_avail_offset(num);
		s->device = s->desc + vtio_split_used_offset(num);
	}
	if (sim_bad_layout)
		s->device += 64;
	sim_vqs_live++;
	return &s->vq;
}

void vtio_vq_destroy(struct vtio_vq *vq)
{
	sim_vqs_live--;
	free(sim_vq(vq));
}

dma_addr_t vtio_vq_desc_addr(const struct vtio_vq *vq)
{
	return container_of(vq, struct sim_vq, vq)->desc;
}

dma_addr_t vtio_vq_driver_addr(const struct vtio_vq *vq)
{
	return container_of(vq, struct sim_vq, vq)->driver;
}

dma_addr_t vtio_vq_device_addr(const struct vtio_vq *vq)
{
	return container_of(vq, struct sim_vq, vq)->device;
}

unsigned int vtio_vq_get_vring_size(const struct vtio_vq *vq)
{
	return container_of(vq, struct sim_vq, vq)->num;
}

/* vqn | next_idx << 16, with a recognisable next_idx. */
u32 vtio_vq_notification_data(const struct vtio_vq *vq)
{
	return vq->index | 0xabc0000;
}

irqreturn_t vtio_vq_interrupt(int irq, void *opaque)
{
	struct sim_vq *s = sim_vq(opaque);

	s->interrupts++;
	return IRQ_HANDLED;
}

void vtio_config_changed(struct vtio_device *vdev)
{
	sim_config_changes++;
}

void sim_reset_all(void)
{
	memset(&plat, 0, sizeof(plat));
	plat.fail_request = -1;
	plat.msi_possible = true;
	sim_vqs_live = 0;
	sim_config_changes = 0;
	sim_fail_vq_create = -1;
	sim_bad_layout = false;
	sim_vq_base = 0x10000000;
	sim_locks_held = 0;
	sim_log_clear();
}
