/* SPDX-License-Identifier: MIT */
/*
 * Shared by the core's unit tests: the "recording" backend, which logs
 * every op the core asks it to run, and helpers to open a context on the
 * test plugin and to snapshot the context's state.
 */
#ifndef XT_HARNESS_H
#define XT_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include <xiommu/program.h>
#include "backend.h"
#include "debug.h"

#define XT_LOG_MAX 4096

struct xt_log {
	struct xiommu_op ops[XT_LOG_MAX];
	uint32_t n;
	uint32_t s2_maps, s2_unmaps, attaches, detaches;
	uint32_t domain_frees;
	/* events the next dma() raises: kind 1 faults */
	uint32_t refuse_target;		/* exec refuses ops naming this target */
	uint32_t tag_allocs, tag_frees;
	uint32_t tags_max;		/* extra tags a unit hands out (0: 4) */
};

extern struct xt_log xt_log;

/* Register the recording backend (once per process). */
void xt_backend_register(void);
/* Open ini text; fails the test on error. */
struct xiommu_ctx *xt_open(const char *ini);
/* Standard setup: one test unit, a viommu, 16 MiB region mapped at GPA 0. */
struct xt_env {
	struct xiommu_ctx *ctx;
	uint32_t viommu, region, vdev;
	void *mem;
};
void xt_setup(struct xt_env *e, const char *extra_unit_keys);
void xt_teardown(struct xt_env *e);

/* Snapshot of context state plus the backend log, for "nothing changed". */
struct xt_snap {
	uint8_t state[1 << 20];
	size_t len;
	uint32_t log_n;
};
void xt_snap(struct xiommu_ctx *ctx, struct xt_snap *s);
void xt_assert_unchanged(struct xiommu_ctx *ctx, const struct xt_snap *s);
/* Fail unless @err is in the header's errno list of the call @expr starts with. */
void xt_assert_documented(const char *expr, int err);

/*
 * Assert the call failed with @err, an errno its header documents for it,
 * and the message contains @needle.
 */
#define xt_assert_err(ctx, ret, err, needle) \
	do { \
		assert_int_equal((ret), (err)); \
		xt_assert_documented(#ret, (err)); \
		if (!strstr(xiommu_last_error(ctx), (needle))) \
			fail_msg("message '%s' lacks '%s'", xiommu_last_error(ctx), (needle)); \
	} while (0)

#endif
