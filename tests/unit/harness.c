// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "errdoc.h"

struct xt_log xt_log;

struct rec_unit {
	uint32_t next_tag;
	uint32_t extra_tags;	/* handed out by tag_alloc, not freed */
	struct xm_event ev[64];
	uint32_t nev;
	uint64_t msi[16];
	uint32_t nmsi;
	struct xm_stats st;
};

static int rec_ctx_init(void **bctx)
{
	*bctx = calloc(1, sizeof(uint64_t));
	return *bctx ? 0 : -ENOMEM;
}

static void rec_ctx_fini(void *bctx)
{
	free(bctx);
}

static int rec_mem_register(void *bctx, void *addr, uint64_t size, uint64_t *hpa)
{
	uint64_t *next = bctx;

	(void)addr;
	*hpa = (1ull << 40) + *next;
	*next += size;
	return 0;
}

static void rec_mem_unregister(void *bctx, uint64_t hpa, uint64_t size)
{
	(void)bctx;
	(void)hpa;
	(void)size;
}

static int rec_unit_create(void *bctx, const char *vendor, const void *params, uint32_t size,
			   void **bu, char *err, uint32_t errlen)
{
	struct rec_unit *r;

	(void)bctx;
	(void)params;
	(void)size;
	if (strcmp(vendor, "test")) {
		snprintf(err, errlen, "the recording backend only runs vendor 'test'");
		return -ENOENT;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->next_tag = 1;
	*bu = r;
	return 0;
}

static void rec_unit_destroy(void *bu)
{
	free(bu);
}

static uint32_t rec_regs(void *bu, void *buf, uint32_t len)
{
	(void)bu;
	memset(buf, 0x5a, len < 8 ? len : 8);
	return 8;
}

static int rec_domain_alloc(void *bu, void **dom, struct xiommu_domain_desc *d)
{
	struct rec_unit *r = bu;

	memset(d, 0, sizeof(*d));
	d->tag = r->next_tag++;
	d->s2_root = 0x1000ull * d->tag;
	d->s2_ias = 48;
	d->s2_oas = 48;
	d->granule_shift = 12;
	d->levels = 4;
	*dom = (void *)(uintptr_t)d->tag;
	return 0;
}

static void rec_domain_free(void *bu, void *dom)
{
	(void)bu;
	(void)dom;
	xt_log.domain_frees++;
}

static int rec_tag_alloc(void *bu, void *dom, uint32_t *tag)
{
	struct rec_unit *r = bu;

	(void)dom;
	if (r->extra_tags >= (xt_log.tags_max ? xt_log.tags_max : 4))
		return -ENOSPC;
	r->extra_tags++;
	*tag = 1000 + r->next_tag++;
	xt_log.tag_allocs++;
	return 0;
}

static int rec_tag_free(void *bu, void *dom, uint32_t tag)
{
	struct rec_unit *r = bu;

	(void)dom;
	(void)tag;
	r->extra_tags--;
	xt_log.tag_frees++;
	return 0;
}

static int rec_s2_map(void *bu, void *dom, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t p)
{
	(void)bu, (void)dom, (void)gpa, (void)hpa, (void)size, (void)p;
	xt_log.s2_maps++;
	return 0;
}

static int rec_s2_unmap(void *bu, void *dom, uint64_t gpa, uint64_t size)
{
	(void)bu, (void)dom, (void)gpa, (void)size;
	xt_log.s2_unmaps++;
	return 0;
}

static int rec_stream_attach(void *bu, void *dom, uint32_t sid, uint32_t grants)
{
	(void)bu, (void)dom, (void)grants;
	if (sid == 0xbad)
		return -EPERM;
	xt_log.attaches++;
	return 0;
}

static void rec_stream_detach(void *bu, void *dom, uint32_t sid)
{
	(void)bu, (void)dom, (void)sid;
	xt_log.detaches++;
}

static int rec_exec(void *bu, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct rec_unit *r = bu;
	uint32_t i;

	(void)dom;
	for (i = 0; i < n; i++)
		if (xt_log.refuse_target && ops[i].target == xt_log.refuse_target) {
			*bad = i;
			return -EPERM;
		}
	for (i = 0; i < n && xt_log.n < XT_LOG_MAX; i++)
		xt_log.ops[xt_log.n++] = ops[i];
	r->st.programs++;
	r->st.commands += n;
	return 0;
}

/*
 * iova bit 62 set: the access faults (kind 1 event, reason = iova[7:0]);
 * bit 61: it raises a page request (kind 2); otherwise identity-translated.
 */
static int rec_dma(void *bu, struct xm_dma *req)
{
	struct rec_unit *r = bu;

	if (req->iova & (3ull << 61)) {
		if (r->nev < 64) {
			struct xm_event *e = &r->ev[r->nev++];

			e->kind = (req->iova & (1ull << 62)) ? 1 : 2;
			e->nwords = 3;
			e->w[0] = req->sid;
			e->w[1] = req->iova & ~(3ull << 61);
			e->w[2] = req->iova & 0xff;
		}
		r->st.events++;
		req->status = (req->iova & (1ull << 62)) ? XIOMMU_DMA_FAULT : XIOMMU_DMA_STALLED;
		return 0;
	}
	if (req->op == XIOMMU_DMA_MSI && r->nmsi < 16)
		r->msi[r->nmsi++] = (req->iova & 0xfff) << 32 | req->data;
	req->status = XIOMMU_DMA_OK;
	req->pa = req->iova;
	req->perm = XIOMMU_PERM_READ | XIOMMU_PERM_WRITE;
	req->done = (uint32_t)req->len;
	r->st.tlb_hits++;
	return 0;
}

static int rec_event_pop(void *bu, struct xm_event *ev)
{
	struct rec_unit *r = bu;

	if (!r->nev)
		return -ENOENT;
	*ev = r->ev[0];
	memmove(&r->ev[0], &r->ev[1], --r->nev * sizeof(r->ev[0]));
	return 0;
}

static int rec_msi_pop(void *bu, uint64_t *rec)
{
	struct rec_unit *r = bu;

	if (!r->nmsi)
		return -ENOENT;
	*rec = r->msi[0];
	memmove(&r->msi[0], &r->msi[1], --r->nmsi * sizeof(r->msi[0]));
	return 0;
}

static void rec_stats(void *bu, struct xm_stats *st)
{
	*st = ((struct rec_unit *)bu)->st;
}

static const struct xc_backend_ops rec_ops = {
	.name = "recording",
	.ctx_init = rec_ctx_init,
	.ctx_fini = rec_ctx_fini,
	.mem_register = rec_mem_register,
	.mem_unregister = rec_mem_unregister,
	.unit_create = rec_unit_create,
	.unit_destroy = rec_unit_destroy,
	.regs = rec_regs,
	.domain_alloc = rec_domain_alloc,
	.domain_free = rec_domain_free,
	.tag_alloc = rec_tag_alloc,
	.tag_free = rec_tag_free,
	.s2_map = rec_s2_map,
	.s2_unmap = rec_s2_unmap,
	.stream_attach = rec_stream_attach,
	.stream_detach = rec_stream_detach,
	.exec = rec_exec,
	.dma = rec_dma,
	.event_pop = rec_event_pop,
	.msi_pop = rec_msi_pop,
	.stats = rec_stats,
};

void xt_backend_register(void)
{
	static int done;

	if (!done)
		assert_int_equal(xc_backend_register(&rec_ops), 0);
	done = 1;
	memset(&xt_log, 0, sizeof(xt_log));
}

struct xiommu_ctx *xt_open(const char *ini)
{
	struct xiommu_ctx *ctx = NULL;
	int ret = xiommu_open_config(ini, strlen(ini), "test.ini", &ctx);

	if (ret)
		fail_msg("open failed (%d): %s", ret, xiommu_last_error(NULL));
	return ctx;
}

void xt_setup(struct xt_env *e, const char *extra)
{
	char ini[1024];
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr) };
	struct xiommu_map m = { .argsz = sizeof(m) };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at) };

	xt_backend_register();
	snprintf(ini, sizeof(ini), "[unit t0]\nvendor = test\nbackend = recording\n%s\n",
		 extra ? extra : "");
	e->ctx = xt_open(ini);
	assert_int_equal(xiommu_viommu_alloc(e->ctx, &va), 0);
	e->viommu = va.out_viommu_id;
	e->mem = aligned_alloc(4096, 16 << 20);
	assert_non_null(e->mem);
	mr.addr = XIOMMU_PTR(e->mem);
	mr.size = 16 << 20;
	assert_int_equal(xiommu_mem_register(e->ctx, &mr), 0);
	e->region = mr.out_region_id;
	m.flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE;
	m.viommu_id = e->viommu;
	m.region_id = e->region;
	m.size = 16 << 20;
	assert_int_equal(xiommu_map(e->ctx, &m), 0);
	at.viommu_id = e->viommu;
	at.psid = 5;
	at.vsid = 0x105;
	at.pasid_bits = 16;
	assert_int_equal(xiommu_vdev_attach(e->ctx, &at), 0);
	e->vdev = at.out_vdev_id;
}

void xt_teardown(struct xt_env *e)
{
	xiommu_close(e->ctx);
	free(e->mem);
}

void xt_snap(struct xiommu_ctx *ctx, struct xt_snap *s)
{
	s->len = xc_state_dump(ctx, s->state, sizeof(s->state));
	assert_true(s->len <= sizeof(s->state));
	s->log_n = xt_log.n;
}

void xt_assert_unchanged(struct xiommu_ctx *ctx, const struct xt_snap *s)
{
	static struct xt_snap now;

	xt_snap(ctx, &now);
	assert_int_equal(now.len, s->len);
	assert_memory_equal(now.state, s->state, s->len);
	assert_int_equal(now.log_n, s->log_n);
}

void xt_assert_documented(const char *expr, int err)
{
	char call[64], list[512];

	if (!xt_errdoc_call_of(expr, call, sizeof(call)))
		return;
	switch (xt_errdoc_allows(call, err)) {
	case 1:
		return;
	case 0:
		fail_msg("%s returned %d (%s), which its header does not list: %s", call, err,
			 strerror(-err), xt_errdoc_list(call, list, sizeof(list)));
		break;
	default:
		fail_msg("%s: no errno list in the headers (%s)", call, xt_errdoc_error());
	}
}
