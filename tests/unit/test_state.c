// SPDX-License-Identifier: MIT
/*
 * What successful calls do: the exact programs the backend receives, the
 * state the core records, and object lifetimes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct xt_env env;

static int setup_pasid(void **state)
{
	(void)state;
	xt_setup(&env, "mode = pasid");
	return 0;
}

static int setup_table(void **state)
{
	(void)state;
	xt_setup(&env, "mode = table");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xt_teardown(&env);
	return 0;
}

static void test_attach_writes_abort(void **state)
{
	(void)state;
	/* attach ran the plugin's ABORT bind: entry write, command, sync */
	assert_int_equal(xt_log.attaches, 1);
	assert_int_equal(xt_log.n, 3);
	assert_int_equal(xt_log.ops[0].code, XIOMMU_OP_ENTRY_WRITE);
	assert_int_equal(xt_log.ops[0].target, 5);
	assert_int_equal(xt_log.ops[0].index, XIOMMU_OP_INDEX_NONE);
	assert_int_equal(xt_log.ops[0].w[0], XIOMMU_CONFIG_ABORT);
	assert_int_equal(xt_log.ops[0].w[2], 1); /* the viommu's tag */
	assert_int_equal(xt_log.ops[2].code, XIOMMU_OP_SYNC);
	assert_int_equal(xt_log.s2_maps, 1);
}

static void test_whole_device_bind(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = env.vdev,
				 .config = XIOMMU_CONFIG_TRANSLATE, .format = XIOMMU_S1_TEST,
				 .table_gpa = 0x40000, .pasid_bits = 8 };
	struct xiommu_unbind u = { .argsz = sizeof(u), .vdev_id = env.vdev,
				   .config = XIOMMU_CONFIG_BYPASS };
	uint32_t n = xt_log.n;

	(void)state;
	assert_int_equal(xiommu_bind(env.ctx, &b), 0);
	assert_int_equal(xt_log.n, n + 3);
	assert_int_equal(xt_log.ops[n].w[0], XIOMMU_CONFIG_TRANSLATE);
	assert_int_equal(xt_log.ops[n].w[1], 0x40000);
	b.pasid_bits = 17; /* more than the vdev's 16 */
	xt_assert_err(env.ctx, xiommu_bind(env.ctx, &b), -ERANGE, "pasid_bits 17 exceeds vdev");
	assert_int_equal(xiommu_unbind(env.ctx, &u), 0);
	assert_int_equal(xt_log.ops[n + 3].w[0], XIOMMU_CONFIG_BYPASS);
	assert_string_equal(xiommu_last_error(env.ctx), "");
	/* PASID binds need a per-PASID unit */
	b.flags = XIOMMU_BIND_PASID;
	b.pasid_bits = 0;
	b.addr_width = 48;
	xt_assert_err(env.ctx, xiommu_bind(env.ctx, &b), -EOPNOTSUPP, "binds whole PASID tables");
}

static void test_pasid_bind_unbind(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = env.vdev,
				 .flags = XIOMMU_BIND_PASID, .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_TEST, .table_gpa = 0x20000, .addr_width = 48 };
	struct xiommu_unbind u = { .argsz = sizeof(u), .vdev_id = env.vdev,
				   .flags = XIOMMU_BIND_PASID };
	uint32_t p, n = xt_log.n;

	(void)state;
	for (p = 1; p <= 100; p++) {
		b.pasid = p * 7;
		assert_int_equal(xiommu_bind(env.ctx, &b), 0);
	}
	assert_int_equal(xt_log.ops[n].index, 7);
	assert_int_equal(xt_log.ops[n + 297].index, 700);
	u.pasid = 350;
	assert_int_equal(xiommu_unbind(env.ctx, &u), 0);
	xt_assert_err(env.ctx, xiommu_unbind(env.ctx, &u), -ENOENT, "pasid 0x15e of vdev");
	/* rebinding replaces */
	b.pasid = 7;
	b.table_gpa = 0x30000;
	assert_int_equal(xiommu_bind(env.ctx, &b), 0);
}

