// SPDX-License-Identifier: MIT
/*
 * VT-d model against rules of the VT-d specification that the other model
 * tests do not reach: second-level permissions (a write needs W, a read R),
 * second-level A/D updates caused by first-level A/D updates in a nested
 * walk, fault-processing disable in the PASID-directory entry, primary
 * fault overflow, reserved bits of second-level entries, and a PGTT the
 * unit does not offer.
 *
 * Entry words are written as literals from the spec's layouts (VT-d
 * ch. 9; FORMATS.md B.3-B.5), not with include/xiommu/arch/vtd.h:
 *   PASID entry qw0: P 0, FPD 1, AW 4:2 (2 = 4-level), PGTT 8:6 (2 SL-only,
 *   3 nested), SLADE 9, SLPTPTR 63:12; qw1: DID 15:0; qw2: FLPM 3:2,
 *   FLPTPTR 63:12. First-level entry: P 0, R/W 1, U/S 2, A 5, D 6, PS 7.
 *   Second-level entry: R 0, W 1, PS 7, A 8, D 9, SNP 11.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

#define PE0_SL_ONLY	0x089ull	/* P, AW = 2 (48-bit, 4-level), PGTT = 2 */
#define PE0_NESTED	0x0c9ull	/* P, AW = 2, PGTT = 3 */
#define PE0_FL_ONLY	0x049ull	/* P, AW = 2, PGTT = 1 */
#define ECAP_SLTS	(1ull << 46)
#define ECAP_FLTS	(1ull << 47)
#define PE0_SLADE	0x200ull
#define FLE_RW_US	0x007ull	/* P, R/W, U/S */
#define FLE_A		0x020ull
#define FLE_D		0x040ull
#define SLE_R		0x001ull
#define SLE_W		0x002ull
#define SLE_A		0x100ull
#define SLE_D		0x200ull
#define SLE_SNP		0x800ull

/* GPA range the tests map with their own second-level permissions */
#define WO_GPA		0x1000000ull

static void bind_words(struct rig *r, uint32_t pasid, uint64_t w0, uint64_t w2)
{
	uint64_t w[8] = { 0 };

	w[0] = w0 | r->desc.s2_root;
	w[1] = r->desc.tag;
	w[2] = w2;
	rig_bind(r, pasid, w);
}

/* Host PA behind a fresh 4 KiB GPA page mapped with @prot. */
static uint64_t map_page(struct rig *r, uint64_t gpa, uint32_t prot)
{
	uint64_t pa = xm_test_mem_alloc(&r->m, 4096, 4096);

	assert_int_not_equal(pa, 0);
	assert_int_equal(xh_vtd_ops.s2_map(r->h, r->dom, gpa, pa, 4096, prot), 0);
	return pa;
}

/* The second-level entry (4 KiB leaf, 4 levels) the host built for @gpa. */
static uint64_t *sl_pte(struct rig *r, uint64_t gpa)
{
	uint64_t table = r->desc.s2_root, *e = NULL;
	int level;

	assert_int_equal(r->desc.levels, 4);
	for (level = 4; level >= 1; level--) {
		e = xm_test_mem_ptr(&r->m, table + ((gpa >> (12 + 9 * (level - 1))) & 511) * 8);
		assert_true(*e & (SLE_R | SLE_W));
		table = *e & 0x000ffffffffff000ull;
	}
	return e;
}

/*
 * Second-level permissions: a write needs W in every second-level entry
 * used, a read needs R; a write-only mapping takes writes and refuses
 * reads (0x86, no read permission), second-level only and nested alike.
 */
static void test_sl_write_only(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t v = 0x0123456789abcdefull, back = 0, pa, hpa, root = 0x500000;
	struct rig r;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	hpa = map_page(&r, WO_GPA, XIOMMU_MAP_WRITE);
	/* second level only, PASID 9: input = GPA */
	bind_words(&r, 9, PE0_SL_ONLY, 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 9, WO_GPA + 8, &v, 8,
				 &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, hpa + 8);
	assert_memory_equal(xm_test_mem_ptr(&r.m, hpa + 8), &v, 8);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 9, WO_GPA + 8, &back, 8,
				 NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x86);
	/* nested, PASID 5: first level RW maps IOVA 0x7000 to the write-only GPA */
	memset(gptr(&r, root), 0, 4096);
	bind_words(&r, 5, PE0_NESTED, root);
	fl_map(&r, root, 4, 0x7000, WO_GPA, 12, FLE_RW_US);
	v++;
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x7010, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, hpa + 0x10);
	assert_memory_equal(xm_test_mem_ptr(&r.m, hpa + 0x10), &v, 8);
	/* again from the IOTLB, then a read from the cached entry */
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x7010, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7010, &back, 8,
				 NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x86);
	no_event(&r);
	rig_down(&r);
}

