// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq receive path: posting buffers, assembling frames, NAPI.
 *
 * Three buffer layouts, chosen once at probe:
 *  - small: one page-fragment buffer per frame, big enough for the MTU;
 *  - big: a chain of whole pages per frame (guest GSO without mergeable
 *    buffers), tracked by a struct vnet_big_buf;
 *  - mergeable: page-fragment buffers, a frame spans the number of
 *    buffers the device writes into the header's num_buffers.  Their size
 *    follows a moving average of the frame sizes of the queue, from one
 *    full-size frame up to a page: coalesced (GSO) frames then take a
 *    handful of buffers rather than dozens, small frames keep small ones.
 *
 * Small and mergeable buffers carry their size as the ring's per-buffer
 * context, so a completion is checked against the buffer it came from.
 *
 * The used length, num_buffers and the checksum / GSO fields of the header
 * come from the device and are checked before use: a frame failing a check
 * is dropped and counted, never trusted.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "vnet.h"

struct vnet_big_buf {
	unsigned int npages;
	struct page *pages[];
};

/* Counters of one poll, folded into the queue statistics at its end. */
struct vnet_rx_acc {
	u64 packets;
	u64 bytes;
	u64 drops;
	u64 length_errors;
	u64 hdr_errors;
	u64 hashes;
};

static __printf(2, 3) void vnet_rx_err(struct vnet_rq *rq, const char *fmt,
				       ...)
{
	struct va_format vaf;
	va_list args;

	if (!net_ratelimit())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	netdev_err(rq->vi->dev, "rx queue %u: %pV\n", rq->index, &vaf);
	va_end(args);
}

static void vnet_put_frag(void *buf)
{
	put_page(virt_to_head_page(buf));
}

void vnet_rx_free_buf(struct vnet_priv *vi, void *buf)
{
	struct vnet_big_buf *big = buf;
	unsigned int i;

	if (vi->rx_mode != VNET_RX_BIG) {
		vnet_put_frag(buf);
		return;
	}
	for (i = 0; i < big->npages; i++) {
		if (big->pages[i])
			put_page(big->pages[i]);
	}
	kfree(big);
}

/* ------------------------------------------------------------ posting -- */

/* The buffer size travels as the ring context of the buffer. */
static void *vnet_len_to_ctx(unsigned int len)
{
	return (void *)(unsigned long)len;
}

static unsigned int vnet_ctx_to_len(void *ctx)
{
	return (unsigned long)ctx;
}

/* Size of the next buffer of @rq. */
static unsigned int vnet_rx_buf_len(struct vnet_rq *rq)
{
	unsigned int min = rq->vi->rx_buf_len;

	if (rq->vi->rx_mode != VNET_RX_MRG)
		return min;
	return ALIGN(clamp_t(unsigned int,
			     ewma_vnet_frame_len_read(&rq->frame_len),
			     min, VNET_MRG_MAX_LEN), L1_CACHE_BYTES);
}

static int vnet_rx_add_frag(struct vnet_rq *rq, gfp_t gfp)
{
	unsigned int len = vnet_rx_buf_len(rq);
	struct page_frag *pf = &rq->frag;
	void *buf;
	int err;

	if (unlikely(!skb_page_frag_refill(len, pf, gfp)))
		return -ENOMEM;

	buf = page_address(pf->page) + pf->offset;
	get_page(pf->page);
	sg_init_one(rq->sg, buf, len);
	err = vtio_vq_add_inbuf_ctx(rq->vq, rq->sg, 1, buf,
				    vnet_len_to_ctx(len), gfp);
	if (unlikely(err)) {
		put_page(pf->page);
		return err;
	}
	pf->offset += len;
	return 0;
}

