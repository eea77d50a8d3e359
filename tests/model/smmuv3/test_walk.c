// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model by DMA: ID registers, stage-2 and nested translations at
 * every level and granule, faults with exact event records, hostile
 * tables, configuration errors.
 */
#include <string.h>
#include "rig.h"

#define RD XIOMMU_DMA_READ
#define WR XIOMMU_DMA_WRITE
#define TR XIOMMU_DMA_TRANSLATE

static uint64_t gpa2pa(struct rig *r, uint64_t gpa)
{
	return r->gram_pa + (gpa - RIG_GPA);
}

static void test_idr(void **state)
{
	struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;
	struct xm_test_mem m;
	uint32_t idr[8];
	char err[128];
	void *u;

	(void)state;
	assert_int_equal(xm_test_mem_init(&m, RIG_PA_BASE, 8u << 20), 0);
	assert_int_equal(xh_smmuv3_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), 0);
	assert_int_equal(xh_smmuv3_ops.regs(u, idr, sizeof(idr)), 32);
	/* S2P S1P TTF=2 COHACC ATS ASID16 MSI VMID16 CD2L TTENDIAN=2 STALL 00 TERM ST_LEVEL=1 */
	assert_int_equal(idr[0], 0x0c4c341b);
	/* SIDSIZE 16, SSIDSIZE 20, EVENTQS 7, CMDQS 8, ATTR_TYPES_OVR */
	assert_int_equal(idr[1], 0x08000000 | (8u << 21) | (7u << 16) | (20u << 6) | 16);
	assert_int_equal(idr[3], 1u << 10);
	assert_int_equal(idr[5], (16u << 16) | (1u << 6) | (1u << 4) | 5);
	assert_int_equal(idr[7], 2);
	xh_smmuv3_ops.destroy(u);
	p.ril = 0;
	p.stall = 0;
	p.granules = SMMUV3_GRAN_4K;
	assert_int_equal(xh_smmuv3_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), 0);
	xh_smmuv3_ops.regs(u, idr, sizeof(idr));
	assert_int_equal(SMMUV3_RGET(idr[0], SMMUV3_IDR0_STALL_MODEL), 1);
	assert_int_equal(idr[3], 0);
	assert_int_equal(idr[5] & 0x70, 0x10);
	xh_smmuv3_ops.destroy(u);
	p.oas = 50;
	assert_int_equal(xh_smmuv3_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "oas"));
	p.oas = 48;
	p.s2_granule = 16;	/* 64K not in granules */
	assert_int_equal(xh_smmuv3_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), -EINVAL);
	xm_test_mem_fini(&m);
}

static void test_domain_desc(void **state)
{
	struct xiommu_smmuv3_params p;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	assert_int_equal(r.desc.start_level, 0);
	assert_int_equal(r.desc.levels, 4);
	assert_int_equal(r.desc.concat, 1);
	assert_int_equal(r.desc.granule_shift, 12);
	assert_int_equal(r.desc.tag, 1);
	/* S2VMID 1, T0SZ 16, SL0 2 (L0), IR/OR WBWA, ISH, TG 4K, PS 48, AA64, PTW, S2R */
	assert_int_equal(r.d->w2, 0x044d359000000001ull);
	rig_down(&r);
	rig_params(&p);
	p.s2_ias = 40;
	rig_up(&r, &p);
	assert_int_equal(r.desc.start_level, 1);
	assert_int_equal(r.desc.concat, 2);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0, NULL), XIOMMU_DMA_ABORT);
	rig_down(&r);
	rig_params(&p);
	p.s2_granule = 16;
	rig_up(&r, &p);
	assert_int_equal(r.desc.start_level, 1);
	assert_int_equal(r.desc.levels, 3);
	rig_down(&r);
}