static void test_invalidate_batch(void **state)
{
	struct xiommu_inv_entry e[3] = {
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE, .addr = 0x200000,
		  .size = 0x1000, .flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_LEAF, .tag = 9 },
		{ .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_ALL,
		  .flags = XIOMMU_INV_F_VDEV, .vdev_id = env.vdev },
	};
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = env.viommu,
					 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(e[0]),
					 .entry_num = 3, .entries_ptr = XIOMMU_PTR(e) };
	struct { struct xiommu_inv_entry e; uint64_t pad[2]; } longer[1] = { { .e = e[1] } };
	uint32_t n = xt_log.n;

	(void)state;
	assert_int_equal(xiommu_invalidate(env.ctx, &inv), 0);
	assert_int_equal(inv.out_error_index, 3);
	/* three commands and exactly one sync, in order */
	assert_int_equal(xt_log.n, n + 4);
	assert_int_equal(xt_log.ops[n].w[0], XIOMMU_CACHE_IOTLB << 8 | XIOMMU_INV_ALL);
	assert_int_equal(xt_log.ops[n + 1].w[1], 0x200000);
	assert_int_equal(xt_log.ops[n + 2].w[0], XIOMMU_CACHE_DEVTLB << 8 | XIOMMU_INV_ALL);
	assert_int_equal(xt_log.ops[n + 3].code, XIOMMU_OP_SYNC);
	/* a newer, longer entry layout with a zero tail is accepted */
	inv.entry_len = sizeof(longer[0]);
	inv.entry_num = 1;
	inv.entries_ptr = XIOMMU_PTR(longer);
	assert_int_equal(xiommu_invalidate(env.ctx, &inv), 0);
	longer[0].pad[1] = 1;
	xt_assert_err(env.ctx, xiommu_invalidate(env.ctx, &inv), -E2BIG, "entry 0: byte 48");
	/* zero entries: nothing runs */
	inv.entry_num = 0;
	n = xt_log.n;
	assert_int_equal(xiommu_invalidate(env.ctx, &inv), 0);
	assert_int_equal(xt_log.n, n);
}

static void test_big_batch_grows_program(void **state)
{
	uint64_t *raw = calloc(2 * 1000, sizeof(uint64_t));
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = env.viommu,
					 .type = XIOMMU_INV_RAW_TEST, .entry_len = 16,
					 .entry_num = 1000, .entries_ptr = XIOMMU_PTR(raw) };
	uint32_t i, n = xt_log.n;

	(void)state;
	for (i = 0; i < 1000; i++)
		raw[2 * i] = 0x10 + (i & 0x3f);
	assert_int_equal(xiommu_invalidate(env.ctx, &inv), 0);
	assert_int_equal(xt_log.n, n + 1001);
	assert_int_equal(xt_log.ops[n + 999].w[0], 0x10 + (999 & 0x3f));
	free(raw);
}

static void test_map_unmap_free(void **state)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ,
				.viommu_id = env.viommu, .region_id = env.region,
				.gpa = 1ull << 30, .size = 1 << 20 };
	struct xiommu_unmap u = { .argsz = sizeof(u), .viommu_id = env.viommu,
				  .gpa = 0, .size = 2ull << 30 };

	(void)state;
	assert_int_equal(xiommu_map(env.ctx, &m), 0);
	m.gpa += 2 << 20;
	m.offset = 2 << 20;
	assert_int_equal(xiommu_map(env.ctx, &m), 0);
	/* one unmap takes every whole mapping in the range */
	assert_int_equal(xiommu_unmap(env.ctx, &u), 0);
	assert_int_equal(xt_log.s2_unmaps, 3);
	assert_int_equal(xiommu_vdev_detach(env.ctx, env.vdev), 0);
	assert_int_equal(xt_log.detaches, 1);
	assert_int_equal(xiommu_mem_unregister(env.ctx, env.region), 0);
	assert_int_equal(xiommu_viommu_free(env.ctx, env.viommu), 0);
	xt_assert_err(env.ctx, xiommu_viommu_free(env.ctx, env.viommu), -ENOENT, "viommu_id");
}

/*
 * Closing a context frees each viommu's domain whole: the backend's
 * domain_free tears stage 2 down and flushes the domain's tag, so no
 * mapping is unmapped (with its own flush) first.
 */
