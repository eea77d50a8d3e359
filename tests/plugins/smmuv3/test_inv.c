// SPDX-License-Identifier: MIT
/*
 * SMMUv3 plugin invalidations that must not depend on what the plugin
 * cannot know, and refusals that name their entry. Run on the model, whose
 * range TLBIs keep entries of another granule than TG (as hardware may).
 */
#include <string.h>
#include "penv.h"

#define VA	0x40000000ull
#define DATA0	(RIG_GPA + 0x10000)
#define DATA1	(RIG_GPA + 0x20000)
#define ASID	5

static uint64_t gpa2pa(struct penv *e, uint64_t gpa)
{
	return e->r.gram_pa + (gpa - RIG_GPA);
}

static uint64_t xlate(struct penv *e, uint64_t va)
{
	uint64_t pa = 0;

	assert_int_equal(rig_dma(&e->r, XIOMMU_DMA_TRANSLATE, 0, RIG_SID, 0, va, &pa),
			 XIOMMU_DMA_OK);
	return pa;
}

/* A guest stage 1 of granule 2^@g on the vdev (one CD, ASID), VA -> DATA0. */
static uint64_t guest_s1(struct penv *e, unsigned int g)
{
	struct smmuv3_cd_fields f = { .asid = ASID, .t0sz = 16, .gshift = (uint8_t)g };
	uint64_t cd[8], ctx = galloc(&e->r, 4096), root = galloc(&e->r, 1ull << g);

	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&e->r.gm, ctx, 0, cd), 0);
	assert_int_equal(smmuv3_s1_map(&e->r.gm, root, g, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(penv_bind(e, XIOMMU_CONFIG_TRANSLATE, ctx, 0, 0), 0);
	assert_int_equal(xlate(e, VA + 0x18), gpa2pa(e, DATA0) + 0x18);
	assert_int_equal(smmuv3_s1_unmap(&e->r.gm, root, g, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&e->r.gm, root, g, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	return root;
}

static int inv_range(struct penv *e, uint64_t addr, uint64_t size, int tag)
{
	struct xiommu_inv_entry en;
	uint32_t bad = 99;
	int ret;

	memset(&en, 0, sizeof(en));
	en.cache = XIOMMU_CACHE_IOTLB;
	en.scope = XIOMMU_INV_RANGE;
	en.flags = tag ? XIOMMU_INV_F_TAG : 0;
	en.tag = tag ? ASID : 0;
	en.addr = addr;
	en.size = size;
	penv_prog_reset(e);
	ret = e->ops->invalidate(&e->env, &e->viommu, &en, 1, &e->prog, &bad);
	if (ret)
		return ret;
	assert_int_equal(bad, 1);
	return penv_run(e);
}

/*
 * The guest's granule is in its CD, which the plugin never reads: a
 * generic range invalidation must reach the entries whatever granule the
 * guest uses. Every granule the unit offers, with and without a tag, for a
 * whole 64K page and for a 16K slice of it.
 */
static void test_range_any_guest_granule(void **state)
{
	static const unsigned int gs[] = { 12, 14, 16 };
	unsigned int i, k;

	(void)state;
	for (i = 0; i < 3; i++)
		for (k = 0; k < 4; k++) {
			struct penv e;

			penv_up(&e, NULL);
			guest_s1(&e, gs[i]);
			/* stale before */
			assert_int_equal(xlate(&e, VA + 0x18), gpa2pa(&e, DATA0) + 0x18);
			assert_int_equal(inv_range(&e, k & 2 ? VA + 0x4000 : VA,
						   k & 2 ? 0x4000 : 0x10000, k & 1), 0);
			/* a 4K page outside the slice may go or stay: not asked */
			if (gs[i] != 12 || !(k & 2))
				assert_int_equal(xlate(&e, VA + 0x18), gpa2pa(&e, DATA1) + 0x18);
			penv_down(&e);
		}
}

/*
 * A range beyond what a few TLBIs cover (2^62 bytes takes tens of
 * thousands of range TLBIs at NUM and SCALE <= 31, per granule; without
 * RIL, a TLBI per page) is widened and counted, rather than one guest
 * entry becoming a flood of commands the unit runs one by one. Widened to
 * every ASID of the VMID: a TLBI by VA and ASID reaches global entries
 * (nG = 0) at those addresses, a TLBI by ASID does not (IHI0070 4.4.1.1,
 * as the model implements it), so the guest's global page here must be
 * fresh after it.
 */
static void test_huge_range_widens(void **state)
{
	struct xiommu_smmuv3_params p;
	unsigned int ril;

	(void)state;
	for (ril = 0; ril < 2; ril++) {
		struct penv e;

		rig_params(&p);
		p.ril = ril;
		penv_up(&e, &p);
		guest_s1(&e, 12);
		assert_int_equal(xlate(&e, VA + 0x18), gpa2pa(&e, DATA0) + 0x18);
		assert_int_equal(inv_range(&e, 0, 1ull << 62, 1), 0);
		assert_true(e.prog.n <= 4);
		assert_int_equal(e.prog.widened, 1);
		assert_int_equal(xlate(&e, VA + 0x18), gpa2pa(&e, DATA1) + 0x18);
		/* a range a few commands cover is not widened */
		assert_int_equal(inv_range(&e, 0, ril ? 1ull << 47 : 0x20000, 1), 0);
		assert_int_equal(e.prog.widened, 0);
		penv_down(&e);
	}
}

/*
 * A guest range TLBI whose TG names a granule the unit lacks is illegal
 * (the model stops with CERROR_ILL): the plugin refuses it itself, naming
 * the command, instead of passing a batch the model then refuses as a whole.
 */
static void test_raw_tg_unit_lacks(void **state)
{
	struct xiommu_smmuv3_params p;
	struct penv e;
	uint64_t cmds[3][2] = {
		{ SMMUV3_OP_TLBI_NH_ALL, 0 },
		{ SMMUV3_OP_TLBI_NH_VA | (3ull << 48) | (1ull << 12), VA | (2ull << 10) },
		{ SMMUV3_OP_TLBI_NH_ALL, 0 },
	};
	uint32_t bad = 99;

	(void)state;
	rig_params(&p);
	p.granules = SMMUV3_GRAN_4K | SMMUV3_GRAN_64K;
	penv_up(&e, &p);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 3, &e.prog, &bad),
			 -EINVAL);
	assert_int_equal(bad, 1);
	assert_non_null(strstr(e.err, "command 1"));
	/* the same with TG = 64K, which the unit has: accepted and run */
	cmds[1][1] = VA | (3ull << 10);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 3, &e.prog, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(penv_run(&e), 0);
	penv_down(&e);
}

/*
 * ATS is a per-device grant: the host refuses ATC_INV for a stream that was
 * not granted it. The plugin refuses it first, naming the entry, for raw
 * guest commands and generic device-TLB entries alike.
 */
static void test_atc_inv_without_ats_grant(void **state)
{
	uint64_t cmds[2][2] = {
		{ SMMUV3_OP_TLBI_NH_ALL, 0 },
		{ SMMUV3_OP_ATC_INV | ((uint64_t)PENV_VSID << 32), 52 },
	};
	struct xiommu_inv_entry en[2];
	struct penv e;
	uint32_t bad = 99;

	(void)state;
	penv_up(&e, NULL);
	xh_smmuv3_ops.stream_detach(e.r.h, e.r.d, RIG_SID);
	assert_int_equal(xh_smmuv3_ops.stream_attach(e.r.h, e.r.d, RIG_SID, 0), 0);
	e.vdev.grants = 0;
	penv_prog_reset(&e);
	assert_int_equal(e.ops->invalidate_raw(&e.env, &e.viommu, cmds, 2, &e.prog, &bad),
			 -EOPNOTSUPP);
	assert_int_equal(bad, 1);
	assert_non_null(strstr(e.err, "command 1"));
	memset(en, 0, sizeof(en));
	en[0].cache = XIOMMU_CACHE_IOTLB;
	en[0].scope = XIOMMU_INV_ALL;
	en[1].cache = XIOMMU_CACHE_DEVTLB;
	en[1].scope = XIOMMU_INV_ALL;
	en[1].flags = XIOMMU_INV_F_VDEV;
	en[1].vdev_id = e.vdev.id;
	bad = 99;
	penv_prog_reset(&e);
	assert_int_equal(e.ops->invalidate(&e.env, &e.viommu, en, 2, &e.prog, &bad), -EOPNOTSUPP);
	assert_int_equal(bad, 1);
	penv_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_any_guest_granule),
		cmocka_unit_test(test_huge_range_widens),
		cmocka_unit_test(test_raw_tg_unit_lacks),
		cmocka_unit_test(test_atc_inv_without_ats_grant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
