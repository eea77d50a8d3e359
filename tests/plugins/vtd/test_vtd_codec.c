// SPDX-License-Identifier: MIT
/*
 * vtd plugin codec: page request -> generic fault -> guest record -> page
 * response -> retry on the model; fault records both ways; decode fields,
 * reserved bits and illegal values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vtd_mock.h"

static void test_page_request_flow(void **state)
{
	struct xiommu_page_response r = { .argsz = sizeof(r), .flags = XIOMMU_FAULT_F_PASID,
					  .viommu_id = 3, .vdev_id = 9, .pasid = 5 };
	struct xm_dma dm = { .op = XIOMMU_DMA_READ, .flags = XIOMMU_DMA_F_PASID, .sid = PRID,
			     .pasid = 5, .iova = 0x9000, .len = 8 };
	struct xiommu_fault f;
	struct xm_event ev;
	uint64_t v = 0, rec[4];
	uint32_t psid = 0;
	struct mock m;

	(void)state;
	mock_up(&m, &defaults);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	do_bind(&m, 5, 0x500000, 0);
	dm.buf = &v;
	assert_int_equal(xh_vtd_ops.dma(m.h, &dm), 0);
	assert_int_equal(dm.status, XIOMMU_DMA_STALLED);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(psid, PRID);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_LAST);
	assert_int_equal(f.addr, 0x9000);
	assert_int_equal(f.perm, XIOMMU_PERM_READ);
	assert_int_equal(f.grpid, dm.stag);
	/* the guest's record names the vRID */
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 32), 0);
	assert_int_equal(rec[0], VTD_PRQ_TYPE_PAGE_REQ | XI_BIT(VTD_PRQ_PASID_PRESENT) |
			 XI_PUT(VRID, 31, 16) | XI_PUT(5, 51, 32));
	assert_int_equal(rec[1], 0x9000 | XI_BIT(VTD_PRQ_RD) | XI_BIT(VTD_PRQ_LPIG) |
			 XI_PUT(dm.stag, 11, 3));
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 16), -ENOSPC);
	/* guest maps, answers; the retry succeeds */
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x9000, 0x100000, 12,
					  VTD_GUEST_FL_RW), 0);
	r.grpid = f.grpid;
	assert_int_equal(m.ops_tab->page_response(&m.env, &m.vdev, &r, &m.prog), 0);
	assert_int_equal(m.prog.n, 1);
	assert_int_equal(m.ops[0].w[0], 0x9 | XI_BIT(4) | XI_PUT(PRID, 31, 16) | XI_PUT(5, 51, 32));
	assert_int_equal(m.ops[0].w[1], XI_BIT(2) | XI_PUT(f.grpid, 11, 3));
	assert_int_equal(run(&m), 0);
	assert_int_equal(xh_vtd_ops.dma(m.h, &dm), 0);
	assert_int_equal(dm.status, XIOMMU_DMA_OK);
	r.grpid = 512;
	assert_int_equal(m.ops_tab->page_response(&m.env, &m.vdev, &r, &m.prog), -EINVAL);
	mock_down(&m);
}

static void test_fault_encode(void **state)
{
	struct xiommu_fault f = { .type = XIOMMU_FAULT_DMA, .flags = XIOMMU_FAULT_F_ADDR |
				  XIOMMU_FAULT_F_PASID, .reason = XIOMMU_FR_PERMISSION, .pasid = 7,
				  .perm = XIOMMU_PERM_WRITE | XIOMMU_PERM_PRIV,
				  .addr = 0x12345678, .vendor_code = VTD_FR_WRITE };
	struct xiommu_fault back;
	uint64_t rec[2];
	uint32_t psid;
	struct mock m;

	(void)state;
	mock_up(&m, &defaults);
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 16), 0);
	assert_int_equal(rec[0], 0x12345000);
	assert_int_equal(rec[1], XI_BIT(63) | XI_PUT(7, 59, 40) | XI_PUT(0x85, 39, 32) |
			 XI_BIT(31) | XI_BIT(29) | VRID);
	assert_int_equal(m.ops_tab->event_decode(&m.env, VTD_EVT_FAULT, rec, 2, &psid, &back), 0);
	assert_int_equal(psid, VRID);
	assert_int_equal(back.reason, XIOMMU_FR_PERMISSION);
	assert_int_equal(back.perm, f.perm);
	assert_int_equal(back.pasid, 7);
	/* without a vendor code the generic reason picks one */
	f.vendor_code = 0;
	f.reason = XIOMMU_FR_TRANSLATION;
	f.perm = XIOMMU_PERM_READ;
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 16), 0);
	assert_int_equal(XI_GET(rec[1], 39, 32), VTD_FR_FL_P);
	assert_true(rec[1] & XI_BIT(VTD_FRCD_T));
	m.vdev.vsid = 0x10000;
	assert_int_equal(m.ops_tab->fault_encode(&m.env, &m.vdev, &f, rec, 16), -ERANGE);
	mock_down(&m);
}

