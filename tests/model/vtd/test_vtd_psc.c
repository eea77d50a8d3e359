// SPDX-License-Identifier: MIT
/*
 * VT-d model: first-level paging-structure caches (cached PML4E / PDPE /
 * PDE). A guest repoints a non-leaf entry: a page-selective P_IOTLB with
 * IH=1 keeps the cached structure (stale), IH=0 drops it (fresh);
 * PASID-selective P_IOTLB and domain-selective IOTLB drop them; a warm
 * structure cache costs fewer table reads (exact counts); hostile tables
 * still end in the right fault.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

#define VA	0x40000000ull		/* PML4E 0, PDPE 1, PDE 0 */
#define WARM	0x8000000000ull		/* PML4E 1: warms the config caches elsewhere */

/* nested 4 over 4: (4 + 1) * (4 + 1) - 1 */
#define COLD	24u
/* cached PDE: the PTE, then the output through the second level */
#define HIT_PDE	(1u + 4u)
/* cached PDPE: PDE, the page table through the second level, PTE, output */
#define HIT_PDPE (1u + 4u + 1u + 4u)
/* cached PML4E: PDPE, PD via SL, PDE, PT via SL, PTE, output */
#define HIT_PML4E (1u + 4u + 1u + 4u + 1u + 4u)

static uint64_t reads(struct rig *r)
{
	struct xm_stats st;

	xh_vtd_ops.stats(r->h, &st);
	return st.table_reads;
}

/* Translate (read, user, PASID @pasid); *n gets the table reads it took. */
static uint32_t xl(struct rig *r, uint32_t pasid, uint64_t iova, uint64_t *pa, uint64_t *n)
{
	uint64_t r0 = reads(r);
	uint32_t st = rig_xlate(r, 0, pasid, iova, pa);

	*n = reads(r) - r0;
	return st;
}

static void cmd(struct rig *r, const uint64_t *d)
{
	struct xiommu_op op;

	assert_int_equal(rig_exec(r, op_cmd(&op, d), 1, NULL), 0);
}

static void piotlb_page(struct rig *r, uint32_t pasid, uint64_t addr, uint32_t am, uint32_t ih)
{
	uint64_t d[4];

	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r->desc.tag, pasid, addr, am, ih);
	cmd(r, d);
}

/* Nested PASID 5, config caches warm (structure caches are on from creation). */
static uint64_t psc_up(struct rig *r)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t root, pa, n;

	p.dt = 0;	/* no device TLB in the way */
	rig_up(r, &p);
	assert_int_equal(r->u->psc_enable, 1);
	root = setup_nested(r, 0);
	fl_map(r, root, 4, WARM, 0x300000, 12, FL_P);
	assert_int_equal(xl(r, 5, WARM, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r->guest_pa + 0x300000);
	return root;
}

/* The PDE of VA (the guest's level-2 entry). */
static uint64_t *pde_of(struct rig *r, uint64_t root, uint64_t iova)
{
	uint64_t pml4e = *gptr(r, root + ((iova >> 39) & 511) * 8);
	uint64_t pdpe = *gptr(r, (pml4e & VTD_FL_ADDR_MASK) + ((iova >> 30) & 511) * 8);

	return gptr(r, (pdpe & VTD_FL_ADDR_MASK) + ((iova >> 21) & 511) * 8);
}

/* A second page table for the 2 MiB of @iova: its pages at @gpa. Returns its GPA. */
static uint64_t other_pt(struct rig *r, uint64_t iova, uint64_t gpa)
{
	uint64_t t = gtable(r);

	*gptr(r, t + ((iova >> 12) & 511) * 8) = gpa | FL_P;
	*gptr(r, t + (((iova >> 12) + 1) & 511) * 8) = (gpa + 0x1000) | FL_P;
	return t;
}

