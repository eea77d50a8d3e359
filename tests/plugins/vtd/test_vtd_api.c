// SPDX-License-Identifier: MIT
/*
 * VT-d end to end through the public API on the embedded backend: a VMM
 * binds one guest PASID's first level, DMA goes through both stages, a
 * generic range invalidation is needed before a changed guest PTE is seen,
 * unbind faults, and a page request is answered and retried.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/xiommu.h>
#include <xiommu/arch/vtd.h>

#define MEM_SIZE	(8u << 20)
#define RID		0x0210u
#define FLP		(XI_BIT(VTD_FL_P) | XI_BIT(VTD_FL_RW) | XI_BIT(VTD_FL_US))

static const char ini[] = "[unit vtd0]\nvendor = vtd\nbackend = embedded\n";

struct api {
	struct xiommu_ctx *ctx;
	uint8_t *mem;
	uint32_t viommu, vdev;
	uint64_t next;
};

static uint64_t *gp(struct api *a, uint64_t gpa)
{
	return (uint64_t *)(a->mem + gpa);
}

static void fl_map4k(struct api *a, uint64_t root, uint64_t iova, uint64_t gpa, uint64_t flags)
{
	uint64_t t = root;
	int level;

	for (level = 4; level > 1; level--) {
		uint64_t *e = gp(a, t + ((iova >> (12 + 9 * (level - 1))) & 511) * 8);

		if (!(*e & 1)) {
			a->next += 4096;
			*e = a->next | FLP;
		}
		t = *e & VTD_FL_ADDR_MASK;
	}
	*gp(a, t + ((iova >> 12) & 511) * 8) = gpa | flags;
}

/* @grants: XIOMMU_VDEV_* the host gives the device */
static void up_ini(struct api *a, const char *text, uint32_t len, uint32_t grants)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = MEM_SIZE };
	struct xiommu_map mp = { .argsz = sizeof(mp), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				 .size = MEM_SIZE };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = RID, .vsid = 0x18,
					 .pasid_bits = 20 };

	memset(a, 0, sizeof(*a));
	if (xiommu_open_config(text, len, "vtd-api", &a->ctx))
		fail_msg("open: %s", xiommu_last_error(NULL));
	a->mem = aligned_alloc(4096, MEM_SIZE);
	assert_non_null(a->mem);
	memset(a->mem, 0, MEM_SIZE);
	assert_int_equal(xiommu_viommu_alloc(a->ctx, &va), 0);
	a->viommu = va.out_viommu_id;
	mr.addr = XIOMMU_PTR(a->mem);
	assert_int_equal(xiommu_mem_register(a->ctx, &mr), 0);
	mp.viommu_id = a->viommu;
	mp.region_id = mr.out_region_id;
	assert_int_equal(xiommu_map(a->ctx, &mp), 0);
	at.viommu_id = a->viommu;
	at.flags = grants;
	if (xiommu_vdev_attach(a->ctx, &at))
		fail_msg("attach: %s", xiommu_last_error(a->ctx));
	a->vdev = at.out_vdev_id;
	a->next = 0x600000;
}

static void up(struct api *a, uint32_t grants)
{
	up_ini(a, ini, sizeof(ini) - 1, grants);
}

static void down(struct api *a)
{
	xiommu_close(a->ctx);
	free(a->mem);
}

static uint32_t dma(struct api *a, uint32_t op, uint64_t iova, void *buf, uint64_t len,
		    uint64_t *hpa)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .flags = XIOMMU_DMA_F_PASID, .op = op,
				.sid = RID, .pasid = 5, .iova = iova, .len = len,
				.buf_ptr = XIOMMU_PTR(buf) };

	if (xiommu_dma(a->ctx, &d))
		fail_msg("dma: %s", xiommu_last_error(a->ctx));
	if (hpa)
		*hpa = d.out_addr;
	return d.out_status;
}

static uint32_t faults(struct api *a, struct xiommu_fault *f, uint32_t n)
{
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = a->viommu,
					.record_len = sizeof(*f), .count = n,
					.records_ptr = XIOMMU_PTR(f) };

	assert_int_equal(xiommu_fault_read(a->ctx, &fr), 0);
	return fr.count;
}

static void bind5(struct api *a)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID,
				 .vdev_id = a->vdev, .config = XIOMMU_CONFIG_TRANSLATE, .pasid = 5,
				 .format = XIOMMU_S1_VTD_FIRST_LEVEL, .table_gpa = 0x500000,
				 .addr_width = 48 };

	if (xiommu_bind(a->ctx, &b))
		fail_msg("bind: %s", xiommu_last_error(a->ctx));
}

