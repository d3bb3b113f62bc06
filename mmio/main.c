// SPDX-License-Identifier: GPL-2.0
/*
 * vtio virtio-mmio transport: platform driver, discovery and the platform
 * side of interrupts.
 *
 * Devices are found through ACPI (_HID LNRO0005, as QEMU's microvm
 * describes them), the device tree ("virtio,mmio") or the device= module
 * parameter.  Version 1 (legacy), Version 2 (virtio 1.x) and Version 3
 * (Version 2 plus the MSI extension) devices are driven; the register
 * protocol itself lives in proto.c.
 *
 * Interrupts: one MSI vector per callback queue plus one for config
 * changes; else one shared queue vector plus the config vector; else the
 * wired line with InterruptStatus.  MSI vectors for a platform device come
 * from its MSI irq domain (e.g. a GICv3 ITS named by msi-parent); x86 has
 * none for platform devices, so there every device uses its wired line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/dma-mapping.h>
#include <linux/irq.h>
#include <linux/msi.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "mmio.h"

#define VMM_DRV_NAME		"virtio_mmio_msi"
#define VMM_MAX_CMDLINE		16

/*
 * Platform MSI allocation changed API in 6.10: platform_msi_domain_*() on
 * the platform's MSI domain became per-device MSI domains behind
 * platform_device_msi_*(), with the same arguments and callback.  Both
 * sets are exported to modules (GPL) in Debian's 6.1 and 6.12.  Kbuild
 * defines VTIO_HAVE_DEVICE_MSI when <linux/msi.h> has the new one.
 */
#ifdef VTIO_HAVE_DEVICE_MSI
#define VMM_HAVE_PLATFORM_MSI	IS_ENABLED(CONFIG_GENERIC_MSI_IRQ)
#define vmm_msi_alloc_irqs	platform_device_msi_init_and_alloc_irqs
#define vmm_msi_free_irqs	platform_device_msi_free_irqs_all
#else
#define VMM_HAVE_PLATFORM_MSI	IS_ENABLED(CONFIG_GENERIC_MSI_IRQ_DOMAIN)
#define vmm_msi_alloc_irqs	platform_msi_domain_alloc_irqs
#define vmm_msi_free_irqs	platform_msi_domain_free_irqs
#endif

/* ----------------------------------------------------- module params -- */

static unsigned int extra_device_types[16];
static unsigned int n_extra_device_types;
module_param_array(extra_device_types, uint, &n_extra_device_types, 0444);
MODULE_PARM_DESC(extra_device_types,
		 "Virtio device types to accept besides net (1), comma separated; only useful with a vtio driver for the type");

static int force_irq_mode;
module_param(force_irq_mode, int, 0644);
MODULE_PARM_DESC(force_irq_mode,
		 "First interrupt mode find_vqs tries: 0 auto (MSI per queue), 1 one shared MSI queue vector, 2 wired");

static bool proto_v2_bits;
module_param(proto_v2_bits, bool, 0444);
MODULE_PARM_DESC(proto_v2_bits,
		 "Read feature bits 39/40 of Version 2 devices as the 2020 MSI prototype's MMIO_NOTIFICATION/MMIO_MSI; misreads standard devices offering NOTIF_CONFIG_DATA/RING_RESET (default: off)");

struct vmm_cmdline_dev {
	u64 base;
	u64 size;
	unsigned int irq;
	int id;				/* -1: automatic */
	struct platform_device *pdev;
};

static struct vmm_cmdline_dev vmm_cmdline[VMM_MAX_CMDLINE];
static unsigned int vmm_ncmdline;

static int vmm_param_error(const char *val, const char *why)
{
	pr_err("device=%s: %s; expected <size>@<base>:<irq>[:<id>], e.g. device=0x200@0xd0000000:5\n",
	       val, why);
	return -EINVAL;
}

