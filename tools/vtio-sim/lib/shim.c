// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime half of the kernel shims: message recording (with %pV),
 * allocation, identity DMA with accounting, fault injection.
 *
 * Counters are atomics because the benchmark runs the ring on one thread
 * and the device model on another (only the driver thread allocates, but
 * being careful costs nothing here).
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "shim_runtime.h"

#define LOG_SLOTS	64
#define LOG_LEN		512

struct log_entry {
	char level[8];
	char text[LOG_LEN];
};

static struct log_entry log_ring[LOG_SLOTS];
static unsigned int log_next;	/* total messages since the last clear */
static bool log_echo_on;
static bool log_echo_init;
static unsigned int warn_hits;

static unsigned int fail_alloc_in;
static unsigned int fail_dma_in;
static long dma_live;
static long dma_bad_unmaps;
static long kmalloc_live;

/* --------------------------------------------------------- printing -- */

static void fmt_append(char *buf, size_t size, size_t *pos, const char *fmt,
		       va_list *ap);

/*
 * One conversion at a time, so every argument is fetched with its real
 * type and %pV (a struct va_format) can recurse.  Enough of printf for
 * kernel messages: flags, width, precision, h/hh/l/ll/z/t, d i u x X o c
 * s p and %%.
 */
static void fmt_append(char *buf, size_t size, size_t *pos, const char *fmt,
		       va_list *ap)
{
	const char *p = fmt;

	while (*p && *pos < size - 1) {
		char spec[32];
		size_t n = 0;
		int lng = 0;	/* 1 = l, 2 = ll, 3 = z/t, -1 = h */
		int w;

		if (*p != '%') {
			buf[(*pos)++] = *p++;
			continue;
		}
		spec[n++] = *p++;
		while (*p && strchr("-+ #0", *p) && n < 20)
			spec[n++] = *p++;
		while (*p && (strchr("0123456789.", *p) || *p == '*') && n < 20) {
			if (*p == '*') {
				n += snprintf(spec + n, sizeof(spec) - n, "%d",
					      va_arg(*ap, int));
				p++;
			} else {
				spec[n++] = *p++;
			}
		}
		for (;;) {
			if (*p == 'l') {
				lng++;
				p++;
			} else if (*p == 'h') {
				lng = -1;
				p++;
			} else if (*p == 'z' || *p == 't') {
				lng = 3;
				p++;
			} else {
				break;
			}
		}
		if (!*p)
			break;
		w = (int)(size - *pos);
		switch (*p) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
			bool sign = *p == 'd' || *p == 'i';
			char conv = *p;

			if (lng == 2)
				n += snprintf(spec + n, sizeof(spec) - n, "ll%c", conv);
			else if (lng == 1 || lng == 3)
				n += snprintf(spec + n, sizeof(spec) - n, "l%c", conv);
			else
				n += snprintf(spec + n, sizeof(spec) - n, "%c", conv);
			spec[n] = 0;
			if (lng == 2)
				*pos += snprintf(buf + *pos, w, spec,
						 sign ? va_arg(*ap, long long) :
							(long long)va_arg(*ap, unsigned long long));
			else if (lng == 1 || lng == 3)
				*pos += snprintf(buf + *pos, w, spec,
						 sign ? va_arg(*ap, long) :
							(long)va_arg(*ap, unsigned long));
			else
				*pos += snprintf(buf + *pos, w, spec,
						 sign ? va_arg(*ap, int) :
							(int)va_arg(*ap, unsigned int));
			break;
		}
		case 'c':
			spec[n++] = 'c';
			spec[n] = 0;
			*pos += snprintf(buf + *pos, w, spec, va_arg(*ap, int));
			break;
		case 's':
			spec[n++] = 's';
			spec[n] = 0;
			*pos += snprintf(buf + *pos, w, spec,
					 va_arg(*ap, const char *) ?: "(null)");
			break;
		case 'p':
			if (p[1] == 'V') {
				struct va_format *vaf = va_arg(*ap, struct va_format *);
				va_list inner;

				va_copy(inner, *vaf->va);
				fmt_append(buf, size, pos, vaf->fmt, &inner);
				va_end(inner);
				p++;
				break;
			}
			*pos += snprintf(buf + *pos, w, "%p", va_arg(*ap, void *));
			/* Other kernel %p extensions: skip their letters. */
			while (p[1] >= 'A' && p[1] <= 'z' && strchr("sSfFbBMmIiEhaUDgGKtxR", p[1]))
				p++;
			break;
		case '%':
			buf[(*pos)++] = '%';
			break;
		default:
			buf[(*pos)++] = *p;
			break;
		}
		if (*pos > size - 1)
			*pos = size - 1;
		p++;
	}
	buf[*pos] = 0;
}

