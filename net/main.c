// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq: virtio network driver for the vtio bus.
 *
 * Device setup and teardown, feature negotiation and link state.  The
 * netdev operations live in netdev.c, the data path in rx.c and tx.c, the
 * queue pairs (ethtool -L / -G) in queues.c, receive steering in rss.c,
 * the control queue in ctrl.c and the ethtool operations in ethtool.c.
 *
 * Queue layout (virtio 1.3 5.1.2): receiveqK = 2K, transmitqK = 2K + 1,
 * the control queue at 2N, N = max_virtqueue_pairs with VIRTIO_NET_F_MQ
 * and 1 without.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "vnet.h"

static const unsigned int vnet_features[] = {
	VIRTIO_NET_F_CSUM,
	VIRTIO_NET_F_GUEST_CSUM,
	VIRTIO_NET_F_MTU,
	VIRTIO_NET_F_MAC,
	VIRTIO_NET_F_GUEST_TSO4,
	VIRTIO_NET_F_GUEST_TSO6,
	VIRTIO_NET_F_GUEST_ECN,
	VIRTIO_NET_F_HOST_TSO4,
	VIRTIO_NET_F_HOST_TSO6,
	VIRTIO_NET_F_HOST_ECN,
	VIRTIO_NET_F_MRG_RXBUF,
	VIRTIO_NET_F_STATUS,
	VIRTIO_NET_F_CTRL_VQ,
	VIRTIO_NET_F_CTRL_RX,
	VIRTIO_NET_F_GUEST_ANNOUNCE,
	VIRTIO_NET_F_CTRL_MAC_ADDR,
	VIRTIO_NET_F_SPEED_DUPLEX,
	VIRTIO_NET_F_MQ,
	VIRTIO_NET_F_CTRL_VLAN,
	VIRTIO_NET_F_CTRL_GUEST_OFFLOADS,
	VIRTIO_NET_F_RSS,
	VIRTIO_NET_F_HASH_REPORT,
};

/* A feature the device offers without its prerequisite is not accepted. */
static const struct {
	unsigned int bit;
	u64 needs;	/* any one of these */
} vnet_feature_deps[] = {
	{ VIRTIO_NET_F_HOST_TSO4, BIT_ULL(VIRTIO_NET_F_CSUM) },
	{ VIRTIO_NET_F_HOST_TSO6, BIT_ULL(VIRTIO_NET_F_CSUM) },
	{ VIRTIO_NET_F_HOST_ECN, BIT_ULL(VIRTIO_NET_F_HOST_TSO4) |
				 BIT_ULL(VIRTIO_NET_F_HOST_TSO6) },
	{ VIRTIO_NET_F_GUEST_TSO4, BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) },
	{ VIRTIO_NET_F_GUEST_TSO6, BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) },
	{ VIRTIO_NET_F_GUEST_ECN, BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |
				  BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) },
	{ VIRTIO_NET_F_CTRL_RX, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_MAC_ADDR, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_GUEST_ANNOUNCE, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_VLAN, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_CTRL_GUEST_OFFLOADS, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_MQ, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_RSS, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
	{ VIRTIO_NET_F_HASH_REPORT, BIT_ULL(VIRTIO_NET_F_CTRL_VQ) },
};

/* ---------------------------------------------------------- helpers -- */

void vnet_stats_read(const struct vnet_stats *s, u64 *out, unsigned int n)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (i = 0; i < n; i++)
			out[i] = u64_stats_read(&s->v[i]);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

u64 vnet_irq_stats_read(const struct vnet_irq_stats *s)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v = u64_stats_read(&s->interrupts);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return v;
}

/* A queue's interrupt: count it, then hand the queue to its NAPI. */
void vnet_queue_interrupt(struct vtio_vq *vq, struct vnet_irq_stats *irq,
			  struct napi_struct *napi)
{
	u64_stats_update_begin(&irq->syncp);
	u64_stats_inc(&irq->interrupts);
	u64_stats_update_end(&irq->syncp);

