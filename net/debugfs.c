// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq debugfs: control queue fault injection.
 *
 * QEMU answers every command the driver sends (the driver validates them
 * first), so the paths for a device that refuses a command or never
 * answers one cannot be reached from the host.  Two counters per device
 * reach them through the real queue:
 *
 *   /sys/kernel/debug/virtio_net_mq/vtioN/ctrl_refuse
 *	the next N commands go out with a class no device implements, so
 *	the device itself answers VIRTIO_NET_ERR;
 *   /sys/kernel/debug/virtio_net_mq/vtioN/ctrl_mute
 *	the next N commands are made available without a notification, so
 *	the device never sees them and the bounded wait runs out.
 */
#include <linux/debugfs.h>

#include "vnet.h"

/* No device defines this class (virtio 1.3 5.1.6.5 uses 0..6). */
#define VNET_CTRL_CLASS_UNKNOWN	0xff

static struct dentry *vnet_debugfs_root;

void vnet_debugfs_init(void)
{
	vnet_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void vnet_debugfs_exit(void)
{
	debugfs_remove_recursive(vnet_debugfs_root);
}

void vnet_debugfs_add(struct vnet_priv *vi)
{
	vi->debugfs = debugfs_create_dir(dev_name(&vi->vdev->dev),
					 vnet_debugfs_root);
	debugfs_create_u32("ctrl_refuse", 0600, vi->debugfs,
			   &vi->ctrl_fault.refuse);
	debugfs_create_u32("ctrl_mute", 0600, vi->debugfs,
			   &vi->ctrl_fault.mute);
}

void vnet_debugfs_remove(struct vnet_priv *vi)
{
	debugfs_remove_recursive(vi->debugfs);
	vi->debugfs = NULL;
}

/* Take one injected fault, if any, for the command about to go out. */
static bool vnet_fault_take(u32 *count)
{
	u32 n = READ_ONCE(*count);

	if (!n)
		return false;
	WRITE_ONCE(*count, n - 1);
	return true;
}

/*
 * Called under ctrl_lock with the command header filled in.  Returns
 * false when the device must not be notified of this command.
 */
bool vnet_ctrl_inject(struct vnet_priv *vi, struct virtio_net_ctrl_hdr *hdr)
{
	lockdep_assert_held(&vi->ctrl_lock);
	if (vnet_fault_take(&vi->ctrl_fault.refuse)) {
		netdev_info(vi->dev, "debugfs: command %u.%u sent as class %u for the device to refuse\n",
			    hdr->class, hdr->cmd, VNET_CTRL_CLASS_UNKNOWN);
		hdr->class = VNET_CTRL_CLASS_UNKNOWN;
	}
	if (vnet_fault_take(&vi->ctrl_fault.mute)) {
		netdev_info(vi->dev, "debugfs: command %u.%u queued without notifying the device\n",
			    hdr->class, hdr->cmd);
		return false;
	}
	return true;
}
