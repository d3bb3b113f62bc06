/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio_net_mq: private definitions shared by the files of the driver.
 *
 * Queue layout follows the virtio-net standard: receiveqK is virtqueue 2K,
 * transmitqK is 2K + 1 and the control queue comes last, at 2N where N is
 * the number of queue pairs the device offers.
 */
#ifndef _VNET_H
#define _VNET_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/virtio_net.h>

#include "vtio.h"

#define VNET_DRV_NAME		"virtio_net_mq"
#define VNET_DRV_VERSION	"0.2"

/*
 * VERSION_1 is always negotiated, so every buffer starts with the 12-byte
 * header that carries num_buffers (struct virtio_net_hdr_v1 layout).
 */
#define VNET_HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)

/* Bytes of a received frame copied into the skb head; the rest stays paged. */
#define VNET_RX_COPY		128
/* One mergeable / small receive buffer holds a full 1500-byte frame. */
#define VNET_MRG_BUF_LEN	ALIGN(VNET_HDR_LEN + VLAN_ETH_HLEN + ETH_DATA_LEN, 64)
/* Largest frame a GSO-capable receive buffer must hold. */
#define VNET_RX_GSO_MAX		(VNET_HDR_LEN + VLAN_ETH_HLEN + ETH_MAX_MTU)
/* Header + linear part + every fragment. */
#define VNET_MAX_SG		(MAX_SKB_FRAGS + 2)
/* A command the device does not answer within this time fails. */
#define VNET_CTRL_TIMEOUT_MS	2000

enum vnet_rx_mode {
	VNET_RX_SMALL,		/* one buffer per frame, sized for the MTU */
	VNET_RX_BIG,		/* one page chain per frame (guest GSO, big MTU) */
	VNET_RX_MRG,		/* VIRTIO_NET_F_MRG_RXBUF: frames span buffers */
};

/* Receive counters, updated only from the queue's NAPI context. */
enum vnet_rq_stat {
	VNET_RQ_PACKETS,
	VNET_RQ_BYTES,
	VNET_RQ_DROPS,
	VNET_RQ_LENGTH_ERRORS,
	VNET_RQ_HDR_ERRORS,
	VNET_RQ_KICKS,
	VNET_RQ_NAPI_POLLS,
	VNET_RQ_NSTATS,
};

/* Transmit counters, updated under the netdev tx queue lock. */
enum vnet_sq_stat {
	VNET_SQ_PACKETS,
	VNET_SQ_BYTES,
	VNET_SQ_DROPS,
	VNET_SQ_KICKS,
	VNET_SQ_NAPI_POLLS,
	VNET_SQ_STOPS,
	VNET_SQ_WAKES,
	VNET_SQ_NSTATS,
};

#define VNET_STATS_MAX		VNET_SQ_NSTATS

struct vnet_stats {
	struct u64_stats_sync syncp;
	u64_stats_t v[VNET_STATS_MAX];
};

/* Interrupt counter: written from the queue callback only. */
struct vnet_irq_stats {
	struct u64_stats_sync syncp;
	u64_stats_t interrupts;
};

struct vnet_priv;

struct vnet_rq {
	struct napi_struct napi;
	struct vtio_vq *vq;
	struct vnet_priv *vi;
	unsigned int index;
	struct page_frag frag;		/* carves small / mergeable buffers */
	struct vnet_stats stats;
	struct vnet_irq_stats irq;
	struct scatterlist sg[VNET_MAX_SG];
	char name[20];		/* "output.<u32>" */
} ____cacheline_aligned_in_smp;

struct vnet_sq {
	struct napi_struct napi;
	struct vtio_vq *vq;
	struct vnet_priv *vi;
	unsigned int index;
	unsigned int stop_thresh;	/* free descriptors a packet may need */
	struct vnet_stats stats;
	struct vnet_irq_stats irq;
	struct scatterlist sg[VNET_MAX_SG];
	char name[20];		/* "output.<u32>" */
} ____cacheline_aligned_in_smp;

