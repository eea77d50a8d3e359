// SPDX-License-Identifier: MIT
/*
 * VT-d guest domains end to end through libxiommu, the vtd plugin and the
 * embedded model. The IOTLB is tagged by DID and PASID, so two devices of
 * one guest that put the same PASID in different guest domains must get
 * different host DIDs: each translates through its own tables, and a guest
 * invalidation naming one guest DID reaches that domain only. Host DIDs are
 * a finite resource (CAP.ND): a bind that finds none fails and changes
 * nothing, and the last unbind of a guest DID gives its host DID back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include "vtd_guest.h"
#include "guest_ram.h"

#define SIZE	(8u << 20)
#define RID_A	0x0100u
#define RID_B	0x0200u
#define VRID_A	0x08u
#define VRID_B	0x10u
#define IOVA	0x7000ull

struct rig {
	struct xiommu_ctx *ctx;
	struct guest_ram ram;
	struct vtd_guest_mem gm;
	uint32_t viommu, vdev_a, vdev_b;
};

static struct rig r;

/* nd = 0: 16 DIDs, 0 and 1 unused, one the viommu's own: 13 for guest DIDs */
static int setup(void **state)
{
	static const char ini[] = "[unit vtd0]\nvendor = vtd\nnd = 0\n";
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = SIZE };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.size = SIZE };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .pasid_bits = 20 };
	uint64_t gpa;

	(void)state;
	memset(&r, 0, sizeof(r));
	if (xiommu_open_config(ini, sizeof(ini) - 1, "vtd-dids.ini", &r.ctx))
		fail_msg("%s", xiommu_last_error(NULL));
	r.ram = (struct guest_ram){ aligned_alloc(1u << 21, SIZE), 0, SIZE, 4u << 20 };
	assert_non_null(r.ram.mem);
	memset(r.ram.mem, 0, SIZE);
	for (gpa = 0; gpa < (4u << 20); gpa += 4096)
		memcpy(r.ram.mem + gpa, &gpa, sizeof(gpa));
	r.gm = (struct vtd_guest_mem){ &r.ram, guest_ram_read, guest_ram_write, 4u << 20, SIZE };
	assert_int_equal(xiommu_viommu_alloc(r.ctx, &va), 0);
	r.viommu = m.viommu_id = at.viommu_id = va.out_viommu_id;
	mr.addr = XIOMMU_PTR(r.ram.mem);
	assert_int_equal(xiommu_mem_register(r.ctx, &mr), 0);
	m.region_id = mr.out_region_id;
	assert_int_equal(xiommu_map(r.ctx, &m), 0);
	at.flags = XIOMMU_VDEV_ATS;	/* the guest invalidates device TLBs: they have ATS */
	at.psid = RID_A;
	at.vsid = VRID_A;
	assert_int_equal(xiommu_vdev_attach(r.ctx, &at), 0);
	r.vdev_a = at.out_vdev_id;
	at.psid = RID_B;
	at.vsid = VRID_B;
	assert_int_equal(xiommu_vdev_attach(r.ctx, &at), 0);
	r.vdev_b = at.out_vdev_id;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xiommu_close(r.ctx);
	free(r.ram.mem);
	return 0;
}

static int bind(uint32_t vdev, uint32_t pasid, uint64_t root, uint32_t did)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID, .vdev_id = vdev,
				 .config = XIOMMU_CONFIG_TRANSLATE, .pasid = pasid,
				 .format = XIOMMU_S1_VTD_FIRST_LEVEL, .table_gpa = root,
				 .addr_width = 48 };

	b.s1.vtd.did = did;
	return xiommu_bind(r.ctx, &b);
}

static void unbind(uint32_t vdev, uint32_t pasid)
{
	struct xiommu_unbind u = { .argsz = sizeof(u), .flags = XIOMMU_BIND_PASID,
				   .vdev_id = vdev, .pasid = pasid };

	if (xiommu_unbind(r.ctx, &u))
		fail_msg("unbind: %s", xiommu_last_error(r.ctx));
}

