// SPDX-License-Identifier: MIT
/*
 * Hardware info and translation: a unit reports sane capabilities, and a
 * guest stage 1 nested over the host stage 2 translates at every page size
 * and walk depth the unit offers.
 */
#include <string.h>
#include "cf.h"

static int hw_info_sane(struct cf *t)
{
	const struct xiommu_hw_info *h = &t->hw;
	uint8_t raw[64];
	struct xiommu_hw_info again = { .argsz = sizeof(again), .unit = t->unit,
					.raw_len = sizeof(raw), .raw_ptr = XIOMMU_PTR(raw) };

	CF_TRUE("vendor is SMMUv3 or VT-d", h->vendor == XIOMMU_VENDOR_SMMUV3 ||
		h->vendor == XIOMMU_VENDOR_VTD || h->vendor == XIOMMU_VENDOR_TEST);
	CF_EQ("unknown feature bits", h->features & ~XIOMMU_HW_ALL, 0);
	CF_TRUE("nesting offered", h->features & XIOMMU_HW_NESTING);
	CF_EQ("exactly one of BIND_TABLE and BIND_PASID",
	      !!(h->features & XIOMMU_HW_BIND_TABLE) + !!(h->features & XIOMMU_HW_BIND_PASID), 1);
	CF_TRUE("PRI needs ATS", !(h->features & XIOMMU_HW_PRI) || (h->features & XIOMMU_HW_ATS));
	CF_TRUE("pasid_bits 1..20 with PASID, else 0", (h->features & XIOMMU_HW_PASID) ?
		h->pasid_bits >= 1 && h->pasid_bits <= 20 : h->pasid_bits == 0);
	CF_TRUE("s1_ias 32..57", h->s1_ias >= 32 && h->s1_ias <= 57);
	CF_TRUE("s2 oas >= s2 ias >= 32", h->s2_ias >= 32 && h->s2_oas >= h->s2_ias);
	CF_TRUE("s1_oas <= s2_ias (stage 1 outputs stage-2 inputs)", h->s1_oas <= h->s2_ias);
	CF_TRUE("4 KiB granule at stage 1", h->s1_granules & XIOMMU_GRANULE_4K);
	CF_TRUE("4 KiB leaf at stage 1 and 2", (h->s1_pgsizes & 4096) && (h->s2_pgsizes & 4096));
	CF_TRUE("sid_bits 1..32", h->sid_bits >= 1 && h->sid_bits <= 32);
	CF_TRUE("names set", h->vendor_name[0] && h->unit_name[0] && h->backend[0]);
	CF_OK("hw_info with raw registers", xiommu_hw_info(t->ctx, &again));
	CF_EQ("raw length of the raw type", again.raw_len,
	      again.raw_type == XIOMMU_RAW_SMMUV3 ? 32 : again.raw_type == XIOMMU_RAW_VTD ? 16 :
	      again.raw_len);
	CF_EQ("same features twice", again.features, h->features);
	return CF_PASS;
}