static void test_abort_and_s2(void **state)
{
	struct rig r;
	uint64_t ste[8], pa, w[4];

	(void)state;
	rig_up(&r, NULL);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, RIG_GPA, NULL), XIOMMU_DMA_ABORT);
	rig_no_event(&r);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, RIG_GPA + 0x1238, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.gram_pa + 0x1238);
	/* an IPA stage 2 does not map: F_TRANSLATION, S2, CLASS IN, IPA */
	assert_int_equal(rig_dma(&r, WR, 0, RIG_SID, 0, 0x7000123, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x10 | ((uint64_t)RIG_SID << 32));
	assert_int_equal(w[1], (1ull << 39) | (2ull << 40));
	assert_int_equal(w[2], 0x7000123);
	assert_int_equal(w[3], 0x7000000);
	/* beyond the stage-2 input size */
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 1ull << 48, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, 0x10);
	assert_int_equal(w[1], (1ull << 35) | (1ull << 39) | (2ull << 40));
	/* stage-2 read-only mapping: write -> F_PERMISSION S2 */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x80000000ull, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x80000010ull, NULL), XIOMMU_DMA_OK);
	assert_int_equal(rig_dma(&r, WR, 0, RIG_SID, 0, 0x80000010ull, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, 0x13);
	assert_int_equal(w[3], 0x80000000ull);
	/* overlap, partial unmap, empty unmap, misaligned or out-of-range maps */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x80000000ull, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), -EEXIST);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, RIG_GPA, 2048), -EINVAL);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, 0x90000000ull, 4096), -ENOENT);
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x90000800ull, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), -EINVAL);
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 1ull << 48, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), -EINVAL);
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x90000000ull, r.gram_pa, 4096, 0), -EINVAL);
	/* a 2 MiB block: unmapping one page of it is refused, the whole block works */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0xa0000000ull, r.gram_pa, 2u << 20,
					      XIOMMU_MAP_READ), 0);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, 0xa0001000ull, 4096), -EINVAL);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0xa0123456ull, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.gram_pa + 0x123456);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, 0xa0000000ull, 2u << 20), 0);
	/* unmap takes effect at once */
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, 0x80000000ull, 4096), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x80000010ull, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, 0x10);
	/* an unknown StreamID */
	assert_int_equal(rig_dma(&r, RD, 0, 0x100, 0, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x02 | (0x100ull << 32));
	rig_down(&r);
}

static void test_nested_24_reads(void **state)
{
	struct rig r;
	struct xm_stats a, b;
	uint64_t root, pa, data = RIG_GPA + 0x5000;

	(void)state;
	rig_up(&r, NULL);
	root = rig_nested(&r, 7, NULL);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, 0x1234000, data, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, 0x1235000, data + 0x1000, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x1234abc, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, data) + 0xabc);
	xh_smmuv3_ops.stats(r.h, &a);
	/* config warm, TLB miss: 4 x (4 + 1) stage-2 translated stage-1 reads + 4 final */
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x1235010, &pa), XIOMMU_DMA_OK);
	xh_smmuv3_ops.stats(r.h, &b);
	assert_int_equal(b.table_reads - a.table_reads, 24);
	assert_int_equal(pa, gpa2pa(&r, data) + 0x1010);
	/* TLB hit: no reads */
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x1235018, &pa), XIOMMU_DMA_OK);
	xh_smmuv3_ops.stats(r.h, &a);
	assert_int_equal(a.table_reads, b.table_reads);
	assert_int_equal(a.tlb_hits, b.tlb_hits + 1);
	rig_down(&r);
}

/* One granule/T0SZ/level combination: map, translate, check the PA. */
static void one_walk(unsigned int g, unsigned int t0sz, unsigned int level, uint64_t va,
		     uint64_t oa_gpa, uint64_t off)
{
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = (uint8_t)t0sz, .gshift = (uint8_t)g,
				      .ips_bits = 48 };
	uint64_t cd[8], ste[8], root, ctx, pa;
	struct rig r;

	rig_up(&r, NULL);
	root = galloc(&r, 1ull << g);
	ctx = galloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&r.gm, ctx, 0, cd);
	rig_ste_nested(&r, ste, ctx, 0, 0, 0);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, g, t0sz, va, oa_gpa, level, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, va + off, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, oa_gpa) + off);
	/* the next block/page is not mapped */
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, va + (1ull << (g + (3 - level) * (g - 3))),
				 NULL), XIOMMU_DMA_FAULT);
	rig_down(&r);
}

