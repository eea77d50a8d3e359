// SPDX-License-Identifier: MIT
/*
 * The SMMUv3 plugin on the model: hw info, binds and every transition
 * among abort / bypass / nested (two CD tables) run hitlessly on the model,
 * generic and raw invalidations (exact command words, widening, rejects),
 * MSI bind, page responses.
 */
#include <string.h>
#include "penv.h"

#define VA	0x40000000ull
#define DATA0	(RIG_GPA + 0x10000)
#define DATA1	(RIG_GPA + 0x20000)

static void test_hw_info(void **state)
{
	struct penv e;
	struct xiommu_hw_info out, limit = { .features = XIOMMU_HW_ALL & ~XIOMMU_HW_RANGE_INV,
					     .pasid_bits = 8, .s1_ias = 255, .s1_oas = 255,
					     .s2_ias = 40 };
	uint32_t raw[8], len = sizeof(raw);

	(void)state;
	penv_up(&e, NULL);
	assert_int_equal(e.caps.features, XIOMMU_HW_NESTING | XIOMMU_HW_PASID |
			 XIOMMU_HW_MSI_NESTING | XIOMMU_HW_STALL | XIOMMU_HW_RANGE_INV |
			 XIOMMU_HW_ATS | XIOMMU_HW_BIND_TABLE);
	assert_int_equal(e.caps.pasid_bits, 20);
	assert_int_equal(e.caps.sid_bits, 8);
	assert_int_equal(e.caps.tag_bits, 16);
	assert_int_equal(e.caps.s1_granules, 7);
	assert_int_equal(e.caps.s2_granules, XIOMMU_GRANULE_4K);
	assert_int_equal(e.caps.s2_ias, 48);
	assert_int_equal(e.caps.s2_oas, 48);
	memset(&out, 0, sizeof(out));
	assert_int_equal(e.ops->hw_info(&e.env, &limit, &out, raw, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(out.features & XIOMMU_HW_RANGE_INV, 0);
	assert_int_equal(out.pasid_bits, 8);
	assert_int_equal(out.s2_ias, 40);
	assert_int_equal(raw[3], 0);				/* RIL hidden */
	assert_int_equal((raw[1] >> 6) & 31, 8);		/* SSIDSIZE limited */
	assert_int_equal(raw[0] & 1, 0);			/* no S2P for the guest */
	assert_int_equal(raw[0] & ~1u, e.idr[0] & ~1u);
	/*
	 * advertise_s1_oas: the guest's IDR5.OAS and its GPA space are one
	 * size, so stage 2 takes no GPA at or above it (xiommu_map checks
	 * s2_ias) and a stage-1 output beyond it faults in stage 2
	 */
	limit.s2_ias = 255;
	limit.s1_oas = 45;	/* not an OAS encoding: 44 */
	len = sizeof(raw);
	assert_int_equal(e.ops->hw_info(&e.env, &limit, &out, raw, &len), 0);
	assert_int_equal(out.s1_oas, 44);
	assert_int_equal(raw[5] & 7, 4);
	assert_int_equal(out.s2_ias, 44);
	limit.s1_oas = 255;
	limit.s2_ias = 41;	/* a GPA space of 41 bits: the guest is told 40 */
	assert_int_equal(e.ops->hw_info(&e.env, &limit, &out, raw, &len), 0);
	assert_int_equal(out.s1_oas, 40);
	assert_int_equal(raw[5] & 7, 2);
	assert_int_equal(out.s2_ias, 40);
	limit.s2_ias = 31;	/* below any OAS encoding */
	assert_int_equal(e.ops->hw_info(&e.env, &limit, &out, raw, &len), -EINVAL);
	assert_non_null(strstr(e.err, "advertise_s1_oas"));
	assert_string_equal(e.ops->vendor, "smmuv3");
	assert_int_equal(e.ops->cmd_len, 16);
	assert_int_equal(e.ops->fault_len, 32);
	penv_down(&e);
}

/* A guest with two CD tables: A (one CD, asid 1 -> DATA0), B (4 SSIDs, asid 2 -> DATA1). */
struct guest {
	uint64_t cta, ctb;
};

static void guest_tables(struct penv *e, struct guest *g)
{
	struct smmuv3_cd_fields f = { .t0sz = 16, .gshift = 12 };
	uint64_t cd[8], ra = galloc(&e->r, 4096), rb = galloc(&e->r, 4096);

	g->cta = galloc(&e->r, 4096);
	g->ctb = galloc(&e->r, 4096);
	/* non-global: a global entry would hit for every ASID */
	smmuv3_s1_map(&e->r.gm, ra, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER | SMMUV3_S1_NG);
	smmuv3_s1_map(&e->r.gm, rb, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER | SMMUV3_S1_NG);
	f.asid = 1;
	f.ttb0 = ra;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&e->r.gm, g->cta, 0, cd);
	f.asid = 2;
	f.ttb0 = rb;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&e->r.gm, g->ctb, 3, cd);
}

