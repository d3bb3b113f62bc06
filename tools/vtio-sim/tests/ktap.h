/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output for the userspace suites: "ok N name", "not ok N name",
 * "ok N name # SKIP why", diagnostics as "# ...", and a closing
 * "# totals: P passed, F failed, S skipped" line run.sh folds together.
 */
#ifndef _VTIO_SIM_KTAP_H
#define _VTIO_SIM_KTAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct ktap {
	unsigned int n, pass, fail, skip;
};

static struct ktap ktap;

static inline void ktap_begin(const char *suite)
{
	printf("KTAP version 1\n# suite: %s\n", suite);
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2)))
void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline void ktap_result(bool ok, const char *name, const char *why)
{
	ktap.n++;
	if (ok) {
		ktap.pass++;
		printf("ok %u %s\n", ktap.n, name);
	} else {
		ktap.fail++;
		printf("not ok %u %s\n", ktap.n, name);
		if (why)
			ktap_diag("  %s", why);
	}
	fflush(stdout);
}

static inline void ktap_skip(const char *name, const char *why)
{
	ktap.n++;
	ktap.skip++;
	printf("ok %u %s # SKIP %s\n", ktap.n, name, why);
	fflush(stdout);
}

/* A skip when @unsup says why the test could not run, else its result. */
static inline void ktap_outcome(const char *name, const char *unsup, bool ok,
				const char *why)
{
	if (unsup)
		ktap_skip(name, unsup);
	else
		ktap_result(ok, name, why);
}

static inline int ktap_end(void)
{
	printf("1..%u\n# totals: %u passed, %u failed, %u skipped\n", ktap.n,
	       ktap.pass, ktap.fail, ktap.skip);
	fflush(stdout);
	return ktap.fail ? 1 : 0;
}

#endif
