// SPDX-License-Identifier: MIT
/*
 * Allocation-failure injection at every allocation of each ioctl, in the
 * manner of iommufd's fail_nth selftests: for n = 1, 2, ... the n-th
 * allocation of the module from now fails (module parameter fail_nth).
 * The call that meets it must fail with -ENOMEM and change nothing: the
 * same call retried without injection succeeds, the rest of the sequence
 * works, and closing the file brings the counters back to zero. The loop
 * ends when a whole sequence runs without reaching the n-th allocation.
 */
#include "kt.h"
#include <xiommu/arch/vtd.h>

#define GPA 0x200000ull
#define LEN (64u << 10)

struct st {
	int fd, efd;
	uint32_t unit, dom, mem, vunit, vdom, vtag;
	uint64_t hpa;
	struct xiommu_domain_desc desc;
	void *ram;
};

static int step(struct st *s, int i)
{
	char buf[64];
	uint32_t status;
	int ret;

	switch (i) {
	case 0: return kt_unit(s->fd, &s->unit);
	case 1: return kt_domain(s->fd, s->unit, &s->dom, &s->desc);
	case 2: return kt_mem(s->fd, s->ram, LEN, &s->mem, &s->hpa);
	case 3: return kt_map(s->fd, s->dom, GPA, s->hpa, LEN);
	case 4: return kt_attach(s->fd, s->dom, 30);
	case 5: return kt_ste_s2(s->fd, s->dom, &s->desc, 30, NULL);
	case 6:
		ret = kt_dma(s->fd, s->unit, XIOMMU_DMA_WRITE, 30, GPA + 64, "fail_nth", 9,
			     &status, NULL);
		return ret ? ret : status == XIOMMU_DMA_OK ? 0 : -EIO;
	case 7:
		ret = kt_dma(s->fd, s->unit, XIOMMU_DMA_READ, 30, GPA + 64, buf, 9, &status, NULL);
		if (!ret && (status != XIOMMU_DMA_OK || strcmp(buf, "fail_nth")))
			return -EIO;
		return ret;
	case 8: {
		struct xiommu_ioc_event_fd e = { .size = sizeof(e), .unit_id = s->unit };

		ret = kt_ioc(s->fd, XIOMMU_EVENT_FD, &e);
		s->efd = ret ? -1 : e.out_fd;
		return ret;
	}
	case 9: return kt_unmap(s->fd, s->dom, GPA, LEN);
	case 10: return kt_destroy(s->fd, s->mem);
	case 11: return kt_destroy(s->fd, s->dom);
	case 12: return kt_destroy(s->fd, s->unit);
	case 13: {
		struct xiommu_vtd_params p = VTD_PARAMS_DEFAULT;
		struct xiommu_ioc_unit_create c = {
			.size = sizeof(c), .vendor = "vtd", .params_len = sizeof(p),
			.params_uptr = (uintptr_t)&p,
		};

		ret = kt_ioc(s->fd, XIOMMU_UNIT_CREATE, &c);
		s->vunit = c.out_unit_id;
		return ret;
	}
	case 14: return kt_domain(s->fd, s->vunit, &s->vdom, NULL);
	case 15: {
		struct xiommu_ioc_tag t = { .size = sizeof(t), .domain_id = s->vdom };

		ret = kt_ioc(s->fd, XIOMMU_TAG_ALLOC, &t);
		s->vtag = t.tag;
		return ret;
	}
	case 16: {
		struct xiommu_ioc_unit_regs r = { .size = sizeof(r), .unit_id = s->vunit,
						  .len = sizeof(buf), .buf_uptr = (uintptr_t)buf };

		return kt_ioc(s->fd, XIOMMU_UNIT_REGS, &r);
	}
	case 17: {
		struct xiommu_ioc_tag t = { .size = sizeof(t), .domain_id = s->vdom, .tag = s->vtag };

		return kt_ioc(s->fd, XIOMMU_TAG_FREE, &t);
	}
	case 18: return kt_destroy(s->fd, s->vunit);
	}
	return 1;	/* past the end */
}

int main(void)
{
	int n, i, failed_steps = 0;
	struct st s;

	s.ram = kt_pages(LEN);
	for (n = 1; n < 100000; n++) {
		int hit = -1;

		memset(&s, 0, sizeof(s) - sizeof(void *));
		s.efd = -1;
		s.fd = kt_open();
		kt_set_param("fail_nth", n);
		for (i = 0; ; i++) {
			int ret = step(&s, i);

			if (ret == 1)
				break;
			if (ret == -ENOMEM && kt_param("fail_nth") == 0) {
				hit = i;
				/* nothing changed: the same step now succeeds */
				KT_EQ(step(&s, i), 0);
				continue;
			}
			if (ret) {
				printf("FAIL n=%d step %d: %d (%s)\n", n, i, ret, strerror(-ret));
				kt_failures++;
				break;
			}
		}
		kt_set_param("fail_nth", 0);
		if (s.efd >= 0)
			close(s.efd);
		close(s.fd);
		KT_EQ(kt_param("live_allocs"), 0);
		KT_EQ(kt_param("pinned_pages"), 0);
		if (kt_failures)
			break;
		if (hit < 0)
			break;	/* the sequence has fewer than n allocations */
		failed_steps++;
	}
	printf("kt_failnth: %d injected failures, all clean\n", failed_steps);
	KT_CHECK(failed_steps > 10);
	return kt_finish("kt_failnth");
}
