// SPDX-License-Identifier: MIT
/*
 * VT-d model: extra DIDs of a domain (one per guest DID). They are owned
 * like the domain's own DID (entries and descriptors may carry them, no
 * other domain's), cannot be freed while an entry carries them, leave
 * nothing cached behind when freed, a teardown leaves nothing cached, and an
 * entry sharing another requester's (DID, PASID) becomes present only after
 * the domain-selective IOTLB invalidation of that DID.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

#define RID2	(RID + 1)

static void set_did(uint64_t *w, uint32_t did)
{
	w[1] = xi_set(w[1], VTD_PE_DID_H, VTD_PE_DID_L, did);
}

/*
 * RID's PASID 5 nested over guest tables at 0x500000 (IOVA 0x1000 -> GPA
 * 0x100000) with DID @did, translated once so the IOTLB holds it; @w gets
 * the entry's words.
 */
static void bind_warm_fl(struct rig *r, uint64_t *w, uint32_t did, uint64_t fl)
{
	uint64_t pa;

	memset(gptr(r, 0x500000), 0, 4096);
	fl_map(r, 0x500000, 4, 0x1000, 0x100000, 12, fl);
	nested_pe(r, w, 0x500000, 0, 0);
	set_did(w, did);
	rig_bind(r, 5, w);
	assert_int_equal(rig_xlate(r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, r->guest_pa + 0x100000);
}

static void bind_warm(struct rig *r, uint64_t *w, uint32_t did)
{
	bind_warm_fl(r, w, did, FL_P);
}

/* Teardown of @pasid on @rid, flushing the PASID cache and IOTLB under @did. */
static int teardown(struct rig *r, uint32_t rid, uint32_t pasid, uint32_t did)
{
	struct xiommu_op ops[3];
	uint64_t z[8] = { 0 }, d[4];

	op_write(&ops[0], pasid, z, 1)->target = rid;
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, did, pasid);
	op_cmd(&ops[1], d);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
	op_cmd(&ops[2], d);
	return rig_exec(r, ops, 3, NULL);
}

/* Descriptor @d, then RID2's PASID-5 entry @w made present, in one program. */
static int install_after(struct rig *r, const uint64_t *d, const uint64_t *w, uint32_t *bad)
{
	struct xiommu_op ops[2];

	op_cmd(&ops[0], d);
	op_write(&ops[1], 5, w, 0xff)->target = RID2;
	return rig_exec(r, ops, 2, bad);
}

static void test_extra_dids_owned(void **state)
{
	struct rig r;
	struct xiommu_domain_desc desc2;
	struct xiommu_op ops[2];
	uint64_t w[8], d[4], root, pa;
	uint32_t x, y, other, bad;
	void *dom2;

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &x), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &y), 0);
	assert_int_equal(xh_vtd_ops.domain_alloc(r.h, &dom2, &desc2), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, dom2, &other), 0);
	assert_true(x != r.desc.tag && y != x && other != x && other != y &&
		    desc2.tag != r.desc.tag && x >= 2 && y >= 2);
	/* an entry with an extra DID translates; its translations are tagged by it */
	root = 0x500000;
	bind_warm(&r, w, x);
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	assert_false(vtd_tlb_holds(r.u, (uint16_t)r.desc.tag, 5, 0));
	/* another domain's DIDs, own or extra: refused in entries and descriptors */
	set_did(w, other);
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 6, w, 0xff), 1, &bad), -EPERM);
	set_did(w, desc2.tag);
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 6, w, 0xff), 1, &bad), -EPERM);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, other, 5, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, other, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), -EPERM);
	/* this domain's extra DID: accepted, and it flushes exactly that DID */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, y, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), 0);
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, x, 0, 0, 0);
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, &bad), 0);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	/* freeing: not while an entry carries it; a freed DID is no longer owned */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, x), -EBUSY);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, r.desc.tag), -EINVAL);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, other), -EINVAL);
	assert_int_equal(teardown(&r, RID, 5, x), 0);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, x), 0);
	nested_pe(&r, w, root, 0, 0);
	set_did(w, x);
	assert_int_equal(rig_exec(&r, op_write(&ops[0], 5, w, 0xff), 1, &bad), -EPERM);
	/* the next allocation may hand it out again: to another domain, clean */
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, dom2, &other), 0);
	assert_int_equal(other, x);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	xh_vtd_ops.domain_free(r.h, dom2);
	rig_down(&r);
}

/*
 * A teardown leaves nothing cached: the host queues the teardown flushes
 * after the write that clears P, even when the program sends none. Freeing
 * a DID flushes what is cached under it, even if nobody asked.
 */
static void test_free_flushes(void **state)
{
	struct rig r;
	struct xiommu_op op;
	struct xm_stats st0, st1;
	uint64_t w[8], z[8] = { 0 }, pa;
	uint32_t x;

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &x), 0);
	bind_warm(&r, w, x);
	/* P cleared with no invalidation in the program: the host's own flushes ran */
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	assert_int_equal(rig_exec(&r, op_write(&op, 5, z, 1), 1, NULL), 0);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), VTD_FR_PE_P);
	/*
	 * translations under x the host does not know of (an entry written
	 * behind its back, then cleared): tag_free still drops them
	 */
	memcpy(rig_pe(&r, RID, 6), w, sizeof(w));
	assert_int_equal(rig_xlate(&r, 0, 6, 0x1000, &pa), XIOMMU_DMA_OK);
	rig_pe(&r, RID, 6)[0] = 0;
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 6, 0));
	xh_vtd_ops.stats(r.h, &st0);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, x), 0);
	xh_vtd_ops.stats(r.h, &st1);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 6, 0));
	/* through the queue: IOTLB and PASID cache of the DID, then a wait */
	assert_int_equal(st1.host_commands - st0.host_commands, 2);
	assert_int_equal(st1.host_syncs - st0.host_syncs, 1);
	rig_down(&r);
}

