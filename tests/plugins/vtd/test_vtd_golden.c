// SPDX-License-Identifier: MIT
/*
 * Golden tests of the vtd plugin and the VT-d model: every expected word is
 * a literal worked out by hand from the VT-d specification's layouts
 * (FORMATS.md part B: B.3 PASID entries, B.4 / B.5 paging entries, B.6
 * invalidation descriptors, B.7 fault records and page requests) and from
 * Linux's drivers/iommu/intel/{iommu.h,pasid.h,pasid.c,dmar.c,prq.c}
 * definitions (QI_*, pasid_set_*, DMA_FRCD / dma_frcd_*, struct
 * page_req_dsc) and QEMU's intel_iommu_internal.h, never produced by the
 * encoders of include/xiommu/arch/vtd.h. A test that checked our encoder
 * with our decoder would only prove that the two agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vtd_mock.h"

static uint64_t *gmem(struct mock *m, uint64_t gpa)
{
	return xm_test_mem_ptr(&m->m, m->guest_pa + gpa);
}

/* The last full entry write (mask 0x01 after 0xfe, or 0xff) of a bind program. */
static const struct xiommu_op *entry_op(const struct mock *m, uint32_t pasid)
{
	const struct xiommu_op *found = NULL;
	uint32_t i;

	for (i = 0; i < m->prog.n; i++)
		if (m->ops[i].code == XIOMMU_OP_ENTRY_WRITE && m->ops[i].index == pasid &&
		    (m->ops[i].w[0] & 1))
			found = &m->ops[i];
	assert_non_null(found);
	return found;
}

/*
 * PASID-table entries as Linux's pasid_pte_config_nestd() / _second_level()
 * build them (pasid.h): P bit 0, FPD bit 1 clear (fault enable), AW 4:2 =
 * 2 (4-level), PGTT 8:6 (3 nested, 2 second-level only), SLPTPTR 63:12;
 * DID 79:64; PWSNP bit 87 when ECAP.SMPWC (bit 48); SRE bit 128, FLPM
 * 131:130 (1 = 5-level), WPE bit 132, EAFE bit 135, FLPTPTR 191:140.
 */
static void test_golden_pasid_entry(void **state)
{
	struct xiommu_bind b = pasid_bind(5, 0x500000, 48, XIOMMU_VTD_S1_SRE | XIOMMU_VTD_S1_WPE);
	const struct xiommu_op *op;
	uint64_t root, *pe;
	struct mock m;
	uint32_t did, i;

	(void)state;
	mock_up(&m, &defaults);
	root = m.viommu.dom.s2_root;
	assert_int_equal((m.regs[1] >> 48) & 1, 1);	/* ECAP.SMPWC */
	did = mock_tag(&m, GUEST_DID);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), 0);
	op = entry_op(&m, 5);
	assert_int_equal(op->target, PRID);
	assert_int_equal(op->w[0], 0x00000000000000c9ull | root);
	assert_int_equal(op->w[1], 0x0000000000800000ull | did);
	assert_int_equal(op->w[2], 0x0000000000500011ull);
	for (i = 3; i < 8; i++)
		assert_int_equal(op->w[i], 0);
	assert_int_equal(run(&m), 0);
	m.binds[m.nbinds].pasid = 5;
	m.binds[m.nbinds].tagged = 1;
	m.binds[m.nbinds++].gtag = GUEST_DID;
	/* the words the model's PASID table holds */
	pe = xh_vtd_pe_ptr(m.h, xh_vtd_stream_find(m.h, PRID), 5);
	assert_non_null(pe);
	assert_int_equal(pe[0], 0x00000000000000c9ull | root);
	assert_int_equal(pe[1], 0x0000000000800000ull | did);
	assert_int_equal(pe[2], 0x0000000000500011ull);
	/* 5-level first level (FLPM = 01) with EAFE */
	b = pasid_bind(6, 0x501000, 57, XIOMMU_VTD_S1_EAFE);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), 0);
	op = entry_op(&m, 6);
	assert_int_equal(op->w[2], 0x0000000000501084ull);
	assert_int_equal(run(&m), 0);
	/* the whole device in BYPASS: RID_PASID 0, second level only, the viommu's DID */
	memset(&b, 0, sizeof(b));
	b.argsz = sizeof(b);
	b.vdev_id = 9;
	b.config = XIOMMU_CONFIG_BYPASS;
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), 0);
	op = entry_op(&m, 0);
	assert_int_equal(op->w[0], 0x0000000000000089ull | root);
	assert_int_equal(op->w[1], 0x0000000000800000ull | m.viommu.dom.tag);
	for (i = 2; i < 8; i++)
		assert_int_equal(op->w[i], 0);
	assert_int_equal(run(&m), 0);
	mock_down(&m);
}

