// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq queue pairs: creating the virtqueues, how many pairs are
 * in use (ethtool -L), where their interrupts and transmit queues run
 * (interrupt affinity and XPS), and re-creating every queue with new ring
 * sizes (ethtool -G).
 *
 * Every pair the device offers exists from probe on, and while the device
 * is open every NAPI is enabled.  Enabling a pair only means that the
 * stack and the device use it.  A disabled pair keeps the receive buffers
 * it has posted; like every other buffer they are given back when the
 * device is reset, so changing the number of pairs never leaks one.
 */
#include <linux/cpumask.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "vnet.h"

int vnet_alloc_queues(struct vnet_priv *vi)
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
		ewma_vnet_frame_len_init(&rq->frame_len);
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

void vnet_free_queues(struct vnet_priv *vi)
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

/* Create every virtqueue: 2 per pair, then the control queue at 2N. */
int vnet_find_vqs(struct vnet_priv *vi)
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
		info[2 * i].size = vi->rx_ring;
		/* Small and mergeable buffers carry their size as context. */
		info[2 * i].ctx = vi->rx_mode != VNET_RX_BIG;
		info[2 * i + 1].name = vi->sq[i].name;
		info[2 * i + 1].callback = vnet_tx_callback;
		info[2 * i + 1].size = vi->tx_ring;
	}
	/*
	 * An interrupt, not polling, ends the wait for a command's ack: so
	 * per-queue MSI-X takes 2N + 2 vectors (config, 2N queues, control).
	 */
	if (has_cvq) {
		info[2 * vi->max_pairs].name = "control";
		info[2 * vi->max_pairs].callback = vnet_ctrl_callback;
	}

	/*
	 * No irq_affinity descriptor: managed vectors would need one CPU per
	 * vector, so 2N + 2 vectors on fewer CPUs would fail to allocate.
	 * vnet_set_affinity() places the enabled pairs instead.
	 */
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

/*
 * The device is reset: give back every buffer still posted, forget the
 * bytes BQL counted as in flight, and free the virtqueues.
 */
void vnet_del_vqs(struct vnet_priv *vi)
{
	unsigned int i;
	void *buf;

	for (i = 0; i < vi->max_pairs; i++) {
		struct vnet_sq *sq = &vi->sq[i];
		struct vnet_rq *rq = &vi->rq[i];

		if (sq->vq) {
			while ((buf = vtio_vq_detach_unused_buf(sq->vq)))
				dev_kfree_skb(buf);
			netdev_tx_reset_queue(netdev_get_tx_queue(vi->dev, i));
		}
		if (rq->vq) {
			while ((buf = vtio_vq_detach_unused_buf(rq->vq)))
				vnet_rx_free_buf(vi, buf);
		}
		sq->vq = NULL;
		rq->vq = NULL;
	}
	/* The control queue's token is vi->ctrl, owned by the driver. */
	if (vi->cvq) {
		while (vtio_vq_detach_unused_buf(vi->cvq))
			;
	}
	vi->cvq = NULL;
	vi->vdev->config->del_vqs(vi->vdev);
}

static void vnet_vq_affinity(struct vnet_priv *vi, struct vtio_vq *vq,
			     const struct cpumask *mask)
{
	const struct vtio_config_ops *ops = vi->vdev->config;

	/* Shared or INTx interrupts cannot be steered: nothing to do. */
	if (ops->set_vq_affinity)
		ops->set_vq_affinity(vq, mask);
}

/*
 * Spread the enabled pairs over the online CPUs.  With at least as many
 * CPUs as pairs, pair i gets the CPUs at positions i, i + N, ...; with
 * more pairs than CPUs, pair i shares CPU i modulo the CPU count.  Both
 * interrupts of a pair and its XPS map use the same CPUs.
 *
 * A second XPS map sends a flow out on the transmit queue paired with the
 * receive queue its packets arrive on (the pairing rule of the multiqueue
 * draft).  A device that follows the transmit queue (a multi-queue tap)
 * then keeps the flow on one pair, and one that steers by RSS receives it
 * where the table says without moving it between its own queues.
 */