	vtio_vq_disable_cb(vq);
	napi_schedule(napi);
}

void vnet_napi_schedule(struct napi_struct *napi, struct vtio_vq *vq)
{
	if (napi_schedule_prep(napi)) {
		vtio_vq_disable_cb(vq);
		__napi_schedule(napi);
	}
}

/* Re-arm the callback; poll once more if buffers slipped in meanwhile. */
void vnet_napi_complete(struct napi_struct *napi, struct vtio_vq *vq,
			int done)
{
	unsigned int opaque = vtio_vq_enable_cb_prepare(vq);

	if (napi_complete_done(napi, done)) {
		if (unlikely(vtio_vq_poll(vq, opaque)))
			vnet_napi_schedule(napi, vq);
	} else {
		vtio_vq_disable_cb(vq);
	}
}

void vnet_napi_enable(struct napi_struct *napi, struct vtio_vq *vq)
{
	napi_enable(napi);
	/* Pick up what the device used while NAPI was off. */
	local_bh_disable();
	vnet_napi_schedule(napi, vq);
	local_bh_enable();
}

/* ------------------------------------------------------ link status -- */

static void vnet_read_speed(struct vnet_priv *vi)
{
	u32 speed = SPEED_UNKNOWN;
	u8 duplex = DUPLEX_UNKNOWN;

	if (vnet_has(vi, VIRTIO_NET_F_SPEED_DUPLEX)) {
		speed = vtio_cread32(vi->vdev, VNET_CFG(speed));
		duplex = vtio_cread8(vi->vdev, VNET_CFG(duplex));
	}
	if (!ethtool_validate_speed(speed))
		speed = SPEED_UNKNOWN;
	if (!ethtool_validate_duplex(duplex))
		duplex = DUPLEX_UNKNOWN;
	WRITE_ONCE(vi->speed, speed);
	WRITE_ONCE(vi->duplex, duplex);
}

/* Config space changed: link state, announce request, speed. */
static void vnet_config_work(struct work_struct *work)
{
	struct vnet_priv *vi = container_of(work, struct vnet_priv,
					    config_work);
	struct net_device *dev = vi->dev;
	u16 status;

	vnet_read_speed(vi);
	if (!vnet_has(vi, VIRTIO_NET_F_STATUS))
		return;
	status = vtio_cread16(vi->vdev, VNET_CFG(status));

	if ((status & VIRTIO_NET_S_ANNOUNCE) &&
	    vnet_has(vi, VIRTIO_NET_F_GUEST_ANNOUNCE)) {
		netdev_notify_peers(dev);
		vnet_ctrl_announce_ack(vi);
	}

	status &= VIRTIO_NET_S_LINK_UP;
	if (status == vi->status)
		return;
	vi->status = status;
	if (status) {
		netif_carrier_on(dev);
		netdev_info(dev, "link up\n");
	} else {
		netif_carrier_off(dev);
		netdev_info(dev, "link down\n");
	}
}

static void vnet_config_changed(struct vtio_device *vdev)
{
	struct vnet_priv *vi = vdev->priv;

	schedule_work(&vi->config_work);
}

/* ------------------------------------------------------------ setup -- */

/* VIRTIO_NET_F_MQ: max_virtqueue_pairs must be 1..0x8000. */
static void vnet_validate_mq(struct vtio_device *vdev)
{
	u16 pairs;

	if (!vtio_has_feature(vdev, VIRTIO_NET_F_MQ))
		return;
	pairs = vtio_cread16(vdev, VNET_CFG(max_virtqueue_pairs));
	if (pairs >= 1 && pairs <= VNET_MAX_PAIRS)
		return;
	dev_warn(&vdev->dev, "device offers %u queue pairs, not 1..%u: ignoring VIRTIO_NET_F_MQ and VIRTIO_NET_F_RSS\n",
		 pairs, VNET_MAX_PAIRS);
	vtio_clear_feature(vdev, VIRTIO_NET_F_MQ);
	vtio_clear_feature(vdev, VIRTIO_NET_F_RSS);
}