enum { C_ABORT, C_BYPASS, C_NESTA, C_NESTB, C_N };

static int set_config(struct penv *e, const struct guest *g, int c)
{
	switch (c) {
	case C_ABORT: return penv_bind(e, XIOMMU_CONFIG_ABORT, 0, 0, 0);
	case C_BYPASS: return penv_bind(e, XIOMMU_CONFIG_BYPASS, 0, 0, 0);
	case C_NESTA: return penv_bind(e, XIOMMU_CONFIG_TRANSLATE, g->cta, 0, 0);
	default: return penv_bind(e, XIOMMU_CONFIG_TRANSLATE, g->ctb, 2, SMMUV3_S1DSS_BYPASS);
	}
}

static void check_config(struct penv *e, int c)
{
	uint64_t pa;

	switch (c) {
	case C_ABORT:
		assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_READ, 0, RIG_SID, 0, VA, NULL),
				 XIOMMU_DMA_ABORT);
		break;
	case C_BYPASS:
		assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_READ, 0, RIG_SID, 0, DATA1, &pa),
				 XIOMMU_DMA_OK);
		assert_int_equal(pa, e->r.gram_pa + (DATA1 - RIG_GPA));
		break;
	case C_NESTA:
		assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_READ, 0, RIG_SID, 0, VA, &pa),
				 XIOMMU_DMA_OK);
		assert_int_equal(pa, e->r.gram_pa + (DATA0 - RIG_GPA));
		break;
	default:
		assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, RIG_SID, 3, VA,
					 &pa), XIOMMU_DMA_OK);
		assert_int_equal(pa, e->r.gram_pa + (DATA1 - RIG_GPA));
		/* S1DSS bypass: no SSID -> stage 2 only */
		assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_READ, 0, RIG_SID, 0, DATA0, &pa),
				 XIOMMU_DMA_OK);
		assert_int_equal(pa, e->r.gram_pa + (DATA0 - RIG_GPA));
		break;
	}
}

static void test_transitions(void **state)
{
	struct penv e;
	struct guest g;
	int from, to;

	(void)state;
	penv_up(&e, NULL);	/* the host checks every intermediate STE (hitless_check) */
	guest_tables(&e, &g);
	for (from = 0; from < C_N; from++)
		for (to = 0; to < C_N; to++) {
			assert_int_equal(set_config(&e, &g, from), 0);
			check_config(&e, from);
			assert_int_equal(set_config(&e, &g, to), 0);
			/* the TLB is tagged by ASID: each config has its own, nothing stale */
			check_config(&e, to);
		}
	penv_down(&e);
}

