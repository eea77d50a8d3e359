// SPDX-License-Identifier: MIT
/*
 * Faults: what a guest learns from its fault queue is exact — reason,
 * flags, input address, fetch address, PASID, vdev — for an unmapped page,
 * each permission (read-only, no-execute, privileged-only), and stage-2
 * faults on the output address and during the stage-1 walk.
 */
#include <string.h>
#include "cf.h"

/* The one fault record a faulting access left, checked field by field. */
static int one_fault(struct cf *t, int line, const struct cf_dev *d, uint32_t reason,
		     uint32_t must, uint32_t must_not, uint64_t addr, uint32_t perm)
{
	struct xiommu_fault f[2];
	uint32_t n = cf_faults(t, d->viommu, f, 2);

	if (n != 1)
		return cf_failf(t, line, "fault records: expected 1, seen %u", n);
	if (f[0].type != XIOMMU_FAULT_DMA)
		return cf_eq_fail(t, line, "fault type", f[0].type, XIOMMU_FAULT_DMA);
	if (f[0].reason != reason)
		return cf_eq_fail(t, line, "fault reason", f[0].reason, reason);
	if ((f[0].flags & must) != must || (f[0].flags & must_not))
		return cf_failf(t, line, "fault flags: expected 0x%x set and 0x%x clear, seen 0x%x",
				must, must_not, f[0].flags);
	if (f[0].addr != addr)
		return cf_eq_fail(t, line, "fault addr", f[0].addr, addr);
	if (f[0].pasid != CF_PASID)
		return cf_eq_fail(t, line, "fault pasid", f[0].pasid, CF_PASID);
	if (f[0].vdev_id != d->id)
		return cf_eq_fail(t, line, "fault vdev", f[0].vdev_id, d->id);
	if (perm && (f[0].perm & perm) != perm)
		return cf_failf(t, line, "fault perm: expected 0x%x set, seen 0x%x", perm,
				f[0].perm);
	return CF_PASS;
}
#define ONE_FAULT(d, reason, must, must_not, addr, perm) do { \
	if (one_fault(t, __LINE__, d, reason, must, must_not, addr, perm)) \
		return CF_FAIL; \
} while (0)

#define F_PA	(XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_ADDR)

static int fault_unmapped(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_STATUS("unmapped read", cf_read(t, d, CF_PASID, CF_IOVA + 0x5008, 0, &v),
		  XIOMMU_DMA_FAULT);
	ONE_FAULT(d, XIOMMU_FR_TRANSLATION, F_PA, XIOMMU_FAULT_F_STAGE2, CF_IOVA + 0x5008,
		  XIOMMU_PERM_READ);
	CF_STATUS("mapped neighbour still reads", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v),
		  XIOMMU_DMA_OK);
	CF_EQ("mapped neighbour page", v, cf_page(1));
	CF_EQ("no record for a good access", cf_faults(t, t->viommu, (struct xiommu_fault[1]){}, 1), 0);
	return CF_PASS;
}

static int fault_readonly(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_OK("map read-only", cf_map(t, &t->g, &s1, CF_IOVA + 0x2000, cf_page(2), 12,
				      XIOMMU_PERM_READ));
	CF_STATUS("read of a read-only page", cf_read(t, d, CF_PASID, CF_IOVA + 0x2000, 0, &v),
		  XIOMMU_DMA_OK);
	CF_EQ("read page", v, cf_page(2));
	CF_STATUS("write to a read-only page", cf_write(t, d, CF_PASID, CF_IOVA + 0x2010, 0, 7),
		  XIOMMU_DMA_FAULT);
	CF_EQ("the write did not land", cf_peek(t, cf_page(2) + 0x10), 0);
	ONE_FAULT(d, XIOMMU_FR_PERMISSION, F_PA, XIOMMU_FAULT_F_STAGE2, CF_IOVA + 0x2010,
		  XIOMMU_PERM_WRITE);
	return CF_PASS;
}

