// SPDX-License-Identifier: GPL-2.0
/*
 * The vtio bus: device/driver model, feature negotiation and the status
 * handshake (virtio 1.3, 3.1.1).  Named "vtio" so it loads beside the
 * in-tree "virtio" bus.
 */
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/slab.h>

#include "vtio.h"
#include "vtio_compat.h"

static DEFINE_IDA(vtio_index_ida);

/* A device that keeps changing its config while we read it is broken. */
#define VTIO_CONFIG_RETRIES	64

/* ---------------------------------------------------------- sysfs --- */

static ssize_t device_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", dev_to_vtio(d)->id.device);
}
static DEVICE_ATTR_RO(device);

static ssize_t vendor_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", dev_to_vtio(d)->id.vendor);
}
static DEVICE_ATTR_RO(vendor);

static ssize_t status_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct vtio_device *vdev = dev_to_vtio(d);

	return sysfs_emit(buf, "0x%08x\n", vdev->config->get_status(vdev));
}
static DEVICE_ATTR_RO(status);

/*
 * Same format as the in-tree bus but our own prefix, so udev never loads
 * an in-tree virtio driver for one of our devices.
 */
static ssize_t modalias_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct vtio_device *vdev = dev_to_vtio(d);

	return sysfs_emit(buf, "vtio:d%08Xv%08X\n", vdev->id.device,
			  vdev->id.vendor);
}
static DEVICE_ATTR_RO(modalias);

/* Character N is feature bit N, as scripts for the in-tree bus expect. */
static ssize_t features_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct vtio_device *vdev = dev_to_vtio(d);
	char bits[65];
	unsigned int i;

	for (i = 0; i < 64; i++)
		bits[i] = vtio_has_feature(vdev, i) ? '1' : '0';
	bits[64] = '\0';
	return sysfs_emit(buf, "%s\n", bits);
}
static DEVICE_ATTR_RO(features);

static struct attribute *vtio_dev_attrs[] = {
	&dev_attr_device.attr,
	&dev_attr_vendor.attr,
	&dev_attr_status.attr,
	&dev_attr_modalias.attr,
	&dev_attr_features.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vtio_dev);

/* ------------------------------------------------------- matching --- */

static bool vtio_id_match(const struct vtio_device *vdev,
			  const struct vtio_device_id *id)
{
	if (id->device != VTIO_DEV_ANY_ID && id->device != vdev->id.device)
		return false;
	return id->vendor == VTIO_DEV_ANY_ID || id->vendor == vdev->id.vendor;
}

static int vtio_bus_match(struct device *dev, vtio_match_driver_t *drv)
{
	const struct vtio_device *vdev = dev_to_vtio(dev);
	const struct vtio_device_id *ids = drv_to_vtio(drv)->id_table;
	unsigned int i;

	for (i = 0; ids[i].device; i++)
		if (vtio_id_match(vdev, &ids[i]))
			return 1;
	return 0;
}

static int vtio_bus_uevent(vtio_uevent_device_t *dev,
			   struct kobj_uevent_env *env)
{
	const struct vtio_device *vdev = dev_to_vtio(dev);

	return add_uevent_var(env, "MODALIAS=vtio:d%08Xv%08X",
			      vdev->id.device, vdev->id.vendor);
}

/* --------------------------------------------------------- status --- */

void vtio_add_status(struct vtio_device *vdev, u8 status)
{
	might_sleep();
	vdev->config->set_status(vdev, vdev->config->get_status(vdev) | status);
}
EXPORT_SYMBOL_NS_GPL(vtio_add_status, VTIO);

void vtio_device_ready(struct vtio_device *vdev)
{
	u8 status = vdev->config->get_status(vdev);

	if (status & VTIO_STATUS_DRIVER_OK) {
		dev_warn(&vdev->dev, "device_ready called twice\n");
		return;
	}
	vdev->config->set_status(vdev, status | VTIO_STATUS_DRIVER_OK);
}
EXPORT_SYMBOL_NS_GPL(vtio_device_ready, VTIO);

