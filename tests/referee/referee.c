// SPDX-License-Identifier: MIT
/*
 * The referee's cases: each runs on QEMU's SMMUv3 and on the model, from a
 * fresh unit, with the same host-layer calls and plugin programs; the
 * transcripts of what the DMAs did (where the bytes went or came from, every
 * event field) must be equal. Prints a table and REFEREE-RESULT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "referee.h"
#include "table.h"

#define DLEN	4u	/* bytes per DMA: QEMU records one event per 4 faulting bytes */
#define OFF	0x40u	/* every DMA lands this far into its page */

static uint64_t cand_pa(unsigned int k)
{
	return XR_GRAM_PA + 0x10000ull * (k + 1);
}

static uint64_t cand_gpa(unsigned int k)
{
	return XR_DATA_GPA + 0x10000ull * k;
}

/* ---- stage-1 helpers --------------------------------------------------- */

struct s1 {
	unsigned int g, t0sz;
	uint64_t root, cd_table, cd[8];
	uint16_t asid;
};

static uint64_t map_out(const struct xr_side *s, uint64_t gpa)
{
	/* stage-1 output: the IPA, or with stage 1 alone the PA guest RAM sits at */
	return s->gpa_is_pa ? XR_GRAM_PA + (gpa - XR_GRAM_GPA) : gpa;
}

/*
 * A stage-1 leaf. Unprivileged access is allowed (AP[1] = 1) unless @attrs
 * says SMMUV3_S1_EL1: edu's DMAs are unprivileged, and Linux's io-pgtable
 * sets AP[1] on every IOMMU mapping for that reason.
 */
#define SMMUV3_S1_EL1	(1u << 31)
static int s1_map(struct xr_side *s, struct s1 *t, uint64_t va, uint64_t gpa, unsigned int lvl,
		  uint32_t attrs)
{
	uint32_t a = (attrs & SMMUV3_S1_EL1) ? attrs & ~SMMUV3_S1_EL1 : attrs | SMMUV3_S1_USER;

	a |= SMMUV3_S1_NG;	/* ASID-tagged, as Linux's stage-1 io-pgtable maps */
	int ret = smmuv3_s1_map(&s->gm, t->root, t->g, t->t0sz, va, map_out(s, gpa), lvl, a);

	if (ret)
		xr_log(s, "  s1_map 0x%llx failed: %d\n", (unsigned long long)va, ret);
	return ret;
}

/* A CD table of one CD over a fresh stage-1 table; the window mapped. */
static void s1_new(struct xr_side *s, struct s1 *t, unsigned int g, uint16_t asid)
{
	struct smmuv3_cd_fields f = { .asid = asid, .t0sz = 16, .gshift = (uint8_t)g,
				      .ips_bits = 44 };

	t->g = g;
	t->t0sz = 16;
	t->asid = asid;
	t->root = xr_galloc(s, 1ull << g);
	t->cd_table = xr_galloc(s, 4096);
	f.ttb0 = t->root;
	smmuv3_cd_encode(&f, t->cd);
	smmuv3_cd_write(&s->gm, t->cd_table, 0, t->cd);
	s1_map(s, t, XR_WIN, XR_WIN, 3, 0);
}

/* Stage 1 only: an STE written by hand (the host layer lets no domain escape stage 2). */
static int ste_s1(struct xr_side *s, const struct s1 *t)
{
	uint64_t ste[8] = { 0 };

	ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S1, SMMUV3_STE_CONFIG) |
		 (xr_gpa2pa(s, t->cd_table) & XI_GENMASK(55, 6));
	ste[1] = SMMUV3_WPUT(1, SMMUV3_STE_S1CIR) | SMMUV3_WPUT(1, SMMUV3_STE_S1COR) |
		 SMMUV3_WPUT(3, SMMUV3_STE_S1CSH);	/* STRW 0: NS-EL1 */
	return xr_ste_raw(s, ste);
}

/* ---- the cases ----------------------------------------------------------- */

