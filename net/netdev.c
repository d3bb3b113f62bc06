// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq netdev operations: open / stop, MAC address, statistics,
 * VLAN filter and the receive offloads the device lets the guest toggle.
 */
#include <linux/netdevice.h>

#include "vnet.h"

/* Receive offloads VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET can switch. */
#define VNET_GUEST_LRO	(BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) | \
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) | \
			 BIT_ULL(VIRTIO_NET_F_GUEST_ECN) | \
			 BIT_ULL(VIRTIO_NET_F_GUEST_UFO))
#define VNET_GUEST_OFFLOADS	(VNET_GUEST_LRO | BIT_ULL(VIRTIO_NET_F_GUEST_CSUM))

/* Fill the enabled receive queues and start every NAPI: open and re-init. */
void vnet_start_datapath(struct vnet_priv *vi)
{
	bool refill = false;
	unsigned int i;

	/* Only enabled pairs get buffers; vnet_set_pairs() fills the rest. */
	for (i = 0; i < vi->cur_pairs; i++) {
		if (!vnet_rx_fill(&vi->rq[i], GFP_KERNEL))
			refill = true;
	}

	spin_lock_bh(&vi->refill_lock);
	vi->refill_on = true;
	spin_unlock_bh(&vi->refill_lock);

	/* Every NAPI runs, so ethtool -L never has to start or stop one. */
	for (i = 0; i < vi->max_pairs; i++) {
		vnet_napi_enable(&vi->rq[i].napi, vi->rq[i].vq);
		vnet_napi_enable(&vi->sq[i].napi, vi->sq[i].vq);
	}
	if (refill)
		vnet_schedule_refill(vi, 0);
}

static int vnet_open(struct net_device *dev)
{
	vnet_start_datapath(netdev_priv(dev));
	return 0;
}

static int vnet_close(struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);
	unsigned int i;

	spin_lock_bh(&vi->refill_lock);
	vi->refill_on = false;
	spin_unlock_bh(&vi->refill_lock);
	cancel_delayed_work_sync(&vi->refill);

	/* A failed re-init left every NAPI disabled already. */
	if (vi->dead)
		return 0;
	for (i = 0; i < vi->max_pairs; i++) {
		napi_disable(&vi->rq[i].napi);
		napi_disable(&vi->sq[i].napi);
	}
	return 0;
}

static int vnet_set_mac_address(struct net_device *dev, void *p)
{
	struct vnet_priv *vi = netdev_priv(dev);
	struct sockaddr *sa = p;
	int err;

	err = eth_prepare_mac_addr_change(dev, p);
	if (err)
		return err;

	if (vnet_has(vi, VIRTIO_NET_F_CTRL_MAC_ADDR)) {
		err = vnet_ctrl_set_mac(vi, (const u8 *)sa->sa_data);
		if (err) {
			netdev_err(dev, "device refused MAC address %pM: %d\n",
				   sa->sa_data, err);
			return err;
		}
	} else if (vnet_has(vi, VIRTIO_NET_F_MAC)) {
		/*
		 * The device filters on its config MAC, which a VERSION_1
		 * driver may not write: without CTRL_MAC_ADDR it cannot move.
		 */
		return -EOPNOTSUPP;
	}
	/* Otherwise the device never learnt an address: change it locally. */
	eth_commit_mac_addr_change(dev, p);
	return 0;
}

static void vnet_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *tot)
{
	struct vnet_priv *vi = netdev_priv(dev);
	u64 v[VNET_STATS_MAX];
	unsigned int i;

	for (i = 0; i < vi->max_pairs; i++) {
		vnet_stats_read(&vi->rq[i].stats, v, VNET_RQ_NSTATS);
		tot->rx_packets += v[VNET_RQ_PACKETS];
		tot->rx_bytes += v[VNET_RQ_BYTES];
		tot->rx_dropped += v[VNET_RQ_DROPS];
		tot->rx_length_errors += v[VNET_RQ_LENGTH_ERRORS];
		tot->rx_frame_errors += v[VNET_RQ_HDR_ERRORS];
		tot->rx_errors += v[VNET_RQ_LENGTH_ERRORS] +
				  v[VNET_RQ_HDR_ERRORS];

		vnet_stats_read(&vi->sq[i].stats, v, VNET_SQ_NSTATS);
		tot->tx_packets += v[VNET_SQ_PACKETS];
		tot->tx_bytes += v[VNET_SQ_BYTES];
		tot->tx_dropped += v[VNET_SQ_DROPS];
	}
}

