// SPDX-License-Identifier: MIT
/*
 * The SMMUv3 host layer over the model: stage-2 descriptors and their
 * geometry against the Arm ARM's VMSAv8-64 stage-2 format, the commands each
 * host change puts on the unit's queue (counted as host commands), and the
 * completion write of a guest's batch.
 */
#include <stdlib.h>
#include <string.h>
#include "../model/smmuv3/rig.h"

static struct xm_stats host_stats(struct rig *r)
{
	struct xm_stats st;

	xh_smmuv3_ops.stats(r->h, &st);
	return st;
}

/* Stage-2 leaf of @gpa and its level, read from the table the host built. */
static uint64_t s2_leaf(struct rig *r, uint64_t gpa, unsigned int *lvl)
{
	return xh_pgtable_lookup(&r->d->s2, gpa, lvl);
}

/*
 * A 4 KiB read-write page: Valid + page (bits 1:0 = 11), MemAttr[5:2] =
 * 1111 (Normal, Write-Back), S2AP[7:6] = 11, SH[9:8] = 11, AF (bit 10):
 * the low bits 0x7ff, from the Arm ARM stage-2 descriptor format.
 */
static void test_s2_descriptor_words(void **state)
{
	unsigned int lvl;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	assert_int_equal(s2_leaf(&r, RIG_GPA, &lvl), r.gram_pa | 0x7ff);
	assert_int_equal(lvl, 0);
	/* read-only: S2AP = 01 */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x80000000ull, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), 0);
	assert_int_equal(s2_leaf(&r, 0x80000000ull, &lvl), r.gram_pa | 0x77f);
	rig_down(&r);
}

/* 2 MiB aligned on both sides with a 4K granule: one level-2 block (bits 1:0 = 01). */
static void test_s2_block_and_unmap_rules(void **state)
{
	uint64_t gpa = 0x80000000ull;
	unsigned int lvl;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, gpa, r.gram_pa, 2u << 20,
					      XIOMMU_MAP_READ | XIOMMU_MAP_WRITE), 0);
	assert_int_equal(s2_leaf(&r, gpa + 0x1234000, &lvl), 0);
	assert_int_equal(s2_leaf(&r, gpa + 0x123000, &lvl), r.gram_pa | 0x7fd);
	assert_int_equal(lvl, 1);
	/* overlapping map, partial unmap of the block, unmap of a hole */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, gpa + 4096, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), -EEXIST);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, gpa, 4096), -EINVAL);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, gpa + (4u << 20), 4096), -ENOENT);
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, gpa, 2u << 20), 0);
	assert_int_equal(s2_leaf(&r, gpa, &lvl), 0);
	rig_down(&r);
}

/*
 * Every host change's flushes go through the queue: unmap (TLBI_S2_IPA per
 * page, TLBI_NH_ALL, ATC_INV per ATS stream), detach of a stream whose STE
 * left abort (CFGI_STE, ATC_INV, STALL_TERM), each batch closed by one
 * CMD_SYNC; a stream that never left the abort STE needs none.
 */
static void test_host_flush_counts(void **state)
{
	struct xm_stats a, b;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	uint64_t ste[8];

	a = host_stats(&r);
	/* the new STE goes from invalid (never cached) to abort: no command */
	assert_int_equal(xh_smmuv3_ops.stream_attach(r.h, r.d, 9, XIOMMU_VDEV_ATS), 0);
	assert_int_equal(xh_smmuv3_ops.stream_attach(r.h, r.d, 10, XIOMMU_VDEV_ATS), 0);
	b = host_stats(&r);
	assert_int_equal(b.host_commands - a.host_commands, 0);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, 9, ste), 0);	/* the guest's program: not the host's */
	a = host_stats(&r);
	assert_int_equal(a.host_commands - b.host_commands, 0);
	assert_int_equal(a.commands - b.commands, 2);	/* CFGI_STE + CMD_SYNC, consumed */
	assert_int_equal(xh_smmuv3_ops.s2_unmap(r.h, r.d, RIG_GPA, 8192), 0);
	b = host_stats(&r);
	/* 2 x TLBI_S2_IPA + TLBI_NH_ALL + ATC_INV for SIDs 9, 10 and RIG_SID */
	assert_int_equal(b.host_commands - a.host_commands, 6);
	assert_int_equal(b.host_syncs - a.host_syncs, 1);
	/* SID 9 left abort: CFGI_STE, ATC_INV, STALL_TERM; SID 10 never did: nothing */
	xh_smmuv3_ops.stream_detach(r.h, r.d, 9);
	a = host_stats(&r);
	assert_int_equal(a.host_commands - b.host_commands, 3);
	assert_int_equal(a.host_syncs - b.host_syncs, 1);
	xh_smmuv3_ops.stream_detach(r.h, r.d, 10);
	b = host_stats(&r);
	assert_int_equal(b.host_commands - a.host_commands, 0);
	rig_down(&r);
}

