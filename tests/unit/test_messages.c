// SPDX-License-Identifier: MIT
/*
 * Every message rejection: the errno, a message naming the field, and a
 * context whose state (objects, stage 2, bindings, queues, backend log) is
 * byte-for-byte what it was before the call.
 */
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "harness.h"

static struct xt_env env;
static struct xt_snap before;

static int setup(void **state)
{
	(void)state;
	xt_setup(&env, "mode = pasid\npasid_bits = 20\nstall = no");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xt_teardown(&env);
	return 0;
}

#define REJECT(call, err, needle) \
	do { \
		xt_snap(env.ctx, &before); \
		xt_assert_err(env.ctx, (call), (err), (needle)); \
		xt_assert_unchanged(env.ctx, &before); \
	} while (0)

static void test_argsz(void **state)
{
	struct xiommu_map m = { .argsz = sizeof(m) - 1, .flags = XIOMMU_MAP_READ,
				.viommu_id = env.viommu, .region_id = env.region,
				.gpa = 32 << 20, .size = 4096 };
	struct { struct xiommu_map m; uint64_t extra; } big = { .m = m, .extra = 1 };

	(void)state;
	REJECT(xiommu_map(env.ctx, &m), -EINVAL, "is smaller than the message (40 bytes)");
	big.m.argsz = sizeof(big);
	REJECT(xiommu_map(env.ctx, &big.m), -E2BIG, "byte 40 beyond the known 40 is not zero");
	big.extra = 0; /* a larger, zero-filled message is fine */
	xt_snap(env.ctx, &before);
	assert_int_equal(xiommu_map(env.ctx, &big.m), 0);
	REJECT(xiommu_map(env.ctx, NULL), -EFAULT, "map: message pointer is NULL");
	m.argsz = 1u << 20;
	REJECT(xiommu_map(env.ctx, &m), -E2BIG, "argsz 1048576 exceeds 4096");
}

/* A message that grew: a caller built against the first size still works. */
static void test_argsz_older_caller(void **state)
{
	size_t v1 = offsetof(struct xiommu_stats, host_commands);
	uint8_t buf[sizeof(struct xiommu_stats) + 8];
	struct xiommu_stats *st = (void *)buf;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	memset(buf, 0, v1);
	st->argsz = (uint32_t)v1;
	assert_int_equal(xiommu_stats(env.ctx, st), 0);
	assert_int_equal(st->argsz, v1);
	assert_int_equal(buf[v1], 0xa5);	/* nothing written past the caller's argsz */
	assert_int_equal(buf[sizeof(struct xiommu_stats) - 1], 0xa5);
	st->argsz = (uint32_t)v1 - 8;
	REJECT(xiommu_stats(env.ctx, st), -EINVAL, "is smaller than the message");
}

static void test_map_rejections(void **state)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ,
				.viommu_id = env.viommu, .region_id = env.region,
				.gpa = 64 << 20, .size = 4096 };

	(void)state;
	m.flags = 0;
	REJECT(xiommu_map(env.ctx, &m), -EINVAL, "map: flags 0x0");
	m.flags = 0x10;
	REJECT(xiommu_map(env.ctx, &m), -EINVAL, "map: flags 0x10");
	m.flags = XIOMMU_MAP_READ;
	m.gpa = (64 << 20) + 0x800;
	REJECT(xiommu_map(env.ctx, &m), -EINVAL, "stage-2 page 0x1000");
	m.gpa = 64 << 20;
	m.size = 0;
	REJECT(xiommu_map(env.ctx, &m), -EINVAL, "non-zero multiples");
	m.size = 4096;
	m.gpa = UINT64_MAX & ~0xfffull;
	m.size = 0x2000;
	REJECT(xiommu_map(env.ctx, &m), -ERANGE, "overflows or exceeds unit 't0' s2_ias 48");
	m.gpa = 1ull << 48;
	m.size = 4096;
	REJECT(xiommu_map(env.ctx, &m), -ERANGE, "s2_ias 48");
	m.gpa = 0x1000; /* GPA 0..16M is mapped by the setup */
	REJECT(xiommu_map(env.ctx, &m), -EEXIST, "overlaps a mapping");
	m.gpa = 64 << 20;
	m.offset = 16 << 20;
	REJECT(xiommu_map(env.ctx, &m), -ERANGE, "exceeds region");
	m.offset = UINT64_MAX & ~0xfffull;
	REJECT(xiommu_map(env.ctx, &m), -ERANGE, "exceeds region");
	m.offset = 0;
	m.region_id = 999;
	REJECT(xiommu_map(env.ctx, &m), -ENOENT, "region_id 999 does not exist");
	m.region_id = env.region;
	m.viommu_id = env.vdev; /* an id of another type */
	REJECT(xiommu_map(env.ctx, &m), -ENOENT, "viommu_id");
}