/* device=<size>@<base>:<irq>[:<id>], once per device */
static int vmm_device_param_set(const char *val, const struct kernel_param *kp)
{
	struct vmm_cmdline_dev d = { .id = -1 };
	char buf[80], *s, *tok, *end;
	unsigned int i;

	if (vmm_ncmdline == VMM_MAX_CMDLINE)
		return vmm_param_error(val, "too many devices");
	if (strscpy(buf, val, sizeof(buf)) < 0)
		return vmm_param_error(val, "too long");
	s = strim(buf);

	d.size = memparse(s, &end);
	if (end == s || *end != '@')
		return vmm_param_error(val, "bad size");
	s = end + 1;

	tok = strsep(&s, ":");
	if (!s)
		return vmm_param_error(val, "no interrupt");
	if (kstrtou64(tok, 0, &d.base))
		return vmm_param_error(val, "bad base address");

	tok = strsep(&s, ":");
	if (kstrtouint(tok, 0, &d.irq) || !d.irq)
		return vmm_param_error(val, "bad interrupt number");

	if (s && (kstrtoint(s, 0, &d.id) || d.id < 0))
		return vmm_param_error(val, "bad platform device id");

	if (d.size < VMM_REGS_SIZE)
		return vmm_param_error(val, "size below the 0x100 bytes of control registers");
	if (d.base + d.size - 1 < d.base)
		return vmm_param_error(val, "region wraps around the address space");

	for (i = 0; i < vmm_ncmdline; i++) {
		const struct vmm_cmdline_dev *o = &vmm_cmdline[i];

		if (d.base < o->base + o->size && o->base < d.base + d.size)
			return vmm_param_error(val, "overlaps an earlier device=");
		if (d.id >= 0 && d.id == o->id)
			return vmm_param_error(val, "platform device id used twice");
	}
	vmm_cmdline[vmm_ncmdline++] = d;
	return 0;
}

static int vmm_device_param_get(char *buffer, const struct kernel_param *kp)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < vmm_ncmdline; i++) {
		const struct vmm_cmdline_dev *d = &vmm_cmdline[i];

		len += scnprintf(buffer + len, PAGE_SIZE - len,
				 "0x%llx@0x%llx:%u", d->size, d->base, d->irq);
		if (d->id >= 0)
			len += scnprintf(buffer + len, PAGE_SIZE - len, ":%d",
					 d->id);
		len += scnprintf(buffer + len, PAGE_SIZE - len, "\n");
	}
	return len;
}

static const struct kernel_param_ops vmm_device_param_ops = {
	.set = vmm_device_param_set,
	.get = vmm_device_param_get,
};
module_param_cb(device, &vmm_device_param_ops, NULL, 0444);
MODULE_PARM_DESC(device,
		 "A virtio-mmio device not described by ACPI or DT: <size>@<base>:<irq>[:<id>]; repeat for more");

/* ---------------------------------------------------- platform hooks -- */

static int vmm_irq_of(struct vmm_device *vm, unsigned int vec)
{
	unsigned int irq;

	if (vec == VMM_WIRED)
		return vm->wired_irq;
	irq = msi_get_virq(vm->dev, vec);
	return irq ? irq : -ENXIO;
}

#if VMM_HAVE_PLATFORM_MSI
/* The MSI layer composed a message for one of our vectors: program it. */
static void vmm_write_msi_msg(struct msi_desc *desc, struct msi_msg *msg)
{
	struct vmm_device *vm = dev_get_drvdata(desc->dev);

	vmm_msi_write_msg(vm, desc->msi_index, msg->address_lo,
			  msg->address_hi, msg->data);
}
#endif

bool vmm_plat_msi_possible(struct vmm_device *vm)
{
	if (VMM_HAVE_PLATFORM_MSI && dev_get_msi_domain(vm->dev))
		return true;
	vmm_log_once(vm, VMM_LOG_NO_PLATFORM_MSI,
		     "MSI-capable device (Version %u) but %s: using the wired interrupt\n",
		     vm->version,
		     !VMM_HAVE_PLATFORM_MSI ?
		     "this kernel has no platform MSI support" :
		     IS_ENABLED(CONFIG_X86) ?
		     "x86 has no MSI irq domain for platform devices" :
		     "no MSI irq domain (msi-parent) describes this device");
	return false;
}