struct xcase {
	const char *name;
	unsigned int s2g;		/* the domain's stage-2 granule */
	void (*run)(struct xr_side *s, const struct xcase *c);
	unsigned int g, lvl;		/* parameters of the case */
	const char *known;		/* a KNOWN_DIFFERENCES.md entry: kept out of the count */
};

static const uint64_t *cands(void)
{
	static uint64_t c[4];
	unsigned int k;

	for (k = 0; k < 4; k++)
		c[k] = cand_pa(k) + OFF;
	return c;
}

/* Leaf size of @lvl for granule @g. */
static uint64_t lsize(unsigned int g, unsigned int lvl)
{
	return 1ull << (g + (3 - lvl) * (g - 3));
}

/* Stage 2 only (bind BYPASS): a leaf of the level asked, read and write through it. */
static void c_s2(struct xr_side *s, const struct xcase *c)
{
	uint64_t sz = lsize(c->g, c->lvl), ipa, base;
	int ret;

	if (c->lvl == 3) {
		ipa = 0x100000000ull;
		base = cand_pa(0);
	} else {	/* a block over RAM, aligned to its size */
		ipa = 0x100000000ull;
		base = XR_GRAM_PA & ~(sz - 1);
	}
	ret = xh_smmuv3_ops.s2_map(s->h, s->dom, ipa, base, sz, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	xr_log(s, "  s2_map %d\n", ret);
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, NULL);
	xr_expect(s, xr_dma(s, 1, ipa + (cand_pa(0) - base) + OFF, DLEN, cands(), 2), 0, "write");
	xr_expect(s, xr_dma(s, 0, ipa + (cand_pa(0) - base) + OFF, DLEN, cands(), 2), 0, "read");
	/* the guest RAM mapping too: IPA = GPA */
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), 1, "guest RAM");
}

/*
 * Stage-2 faults: unmapped IPA, then a read-only page: a write before any
 * read, a read, and (with @lvl) a write again once the read's translation
 * may be cached.
 */
static void c_s2_fault(struct xr_side *s, const struct xcase *c)
{
	xh_smmuv3_ops.s2_map(s->h, s->dom, 0x100000000ull, cand_pa(2), 1ull << s->desc.granule_shift,
			     XIOMMU_MAP_READ);
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, NULL);
	xr_expect(s, xr_dma(s, 0, 0x200000000ull + OFF, DLEN, cands(), 3), -1, "unmapped");
	xr_expect(s, xr_dma(s, 1, 0x200000000ull + OFF, DLEN, cands(), 3), -1, "unmapped");
	xr_expect(s, xr_dma(s, 1, 0x100000000ull + OFF, DLEN, cands(), 3), -1, "read-only");
	xr_expect(s, xr_dma(s, 0, 0x100000000ull + OFF, DLEN, cands(), 3), 2, "read-only read");
	if (c->lvl)
		xr_expect(s, xr_dma(s, 1, 0x100000000ull + OFF, DLEN, cands(), 3), -1, "read-only");
}

/* An 8-byte read of an unmapped IPA: one event, or one per 4 bytes. */
static void c_fault_len(struct xr_side *s, const struct xcase *c)
{
	(void)c;
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, NULL);
	xr_dma(s, 0, 0x200000000ull + OFF, 8, cands(), 1);
}

/*
 * The queue straight from the hardware ops: an entry the unit must refuse
 * (CERROR_ILL) between two legal ones. submit stops at its index; the
 * queue then goes on, and a DMA after it still translates.
 */
static void c_cmdq_error(struct xr_side *s, const struct xcase *c)
{
	const struct xm_hw_ops *hw = &xm_smmuv3_hw;
	void *u = xh_smmuv3_ops.hw(s->h);
	uint64_t cmds[3][XM_CMD_WORDS] = { { 0 } };
	uint32_t done = 99;
	int ret;

	(void)c;
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, NULL);
	cmds[0][0] = SMMUV3_OP_TLBI_NH_ALL | SMMUV3_WPUT(s->desc.tag, SMMUV3_CMD_VMID);
	cmds[1][0] = c->lvl ? 0x7f : SMMUV3_OP_TLBI_NH_ALL | XI_BIT(12);	/* unknown op / RES0 set */
	smmuv3_cmd_sync(cmds[2]);
	ret = hw->submit(u, (const uint64_t (*)[XM_CMD_WORDS])cmds, 3, &done);
	xr_log(s, "  submit %d done %u\n", ret, done);
	ret = hw->submit(u, (const uint64_t (*)[XM_CMD_WORDS])&cmds[2], 1, &done);
	xr_log(s, "  submit %d done %u\n", ret, done);
	xr_dma(s, 1, cand_gpa(0) + OFF, DLEN, cands(), 1);
}