static void test_levels_granules(void **state)
{
	(void)state;
	/* 4K: start L0 (t0sz 16), L1 (25), L2 (34); leaves at L1, L2, L3 */
	one_walk(12, 16, 3, 0x7f0000123000ull, RIG_GPA + 0x3000, 0x10);
	one_walk(12, 16, 2, 0x40000000ull, RIG_GPA + 0x200000, 0x1234);
	one_walk(12, 16, 1, 0x80000000ull, RIG_GPA, 0x5678);
	one_walk(12, 25, 3, 0x7f123000ull, RIG_GPA + 0x3000, 8);
	one_walk(12, 34, 3, 0x3fff000ull, RIG_GPA + 0x3000, 8);
	one_walk(12, 34, 2, 0x200000ull, RIG_GPA + 0x200000, 0x1008);
	/* 64K: start L1 (t0sz 16), L2 (25); leaves at L2 (512M), L3 */
	one_walk(16, 16, 3, 0x123450000ull, RIG_GPA + 0x10000, 0x20);
	one_walk(16, 25, 3, 0x1230000ull, RIG_GPA + 0x20000, 0x20);
	one_walk(16, 16, 2, 0x20000000ull, RIG_GPA, 0x30);
	/* 16K: start L0 (t0sz 16), L1 (28); leaves at L2 (32M), L3 */
	one_walk(14, 16, 3, 0x12344000ull, RIG_GPA + 0x4000, 0x40);
	one_walk(14, 28, 3, 0x12344000ull, RIG_GPA + 0x8000, 0x40);
}

static void s1_fault(struct rig *r, uint64_t va, uint32_t op, uint32_t flags, uint8_t id)
{
	uint64_t w[4];

	assert_int_equal(rig_dma(r, op, flags, RIG_SID, 0, va, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(r, w), 0);
	assert_int_equal(w[0], id | ((uint64_t)RIG_SID << 32));
	/* stage 1 (S2 = 0), CLASS = IN: the input address (IHI0070 7.3, event CLASS) */
	assert_int_equal(w[1], (op == RD ? 1ull << 35 : 0) |
			 ((flags & XIOMMU_DMA_F_PRIV) ? 1ull << 33 : 0) | (2ull << 40));
	assert_int_equal(w[2], va);
	assert_int_equal(w[3], 0);
}

static void test_s1_faults(void **state)
{
	struct rig r;
	uint64_t root, cdg, cd[8];
	uint64_t data = RIG_GPA + 0x5000;

	(void)state;
	rig_up(&r, NULL);
	root = rig_nested(&r, 3, &cdg);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x10000, data, 3, SMMUV3_S1_READONLY | SMMUV3_S1_USER);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x11000, data, 3, SMMUV3_S1_NO_AF);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x12000, data, 3, 0);	/* privileged only */
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x13000, 0x1000000000ull, 3, SMMUV3_S1_USER);
	s1_fault(&r, 0x20000, RD, 0, SMMUV3_EVT_F_TRANSLATION);
	s1_fault(&r, 0x10008, WR, 0, SMMUV3_EVT_F_PERMISSION);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10008, NULL), XIOMMU_DMA_OK);
	s1_fault(&r, 0x11000, RD, 0, SMMUV3_EVT_F_ACCESS);
	s1_fault(&r, 0x12000, RD, 0, SMMUV3_EVT_F_PERMISSION);
	assert_int_equal(rig_dma(&r, WR, XIOMMU_DMA_F_PRIV, RIG_SID, 0, 0x12000, NULL),
			 XIOMMU_DMA_OK);
	/* VA beyond T0SZ */
	s1_fault(&r, 1ull << 48, RD, XIOMMU_DMA_F_PRIV, SMMUV3_EVT_F_TRANSLATION);
	/* output beyond IPS: make the CD's IPS 32 bits (fresh after CFGI_CD) */
	memcpy(cd, gptr(&r, cdg), 64);
	cd[0] = xi_set(cd[0], 34, 32, 0);
	memcpy(gptr(&r, cdg), cd, 64);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD | ((uint64_t)RIG_SID << 32), 0), 0);
	s1_fault(&r, 0x13000, RD, XIOMMU_DMA_F_PRIV, SMMUV3_EVT_F_ADDR_SIZE);
	/* AFFD: no access fault */
	cd[0] = xi_set(cd[0], 34, 32, 5) | XI_BIT(35);
	memcpy(gptr(&r, cdg), cd, 64);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD | ((uint64_t)RIG_SID << 32), 0), 0);
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PRIV, RIG_SID, 0, 0x11000, NULL),
			 XIOMMU_DMA_OK);
	/* R = 0: faults are not recorded */
	cd[0] &= ~XI_BIT(45);
	memcpy(gptr(&r, cdg), cd, 64);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD | ((uint64_t)RIG_SID << 32), 0), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x30000, NULL), XIOMMU_DMA_FAULT);
	rig_no_event(&r);
	rig_down(&r);
}

