// SPDX-License-Identifier: MIT
/*
 * Golden words: STEs, commands and event records whose expected values are
 * literals worked out by hand from field positions outside this project -
 * Linux drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h (STRTAB_STE_*,
 * CMDQ_*, EVTQ_*), QEMU hw/arm/smmuv3-internal.h, and IHI0070 - never from
 * include/xiommu/arch/smmuv3.h, whose encoders are what is under test.
 * Each literal is followed by the fields it is made of.
 */
#include <string.h>
#include "penv.h"

static struct penv *g_env;

static int decode(const uint64_t *w, uint32_t *psid, struct xiommu_fault *f)
{
	return g_env->ops->event_decode(&g_env->env, SMMUV3_EVK_EVTQ, w, 4, psid, f);
}

/*
 * The fault-record rule of include/xiommu/xiommu.h on SMMUv3 events:
 * F_STAGE2 from S2 (EVTQ_1_S2, bit 39), F_WALK from CLASS = TT
 * (EVTQ_1_CLASS, bits 41:40 = 01), fetch_addr = the IPA field (EVTQ_3_IPA,
 * bits 51:12) with F_FETCH when S2 = 1; FetchAddr of F_WALK_EABT /
 * F_CD_FETCH / F_STE_FETCH is a host PA, not a GPA: no F_FETCH.
 */
static void test_event_decode(void **state)
{
	struct xiommu_fault f;
	uint32_t psid = 0;
	/*
	 * F_TRANSLATION (0x10), SSV, SSID 3, SID 0x42; RnW, S2, CLASS TT,
	 * TT_READ; InputAddr 0x7f0012345678; IPA 0x89abc000.
	 * w0 = 0x10 | 1 << 11 | 3 << 12 | 0x42 << 32
	 * w1 = 1 << 35 | 1 << 39 | 1 << 40 | 1 << 44
	 */
	uint64_t w[4] = { 0x0000004200003810ull, 0x0000118800000000ull, 0x00007f0012345678ull,
			  0x0000000089abc000ull };

	(void)state;
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(psid, 0x42);
	assert_int_equal(f.type, XIOMMU_FAULT_DMA);
	assert_int_equal(f.reason, XIOMMU_FR_TRANSLATION);
	assert_int_equal(f.vendor_code, 0x10);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_STAGE2 |
			 XIOMMU_FAULT_F_WALK | XIOMMU_FAULT_F_FETCH);
	assert_int_equal(f.pasid, 3);
	assert_int_equal(f.addr, 0x7f0012345678ull);
	assert_int_equal(f.fetch_addr, 0x89abc000ull);
	assert_int_equal(f.perm, XIOMMU_PERM_READ);
	/* CLASS IN (10): the access's own IPA, not a walk */
	w[1] = 0x0000028800000000ull;	/* 1 << 35 | 1 << 39 | 2 << 40 */
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_STAGE2 |
			 XIOMMU_FAULT_F_FETCH);
	assert_int_equal(f.fetch_addr, 0x89abc000ull);
	/* CLASS CD (00) at stage 2: the CD's IPA, not a walk */
	w[1] = 0x0000008800000000ull;	/* 1 << 35 | 1 << 39 */
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_STAGE2 |
			 XIOMMU_FAULT_F_FETCH);
	/* stage 1 (S2 = 0), CLASS IN, a write: no IPA in the record, whatever dw3 holds */
	w[1] = 0x0000020000000000ull;	/* 2 << 40 */
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_ADDR);
	assert_int_equal(f.fetch_addr, 0);
	assert_int_equal(f.perm, XIOMMU_PERM_WRITE);
	/* F_WALK_EABT (0x0b), stage-1 table fetch: S2 0, CLASS TT, TT_READ; FetchAddr a PA */
	w[0] = 0x000000420000000bull;
	w[1] = 0x0000118800000000ull & ~(1ull << 39);
	w[3] = 0x0000000123456788ull;
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(f.reason, XIOMMU_FR_WALK_EABT);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_WALK);
	assert_int_equal(f.fetch_addr, 0);
	/* F_CD_FETCH (0x09): FetchAddr is a PA too */
	w[0] = 0x0000004200000009ull;
	w[1] = 0;
	w[2] = 0;
	assert_int_equal(decode(w, &psid, &f), 0);
	assert_int_equal(f.reason, XIOMMU_FR_CONFIG_FETCH);
	assert_int_equal(f.flags, 0);
	assert_int_equal(f.fetch_addr, 0);
}

