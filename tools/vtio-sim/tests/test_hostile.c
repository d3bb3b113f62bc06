// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile device: each test makes the device write something the
 * standard forbids into the used ring and checks the driver's answer:
 * get_buf returns NULL, the queue is broken, a dev_err names what the
 * device did, further adds fail with -EIO, and every token can still be
 * detached (and nothing leaks: ASan/LSan watch the whole run).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ktap.h"
#include "helpers.h"
#include "shim_runtime.h"

#define NUM	8

struct hcase {
	const char *name;
	bool packed_only, split_only, in_order;
	/* Set the ring up and misbehave; returns the expected message parts. */
	void (*misbehave)(struct sim *s, const char **want1, const char **want2);
};

static char want_buf[2][128];

/* Two writable buffers (32 bytes each), fetched by the device. */
static void two_in_flight(struct sim *s)
{
	CHECK(s, add_simple(s, 2, 0, 32) == 2, "setup adds");
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
}

static void h_unknown_id(struct sim *s, const char **w1, const char **w2)
{
	two_in_flight(s);
	dm_raw_used(&s->dm, 200, 4, 1, 1);
	*w1 = "device used id 200";
	*w2 = "queue size is 8";
}

static void h_huge_id(struct sim *s, const char **w1, const char **w2)
{
	/* Split ids are 32-bit on the wire: the top bits must count too. */
	two_in_flight(s);
	dm_raw_used(&s->dm, 0x10001, 4, 1, 1);
	*w1 = "device used id 65537";
	*w2 = "queue size is 8";
}

static void h_id_not_in_use(struct sim *s, const char **w1, const char **w2)
{
	two_in_flight(s);
	dm_raw_used(&s->dm, 5, 4, 1, 1);
	*w1 = "device used id 5";
	*w2 = "not in use";
}

/* A split chain's second descriptor is not a buffer id. */
static void h_chain_middle(struct sim *s, const char **w1, const char **w2)
{
	u32 outs[2] = { 8, 8 };
	struct sim_tok *t = sim_tok_new(s, outs, 2, NULL, 0);
	const struct dm_buf *b;
	u16 mid;

	CHECK(s, !sim_add(s, t), "add chain");
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	b = dm_pending_buf(&s->dm, 0);
	mid = b && b->ring_descs && b->slots > 1 ? b->ring_descs[1] : 1;
	dm_raw_used(&s->dm, mid, 0, 1, 1);
	snprintf(want_buf[0], sizeof(want_buf[0]), "device used id %u", mid);
	*w1 = want_buf[0];
	*w2 = "not in use";
}

static void h_twice(struct sim *s, const char **w1, const char **w2)
{
	const struct dm_buf *b;
	u16 id;

	two_in_flight(s);
	b = dm_pending_buf(&s->dm, 0);
	id = b->id;
	dm_complete(&s->dm, 0, 8);
	CHECK(s, drain(s) == 1, "first completion");
	/* The same buffer again, as if it were still outstanding. */
	dm_raw_used(&s->dm, id, 8, 1, 1);
	snprintf(want_buf[0], sizeof(want_buf[0]), "device used id %u", id);
	*w1 = want_buf[0];
	*w2 = "not in use";
}

static void h_len(struct sim *s, const char **w1, const char **w2)
{
	const struct dm_buf *b;

	two_in_flight(s);
	b = dm_pending_buf(&s->dm, 0);
	dm_raw_used(&s->dm, b->id, 33, 1, b->slots);
	snprintf(want_buf[0], sizeof(want_buf[0]), "device wrote 33 bytes to buffer %u",
		 b->id);
	*w1 = want_buf[0];
	*w2 = "which has 32 device-writable bytes";
}

/* The writable size of an indirect buffer is the sum of its table. */
static void h_len_indirect(struct sim *s, const char **w1, const char **w2)
{
	u32 outs[1] = { 4 }, ins[3] = { 10, 20, 30 };
	struct sim_tok *t = sim_tok_new(s, outs, 1, ins, 3);
	const struct dm_buf *b;

	CHECK(s, !sim_add(s, t), "add");
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	b = dm_pending_buf(&s->dm, 0);
	CHECK(s, b->indirect, "buffer not indirect");
	dm_raw_used(&s->dm, b->id, 61, 1, b->slots);
	*w1 = "device wrote 61 bytes";
	*w2 = "which has 60 device-writable bytes";
}

