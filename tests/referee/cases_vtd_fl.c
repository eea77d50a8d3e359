// SPDX-License-Identifier: MIT
/*
 * The VT-d referee's first-level cases (QEMU with x-flts=on): a PASID entry
 * with PGTT = FL written by hand (no program may write one: the guest's
 * first level would output host-physical addresses), first-level tables
 * built with the plugin's guest-format helpers in host RAM, and the
 * plugin's invalidations through the host layer. main() is in cases_vtd.c.
 */
#include <errno.h>
#include <string.h>
#include <xiommu/diag.h>
#include "vtd.h"

#define VA	0x4000000000ull	/* first-level leaves: 256 GiB, aligned to every leaf size */

static uint64_t fl_root(struct xr_side *s)
{
	uint64_t root = vtd_guest_table(&s->fl);
	int ret = vtd_guest_fl_map(&s->fl, root, 4, XV_WIN, XV_GRAM_PA, 12, VTD_GUEST_FL_RW);

	if (ret)
		xr_log(s, "  window map failed: %d\n", ret);
	return root;
}

static void fl_map(struct xr_side *s, uint64_t root, uint64_t va, uint64_t pa, unsigned int lg,
		   uint64_t flags)
{
	int ret = vtd_guest_fl_map(&s->fl, root, 4, va, pa, lg, flags);

	if (ret)
		xr_log(s, "  fl_map 0x%llx failed: %d\n", (unsigned long long)va, ret);
}

/* A of every first-level entry that maps @va, and D of its leaf, as the unit left them. */
static void fl_ad(struct xr_side *s, uint64_t root, uint64_t va)
{
	uint64_t t = root, e = 0;
	char a[8] = "";
	int level, n = 0;

	for (level = 4; level >= 1; level--) {
		e = xr_rd64(&s->mem, t + ((va >> (12 + 9 * (level - 1))) & 511) * 8);
		a[n++] = (e & XI_BIT(VTD_FL_A)) ? '1' : '0';
		if (!(e & XI_BIT(VTD_FL_P)) || level == 1 || (e & XI_BIT(VTD_FL_PS)))
			break;
		t = e & VTD_FL_ADDR_MASK;
	}
	xr_log(s, "  entries of 0x%llx: A=%s (root first), leaf D=%llu\n", (unsigned long long)va,
	       a, (unsigned long long)XI_GET(e, VTD_FL_D, VTD_FL_D));
}

static void fl_up(struct xr_side *s, uint64_t root)
{
	int ret = xv_pe_fl(s, root);

	if (ret)
		xr_log(s, "  first-level PASID entry failed: %d\n", ret);
}

/* A leaf of 2^lg over candidate 0 (4K) or guest RAM (2M, 1G): read first, then write. */
static void c_fl_page(struct xr_side *s, const struct xcase *c)
{
	uint64_t sz = 1ull << c->lg, out, root = fl_root(s), va;

	out = c->lg == 12 ? cand_pa(0) : XV_GRAM_PA & ~(sz - 1);
	fl_map(s, root, VA, out, c->lg, VTD_GUEST_FL_RW);
	fl_up(s, root);
	va = VA + (cand_pa(0) - out) + OFF;
	xr_expect(s, xr_dma(s, 1, va, DLEN, cands(), 2), 0, "write");
	fl_ad(s, root, va);
	xr_expect(s, xr_dma(s, 0, va, DLEN, cands(), 2), 0, "read");
}

/* Not present, read-only written, supervisor-only (U/S = 0), not canonical. */
static void c_fl_fault(struct xr_side *s, const struct xcase *c)
{
	uint64_t root = fl_root(s);

	(void)c;
	fl_map(s, root, 0x10000000ull, cand_pa(0), 12, VTD_GUEST_FL_RO);
	fl_map(s, root, 0x20000000ull, cand_pa(1), 12, XI_BIT(VTD_FL_P) | XI_BIT(VTD_FL_RW));
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 0, 0x30000000ull + OFF, DLEN, cands(), 2), -1, "not present");
	xr_expect(s, xr_dma(s, 1, 0x30000000ull + OFF, DLEN, cands(), 2), -1, "not present");
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), -1, "read-only");
	xr_expect(s, xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 2), 0, "read-only read");
	xr_expect(s, xr_dma(s, 1, 0x20000000ull + OFF, DLEN, cands(), 2), -1, "supervisor only");
	xr_expect(s, xr_dma(s, 1, 0x0000800000000000ull + OFF, DLEN, cands(), 2), -1,
		  "not canonical");
}