/*
 * VIRTIO_NET_F_CTRL_VLAN: the device drops tagged frames whose VLAN is not
 * in its table.  8021q adds and kills ids here (under rtnl); the table is
 * kept to program it again after a re-init.
 */
static int vnet_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct vnet_priv *vi = netdev_priv(dev);
	int err;

	if (vi->dead)
		return -ENODEV;
	err = vnet_ctrl_vlan(vi, vid, true);
	if (err) {
		netdev_err(dev, "device refused to add VLAN %u: %d\n", vid, err);
		return err;
	}
	set_bit(vid, vi->vlans);
	return 0;
}

static int vnet_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct vnet_priv *vi = netdev_priv(dev);
	int err;

	/* The stack forgets the id whatever we return: so do we. */
	clear_bit(vid, vi->vlans);
	if (vi->dead)
		return -ENODEV;
	err = vnet_ctrl_vlan(vi, vid, false);
	if (err)
		netdev_err(dev, "device refused to remove VLAN %u: %d\n",
			   vid, err);
	return err;
}

/* The device cannot coalesce (LRO) without checksumming for us. */
static netdev_features_t vnet_fix_features(struct net_device *dev,
					   netdev_features_t features)
{
	if (!(features & NETIF_F_RXCSUM))
		features &= ~NETIF_F_LRO;
	return features;
}

/* The guest offloads that @features ask for, within what was negotiated. */
static u64 vnet_guest_offloads(const struct vnet_priv *vi,
			       netdev_features_t features)
{
	u64 offloads = vi->vdev->features & VNET_GUEST_OFFLOADS;

	if (!(features & NETIF_F_LRO))
		offloads &= ~VNET_GUEST_LRO;
	if (!(features & NETIF_F_RXCSUM))
		offloads &= ~BIT_ULL(VIRTIO_NET_F_GUEST_CSUM);
	return offloads;
}

/* ethtool -K lro / rx: tell the device first; on refusal nothing changes. */
static int vnet_set_features(struct net_device *dev,
			     netdev_features_t features)
{
	struct vnet_priv *vi = netdev_priv(dev);
	u64 offloads;
	int err;

	if (!vnet_has(vi, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS))
		return 0;
	offloads = vnet_guest_offloads(vi, features);
	if (offloads == vi->guest_offloads)
		return 0;
	if (vi->dead)
		return -ENODEV;
	err = vnet_ctrl_guest_offloads(vi, offloads);
	if (err)
		return err;
	vi->guest_offloads = offloads;
	return 0;
}

/* Receive offload state at probe: the device starts with all it agreed to. */
void vnet_init_guest_offloads(struct vnet_priv *vi)
{
	vi->guest_offloads = vi->vdev->features & VNET_GUEST_OFFLOADS;
}

const struct net_device_ops vnet_netdev_ops = {
	.ndo_open		= vnet_open,
	.ndo_stop		= vnet_close,
	.ndo_start_xmit		= vnet_start_xmit,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_mac_address	= vnet_set_mac_address,
	.ndo_set_rx_mode	= vnet_set_rx_mode,
	.ndo_get_stats64	= vnet_get_stats64,
	.ndo_tx_timeout		= vnet_tx_timeout,
	.ndo_vlan_rx_add_vid	= vnet_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= vnet_vlan_rx_kill_vid,
	.ndo_fix_features	= vnet_fix_features,
	.ndo_set_features	= vnet_set_features,
};
