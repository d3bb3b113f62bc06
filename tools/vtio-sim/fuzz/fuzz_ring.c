// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the input is a program for a driver and a device
 * that, between driver operations, writes arbitrary bytes into everything
 * the device may write (used ring / used descriptors, event suppression
 * areas) and even the descriptor ring, next to conforming completions.
 *
 * Pass criteria (besides ASan/UBSan/LSan staying quiet): the ring never
 * returns a token twice, never one that is not outstanding, never a
 * length above the buffer's writable size; once broken it stays broken
 * and refuses adds with -EIO; at the end every added token has come back
 * exactly once through get_buf or detach_unused_buf.
 *
 * Input: byte 0 = configuration, then opcodes with operands.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/sim.h"
#include "shim/shim_runtime.h"

#define MAX_TOKS	1024

struct fz {
	const u8 *in;
	size_t len, pos;
	struct sim s;
	struct sim_tok *toks[MAX_TOKS];
	u8 state[MAX_TOKS];	/* 0 unused, 1 outstanding, 2 back */
	unsigned int ntoks;
	bool was_broken;
};

#define FZ_ASSERT(c, msg)						\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "fuzz invariant: %s (%s)\n", msg, #c); \
			__builtin_trap();				\
		}							\
	} while (0)

static u8 next8(struct fz *f)
{
	return f->pos < f->len ? f->in[f->pos++] : 0;
}

static u16 next16(struct fz *f)
{
	return next8(f) | (u16)next8(f) << 8;
}

static u32 next32(struct fz *f)
{
	return next16(f) | (u32)next16(f) << 16;
}

static int tok_index(struct fz *f, void *p)
{
	unsigned int i;

	for (i = 0; i < f->ntoks; i++)
		if (f->toks[i] == p)
			return i;
	return -1;
}

static void fz_add(struct fz *f)
{
	u8 shape = next8(f);
	unsigned int nout = shape & 3, nin = (shape >> 2) & 3, i;
	u32 outs[3], ins[3];
	struct scatterlist *sgs[2];
	struct sim_tok *t;
	int err, n = 0;

	if (f->ntoks == MAX_TOKS)
		return;
	if (!nout && !nin)
		nin = 1;
	for (i = 0; i < nout; i++)
		outs[i] = 1 + next8(f);
	for (i = 0; i < nin; i++)
		ins[i] = 1 + next8(f);
	t = sim_tok_new(&f->s, outs, nout, ins, nin);
	if (nout)
		sgs[n++] = t->sg;
	if (nin)
		sgs[n++] = t->sg + nout;
	err = vtio_vq_add_sgs(f->s.vq, sgs, nout ? 1 : 0, nin ? 1 : 0, t,
			      GFP_ATOMIC);
	if (f->was_broken)
		FZ_ASSERT(err == -EIO, "add on a broken queue must fail with -EIO");
	if (err) {
		FZ_ASSERT(err == -ENOSPC || err == -EIO ||
			  (err == -EINVAL && nout + nin > f->s.cfg.num),
			  "unexpected add error");
		sim_tok_free(t);
		return;
	}
	f->toks[f->ntoks] = t;
	f->state[f->ntoks++] = 1;
}

static void fz_got(struct fz *f, void *p, unsigned int len)
{
	int i;

	if (!p)
		return;
	FZ_ASSERT(!f->was_broken, "get_buf returned a buffer on a broken queue");
	i = tok_index(f, p);
	FZ_ASSERT(i >= 0, "get_buf returned something that is no token");
	FZ_ASSERT(f->state[i] == 1, "get_buf returned a token that is not outstanding");
	FZ_ASSERT(len <= f->toks[i]->in_len, "length above the writable size");
	f->state[i] = 2;
}

/* A conforming device completes some of what it fetched. */
static void fz_device(struct fz *f)
{
	struct dm *dm = &f->s.dm;
	u8 n = next8(f) & 15, i;

	dm_fetch(dm, 1 + (n & 7));
	for (i = 0; i < n && dm_pending(dm); i++) {
		unsigned int k = dm->in_order ? 0 : next8(f) % dm_pending(dm);
		u16 want = next16(f);

		/* Fuzzed descriptors can sum to any u32: clamp in 64 bits. */
		if (dm->in_order && dm_pending(dm) > 1 && (next8(f) & 1))
			dm_complete_batch(dm, 2, want % ((u64)dm_pending_buf(dm, 1)->in_len + 1));
		else
			dm_complete(dm, k, want % ((u64)dm_pending_buf(dm, k)->in_len + 1));
	}
	if (dm_irq_check(dm))
		vtio_vq_interrupt(0, f->s.vq);
}

/* Scribble: a 16-bit value anywhere in the device area. */
static void fz_scribble_device_area(struct fz *f)
{
	struct sim *s = &f->s;
	size_t size = s->cfg.packed ? sizeof(struct vtio_packed_event) :
		      sizeof(struct vtio_split_used) +
		      s->cfg.num * sizeof(struct vtio_split_used_elem) + 2;
	u8 *area = s->cfg.packed ? (u8 *)s->dm.dev_evt : (u8 *)s->dm.used;
	size_t off = (next16(f) % size) & ~(size_t)1;

	WRITE_ONCE(*(u16 *)(area + off), next16(f));
}