static int fault_noexec(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;

	CF_BASIC(0, &d, &s1);
	CF_OK("map executable", cf_map(t, &t->g, &s1, CF_IOVA + 0x3000, cf_page(3), 12,
					XIOMMU_PERM_READ | XIOMMU_PERM_EXEC));
	CF_STATUS("fetch from a no-execute page",
		  cf_xlate(t, d, CF_PASID, CF_IOVA + 0x40, CF_ACC_EXEC, NULL), XIOMMU_DMA_FAULT);
	ONE_FAULT(d, XIOMMU_FR_PERMISSION, F_PA, XIOMMU_FAULT_F_STAGE2, CF_IOVA + 0x40,
		  XIOMMU_PERM_EXEC);
	CF_STATUS("fetch from an executable page",
		  cf_xlate(t, d, CF_PASID, CF_IOVA + 0x3000, CF_ACC_EXEC, NULL), XIOMMU_DMA_OK);
	return CF_PASS;
}

static int fault_priv(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_OK("map privileged-only", cf_map(t, &t->g, &s1, CF_IOVA + 0x4000, cf_page(4), 12,
					     XIOMMU_PERM_READ | XIOMMU_PERM_WRITE |
					     XIOMMU_PERM_PRIV));
	CF_STATUS("privileged read", cf_read(t, d, CF_PASID, CF_IOVA + 0x4000, CF_ACC_PRIV, &v),
		  XIOMMU_DMA_OK);
	CF_EQ("privileged read page", v, cf_page(4));
	CF_STATUS("user read of a privileged page",
		  cf_read(t, d, CF_PASID, CF_IOVA + 0x4008, 0, &v), XIOMMU_DMA_FAULT);
	ONE_FAULT(d, XIOMMU_FR_PERMISSION, F_PA, XIOMMU_FAULT_F_STAGE2, CF_IOVA + 0x4008,
		  XIOMMU_PERM_READ);
	return CF_PASS;
}

