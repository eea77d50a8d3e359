// SPDX-License-Identifier: MIT
/*
 * Invalidation: for every granularity, a guest that changes its stage-1
 * table sees the old translation until it invalidates (stale before) and
 * the new one after (fresh after) — with generic entries, and with the
 * vendor's raw guest commands for the same thing.
 */
#include <string.h>
#include "cf.h"

#define IOTLB(sc, fl, a, sz) { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_##sc, \
				  .flags = (fl), .pasid = CF_PASID, .tag = CF_TAG, .addr = (a), \
				  .size = (sz) }

static int stale_fresh(struct cf *t, struct xiommu_inv_entry e, int raw)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	if (!(e.flags & XIOMMU_INV_F_PASID))
		e.pasid = 0;
	if (!(e.flags & XIOMMU_INV_F_TAG) && !raw)
		e.tag = 0;	/* raw commands name the tag whatever the scope */
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("warm page", v, cf_page(1));
	CF_OK("guest remaps", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(5), 12,
				     XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_STATUS("before", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("stale before the invalidation", v, cf_page(1));
	if (raw)
		CF_OK("raw guest commands", cf_inv_raw(t, t->viommu, &e));
	else
		CF_OK("generic invalidation", cf_inv(t, t->viommu, &e, 1));
	CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh after the invalidation", v, cf_page(5));
	return CF_PASS;
}

#define SF(name, raw, sc, fl, a, sz) \
	static int name(struct cf *t) \
	{ \
		return stale_fresh(t, (struct xiommu_inv_entry)IOTLB(sc, fl, a, sz), raw); \
	}
SF(inv_all, 0, ALL, 0, 0, 0)
SF(inv_pasid, 0, PASID, XIOMMU_INV_F_PASID, 0, 0)
SF(inv_tag, 0, TAG, XIOMMU_INV_F_TAG, 0, 0)
SF(inv_range, 0, RANGE, 0, CF_IOVA, 4096)
SF(inv_range_tag, 0, RANGE, XIOMMU_INV_F_TAG, CF_IOVA, 4096)
SF(inv_range_pasid, 0, RANGE, XIOMMU_INV_F_PASID, CF_IOVA, 4096)
SF(inv_range_both, 0, RANGE, XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG, CF_IOVA, 4096)
SF(inv_leaf, 0, RANGE, XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF, CF_IOVA, 4096)
SF(raw_all, 1, ALL, 0, 0, 0)
SF(raw_pasid, 1, PASID, XIOMMU_INV_F_PASID, 0, 0)
SF(raw_tag, 1, TAG, XIOMMU_INV_F_TAG, 0, 0)
SF(raw_range_tag, 1, RANGE, XIOMMU_INV_F_TAG, CF_IOVA, 4096)
SF(raw_range_pasid, 1, RANGE, XIOMMU_INV_F_PASID, CF_IOVA, 4096)
SF(raw_leaf, 1, RANGE, XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF, CF_IOVA, 4096)

/* A 64-page range: every page of it fresh after one entry. */
static int inv_range_large(struct cf *t, int raw)
{
	struct xiommu_inv_entry e = IOTLB(RANGE, XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID, CF_IOVA,
					  64 * 4096);
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;
	uint32_t i;

	CF_BASIC(0, &d, &s1);
	for (i = 0; i < 64; i++) {
		CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA + i * 4096ull, cf_page(i), 12,
				    XIOMMU_PERM_READ));
		CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA + i * 4096ull, 0, &v),
			  XIOMMU_DMA_OK);
	}
	for (i = 0; i < 64; i++)
		CF_OK("remap", cf_map(t, &t->g, &s1, CF_IOVA + i * 4096ull, cf_page(100 + i), 12,
				      XIOMMU_PERM_READ));
	CF_STATUS("before", cf_read(t, d, CF_PASID, CF_IOVA + 63 * 4096ull, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("stale before", v, cf_page(63));
	if (raw)
		CF_OK("raw guest commands", cf_inv_raw(t, t->viommu, &e));
	else
		CF_OK("generic invalidation", cf_inv(t, t->viommu, &e, 1));
	for (i = 0; i < 64; i++) {
		CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA + i * 4096ull, 0, &v),
			  XIOMMU_DMA_OK);
		CF_EQ("fresh after", v, cf_page(100 + i));
	}
	return CF_PASS;
}

static int inv_range64(struct cf *t)
{
	return inv_range_large(t, 0);
}

static int raw_range64(struct cf *t)
{
	return inv_range_large(t, 1);
}

/* A removed leaf (not replaced) faults after the invalidation. */
static int inv_unmap(struct cf *t)
{
	struct xiommu_inv_entry e = IOTLB(RANGE, XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID, CF_IOVA, 4096);
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("guest unmaps", cf_unmap(t, &t->g, &s1, CF_IOVA));
	CF_STATUS("stale before", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("invalidate", cf_inv(t, t->viommu, &e, 1));
	CF_STATUS("faults after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_FAULT);
	return CF_PASS;
}

#define S(n, s, f) const struct cf_scenario cf_sc_##n = { s, "stale before, fresh after: " f, n };
S(inv_all, "inv-all", "generic IOTLB all")
S(inv_pasid, "inv-pasid", "generic IOTLB by PASID")
S(inv_tag, "inv-tag", "generic IOTLB by tag")
S(inv_range, "inv-range", "generic IOTLB range")
S(inv_range_tag, "inv-range-tag", "generic IOTLB range + tag")
S(inv_range_pasid, "inv-range-pasid", "generic IOTLB range + PASID")
S(inv_range_both, "inv-range-pasid-tag", "generic IOTLB range + PASID + tag")
S(inv_leaf, "inv-leaf", "generic IOTLB leaf range")
S(inv_range64, "inv-range-64", "generic 64-page range")
S(inv_unmap, "inv-unmap", "a removed leaf faults after")
S(raw_all, "raw-all", "raw guest flush of everything")
S(raw_pasid, "raw-pasid", "raw guest flush of a PASID")
S(raw_tag, "raw-tag", "raw guest flush of a tag")
S(raw_range_tag, "raw-range-tag", "raw guest page flush by tag")
S(raw_range_pasid, "raw-range-pasid", "raw guest page flush by PASID")
S(raw_leaf, "raw-leaf", "raw guest leaf page flush")
S(raw_range64, "raw-range-64", "raw guest 64-page flush")
