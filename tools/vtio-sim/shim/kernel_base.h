/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that defines the kernel vocabulary the ring source uses,
 * for a userspace build.  Every shim under linux/ and asm/ includes this
 * file, so a new #include in ring/ usually needs only an empty shim.
 *
 * Rules: nothing here may change what the ring code means.  Barriers are
 * real C11 fences (the benchmark runs driver and device on two threads),
 * READ_ONCE/WRITE_ONCE are relaxed atomics (no torn or fused accesses),
 * and the host must be little endian, so __le16 etc. are plain integers.
 */
#ifndef _VTIO_SIM_KERNEL_BASE_H
#define _VTIO_SIM_KERNEL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vtio-sim treats __le types as plain integers: little-endian hosts only"
#endif

/* ------------------------------------------------------------ types -- */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __virtio16;
typedef u32 __virtio32;
typedef u64 __virtio64;
typedef unsigned int gfp_t;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef long ssize_t;

#define __force
#define __bitwise
#define __iomem
#define __user
#define __rcu
#define __percpu

/* --------------------------------------------------------- compiler -- */

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __must_check		__attribute__((warn_unused_result))
#undef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#define noinline		__attribute__((noinline))
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define __cold			__attribute__((cold))
#define __init
#define __exit
#define __read_mostly
#define fallthrough		__attribute__((fallthrough))
#define barrier()		__asm__ __volatile__("" ::: "memory")

/*
 * Relaxed atomics: the compiler may neither tear nor merge the access,
 * which is all READ_ONCE promises; ordering comes from the barriers.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* --------------------------------------------------------- barriers -- */

/*
 * The kernel's virt_* barriers order accesses between CPUs; dma_* and
 * mandatory ones also order against devices.  Here every "device" is
 * another thread, so both map to C11 fences of the matching strength.
 */
#define mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()			__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()			__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb()		mb()
#define smp_rmb()		rmb()
#define smp_wmb()		wmb()
#define dma_rmb()		rmb()
#define dma_wmb()		wmb()
#define virt_mb()		mb()
#define virt_rmb()		rmb()
#define virt_wmb()		wmb()
#define smp_store_mb(var, value)	do { WRITE_ONCE(var, value); mb(); } while (0)
#define virt_store_mb(var, value)	smp_store_mb(var, value)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)

/* -------------------------------------------------------- byteorder -- */

#define cpu_to_le16(x)		((__le16)(u16)(x))
#define cpu_to_le32(x)		((__le32)(u32)(x))
#define cpu_to_le64(x)		((__le64)(u64)(x))
#define le16_to_cpu(x)		((u16)(x))
#define le32_to_cpu(x)		((u32)(x))
#define le64_to_cpu(x)		((u64)(x))
#define cpu_to_be16(x)		__builtin_bswap16(x)
#define cpu_to_be32(x)		__builtin_bswap32(x)
#define be16_to_cpu(x)		__builtin_bswap16(x)
#define be32_to_cpu(x)		__builtin_bswap32(x)

/* ----------------------------------------------------------- macros -- */

#ifndef offsetof
#define offsetof(t, m)		__builtin_offsetof(t, m)
#endif
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
/* Keeps const: a const pointer in gives a const pointer out. */
#define container_of_const(ptr, type, member)				\
	_Generic(ptr,							\
		 const typeof(*(ptr)) *: ((const type *)container_of(ptr, type, member)), \
		 default: ((type *)container_of(ptr, type, member)))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define __ALIGN_MASK(x, m)	(((x) + (m)) & ~(m))
#define ALIGN(x, a)		__ALIGN_MASK(x, (typeof(x))(a) - 1)
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define U8_MAX			0xff
#define U16_MAX			0xffff
#define U32_MAX			0xffffffffU
#define U64_MAX			0xffffffffffffffffULL
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))

#define min(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)

/* static_assert(expr) and static_assert(expr, msg), as in the kernel. */
#undef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* struct_size without the kernel's saturation: sizes here are small. */
#define struct_size(p, member, count) \
	(sizeof(*(p)) + sizeof(*(p)->member) * (size_t)(count))
