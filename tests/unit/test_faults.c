// SPDX-License-Identifier: MIT
/* Fault queues: records, sequence numbers, overflow, polling, responses. */
#include <poll.h>
#include <string.h>
#include "harness.h"

static struct xt_env env;

static int setup(void **state)
{
	(void)state;
	xt_setup(&env, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xt_teardown(&env);
	return 0;
}

static void fault_dma(uint32_t sid, uint64_t iova)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_TRANSLATE, .sid = sid,
				.iova = iova | (1ull << 62) };

	assert_int_equal(xiommu_dma(env.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_FAULT);
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static uint32_t read_faults(struct xiommu_fault *f, uint32_t n)
{
	struct xiommu_fault_read r = { .argsz = sizeof(r), .viommu_id = env.viommu,
				       .record_len = sizeof(*f), .count = n,
				       .records_ptr = XIOMMU_PTR(f) };

	assert_int_equal(xiommu_fault_read(env.ctx, &r), 0);
	return r.count;
}

static void test_records_and_poll(void **state)
{
	struct xiommu_fault f[4];
	int fd;

	(void)state;
	assert_int_equal(xiommu_fault_fd(env.ctx, env.viommu, &fd), 0);
	assert_false(readable(fd));
	fault_dma(5, 0x1234001);
	assert_true(readable(fd));
	fault_dma(5, 0x5000002);
	fault_dma(77, 0x9000003); /* no vdev: counted, not queued */
	assert_int_equal(read_faults(f, 4), 2);
	assert_false(readable(fd));
	assert_int_equal(f[0].type, XIOMMU_FAULT_DMA);
	assert_int_equal(f[0].vdev_id, env.vdev);
	assert_int_equal(f[0].addr, 0x1234001);
	assert_int_equal(f[0].reason, 1);
	assert_int_equal(f[0].sequence, 0);
	assert_int_equal(f[1].sequence, 1);
	assert_int_equal(f[1].reason, 2);
}

static void test_overflow_lost_record(void **state)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .fault_depth = 4 };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = 9, .vsid = 9 };
	struct xiommu_fault f[16];
	struct xiommu_stats st = { .argsz = sizeof(st) };
	uint32_t i;

	(void)state;
	assert_int_equal(xiommu_viommu_alloc(env.ctx, &va), 0);
	at.viommu_id = va.out_viommu_id;
	assert_int_equal(xiommu_vdev_attach(env.ctx, &at), 0);
	env.viommu = va.out_viommu_id;
	for (i = 0; i < 10; i++)
		fault_dma(9, 0x1000 * (i + 1));
	/* 4 queued, 6 lost: the IOMMU side never waited */
	assert_int_equal(xiommu_stats(env.ctx, &st), 0);
	assert_int_equal(st.faults_lost, 6);
	assert_int_equal(read_faults(f, 16), 5);
	for (i = 0; i < 4; i++)
		assert_int_equal(f[i].sequence, i);
	assert_int_equal(f[4].type, XIOMMU_FAULT_LOST);
	assert_int_equal(f[4].lost, 6);
	assert_int_equal(f[4].sequence, 4);
	/* later faults continue the numbering after the lost ones */
	fault_dma(9, 0x77000);
	assert_int_equal(read_faults(f, 16), 1);
	assert_int_equal(f[0].sequence, 10);
	/* loss while records remain: LOST is queued where the loss happened */
	for (i = 0; i < 6; i++)
		fault_dma(9, 0x1000);
	assert_int_equal(read_faults(f, 2), 2);
	fault_dma(9, 0xabc000);
	assert_int_equal(read_faults(f, 16), 4);
	assert_int_equal(f[0].sequence, 13);
	assert_int_equal(f[1].sequence, 14);
	assert_int_equal(f[2].type, XIOMMU_FAULT_LOST);
	assert_int_equal(f[2].lost, 2);
	assert_int_equal(f[3].addr, 0xabc000);
	assert_int_equal(f[3].sequence, 17);
}

static void test_page_request_response_encode(void **state)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_TRANSLATE, .sid = 5,
				.iova = (1ull << 61) | 0x4000 };
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = env.viommu,
					   .vdev_id = env.vdev, .grpid = 3,
					   .code = XIOMMU_PAGE_SUCCESS };
	struct xiommu_fault f;
	uint64_t rec[2];
	struct xiommu_fault_encode fe = { .argsz = sizeof(fe), .viommu_id = env.viommu,
					  .buf_len = 16, .fault_ptr = XIOMMU_PTR(&f),
					  .buf_ptr = XIOMMU_PTR(rec) };
	uint32_t n;

	(void)state;
	assert_int_equal(xiommu_dma(env.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_STALLED);
	assert_int_equal(read_faults(&f, 1), 1);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	n = xt_log.n;
	assert_int_equal(xiommu_page_response(env.ctx, &pr), 0);
	assert_int_equal(xt_log.ops[n].w[0], 0x44);
	assert_int_equal(xt_log.ops[n].w[1], 3 << 8);
	assert_int_equal(xiommu_fault_encode(env.ctx, &fe), 0);
	assert_int_equal(rec[0], 0x105); /* the guest's vsid, not the psid */
	assert_int_equal(rec[1], 0x4000);
	fe.buf_len = 8;
	xt_assert_err(env.ctx, xiommu_fault_encode(env.ctx, &fe), -ENOSPC, "records are 16 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_and_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_lost_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_request_response_encode, setup, teardown),
	};

	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
