// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq ethtool operations.
 *
 * Statistics are per queue: rx_queue_<n>_<counter> for every receive queue,
 * then tx_queue_<n>_<counter> for every transmit queue, for all the pairs
 * the device has, enabled or not (the list never changes size, and an idle
 * queue shows that it is idle).
 *
 * Every setter checks its arguments before it touches anything and returns
 * an errno, leaving the device as it was, when they are out of range.
 */
#include <linux/ethtool.h>
#include <linux/log2.h>

#include "vnet.h"
#include "vtio_compat.h"

static const char * const vnet_rq_stat_names[VNET_RQ_NSTATS] = {
	[VNET_RQ_PACKETS]	= "packets",
	[VNET_RQ_BYTES]		= "bytes",
	[VNET_RQ_DROPS]		= "drops",
	[VNET_RQ_LENGTH_ERRORS]	= "length_errors",
	[VNET_RQ_HDR_ERRORS]	= "hdr_errors",
	[VNET_RQ_KICKS]		= "kicks",
	[VNET_RQ_NAPI_POLLS]	= "napi_polls",
	[VNET_RQ_HASHES]	= "hash_reports",
};

static const char * const vnet_sq_stat_names[VNET_SQ_NSTATS] = {
	[VNET_SQ_PACKETS]	= "packets",
	[VNET_SQ_BYTES]		= "bytes",
	[VNET_SQ_DROPS]		= "drops",
	[VNET_SQ_KICKS]		= "kicks",
	[VNET_SQ_NAPI_POLLS]	= "napi_polls",
	[VNET_SQ_STOPS]		= "stops",
	[VNET_SQ_WAKES]		= "wakes",
};

/* Each queue also reports "interrupts", kept apart from the rest. */
#define VNET_RQ_ETH_STATS	(VNET_RQ_NSTATS + 1)
#define VNET_SQ_ETH_STATS	(VNET_SQ_NSTATS + 1)

static void vnet_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	struct vnet_priv *vi = netdev_priv(dev);
	struct vtio_device *vdev = vi->vdev;
	const char *bus = NULL;

	if (vdev->config->bus_name)
		bus = vdev->config->bus_name(vdev);
	strscpy(info->driver, VNET_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, VNET_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, bus ?: dev_name(&vdev->dev),
		sizeof(info->bus_info));
}

static void vnet_get_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct vnet_priv *vi = netdev_priv(dev);

	if (vi->dead)
		return;
	ring->rx_max_pending = vi->rq[0].vq->num_max;
	ring->tx_max_pending = vi->sq[0].vq->num_max;
	ring->rx_pending = vtio_vq_get_vring_size(vi->rq[0].vq);
	ring->tx_pending = vtio_vq_get_vring_size(vi->sq[0].vq);
}

/* A ring size the device and the ring layout accept. */
static bool vnet_ring_ok(const struct vnet_priv *vi, u32 size, u32 max)
{
	if (size < VNET_RING_MIN || size > max)
		return false;
	/* Only the packed layout allows sizes that are not a power of 2. */
	return vnet_has(vi, VTIO_F_RING_PACKED) || is_power_of_2(size);
}

/* ethtool -G: every queue is created again with the new size. */
static int vnet_set_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct vnet_priv *vi = netdev_priv(dev);
	u32 rx_max, tx_max;
	int err;

	if (vi->dead)
		return -ENODEV;
	rx_max = vi->rq[0].vq->num_max;
	tx_max = vi->sq[0].vq->num_max;
	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	if (!vnet_ring_ok(vi, ring->rx_pending, rx_max) ||
	    !vnet_ring_ok(vi, ring->tx_pending, tx_max)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ring size out of range, or not a power of 2 on a split ring");
		return -EINVAL;
	}
	if (ring->rx_pending == vtio_vq_get_vring_size(vi->rq[0].vq) &&
	    ring->tx_pending == vtio_vq_get_vring_size(vi->sq[0].vq))
		return 0;
	if (vnet_has(vi, VTIO_F_RING_RESET) && !vi->queue_reset_failed) {
		err = vnet_resize_rings(vi, ring->rx_pending, ring->tx_pending);
		if (err != -ETIMEDOUT)
			return err;
		/* Offered, but not done (QEMU 7.2's virtio-mmio, for one). */
		vi->queue_reset_failed = true;
		netdev_warn(dev, "device did not complete a queue reset: ring sizes are set by device reset from now on\n");
	}
	return vnet_reinit(vi, ring->rx_pending, ring->tx_pending);
}

static void vnet_get_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct vnet_priv *vi = netdev_priv(dev);

	ch->max_combined = vi->max_pairs;
	ch->combined_count = vi->cur_pairs;
}

/* ethtool -L combined N: pairs only, no separate rx / tx channels. */
static int vnet_set_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct vnet_priv *vi = netdev_priv(dev);

	if (ch->rx_count || ch->tx_count || ch->other_count)
		return -EINVAL;
	if (!ch->combined_count || ch->combined_count > vi->max_pairs)
		return -EINVAL;
	return vnet_set_pairs(vi, ch->combined_count);
}

static int vnet_get_sset_count(struct net_device *dev, int sset)
{
	struct vnet_priv *vi = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return vi->max_pairs * (VNET_RQ_ETH_STATS + VNET_SQ_ETH_STATS);
}