/* Scribble: 32 bits anywhere in the descriptor ring. */
static void fz_scribble_desc(struct fz *f)
{
	struct sim *s = &f->s;
	size_t size = (size_t)s->cfg.num * 16;
	u8 *area = s->cfg.packed ? (u8 *)s->dm.pdesc : (u8 *)s->dm.sdesc;
	size_t off = (next16(f) % size) & ~(size_t)3;

	WRITE_ONCE(*(u32 *)(area + off), next32(f));
}

/* A used element / descriptor with chosen id, length and flags. */
static void fz_raw_used(struct fz *f)
{
	struct sim *s = &f->s;
	u16 id = next16(f);
	u32 len = next16(f);
	u8 extra = next8(f);

	if (s->cfg.packed) {
		struct vtio_packed_desc *d = &s->dm.pdesc[s->dm.used_off];

		WRITE_ONCE(d->id, id % (s->cfg.num + 2));
		WRITE_ONCE(d->len, len);
		WRITE_ONCE(d->flags, (extra & 1 ? VTIO_DESC_F_AVAIL : 0) |
				     (extra & 2 ? VTIO_DESC_F_USED : 0));
		if (extra & 4)
			s->dm.used_off = (s->dm.used_off + 1) % s->cfg.num;
	} else {
		dm_raw_used(&s->dm, id % (s->cfg.num + 2), len, extra & 7, 1);
	}
}

static void fz_check(struct fz *f)
{
	bool broken = vtio_vq_is_broken(f->s.vq);

	FZ_ASSERT(f->s.vq->num_free <= f->s.cfg.num, "num_free above the queue size");
	FZ_ASSERT(!f->was_broken || broken, "queue unbroke itself");
	f->was_broken = broken;
}

static void fz_run(struct fz *f)
{
	unsigned int len, ops = 0;
	void *p;

	while (f->pos < f->len && ops++ < 2000) {
		switch (next8(f) % 14) {
		case 0: case 1:
			fz_add(f);
			break;
		case 2:
			if (vtio_vq_kick_prepare(f->s.vq))
				vtio_vq_notify(f->s.vq);
			break;
		case 3:
			p = vtio_vq_get_buf(f->s.vq, &len);
			fz_got(f, p, len);
			break;
		case 4:
			while ((p = vtio_vq_get_buf(f->s.vq, &len)))
				fz_got(f, p, len);
			break;
		case 5:
			vtio_vq_disable_cb(f->s.vq);
			break;
		case 6:
			vtio_vq_enable_cb(f->s.vq);
			break;
		case 7:
			vtio_vq_poll(f->s.vq, vtio_vq_enable_cb_prepare(f->s.vq));
			break;
		case 8:
			vtio_vq_enable_cb_delayed(f->s.vq);
			break;
		case 9: case 10:
			fz_device(f);
			break;
		case 11:
			fz_scribble_device_area(f);
			break;
		case 12:
			if (next8(f) & 1)
				fz_scribble_desc(f);
			else
				fz_raw_used(f);
			break;
		case 13:
			vtio_vq_interrupt(0, f->s.vq);
			vtio_vq_more_used(f->s.vq);
			break;
		}
		fz_check(f);
	}
}

/* Device reset: take everything back; each token exactly once in total. */
static void fz_teardown(struct fz *f)
{
	unsigned int i;
	void *p;
	int k;

	while ((p = vtio_vq_detach_unused_buf(f->s.vq))) {
		k = tok_index(f, p);
		FZ_ASSERT(k >= 0, "detach returned something that is no token");
		FZ_ASSERT(f->state[k] == 1, "detach returned a token already back");
		f->state[k] = 2;
	}
	for (i = 0; i < f->ntoks; i++)
		FZ_ASSERT(f->state[i] != 1, "a token never came back");
	if (!vtio_vq_is_broken(f->s.vq))
		FZ_ASSERT(f->s.vq->num_free == f->s.cfg.num,
			  "consistent queue lost descriptors");
	vtio_vq_destroy(f->s.vq);
	f->s.vq = NULL;
	dm_destroy(&f->s.dm);
	for (i = 0; i < f->ntoks; i++)
		sim_tok_free(f->toks[i]);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const unsigned int split_sizes[] = { 1, 2, 4, 8, 16, 32, 64, 256 };
	static const unsigned int packed_sizes[] = { 1, 2, 3, 5, 8, 17, 64, 257 };
	static struct fz f;
	struct sim_cfg c = { .callback = true };
	u8 cfg;

	if (size < 1)
		return 0;
	memset(&f, 0, sizeof(f));
	f.in = data;
	f.len = size;
	cfg = next8(&f);
	c.packed = cfg & 1;
	c.indirect = cfg & 2;
	c.event_idx = cfg & 4;
	c.in_order = (cfg & 8) && sim_ring_supports(VTIO_F_IN_ORDER);
	c.access_platform = cfg & 16;
	c.num = c.packed ? packed_sizes[cfg >> 5] : split_sizes[cfg >> 5];
	vtio_sim_log_echo(false);
	if (sim_create(&f.s, &c))
		return 0;
	/* The harness's own checks assume a conforming device: off. */
	f.s.dm.lenient = true;
	f.s.dm.data = false;
	f.s.dm.on_used = NULL;
	f.s.exact_kicks = false;
	fz_run(&f);
	fz_teardown(&f);
	return 0;
}
