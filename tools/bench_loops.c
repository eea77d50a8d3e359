// SPDX-License-Identifier: MIT
/*
 * xiommu bench: the rig (a guest stage 1 from the unit's own guest codec,
 * nested over the host stage 2, one bound device) and the measured loops.
 * Each loop is a noinline function bench_loop_<name> so callgrind can count
 * it alone.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

static volatile uint64_t sink;

static int brig_fail(struct brig *r, const char *what)
{
	fprintf(stderr, "xiommu bench: unit %u: %s: %s\n", r->unit, what,
		xiommu_last_error(r->ctx));
	return -1;
}

/* Guest RAM, one device, PASID BENCH_PASID bound to a table mapping BENCH_PAGES pages. */
static int nest(struct brig *r, uint32_t pasid_bits, uint64_t ram, uint64_t s2page,
		struct xiommu_guest *g, struct xiommu_guest_s1 *s1, struct xiommu_guest_ctx *gc)
{
	struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = r->unit };
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = r->unit };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = ram };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.size = s2page };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .vsid = 1 };
	struct xiommu_bind b;
	uint32_t i;
	int ret;

	r->mem = aligned_alloc(1u << 21, ram);
	if (!r->mem)
		return brig_fail(r, "out of memory");
	memset(r->mem, 1, ram);
	mr.addr = XIOMMU_PTR(r->mem);
	if (xiommu_hw_info(r->ctx, &hw) || xiommu_viommu_alloc(r->ctx, &va) ||
	    xiommu_mem_register(r->ctx, &mr))
		return brig_fail(r, "setup");
	snprintf(r->name, sizeof(r->name), "%s", hw.unit_name);
	snprintf(r->vendor, sizeof(r->vendor), "%s", hw.vendor_name);
	snprintf(r->backend, sizeof(r->backend), "%s", hw.backend);
	r->viommu = m.viommu_id = at.viommu_id = va.out_viommu_id;
	m.region_id = mr.out_region_id;
	r->sid = at.psid = 0x10;
	at.pasid_bits = pasid_bits < hw.pasid_bits ? pasid_bits : hw.pasid_bits;
	for (m.offset = 0; m.offset < ram; m.offset += s2page) {
		m.gpa = BENCH_GPA + m.offset;
		if (xiommu_map(r->ctx, &m))
			return brig_fail(r, "map");
	}
	if (xiommu_vdev_attach(r->ctx, &at))
		return brig_fail(r, "attach");
	r->vdev = at.out_vdev_id;
	*g = (struct xiommu_guest){ .argsz = sizeof(*g), .viommu_id = r->viommu,
				    .pool_next = BENCH_GPA + BENCH_RAM / 2,	/* above the data */
				    .pool_end = BENCH_GPA + ram };
	memset(s1, 0, sizeof(*s1));
	s1->tag = BENCH_TAG;
	memset(gc, 0, sizeof(*gc));
	gc->pasid_bits = at.pasid_bits;
	if (xiommu_guest_s1_alloc(r->ctx, g, s1))
		return brig_fail(r, "guest stage-1 table");
	for (i = 0; i < BENCH_PAGES; i++)
		if (xiommu_guest_s1_map(r->ctx, g, s1, BENCH_IOVA + i * 4096ull,
					BENCH_GPA + i * 4096ull, 12,
					XIOMMU_PERM_READ | XIOMMU_PERM_WRITE))
			return brig_fail(r, "guest map");
	ret = xiommu_guest_ctx_write(r->ctx, g, gc, BENCH_PASID, s1, &b);
	b.vdev_id = r->vdev;
	if (ret < 0 || xiommu_bind(r->ctx, &b))
		return brig_fail(r, "bind");
	return 0;
}

int brig_up(const char *config, uint32_t unit, struct brig *r)
{
	struct xiommu_guest g;
	struct xiommu_guest_s1 s1;
	struct xiommu_guest_ctx gc;
	struct xiommu_invalidate inv;
	uint32_t k;

	memset(r, 0, sizeof(*r));
	r->unit = unit;
	if (xiommu_open(config, &r->ctx)) {
		fprintf(stderr, "xiommu bench: %s\n", xiommu_last_error(NULL));
		return -1;
	}
	/* 4 KiB stage-2 mappings: every stage-2 walk takes all its levels */
	if (nest(r, 8, BENCH_RAM, 4096, &g, &s1, &gc))
		return -1;
	for (k = 0; k < BENCH_MAXBATCH; k++) {
		struct xiommu_inv_entry *e = &r->gen[k];

		*e = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_IOTLB,
						.scope = XIOMMU_INV_RANGE,
						.flags = XIOMMU_INV_F_LEAF | XIOMMU_INV_F_TAG |
							 XIOMMU_INV_F_PASID,
						.tag = BENCH_TAG, .pasid = BENCH_PASID,
						.addr = BENCH_IOVA + 0x1000ull * k, .size = 0x1000 };
		/* the same page flush as the guest's own command */
		if (xiommu_guest_inv_encode(r->ctx, r->viommu, e, r->raw + (size_t)k * 64, 64,
					    &inv) || inv.entry_num != 1 || inv.entry_len > 64)
			return brig_fail(r, "raw guest command of a page flush");
		r->cmd_len = inv.entry_len;
		if (k)
			memmove(r->raw + (size_t)k * r->cmd_len, r->raw + (size_t)k * 64, r->cmd_len);
	}
	return 0;
}