static struct xiommu_inv_entry inv(uint32_t cache, uint32_t scope, uint32_t flags, uint32_t pasid,
				   uint64_t addr, uint64_t size)
{
	struct xiommu_inv_entry e;

	memset(&e, 0, sizeof(e));
	e.cache = (uint8_t)cache;
	e.scope = (uint8_t)scope;
	e.flags = (uint16_t)flags;
	e.pasid = pasid;
	e.addr = addr;
	e.size = size;
	if (cache != XIOMMU_CACHE_IOTLB) {
		e.flags |= XIOMMU_INV_F_VDEV;
		e.vdev_id = 9;
	}
	return e;
}

/*
 * Descriptors (VT-d 6.5.2; Linux QI_*): type in qw0 3:0.
 *  P_IOTLB (6): G 5:4 (QI_GRAN_NONG_PASID 2, QI_GRAN_PSI_PASID 3), DID
 *    31:16, PASID 51:32; qw1 ADDR 63:12, IH 6, AM 5:0.
 *  PASID cache (7): G 5:4 (QI_PC_PASID_SEL 1), DID 31:16, PASID 51:32.
 *  PASID-based device TLB (8): QDEP 8:4, PFSID[3:0] 15:12, SID 31:16,
 *    PASID 51:32, PFSID[15:4] 63:52; qw1 S bit 11, ADDR 63:12 whose lowest
 *    clear bit gives the size (bit 12 clear: 8 KiB; 12 set, 13 clear:
 *    16 KiB; "Addr[63:12]=0x7FFFFFFF_FFFFF": everything).
 *  Device TLB (3): QDEP 20:16, PFSID as above, SID 47:32; qw1 S bit 0.
 *  Invalidation wait (5): IF 4, SW 5, FN 6, status data 63:32; qw1 the
 *    status address (QI_IWD_*).
 * PRID 0x0310: PFSID[3:0] = 0, PFSID[15:4] = 0x031.
 */