static void test_psc_ih(void **state)
{
	struct rig r;
	uint64_t root, pa, n, *pde, old, t2;
	struct vtd_unit *u;

	(void)state;
	root = psc_up(&r);
	u = r.u;
	fl_map(&r, root, 4, VA, 0x100000, 12, FL_P);
	fl_map(&r, root, 4, VA + 0x1000, 0x101000, 12, FL_P);
	/* cold: a full nested walk */
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, COLD);
	/* the neighbour page misses the IOTLB but resumes below the cached PDE */
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	assert_int_equal(n, HIT_PDE);
	assert_true(u->psc_hits >= 1);

	/* the guest points the PDE at another page table (a non-leaf change) */
	pde = pde_of(&r, root, VA);
	old = *pde;
	t2 = other_pt(&r, VA, 0x200000);
	*pde = t2 | FL_P;
	/* IH=1 ("only leaf entries changed"): the IOTLB entry goes, the PDE stays */
	piotlb_page(&r, 5, VA, 0, 1);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);	/* stale: the old page table */
	assert_int_equal(n, HIT_PDE);
	/* IH=0: the structure caches of the range go too */
	piotlb_page(&r, 5, VA, 0, 0);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x200000);	/* fresh */
	assert_int_equal(n, COLD);
	/* the IOTLB still held VA + 0x1000 (IH=0 of VA alone does not reach it) */
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	assert_int_equal(n, 0);
	/* page-selective IH=0 elsewhere (WARM; the next 2 MiB) keeps the PDE of VA */
	*pde = old;
	piotlb_page(&r, 5, VA + 0x1000, 0, 1);		/* drop the IOTLB entry only */
	piotlb_page(&r, 5, WARM, 0, 0);
	piotlb_page(&r, 5, VA + 0x200000, 0, 0);	/* the next PDE's span */
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x201000);	/* still the cached second table */
	assert_int_equal(n, HIT_PDE);
	/* a range that covers VA's PDE span (AM 9: 2 MiB) */
	piotlb_page(&r, 5, VA, 9, 0);
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	assert_int_equal(n, COLD);
	no_event(&r);
	rig_down(&r);
}

static void test_psc_selective(void **state)
{
	struct rig r;
	uint64_t root, pa, n, *pde, old, t2, w[8], d[4];

	(void)state;
	root = psc_up(&r);
	fl_map(&r, root, 4, VA, 0x100000, 12, FL_P);
	/* PASID 6 on the same tables: its own structure-cache entries */
	nested_pe(&r, w, root, 0, 0);
	rig_bind(&r, 6, w);
	assert_int_equal(xl(&r, 6, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, COLD);
	pde = pde_of(&r, root, VA);
	old = *pde;
	t2 = other_pt(&r, VA, 0x200000);
	*pde = t2 | FL_P;

	/* PASID-selective P_IOTLB of PASID 5: fresh for 5, PASID 6 keeps its PDE */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	cmd(&r, d);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x200000);
	assert_int_equal(n, COLD);
	piotlb_page(&r, 6, VA, 0, 1);
	assert_int_equal(xl(&r, 6, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, HIT_PDE);

	/* domain-selective IOTLB (type 2) drops the nested entries of the DID */
	*pde = old;
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, r.desc.tag, 0, 0, 0);
	cmd(&r, d);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, COLD);
	assert_int_equal(xl(&r, 6, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, COLD);

	/*
	 * page-selective IOTLB (type 2) over the page table's GPA: the cached
	 * PDE (whose table went through the second level) goes, the PDPE stays
	 */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_PAGE, r.desc.tag, old & VTD_FL_ADDR_MASK, 0, 1);
	cmd(&r, d);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, HIT_PDPE);
	/* another DID's descriptors reach nothing */
	*pde = t2 | FL_P;
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag + 1, 5, 0, 0, 0);
	vtd_qi_run(r.u, d);	/* the host's own queue: a guest may not name it */
	piotlb_page(&r, 5, VA, 0, 1);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, HIT_PDE);
	no_event(&r);
	rig_down(&r);
}