/*
 * A nested STE for given inputs, word by word from Linux's STRTAB_STE_*:
 * domain: VMID 0x42, S2 root 0x123456000, 48-bit IPA and PA, 4K, start L0;
 * guest: CD table at 0x80000040, 16 CDs (S1CDMax 4), linear, S1DSS SSID0,
 * S1CIR = S1COR = WBRA (1), S1CSH ISH (3).
 */
static void test_nested_ste(void **state)
{
	struct xiommu_plugin_viommu vi = g_env->viommu;
	struct xiommu_plugin_vdev vd = g_env->vdev;
	struct xiommu_bind b;
	uint64_t ste[8];

	(void)state;
	vi.dom.tag = 0x42;
	vi.dom.s2_root = 0x123456000ull;
	vi.dom.s2_ias = 48;
	vi.dom.s2_oas = 48;
	vi.dom.granule_shift = 12;
	vi.dom.start_level = 0;
	vd.viommu = &vi;
	memset(&b, 0, sizeof(b));
	b.argsz = sizeof(b);
	b.config = XIOMMU_CONFIG_TRANSLATE;
	b.format = XIOMMU_S1_SMMUV3_CD_TABLE;
	b.table_gpa = 0x80000040ull;
	b.pasid_bits = 4;
	b.s1.smmuv3.s1dss = 2;
	b.s1.smmuv3.s1cir = 1;
	b.s1.smmuv3.s1cor = 1;
	b.s1.smmuv3.s1csh = 3;
	assert_int_equal(smmuv3_ste_for(&g_env->env, &vd, &b, ste), 0);
	/* V | CFG 0b111 (3:1) | S1CTXPTR (51:6) | S1CDMAX 4 (63:59) */
	assert_int_equal(ste[0], 0x200000008000004full);
	/*
	 * S1DSS 2 (1:0) | S1CIR 1 (3:2) | S1COR 1 (5:4) | S1CSH 3 (7:6) = 0xd6;
	 * host: MEV (19), forced by Linux for nesting; SHCFG 1 = incoming (45:44)
	 */
	assert_int_equal(ste[1], 0x00001000000800d6ull);
	/*
	 * S2VMID 0x42 (15:0); VTCR (50:32) = T0SZ 16 | SL0 2 << 6 | IR0 1 << 8 |
	 * OR0 1 << 10 | SH0 3 << 12 | TG 0 << 14 | PS 5 << 16 = 0x53590;
	 * S2AA64 (51), S2PTW (54), S2R (58)
	 */
	assert_int_equal(ste[2], 0x044d359000000042ull);
	/* S2TTB (51:4) */
	assert_int_equal(ste[3], 0x0000000123456000ull);
	assert_int_equal(ste[4] | ste[5] | ste[6] | ste[7], 0);
}