static void test_s2_fault_in_s1_walk(void **state)
{
	struct rig r;
	uint64_t root, l0, l1, w[4], cd[8], cdg;

	(void)state;
	rig_up(&r, NULL);
	root = rig_nested(&r, 3, &cdg);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x10000, RIG_GPA, 3, SMMUV3_S1_USER);
	/* point the L1 table descriptor at an IPA stage 2 does not map */
	l0 = *(uint64_t *)gptr(&r, root);
	l1 = smmuv3_pte_addr(l0, 12);
	*(uint64_t *)gptr(&r, l1) = 0x9000000ull | 3;
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x10 | ((uint64_t)RIG_SID << 32));
	assert_int_equal(w[1], (1ull << 35) | (1ull << 39) | (1ull << 40) | (1ull << 44));
	assert_int_equal(w[2], 0x10010);
	assert_int_equal(w[3], 0x9000000ull);
	/* bit 49 is not address with 4K and DS = 0: the next table is at IPA 0, unmapped */
	*(uint64_t *)gptr(&r, l1) = (1ull << 49) | 3;
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, SMMUV3_EVT_F_TRANSLATION);
	assert_int_equal(w[3], 0);
	/* a table "pointing at the stream table": it is an IPA, stage 2 does not map it */
	*(uint64_t *)gptr(&r, l1) = r.u->strtab | 3;
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, 0x10);
	assert_int_equal(w[1] & (1ull << 39), 1ull << 39);
	assert_int_equal(w[3], r.u->strtab);
	/* a loop: the L1 entry points back at the L0 table; the walk ends at L3 */
	*(uint64_t *)gptr(&r, l1) = root | 3;
	*(uint64_t *)gptr(&r, root) = root | 3;
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, SMMUV3_EVT_F_ACCESS);	/* page "descriptor" has AF 0 */
	/* the CD table behind an unmapped IPA: S2 fault with CLASS CD */
	memcpy(cd, gptr(&r, cdg), 64);
	{
		uint64_t ste[8];

		rig_ste_nested(&r, ste, 0x9100000ull, 0, 0, 0);
		assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	}
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, 0x10);
	assert_int_equal(w[1], (1ull << 35) | (1ull << 39));
	assert_int_equal(w[3], 0x9100000ull);
	rig_down(&r);
}

static void test_fetch_aborts(void **state)
{
	struct rig r;
	uint64_t root, w[4], ste[8], ctx;
	uint64_t hole = RIG_PA_BASE + RIG_ARENA + 0x100000;	/* not RAM */

	(void)state;
	rig_up(&r, NULL);
	root = rig_nested(&r, 3, &ctx);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x10000, RIG_GPA, 3, SMMUV3_S1_USER);
	/* stage 2 maps GPA 0x9000000 onto a hole: a walk there is F_WALK_EABT */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x9000000ull, hole, 4096,
					      XIOMMU_MAP_READ), 0);
	*(uint64_t *)gptr(&r, smmuv3_pte_addr(*(uint64_t *)gptr(&r, root), 12)) = 0x9000000ull | 3;
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, SMMUV3_EVT_F_WALK_EABT);
	/* a stage-1 table fetch: S2 = 0, CLASS = TT, TTRnW = 1 (read), RnW */
	assert_int_equal(w[1], (1ull << 35) | (1ull << 40) | (1ull << 44));
	assert_int_equal(w[2], 0x10010);
	assert_int_equal(w[3], hole);
	/* the CD there: F_CD_FETCH with the PA */
	rig_ste_nested(&r, ste, 0x9000000ull, 0, 0, 0);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10010, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], SMMUV3_EVT_F_CD_FETCH | ((uint64_t)RIG_SID << 32));
	assert_int_equal(w[3], hole);
	rig_down(&r);
}