static int vnet_rx_add_big(struct vnet_rq *rq, gfp_t gfp)
{
	unsigned int i, n = rq->vi->big_pages;
	struct vnet_big_buf *big;
	int err = -ENOMEM;

	big = kzalloc(struct_size(big, pages, n), gfp);
	if (unlikely(!big))
		return -ENOMEM;
	big->npages = n;

	sg_init_table(rq->sg, n);
	for (i = 0; i < n; i++) {
		big->pages[i] = alloc_page(gfp);
		if (unlikely(!big->pages[i]))
			goto err_free;
		sg_set_page(&rq->sg[i], big->pages[i], PAGE_SIZE, 0);
	}
	err = vtio_vq_add_inbuf(rq->vq, rq->sg, n, big, gfp);
	if (likely(!err))
		return 0;
err_free:
	vnet_rx_free_buf(rq->vi, big);
	return err;
}

/*
 * Post receive buffers until the ring is full.  Returns false only when
 * memory ran out, so the caller can retry later from process context.
 */
bool vnet_rx_fill(struct vnet_rq *rq, gfp_t gfp)
{
	struct vnet_priv *vi = rq->vi;
	bool big = vi->rx_mode == VNET_RX_BIG;
	unsigned int need = big && !vi->indirect ? vi->big_pages : 1;
	bool added = false;
	int err = 0;

	while (rq->vq->num_free >= need) {
		err = big ? vnet_rx_add_big(rq, gfp) : vnet_rx_add_frag(rq, gfp);
		if (err)
			break;
		added = true;
	}
	if (added && vtio_vq_kick_prepare(rq->vq)) {
		vtio_vq_notify(rq->vq);
		vnet_stats_add(&rq->stats, VNET_RQ_KICKS, 1);
	}
	return err != -ENOMEM;
}

void vnet_schedule_refill(struct vnet_priv *vi, unsigned long delay)
{
	spin_lock_bh(&vi->refill_lock);
	if (vi->refill_on)
		schedule_delayed_work(&vi->refill, delay);
	spin_unlock_bh(&vi->refill_lock);
}

/* Runs only while the device is open: ndo_stop cancels it first. */
void vnet_refill_work(struct work_struct *work)
{
	struct vnet_priv *vi = container_of(to_delayed_work(work),
					    struct vnet_priv, refill);
	bool ok = true;
	unsigned int i;

	/* Queue pairs the stack does not use get their buffers when enabled. */
	for (i = 0; i < READ_ONCE(vi->cur_pairs); i++) {
		struct vnet_rq *rq = &vi->rq[i];

		napi_disable(&rq->napi);
		if (!vnet_rx_fill(rq, GFP_KERNEL))
			ok = false;
		vnet_napi_enable(&rq->napi, rq->vq);
	}
	if (!ok)
		vnet_schedule_refill(vi, HZ / 2);
}

/* ----------------------------------------------------------- assembly -- */

/* Start an skb with the head of @len bytes at @page + @off; page the rest. */
static struct sk_buff *vnet_rx_head(struct vnet_rq *rq, struct page *page,
				    unsigned int off, unsigned int len,
				    unsigned int truesize)
{
	unsigned int copy = min_t(unsigned int, len, VNET_RX_COPY);
	struct sk_buff *skb;

	skb = napi_alloc_skb(&rq->napi, copy);
	if (unlikely(!skb))
		return NULL;
	skb_put_data(skb, page_address(page) + off, copy);
	if (len > copy)
		skb_add_rx_frag(skb, 0, page, off + copy, len - copy, truesize);
	else
		put_page(page);
	return skb;
}

/*
 * Append one mergeable buffer to the frame.  Adjacent buffers of the same
 * page merge into one fragment; a full fragment array continues in a
 * frag_list skb.
 */
