// SPDX-License-Identifier: MIT
/*
 * VT-d host grants per requester: ATS (context DTE, the device's ATS
 * enable, device-TLB descriptors) and PRI (context PRE, the device's PRI
 * enable, page responses). Without a grant the unit never uses the
 * feature for that requester and the host refuses the guest's descriptors
 * for it with -EOPNOTSUPP.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pri_grant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
