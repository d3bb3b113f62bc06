// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq receive steering and hash reports.
 *
 * Three ways to steer received packets, the rules of the multiqueue draft
 * (seed 004) as the standard spells them:
 *  - SINGLE: one queue pair (ethtool -L combined 1);
 *  - HOST: VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET N; the device spreads flows
 *    over the first N pairs with a function of its own;
 *  - guest-driven: VIRTIO_NET_CTRL_MQ_RSS_CONFIG (VIRTIO_NET_F_RSS); the
 *    driver chooses the Toeplitz key, the hash types and the indirection
 *    table.
 * The driver steers the HOST way until the user sets a key or a table
 * (ethtool -X) or hash fields (ethtool -N rx-flow-hash), and guest-driven
 * from then on, ethtool -L included.  A device that can report hashes but
 * not steer (VIRTIO_NET_F_HASH_REPORT without RSS) gets the hash types and
 * the key with VIRTIO_NET_CTRL_MQ_HASH_CONFIG.
 *
 * A device may drop its RSS state when it refuses an MQ command (QEMU
 * does, before it even parses the command), so after a refusal the state
 * in force before is sent again: a failed ethtool call changes nothing.
 */
#include <linux/ethtool.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "vnet.h"

/* Bytes of a VIRTIO_NET_CTRL_MQ_RSS_CONFIG payload before the table. */
#define VNET_RSS_HEAD	offsetof(struct virtio_net_rss_config, indirection_table)

/* Hash fields ethtool reports for each hash type of virtio. */
#define VNET_RXH_L3	(RXH_IP_SRC | RXH_IP_DST)
#define VNET_RXH_L4	(VNET_RXH_L3 | RXH_L4_B_0_1 | RXH_L4_B_2_3)

int vnet_rss_init(struct vnet_priv *vi)
{
	struct vtio_device *vdev = vi->vdev;
	struct vnet_rss *rss = &vi->rss;
	unsigned int len;

	if (!vnet_has(vi, VIRTIO_NET_F_RSS) &&
	    !vnet_has(vi, VIRTIO_NET_F_HASH_REPORT))
		return 0;

	/* vnet_validate() checked these against the standard's minimums. */
	rss->key_len = min_t(unsigned int,
			     vtio_cread8(vdev, VNET_CFG(rss_max_key_size)),
			     VNET_RSS_KEY_MAX);
	rss->supported = vtio_cread32(vdev, VNET_CFG(supported_hash_types)) &
			 VNET_RSS_HASH_ALL;
	rss->hash_types = rss->supported;
	netdev_rss_key_fill(rss->key, rss->key_len);

	if (!vnet_has(vi, VIRTIO_NET_F_RSS))
		return 0;
	len = vtio_cread16(vdev, VNET_CFG(rss_max_indirection_table_length));
	rss->indir_len = rounddown_pow_of_two(min_t(unsigned int, len,
						    VNET_RSS_INDIR_MAX));
	rss->indir = kcalloc(rss->indir_len, sizeof(*rss->indir), GFP_KERNEL);
	return rss->indir ? 0 : -ENOMEM;
}

void vnet_rss_free(struct vnet_priv *vi)
{
	kfree(vi->rss.indir);
	vi->rss.indir = NULL;
}

static void vnet_rss_default_indir(u16 *indir, unsigned int len,
				   unsigned int pairs)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		indir[i] = ethtool_rxfh_indir_default(i, pairs);
}

/* RSS_CONFIG: the flexible table sits in the middle, so built by hand. */
static int vnet_rss_send_config(struct vnet_priv *vi,
				const struct vnet_rss *rss, unsigned int pairs)
{
	size_t len = VNET_RSS_HEAD + rss->indir_len * sizeof(__le16) +
		     sizeof(__le16) + 1 + rss->key_len;
	struct virtio_net_rss_config *cfg;
	__le16 *table, *tail;
	unsigned int i;
	u8 *buf;

	buf = kzalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cfg = (struct virtio_net_rss_config *)buf;
	cfg->hash_types = cpu_to_le32(rss->hash_types);
	cfg->indirection_table_mask = cpu_to_le16(rss->indir_len - 1);
	/* Packets without a hash of a type we asked for go to queue 0. */
	cfg->unclassified_queue = cpu_to_le16(0);

	table = (__le16 *)(buf + VNET_RSS_HEAD);
	for (i = 0; i < rss->indir_len; i++)
		table[i] = cpu_to_le16(rss->indir[i]);
	tail = table + rss->indir_len;
	tail[0] = cpu_to_le16(pairs);			/* max_tx_vq */
	buf = (u8 *)(tail + 1);
	buf[0] = rss->key_len;				/* hash_key_length */
	memcpy(buf + 1, rss->key, rss->key_len);

	return vnet_ctrl_cmd_buf(vi, VIRTIO_NET_CTRL_MQ,
				 VIRTIO_NET_CTRL_MQ_RSS_CONFIG, cfg, len);
}