static bool vnet_rx_append(struct sk_buff *head, struct sk_buff **tailp,
			   void *buf, unsigned int len, unsigned int truesize)
{
	struct page *page = virt_to_head_page(buf);
	unsigned int off = buf - page_address(page);
	struct sk_buff *tail = *tailp;
	int nr = skb_shinfo(tail)->nr_frags;

	if (!len) {
		put_page(page);
		return true;
	}
	if (nr && skb_can_coalesce(tail, nr, page, off)) {
		skb_coalesce_rx_frag(tail, nr - 1, len, truesize);
		put_page(page);
	} else {
		if (nr == MAX_SKB_FRAGS) {
			struct sk_buff *nskb = alloc_skb(0, GFP_ATOMIC);

			if (unlikely(!nskb))
				return false;
			if (tail == head)
				skb_shinfo(head)->frag_list = nskb;
			else
				tail->next = nskb;
			head->truesize += nskb->truesize;
			*tailp = nskb;
			tail = nskb;
			nr = 0;
		}
		skb_add_rx_frag(tail, nr, page, off, len, truesize);
	}
	if (tail != head) {
		head->len += len;
		head->data_len += len;
		head->truesize += truesize;
	}
	return true;
}

/* Consume the @n further buffers of a frame that is being dropped. */
static void vnet_rx_drain(struct vnet_rq *rq, unsigned int n)
{
	unsigned int len;
	void *buf;

	while (n--) {
		buf = vtio_vq_get_buf(rq->vq, &len);
		if (!buf)
			break;
		vnet_put_frag(buf);
	}
}

/* Small and mergeable buffers: page fragments of @buf_len bytes each. */
static struct sk_buff *vnet_rx_paged(struct vnet_rq *rq, void *buf,
				     unsigned int len, unsigned int buf_len,
				     union vnet_hdr *hdr, struct vnet_rx_acc *acc)
{
	unsigned int hdr_len = rq->vi->hdr_len, frame = len;
	struct page *page = virt_to_head_page(buf);
	struct sk_buff *skb, *tail;
	unsigned int nbufs = 1, i;
	void *ctx;

	if (unlikely(len < hdr_len)) {
		vnet_rx_err(rq, "used length %u shorter than the %u-byte header",
			    len, hdr_len);
		goto err_one;
	}
	memcpy(hdr, buf, hdr_len);
	if (rq->vi->rx_mode == VNET_RX_MRG) {
		nbufs = __virtio16_to_cpu(true, hdr->mrg.num_buffers);
		if (unlikely(!nbufs ||
			     nbufs > vtio_vq_get_vring_size(rq->vq))) {
			vnet_rx_err(rq, "invalid num_buffers %u", nbufs);
			goto err_one;
		}
	}
	if (unlikely(len > buf_len)) {
		vnet_rx_err(rq, "used length %u exceeds the %u-byte buffer",
			    len, buf_len);
		acc->length_errors++;
		vnet_put_frag(buf);
		vnet_rx_drain(rq, nbufs - 1);
		return NULL;
	}

	skb = vnet_rx_head(rq, page, buf - page_address(page) + hdr_len,
			   len - hdr_len, buf_len);
	if (unlikely(!skb)) {
		acc->drops++;
		vnet_put_frag(buf);
		vnet_rx_drain(rq, nbufs - 1);
		return NULL;
	}

	tail = skb;
	for (i = 1; i < nbufs; i++) {
		buf = vtio_vq_get_buf_ctx(rq->vq, &len, &ctx);
		if (unlikely(!buf)) {
			vnet_rx_err(rq, "num_buffers %u but only %u buffers used",
				    nbufs, i);
			acc->length_errors++;
			goto err_skb;
		}
		buf_len = vnet_ctx_to_len(ctx);
		if (unlikely(len > buf_len)) {
			vnet_rx_err(rq, "buffer %u of %u: used length %u exceeds %u",
				    i + 1, nbufs, len, buf_len);
			acc->length_errors++;
			goto err_buf;
		}
		if (unlikely(!vnet_rx_append(skb, &tail, buf, len, buf_len))) {
			acc->drops++;
			goto err_buf;
		}
		frame += len;
	}
	if (rq->vi->rx_mode == VNET_RX_MRG)
		ewma_vnet_frame_len_add(&rq->frame_len, frame);
	return skb;

err_buf:
	vnet_put_frag(buf);
	vnet_rx_drain(rq, nbufs - i - 1);
err_skb:
	kfree_skb(skb);
	return NULL;
err_one:
	acc->length_errors++;
	vnet_put_frag(buf);
	return NULL;
}

