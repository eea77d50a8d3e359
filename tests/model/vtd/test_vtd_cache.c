// SPDX-License-Identifier: MIT
/*
 * VT-d model: every cache stale before its matching invalidation and fresh
 * after it, program ordering and ownership checks, the invalidation queue
 * error, page requests, fault-record overflow and hostile guest tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

static void test_pasid_cache_stale(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa, d[1][4];

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	fl_map(&r, root, 4, 0x1000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	/* a host that clears P in memory and forgets the invalidations */
	*rig_pe(&r, RID, 5) &= ~XI_BIT(VTD_PE_P);
	/* P cleared in memory, but the PASID cache and IOTLB still hold it */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	/* a PASID-cache invalidation of another PASID changes nothing */
	vtd_qi_pc(d[0], VTD_QI_PC_G_PASID, r.desc.tag, 6);
	{
		struct xiommu_op op;

		assert_int_equal(rig_exec(&r, op_cmd(&op, d[0]), 1, NULL), 0);
		assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
		vtd_qi_pc(d[0], VTD_QI_PC_G_PASID, r.desc.tag, 5);
		assert_int_equal(rig_exec(&r, op_cmd(&op, d[0]), 1, NULL), 0);
	}
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_P);
	rig_down(&r);
}

static void test_iotlb_stale(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa, d[4], *pte;
	struct xiommu_op op;

	(void)state;
	p.dt = 0;	/* no device TLB in the way */
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	pte = fl_map(&r, root, 4, 0x40000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	*pte = 0x101000 | FL_P;
	/* stale until a covering P_IOTLB */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0x42000, 1, 0);	/* 0x42000-0x43fff */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 6, 0x40000, 2, 0);	/* other PASID */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0x40000, 2, 1);	/* 0x40000-0x43fff */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	/* PASID-selective */
	*pte = 0x102000 | FL_P;
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x102000);
	/* domain-selective IOTLB (type 2) reaches nested entries */
	*pte = 0x103000 | FL_P;
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, r.desc.tag, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x103000);
	/* host unmap of the output is immediate */
	assert_int_equal(xh_vtd_ops.s2_unmap(r.h, r.dom, 0x103000, 4096), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_READ);
	rig_down(&r);
}

static void test_devtlb_stale(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa, d[4], *pte;
	struct xiommu_op op;

	(void)state;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	pte = fl_map(&r, root, 4, 0x40000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	*pte = 0x101000 | FL_P;
	/* the IOTLB alone, straight on the queue (the host would add the device TLB) */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	assert_int_equal(rig_hw_submit(&r, d), 0);
	/* the device's own TLB still has it */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	/* a PASID-based device-TLB invalidation of another PASID misses it */
	vtd_qi_pdevtlb(d, RID, 0, 0, 6, 0, 0x40000, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	vtd_qi_pdevtlb(d, RID, 0, 0, 5, 0, 0x40000, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	/*
	 * A device-TLB invalidation without PASID (type 3) is an ATS Invalidate
	 * Request without a PASID prefix: it reaches every entry in its range,
	 * PASID-tagged ones included (PCIe ATS; the SMMUv3 model's ATC_INV with
	 * SSV = 0 does the same).
	 */
	*pte = 0x102000 | FL_P;
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	assert_int_equal(rig_hw_submit(&r, d), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	vtd_qi_devtlb(d, RID, 0, 0, 0x40000, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x102000);
	rig_down(&r);
}

static void test_order_and_ownership(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op ops[6];
	uint64_t root, pa, w[8], d[4], before[8];
	uint32_t bad;

	(void)state;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	fl_map(&r, root, 4, 0x1000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	nested_pe(&r, w, root, 0, XI_BIT(VTD_PE_SRE));
	/* overwrite a present entry: refused */
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 5, w, 0xff), 1, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	/* nothing of those ran: the entry is present and unchanged */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_SRE);
	/* ownership: another DID, another S2 root, pass-through, unattached RID */
	memcpy(before, w, sizeof(w));
	w[1] = XI_PUT(r.desc.tag + 1, VTD_PE_DID_H, VTD_PE_DID_L);
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 9, w, 0xff), 1, &bad), -EPERM);
	memcpy(w, before, sizeof(w));
	w[0] += 0x1000;
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 9, w, 0xff), 1, &bad), -EPERM);
	memcpy(w, before, sizeof(w));
	w[0] = xi_set(w[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L, VTD_PGTT_PT);
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 9, w, 0xff), 1, &bad), -EPERM);
	memcpy(w, before, sizeof(w));
	op_write(&ops[0], 9, w, 0xff);
	ops[0].target = RID + 1;
	assert_int_equal(rig_exec(&r, ops, 1, &bad), -EPERM);
	ops[0].target = RID;
	ops[0].index = XIOMMU_OP_INDEX_NONE;
	assert_int_equal(rig_exec(&r, ops, 1, &bad), -EPERM);
	/* descriptors: other DID, global scopes, status write */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag + 1, 5, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	vtd_qi_pc(d, VTD_QI_PC_G_GLOBAL, r.desc.tag, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_GLOBAL, r.desc.tag, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	vtd_qi_wait(d, 1, 0, 1, r.guest_pa);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	/* a rejected entry write after a valid one: the valid one did not run */
	memcpy(w, before, sizeof(w));
	op_write(&ops[0], 9, w, 0xff);
	w[1] = 0;
	op_write(&ops[1], 10, w, 0xff);
	assert_int_equal(rig_exec(&r, ops, 2, &bad), -EPERM);
	assert_int_equal(bad, 1);
	assert_int_equal(rig_xlate(&r, 0, 9, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_P);
	/*
	 * teardown then rewrite with no invalidation in the program: the host
	 * queues the teardown flushes itself after the P-clearing write (PASID
	 * cache, P_IOTLB, PASID-based device TLB: ATS is granted, and a wait),
	 * so the new entry is what translates, not a stale copy of the old one
	 */
	{
		uint64_t z[8] = { 0 };
		struct xm_stats st0, st1;

		memcpy(w, before, sizeof(w));
		xh_vtd_ops.stats(r.h, &st0);
		op_write(&ops[0], 5, z, 1);
		op_write(&ops[1], 5, w, 0xff);
		assert_int_equal(rig_exec(&r, ops, 2, &bad), 0);
		xh_vtd_ops.stats(r.h, &st1);
		assert_int_equal(st1.host_commands - st0.host_commands, 3);
		assert_int_equal(st1.host_syncs - st0.host_syncs, 1);
		assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV, 5, 0x1000, &pa), XIOMMU_DMA_OK);
		assert_int_equal(pa, r.guest_pa + 0x100000);
	}
	rig_down(&r);
}