/*
 * With SLADE, a first-level A/D update in a nested walk is a write to the
 * table page through the second level: the second-level leaf of that page
 * gets A and D. A read of the data page sets its A only.
 */
static void test_slade_fl_update(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t root = 0x500000, v = 0, pa, *fl_pt, *sl_root, *sl_pt, *sl_data;
	struct rig r;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	memset(gptr(&r, root), 0, 4096);
	bind_words(&r, 5, PE0_NESTED | PE0_SLADE, root);
	fl_pt = fl_map(&r, root, 4, 0x7000, 0x100000, 12, FLE_RW_US);
	sl_root = sl_pte(&r, root);
	sl_pt = sl_pte(&r, 0x602000);	/* the third table gtable() handed out: the PT */
	sl_data = sl_pte(&r, 0x100000);
	assert_int_equal((uintptr_t)fl_pt & ~0xfffull,
			 (uintptr_t)gptr(&r, 0x602000) & ~0xfffull);
	assert_false((*sl_root | *sl_pt | *sl_data) & (SLE_A | SLE_D));
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7000, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(*fl_pt & (FLE_A | FLE_D), FLE_A);
	assert_int_equal(*sl_root & (SLE_A | SLE_D), SLE_A | SLE_D);
	assert_int_equal(*sl_pt & (SLE_A | SLE_D), SLE_A | SLE_D);
	assert_int_equal(*sl_data & (SLE_A | SLE_D), SLE_A);
	/*
	 * A new leaf under the same (now cached) page directory: only the PT
	 * entry changes, and only the PT page's second-level D is set again.
	 */
	*sl_root &= ~SLE_D;
	*sl_pt &= ~SLE_D;
	fl_map(&r, root, 4, 0x8000, 0x101000, 12, FLE_RW_US);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x8000, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(*sl_pt & SLE_D, SLE_D);
	assert_int_equal(*sl_root & SLE_D, 0);
	no_event(&r);
	rig_down(&r);
}

/* Host PA of the PASID-directory entry of @pasid for RID, from the root entry down. */
static uint64_t *pasid_dir_entry(struct rig *r, uint32_t pasid)
{
	struct vtd_unit *u = r->u;
	uint64_t re, ce0;

	/* root entry: 16 bytes per bus, LCTP in qw0 63:12 (devfn < 0x80) */
	re = *(uint64_t *)xm_test_mem_ptr(&r->m, u->root + (RID >> 8) * 16);
	assert_true(re & 1);
	/* scalable-mode context entry: 32 bytes, PASIDDIRPTR in qw0 63:12 */
	ce0 = *(uint64_t *)xm_test_mem_ptr(&r->m, (re & ~0xfffull) + (RID & 0x7f) * 32);
	assert_true(ce0 & 1);
	/* directory index PASID[19:6], 8 bytes each */
	return xm_test_mem_ptr(&r->m, (ce0 & ~0xfffull) + (pasid >> 6) * 8);
}

/*
 * FPD in a present PASID-directory entry disables the recording of faults
 * found in it and in the structures it references: the access is still
 * blocked, but nothing is recorded. PASIDs under another directory entry
 * still record.
 */
static void test_pasid_dir_fpd(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t root = 0x500000, pa, *pde;
	struct xm_stats st0, st1;
	struct rig r;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	memset(gptr(&r, root), 0, 4096);
	bind_words(&r, 5, PE0_NESTED, root);
	bind_words(&r, 70, PE0_NESTED, root);
	pde = pasid_dir_entry(&r, 5);
	assert_int_equal(*pde & 3, 1);		/* P, no FPD */
	*pde |= 2;				/* FPD (bit 1) */
	xh_vtd_ops.stats(r.h, &st0);
	/* first-level entry not present: blocked, not recorded */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7000, &pa), XIOMMU_DMA_ABORT);
	no_event(&r);
	xh_vtd_ops.stats(r.h, &st1);
	assert_int_equal(st1.events, st0.events);
	/* again from the PASID cache */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7000, &pa), XIOMMU_DMA_ABORT);
	no_event(&r);
	/* PASID 70 sits under directory entry 1: recorded */
	assert_int_equal(rig_xlate(&r, 0, 70, 0x7000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x71);
	no_event(&r);
	rig_down(&r);
}

/*
 * Primary fault overflow: once FSTS.PFO is set, further faults are not
 * recorded until software clears PFO, even where a fault recording
 * register is free again.
 */