static void test_golden_descriptors(void **state)
{
	struct xiommu_inv_entry e[8];
	static const uint64_t want[8][2] = {
		{ 0x0000000500000036ull, 0x0000000000000043ull },	/* pages 3-4: AM 3 at 0, IH */
		{ 0x0000000500000036ull, 0x0000000000040006ull },	/* 256 KiB at 256 KiB: AM 6 */
		{ 0x0000000500000026ull, 0 },				/* PASID-selective */
		{ 0x0000000500000017ull, 0 },				/* PASID cache, PASID 5 */
		{ 0x0310000503100008ull, 0x0000000000008800ull },	/* 8 KiB at 0x8000 */
		{ 0x0310000503100008ull, 0x0000000000009800ull },	/* 16 KiB at 0x8000 */
		{ 0x0310000503100008ull, 0x7ffffffffffff800ull },	/* every address */
		{ 0x0310031000000003ull, 0x0000000000008001ull },	/* no PASID, 8 KiB */
	};
	uint64_t d[4];
	struct mock m;
	uint32_t bad = ~0u, did, i;

	(void)state;
	mock_up(&m, &defaults);
	did = m.viommu.dom.tag;
	e[0] = inv(XIOMMU_CACHE_IOTLB, XIOMMU_INV_RANGE, XIOMMU_INV_F_PASID | XIOMMU_INV_F_LEAF, 5,
		   0x3000, 0x2000);
	e[1] = inv(XIOMMU_CACHE_IOTLB, XIOMMU_INV_RANGE, XIOMMU_INV_F_PASID, 5, 0x40000, 0x40000);
	e[2] = inv(XIOMMU_CACHE_IOTLB, XIOMMU_INV_PASID, XIOMMU_INV_F_PASID, 5, 0, 0);
	e[3] = inv(XIOMMU_CACHE_CONFIG, XIOMMU_INV_PASID, XIOMMU_INV_F_PASID, 5, 0, 0);
	e[4] = inv(XIOMMU_CACHE_DEVTLB, XIOMMU_INV_RANGE, XIOMMU_INV_F_PASID, 5, 0x8000, 0x2000);
	e[5] = inv(XIOMMU_CACHE_DEVTLB, XIOMMU_INV_RANGE, XIOMMU_INV_F_PASID, 5, 0x8000, 0x4000);
	e[6] = inv(XIOMMU_CACHE_DEVTLB, XIOMMU_INV_PASID, XIOMMU_INV_F_PASID, 5, 0, 0);
	e[7] = inv(XIOMMU_CACHE_DEVTLB, XIOMMU_INV_RANGE, 0, 0, 0x8000, 0x2000);
	assert_int_equal(m.ops_tab->invalidate(&m.env, &m.viommu, e, 8, &m.prog, &bad), 0);
	assert_int_equal(m.prog.n, 9);
	assert_int_equal(m.prog.widened, 0);
	for (i = 0; i < 8; i++) {
		uint64_t w0 = want[i][0] | (i < 4 ? (uint64_t)did << 16 : 0);

		if (m.ops[i].code != XIOMMU_OP_CMD || m.ops[i].w[0] != w0 ||
		    m.ops[i].w[1] != want[i][1] || m.ops[i].w[2] || m.ops[i].w[3])
			fail_msg("entry %u: 0x%016llx 0x%016llx, expected 0x%016llx 0x%016llx", i,
				 (unsigned long long)m.ops[i].w[0],
				 (unsigned long long)m.ops[i].w[1], (unsigned long long)w0,
				 (unsigned long long)want[i][1]);
	}
	assert_int_equal(m.ops[8].code, XIOMMU_OP_SYNC);
	assert_int_equal(run(&m), 0);
	/* a guest's page-selective P_IOTLB keeps its fields, with the host DID */
	{
		uint64_t g[4] = { 0x0000000500070036ull, 0x0000000000044042ull, 0, 0 };
		uint32_t h = mock_tag(&m, 7);

		m.binds[m.nbinds++].pasid = 5;
		assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 1, &m.prog, &bad),
				 0);
		assert_int_equal(m.ops[0].w[0], 0x0000000500000036ull | (uint64_t)h << 16);
		assert_int_equal(m.ops[0].w[1], 0x0000000000044042ull);
		assert_int_equal(run(&m), 0);
	}
	/* invalidation wait: status write of 0x55 to 0x1000, then with fence */
	vtd_qi_wait(d, 1, 0, 0x55, 0x1000);
	assert_int_equal(d[0], 0x0000005500000025ull);
	assert_int_equal(d[1], 0x1000);
	vtd_qi_wait(d, 1, 1, 0x55, 0x1000);
	assert_int_equal(d[0], 0x0000005500000065ull);
	mock_down(&m);
}

/* Literal 4-level first-level tables at GPAs t[0] (root) .. t[3] (PT): IOVA -> @leaf. */
static uint64_t *fl_tables(struct mock *m, const uint64_t *t, uint64_t iova, uint64_t leaf)
{
	uint32_t level;

	for (level = 4; level > 1; level--) {
		uint64_t *e = gmem(m, t[4 - level] + ((iova >> (12 + 9 * (level - 1))) & 511) * 8);

		*e = t[5 - level] | 0x7;	/* P, R/W, U/S */
	}
	*gmem(m, t[3] + ((iova >> 12) & 511) * 8) = leaf;
	return gmem(m, t[3] + ((iova >> 12) & 511) * 8);
}

/*
 * First-level entry bits (IA-32e, VT-d 9.7; Linux DMA_FL_PTE_*): P 0, R/W 1,
 * U/S 2, A 5, D 6, PS 7, EA 10 (with EAFE). The walk sets A (and EA) in
 * every entry it uses and D in the leaf of a write. Second-level leaves
 * the host builds (VT-d 9.8; Linux DMA_PTE_READ / _WRITE): R 0, W 1.
 */