static void test_correct_replace(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op ops[6];
	uint64_t root, pa, w[8], z[8] = { 0 }, d[4];

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	fl_map(&r, root, 4, 0x1000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	nested_pe(&r, w, root, 0, XI_BIT(VTD_PE_SRE));
	op_write(&ops[0], 5, z, 1);
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, r.desc.tag, 5);
	op_cmd(&ops[1], d);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	op_cmd(&ops[2], d);
	op_write(&ops[3], 5, w, 0xfe);
	op_write(&ops[4], 5, w, 1);
	ops[5].code = XIOMMU_OP_SYNC;
	assert_int_equal(rig_exec(&r, ops, 6, NULL), 0);
	assert_int_equal(rig_xlate(&r, XIOMMU_DMA_F_PRIV, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	/* the wait wrote its status */
	assert_int_not_equal(rig_status(&r), 0);
	rig_down(&r);
}

static void test_iqe(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op ops[2];
	uint64_t root, pa, d[4];
	uint32_t bad;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	fl_map(&r, root, 4, 0x1000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	*gptr(&r, 0x500000) = 0;	/* guest drops its mapping */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 5, 0, 0, 0);
	op_cmd(&ops[0], d);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0, 10, 0);	/* AM 10 > MAMV 9 */
	op_cmd(&ops[1], d);
	assert_int_equal(rig_exec(&r, ops, 2, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	/* the host refused it before the queue; the unit itself stops at it with IQE */
	assert_false(vtd_model_fsts(r.u) & VTD_FSTS_IQE);
	{
		struct xm_stats st;

		xh_vtd_ops.stats(r.h, &st);
		assert_int_equal(st.queue_errors, 1);	/* visible to the VMM as well */
	}
	assert_true(rig_hw_ill(&r, d));
	/* the first descriptor did not run: still cached */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	/* misaligned address, unknown type, reserved bits */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0x1000, 1, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EINVAL);
	assert_true(rig_hw_ill(&r, d));
	d[0] = 0xb;
	d[1] = 0;
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EINVAL);
	assert_true(rig_hw_ill(&r, d));
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, r.desc.tag, 5);
	d[0] |= XI_BIT(60);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EINVAL);
	assert_true(rig_hw_ill(&r, d));
	rig_down(&r);
}

