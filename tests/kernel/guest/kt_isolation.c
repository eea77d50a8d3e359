// SPDX-License-Identifier: MIT
/*
 * Two files, two VMs: neither names, maps, invalidates, fault-reads nor
 * reaches the other's objects or memory. A and B each build a unit, a
 * domain, pinned memory and a stage-2-only stream; then B tries every way
 * at A's things and must fail without changing what A sees.
 */
#include <poll.h>
#include "kt.h"

#define GPA 0x200000ull
#define LEN (256u << 10)

struct vm {
	int fd;
	uint32_t unit, dom, mem, sid;
	uint64_t hpa;
	struct xiommu_domain_desc desc;
	char *ram;
};

static void vm_up(struct vm *v, uint32_t sid, char fill)
{
	v->fd = kt_open();
	v->sid = sid;
	v->ram = kt_pages(LEN);
	memset(v->ram, fill, LEN);
	KT_EQ(kt_unit(v->fd, &v->unit), 0);
	KT_EQ(kt_domain(v->fd, v->unit, &v->dom, &v->desc), 0);
	KT_EQ(kt_mem(v->fd, v->ram, LEN, &v->mem, &v->hpa), 0);
	KT_EQ(kt_map(v->fd, v->dom, GPA, v->hpa, LEN), 0);
	KT_EQ(kt_attach(v->fd, v->dom, sid), 0);
	KT_EQ(kt_ste_s2(v->fd, v->dom, &v->desc, sid, NULL), 0);
}

static char dma_byte(struct vm *v, uint32_t unit, uint32_t sid, uint64_t iova, uint32_t *st)
{
	char c = 0;

	KT_EQ(kt_dma(v->fd, unit, XIOMMU_DMA_READ, sid, iova, &c, 1, st, NULL), 0);
	return c;
}

