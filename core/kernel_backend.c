// SPDX-License-Identifier: MIT
/*
 * The kernel backend: every unit op goes to xiommu.ko through /dev/xiommu
 * (include/xiommu/uapi.h), which runs the same models with the host layer
 * enforcing ownership in the kernel. One open file per context; units,
 * domains and pinned buffers are objects of that file, so closing the
 * context releases everything even if the VMM dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xiommu/uapi.h>
#include <xiommu/xiommu.h>
#include "backend.h"

#define KB_DEV "/dev/xiommu"

struct kb_mem {
	uint64_t hpa;
	uint32_t id;
};

struct kb_ctx {
	int fd;
	int open_err;		/* errno of open(), reported at unit creation */
	struct kb_mem *mem;
	uint32_t nmem, cap;
};

struct kb_unit {
	struct kb_ctx *kc;
	uint32_t id;
	int efd;		/* the unit's records, non-blocking */
};

struct kb_dom {
	uint32_t id;
};

static int kb_ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int kb_ctx_init(void **bctx)
{
	struct kb_ctx *kc = calloc(1, sizeof(*kc));

	if (!kc)
		return -ENOMEM;
	kc->fd = open(KB_DEV, O_RDWR | O_CLOEXEC);
	if (kc->fd < 0)
		kc->open_err = errno;
	*bctx = kc;
	return 0;
}

static void kb_ctx_fini(void *bctx)
{
	struct kb_ctx *kc = bctx;

	if (kc->fd >= 0)
		close(kc->fd);
	free(kc->mem);
	free(kc);
}