static void test_api_nested(void **state)
{
	struct xiommu_hw_info hw = { .argsz = sizeof(hw) };
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID, .pasid = 5, .addr = 0x7000,
				      .size = 0x1000 };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(e), .entry_num = 1,
					 .entries_ptr = XIOMMU_PTR(&e) };
	struct xiommu_unbind ub = { .argsz = sizeof(ub), .flags = XIOMMU_BIND_PASID, .pasid = 5 };
	struct xiommu_fault f[4];
	uint64_t v = 0x5a5a, back = 0, hpa, hpa2;
	struct api a;

	(void)state;
	up(&a, XIOMMU_VDEV_ATS);
	assert_int_equal(xiommu_hw_info(a.ctx, &hw), 0);
	assert_int_equal(hw.vendor, XIOMMU_VENDOR_VTD);
	assert_true(hw.features & XIOMMU_HW_BIND_PASID);
	assert_false(hw.features & (XIOMMU_HW_MSI_NESTING | XIOMMU_HW_BIND_TABLE));
	bind5(&a);
	fl_map4k(&a, 0x500000, 0x7000, 0x100000, FLP);
	assert_int_equal(dma(&a, XIOMMU_DMA_WRITE, 0x7010, &v, 8, &hpa), XIOMMU_DMA_OK);
	assert_memory_equal(a.mem + 0x100010, &v, 8);
	/* the guest moves the page: stale until the generic range invalidation */
	fl_map4k(&a, 0x500000, 0x7000, 0x101000, FLP);
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x7010, &back, 8, &hpa2), XIOMMU_DMA_OK);
	assert_int_equal(hpa2, hpa);
	inv.viommu_id = a.viommu;
	assert_int_equal(xiommu_invalidate(a.ctx, &inv), 0);
	/*
	 * the device has ATS: the host follows the IOTLB invalidation with the
	 * device-TLB one, so the IOTLB entry alone is enough to see the move
	 */
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x7010, &back, 8, &hpa2), XIOMMU_DMA_OK);
	assert_int_equal(hpa2, hpa + 0x1000);
	/* a VMM asking for the device TLB too is fine */
	e.cache = XIOMMU_CACHE_DEVTLB;
	e.flags |= XIOMMU_INV_F_VDEV;
	e.vdev_id = a.vdev;
	assert_int_equal(xiommu_invalidate(a.ctx, &inv), 0);
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x7010, &back, 8, &hpa2), XIOMMU_DMA_OK);
	assert_int_equal(hpa2, hpa + 0x1000);
	/* unbind: DMA faults, the record is generic */
	ub.vdev_id = a.vdev;
	assert_int_equal(xiommu_unbind(a.ctx, &ub), 0);
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x7010, &back, 8, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(faults(&a, f, 4), 1);
	assert_int_equal(f[0].type, XIOMMU_FAULT_DMA);
	assert_int_equal(f[0].reason, XIOMMU_FR_DISABLED);
	assert_int_equal(f[0].vendor_code, VTD_FR_PE_P);
	assert_int_equal(f[0].pasid, 5);
	assert_int_equal(f[0].addr, 0x7010);
	assert_int_equal(f[0].vdev_id, a.vdev);
	down(&a);
}

static void test_api_page_request(void **state)
{
	struct xiommu_page_response r = { .argsz = sizeof(r), .flags = XIOMMU_FAULT_F_PASID,
					  .pasid = 5, .code = XIOMMU_PAGE_SUCCESS };
	struct xiommu_fault_encode fe = { .argsz = sizeof(fe) };
	struct xiommu_fault f[2];
	uint64_t v = 0, rec[4];
	struct api a;

	(void)state;
	up(&a, XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI);
	bind5(&a);
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x9000, &v, 8, NULL), XIOMMU_DMA_STALLED);
	assert_int_equal(faults(&a, f, 2), 1);
	assert_int_equal(f[0].type, XIOMMU_FAULT_PAGE_REQ);
	assert_int_equal(f[0].addr, 0x9000);
	assert_true(f[0].flags & XIOMMU_FAULT_F_LAST);
	/* the guest's page request descriptor names the vRID */
	fe.viommu_id = a.viommu;
	fe.buf_len = sizeof(rec);
	fe.fault_ptr = XIOMMU_PTR(&f[0]);
	fe.buf_ptr = XIOMMU_PTR(rec);
	assert_int_equal(xiommu_fault_encode(a.ctx, &fe), 0);
	assert_int_equal(XI_GET(rec[0], VTD_PRQ_RID_H, VTD_PRQ_RID_L), 0x18);
	fl_map4k(&a, 0x500000, 0x9000, 0x100000, FLP);
	*gp(&a, 0x100000) = 77;
	r.viommu_id = a.viommu;
	r.vdev_id = a.vdev;
	r.grpid = f[0].grpid;
	if (xiommu_page_response(a.ctx, &r))
		fail_msg("page_response: %s", xiommu_last_error(a.ctx));
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x9000, &v, 8, NULL), XIOMMU_DMA_OK);
	assert_int_equal(v, 77);
	down(&a);
}