static void test_unmap_rejections(void **state)
{
	struct xiommu_unmap u = { .argsz = sizeof(u), .viommu_id = env.viommu,
				  .gpa = 0, .size = 8 << 20 };

	(void)state;
	REJECT(xiommu_unmap(env.ctx, &u), -EINVAL, "cuts the mapping at 0x0 size 0x1000000");
	u.gpa = 512 << 20;
	REJECT(xiommu_unmap(env.ctx, &u), -ENOENT, "nothing mapped");
	u.gpa = UINT64_MAX - 0xfff;
	u.size = 0x2000;
	REJECT(xiommu_unmap(env.ctx, &u), -EINVAL, "wraps");
	u.gpa = 0;
	u.__reserved = 1;
	REJECT(xiommu_unmap(env.ctx, &u), -EINVAL, "__reserved 0x1 must be 0");
}

static void test_mem_rejections(void **state)
{
	struct xiommu_mem_register r = { .argsz = sizeof(r), .addr = 0x1000, .size = 0x1001 };

	(void)state;
	REJECT(xiommu_mem_register(env.ctx, &r), -EINVAL, "4 KiB aligned");
	r.size = 0x1000;
	r.flags = 1;
	REJECT(xiommu_mem_register(env.ctx, &r), -EINVAL, "flags 0x1");
	r.flags = 0;
	r.addr = UINT64_MAX & ~0xfffull;
	r.size = 0x2000;
	REJECT(xiommu_mem_register(env.ctx, &r), -EINVAL, "no wrap");
	REJECT(xiommu_mem_unregister(env.ctx, env.region), -EBUSY, "is mapped 1 times");
	REJECT(xiommu_mem_unregister(env.ctx, 4242), -ENOENT, "region_id 4242");
	REJECT(xiommu_viommu_free(env.ctx, env.viommu), -EBUSY, "still has 1 vdevs, 1 mappings");
}

static void test_viommu_vdev_rejections(void **state)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = 3 };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = env.viommu,
					 .psid = 0x100, .vsid = 1 };

	(void)state;
	REJECT(xiommu_viommu_alloc(env.ctx, &va), -ENOENT, "unit 3 does not exist");
	va.unit = 0;
	va.fault_depth = 1;
	REJECT(xiommu_viommu_alloc(env.ctx, &va), -EINVAL, "fault_depth 1");
	va.fault_depth = 0;
	va.flags = 2;
	REJECT(xiommu_viommu_alloc(env.ctx, &va), -EINVAL, "flags 0x2");
	REJECT(xiommu_vdev_attach(env.ctx, &at), -ERANGE, "psid 0x100 exceeds unit 't0' sid_bits 8");
	at.psid = 5;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -EBUSY, "psid 0x5 is already attached");
	at.psid = 6;
	at.vsid = 0x105;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -EEXIST, "vsid 0x105 is already used");
	at.vsid = 0x106;
	at.pasid_bits = 21;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -ERANGE, "pasid_bits 21 exceeds");
	at.pasid_bits = 0;
	at.psid = 0xbad & 0xff; /* 0xad: accepted by the backend */
	at.psid = 0xbad;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -ERANGE, "sid_bits 8");
	REJECT(xiommu_vdev_detach(env.ctx, 77), -ENOENT, "vdev_id 77 does not exist");
	at.psid = 6;
	at.flags = 1u << 7;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -EINVAL, "unknown bits 0x80");
	at.flags = XIOMMU_VDEV_STALL;	/* the test unit has no stall unless asked */
	REJECT(xiommu_vdev_attach(env.ctx, &at), -EOPNOTSUPP, "grant STALL, which unit 't0'");
	at.flags = XIOMMU_VDEV_PRI;
	REJECT(xiommu_vdev_attach(env.ctx, &at), -EINVAL, "grant PRI without ATS");
}

