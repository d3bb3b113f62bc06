// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio register protocol (mmio/proto.c, unchanged) against the
 * device model: discovery, status and feature handshake, queue setup per
 * version, the MSI extension in both mapping modes, masking, every
 * interrupt fallback, notification addresses and hostile devices.
 *
 * Prints one "ok"/"not ok" line per test and ends with "N passed, N failed".
 */
#include "helpers.h"

#include <linux/virtio_mmio.h>

#define MSI_NUM		0x0c0
#define MSI_STATE	0x0c4
#define MSI_CMD		0x0c8
#define MSI_SEL		0x0d0
#define MSI_LO		0x0d4
#define MSI_HI		0x0d8
#define MSI_DATA	0x0dc
#define MSI_END		0x0e0
#define NOV		0xffffffffU

#define V1F		BIT_ULL(VTIO_F_VERSION_1)
#define MRG		BIT_ULL(15)	/* VIRTIO_NET_F_MRG_RXBUF */

static void cb(struct vtio_vq *vq)
{
}

/* The net driver's queues: rx and tx interrupt, control polls. */
static const struct vtio_vq_info net3[] = {
	{ .name = "input.0", .callback = cb },
	{ .name = "output.0", .callback = cb },
	{ .name = "control" },
};

/* A callback-less queue between two that want interrupts. */
static const struct vtio_vq_info gap3[] = {
	{ .name = "input.0", .callback = cb },
	{ .name = "control" },
	{ .name = "output.0", .callback = cb },
};

static u64 qdesc(unsigned int i)
{
	return 0x10000000ULL + i * 0x100000ULL;
}

static struct fx F;
static struct fx *f = &F;

/* Bring a device up to find_vqs; returns the trace index after probe. */
static unsigned int up(u64 drv)
{
	int err = core_probe(f, drv);

	CHECK(err == 0);
	return f->dm.ntrace;
}

/* Common end-of-test hygiene: no lock held, no protocol violation. */
static void sane(void)
{
	CHECK(sim_locks_held == 0);
	if (f->dm.violations)
		fprintf(stderr, "#   device saw %u violations, first: %s\n",
			f->dm.violations, f->dm.violation);
	CHECK(f->dm.violations == 0);
}

/* Everything find_vqs built is gone again. */
static void all_released(void)
{
	unsigned int i;

	CHECK(sim_vqs_live == 0);
	CHECK(plat.nvec == 0);
	CHECK(!plat.wired.handler);
	for (i = 0; i < SIM_MAX_VEC; i++)
		CHECK(!plat.vec[i].handler);
	for (i = 0; i < f->dm.nvq; i++)
		CHECK(!f->dm.vq[i].ready && !f->dm.vq[i].pfn);
	CHECK(!f->dm.msi_enabled);
	CHECK(f->vm->irq_mode == VMM_IRQ_NONE);
	CHECK(!f->vm->queues && !f->vm->vectors);
}

/* ---------------------------------------------------------- discovery -- */

static void t_bad_magic(void)
{
	fx_init(f, 2, V1F);
	f->dm.magic = 0x12345678;
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("not a virtio-mmio device: magic value 0x12345678") == 1);
	CHECK(f->dm.ntrace == 1);
	sane();
}

static void t_bad_version(void)
{
	fx_init(f, 4, V1F);
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("unsupported virtio-mmio version 4") == 1);
	fx_init(f, 0, V1F);
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("unsupported virtio-mmio version 0") == 1);
	sane();
}

/* A placeholder slot: no message, and nothing touched after DeviceID. */
static void t_id_zero_quiet(void)
{
	fx_init(f, 2, V1F);
	f->dm.device_id = 0;
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("") == 0);
	EXPECT_SEQ(f, 0, 0, 0x1000, RV(0x000, 0x74726976), RV(0x004, 2),
		   RV(0x008, 0));
	sane();
}

static void t_garbage_rejected(void)
{
	fx_init(f, 2, V1F);
	f->dm.device_id = 0xffffffff;
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("device id 0xffffffff is not a virtio device type") == 1);

	/* A device answering random values never gets past the magic. */
	fx_init(f, 2, V1F);
	f->dm.garbage = true;
	CHECK(vmm_check_device(f->vm) == -ENODEV);
	CHECK(sim_log_count("not a virtio-mmio device") == 1);

	/* A window too small for the registers is not even read. */
	fx_init(f, 2, V1F);
	f->vm->size = 0x80;
	CHECK(vmm_check_device(f->vm) == -EINVAL);
	CHECK(sim_log_count("the control registers alone need 256") == 1);
	CHECK(f->dm.ntrace == 0);
}

static void t_good_devices(void)
{
	u32 v;

	for (v = 1; v <= 3; v++) {
		fx_init(f, v, v == 1 ? MRG : V1F);
		f->dm.vendor_id = 0x1af4;
		CHECK(vmm_check_device(f->vm) == 0);
		CHECK(f->vm->version == v);
		CHECK(f->vm->vdev.id.device == 1);
		CHECK(f->vm->vdev.id.vendor == 0x1af4);
		CHECK(sim_log_count("") == 0);
		sane();
	}
}

/* ------------------------------------------------------ handshake ----- */

