// SPDX-License-Identifier: MIT
/*
 * vtd plugin: generic and raw guest invalidations, page-selective ranges
 * with and without CAP.PSI, large masks, and ranges without a PASID; every
 * accepted program runs on the VT-d model and DMA shows stale-before /
 * fresh-after.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vtd_mock.h"

static void test_invalidate_generic(void **state)
{
	struct xiommu_inv_entry e[6];
	uint64_t d[4];
	struct mock m;
	uint32_t bad = ~0u, did;

	(void)state;
	mock_up(&m, &defaults);
	did = m.viommu.dom.tag;
	memset(e, 0, sizeof(e));
	e[0].cache = XIOMMU_CACHE_IOTLB;
	e[0].scope = XIOMMU_INV_RANGE;
	e[0].flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF;
	e[0].pasid = 5;
	e[0].addr = 0x3000;
	e[0].size = 0x2000;
	e[1] = e[0];
	e[1].addr = 0;
	e[1].size = 1ull << 30;		/* AM 18 > MAMV 9 */
	e[2].cache = XIOMMU_CACHE_IOTLB;
	e[2].scope = XIOMMU_INV_ALL;
	e[3].cache = XIOMMU_CACHE_DEVTLB;
	e[3].scope = XIOMMU_INV_PASID;
	e[3].flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV;
	e[3].vdev_id = 9;
	e[3].pasid = 5;
	e[4].cache = XIOMMU_CACHE_CONFIG;
	e[4].scope = XIOMMU_INV_PASID;
	e[4].flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV;
	e[4].vdev_id = 9;
	e[4].pasid = 5;
	assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, e, 5, &m.prog, &bad), 0);
	assert_int_equal(m.prog.n, 6);
	assert_int_equal(m.prog.widened, 1);
	/* pages 3..4 -> the aligned 8-page block at 0 */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, did, 5, 0, 3, 1);
	assert_memory_equal(m.ops[0].w, d, 32);
	assert_int_equal(m.ops[0].w[1], 0x43);
	/* widened: domain-selective (test_widened_range_reaches_global) */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
	assert_memory_equal(m.ops[1].w, d, 32);
	assert_memory_equal(m.ops[2].w, d, 32);
	assert_int_equal(vtd_qi_type(m.ops[3].w), VTD_QI_PDEVTLB);
	assert_int_equal(XI_GET(m.ops[3].w[0], 31, 16), PRID);
	assert_int_equal(vtd_devtlb_order(m.ops[3].w[1], VTD_QI_PDT_S), 52);
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, did, 5);
	assert_memory_equal(m.ops[4].w, d, 32);
	assert_int_equal(m.ops[5].code, XIOMMU_OP_SYNC);
	assert_int_equal(run(&m), 0);
	/*
	 * With guest DIDs 7 and 9 mapped: ALL reaches the three DIDs, a tag its
	 * own DID, a range with a tag that DID's PASID, an unmapped tag nothing.
	 */
	{
		uint32_t h7 = mock_tag(&m, 7), h9 = mock_tag(&m, 9);

		memset(e, 0, sizeof(e));
		e[0].cache = XIOMMU_CACHE_IOTLB;
		e[0].scope = XIOMMU_INV_ALL;
		e[1].cache = XIOMMU_CACHE_IOTLB;
		e[1].scope = XIOMMU_INV_TAG;
		e[1].flags = XIOMMU_INV_F_TAG;
		e[1].tag = 9;
		e[2] = e[1];
		e[2].tag = 8;
		e[3].cache = XIOMMU_CACHE_IOTLB;
		e[3].scope = XIOMMU_INV_RANGE;
		e[3].flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID;
		e[3].tag = 7;
		e[3].pasid = 5;
		e[3].addr = 0x5000;
		e[3].size = 0x1000;
		assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, e, 4, &m.prog, &bad), 0);
		assert_int_equal(m.prog.n, 6);
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
		assert_memory_equal(m.ops[0].w, d, 32);
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, h7, 0, 0, 0);
		assert_memory_equal(m.ops[1].w, d, 32);
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, h9, 0, 0, 0);
		assert_memory_equal(m.ops[2].w, d, 32);
		assert_memory_equal(m.ops[3].w, d, 32);
		vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, h7, 5, 0x5000, 0, 0);
		assert_memory_equal(m.ops[4].w, d, 32);
		assert_int_equal(m.ops[5].code, XIOMMU_OP_SYNC);
		assert_int_equal(run(&m), 0);
	}
	assert_int_equal(vtdp_am_cover(0x1000, 0x1000), 0);
	assert_int_equal(vtdp_am_cover(0x1000, 0x2000), 2);
	assert_int_equal(vtdp_am_cover(0x200000, 0x200000), 9);
	mock_down(&m);
}