/* RSS / hash report parameters below what the standard promises. */
static void vnet_validate_rss(struct vtio_device *vdev)
{
	bool rss = vtio_has_feature(vdev, VIRTIO_NET_F_RSS);
	u32 types;
	u16 len;
	u8 key;

	if (!rss && !vtio_has_feature(vdev, VIRTIO_NET_F_HASH_REPORT))
		return;
	key = vtio_cread8(vdev, VNET_CFG(rss_max_key_size));
	types = vtio_cread32(vdev, VNET_CFG(supported_hash_types));
	len = rss ? vtio_cread16(vdev,
				 VNET_CFG(rss_max_indirection_table_length)) : 1;
	if (key >= VNET_RSS_KEY_MIN && (types & VNET_RSS_HASH_ALL) && len)
		return;
	dev_warn(&vdev->dev, "device RSS limits unusable (key %u bytes, hash types 0x%x, table %u): ignoring VIRTIO_NET_F_RSS and VIRTIO_NET_F_HASH_REPORT\n",
		 key, types, len);
	vtio_clear_feature(vdev, VIRTIO_NET_F_RSS);
	vtio_clear_feature(vdev, VIRTIO_NET_F_HASH_REPORT);
}

static int vnet_validate(struct vtio_device *vdev)
{
	unsigned int i;

	if (vtio_has_feature(vdev, VIRTIO_NET_F_MTU)) {
		u16 mtu = vtio_cread16(vdev,
				       offsetof(struct virtio_net_config, mtu));

		if (mtu < ETH_MIN_MTU) {
			dev_warn(&vdev->dev, "device MTU %u is below %u: ignoring VIRTIO_NET_F_MTU\n",
				 mtu, ETH_MIN_MTU);
			vtio_clear_feature(vdev, VIRTIO_NET_F_MTU);
		}
	}

	for (i = 0; i < ARRAY_SIZE(vnet_feature_deps); i++) {
		if (vtio_has_feature(vdev, vnet_feature_deps[i].bit) &&
		    !(vdev->features & vnet_feature_deps[i].needs)) {
			dev_warn(&vdev->dev, "feature bit %u offered without any of 0x%llx: not using it\n",
				 vnet_feature_deps[i].bit,
				 vnet_feature_deps[i].needs);
			vtio_clear_feature(vdev, vnet_feature_deps[i].bit);
		}
	}
	vnet_validate_mq(vdev);
	vnet_validate_rss(vdev);
	return 0;
}