static void t_handshake_v2(void)
{
	fx_init(f, 2, V1F | MRG | BIT_ULL(VTIO_F_EVENT_IDX));
	up(MRG);
	core_ready(f);
	/* reset (write 0, read until 0), ACK, DRIVER, FEATURES_OK, check */
	EXPECT_SEQ(f, 0, 0x070, 0x074,
		   W(0x070, 0), RV(0x070, 0),
		   RV(0x070, 0), W(0x070, 0x1),
		   RV(0x070, 0x1), W(0x070, 0x3),
		   RV(0x070, 0x3), W(0x070, 0xb),
		   RV(0x070, 0xb),
		   RV(0x070, 0xb), W(0x070, 0xf));
	/* DeviceFeaturesSel before each read, DriverFeaturesSel before each write */
	EXPECT_SEQ(f, 0, 0x010, 0x028,
		   W(0x014, 0), RV(0x010, (u32)(MRG | BIT_ULL(VTIO_F_EVENT_IDX))),
		   W(0x014, 1), RV(0x010, 1),
		   W(0x024, 0), W(0x020, (u32)(MRG | BIT_ULL(VTIO_F_EVENT_IDX))),
		   W(0x024, 1), W(0x020, 1));
	CHECK(f->dm.status == 0xf);
	sane();
}

/* Legacy: no FEATURES_OK, and no second feature word. */
static void t_handshake_v1(void)
{
	fx_init(f, 1, MRG);
	up(MRG);
	core_ready(f);
	EXPECT_SEQ(f, 0, 0x070, 0x074,
		   W(0x070, 0), RV(0x070, 0),
		   RV(0x070, 0), W(0x070, 0x1),
		   RV(0x070, 0x1), W(0x070, 0x3),
		   RV(0x070, 0x3), W(0x070, 0x7));
	EXPECT_SEQ(f, 0, 0x010, 0x028,
		   W(0x014, 0), RV(0x010, (u32)MRG), W(0x014, 1), RV(0x010, 0),
		   W(0x024, 0), W(0x020, (u32)MRG));
	sane();
}

static void t_version1_feature_rules(void)
{
	fx_init(f, 2, V1F);
	CHECK(vmm_check_device(f->vm) == 0);
	f->vm->vdev.features = 0;
	CHECK(vmm_finalize_features(&f->vm->vdev) == -EINVAL);
	CHECK(sim_log_count("VIRTIO_F_VERSION_1 was not negotiated") == 1);

	fx_init(f, 1, 0);
	CHECK(vmm_check_device(f->vm) == 0);
	f->vm->vdev.features = V1F;
	CHECK(vmm_finalize_features(&f->vm->vdev) == -EINVAL);
	CHECK(sim_log_count("legacy) device cannot take VIRTIO_F_VERSION_1") == 1);
}

static void t_reset_waits(void)
{
	unsigned int from;

	fx_init(f, 2, V1F);
	up(0);
	f->dm.reset_busy = 3;
	from = f->dm.ntrace;
	vmm_reset(&f->vm->vdev);
	EXPECT_SEQ(f, from, 0, 0x1000, W(0x070, 0), RV(0x070, 1), RV(0x070, 1),
		   RV(0x070, 1), RV(0x070, 0));

	f->dm.reset_busy = 100000;
	vmm_reset(&f->vm->vdev);
	CHECK(sim_log_count("did not complete reset after 1000 polls") == 1);
	f->dm.reset_reads = 0;
	sane();
}

/* -------------------------------------------------------- queues ----- */

static void t_queues_v2(void)
{
	unsigned int from, i;

	fx_init(f, 2, V1F);
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	EXPECT_SEQ(f, from, 0, 0x100,
		   W(0x030, 0), RV(0x044, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x080, 0x10000000), W(0x084, 0),
		   W(0x090, 0x10001000), W(0x094, 0),
		   W(0x0a0, 0x10002000), W(0x0a4, 0),
		   W(0x030, 1), RV(0x044, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x080, 0x10100000), W(0x084, 0),
		   W(0x090, 0x10101000), W(0x094, 0),
		   W(0x0a0, 0x10102000), W(0x0a4, 0),
		   W(0x030, 2), RV(0x044, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x080, 0x10200000), W(0x084, 0),
		   W(0x090, 0x10201000), W(0x094, 0),
		   W(0x0a0, 0x10202000), W(0x0a4, 0),
		   /* ready only once the whole attempt succeeded */
		   W(0x030, 0), W(0x044, 1), W(0x030, 1), W(0x044, 1),
		   W(0x030, 2), W(0x044, 1));
	for (i = 0; i < 3; i++) {
		CHECK(f->dm.vq[i].ready && f->dm.vq[i].num == 256);
		CHECK(f->dm.vq[i].desc == qdesc(i));
	}
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(!strcmp(plat.wired.name, "vtio0-wired"));

	from = f->dm.ntrace;
	vmm_del_vqs(&f->vm->vdev);
	EXPECT_SEQ(f, from, 0, 0x100,
		   W(0x030, 0), W(0x044, 0), RV(0x044, 0),
		   W(0x030, 1), W(0x044, 0), RV(0x044, 0),
		   W(0x030, 2), W(0x044, 0), RV(0x044, 0));
	all_released();
	sane();
}