static void inv(const struct xiommu_inv_entry *en, uint32_t ncmds)
{
	uint32_t bad = 99;

	penv_prog_reset(g_env);
	assert_int_equal(g_env->ops->invalidate(&g_env->env, &g_env->viommu, en, 1, &g_env->prog,
						&bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(g_env->prog.n, ncmds + 1);	/* and the completion */
	assert_int_equal(g_env->prog.ops[ncmds].code, XIOMMU_OP_SYNC);
}

#define W(i, k) (g_env->prog.ops[i].w[k])

/*
 * Commands from generic entries, by Linux's CMDQ_* positions: OP (7:0),
 * SSV (11); TLBI: NUM (16:12), SCALE (24:20), VMID (47:32), ASID (63:48),
 * LEAF (1:0), TTL (1:9:8), TG (1:11:10), address (1:63:12); CFGI: SSID
 * (31:12), SID (63:32), LEAF (1:0); ATC: GLOBAL (9), SSID, SID, SIZE (1:5:0).
 * The viommu's VMID is 1, the vdev's StreamID 5 (RIG_SID).
 */
static void test_command_words(void **state)
{
	struct xiommu_inv_entry en;

	(void)state;
	assert_int_equal(g_env->viommu.dom.tag, 1);
	assert_int_equal(g_env->vdev.psid, 5);
	memset(&en, 0, sizeof(en));
	en.cache = XIOMMU_CACHE_IOTLB;
	en.scope = XIOMMU_INV_ALL;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0000000100000010ull);	/* TLBI_NH_ALL, VMID 1 */
	assert_int_equal(W(0, 1), 0);
	/* CMD_TLBI_NH_VA, one page: ASID 0x77, VMID 1; Leaf, address 0x12345000 */
	en.scope = XIOMMU_INV_RANGE;
	en.flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_LEAF;
	en.tag = 0x77;
	en.addr = 0x12345000ull;
	en.size = 0x1000;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0077000100000012ull);
	assert_int_equal(W(0, 1), 0x0000000012345001ull);
	/*
	 * range form, 128 KiB at 0x40000000, once per granule of the unit:
	 * 4K: 32 pages = NUM 0, SCALE 5, TG 1; 16K: 8 = NUM 0, SCALE 3, TG 2;
	 * 64K: 2 = NUM 0, SCALE 1, TG 3
	 */
	en.flags = XIOMMU_INV_F_TAG;
	en.addr = 0x40000000ull;
	en.size = 0x20000;
	inv(&en, 3);
	assert_int_equal(W(0, 0), 0x0077000100500012ull);
	assert_int_equal(W(0, 1), 0x0000000040000400ull);
	assert_int_equal(W(1, 0), 0x0077000100300012ull);
	assert_int_equal(W(1, 1), 0x0000000040000800ull);
	assert_int_equal(W(2, 0), 0x0077000100100012ull);
	assert_int_equal(W(2, 1), 0x0000000040000c00ull);
	/* CMD_TLBI_NH_VAA (no tag), 3 pages of 4K, Leaf: NUM 2 */
	en.flags = XIOMMU_INV_F_LEAF;
	en.tag = 0;
	en.size = 0x3000;
	inv(&en, 2);
	assert_int_equal(W(0, 0), 0x0000000100002013ull);
	assert_int_equal(W(0, 1), 0x0000000040000401ull);
	assert_int_equal(W(1, 0), 0x0000000100000013ull);	/* 16K, 64K: one page, plain */
	assert_int_equal(W(1, 1), 0x0000000040000001ull);
	/* CMD_CFGI_CD: SSID 5, SID 5, Leaf */
	memset(&en, 0, sizeof(en));
	en.cache = XIOMMU_CACHE_CONFIG;
	en.scope = XIOMMU_INV_PASID;
	en.flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV;
	en.pasid = 5;
	en.vdev_id = g_env->vdev.id;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0000000500005005ull);
	assert_int_equal(W(0, 1), 1);
	/* CMD_CFGI_CD_ALL: SID 5 */
	en.scope = XIOMMU_INV_ALL;
	en.flags = XIOMMU_INV_F_VDEV;
	en.pasid = 0;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0000000500000006ull);
	assert_int_equal(W(0, 1), 0);
	/* CMD_ATC_INV: SSV, SSID 5, SID 5; 0x3000..0x4fff: Size 3 (32K) at 0 */
	en.cache = XIOMMU_CACHE_DEVTLB;
	en.scope = XIOMMU_INV_RANGE;
	en.flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV;
	en.pasid = 5;
	en.addr = 0x3000;
	en.size = 0x2000;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0000000500005840ull);
	assert_int_equal(W(0, 1), 0x0000000000000003ull);
	/* without PASID, everything: SID 5, Size 52 */
	en.scope = XIOMMU_INV_ALL;
	en.flags = XIOMMU_INV_F_VDEV;
	en.pasid = 0;
	en.addr = en.size = 0;
	inv(&en, 1);
	assert_int_equal(W(0, 0), 0x0000000500000040ull);
	assert_int_equal(W(0, 1), 52);
}

