// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_net_mq and CPU hotplug: when a CPU comes or goes, the enabled
 * queue pairs are spread over the online CPUs again (interrupt affinity
 * and XPS, vnet_set_affinity()).  The hotplug callbacks only queue work:
 * setting XPS takes the hotplug lock and rtnl, which they must not.
 */
#include <linux/cpuhotplug.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vnet.h"

static int vnet_online_state = -1;	/* dynamic cpuhp states */
static int vnet_dead_state = -1;

static void vnet_affinity_work(struct work_struct *work)
{
	struct vnet_priv *vi = container_of(work, struct vnet_priv,
					    affinity_work);

	rtnl_lock();
	if (!vi->dead)
		vnet_set_affinity(vi);
	rtnl_unlock();
	netdev_dbg(vi->dev, "%u queue pair(s) spread over %u CPU(s)\n",
		   vi->cur_pairs, num_online_cpus());
}

/* The CPU is online: the pairs may use it. */
static int vnet_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct vnet_priv *vi = hlist_entry(node, struct vnet_priv,
					   cpuhp_online);

	schedule_work(&vi->affinity_work);
	return 0;
}

/* The CPU is gone: spread over the ones left (online mask without it). */
static int vnet_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct vnet_priv *vi = hlist_entry(node, struct vnet_priv, cpuhp_dead);

	schedule_work(&vi->affinity_work);
	return 0;
}

void vnet_cpuhp_add(struct vnet_priv *vi)
{
	INIT_WORK(&vi->affinity_work, vnet_affinity_work);
	if (vnet_online_state < 0)
		return;
	if (cpuhp_state_add_instance_nocalls(vnet_online_state,
					     &vi->cpuhp_online))
		goto fail;
	if (cpuhp_state_add_instance_nocalls(vnet_dead_state,
					     &vi->cpuhp_dead)) {
		cpuhp_state_remove_instance_nocalls(vnet_online_state,
						    &vi->cpuhp_online);
		goto fail;
	}
	vi->cpuhp_added = true;
	return;
fail:
	netdev_warn(vi->dev, "CPU hotplug will not move the queue pairs\n");
}

/* Before the queues go: no callback queues the work, none is running. */
void vnet_cpuhp_remove(struct vnet_priv *vi)
{
	if (vi->cpuhp_added) {
		cpuhp_state_remove_instance_nocalls(vnet_dead_state,
						    &vi->cpuhp_dead);
		cpuhp_state_remove_instance_nocalls(vnet_online_state,
						    &vi->cpuhp_online);
		vi->cpuhp_added = false;
	}
	cancel_work_sync(&vi->affinity_work);
}

/* Module init: a failure only costs the re-spread, so it is not fatal. */
void vnet_cpuhp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN,
				      "virtio_net_mq:online", vnet_cpu_online,
				      NULL);
	if (ret < 0)
		goto fail;
	vnet_online_state = ret;
	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN,
				      "virtio_net_mq:dead", NULL,
				      vnet_cpu_dead);
	if (ret < 0) {
		cpuhp_remove_multi_state(vnet_online_state);
		vnet_online_state = -1;
		goto fail;
	}
	vnet_dead_state = ret;
	return;
fail:
	pr_warn("virtio_net_mq: no CPU hotplug states (%d): pairs stay where probe put them\n",
		ret);
}

void vnet_cpuhp_exit(void)
{
	if (vnet_online_state < 0)
		return;
	cpuhp_remove_multi_state(vnet_dead_state);
	cpuhp_remove_multi_state(vnet_online_state);
	vnet_online_state = -1;
	vnet_dead_state = -1;
}