static void t_queues_v1(void)
{
	unsigned int from, i;

	fx_init(f, 1, MRG);
	from = up(MRG);
	CHECK(core_find(f, 3, net3) == 0);
	EXPECT_SEQ(f, from, 0, 0x100,
		   W(0x028, 4096),
		   W(0x030, 0), RV(0x040, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x03c, 4096), W(0x040, 0x10000),
		   W(0x030, 1), RV(0x040, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x03c, 4096), W(0x040, 0x10100),
		   W(0x030, 2), RV(0x040, 0), RV(0x034, 256), W(0x038, 256),
		   W(0x03c, 4096), W(0x040, 0x10200));
	for (i = 0; i < 3; i++)
		CHECK(f->dm.vq[i].pfn == qdesc(i) >> 12 &&
		      f->dm.vq[i].align == 4096);
	CHECK(f->dm.guest_page_size == 4096);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);

	from = f->dm.ntrace;
	vmm_del_vqs(&f->vm->vdev);
	EXPECT_SEQ(f, from, 0, 0x100, W(0x030, 0), W(0x040, 0),
		   W(0x030, 1), W(0x040, 0), W(0x030, 2), W(0x040, 0));
	all_released();
	sane();
}

/* Version 1 devices derive all areas from one page number. */
static void t_legacy_layout_guard(void)
{
	fx_init(f, 1, MRG);
	up(MRG);
	sim_bad_layout = true;
	CHECK(core_find(f, 3, net3) == -EINVAL);
	CHECK(sim_log_count("is not in the legacy layout") == 1);
	all_released();

	sim_bad_layout = false;
	sim_vq_base = 0x100000000000ULL;	/* page number beyond 32 bits */
	CHECK(core_find(f, 3, net3) == -EINVAL);
	CHECK(sim_log_count("cannot be given as a 32-bit QueuePFN") == 1);
	all_released();
	sane();
}

static void t_queue_absent_busy_garbage(void)
{
	fx_init(f, 2, V1F);
	up(0);
	f->dm.nvq = 2;
	CHECK(core_find(f, 3, net3) == -ENOENT);
	CHECK(sim_log_count("queue 2 (control) does not exist (QueueNumMax is 0)") == 1);
	all_released();

	f->dm.nvq = 3;
	f->dm.queue_busy = true;
	CHECK(core_find(f, 3, net3) == -EBUSY);
	CHECK(sim_log_count("queue 0 (input.0) is already in use (QueueReady reads 0x1)") == 1);
	f->dm.queue_busy = false;
	all_released();

	f->dm.num_max = 65536;
	CHECK(core_find(f, 3, net3) == -EINVAL);
	CHECK(sim_log_count("QueueNumMax 65536 exceeds the 32768 entries") == 1);
	all_released();

	f->dm.num_max = 256;
	sim_fail_vq_create = 1;
	CHECK(core_find(f, 3, net3) == -ENOMEM);
	all_released();
	sane();
}