/* HASH_CONFIG: hash reports without steering. */
static int vnet_rss_send_hash(struct vnet_priv *vi, const struct vnet_rss *rss)
{
	size_t len = offsetof(struct virtio_net_hash_config, hash_key_data) +
		     rss->key_len;
	struct virtio_net_hash_config *cfg;

	cfg = kzalloc(len, GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->hash_types = cpu_to_le32(rss->hash_types);
	cfg->hash_key_length = rss->key_len;
	memcpy(cfg->hash_key_data, rss->key, rss->key_len);
	return vnet_ctrl_cmd_buf(vi, VIRTIO_NET_CTRL_MQ,
				 VIRTIO_NET_CTRL_MQ_HASH_CONFIG, cfg, len);
}

/* Program @rss over @pairs pairs; sets rss->report on success. */
static int vnet_rss_apply(struct vnet_priv *vi, struct vnet_rss *rss,
			  unsigned int pairs)
{
	int err = 0;

	rss->report = false;
	if (rss->guest) {
		err = vnet_rss_send_config(vi, rss, pairs);
		rss->report = !err && vnet_has(vi, VIRTIO_NET_F_HASH_REPORT);
		return err;
	}
	if (vnet_has(vi, VIRTIO_NET_F_MQ))
		err = vnet_ctrl_set_pairs(vi, pairs);
	/* With RSS, HASH_CONFIG would also steer everything to queue 0. */
	if (!err && vnet_has(vi, VIRTIO_NET_F_HASH_REPORT) &&
	    !vnet_has(vi, VIRTIO_NET_F_RSS)) {
		err = vnet_rss_send_hash(vi, rss);
		rss->report = !err;
	}
	return err;
}

/*
 * Make @next the state in force over @pairs pairs, or leave the old one
 * (vi->rss over vi->cur_pairs) in force and return the device's error.
 * Consumes next->indir when it is not vi->rss.indir.
 */
static int vnet_rss_commit(struct vnet_priv *vi, struct vnet_rss *next,
			   unsigned int pairs)
{
	int err;

	err = vnet_rss_apply(vi, next, pairs);
	if (err) {
		if (next->indir != vi->rss.indir)
			kfree(next->indir);
		if (vnet_rss_apply(vi, &vi->rss, vi->cur_pairs))
			netdev_err(vi->dev, "cannot restore the previous receive steering\n");
		return err;
	}
	if (next->indir != vi->rss.indir) {
		kfree(vi->rss.indir);
		vi->rss.indir = next->indir;
	}
	vi->rss.guest = next->guest;
	vi->rss.hash_types = next->hash_types;
	memcpy(vi->rss.key, next->key, sizeof(vi->rss.key));
	/* The only field the receive path reads. */
	WRITE_ONCE(vi->rss.report, next->report);
	return 0;
}

/* Copy of the state in force with a private indirection table. */
static int vnet_rss_dup(const struct vnet_priv *vi, struct vnet_rss *next)
{
	*next = vi->rss;
	if (!vi->rss.indir_len)
		return 0;
	next->indir = kmemdup(vi->rss.indir,
			      vi->rss.indir_len * sizeof(*next->indir),
			      GFP_KERNEL);
	return next->indir ? 0 : -ENOMEM;
}

/*
 * Steer over @pairs pairs (probe, ethtool -L, after a re-init).  A table
 * the user did not set follows the number of pairs.  Called under rtnl.
 */
int vnet_steer(struct vnet_priv *vi, unsigned int pairs)
{
	bool user = netif_is_rxfh_configured(vi->dev);
	struct vnet_rss next;
	unsigned int i;
	int err;

	if (!vnet_has(vi, VIRTIO_NET_F_MQ) && !vi->rss.guest &&
	    !vnet_has(vi, VIRTIO_NET_F_HASH_REPORT))
		return pairs == 1 ? 0 : -EOPNOTSUPP;

	err = vnet_rss_dup(vi, &next);
	if (err)
		return err;
	if (next.indir_len && !user)
		vnet_rss_default_indir(next.indir, next.indir_len, pairs);
	for (i = 0; next.guest && i < next.indir_len; i++) {
		if (next.indir[i] >= pairs) {
			kfree(next.indir);
			return -EINVAL;
		}
	}
	return vnet_rss_commit(vi, &next, pairs);
}

/*
 * Give the packet the hash the device computed, if it was asked to report
 * one: the stack then need not compute its own for RPS / flow steering.
 */
bool vnet_rss_rx_hash(const struct vnet_priv *vi, struct sk_buff *skb,
		      const union vnet_hdr *hdr)
{
	enum pkt_hash_types type;

	if (!READ_ONCE(vi->rss.report) ||
	    !(vi->dev->features & NETIF_F_RXHASH))
		return false;

	switch (le16_to_cpu(hdr->hash.hash_report)) {
	case VIRTIO_NET_HASH_REPORT_TCPv4:
	case VIRTIO_NET_HASH_REPORT_UDPv4:
	case VIRTIO_NET_HASH_REPORT_TCPv6:
	case VIRTIO_NET_HASH_REPORT_UDPv6:
	case VIRTIO_NET_HASH_REPORT_TCPv6_EX:
	case VIRTIO_NET_HASH_REPORT_UDPv6_EX:
		type = PKT_HASH_TYPE_L4;
		break;
	case VIRTIO_NET_HASH_REPORT_IPv4:
	case VIRTIO_NET_HASH_REPORT_IPv6:
	case VIRTIO_NET_HASH_REPORT_IPv6_EX:
		type = PKT_HASH_TYPE_L3;
		break;
	default:
		/* NONE, or a value from a newer standard: no hash. */
		return false;
	}
	skb_set_hash(skb, le32_to_cpu(hdr->hash.hash_value), type);
	return true;
}

/* ------------------------------------------------------------ ethtool -- */

u32 vnet_rss_get_key_size(struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);

	return vi->rss.key_len;
}

