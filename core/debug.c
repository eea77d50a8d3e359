// SPDX-License-Identifier: MIT
/*
 * A byte image of the context's state, for tests that prove a rejected call
 * changed nothing. Pointers are left out; everything they lead to is in.
 */
#include <string.h>
#include "internal.h"
#include "debug.h"

struct dump {
	uint8_t *buf;
	size_t len, used;
	bool live;	/* xc_state_dump_live: no id counter, no queue positions */
};

static void put(struct dump *d, const void *p, size_t n)
{
	if (d->used + n <= d->len)
		memcpy(d->buf + d->used, p, n);
	d->used += n;
}

#define PUT(d, x) put((d), &(x), sizeof(x))

static int put_pasid(void *arg, const struct xiommu_pasid_binding *b)
{
	put(arg, b, sizeof(*b));
	return 0;
}

static void dump_viommu(struct dump *d, const struct xc_viommu *v)
{
	uint32_t i;

	PUT(d, v->id);
	PUT(d, v->pv.dom);
	PUT(d, v->nvdevs);
	PUT(d, v->nmaps);
	for (i = 0; i < v->nmaps; i++) {
		PUT(d, v->maps[i].gpa);
		PUT(d, v->maps[i].size);
		PUT(d, v->maps[i].offset);
		PUT(d, v->maps[i].prot);
		PUT(d, v->maps[i].region->id);
	}
	PUT(d, v->nmsis);
	for (i = 0; i < v->nmsis; i++)
		PUT(d, v->msis[i]);
	if (!d->live) {
		PUT(d, v->fq.head);
		PUT(d, v->fq.seq);
		PUT(d, v->fq.lost_seq);
	}
	PUT(d, v->fq.count);
	PUT(d, v->fq.lost);
	for (i = 0; i < v->fq.count; i++)
		PUT(d, v->fq.ring[(v->fq.head + i) % v->fq.depth]);
	PUT(d, v->tags.n);
	for (i = 0; i < v->tags.n; i++)
		PUT(d, v->tags.t[i]);
}

static void dump_vdev(struct dump *d, const struct xc_vdev *v)
{
	PUT(d, v->id);
	PUT(d, v->viommu->id);
	PUT(d, v->pv.psid);
	PUT(d, v->pv.vsid);
	PUT(d, v->pv.pasid_bits);
	PUT(d, v->pv.config);
	PUT(d, v->pv.entry);
	PUT(d, v->pv.tagged);
	PUT(d, v->pv.gtag);
	PUT(d, v->bind);
	PUT(d, v->pasids.count);
	xc_pasid_foreach(&v->pasids, put_pasid, d);
}

static size_t dump_ctx(struct xiommu_ctx *ctx, struct dump *d)
{
	uint32_t i;

	if (!d->live)
		PUT(d, ctx->nobjs);
	for (i = 0; i < ctx->nunits; i++) {
		PUT(d, ctx->units[i].caps);
		PUT(d, ctx->units[i].widened);
	}
	for (i = 0; i < ctx->nobjs; i++) {
		const struct xc_obj *o = &ctx->objs[i];

		if (d->live && o->type == XC_OBJ_NONE)
			continue;
		PUT(d, o->type);
		if (o->type == XC_OBJ_REGION) {
			const struct xc_region *r = o->ptr;

			PUT(d, r->id);
			PUT(d, r->size);
			PUT(d, r->map_count);
		} else if (o->type == XC_OBJ_VIOMMU) {
			dump_viommu(d, o->ptr);
		} else if (o->type == XC_OBJ_VDEV) {
			dump_vdev(d, o->ptr);
		}
	}
	return d->used;
}

size_t xc_state_dump(struct xiommu_ctx *ctx, void *buf, size_t len)
{
	struct dump d = { .buf = buf, .len = len };

	return dump_ctx(ctx, &d);
}

size_t xc_state_dump_live(struct xiommu_ctx *ctx, void *buf, size_t len)
{
	struct dump d = { .buf = buf, .len = len, .live = true };

	return dump_ctx(ctx, &d);
}
