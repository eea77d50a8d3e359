// SPDX-License-Identifier: MIT
/*
 * Guest tags (core/tag.c) on the test plugin and the recording backend:
 * a guest tag gets a host tag on its first bind, shares it afterwards,
 * keeps it while any binding uses it, and a bind that fails gives back a
 * tag it has just taken, leaving the context exactly as it was.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct xt_env env;

static int setup(void **state)
{
	(void)state;
	xt_setup(&env, "mode = pasid");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xt_teardown(&env);
	return 0;
}

static int bind(uint32_t vdev, uint32_t pasid, uint32_t gtag)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID, .vdev_id = vdev,
				 .config = XIOMMU_CONFIG_TRANSLATE, .pasid = pasid,
				 .format = XIOMMU_S1_TEST, .table_gpa = 0x40000, .addr_width = 48 };

	b.s1.raw[1] = gtag;
	return xiommu_bind(env.ctx, &b);
}

static int unbind(uint32_t vdev, uint32_t pasid)
{
	struct xiommu_unbind u = { .argsz = sizeof(u), .flags = XIOMMU_BIND_PASID,
				   .vdev_id = vdev, .pasid = pasid };

	return xiommu_unbind(env.ctx, &u);
}

/* The host tag the last bind's entry write carried (w[3]). */
static uint64_t last_host_tag(void)
{
	uint32_t i = xt_log.n;

	while (i--)
		if (xt_log.ops[i].code == XIOMMU_OP_ENTRY_WRITE)
			return xt_log.ops[i].w[3];
	return 0;
}

static void test_map_share_free(void **state)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = env.viommu,
					 .psid = 6, .vsid = 0x106, .pasid_bits = 16 };
	uint64_t h7, h9;

	(void)state;
	assert_int_equal(bind(env.vdev, 1, 7), 0);
	h7 = last_host_tag();
	assert_true(h7 >= 1000);
	assert_int_equal(xt_log.tag_allocs, 1);
	/* same guest tag, other PASID and other device: the same host tag */
	assert_int_equal(xiommu_vdev_attach(env.ctx, &at), 0);
	assert_int_equal(bind(at.out_vdev_id, 1, 7), 0);
	assert_int_equal(last_host_tag(), h7);
	assert_int_equal(bind(env.vdev, 2, 7), 0);
	assert_int_equal(xt_log.tag_allocs, 1);
	/* another guest tag, another host tag */
	assert_int_equal(bind(env.vdev, 3, 9), 0);
	h9 = last_host_tag();
	assert_int_not_equal(h9, h7);
	assert_int_equal(xt_log.tag_allocs, 2);
	/* rebinding PASID 3 from tag 9 to tag 7 frees 9 */
	assert_int_equal(bind(env.vdev, 3, 7), 0);
	assert_int_equal(last_host_tag(), h7);
	assert_int_equal(xt_log.tag_frees, 1);
	/* tag 7 stays until its last binding goes, the detach included */
	assert_int_equal(unbind(env.vdev, 1), 0);
	assert_int_equal(unbind(env.vdev, 2), 0);
	assert_int_equal(unbind(env.vdev, 3), 0);
	assert_int_equal(xt_log.tag_frees, 1);
	assert_int_equal(xiommu_vdev_detach(env.ctx, at.out_vdev_id), 0);
	assert_int_equal(xt_log.tag_frees, 2);
	/* untagged binds take none */
	assert_int_equal(bind(env.vdev, 4, 0), 0);
	assert_int_equal(last_host_tag(), 0);
	assert_int_equal(xt_log.tag_allocs, 2);
}

static void test_failed_bind_gives_tag_back(void **state)
{
	struct xt_snap *s = malloc(sizeof(*s));
	int ret;

	(void)state;
	assert_non_null(s);
	assert_int_equal(bind(env.vdev, 1, 7), 0);
	xt_snap(env.ctx, s);
	/* the backend refuses the program of a bind with a new guest tag */
	xt_log.refuse_target = 5;
	ret = bind(env.vdev, 2, 8);
	xt_log.refuse_target = 0;
	assert_int_equal(ret, -EPERM);
	assert_int_equal(xt_log.tag_allocs, 2);
	assert_int_equal(xt_log.tag_frees, 1);
	xt_assert_unchanged(env.ctx, s);
	/* one that fails in the plugin (unaligned table): nothing taken at all */
	{
		struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID,
					 .vdev_id = env.vdev, .config = XIOMMU_CONFIG_TRANSLATE,
					 .pasid = 2, .format = XIOMMU_S1_TEST, .table_gpa = 0x40010,
					 .addr_width = 48 };

		b.s1.raw[1] = 8;
		xt_snap(env.ctx, s);
		xt_assert_err(env.ctx, xiommu_bind(env.ctx, &b), -EINVAL, "4 KiB aligned");
		xt_assert_unchanged(env.ctx, s);
		assert_int_equal(xt_log.tag_allocs, xt_log.tag_frees + 1);
	}
	free(s);
}

static void test_tags_run_out(void **state)
{
	struct xt_snap *s = malloc(sizeof(*s));
	uint32_t t;

	(void)state;
	assert_non_null(s);
	xt_log.tags_max = 3;
	for (t = 1; t <= 3; t++)
		assert_int_equal(bind(env.vdev, t, 10 + t), 0);
	xt_snap(env.ctx, s);
	xt_assert_err(env.ctx, bind(env.vdev, 4, 14), -ENOSPC,
		      "no free host tag for guest tag 0xe of viommu");
	xt_assert_unchanged(env.ctx, s);
	/* an existing guest tag still binds */
	assert_int_equal(bind(env.vdev, 4, 12), 0);
	xt_log.tags_max = 0;
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_share_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_bind_gives_tag_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags_run_out, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