static void test_bind_rejections(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = env.vdev,
				 .flags = XIOMMU_BIND_PASID, .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_TEST, .table_gpa = 0x10000,
				 .addr_width = 48, .pasid = 1 << 16 };

	(void)state;
	REJECT(xiommu_bind(env.ctx, &b), -ERANGE, "pasid 0x10000 exceeds vdev");
	b.pasid = 7;
	b.flags |= 4;
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "flags 0x5");
	b.flags = XIOMMU_BIND_PASID;
	b.__reserved[3] = 1;
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "__reserved[3]");
	b.__reserved[3] = 0;
	b.config = 9;
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "config 9");
	b.config = XIOMMU_CONFIG_TRANSLATE;
	b.addr_width = 57;
	REJECT(xiommu_bind(env.ctx, &b), -ERANGE, "addr_width 57");
	b.addr_width = 48;
	b.table_gpa = 1ull << 48;
	REJECT(xiommu_bind(env.ctx, &b), -ERANGE, "table_gpa 0x1000000000000 beyond");
	b.table_gpa = 0x10008; /* the plugin refuses the alignment */
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "table_gpa 0x10008 must be 4 KiB aligned");
	b.table_gpa = 0x10000;
	b.format = XIOMMU_S1_NONE;
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "TRANSLATE needs a format");
	b.format = XIOMMU_S1_TEST;
	b.vdev_id = 1234;
	REJECT(xiommu_bind(env.ctx, &b), -ENOENT, "vdev_id 1234");
	b.vdev_id = env.vdev;
	b.flags = 0;
	b.config = XIOMMU_CONFIG_BYPASS;
	REJECT(xiommu_bind(env.ctx, &b), -EINVAL, "config BYPASS takes no");
	/* the backend refuses the program: nothing is recorded */
	b.config = XIOMMU_CONFIG_TRANSLATE;
	b.flags = XIOMMU_BIND_PASID;
	xt_log.refuse_target = 5;
	REJECT(xiommu_bind(env.ctx, &b), -EPERM, "refused op 0 of 3");
	xt_log.refuse_target = 0;
}

static void test_unbind_rejections(void **state)
{
	struct xiommu_unbind u = { .argsz = sizeof(u), .vdev_id = env.vdev,
				   .flags = XIOMMU_BIND_PASID, .pasid = 9 };

	(void)state;
	REJECT(xiommu_unbind(env.ctx, &u), -ENOENT, "pasid 0x9 of vdev");
	u.flags = 0;
	u.config = XIOMMU_CONFIG_TRANSLATE;
	REJECT(xiommu_unbind(env.ctx, &u), -EINVAL, "falls back to 1 (ABORT) or 2 (BYPASS)");
}