static void test_bind_rejects(void **state)
{
	struct penv e;
	struct xiommu_bind b;
	uint64_t before[8];

	(void)state;
	penv_up(&e, NULL);
	memcpy(before, e.vdev.entry, 64);
	memset(&b, 0, sizeof(b));
	b.config = XIOMMU_CONFIG_TRANSLATE;
	b.format = XIOMMU_S1_SMMUV3_CD_TABLE;
	b.table_gpa = RIG_GPA + 0x20;				/* misaligned */
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EINVAL);
	b.table_gpa = RIG_GPA;
	b.pasid_bits = 21;					/* beyond SSIDSIZE */
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -ERANGE);
	assert_non_null(strstr(e.err, "pasid_bits 21"));
	b.pasid_bits = 4;
	b.s1.smmuv3.s1csh = 1;					/* reserved shareability */
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EINVAL);
	b.s1.smmuv3.s1csh = 0;
	b.s1.smmuv3.s1dss = 3;
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EINVAL);
	b.s1.smmuv3.s1dss = 0;
	b.s1.smmuv3.s1fmt = 3;
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EINVAL);
	b.s1.smmuv3.s1fmt = 0;
	e.caps.features &= ~XIOMMU_HW_ATS;
	b.s1.smmuv3.eats = 1;
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EOPNOTSUPP);
	b.s1.smmuv3.eats = 0;
	b.flags = XIOMMU_BIND_PASID;
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), -EOPNOTSUPP);
	assert_int_equal(e.prog.n, 0);
	assert_memory_equal(before, e.vdev.entry, 64);
	/* the nested STE: host words exactly the domain's */
	b.flags = 0;
	assert_int_equal(e.ops->bind(&e.env, &e.vdev, &b, &e.prog), 0);
	/* abort -> nested: S1/S2 words while Config still says abort, then dw0 */
	assert_int_equal(e.prog.ops[0].code, XIOMMU_OP_ENTRY_WRITE);
	assert_int_equal(e.prog.ops[0].mask, 0xf);
	assert_int_equal(e.prog.ops[0].w[0], RIG_GPA | (4ull << 59) | 1);
	assert_int_equal(e.prog.ops[0].w[2], e.r.d->w2);
	assert_int_equal(e.prog.ops[0].w[3], e.r.d->w3);
	assert_int_equal(e.prog.ops[1].w[0], SMMUV3_OP_CFGI_STE | ((uint64_t)RIG_SID << 32));
	assert_int_equal(e.prog.ops[2].code, XIOMMU_OP_SYNC);
	assert_int_equal(e.prog.ops[3].mask, 1);
	assert_int_equal(e.prog.ops[3].w[0], RIG_GPA | (4ull << 59) | (7 << 1) | 1);
	assert_int_equal(e.prog.n, 6);
	assert_int_equal(penv_run(&e), 0);
	assert_int_equal(e.vdev.entry[1], e.r.d->w1);
	penv_down(&e);
}

static void inv_one(struct penv *e, const struct xiommu_inv_entry *en, uint32_t expect_cmds)
{
	uint32_t bad = 99;

	penv_prog_reset(e);
	assert_int_equal(e->ops->invalidate(&e->env, &e->viommu, en, 1, &e->prog, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(e->prog.n, expect_cmds + 1);
	assert_int_equal(e->prog.ops[e->prog.n - 1].code, XIOMMU_OP_SYNC);
	assert_int_equal(penv_run(e), 0);
}

static void test_invalidate(void **state)
{
	struct penv e;
	struct xiommu_inv_entry en;
	const uint64_t vmid = (uint64_t)1 << 32;

	(void)state;
	penv_up(&e, NULL);
	memset(&en, 0, sizeof(en));
	en.cache = XIOMMU_CACHE_IOTLB;
	en.scope = XIOMMU_INV_ALL;
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_TLBI_NH_ALL | vmid);
	en.scope = XIOMMU_INV_TAG;
	en.flags = XIOMMU_INV_F_TAG;
	en.tag = 0x1234;
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_TLBI_NH_ASID | vmid | (0x1234ull << 48));
	/*
	 * range + tag, RIL, once per granule of the unit (4K, 16K, 64K): 3 pages
	 * = NUM 2, SCALE 0, TG 4K, Leaf; one 16K and one 64K page in the plain
	 * form, which is the same command once
	 */
	en.scope = XIOMMU_INV_RANGE;
	en.flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_LEAF;
	en.addr = 0x10000;
	en.size = 0x3000;
	inv_one(&e, &en, 2);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_TLBI_NH_VA | vmid | (0x1234ull << 48) |
			 (2ull << 12));
	assert_int_equal(e.prog.ops[0].w[1], 0x10000 | (1ull << 10) | 1);
	assert_int_equal(e.prog.ops[1].w[0], SMMUV3_OP_TLBI_NH_VA | vmid | (0x1234ull << 48));
	assert_int_equal(e.prog.ops[1].w[1], 0x10000 | 1);
	/*
	 * 0x41 pages: 1 page in the plain form, then 64 = 1 x 2^6; 17 16K
	 * pages from 0x10000 (TG 2, NUM 16); 5 64K pages (TG 3, NUM 4)
	 */
	en.size = 0x41000;
	inv_one(&e, &en, 4);
	assert_int_equal(e.prog.ops[0].w[0] & 0x1f1f000, 0);
	assert_int_equal(e.prog.ops[0].w[1], 0x10001);
	assert_int_equal(e.prog.ops[1].w[0] & 0x1f1f000, 6ull << 20);
	assert_int_equal(e.prog.ops[1].w[1] & ~0xfffull, 0x11000);
	assert_int_equal(e.prog.ops[2].w[0] & 0x1f1f000, 16ull << 12);
	assert_int_equal(e.prog.ops[2].w[1], 0x10000 | (2ull << 10) | 1);
	assert_int_equal(e.prog.ops[3].w[0] & 0x1f1f000, 4ull << 12);
	assert_int_equal(e.prog.ops[3].w[1], 0x10000 | (3ull << 10) | 1);
	/* no RIL: per page NH_VAA, then widened to NH_ALL past the bound */
	e.caps.features &= ~XIOMMU_HW_RANGE_INV;
	en.flags = 0;
	en.tag = 0;
	en.size = 0x2000;
	inv_one(&e, &en, 2);
	assert_int_equal(e.prog.ops[1].w[0], SMMUV3_OP_TLBI_NH_VAA | vmid);
	assert_int_equal(e.prog.ops[1].w[1], 0x11000);
	assert_int_equal(e.prog.widened, 0);
	en.size = 0x100000;
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_TLBI_NH_ALL | vmid);
	assert_int_equal(e.prog.widened, 1);
	/* PASID without a known ASID: NH_ALL, counted */
	en.scope = XIOMMU_INV_PASID;
	en.flags = XIOMMU_INV_F_PASID;
	en.pasid = 5;
	en.addr = en.size = 0;
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.widened, 1);
	/* config and device TLB of the vdev */
	en.cache = XIOMMU_CACHE_CONFIG;
	en.flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV;
	en.vdev_id = e.vdev.id;
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_CFGI_CD | (5ull << 12) |
			 ((uint64_t)RIG_SID << 32));
	en.cache = XIOMMU_CACHE_DEVTLB;
	en.scope = XIOMMU_INV_RANGE;
	en.addr = 0x3000;
	en.size = 0x2000;	/* 0x3000..0x4fff: aligned span of 8 pages at 0 */
	inv_one(&e, &en, 1);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_ATC_INV | (1ull << 11) | (5ull << 12) |
			 ((uint64_t)RIG_SID << 32));
	assert_int_equal(e.prog.ops[0].w[1], 3);
	/* an unknown vdev: rejected with its index */
	{
		struct xiommu_inv_entry two[2] = { en, en };
		uint32_t bad;

		two[1].vdev_id = 77;
		penv_prog_reset(&e);
		assert_int_equal(e.ops->invalidate(&e.env, &e.viommu, two, 2, &e.prog, &bad),
				 -ENOENT);
		assert_int_equal(bad, 1);
	}
	penv_down(&e);
}