static void test_pfo_stops_recording(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t root = 0x500000, pa, w[2];
	struct xm_stats st;
	struct rig r;

	(void)state;
	p.nfr = 2;
	rig_up(&r, &p);
	memset(gptr(&r, root), 0, 4096);
	bind_words(&r, 5, PE0_NESTED, root);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x1000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x2000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x3000, &pa), XIOMMU_DMA_FAULT);
	assert_true(vtd_model_fsts(r.u) & VTD_FSTS_PFO);
	/* software reads (and clears F of) the oldest record: one register is free */
	fault_reason(&r, w);
	assert_int_equal(w[0], 0x1000);
	assert_true(vtd_model_fsts(r.u) & VTD_FSTS_PFO);
	/* PFO is still set: this fault is lost, not recorded */
	assert_int_equal(rig_xlate(&r, 0, 5, 0x4000, &pa), XIOMMU_DMA_FAULT);
	fault_reason(&r, w);
	assert_int_equal(w[0], 0x2000);
	no_event(&r);
	xh_vtd_ops.stats(r.h, &st);
	assert_int_equal(st.events_lost, 2);
	/* software cleared PFO with the last record: recording resumes */
	assert_false(vtd_model_fsts(r.u) & VTD_FSTS_PFO);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x5000, &pa), XIOMMU_DMA_FAULT);
	fault_reason(&r, w);
	assert_int_equal(w[0], 0x5000);
	rig_down(&r);
}

/*
 * ECAP.SC = 0 (this model): bit 11 of a second-level entry (SNP in a leaf)
 * is reserved at every level, a fault 0x7A (non-zero reserved field in a
 * second-level paging entry).
 */
static void test_sl_bit11_reserved(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t pa, regs[2], *leaf, *top;
	struct xiommu_op op;
	struct rig r;
	uint64_t d[4];

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	assert_int_equal(xh_vtd_ops.regs(r.h, regs, sizeof(regs)), 16);
	assert_int_equal(regs[1] & 0x80, 0);	/* ECAP.SC (bit 7) clear */
	bind_words(&r, 9, PE0_SL_ONLY, 0);
	leaf = sl_pte(&r, 0x3000);
	top = xm_test_mem_ptr(&r.m, r.desc.s2_root);	/* SL-PML4E for GPA 0 */
	assert_int_equal(rig_xlate(&r, 0, 9, 0x3000, &pa), XIOMMU_DMA_OK);
	*leaf |= SLE_SNP;
	/* type 2 IOTLB domain-selective: second-level-only entries of the DID */
	d[0] = 0x22 | ((uint64_t)r.desc.tag << 16);	/* type 2, G = 10 */
	d[1] = d[2] = d[3] = 0;
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 9, 0x3000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x7a);
	*leaf &= ~SLE_SNP;
	assert_int_equal(rig_xlate(&r, 0, 9, 0x3000, &pa), XIOMMU_DMA_OK);
	/* a non-leaf entry */
	assert_int_equal(rig_exec(&r, op_cmd(&op, d), 1, NULL), 0);
	*top |= SLE_SNP;
	assert_int_equal(rig_xlate(&r, 0, 9, 0x3000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x7a);
	*top &= ~SLE_SNP;
	no_event(&r);
	rig_down(&r);
}

/*
 * FPD is read whatever the entry's P says (Linux tears a PASID entry down
 * to P = 0 with FPD = 1, pasid_clear_entry_with_fpd(), to keep the faults
 * of DMA still in flight quiet), and it covers only qualified faults:
 * errors accessing the root, context, PASID-directory and PASID tables are
 * recorded whatever FPD says (QEMU's vtd_qualified_faults[]).
 */
static void test_fpd_rules(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t root = 0x500000, pa, w[8] = { 0 }, d[4], ce[4], *cep, *pde;
	struct xiommu_op ops[3];
	struct vtd_unit *u;
	struct rig r;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	u = r.u;
	memset(gptr(&r, root), 0, 4096);
	bind_words(&r, 5, PE0_NESTED, root);
	/* teardown to P = 0, FPD = 1, then the PASID cache and IOTLB of PASID 5 */
	w[0] = 0x2;
	op_write(&ops[0], 5, w, 0x01);
	d[0] = 0x0000000500000017ull | (uint64_t)r.desc.tag << 16;	/* PASID cache, PASID 5 */
	d[1] = d[2] = d[3] = 0;
	op_cmd(&ops[1], d);
	d[0] = 0x0000000500000026ull | (uint64_t)r.desc.tag << 16;	/* P_IOTLB, PASID 5 */
	op_cmd(&ops[2], d);
	assert_int_equal(rig_exec(&r, ops, 3, NULL), 0);
	assert_int_equal(rig_xlate(&r, 0, 5, 0x7000, &pa), XIOMMU_DMA_ABORT);
	no_event(&r);
	/* a not-present PASID-directory entry with FPD: PASID 200 sits under entry 3 */
	pde = pasid_dir_entry(&r, 200);
	assert_int_equal(*pde, 0);
	*pde = 0x2;
	assert_int_equal(rig_xlate(&r, 0, 200, 0x7000, &pa), XIOMMU_DMA_ABORT);
	no_event(&r);
	*pde = 0;
	/*
	 * Context entry with FPD whose PASID directory is not memory: the
	 * access error (0x50) is not a qualified fault and is recorded.
	 */
	cep = xm_test_mem_ptr(&r.m, (*(uint64_t *)xm_test_mem_ptr(&r.m, u->root + (RID >> 8) * 16)
				     & ~0xfffull) + (RID & 0x7f) * 32);
	memcpy(ce, cep, sizeof(ce));
	cep[0] = (0x7f0000000000ull | (ce[0] & 0xfff)) | 0x2;
	d[0] = 0x0000000000000031ull | (uint64_t)r.desc.tag << 16 | (uint64_t)RID << 32;
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, NULL), 0);	/* context cache, RID */
	assert_int_equal(rig_xlate(&r, 0, 70, 0x7000, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x50);
	no_event(&r);
	memcpy(cep, ce, sizeof(ce));
	assert_int_equal(rig_exec(&r, op_cmd(&ops[0], d), 1, NULL), 0);
	rig_down(&r);
}