/* Stage 1 (alone or nested): a leaf of the level asked over candidate 0. */
static void s1_leaf_case(struct xr_side *s, const struct xcase *c, int nested)
{
	struct s1 t;
	uint64_t sz = lsize(c->g, c->lvl), va = 0x4000000000ull, out;

	s->gpa_is_pa = !nested;
	s->gnext = (nested ? XR_GRAM_GPA : XR_GRAM_PA) + (16ull << 20);
	s1_new(s, &t, c->g, 7);
	/* the output, aligned to the leaf: a page is candidate 0, a block covers guest RAM */
	out = c->lvl == 3 ? cand_gpa(0) : XR_GRAM_GPA & ~(sz - 1);
	if (!nested && c->lvl != 3)
		out = XR_GRAM_PA & ~(sz - 1);
	if (nested || c->lvl == 3)
		s1_map(s, &t, va, out, c->lvl, 0);
	else	/* stage 1 only, a block: output is a PA already */
		smmuv3_s1_map(&s->gm, t.root, t.g, t.t0sz, va, out, c->lvl,
			      SMMUV3_S1_USER | SMMUV3_S1_NG);
	if (nested)
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	else
		ste_s1(s, &t);
	va += (c->lvl == 3 ? 0 : (nested ? cand_gpa(0) : cand_pa(0)) - out) + OFF;
	xr_expect(s, xr_dma(s, 1, va, DLEN, cands(), 2), 0, "write");
	xr_expect(s, xr_dma(s, 0, va, DLEN, cands(), 2), 0, "read");
}

static void c_s1(struct xr_side *s, const struct xcase *c)
{
	s1_leaf_case(s, c, 0);
}

static void c_nested(struct xr_side *s, const struct xcase *c)
{
	s1_leaf_case(s, c, 1);
}

/* Stage-1 faults: unmapped VA, write to read-only, access flag clear. */
static void c_s1_fault(struct xr_side *s, const struct xcase *c)
{
	struct s1 t;
	int nested = c->lvl;	/* lvl doubles as "nested" here */

	s->gpa_is_pa = !nested;
	s->gnext = (nested ? XR_GRAM_GPA : XR_GRAM_PA) + (16ull << 20);
	s1_new(s, &t, c->g, 9);
	s1_map(s, &t, 0x10000000ull, cand_gpa(0), 3, SMMUV3_S1_READONLY);
	s1_map(s, &t, 0x20000000ull, cand_gpa(1), 3, SMMUV3_S1_NO_AF);
	if (nested)
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	else
		ste_s1(s, &t);
	xr_expect(s, xr_dma(s, 0, 0x30000000ull + OFF, DLEN, cands(), 2), -1, "unmapped");
	xr_expect(s, xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 2), 0, "read-only read");
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), -1, "read-only");
	xr_expect(s, xr_dma(s, 1, 0x20000000ull + OFF, DLEN, cands(), 2), -1, "AF clear");
}

/* A page only EL1 may access: the unprivileged DMA takes a permission fault. */
static void c_s1_el1(struct xr_side *s, const struct xcase *c)
{
	struct s1 t;

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	s1_new(s, &t, c->g, 10);
	s1_map(s, &t, 0x10000000ull, cand_gpa(0), 3, SMMUV3_S1_EL1);
	xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 1);
	xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 1);
}