/* Stage 1 points at a GPA stage 2 does not map: a stage-2 fault naming the IPA. */
static int fault_s2_output(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_OK("map to an unbacked GPA", cf_map(t, &t->g, &s1, CF_IOVA + 0x6000, CF_NO_GPA, 12,
					       XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_STATUS("read", cf_read(t, d, CF_PASID, CF_IOVA + 0x6018, 0, &v), XIOMMU_DMA_FAULT);
	CF_EQ("records", cf_faults(t, t->viommu, &f, 1), 1);
	CF_EQ("type", f.type, XIOMMU_FAULT_DMA);
	CF_EQ("reason", f.reason, XIOMMU_FR_TRANSLATION);
	CF_EQ("flags STAGE2", f.flags & (XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK),
	      XIOMMU_FAULT_F_STAGE2);
	CF_EQ("addr: the input address", f.addr, CF_IOVA + 0x6018);
	CF_TRUE("FETCH flag: fetch_addr valid", f.flags & XIOMMU_FAULT_F_FETCH);
	CF_EQ("fetch_addr: the IPA's page", f.fetch_addr & ~0xfffull, CF_NO_GPA);
	CF_EQ("pasid", f.pasid, CF_PASID);
	CF_EQ("vdev", f.vdev_id, d->id);
	return CF_PASS;
}

/* A stage-1 table page that stage 2 no longer maps: a stage-2 fault during the walk. */
static int fault_s2_walk(struct cf *t)
{
	struct xiommu_guest xg = { .argsz = sizeof(xg), .viommu_id = t->viommu,
				   .pool_next = CF_XGPA, .pool_end = CF_XGPA + CF_XPAGES * 4096ull };
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = t->viommu, .size = 4096 };
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f;
	struct cf_dev *d;
	uint64_t v;

	CF_OK("attach", cf_attach(t, t->viommu, 0, &d));
	CF_OK("table in the extra pages", cf_space(t, &xg, &s1, CF_TAG, 0));
	CF_OK("map", cf_map(t, &xg, &s1, CF_IOVA, cf_page(1), 12,
			    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("bind", cf_bind(t, &t->g, d, CF_PASID, &s1));
	/* the last table the map allocated is the leaf table */
	um.gpa = xg.pool_next - 4096;
	CF_TRUE("the map allocated tables", um.gpa > s1.root);
	CF_OK("host unmaps the leaf table's page", xiommu_unmap(t->ctx, &um));
	CF_STATUS("read", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_FAULT);
	CF_EQ("records", cf_faults(t, t->viommu, &f, 1), 1);
	CF_EQ("type", f.type, XIOMMU_FAULT_DMA);
	CF_TRUE("reason: translation or walk abort", f.reason == XIOMMU_FR_TRANSLATION ||
		f.reason == XIOMMU_FR_WALK_EABT);
	CF_EQ("flags STAGE2 | WALK", f.flags & (XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK),
	      XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK);
	CF_EQ("addr: the input address", f.addr, CF_IOVA);
	CF_TRUE("FETCH flag: fetch_addr valid", f.flags & XIOMMU_FAULT_F_FETCH);
	CF_EQ("fetch_addr: the table's IPA page", f.fetch_addr & ~0xfffull, um.gpa);
	CF_EQ("vdev", f.vdev_id, d->id);
	return CF_PASS;
}

/* Stage 2 maps a page read-only: the guest's write faults at stage 2. */
static int fault_s2_readonly(struct cf *t)
{
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = t->viommu,
				   .gpa = CF_XGPA + 0x3000, .size = 4096 };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ,
				.viommu_id = t->viommu, .region_id = t->xregion, .offset = 0x3000,
				.gpa = CF_XGPA + 0x3000, .size = 4096 };
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_OK("unmap", xiommu_unmap(t->ctx, &um));
	CF_OK("map read-only at stage 2", xiommu_map(t->ctx, &m));
	CF_OK("guest maps it writable", cf_map(t, &t->g, &s1, CF_IOVA + 0x7000, CF_XGPA + 0x3000,
					       12, XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_STATUS("read", cf_read(t, d, CF_PASID, CF_IOVA + 0x7000, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("read page", v, CF_XGPA + 0x3000);
	CF_STATUS("write", cf_write(t, d, CF_PASID, CF_IOVA + 0x7008, 0, 9), XIOMMU_DMA_FAULT);
	CF_EQ("the write did not land", cf_peek(t, CF_XGPA + 0x3008), 0);
	CF_EQ("records", cf_faults(t, t->viommu, &f, 1), 1);
	CF_EQ("reason", f.reason, XIOMMU_FR_PERMISSION);
	CF_EQ("flags STAGE2", f.flags & XIOMMU_FAULT_F_STAGE2, XIOMMU_FAULT_F_STAGE2);
	CF_EQ("addr", f.addr, CF_IOVA + 0x7008);
	CF_TRUE("perm WRITE", f.perm & XIOMMU_PERM_WRITE);
	return CF_PASS;
}

/* The guest-format record of a fault names the guest's stream id. */
static int fault_encode(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f;
	uint8_t rec[64];
	struct xiommu_fault_encode fe = { .argsz = sizeof(fe), .viommu_id = t->viommu,
					  .buf_len = sizeof(rec), .fault_ptr = XIOMMU_PTR(&f),
					  .buf_ptr = XIOMMU_PTR(rec) };
	struct xiommu_fault_encode small = fe;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_STATUS("unmapped read", cf_read(t, d, CF_PASID, CF_IOVA + 0x9000, 0, &v),
		  XIOMMU_DMA_FAULT);
	CF_EQ("records", cf_faults(t, t->viommu, &f, 1), 1);
	CF_OK("encode", xiommu_fault_encode(t->ctx, &fe));
	CF_TRUE("a record of 16 or 32 bytes", fe.buf_len == 16 || fe.buf_len == 32);
	small.buf_len = fe.buf_len - 1;
	CF_ERR("encode into too small a buffer", xiommu_fault_encode(t->ctx, &small), -ENOSPC);
	return CF_PASS;
}

const struct cf_scenario cf_sc_f_unmapped = { "fault-unmapped", "unmapped IOVA: exact record",
					      fault_unmapped };
const struct cf_scenario cf_sc_f_ro = { "fault-readonly", "write to a read-only page",
					fault_readonly };
const struct cf_scenario cf_sc_f_nx = { "fault-noexec", "fetch from a no-execute page",
					fault_noexec };
const struct cf_scenario cf_sc_f_priv = { "fault-privileged", "user access to a privileged page",
					  fault_priv };
const struct cf_scenario cf_sc_f_s2out = { "fault-s2-output", "stage-2 fault on the output address",
					   fault_s2_output };
const struct cf_scenario cf_sc_f_s2walk = { "fault-s2-walk", "stage-2 fault during a stage-1 walk",
					    fault_s2_walk };
const struct cf_scenario cf_sc_f_s2ro = { "fault-s2-readonly", "write through a read-only stage 2",
					  fault_s2_readonly };
const struct cf_scenario cf_sc_f_encode = { "fault-encode", "generic fault -> guest record",
					    fault_encode };