static void test_psc_reads(void **state)
{
	struct rig r;
	uint64_t root, pa, n;
	struct vtd_unit *u;
	uint64_t hits;

	(void)state;
	root = psc_up(&r);
	u = r.u;
	fl_map(&r, root, 4, VA, 0x100000, 12, FL_P);
	fl_map(&r, root, 4, VA + 0x1000, 0x101000, 12, FL_P);
	fl_map(&r, root, 4, VA + 0x200000, 0x102000, 12, FL_P);	/* next PDE */
	fl_map(&r, root, 4, VA + 0x40000000, 0x103000, 12, FL_P);	/* next PDPE */
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, COLD);
	hits = u->psc_hits;
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, HIT_PDE);
	assert_int_equal(xl(&r, 5, VA + 0x200000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x102000);
	assert_int_equal(n, HIT_PDPE);
	assert_int_equal(xl(&r, 5, VA + 0x40000000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x103000);
	assert_int_equal(n, HIT_PML4E);
	assert_int_equal(u->psc_hits - hits, 3);
	/* IOTLB hits do not touch the structure caches */
	assert_int_equal(xl(&r, 5, VA + 0x40000000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, 0);
	assert_int_equal(u->psc_hits - hits, 3);
	/* switched off: every miss walks from the root */
	u->psc_enable = 0;
	piotlb_page(&r, 5, VA + 0x1000, 0, 1);
	assert_int_equal(xl(&r, 5, VA + 0x1000, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, COLD);
	rig_down(&r);

	/* 5-level first level: cold (5 + 1) * (4 + 1) - 1, warm one PTE and the output */
	{
		uint64_t w[8], va5 = 0x00ff123456789000ull;

		struct xiommu_vtd_params p = no_prs();

		p.dt = 0;
		rig_up(&r, &p);
		r.u->psc_enable = 1;
		root = 0x500000;
		memset(gptr(&r, root), 0, 4096);
		nested_pe(&r, w, root, 1, 0);
		rig_bind(&r, 7, w);
		fl_map(&r, root, 5, va5, 0x104000, 12, FL_P);
		fl_map(&r, root, 5, va5 + 0x1000, 0x105000, 12, FL_P);
		fl_map(&r, root, 5, 0x1000, 0x106000, 12, FL_P);
		assert_int_equal(xl(&r, 7, 0x1000, &pa, &n), XIOMMU_DMA_OK);	/* config */
		assert_int_equal(xl(&r, 7, va5, &pa, &n), XIOMMU_DMA_OK);
		assert_int_equal(pa, r.guest_pa + 0x104000);
		assert_int_equal(n, 29);
		assert_int_equal(xl(&r, 7, va5 + 0x1000, &pa, &n), XIOMMU_DMA_OK);
		assert_int_equal(pa, r.guest_pa + 0x105000);
		assert_int_equal(n, HIT_PDE);
		rig_down(&r);
	}
}

static void test_psc_hostile(void **state)
{
	struct rig r;
	uint64_t root, pa, n, *pde, old, pml4e;

	(void)state;
	root = psc_up(&r);
	fl_map(&r, root, 4, VA, 0x100000, 12, FL_P);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	pde = pde_of(&r, root, VA);
	old = *pde;

	/* a PDE with an address beyond the MGAW: stale under IH=1, reserved after IH=0 */
	*pde = old | (1ull << 50);
	piotlb_page(&r, 5, VA, 0, 1);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(n, HIT_PDE);
	piotlb_page(&r, 5, VA, 0, 0);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_RSVD);
	assert_int_equal(n, 4 + 1 + 4 + 1 + 4 + 1);	/* PML4E, PDPE, PDE: stopped there */
	/* the faulting PDE was not cached: the walk resumes at the PDPE and faults again */
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_RSVD);
	assert_int_equal(n, 1);

	/* a PDE naming a page table outside the second level */
	*pde = 0x7ff000000ull | FL_P;
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_SLR);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_SLR);

	/* a not-present PTE is never cached: fixed, it is used at once */
	*pde = old;
	piotlb_page(&r, 5, VA, 0, 0);
	*gptr(&r, (old & VTD_FL_ADDR_MASK) + ((VA >> 12) & 511) * 8) = 0;
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_P);
	*gptr(&r, (old & VTD_FL_ADDR_MASK) + ((VA >> 12) & 511) * 8) = 0x107000 | FL_P;
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x107000);
	assert_int_equal(n, HIT_PDE);

	/* a table that names itself at every level: bounded, the same with a warm cache */
	pml4e = *gptr(&r, root);
	*gptr(&r, root) = root | FL_P;
	piotlb_page(&r, 5, 0, 0, 0);
	assert_int_equal(xl(&r, 5, 0, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + root);
	assert_int_equal(n, COLD);
	piotlb_page(&r, 5, 0, 0, 1);
	assert_int_equal(xl(&r, 5, 0, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + root);
	assert_int_equal(n, HIT_PDE);
	/* now reserved as a PML4E (PS): the cached entries hide it until IH=0 */
	*gptr(&r, root) = root | FL_P | XI_BIT(VTD_FL_PS);
	piotlb_page(&r, 5, 0, 0, 1);
	assert_int_equal(xl(&r, 5, 0, &pa, &n), XIOMMU_DMA_OK);
	piotlb_page(&r, 5, 0, 0, 0);
	assert_int_equal(xl(&r, 5, 0, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_RSVD);
	*gptr(&r, root) = pml4e;

	/* the host unmaps the page table's GPA: nothing cached keeps its old host PA */
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(xh_vtd_ops.s2_unmap(r.h, r.dom, old & VTD_FL_ADDR_MASK, 4096), 0);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_SLR);
	no_event(&r);
	rig_down(&r);
}

/*
 * A teardown whose own flushes keep the paging structures (IH=1) leaves
 * nothing of (DID, PASID) cached: the host's teardown flushes (P_IOTLB
 * PASID-selective) drop them, so a new entry walks from its root.
 */
static void test_psc_rebind(void **state)
{
	struct rig r;
	uint64_t root, pa, n, d[3][4], w[8];
	struct xiommu_op ops[3];
	uint32_t bad;

	(void)state;
	root = psc_up(&r);
	fl_map(&r, root, 4, VA, 0x100000, 12, FL_P);
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_true(vtd_tlb_holds(r.u, (uint16_t)r.desc.tag, 5, 0));
	vtd_qi_pc(d[0], VTD_QI_PC_G_PASID, r.desc.tag, 5);
	vtd_qi_piotlb(d[1], VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, VA, 0, 1);
	vtd_qi_piotlb(d[2], VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, WARM, 0, 1);
	rig_teardown(&r, (const uint64_t (*)[4])d, 3);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)r.desc.tag, 5, 0));
	/* rebound at once, no flush of its own needed */
	nested_pe(&r, w, root, 0, 0);
	op_write(&ops[0], 5, w, 0xff);
	vtd_qi_pc(d[0], VTD_QI_PC_G_PASID, r.desc.tag, 5);
	op_cmd(&ops[1], d[0]);
	assert_int_equal(rig_exec(&r, ops, 2, &bad), 0);
	assert_int_equal(xl(&r, 5, WARM, &pa, &n), XIOMMU_DMA_OK);	/* config */
	assert_int_equal(xl(&r, 5, VA, &pa, &n), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	assert_int_equal(n, COLD);
	no_event(&r);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psc_ih),
		cmocka_unit_test(test_psc_selective),
		cmocka_unit_test(test_psc_reads),
		cmocka_unit_test(test_psc_hostile),
		cmocka_unit_test(test_psc_rebind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