static void test_golden_entry_bits(void **state)
{
	struct xiommu_vtd_params p = defaults;
	static const uint64_t t[4] = { 0x500000, 0x501000, 0x502000, 0x503000 };
	uint64_t v = 0x1122334455667788ull, pa, *leaf, *ro, sl, table;
	struct mock m;
	uint32_t level;

	(void)state;
	p.prs = 0;
	p.dt = 0;
	mock_up(&m, &p);
	for (level = 0; level < 4; level++)
		memset(gmem(&m, t[level]), 0, 4096);
	leaf = fl_tables(&m, t, 0x7000, 0x100007);
	ro = fl_tables(&m, t, 0x8000, 0x101005);	/* P, U/S: read-only */
	do_bind(&m, 5, 0x500000, XIOMMU_VTD_S1_EAFE);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x100008);
	assert_int_equal(*leaf, 0x0000000000100427ull);			/* A, EA */
	assert_int_equal(*gmem(&m, 0x500000), 0x0000000000501427ull);	/* PML4E: A, EA */
	assert_int_equal(*gmem(&m, 0x501000), 0x0000000000502427ull);
	assert_int_equal(*gmem(&m, 0x502000), 0x0000000000503427ull);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(*leaf, 0x0000000000100467ull);			/* + D */
	/* a write through R/W = 0: no D, fault 0x85 */
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x8000, &v, 8, &pa),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(*ro & 0x40, 0);
	/* the host's second-level leaf of GPA 0x100000: its PA, R and W, no A/D (no SLADE) */
	table = m.viommu.dom.s2_root;
	for (level = 4; level >= 1; level--) {
		sl = *(uint64_t *)xm_test_mem_ptr(&m.m, table + ((0x100000ull >> (12 + 9 *
								 (level - 1))) & 511) * 8);
		table = sl & 0x000ffffffffff000ull;
	}
	assert_int_equal(sl, (m.guest_pa + 0x100000) | 0x3);
	mock_down(&m);
}

/*
 * Fault records (VT-d 11.4.14; Linux dma_frcd_*, DMA_FRCD_F): qw0 FI 63:12;
 * qw1 SID 15:0, PRIV 29, EXE 30, PP 31, FR 39:32, PV 59:40, T 62 (1 read),
 * F 63. Page requests (Linux struct page_req_dsc): qw0 type 7:0 = 1,
 * PASID present 8, RID 31:16, PASID 51:32; qw1 RD 0, WR 1, LPIG 2, PRG
 * index 11:3, address 63:12.
 */
static void test_golden_records(void **state)
{
	struct xiommu_vtd_params p = defaults;
	static const uint64_t t[4] = { 0x500000, 0x501000, 0x502000, 0x503000 };
	uint64_t v = 0, rec[4];
	struct xiommu_fault f;
	struct xm_event ev;
	struct mock m;
	uint32_t psid, level;

	(void)state;
	p.prs = 0;
	p.dt = 0;
	mock_up(&m, &p);
	for (level = 0; level < 4; level++)
		memset(gmem(&m, t[level]), 0, 4096);
	fl_tables(&m, t, 0x8000, 0x101005);	/* read-only */
	do_bind(&m, 5, 0x500000, 0);
	/* read of a not-present page: FR 0x71 */
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x9010, &v, 8, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(ev.w[0], 0x0000000000009000ull);
	assert_int_equal(ev.w[1], 0xc000057180000310ull);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(psid, 0x0310);
	assert_int_equal(f.type, XIOMMU_FAULT_DMA);
	assert_int_equal(f.reason, XIOMMU_FR_TRANSLATION);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID);
	assert_int_equal(f.addr, 0x9010);
	assert_int_equal(f.pasid, 5);
	assert_int_equal(f.perm, XIOMMU_PERM_READ);
	assert_int_equal(f.vendor_code, 0x71);
	/* the guest's record names the vRID 0x0008 */
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 16), 0);
	assert_int_equal(rec[0], 0x0000000000009000ull);
	assert_int_equal(rec[1], 0xc000057180000008ull);
	/* write to a read-only page: FR 0x85, T = 0 (write) */
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x8000, &v, 8, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(ev.w[0], 0x0000000000008000ull);
	assert_int_equal(ev.w[1], 0x8000058580000310ull);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(f.reason, XIOMMU_FR_PERMISSION);
	assert_int_equal(f.perm, XIOMMU_PERM_WRITE);
	mock_down(&m);

	/* with page requests: the not-present read becomes a page request */
	mock_up(&m, &defaults);
	for (level = 0; level < 4; level++)
		memset(gmem(&m, t[level]), 0, 4096);
	fl_tables(&m, t, 0x8000, 0x101005);
	do_bind(&m, 5, 0x500000, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x9010, &v, 8, NULL),
			 XIOMMU_DMA_STALLED);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(ev.kind, VTD_EVT_PRQ);
	assert_int_equal(ev.w[0], 0x0000000503100101ull);
	assert_int_equal(ev.w[1], 0x0000000000009005ull);	/* RD, LPIG, PRG index 0 */
	assert_int_equal(ev.w[2], 0);
	assert_int_equal(ev.w[3], 0);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_LAST);
	assert_int_equal(f.addr, 0x9000);
	assert_int_equal(f.grpid, 0);
	/* page group response (type 9; Linux QI_PGRP_*): PASID present 4, code 15:12, RID 31:16 */
	{
		struct xiommu_page_response r = { .argsz = sizeof(r), .flags = XIOMMU_FAULT_F_PASID,
						  .viommu_id = 3, .vdev_id = 9, .pasid = 5 };

		assert_int_equal(m.ops_tab->page_response(&m.env, &m.vdev, &r, &m.prog), 0);
		assert_int_equal(m.ops[0].w[0], 0x0000000503100019ull);
		assert_int_equal(m.ops[0].w[1], 0x0000000000000004ull);	/* LPIG, index 0 */
		assert_int_equal(run(&m), 0);
	}
	mock_down(&m);
}