/* Control queue buffers: kmalloc'd because the ring DMA-maps them. */
struct vnet_ctrl {
	struct virtio_net_ctrl_hdr hdr;
	virtio_net_ctrl_ack status;
	u8 data[16];
};

struct vnet_priv {
	struct vtio_device *vdev;
	struct net_device *dev;

	struct vnet_rq *rq;
	struct vnet_sq *sq;
	unsigned int max_pairs;		/* queue pairs created */
	unsigned int cur_pairs;		/* queue pairs in use */

	enum vnet_rx_mode rx_mode;
	unsigned int rx_buf_len;	/* small / mergeable buffer size */
	unsigned int big_pages;		/* pages per big-mode buffer */
	bool indirect;			/* a chain costs one descriptor */

	/* Receive refill when atomic allocation failed in NAPI. */
	struct delayed_work refill;
	spinlock_t refill_lock;		/* protects refill_on */
	bool refill_on;

	/* Link state from the config space. */
	struct work_struct config_work;
	u16 status;
	u32 speed;
	u8 duplex;

	/* Control queue. */
	struct vtio_vq *cvq;
	struct mutex ctrl_lock;		/* one command at a time */
	struct completion ctrl_done;	/* control queue interrupt */
	struct vnet_ctrl *ctrl;
	void *ctrl_orphan;		/* buffer the device may still write */
	bool ctrl_dead;			/* a command went unanswered */
	struct work_struct rx_mode_work;
};

static inline bool vnet_has(const struct vnet_priv *vi, unsigned int fbit)
{
	return vtio_has_feature(vi->vdev, fbit);
}

static inline void vnet_stats_add(struct vnet_stats *s, unsigned int idx,
				  u64 val)
{
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->v[idx], val);
	u64_stats_update_end(&s->syncp);
}

void vnet_stats_read(const struct vnet_stats *s, u64 *out, unsigned int n);
u64 vnet_irq_stats_read(const struct vnet_irq_stats *s);

/* NAPI glue shared by rx and tx. */
void vnet_napi_schedule(struct napi_struct *napi, struct vtio_vq *vq);
void vnet_napi_complete(struct napi_struct *napi, struct vtio_vq *vq,
			int done);
void vnet_napi_enable(struct napi_struct *napi, struct vtio_vq *vq);

/* rx.c */
void vnet_rx_callback(struct vtio_vq *vq);
int vnet_rx_poll(struct napi_struct *napi, int budget);
bool vnet_rx_fill(struct vnet_rq *rq, gfp_t gfp);
void vnet_rx_free_buf(struct vnet_priv *vi, void *buf);
void vnet_schedule_refill(struct vnet_priv *vi, unsigned long delay);
void vnet_refill_work(struct work_struct *work);

/* tx.c */
void vnet_tx_callback(struct vtio_vq *vq);
int vnet_tx_poll(struct napi_struct *napi, int budget);
netdev_tx_t vnet_start_xmit(struct sk_buff *skb, struct net_device *dev);
void vnet_tx_timeout(struct net_device *dev, unsigned int txqueue);

/* Offset of a field in the device's config space. */
#define VNET_CFG(member) offsetof(struct virtio_net_config, member)

/* ctrl.c */
int vnet_ctrl_cmd(struct vnet_priv *vi, u8 class, u8 cmd,
		  const void *data, unsigned int len);
int vnet_ctrl_set_mac(struct vnet_priv *vi, const u8 *addr);
void vnet_ctrl_announce_ack(struct vnet_priv *vi);
void vnet_ctrl_callback(struct vtio_vq *vq);
void vnet_set_rx_mode(struct net_device *dev);
void vnet_rx_mode_work(struct work_struct *work);

/* ethtool.c */
extern const struct ethtool_ops vnet_ethtool_ops;

#endif /* _VNET_H */
