// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model: the device's ATC (STE.EATS = 01). A translation the SMMU
 * gave stays in the ATC after the SMMU's own TLBI and is only dropped by a
 * matching ATC_INV (SID, SSV/SSID/Global, span), by the STE turning ATS
 * off, or by the stream's detach. EATS = 0 streams never use it.
 */
#include <string.h>
#include "rig.h"

#define TR XIOMMU_DMA_TRANSLATE
#define VMIDW (1ull << 32)
#define ASID 7
#define VA	0x40000000ull
#define DATA0	(RIG_GPA + 0x10000)
#define DATA1	(RIG_GPA + 0x20000)
#define SID2	6

static uint64_t gpa2pa(struct rig *r, uint64_t gpa)
{
	return r->gram_pa + (gpa - RIG_GPA);
}

static uint64_t xlate(struct rig *r, uint64_t va)
{
	uint64_t pa = 0;

	assert_int_equal(rig_dma(r, TR, 0, RIG_SID, 0, va, &pa), XIOMMU_DMA_OK);
	return pa;
}

static int atc_count(struct rig *r, uint32_t sid)
{
	int i, n = 0;

	for (i = 0; i < SMMU_ATC_SIZE; i++)
		n += r->u->atc[i].valid && r->u->atc[i].sid == sid;
	return n;
}

/* Nested stage 1 on RIG_SID with STE.EATS = @eats, one CD (ASID). */
static uint64_t nested_eats(struct rig *r, unsigned int eats)
{
	struct smmuv3_cd_fields f = { .asid = ASID, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], ste[8], root = galloc(r, 4096), ctx = galloc(r, 4096);

	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&r->gm, ctx, 0, cd), 0);
	rig_ste_nested(r, ste, ctx, 0, 0, 0);
	ste[1] |= SMMUV3_WPUT(eats, SMMUV3_STE_EATS);
	assert_int_equal(rig_ste(r, RIG_SID, ste), 0);
	return root;
}

static void tlbi_va_sync(struct rig *r)
{
	assert_int_equal(rig_cmd(r, SMMUV3_OP_TLBI_NH_VA | VMIDW | ((uint64_t)ASID << 48), VA), 0);
	assert_int_equal(rig_cmd(r, SMMUV3_OP_CMD_SYNC, 0), 0);
}

static int atc_inv(struct rig *r, uint32_t sid, int ssv, uint32_t ssid, int global, uint64_t addr,
		   unsigned int size)
{
	uint64_t c[2];

	smmuv3_cmd_atc_inv(c, sid, ssv, ssid, global, addr, size);
	return rig_cmd(r, c[0], c[1]);
}

/*
 * VA -> DATA0 translated once (ATC and TLB filled), then VA -> DATA1 in the
 * guest table and TLBI_NH_VA + CMD_SYNC: only the ATC is stale now.
 */
static void atc_stale(struct rig *r, unsigned int eats)
{
	uint64_t root;

	rig_up(r, NULL);
	assert_int_equal(xh_smmuv3_ops.stream_attach(r->h, r->d, SID2, XIOMMU_VDEV_ATS), 0);
	root = nested_eats(r, eats);
	assert_int_equal(smmuv3_s1_map(&r->gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(xlate(r, VA), gpa2pa(r, DATA0));
	assert_int_equal(smmuv3_s1_unmap(&r->gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r->gm, root, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	tlbi_va_sync(r);
}

static void test_atc_stale_until_atc_inv(void **state)
{
	struct xm_stats a, b;
	struct rig r;

	(void)state;
	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(atc_count(&r, RIG_SID), 1);
	xh_smmuv3_ops.stats(r.h, &a);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));	/* the device's ATC hit */
	xh_smmuv3_ops.stats(r.h, &b);
	assert_int_equal(b.tlb_hits, a.tlb_hits + 1);
	assert_int_equal(b.tlb_misses, a.tlb_misses);
	assert_int_equal(b.table_reads, a.table_reads);		/* the SMMU saw nothing */
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), 0);
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
	assert_int_equal(atc_count(&r, RIG_SID), 1);		/* refilled */
	xh_smmuv3_ops.stats(r.h, &a);
	assert_true(a.table_reads > b.table_reads);		/* a real walk */
	rig_down(&r);
}