struct seen {
	char names[64][24];
	uint64_t vals[64];
	uint32_t flags[64];
	uint32_t n;
};

static void collect(void *arg, const char *name, uint64_t value, uint32_t flags, const char *note)
{
	struct seen *s = arg;

	(void)note;
	if (s->n < 64) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
		s->vals[s->n] = value;
		s->flags[s->n] = flags;
		s->n++;
	}
}

static int find(const struct seen *s, const char *name, uint32_t flags, uint64_t *v)
{
	uint32_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name) && s->flags[i] == flags) {
			if (v)
				*v = s->vals[i];
			return 1;
		}
	return 0;
}

static void test_decode(void **state)
{
	const struct xiommu_plugin_ops *ops = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	uint64_t pe[8] = { 0 }, qi[4], v = 0;
	struct seen s;
	uint32_t t, i;

	(void)state;
	pe[0] = 0x123456000ull | XI_PUT(3, 8, 6) | XI_PUT(2, 4, 2) | 1 | XI_BIT(10);
	pe[1] = 42;
	pe[2] = 0x777000 | XI_PUT(2, 3, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ops->decode("pasid", pe, 8, collect, &s), 0);
	assert_true(find(&s, "PGTT", 0, &v));
	assert_int_equal(v, 3);
	assert_true(find(&s, "SLPTPTR", 0, &v));
	assert_int_equal(v, 0x123456000);	/* the address, not the field */
	assert_true(find(&s, "DID", 0, &v));
	assert_int_equal(v, 42);
	assert_true(find(&s, "reserved_qw0", XIOMMU_FIELD_RESERVED, &v));
	assert_int_equal(v, XI_BIT(10));
	assert_true(find(&s, "FLPM", XIOMMU_FIELD_ILLEGAL, &v));
	assert_int_equal(v, 2);
	/* every descriptor type has a name and its fields */
	for (t = 1; t <= 9; t++) {
		memset(qi, 0, sizeof(qi));
		qi[0] = vtd_qi_type_bits(t) | (t == 3 ? 0 : XI_PUT(t == 6 ? 2 : 1, 5, 4));
		memset(&s, 0, sizeof(s));
		assert_int_equal(ops->decode("qi", qi, 4, collect, &s), 0);
		assert_true(find(&s, "TYPE", 0, &v));
		assert_int_equal(v, t);
		assert_true(s.n >= 3);
		for (i = 0; i < s.n; i++)
			assert_int_equal(s.flags[i], 0);
	}
	qi[0] = 0xb;
	memset(&s, 0, sizeof(s));
	assert_int_equal(ops->decode("qi", qi, 4, collect, &s), 0);
	assert_true(find(&s, "TYPE", XIOMMU_FIELD_ILLEGAL, NULL));
	/* CAP with caching mode on is flagged */
	qi[0] = XI_BIT(VTD_CAP_CM);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ops->decode("cap", qi, 1, collect, &s), 0);
	assert_true(find(&s, "CM", XIOMMU_FIELD_ILLEGAL, NULL));
	assert_int_equal(ops->decode("pasid", pe, 4, collect, &s), -EINVAL);
	assert_int_equal(ops->decode("nope", pe, 1, collect, &s), -EINVAL);
	for (i = 0; ops->decode_kinds[i]; i++)
		;
	assert_int_equal(i, 11);
}

/*
 * Stage and walk flags from the fault reason alone (VT-d 7.1.3 fault
 * reasons, named as in Linux's dmar.c table): second-level conditions are
 * F_STAGE2; those met translating a first-level table's GPA in a nested
 * walk are F_STAGE2 | F_WALK; first-level table fetch errors F_WALK. 0x86
 * (no read permission) can only come from the second level (a present
 * first-level entry is readable); 0x85 (no write permission) comes from
 * either level and carries neither flag. The record has no GPA field, so
 * F_FETCH is never set and fetch_addr stays 0.
 */