u32 vnet_rss_get_indir_size(struct net_device *dev)
{
	struct vnet_priv *vi = netdev_priv(dev);

	return vi->rss.indir_len;
}

int vnet_rss_get(struct vnet_priv *vi, u32 *indir, u8 *key, u8 *hfunc)
{
	unsigned int i;

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir) {
		for (i = 0; i < vi->rss.indir_len; i++)
			indir[i] = vi->rss.indir[i];
	}
	if (key)
		memcpy(key, vi->rss.key, vi->rss.key_len);
	return 0;
}

/* ethtool -X: @indir and @key are NULL when unchanged.  Under rtnl. */
int vnet_rss_set(struct vnet_priv *vi, const u32 *indir, const u8 *key,
		 u8 hfunc)
{
	struct vnet_rss next;
	unsigned int i;
	int err;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if ((indir && !vi->rss.indir_len) || (key && !vi->rss.key_len))
		return -EOPNOTSUPP;
	if (!indir && !key)
		return 0;
	if (vi->dead)
		return -ENODEV;

	for (i = 0; indir && i < vi->rss.indir_len; i++) {
		if (indir[i] >= vi->cur_pairs)
			return -EINVAL;
	}

	err = vnet_rss_dup(vi, &next);
	if (err)
		return err;
	for (i = 0; indir && i < next.indir_len; i++)
		next.indir[i] = indir[i];
	if (key)
		memcpy(next.key, key, next.key_len);
	next.guest = vnet_has(vi, VIRTIO_NET_F_RSS);
	return vnet_rss_commit(vi, &next, vi->cur_pairs);
}

/* virtio hash types behind an ethtool flow type: L4 one, L3 one. */
static int vnet_rss_flow_types(u32 flow_type, u32 *l4, u32 *l3)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_TCPv4;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv4;
		return 0;
	case UDP_V4_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_UDPv4;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv4;
		return 0;
	case TCP_V6_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_TCPv6;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv6;
		return 0;
	case UDP_V6_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_UDPv6;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv6;
		return 0;
	case IPV4_FLOW:
		*l4 = 0;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv4;
		return 0;
	case IPV6_FLOW:
		*l4 = 0;
		*l3 = VIRTIO_NET_RSS_HASH_TYPE_IPv6;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ethtool -n rx-flow-hash: the header fields hashed for @flow_type. */
int vnet_rss_get_fields(struct vnet_priv *vi, u32 flow_type, u64 *data)
{
	u32 l4, l3, types = vi->rss.hash_types;

	*data = 0;
	if (!vi->rss.key_len)
		return -EOPNOTSUPP;
	if (vnet_rss_flow_types(flow_type, &l4, &l3))
		return -EINVAL;
	if (types & l4)
		*data = VNET_RXH_L4;
	else if (types & l3)
		*data = VNET_RXH_L3;
	return 0;
}

/*
 * ethtool -N rx-flow-hash: L4 flows take "sdfn" (hash addresses and
 * ports) or "sd" (addresses only); IP flows take "sd" or nothing.
 */
int vnet_rss_set_fields(struct vnet_priv *vi, u32 flow_type, u64 data)
{
	struct vnet_rss next;
	u32 l4, l3, types;
	int err;

	if (!vi->rss.key_len)
		return -EOPNOTSUPP;
	if (vnet_rss_flow_types(flow_type, &l4, &l3))
		return -EINVAL;
	if (vi->dead)
		return -ENODEV;

	types = vi->rss.hash_types;
	if (l4 && data == VNET_RXH_L4)
		types |= l4;
	else if (l4 && data == VNET_RXH_L3)
		types = (types & ~l4) | l3;
	else if (!l4 && data == VNET_RXH_L3)
		types |= l3;
	else if (!l4 && !data)
		types &= ~l3;
	else
		return -EINVAL;
	if (types & ~vi->rss.supported)
		return -EOPNOTSUPP;
	if (types == vi->rss.hash_types)
		return 0;

	err = vnet_rss_dup(vi, &next);
	if (err)
		return err;
	next.hash_types = types;
	next.guest = vnet_has(vi, VIRTIO_NET_F_RSS);
	return vnet_rss_commit(vi, &next, vi->cur_pairs);
}