void vtio_sim_log(const char *level, const char *who, const char *fmt, ...)
{
	struct log_entry *e = &log_ring[log_next % LOG_SLOTS];
	size_t pos = 0;
	va_list ap;

	if (who)
		pos = snprintf(e->text, LOG_LEN, "%s: ", who);
	va_start(ap, fmt);
	fmt_append(e->text, LOG_LEN, &pos, fmt, &ap);
	va_end(ap);
	/* Strip the newline kernel messages end with. */
	while (pos && e->text[pos - 1] == '\n')
		e->text[--pos] = 0;
	snprintf(e->level, sizeof(e->level), "%s", level);
	log_next++;

	if (!log_echo_init) {
		log_echo_init = true;
		if (getenv("VTIO_SIM_VERBOSE"))
			log_echo_on = true;
	}
	if (log_echo_on)
		fprintf(stderr, "[%s] %s\n", level, e->text);
}

void vtio_sim_warn_on(const char *cond, const char *file, int line)
{
	warn_hits++;
	vtio_sim_log("warn", NULL, "WARNING: %s at %s:%d", cond, file, line);
}

unsigned int vtio_sim_warn_count(void)
{
	return warn_hits;
}

void vtio_sim_log_clear(void)
{
	log_next = 0;
	memset(log_ring, 0, sizeof(log_ring));
}

unsigned int vtio_sim_log_count(const char *level)
{
	unsigned int i, n = 0, have = log_next < LOG_SLOTS ? log_next : LOG_SLOTS;

	for (i = 0; i < have; i++)
		if (!level || !strcmp(log_ring[i].level, level))
			n++;
	return n;
}

const char *vtio_sim_log_find(const char *level, const char *needle)
{
	unsigned int i, have = log_next < LOG_SLOTS ? log_next : LOG_SLOTS;

	for (i = 0; i < have; i++) {
		struct log_entry *e = &log_ring[(log_next - 1 - i) % LOG_SLOTS];

		if (level && strcmp(e->level, level))
			continue;
		if (!needle || strstr(e->text, needle))
			return e->text;
	}
	return NULL;
}

const char *vtio_sim_log_last(void)
{
	return log_next ? log_ring[(log_next - 1) % LOG_SLOTS].text : NULL;
}

void vtio_sim_log_echo(bool on)
{
	log_echo_init = true;
	log_echo_on = on;
}

/* ---------------------------------------------------------- memory --- */

void vtio_sim_fail_alloc_in(unsigned int n)
{
	fail_alloc_in = n;
}

void vtio_sim_fail_dma_map_in(unsigned int n)
{
	fail_dma_in = n;
}

static bool inject(unsigned int *counter)
{
	if (!*counter)
		return false;
	return --*counter == 0;
}

void *vtio_sim_kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (inject(&fail_alloc_in))
		return NULL;
	/* Zero-size allocations are legal and must be freeable. */
	p = (gfp & __GFP_ZERO) ? calloc(1, size ?: 1) : malloc(size ?: 1);
	if (p)
		__atomic_add_fetch(&kmalloc_live, 1, __ATOMIC_RELAXED);
	return p;
}

void vtio_sim_kfree(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&kmalloc_live, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

long vtio_sim_kmalloc_live(void)
{
	return __atomic_load_n(&kmalloc_live, __ATOMIC_RELAXED);
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	void *p;

	if (inject(&fail_alloc_in))
		return NULL;
	size = PAGE_ALIGN(size);
	p = aligned_alloc(PAGE_SIZE, size);
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

void free_pages_exact(void *virt, size_t size)
{
	(void)size;
	free(virt);
}

/* ------------------------------------------------------------- DMA --- */

dma_addr_t vtio_sim_dma_map(struct device *dev, void *virt, size_t size,
			    enum dma_data_direction dir)
{
	(void)dev;
	(void)dir;
	(void)size;
	if (inject(&fail_dma_in))
		return DMA_MAPPING_ERROR;
	__atomic_add_fetch(&dma_live, 1, __ATOMIC_RELAXED);
	return (dma_addr_t)(uintptr_t)virt;
}

void vtio_sim_dma_unmap(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir)
{
	(void)dev;
	(void)size;
	(void)dir;
	if (addr == DMA_MAPPING_ERROR || !addr)
		__atomic_add_fetch(&dma_bad_unmaps, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&dma_live, 1, __ATOMIC_RELAXED);
}

long vtio_sim_dma_live(void)
{
	return __atomic_load_n(&dma_live, __ATOMIC_RELAXED);
}

long vtio_sim_dma_errors(void)
{
	return __atomic_load_n(&dma_bad_unmaps, __ATOMIC_RELAXED);
}

void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp)
{
	void *p = alloc_pages_exact(size, gfp | __GFP_ZERO);

	(void)dev;
	if (p)
		*dma_handle = (dma_addr_t)(uintptr_t)p;
	return p;
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle)
{
	(void)dev;
	(void)dma_handle;
	free_pages_exact(cpu_addr, size);
}