static void test_config_errors(void **state)
{
	struct rig r;
	uint64_t ste[8], cd[8], w[4], ctx, root;
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12 };
	struct xiommu_smmuv3_params p;

	(void)state;
	rig_params(&p);
	p.granules = SMMUV3_GRAN_4K | SMMUV3_GRAN_64K;
	p.ssid_bits = 8;
	rig_up(&r, &p);
	ctx = galloc(&r, 4096 * 4);
	root = galloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&r.gm, ctx, 1, cd);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x10000, RIG_GPA, 3, SMMUV3_S1_USER);
	rig_ste_nested(&r, ste, ctx, 0, 4, SMMUV3_S1DSS_TERMINATE);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 1, 0x10000, NULL),
			 XIOMMU_DMA_OK);
	/* no SSID with S1DSS terminate */
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10000, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x06 | ((uint64_t)RIG_SID << 32));
	/* SSID beyond S1CDMax */
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 16, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x08 | (1ull << 11) | (16ull << 12) | ((uint64_t)RIG_SID << 32));
	/* invalid CD at SSID 2 */
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 2, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x0a | (1ull << 11) | (2ull << 12) | ((uint64_t)RIG_SID << 32));
	/* CD with a granule the IDRs deny (16K): C_BAD_CD */
	f.gshift = 14;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&r.gm, ctx, 3, cd);
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 3, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0] & 0xff, SMMUV3_EVT_C_BAD_CD);
	/* S1DSS bypass: SSID-less traffic takes stage 2 only */
	rig_ste_nested(&r, ste, ctx, 0, 4, SMMUV3_S1DSS_BYPASS);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, RIG_GPA + 8, NULL), XIOMMU_DMA_OK);
	/* S1CDMax beyond SSIDSIZE: C_BAD_STE (STE poked into host memory) */
	rig_ste_nested(&r, ste, ctx, 0, 9, 0);
	{
		uint64_t pa;

		assert_int_equal(smmu_ste_locate(r.u, RIG_SID, &pa), 0);
		memcpy(xm_test_mem_ptr(&r.mem, pa), ste, 64);
	}
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE | ((uint64_t)RIG_SID << 32), 0), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[0], 0x04 | ((uint64_t)RIG_SID << 32));
	assert_int_equal(w[1] | w[2] | w[3], 0);
	rig_down(&r);
}

static void test_cd_2level(void **state)
{
	struct rig r;
	uint64_t ste[8], cd[8], l1, root, pa;
	struct smmuv3_cd_fields f = { .asid = 9, .t0sz = 16, .gshift = 12 };

	(void)state;
	rig_up(&r, NULL);
	l1 = galloc(&r, 4096);
	root = galloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write_2l(&r.gm, l1, 1, 0x1234, cd), 0);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0x10000, RIG_GPA + 0x7000, 3, SMMUV3_S1_USER);
	rig_ste_nested(&r, ste, l1, 1, 16, SMMUV3_S1DSS_SSID0);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 0x1234, 0x10008, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, RIG_GPA + 0x7008));
	/* L1CD invalid: C_BAD_SUBSTREAMID */
	assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 0x2234, 0x10008, NULL),
			 XIOMMU_DMA_FAULT);
	{
		uint64_t w[4];

		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0] & 0xff, SMMUV3_EVT_C_BAD_SUBSTREAMID);
		/* S1DSS=SSID0: SSID 0 itself is terminated */
		assert_int_equal(rig_dma(&r, RD, XIOMMU_DMA_F_PASID, RIG_SID, 0, 0, NULL),
				 XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0] & 0xff, SMMUV3_EVT_F_STREAM_DISABLED);
	}
	rig_down(&r);
}

static void test_cd_vs_idr(void **state)
{
	struct xiommu_smmuv3_params p;
	struct smmuv3_cd_fields f = { .asid = 0x1ff, .t0sz = 16, .gshift = 12 };
	uint64_t cd[8], ste[8], ctx, w[4];
	struct rig r;
	int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		rig_params(&p);
		p.asid16 = k != 0;	/* 0: ASID 0x1ff beyond 8 bits */
		p.stall = k != 1;	/* 1: CD.S=1 without stall support */
		rig_up(&r, &p);
		ctx = galloc(&r, 4096);
		f.ttb0 = galloc(&r, 4096);
		f.stall = k >= 1;
		smmuv3_cd_encode(&f, cd);
		smmuv3_cd_write(&r.gm, ctx, 0, cd);
		rig_ste_nested(&r, ste, ctx, 0, 0, 0);
		if (k == 2)	/* 2: S1STALLD=1 with CD.S=1 */
			ste[1] |= XI_BIT(27);
		assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x10000, NULL), XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0], SMMUV3_EVT_C_BAD_CD | ((uint64_t)RIG_SID << 32));
		rig_down(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idr),
		cmocka_unit_test(test_domain_desc),
		cmocka_unit_test(test_abort_and_s2),
		cmocka_unit_test(test_nested_24_reads),
		cmocka_unit_test(test_levels_granules),
		cmocka_unit_test(test_s1_faults),
		cmocka_unit_test(test_s2_fault_in_s1_walk),
		cmocka_unit_test(test_fetch_aborts),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_cd_2level),
		cmocka_unit_test(test_cd_vs_idr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
