// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq control queue: receive filters, MAC address, VLAN filter,
 * queue pairs, guest offloads, announce ack.
 *
 * One command is in flight at a time (ctrl_lock).  The device's answer is
 * awaited (its interrupt completes ctrl_done) for a bounded time; a
 * command that is never answered disables the control queue for good,
 * because the device may still write into the command's buffers: they are
 * kept until the device is reset in remove.
 */
#include <linux/completion.h>
#include <linux/slab.h>

#include "vnet.h"

#define VNET_CTRL_MAX_OUT	2	/* MAC_TABLE_SET: unicast + multicast */

void vnet_ctrl_callback(struct vtio_vq *vq)
{
	struct vnet_priv *vi = vq->vdev->priv;

	complete(&vi->ctrl_done);
}

/* Issue one command and wait for the ack.  Caller holds ctrl_lock. */
static int vnet_ctrl_send(struct vnet_priv *vi, u8 class, u8 cmd,
			  struct scatterlist *out, unsigned int nout)
{
	struct scatterlist *sgs[VNET_CTRL_MAX_OUT + 2];
	struct scatterlist hdr_sg, status_sg;
	struct vnet_ctrl *ctrl = vi->ctrl;
	unsigned int i, len;
	unsigned long deadline;
	bool notify;
	int err;

	lockdep_assert_held(&vi->ctrl_lock);
	if (!vi->cvq)
		return -EOPNOTSUPP;
	if (vi->ctrl_dead)
		return -EIO;
	if (WARN_ON_ONCE(nout > VNET_CTRL_MAX_OUT))
		return -EINVAL;

	reinit_completion(&vi->ctrl_done);
	ctrl->hdr.class = class;
	ctrl->hdr.cmd = cmd;
	ctrl->status = VIRTIO_NET_ERR;

	sg_init_one(&hdr_sg, &ctrl->hdr, sizeof(ctrl->hdr));
	sgs[0] = &hdr_sg;
	for (i = 0; i < nout; i++)
		sgs[1 + i] = &out[i];
	sg_init_one(&status_sg, &ctrl->status, sizeof(ctrl->status));
	sgs[1 + nout] = &status_sg;
	notify = vnet_ctrl_inject(vi, &ctrl->hdr);

	err = vtio_vq_add_sgs(vi->cvq, sgs, 1 + nout, 1, ctrl, GFP_KERNEL);
	if (err) {
		netdev_err(vi->dev, "control command %u.%u: queue add failed: %d\n",
			   class, cmd, err);
		return err;
	}
	if (unlikely(notify && !vtio_vq_kick(vi->cvq))) {
		err = -EIO;
		goto dead;
	}

	deadline = jiffies + msecs_to_jiffies(VNET_CTRL_TIMEOUT_MS);
	while (!vtio_vq_get_buf(vi->cvq, &len)) {
		long left = (long)(deadline - jiffies);

		if (vtio_vq_is_broken(vi->cvq)) {
			err = -EIO;
			goto dead;
		}
		if (left <= 0) {
			err = -ETIMEDOUT;
			goto dead;
		}
		wait_for_completion_timeout(&vi->ctrl_done, left);
	}
	return ctrl->status == VIRTIO_NET_OK ? 0 : -EIO;

dead:
	vi->ctrl_dead = true;
	netdev_err(vi->dev, "control command %u.%u %s; control queue disabled\n",
		   class, cmd, err == -ETIMEDOUT ?
		   "not answered in " __stringify(VNET_CTRL_TIMEOUT_MS) " ms" :
		   "failed: queue broken");
	return err;
}

/* A command with at most sizeof(ctrl->data) bytes of payload. */
int vnet_ctrl_cmd(struct vnet_priv *vi, u8 class, u8 cmd,
		  const void *data, unsigned int len)
{
	struct scatterlist sg;
	int err;

	if (len > sizeof(vi->ctrl->data))
		return -EINVAL;

	mutex_lock(&vi->ctrl_lock);
	if (len) {
		memcpy(vi->ctrl->data, data, len);
		sg_init_one(&sg, vi->ctrl->data, len);
	}
	err = vnet_ctrl_send(vi, class, cmd, &sg, len ? 1 : 0);
	mutex_unlock(&vi->ctrl_lock);
	return err;
}

/*
 * A command whose payload is @n pieces of the kmalloc'd @buf (lengths in
 * @lens); consumes @buf.  A buffer the device may still write after a
 * timeout is kept until the device is reset.
 */
static int vnet_ctrl_send_owned(struct vnet_priv *vi, u8 class, u8 cmd,
				u8 *buf, const unsigned int *lens,
				unsigned int n)
{
	struct scatterlist sg[VNET_CTRL_MAX_OUT];
	unsigned int i, off = 0;
	bool was_dead;
	int err;

	if (WARN_ON_ONCE(n > VNET_CTRL_MAX_OUT)) {
		kfree(buf);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		sg_init_one(&sg[i], buf + off, lens[i]);
		off += lens[i];
	}

	mutex_lock(&vi->ctrl_lock);
	was_dead = vi->ctrl_dead;
	err = vnet_ctrl_send(vi, class, cmd, sg, n);
	if (!was_dead && vi->ctrl_dead) {
		vi->ctrl_orphan = buf;
		buf = NULL;
	}
	mutex_unlock(&vi->ctrl_lock);
	kfree(buf);
	return err;
}