/*
 * The model reads a PASID-based device-TLB descriptor's size as VT-d
 * 6.5.2.6 (and Linux's qi_desc_dev_iotlb_pasid) encode it: S = 1 and
 * ADDR 0x8000 with bit 12 clear is the 8 KiB at 0x8000 and nothing else.
 */
static void test_golden_devtlb_size(void **state)
{
	static const uint64_t t[4] = { 0x500000, 0x501000, 0x502000, 0x503000 };
	uint64_t v = 0, pa, *leaf[3];
	uint64_t g[2][4] = {
		{ 0x0000000500070026ull, 0, 0, 0 },			/* P_IOTLB PASID 5, DID 7 */
		{ 0x0000000500080008ull, 0x0000000000008800ull, 0, 0 },	/* vRID 0x0008, 8 KiB */
	};
	struct mock m;
	uint32_t i, bad = ~0u;

	(void)state;
	mock_up(&m, &defaults);
	for (i = 0; i < 4; i++)
		memset(gmem(&m, t[i]), 0, 4096);
	for (i = 0; i < 3; i++)
		leaf[i] = fl_tables(&m, t, 0x8000 + i * 0x1000, (0x100000 + i * 0x1000) | 0x7);
	do_bind(&m, 5, 0x500000, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5,
					  0x8000 + i * 0x1000, &v, 8, &pa), XIOMMU_DMA_OK);
		*leaf[i] = (0x110000 + i * 0x1000) | 0x7;
	}
	assert_int_equal(m.ops_tab->invalidate_raw(&m.env, &m.viommu, g, 2, &m.prog, &bad), 0);
	assert_int_equal(m.ops[1].w[1], 0x0000000000008800ull);
	/*
	 * straight on the unit's queue: the host would follow the P_IOTLB with
	 * a device-TLB flush of the whole PASID (a device TLB is never left
	 * behind an IOTLB flush), which would hide the size under test
	 */
	{
		uint64_t c[4][XM_CMD_WORDS];
		uint32_t n = 0, done;

		for (i = 0; i < m.prog.n; i++)
			if (m.ops[i].code == XIOMMU_OP_CMD)
				memcpy(c[n++], m.ops[i].w, sizeof(c[0]));
		assert_int_equal(n, 2);
		assert_int_equal(xm_vtd_hw.submit(m.u, (const uint64_t (*)[XM_CMD_WORDS])c, n,
						  &done), 0);
		prog_reset(&m);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5,
					  0x8000 + i * 0x1000, &v, 8, &pa), XIOMMU_DMA_OK);
		/* 0x8000 and 0x9000 fresh, 0xa000 still from the device TLB */
		assert_int_equal(pa, m.guest_pa + (i < 2 ? 0x110000 : 0x100000) + i * 0x1000);
	}
	mock_down(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_pasid_entry),
		cmocka_unit_test(test_golden_descriptors),
		cmocka_unit_test(test_golden_entry_bits),
		cmocka_unit_test(test_golden_records),
		cmocka_unit_test(test_golden_devtlb_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