static void t_find_twice(void)
{
	struct vtio_vq *more[3];

	fx_init(f, 2, V1F);
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(vmm_find_vqs(&f->vm->vdev, 3, more, net3, NULL) == -EBUSY);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	/* and again, as a driver rebind does */
	CHECK(core_find(f, 3, net3) == 0);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_size_rules(void)
{
	const struct vtio_vq_info one[] = { { .name = "q", .callback = cb,
					     .size = 100 } };

	fx_init(f, 2, V1F);
	f->dm.num_max = 200;
	up(0);
	CHECK(core_find(f, 1, one) == 0);
	CHECK(f->dm.vq[0].num == 64);	/* split: power of 2 below 100 */
	vmm_del_vqs(&f->vm->vdev);

	fx_init(f, 2, V1F | BIT_ULL(VTIO_F_RING_PACKED));
	f->dm.num_max = 200;
	up(0);
	CHECK(core_find(f, 1, one) == 0);
	CHECK(f->dm.vq[0].num == 100);	/* packed takes any size */
	CHECK(f->dm.vq[0].driver == f->dm.vq[0].desc + 1600);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* ----------------------------------------------------- wired irq ----- */

static void t_wired_interrupt(void)
{
	unsigned int from, i;

	fx_init(f, 2, V1F);
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	core_ready(f);

	from = f->dm.ntrace;
	dm_signal_queue(&f->dm, 1);
	EXPECT_SEQ(f, from, 0, 0x100, RV(0x060, 1), W(0x064, 1));
	for (i = 0; i < 3; i++)
		CHECK(sim_vq(f->vqs[i])->interrupts == 1);

	from = f->dm.ntrace;
	dm_signal_config(&f->dm);
	EXPECT_SEQ(f, from, 0, 0x100, RV(0x060, 2), W(0x064, 2));
	CHECK(sim_config_changes == 1);

	/* undefined bits are ignored, not acknowledged */
	f->dm.int_status = 0x7 | 0x100;
	from = f->dm.ntrace;
	CHECK(plat.wired.handler(5, plat.wired.data) == IRQ_HANDLED);
	EXPECT_SEQ(f, from, 0, 0x100, RV(0x060, 0x107), W(0x064, 0x3));
	CHECK(sim_config_changes == 2);

	/* not ours (shared line), or a vanished device */
	f->dm.int_status = 0;
	CHECK(plat.wired.handler(5, plat.wired.data) == IRQ_NONE);
	f->dm.int_status = 0xffffffff;
	from = f->dm.ntrace;
	CHECK(plat.wired.handler(5, plat.wired.data) == IRQ_NONE);
	CHECK(dm_count(&f->dm, from, 0x064, 0x068) == 0);
	CHECK(plat.unhandled == 0);
	f->dm.int_status = 0;

	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_no_irq_at_all(void)
{
	fx_init(f, 2, V1F);
	up(0);
	f->vm->wired_irq = -ENXIO;
	CHECK(core_find(f, 3, net3) == -ENXIO);
	CHECK(sim_log_count("no wired interrupt line and no usable MSI") == 1);
	all_released();
	sane();
}

/* -------------------------------------------------------------- MSI -- */

/* The exact programming of one vector: masked while it changes. */
#define PROGRAM(v)							\
	W(MSI_SEL, v), W(MSI_CMD, 4), W(MSI_LO, 0xfee00000 | (v) << 4),	\
	W(MSI_HI, 0), W(MSI_DATA, 0x4000 + (v)), W(MSI_CMD, 3), RV(MSI_SEL, v)
#define UNMASK(v)	W(MSI_SEL, v), W(MSI_CMD, 5)
#define MASK(v)		W(MSI_SEL, v), W(MSI_CMD, 4)
#define MAP_CFG(v)	W(MSI_SEL, v), W(MSI_CMD, 6), RV(MSI_SEL, v)
#define MAP_Q(v)	W(MSI_SEL, v), W(MSI_CMD, 7), RV(MSI_SEL, v)
#define UNMAP_Q		W(MSI_SEL, NOV), W(MSI_CMD, 7)
#define ENABLE		W(MSI_CMD, 1), RV(MSI_STATE, 0x80000000)
#define ENABLE_S	W(MSI_CMD, 1), RV(MSI_STATE, 0xc0000000)
#define QSETUP(i)							\
	W(0x030, i), RV(0x044, 0), RV(0x034, 256), W(0x038, 256),	\
	W(0x080, ANY), W(0x084, 0), W(0x090, ANY), W(0x094, 0),		\
	W(0x0a0, ANY), W(0x0a4, 0)

static void t_msi_fixed_per_vq(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	/* vector 0 config, 1 + i queue i; control has no callback */
	EXPECT_SEQ(f, from, MSI_NUM, MSI_END,
		   RV(MSI_NUM, 8), RV(MSI_STATE, 0),
		   PROGRAM(0), PROGRAM(1), PROGRAM(2),
		   ENABLE, UNMASK(0), UNMASK(1), UNMASK(2));
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_PER_VQ);
	CHECK(!strcmp(plat.vec[0].name, "vtio0-config"));
	CHECK(!strcmp(plat.vec[1].name, "vtio0-input.0"));
	CHECK(!strcmp(plat.vec[2].name, "vtio0-output.0"));
	CHECK(!plat.wired.handler);
	CHECK(!strcmp(vmm_irq_mode_name(f->vm->irq_mode), "msi-per-vq"));

	/* used buffers on tx arrive on vector 2 and nowhere else */
	dm_signal_queue(&f->dm, 1);
	CHECK(plat.vec[2].calls == 1 && sim_vq(f->vqs[1])->interrupts == 1);
	CHECK(sim_vq(f->vqs[0])->interrupts == 0);
	dm_signal_config(&f->dm);
	CHECK(plat.vec[0].calls == 1 && sim_config_changes == 1);
	/* no InterruptStatus traffic in MSI mode */
	CHECK(dm_count(&f->dm, from, 0x060, 0x068) == 0);
	CHECK(plat.stray == 0);

	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* A fixed-mapping vector nobody listens on is masked, never delivered. */
static void t_msi_fixed_gap(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	from = up(0);
	CHECK(core_find(f, 3, gap3) == 0);
	EXPECT_SEQ(f, from, MSI_NUM, MSI_END,
		   RV(MSI_NUM, 8), RV(MSI_STATE, 0),
		   PROGRAM(0), PROGRAM(1), PROGRAM(2), PROGRAM(3),
		   MASK(2), ENABLE, UNMASK(0), UNMASK(1), UNMASK(3));
	dm_signal_queue(&f->dm, 1);
	CHECK(f->dm.vec[2].pending && plat.stray == 0);
	CHECK(sim_vq(f->vqs[1])->interrupts == 0);
	dm_signal_queue(&f->dm, 2);
	CHECK(plat.vec[3].calls == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_msi_sharing_per_vq(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	EXPECT_SEQ(f, from, 0x030, MSI_END,
		   RV(0x050, 0),	/* notification configuration */
		   RV(MSI_NUM, 8), RV(MSI_STATE, 0x40000000),
		   PROGRAM(0), PROGRAM(1), PROGRAM(2),
		   MAP_CFG(0),
		   QSETUP(0), MAP_Q(1),
		   QSETUP(1), MAP_Q(2),
		   QSETUP(2), UNMAP_Q,
		   ENABLE_S, UNMASK(0), UNMASK(1), UNMASK(2),
		   W(0x030, 0), W(0x044, 1), W(0x030, 1), W(0x044, 1),
		   W(0x030, 2), W(0x044, 1));
	CHECK(f->dm.config_vector == 0);
	CHECK(f->dm.vq[0].vector == 1 && f->dm.vq[1].vector == 2);
	CHECK(f->dm.vq[2].vector == NOV);
	dm_signal_queue(&f->dm, 0);
	CHECK(sim_vq(f->vqs[0])->interrupts == 1 && plat.vec[1].calls == 1);
	dm_signal_queue(&f->dm, 2);		/* unmapped: no message */
	CHECK(f->dm.lost == 1 && plat.stray == 0);

	/* teardown: quiet first, unmap, then the queues, then the vectors */
	from = f->dm.ntrace;
	vmm_del_vqs(&f->vm->vdev);
	EXPECT_SEQ(f, from, 0x030, MSI_END,
		   MASK(0), MASK(1), MASK(2), W(MSI_CMD, 2),
		   W(MSI_SEL, NOV), W(MSI_CMD, 6),
		   W(0x030, 0), UNMAP_Q, W(0x030, 1), UNMAP_Q,
		   W(0x030, 0), W(0x044, 0), RV(0x044, 0),
		   W(0x030, 1), W(0x044, 0), RV(0x044, 0),
		   W(0x030, 2), W(0x044, 0), RV(0x044, 0),
		   MASK(0), MASK(1), MASK(2));
	CHECK(f->dm.config_vector == NOV && f->dm.vq[0].vector == NOV);
	all_released();
	sane();
}

/*
 * Reprogramming (affinity change): an event while masked is delivered by
 * UNMASK, once, to the new address.
 */
static int hook_armed;

static void on_cmd(struct dm *dm, u32 cmd, u32 vec)
{
	if (hook_armed && cmd == 4 && vec == 1) {
		hook_armed = 0;
		dm_signal_queue(dm, 0);
	}
}

static void t_msi_unmask_delivers_pending(void)
{
	unsigned int sent;

	fx_init(f, 3, V1F);
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	f->dm.on_msi_cmd = on_cmd;
	hook_armed = 1;
	sent = f->dm.nsent;
	sim_set_affinity(1);
	CHECK(hook_armed == 0);
	CHECK(f->dm.nsent == sent + 1);
	CHECK(f->dm.sent[sent].addr_lo == (0xfee00000 | 1 << 12 | 1 << 4));
	CHECK(f->dm.vec[1].addr_lo == sim_msg_addr(1));
	CHECK(sim_vq(f->vqs[0])->interrupts == 1 && plat.stray == 0);
	CHECK(!f->dm.vec[1].pending && !f->dm.vec[1].masked);
	f->dm.on_msi_cmd = NULL;
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* Messages composed only at request_irq (lazy activation) work too. */
static void t_msi_compose_late(void)
{
	fx_init(f, 3, V1F);
	plat.compose_late = true;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_PER_VQ);
	dm_signal_queue(&f->dm, 1);
	CHECK(sim_vq(f->vqs[1])->interrupts == 1 && plat.stray == 0);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* ------------------------------------------------------ fallbacks --- */

static const char *pervq_to_shared =
	"one vector per queue needs 3 MSI vectors, the device has 2: trying one shared MSI vector for all queues";

static void t_fallback_pervq_to_shared(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	f->dm.msi_nvec = 2;		/* fewer vectors than queues */
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_SHARED);
	CHECK(sim_log_count(pervq_to_shared) == 1);
	EXPECT_SEQ(f, from, MSI_NUM, MSI_END,
		   RV(MSI_NUM, 2), RV(MSI_STATE, 0x40000000),
		   PROGRAM(0), PROGRAM(1), MAP_CFG(0),
		   MAP_Q(1), MAP_Q(1), UNMAP_Q,
		   ENABLE_S, UNMASK(0), UNMASK(1));
	CHECK(!strcmp(plat.vec[0].name, "vtio0-config"));
	CHECK(!strcmp(plat.vec[1].name, "vtio0-virtqueues"));
	CHECK(!strcmp(vmm_irq_mode_name(f->vm->irq_mode), "msi-shared"));
	dm_signal_queue(&f->dm, 1);
	CHECK(plat.vec[1].calls == 1 && sim_vq(f->vqs[1])->interrupts == 1);
	CHECK(sim_vq(f->vqs[2])->interrupts == 0);	/* not on the vector */

	/* a rebind does not repeat the message */
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(sim_log_count(pervq_to_shared) == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* Fixed mapping cannot share: too few vectors means the wired line. */
static void t_fallback_fixed_to_wired(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	f->dm.msi_nvec = 2;
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("one vector per queue needs 3 MSI vectors, the device has 2: using the wired interrupt") == 1);
	EXPECT_SEQ(f, from, MSI_NUM, MSI_END, RV(MSI_NUM, 2), RV(MSI_STATE, 0));
	CHECK(plat.allocs == 0);
	dm_signal_queue(&f->dm, 0);
	CHECK(plat.wired.calls == 1 && sim_vq(f->vqs[0])->interrupts == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* Per queue -> shared -> wired, each step said once. */
static void t_fallback_chain(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	f->dm.msi_nvec = 1;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("one vector per queue needs 3 MSI vectors, the device has 1: trying one shared") == 1);
	CHECK(sim_log_count("a shared queue vector needs 2 MSI vectors, the device has 1: using the wired interrupt") == 1);
	vmm_del_vqs(&f->vm->vdev);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(sim_log_count("") == 2);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* x86: no MSI domain for platform devices; MSI registers stay untouched. */
static void t_fallback_no_platform_msi(void)
{
	unsigned int from;

	fx_init(f, 3, V1F);
	plat.msi_possible = false;
	from = up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("no MSI irq domain: using the wired interrupt") == 1);
	CHECK(dm_count(&f->dm, from, MSI_NUM, MSI_END) == 0);
	vmm_del_vqs(&f->vm->vdev);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(sim_log_count("no MSI irq domain") == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_fallback_platform_short(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	plat.msi_max = 2;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_SHARED);
	CHECK(sim_log_count("platform could not allocate 3 MSI vectors (-28): trying one shared") == 1);
	CHECK(plat.nvec == 2);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_fallback_request_fails(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	plat.fail_request = 2;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_SHARED);
	CHECK(sim_log_count("cannot request the MSI interrupt of queue 1 (-16)") == 1);
	CHECK(plat.frees == 1);	/* the failed attempt gave its vectors back */
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* The device answers NO_VECTOR to a mapping it cannot do. */
static void t_fallback_map_refused(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	f->dm.map_limit = 2;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_SHARED);
	CHECK(sim_log_count("device answered NO_VECTOR to mapping queue 1 to vector 2: trying one shared") == 1);
	CHECK(f->dm.vq[0].vector == 1 && f->dm.vq[1].vector == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_fallback_configure_refused(void)
{
	fx_init(f, 3, V1F);
	f->dm.refuse_configure = true;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("MSI vector 0 has no message (device answered NO_VECTOR to CONFIGURE): using the wired interrupt") == 1);
	CHECK(!f->dm.msi_enabled);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* ENABLE not taken: no MSI mode can work, straight to wired. */
static void t_fallback_enable_refused(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	f->dm.refuse_enable = true;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("device did not enable MSI (MsiState 0x40000000): using the wired interrupt") == 1);
	CHECK(plat.allocs == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_msivecnum_garbage(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_nvec = 5000;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("MsiVecNum reads 5000, expected 1..2048") == 1);
	vmm_del_vqs(&f->vm->vdev);

	fx_init(f, 3, V1F);
	f->dm.msi_nvec = 0;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("MsiVecNum reads 0") == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_force_modes(void)
{
	fx_init(f, 3, V1F);
	f->dm.msi_sharing = true;
	f->vm->first_mode = VMM_IRQ_MSI_SHARED;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_SHARED);
	vmm_del_vqs(&f->vm->vdev);

	f->vm->first_mode = VMM_IRQ_WIRED;
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	vmm_del_vqs(&f->vm->vdev);

	/* shared asked of a fixed-mapping device: said, then wired */
	fx_init(f, 3, V1F);
	f->vm->first_mode = VMM_IRQ_MSI_SHARED;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(sim_log_count("so queues cannot share one: using the wired interrupt") == 1);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_sync_on_reset(void)
{
	fx_init(f, 3, V1F);
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	vmm_reset(&f->vm->vdev);
	CHECK(plat.vec[0].syncs == 1 && plat.vec[1].syncs == 1 &&
	      plat.vec[2].syncs == 1);
	CHECK(!f->dm.msi_enabled);	/* the device reset dropped MSI */
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* ------------------------------------------ feature bit collisions --- */

/*
 * A virtio 1.2+ device: bit 39 NOTIF_CONFIG_DATA, bit 40 RING_RESET,
 * 0x0c0 QueueReset.  None of it may be read as the MSI prototype.
 */
static void t_standard_v2_bits_39_40(void)
{
	u64 feat = V1F | BIT_ULL(39) | BIT_ULL(40);
	unsigned int from;

	fx_init(f, 2, feat);
	f->dm.msi = false;
	from = up(0);
	CHECK(f->vm->vdev.device_features & BIT_ULL(40));
	CHECK(!(f->dm.driver_features & (BIT_ULL(39) | BIT_ULL(40))));
	CHECK(!f->vm->msi && !f->vm->notify_cfg);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_WIRED);
	CHECK(dm_count(&f->dm, 0, MSI_NUM, MSI_END) == 0);
	CHECK(dm_count(&f->dm, from, 0x050, 0x054) == 0);	/* no read */
	CHECK(sim_log_count("") == 0);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/* Only with proto_v2_bits are they the prototype's. */
static void t_proto_v2_bits(void)
{
	u64 feat = V1F | BIT_ULL(39) | BIT_ULL(40);

	fx_init(f, 2, feat);
	f->dm.msi = true;	/* the 2020 prototype: MSI block at 0x0c0 */
	f->dm.notify_cfg = 8 << 16 | 0x180;
	f->vm->proto_bits = true;
	up(0);
	CHECK(!(f->vm->vdev.device_features & (BIT_ULL(39) | BIT_ULL(40))));
	CHECK((f->dm.driver_features & (BIT_ULL(39) | BIT_ULL(40))) ==
	      (BIT_ULL(39) | BIT_ULL(40)));
	CHECK(sim_log_count("proto_v2_bits: reading feature bits 39/40") == 1);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_PER_VQ);
	f->dm.nnotify = 0;
	sim_vq(f->vqs[1])->notify(f->vqs[1]);
	CHECK(f->dm.nnotify == 1 && f->dm.notify[0].off == 0x188);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_v3_ring_reset_not_negotiated(void)
{
	fx_init(f, 3, V1F | BIT_ULL(40) | BIT_ULL(41));
	up(BIT_ULL(40) | BIT_ULL(41));
	CHECK(!(f->vm->vdev.device_features & (BIT_ULL(40) | BIT_ULL(41))));
	CHECK(!(f->dm.driver_features & BIT_ULL(40)));
	CHECK(sim_log_count("Version 3 device offers RING_RESET (bit 40): not negotiated") == 1);
	CHECK(core_find(f, 3, net3) == 0);
	CHECK(f->vm->irq_mode == VMM_IRQ_MSI_PER_VQ);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

/*
 * VIRTIO_F_RING_RESET on a standard Version 2 device: QueueReset resets
 * one queue, the driver waits for QueueReset and QueueReady to read 0 and
 * gives the queue its new ring; a device that never finishes is reported.
 */
static void t_queue_reset(void)
{
	unsigned int wired_syncs;
	struct sim_vq *s;

	fx_init(f, 2, V1F | BIT_ULL(40));
	f->dm.msi = false;
	up(BIT_ULL(40));
	CHECK(f->dm.driver_features & BIT_ULL(40));
	CHECK(core_find(f, 3, net3) == 0);
	core_ready(f);

	f->dm.queue_reset_busy = 3;
	wired_syncs = plat.wired.syncs;
	CHECK(vmm_reset_vq(f->vqs[1]) == 0);
	CHECK(f->dm.queue_resets == 1 && !f->dm.vq[1].ready);
	CHECK(f->dm.queue_reset_reads == 0);	/* it waited for all 3 */
	CHECK(f->dm.vq[0].ready && f->dm.vq[2].ready);
	CHECK(plat.wired.syncs > wired_syncs);

	/* A smaller ring somewhere else, as vtio_vq_resize hands over. */
	s = sim_vq(f->vqs[1]);
	s->num = 128;
	s->desc = 0x20000000;
	s->driver = 0x20000800;
	s->device = 0x20000c00;
	CHECK(vmm_enable_vq(f->vqs[1]) == 0);
	CHECK(f->dm.vq[1].ready && f->dm.vq[1].num == 128);
	CHECK(f->dm.vq[1].desc == 0x20000000 &&
	      f->dm.vq[1].driver == 0x20000800 &&
	      f->dm.vq[1].device == 0x20000c00);

	f->dm.queue_reset_stuck = true;
	sim_log_clear();
	CHECK(vmm_reset_vq(f->vqs[0]) == -ETIMEDOUT);
	CHECK(sim_log_count("queue 0 (input.0) not reset after 1000 polls (QueueReset 1, QueueReady 0)") == 1);
	f->dm.queue_reset_stuck = false;

	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();

	/* Version 1 has no QueueReset: an offered bit 40 is never taken. */
	fx_init(f, 1, BIT_ULL(40));
	up(BIT_ULL(40));
	CHECK(!(f->vm->vdev.device_features & BIT_ULL(40)));
	CHECK(!(f->dm.driver_features & BIT_ULL(40)));
	sane();
}

/* ------------------------------------------------------- notify ------ */

static void kick_all(void)
{
	unsigned int i;

	f->dm.nnotify = 0;
	for (i = 0; i < 3; i++)
		sim_vq(f->vqs[i])->notify(f->vqs[i]);
}

static void t_notify_address(void)
{
	fx_init(f, 3, V1F);
	f->dm.notify_cfg = 8 << 16 | 0x180;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	kick_all();
	CHECK(f->dm.nnotify == 3);
	CHECK(f->dm.notify[0].off == 0x180 && f->dm.notify[0].val == 0);
	CHECK(f->dm.notify[1].off == 0x188 && f->dm.notify[1].val == 1);
	CHECK(f->dm.notify[2].off == 0x190 && f->dm.notify[2].val == 2);
	vmm_del_vqs(&f->vm->vdev);

	/* 0: every queue on QueueNotify */
	f->dm.notify_cfg = 0;
	CHECK(core_find(f, 3, net3) == 0);
	kick_all();
	CHECK(f->dm.notify[0].off == 0x050 && f->dm.notify[2].off == 0x050);
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_notify_data(void)
{
	fx_init(f, 2, V1F | BIT_ULL(VTIO_F_NOTIFICATION_DATA));
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	kick_all();
	CHECK(f->dm.notify[1].off == 0x050 &&
	      f->dm.notify[1].val == (0xabc0000 | 1));
	vmm_del_vqs(&f->vm->vdev);

	fx_init(f, 3, V1F | BIT_ULL(VTIO_F_NOTIFICATION_DATA));
	f->dm.notify_cfg = 4 << 16 | 0x1c0;
	up(0);
	CHECK(core_find(f, 3, net3) == 0);
	kick_all();
	CHECK(f->dm.notify[2].off == 0x1c8 &&
	      f->dm.notify[2].val == (0xabc0000 | 2));
	vmm_del_vqs(&f->vm->vdev);
	all_released();
	sane();
}

static void t_notify_address_garbage(void)
{
	static const u32 bad[] = {
		0x060,			/* InterruptStatus */
		0x1f2,			/* not 32-bit aligned */
		16 << 16 | 0x1f0,	/* queue 1 past the 0x200 window */
		0x0c8,			/* MsiCmd */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fx_init(f, 3, V1F);
		f->dm.notify_cfg = bad[i];
		up(0);
		CHECK(core_find(f, 3, net3) == -EINVAL);
		CHECK(sim_log_count("is not a 32-bit register past the control block") == 1);
		all_released();
		sane();
	}
}

/* ---------------------------------------------------- config space --- */

static void t_config_access(void)
{
	struct vtio_device *vdev;
	unsigned int from;
	u8 buf[8];
	u16 w = 0x1234;

	fx_init(f, 2, V1F);
	up(0);
	vdev = &f->vm->vdev;
	memcpy(f->dm.config, "\x52\x54\x00\x12\x34\x56\x01\x00", 8);
	from = f->dm.ntrace;
	vmm_config_get(vdev, 0, buf, 6);
	vmm_config_get(vdev, 6, buf, 2);
	vmm_config_get(vdev, 0, buf, 4);
	vmm_config_get(vdev, 0, buf, 8);
	vmm_config_set(vdev, 6, &w, 2);
	CHECK(vmm_generation(vdev) == f->dm.config_gen);
	EXPECT_SEQ(f, from, 0, 0x1000,
		   { 'R', 0x100, ANY }, { 'R', 0x101, ANY }, { 'R', 0x102, ANY },
		   { 'R', 0x103, ANY }, { 'R', 0x104, ANY }, { 'R', 0x105, ANY },
		   RV(0x106, 1), RV(0x100, 0x12005452),
		   RV(0x100, 0x12005452), RV(0x104, 0x00015634),
		   W(0x106, 0x1234), R(0x0fc));
	CHECK(f->dm.trace[from + 6].size == 2 && f->dm.trace[from + 10].size == 2);
	CHECK(!memcmp(buf, "\x52\x54\x00\x12\x34\x56\x01\x00", 8));

	/* outside the window: zeroes, a message, no access */
	from = f->dm.ntrace;
	memset(buf, 0xff, sizeof(buf));
	vmm_config_get(vdev, 0xfe, buf, 4);
	CHECK(!buf[0] && !buf[3]);
	CHECK(sim_log_count("config read of 4 bytes at offset 254 is outside the 256-byte config window") == 1);
	CHECK(f->dm.ntrace == from);
	sane();

	/* legacy: byte accesses only, and no generation register */
	fx_init(f, 1, MRG);
	up(MRG);
	from = f->dm.ntrace;
	vmm_config_get(&f->vm->vdev, 0, buf, 4);
	CHECK(vmm_generation(&f->vm->vdev) == 0);
	CHECK(f->dm.ntrace == from + 4 && f->dm.trace[from + 3].size == 1);
	sane();
}

/* -------------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "discovery: bad magic rejected with a message", t_bad_magic },
	{ "discovery: unsupported version rejected with a message", t_bad_version },
	{ "discovery: device id 0 is quiet and touches nothing more", t_id_zero_quiet },
	{ "discovery: garbage device and short window rejected", t_garbage_rejected },
	{ "discovery: Version 1, 2 and 3 accepted", t_good_devices },
	{ "handshake: Version 2 status and feature sequence", t_handshake_v2 },
	{ "handshake: Version 1 without FEATURES_OK or upper word", t_handshake_v1 },
	{ "handshake: VERSION_1 iff modern", t_version1_feature_rules },
	{ "reset: polls until the device reads 0", t_reset_waits },
	{ "queues: Version 2 setup and teardown sequence", t_queues_v2 },
	{ "queues: Version 1 GuestPageSize/QueueAlign/QueuePFN sequence", t_queues_v1 },
	{ "queues: legacy layout and 32-bit PFN enforced", t_legacy_layout_guard },
	{ "queues: absent, busy, oversized and failing queues", t_queue_absent_busy_garbage },
	{ "queues: find_vqs twice refused, rebind works", t_find_twice },
	{ "queues: split rounds to a power of 2, packed does not", t_size_rules },
	{ "wired: status, ack, dispatch, undefined bits, shared line", t_wired_interrupt },
	{ "wired: no line and no MSI is an error", t_no_irq_at_all },
	{ "msi: fixed mapping, one vector per queue", t_msi_fixed_per_vq },
	{ "msi: fixed mapping masks vectors nobody listens on", t_msi_fixed_gap },
	{ "msi: sharing mode maps config and queues, teardown order", t_msi_sharing_per_vq },
	{ "msi: unmask delivers the message pending while masked", t_msi_unmask_delivers_pending },
	{ "msi: messages composed at request_irq", t_msi_compose_late },
	{ "fallback: per-vq -> shared when the device has too few vectors", t_fallback_pervq_to_shared },
	{ "fallback: fixed mapping with too few vectors -> wired", t_fallback_fixed_to_wired },
	{ "fallback: per-vq -> shared -> wired, each said once", t_fallback_chain },
	{ "fallback: no platform MSI domain (x86) -> wired, MSI block untouched", t_fallback_no_platform_msi },
	{ "fallback: platform gives too few vectors -> shared", t_fallback_platform_short },
	{ "fallback: request_irq failure -> shared", t_fallback_request_fails },
	{ "fallback: NO_VECTOR answer to MAP_QUEUE -> shared", t_fallback_map_refused },
	{ "fallback: NO_VECTOR answer to CONFIGURE -> wired", t_fallback_configure_refused },
	{ "fallback: ENABLE refused -> wired directly", t_fallback_enable_refused },
	{ "fallback: garbage MsiVecNum -> wired", t_msivecnum_garbage },
	{ "force_irq_mode: shared and wired first", t_force_modes },
	{ "reset synchronizes every requested interrupt", t_sync_on_reset },
	{ "bits 39/40 of a standard Version 2 device are not MSI", t_standard_v2_bits_39_40 },
	{ "proto_v2_bits: prototype bits acknowledged and used", t_proto_v2_bits },
	{ "Version 3: RING_RESET never negotiated", t_v3_ring_reset_not_negotiated },
	{ "queue reset: QueueReset, wait, new ring; a stuck device reported", t_queue_reset },
	{ "notify: per-queue addresses base + i * multiplier", t_notify_address },
	{ "notify: notification data instead of the index", t_notify_data },
	{ "notify: addresses aliasing registers or outside rejected", t_notify_address_garbage },
	{ "config: access widths, bounds, generation", t_config_access },
};

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;

	/* Diagnostics (stderr) land before the line of their test. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%zu\n", ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		test_ok = true;
		tests[i].fn();
		if (!test_ok && !getenv("MMIO_SIM_VERBOSE"))
			sim_log_dump();
		if (f->vm)
			fx_free(f);
		printf("%sok %u - %s\n", test_ok ? "" : "not ", i + 1, tests[i].name);
		if (test_ok)
			passed++;
		else
			failed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