/* ATC_INV without the TLBI first: the ATC refills from the stale SMMU TLB. */
static void test_atc_inv_without_tlbi(void **state)
{
	struct rig r;
	uint64_t root;

	(void)state;
	rig_up(&r, NULL);
	root = nested_eats(&r, SMMUV3_EATS_FULL);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	tlbi_va_sync(&r);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));	/* ATC refilled stale */
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
	rig_down(&r);
}

/* @stale: what the access sees after the ATC_INV (1 = still DATA0). */
static void inv_case(uint32_t sid, int ssv, uint32_t ssid, int global, uint64_t addr,
		     unsigned int size, int stale)
{
	struct rig r;

	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(atc_inv(&r, sid, ssv, ssid, global, addr, size), 0);
	assert_int_equal(atc_count(&r, RIG_SID), stale);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, stale ? DATA0 : DATA1));
	rig_down(&r);
}

static void test_atc_inv_scope(void **state)
{
	(void)state;
	inv_case(SID2, 0, 0, 0, VA, 0, 1);			/* another SID */
	inv_case(RIG_SID, 0, 0, 0, VA + 0x1000, 0, 1);		/* next 4K page */
	inv_case(RIG_SID, 0, 0, 0, VA - 0x1000, 0, 1);		/* previous 4K page */
	inv_case(RIG_SID, 0, 0, 0, VA + 0x1000, 1, 0);		/* 8K span aligned down */
	inv_case(RIG_SID, 0, 0, 0, VA + 0x3ff000, 10, 0);	/* 4M span */
	inv_case(RIG_SID, 0, 0, 0, VA + 0x400000, 10, 1);	/* next 4M */
	inv_case(RIG_SID, 0, 0, 0, 0x123456789000ull, SMMUV3_ATC_SIZE_ALL, 0);	/* all */
	/* SSV = 1 (with or without Global) leaves entries without an SSID */
	inv_case(RIG_SID, 1, 0, 0, VA, 0, 1);
	inv_case(RIG_SID, 1, 3, 1, VA, SMMUV3_ATC_SIZE_ALL, 1);
}

/* Size 51: Addr in the top half aligned down to 0, the span [0, 2^63) holds VA. */
static void test_atc_inv_size51(void **state)
{
	struct rig r;

	(void)state;
	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, 0x7000000000000000ull, 51), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
	rig_down(&r);
}

static uint64_t xlate_pasid(struct rig *r, uint32_t pasid)
{
	uint64_t pa = 0;

	assert_int_equal(rig_dma(r, TR, XIOMMU_DMA_F_PASID, RIG_SID, pasid, VA, &pa), XIOMMU_DMA_OK);
	return pa;
}

/*
 * Substreams: CD0 (no SSID, S1DSS = SSID0), CD1, CD2 share one table; one
 * ATC entry each. SSV = 1 reaches its SSID, + Global every SSID, SSV = 0
 * everything in the span.
 */
static void test_atc_inv_ssid(void **state)
{
	struct smmuv3_cd_fields f = { .asid = ASID, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], ste[8], root, ctx;
	struct rig r;
	uint32_t i;

	(void)state;
	rig_up(&r, NULL);
	root = galloc(&r, 4096);
	ctx = galloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	for (i = 0; i < 3; i++)
		assert_int_equal(smmuv3_cd_write(&r.gm, ctx, i, cd), 0);
	rig_ste_nested(&r, ste, ctx, 0, 2, SMMUV3_S1DSS_SSID0);
	ste[1] |= SMMUV3_WPUT(SMMUV3_EATS_FULL, SMMUV3_STE_EATS);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	assert_int_equal(xlate_pasid(&r, 1), gpa2pa(&r, DATA0));
	assert_int_equal(xlate_pasid(&r, 2), gpa2pa(&r, DATA0));
	assert_int_equal(atc_count(&r, RIG_SID), 3);
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	tlbi_va_sync(&r);
	assert_int_equal(atc_inv(&r, RIG_SID, 1, 1, 0, VA, 0), 0);
	assert_int_equal(atc_count(&r, RIG_SID), 2);
	assert_int_equal(xlate_pasid(&r, 1), gpa2pa(&r, DATA1));
	assert_int_equal(xlate_pasid(&r, 2), gpa2pa(&r, DATA0));
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	assert_int_equal(atc_inv(&r, RIG_SID, 1, 0, 1, VA, 0), 0);	/* Global */
	assert_int_equal(atc_count(&r, RIG_SID), 1);
	assert_int_equal(xlate_pasid(&r, 2), gpa2pa(&r, DATA1));
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
	/* SSV = 0 also drops the SSID-tagged entries */
	assert_int_equal(xlate_pasid(&r, 1), gpa2pa(&r, DATA1));
	assert_int_equal(xlate_pasid(&r, 2), gpa2pa(&r, DATA1));
	assert_int_equal(atc_count(&r, RIG_SID), 3);
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), 0);
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	rig_down(&r);
}