/*
 * Second level only: an input address beyond the second level's width is
 * the second level's own address-size fault, 0x84 (VirtualBox's VT-d
 * reports its second-level "input address invalid" as SGN.5, 0x84), not
 * the hardware-width fault 0x83 of pass-through and first-level outputs.
 */
static void test_sl_only_input_width(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	uint64_t pa;
	struct rig r;

	(void)state;
	p.dt = 0;
	rig_up(&r, &p);
	bind_words(&r, 9, PE0_SL_ONLY, 0);
	assert_int_equal(rig_xlate(&r, 0, 9, 0x3000, &pa), XIOMMU_DMA_OK);
	assert_int_equal(rig_xlate(&r, 0, 9, 1ull << 48, &pa), XIOMMU_DMA_FAULT);
	assert_int_equal(fault_reason(&r, NULL), 0x84);
	no_event(&r);
	rig_down(&r);
}

/*
 * A PGTT the unit does not offer: ECAP.SLTS (bit 46) and ECAP.FLTS (bit 47)
 * say whether second-level and first-level translation exist (VT-d 11.4.3,
 * FORMATS.md B.8); an entry with a PGTT of a missing one is an invalid
 * PASID-table entry, 0x5B (B.7). QEMU's unit with x-flts=on reports FLTS
 * without SLTS and faults 0x5B on a second-level-only entry
 * (tests/referee, the first-level boot), which the host layer had let a
 * BYPASS bind make present. A unit reporting no SLTS (then no FLTS): the
 * host refuses to make such an entry present (-EINVAL, the unit's rule),
 * and the unit faults 0x5B on one written straight to memory.
 */
static void test_pgtt_needs_its_stage(void **state)
{
	struct xiommu_vtd_params p = no_prs();
	struct xh_vtd *h;
	struct xiommu_op op;
	uint64_t w[8] = { 0 }, pa, *pe, drop;
	uint32_t bad, k, pasid;
	struct rig r;

	(void)state;
	rig_up(&r, &p);
	h = r.h;
	bind_words(&r, 1, PE0_SL_ONLY, 0);	/* the context entry present */
	for (k = 0; k < 2; k++) {
		/* both views of ECAP_REG: the unit's and what the host read from it */
		drop = k ? ECAP_FLTS : ECAP_SLTS;
		r.u->ecap = (r.u->ecap | ECAP_SLTS | ECAP_FLTS) & ~drop;
		h->ecap = r.u->ecap;
		pasid = 5 + 2 * k;
		w[0] = (k ? PE0_FL_ONLY : PE0_SL_ONLY) | r.desc.s2_root;
		w[1] = r.desc.tag;
		op_write(&op, pasid, w, 0xff);
		assert_int_equal(rig_exec(&r, &op, 1, &bad), -EINVAL);
		assert_int_equal(bad, 0);
		pe = rig_pe(&r, RID, pasid + 1);
		memcpy(pe, w, sizeof(w));
		assert_int_equal(rig_xlate(&r, 0, pasid + 1, 0x3000, &pa), XIOMMU_DMA_FAULT);
		assert_int_equal(fault_reason(&r, NULL), 0x5b);
		no_event(&r);
	}
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sl_write_only),
		cmocka_unit_test(test_slade_fl_update),
		cmocka_unit_test(test_pasid_dir_fpd),
		cmocka_unit_test(test_fpd_rules),
		cmocka_unit_test(test_pfo_stops_recording),
		cmocka_unit_test(test_sl_bit11_reserved),
		cmocka_unit_test(test_sl_only_input_width),
		cmocka_unit_test(test_pgtt_needs_its_stage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