static void h_used_ahead(struct sim *s, const char **w1, const char **w2)
{
	const struct dm_buf *b;

	two_in_flight(s);
	b = dm_pending_buf(&s->dm, 0);
	/* A valid element, but the index claims five of them. */
	dm_raw_used(&s->dm, b->id, 0, 5, 1);
	*w1 = "device moved used index to 5";
	*w2 = "only 2 buffers are outstanding";
}

/* Wrapping the 16-bit index backwards is "ahead" by 65535. */
static void h_used_back(struct sim *s, const char **w1, const char **w2)
{
	two_in_flight(s);
	dm_raw_used(&s->dm, 0, 0, 0xffff, 1);
	*w1 = "device moved used index to 65535";
	*w2 = "outstanding";
}

/* IN_ORDER: one element for a batch of three, but the index says two. */
static void h_batch_over(struct sim *s, const char **w1, const char **w2)
{
	const struct dm_buf *b;

	CHECK(s, add_simple(s, 3, 0, 32) == 3, "setup adds");
	sim_kick(s);
	dm_fetch(&s->dm, ~0u);
	b = dm_pending_buf(&s->dm, 2);
	dm_raw_used(&s->dm, b->id, 4, 2, 1);
	snprintf(want_buf[0], sizeof(want_buf[0]), "batch ending at id %u", b->id);
	*w1 = want_buf[0];
	*w2 = "covers more than the 2 buffers";
}

/* IN_ORDER: a batch naming a buffer past the outstanding run. */
static void h_batch_past(struct sim *s, const char **w1, const char **w2)
{
	two_in_flight(s);
	/* Ids 0 and 1 are out; 4 is free. */
	dm_raw_used(&s->dm, 4, 4, 2, 2);
	*w1 = "device used id 4";
	*w2 = "not in use";
}

/* The transport says the device is gone. */
static void h_notify_fails(struct sim *s, const char **w1, const char **w2)
{
	add_simple(s, 1, 0, 8);
	s->notify_fails = true;
	s->exact_kicks = false;
	vtio_vq_kick(s->vq);
	*w1 = "notification failed";
	*w2 = "broken";
}

static const struct hcase cases[] = {
	{ "unknown id", false, false, false, h_unknown_id },
	{ "32-bit id", false, true, false, h_huge_id },
	{ "id not in use", false, false, false, h_id_not_in_use },
	{ "id of a chain's second descriptor", false, true, false, h_chain_middle },
	{ "buffer used twice", false, false, false, h_twice },
	{ "length above writable size", false, false, false, h_len },
	{ "length above indirect writable size", false, false, false, h_len_indirect },
	{ "used index running ahead", false, true, false, h_used_ahead },
	{ "used index moving backwards", false, true, false, h_used_back },
	{ "in-order batch over the used index", false, true, true, h_batch_over },
	{ "in-order batch past the outstanding run", false, false, true, h_batch_past },
	{ "notification fails", false, false, false, h_notify_fails },
};