/* Offloads, MTU range and the receive buffer layout. */
static void vnet_setup_features(struct vnet_priv *vi)
{
	struct net_device *dev = vi->dev;
	netdev_features_t hw = 0;
	bool guest_gso;
	u16 mtu;

	if (vnet_has(vi, VIRTIO_NET_F_CSUM)) {
		hw |= NETIF_F_SG | NETIF_F_HW_CSUM;
		if (vnet_has(vi, VIRTIO_NET_F_HOST_TSO4))
			hw |= NETIF_F_TSO;
		if (vnet_has(vi, VIRTIO_NET_F_HOST_TSO6))
			hw |= NETIF_F_TSO6;
		if (vnet_has(vi, VIRTIO_NET_F_HOST_ECN))
			hw |= NETIF_F_TSO_ECN;
	}
	dev->vlan_features = hw | NETIF_F_HIGHDMA;

	/*
	 * Receive offloads: switchable with CTRL_GUEST_OFFLOADS, otherwise the
	 * device's checksums (and coalesced frames) always come.
	 */
	guest_gso = vnet_has(vi, VIRTIO_NET_F_GUEST_TSO4) ||
		    vnet_has(vi, VIRTIO_NET_F_GUEST_TSO6);
	if (vnet_has(vi, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS)) {
		if (vnet_has(vi, VIRTIO_NET_F_GUEST_CSUM))
			hw |= NETIF_F_RXCSUM;
		if (guest_gso)
			hw |= NETIF_F_LRO;
	}
	if (vnet_has(vi, VIRTIO_NET_F_HASH_REPORT))
		hw |= NETIF_F_RXHASH;
	dev->hw_features = hw;
	dev->features = hw | NETIF_F_HIGHDMA;
	if (vnet_has(vi, VIRTIO_NET_F_GUEST_CSUM))
		dev->features |= NETIF_F_RXCSUM;
	if (vnet_has(vi, VIRTIO_NET_F_CTRL_VLAN))
		dev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	vnet_init_guest_offloads(vi);

	mtu = vnet_has(vi, VIRTIO_NET_F_MTU) ?
	      vtio_cread16(vi->vdev, VNET_CFG(mtu)) : 0;

	BUILD_BUG_ON(sizeof(struct virtio_net_hdr_v1) != VNET_HDR_LEN);
	BUILD_BUG_ON(sizeof(union vnet_hdr) != VNET_HDR_MAX);
	BUILD_BUG_ON((unsigned int)VNET_SQ_NSTATS > VNET_STATS_MAX);
	BUILD_BUG_ON(DIV_ROUND_UP(VNET_RX_GSO_MAX, PAGE_SIZE) > VNET_MAX_SG);

	dev->min_mtu = ETH_MIN_MTU;
	if (vnet_has(vi, VIRTIO_NET_F_MRG_RXBUF)) {
		vi->rx_mode = VNET_RX_MRG;
		vi->rx_buf_len = VNET_MRG_BUF_LEN(vi->hdr_len);
		dev->max_mtu = ETH_MAX_MTU;
	} else if (guest_gso || mtu > ETH_DATA_LEN) {
		vi->rx_mode = VNET_RX_BIG;
		vi->big_pages = DIV_ROUND_UP(guest_gso ? VNET_RX_GSO_MAX :
					     vi->hdr_len + VLAN_ETH_HLEN + mtu,
					     PAGE_SIZE);
		dev->max_mtu = ETH_MAX_MTU;
	} else {
		vi->rx_mode = VNET_RX_SMALL;
		vi->rx_buf_len = VNET_MRG_BUF_LEN(vi->hdr_len);
		dev->max_mtu = ETH_DATA_LEN;
	}
	if (mtu) {
		dev->mtu = mtu;
		dev->max_mtu = mtu;
	}
}

static void vnet_setup_mac(struct vnet_priv *vi)
{
	struct vtio_device *vdev = vi->vdev;
	u8 addr[ETH_ALEN];

	if (vnet_has(vi, VIRTIO_NET_F_MAC)) {
		vtio_cread_bytes(vdev, offsetof(struct virtio_net_config, mac),
				 addr, ETH_ALEN);
		if (is_valid_ether_addr(addr)) {
			eth_hw_addr_set(vi->dev, addr);
			return;
		}
		dev_warn(&vdev->dev, "device MAC %pM is not valid: using a random one\n",
			 addr);
	}
	eth_hw_addr_random(vi->dev);
}

static const char * const vnet_rx_mode_names[] = {
	[VNET_RX_SMALL] = "small",
	[VNET_RX_BIG] = "big",
	[VNET_RX_MRG] = "mergeable",
};

/*
 * Enable min(online CPUs, max) pairs.  Called under rtnl after DRIVER_OK
 * (the control queue works from then on) and before ndo_open can run.
 * A device that refuses keeps running on one pair.
 */
