// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): what forwarding one guest invalidation costs in
 * the library itself — checks, vSID/VMID/DID rewrite, encoding into a
 * program — without running it on a backend, beside a plain copy of a
 * 16-byte command. For every unit of the config given as argv[1]:
 *   fwd.generic  one generic IOTLB range entry -> vendor commands
 *   fwd.raw      one raw guest command -> host command (vendors whose raw
 *                format this bench knows: SMMUv3 TLBI_NH_VA)
 *   memcpy16     the baseline
 * For instruction counts run it under callgrind with
 *   --toggle-collect='loop_*' and divide by the iteration count printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

#define BATCH 64
#define ITERS 20000

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

__attribute__((noinline)) static int loop_generic(struct xiommu_ctx *ctx, struct xc_unit *u,
						  struct xc_viommu *v,
						  const struct xiommu_inv_entry *e,
						  struct xiommu_prog *p, uint32_t iters)
{
	uint32_t i, bad;

	for (i = 0; i < iters; i++) {
		p->n = 0;
		if (u->ops->invalidate(xc_env(ctx, u), &v->pv, e, BATCH, p, &bad))
			return -1;
	}
	return 0;
}

__attribute__((noinline)) static int loop_raw(struct xiommu_ctx *ctx, struct xc_unit *u,
					      struct xc_viommu *v, const uint64_t *cmds,
					      struct xiommu_prog *p, uint32_t iters)
{
	uint32_t i, bad;

	for (i = 0; i < iters; i++) {
		p->n = 0;
		if (u->ops->invalidate_raw(xc_env(ctx, u), &v->pv, cmds, BATCH, p, &bad))
			return -1;
	}
	return 0;
}

__attribute__((noinline)) static void loop_memcpy16(const uint64_t *src, uint64_t *dst,
						    uint32_t iters)
{
	uint32_t i, k;

	for (i = 0; i < iters; i++) {
		for (k = 0; k < BATCH; k++) {
			__asm__ volatile("" : : "r"(src) : "memory");
			memcpy(&dst[2 * k], &src[2 * k], 16);
		}
		sink += dst[i % BATCH];
	}
}

static void report(const char *unit, const char *what, double ns, double base)
{
	printf("%-8s %-12s %8.1f ns/command  (%.1fx memcpy16)\n", unit, what, ns, ns / base);
}

int main(int argc, char **argv)
{
	static struct xiommu_op ops[BATCH * 8 + 16];
	struct xiommu_prog p = { .ops = ops, .cap = BATCH * 8 + 16 };
	struct xiommu_inv_entry e[BATCH];
	uint64_t raw[2 * BATCH], dst[2 * BATCH];
	struct xiommu_ctx *ctx;
	double t0, base;
	uint32_t i, k;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CONFIG.ini\n", argv[0]);
		return 2;
	}
	if (xiommu_open(argv[1], &ctx)) {
		fprintf(stderr, "%s\n", xiommu_last_error(NULL));
		return 1;
	}
	memset(raw, 0x11, sizeof(raw));
	loop_memcpy16(raw, dst, ITERS / 10);
	t0 = now_ns();
	loop_memcpy16(raw, dst, ITERS);
	base = (now_ns() - t0) / ((double)ITERS * BATCH);
	printf("%-8s %-12s %8.1f ns/command\n", "-", "memcpy16", base);
	for (i = 0; i < ctx->nunits; i++) {
		struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = i };
		struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = 0x10, .vsid = 1 };
		struct xc_unit *u = &ctx->units[i];
		struct xc_viommu *v;

		if (xiommu_viommu_alloc(ctx, &va))
			return fprintf(stderr, "%s\n", xiommu_last_error(ctx)), 1;
		at.viommu_id = va.out_viommu_id;
		if (xiommu_vdev_attach(ctx, &at))
			return fprintf(stderr, "%s\n", xiommu_last_error(ctx)), 1;
		v = xc_obj_get(ctx, XC_OBJ_VIOMMU, va.out_viommu_id);
		memset(e, 0, sizeof(e));
		for (k = 0; k < BATCH; k++) {
			e[k].cache = XIOMMU_CACHE_IOTLB;
			e[k].scope = XIOMMU_INV_RANGE;
			/*
			 * SMMUv3: one ASID's range (TLBI_NH_VA); VT-d: one PASID's
			 * range (P_IOTLB page-selective). A VT-d guest DID would be
			 * unmapped here (nothing bound) and emit nothing.
			 */
			if (u->ops->vendor_id == XIOMMU_VENDOR_SMMUV3) {
				e[k].flags = XIOMMU_INV_F_LEAF | XIOMMU_INV_F_TAG;
				e[k].tag = 5;
			} else {
				e[k].flags = XIOMMU_INV_F_LEAF | XIOMMU_INV_F_PASID;
				e[k].pasid = 1;
			}
			e[k].addr = 0x200000ull + 0x1000ull * k;
			e[k].size = 0x1000;
		}
		if (loop_generic(ctx, u, v, e, &p, ITERS / 10))
			return fprintf(stderr, "%s: generic: %s\n", u->name, xiommu_last_error(ctx)), 1;
		t0 = now_ns();
		loop_generic(ctx, u, v, e, &p, ITERS);
		report(u->name, "fwd.generic", (now_ns() - t0) / ((double)ITERS * BATCH), base);
		if (u->ops->vendor_id != XIOMMU_VENDOR_SMMUV3)
			continue;
		for (k = 0; k < BATCH; k++) {
			raw[2 * k] = 0x12 | (5ull << 48);	/* TLBI_NH_VA, ASID 5 */
			raw[2 * k + 1] = 0x200000ull + 0x1000ull * k;
		}
		if (loop_raw(ctx, u, v, raw, &p, ITERS / 10))
			return fprintf(stderr, "%s: raw: %s\n", u->name, xiommu_last_error(ctx)), 1;
		t0 = now_ns();
		loop_raw(ctx, u, v, raw, &p, ITERS);
		report(u->name, "fwd.raw", (now_ns() - t0) / ((double)ITERS * BATCH), base);
	}
	printf("iterations: %u batches of %u\n", ITERS, BATCH);
	xiommu_close(ctx);
	return 0;
}