static void test_atc_eats0_never_used(void **state)
{
	struct xm_stats a, b;
	struct rig r;

	(void)state;
	atc_stale(&r, SMMUV3_EATS_OFF);
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	xh_smmuv3_ops.stats(r.h, &a);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));	/* the TLBI was enough */
	xh_smmuv3_ops.stats(r.h, &b);
	assert_true(b.tlb_misses > a.tlb_misses);		/* the SMMU's TLB */
	assert_true(b.table_reads > a.table_reads);		/* and a walk */
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	rig_down(&r);
}

/* The STE turning ATS off, or the stream's detach, empties its ATC. */
static void test_atc_ste_change_and_detach(void **state)
{
	struct rig r;
	uint64_t ste[8], pa;

	(void)state;
	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(smmu_ste_locate(r.u, RIG_SID, &pa), 0);
	memcpy(ste, xm_test_mem_ptr(&r.mem, pa), 64);
	/* rewriting the same STE (EATS still 01) keeps the ATC */
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	ste[1] &= ~SMMUV3_WPUT(3, SMMUV3_STE_EATS);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	rig_down(&r);

	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(atc_count(&r, RIG_SID), 1);
	xh_smmuv3_ops.stream_detach(r.h, r.d, RIG_SID);
	assert_int_equal(atc_count(&r, RIG_SID), 0);
	rig_down(&r);
}

static void test_atc_cerror(void **state)
{
	struct xiommu_smmuv3_params p;
	struct rig r;
	uint64_t c[2];

	(void)state;
	atc_stale(&r, SMMUV3_EATS_FULL);
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 53), -EINVAL);
	smmuv3_cmd_atc_inv(c, RIG_SID, 0, 0, 0, VA, 53);
	assert_true(rig_hw_ill(&r, c[0], c[1]));
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 1, VA, 0), -EINVAL);	/* Global, SSV 0 */
	smmuv3_cmd_atc_inv(c, RIG_SID, 0, 0, 0, VA, 0);
	assert_int_equal(rig_cmd(&r, c[0] | XI_BIT(10), c[1]), -EINVAL);	/* reserved */
	assert_int_equal(rig_cmd(&r, c[0], c[1] | XI_BIT(6)), -EINVAL);
	assert_int_equal(atc_count(&r, RIG_SID), 1);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));	/* nothing ran */
	assert_true(rig_hw_ill(&r, c[0], c[1] | XI_BIT(6)));
	rig_down(&r);
	/* IDR0.ATS = 0: no ATS to grant, and ATC_INV is illegal on the unit */
	rig_params(&p);
	p.ats = 0;
	p.pri = 0;
	rig_up(&r, &p);
	assert_int_equal(atc_inv(&r, RIG_SID, 0, 0, 0, VA, 0), -EOPNOTSUPP);
	smmuv3_cmd_atc_inv(c, RIG_SID, 0, 0, 0, VA, 0);
	assert_true(rig_hw_ill(&r, c[0], c[1]));
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atc_stale_until_atc_inv),
		cmocka_unit_test(test_atc_inv_without_tlbi),
		cmocka_unit_test(test_atc_inv_scope),
		cmocka_unit_test(test_atc_inv_size51),
		cmocka_unit_test(test_atc_inv_ssid),
		cmocka_unit_test(test_atc_eats0_never_used),
		cmocka_unit_test(test_atc_ste_change_and_detach),
		cmocka_unit_test(test_atc_cerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
