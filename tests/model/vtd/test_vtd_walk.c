// SPDX-License-Identifier: MIT
/*
 * VT-d model: CAP/ECAP, creation checks, nested translation at every level and
 * page size (4- and 5-level first level) through the DMA test port, and the
 * fault reasons of illegal entries and accesses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

static void test_regs(void **state)
{
	struct rig r;
	uint64_t regs[2];

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.regs(r.h, regs, sizeof(regs)), 16);
	assert_int_equal(regs[0], 0x11c9078c222f0402ull);
	assert_int_equal(regs[1], 0x1e99ce4005047ull);
	assert_int_equal(r.desc.tag, 2);
	assert_int_equal(r.desc.s2_ias, 48);
	assert_int_equal(r.desc.levels, 4);
	rig_down(&r);
}

static void test_create_rejects(void **state)
{
	struct xm_test_mem m;
	struct xiommu_vtd_params p = defaults;
	char err[128];
	void *u = NULL;

	(void)state;
	assert_int_equal(xm_test_mem_init(&m, ARENA_PA, 1u << 20), 0);
	p.mgaw = 40;
	assert_int_equal(xh_vtd_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), -EINVAL);
	p = defaults;
	p.pasid_bits = 21;
	assert_int_equal(xh_vtd_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), -EINVAL);
	p = defaults;
	p.psi = 0;
	assert_int_equal(xh_vtd_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "mamv"));
	p.mamv = 0;
	assert_int_equal(xh_vtd_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)), 0);
	xh_vtd_ops.destroy(u);
	xm_test_mem_fini(&m);
}

/* Host memory that runs out is -ENOMEM, as from any allocator, with a message. */
static void test_create_no_memory(void **state)
{
	struct xm_test_mem m;
	struct xiommu_vtd_params p = defaults;
	char err[128];
	void *u = NULL;
	uint32_t pages;

	(void)state;
	/* room for no table, then for the root table but not the status page */
	for (pages = 0; pages < 2; pages++) {
		assert_int_equal(xm_test_mem_init(&m, ARENA_PA, 4096), 0);
		if (!pages)
			m.next = 4096;	/* arena full */
		err[0] = 0;
		assert_int_equal(xh_vtd_ops.create(&p, sizeof(p), &m.host, &u, err, sizeof(err)),
				 -ENOMEM);
		assert_null(u);
		assert_non_null(strstr(err, "host memory"));
		xm_test_mem_fini(&m);
	}
}

static void test_initial_entry_faults(void **state)
{
	struct rig r;
	uint64_t v = 0, w[2];

	(void)state;
	rig_up(&r, &defaults);
	/*
	 * attached: the context entry is not present with FPD (the unit caches
	 * nothing of it), the RID_PASID entry too: a silent abort
	 */
	assert_int_equal(rig_ce(&r, RID)[0] & (XI_BIT(VTD_CE_P) | XI_BIT(VTD_CE_FPD)),
			 XI_BIT(VTD_CE_FPD));
	assert_int_equal(*rig_pe(&r, RID, 0), XI_BIT(VTD_PE_FPD));
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, 0, 0, 0x1000, &v, 8, NULL), XIOMMU_DMA_ABORT);
	no_event(&r);
	/* the first program makes the context entry present; PASID 0 still aborts silently */
	setup_nested(&r, 0);
	assert_int_equal(rig_ce(&r, RID)[0] & (XI_BIT(VTD_CE_P) | XI_BIT(VTD_CE_FPD)),
			 XI_BIT(VTD_CE_P));
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, 0, 0, 0x1000, &v, 8, NULL), XIOMMU_DMA_ABORT);
	no_event(&r);
	/* without FPD the same access is a recorded fault */
	*rig_pe(&r, RID, 0) = 0;
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, 0, 0, 0x1000, &v, 8, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, w), VTD_FR_PE_P);
	assert_int_equal(w[0], 0x1000);
	assert_int_equal(w[1], XI_BIT(VTD_FRCD_F) | XI_BIT(VTD_FRCD_T) |
			 XI_PUT(VTD_FR_PE_P, 39, 32) | RID);
	no_event(&r);
	/* a requester nobody attached: context entry not present */
	{
		struct xm_dma d = { .op = XIOMMU_DMA_TRANSLATE, .sid = 0x0200 };

		assert_int_equal(xh_vtd_ops.dma(r.h, &d), 0);
		assert_int_equal(d.status, XIOMMU_DMA_FAULT);
		assert_int_equal(fault_reason(&r, NULL), VTD_FR_ROOT_P);
	}
	rig_down(&r);
}