void vnet_set_affinity(struct vnet_priv *vi)
{
	unsigned int pairs = vi->cur_pairs, ncpus, i, k, cpu;
	unsigned long *rxqs;
	cpumask_var_t mask;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	rxqs = bitmap_zalloc(vi->max_pairs, GFP_KERNEL);
	if (!rxqs) {
		free_cpumask_var(mask);
		return;
	}
	ncpus = max(num_online_cpus(), 1U);

	for (i = 0; i < vi->max_pairs; i++) {
		if (i >= pairs) {
			/* Idle pairs: no hint, the IRQ core places them. */
			vnet_vq_affinity(vi, vi->rq[i].vq, NULL);
			vnet_vq_affinity(vi, vi->sq[i].vq, NULL);
			continue;
		}
		cpumask_clear(mask);
		k = 0;
		for_each_online_cpu(cpu) {
			if (k % pairs == i || k == i % ncpus)
				cpumask_set_cpu(cpu, mask);
			k++;
		}
		vnet_vq_affinity(vi, vi->rq[i].vq, mask);
		vnet_vq_affinity(vi, vi->sq[i].vq, mask);
		netif_set_xps_queue(vi->dev, mask, i);

		bitmap_zero(rxqs, vi->max_pairs);
		set_bit(i, rxqs);
		__netif_set_xps_queue(vi->dev, rxqs, i, XPS_RXQS);
	}
	bitmap_free(rxqs);
	free_cpumask_var(mask);
}

/* Post buffers on a receive queue its NAPI may already be polling. */
static void vnet_rx_refill_now(struct vnet_rq *rq)
{
	napi_disable(&rq->napi);
	if (!vnet_rx_fill(rq, GFP_KERNEL))
		vnet_schedule_refill(rq->vi, HZ / 2);
	vnet_napi_enable(&rq->napi, rq->vq);
}

/*
 * ethtool -L: use @pairs queue pairs.  The device is told first; when it
 * refuses, nothing else has changed.  Called under rtnl.
 */
int vnet_set_pairs(struct vnet_priv *vi, unsigned int pairs)
{
	struct net_device *dev = vi->dev;
	unsigned int old = vi->cur_pairs, i;
	bool running = netif_running(dev);
	int err;

	ASSERT_RTNL();
	if (vi->dead)
		return -ENODEV;
	if (pairs == old)
		return 0;

	/* New receive queues get their buffers before the device uses them. */
	for (i = old; running && i < pairs; i++)
		vnet_rx_refill_now(&vi->rq[i]);

	err = vnet_steer(vi, pairs);
	if (err)
		return err;

	err = netif_set_real_num_tx_queues(dev, pairs);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, pairs);
	if (err) {
		netdev_err(dev, "cannot use %u queue pairs: %d\n", pairs, err);
		netif_set_real_num_tx_queues(dev, old);
		netif_set_real_num_rx_queues(dev, old);
		if (vnet_steer(vi, old))
			netdev_err(dev, "cannot return to %u queue pairs\n",
				   old);
		return err;
	}
	WRITE_ONCE(vi->cur_pairs, pairs);

	for (i = min(old, pairs); running && i < max(old, pairs); i++)
		vnet_tx_settle(&vi->sq[i], i < pairs);
	vnet_set_affinity(vi);
	netdev_info(dev, "%u queue pair(s) in use\n", pairs);
	return 0;
}

/* Stop everything that touches the queues or the control queue. */
static void vnet_quiesce(struct vnet_priv *vi, bool running)
{
	unsigned int i;

	/* No new config work; one the bus is delivering finishes first. */
	vtio_config_driver_disable(vi->vdev);
	flush_work(&vi->vdev->config_work);
	cancel_work_sync(&vi->config_work);

	netif_device_detach(vi->dev);
	/* Also waits for a transmit that is running on another CPU. */
	netif_tx_disable(vi->dev);
	/* rx_mode_work returns early from now on: the device is detached. */
	cancel_work_sync(&vi->rx_mode_work);
	if (!running)
		return;

	spin_lock_bh(&vi->refill_lock);
	vi->refill_on = false;
	spin_unlock_bh(&vi->refill_lock);
	cancel_delayed_work_sync(&vi->refill);
	for (i = 0; i < vi->max_pairs; i++) {
		napi_disable(&vi->rq[i].napi);
		napi_disable(&vi->sq[i].napi);
	}
}

static void vnet_resume(struct vnet_priv *vi, bool running)
{
	struct net_device *dev = vi->dev;

	if (running)
		vnet_start_datapath(vi);
	netif_device_attach(dev);
	/* Filters (rx mode, MAC table) and the link state, as before. */
	if (running && vnet_has(vi, VIRTIO_NET_F_CTRL_RX))
		schedule_work(&vi->rx_mode_work);
	vtio_config_driver_enable(vi->vdev);
	schedule_work(&vi->config_work);
}

