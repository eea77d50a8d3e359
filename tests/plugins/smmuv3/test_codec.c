// SPDX-License-Identifier: MIT
/*
 * SMMUv3 guest-format codec: every STE/CD/command/event field decoded at
 * its bit, reserved bits and illegal values flagged, guest CD encoding,
 * events -> generic faults -> guest records with the vSID.
 */
#include <string.h>
#include "penv.h"

struct seen {
	unsigned int n;
	struct { char name[24]; uint64_t v; uint32_t flags; char note[32]; } f[80];
};

static void collect(void *arg, const char *name, uint64_t v, uint32_t flags, const char *note)
{
	struct seen *s = arg;

	assert_true(s->n < 80);
	snprintf(s->f[s->n].name, sizeof(s->f[0].name), "%s", name);
	snprintf(s->f[s->n].note, sizeof(s->f[0].note), "%s", note ? note : "");
	s->f[s->n].v = v;
	s->f[s->n++].flags = flags;
}

static unsigned int find(const struct seen *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->f[i].name, name))
			return i;
	fail_msg("field %s not decoded", name);
	return 0;
}

static void expect(const struct seen *s, const char *name, uint64_t v, uint32_t flags)
{
	unsigned int i = find(s, name);

	assert_int_equal(s->f[i].v, v);
	assert_int_equal(s->f[i].flags, flags);
}

static void test_decode_ste(void **state)
{
	uint64_t w[8] = { 0 };
	struct seen s;

	(void)state;
	/* one distinct value per field */
	w[0] = 1 | (7 << 1) | (2 << 4) | 0x123456789ac0ull | (0x15ull << 59);
	w[1] = 2 | (1 << 2) | (2 << 4) | (3 << 6) | (1ull << 19) | (1ull << 27) | (1ull << 28) |
	       (2ull << 30) | (1ull << 44);
	w[2] = 0x1234 | (24ull << 32) | (1ull << 38) | (3ull << 44) | (2ull << 46) | (5ull << 48) |
	       (1ull << 51) | (1ull << 54) | (1ull << 58);
	w[3] = 0xabcdef000ull;
	memset(&s, 0, sizeof(s));
	assert_int_equal(smmuv3_decode("ste", w, 8, collect, &s), 0);
	expect(&s, "V", 1, 0);
	expect(&s, "Config", 7, 0);
	assert_string_equal(s.f[find(&s, "Config")].note, "nested");
	expect(&s, "S1Fmt", 2, 0);
	expect(&s, "S1ContextPtr", 0x123456789ac0ull, 0);	/* the address, not the field */
	expect(&s, "S1CDMax", 0x15, 0);
	expect(&s, "S1DSS", 2, 0);
	expect(&s, "S1CIR", 1, 0);
	expect(&s, "S1COR", 2, 0);
	expect(&s, "S1CSH", 3, 0);
	expect(&s, "MEV", 1, 0);
	expect(&s, "S1STALLD", 1, 0);
	expect(&s, "EATS", 1, 0);
	expect(&s, "STRW", 2, 0);
	expect(&s, "SHCFG", 1, 0);
	expect(&s, "S2VMID", 0x1234, 0);
	expect(&s, "S2T0SZ", 24, 0);
	expect(&s, "S2SL0", 1, 0);
	expect(&s, "S2SH0", 3, 0);
	expect(&s, "S2TG", 2, 0);
	expect(&s, "S2PS", 5, 0);
	expect(&s, "S2AA64", 1, 0);
	expect(&s, "S2PTW", 1, 0);
	expect(&s, "S2R", 1, 0);
	expect(&s, "S2TTB", 0xabcdef000ull, 0);
	/* reserved bits and illegal values */
	w[0] |= 1ull << 57;
	w[2] |= 3ull << 46;	/* S2TG 3 */
	w[1] |= 3;		/* S1DSS 3 */
	memset(&s, 0, sizeof(s));
	smmuv3_decode("ste", w, 8, collect, &s);
	expect(&s, "RES0[0]", 1ull << 57, XIOMMU_FIELD_RESERVED);
	expect(&s, "S2TG", 3, XIOMMU_FIELD_ILLEGAL);
	expect(&s, "S1DSS", 3, XIOMMU_FIELD_ILLEGAL);
	assert_int_equal(smmuv3_decode("ste", w, 9, collect, &s), -EINVAL);
	assert_int_equal(smmuv3_decode("nope", w, 1, collect, &s), -EINVAL);
}