#define array_size(a, b)	((size_t)(a) * (size_t)(b))
#define flex_array_size(p, member, count) (sizeof(*(p)->member) * (size_t)(count))

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		ALIGN(x, PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

/* ---------------------------------------------------------- errors --- */

#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE(ptr); }

/* --------------------------------------------------------- printing -- */

struct va_format {
	const char *fmt;
	va_list *va;
};

/*
 * Implemented in lib/shim.c.  Messages are recorded (tests assert on
 * them) and echoed to stderr when VTIO_SIM_VERBOSE is set.  %pV works.
 */
void vtio_sim_log(const char *level, const char *who, const char *fmt, ...)
	__printf(3, 4);
void vtio_sim_warn_on(const char *cond, const char *file, int line);

#define KERN_ERR		"err"
#define KERN_WARNING		"warn"
#define KERN_INFO		"info"
#define KERN_DEBUG		"debug"
#define pr_err(fmt, ...)	vtio_sim_log("err", NULL, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	vtio_sim_log("warn", NULL, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	vtio_sim_log("info", NULL, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) vtio_sim_log("debug", NULL, fmt, ##__VA_ARGS__); } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_once		pr_warn

#define WARN_ON(c)	({ bool _c = !!(c); if (unlikely(_c)) vtio_sim_warn_on(#c, __FILE__, __LINE__); unlikely(_c); })
#define WARN_ON_ONCE(c)	WARN_ON(c)
#define WARN(c, fmt, ...) ({ bool _c = !!(c); if (unlikely(_c)) { vtio_sim_warn_on(#c, __FILE__, __LINE__); pr_warn(fmt, ##__VA_ARGS__); } unlikely(_c); })
#define WARN_ONCE	WARN
/* The ring must never BUG on device input: a BUG here fails the test. */
#define BUG()		do { vtio_sim_warn_on("BUG", __FILE__, __LINE__); __builtin_trap(); } while (0)
#define BUG_ON(c)	do { if (unlikely(c)) BUG(); } while (0)

#define might_sleep()	do { } while (0)
#define cond_resched()	do { } while (0)

/* ------------------------------------------------------------ lists -- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

/* Poisons like the kernel (CONFIG_DEBUG_LIST catches double deletes). */
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (struct list_head *)0x100;
	e->prev = (struct list_head *)0x122;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, typeof(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))

/* ----------------------------------------------------------- module -- */

struct module;
#define THIS_MODULE			((struct module *)0)
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_NS(s, ns)
#define EXPORT_SYMBOL_NS_GPL(s, ns)
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_VERSION(x)
#define MODULE_IMPORT_NS(x)
#define MODULE_PARM_DESC(p, d)
#define MODULE_DEVICE_TABLE(t, n)
#define module_param(n, t, p)
#define module_param_named(n, v, t, p)
#define module_init(f)
#define module_exit(f)
#define module_driver(drv, reg, unreg, ...)

/* ---------------------------------------------------- memory (slab) -- */

#define __GFP_ZERO		0x100u
#define __GFP_HIGHMEM		0x02u
#define __GFP_NOWARN		0x200u
#define __GFP_NORETRY		0x1000u
#define GFP_KERNEL		0x0cc0u
#define GFP_ATOMIC		0x0820u
#define GFP_NOWAIT		0x0800u

/* lib/shim.c: malloc with optional fault injection (see shim_runtime.h). */
void *vtio_sim_kmalloc(size_t size, gfp_t gfp);
void vtio_sim_kfree(const void *p);

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	return vtio_sim_kmalloc(size, gfp);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return vtio_sim_kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return vtio_sim_kmalloc(n * size, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *p)
{
	vtio_sim_kfree(p);
}

#define kvmalloc		kmalloc
#define kvzalloc		kzalloc
#define kvcalloc		kcalloc
#define kvfree			kfree

/* Page allocations: page aligned, like the kernel's. */
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *virt, size_t size);

/*
 * Identity "physical" addresses: a struct page * is the page-aligned
 * virtual address itself, so sg_phys/virt_to_phys/dma addresses are all
 * pointers the device model can dereference.
 */
struct page;

static inline phys_addr_t virt_to_phys(const volatile void *p)
{
	return (phys_addr_t)(uintptr_t)p;
}

static inline void *phys_to_virt(phys_addr_t a)
{
	return (void *)(uintptr_t)a;
}

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

static inline struct page *virt_to_page(const void *p)
{
	return (struct page *)((uintptr_t)p & PAGE_MASK);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)(uintptr_t)page;
}

#endif /* _VTIO_SIM_KERNEL_BASE_H */