/* A command with a payload of any size in the kmalloc'd @buf (consumed). */
int vnet_ctrl_cmd_buf(struct vnet_priv *vi, u8 class, u8 cmd,
		      void *buf, unsigned int len)
{
	return vnet_ctrl_send_owned(vi, class, cmd, buf, &len, 1);
}

int vnet_ctrl_set_mac(struct vnet_priv *vi, const u8 *addr)
{
	return vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_MAC,
			     VIRTIO_NET_CTRL_MAC_ADDR_SET, addr, ETH_ALEN);
}

/* Host-driven steering over the first @pairs queue pairs. */
int vnet_ctrl_set_pairs(struct vnet_priv *vi, unsigned int pairs)
{
	__virtio16 v = __cpu_to_virtio16(true, pairs);

	return vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_MQ,
			     VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &v, sizeof(v));
}

int vnet_ctrl_vlan(struct vnet_priv *vi, u16 vid, bool add)
{
	__virtio16 v = __cpu_to_virtio16(true, vid);

	return vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_VLAN,
			     add ? VIRTIO_NET_CTRL_VLAN_ADD :
				   VIRTIO_NET_CTRL_VLAN_DEL, &v, sizeof(v));
}

/* @offloads: the VIRTIO_NET_F_GUEST_* bits the device may use. */
int vnet_ctrl_guest_offloads(struct vnet_priv *vi, u64 offloads)
{
	__virtio64 v = __cpu_to_virtio64(true, offloads);

	return vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_GUEST_OFFLOADS,
			     VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &v, sizeof(v));
}

void vnet_ctrl_announce_ack(struct vnet_priv *vi)
{
	if (vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_ANNOUNCE,
			  VIRTIO_NET_CTRL_ANNOUNCE_ACK, NULL, 0))
		netdev_warn(vi->dev, "failed to acknowledge the link announcement\n");
}

/* MAC_TABLE_SET with a kmalloc'd buffer; consumes @buf. */
static int vnet_ctrl_mac_table(struct vnet_priv *vi, u8 *buf,
			       size_t uc_len, size_t mc_len)
{
	unsigned int lens[2] = { uc_len, mc_len };

	return vnet_ctrl_send_owned(vi, VIRTIO_NET_CTRL_MAC,
				    VIRTIO_NET_CTRL_MAC_TABLE_SET, buf, lens, 2);
}

/* Build the unicast + multicast tables under the address list lock. */
static u8 *vnet_build_mac_table(struct net_device *dev, size_t *uc_len,
				size_t *mc_len)
{
	struct virtio_net_ctrl_mac *uc, *mc;
	struct netdev_hw_addr *ha;
	unsigned int n;
	u8 *buf;

	netif_addr_lock_bh(dev);
	*uc_len = struct_size(uc, macs, netdev_uc_count(dev));
	*mc_len = struct_size(mc, macs, netdev_mc_count(dev));
	buf = kzalloc(*uc_len + *mc_len, GFP_ATOMIC);
	if (buf) {
		uc = (struct virtio_net_ctrl_mac *)buf;
		mc = (struct virtio_net_ctrl_mac *)(buf + *uc_len);

		n = 0;
		netdev_for_each_uc_addr(ha, dev)
			memcpy(uc->macs[n++], ha->addr, ETH_ALEN);
		uc->entries = __cpu_to_virtio32(true, n);

		n = 0;
		netdev_for_each_mc_addr(ha, dev)
			memcpy(mc->macs[n++], ha->addr, ETH_ALEN);
		mc->entries = __cpu_to_virtio32(true, n);
	}
	netif_addr_unlock_bh(dev);
	return buf;
}

void vnet_rx_mode_work(struct work_struct *work)
{
	struct vnet_priv *vi = container_of(work, struct vnet_priv,
					    rx_mode_work);
	struct net_device *dev = vi->dev;
	unsigned int flags = READ_ONCE(dev->flags);
	u8 promisc = !!(flags & IFF_PROMISC);
	u8 allmulti = !!(flags & IFF_ALLMULTI);
	size_t uc_len, mc_len;
	u8 *buf;

	/*
	 * A closed device gets its filters again from the next open, a
	 * detached one (being re-initialised) when it is attached again.
	 */
	if (READ_ONCE(vi->ctrl_dead) || !netif_running(dev) ||
	    !netif_device_present(dev))
		return;

	if (vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
			  &promisc, sizeof(promisc)))
		netdev_warn(dev, "failed to %s promiscuous mode\n",
			    promisc ? "enable" : "disable");
	if (vnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI,
			  &allmulti, sizeof(allmulti)))
		netdev_warn(dev, "failed to %s all-multicast mode\n",
			    allmulti ? "enable" : "disable");

	buf = vnet_build_mac_table(dev, &uc_len, &mc_len);
	if (!buf) {
		netdev_err(dev, "no memory for the MAC filter table\n");
		return;
	}
	if (vnet_ctrl_mac_table(vi, buf, uc_len, mc_len))
		netdev_warn(dev, "failed to set the MAC filter table\n");
}

/* Called with the address list lock held, in atomic context. */
void vnet_set_rx_mode(struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);

	if (vnet_has(vi, VIRTIO_NET_F_CTRL_RX))
		schedule_work(&vi->rx_mode_work);
}
