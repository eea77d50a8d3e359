// SPDX-License-Identifier: MIT
/* The context's id table: ids start at 1 and are never reused. */
#include <errno.h>
#include <stdlib.h>
#include "internal.h"

int xc_obj_reserve(struct xiommu_ctx *ctx, uint32_t *next_id)
{
	if (ctx->nobjs == UINT32_MAX - 1)
		return xc_err(ctx, -ENOSPC, "object ids exhausted");
	if (ctx->nobjs == ctx->objs_cap) {
		uint32_t cap = ctx->objs_cap ? ctx->objs_cap * 2 : 64;
		struct xc_obj *objs = realloc(ctx->objs, (size_t)cap * sizeof(*objs));

		if (!objs)
			return xc_err(ctx, -ENOMEM, "out of memory for object ids");
		ctx->objs = objs;
		ctx->objs_cap = cap;
	}
	*next_id = ctx->nobjs + 1;
	return 0;
}

int xc_obj_add(struct xiommu_ctx *ctx, uint32_t type, void *ptr, uint32_t *id)
{
	int ret = xc_obj_reserve(ctx, id);

	if (ret)
		return ret;
	ctx->objs[ctx->nobjs].type = type;
	ctx->objs[ctx->nobjs].ptr = ptr;
	*id = ++ctx->nobjs;
	return 0;
}

void *xc_obj_get(struct xiommu_ctx *ctx, uint32_t type, uint32_t id)
{
	if (!id || id > ctx->nobjs || ctx->objs[id - 1].type != type)
		return NULL;
	return ctx->objs[id - 1].ptr;
}

void xc_obj_del(struct xiommu_ctx *ctx, uint32_t id)
{
	if (id && id <= ctx->nobjs) {
		ctx->objs[id - 1].type = XC_OBJ_NONE;
		ctx->objs[id - 1].ptr = NULL;
	}
}

struct xc_viommu *xc_viommu_get(struct xiommu_ctx *ctx, const char *what, uint32_t id)
{
	struct xc_viommu *v = xc_obj_get(ctx, XC_OBJ_VIOMMU, id);

	if (!v)
		xc_err(ctx, -ENOENT, "%s: viommu_id %u does not exist", what, id);
	return v;
}

struct xc_vdev *xc_vdev_get(struct xiommu_ctx *ctx, const char *what, uint32_t id)
{
	struct xc_vdev *d = xc_obj_get(ctx, XC_OBJ_VDEV, id);

	if (!d)
		xc_err(ctx, -ENOENT, "%s: vdev_id %u does not exist", what, id);
	return d;
}

struct xc_unit *xc_unit_get(struct xiommu_ctx *ctx, const char *what, uint32_t index)
{
	if (index >= ctx->nunits) {
		xc_err(ctx, -ENOENT, "%s: unit %u does not exist (the context has %u)", what,
		       index, ctx->nunits);
		return NULL;
	}
	return &ctx->units[index];
}

struct xc_vdev *xc_vdev_by_psid(struct xiommu_ctx *ctx, struct xc_unit *u, uint32_t psid)
{
	uint32_t i;

	for (i = 0; i < ctx->nobjs; i++) {
		struct xc_vdev *d = ctx->objs[i].ptr;

		if (ctx->objs[i].type == XC_OBJ_VDEV && d->viommu->unit == u && d->pv.psid == psid)
			return d;
	}
	return NULL;
}
