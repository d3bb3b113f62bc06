// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq transmit path.
 *
 * The header of each packet lives in skb->cb, the skb itself is the ring
 * token.  Completions are reclaimed by a tx NAPI under the netdev tx queue
 * lock, so ndo_start_xmit and reclaim never touch the ring concurrently.
 * The queue stops while the ring cannot take a packet with every fragment
 * and wakes from the completion path; byte queue limits pace the kicks.
 */
#include <linux/skbuff.h>

#include "vnet.h"

static union vnet_hdr *vnet_skb_hdr(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(union vnet_hdr) > sizeof(skb->cb));
	return (union vnet_hdr *)skb->cb;
}

/* Free what the device has sent.  Called with the tx queue lock held. */
static void vnet_tx_reclaim(struct vnet_sq *sq, struct netdev_queue *txq,
			    int budget)
{
	unsigned int packets = 0, bytes = 0, len;
	struct sk_buff *skb;

	while ((skb = vtio_vq_get_buf(sq->vq, &len)) != NULL) {
		packets++;
		bytes += skb->len;
		napi_consume_skb(skb, budget);
	}
	if (!packets)
		return;

	netdev_tx_completed_queue(txq, packets, bytes);
	u64_stats_update_begin(&sq->stats.syncp);
	u64_stats_add(&sq->stats.v[VNET_SQ_PACKETS], packets);
	u64_stats_add(&sq->stats.v[VNET_SQ_BYTES], bytes);
	u64_stats_update_end(&sq->stats.syncp);
}

void vnet_tx_callback(struct vtio_vq *vq)
{
	struct vnet_priv *vi = vq->vdev->priv;
	struct vnet_sq *sq = &vi->sq[vq->index / 2];

	vnet_queue_interrupt(vq, &sq->irq, &sq->napi);
}

int vnet_tx_poll(struct napi_struct *napi, int budget)
{
	struct vnet_sq *sq = container_of(napi, struct vnet_sq, napi);
	struct netdev_queue *txq;
	unsigned int opaque = 0;
	bool done = false;

	txq = netdev_get_tx_queue(sq->vi->dev, sq->index);
	__netif_tx_lock(txq, raw_smp_processor_id());
	vtio_vq_disable_cb(sq->vq);
	vnet_tx_reclaim(sq, txq, budget);

	if (netif_tx_queue_stopped(txq) && sq->vq->num_free >= sq->stop_thresh) {
		netif_tx_wake_queue(txq);
		vnet_stats_add(&sq->stats, VNET_SQ_WAKES, 1);
	}
	vnet_stats_add(&sq->stats, VNET_SQ_NAPI_POLLS, 1);

	/* Budget 0 is netpoll: clean only, the NAPI stays scheduled. */
	if (budget) {
		opaque = vtio_vq_enable_cb_prepare(sq->vq);
		done = napi_complete_done(napi, 0);
		if (!done)
			vtio_vq_disable_cb(sq->vq);
	}
	__netif_tx_unlock(txq);

	if (done && unlikely(vtio_vq_poll(sq->vq, opaque)))
		vnet_napi_schedule(napi, sq->vq);
	return 0;
}

static int vnet_tx_add(struct vnet_sq *sq, struct sk_buff *skb)
{
	union vnet_hdr *hdr = vnet_skb_hdr(skb);
	int nsg;

	/* The device reads hdr_len bytes: no stale cb bytes may leak out. */
	memset(hdr, 0, sizeof(*hdr));
	if (virtio_net_hdr_from_skb(skb, &hdr->mrg.hdr, true, false, 0))
		return -EPROTO;

	sg_init_table(sq->sg, VNET_MAX_SG);
	sg_set_buf(sq->sg, hdr, sq->vi->hdr_len);
	nsg = skb_to_sgvec(skb, sq->sg + 1, 0, skb->len);
	if (unlikely(nsg < 0))
		return nsg;
	return vtio_vq_add_outbuf(sq->vq, sq->sg, nsg + 1, skb, GFP_ATOMIC);
}

netdev_tx_t vnet_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);
	unsigned int qidx = skb_get_queue_mapping(skb);
	struct vnet_sq *sq = &vi->sq[qidx];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qidx);
	bool more = netdev_xmit_more();
	unsigned int len = skb->len;
	bool kick;
	int err;

	skb_tx_timestamp(skb);
	err = vnet_tx_add(sq, skb);
	if (unlikely(err)) {
		if (net_ratelimit())
			netdev_err(dev, "tx queue %u: dropping packet: %d\n",
				   qidx, err);
		vnet_stats_add(&sq->stats, VNET_SQ_DROPS, 1);
		dev_kfree_skb_any(skb);
		/* Flush whatever earlier xmit_more packets left unkicked. */
		if (vtio_vq_kick_prepare(sq->vq)) {
			vtio_vq_notify(sq->vq);
			vnet_stats_add(&sq->stats, VNET_SQ_KICKS, 1);
		}
		return NETDEV_TX_OK;
	}

	/* The skb is now owned by the ring; only @len is used below. */
	kick = __netdev_tx_sent_queue(txq, len, more);

	if (sq->vq->num_free < sq->stop_thresh) {
		netif_tx_stop_queue(txq);
		vnet_stats_add(&sq->stats, VNET_SQ_STOPS, 1);
		kick = true;
		/* Ask for an interrupt once most of the ring is done. */
		if (!vtio_vq_enable_cb_delayed(sq->vq))
			vnet_napi_schedule(&sq->napi, sq->vq);
	}

	if (kick && vtio_vq_kick_prepare(sq->vq)) {
		vtio_vq_notify(sq->vq);
		vnet_stats_add(&sq->stats, VNET_SQ_KICKS, 1);
	}
	return NETDEV_TX_OK;
}

/*
 * Queue pair @sq->index was just enabled or disabled (ethtool -L).  A
 * disabled queue is never picked by the stack again, but it may have been
 * stopped with buffers the device will not complete while the pair is off:
 * wake it so the watchdog does not take it for a hung queue.  An enabled
 * queue may still be full of such buffers: stop it until they complete.
 * Called under rtnl while the device is open.
 */
void vnet_tx_settle(struct vnet_sq *sq, bool active)
{
	struct netdev_queue *txq = netdev_get_tx_queue(sq->vi->dev, sq->index);
	bool poll = false;

	__netif_tx_lock_bh(txq);
	vnet_tx_reclaim(sq, txq, 0);
	if (!active || sq->vq->num_free >= sq->stop_thresh) {
		netif_tx_wake_queue(txq);
	} else {
		netif_tx_stop_queue(txq);
		poll = !vtio_vq_enable_cb_delayed(sq->vq);
	}
	__netif_tx_unlock_bh(txq);

	if (poll) {
		local_bh_disable();
		vnet_napi_schedule(&sq->napi, sq->vq);
		local_bh_enable();
	}
}

void vnet_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct vnet_priv *vi = netdev_priv(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, txqueue);

	netdev_err(dev, "tx queue %u timed out: %u descriptors free, last transmit %u ms ago\n",
		   txqueue, vi->sq[txqueue].vq->num_free,
		   jiffies_to_msecs(jiffies - READ_ONCE(txq->trans_start)));
}