/* Raw guest commands: VMID inserted, vSID -> pSID, NSNH_ALL made NH_ALL of the VMID. */
static void test_raw_rewrite_words(void **state)
{
	uint64_t cmds[3][2] = {
		{ 0x0077abcd00000012ull, 0x0000000012345001ull },	/* NH_VA, guest VMID 0xabcd */
		{ 0x0000009900003005ull, 1 },		/* CFGI_CD, vSID 0x99, SSID 3 */
		{ 0x0000000000000030ull, 0 },		/* TLBI_NSNH_ALL */
	};
	uint32_t bad = 99;

	(void)state;
	assert_int_equal(g_env->vdev.vsid, 0x99);
	penv_prog_reset(g_env);
	assert_int_equal(g_env->ops->invalidate_raw(&g_env->env, &g_env->viommu, cmds, 3,
						    &g_env->prog, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(W(0, 0), 0x0077000100000012ull);
	assert_int_equal(W(0, 1), 0x0000000012345001ull);
	assert_int_equal(W(1, 0), 0x0000000500003005ull);
	assert_int_equal(W(1, 1), 1);
	assert_int_equal(W(2, 0), 0x0000000100000010ull);
	assert_int_equal(W(2, 1), 0);
}

/* A generic stage-2 walk fault back into a guest record, by EVTQ_* positions. */
static void test_event_encode(void **state)
{
	struct xiommu_fault f = { .type = XIOMMU_FAULT_DMA, .reason = XIOMMU_FR_TRANSLATION,
				  .vendor_code = 0x10, .perm = XIOMMU_PERM_READ,
				  .flags = XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_STAGE2 |
					   XIOMMU_FAULT_F_WALK | XIOMMU_FAULT_F_FETCH,
				  .addr = 0x7f0012345678ull, .fetch_addr = 0x89abc000ull };
	uint64_t w[4];

	(void)state;
	assert_int_equal(g_env->ops->fault_encode(&g_env->env, &g_env->vdev, &f, w, sizeof(w)), 0);
	assert_int_equal(w[0], 0x0000009900000010ull);	/* ID 0x10, StreamID = vSID 0x99 */
	assert_int_equal(w[1], 0x0000118800000000ull);	/* RnW, S2, CLASS TT, TT_READ */
	assert_int_equal(w[2], 0x00007f0012345678ull);
	assert_int_equal(w[3], 0x0000000089abc000ull);	/* IPA (51:12) */
	/* stage 1, a write: CLASS IN, no IPA */
	f.flags = XIOMMU_FAULT_F_ADDR;
	f.perm = XIOMMU_PERM_WRITE;
	assert_int_equal(g_env->ops->fault_encode(&g_env->env, &g_env->vdev, &f, w, sizeof(w)), 0);
	assert_int_equal(w[1], 0x0000020000000000ull);
	assert_int_equal(w[3], 0);
}

/*
 * The guest-format CD builder against Linux's CTXDESC_CD_0_* positions:
 * T0SZ 16 (5:0), TG0 4K (7:6 = 0), IRGN0 1 (9:8), ORGN0 1 (11:10), SH0 3
 * (13:12), EPD1 (30), V (31), IPS 5 (34:32), AA64 (41), R (45), A (46),
 * ASID 7 (63:48); TTB0 (1:51:4).
 */
static void test_cd_words(void **state)
{
	struct smmuv3_cd_fields f = { .ttb0 = 0x123450000ull, .asid = 7, .t0sz = 16,
				      .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8];

	(void)state;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(cd[0], 0x00076205c0003510ull);
	assert_int_equal(cd[1], 0x0000000123450000ull);
	assert_int_equal(cd[2], 0);
}

static int setup(void **state)
{
	g_env = calloc(1, sizeof(*g_env));
	penv_up(g_env, NULL);
	*state = g_env;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	penv_down(g_env);
	free(g_env);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_decode),
		cmocka_unit_test(test_nested_ste),
		cmocka_unit_test(test_command_words),
		cmocka_unit_test(test_raw_rewrite_words),
		cmocka_unit_test(test_event_encode),
		cmocka_unit_test(test_cd_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