static void run_case(const struct hcase *hc, bool packed, bool indirect)
{
	struct sim_cfg c = {
		.packed = packed, .indirect = indirect, .event_idx = true,
		.in_order = hc->in_order, .num = NUM, .callback = true,
	};
	const char *w1 = NULL, *w2 = NULL, *msg, *unsup;
	char name[160], why[700];
	struct sim_tok *t;
	unsigned int len, detached;
	struct sim s;
	long kbase = vtio_sim_kmalloc_live();
	bool ok;

	snprintf(name, sizeof(name), "%s%s: %s", packed ? "packed" : "split",
		 indirect ? " ind" : "", hc->name);
	unsup = cfg_unsupported(&c);
	if (unsup) {
		ktap_skip(name, unsup);
		return;
	}
	vtio_sim_log_clear();
	if (sim_create(&s, &c)) {
		ktap_result(false, name, "vtio_vq_create failed");
		return;
	}
	hc->misbehave(&s, &w1, &w2);

	/* What every violation must lead to. */
	t = vtio_vq_get_buf(s.vq, &len);
	CHECK(&s, !t, "get_buf returned %p after the violation", (void *)t);
	CHECK(&s, vtio_vq_is_broken(s.vq), "queue not broken");
	msg = vtio_sim_log_find("err", w1);
	CHECK(&s, msg, "no dev_err containing \"%s\" (last: %s)", w1,
	      vtio_sim_log_last() ?: "none");
	if (msg) {
		CHECK(&s, strstr(msg, w2), "dev_err \"%s\" lacks \"%s\"", msg, w2);
		CHECK(&s, strstr(msg, "virtqueue 0 (simq)"),
		      "dev_err \"%s\" does not name the queue", msg);
	}
	CHECK(&s, vtio_sim_log_count("err") == 1, "%u dev_err messages, expected 1",
	      vtio_sim_log_count("err"));
	t = sim_tok_simple(&s, 0, 8);
	len = sim_add(&s, t);
	CHECK(&s, (int)len == -EIO, "add on a broken queue gave %d", (int)len);
	if (len)
		sim_tok_free(t);
	CHECK(&s, !vtio_vq_get_buf(s.vq, &len), "get_buf works again");
	CHECK(&s, !vtio_vq_more_used(s.vq), "more_used on a broken queue");
	CHECK(&s, !vtio_vq_notify(s.vq), "notify succeeds on a broken queue");

	snprintf(why, sizeof(why), "%s", sim_why(&s));
	ok = !s.fails;	/* the device model's own complaints are expected */
	detached = sim_destroy(&s);
	if (ok && vtio_sim_kmalloc_live() != kbase) {
		snprintf(why, sizeof(why), "ring leaked %ld allocations",
			 vtio_sim_kmalloc_live() - kbase);
		ok = false;
	}
	if (ok && vtio_sim_warn_count()) {
		snprintf(why, sizeof(why), "WARN/BUG hit");
		ok = false;
	}
	(void)detached;
	ktap_result(ok, name, why);
}

/*
 * Garbage in the areas the device owns but that do not carry buffers:
 * suppression fields, wrong wrap bits.  The queue must neither crash nor
 * break nor return anything.
 */
static void run_garbage(bool packed)
{
	struct sim_cfg c = { .packed = packed, .event_idx = true, .num = NUM,
			     .callback = true };
	char name[96], why[600];
	unsigned int len, i;
	struct sim s;
	bool ok;

	snprintf(name, sizeof(name), "%s: garbage in suppression fields and wrap bits",
		 packed ? "packed" : "split");
	vtio_sim_log_clear();
	if (sim_create(&s, &c)) {
		ktap_result(false, name, "vtio_vq_create failed");
		return;
	}
	s.exact_kicks = false;
	two_in_flight(&s);
	for (i = 0; i < 64; i++) {
		if (packed) {
			s.dm.dev_evt->flags = cpu_to_le16(i & 3);
			s.dm.dev_evt->desc = cpu_to_le16(i * 0x1357);
			/* A used-looking descriptor with the wrong lap's bits. */
			s.dm.pdesc[0].flags = cpu_to_le16(i & 1 ? 0 :
							  VTIO_DESC_F_USED);
		} else {
			s.dm.used->flags = cpu_to_le16(i * 0x101);
			*(__le16 *)&s.dm.used->ring[NUM] = cpu_to_le16(i * 0x3579);
		}
		add_simple(&s, 1, 0, 8);
		vtio_vq_kick_prepare(s.vq);
		CHECK(&s, !vtio_vq_get_buf(s.vq, &len), "get_buf returned a buffer");
		vtio_vq_enable_cb_delayed(s.vq);
		vtio_vq_poll(s.vq, vtio_vq_enable_cb_prepare(s.vq));
		vtio_vq_disable_cb(s.vq);
	}
	CHECK(&s, !vtio_vq_is_broken(s.vq), "queue broken by suppression garbage: %s",
	      vtio_sim_log_last() ?: "");
	snprintf(why, sizeof(why), "%s", sim_why(&s));
	ok = !s.fails;
	sim_destroy(&s);
	ktap_result(ok, name, why);
}

int main(void)
{
	unsigned int i, f, ind;

	ktap_begin("vtio-sim hostile device");
	for (f = 0; f < 2; f++)
		for (ind = 0; ind < 2; ind++)
			for (i = 0; i < ARRAY_SIZE(cases); i++) {
				if ((cases[i].packed_only && !f) ||
				    (cases[i].split_only && f))
					continue;
				/* Indirect-only case, and chains need direct. */
				if (cases[i].misbehave == h_len_indirect && !ind)
					continue;
				if (cases[i].misbehave == h_chain_middle && ind)
					continue;
				run_case(&cases[i], f, ind);
			}
	run_garbage(false);
	run_garbage(true);
	return ktap_end();
}