static void test_invalidate_raw(void **state)
{
	uint64_t g[5][4], d[4];
	struct mock m;
	uint32_t bad = ~0u, did;

	(void)state;
	mock_up(&m, &defaults);
	did = mock_tag(&m, 77);
	m.binds[m.nbinds++].pasid = 5;
	vtd_qi_piotlb(g[0], VTD_QI_PIOTLB_G_PAGE, 77, 5, 0x8000, 1, 0);
	vtd_qi_pdevtlb(g[1], VRID, VRID, 0, 5, 0, 0x8000, 1);
	vtd_qi_wait(g[2], 1, 0, 0x55, 0x1000);
	vtd_qi_iotlb(g[3], VTD_QI_IOTLB_G_GLOBAL, 77, 0, 0, 0);
	/* guest DID 78 has no binding: nothing is cached under it, nothing to send */
	vtd_qi_piotlb(g[4], VTD_QI_PIOTLB_G_PASID, 78, 5, 0, 0, 0);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 5, &m.prog, &bad), 0);
	assert_int_equal(m.prog.n, 7);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, did, 5, 0x8000, 1, 0);
	assert_memory_equal(m.ops[0].w, d, 32);
	vtd_qi_pdevtlb(d, PRID, PRID, 0, 5, 0, 0x8000, 1);
	assert_memory_equal(m.ops[1].w, d, 32);
	/* the guest's wait, where it stood: completion, then its status write */
	assert_int_equal(m.ops[2].code, XIOMMU_OP_SYNC);
	assert_int_equal(m.ops[3].code, XIOMMU_OP_GUEST_WRITE);
	assert_int_equal(m.ops[3].count, 4);
	assert_int_equal(m.ops[3].w[0], 0x1000);
	assert_int_equal(m.ops[3].w[1], 0x55);
	/* the guest's global flush: every DID of the viommu */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, m.viommu.dom.tag, 0, 0, 0);
	assert_memory_equal(m.ops[4].w, d, 32);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
	assert_memory_equal(m.ops[5].w, d, 32);
	assert_int_equal(m.ops[6].code, XIOMMU_OP_SYNC);
	assert_int_equal(run(&m), 0);
	/* a PASID the vdev has not bound */
	vtd_qi_pdevtlb(g[1], VRID, VRID, 0, 6, 0, 0x8000, 1);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), -EPERM);
	assert_int_equal(bad, 1);
	assert_int_equal(m.prog.n, 0);
	/* an unknown vRID */
	vtd_qi_devtlb(g[1], VRID + 1, 0, 0, 0, 0);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
			 -ENOENT);
	assert_int_equal(bad, 1);
	/* types the VMM handles itself */
	vtd_qi_pc(g[1], VTD_QI_PC_G_PASID, 77, 5);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), -EPERM);
	assert_int_equal(bad, 1);
	vtd_qi_cc(g[1], VTD_QI_CC_G_GLOBAL, 0, 0, 0);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), -EPERM);
	/* AM beyond MAMV, misaligned */
	vtd_qi_piotlb(g[1], VTD_QI_PIOTLB_G_PAGE, 77, 5, 0, 10, 0);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	vtd_qi_piotlb(g[1], VTD_QI_PIOTLB_G_PAGE, 77, 5, 0x1000, 1, 0);
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), -EINVAL);
	assert_int_equal(m.prog.n, 0);
	/* a device TLB the vdev was not granted, or that the ini hides: a hidden feature */
	vtd_qi_devtlb(g[1], VRID, 0, 0, 0, 0);
	m.vdev.grants &= ~XIOMMU_VDEV_ATS;
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
			 -EOPNOTSUPP);
	assert_int_equal(bad, 1);
	m.vdev.grants |= XIOMMU_VDEV_ATS;
	m.caps.features &= ~XIOMMU_HW_ATS;
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
			 -EOPNOTSUPP);
	assert_int_equal(bad, 1);
	mock_down(&m);
}

static struct xiommu_inv_entry range_entry(uint32_t pasid, uint64_t addr, uint64_t size)
{
	struct xiommu_inv_entry e;

	memset(&e, 0, sizeof(e));
	e.cache = XIOMMU_CACHE_IOTLB;
	e.scope = XIOMMU_INV_RANGE;
	e.flags = XIOMMU_INV_F_PASID;
	e.pasid = pasid;
	e.addr = addr;
	e.size = size;
	return e;
}