static struct xiommu_op guest_write(uint64_t gpa, uint64_t v, uint16_t count)
{
	struct xiommu_op op;

	memset(&op, 0, sizeof(op));
	op.code = XIOMMU_OP_GUEST_WRITE;
	op.count = count;
	op.index = XIOMMU_OP_INDEX_NONE;
	op.w[0] = gpa;
	op.w[1] = v;
	return op;
}

/* A guest completion's store lands through stage 2, after the SYNC. */
static void test_guest_write(void **state)
{
	struct xiommu_op ops[3];
	uint32_t bad;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	memset(ops, 0, sizeof(ops));
	ops[0].code = XIOMMU_OP_SYNC;
	ops[1] = guest_write(RIG_GPA + 0x100, 0x5a5a0001u, 4);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 2, &bad), 0);
	assert_int_equal(*(uint32_t *)gptr(&r, RIG_GPA + 0x100), 0x5a5a0001u);
	/* unmapped, read-only, misaligned, bad size: refused before anything runs */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x80000000ull, r.gram_pa, 4096,
					      XIOMMU_MAP_READ), 0);
	ops[1] = guest_write(0x90000000ull, 1, 4);
	ops[2] = guest_write(RIG_GPA + 0x200, 2, 4);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EFAULT);
	assert_int_equal(bad, 1);
	ops[1] = guest_write(0x80000000ull, 1, 4);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EFAULT);
	ops[1] = guest_write(RIG_GPA + 0x102, 1, 4);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EFAULT);
	ops[1] = guest_write(RIG_GPA + 0x100, 1, 2);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EFAULT);
	assert_int_equal(*(uint32_t *)gptr(&r, RIG_GPA + 0x200), 0);
	rig_down(&r);
}

/*
 * A program the check accepts but the host refuses later changes nothing
 * either: MSI_MAP, MSI_UNMAP, MSI_MAP of one doorbell GPA passes the check
 * (the shadow list follows the ops), but the doorbells are mapped before
 * anything runs, so the second map met the first and the undo left the
 * stage-2 tables it had linked in. It is refused before any map now.
 */
static void test_msi_remap_refused_unchanged(void **state)
{
	const uint64_t gpa = 0x80000000ull;	/* no stage-2 table reaches it yet */
	struct xiommu_op ops[3];
	struct xm_stats a, b;
	uint8_t *before;
	uint32_t bad = 0;
	uint64_t used;
	struct rig r;
	int i;

	(void)state;
	rig_up(&r, NULL);
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++) {
		ops[i].code = i == 1 ? XIOMMU_OP_MSI_UNMAP : XIOMMU_OP_MSI_MAP;
		ops[i].index = XIOMMU_OP_INDEX_NONE;
		ops[i].w[0] = gpa;
	}
	used = r.mem.next;
	before = malloc(used);
	assert_non_null(before);
	memcpy(before, r.mem.base, used);
	a = host_stats(&r);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	b = host_stats(&r);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_memory_equal(before, r.mem.base, used);
	free(before);
	/* each half alone is fine */
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 2, &bad), 0);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops + 2, 1, &bad), 0);
	rig_down(&r);
}

/*
 * Every doorbell a program maps is mapped before anything runs, so a
 * program maps at most as many as a domain holds (8), however many it
 * unmaps in between: the 9th map of distinct GPAs is refused, unchanged.
 */
static void test_msi_maps_per_program_bounded(void **state)
{
	struct xiommu_op ops[18];
	struct xm_stats a, b;
	uint32_t bad = 0;
	struct rig r;
	int i;

	(void)state;
	rig_up(&r, NULL);
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 18; i++) {
		ops[i].code = i % 2 ? XIOMMU_OP_MSI_UNMAP : XIOMMU_OP_MSI_MAP;
		ops[i].index = XIOMMU_OP_INDEX_NONE;
		ops[i].w[0] = 0x80000000ull + (uint64_t)(i / 2) * 0x10000;
	}
	a = host_stats(&r);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 18, &bad), -EEXIST);
	assert_int_equal(bad, 16);
	b = host_stats(&r);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 16, &bad), 0);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s2_descriptor_words),
		cmocka_unit_test(test_s2_block_and_unmap_rules),
		cmocka_unit_test(test_host_flush_counts),
		cmocka_unit_test(test_guest_write),
		cmocka_unit_test(test_msi_remap_refused_unchanged),
		cmocka_unit_test(test_msi_maps_per_program_bounded),
	};

	return cmocka_run_group_tests_name("smmuv3_host", tests, NULL, NULL);
}