int vmm_plat_msi_alloc(struct vmm_device *vm, unsigned int nvec)
{
#if VMM_HAVE_PLATFORM_MSI
	return vmm_msi_alloc_irqs(vm->dev, nvec, vmm_write_msi_msg);
#else
	return -EOPNOTSUPP;
#endif
}

void vmm_plat_msi_free(struct vmm_device *vm)
{
#if VMM_HAVE_PLATFORM_MSI
	vmm_msi_free_irqs(vm->dev);
#endif
}

int vmm_plat_request_irq(struct vmm_device *vm, unsigned int vec,
			 irq_handler_t handler, const char *name, void *data)
{
	int irq = vmm_irq_of(vm, vec);

	if (irq < 0)
		return irq;
	/* A wired line may be shared; MSI vectors are ours alone. */
	return request_irq(irq, handler, vec == VMM_WIRED ? IRQF_SHARED : 0,
			   name, data);
}

void vmm_plat_free_irq(struct vmm_device *vm, unsigned int vec, void *data)
{
	int irq = vmm_irq_of(vm, vec);

	if (irq >= 0)
		free_irq(irq, data);
}

void vmm_plat_sync_irq(struct vmm_device *vm, unsigned int vec)
{
	int irq = vmm_irq_of(vm, vec);

	if (irq >= 0)
		synchronize_irq(irq);
}

/* ---------------------------------------------------------- config ops -- */

static const char *vmm_bus_name(struct vtio_device *vdev)
{
	return dev_name(to_vmm(vdev)->dev);
}

/* Only a queue with an MSI vector of its own can be steered. */
static int vmm_queue_irq(struct vtio_vq *vq)
{
	struct vmm_device *vm = to_vmm(vq->vdev);
	struct vmm_queue *q = vq->priv;

	if (READ_ONCE(vm->irq_mode) != VMM_IRQ_MSI_PER_VQ ||
	    q->vector == VMM_NO_VECTOR)
		return -EINVAL;
	return vmm_irq_of(vm, q->vector);
}

static int vmm_set_vq_affinity(struct vtio_vq *vq, const struct cpumask *mask)
{
	int irq = vmm_queue_irq(vq);

	if (irq < 0)
		return irq;
	return irq_set_affinity(irq, mask ? mask : cpu_online_mask);
}

static const struct cpumask *vmm_get_vq_affinity(struct vtio_device *vdev,
						 int index)
{
	struct vmm_device *vm = to_vmm(vdev);
	int irq;

	if (index < 0 || index >= vm->nqueues || !vm->queues[index].vq)
		return NULL;
	irq = vmm_queue_irq(vm->queues[index].vq);
	return irq < 0 ? NULL : irq_get_affinity_mask(irq);
}

static const struct vtio_config_ops vmm_config_ops = {
	.get			= vmm_config_get,
	.set			= vmm_config_set,
	.generation		= vmm_generation,
	.get_status		= vmm_get_status,
	.set_status		= vmm_set_status,
	.reset			= vmm_reset,
	.find_vqs		= vmm_find_vqs,
	.del_vqs		= vmm_del_vqs,
	.reset_vq		= vmm_reset_vq,
	.enable_vq		= vmm_enable_vq,
	.synchronize_cbs	= vmm_synchronize_cbs,
	.get_features		= vmm_get_features,
	.finalize_features	= vmm_finalize_features,
	.bus_name		= vmm_bus_name,
	.set_vq_affinity	= vmm_set_vq_affinity,
	.get_vq_affinity	= vmm_get_vq_affinity,
};

/* -------------------------------------------------------------- sysfs -- */

static ssize_t irq_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct vmm_device *vm = to_vmm(dev_to_vtio(dev));

	return sysfs_emit(buf, "%s\n",
			  vmm_irq_mode_name(READ_ONCE(vm->irq_mode)));
}
static DEVICE_ATTR_RO(irq_mode);