/*
 * The plugin's BYPASS bind is a second-level-only entry (PGTT = SL), which a
 * unit without ECAP.SLTS (QEMU with x-flts=on) cannot translate: it faults
 * 0x5B. The plugin refuses the bind, and the host layer's check would
 * refuse the entry; the requester stays aborted, silently.
 */
static void c_fl_no_slts(struct xr_side *s, const struct xcase *c)
{
	int ret;

	(void)c;
	ret = xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_log(s, "  bind BYPASS %d\n", ret);
	if (!ret) {
		xr_log(s, "  EXPECTED a refusal: PGTT = SL without ECAP.SLTS\n");
		s->failed = 1;
	}
	xr_expect(s, xr_dma(s, 1, cand_gpa(0) + OFF, DLEN, cands(), 1), -1, "no SLTS");
}

/*
 * Reserved bits: PS in a PML4E (no 512 GiB pages), an address above the
 * host address width (bit 50 of the leaf, MGAW 48); and XD in a leaf, which
 * a read or write does not look at.
 */
static void c_fl_rsvd(struct xr_side *s, const struct xcase *c)
{
	uint64_t root = fl_root(s), e;

	(void)c;
	/* a PML4E with PS for 0x8000000000 (index 1) */
	e = (cand_pa(0) & VTD_FL_ADDR_MASK) | VTD_GUEST_FL_RW | XI_BIT(VTD_FL_PS);
	xr_wr64(&s->mem, root + 8, e);
	fl_map(s, root, 0x10000000ull, cand_pa(0) | (1ull << 50), 12, VTD_GUEST_FL_RW);
	fl_map(s, root, 0x20000000ull, cand_pa(1), 12, VTD_GUEST_FL_RW | XI_BIT(VTD_FL_XD));
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 1, 0x8000000000ull + OFF, DLEN, cands(), 2), -1, "PS in a PML4E");
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), -1, "above MGAW");
	xr_expect(s, xr_dma(s, 1, 0x20000000ull + OFF, DLEN, cands(), 2), 1, "XD, a write");
	xr_expect(s, xr_dma(s, 0, 0x20000000ull + OFF, DLEN, cands(), 2), 1, "XD, a read");
}

/*
 * Permissions of a non-leaf entry: U/S clear in one PML4E, R/W clear in
 * another; the leaves below grant both. A first-level translation ANDs
 * them over every level (FORMATS.md B.4).
 */
static void c_fl_upper(struct xr_side *s, const struct xcase *c)
{
	uint64_t root = fl_root(s), us = 2ull << 39, rw = 3ull << 39;

	(void)c;
	fl_map(s, root, us, cand_pa(0), 12, VTD_GUEST_FL_RW);
	fl_map(s, root, rw, cand_pa(1), 12, VTD_GUEST_FL_RW);
	xr_wr64(&s->mem, root + 2 * 8, xr_rd64(&s->mem, root + 2 * 8) & ~XI_BIT(VTD_FL_US));
	xr_wr64(&s->mem, root + 3 * 8, xr_rd64(&s->mem, root + 3 * 8) & ~XI_BIT(VTD_FL_RW));
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 0, us + OFF, DLEN, cands(), 2), -1, "U/S clear above");
	/* the write first: after a read, QEMU drops it without a record (VT-d #3) */
	xr_expect(s, xr_dma(s, 1, rw + OFF, DLEN, cands(), 2), -1, "R/W clear above, a write");
	xr_expect(s, xr_dma(s, 0, rw + OFF, DLEN, cands(), 2), 1, "R/W clear above, a read");
}

/* Two pages remapped, one P_IOTLB of 8 KiB (AM = 1) for both. */
static void c_fl_remap2(struct xr_side *s, const struct xcase *c)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF,
				      .addr = 0x10000000ull, .size = 8192 };
	uint64_t root = fl_root(s), va = 0x10000000ull;

	(void)c;
	fl_map(s, root, va, cand_pa(0), 12, VTD_GUEST_FL_RW);
	fl_map(s, root, va + 4096, cand_pa(1), 12, VTD_GUEST_FL_RW);
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 1, va + OFF, DLEN, cands(), 4), 0, "page 0 before");
	xr_expect(s, xr_dma(s, 1, va + 4096 + OFF, DLEN, cands(), 4), 1, "page 1 before");
	vtd_guest_fl_unmap(&s->fl, root, 4, va);
	vtd_guest_fl_unmap(&s->fl, root, 4, va + 4096);
	fl_map(s, root, va, cand_pa(2), 12, VTD_GUEST_FL_RW);
	fl_map(s, root, va + 4096, cand_pa(3), 12, VTD_GUEST_FL_RW);
	xv_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 1, va + OFF, DLEN, cands(), 4), 2, "page 0 after");
	xr_expect(s, xr_dma(s, 0, va + 4096 + OFF, DLEN, cands(), 4), 3, "page 1 after");
}

