/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the shim runtime (lib/shim.c) offers the tests: the record of
 * kernel messages, allocation / DMA-mapping fault injection and DMA
 * mapping accounting.  Plain C, usable without the kernel shims.
 */
#ifndef _VTIO_SIM_SHIM_RUNTIME_H
#define _VTIO_SIM_SHIM_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>

/* Kernel messages (dev_err, dev_warn, pr_*), newest last. */
void vtio_sim_log_clear(void);
unsigned int vtio_sim_log_count(const char *level);
/* The newest message of @level (NULL: any) containing @needle, or NULL. */
const char *vtio_sim_log_find(const char *level, const char *needle);
const char *vtio_sim_log_last(void);
/* Echo messages to stderr (also: VTIO_SIM_VERBOSE=1 in the environment). */
void vtio_sim_log_echo(bool on);

/* WARN_ON / BUG hits since start. */
unsigned int vtio_sim_warn_count(void);

/*
 * Fault injection: the n-th next kmalloc / DMA mapping fails (1 = the
 * very next one); 0 disables.
 */
void vtio_sim_fail_alloc_in(unsigned int n);
void vtio_sim_fail_dma_map_in(unsigned int n);

/* Live streaming DMA mappings and live kmalloc blocks. */
long vtio_sim_dma_live(void);
long vtio_sim_dma_errors(void);	/* unmaps that matched no map */
long vtio_sim_kmalloc_live(void);

#endif