static void test_nested_page_sizes(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa, v = 0x1122334455667788ull, back = 0;
	struct xm_stats st0, st1;

	(void)state;
	p.dt = 0;	/* count IOTLB hits, not device-TLB hits */
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	fl_map(&r, root, 4, 0x7f0000001000ull, 0x100000, 12, FL_P);
	fl_map(&r, root, 4, 0x40200000ull, 0x200000, 21, FL_P);
	fl_map(&r, root, 4, 0x80000000ull, 0, 30, FL_P);
	/* 4K, warm PASID cache: 4 FL reads, each table and the output through 4 SL reads */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7f0000001010ull, &pa), XIOMMU_DMA_OK);
	xh_vtd_ops.stats(r.h, &st0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7f0000001000ull + 0x18, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100018);
	xh_vtd_ops.stats(r.h, &st1);
	assert_int_equal(st1.tlb_hits - st0.tlb_hits, 1);
	assert_int_equal(st1.table_reads, st0.table_reads);
	/*
	 * A fresh 4K miss on the same PASID, its paging-structure caches
	 * dropped by a PASID-selective P_IOTLB: exactly 24 reads.
	 */
	fl_map(&r, root, 4, 0x7f0000002000ull, 0x101000, 12, FL_P);
	{
		struct xiommu_op op;
		uint64_t d[4];

		vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
		assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	}
	xh_vtd_ops.stats(r.h, &st0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7f0000002000ull, &pa), XIOMMU_DMA_OK);
	xh_vtd_ops.stats(r.h, &st1);
	assert_int_equal(st1.table_reads - st0.table_reads, 24);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	/* 2M and 1G leaves */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40200000ull + 0x12345, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x212345);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x80000000ull + 0x3456, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x3456);
	/* data moves, and A/D were set in the guest's tables */
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x7f0000001100ull, &v,
			     8, NULL), XIOMMU_DMA_OK);
	assert_memory_equal(gptr(&r, 0x100100), &v, 8);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7f0000001100ull, &back,
			     8, NULL), XIOMMU_DMA_OK);
	assert_int_equal(back, v);
	{
		uint64_t *pte = fl_map(&r, root, 4, 0x7f0000003000ull, 0x102000, 12, FL_P);

		assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5,
				     0x7f0000003000ull, &v, 8, NULL), XIOMMU_DMA_OK);
		assert_true(*pte & XI_BIT(VTD_FL_A));
		assert_true(*pte & XI_BIT(VTD_FL_D));
	}
	no_event(&r);
	rig_down(&r);
}