/* After a read that may have cached the translation: a write to read-only, D of a writable leaf. */
static void c_fl_cached(struct xr_side *s, const struct xcase *c)
{
	uint64_t root = fl_root(s);

	fl_map(s, root, 0x10000000ull, cand_pa(0), 12, c->arg ? VTD_GUEST_FL_RW : VTD_GUEST_FL_RO);
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 0, 0x10000000ull + OFF, DLEN, cands(), 2), 0, "read");
	fl_ad(s, root, 0x10000000ull);
	xr_expect(s, xr_dma(s, 1, 0x10000000ull + OFF, DLEN, cands(), 2), c->arg ? 0 : -1,
		  c->arg ? "write" : "read-only");
	fl_ad(s, root, 0x10000000ull);
}

/*
 * Remap a first-level leaf of 2^lg, then the plugin's invalidation: P_IOTLB
 * page-selective, P_IOTLB PASID-selective, IOTLB domain-selective; the DMA
 * after each is fresh. 4K leaves output the candidates; 2M leaves output
 * 2 MiB blocks of guest RAM, the candidates 64 KiB into each.
 */
static void c_fl_remap(struct xr_side *s, const struct xcase *c)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF, .pasid = 0 };
	uint64_t root = fl_root(s), va = 0x10000000ull, out[4], cand[4], in = 0;
	unsigned int k;

	for (k = 0; k < 4; k++) {
		out[k] = c->lg == 12 ? cand_pa(k) : XV_GRAM_PA + ((uint64_t)(k + 1) << 21);
		cand[k] = out[k] + (c->lg == 12 ? 0 : 0x10000) + OFF;
	}
	in = va + (cand[0] - out[0]);
	fl_map(s, root, va, out[0], c->lg, VTD_GUEST_FL_RW);
	fl_up(s, root);
	xr_expect(s, xr_dma(s, 1, in, DLEN, cand, 4), 0, "before the remap");
	vtd_guest_fl_unmap(&s->fl, root, 4, va);
	fl_map(s, root, va, out[1], c->lg, VTD_GUEST_FL_RW);
	e.addr = va;
	e.size = 1ull << c->lg;
	xv_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 1, in, DLEN, cand, 4), 1, "after P_IOTLB page");
	vtd_guest_fl_unmap(&s->fl, root, 4, va);
	fl_map(s, root, va, out[2], c->lg, VTD_GUEST_FL_RW);
	e.scope = XIOMMU_INV_PASID;
	e.addr = e.size = 0;
	xv_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 0, in, DLEN, cand, 4), 2, "after P_IOTLB PASID");
	vtd_guest_fl_unmap(&s->fl, root, 4, va);
	fl_map(s, root, va, out[3], c->lg, VTD_GUEST_FL_RW);
	e.scope = XIOMMU_INV_ALL;
	e.flags = 0;
	xv_inv(s, &e, 1);
	xr_expect(s, xr_dma(s, 1, in, DLEN, cand, 4), 3, "after IOTLB domain");
}

const struct xcase xv_fl_cases[] = {
	{ "fl 4K page", c_fl_page, 12, 0, NULL, 0 },
	{ "fl 2M page", c_fl_page, 21, 0, NULL, 0 },
	{ "fl 1G page", c_fl_page, 30, 0, NULL, 0 },
	{ "fl faults", c_fl_fault, 12, 0, NULL, 0 },
	{ "fl reserved bits", c_fl_rsvd, 12, 0, NULL, 0 },
	{ "fl second-level bind, no SLTS", c_fl_no_slts, 12, 0, NULL, 0 },
	{ "fl RO write after a cached read", c_fl_cached, 12, 0, K " VT-d #3 (no record)", 0 },
	{ "fl D after a cached read", c_fl_cached, 12, 1, K " VT-d #5 (D not set)", 0 },
	{ "fl U/S, R/W above the leaf", c_fl_upper, 12, 0, NULL, 0 },
	{ "fl remap 2 pages + P_IOTLB AM 1", c_fl_remap2, 12, 0, NULL, 0 },
	{ "fl remap 4K + P_IOTLB/IOTLB", c_fl_remap, 12, 0, NULL, 0 },
	{ "fl remap 2M + P_IOTLB/IOTLB", c_fl_remap, 21, 0, NULL, 0 },
};

const unsigned int xv_nfl_cases = XM_ARRAY_SIZE(xv_fl_cases);