/* Big mode: the frame lies in a chain of whole pages. */
static struct sk_buff *vnet_rx_big(struct vnet_rq *rq,
				   struct vnet_big_buf *big, unsigned int len,
				   union vnet_hdr *hdr, struct vnet_rx_acc *acc)
{
	unsigned int cap = big->npages * PAGE_SIZE;
	unsigned int hdr_len = rq->vi->hdr_len;
	unsigned int copy, off, chunk, i;
	struct sk_buff *skb = NULL;
	u8 *first;

	if (unlikely(len < hdr_len || len > cap)) {
		vnet_rx_err(rq, "used length %u outside %u..%u", len,
			    hdr_len, cap);
		acc->length_errors++;
		goto out;
	}
	first = page_address(big->pages[0]);
	memcpy(hdr, first, hdr_len);
	len -= hdr_len;

	copy = min_t(unsigned int, len, VNET_RX_COPY);
	skb = napi_alloc_skb(&rq->napi, copy);
	if (unlikely(!skb)) {
		acc->drops++;
		goto out;
	}
	skb_put_data(skb, first + hdr_len, copy);
	len -= copy;
	off = hdr_len + copy;

	for (i = 0; len && i < big->npages; i++) {
		int nr = skb_shinfo(skb)->nr_frags;

		if (unlikely(nr == MAX_SKB_FRAGS)) {
			vnet_rx_err(rq, "frame needs more than %d fragments",
				    (int)MAX_SKB_FRAGS);
			acc->length_errors++;
			kfree_skb(skb);
			skb = NULL;
			goto out;
		}
		chunk = min_t(unsigned int, len, PAGE_SIZE - off);
		skb_add_rx_frag(skb, nr, big->pages[i], off, chunk, PAGE_SIZE);
		big->pages[i] = NULL;
		len -= chunk;
		off = 0;
	}
out:
	vnet_rx_free_buf(rq->vi, big);
	return skb;
}

/* ------------------------------------------------------- header, NAPI -- */

static bool vnet_rx_gso_ok(const struct vnet_priv *vi, u8 gso_type)
{
	if ((gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	    !vnet_has(vi, VIRTIO_NET_F_GUEST_ECN))
		return false;

	switch (gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return gso_type == VIRTIO_NET_HDR_GSO_NONE;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		return vnet_has(vi, VIRTIO_NET_F_GUEST_TSO4);
	case VIRTIO_NET_HDR_GSO_TCPV6:
		return vnet_has(vi, VIRTIO_NET_F_GUEST_TSO6);
	default:
		return false;
	}
}

/*
 * Apply the header to a complete frame.  Returns -EMSGSIZE when the frame
 * is too short for Ethernet, -EPROTO when the header is not acceptable.
 */
static int vnet_rx_finish(struct vnet_rq *rq, struct sk_buff *skb,
			  const union vnet_hdr *vh)
{
	const struct virtio_net_hdr *h = &vh->mrg.hdr;
	struct vnet_priv *vi = rq->vi;

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN)))
		return -EMSGSIZE;
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    !vnet_has(vi, VIRTIO_NET_F_GUEST_CSUM))
		return -EPROTO;
	if (unlikely(!vnet_rx_gso_ok(vi, h->gso_type)))
		return -EPROTO;
	/* Checks csum_start / csum_offset / gso_size against the frame. */
	if (unlikely(virtio_net_hdr_to_skb(skb, h, true)))
		return -EPROTO;

	if ((h->flags & (VIRTIO_NET_HDR_F_NEEDS_CSUM |
			 VIRTIO_NET_HDR_F_DATA_VALID)) ==
	    VIRTIO_NET_HDR_F_DATA_VALID && (vi->dev->features & NETIF_F_RXCSUM))
		skb->ip_summed = CHECKSUM_UNNECESSARY;

	skb->protocol = eth_type_trans(skb, vi->dev);
	skb_record_rx_queue(skb, rq->index);
	return 0;
}