/*
 * Without page-selective invalidation (CAP.PSI = 0, or range invalidation
 * hidden by the ini) a generic range is widened to the domain-selective
 * IOTLB invalidation and counted; a guest's page-selective descriptor is
 * refused and named.
 */
static void test_invalidate_no_psi(void **state)
{
	struct xiommu_vtd_params p = defaults;
	struct xiommu_inv_entry e[2];
	uint64_t g[2][4];
	struct mock m;
	uint32_t bad, did, pass;

	(void)state;
	p.psi = 0;
	p.mamv = 0;
	for (pass = 0; pass < 2; pass++) {
		mock_up(&m, pass ? &defaults : &p);
		if (pass)
			m.caps.features &= ~XIOMMU_HW_RANGE_INV;	/* hidden */
		did = m.viommu.dom.tag;
		e[0] = range_entry(5, 0x3000, 0x1000);
		e[1] = range_entry(5, 0x3000, 0x2000);
		bad = ~0u;
		assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, e, 2, &m.prog, &bad), 0);
		assert_int_equal(m.prog.n, 3);
		assert_int_equal(m.prog.widened, 2);
		assert_int_equal(m.ops[0].w[0], IOTLB_DOMAIN(did));
		assert_int_equal(m.ops[0].w[1], 0);
		assert_int_equal(m.ops[1].w[0], IOTLB_DOMAIN(did));
		assert_int_equal(run(&m), 0);
		/* raw: a PASID-selective descriptor, then a page-selective one */
		did = mock_tag(&m, 77);
		memset(g, 0, sizeof(g));
		g[0][0] = PIOTLB_PASID(77, 5);
		g[1][0] = PIOTLB_PAGE(77, 5);
		g[1][1] = 0x8000;
		bad = ~0u;
		assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
				 -EOPNOTSUPP);
		assert_int_equal(bad, 1);
		assert_int_equal(m.prog.n, 0);
		assert_non_null(strstr(m.err, "page-selective"));
		g[1][0] = IOTLB_PAGE(77);
		bad = ~0u;
		assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
				 -EOPNOTSUPP);
		assert_int_equal(bad, 1);
		assert_int_equal(m.prog.n, 0);
		/* the PASID-selective one alone runs */
		assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 1, &m.prog, &bad), 0);
		assert_int_equal(m.ops[0].w[0], PIOTLB_PASID(did, 5));
		assert_int_equal(run(&m), 0);
		mock_down(&m);
	}
}

/*
 * A page-selective P_IOTLB reaches global (G = 1) first-level entries; a
 * PASID-selective one is "non-global" and keeps them (VT-d P_IOTLB
 * granularity 10b; Linux QI_GRAN_NONG_PASID). So a range widened for want
 * of page-selective invalidation must go to the domain-selective IOTLB
 * invalidation, which drops every nested entry of the DID, global ones
 * included: the guest's global page is fresh after it.
 */
static void test_widened_range_reaches_global(void **state)
{
	struct xiommu_vtd_params p = defaults;
	uint64_t fl = VTD_GUEST_FL_RW | XI_BIT(VTD_FL_G), pa, v = 0;
	struct xiommu_inv_entry e;
	struct mock m;
	uint32_t bad = ~0u;

	(void)state;
	p.psi = 0;
	p.mamv = 0;
	mock_up(&m, &p);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000, 0x100000, 12, fl), 0);
	do_bind(&m, 5, 0x500000, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v, 8,
				  &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x100000);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000, 0x101000, 12, fl), 0);
	e = range_entry(5, 0x40000, 0x1000);
	assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, &e, 1, &m.prog, &bad), 0);
	assert_int_equal(m.prog.widened, 1);
	assert_int_equal(run(&m), 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v, 8,
				  &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x101000);
	mock_down(&m);
}

/*
 * Large address masks: a unit whose MAMV reaches 63 takes a guest P_IOTLB
 * or IOTLB with AM 60..63 as "everything from 0" (2^(12+AM) bytes exceed
 * the address space) and drops the stale entry; no shift reaches 64.
 * The ini bounds mamv by the widest input address (57 or 48 bits, or MGAW).
 */
