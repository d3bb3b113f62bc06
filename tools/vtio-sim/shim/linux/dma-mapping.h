/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Identity DMA: the bus address is the virtual address.  lib/shim.c
 * counts live mappings (tests assert they balance) and can be told to
 * fail the next mapping, to exercise the ring's unwind paths.
 */
#ifndef _VTIO_SIM_DMA_MAPPING_H
#define _VTIO_SIM_DMA_MAPPING_H

#include "../kernel_base.h"
#include "device.h"
#include "scatterlist.h"

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

dma_addr_t vtio_sim_dma_map(struct device *dev, void *virt, size_t size,
			    enum dma_data_direction dir);
void vtio_sim_dma_unmap(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir);

static inline dma_addr_t dma_map_page(struct device *dev, struct page *page,
				      size_t offset, size_t size,
				      enum dma_data_direction dir)
{
	return vtio_sim_dma_map(dev, (char *)page_address(page) + offset,
				size, dir);
}

static inline void dma_unmap_page(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir)
{
	vtio_sim_dma_unmap(dev, addr, size, dir);
}

static inline dma_addr_t dma_map_single(struct device *dev, void *ptr,
					size_t size,
					enum dma_data_direction dir)
{
	return vtio_sim_dma_map(dev, ptr, size, dir);
}

static inline void dma_unmap_single(struct device *dev, dma_addr_t addr,
				    size_t size, enum dma_data_direction dir)
{
	vtio_sim_dma_unmap(dev, addr, size, dir);
}

static inline int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	(void)dev;
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle);

static inline bool dma_need_sync(struct device *dev, dma_addr_t addr)
{
	(void)dev; (void)addr;
	return false;
}

static inline void dma_sync_single_for_cpu(struct device *dev,
					   dma_addr_t addr, size_t size,
					   enum dma_data_direction dir)
{
	(void)dev; (void)addr; (void)size; (void)dir;
}

static inline void dma_sync_single_for_device(struct device *dev,
					      dma_addr_t addr, size_t size,
					      enum dma_data_direction dir)
{
	(void)dev; (void)addr; (void)size; (void)dir;
}

#endif
