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

#include <linux/average.h>
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
#define VNET_DRV_VERSION	"0.3"

/*
 * VERSION_1 is always negotiated, so every buffer starts with at least the
 * 12-byte header that carries num_buffers (struct virtio_net_hdr_v1).
 * With VIRTIO_NET_F_HASH_REPORT the header grows to the 20 bytes of
 * struct virtio_net_hdr_v1_hash, in both directions: vi->hdr_len.
 */
#define VNET_HDR_LEN		sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define VNET_HDR_MAX		sizeof(struct virtio_net_hdr_v1_hash)

/* The header in its largest form; the hash fields stay 0 when absent. */
union vnet_hdr {
	struct virtio_net_hdr_mrg_rxbuf mrg;
	struct virtio_net_hdr_v1_hash hash;
};

/* Bytes of a received frame copied into the skb head; the rest stays paged. */
#define VNET_RX_COPY		128
/* One mergeable / small receive buffer holds a full 1500-byte frame. */
#define VNET_MRG_BUF_LEN(hdr)	ALIGN((hdr) + VLAN_ETH_HLEN + ETH_DATA_LEN, 64)
/* Mergeable buffers grow with the frames up to this size (see rx.c). */
#define VNET_MRG_MAX_LEN	PAGE_SIZE
/* Largest frame a GSO-capable receive buffer must hold. */
#define VNET_RX_GSO_MAX		(VNET_HDR_MAX + VLAN_ETH_HLEN + ETH_MAX_MTU)
/* Header + linear part + every fragment. */
#define VNET_MAX_SG		(MAX_SKB_FRAGS + 2)
/* A command the device does not answer within this time fails. */
#define VNET_CTRL_TIMEOUT_MS	2000

/* virtio 1.3 5.1.4: max_virtqueue_pairs is 1..0x8000. */
#define VNET_MAX_PAIRS		0x8000
/* Smallest ring -G accepts: a full-size packet must always fit. */
#define VNET_RING_MIN		64

/* RSS limits we use whatever larger ones the device offers. */
#define VNET_RSS_KEY_MIN	40		/* Toeplitz over IPv6 + ports */
#define VNET_RSS_KEY_MAX	NETDEV_RSS_KEY_LEN
#define VNET_RSS_INDIR_MAX	4096
#define VNET_RSS_HASH_ALL	(VIRTIO_NET_RSS_HASH_TYPE_IPv4 | \
				 VIRTIO_NET_RSS_HASH_TYPE_TCPv4 | \
				 VIRTIO_NET_RSS_HASH_TYPE_UDPv4 | \
				 VIRTIO_NET_RSS_HASH_TYPE_IPv6 | \
				 VIRTIO_NET_RSS_HASH_TYPE_TCPv6 | \
				 VIRTIO_NET_RSS_HASH_TYPE_UDPv6 | \
				 VIRTIO_NET_RSS_HASH_TYPE_IP_EX | \
				 VIRTIO_NET_RSS_HASH_TYPE_TCP_EX | \
				 VIRTIO_NET_RSS_HASH_TYPE_UDP_EX)

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
	VNET_RQ_HASHES,		/* packets with a device-reported hash */
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

/* Room for either set: the receive side has the longer list. */
#define VNET_STATS_MAX		((unsigned int)VNET_RQ_NSTATS)

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

/* Moving average of the bytes a received frame took, 1/64 weight. */
DECLARE_EWMA(vnet_frame_len, 0, 64)

struct vnet_rq {
	struct napi_struct napi;
	struct vtio_vq *vq;
	struct vnet_priv *vi;
	unsigned int index;
	struct page_frag frag;		/* carves small / mergeable buffers */
	struct ewma_vnet_frame_len frame_len;	/* sizes mergeable buffers */
	struct vnet_stats stats;
	struct vnet_irq_stats irq;
	struct scatterlist sg[VNET_MAX_SG];
	char name[20];		/* "input.<u32>" */
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

/*
 * Receive steering (rss.c).  Host-driven (VQ_PAIRS_SET: the device picks
 * a queue among the enabled pairs) until the user programs a key, an
 * indirection table or hash fields; then guest-driven (RSS_CONFIG).
 */
struct vnet_rss {
	bool guest;			/* RSS_CONFIG is in force */
	bool report;			/* the device fills in hash reports */
	u32 hash_types;			/* VIRTIO_NET_RSS_HASH_TYPE_* wanted */
	u32 supported;			/* ... the device can compute */
	unsigned int indir_len;		/* a power of two; 0 without RSS */
	unsigned int key_len;		/* 0 without RSS and HASH_REPORT */
	u16 *indir;
	u8 key[VNET_RSS_KEY_MAX];
};

struct vnet_priv {
	struct vtio_device *vdev;
	struct net_device *dev;

	struct vnet_rq *rq;
	struct vnet_sq *sq;
	unsigned int max_pairs;		/* queue pairs created */
	unsigned int cur_pairs;		/* queue pairs in use (rtnl) */
	unsigned int rx_ring;		/* -G sizes; 0: device maximum */
	unsigned int tx_ring;
	bool dead;			/* re-initialisation failed */
	bool queue_reset_failed;	/* a queue reset timed out: -G resets */

	unsigned int hdr_len;		/* virtio-net header, both directions */
	enum vnet_rx_mode rx_mode;
	unsigned int rx_buf_len;	/* small buffer, smallest mergeable */
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
	struct {			/* debugfs fault injection */
		u32 refuse;
		u32 mute;
	} ctrl_fault;
	struct dentry *debugfs;
	struct work_struct rx_mode_work;

	/* Device state the driver programmed, replayed after a re-init. */
	struct vnet_rss rss;
	u64 guest_offloads;		/* VIRTIO_NET_F_GUEST_* in force */
	unsigned long vlans[BITS_TO_LONGS(VLAN_N_VID)];