static void test_fault_stage_flags(void **state)
{
	static const struct { uint32_t fr, flags, reason; } t[] = {
		{ 0x70, XIOMMU_FAULT_F_WALK, XIOMMU_FR_WALK_EABT },
		{ 0x71, 0, XIOMMU_FR_TRANSLATION },
		{ 0x72, 0, XIOMMU_FR_TRANSLATION },
		{ 0x73, XIOMMU_FAULT_F_WALK, XIOMMU_FR_WALK_EABT },
		{ 0x74, XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK, XIOMMU_FR_ADDR_SIZE },
		{ 0x75, XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK, XIOMMU_FR_TRANSLATION },
		{ 0x76, XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK, XIOMMU_FR_TRANSLATION },
		{ 0x77, XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK, XIOMMU_FR_PERMISSION },
		{ 0x78, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_WALK_EABT },
		{ 0x79, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_PERMISSION },
		{ 0x7a, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_TRANSLATION },
		{ 0x7c, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_ACCESS },
		{ 0x80, 0, XIOMMU_FR_ADDR_SIZE },
		{ 0x81, 0, XIOMMU_FR_PERMISSION },
		{ 0x82, 0, XIOMMU_FR_PERMISSION },
		{ 0x83, 0, XIOMMU_FR_ADDR_SIZE },
		{ 0x84, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_ADDR_SIZE },
		{ 0x85, 0, XIOMMU_FR_PERMISSION },
		{ 0x86, XIOMMU_FAULT_F_STAGE2, XIOMMU_FR_TRANSLATION },
		{ 0x90, 0, XIOMMU_FR_ACCESS },
	};
	struct xiommu_fault f;
	uint64_t rec[3];
	uint32_t i, psid;
	struct mock m;

	(void)state;
	mock_up(&m, &defaults);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		/* FI 0x7f0000123000, SID 0x0310, PP, FR, PV 5, T = read, F */
		rec[0] = 0x00007f0000123000ull;
		rec[1] = 0xc000000080000310ull | (uint64_t)t[i].fr << 32 | 5ull << 40;
		rec[2] = 0x00007f0000123456ull;
		memset(&f, 0xff, sizeof(f));
		assert_int_equal(m.ops_tab->event_decode(&m.env, VTD_EVT_FAULT, rec, 3, &psid, &f),
				 0);
		if (f.flags != (t[i].flags | XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID) ||
		    f.reason != t[i].reason)
			fail_msg("FR 0x%x: flags 0x%x reason %u, expected 0x%x %u", t[i].fr, f.flags,
				 f.reason, t[i].flags, t[i].reason);
		assert_int_equal(f.fetch_addr, 0);
		assert_int_equal(f.addr, 0x00007f0000123456ull);
		assert_int_equal(f.vendor_code, t[i].fr);
		assert_int_equal(f.pasid, 5);
		assert_int_equal(psid, 0x310);
	}
	mock_down(&m);
}

/*
 * End to end on the model: a nested read whose output GPA the second level
 * does not map, and one whose first-level table GPA it does not map. The
 * fault names the input address (IOVA), never the GPA.
 */
static void test_fault_stage2_nested(void **state)
{
	struct xiommu_vtd_params p = defaults;
	struct xiommu_fault f;
	struct xm_event ev;
	uint64_t v = 0;
	uint32_t psid;
	struct mock m;

	(void)state;
	p.prs = 0;
	p.dt = 0;
	mock_up(&m, &p);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x7000, 0x7ff000000ull, 12,
					  VTD_GUEST_FL_RW), 0);
	do_bind(&m, 5, 0x500000, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(f.vendor_code, 0x86);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID |
			 XIOMMU_FAULT_F_STAGE2);
	assert_int_equal(f.addr, 0x7008);
	assert_int_equal(f.fetch_addr, 0);
	/* a PDPT at a GPA the second level does not map */
	*(uint64_t *)xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000 + 8) = 0x7fe000000ull | 7;
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 1ull << 39, &v, 8,
				  NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
	assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(f.vendor_code, 0x76);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID |
			 XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK);
	assert_int_equal(f.addr, 1ull << 39);
	assert_int_equal(f.fetch_addr, 0);
	mock_down(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_request_flow),
		cmocka_unit_test(test_fault_encode),
		cmocka_unit_test(test_fault_stage_flags),
		cmocka_unit_test(test_fault_stage2_nested),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