/* Nested: stage 1 outputs an IPA stage 2 does not map; then a walk through one. */
static void c_nested_s2_fault(struct xr_side *s, const struct xcase *c)
{
	struct s1 t;

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	s1_new(s, &t, c->g, 11);
	if (!c->lvl) {	/* the output address */
		s1_map(s, &t, 0x10000000ull, 0x200000000ull, 3, 0);
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
		xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 1);
		xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 1);
	} else if (c->lvl == 2) {	/* the CD table at an IPA stage 2 does not map */
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, 0x200000000ull, NULL);
		xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 1);
	} else {	/* a stage-1 table at an IPA stage 2 does not map */
		uint64_t cd[8];

		memcpy(cd, t.cd, sizeof(cd));
		cd[1] = 0x200000000ull;
		smmuv3_cd_write(&s->gm, t.cd_table, 0, cd);
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
		xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 1);
	}
}

/* Remap a stage-1 page: stale until TLBI_NH_VA (the plugin's range invalidation). */
static void c_remap_s1(struct xr_side *s, const struct xcase *c)
{
	struct s1 t;
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_LEAF, .tag = 5 };

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	s1_new(s, &t, c->g, 5);
	s1_map(s, &t, 0x10000000ull, cand_gpa(0), 3, 0);
	xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2);
	smmuv3_s1_unmap(&s->gm, t.root, t.g, t.t0sz, 0x10000000ull);
	s1_map(s, &t, 0x10000000ull, cand_gpa(1), 3, 0);
	e.addr = 0x10000000ull;
	e.size = 1ull << c->g;
	xr_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), 1, "after TLBI_NH_VA");
	/* a whole-ASID invalidation after the next remap */
	smmuv3_s1_unmap(&s->gm, t.root, t.g, t.t0sz, 0x10000000ull);
	s1_map(s, &t, 0x10000000ull, cand_gpa(2), 3, 0);
	e.scope = XIOMMU_INV_TAG;
	e.flags = XIOMMU_INV_F_TAG;
	e.addr = e.size = 0;
	xr_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 3), 2, "after TLBI_NH_ASID");
}

/* Remap through stage 2: the host layer's unmap sends TLBI_S2_IPA + TLBI_NH_ALL. */
static void c_remap_s2(struct xr_side *s, const struct xcase *c)
{
	struct s1 t;
	uint64_t ipa = 0x100000000ull, gs = 1ull << s->desc.granule_shift;

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	xh_smmuv3_ops.s2_map(s->h, s->dom, ipa, cand_pa(0), gs, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	if (c->lvl) {	/* nested */
		s1_new(s, &t, c->g, 6);
		s1_map(s, &t, 0x10000000ull, ipa, 3, 0);
		xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	} else {
		xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, NULL);
	}
	xr_dma(s, 1, (c->lvl ? 0x10000000ull : ipa) + OFF, DLEN, cands(), 2);
	xr_log(s, "  s2_unmap %d\n", xh_smmuv3_ops.s2_unmap(s->h, s->dom, ipa, gs));
	xr_expect(s, xr_dma(s, 1, (c->lvl ? 0x10000000ull : ipa) + OFF, DLEN, cands(), 2), -1,
		  "after the host's stage-2 unmap");
	xh_smmuv3_ops.s2_map(s->h, s->dom, ipa, cand_pa(1), gs, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	xr_expect(s, xr_dma(s, 1, (c->lvl ? 0x10000000ull : ipa) + OFF, DLEN, cands(), 2), 1,
		  "after the remap");
}

/* A new CD (other table, other ASID): fresh after CFGI_CD from a CONFIG invalidation. */
static void c_cd_change(struct xr_side *s, const struct xcase *c)
{
	struct s1 t, u;
	struct xiommu_inv_entry e[2] = {
		{ .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL, .flags = XIOMMU_INV_F_VDEV,
		  .vdev_id = XR_VDEV },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_TAG, .flags = XIOMMU_INV_F_TAG,
		  .tag = 3 },
	};

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	s1_new(s, &t, c->g, 3);
	s1_new(s, &u, c->g, 4);
	s1_map(s, &t, 0x10000000ull, cand_gpa(0), 3, 0);
	s1_map(s, &u, 0x10000000ull, cand_gpa(1), 3, 0);
	xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, NULL);
	xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2);
	smmuv3_cd_write(&s->gm, t.cd_table, 0, u.cd);
	xr_inv(s, e, 2);
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), 1, "after CFGI_CD");
}

