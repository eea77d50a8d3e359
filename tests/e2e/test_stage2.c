// SPDX-License-Identifier: MIT
/*
 * End to end through the public API, on every unit of a config (argv[1],
 * the real plugins and the embedded models): what a device's DMA reaches
 * in each generic config, stage-2 permission and translation faults as
 * generic records, and unmap taking effect at once (no stale translation).
 * Vendor-neutral: only generic messages are used.
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

#define GPA_RW	0x40000000ull
#define GPA_RO	0x80000000ull
#define MEM_SIZE (4u << 20)

static const char *config;

struct rig {
	struct xiommu_ctx *ctx;
	struct xiommu_hw_info hw;
	uint32_t unit, viommu, region, vdev, sid;
	uint8_t *mem;
};

static void rig_up(struct rig *r, uint32_t unit)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = unit };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = MEM_SIZE };
	struct xiommu_map rw = { .argsz = sizeof(rw), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				 .gpa = GPA_RW, .size = 2u << 20 };
	struct xiommu_map ro = { .argsz = sizeof(ro), .flags = XIOMMU_MAP_READ, .gpa = GPA_RO,
				 .offset = 2u << 20, .size = 1u << 20 };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .vsid = 0x99 };

	memset(r, 0, sizeof(*r));
	r->unit = unit;
	if (xiommu_open(config, &r->ctx))
		fail_msg("open %s: %s", config, xiommu_last_error(NULL));
	r->hw.argsz = sizeof(r->hw);
	r->hw.unit = unit;
	assert_int_equal(xiommu_hw_info(r->ctx, &r->hw), 0);
	assert_int_equal(xiommu_viommu_alloc(r->ctx, &va), 0);
	r->viommu = va.out_viommu_id;
	r->mem = aligned_alloc(1u << 21, MEM_SIZE);
	assert_non_null(r->mem);
	memset(r->mem, 0xee, MEM_SIZE);
	mr.addr = XIOMMU_PTR(r->mem);
	assert_int_equal(xiommu_mem_register(r->ctx, &mr), 0);
	r->region = mr.out_region_id;
	rw.viommu_id = ro.viommu_id = r->viommu;
	rw.region_id = ro.region_id = r->region;
	if (xiommu_map(r->ctx, &rw) || xiommu_map(r->ctx, &ro))
		fail_msg("map: %s", xiommu_last_error(r->ctx));
	r->sid = r->hw.sid_bits >= 8 ? 0x10 : 1;
	at.viommu_id = r->viommu;
	at.psid = r->sid;
	if (xiommu_vdev_attach(r->ctx, &at))
		fail_msg("attach: %s", xiommu_last_error(r->ctx));
	r->vdev = at.out_vdev_id;
}

static void rig_down(struct rig *r)
{
	xiommu_close(r->ctx);
	free(r->mem);
}

static uint32_t dma(struct rig *r, uint32_t op, uint64_t iova, void *buf, uint64_t len)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = r->unit, .op = op, .sid = r->sid,
				.iova = iova, .len = len, .buf_ptr = XIOMMU_PTR(buf) };

	if (xiommu_dma(r->ctx, &d))
		fail_msg("dma: %s", xiommu_last_error(r->ctx));
	return d.out_status;
}

static uint32_t faults(struct rig *r, struct xiommu_fault *f, uint32_t n)
{
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = r->viommu,
					.record_len = sizeof(*f), .count = n,
					.records_ptr = XIOMMU_PTR(f) };

	assert_int_equal(xiommu_fault_read(r->ctx, &fr), 0);
	return fr.count;
}

static void set_config(struct rig *r, uint32_t config_value)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = r->vdev, .config = config_value };

	if (xiommu_bind(r->ctx, &b))
		fail_msg("bind config %u: %s", config_value, xiommu_last_error(r->ctx));
}

static void each_unit(void (*fn)(struct rig *))
{
	struct xiommu_ctx *ctx;
	uint32_t n, u;

	if (xiommu_open(config, &ctx))
		fail_msg("open %s: %s", config, xiommu_last_error(NULL));
	n = xiommu_unit_count(ctx);
	xiommu_close(ctx);
	assert_true(n > 0);
	for (u = 0; u < n; u++) {
		struct rig r;

		rig_up(&r, u);
		print_message("unit %s (%s)\n", r.hw.unit_name, r.hw.vendor_name);
		fn(&r);
		rig_down(&r);
	}
}

static void abort_then_bypass(struct rig *r)
{
	uint64_t pattern = 0x1122334455667788ull, back = 0;
	struct xiommu_fault f[4];

	/* attached devices start in ABORT: nothing reaches memory */
	assert_int_not_equal(dma(r, XIOMMU_DMA_WRITE, GPA_RW + 0x1000, &pattern, 8), XIOMMU_DMA_OK);
	assert_int_equal(r->mem[0x1000], 0xee);
	faults(r, f, 4);
	/* BYPASS: IOVA = GPA, stage 2 only */
	set_config(r, XIOMMU_CONFIG_BYPASS);
	assert_int_equal(dma(r, XIOMMU_DMA_WRITE, GPA_RW + 0x1000, &pattern, 8), XIOMMU_DMA_OK);
	assert_memory_equal(r->mem + 0x1000, &pattern, 8);
	assert_int_equal(dma(r, XIOMMU_DMA_READ, GPA_RW + 0x1000, &back, 8), XIOMMU_DMA_OK);
	assert_int_equal(back, pattern);
	/* a read-only stage-2 mapping refuses writes with a permission fault */
	assert_int_equal(dma(r, XIOMMU_DMA_WRITE, GPA_RO + 0x40, &pattern, 8), XIOMMU_DMA_FAULT);
	assert_int_equal(r->mem[(2u << 20) + 0x40], 0xee);
	assert_int_equal(faults(r, f, 4), 1);
	assert_int_equal(f[0].type, XIOMMU_FAULT_DMA);
	assert_int_equal(f[0].reason, XIOMMU_FR_PERMISSION);
	assert_int_equal(f[0].vdev_id, r->vdev);
	assert_true(f[0].flags & XIOMMU_FAULT_F_ADDR);
	assert_int_equal(f[0].addr, GPA_RO + 0x40);
	assert_int_equal(dma(r, XIOMMU_DMA_READ, GPA_RO + 0x40, &back, 8), XIOMMU_DMA_OK);
	/* nothing mapped: translation fault */
	assert_int_equal(dma(r, XIOMMU_DMA_READ, 0x10000000, &back, 8), XIOMMU_DMA_FAULT);
	assert_int_equal(faults(r, f, 4), 1);
	assert_int_equal(f[0].reason, XIOMMU_FR_TRANSLATION);
	assert_int_equal(f[0].addr, 0x10000000);
	/* back to ABORT */
	set_config(r, XIOMMU_CONFIG_ABORT);
	assert_int_not_equal(dma(r, XIOMMU_DMA_READ, GPA_RW + 0x1000, &back, 8), XIOMMU_DMA_OK);
}

