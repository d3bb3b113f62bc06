// SPDX-License-Identifier: GPL-2.0
/*
 * Ring benchmark.  Driver and device run on two threads over the same
 * ring memory, with real barriers (shim/kernel_base.h) and the same
 * notification discipline as a guest and a vhost-like backend:
 *
 *   driver: add until full, kick_prepare -> notify, get everything,
 *           re-arm with enable_cb and spin for the "interrupt" when idle;
 *   device: fetch + complete everything, decide interrupts by the
 *           driver's suppression state, re-arm its own and spin for the
 *           doorbell when idle.
 *
 * Reports ns per buffer round trip and buffers per notification / per
 * interrupt.  Asserts nothing about speed.
 *
 * --single N: one thread, N x (add, kick, device, get), for callgrind
 * (bench/callgrind.sh counts the instructions of add + get).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/sim.h"

#define BENCH_NUM	256
#define BUF_LEN		64

struct bench {
	struct sim s;
	/* driver -> device doorbell and device -> driver interrupt line */
	u64 doorbell;
	u64 irq_line;
	bool stop;
	/* results */
	u64 bufs, notifies, irqs;
	u64 missed_irqs;	/* waits that timed out: a ring bug */
	double ns_per_buf;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/*
 * Wait for *word to move past @seen (or *stop): spin a little, then yield,
 * so a preempted peer on a busy 2-CPU machine still gets to run.
 */
static u64 wait_change(const u64 *word, u64 seen, const bool *stop,
		       double deadline);

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static u64 wait_change(const u64 *word, u64 seen, const bool *stop,
		       double deadline)
{
	unsigned int spins = 0;
	u64 v;

	while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == seen &&
	       !__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
		if (++spins < 2000) {
			cpu_relax();
			continue;
		}
		sched_yield();
		if (!(spins & 255) && deadline && now_ns() > deadline)
			break;
	}
	return v;
}

static struct bench *vq_bench(struct vtio_vq *vq)
{
	return container_of(vq->vdev, struct bench, s.vdev);
}

/* The doorbell write: the device thread sees the counter move. */
static bool bench_notify(struct vtio_vq *vq)
{
	struct bench *b = vq_bench(vq);

	__atomic_add_fetch(&b->doorbell, 1, __ATOMIC_SEQ_CST);
	return true;
}

static void bench_cb(struct vtio_vq *vq)
{
	(void)vq;
}

static int bench_create(struct bench *b, bool packed, bool event_idx,
			bool in_order)
{
	struct sim *s = &b->s;
	u64 f = BIT_ULL(VTIO_F_VERSION_1) |
		(packed ? BIT_ULL(VTIO_F_RING_PACKED) : 0) |
		(event_idx ? BIT_ULL(VTIO_F_EVENT_IDX) : 0) |
		(in_order ? BIT_ULL(VTIO_F_IN_ORDER) : 0);

	memset(b, 0, sizeof(*b));
	s->features = f;
	s->cfg.num = BENCH_NUM;
	s->cfg.packed = packed;
	s->vdev.features = f;
	INIT_LIST_HEAD(&s->vdev.vqs);
	s->vq = vtio_vq_create(&s->vdev, 0, BENCH_NUM, BENCH_NUM, bench_notify,
			       bench_cb, "bench", false, &s->dma_dev);
	if (IS_ERR(s->vq))
		return -1;
	if (dm_init(&s->dm, s->vq, f))
		return -1;
	/* The device trusts the driver here: measure the ring, not checks. */
	s->dm.lenient = true;
	s->dm.data = false;
	return 0;
}

static void bench_destroy(struct bench *b)
{
	vtio_vq_destroy(b->s.vq);
	dm_destroy(&b->s.dm);
}

static void *device_thread(void *arg)
{
	struct bench *b = arg;
	struct dm *dm = &b->s.dm;
	u64 seen = 0;

	dm_set_notify(dm, DM_NOTIFY_OFF, 0);
	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		unsigned int n = dm_fetch(dm, ~0u);

		if (dm_pending(dm)) {
			if (dm->in_order)
				dm_complete_batch(dm, dm_pending(dm), 0);
			else
				while (dm_pending(dm))
					dm_complete(dm, 0, 0);
			if (dm_irq_check(dm))
				__atomic_add_fetch(&b->irq_line, 1, __ATOMIC_SEQ_CST);
		}
		if (n)
			continue;
		/*
		 * Idle: ask for a notification (with EVENT_IDX: at the next
		 * slot, packed DESC mode), re-check, then wait for it.
		 */
		if (dm_set_notify(dm, DM_NOTIFY_AT, 0)) {
			dm_set_notify(dm, DM_NOTIFY_OFF, 0);
			continue;
		}
		seen = wait_change(&b->doorbell, seen, &b->stop, 0);
		dm_set_notify(dm, DM_NOTIFY_OFF, 0);
	}
	return NULL;
}