static int kb_mem_register(void *bctx, void *addr, uint64_t size, uint64_t *hpa)
{
	struct kb_ctx *kc = bctx;
	struct xiommu_ioc_mem_register m = {
		.size = sizeof(m), .uptr = (uintptr_t)addr, .length = size,
	};
	int ret;

	if (kc->fd < 0)
		return -kc->open_err;
	if (kc->nmem == kc->cap) {
		uint32_t cap = kc->cap ? 2 * kc->cap : 16;
		struct kb_mem *n = realloc(kc->mem, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		kc->mem = n;
		kc->cap = cap;
	}
	ret = kb_ioc(kc->fd, XIOMMU_MEM_REGISTER, &m);
	if (ret)
		return ret;
	kc->mem[kc->nmem].hpa = m.out_hpa;
	kc->mem[kc->nmem].id = m.out_mem_id;
	kc->nmem++;
	*hpa = m.out_hpa;
	return 0;
}

static int kb_destroy(int fd, uint32_t id)
{
	struct xiommu_ioc_destroy d = { .size = sizeof(d), .id = id };

	return kb_ioc(fd, XIOMMU_DESTROY, &d);
}

static void kb_mem_unregister(void *bctx, uint64_t hpa, uint64_t size)
{
	struct kb_ctx *kc = bctx;
	uint32_t i;

	(void)size;
	for (i = 0; i < kc->nmem; i++)
		if (kc->mem[i].hpa == hpa) {
			kb_destroy(kc->fd, kc->mem[i].id);
			kc->mem[i] = kc->mem[--kc->nmem];
			return;
		}
}

static int kb_unit_create(void *bctx, const char *vendor, const void *params,
			  uint32_t params_size, void **bu, char *err, uint32_t errlen)
{
	struct kb_ctx *kc = bctx;
	struct xiommu_ioc_unit_create c = {
		.size = sizeof(c), .params_len = params_size, .params_uptr = (uintptr_t)params,
		.err_uptr = (uintptr_t)err, .err_len = errlen,
	};
	struct xiommu_ioc_event_fd e = { .size = sizeof(e) };
	struct kb_unit *u;
	int ret;

	if (kc->fd < 0) {
		if (kc->open_err == ENOENT || kc->open_err == ENODEV || kc->open_err == ENXIO)
			snprintf(err, errlen,
				 "%s: %s: the xiommu kernel module is not loaded; load it with 'sudo modprobe xiommu sids=FIRST-LAST' (after 'dkms install', see README) or 'sudo insmod kernel/xiommu.ko sids=FIRST-LAST'",
				 KB_DEV, strerror(kc->open_err));
		else
			snprintf(err, errlen, "%s: %s", KB_DEV, strerror(kc->open_err));
		return -kc->open_err;
	}
	if (strlen(vendor) >= sizeof(c.vendor)) {
		snprintf(err, errlen, "vendor '%s' is longer than %zu bytes", vendor,
			 sizeof(c.vendor) - 1);
		return -EINVAL;
	}
	strcpy(c.vendor, vendor);
	if (errlen)
		err[0] = 0;
	ret = kb_ioc(kc->fd, XIOMMU_UNIT_CREATE, &c);
	if (ret) {
		if (errlen && !err[0])
			snprintf(err, errlen, "%s refused the '%s' unit: %s", KB_DEV, vendor,
				 strerror(-ret));
		return ret;
	}
	e.unit_id = c.out_unit_id;
	ret = kb_ioc(kc->fd, XIOMMU_EVENT_FD, &e);
	u = ret ? NULL : calloc(1, sizeof(*u));
	if (!u) {
		if (!ret) {
			close(e.out_fd);
			ret = -ENOMEM;
		}
		kb_destroy(kc->fd, c.out_unit_id);
		snprintf(err, errlen, "%s: no event fd for the '%s' unit: %s", KB_DEV, vendor,
			 strerror(-ret));
		return ret;
	}
	fcntl(e.out_fd, F_SETFL, O_NONBLOCK);
	u->kc = kc;
	u->id = c.out_unit_id;
	u->efd = e.out_fd;
	*bu = u;
	return 0;
}

#define KU(bu) ((struct kb_unit *)(bu))
#define KD(dom) ((struct kb_dom *)(dom))

static void kb_unit_destroy(void *bu)
{
	kb_destroy(KU(bu)->kc->fd, KU(bu)->id);
	close(KU(bu)->efd);
	free(bu);
}

static uint32_t kb_regs(void *bu, void *buf, uint32_t len)
{
	struct xiommu_ioc_unit_regs r = {
		.size = sizeof(r), .unit_id = KU(bu)->id, .len = len > 4096 ? 4096 : len,
		.buf_uptr = (uintptr_t)buf,
	};

	return kb_ioc(KU(bu)->kc->fd, XIOMMU_UNIT_REGS, &r) ? 0 : r.out_len;
}

static int kb_domain_alloc(void *bu, void **dom, struct xiommu_domain_desc *desc)
{
	struct xiommu_ioc_domain_alloc a = { .size = sizeof(a), .unit_id = KU(bu)->id };
	struct kb_dom *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return -ENOMEM;
	ret = kb_ioc(KU(bu)->kc->fd, XIOMMU_DOMAIN_ALLOC, &a);
	if (ret) {
		free(d);
		return ret;
	}
	d->id = a.out_domain_id;
	*desc = a.out_desc;
	*dom = d;
	return 0;
}

static void kb_domain_free(void *bu, void *dom)
{
	kb_destroy(KU(bu)->kc->fd, KD(dom)->id);
	free(dom);
}

static int kb_tag_alloc(void *bu, void *dom, uint32_t *tag)
{
	struct xiommu_ioc_tag t = { .size = sizeof(t), .domain_id = KD(dom)->id };
	int ret = kb_ioc(KU(bu)->kc->fd, XIOMMU_TAG_ALLOC, &t);

	if (!ret)
		*tag = t.tag;
	return ret;
}

static int kb_tag_free(void *bu, void *dom, uint32_t tag)
{
	struct xiommu_ioc_tag t = { .size = sizeof(t), .domain_id = KD(dom)->id, .tag = tag };

	return kb_ioc(KU(bu)->kc->fd, XIOMMU_TAG_FREE, &t);
}

static int kb_s2_map(void *bu, void *dom, uint64_t gpa, uint64_t hpa, uint64_t size,
		     uint32_t prot)
{
	struct xiommu_ioc_s2_map m = {
		.size = sizeof(m), .domain_id = KD(dom)->id, .prot = prot,
		.gpa = gpa, .hpa = hpa, .length = size,
	};

	return kb_ioc(KU(bu)->kc->fd, XIOMMU_S2_MAP, &m);
}

static int kb_s2_unmap(void *bu, void *dom, uint64_t gpa, uint64_t size)
{
	struct xiommu_ioc_s2_unmap m = {
		.size = sizeof(m), .domain_id = KD(dom)->id, .gpa = gpa, .length = size,
	};

	return kb_ioc(KU(bu)->kc->fd, XIOMMU_S2_UNMAP, &m);
}

static int kb_stream_attach(void *bu, void *dom, uint32_t sid, uint32_t grants)
{
	struct xiommu_ioc_stream s = {
		.size = sizeof(s), .domain_id = KD(dom)->id, .sid = sid, .grants = grants,
	};

	return kb_ioc(KU(bu)->kc->fd, XIOMMU_STREAM_ATTACH, &s);
}

static void kb_stream_detach(void *bu, void *dom, uint32_t sid)
{
	struct xiommu_ioc_stream s = { .size = sizeof(s), .domain_id = KD(dom)->id, .sid = sid };

	kb_ioc(KU(bu)->kc->fd, XIOMMU_STREAM_DETACH, &s);
}

static int kb_exec(void *bu, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct xiommu_ioc_exec e = {
		.size = sizeof(e), .domain_id = KD(dom)->id, .nops = n, .ops_uptr = (uintptr_t)ops,
	};
	int ret = kb_ioc(KU(bu)->kc->fd, XIOMMU_EXEC, &e);

	if (bad)
		*bad = e.out_bad;
	return ret;
}

static int kb_dma(void *bu, struct xm_dma *req)
{
	struct xiommu_ioc_dma_port d = {
		.size = sizeof(d), .unit_id = KU(bu)->id, .op = req->op, .dma_flags = req->flags,
		.sid = req->sid, .pasid = req->pasid, .data = req->data, .iova = req->iova,
		.len = req->op == XIOMMU_DMA_MSI ? 0 : req->len, .buf_uptr = (uintptr_t)req->buf,
	};
	int ret = kb_ioc(KU(bu)->kc->fd, XIOMMU_DMA, &d);

	if (ret)
		return ret;
	req->status = d.out_status;
	req->pa = d.out_pa;
	req->perm = d.out_perm;
	req->done = d.out_done;
	req->stag = d.out_stag;
	return 0;
}

static int kb_event_pop(void *bu, struct xm_event *ev)
{
	struct xiommu_event_rec r;
	ssize_t n = read(KU(bu)->efd, &r, sizeof(r));

	if (n != (ssize_t)sizeof(r))
		return -ENOENT;
	ev->kind = r.kind;
	ev->nwords = r.nwords;
	memcpy(ev->w, r.w, sizeof(ev->w));
	return 0;
}

static int kb_msi_pop(void *bu, uint64_t *rec)
{
	struct xiommu_ioc_msi_pop m = {
		.size = sizeof(m), .unit_id = KU(bu)->id, .count = 1, .records_uptr = (uintptr_t)rec,
	};

	if (kb_ioc(KU(bu)->kc->fd, XIOMMU_MSI_POP, &m) || !m.count)
		return -ENOENT;
	return 0;
}

static void kb_stats(void *bu, struct xm_stats *st)
{
	struct xiommu_ioc_unit_stats s = { .size = sizeof(s), .unit_id = KU(bu)->id };

	if (kb_ioc(KU(bu)->kc->fd, XIOMMU_STATS, &s))
		return;
	st->programs += s.programs;
	st->commands += s.commands;
	st->syncs += s.syncs;
	st->tlb_hits += s.tlb_hits;
	st->tlb_misses += s.tlb_misses;
	st->cfg_hits += s.cfg_hits;
	st->cfg_misses += s.cfg_misses;
	st->table_reads += s.table_reads;
	st->events += s.events;
	st->events_lost += s.events_lost;
	st->queue_errors += s.queue_errors;
}

const struct xc_backend_ops xc_backend_kernel = {
	.name = "kernel",
	.ctx_init = kb_ctx_init,
	.ctx_fini = kb_ctx_fini,
	.mem_register = kb_mem_register,
	.mem_unregister = kb_mem_unregister,
	.unit_create = kb_unit_create,
	.unit_destroy = kb_unit_destroy,
	.regs = kb_regs,
	.domain_alloc = kb_domain_alloc,
	.domain_free = kb_domain_free,
	.tag_alloc = kb_tag_alloc,
	.tag_free = kb_tag_free,
	.s2_map = kb_s2_map,
	.s2_unmap = kb_s2_unmap,
	.stream_attach = kb_stream_attach,
	.stream_detach = kb_stream_detach,
	.exec = kb_exec,
	.dma = kb_dma,
	.event_pop = kb_event_pop,
	.msi_pop = kb_msi_pop,
	.stats = kb_stats,
};