void vtio_reset_device(struct vtio_device *vdev)
{
	vdev->config->reset(vdev);
}
EXPORT_SYMBOL_NS_GPL(vtio_reset_device, VTIO);

/* --------------------------------------------------- config space --- */

static void vtio_config_work(struct work_struct *work)
{
	struct vtio_device *vdev = container_of(work, struct vtio_device,
						config_work);
	struct vtio_driver *drv;

	/* The driver cannot go away under us: remove() flushes this work. */
	if (!vdev->dev.driver)
		return;
	drv = drv_to_vtio(vdev->dev.driver);
	if (drv->config_changed)
		drv->config_changed(vdev);
}

void vtio_config_changed(struct vtio_device *vdev)
{
	unsigned long flags;

	spin_lock_irqsave(&vdev->config_lock, flags);
	if (vdev->config_core_enabled && vdev->config_driver_enabled)
		schedule_work(&vdev->config_work);
	else
		vdev->config_change_pending = true;
	spin_unlock_irqrestore(&vdev->config_lock, flags);
}
EXPORT_SYMBOL_NS_GPL(vtio_config_changed, VTIO);

static void vtio_config_set(struct vtio_device *vdev, bool *which, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&vdev->config_lock, flags);
	*which = on;
	if (on && vdev->config_core_enabled && vdev->config_driver_enabled &&
	    vdev->config_change_pending) {
		vdev->config_change_pending = false;
		schedule_work(&vdev->config_work);
	}
	spin_unlock_irqrestore(&vdev->config_lock, flags);
}

void vtio_config_driver_enable(struct vtio_device *vdev)
{
	vtio_config_set(vdev, &vdev->config_driver_enabled, true);
}
EXPORT_SYMBOL_NS_GPL(vtio_config_driver_enable, VTIO);

void vtio_config_driver_disable(struct vtio_device *vdev)
{
	vtio_config_set(vdev, &vdev->config_driver_enabled, false);
}
EXPORT_SYMBOL_NS_GPL(vtio_config_driver_disable, VTIO);

void vtio_break_device(struct vtio_device *vdev)
{
	dev_err(&vdev->dev, "device needs a reset; queues stopped\n");
	vtio_vqs_break_all(vdev);
}
EXPORT_SYMBOL_NS_GPL(vtio_break_device, VTIO);

void vtio_cread_bytes(struct vtio_device *vdev, unsigned int offset,
		      void *buf, unsigned int len)
{
	unsigned int tries = 0;
	u32 gen;

	do {
		gen = vdev->config->generation ?
		      vdev->config->generation(vdev) : 0;
		vdev->config->get(vdev, offset, buf, len);
		if (!vdev->config->generation ||
		    gen == vdev->config->generation(vdev))
			return;
	} while (++tries < VTIO_CONFIG_RETRIES);
	dev_err_ratelimited(&vdev->dev,
			    "config generation kept changing while reading %u bytes at %u\n",
			    len, offset);
}
EXPORT_SYMBOL_NS_GPL(vtio_cread_bytes, VTIO);

u8 vtio_cread8(struct vtio_device *vdev, unsigned int offset)
{
	u8 v;

	vdev->config->get(vdev, offset, &v, sizeof(v));
	return v;
}
EXPORT_SYMBOL_NS_GPL(vtio_cread8, VTIO);

u16 vtio_cread16(struct vtio_device *vdev, unsigned int offset)
{
	__le16 v;

	vtio_cread_bytes(vdev, offset, &v, sizeof(v));
	return le16_to_cpu(v);
}
EXPORT_SYMBOL_NS_GPL(vtio_cread16, VTIO);

u32 vtio_cread32(struct vtio_device *vdev, unsigned int offset)
{
	__le32 v;

	vtio_cread_bytes(vdev, offset, &v, sizeof(v));
	return le32_to_cpu(v);
}
EXPORT_SYMBOL_NS_GPL(vtio_cread32, VTIO);

u64 vtio_cread64(struct vtio_device *vdev, unsigned int offset)
{
	__le64 v;

	vtio_cread_bytes(vdev, offset, &v, sizeof(v));
	return le64_to_cpu(v);
}
EXPORT_SYMBOL_NS_GPL(vtio_cread64, VTIO);