void brig_down(struct brig *r)
{
	xiommu_close(r->ctx);
	free(r->mem);
	r->mem = NULL;
}

static void inv_loop(struct brig *r, uint64_t n, uint32_t type)
{
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r->viommu,
					 .type = type, .entry_num = r->batch };
	uint64_t i;

	if (type == XIOMMU_INV_GENERIC) {
		inv.entry_len = sizeof(r->gen[0]);
		inv.entries_ptr = XIOMMU_PTR(r->gen);
	} else {
		inv.type = r->vendor[0] == 's' ? XIOMMU_INV_RAW_SMMUV3 : XIOMMU_INV_RAW_VTD;
		inv.entry_len = r->cmd_len;
		inv.entries_ptr = XIOMMU_PTR(r->raw);
	}
	for (i = 0; i < n; i++)
		if (xiommu_invalidate(r->ctx, &inv)) {
			fprintf(stderr, "xiommu bench: invalidate: %s\n", xiommu_last_error(r->ctx));
			abort();
		}
}

__attribute__((noinline)) static void bench_loop_generic(struct brig *r, uint64_t n)
{
	inv_loop(r, n, XIOMMU_INV_GENERIC);
}

__attribute__((noinline)) static void bench_loop_raw(struct brig *r, uint64_t n)
{
	inv_loop(r, n, 0);
}

/* The baseline of forwarding: copying the guest's command once. */
__attribute__((noinline)) static void bench_loop_copy(struct brig *r, uint64_t n)
{
	uint8_t dst[64];
	uint64_t i;
	uint32_t k;

	for (i = 0; i < n; i++)
		for (k = 0; k < r->batch; k++) {
			__asm__ volatile("" : : "r"(r->raw) : "memory");
			memcpy(dst, r->raw + (size_t)k * r->cmd_len, r->cmd_len);
			__asm__ volatile("" : : "r"(dst) : "memory");
		}
	sink += dst[0];
}

static struct xiommu_dma dma_of(struct brig *r, uint32_t op)
{
	return (struct xiommu_dma){ .argsz = sizeof(struct xiommu_dma), .unit = r->unit,
				    .op = op, .sid = r->sid, .flags = XIOMMU_DMA_F_PASID,
				    .pasid = BENCH_PASID };
}

__attribute__((noinline)) static void bench_loop_xlate(struct brig *r, uint64_t n)
{
	struct xiommu_dma d = dma_of(r, XIOMMU_DMA_TRANSLATE);
	uint64_t i;

	d.iova = BENCH_IOVA + 0x3000;
	for (i = 0; i < n; i++)
		if (xiommu_dma(r->ctx, &d) || d.out_status != XIOMMU_DMA_OK)
			abort();
}

/*
 * Round robin over more pages than the IOTLB holds: every translation
 * misses. It starts half way, away from the pages the hit figures warm.
 */
__attribute__((noinline)) static void bench_loop_miss(struct brig *r, uint64_t n)
{
	struct xiommu_dma d = dma_of(r, XIOMMU_DMA_TRANSLATE);
	uint64_t i;

	for (i = 0; i < n; i++) {
		d.iova = BENCH_IOVA + ((i + BENCH_PAGES / 2) % BENCH_PAGES) * 4096ull;
		if (xiommu_dma(r->ctx, &d) || d.out_status != XIOMMU_DMA_OK)
			abort();
	}
}

/* An IOTLB-all invalidation, then a translation walking everything from the root. */
__attribute__((noinline)) static void bench_loop_cold(struct brig *r, uint64_t n)
{
	struct xiommu_inv_entry all = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r->viommu,
					 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(all),
					 .entry_num = 1, .entries_ptr = XIOMMU_PTR(&all) };
	struct xiommu_dma d = dma_of(r, XIOMMU_DMA_TRANSLATE);
	uint64_t i;

	for (i = 0; i < n; i++) {
		d.iova = BENCH_IOVA + (i % BENCH_PAGES) * 4096ull;
		if (xiommu_invalidate(r->ctx, &inv) || xiommu_dma(r->ctx, &d) ||
		    d.out_status != XIOMMU_DMA_OK)
			abort();
	}
}

__attribute__((noinline)) static void bench_loop_dma(struct brig *r, uint64_t n)
{
	static uint8_t buf[4096];
	struct xiommu_dma d = dma_of(r, XIOMMU_DMA_READ);
	uint64_t i;

	d.len = 4096;
	d.buf_ptr = XIOMMU_PTR(buf);
	for (i = 0; i < n; i++) {
		d.iova = BENCH_IOVA + ((i * 4096) & (BENCH_WINDOW - 1));
		if (xiommu_dma(r->ctx, &d) || d.out_status != XIOMMU_DMA_OK)
			abort();
	}
	sink += buf[7];
}