static void unmap_is_immediate(struct rig *r)
{
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = r->viommu, .gpa = GPA_RO,
				   .size = 1u << 20 };
	struct xiommu_dma t = { .argsz = sizeof(t), .unit = r->unit, .op = XIOMMU_DMA_TRANSLATE,
				.sid = r->sid, .iova = GPA_RO + 0x2000 };
	uint64_t v;

	set_config(r, XIOMMU_CONFIG_BYPASS);
	/* warm the TLB, then unmap: the next access must not use the old entry */
	assert_int_equal(xiommu_dma(r->ctx, &t), 0);
	assert_int_equal(t.out_status, XIOMMU_DMA_OK);
	assert_int_equal(t.out_perm & (XIOMMU_PERM_READ | XIOMMU_PERM_WRITE), XIOMMU_PERM_READ);
	assert_int_equal(xiommu_dma(r->ctx, &t), 0);
	assert_int_equal(xiommu_unmap(r->ctx, &um), 0);
	assert_int_equal(dma(r, XIOMMU_DMA_READ, GPA_RO + 0x2000, &v, 8), XIOMMU_DMA_FAULT);
}

static void detach_aborts(struct rig *r)
{
	uint64_t v = 7;

	set_config(r, XIOMMU_CONFIG_BYPASS);
	assert_int_equal(dma(r, XIOMMU_DMA_WRITE, GPA_RW, &v, 8), XIOMMU_DMA_OK);
	assert_int_equal(xiommu_vdev_detach(r->ctx, r->vdev), 0);
	v = 9;
	assert_int_not_equal(dma(r, XIOMMU_DMA_WRITE, GPA_RW, &v, 8), XIOMMU_DMA_OK);
	assert_int_equal(r->mem[0], 7);
}

static void test_abort_bypass(void **state)
{
	(void)state;
	each_unit(abort_then_bypass);
}

static void test_unmap(void **state)
{
	(void)state;
	each_unit(unmap_is_immediate);
}

static void test_detach(void **state)
{
	(void)state;
	each_unit(detach_aborts);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abort_bypass),
		cmocka_unit_test(test_unmap),
		cmocka_unit_test(test_detach),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s CONFIG.ini\n", argv[0]);
		return 2;
	}
	config = argv[1];
	return cmocka_run_group_tests_name("e2e-stage2", tests, NULL, NULL);
}