static void test_invalidate_large_mask(void **state)
{
	struct xiommu_vtd_params p = defaults;
	uint64_t g[2][4], pa, v = 0;
	struct mock m;
	uint32_t bad = ~0u, am, did;

	(void)state;
	p.mamv = 46;	/* 57-bit first level: at most 45 */
	{
		struct xiommu_plugin_env env;

		mock_up(&m, &defaults);
		env = m.env;
		env.params = &p;
		assert_int_equal(m.ops_tab->check_params(&env), -EINVAL);
		assert_non_null(strstr(m.err, "mamv"));
		p.mamv = 45;
		assert_int_equal(m.ops_tab->check_params(&env), 0);
		p.fl5lp = 0;	/* 48-bit first level and MGAW 48: 36 */
		assert_int_equal(m.ops_tab->check_params(&env), -EINVAL);
		p.mamv = 36;
		assert_int_equal(m.ops_tab->check_params(&env), 0);
		mock_down(&m);
	}
	p = defaults;
	p.mamv = 63;	/* the model takes any 6-bit MAMV */
	mock_up(&m, &p);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000, 0x100000, 12,
					  VTD_GUEST_FL_RW), 0);
	do_bind(&m, 5, 0x500000, 0);
	did = mock_tag(&m, GUEST_DID);
	for (am = 60; am <= 63; am++) {
		uint32_t type2 = am & 1;

		assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v,
					  8, &pa), XIOMMU_DMA_OK);
		assert_int_equal(pa, m.guest_pa + 0x100000 + (am - 60) * 0x1000);
		assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000,
						  0x100000 + (am - 59) * 0x1000, 12,
						  VTD_GUEST_FL_RW), 0);
		memset(g, 0, sizeof(g));
		g[0][0] = type2 ? IOTLB_PAGE(GUEST_DID) : PIOTLB_PAGE(GUEST_DID, 5);
		g[0][1] = am;	/* address 0, IH 0 */
		vtd_qi_pdevtlb(g[1], VRID, VRID, 0, 5, 0, 0, 52);
		assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad),
				 0);
		assert_int_equal(m.ops[0].w[0], type2 ? IOTLB_PAGE(did) : PIOTLB_PAGE(did, 5));
		assert_int_equal(m.ops[0].w[1], am);
		assert_int_equal(run(&m), 0);
		assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v,
					  8, &pa), XIOMMU_DMA_OK);
		assert_int_equal(pa, m.guest_pa + 0x100000 + (am - 59) * 0x1000);
	}
	/* a mask that large with a non-zero address is misaligned */
	g[0][0] = PIOTLB_PAGE(GUEST_DID, 5);
	g[0][1] = 0x1000 | 60;
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 1, &m.prog, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	mock_down(&m);
}

/*
 * A generic IOTLB range without F_PASID means every PASID: VT-d has no
 * page-selective form for all PASIDs, so it widens (counted) to the
 * domain-selective IOTLB invalidation (type 2, G = 10), which reaches the
 * nested entries of every PASID of the DID; never to PASID 0 alone.
 */
static void test_invalidate_range_every_pasid(void **state)
{
	struct xiommu_vtd_params p = defaults;
	struct xiommu_inv_entry e[2];
	struct xiommu_op ops[4];
	uint64_t pa, v = 0;
	struct mock m;
	uint32_t bad = ~0u, did, widened, n;

	(void)state;
	p.dt = 0;
	p.prs = 0;
	mock_up(&m, &p);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000, 0x100000, 12,
					  VTD_GUEST_FL_RW), 0);
	do_bind(&m, 5, 0x500000, 0);
	did = mock_tag(&m, GUEST_DID);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x100000);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000, 0x101000, 12,
					  VTD_GUEST_FL_RW), 0);
	e[0] = range_entry(0, 0x40000, 0x1000);
	e[0].flags = XIOMMU_INV_F_LEAF;		/* no PASID */
	e[1] = e[0];
	e[1].flags |= XIOMMU_INV_F_TAG;
	e[1].tag = GUEST_DID;
	assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, e, 2, &m.prog, &bad), 0);
	widened = m.prog.widened;
	n = m.prog.n;
	memcpy(ops, m.ops, sizeof(ops));
	assert_int_equal(run(&m), 0);
	/* the translation of PASID 5 is fresh */
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x40000, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x101000);
	assert_int_equal(widened, 2);
	assert_int_equal(n, 4);
	/* type 2, G = 10 (domain-selective), DR/DW 7:6, DID 31:16; no address */
	assert_int_equal(ops[0].w[0], IOTLB_DOMAIN(m.viommu.dom.tag));
	assert_int_equal(ops[1].w[0], IOTLB_DOMAIN(did));
	assert_int_equal(ops[1].w[1], 0);
	assert_int_equal(ops[2].w[0], IOTLB_DOMAIN(did));
	assert_int_equal(ops[3].code, XIOMMU_OP_SYNC);
	mock_down(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalidate_generic),
		cmocka_unit_test(test_invalidate_raw),
		cmocka_unit_test(test_invalidate_no_psi),
		cmocka_unit_test(test_widened_range_reaches_global),
		cmocka_unit_test(test_invalidate_large_mask),
		cmocka_unit_test(test_invalidate_range_every_pasid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