static void test_invalidate_raw(void **state)
{
	struct penv e;
	uint64_t cmds[5][2] = {
		{ SMMUV3_OP_TLBI_NH_VA | (0x77ull << 32) | (3ull << 48), VA },
		{ SMMUV3_OP_CFGI_CD | ((uint64_t)PENV_VSID << 32) | (2ull << 12), 1 },
		{ SMMUV3_OP_TLBI_NSNH_ALL, 0 },
		{ SMMUV3_OP_ATC_INV | ((uint64_t)PENV_VSID << 32), 52 },
		{ SMMUV3_OP_CFGI_STE | ((uint64_t)PENV_VSID << 32), 0 },
	};
	uint32_t bad;

	(void)state;
	penv_up(&e, NULL);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 4, &e.prog, &bad), 0);
	assert_int_equal(bad, 4);
	assert_int_equal(e.prog.n, 5);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_TLBI_NH_VA | (1ull << 32) | (3ull << 48));
	assert_int_equal(e.prog.ops[0].w[1], VA);
	assert_int_equal(e.prog.ops[1].w[0], SMMUV3_OP_CFGI_CD | ((uint64_t)RIG_SID << 32) |
			 (2ull << 12));
	assert_int_equal(e.prog.ops[2].w[0], SMMUV3_OP_TLBI_NH_ALL | (1ull << 32));
	assert_int_equal(e.prog.ops[3].w[0], SMMUV3_OP_ATC_INV | ((uint64_t)RIG_SID << 32));
	assert_int_equal(penv_run(&e), 0);
	/* CFGI_STE is the VMM's to emulate: rejected with its index */
	penv_prog_reset(&e);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 5, &e.prog, &bad), -EPERM);
	assert_int_equal(bad, 4);
	/* unknown vSID, reserved bits, range without RIL, ASID beyond 16 bits n/a */
	cmds[1][0] = SMMUV3_OP_CFGI_CD | (0x55ull << 32);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 2, &e.prog, &bad), -ENOENT);
	assert_int_equal(bad, 1);
	cmds[0][0] |= 1ull << 10;	/* SSec */
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 1, &e.prog, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	cmds[0][0] &= ~(1ull << 10);
	cmds[0][1] = VA | (1ull << 10);	/* TG without NUM/SCALE/TTL */
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 1, &e.prog, &bad), -EINVAL);
	e.caps.features &= ~XIOMMU_HW_RANGE_INV;
	cmds[0][0] |= 1ull << 12;	/* NUM 1, but RIL hidden: a hidden feature */
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 1, &e.prog, &bad),
			 -EOPNOTSUPP);
	/* an opcode the architecture does not define is malformed */
	cmds[0][0] = 0x7f;
	cmds[0][1] = 0;
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 1, &e.prog, &bad), -EINVAL);
	/* a defined one the guest may not issue is not its to send */
	cmds[0][0] = SMMUV3_OP_TLBI_S12_VMALL;
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 1, &e.prog, &bad), -EPERM);
	penv_down(&e);
}

