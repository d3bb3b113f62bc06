/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel vocabulary mmio/proto.c (and the headers it includes) uses,
 * for a userspace build.  Every shim under linux/ includes this file.
 *
 * Register accessors are calls into the device model (dev/devmodel.c);
 * locks are no-ops with a balance counter (the simulation is single
 * threaded); printing is recorded so tests can assert on messages.
 * Little-endian hosts only: __le types are plain integers.
 */
#ifndef _MMIO_SIM_KERNEL_H
#define _MMIO_SIM_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mmio-sim treats __le types as plain integers: little-endian hosts only"
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef unsigned int gfp_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;

#define __iomem
#define __force
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define U16_MAX			0xffff
#define U32_MAX			0xffffffffU
#define UINT_MAX		0xffffffffU
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define min(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define cpu_to_le16(x)		((__le16)(x))
#define cpu_to_le32(x)		((__le32)(x))
#define le16_to_cpu(x)		((u16)(x))
#define le32_to_cpu(x)		((u32)(x))
#define le64_to_cpu(x)		((u64)(x))

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

/* errors */
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}

/* memory */
#define GFP_KERNEL	0
#define kcalloc(n, s, g)	calloc(n, s)
#define kzalloc(s, g)		calloc(1, s)
#define kfree(p)		free(p)
static inline void usleep_range(unsigned long a, unsigned long b) { }

/* lists and the driver model: just the types struct vtio_device embeds */
struct list_head { struct list_head *next, *prev; };
struct module;
struct cpumask;
struct irq_affinity;
struct kobj_uevent_env;
struct work_struct { void (*func)(struct work_struct *w); };
typedef struct { int dummy; } spinlock_t;
typedef struct { int held; } raw_spinlock_t;
struct scatterlist { unsigned long page_link; unsigned int offset, length; };
struct device_driver { const char *name; };
struct device {
	const char *init_name;
	struct device *parent;
	void *driver_data;
	const void *groups;
	void (*release)(struct device *dev);
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name;
}


/* locks: the simulation is single threaded; the counter catches imbalance */
extern int sim_locks_held;
#define raw_spin_lock_init(l)	((l)->held = 0)
#define raw_spin_lock_irqsave(l, f)	\
	do { (f) = 0; (l)->held++; sim_locks_held++; } while (0)
#define raw_spin_unlock_irqrestore(l, f) \
	do { (void)(f); (l)->held--; sim_locks_held--; } while (0)

/* interrupts */
typedef enum { IRQ_NONE = 0, IRQ_HANDLED = 1 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *data);

/* printing, recorded by lib/sim.c */
void sim_log(const char *level, const struct device *dev, const char *fmt, ...)
	__printf(3, 4);
#define dev_err(d, fmt, ...)	sim_log("err", d, fmt, ##__VA_ARGS__)
#define dev_warn(d, fmt, ...)	sim_log("warn", d, fmt, ##__VA_ARGS__)
#define dev_info(d, fmt, ...)	sim_log("info", d, fmt, ##__VA_ARGS__)
#define dev_err_ratelimited	dev_err

/* register access: the device model */
u32 sim_mmio_read(const volatile void *addr, unsigned int size);
void sim_mmio_write(volatile void *addr, unsigned int size, u32 val);
#define readb(a)	((u8)sim_mmio_read(a, 1))
#define readw(a)	((u16)sim_mmio_read(a, 2))
#define readl(a)	((u32)sim_mmio_read(a, 4))
#define writeb(v, a)	sim_mmio_write(a, 1, (u8)(v))
#define writew(v, a)	sim_mmio_write(a, 2, (u16)(v))
#define writel(v, a)	sim_mmio_write(a, 4, (u32)(v))
#define ioread8(a)	readb(a)
#define ioread16(a)	readw(a)
#define ioread32(a)	readl(a)
#define iowrite8(v, a)	writeb(v, a)
#define iowrite16(v, a)	writew(v, a)
#define iowrite32(v, a)	writel(v, a)

#endif
