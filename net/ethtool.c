// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq ethtool operations.
 *
 * Statistics are per queue: rx_queue_<n>_<counter> for every receive queue,
 * then tx_queue_<n>_<counter> for every transmit queue.
 */
#include <linux/ethtool.h>

#include "vnet.h"

static const char * const vnet_rq_stat_names[VNET_RQ_NSTATS] = {
	[VNET_RQ_PACKETS]	= "packets",
	[VNET_RQ_BYTES]		= "bytes",
	[VNET_RQ_DROPS]		= "drops",
	[VNET_RQ_LENGTH_ERRORS]	= "length_errors",
	[VNET_RQ_HDR_ERRORS]	= "hdr_errors",
	[VNET_RQ_KICKS]		= "kicks",
	[VNET_RQ_NAPI_POLLS]	= "napi_polls",
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

	ring->rx_max_pending = vtio_vq_get_vring_size(vi->rq[0].vq);
	ring->tx_max_pending = vtio_vq_get_vring_size(vi->sq[0].vq);
	ring->rx_pending = ring->rx_max_pending;
	ring->tx_pending = ring->tx_max_pending;
}

static void vnet_get_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct vnet_priv *vi = netdev_priv(dev);

	ch->max_combined = vi->max_pairs;
	ch->combined_count = vi->cur_pairs;
}

static int vnet_get_sset_count(struct net_device *dev, int sset)
{
	struct vnet_priv *vi = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return vi->cur_pairs * (VNET_RQ_ETH_STATS + VNET_SQ_ETH_STATS);
}

static void vnet_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct vnet_priv *vi = netdev_priv(dev);
	unsigned int i, j;

	if (sset != ETH_SS_STATS)
		return;

	for (i = 0; i < vi->cur_pairs; i++) {
		for (j = 0; j < VNET_RQ_NSTATS; j++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", i,
					vnet_rq_stat_names[j]);
		ethtool_sprintf(&data, "rx_queue_%u_interrupts", i);
	}
	for (i = 0; i < vi->cur_pairs; i++) {
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

	for (i = 0; i < vi->cur_pairs; i++) {
		vnet_stats_read(&vi->rq[i].stats, data, VNET_RQ_NSTATS);
		data += VNET_RQ_NSTATS;
		*data++ = vnet_irq_stats_read(&vi->rq[i].irq);
	}
	for (i = 0; i < vi->cur_pairs; i++) {
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

const struct ethtool_ops vnet_ethtool_ops = {
	.get_drvinfo		= vnet_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ringparam		= vnet_get_ringparam,
	.get_channels		= vnet_get_channels,
	.get_strings		= vnet_get_strings,
	.get_sset_count		= vnet_get_sset_count,
	.get_ethtool_stats	= vnet_get_ethtool_stats,
	.get_link_ksettings	= vnet_get_link_ksettings,
	.get_ts_info		= ethtool_op_get_ts_info,
};
