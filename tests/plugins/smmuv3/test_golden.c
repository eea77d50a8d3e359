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
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
