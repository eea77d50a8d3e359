// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model against rules of the architecture that a model written
 * from memory gets wrong. Each test names where its rule is written:
 * Arm IHI0070 (SMMUv3), Arm DDI0487 (Arm ARM, VMSAv8-64), and the code
 * that implements the same rule in Linux or QEMU (../shared/FORMATS.md).
 */
#include <string.h>
#include "rig.h"

#define RD XIOMMU_DMA_READ

/*
 * A CD with EPD1 = 1 (walks through TTB1 disabled) leaves T1SZ unused: the
 * project's CD encoder writes T1SZ = 0. An IOVA with bit 55 set selects
 * TTB1 and must fault (Translation fault, walk disabled) before anything
 * looks at T1SZ: Arm ARM AArch64.S1Walk checks EPDn first, as QEMU's
 * get_phys_addr_lpae() does ("Translation table walk disabled"). Computing
 * the input size 64 - T1SZ first shifts by 64: the UBSan build stops there.
 */
static void test_epd1_t1sz0(void **state)
{
	static const uint64_t vas[] = { 1ull << 55, ~0xfffull, 0xff80000000001000ull };
	uint64_t w[4];
	struct rig r;
	unsigned int i;

	(void)state;
	rig_up(&r, NULL);
	rig_nested(&r, 3, NULL);
	for (i = 0; i < 3; i++) {
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, vas[i], NULL), XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0], SMMUV3_EVT_F_TRANSLATION | ((uint64_t)RIG_SID << 32));
		assert_int_equal(w[2], vas[i]);
	}
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epd1_t1sz0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