static void vnet_rx_one(struct vnet_rq *rq, void *buf, unsigned int len,
			void *ctx, struct vnet_rx_acc *acc)
{
	union vnet_hdr hdr = {};
	struct sk_buff *skb;
	int err;

	if (rq->vi->rx_mode == VNET_RX_BIG)
		skb = vnet_rx_big(rq, buf, len, &hdr, acc);
	else
		skb = vnet_rx_paged(rq, buf, len, vnet_ctx_to_len(ctx), &hdr,
				    acc);
	if (!skb)
		return;

	len = skb->len;
	err = vnet_rx_finish(rq, skb, &hdr);
	if (unlikely(err)) {
		if (err == -EMSGSIZE) {
			vnet_rx_err(rq, "frame of %u bytes too short", len);
			acc->length_errors++;
		} else {
			vnet_rx_err(rq, "bad header: flags 0x%x gso_type 0x%x csum %u+%u",
				    hdr.mrg.hdr.flags, hdr.mrg.hdr.gso_type,
				    __virtio16_to_cpu(true, hdr.mrg.hdr.csum_start),
				    __virtio16_to_cpu(true, hdr.mrg.hdr.csum_offset));
			acc->hdr_errors++;
		}
		kfree_skb(skb);
		return;
	}
	if (vnet_rss_rx_hash(rq->vi, skb, &hdr))
		acc->hashes++;
	acc->packets++;
	acc->bytes += len;
	napi_gro_receive(&rq->napi, skb);
}

void vnet_rx_callback(struct vtio_vq *vq)
{
	struct vnet_priv *vi = vq->vdev->priv;
	struct vnet_rq *rq = &vi->rq[vq->index / 2];

	vnet_queue_interrupt(vq, &rq->irq, &rq->napi);
}

int vnet_rx_poll(struct napi_struct *napi, int budget)
{
	struct vnet_rq *rq = container_of(napi, struct vnet_rq, napi);
	struct vnet_rx_acc acc = {};
	unsigned int len;
	void *buf, *ctx;
	int done = 0;

	while (done < budget) {
		buf = vtio_vq_get_buf_ctx(rq->vq, &len, &ctx);
		if (!buf)
			break;
		vnet_rx_one(rq, buf, len, ctx, &acc);
		done++;
	}

	/* A disabled pair gets buffers when ethtool -L enables it. */
	if (rq->vq->num_free > vtio_vq_get_vring_size(rq->vq) / 2 &&
	    vnet_pair_active(rq->vi, rq->index) &&
	    !vnet_rx_fill(rq, GFP_ATOMIC | __GFP_NOWARN))
		vnet_schedule_refill(rq->vi, 0);

	u64_stats_update_begin(&rq->stats.syncp);
	u64_stats_add(&rq->stats.v[VNET_RQ_PACKETS], acc.packets);
	u64_stats_add(&rq->stats.v[VNET_RQ_BYTES], acc.bytes);
	u64_stats_add(&rq->stats.v[VNET_RQ_DROPS], acc.drops);
	u64_stats_add(&rq->stats.v[VNET_RQ_LENGTH_ERRORS], acc.length_errors);
	u64_stats_add(&rq->stats.v[VNET_RQ_HDR_ERRORS], acc.hdr_errors);
	u64_stats_add(&rq->stats.v[VNET_RQ_HASHES], acc.hashes);
	u64_stats_inc(&rq->stats.v[VNET_RQ_NAPI_POLLS]);
	u64_stats_update_end(&rq->stats.syncp);

	if (done < budget)
		vnet_napi_complete(napi, rq->vq, done);
	return done;
}