static void test_invalidate_rejections(void **state)
{
	struct xiommu_inv_entry e[4] = {
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE, .addr = 0x1000,
		  .size = 0x2000, .flags = XIOMMU_INV_F_LEAF },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_TAG, .flags = XIOMMU_INV_F_TAG,
		  .tag = 3 },
		{ .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_PASID,
		  .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_VDEV, .vdev_id = env.vdev, .pasid = 1 },
	};
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = env.viommu,
					 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(e[0]),
					 .entry_num = 4, .entries_ptr = XIOMMU_PTR(e) };
	uint64_t raw[6] = { 0x10, 0, 0x11, 0, 0xff, 0 };

	(void)state;
	e[1].addr = 0x1800; /* unaligned range */
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry 1: addr 0x1800");
	assert_int_equal(inv.out_error_index, 1);
	e[1].addr = UINT64_MAX & ~0xfffull;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "no wrap");
	e[1].addr = 0x1000;
	e[2].tag = 1 << 16;
	REJECT(xiommu_invalidate(env.ctx, &inv), -ERANGE, "entry 2: tag 0x10000 exceeds 16 bits");
	assert_int_equal(inv.out_error_index, 2);
	e[2].tag = 3;
	e[3].pasid = 1 << 16;
	REJECT(xiommu_invalidate(env.ctx, &inv), -ERANGE, "entry 3: pasid 0x10000 exceeds 16 bits");
	e[3].pasid = 1;
	e[3].vdev_id = 99;
	REJECT(xiommu_invalidate(env.ctx, &inv), -ENOENT, "entry 3: vdev_id 99 is not a vdev");
	assert_int_equal(inv.out_error_index, 3);
	e[3].vdev_id = env.vdev;
	e[0].flags = 0x80;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry 0: flags 0x80");
	assert_int_equal(inv.out_error_index, 0);
	e[0].flags = XIOMMU_INV_F_PASID;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "ALL takes no PASID/TAG");
	e[0].flags = 0;
	e[0].cache = 7;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry 0: cache 7");
	e[0].cache = XIOMMU_CACHE_IOTLB;
	e[2].__reserved = 1;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry 2: __reserved");
	e[2].__reserved = 0;
	e[3].scope = XIOMMU_INV_RANGE;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "config scope 4");
	e[3].scope = XIOMMU_INV_PASID;
	/* the plugin rejects entry 2: nothing of entries 0-1 ran */
	e[2].tag = 0xdead;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry 2: tag 0xdead refused");
	assert_int_equal(inv.out_error_index, 2);
	e[2].tag = 3;
	inv.entry_len = 16;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "entry_len 16");
	inv.entry_len = sizeof(e[0]);
	inv.entry_num = 70000;
	REJECT(xiommu_invalidate(env.ctx, &inv), -E2BIG, "entry_num 70000");
	inv.entry_num = 4;
	inv.type = 77;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "type 77");
	/* raw: entry 2 uses an opcode guests may not issue */
	inv.type = XIOMMU_INV_RAW_TEST;
	inv.entry_len = 16;
	inv.entry_num = 3;
	inv.entries_ptr = XIOMMU_PTR(raw);
	REJECT(xiommu_invalidate(env.ctx, &inv), -EPERM, "raw command 2: opcode 0xff");
	assert_int_equal(inv.out_error_index, 2);
	inv.entry_len = 32;
	REJECT(xiommu_invalidate(env.ctx, &inv), -EINVAL, "raw commands are 16 bytes");
}