void vtio_cwrite8(struct vtio_device *vdev, unsigned int offset, u8 val)
{
	vdev->config->set(vdev, offset, &val, sizeof(val));
}
EXPORT_SYMBOL_NS_GPL(vtio_cwrite8, VTIO);

void vtio_cwrite16(struct vtio_device *vdev, unsigned int offset, u16 val)
{
	__le16 v = cpu_to_le16(val);

	vdev->config->set(vdev, offset, &v, sizeof(v));
}
EXPORT_SYMBOL_NS_GPL(vtio_cwrite16, VTIO);

void vtio_cwrite32(struct vtio_device *vdev, unsigned int offset, u32 val)
{
	__le32 v = cpu_to_le32(val);

	vdev->config->set(vdev, offset, &v, sizeof(v));
}
EXPORT_SYMBOL_NS_GPL(vtio_cwrite32, VTIO);

/* ---------------------------------------------------- negotiation --- */

static bool vtio_is_transport_bit(unsigned int bit)
{
	return bit >= VTIO_TRANSPORT_F_START && bit < VTIO_TRANSPORT_F_END;
}

static u64 vtio_driver_features(const struct vtio_driver *drv)
{
	u64 features = vtio_ring_transport_features();
	unsigned int i;

	for (i = 0; i < drv->feature_table_size; i++) {
		unsigned int bit = drv->feature_table[i];

		if (bit < 64 && !vtio_is_transport_bit(bit))
			features |= BIT_ULL(bit);
	}
	return features;
}

static int vtio_negotiate(struct vtio_device *vdev, struct vtio_driver *drv)
{
	bool legacy;
	u8 status;
	int err;

	vdev->device_features = vdev->config->get_features(vdev);
	legacy = !(vdev->device_features & BIT_ULL(VTIO_F_VERSION_1));
	if (legacy && !vdev->legacy_ok) {
		dev_err(&vdev->dev,
			"device does not offer VIRTIO_F_VERSION_1; legacy devices are not supported\n");
		return -ENODEV;
	}
	vdev->features = vdev->device_features & vtio_driver_features(drv);
	/* Queue reset needs the transport's half. */
	if (!vdev->config->reset_vq || !vdev->config->enable_vq)
		vtio_clear_feature(vdev, VTIO_F_RING_RESET);

	if (drv->validate) {
		err = drv->validate(vdev);
		if (err)
			return err;
	}
	/* validate() may only take features away, never add them. */
	vdev->features &= vdev->device_features;
	if (!legacy)
		vdev->features |= BIT_ULL(VTIO_F_VERSION_1);

	err = vdev->config->finalize_features(vdev);
	if (err)
		return err;
	/* Legacy devices know no FEATURES_OK (virtio 1.3, 3.1.2). */
	if (legacy)
		return 0;

	vtio_add_status(vdev, VTIO_STATUS_FEATURES_OK);
	status = vdev->config->get_status(vdev);
	if (!(status & VTIO_STATUS_FEATURES_OK)) {
		dev_err(&vdev->dev,
			"device refused features 0x%016llx (status 0x%02x)\n",
			vdev->features, status);
		return -ENODEV;
	}
	return 0;
}

static int vtio_bus_probe(struct device *dev)
{
	struct vtio_device *vdev = dev_to_vtio(dev);
	struct vtio_driver *drv = drv_to_vtio(dev->driver);
	int err;

	vtio_add_status(vdev, VTIO_STATUS_DRIVER);
	err = vtio_negotiate(vdev, drv);
	if (err)
		goto fail;

	err = drv->probe(vdev);
	if (err)
		goto fail;

	if (!(vdev->config->get_status(vdev) & VTIO_STATUS_DRIVER_OK))
		vtio_device_ready(vdev);
	if (drv->scan)
		drv->scan(vdev);
	vtio_config_set(vdev, &vdev->config_core_enabled, true);
	return 0;

fail:
	vtio_add_status(vdev, VTIO_STATUS_FAILED);
	vdev->failed = true;
	return err;
}