__attribute__((noinline)) static void bench_loop_memcpy4k(struct brig *r, uint64_t n)
{
	static uint8_t buf[4096];
	uint64_t i;

	for (i = 0; i < n; i++) {
		memcpy(buf, r->mem + ((i * 4096) & (BENCH_WINDOW - 1)), 4096);
		__asm__ volatile("" : : "r"(buf) : "memory");
	}
	sink += buf[7];
}

void bench_warm(struct brig *r, const struct figure *f)
{
	struct xiommu_dma d = dma_of(r, XIOMMU_DMA_TRANSLATE);
	uint64_t off;

	for (off = 0; off < BENCH_WINDOW; off += 4096) {
		d.iova = BENCH_IOVA + off;
		xiommu_dma(r->ctx, &d);
	}
	r->batch = f->batch;
}

double bench_reads_per_miss(struct brig *r, uint64_t n, int cold)
{
	struct xiommu_stats a = { .argsz = sizeof(a), .unit = r->unit };
	struct xiommu_stats b = a;

	xiommu_stats(r->ctx, &a);
	(cold ? bench_loop_cold : bench_loop_miss)(r, n);
	xiommu_stats(r->ctx, &b);
	if (b.tlb_misses - a.tlb_misses < n)	/* not all misses: the figure would lie */
		return -1;
	return (double)(b.table_reads - a.table_reads) / (double)n;
}

double bench_pasid_memory(const char *config, uint32_t unit, uint32_t count, double *secs)
{
	struct brig r = { .unit = unit };
	struct xiommu_guest g;
	struct xiommu_guest_s1 s1;
	struct xiommu_guest_ctx gc;
	struct xiommu_bind b;
	struct timespec t0, t1;
	uint32_t bits = 1, p;
	size_t h0, h1;
	int ret;

	while ((1u << bits) <= count)	/* PASIDs 0 .. count fit */
		bits++;
	if (xiommu_open(config, &r.ctx)) {
		fprintf(stderr, "xiommu bench: %s\n", xiommu_last_error(NULL));
		return -1;
	}
	/*
	 * room for a naturally aligned context table of 2^bits 64-byte entries
	 * in guest memory, where the vendor has one (SMMUv3 at 1M: 64 MiB)
	 */
	if (nest(&r, bits, (64ull << bits) > BENCH_RAM / 2 ? 2 * (64ull << bits) : BENCH_RAM,
		 (64ull << bits) > BENCH_RAM / 2 ? 2 * (64ull << bits) : BENCH_RAM, &g, &s1, &gc)) {
		brig_down(&r);
		return -1;
	}
	if (gc.pasid_bits < bits) {
		brig_down(&r);
		return -2;	/* the unit has fewer PASIDs */
	}
	h0 = mallinfo2().uordblks;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (p = BENCH_PASID + 1; p <= count; p++) {
		ret = xiommu_guest_ctx_write(r.ctx, &g, &gc, p, &s1, &b);
		b.vdev_id = r.vdev;
		if (ret < 0 || (ret == 1 && xiommu_bind(r.ctx, &b))) {
			fprintf(stderr, "xiommu bench: PASID %u: %s\n", p, xiommu_last_error(r.ctx));
			brig_down(&r);
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	h1 = mallinfo2().uordblks;
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	brig_down(&r);
	return ((double)h1 - (double)h0) / (double)(count - BENCH_PASID);
}

const struct figure bench_figures[] = {
	{ "inv.generic.1", "generic entry", bench_loop_generic, "generic", 1, NULL },
	{ "inv.generic.8", "generic entry", bench_loop_generic, "generic", 8, NULL },
	{ "inv.generic.64", "generic entry", bench_loop_generic, "generic", 64, NULL },
	{ "inv.generic.512", "generic entry", bench_loop_generic, "generic", 512, NULL },
	{ "inv.raw.1", "raw command", bench_loop_raw, "raw", 1, NULL },
	{ "inv.raw.8", "raw command", bench_loop_raw, "raw", 8, NULL },
	{ "inv.raw.64", "raw command", bench_loop_raw, "raw", 64, NULL },
	{ "inv.raw.512", "raw command", bench_loop_raw, "raw", 512, NULL },
	{ "inv.copy", "command copy", bench_loop_copy, "copy", 64, NULL },
	{ "xlate.hit", "IOTLB-hit translate", bench_loop_xlate, "xlate", 1, NULL },
	{ "xlate.model", "model hit translate", bench_loop_xlate, "xlate", 1, "emb_dma" },
	{ "xlate.miss", "nested miss", bench_loop_miss, "miss", 1, NULL },
	{ "xlate.cold", "inv-all + cold walk", bench_loop_cold, "cold", 1, NULL },
	{ "dma", "4 KiB read", bench_loop_dma, "dma", 1, NULL },
	{ "dma.memcpy", "4 KiB memcpy", bench_loop_memcpy4k, "memcpy4k", 1, NULL },
};
const unsigned int bench_nfigures = sizeof(bench_figures) / sizeof(bench_figures[0]);