static void test_page_request(void **state)
{
	struct rig r;
	struct xm_dma dm = { .op = XIOMMU_DMA_WRITE, .flags = XIOMMU_DMA_F_PASID, .sid = RID,
			     .pasid = 5, .iova = 0x7000, .len = 8 };
	struct xm_event ev;
	struct xiommu_op op;
	uint64_t root, v = 42, d[4];

	(void)state;
	rig_up(&r, &defaults);
	root = setup_nested(&r, 0);
	dm.buf = &v;
	assert_int_equal(xh_vtd_ops.dma(r.h, &dm), 0);
	assert_int_equal(dm.status, XIOMMU_DMA_STALLED);
	assert_int_equal(xh_vtd_ops.event_pop(r.h, &ev), 0);
	assert_int_equal(ev.kind, VTD_EVT_PRQ);
	assert_int_equal(ev.nwords, 4);
	assert_int_equal(ev.w[0], VTD_PRQ_TYPE_PAGE_REQ | XI_BIT(VTD_PRQ_PASID_PRESENT) |
			 XI_PUT(RID, 31, 16) | XI_PUT(5, 51, 32));
	assert_int_equal(ev.w[1], 0x7000 | XI_BIT(VTD_PRQ_WR) | XI_BIT(VTD_PRQ_LPIG) |
			 XI_PUT(dm.stag, 11, 3));
	no_event(&r);
	/* the guest maps the page and answers */
	fl_map(&r, root, 4, 0x7000, 0x100000, 12, FL_P);
	vtd_qi_pgrp_resp(d, RID, 1, 5, VTD_PGR_SUCCESS, dm.stag, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(xh_vtd_ops.dma(r.h, &dm), 0);
	assert_int_equal(dm.status, XIOMMU_DMA_OK);
	assert_memory_equal(gptr(&r, 0x100000), &v, 8);
	rig_down(&r);
}

static void test_fault_overflow(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct xm_stats st;
	struct rig r;
	uint64_t pa, w[2];

	(void)state;
	p.nfr = 2;
	rig_up(&r, &p);
	setup_nested(&r, 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x2000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x3000, &pa), XIOMMU_DMA_FAULT);
	assert_true(vtd_model_fsts(r.u) & VTD_FSTS_PFO);
	xh_vtd_ops.stats(r.h, &st);
	assert_int_equal(st.events_lost, 1);
	fault_reason(&r, w);
	assert_int_equal(w[0], 0x1000);
	fault_reason(&r, w);
	assert_int_equal(w[0], 0x2000);
	no_event(&r);
	assert_false(vtd_model_fsts(r.u) & VTD_FSTS_PFO);
	rig_down(&r);
}