static void vnet_enable_pairs(struct vnet_priv *vi)
{
	unsigned int pairs = min(num_online_cpus(), vi->max_pairs);
	struct net_device *dev = vi->dev;
	int err;

	err = vnet_steer(vi, pairs);
	if (err) {
		netdev_warn(dev, "device refused %u queue pairs (%d): using one\n",
			    pairs, err);
		pairs = 1;
	}
	if (netif_set_real_num_tx_queues(dev, pairs) ||
	    netif_set_real_num_rx_queues(dev, pairs)) {
		/* Cannot fail when shrinking back to where we came from. */
		netif_set_real_num_tx_queues(dev, 1);
		netif_set_real_num_rx_queues(dev, 1);
		if (pairs > 1 && vnet_steer(vi, 1))
			netdev_warn(dev, "cannot return to one queue pair\n");
		pairs = 1;
	}
	vi->cur_pairs = pairs;
	vnet_set_affinity(vi);
}

static int vnet_probe(struct vtio_device *vdev)
{
	unsigned int max_pairs = 1;
	struct net_device *dev;
	struct vnet_priv *vi;
	int err;

	/*
	 * A legacy header is 10 bytes, or the same 12 as a modern one with
	 * mergeable buffers; only the latter layout is implemented.
	 */
	if (!vtio_has_feature(vdev, VTIO_F_VERSION_1) &&
	    !vtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF)) {
		dev_err(&vdev->dev, "legacy device without mergeable rx buffers not supported\n");
		return -ENODEV;
	}

	/* vnet_validate() checked the value. */
	if (vtio_has_feature(vdev, VIRTIO_NET_F_MQ))
		max_pairs = vtio_cread16(vdev, VNET_CFG(max_virtqueue_pairs));
	dev = alloc_etherdev_mq(sizeof(*vi), max_pairs);
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &vdev->dev);

	vi = netdev_priv(dev);
	vi->vdev = vdev;
	vi->dev = dev;
	vi->max_pairs = max_pairs;
	vi->cur_pairs = 1;
	vi->hdr_len = vtio_has_feature(vdev, VIRTIO_NET_F_HASH_REPORT) ?
		      VNET_HDR_MAX : VNET_HDR_LEN;
	vi->indirect = vtio_has_feature(vdev, VTIO_F_INDIRECT_DESC);
	vi->status = U16_MAX;
	vi->speed = SPEED_UNKNOWN;
	vi->duplex = DUPLEX_UNKNOWN;
	INIT_DELAYED_WORK(&vi->refill, vnet_refill_work);
	spin_lock_init(&vi->refill_lock);
	INIT_WORK(&vi->config_work, vnet_config_work);
	INIT_WORK(&vi->rx_mode_work, vnet_rx_mode_work);
	mutex_init(&vi->ctrl_lock);
	init_completion(&vi->ctrl_done);

	dev->netdev_ops = &vnet_netdev_ops;
	dev->ethtool_ops = &vnet_ethtool_ops;
	dev->watchdog_timeo = 5 * HZ;
	if (vnet_has(vi, VIRTIO_NET_F_CTRL_RX))
		dev->priv_flags |= IFF_UNICAST_FLT;
	if (vnet_has(vi, VIRTIO_NET_F_CTRL_MAC_ADDR))
		dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	vnet_setup_features(vi);
	vnet_setup_mac(vi);
	vnet_read_speed(vi);

	if (vnet_has(vi, VIRTIO_NET_F_CTRL_VQ)) {
		vi->ctrl = kzalloc(sizeof(*vi->ctrl), GFP_KERNEL);
		if (!vi->ctrl) {
			err = -ENOMEM;
			goto err_free_netdev;
		}
	}
	err = vnet_rss_init(vi);
	if (err)
		goto err_free_ctrl;
	err = vnet_alloc_queues(vi);
	if (err)
		goto err_free_ctrl;

	vdev->priv = vi;
	err = vnet_find_vqs(vi);
	if (err)
		goto err_free_queues;

	/* The device starts on one pair (virtio 1.3 5.1.6.5.5). */
	err = netif_set_real_num_tx_queues(dev, 1);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, 1);
	if (err)
		goto err_del_vqs;
	netif_carrier_off(dev);

	rtnl_lock();
	err = register_netdevice(dev);
	if (err) {
		rtnl_unlock();
		dev_err(&vdev->dev, "register_netdevice failed: %d\n", err);
		goto err_del_vqs;
	}
	/* DRIVER_OK before ndo_open can run, i.e. before rtnl is dropped. */
	vtio_device_ready(vdev);
	vnet_enable_pairs(vi);
	rtnl_unlock();
	vnet_cpuhp_add(vi);

	if (dev->addr_assign_type == NET_ADDR_RANDOM &&
	    vnet_has(vi, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
	    vnet_ctrl_set_mac(vi, dev->dev_addr))
		netdev_warn(dev, "cannot program MAC address %pM into the device\n",
			    dev->dev_addr);

	if (vnet_has(vi, VIRTIO_NET_F_STATUS)) {
		schedule_work(&vi->config_work);
		flush_work(&vi->config_work);
	} else {
		netif_carrier_on(dev);
	}
	vtio_config_driver_enable(vdev);
	vnet_debugfs_add(vi);

	netdev_info(dev, "MAC %pM, %s rx buffers, MTU %u, %u of %u queue pair(s)%s%s\n",
		    dev->dev_addr, vnet_rx_mode_names[vi->rx_mode], dev->mtu,
		    vi->cur_pairs, vi->max_pairs,
		    vi->cvq ? " + control queue" : "",
		    vi->rss.indir_len ? ", RSS" : "");
	return 0;

err_del_vqs:
	vtio_reset_device(vdev);
	vnet_del_vqs(vi);
err_free_queues:
	vnet_free_queues(vi);
	vdev->priv = NULL;
err_free_ctrl:
	vnet_rss_free(vi);
	kfree(vi->ctrl);
err_free_netdev:
	free_netdev(dev);
	return err;
}