static void test_msi_and_stall(void **state)
{
	struct penv e;
	struct xiommu_msi_bind m = { .argsz = sizeof(m), .giova = 0x8000000, .gdb = 0x8000000,
				     .size = 4096 };
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .code = XIOMMU_PAGE_SUCCESS };
	struct smmuv3_cd_fields f = { .asid = 4, .t0sz = 16, .gshift = 12, .stall = 1 };
	uint64_t cd[8], ctx, root, rec, w[4];
	struct xm_dma q;
	uint8_t buf[4];

	(void)state;
	penv_up(&e, NULL);
	ctx = galloc(&e.r, 4096);
	root = galloc(&e.r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&e.r.gm, ctx, 0, cd);
	/* the guest identity-maps its doorbell window */
	smmuv3_s1_map(&e.r.gm, root, 12, 16, m.giova, m.gdb, 3, SMMUV3_S1_USER);
	assert_int_equal(penv_bind(&e, XIOMMU_CONFIG_TRANSLATE, ctx, 0, 0), 0);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->msi_bind(&e.env, &e.viommu, &m, &e.prog), 0);
	assert_int_equal(e.prog.ops[0].code, XIOMMU_OP_MSI_MAP);
	assert_int_equal(penv_run(&e), 0);
	memset(&q, 0, sizeof(q));
	q.op = XIOMMU_DMA_MSI;
	q.sid = RIG_SID;
	q.iova = m.giova + 0x40;
	q.data = 0x2a;
	assert_int_equal(xh_smmuv3_ops.dma(e.r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_OK);
	assert_int_equal(xh_smmuv3_ops.msi_pop(e.r.h, &rec), 0);
	assert_int_equal(rec, (0x40ull << 32) | 0x2a);
	/* stall -> generic page request -> page_response -> RESUME retry */
	memset(&q, 0, sizeof(q));
	q.op = XIOMMU_DMA_READ;
	q.sid = RIG_SID;
	q.iova = VA;
	q.len = 4;
	q.buf = buf;
	assert_int_equal(xh_smmuv3_ops.dma(e.r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_STALLED);
	assert_int_equal(rig_event(&e.r, w), 0);
	{
		struct xiommu_fault fl;
		uint32_t psid;

		assert_int_equal(e.ops->event_decode(&e.env, SMMUV3_EVK_EVTQ, w, 4, &psid, &fl), 0);
		assert_int_equal(psid, RIG_SID);
		assert_int_equal(fl.type, XIOMMU_FAULT_PAGE_REQ);
		assert_int_equal(fl.grpid, q.stag);
		assert_true(fl.flags & XIOMMU_FAULT_F_STALL);
		pr.grpid = fl.grpid;
		pr.flags = fl.flags & (XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL);
	}
	smmuv3_s1_map(&e.r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), 0);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_RESUME | (1ull << 12) |
			 ((uint64_t)RIG_SID << 32));
	assert_int_equal(e.prog.ops[0].w[1], q.stag);
	assert_int_equal(penv_run(&e), 0);
	assert_int_equal(xh_smmuv3_ops.dma(e.r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_OK);
	penv_down(&e);
}

/* It reads the core's (1.2) members: an older core gets no ops. */
static void test_entry_minor(void **state)
{
	(void)state;
	assert_null(xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, 1));
	assert_null(xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR + 1, XIOMMU_PLUGIN_ABI_MINOR));
	assert_non_null(xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_minor),
		cmocka_unit_test(test_hw_info),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_bind_rejects),
		cmocka_unit_test(test_invalidate),
		cmocka_unit_test(test_invalidate_raw),
		cmocka_unit_test(test_msi_and_stall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