/* The guest page a device read of @iova reaches (each data page holds its GPA), ~0 on a fault. */
static uint64_t xlate(uint32_t rid, uint32_t pasid, uint64_t iova)
{
	uint64_t v = 0;
	struct xiommu_dma d = { .argsz = sizeof(d), .flags = XIOMMU_DMA_F_PASID,
				.op = XIOMMU_DMA_READ, .sid = rid, .pasid = pasid,
				.iova = iova, .len = 8, .buf_ptr = XIOMMU_PTR(&v) };

	if (xiommu_dma(r.ctx, &d))
		fail_msg("dma: %s", xiommu_last_error(r.ctx));
	return d.out_status == XIOMMU_DMA_OK ? v : ~0ull;
}

static uint64_t table(uint64_t iova, uint64_t gpa)
{
	uint64_t root = vtd_guest_table(&r.gm);

	assert_int_not_equal(root, 0);
	assert_int_equal(vtd_guest_fl_map(&r.gm, root, 4, iova, gpa, 12, VTD_GUEST_FL_RW), 0);
	return root;
}

/* What a guest sends after changing a PTE: P_IOTLB of its domain, then the device TLB. */
static void raw_flush(uint32_t did, uint32_t pasid, uint32_t vrid)
{
	uint64_t d[2][4];
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r.viommu,
					 .type = XIOMMU_INV_RAW_VTD, .entry_len = 32,
					 .entry_num = 2, .entries_ptr = XIOMMU_PTR(d) };

	vtd_qi_piotlb(d[0], VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
	vtd_qi_pdevtlb(d[1], vrid, vrid, 0, pasid, 0, 0, 52);
	if (xiommu_invalidate(r.ctx, &inv))
		fail_msg("invalidate: %s", xiommu_last_error(r.ctx));
}

static void test_guest_dids_do_not_alias(void **state)
{
	uint64_t ra = table(IOVA, 0x100000), rb = table(IOVA, 0x200000);

	(void)state;
	assert_int_equal(xlate(RID_A, 5, IOVA), ~0ull);	/* nothing bound yet */
	assert_int_equal(bind(r.vdev_a, 5, ra, 1), 0);
	assert_int_equal(bind(r.vdev_b, 5, rb, 2), 0);
	/* both warm, each through its own tables, again from the IOTLB */
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x100000);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x200000);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x100000);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x200000);
	/* the guest moves both pages, then invalidates guest domain 1 only */
	assert_int_equal(vtd_guest_fl_map(&r.gm, ra, 4, IOVA, 0x101000, 12, VTD_GUEST_FL_RW), 0);
	assert_int_equal(vtd_guest_fl_map(&r.gm, rb, 4, IOVA, 0x201000, 12, VTD_GUEST_FL_RW), 0);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x100000);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x200000);
	raw_flush(1, 5, VRID_A);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x101000);
	/* domain 2 still stale, even with device B's TLB flushed */
	raw_flush(1, 5, VRID_B);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x200000);
	raw_flush(2, 5, VRID_B);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x201000);
	/* a device joining guest domain 1 shares its host DID and its translations */
	assert_int_equal(bind(r.vdev_b, 6, ra, 1), 0);
	assert_int_equal(xlate(RID_B, 6, IOVA), 0x101000);
	unbind(r.vdev_b, 6);
	unbind(r.vdev_a, 5);
	unbind(r.vdev_b, 5);
}

/*
 * Two devices in guest domain 1 on PASID 5, so one host DID: the guest
 * rebinds one of them (same DID, then a new table, as a guest moving both
 * does one device at a time). Each rebind is refused by the host unless it
 * drops everything the other device's entry cached under (DID, 5), globals
 * included, before the new entry is present.
 */
static void test_rebind_in_shared_domain(void **state)
{
	uint64_t ra = table(IOVA, 0x100000), rc = table(IOVA, 0x300000);

	(void)state;
	assert_int_equal(bind(r.vdev_a, 5, ra, 1), 0);
	assert_int_equal(bind(r.vdev_b, 5, ra, 1), 0);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x100000);
	assert_int_equal(bind(r.vdev_a, 5, ra, 1), 0);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x100000);
	assert_int_equal(bind(r.vdev_a, 5, rc, 1), 0);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x300000);
	assert_int_equal(bind(r.vdev_b, 5, rc, 1), 0);
	assert_int_equal(xlate(RID_B, 5, IOVA), 0x300000);
	unbind(r.vdev_a, 5);
	unbind(r.vdev_b, 5);
}