static void test_msi_dma_fault_rejections(void **state)
{
	struct xiommu_msi_bind m = { .argsz = sizeof(m), .viommu_id = env.viommu,
				     .giova = 0x8000000, .gdb = 0x1000, .size = 4096 };
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_READ, .len = 0 };
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = env.viommu,
					.record_len = 8, .count = 1 };
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = env.viommu,
					   .vdev_id = env.vdev, .code = 3 };

	(void)state;
	REJECT(xiommu_msi_bind(env.ctx, &m), -EEXIST, "gdb 0x1000 lies in a stage-2 mapping");
	m.gdb = (64 << 20) + 0x10;
	REJECT(xiommu_msi_bind(env.ctx, &m), -EINVAL, "gdb 0x4000010");
	m.gdb = 64 << 20;
	m.flags = XIOMMU_MSI_UNBIND;
	REJECT(xiommu_msi_bind(env.ctx, &m), -ENOENT, "is not bound");
	m.flags = 8;
	REJECT(xiommu_msi_bind(env.ctx, &m), -EINVAL, "flags 0x8");
	REJECT(xiommu_dma(env.ctx, &d), -EINVAL, "READ len 0x0");
	d.op = 9;
	REJECT(xiommu_dma(env.ctx, &d), -EINVAL, "op 9");
	d.op = XIOMMU_DMA_TRANSLATE;
	d.sid = 0x100;
	REJECT(xiommu_dma(env.ctx, &d), -ERANGE, "sid 0x100 exceeds");
	d.sid = 5;
	d.pasid = 3;
	REJECT(xiommu_dma(env.ctx, &d), -EINVAL, "pasid 0x3 without");
	REJECT(xiommu_fault_read(env.ctx, &fr), -EINVAL, "record_len 8");
	REJECT(xiommu_page_response(env.ctx, &pr), -EINVAL, "code 3");
	pr.code = 0;
	pr.pasid = 1;
	REJECT(xiommu_page_response(env.ctx, &pr), -EINVAL, "pasid 0x1 without");
	pr.pasid = 0;
	pr.viommu_id = 12345;
	REJECT(xiommu_page_response(env.ctx, &pr), -ENOENT, "is not a vdev of viommu 12345");
}

static int setup_nostall(void **state)
{
	(void)state;
	xt_setup(&env, "stall = no");
	return 0;
}

static void test_page_response_kind(void **state)
{
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = env.viommu,
					   .vdev_id = env.vdev, .flags = XIOMMU_FAULT_F_STALL };

	(void)state;
	/* a stall answer on a unit that never stalls */
	REJECT(xiommu_page_response(env.ctx, &pr), -EOPNOTSUPP, "offers no stall");
	pr.flags = 1u << 7;
	REJECT(xiommu_page_response(env.ctx, &pr), -EINVAL, "flags 0x80");
	pr.flags = 0;	/* a page request answer: the unit has PRI */
	assert_int_equal(xiommu_page_response(env.ctx, &pr), 0);
}

static int setup_wide(void **state)
{
	(void)state;
	xt_setup(&env, "sid_bits = 16");
	return 0;
}

/* A backend refusing the stream: no object, no id used, the context is what it was. */
static void test_refused_attach_changes_nothing(void **state)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = env.viommu,
					 .psid = 6, .vsid = 0x106 };
	uint32_t next;
	unsigned int i;

	(void)state;
	assert_int_equal(xiommu_vdev_attach(env.ctx, &at), 0);
	next = at.out_vdev_id + 1;
	assert_int_equal(xiommu_vdev_detach(env.ctx, at.out_vdev_id), 0);
	at.psid = 0xbad;	/* the recording backend refuses this stream with -EPERM */
	xt_snap(env.ctx, &before);
	for (i = 0; i < 1000; i++) {
		at.out_vdev_id = 0;
		xt_assert_err(env.ctx, xiommu_vdev_attach(env.ctx, &at), -EPERM,
			      "backend 'recording' refused psid 0xbad");
		assert_int_equal(at.out_vdev_id, 0);
	}
	xt_assert_unchanged(env.ctx, &before);
	at.psid = 7;
	assert_int_equal(xiommu_vdev_attach(env.ctx, &at), 0);
	assert_int_equal(at.out_vdev_id, next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_argsz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argsz_older_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_viommu_vdev_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidate_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msi_dma_fault_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_response_kind, setup_nostall, teardown),
		cmocka_unit_test_setup_teardown(test_refused_attach_changes_nothing, setup_wide,
						teardown),
	};

	return cmocka_run_group_tests_name("messages", tests, NULL, NULL);
}