/*
 * A unit without page-selective invalidation (psi = no): a generic range
 * is widened to the PASID and counted; a guest's page-selective P_IOTLB in
 * a raw batch is refused and named by out_error_index, and nothing of the
 * batch runs.
 */
static void test_api_no_psi(void **state)
{
	static const char nopsi[] = "[unit vtd0]\nvendor = vtd\nbackend = embedded\npsi = no\n"
				    "mamv = 0\n";
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID, .pasid = 5, .addr = 0x7000,
				      .size = 0x1000 };
	/* P_IOTLB (type 6) of guest DID 0, PASID 5: PASID-selective, then page-selective */
	uint64_t g[2][4] = { { 0x0000000500000026ull, 0, 0, 0 },
			     { 0x0000000500000036ull, 0x7000, 0, 0 } };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(e), .entry_num = 1,
					 .entries_ptr = XIOMMU_PTR(&e) };
	struct xiommu_stats st0 = { .argsz = sizeof(st0) }, st1 = { .argsz = sizeof(st1) };
	struct api a;

	(void)state;
	up_ini(&a, nopsi, sizeof(nopsi) - 1, XIOMMU_VDEV_ATS);
	bind5(&a);
	inv.viommu_id = a.viommu;
	assert_int_equal(xiommu_stats(a.ctx, &st0), 0);
	if (xiommu_invalidate(a.ctx, &inv))
		fail_msg("invalidate: %s", xiommu_last_error(a.ctx));
	assert_int_equal(xiommu_stats(a.ctx, &st1), 0);
	assert_int_equal(st1.widened - st0.widened, 1);
	assert_int_equal(st1.queue_errors, st0.queue_errors);
	inv.type = XIOMMU_INV_RAW_VTD;
	inv.entry_len = 32;
	inv.entry_num = 2;
	inv.entries_ptr = XIOMMU_PTR(g);
	assert_int_equal(xiommu_invalidate(a.ctx, &inv), -EOPNOTSUPP);
	assert_int_equal(inv.out_error_index, 1);
	assert_non_null(strstr(xiommu_last_error(a.ctx), "page-selective"));
	assert_int_equal(xiommu_stats(a.ctx, &st0), 0);
	assert_int_equal(st0.programs, st1.programs);
	assert_int_equal(st0.queue_errors, st1.queue_errors);
	down(&a);
}

/*
 * PRI is the host's grant per device: attached with ATS but without PRI on
 * a unit that has PRI, a missing first-level page is an ordinary fault
 * record (VT-d fault reason 71h, first-level entry not present), never a
 * page request nobody could answer.
 */
static void test_api_no_pri_grant(void **state)
{
	struct xiommu_fault f[2];
	uint64_t v = 0;
	struct api a;

	(void)state;
	up(&a, XIOMMU_VDEV_ATS);
	bind5(&a);
	assert_int_equal(dma(&a, XIOMMU_DMA_READ, 0x9000, &v, 8, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(faults(&a, f, 2), 1);
	assert_int_equal(f[0].type, XIOMMU_FAULT_DMA);
	assert_int_equal(f[0].vendor_code, 0x71);
	assert_int_equal(f[0].addr, 0x9000);
	assert_int_equal(f[0].pasid, 5);
	down(&a);
}

/*
 * Unbinding the whole device to ABORT is silent, as XIOMMU_DMA_ABORT
 * documents (SMMUv3's abort STE reports nothing either): the DMA is
 * aborted and no fault record is queued.
 */
static void test_api_abort_silent(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_BYPASS };
	struct xiommu_unbind ub = { .argsz = sizeof(ub), .config = XIOMMU_CONFIG_ABORT };
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_TRANSLATE, .sid = RID,
				.iova = 0x3000 };
	struct xiommu_fault f[2];
	struct api a;

	(void)state;
	up(&a, XIOMMU_VDEV_ATS);
	/* attached: ABORT from the start, silently */
	assert_int_equal(xiommu_dma(a.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_ABORT);
	assert_int_equal(faults(&a, f, 2), 0);
	/* BYPASS (second level only): the IOVA is the GPA */
	b.vdev_id = a.vdev;
	if (xiommu_bind(a.ctx, &b))
		fail_msg("bind: %s", xiommu_last_error(a.ctx));
	assert_int_equal(xiommu_dma(a.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_OK);
	/* back to ABORT: aborted, and no record */
	ub.vdev_id = a.vdev;
	if (xiommu_unbind(a.ctx, &ub))
		fail_msg("unbind: %s", xiommu_last_error(a.ctx));
	assert_int_equal(xiommu_dma(a.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_ABORT);
	assert_int_equal(faults(&a, f, 2), 0);
	down(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_nested),
		cmocka_unit_test(test_api_page_request),
		cmocka_unit_test(test_api_no_psi),
		cmocka_unit_test(test_api_no_pri_grant),
		cmocka_unit_test(test_api_abort_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