	/* CPU hotplug: spread the pairs again (cpuhp.c). */
	struct hlist_node cpuhp_online;
	struct hlist_node cpuhp_dead;
	bool cpuhp_added;
	struct work_struct affinity_work;
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
void vnet_queue_interrupt(struct vtio_vq *vq, struct vnet_irq_stats *irq,
			  struct napi_struct *napi);
void vnet_napi_schedule(struct napi_struct *napi, struct vtio_vq *vq);
void vnet_napi_complete(struct napi_struct *napi, struct vtio_vq *vq,
			int done);
void vnet_napi_enable(struct napi_struct *napi, struct vtio_vq *vq);

/* Is queue pair @i enabled, i.e. used by the stack and the device? */
static inline bool vnet_pair_active(const struct vnet_priv *vi,
				    unsigned int i)
{
	return i < READ_ONCE(vi->cur_pairs);
}

/* rx.c */
void vnet_rx_callback(struct vtio_vq *vq);
int vnet_rx_poll(struct napi_struct *napi, int budget);
bool vnet_rx_fill(struct vnet_rq *rq, gfp_t gfp);
void vnet_rx_free_buf(struct vnet_priv *vi, void *buf);
void vnet_schedule_refill(struct vnet_priv *vi, unsigned long delay);
void vnet_start_datapath(struct vnet_priv *vi);
void vnet_refill_work(struct work_struct *work);

/* tx.c */
void vnet_tx_callback(struct vtio_vq *vq);
int vnet_tx_poll(struct napi_struct *napi, int budget);
netdev_tx_t vnet_start_xmit(struct sk_buff *skb, struct net_device *dev);
void vnet_tx_timeout(struct net_device *dev, unsigned int txqueue);
void vnet_tx_settle(struct vnet_sq *sq, bool active);

/* Offset of a field in the device's config space. */
#define VNET_CFG(member) offsetof(struct virtio_net_config, member)

/* ctrl.c */
int vnet_ctrl_cmd(struct vnet_priv *vi, u8 class, u8 cmd,
		  const void *data, unsigned int len);
int vnet_ctrl_cmd_buf(struct vnet_priv *vi, u8 class, u8 cmd,
		      void *buf, unsigned int len);
int vnet_ctrl_set_mac(struct vnet_priv *vi, const u8 *addr);
int vnet_ctrl_set_pairs(struct vnet_priv *vi, unsigned int pairs);
int vnet_ctrl_vlan(struct vnet_priv *vi, u16 vid, bool add);
int vnet_ctrl_guest_offloads(struct vnet_priv *vi, u64 offloads);
void vnet_ctrl_announce_ack(struct vnet_priv *vi);
void vnet_ctrl_callback(struct vtio_vq *vq);
void vnet_set_rx_mode(struct net_device *dev);
void vnet_rx_mode_work(struct work_struct *work);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void vnet_debugfs_init(void);
void vnet_debugfs_exit(void);
void vnet_debugfs_add(struct vnet_priv *vi);
void vnet_debugfs_remove(struct vnet_priv *vi);
bool vnet_ctrl_inject(struct vnet_priv *vi, struct virtio_net_ctrl_hdr *hdr);
#else
static inline void vnet_debugfs_init(void) { }
static inline void vnet_debugfs_exit(void) { }
static inline void vnet_debugfs_add(struct vnet_priv *vi) { }
static inline void vnet_debugfs_remove(struct vnet_priv *vi) { }
static inline bool vnet_ctrl_inject(struct vnet_priv *vi,
				    struct virtio_net_ctrl_hdr *hdr)
{
	return true;
}
#endif

/* cpuhp.c */
void vnet_cpuhp_init(void);
void vnet_cpuhp_exit(void);
void vnet_cpuhp_add(struct vnet_priv *vi);
void vnet_cpuhp_remove(struct vnet_priv *vi);

/* queues.c */
int vnet_alloc_queues(struct vnet_priv *vi);
void vnet_free_queues(struct vnet_priv *vi);
int vnet_find_vqs(struct vnet_priv *vi);
void vnet_del_vqs(struct vnet_priv *vi);
void vnet_set_affinity(struct vnet_priv *vi);
int vnet_set_pairs(struct vnet_priv *vi, unsigned int pairs);
int vnet_reinit(struct vnet_priv *vi, unsigned int rx_ring,
		unsigned int tx_ring);

/* resize.c */
int vnet_resize_rings(struct vnet_priv *vi, unsigned int rx_ring,
		      unsigned int tx_ring);

/* rss.c */
int vnet_rss_init(struct vnet_priv *vi);
void vnet_rss_free(struct vnet_priv *vi);
int vnet_steer(struct vnet_priv *vi, unsigned int pairs);
bool vnet_rss_rx_hash(const struct vnet_priv *vi, struct sk_buff *skb,
		      const union vnet_hdr *hdr);
u32 vnet_rss_get_key_size(struct net_device *dev);
u32 vnet_rss_get_indir_size(struct net_device *dev);
int vnet_rss_get(struct vnet_priv *vi, u32 *indir, u8 *key, u8 *hfunc);
int vnet_rss_set(struct vnet_priv *vi, const u32 *indir, const u8 *key,
		 u8 hfunc);
int vnet_rss_get_fields(struct vnet_priv *vi, u32 flow_type, u64 *data);
int vnet_rss_set_fields(struct vnet_priv *vi, u32 flow_type, u64 data);

/* netdev.c */
extern const struct net_device_ops vnet_netdev_ops;
void vnet_init_guest_offloads(struct vnet_priv *vi);

/* ethtool.c */
extern const struct ethtool_ops vnet_ethtool_ops;

#endif /* _VNET_H */