static void vtio_bus_remove(struct device *dev)
{
	struct vtio_device *vdev = dev_to_vtio(dev);
	struct vtio_driver *drv = drv_to_vtio(dev->driver);
	u8 status;

	vtio_config_set(vdev, &vdev->config_core_enabled, false);
	cancel_work_sync(&vdev->config_work);

	drv->remove(vdev);

	/*
	 * A driver must leave the device reset; make sure it did.  All ones
	 * is what a surprise-removed device reads back: nothing to reset.
	 */
	status = vdev->config->get_status(vdev);
	if (status && status != 0xff) {
		dev_warn(dev, "driver left the device running; resetting it\n");
		vtio_reset_device(vdev);
	}
	vtio_add_status(vdev, VTIO_STATUS_ACKNOWLEDGE);
}

static void vtio_bus_shutdown(struct device *dev)
{
	struct vtio_device *vdev = dev_to_vtio(dev);
	struct vtio_driver *drv = dev->driver ? drv_to_vtio(dev->driver) : NULL;

	if (drv && drv->shutdown)
		drv->shutdown(vdev);
	else
		/* Stop DMA before the next kernel (kexec) reuses memory. */
		vtio_reset_device(vdev);
}

static vtio_bus_type_t vtio_bus = {
	.name		= "vtio",
	.match		= vtio_bus_match,
	.uevent		= vtio_bus_uevent,
	.probe		= vtio_bus_probe,
	.remove		= vtio_bus_remove,
	.shutdown	= vtio_bus_shutdown,
	.dev_groups	= vtio_dev_groups,
};

/* ---------------------------------------------------- registration --- */

int __vtio_register_driver(struct vtio_driver *drv, struct module *owner)
{
	if (!drv->id_table || !drv->probe || !drv->remove)
		return -EINVAL;
	drv->driver.bus = &vtio_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_NS_GPL(__vtio_register_driver, VTIO);

void vtio_unregister_driver(struct vtio_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_NS_GPL(vtio_unregister_driver, VTIO);

int vtio_register_device(struct vtio_device *vdev)
{
	int index;

	device_initialize(&vdev->dev);
	vdev->dev.bus = &vtio_bus;
	INIT_LIST_HEAD(&vdev->vqs);
	spin_lock_init(&vdev->config_lock);
	INIT_WORK(&vdev->config_work, vtio_config_work);
	vdev->config_core_enabled = false;
	vdev->config_change_pending = false;
	/* Drivers that never toggle config callbacks get them after probe. */
	vdev->config_driver_enabled = true;

	index = ida_alloc(&vtio_index_ida, GFP_KERNEL);
	if (index < 0)
		return index;
	vdev->index = index;
	dev_set_name(&vdev->dev, "vtio%d", index);

	/* Start from a clean device whatever firmware or a crash left. */
	vtio_reset_device(vdev);
	vtio_add_status(vdev, VTIO_STATUS_ACKNOWLEDGE);

	index = device_add(&vdev->dev);
	if (index) {
		ida_free(&vtio_index_ida, vdev->index);
		vtio_add_status(vdev, VTIO_STATUS_FAILED);
	}
	return index;
}
EXPORT_SYMBOL_NS_GPL(vtio_register_device, VTIO);

void vtio_unregister_device(struct vtio_device *vdev)
{
	int index = vdev->index;

	/* Drop our reference last: release() may free vdev. */
	get_device(&vdev->dev);
	device_unregister(&vdev->dev);
	ida_free(&vtio_index_ida, index);
	put_device(&vdev->dev);
}
EXPORT_SYMBOL_NS_GPL(vtio_unregister_device, VTIO);

static int __init vtio_init(void)
{
	return bus_register(&vtio_bus);
}

static void __exit vtio_exit(void)
{
	bus_unregister(&vtio_bus);
	ida_destroy(&vtio_index_ida);
}

module_init(vtio_init);
module_exit(vtio_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtio bus and virtqueue engine (split and packed rings)");
