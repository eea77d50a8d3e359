// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): nested walks on every unit of a config (argv[1]),
 * through the public API, with guest stage-1 tables built by each vendor's
 * guest-format helpers and 4 KiB stage-2 leaves:
 *   miss  a translation that misses the IOTLB (config cached) next to the
 *         one before it: ns and table reads. Units that cache paging
 *         structures (VT-d) resume the walk below the cached ones.
 *   cold  the same after an IOTLB-all invalidation, which also drops the
 *         paging-structure caches: table reads only (architectural: 24
 *         for 4 levels over 4); the invalidation is not timed
 *   hit   the same translation again: ns
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xiommu/xiommu.h>
#include "guest.h"
#include "vtd_guest.h"
#include "guest_ram.h"

#define GPA	0x40000000ull
#define SIZE	(32u << 20)		/* data pages below 16 MiB, tables above */
#define VA	0x100000000ull
#define PAGES	2048u			/* more than any model's IOTLB holds */
#define HITS	20000u

struct rig {
	struct xiommu_ctx *ctx;
	struct guest_ram ram;
	uint32_t unit, viommu, vdev;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int fail(struct rig *r, const char *what)
{
	fprintf(stderr, "%s: %s\n", what, xiommu_last_error(r->ctx));
	return 1;
}

/* Guest stage 1 for @vendor: VA + i*4K -> GPA + i*4K, and the bind that uses it. */
static int guest_tables(struct rig *r, const char *vendor, struct xiommu_bind *b)
{
	uint32_t i;

	if (!strcmp(vendor, "smmuv3")) {
		struct smmuv3_guest_mem gm = { &r->ram, guest_ram_read, guest_ram_write,
					       guest_ram_alloc };
		struct smmuv3_cd_fields f = { .asid = 3, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
		uint64_t cd[SMMUV3_CD_DWORDS], cdt = guest_ram_alloc(&r->ram, 4096);

		f.ttb0 = guest_ram_alloc(&r->ram, 4096);
		for (i = 0; i < PAGES; i++)
			if (smmuv3_s1_map(&gm, f.ttb0, 12, 16, VA + i * 4096ull, GPA + i * 4096ull, 3,
					  SMMUV3_S1_USER | SMMUV3_S1_NG))
				return -1;
		smmuv3_cd_encode(&f, cd);
		if (smmuv3_cd_write(&gm, cdt, 0, cd))
			return -1;
		b->format = XIOMMU_S1_SMMUV3_CD_TABLE;
		b->table_gpa = cdt;
		return 0;
	}
	if (!strcmp(vendor, "vtd")) {
		struct vtd_guest_mem gm = { &r->ram, guest_ram_read, guest_ram_write, 0, GPA + SIZE };
		uint64_t root;

		gm.next = (r->ram.next + 4095) & ~4095ull;
		root = vtd_guest_table(&gm);
		for (i = 0; i < PAGES; i++)
			if (vtd_guest_fl_map(&gm, root, 4, VA + i * 4096ull, GPA + i * 4096ull, 12,
					     VTD_GUEST_FL_RW))
				return -1;
		r->ram.next = gm.next;
		b->format = XIOMMU_S1_VTD_FIRST_LEVEL;
		b->table_gpa = root;
		b->addr_width = 48;
		return 0;
	}
	return 1;	/* a vendor this bench has no guest tables for */
}

static uint64_t reads(struct rig *r)
{
	struct xiommu_stats st = { .argsz = sizeof(st), .unit = r->unit };

	return xiommu_stats(r->ctx, &st) ? 0 : st.table_reads;
}

static int run(const char *config, uint32_t unit)
{
	struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = unit };
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = unit };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = SIZE };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.size = 4096 };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = 0x10, .vsid = 1 };
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_TRANSLATE };
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = unit, .op = XIOMMU_DMA_TRANSLATE,
				.sid = 0x10 };
	struct rig r = { .unit = unit, .ram = { .base = GPA, .size = SIZE,
						.next = GPA + (16u << 20) } };
	struct xiommu_inv_entry all = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(all), .entry_num = 1,
					 .entries_ptr = XIOMMU_PTR(&all) };
	double t0, miss_ns, hit_ns;
	uint64_t r0, r1, cold = 0, c0;
	uint32_t i;
	int ret;

	if (xiommu_open(config, &r.ctx))
		return fprintf(stderr, "%s\n", xiommu_last_error(NULL)), 1;
	r.ram.mem = aligned_alloc(1u << 21, SIZE);
	mr.addr = XIOMMU_PTR(r.ram.mem);
	if (!r.ram.mem || xiommu_hw_info(r.ctx, &hw) || xiommu_viommu_alloc(r.ctx, &va) ||
	    xiommu_mem_register(r.ctx, &mr))
		return fail(&r, "setup");
	m.viommu_id = at.viommu_id = va.out_viommu_id;
	m.region_id = mr.out_region_id;
	for (m.offset = 0; m.offset < SIZE; m.offset += 4096) {
		m.gpa = GPA + m.offset;
		if (xiommu_map(r.ctx, &m))
			return fail(&r, "map");
	}
	if (xiommu_vdev_attach(r.ctx, &at))
		return fail(&r, "attach");
	b.vdev_id = at.out_vdev_id;
	ret = guest_tables(&r, hw.vendor_name, &b);
	if (ret > 0) {
		printf("%-8s %-8s no guest-table builder in this bench\n", hw.unit_name, hw.vendor_name);
		goto out;
	}
	if (ret || xiommu_bind(r.ctx, &b))
		return fail(&r, "bind");
	d.iova = VA + (PAGES - 1) * 4096ull;	/* warm the config caches */
	if (xiommu_dma(r.ctx, &d) || d.out_status)
		return fail(&r, "warm-up");
	r0 = reads(&r);
	t0 = now_ns();
	for (i = 0; i < PAGES - 1; i++) {
		d.iova = VA + i * 4096ull;
		if (xiommu_dma(r.ctx, &d) || d.out_status)
			return fail(&r, "miss");
	}
	miss_ns = (now_ns() - t0) / (PAGES - 1);
	r1 = reads(&r);
	t0 = now_ns();
	for (i = 0; i < HITS; i++)
		if (xiommu_dma(r.ctx, &d) || d.out_status)
			return fail(&r, "hit");
	hit_ns = (now_ns() - t0) / HITS;
	inv.viommu_id = va.out_viommu_id;
	for (i = 0; i < PAGES - 1; i++) {
		if (xiommu_invalidate(r.ctx, &inv))
			return fail(&r, "invalidate");
		c0 = reads(&r);
		d.iova = VA + i * 4096ull;
		if (xiommu_dma(r.ctx, &d) || d.out_status)
			return fail(&r, "cold miss");
		cold += reads(&r) - c0;
	}
	printf("%-8s %-8s nested miss %8.1f ns  %5.1f table reads   cold miss %5.1f table reads   hit %6.1f ns\n",
	       hw.unit_name, hw.vendor_name, miss_ns, (double)(r1 - r0) / (PAGES - 1),
	       (double)cold / (PAGES - 1), hit_ns);
out:
	xiommu_close(r.ctx);
	free(r.ram.mem);
	return 0;
}

int main(int argc, char **argv)
{
	struct xiommu_ctx *ctx;
	uint32_t u, n;
	int ret = 0;

	if (argc != 2 || xiommu_open(argv[1], &ctx)) {
		fprintf(stderr, "usage: %s CONFIG.ini (%s)\n", argv[0], xiommu_last_error(NULL));
		return 2;
	}
	n = xiommu_unit_count(ctx);
	xiommu_close(ctx);
	for (u = 0; u < n; u++)
		ret |= run(argv[1], u);
	return ret;
}
