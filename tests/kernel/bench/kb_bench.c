// SPDX-License-Identifier: MIT
/*
 * Not a test: the cost of the kernel path, printed by /init. Guest
 * commands per ioctl in batches of 1, 8, 64 and 512 beside a null ioctl
 * (the one system call a VMM pays per trapped guest command), and the
 * pinning cost per MiB of stage 2. Under qemu TCG the absolute numbers are
 * those of an emulated CPU; the ratios are what carries over.
 */
#include <time.h>
#include "../guest/kt.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void)
{
	static struct xiommu_op ops[513];
	static const uint32_t batch[] = { 1, 8, 64, 512 };
	struct xiommu_domain_desc desc;
	uint32_t unit, dom, mem, i, b;
	int fd = kt_open();
	uint64_t hpa;
	double t0, t;
	void *ram;

	KT_EQ(kt_unit(fd, &unit), 0);
	KT_EQ(kt_domain(fd, unit, &dom, &desc), 0);
	KT_EQ(kt_attach(fd, dom, 40), 0);
	KT_EQ(kt_ste_s2(fd, dom, &desc, 40, NULL), 0);

	t0 = now();
	for (i = 0; i < 20000; i++)
		kt_ioc(fd, XIOMMU_NULL, &(struct xiommu_ioc_null){ sizeof(struct xiommu_ioc_null), 0 });
	printf("bench: null ioctl %.0f ns\n", (now() - t0) / 20000);

	for (i = 0; i < 512; i++) {
		ops[i].code = XIOMMU_OP_CMD;
		ops[i].count = 2;
		ops[i].index = XIOMMU_OP_INDEX_NONE;
		smmuv3_cmd_cfgi_ste(ops[i].w, 40, 1);
	}
	for (b = 0; b < 4; b++) {
		struct xiommu_ioc_exec e = { .size = sizeof(e), .domain_id = dom,
					     .nops = batch[b] + 1, .ops_uptr = (uintptr_t)ops };
		uint32_t iters = 20000 / batch[b] + 10;
		struct xiommu_op save = ops[batch[b]];

		ops[batch[b]] = (struct xiommu_op){ .code = XIOMMU_OP_SYNC,
						    .index = XIOMMU_OP_INDEX_NONE };
		t0 = now();
		for (i = 0; i < iters; i++)
			KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), 0);
		t = now() - t0;
		ops[batch[b]] = save;
		printf("bench: batch %3u: %.0f ns per guest command (CFGI_STE, one CMD_SYNC per batch)\n",
		       batch[b], t / ((double)iters * batch[b]));
	}

	ram = kt_pages(64u << 20);
	t0 = now();
	for (i = 0; i < 4; i++) {
		KT_EQ(kt_mem(fd, ram, 64u << 20, &mem, &hpa), 0);
		KT_EQ(kt_destroy(fd, mem), 0);
	}
	printf("bench: pin + unpin %.0f us per MiB\n", (now() - t0) / 1e3 / (4 * 64));
	close(fd);
	return kt_failures ? 1 : 0;
}