/* FEATURES_OK with the features negotiated at probe: they cannot change. */
static int vnet_renegotiate(struct vnet_priv *vi)
{
	struct vtio_device *vdev = vi->vdev;
	int err;

	vtio_add_status(vdev, VTIO_STATUS_ACKNOWLEDGE);
	vtio_add_status(vdev, VTIO_STATUS_DRIVER);
	err = vdev->config->finalize_features(vdev);
	if (err)
		return err;
	vtio_add_status(vdev, VTIO_STATUS_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VTIO_STATUS_FEATURES_OK)) {
		dev_err(&vdev->dev, "device refused its features after reset\n");
		return -ENODEV;
	}
	return 0;
}

/* Program again what the device forgot in the reset. */
static void vnet_replay(struct vnet_priv *vi)
{
	struct net_device *dev = vi->dev;
	unsigned int vid;

	if (vnet_has(vi, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
	    vnet_ctrl_set_mac(vi, dev->dev_addr))
		netdev_warn(dev, "cannot program MAC address %pM again\n",
			    dev->dev_addr);

	if (vnet_steer(vi, vi->cur_pairs)) {
		netdev_warn(dev, "cannot enable %u queue pairs again: using one\n",
			    vi->cur_pairs);
		vi->rss.guest = false;
		vi->rss.report = false;
		netif_set_real_num_tx_queues(dev, 1);
		netif_set_real_num_rx_queues(dev, 1);
		WRITE_ONCE(vi->cur_pairs, 1);
	}
	vnet_set_affinity(vi);

	for_each_set_bit(vid, vi->vlans, VLAN_N_VID)
		if (vnet_ctrl_vlan(vi, vid, true))
			netdev_warn(dev, "cannot add VLAN %u to the filter again\n",
				    vid);

	if (vnet_has(vi, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) &&
	    vnet_ctrl_guest_offloads(vi, vi->guest_offloads))
		netdev_warn(dev, "cannot set the guest offloads again\n");
}

/*
 * Reset the device and create every queue again with @rx_ring / @tx_ring
 * entries (0: the device maximum), going through the status handshake
 * with the features negotiated at probe.  Without per-queue reset
 * (VIRTIO_F_RING_RESET, see resize.c) this is how ethtool -G takes
 * effect.  When the new sizes cannot be set up the old ones are restored;
 * when even that fails the device stays detached.
 * Called under rtnl.
 */
int vnet_reinit(struct vnet_priv *vi, unsigned int rx_ring,
		unsigned int tx_ring)
{
	unsigned int old_rx = vi->rx_ring, old_tx = vi->tx_ring;
	struct vtio_device *vdev = vi->vdev;
	bool running = netif_running(vi->dev);
	int err;

	ASSERT_RTNL();
	if (vi->dead)
		return -ENODEV;

	vnet_quiesce(vi, running);

	mutex_lock(&vi->ctrl_lock);
	vtio_reset_device(vdev);
	vnet_del_vqs(vi);
	/* After the reset the device can no longer write a lost command. */
	kfree(vi->ctrl_orphan);
	vi->ctrl_orphan = NULL;
	vi->ctrl_dead = false;

	vi->rx_ring = rx_ring;
	vi->tx_ring = tx_ring;
	err = vnet_renegotiate(vi);
	if (!err)
		err = vnet_find_vqs(vi);
	if (err) {
		netdev_warn(vi->dev, "cannot use rings of %u/%u entries (%d): restoring the old ones\n",
			    rx_ring, tx_ring, err);
		vtio_reset_device(vdev);
		vi->rx_ring = old_rx;
		vi->tx_ring = old_tx;
		if (!vnet_renegotiate(vi) && !vnet_find_vqs(vi)) {
			err = -EINVAL;
		} else {
			vtio_add_status(vdev, VTIO_STATUS_FAILED);
			vi->dead = true;
			mutex_unlock(&vi->ctrl_lock);
			netdev_err(vi->dev, "device lost: cannot set up its queues again\n");
			return -ENODEV;
		}
	}
	mutex_unlock(&vi->ctrl_lock);

	vtio_device_ready(vdev);
	vnet_replay(vi);
	vnet_resume(vi, running);
	if (!err)
		netdev_info(vi->dev, "rings of %u/%u entries, set by device reset\n",
			    rx_ring, tx_ring);
	return err;
}
