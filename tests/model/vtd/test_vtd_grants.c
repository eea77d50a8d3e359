// SPDX-License-Identifier: MIT
/*
 * VT-d host grants per requester: ATS (context DTE, the device's ATS
 * enable, device-TLB descriptors) and PRI (context PRE, the device's PRI
 * enable, page responses). Without a grant the unit never uses the
 * feature for that requester and the host refuses the guest's descriptors
 * for it with -EOPNOTSUPP. With the ATS grant, the guest's IOTLB
 * invalidations reach the device TLB too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

#define RID2	(RID + 1)

static uint32_t dma2(struct rig *r, uint32_t rid, uint32_t pasid, uint64_t iova,
		     uint32_t *stag)
{
	struct xm_dma d = { .op = XIOMMU_DMA_TRANSLATE, .flags = XIOMMU_DMA_F_PASID, .sid = rid,
			    .pasid = pasid, .iova = iova };

	assert_int_equal(xh_vtd_ops.dma(r->h, &d), 0);
	if (stag)
		*stag = d.stag;
	return d.status;
}

/* @pasid of @rid nested over an empty first level at GPA 0x500000. */
static void bind_empty(struct rig *r, uint32_t rid, uint32_t pasid)
{
	struct xiommu_op op;
	uint64_t w[8];

	memset(gptr(r, 0x500000), 0, 4096);
	nested_pe(r, w, 0x500000, 0, 0);
	op_write(&op, pasid, w, 0xff)->target = rid;
	assert_int_equal(rig_exec(r, &op, 1, NULL), 0);
}

/*
 * A unit with PRI: the requester granted PRI sends a page request for a
 * missing first-level page; the one granted only ATS takes an ordinary
 * fault record (first-level entry not present), and its page responses are
 * refused.
 */
static void test_pri_grant(void **state)
{
	struct rig r;
	struct xm_event ev;
	struct xiommu_op op;
	uint64_t d[4], ce;
	uint32_t stag, bad;

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, XIOMMU_VDEV_ATS), 0);
	/* the context entry the host wrote: DTE, no PRE */
	ce = *(uint64_t *)xm_test_mem_ptr(&r.m, (*(uint64_t *)xm_test_mem_ptr(
		&r.m, r.u->root + (RID2 >> 8) * 16) & VTD_RE_CTP_MASK) + (RID2 & 0x7f) * 32);
	assert_true(ce & XI_BIT(VTD_CE_DTE));
	assert_false(ce & XI_BIT(VTD_CE_PRE));
	bind_empty(&r, RID, 5);
	bind_empty(&r, RID2, 6);
	assert_int_equal(dma2(&r, RID, 5, 0x9000, &stag), XIOMMU_DMA_STALLED);
	assert_int_equal(xh_vtd_ops.event_pop(r.h, &ev), 0);
	assert_int_equal(ev.kind, VTD_EVT_PRQ);
	assert_int_equal(dma2(&r, RID2, 6, 0x9000, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_FL_P);
	no_event(&r);
	/* a page response: for RID fine, for RID2 (no PRI granted) refused */
	vtd_qi_pgrp_resp(d, RID, 1, 5, VTD_PGR_SUCCESS, stag, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, &bad), 0);
	vtd_qi_pgrp_resp(d, RID2, 1, 6, VTD_PGR_SUCCESS, 0, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, &bad), -EOPNOTSUPP);
	/* PRI needs ATS; VT-d has no stall */
	xh_vtd_ops.stream_detach(r.h, r.dom, RID2);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, XIOMMU_VDEV_PRI), -EINVAL);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, XIOMMU_VDEV_STALL),
			 -EOPNOTSUPP);
	rig_down(&r);
}

/*
 * A guest that sends only IOTLB invalidations is correct on a requester
 * with a device TLB: the host adds the device-TLB invalidation of the same
 * PASID and range after each P_IOTLB and IOTLB descriptor of the domain's
 * DIDs (raw descriptors, as a VMM forwards them).
 */
static void test_iotlb_reaches_devtlb(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op op;
	uint64_t root, pa, d[4], *pte;

	(void)state;
	rig_up(&r, &p);		/* RID granted ATS: its device TLB is in the path */
	root = setup_nested(&r, 0);
	pte = fl_map(&r, root, 4, 0x40000, 0x100000, 12, FL_P);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x100000);
	*pte = 0x101000 | FL_P;
	/* page-selective P_IOTLB of that page, nothing else */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0x40000, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x101000);
	/* the same with a domain-selective IOTLB invalidation */
	*pte = 0x102000 | FL_P;
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, r.desc.tag, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x102000);
	/* and a P_IOTLB of another page leaves the device's entry alone (still stale) */
	*pte = 0x103000 | FL_P;
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, r.desc.tag, 5, 0x80000, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x40000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r.guest_pa + 0x102000);
	rig_down(&r);
}

/* Without the ATS grant no device TLB is used, and device-TLB descriptors are refused. */
static void test_no_ats_grant(void **state)
{
	struct rig r;
	struct xiommu_op op;
	uint64_t ce, d[4];
	uint32_t bad;

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, 0), 0);
	ce = *(uint64_t *)xm_test_mem_ptr(&r.m, (*(uint64_t *)xm_test_mem_ptr(
		&r.m, r.u->root + (RID2 >> 8) * 16) & VTD_RE_CTP_MASK) + (RID2 & 0x7f) * 32);
	assert_false(ce & (XI_BIT(VTD_CE_DTE) | XI_BIT(VTD_CE_PRE)));
	vtd_qi_pdevtlb(d, RID2, RID2, 0, 5, 0, 0x8000, 1);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, &bad), -EOPNOTSUPP);
	vtd_qi_devtlb(d, RID2, RID2, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, &bad), -EOPNOTSUPP);
	/* the requester with ATS: accepted */
	vtd_qi_devtlb(d, RID, RID, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, &bad), 0);
	rig_down(&r);
}

/*
 * A guest completion's store (XIOMMU_OP_GUEST_WRITE) goes through the
 * domain's second level after the descriptors before it; a GPA the second
 * level does not map is -EFAULT before anything of the program runs.
 */
static void test_guest_write(void **state)
{
	struct rig r;
	struct xiommu_op ops[3];
	uint64_t d[4];
	uint32_t bad;

	(void)state;
	rig_up(&r, &defaults);
	memset(ops, 0, sizeof(ops));
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, r.desc.tag, 5);
	op_cmd(&ops[0], d);
	ops[1].code = XIOMMU_OP_GUEST_WRITE;
	ops[1].count = 4;
	ops[1].w[0] = 0x3008;
	ops[1].w[1] = 0x12345678;
	*(uint32_t *)gptr(&r, 0x3008) = 0;
	assert_int_equal(rig_exec(&r, ops, 2, &bad), 0);
	assert_int_equal(*(uint32_t *)gptr(&r, 0x3008), 0x12345678);
	/* outside the second level: refused, the store before it did not happen either */
	ops[0] = ops[1];
	ops[0].w[1] = 0x55;
	ops[1].w[0] = GUEST_SIZE + 0x1000;
	assert_int_equal(rig_exec(&r, ops, 2, &bad), -EFAULT);
	assert_int_equal(bad, 1);
	assert_int_equal(*(uint32_t *)gptr(&r, 0x3008), 0x12345678);
	/* misaligned */
	ops[0].w[0] = 0x3006;
	assert_int_equal(rig_exec(&r, ops, 1, &bad), -EFAULT);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pri_grant),
		cmocka_unit_test(test_iotlb_reaches_devtlb),
		cmocka_unit_test(test_no_ats_grant),
		cmocka_unit_test(test_guest_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