/*
 * Hitless STE changes through the plugin's programs, a DMA after every
 * step: abort -> stage 2 -> nested -> nested (other CD table) -> stage 2
 * -> abort. IOVA X is candidate 1's GPA: stage 2 alone lands it there,
 * nested on candidate 0, or 2 through the second CD table.
 */
static void hitless_dma(struct xr_side *s, uint32_t step)
{
	xr_log(s, "  step %u\n", step);
	xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 3);
}

/* The last step of a bind leaves the new configuration: where X lands then. */
static void hitless_end(struct xr_side *s, int want, const char *why)
{
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 3), want, why);
}

static void c_hitless(struct xr_side *s, const struct xcase *c)
{
	struct s1 t, u;

	s->gnext = XR_GRAM_GPA + (16ull << 20);
	s1_new(s, &t, c->g, 8);
	s1_new(s, &u, c->g, 12);
	s1_map(s, &t, cand_gpa(1), cand_gpa(0), 3, 0);
	s1_map(s, &u, cand_gpa(1), cand_gpa(2), 3, 0);
	hitless_dma(s, 99);
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, hitless_dma);
	hitless_end(s, 1, "stage 2 only");
	xr_bind(s, XIOMMU_CONFIG_TRANSLATE, t.cd_table, hitless_dma);
	hitless_end(s, 0, "nested");
	/* another CD table: S1ContextPtr changes under a live nested STE */
	xr_bind(s, XIOMMU_CONFIG_TRANSLATE, u.cd_table, hitless_dma);
	hitless_end(s, 2, "nested, second CD table");
	xr_bind(s, XIOMMU_CONFIG_BYPASS, 0, hitless_dma);
	hitless_end(s, 1, "stage 2 only again");
	xr_bind(s, XIOMMU_CONFIG_ABORT, 0, hitless_dma);
	hitless_end(s, -1, "abort");
}