int main(void)
{
	struct vm a, b;
	uint32_t st, id;
	uint64_t hpa;
	int efd_a, efd_b;

	vm_up(&a, 10, 'A');
	vm_up(&b, 11, 'B');

	/* each VM's DMA reaches its own memory */
	KT_EQ(dma_byte(&a, a.unit, a.sid, GPA + 100, &st), 'A');
	KT_EQ(st, XIOMMU_DMA_OK);
	KT_EQ(dma_byte(&b, b.unit, b.sid, GPA + 100, &st), 'B');

	/* B cannot name A's objects: ids are per file */
	if (a.dom != b.dom) {
		KT_EQ(kt_map(b.fd, a.dom, 0x800000, b.hpa, 4096), -ENOENT);
		KT_EQ(kt_destroy(b.fd, a.dom), -ENOENT);
	}
	{
		/* ids that exist in B are B's own: destroying "A's unit id" in B
		 * can only reach B's object of that number; check A's are intact */
		struct xiommu_ioc_unit_stats s = { .size = sizeof(s), .unit_id = a.unit + 100 };

		KT_EQ(kt_ioc(b.fd, XIOMMU_STATS, &s), -ENOENT);
	}

	/*
	 * B cannot map A's memory: host addresses are per file, so A's
	 * numbers name nothing in B's space, or B's own pages
	 */
	if (a.hpa == b.hpa) {
		KT_EQ(kt_map(b.fd, b.dom, 0x800000, a.hpa, 4096), 0);
		KT_EQ(dma_byte(&b, b.unit, b.sid, 0x800000, &st), 'B');
		KT_EQ(kt_unmap(b.fd, b.dom, 0x800000, 4096), 0);
	} else {
		KT_EQ(kt_map(b.fd, b.dom, 0x800000, a.hpa, 4096), -EPERM);
	}
	KT_EQ(kt_map(b.fd, b.dom, 0x800000, b.hpa + LEN, 4096), -EPERM);
	KT_EQ(kt_map(b.fd, b.dom, 0x800000, a.desc.s2_root, 4096), -EPERM);
	/* nor A's stream, nor program A's stream's STE */
	KT_EQ(kt_attach(b.fd, b.dom, a.sid), -EBUSY);
	KT_EQ(kt_ste_s2(b.fd, b.dom, &b.desc, a.sid, NULL), -EPERM);
	/* nor register A's buffer to reach it: pinning A's pages needs A's mm */
	KT_EQ(kt_mem(b.fd, a.ram, 4096, &id, &hpa), 0);	/* same process here: its own pin */
	KT_EQ(kt_destroy(b.fd, id), 0);

	/* B's DMA with A's stream id enters B's unit: aborts, never reaches A */
	KT_CHECK(dma_byte(&b, b.unit, a.sid, GPA + 100, &st) != 'A');
	KT_CHECK(st != XIOMMU_DMA_OK);

	/* faults: A's fault goes to A's event fd only */
	{
		struct xiommu_ioc_event_fd e = { .size = sizeof(e), .unit_id = a.unit };
		struct xiommu_event_rec rec[4];
		struct pollfd p;

		KT_EQ(kt_ioc(a.fd, XIOMMU_EVENT_FD, &e), 0);
		efd_a = e.out_fd;
		e.unit_id = b.unit;
		KT_EQ(kt_ioc(b.fd, XIOMMU_EVENT_FD, &e), 0);
		efd_b = e.out_fd;
		fcntl(efd_a, F_SETFL, O_NONBLOCK);
		fcntl(efd_b, F_SETFL, O_NONBLOCK);
		/* drain what B's stray access above produced */
		while (read(efd_b, rec, sizeof(rec)) > 0)
			;
		/* A: an access outside stage 2 faults */
		dma_byte(&a, a.unit, a.sid, 0x40000000, &st);
		KT_CHECK(st != XIOMMU_DMA_OK);
		p = (struct pollfd){ .fd = efd_a, .events = POLLIN };
		KT_EQ(poll(&p, 1, 0), 1);
		KT_EQ(read(efd_a, rec, 8), -1);		/* smaller than a record */
		KT_EQ(errno, EINVAL);
		KT_CHECK(read(efd_a, rec, sizeof(rec)) >= (ssize_t)sizeof(rec[0]));
		KT_CHECK(rec[0].nwords > 0);
		KT_EQ(read(efd_a, rec, sizeof(rec)), -1);
		KT_EQ(errno, EAGAIN);
		p = (struct pollfd){ .fd = efd_b, .events = POLLIN };
		KT_EQ(poll(&p, 1, 0), 0);
		KT_EQ(read(efd_b, rec, sizeof(rec)), -1);
		KT_EQ(errno, EAGAIN);
	}

	/* B invalidating A's VMID (TLBI_S12_VMALL) is refused or lands in
	 * B's own unit: A's translation keeps working */
	{
		struct xiommu_op ops[2];
		struct xiommu_ioc_exec e = { .size = sizeof(e), .domain_id = b.dom, .nops = 2,
					     .ops_uptr = (uintptr_t)ops };

		memset(ops, 0, sizeof(ops));
		ops[0].code = XIOMMU_OP_CMD;
		ops[0].count = 2;
		ops[0].index = XIOMMU_OP_INDEX_NONE;
		ops[0].w[0] = SMMUV3_OP_TLBI_S12_VMALL | ((uint64_t)a.desc.tag << 32);
		ops[1].code = XIOMMU_OP_SYNC;
		ops[1].index = XIOMMU_OP_INDEX_NONE;
		kt_ioc(b.fd, XIOMMU_EXEC, &e);
		KT_EQ(dma_byte(&a, a.unit, a.sid, GPA + 200, &st), 'A');
		KT_EQ(st, XIOMMU_DMA_OK);
	}

	/* a full event queue keeps the oldest records and counts the rest */
	{
		struct xiommu_ioc_unit_stats before = { .size = sizeof(before), .unit_id = a.unit };
		struct xiommu_ioc_unit_stats after = before;
		struct xiommu_event_rec rec[8];
		ssize_t n;
		long got = 0;
		int i;

		KT_EQ(kt_ioc(a.fd, XIOMMU_STATS, &before), 0);
		for (i = 0; i < 1100; i++)
			dma_byte(&a, a.unit, a.sid, 0x40000000 + 4096ull * i, &st);
		KT_EQ(kt_ioc(a.fd, XIOMMU_STATS, &after), 0);
		while ((n = read(efd_a, rec, sizeof(rec))) > 0)
			got += n / (ssize_t)sizeof(rec[0]);
		printf("kt_isolation: 1100 faults: %ld records read, events_lost %llu -> %llu\n",
		       got, (unsigned long long)before.events_lost,
		       (unsigned long long)after.events_lost);
		KT_EQ(got, 1024);
		KT_CHECK(after.events_lost - before.events_lost >= 1100 - 1024);
		KT_EQ(dma_byte(&a, a.unit, a.sid, GPA + 100, &st), 'A');
	}

	/* B closing takes B's stream with it; A is untouched */
	close(b.fd);
	KT_EQ(dma_byte(&a, a.unit, a.sid, GPA + 300, &st), 'A');
	{
		/* the stream B held is free again, for A */
		KT_EQ(kt_attach(a.fd, a.dom, b.sid), 0);
	}
	close(efd_b);
	close(a.fd);
	/* A's event fd outlives A's unit: empty and hung up, read() says 0 */
	{
		struct xiommu_event_rec rec;

		KT_EQ(read(efd_a, &rec, sizeof(rec)), 0);
		close(efd_a);
	}
	KT_EQ(kt_param("live_allocs"), 0);
	KT_EQ(kt_param("pinned_pages"), 0);
	return kt_finish("kt_isolation");
}