static ssize_t mmio_version_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vmm(dev_to_vtio(dev))->version);
}
static DEVICE_ATTR_RO(mmio_version);

static struct attribute *vmm_attrs[] = {
	&dev_attr_irq_mode.attr,
	&dev_attr_mmio_version.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vmm);

/* -------------------------------------------------------------- probe -- */

static bool vmm_type_allowed(u32 type)
{
	unsigned int i;

	if (type == VTIO_ID_NET)
		return true;
	for (i = 0; i < n_extra_device_types; i++)
		if (extra_device_types[i] == type)
			return true;
	return false;
}

/*
 * A Version 1 device is a legacy device: it offers no VIRTIO_F_VERSION_1
 * and knows no FEATURES_OK, and its rings and config are in guest byte
 * order.  Our __le ring layout is that order only on little-endian CPUs,
 * so only there do we vouch for it (vtio_device.legacy_ok).
 */
static int vmm_allow_legacy(struct vmm_device *vm)
{
	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN)) {
		dev_info(vm->dev, "Version 1 (legacy) device needs guest-endian rings, which a big-endian CPU cannot give it; not binding\n");
		return -ENODEV;
	}
	vm->vdev.legacy_ok = true;
	return 0;
}

static void vmm_release(struct device *dev)
{
	kfree(to_vmm(dev_to_vtio(dev)));
}

static int vmm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vmm_device *vm;
	struct resource *res;
	void __iomem *base;
	u64 mask;
	int err;

	base = devm_platform_get_and_ioremap_resource(pdev, 0, &res);
	if (IS_ERR(base))
		return PTR_ERR(base);

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->dev = dev;
	vm->base = base;
	vm->size = resource_size(res);
	raw_spin_lock_init(&vm->msi_lock);
	vm->proto_bits = proto_v2_bits;
	vm->first_mode = force_irq_mode == 1 ? VMM_IRQ_MSI_SHARED :
			 force_irq_mode == 2 ? VMM_IRQ_WIRED :
					       VMM_IRQ_MSI_PER_VQ;

	err = vmm_check_device(vm);
	if (err)
		goto err_free;

	if (!vmm_type_allowed(vm->vdev.id.device)) {
		dev_info(dev, "virtio device type %u is not handled (see extra_device_types)\n",
			 vm->vdev.id.device);
		err = -ENODEV;
		goto err_free;
	}
	if (vm->version == VMM_VERSION_LEGACY) {
		err = vmm_allow_legacy(vm);
		if (err)
			goto err_free;
	}

	/* Optional: a device may signal through MSI only. */
	vm->wired_irq = platform_get_irq_optional(pdev, 0);
	if (vm->wired_irq == -EPROBE_DEFER) {
		err = -EPROBE_DEFER;
		goto err_free;
	}

	/* A legacy ring is given as a 32-bit number of 4 KiB pages. */
	mask = vm->version == VMM_VERSION_LEGACY ?
	       DMA_BIT_MASK(32 + VMM_LEGACY_PAGE_SHIFT) : DMA_BIT_MASK(64);
	err = dma_set_mask_and_coherent(dev, mask);
	if (err) {
		dev_err(dev, "no usable DMA mask (%d)\n", err);
		goto err_free;
	}

	vm->vdev.config = &vmm_config_ops;
	vm->vdev.dev.parent = dev;
	vm->vdev.dev.release = vmm_release;
	vm->vdev.dev.groups = vmm_groups;
	platform_set_drvdata(pdev, vm);

	err = vtio_register_device(&vm->vdev);
	if (err) {
		dev_err(dev, "cannot register vtio device (%d)\n", err);
		platform_set_drvdata(pdev, NULL);
		/* The core owns vm now: the last reference frees it. */
		put_device(&vm->vdev.dev);
		return err;
	}
	dev_info(dev, "virtio-mmio Version %u, device type %u, vendor 0x%x: %s\n",
		 vm->version, vm->vdev.id.device, vm->vdev.id.vendor,
		 dev_name(&vm->vdev.dev));
	return 0;

