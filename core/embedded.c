// SPDX-License-Identifier: MIT
/*
 * The embedded backend: the host layer of kernel/host over the software
 * models of kernel/model, in the VMM's process, on a host address space
 * made of the VMM's registered buffers and tables allocated here. Every
 * unit op forwards to the host layer unchanged, so host and model behave
 * exactly as they do inside xiommu.ko.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "hostmem.h"

struct emb_unit {
	const struct xh_unit_ops *model;
	void *mu;
	struct xm_host host;	/* must outlive the model unit */
	struct xc_hostmem *hm;
};

static void *emb_map(void *priv, uint64_t pa, uint32_t len)
{
	return xc_hostmem_ptr(priv, pa, len);
}

static int emb_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	void *p;
	int ret;

	if (!size || (size & (size - 1)) || size < 4096)
		return -EINVAL;
	p = aligned_alloc(4096, size);
	if (!p)
		return -ENOMEM;
	memset(p, 0, size);
	ret = xc_hostmem_add(priv, p, size, 1, pa);
	if (ret)
		free(p);
	return ret;
}

static void emb_free(void *priv, uint64_t pa, uint64_t size)
{
	(void)size;
	xc_hostmem_remove(priv, pa);
}

static int emb_ctx_init(void **bctx)
{
	return xc_hostmem_new((struct xc_hostmem **)bctx);
}

static void emb_ctx_fini(void *bctx)
{
	xc_hostmem_free(bctx);
}

static int emb_mem_register(void *bctx, void *addr, uint64_t size, uint64_t *hpa)
{
	return xc_hostmem_add(bctx, addr, size, 0, hpa);
}

static void emb_mem_unregister(void *bctx, uint64_t hpa, uint64_t size)
{
	(void)size;
	xc_hostmem_remove(bctx, hpa);
}

static int emb_unit_create(void *bctx, const char *vendor, const void *params,
			   uint32_t params_size, void **bu, char *err, uint32_t errlen)
{
	const struct xh_unit_ops *model = xh_find(vendor);
	struct emb_unit *e;
	int ret;

	if (!model) {
		snprintf(err, errlen, "no built-in model for vendor '%s'", vendor);
		return -ENOENT;
	}
	if (params_size != model->params_size) {
		snprintf(err, errlen, "plugin parameters are %u bytes, the '%s' model expects %u",
			 params_size, vendor, model->params_size);
		return -EPROTO;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->model = model;
	e->hm = bctx;
	e->host.priv = bctx;
	e->host.map = emb_map;
	e->host.alloc = emb_alloc;
	e->host.free = emb_free;
	e->host.msi_db = xc_hostmem_reserve(bctx, 4096);
	ret = model->create(params, params_size, &e->host, &e->mu, err, errlen);
	if (ret) {
		free(e);
		return ret;
	}
	*bu = e;
	return 0;
}

static void emb_unit_destroy(void *bu)
{
	struct emb_unit *e = bu;

	e->model->destroy(e->mu);
	free(e);
}

#define EMB(bu) ((struct emb_unit *)(bu))

static uint32_t emb_regs(void *bu, void *buf, uint32_t len)
{
	return EMB(bu)->model->regs(EMB(bu)->mu, buf, len);
}

static int emb_domain_alloc(void *bu, void **dom, struct xiommu_domain_desc *desc)
{
	return EMB(bu)->model->domain_alloc(EMB(bu)->mu, dom, desc);
}

static void emb_domain_free(void *bu, void *dom)
{
	EMB(bu)->model->domain_free(EMB(bu)->mu, dom);
}

static int emb_tag_alloc(void *bu, void *dom, uint32_t *tag)
{
	if (!EMB(bu)->model->tag_alloc)
		return -EOPNOTSUPP;
	return EMB(bu)->model->tag_alloc(EMB(bu)->mu, dom, tag);
}

static int emb_tag_free(void *bu, void *dom, uint32_t tag)
{
	if (!EMB(bu)->model->tag_free)
		return -EOPNOTSUPP;
	return EMB(bu)->model->tag_free(EMB(bu)->mu, dom, tag);
}

static int emb_s2_map(void *bu, void *dom, uint64_t gpa, uint64_t hpa, uint64_t size,
		      uint32_t prot)
{
	return EMB(bu)->model->s2_map(EMB(bu)->mu, dom, gpa, hpa, size, prot);
}

static int emb_s2_unmap(void *bu, void *dom, uint64_t gpa, uint64_t size)
{
	return EMB(bu)->model->s2_unmap(EMB(bu)->mu, dom, gpa, size);
}

static int emb_stream_attach(void *bu, void *dom, uint32_t sid, uint32_t grants)
{
	return EMB(bu)->model->stream_attach(EMB(bu)->mu, dom, sid, grants);
}

static void emb_stream_detach(void *bu, void *dom, uint32_t sid)
{
	EMB(bu)->model->stream_detach(EMB(bu)->mu, dom, sid);
}

static int emb_exec(void *bu, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	return EMB(bu)->model->exec(EMB(bu)->mu, dom, ops, n, bad);
}

static int emb_dma(void *bu, struct xm_dma *req)
{
	return EMB(bu)->model->dma(EMB(bu)->mu, req);
}

static int emb_event_pop(void *bu, struct xm_event *ev)
{
	return EMB(bu)->model->event_pop(EMB(bu)->mu, ev);
}

static int emb_msi_pop(void *bu, uint64_t *rec)
{
	return EMB(bu)->model->msi_pop(EMB(bu)->mu, rec);
}

static void emb_stats(void *bu, struct xm_stats *st)
{
	EMB(bu)->model->stats(EMB(bu)->mu, st);
}

const struct xc_backend_ops xc_backend_embedded = {
	.name = "embedded",
	.ctx_init = emb_ctx_init,
	.ctx_fini = emb_ctx_fini,
	.mem_register = emb_mem_register,
	.mem_unregister = emb_mem_unregister,
	.unit_create = emb_unit_create,
	.unit_destroy = emb_unit_destroy,
	.regs = emb_regs,
	.domain_alloc = emb_domain_alloc,
	.domain_free = emb_domain_free,
	.tag_alloc = emb_tag_alloc,
	.tag_free = emb_tag_free,
	.s2_map = emb_s2_map,
	.s2_unmap = emb_s2_unmap,
	.stream_attach = emb_stream_attach,
	.stream_detach = emb_stream_detach,
	.exec = emb_exec,
	.dma = emb_dma,
	.event_pop = emb_event_pop,
	.msi_pop = emb_msi_pop,
	.stats = emb_stats,
};