static void test_close_frees_domains_whole(void **state)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ,
				.viommu_id = env.viommu, .region_id = env.region,
				.gpa = 1ull << 30, .size = 1 << 20 };
	uint32_t i;

	(void)state;
	for (i = 0; i < 8; i++, m.gpa += 2 << 20)
		assert_int_equal(xiommu_map(env.ctx, &m), 0);
	xiommu_close(env.ctx);
	env.ctx = NULL;
	assert_int_equal(xt_log.s2_unmaps, 0);
	assert_int_equal(xt_log.domain_frees, 1);
}

static void test_msi_and_dma(void **state)
{
	struct xiommu_msi_bind m = { .argsz = sizeof(m), .viommu_id = env.viommu,
				     .giova = 0x8000000, .gdb = 0x2000000, .size = 4096 };
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_MSI, .sid = 5,
				.iova = 0x8000040, .data = 0x2a };
	uint64_t log[4];
	struct xiommu_msi_log ml = { .argsz = sizeof(ml), .count = 4, .records_ptr = XIOMMU_PTR(log) };
	struct xiommu_stats st = { .argsz = sizeof(st) };
	uint32_t n = xt_log.n;

	(void)state;
	assert_int_equal(xiommu_msi_bind(env.ctx, &m), 0);
	assert_int_equal(xt_log.ops[n].code, XIOMMU_OP_MSI_MAP);
	assert_int_equal(xt_log.ops[n].w[0], 0x2000000);
	xt_assert_err(env.ctx, xiommu_msi_bind(env.ctx, &m), -EEXIST, "already bound");
	/* a stage-2 map may not cover the doorbell */
	{
		struct xiommu_map mp = { .argsz = sizeof(mp), .flags = XIOMMU_MAP_READ,
					 .viommu_id = env.viommu, .region_id = env.region,
					 .gpa = 0x2000000, .size = 4096 };

		xt_assert_err(env.ctx, xiommu_map(env.ctx, &mp), -EEXIST, "MSI doorbell");
	}
	assert_int_equal(xiommu_dma(env.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_OK);
	assert_int_equal(xiommu_msi_log(env.ctx, &ml), 0);
	assert_int_equal(ml.count, 1);
	assert_int_equal(log[0], (0x40ull << 32) | 0x2a);
	m.flags = XIOMMU_MSI_UNBIND;
	assert_int_equal(xiommu_msi_bind(env.ctx, &m), 0);
	assert_int_equal(xt_log.ops[n + 1].code, XIOMMU_OP_MSI_UNMAP);
	assert_int_equal(xiommu_stats(env.ctx, &st), 0);
	assert_true(st.programs >= 3);
	assert_int_equal(st.tlb_hits, 1);
}

struct thread_arg {
	struct xiommu_ctx *ctx;
	uint32_t viommu, region, base;
	int errors;
};

static void *map_worker(void *p)
{
	struct thread_arg *a = p;
	uint32_t i;

	for (i = 0; i < 200; i++) {
		struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_WRITE,
					.viommu_id = a->viommu, .region_id = a->region,
					.gpa = (uint64_t)(a->base + i) << 20, .size = 4096 };
		struct xiommu_unmap u = { .argsz = sizeof(u), .viommu_id = a->viommu,
					  .gpa = m.gpa, .size = 4096 };

		if (xiommu_map(a->ctx, &m) || xiommu_unmap(a->ctx, &u))
			a->errors++;
		/* a failing call's message stays in this thread */
		m.flags = 0;
		if (xiommu_map(a->ctx, &m) != -EINVAL || !strstr(xiommu_last_error(a->ctx), "flags 0x0"))
			a->errors++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct thread_arg a[2] = {
		{ env.ctx, env.viommu, env.region, 1024, 0 },
		{ env.ctx, env.viommu, env.region, 4096, 0 },
	};
	pthread_t t[2];
	int i;

	(void)state;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, map_worker, &a[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(a[0].errors + a[1].errors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_writes_abort, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_whole_device_bind, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_pasid_bind_unbind, setup_pasid, teardown),
		cmocka_unit_test_setup_teardown(test_invalidate_batch, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_big_batch_grows_program, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_map_unmap_free, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_domains_whole, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_msi_and_dma, setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup_table, teardown),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