/*
 * The teardown of a nested entry drops its global (G = 1) first-level
 * translations too: a PASID-selective P_IOTLB is non-global and keeps
 * them, so the host flushes the DID with the domain-selective IOTLB
 * invalidation, as Linux's PASID-entry teardown does for every type but
 * first-level-only and pass-through.
 */
static void test_teardown_drops_global(void **state)
{
	struct rig r;
	struct xiommu_op op;
	uint64_t w[8], z[8] = { 0 };
	uint32_t x;

	(void)state;
	rig_up(&r, &defaults);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &x), 0);
	bind_warm_fl(&r, w, x, FL_P | XI_BIT(VTD_FL_G));
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	assert_int_equal(rig_exec(&r, op_write(&op, 5, z, 1), 1, NULL), 0);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	rig_down(&r);
}

/*
 * Two requesters, one PASID. Translations cached under (DID, PASID) stand
 * in for any entry with that DID and PASID: a second entry with the same
 * DID needs the DID's IOTLB flushed first; one with another DID does not.
 */
static void test_present_over_caches(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	struct xiommu_op ops[2];
	uint64_t w[8], d[4], pa;
	uint32_t x, y, bad;

	(void)state;
	p.dt = 0;	/* no device TLB (nor PRS): every access reaches the IOTLB */
	rig_up(&r, &p);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, 0), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &x), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &y), 0);
	bind_warm(&r, w, x);
	/* RID2, PASID 5, DID x: (x, 5) is cached -> refused at the write */
	op_write(&ops[0], 5, w, 0xff)->target = RID2;
	assert_int_equal(rig_exec(&r, ops, 1, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	/* with the domain-selective IOTLB of x before it: accepted */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, x, 0, 0, 0);
	assert_int_equal(install_after(&r, d, w, &bad), 0);
	assert_int_equal(teardown(&r, RID2, 5, x), 0);
	/* DID y: nothing cached under (y, 5), no flush needed */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_OK);
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	set_did(w, y);
	op_write(&ops[0], 5, w, 0xff)->target = RID2;
	assert_int_equal(rig_exec(&r, ops, 1, &bad), 0);
	/* the IOTLB invalidation of another DID does not count */
	assert_int_equal(teardown(&r, RID2, 5, y), 0);
	set_did(w, x);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, y, 0, 0, 0);
	assert_int_equal(install_after(&r, d, w, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	xh_vtd_ops.stream_detach(r.h, r.dom, RID2);
	rig_down(&r);
}

/*
 * A PASID-selective P_IOTLB keeps global (G = 1) first-level translations
 * (VT-d's "non-globals within PASID"), and the IOTLB matches them by DID and
 * PASID like any other. So before a second requester's entry with the same
 * (DID, PASID) becomes present, only the domain-selective IOTLB
 * invalidation of the DID clears what the first one cached.
 */
static void test_shared_tag_drops_global(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct rig r;
	uint64_t w[8], d[4];
	uint32_t x, bad = ~0u;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, 0), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &x), 0);
	bind_warm_fl(&r, w, x, FL_P | XI_BIT(VTD_FL_G));
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	/* the P_IOTLB would leave RID's global page for RID2's entry: refused */
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, x, 5, 0, 0, 0);
	assert_int_equal(install_after(&r, d, w, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	assert_true(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	/* the domain-selective IOTLB of x first: accepted, nothing left */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, x, 0, 0, 0);
	assert_int_equal(install_after(&r, d, w, &bad), 0);
	assert_false(vtd_tlb_holds(r.u, (uint16_t)x, 5, 0));
	xh_vtd_ops.stream_detach(r.h, r.dom, RID2);
	rig_down(&r);
}

/* DIDs run out at CAP.ND; detaching gives an entry's DID back for freeing. */
static void test_dids_run_out(void **state)
{
	struct xiommu_vtd_params p = defaults;
	struct rig r;
	uint64_t w[8], root = 0x500000;
	uint32_t tags[16], n = 0, t;

	(void)state;
	p.nd = 0;	/* 16 DIDs: 0 and 1 unused, one the domain's */
	rig_up(&r, &p);
	while (n < 16 && !xh_vtd_ops.tag_alloc(r.h, r.dom, &tags[n]))
		n++;
	assert_int_equal(n, 13);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &t), -ENOSPC);
	memset(gptr(&r, root), 0, 4096);
	nested_pe(&r, w, root, 0, 0);
	set_did(w, tags[0]);
	assert_int_equal(xh_vtd_ops.stream_attach(r.h, r.dom, RID2, XIOMMU_VDEV_ATS), 0);
	{
		struct xiommu_op op;

		op_write(&op, 7, w, 0xff)->target = RID2;
		assert_int_equal(rig_exec(&r, &op, 1, NULL), 0);
	}
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, tags[0]), -EBUSY);
	xh_vtd_ops.stream_detach(r.h, r.dom, RID2);
	assert_int_equal(xh_vtd_ops.tag_free(r.h, r.dom, tags[0]), 0);
	assert_int_equal(xh_vtd_ops.tag_alloc(r.h, r.dom, &t), 0);
	assert_int_equal(t, tags[0]);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extra_dids_owned),
		cmocka_unit_test(test_free_flushes),
		cmocka_unit_test(test_teardown_drops_global),
		cmocka_unit_test(test_present_over_caches),
		cmocka_unit_test(test_shared_tag_drops_global),
		cmocka_unit_test(test_dids_run_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