static void vnet_remove(struct vtio_device *vdev)
{
	struct vnet_priv *vi = vdev->priv;

	vnet_debugfs_remove(vi);
	vnet_cpuhp_remove(vi);
	vtio_config_driver_disable(vdev);
	cancel_work_sync(&vi->config_work);

	unregister_netdev(vi->dev);
	cancel_work_sync(&vi->rx_mode_work);
	cancel_delayed_work_sync(&vi->refill);

	vtio_reset_device(vdev);
	vnet_del_vqs(vi);
	vnet_free_queues(vi);
	vnet_rss_free(vi);

	/* The device is reset: nothing can write these any more. */
	kfree(vi->ctrl_orphan);
	kfree(vi->ctrl);
	vdev->priv = NULL;
	free_netdev(vi->dev);
}

static const struct vtio_device_id vnet_id_table[] = {
	{ VTIO_ID_NET, VTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vtio_driver vnet_driver = {
	.driver.name		= VNET_DRV_NAME,
	.id_table		= vnet_id_table,
	.feature_table		= vnet_features,
	.feature_table_size	= ARRAY_SIZE(vnet_features),
	.validate		= vnet_validate,
	.probe			= vnet_probe,
	.remove			= vnet_remove,
	.config_changed		= vnet_config_changed,
};

static int __init vnet_init(void)
{
	int err;

	vnet_debugfs_init();
	vnet_cpuhp_init();
	err = vtio_register_driver(&vnet_driver);
	if (err) {
		vnet_cpuhp_exit();
		vnet_debugfs_exit();
	}
	return err;
}
module_init(vnet_init);

static void __exit vnet_exit(void)
{
	vtio_unregister_driver(&vnet_driver);
	vnet_cpuhp_exit();
	vnet_debugfs_exit();
}
module_exit(vnet_exit);

MODULE_IMPORT_NS(VTIO);
MODULE_ALIAS("vtio:d00000001v*");
MODULE_DESCRIPTION("Multiqueue virtio network driver for the vtio bus");
MODULE_LICENSE("GPL");