static void vnet_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct vnet_priv *vi = netdev_priv(dev);
	unsigned int i, j;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < vi->max_pairs; i++) {
		for (j = 0; j < VNET_RQ_NSTATS; j++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", i,
					vnet_rq_stat_names[j]);
		ethtool_sprintf(&data, "rx_queue_%u_interrupts", i);
	}
	for (i = 0; i < vi->max_pairs; i++) {
		for (j = 0; j < VNET_SQ_NSTATS; j++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", i,
					vnet_sq_stat_names[j]);
		ethtool_sprintf(&data, "tx_queue_%u_interrupts", i);
	}
}

static void vnet_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct vnet_priv *vi = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < vi->max_pairs; i++) {
		vnet_stats_read(&vi->rq[i].stats, data, VNET_RQ_NSTATS);
		data += VNET_RQ_NSTATS;
		*data++ = vnet_irq_stats_read(&vi->rq[i].irq);
	}
	for (i = 0; i < vi->max_pairs; i++) {
		vnet_stats_read(&vi->sq[i].stats, data, VNET_SQ_NSTATS);
		data += VNET_SQ_NSTATS;
		*data++ = vnet_irq_stats_read(&vi->sq[i].irq);
	}
}

static int vnet_get_link_ksettings(struct net_device *dev,
				   struct ethtool_link_ksettings *cmd)
{
	struct vnet_priv *vi = netdev_priv(dev);

	cmd->base.speed = READ_ONCE(vi->speed);
	cmd->base.duplex = READ_ONCE(vi->duplex);
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/* ------------------------------------------------- steering (rss.c) -- */

/*
 * The RXFH callbacks changed shape between our kernels: 6.8 passes a
 * struct ethtool_rxfh_param, later kernels (and Debian's 6.12) take the
 * hash fields through get/set_rxfh_fields instead of get/set_rxnfc.
 */
#ifdef VTIO_HAVE_RXFH_PARAM
static int vnet_get_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p)
{
	return vnet_rss_get(netdev_priv(dev), p->indir, p->key, &p->hfunc);
}

static int vnet_set_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p,
			 struct netlink_ext_ack *extack)
{
	if (p->rss_context)
		return -EOPNOTSUPP;
	return vnet_rss_set(netdev_priv(dev), p->indir, p->key, p->hfunc);
}
#else
static int vnet_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			 u8 *hfunc)
{
	return vnet_rss_get(netdev_priv(dev), indir, key, hfunc);
}

static int vnet_set_rxfh(struct net_device *dev, const u32 *indir,
			 const u8 *key, const u8 hfunc)
{
	return vnet_rss_set(netdev_priv(dev), indir, key, hfunc);
}
#endif

#ifdef VTIO_HAVE_RXFH_FIELDS
static int vnet_get_rxfh_fields(struct net_device *dev,
				struct ethtool_rxfh_fields *f)
{
	u64 data;
	int err;

	err = vnet_rss_get_fields(netdev_priv(dev), f->flow_type, &data);
	f->data = data;
	return err;
}

static int vnet_set_rxfh_fields(struct net_device *dev,
				const struct ethtool_rxfh_fields *f,
				struct netlink_ext_ack *extack)
{
	return vnet_rss_set_fields(netdev_priv(dev), f->flow_type, f->data);
}
#endif

static int vnet_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info,
			  u32 *rule_locs)
{
	struct vnet_priv *vi = netdev_priv(dev);

	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		/* ethtool -X checks table entries against this. */
		info->data = vi->cur_pairs;
		return 0;
#ifndef VTIO_HAVE_RXFH_FIELDS
	case ETHTOOL_GRXFH:
		return vnet_rss_get_fields(vi, info->flow_type, &info->data);
#endif
	default:
		return -EOPNOTSUPP;
	}
}

static int vnet_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info)
{
#ifndef VTIO_HAVE_RXFH_FIELDS
	if (info->cmd == ETHTOOL_SRXFH)
		return vnet_rss_set_fields(netdev_priv(dev), info->flow_type,
					   info->data);
#endif
	return -EOPNOTSUPP;
}

const struct ethtool_ops vnet_ethtool_ops = {
	.get_drvinfo		= vnet_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ringparam		= vnet_get_ringparam,
	.set_ringparam		= vnet_set_ringparam,
	.get_channels		= vnet_get_channels,
	.set_channels		= vnet_set_channels,
	.get_strings		= vnet_get_strings,
	.get_sset_count		= vnet_get_sset_count,
	.get_ethtool_stats	= vnet_get_ethtool_stats,
	.get_link_ksettings	= vnet_get_link_ksettings,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_rxnfc		= vnet_get_rxnfc,
	.set_rxnfc		= vnet_set_rxnfc,
	.get_rxfh_key_size	= vnet_rss_get_key_size,
	.get_rxfh_indir_size	= vnet_rss_get_indir_size,
	.get_rxfh		= vnet_get_rxfh,
	.set_rxfh		= vnet_set_rxfh,
#ifdef VTIO_HAVE_RXFH_FIELDS
	.get_rxfh_fields	= vnet_get_rxfh_fields,
	.set_rxfh_fields	= vnet_set_rxfh_fields,
#endif
};