static void test_cd_encode_decode(void **state)
{
	struct smmuv3_cd_fields f = { .ttb0 = 0x8765432000ull, .asid = 0xbeef, .t0sz = 25,
				      .gshift = 16, .ips_bits = 44, .affd = 1, .stall = 1 };
	uint64_t cd[8];
	struct seen s;

	(void)state;
	smmuv3_cd_encode(&f, cd);
	/* T0SZ 25, TG0 01, IR0/OR0 01, SH0 11, EPD1, V, IPS 100, AFFD, AA64, S, R, A, ASID */
	assert_int_equal(cd[0], 25 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | (1u << 30) |
			 (1ull << 31) | (4ull << 32) | (1ull << 35) | (1ull << 41) | (1ull << 44) |
			 (1ull << 45) | (1ull << 46) | (0xbeefull << 48));
	assert_int_equal(cd[1], 0x8765432000ull);
	assert_int_equal(cd[2], 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(smmuv3_decode("cd", cd, 8, collect, &s), 0);
	expect(&s, "T0SZ", 25, 0);
	expect(&s, "TG0", 1, 0);
	expect(&s, "IPS", 4, 0);
	expect(&s, "ASID", 0xbeef, 0);
	expect(&s, "TTB0", 0x8765432000ull, 0);
	expect(&s, "S", 1, 0);
	expect(&s, "A", 1, 0);
	cd[0] &= ~(1ull << 46);		/* A = 0: illegal with TERM_MODEL */
	cd[0] = xi_set(cd[0], 5, 0, 12);
	cd[1] |= 1ull << 60;
	memset(&s, 0, sizeof(s));
	smmuv3_decode("cd", cd, 8, collect, &s);
	expect(&s, "A", 0, XIOMMU_FIELD_ILLEGAL);
	expect(&s, "T0SZ", 12, XIOMMU_FIELD_ILLEGAL);
	expect(&s, "RES0[1]", 1ull << 60, XIOMMU_FIELD_RESERVED);
}

static void test_decode_cmd_evt_idr(void **state)
{
	uint64_t c[2] = { SMMUV3_OP_TLBI_NH_VA | (3ull << 12) | (2ull << 20) | (5ull << 32) |
			  (0x77ull << 48), 0x12345000ull | (1 << 10) | (2 << 8) | 1 };
	uint64_t e[4] = { 0x10 | (1 << 11) | (0x42ull << 12) | (9ull << 32),
			  0x33 | (1ull << 31) | (1ull << 35) | (1ull << 39) | (1ull << 40),
			  0xdead000, 0x4000000 };
	uint64_t idr[6] = { 0x0c4c341b, 0x08000000 | (8u << 21) | (7u << 16) | (20u << 6) | 16, 0,
			    1u << 10, 0, (1u << 6) | (1u << 4) | 5 };
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(smmuv3_decode("cmd", c, 2, collect, &s), 0);
	expect(&s, "Opcode", 0x12, 0);
	assert_string_equal(s.f[find(&s, "Opcode")].note, "TLBI_NH_VA");
	expect(&s, "NUM", 3, 0);
	expect(&s, "SCALE", 2, 0);
	expect(&s, "VMID", 5, 0);
	expect(&s, "ASID", 0x77, 0);
	expect(&s, "Leaf", 1, 0);
	expect(&s, "TTL", 2, 0);
	expect(&s, "TG", 1, 0);
	expect(&s, "Address", 0x12345000ull, 0);
	c[0] &= ~XI_GENMASK(24, 12);
	c[1] &= ~XI_GENMASK(9, 8);
	c[1] |= 1ull << 7;	/* TTL128: reserved here */
	memset(&s, 0, sizeof(s));
	smmuv3_decode("cmd", c, 2, collect, &s);
	expect(&s, "TG", 1, XIOMMU_FIELD_ILLEGAL);
	expect(&s, "RES0[1]", 1ull << 7, XIOMMU_FIELD_RESERVED);
	c[0] = 0x99;
	memset(&s, 0, sizeof(s));
	smmuv3_decode("cmd", c, 2, collect, &s);
	expect(&s, "Opcode", 0x99, XIOMMU_FIELD_ILLEGAL);
	memset(&s, 0, sizeof(s));
	assert_int_equal(smmuv3_decode("evt", e, 4, collect, &s), 0);
	assert_string_equal(s.f[find(&s, "Event")].note, "F_TRANSLATION");
	expect(&s, "SSV", 1, 0);
	expect(&s, "SubstreamID", 0x42, 0);
	expect(&s, "StreamID", 9, 0);
	expect(&s, "STAG", 0x33, 0);
	expect(&s, "Stall", 1, 0);
	expect(&s, "RnW", 1, 0);
	expect(&s, "S2", 1, 0);
	expect(&s, "CLASS", 1, 0);
	expect(&s, "InputAddr", 0xdead000, 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(smmuv3_decode("idr", idr, 6, collect, &s), 0);
	expect(&s, "IDR0.S1P", 1, 0);
	expect(&s, "IDR0.TTF", 2, 0);
	expect(&s, "IDR0.ST_LEVEL", 1, 0);
	expect(&s, "IDR1.SIDSIZE", 16, 0);
	expect(&s, "IDR1.SSIDSIZE", 20, 0);
	expect(&s, "IDR3.RIL", 1, 0);
	expect(&s, "IDR5.OAS", 5, 0);
	expect(&s, "IDR5.GRAN64K", 1, 0);
	expect(&s, "IDR5.GRAN16K", 0, 0);
}

static void test_event_roundtrip(void **state)
{
	struct penv e;
	uint64_t root, l1, w[4], rec[4];
	struct xiommu_fault f;
	uint32_t psid;

	(void)state;
	penv_up(&e, NULL);
	root = rig_nested(&e.r, 3, NULL);
	smmuv3_s1_map(&e.r.gm, root, 12, 16, 0x10000, RIG_GPA, 3, SMMUV3_S1_USER);
	l1 = smmuv3_pte_addr(*(uint64_t *)gptr(&e.r, root), 12);
	*(uint64_t *)gptr(&e.r, l1) = 0x9000000ull | 3;
	assert_int_equal(rig_dma(&e.r, XIOMMU_DMA_READ, 0, RIG_SID, 0, 0x10010, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&e.r, w), 0);
	assert_int_equal(e.ops->event_decode(&e.env, SMMUV3_EVK_EVTQ, w, 4, &psid, &f), 0);
	assert_int_equal(psid, RIG_SID);
	assert_int_equal(f.type, XIOMMU_FAULT_DMA);
	assert_int_equal(f.reason, XIOMMU_FR_TRANSLATION);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_WALK |
			 XIOMMU_FAULT_F_FETCH);
	assert_int_equal(f.addr, 0x10010);
	assert_int_equal(f.fetch_addr, 0x9000000ull);
	assert_int_equal(f.perm, XIOMMU_PERM_READ);
	assert_int_equal(f.vendor_code, 0x10);
	assert_int_equal(e.ops->fault_encode(&e.env, &e.vdev, &f, rec, sizeof(rec)), 0);
	/* the same record, with the vSID */
	assert_int_equal(rec[0], (w[0] & 0xffffffffull) | ((uint64_t)PENV_VSID << 32));
	assert_int_equal(rec[1], w[1]);
	assert_int_equal(rec[2], w[2]);
	assert_int_equal(rec[3], w[3]);
	assert_int_equal(e.ops->fault_encode(&e.env, &e.vdev, &f, rec, 16), -ENOSPC);
	/* a generic fault with no vendor code: from its reason */
	memset(&f, 0, sizeof(f));
	f.type = XIOMMU_FAULT_DMA;
	f.reason = XIOMMU_FR_BAD_PASID_ENTRY;
	f.flags = XIOMMU_FAULT_F_PASID;
	f.pasid = 7;
	assert_int_equal(e.ops->fault_encode(&e.env, &e.vdev, &f, rec, sizeof(rec)), 0);
	assert_int_equal(rec[0], 0x0a | (1 << 11) | (7 << 12) | ((uint64_t)PENV_VSID << 32));
	assert_int_equal(rec[1] | rec[2] | rec[3], 0);
	assert_int_equal(e.ops->event_decode(&e.env, 7, w, 4, &psid, &f), -EINVAL);
	penv_down(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ste),
		cmocka_unit_test(test_cd_encode_decode),
		cmocka_unit_test(test_decode_cmd_evt_idr),
		cmocka_unit_test(test_event_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