/*
 * A guest's queue slice forwarded unchanged: P_IOTLB, then an invalidation
 * wait with SW = 1. The flush runs, then the wait's status write lands in
 * guest memory through stage 2, so the guest's polling loop ends.
 */
static void test_guest_wait_forwarded(void **state)
{
	uint64_t ra = table(IOVA, 0x100000), d[2][4];
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r.viommu,
					 .type = XIOMMU_INV_RAW_VTD, .entry_len = 32,
					 .entry_num = 2, .entries_ptr = XIOMMU_PTR(d) };
	uint32_t status = 0;

	(void)state;
	assert_int_equal(bind(r.vdev_a, 5, ra, 1), 0);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x100000);
	assert_int_equal(vtd_guest_fl_map(&r.gm, ra, 4, IOVA, 0x101000, 12, VTD_GUEST_FL_RW), 0);
	vtd_qi_piotlb(d[0], VTD_QI_PIOTLB_G_PASID, 1, 5, 0, 0, 0);
	memset(d[1], 0, sizeof(d[1]));
	d[1][0] = VTD_QI_WAIT | XI_BIT(VTD_QI_WAIT_SW) | ((uint64_t)0x600d << 32);
	d[1][1] = 0x3f0040;	/* the status address, a guest physical address */
	if (xiommu_invalidate(r.ctx, &inv))
		fail_msg("invalidate: %s", xiommu_last_error(r.ctx));
	memcpy(&status, r.ram.mem + 0x3f0040, 4);
	assert_int_equal(status, 0x600d);
	assert_int_equal(xlate(RID_A, 5, IOVA), 0x101000);	/* fresh */
	/* a status address outside the VM's memory: refused, named, nothing run */
	d[1][1] = 0x7f000000ull;
	assert_int_equal(xiommu_invalidate(r.ctx, &inv), -EFAULT);
	assert_int_equal(inv.out_error_index, 1);
	unbind(r.vdev_a, 5);
}

static void test_host_dids_run_out(void **state)
{
	uint64_t root = table(IOVA, 0x300000);
	uint32_t did;
	int ret;

	(void)state;
	/* 13 guest DIDs fit */
	for (did = 10; did < 23; did++)
		if (bind(r.vdev_a, did, root, did))
			fail_msg("bind did %u: %s", did, xiommu_last_error(r.ctx));
	/* the 14th finds no host DID: refused, named, nothing bound */
	ret = bind(r.vdev_a, 30, root, 30);
	assert_int_equal(ret, -ENOSPC);
	assert_non_null(strstr(xiommu_last_error(r.ctx), "no free host tag for guest tag 0x1e"));
	assert_int_equal(xlate(RID_A, 30, IOVA), ~0ull);
	/* a guest DID already mapped needs none */
	assert_int_equal(bind(r.vdev_b, 30, root, 12), 0);
	assert_int_equal(xlate(RID_B, 30, IOVA), 0x300000);
	/* the host DID of guest DID 11 comes back with its last binding */
	unbind(r.vdev_a, 11);
	assert_int_equal(bind(r.vdev_a, 30, root, 30), 0);
	assert_int_equal(xlate(RID_A, 30, IOVA), 0x300000);
	/* guest DID 12 has two users: one unbind keeps it */
	unbind(r.vdev_a, 12);
	assert_int_equal(bind(r.vdev_a, 31, root, 31), -ENOSPC);
	unbind(r.vdev_b, 30);
	assert_int_equal(bind(r.vdev_a, 31, root, 31), 0);
	/* an out-of-range guest DID is refused before anything */
	assert_int_equal(bind(r.vdev_a, 40, root, 0x10000), -ERANGE);
	assert_non_null(strstr(xiommu_last_error(r.ctx), "s1.vtd.did"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guest_dids_do_not_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebind_in_shared_domain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_dids_run_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_wait_forwarded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