#define K "KNOWN_DIFFERENCES.md"
static const struct xcase cases[] = {
	{ "s2 4K page L3", 12, c_s2, 12, 3, NULL },
	{ "s2 4K block L2 (2M)", 12, c_s2, 12, 2, NULL },
	{ "s2 4K block L1 (1G)", 12, c_s2, 12, 1, NULL },
	{ "s2 64K page L3", 16, c_s2, 16, 3, NULL },
	{ "s2 64K block L2 (512M)", 16, c_s2, 16, 2, NULL },
	{ "s2 16K page L3", 14, c_s2, 14, 3, NULL },
	{ "s2 16K block L2 (32M)", 14, c_s2, 14, 2, NULL },
	{ "s2 4K faults", 12, c_s2_fault, 12, 0, NULL },
	{ "s2 64K faults", 16, c_s2_fault, 16, 0, NULL },
	{ "s2 RO write after a cached read", 12, c_s2_fault, 12, 1, K " #5 (no event)" },
	{ "s2 fault of an 8-byte DMA", 12, c_fault_len, 12, 0, K " #2 (N/4 events)" },
	{ "CMDQ illegal opcode", 12, c_cmdq_error, 12, 1, NULL },
	{ "CMDQ reserved bit set", 12, c_cmdq_error, 12, 0, K " (RES0 check: either, SMMU 4.1.5)" },
	{ "s1 4K page L3", 12, c_s1, 12, 3, NULL },
	{ "s1 4K block L2 (2M)", 12, c_s1, 12, 2, NULL },
	{ "s1 4K block L1 (1G)", 12, c_s1, 12, 1, NULL },
	{ "s1 64K page L3", 12, c_s1, 16, 3, NULL },
	{ "s1 64K block L2 (512M)", 12, c_s1, 16, 2, NULL },
	{ "s1 16K page L3", 12, c_s1, 14, 3, NULL },
	{ "s1 16K block L2 (32M)", 12, c_s1, 14, 2, NULL },
	{ "s1 4K faults", 12, c_s1_fault, 12, 0, NULL },
	{ "s1 64K faults", 12, c_s1_fault, 16, 0, NULL },
	{ "nested 4K/4K page L3", 12, c_nested, 12, 3, NULL },
	{ "nested 4K/4K block L2", 12, c_nested, 12, 2, NULL },
	{ "nested 4K/4K block L1", 12, c_nested, 12, 1, NULL },
	{ "nested 64K/64K page L3", 16, c_nested, 16, 3, NULL },
	{ "nested 64K/64K block L2", 16, c_nested, 16, 2, NULL },
	{ "nested 16K/16K page L3", 14, c_nested, 14, 3, NULL },
	{ "nested 16K/16K block L2", 14, c_nested, 14, 2, NULL },
	{ "nested 4K/64K page L3", 16, c_nested, 12, 3, NULL },
	{ "nested 64K/4K page L3", 12, c_nested, 16, 3, NULL },
	{ "nested s1 faults 4K", 12, c_s1_fault, 12, 1, NULL },
	{ "nested s1 faults 64K", 16, c_s1_fault, 16, 1, NULL },
	{ "nested s2 fault on output 4K", 12, c_nested_s2_fault, 12, 0, NULL },
	{ "nested s2 fault on output 64K", 16, c_nested_s2_fault, 16, 0, NULL },
	{ "nested s2 fault in s1 walk", 12, c_nested_s2_fault, 12, 1, K " #1 (RnW)" },
	{ "nested s2 fault on CD fetch", 12, c_nested_s2_fault, 12, 2, K " #1 (RnW)" },
	{ "nested s1 EL1-only page", 12, c_s1_el1, 12, 0, K " #4 (AP[1] ignored)" },
	{ "remap s1 + TLBI 4K", 12, c_remap_s1, 12, 0, NULL },
	{ "remap s1 + TLBI 64K", 16, c_remap_s1, 16, 0, NULL },
	{ "remap s2 + host TLBI 4K", 12, c_remap_s2, 12, 0, NULL },
	{ "remap s2 + host TLBI 64K", 16, c_remap_s2, 16, 0, NULL },
	{ "remap s2 nested + host TLBI", 12, c_remap_s2, 12, 1, NULL },
	{ "CD change + CFGI_CD", 12, c_cd_change, 12, 0, NULL },
	{ "hitless STE 4K", 12, c_hitless, 12, 0, NULL },
	{ "hitless STE 64K", 16, c_hitless, 16, 0, NULL },
};

static void run_side(struct xr_side *s, const char *name, const struct xm_hw_ops *hw,
		     uint8_t *ram, const struct xcase *c)
{
	if (xr_side_ready(s, xr_side_up(s, name, hw, ram, c->s2g)))
		c->run(s, c);
	xr_side_down(s);
}

int main(int argc, char **argv)
{
	static struct xr_side q, m;
	unsigned int i, verbose = argc > 1;
	uint8_t *qram = NULL, *mram = calloc(1, XR_RAM_SIZE);
	struct xr_tally tally = { 0 };
	char err[256];
	double t0 = xr_now_s(), t;

	(void)argv;
	if (!mram || xr_qemu_open(&qram, err, sizeof(err))) {
		printf("REFEREE-ERROR %s\n", mram ? err : "out of memory");
		return 1;
	}
	printf("REFEREE-BEGIN smmuv3 cases=%zu\n", XM_ARRAY_SIZE(cases));
	xr_table_head("events");
	for (i = 0; i < XM_ARRAY_SIZE(cases); i++) {
		const struct xcase *c = &cases[i];
		int same;

		t = xr_now_s();
		run_side(&q, "qemu", &xr_qemu_hw, qram, c);
		run_side(&m, "model", &xm_smmuv3_model_hw, mram, c);
		same = xr_logs_equal(&q, &m) && !q.failed && !m.failed;
		xr_table_row(&tally, c->name, &q, &m, same, c->known, t, verbose);
	}
	printf("qemu events with IPA[11:0] set: %u (" K " #3)\n", xr_ipa_low_bits);
	return xr_table_end(&tally, "smmuv3", XM_ARRAY_SIZE(cases), t0);
}