static void run_row(struct bench *b, double seconds)
{
	struct vtio_vq *vq = b->s.vq;
	static u8 buf[BENCH_NUM][BUF_LEN];
	struct scatterlist sg[BENCH_NUM];
	unsigned int slot = 0, len;
	u64 irq_seen = 0, done = 0, v;
	double t0, t1;
	pthread_t dev;
	void *tok;

	for (slot = 0; slot < BENCH_NUM; slot++)
		sg_init_one(&sg[slot], buf[slot], BUF_LEN);
	slot = 0;
	vtio_vq_disable_cb(vq);
	pthread_create(&dev, NULL, device_thread, b);
	t0 = now_ns();
	t1 = t0 + seconds * 1e9;
	for (;;) {
		/* Fill the ring, one notification decision per batch. */
		while (vq->num_free) {
			if (vtio_vq_add_outbuf(vq, &sg[slot], 1, &sg[slot], GFP_ATOMIC))
				break;
			slot = (slot + 1) % BENCH_NUM;
		}
		vtio_vq_kick(vq);
		while ((tok = vtio_vq_get_buf(vq, &len)))
			done++;
		if (now_ns() > t1)
			break;
		if (vq->num_free)
			continue;	/* room again: refill before waiting */
		/* Full and nothing used yet: sleep until the interrupt. */
		if (!vtio_vq_enable_cb(vq)) {
			vtio_vq_disable_cb(vq);
			continue;
		}
		/* A missed interrupt would hang here: give up a second late. */
		v = wait_change(&b->irq_line, irq_seen, &b->stop, t1 + 1e9);
		if (v == irq_seen) {
			b->missed_irqs++;
			break;
		}
		irq_seen = v;
		vtio_vq_interrupt(0, vq);
		vtio_vq_disable_cb(vq);
	}
	t1 = now_ns();
	__atomic_store_n(&b->stop, true, __ATOMIC_RELEASE);
	pthread_join(dev, NULL);
	b->bufs = done;
	b->notifies = b->doorbell;
	b->irqs = b->irq_line;
	b->ns_per_buf = done ? (t1 - t0) / done : 0;
	/* Take back what the device still holds. */
	while (vtio_vq_detach_unused_buf(vq))
		;
}

static void print_ratio(u64 a, u64 b)
{
	if (b)
		printf(" %12.1f", (double)a / b);
	else
		printf(" %12s", "-");
}

static int table(double seconds)
{
	bool io_ok = vtio_ring_transport_features() & BIT_ULL(VTIO_F_IN_ORDER);
	unsigned int fmt, ei, io;
	int rc = 0;

	printf("vtio-sim ring benchmark: queue %u, %u-byte buffers, %.2f s per row, 2 threads\n",
	       BENCH_NUM, BUF_LEN, seconds);
	printf("%-7s %-9s %-8s %10s %12s %12s %12s\n", "format", "event_idx",
	       "in_order", "ns/buf", "bufs/notify", "bufs/irq", "buffers");
	for (fmt = 0; fmt < 2; fmt++)
		for (ei = 0; ei < 2; ei++)
			for (io = 0; io < 2; io++) {
				struct bench *b = calloc(1, sizeof(*b));

				printf("%-7s %-9s %-8s", fmt ? "packed" : "split",
				       ei ? "on" : "off", io ? "on" : "off");
				if (io && !io_ok) {
					printf(" %10s  (ring lacks IN_ORDER)\n", "n/a");
					free(b);
					continue;
				}
				if (bench_create(b, fmt, ei, io)) {
					printf(" create failed\n");
					free(b);
					return 1;
				}
				run_row(b, seconds);
				printf(" %10.1f", b->ns_per_buf);
				print_ratio(b->bufs, b->notifies);
				print_ratio(b->bufs, b->irqs);
				printf(" %12llu%s\n", (unsigned long long)b->bufs,
				       b->missed_irqs ? "  MISSED INTERRUPT" : "");
				rc |= b->missed_irqs ? 1 : 0;
				fflush(stdout);
				bench_destroy(b);
				free(b);
			}
	return rc;
}

/* One thread: the instruction count of add + get under callgrind. */
static int single(bool packed, unsigned long n)
{
	struct bench *b = calloc(1, sizeof(*b));
	static u8 buf[BUF_LEN];
	struct scatterlist sg;
	unsigned long i;
	unsigned int len;

	if (bench_create(b, packed, true, false))
		return 1;
	sg_init_one(&sg, buf, BUF_LEN);
	dm_set_notify(&b->s.dm, DM_NOTIFY_OFF, 0);
	for (i = 0; i < n; i++) {
		if (vtio_vq_add_outbuf(b->s.vq, &sg, 1, buf, GFP_ATOMIC))
			return 1;
		if (vtio_vq_kick_prepare(b->s.vq))
			vtio_vq_notify(b->s.vq);
		dm_fetch(&b->s.dm, ~0u);
		dm_complete(&b->s.dm, 0, 0);
		if (vtio_vq_get_buf(b->s.vq, &len) != buf)
			return 1;
	}
	printf("single %s: %lu add+get round trips\n", packed ? "packed" : "split", n);
	bench_destroy(b);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = 0.5;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--single") && i + 2 < argc)
			return single(!strcmp(argv[i + 1], "packed"),
				      strtoul(argv[i + 2], NULL, 0));
		else {
			fprintf(stderr, "usage: %s [--seconds S] | --single split|packed N\n",
				argv[0]);
			return 2;
		}
	}
	return table(seconds);
}
