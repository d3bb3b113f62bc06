// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq: virtio network driver for the vtio bus.
 *
 * Device setup and teardown, feature negotiation, link state and the
 * netdev operations.  The data path lives in rx.c and tx.c, the control
 * queue in ctrl.c and the ethtool operations in ethtool.c.
 *
 * The code is laid out for N queue pairs (receiveqK = 2K, transmitqK =
 * 2K + 1, control queue = 2N); this version runs one pair because
 * VIRTIO_NET_F_MQ is not negotiated yet.
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
	/* VIRTIO_NET_F_MQ (and RSS) come with multiqueue, the next step. */
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

/* ------------------------------------------------------ netdev ops --- */

static int vnet_open(struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);
	bool refill = false;
	unsigned int i;

	for (i = 0; i < vi->cur_pairs; i++) {
		if (!vnet_rx_fill(&vi->rq[i], GFP_KERNEL))
			refill = true;
	}

	spin_lock_bh(&vi->refill_lock);
	vi->refill_on = true;
	spin_unlock_bh(&vi->refill_lock);

	for (i = 0; i < vi->cur_pairs; i++) {
		vnet_napi_enable(&vi->rq[i].napi, vi->rq[i].vq);
		vnet_napi_enable(&vi->sq[i].napi, vi->sq[i].vq);
	}
	if (refill)
		vnet_schedule_refill(vi, 0);
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

	for (i = 0; i < vi->cur_pairs; i++) {
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

static const struct net_device_ops vnet_netdev_ops = {
	.ndo_open		= vnet_open,
	.ndo_stop		= vnet_close,
	.ndo_start_xmit		= vnet_start_xmit,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_mac_address	= vnet_set_mac_address,
	.ndo_set_rx_mode	= vnet_set_rx_mode,
	.ndo_get_stats64	= vnet_get_stats64,
	.ndo_tx_timeout		= vnet_tx_timeout,
};

/* ------------------------------------------------------------ setup -- */

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
	dev->hw_features = hw;
	dev->features = hw | NETIF_F_HIGHDMA;
	dev->vlan_features = dev->features;
	/* Without guest offload control the device's checksums always come. */
	if (vnet_has(vi, VIRTIO_NET_F_GUEST_CSUM))
		dev->features |= NETIF_F_RXCSUM;

	mtu = vnet_has(vi, VIRTIO_NET_F_MTU) ?
	      vtio_cread16(vi->vdev, VNET_CFG(mtu)) : 0;

	guest_gso = vnet_has(vi, VIRTIO_NET_F_GUEST_TSO4) ||
		    vnet_has(vi, VIRTIO_NET_F_GUEST_TSO6);
	BUILD_BUG_ON(sizeof(struct virtio_net_hdr_v1) != VNET_HDR_LEN);
	BUILD_BUG_ON(DIV_ROUND_UP(VNET_RX_GSO_MAX, PAGE_SIZE) > VNET_MAX_SG);

	dev->min_mtu = ETH_MIN_MTU;
	if (vnet_has(vi, VIRTIO_NET_F_MRG_RXBUF)) {
		vi->rx_mode = VNET_RX_MRG;
		vi->rx_buf_len = VNET_MRG_BUF_LEN;
		dev->max_mtu = ETH_MAX_MTU;
	} else if (guest_gso || mtu > ETH_DATA_LEN) {
		vi->rx_mode = VNET_RX_BIG;
		vi->big_pages = DIV_ROUND_UP(guest_gso ? VNET_RX_GSO_MAX :
					     VNET_HDR_LEN + VLAN_ETH_HLEN + mtu,
					     PAGE_SIZE);
		dev->max_mtu = ETH_MAX_MTU;
	} else {
		vi->rx_mode = VNET_RX_SMALL;
		vi->rx_buf_len = VNET_MRG_BUF_LEN;
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

static int vnet_alloc_queues(struct vnet_priv *vi)
{
	unsigned int i;

	vi->rq = kcalloc(vi->max_pairs, sizeof(*vi->rq), GFP_KERNEL);
	vi->sq = kcalloc(vi->max_pairs, sizeof(*vi->sq), GFP_KERNEL);
	if (!vi->rq || !vi->sq) {
		kfree(vi->rq);
		kfree(vi->sq);
		return -ENOMEM;
	}

	for (i = 0; i < vi->max_pairs; i++) {
		struct vnet_rq *rq = &vi->rq[i];
		struct vnet_sq *sq = &vi->sq[i];

		rq->vi = vi;
		rq->index = i;
		snprintf(rq->name, sizeof(rq->name), "input.%u", i);
		u64_stats_init(&rq->stats.syncp);
		u64_stats_init(&rq->irq.syncp);
		netif_napi_add(vi->dev, &rq->napi, vnet_rx_poll);

		sq->vi = vi;
		sq->index = i;
		snprintf(sq->name, sizeof(sq->name), "output.%u", i);
		u64_stats_init(&sq->stats.syncp);
		u64_stats_init(&sq->irq.syncp);
		netif_napi_add_tx(vi->dev, &sq->napi, vnet_tx_poll);
	}
	return 0;
}

static void vnet_free_queues(struct vnet_priv *vi)
{
	unsigned int i;

	for (i = 0; i < vi->max_pairs; i++) {
		netif_napi_del(&vi->rq[i].napi);
		netif_napi_del(&vi->sq[i].napi);
		if (vi->rq[i].frag.page)
			put_page(vi->rq[i].frag.page);
	}
	kfree(vi->rq);
	kfree(vi->sq);
}

static int vnet_find_vqs(struct vnet_priv *vi)
{
	bool has_cvq = vnet_has(vi, VIRTIO_NET_F_CTRL_VQ);
	unsigned int i, nvqs = 2 * vi->max_pairs + has_cvq;
	struct vtio_device *vdev = vi->vdev;
	struct vtio_vq_info *info;
	struct vtio_vq **vqs;
	int err = -ENOMEM;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	vqs = kcalloc(nvqs, sizeof(*vqs), GFP_KERNEL);
	if (!info || !vqs)
		goto out;

	for (i = 0; i < vi->max_pairs; i++) {
		info[2 * i].name = vi->rq[i].name;
		info[2 * i].callback = vnet_rx_callback;
		info[2 * i + 1].name = vi->sq[i].name;
		info[2 * i + 1].callback = vnet_tx_callback;
	}
	if (has_cvq)
		info[2 * vi->max_pairs].name = "control";
	/* An interrupt, not polling, ends the wait for a command's ack. */
	if (has_cvq)
		info[2 * vi->max_pairs].callback = vnet_ctrl_callback;

	err = vdev->config->find_vqs(vdev, nvqs, vqs, info, NULL);
	if (err) {
		dev_err(&vdev->dev, "cannot set up %u virtqueues: %d\n",
			nvqs, err);
		goto out;
	}

	for (i = 0; i < vi->max_pairs; i++) {
		vi->rq[i].vq = vqs[2 * i];
		vi->sq[i].vq = vqs[2 * i + 1];
		vi->sq[i].stop_thresh =
			min_t(unsigned int, VNET_MAX_SG,
			      vtio_vq_get_vring_size(vi->sq[i].vq));
	}
	if (has_cvq)
		vi->cvq = vqs[2 * vi->max_pairs];
out:
	kfree(vqs);
	kfree(info);
	return err;
}

/* After reset: give back every buffer still posted. */
static void vnet_free_unused_bufs(struct vnet_priv *vi)
{
	unsigned int i;
	void *buf;

	for (i = 0; i < vi->max_pairs; i++) {
		while ((buf = vtio_vq_detach_unused_buf(vi->sq[i].vq)) != NULL)
			dev_kfree_skb(buf);
		while ((buf = vtio_vq_detach_unused_buf(vi->rq[i].vq)) != NULL)
			vnet_rx_free_buf(vi, buf);
	}
	/* The control queue's token is vi->ctrl, freed by the caller. */
	if (vi->cvq) {
		while (vtio_vq_detach_unused_buf(vi->cvq))
			;
	}
}

static const char * const vnet_rx_mode_names[] = {
	[VNET_RX_SMALL] = "small",
	[VNET_RX_BIG] = "big",
	[VNET_RX_MRG] = "mergeable",
};

static int vnet_probe(struct vtio_device *vdev)
{
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

	/* One pair until VIRTIO_NET_F_MQ is negotiated. */
	dev = alloc_etherdev_mq(sizeof(*vi), 1);
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &vdev->dev);

	vi = netdev_priv(dev);
	vi->vdev = vdev;
	vi->dev = dev;
	vi->max_pairs = 1;
	vi->cur_pairs = 1;
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
	err = vnet_alloc_queues(vi);
	if (err)
		goto err_free_ctrl;

	vdev->priv = vi;
	err = vnet_find_vqs(vi);
	if (err)
		goto err_free_queues;

	err = netif_set_real_num_tx_queues(dev, vi->cur_pairs);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, vi->cur_pairs);
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
	rtnl_unlock();

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

	netdev_info(dev, "MAC %pM, %s rx buffers, MTU %u, %u queue pair(s)%s\n",
		    dev->dev_addr, vnet_rx_mode_names[vi->rx_mode], dev->mtu,
		    vi->cur_pairs, vi->cvq ? " + control queue" : "");
	return 0;

err_del_vqs:
	vtio_reset_device(vdev);
	vdev->config->del_vqs(vdev);
err_free_queues:
	vnet_free_queues(vi);
	vdev->priv = NULL;
err_free_ctrl:
	kfree(vi->ctrl);
err_free_netdev:
	free_netdev(dev);
	return err;
}

static void vnet_remove(struct vtio_device *vdev)
{
	struct vnet_priv *vi = vdev->priv;

	vtio_config_driver_disable(vdev);
	cancel_work_sync(&vi->config_work);

	unregister_netdev(vi->dev);
	cancel_work_sync(&vi->rx_mode_work);
	cancel_delayed_work_sync(&vi->refill);

	vtio_reset_device(vdev);
	vnet_free_unused_bufs(vi);
	vdev->config->del_vqs(vdev);
	vnet_free_queues(vi);

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

module_vtio_driver(vnet_driver);

MODULE_IMPORT_NS(VTIO);
MODULE_ALIAS("vtio:d00000001v*");
MODULE_DESCRIPTION("Multiqueue virtio network driver for the vtio bus");
MODULE_LICENSE("GPL");
