// SPDX-License-Identifier: MIT
/*
 * conf/portable.ini on the real plugins and models: what a unit advertises
 * is less than its hardware, and requests beyond the advertised limits are
 * refused, not only hidden.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>

static const char *config;

static void test_limits_enforced(void **state)
{
	struct xiommu_ctx *ctx;
	uint32_t u;

	(void)state;
	if (xiommu_open(config, &ctx))
		fail_msg("%s", xiommu_last_error(NULL));
	for (u = 0; u < xiommu_unit_count(ctx); u++) {
		struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = u };
		struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = u };
		struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = 0x10, .vsid = 1,
						 .pasid_bits = 17 };

		assert_int_equal(xiommu_hw_info(ctx, &hw), 0);
		print_message("unit %s (%s)\n", hw.unit_name, hw.vendor_name);
		assert_int_equal(hw.pasid_bits, 16);
		if (!strcmp(hw.vendor_name, "smmuv3")) {
			/* advertise_stall/range_inv = no, advertise_s1_oas = 44 */
			assert_false(hw.features & (XIOMMU_HW_STALL | XIOMMU_HW_RANGE_INV));
			assert_int_equal(hw.s1_oas, 44);
		} else {
			assert_false(hw.features & XIOMMU_HW_PRI);	/* advertise_pri = no */
		}
		assert_int_equal(xiommu_viommu_alloc(ctx, &va), 0);
		at.viommu_id = va.out_viommu_id;
		assert_int_equal(xiommu_vdev_attach(ctx, &at), -ERANGE);
		assert_non_null(strstr(xiommu_last_error(ctx), "pasid_bits 17 exceeds"));
		at.pasid_bits = 16;
		assert_int_equal(xiommu_vdev_attach(ctx, &at), 0);
	}
	xiommu_close(ctx);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_enforced),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s CONFIG.ini\n", argv[0]);
		return 2;
	}
	config = argv[1];
	return cmocka_run_group_tests_name("e2e-portable", tests, NULL, NULL);
}
