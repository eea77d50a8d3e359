// SPDX-License-Identifier: MIT
/* The per-vdev PASID table at 1, 1k and 1M bound PASIDs. */
#include <stdlib.h>
#include "harness.h"
#include "pasid.h"

static void fill(struct xc_pasid_table *t, uint32_t n, uint32_t stride)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct xiommu_pasid_binding b = { .pasid = (i * stride) & 0xfffff,
						  .table_gpa = 0x1000ull * i, .addr_width = 48 };

		assert_int_equal(xc_pasid_reserve(t, 1), 0);
		assert_int_equal(xc_pasid_set(t, &b), 0);
	}
}

static int count_cb(void *arg, const struct xiommu_pasid_binding *b)
{
	(void)b;
	(*(uint32_t *)arg)++;
	return 0;
}

static void check_scale(uint32_t n, uint32_t stride)
{
	struct xc_pasid_table t;
	uint32_t i, seen = 0;

	xc_pasid_init(&t);
	fill(&t, n, stride);
	assert_int_equal(t.count, n);
	for (i = 0; i < n; i++) {
		struct xiommu_pasid_binding *b = xc_pasid_find(&t, (i * stride) & 0xfffff);

		assert_non_null(b);
		assert_int_equal(b->table_gpa, 0x1000ull * i);
	}
	assert_null(xc_pasid_find(&t, 0xfffff + 1));
	assert_int_equal(xc_pasid_foreach(&t, count_cb, &seen), 0);
	assert_int_equal(seen, n);
	/* memory follows the bound count: at most 128 bytes per PASID */
	assert_true(xc_pasid_bytes(&t) <= 128ull * (n < 8 ? 8 : n));
	/* delete every other one; the rest stay reachable */
	for (i = 0; i < n; i += 2)
		assert_int_equal(xc_pasid_del(&t, (i * stride) & 0xfffff), 0);
	for (i = 0; i < n; i++)
		assert_true(!!xc_pasid_find(&t, (i * stride) & 0xfffff) == (i & 1));
	assert_int_equal(xc_pasid_del(&t, 0xfffff + 5), -ENOENT);
	for (i = 1; i < n; i += 2)
		assert_int_equal(xc_pasid_del(&t, (i * stride) & 0xfffff), 0);
	assert_int_equal(t.count, 0);
	xc_pasid_fini(&t);
}

static void test_one(void **state)
{
	(void)state;
	check_scale(1, 1);
}

static void test_1k_dense_and_sparse(void **state)
{
	(void)state;
	check_scale(1000, 1);
	check_scale(1000, 1021); /* spread over the whole 20-bit space */
}

static void test_1m(void **state)
{
	(void)state;
	check_scale(1u << 20, 1);
}

static void test_full_without_reserve(void **state)
{
	struct xc_pasid_table t;
	struct xiommu_pasid_binding b = { .pasid = 1 };

	(void)state;
	xc_pasid_init(&t);
	assert_int_equal(xc_pasid_set(&t, &b), -ENOSPC);
	b.pasid = XC_PASID_EMPTY;
	assert_int_equal(xc_pasid_reserve(&t, 1), 0);
	assert_int_equal(xc_pasid_set(&t, &b), -EINVAL);
	xc_pasid_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_1k_dense_and_sparse),
		cmocka_unit_test(test_1m),
		cmocka_unit_test(test_full_without_reserve),
	};

	return cmocka_run_group_tests_name("pasid", tests, NULL, NULL);
}