err_free:
	kfree(vm);
	return err;
}

static void vmm_remove(struct platform_device *pdev)
{
	struct vmm_device *vm = platform_get_drvdata(pdev);

	/* Unregistering may drop the last reference; keep vm until done. */
	get_device(&vm->vdev.dev);
	vtio_unregister_device(&vm->vdev);

	/* The interrupts must not outlive the module; a driver bug left them. */
	if (vm->queues) {
		dev_warn(&pdev->dev, "driver left its queues set up; freeing them\n");
		vmm_del_vqs(&vm->vdev);
	}
	platform_set_drvdata(pdev, NULL);
	put_device(&vm->vdev.dev);
}

/* Stop all DMA before kexec or power off, even if no driver did. */
static void vmm_shutdown(struct platform_device *pdev)
{
	struct vmm_device *vm = platform_get_drvdata(pdev);

	if (vm)
		vmm_reset(&vm->vdev);
}

/*
 * No MODULE_DEVICE_TABLE: these ids also match the disk of a microvm or
 * an arm64 guest, which the in-tree virtio_mmio must keep.  The module is
 * loaded on purpose and takes devices by driver_override (or device=).
 */
static const struct of_device_id vmm_of_match[] = {
	{ .compatible = "virtio,mmio" },
	{ }
};

static const struct acpi_device_id vmm_acpi_match[] = {
	{ "LNRO0005" },
	{ }
};

static struct platform_driver vmm_driver = {
	.probe		= vmm_probe,
	/* The void callback under the one name both 6.1 and 6.12 have. */
	.remove_new	= vmm_remove,
	.shutdown	= vmm_shutdown,
	.driver		= {
		.name			= VMM_DRV_NAME,
		.of_match_table		= vmm_of_match,
		.acpi_match_table	= vmm_acpi_match,
	},
};

/* -------------------------------------------------------- module init -- */

static void vmm_unregister_cmdline(void)
{
	unsigned int i;

	for (i = 0; i < vmm_ncmdline; i++) {
		if (!vmm_cmdline[i].pdev)
			continue;
		platform_device_unregister(vmm_cmdline[i].pdev);
		vmm_cmdline[i].pdev = NULL;
	}
}

/* Platform devices for device=; named after the driver, so they bind. */
static int vmm_register_cmdline(void)
{
	unsigned int i;

	for (i = 0; i < vmm_ncmdline; i++) {
		struct vmm_cmdline_dev *d = &vmm_cmdline[i];
		struct resource res[] = {
			DEFINE_RES_MEM(d->base, d->size),
			DEFINE_RES_IRQ(d->irq),
		};
		struct platform_device *pdev;

		pdev = platform_device_register_simple(VMM_DRV_NAME,
						       d->id >= 0 ? d->id :
						       PLATFORM_DEVID_AUTO,
						       res, ARRAY_SIZE(res));
		if (IS_ERR(pdev)) {
			pr_err("device=0x%llx@0x%llx:%u: cannot create the platform device (%ld)\n",
			       d->size, d->base, d->irq, PTR_ERR(pdev));
			vmm_unregister_cmdline();
			return PTR_ERR(pdev);
		}
		d->pdev = pdev;
	}
	return 0;
}

static int __init vmm_init(void)
{
	int err;

	err = platform_driver_register(&vmm_driver);
	if (err)
		return err;
	err = vmm_register_cmdline();
	if (err)
		platform_driver_unregister(&vmm_driver);
	return err;
}

static void __exit vmm_exit(void)
{
	vmm_unregister_cmdline();
	platform_driver_unregister(&vmm_driver);
}

module_init(vmm_init);
module_exit(vmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtio virtio-mmio transport (Version 1/2, MSI extension)");
MODULE_IMPORT_NS(VTIO);
