// SPDX-License-Identifier: GPL-2.0
#include "helpers.h"

bool test_ok;

void fx_init(struct fx *f, u32 version, u64 features)
{
	free(f->vm);
	sim_reset_all();
	memset(f->vqs, 0, sizeof(f->vqs));
	dm_init(&f->dm, version, 1, features);
	dm_attach(&f->dm);
	f->pdev.init_name = "LNRO0005:00";
	f->vm = calloc(1, sizeof(*f->vm));
	f->vm->dev = &f->pdev;
	f->vm->base = f->dm.window;
	f->vm->size = f->dm.size;
	f->vm->wired_irq = 5;
	f->vm->first_mode = VMM_IRQ_MSI_PER_VQ;
	raw_spin_lock_init(&f->vm->msi_lock);
	f->vm->vdev.dev.init_name = "vtio0";
}

void fx_free(struct fx *f)
{
	free(f->vm);
	f->vm = NULL;
}

static void add_status(struct vtio_device *vdev, u8 s)
{
	vmm_set_status(vdev, vmm_get_status(vdev) | s);
}

int core_probe(struct fx *f, u64 drv_features)
{
	struct vtio_device *vdev = &f->vm->vdev;
	bool legacy;
	int err;

	f->vm->size = f->dm.size;
	err = vmm_check_device(f->vm);
	if (err)
		return err;
	vmm_reset(vdev);
	add_status(vdev, VTIO_STATUS_ACKNOWLEDGE);
	add_status(vdev, VTIO_STATUS_DRIVER);
	vdev->device_features = vmm_get_features(vdev);
	legacy = !(vdev->device_features & BIT_ULL(VTIO_F_VERSION_1));
	vdev->features = vdev->device_features &
			 (SIM_RING_FEATURES | drv_features);
	if (!legacy)
		vdev->features |= BIT_ULL(VTIO_F_VERSION_1);
	err = vmm_finalize_features(vdev);
	if (err)
		return err;
	if (legacy)
		return 0;
	add_status(vdev, VTIO_STATUS_FEATURES_OK);
	if (!(vmm_get_status(vdev) & VTIO_STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

int core_find(struct fx *f, unsigned int n, const struct vtio_vq_info *info)
{
	return vmm_find_vqs(&f->vm->vdev, n, f->vqs, info, NULL);
}

void core_ready(struct fx *f)
{
	add_status(&f->vm->vdev, VTIO_STATUS_DRIVER_OK);
}

bool expect_seq(struct fx *f, unsigned int from, u32 lo, u32 hi,
		const struct acc *e, unsigned int n)
{
	const struct dm *dm = &f->dm;
	unsigned int i, k = 0;
	bool ok = true;

	for (i = from; i < dm->ntrace && ok; i++) {
		const struct dm_access *a = &dm->trace[i];

		if (a->off < lo || a->off >= hi)
			continue;
		if (k == n || a->op != e[k].op || a->off != e[k].off ||
		    (e[k].val != ANY && a->val != e[k].val))
			ok = false;
		else
			k++;
	}
	if (ok && k == n)
		return true;
	fprintf(stderr, "#   expected (offsets 0x%x..0x%x):\n", lo, hi);
	for (k = 0; k < n; k++)
		fprintf(stderr, "#   %c 0x%03x 0x%08x\n", e[k].op, e[k].off, e[k].val);
	fprintf(stderr, "#   got:\n");
	for (i = from; i < dm->ntrace; i++)
		if (dm->trace[i].off >= lo && dm->trace[i].off < hi)
			fprintf(stderr, "#   %c 0x%03x 0x%08x\n", dm->trace[i].op,
				dm->trace[i].off, dm->trace[i].val);
	return false;
}
