// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq ethtool -G with VIRTIO_F_RING_RESET: every queue is reset
 * and given its new ring on its own, while the device, the other queues,
 * the control queue and everything programmed through it stay as they
 * are.  Without the feature, vnet_reinit() resets the whole device.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vnet.h"

static void vnet_recycle_rx(struct vtio_vq *vq, void *buf)
{
	vnet_rx_free_buf(vq->vdev->priv, buf);
}

static void vnet_recycle_tx(struct vtio_vq *vq, void *buf)
{
	dev_kfree_skb(buf);
}

static int vnet_resize_rq(struct vnet_priv *vi, struct vnet_rq *rq,
			  unsigned int num, bool running)
{
	int err;

	if (running)
		napi_disable(&rq->napi);
	err = vtio_vq_resize(rq->vq, num, vnet_recycle_rx);
	if (running) {
		/* Disabled pairs get their buffers when they are enabled. */
		if (rq->index < vi->cur_pairs && !vnet_rx_fill(rq, GFP_KERNEL))
			vnet_schedule_refill(vi, 0);
		vnet_napi_enable(&rq->napi, rq->vq);
	}
	return err;
}

static int vnet_resize_sq(struct vnet_priv *vi, struct vnet_sq *sq,
			  unsigned int num, bool running)
{
	struct netdev_queue *txq = netdev_get_tx_queue(vi->dev, sq->index);
	int err;

	/* A closed device transmits nothing and must not open stopped. */
	if (running) {
		napi_disable(&sq->napi);
		/* Waits for a transmit on another CPU; none starts until the wake. */
		__netif_tx_lock_bh(txq);
		netif_tx_stop_queue(txq);
		__netif_tx_unlock_bh(txq);
	}

	err = vtio_vq_resize(sq->vq, num, vnet_recycle_tx);
	/* The packets BQL counted in flight were just freed. */
	netdev_tx_reset_queue(txq);
	sq->stop_thresh = min_t(unsigned int, VNET_MAX_SG,
				vtio_vq_get_vring_size(sq->vq));

	if (running) {
		vnet_napi_enable(&sq->napi, sq->vq);
		netif_tx_wake_queue(txq);
	}
	return err;
}

/* Every receive (@rx) or transmit queue to @num entries; 0 or an errno. */
static int vnet_resize_all(struct vnet_priv *vi, bool rx, unsigned int num,
			   bool running)
{
	unsigned int i;
	int err;

	for (i = 0; i < vi->max_pairs; i++) {
		struct vtio_vq *vq = rx ? vi->rq[i].vq : vi->sq[i].vq;

		if (vtio_vq_get_vring_size(vq) == num)
			continue;
		err = rx ? vnet_resize_rq(vi, &vi->rq[i], num, running) :
			   vnet_resize_sq(vi, &vi->sq[i], num, running);
		if (err) {
			netdev_err(vi->dev, "%s: cannot resize to %u entries: %d\n",
				   vq->name, num, err);
			return err;
		}
	}
	return 0;
}

/*
 * On failure the queues already resized go back to the old sizes, so
 * ethtool -g keeps telling the truth.  Called under rtnl.
 */
int vnet_resize_rings(struct vnet_priv *vi, unsigned int rx_ring,
		      unsigned int tx_ring)
{
	unsigned int old_rx = vtio_vq_get_vring_size(vi->rq[0].vq);
	unsigned int old_tx = vtio_vq_get_vring_size(vi->sq[0].vq);
	bool running = netif_running(vi->dev);
	int err;

	ASSERT_RTNL();
	if (vi->dead)
		return -ENODEV;

	/* The refill work fills receive queues: keep it off them. */
	if (running) {
		spin_lock_bh(&vi->refill_lock);
		vi->refill_on = false;
		spin_unlock_bh(&vi->refill_lock);
		cancel_delayed_work_sync(&vi->refill);
	}

	err = vnet_resize_all(vi, true, rx_ring, running);
	if (!err)
		err = vnet_resize_all(vi, false, tx_ring, running);
	if (err && (vnet_resize_all(vi, true, old_rx, running) ||
		    vnet_resize_all(vi, false, old_tx, running)))
		netdev_err(vi->dev, "cannot return to rings of %u/%u entries\n",
			   old_rx, old_tx);
	if (!err) {
		vi->rx_ring = rx_ring;
		vi->tx_ring = tx_ring;
		netdev_info(vi->dev, "rings of %u/%u entries, set by queue reset\n",
			    rx_ring, tx_ring);
	}

	if (running) {
		spin_lock_bh(&vi->refill_lock);
		vi->refill_on = true;
		spin_unlock_bh(&vi->refill_lock);
	}
	return err;
}
