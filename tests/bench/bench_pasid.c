// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): memory and time of the core's PASID table at 1k
 * and 1M bound PASIDs, dense and spread over the 20-bit space. Memory is
 * measured twice: the table's own accounting and the heap growth malloc
 * reports (mallinfo2), which includes allocator overhead.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "pasid.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int run(uint32_t n, uint32_t stride, const char *label)
{
	struct xc_pasid_table t;
	size_t heap0, heap1;
	double t0, t1, t2;
	uint64_t sum = 0;
	uint32_t i;

	xc_pasid_init(&t);
	heap0 = mallinfo2().uordblks + mallinfo2().hblkhd;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		struct xiommu_pasid_binding b = { .pasid = (uint32_t)(((uint64_t)i * stride) % (1u << 20)),
						  .table_gpa = 0x1000ull * i, .addr_width = 48 };

		if (xc_pasid_reserve(&t, 1) || xc_pasid_set(&t, &b)) {
			fprintf(stderr, "bind %u failed\n", i);
			return 1;
		}
	}
	t1 = now_ns();
	for (i = 0; i < n; i++)
		sum += xc_pasid_find(&t, (uint32_t)(((uint64_t)i * stride) % (1u << 20)))->table_gpa;
	t2 = now_ns();
	heap1 = mallinfo2().uordblks + mallinfo2().hblkhd;
	printf("%-22s %8u PASIDs  table %6.1f B/PASID  heap %6.1f B/PASID  bind %6.1f ns  lookup %6.1f ns  (target <= 128 B: %s)\n",
	       label, n, (double)xc_pasid_bytes(&t) / n, (double)(heap1 - heap0) / n,
	       (t1 - t0) / n, (t2 - t1) / n,
	       (double)(heap1 - heap0) / n <= 128 ? "met" : "MISSED");
	xc_pasid_fini(&t);
	return sum == 0 && n > 1;
}

int main(void)
{
	int ret = 0;

	ret |= run(1000, 1, "1k dense");
	ret |= run(1000, 1021, "1k spread");
	ret |= run(1u << 20, 1, "1M (every PASID)");
	ret |= run(1u << 20, 7, "1M permuted");
	return ret;
}