static void test_hostile_tables(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t root, pa;

	(void)state;
	rig_up(&r, &p);
	root = setup_nested(&r, 0);
	/* every level points back at the root: the walk still ends after 4 levels */
	*gptr(&r, root) = root | FL_P;
	assert_int_equal(rig_xlate(&r, 0, 5, 0, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + root);
	/* a table address above MGAW */
	*gptr(&r, root + 8) = (1ull << 50) | FL_P;
	assert_int_equal(rig_xlate(&r, 0, 5, 1ull << 39, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_RSVD);
	rig_down(&r);
}

static void test_second_level_only(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t w[8] = { 0 }, pa, v = 5;

	(void)state;
	rig_up(&r, &p);
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(r.desc.levels - 2, VTD_PE_AW_H, VTD_PE_AW_L) |
	       XI_PUT(VTD_PGTT_SL, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | r.desc.s2_root;
	w[1] = r.desc.tag;
	rig_bind(&r, 0, w);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, 0, 0, 0x3008, &v, 8, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x3008);
	assert_int_equal(*gptr(&r, 0x3008), 5);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, 0, 0, GUEST_SIZE, &v, 8, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_READ);
	rig_down(&r);
}

/* Host-owned structures changed behind the caches' back stay stale until their invalidation. */
static void test_context_and_sl_stale(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op op;
	uint64_t w[8] = { 0 }, pa, d[4], *ce, *sl, ctx_pa, re;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	setup_nested(&r, 0);
	/* context cache: PASIDE cleared in memory, cached entry still used */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);	/* warms it */
	fault_reason(&r, NULL);
	re = *(uint64_t *)xm_test_mem_ptr(&r.m, r.u->root + (RID >> 8) * 16);
	ctx_pa = (re & VTD_RE_CTP_MASK) + (RID & 0x7f) * 32;
	ce = xm_test_mem_ptr(&r.m, ctx_pa);
	*ce &= ~XI_BIT(VTD_CE_PASIDE);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_P);
	vtd_qi_cc(d, VTD_QI_CC_G_DEVICE, r.desc.tag, RID + 1, 0);	/* another device */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), -EPERM);
	vtd_qi_cc(d, VTD_QI_CC_G_DEVICE, r.desc.tag, RID, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_CTX_PASIDE);
	*ce |= XI_BIT(VTD_CE_PASIDE);
	vtd_qi_cc(d, VTD_QI_CC_G_DOMAIN, r.desc.tag, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);

	/* second-level only on the RID_PASID; a leaf changed in place */
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(r.desc.levels - 2, VTD_PE_AW_H, VTD_PE_AW_L) |
	       XI_PUT(VTD_PGTT_SL, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | r.desc.s2_root;
	w[1] = r.desc.tag;
	rig_bind(&r, 0, w);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	{
		uint64_t t = r.desc.s2_root, e = 0;
		uint32_t level;

		for (level = 4; level > 1; level--) {
			e = *(uint64_t *)xm_test_mem_ptr(&r.m, t + ((0x5000ull >> (12 + 9 * (level - 1))) & 511) * 8);
			t = e & VTD_SL_ADDR_MASK;
		}
		sl = xm_test_mem_ptr(&r.m, t + 5 * 8);
	}
	*sl = (r.guest_pa + 0x9000) | 3;
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x5000);
	/* P_IOTLB does not reach second-level-only entries; a PSI elsewhere does not either */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, r.desc.tag, 0, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_PAGE, r.desc.tag, 0x6000, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x5000);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_PAGE, r.desc.tag, 0x4000, 1, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x9000);
	/* PASID cache, domain-selective: the RID_PASID entry torn down takes effect */
	{
		uint64_t z[8] = { 0 };

		/* a host clearing P in memory without the invalidations: still cached */
		(void)z;
		*rig_pe(&r, RID, 0) &= ~XI_BIT(VTD_PE_P);
		assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa),
				 XIOMMU_DMA_OK);
		vtd_qi_pc(d, VTD_QI_PC_G_DOMAIN, r.desc.tag, 0);
		assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
		assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa),
				 XIOMMU_DMA_FAULT);
		assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_P);
	}
	rig_down(&r);
}

/* Device TLB of requests without PASID: type 3, and its size encoding. */
static void test_devtlb_rid_pasid(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op op;
	uint64_t w[8] = { 0 }, pa, d[4];

	(void)state;
	rig_up(&r, &p);
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(r.desc.levels - 2, VTD_PE_AW_H, VTD_PE_AW_L) |
	       XI_PUT(VTD_PGTT_SL, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | r.desc.s2_root;
	w[1] = r.desc.tag;
	rig_bind(&r, 0, w);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	/* the host unmaps without telling the device: its own unmap flushes device TLBs */
	assert_int_equal(xh_vtd_ops.s2_unmap(r.h, r.dom, 0x5000, 4096), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa),
			 XIOMMU_DMA_FAULT);
	fault_reason(&r, NULL);
	assert_int_equal(xh_vtd_ops.s2_map(r.h, r.dom, 0x5000, r.guest_pa + 0x5000, 4096,
					   XIOMMU_MAP_READ | XIOMMU_MAP_WRITE), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	/* entry gone, PASID cache flushed, the device still translates from its TLB */
	{
		*rig_pe(&r, RID, 0) &= ~XI_BIT(VTD_PE_P);
		vtd_qi_pc(d, VTD_QI_PC_G_PASID, r.desc.tag, 0);
		assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	}
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	vtd_qi_devtlb(d, RID, RID, 0, 0x8000, 2);	/* 16 KiB at 0x8000: misses 0x5000 */
	assert_int_equal(vtd_devtlb_order(d[1], VTD_QI_DT_S), 2);
	assert_int_equal(d[1], 0x9001);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa), XIOMMU_DMA_OK);
	vtd_qi_devtlb(d, RID, RID, 0, 0x4000, 2);	/* 0x4000-0x7fff */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, 0, 0x5000, NULL, 0, &pa),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_P);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pasid_cache_stale),
		cmocka_unit_test(test_iotlb_stale),
		cmocka_unit_test(test_devtlb_stale),
		cmocka_unit_test(test_order_and_ownership),
		cmocka_unit_test(test_correct_replace),
		cmocka_unit_test(test_iqe),
		cmocka_unit_test(test_page_request),
		cmocka_unit_test(test_fault_overflow),
		cmocka_unit_test(test_hostile_tables),
		cmocka_unit_test(test_second_level_only),
		cmocka_unit_test(test_context_and_sl_stale),
		cmocka_unit_test(test_devtlb_rid_pasid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