/* Map one leaf of 2^@shift at CF_IOVA and reach it by DMA at an offset inside. */
static int translate_size(struct cf *t, uint32_t shift, uint8_t ias)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v, gpa = shift == 12 ? cf_page(3) : CF_GPA;
	uint64_t off = shift == 12 ? 0 : 0x201000 & ((1ull << shift) - 1);
	uint64_t iova = ias > 48 ? 0x80000000000000ull | CF_IOVA : CF_IOVA;

	CF_OK("attach", cf_attach(t, t->viommu, 0, &d));
	CF_OK("stage-1 table", cf_space(t, &t->g, &s1, CF_TAG, ias));
	CF_EQ("levels", s1.levels, ias > 48 ? 5 : 4);
	CF_OK("map", cf_map(t, &t->g, &s1, iova, gpa, shift, XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("bind", cf_bind(t, &t->g, d, CF_PASID, &s1));
	CF_STATUS("read status", cf_read(t, d, CF_PASID, iova + off, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("read reaches the page", v, gpa + off);
	CF_STATUS("write status", cf_write(t, d, CF_PASID, iova + off + 8, 0, 0x5a5a), XIOMMU_DMA_OK);
	CF_EQ("write lands in guest RAM", cf_peek(t, gpa + off + 8), 0x5a5a);
	CF_STATUS("again, from the TLB", cf_read(t, d, CF_PASID, iova + off, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("TLB hit reaches the page", v, gpa + off);
	return CF_PASS;
}

static int translate_4k(struct cf *t)
{
	return translate_size(t, 12, 0);
}

static int translate_2m(struct cf *t)
{
	if (!(t->hw.s1_pgsizes & (1ull << 21)))
		return cf_skip(t, "2M stage-1 pages");
	return translate_size(t, 21, 0);
}

static int translate_1g(struct cf *t)
{
	if (!(t->hw.s1_pgsizes & (1ull << 30)))
		return cf_skip(t, "1G stage-1 pages");
	return translate_size(t, 30, 0);
}

static int translate_5level(struct cf *t)
{
	if (t->hw.s1_ias < 57)
		return cf_skip(t, "5-level stage 1");
	return translate_size(t, 12, 57);
}

/* Many pages of one table, each reaching its own GPA; the rest unmapped. */
static int translate_many(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;
	uint32_t i;

	CF_OK("attach", cf_attach(t, t->viommu, 0, &d));
	CF_OK("stage-1 table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	for (i = 0; i < 64; i++)	/* scattered: page i -> data page 63 - i */
		CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA + i * 0x201000ull, cf_page(63 - i), 12,
				    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("bind", cf_bind(t, &t->g, d, CF_PASID, &s1));
	for (i = 0; i < 64; i++) {
		CF_EQ("status", cf_read(t, d, CF_PASID, CF_IOVA + i * 0x201000ull, 0, &v),
		      XIOMMU_DMA_OK);
		CF_EQ("page", v, cf_page(63 - i));
	}
	CF_STATUS("a hole faults", cf_read(t, d, CF_PASID, CF_IOVA + 0x1000, 0, &v), XIOMMU_DMA_FAULT);
	return CF_PASS;
}

/* Two PASIDs of one device through two tables: no aliasing. */
static int translate_two_pasids(struct cf *t)
{
	struct xiommu_guest_s1 a, b;
	struct cf_dev *d;
	uint64_t v;

	CF_NEED(XIOMMU_HW_PASID, "PASID");
	CF_BASIC(0, &d, &a);
	CF_OK("second table", cf_space(t, &t->g, &b, CF_TAG + 1, 0));
	CF_OK("map", cf_map(t, &t->g, &b, CF_IOVA, cf_page(2), 12,
			    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("bind PASID 2", cf_bind(t, &t->g, d, 2, &b));
	CF_STATUS("PASID 1 status", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("PASID 1 page", v, cf_page(1));
	CF_STATUS("PASID 2 status", cf_read(t, d, 2, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("PASID 2 page", v, cf_page(2));
	CF_STATUS("PASID 1 again", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("PASID 1 page again", v, cf_page(1));
	CF_STATUS("unbound PASID 3 faults", cf_read(t, d, 3, CF_IOVA, 0, &v), XIOMMU_DMA_FAULT);
	return CF_PASS;
}

/* The guest-format calls the suite stands on refuse what they cannot build. */
static int guest_codec(struct cf *t)
{
	struct xiommu_guest bad = t->g, tiny = t->g;
	struct xiommu_guest_s1 s1;
	struct xiommu_inv_entry e = { .cache = 9, .scope = XIOMMU_INV_ALL };
	struct xiommu_invalidate inv;
	uint64_t buf[8];

	CF_OK("table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	CF_ERR("page size 2^13", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(1), 13,
					XIOMMU_PERM_READ), -EINVAL);
	CF_ERR("unaligned IOVA", cf_map(t, &t->g, &s1, CF_IOVA + 0x800, cf_page(1), 12,
					XIOMMU_PERM_READ), -EINVAL);
	CF_ERR("unknown permission bit", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(1), 12, 1u << 9),
	       -EINVAL);
	CF_ERR("unmap of nothing", cf_unmap(t, &t->g, &s1, CF_IOVA + 0x7000), -ENOENT);
	bad.pool_next += 8;
	CF_ERR("misaligned pool", xiommu_guest_s1_alloc(t->ctx, &bad, &s1), -EINVAL);
	bad = t->g;
	bad.viommu_id = 0xffff;
	CF_ERR("unknown viommu", xiommu_guest_s1_alloc(t->ctx, &bad, &s1), -ENOENT);
	tiny.pool_end = tiny.pool_next;
	CF_ERR("empty pool", xiommu_guest_s1_alloc(t->ctx, &tiny, &s1), -ENOMEM);
	CF_TRUE("a message names the pool", strstr(xiommu_last_error(t->ctx), "pool") != NULL);
	CF_TRUE("bad cache refused", xiommu_guest_inv_encode(t->ctx, t->viommu, &e, buf,
							      sizeof(buf), &inv) < 0);
	e = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL };
	CF_ERR("no room for one command", xiommu_guest_inv_encode(t->ctx, t->viommu, &e, buf, 8,
								  &inv), -ENOSPC);
	CF_OK("encode", xiommu_guest_inv_encode(t->ctx, t->viommu, &e, buf, sizeof(buf), &inv));
	CF_TRUE("one raw command of 16 or 32 bytes", inv.entry_num == 1 &&
		(inv.entry_len == 16 || inv.entry_len == 32));
	CF_EQ("ready for the viommu", inv.viommu_id, t->viommu);
	CF_OK("and accepted by it", xiommu_invalidate(t->ctx, &inv));
	return CF_PASS;
}

const struct cf_scenario cf_sc_codec = { "guest-codec",
	"the vendor's guest-format calls refuse what they cannot build", guest_codec };
const struct cf_scenario cf_sc_hw_info = { "hw-info", "hardware info is consistent", hw_info_sane };
const struct cf_scenario cf_sc_4k = { "translate-4k", "4 KiB stage-1 leaf, nested", translate_4k };
const struct cf_scenario cf_sc_2m = { "translate-2m", "2 MiB stage-1 leaf, nested", translate_2m };
const struct cf_scenario cf_sc_1g = { "translate-1g", "1 GiB stage-1 leaf, nested", translate_1g };
const struct cf_scenario cf_sc_5l = { "translate-5level", "57-bit, 5-level stage 1",
				      translate_5level };
const struct cf_scenario cf_sc_many = { "translate-many", "64 scattered pages of one table",
					translate_many };
const struct cf_scenario cf_sc_2pasid = { "translate-pasids", "two PASIDs, two tables, no aliasing",
					  translate_two_pasids };