static void test_five_level(void **state)
{
	struct rig r;
	uint64_t w[8], root = 0x500000, pa;

	(void)state;
	rig_up(&r, &defaults);
	memset(gptr(&r, root), 0, 4096);
	nested_pe(&r, w, root, 1, 0);
	rig_bind(&r, 7, w);
	fl_map(&r, root, 5, 0x00ff123456789000ull, 0x104000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 7, 0x00ff123456789abcull, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x104abc);
	/* 57-bit canonical: bit 56 set needs bits 63:57 set */
	assert_int_equal(rig_xlate(&r, 0, 7, 0x0100000000000000ull, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_CANONICAL);
	rig_down(&r);

	/* without FL5LP a 5-level entry is an invalid PASID entry */
	{
		struct xiommu_vtd_params p = defaults;
		struct xiommu_op op;
		uint32_t bad;

		p.fl5lp = 0;
		rig_up(&r, &p);
		nested_pe(&r, w, root, 1, 0);
		assert_int_equal(rig_exec(&r, op_write(&op, 7, w, 0xff), 1, &bad), -EINVAL);
		assert_int_equal(bad, 0);
		rig_down(&r);
	}
}

static void test_fault_reasons(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa, w[2];

	(void)state;
	rig_up(&r, &p);
	root = setup_nested(&r, XI_BIT(VTD_PE_SRE) | XI_BIT(VTD_PE_ERE) | XI_BIT(VTD_PE_WPE));
	fl_map(&r, root, 4, 0x10000, 0x100000, 12, XI_BIT(VTD_FL_P));	/* RO, supervisor */
	fl_map(&r, root, 4, 0x20000, 0x101000, 12, FL_P | XI_BIT(VTD_FL_XD));
	fl_map(&r, root, 4, 0x30000, 0x7ff000000ull, 12, FL_P);	/* GPA beyond S2 */
	/* not present */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x90000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, w), VTD_FR_FL_P);
	assert_int_equal(w[0], 0x90000);
	assert_int_equal(w[1], XI_BIT(VTD_FRCD_F) | XI_BIT(VTD_FRCD_T) | XI_BIT(VTD_FRCD_PP) |
			 XI_PUT(5, 59, 40) | XI_PUT(VTD_FR_FL_P, 39, 32) | RID);
	/* user access to a supervisor page */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x10000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_US);
	/* supervisor write to a read-only page with WPE */
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_WRITE, 5, 0x10000, &pa),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, w), VTD_FR_WRITE);
	assert_true(w[1] & XI_BIT(VTD_FRCD_PRIV));
	assert_false(w[1] & XI_BIT(VTD_FRCD_T));
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV, 5, 0x10000, &pa), XIOMMU_DMA_OK);
	/* execute on an XD page */
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_EXEC, 5, 0x20000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, w), VTD_FR_XD);
	assert_true(w[1] & XI_BIT(VTD_FRCD_EXE));
	assert_int_equal(rig_xlate(&r, 0, 5, 0x20000, &pa), XIOMMU_DMA_OK);
	/* output GPA not mapped in the second level */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x30000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_READ);
	/* not canonical */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x0000800000000000ull, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_CANONICAL);
	/* reserved: PS in a PML4 entry */
	*gptr(&r, root + 8 * 3) = 0x200000 | FL_P | XI_BIT(VTD_FL_PS);
	assert_int_equal(rig_xlate(&r, 0, 5, 3ull << 39, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_RSVD);
	/* second-level fault inside the first-level walk: a PDPT outside the S2 */
	*gptr(&r, root + 8 * 4) = 0x7ff000000ull | FL_P;
	assert_int_equal(rig_xlate(&r, 0, 5, 4ull << 39, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_SLR);
	no_event(&r);
	rig_down(&r);
}

static void test_sre_and_root_sl_fault(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t w[8], pa;

	(void)state;
	rig_up(&r, &p);
	setup_nested(&r, 0);
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_SRE);
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_EXEC, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_ERE);
	/* FL root GPA not mapped by the second level */
	nested_pe(&r, w, 0x7fe000000ull, 0, 0);
	rig_bind(&r, 6, w);
	assert_int_equal(rig_xlate(&r, 0, 6, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_ROOT_SLR);
	rig_down(&r);
}

/* Tear PASID 5 down with only the descriptors given (0..2 of them). */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regs),
		cmocka_unit_test(test_create_rejects),
		cmocka_unit_test(test_create_no_memory),
		cmocka_unit_test(test_initial_entry_faults),
		cmocka_unit_test(test_nested_page_sizes),
		cmocka_unit_test(test_five_level),
		cmocka_unit_test(test_fault_reasons),
		cmocka_unit_test(test_sre_and_root_sl_fault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
