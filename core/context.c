// SPDX-License-Identifier: MIT
/* Contexts: open from a file or from memory, close, units and hw info. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define XC_CONFIG_MAX (1u << 20)

static void ctx_free(struct xiommu_ctx *ctx)
{
	uint32_t i;

	/* vdevs before viommus before regions: the reverse of creation. */
	for (i = ctx->nobjs; i-- > 0;)
		if (ctx->objs[i].type == XC_OBJ_VDEV)
			xc_vdev_destroy(ctx, ctx->objs[i].ptr);
	for (i = ctx->nobjs; i-- > 0;)
		if (ctx->objs[i].type == XC_OBJ_VIOMMU)
			xc_viommu_destroy(ctx, ctx->objs[i].ptr);
	for (i = ctx->nobjs; i-- > 0;) {
		if (ctx->objs[i].type == XC_OBJ_REGION) {
			struct xc_region *r = ctx->objs[i].ptr;
			uint32_t b;

			for (b = 0; b < ctx->nbackends; b++)
				ctx->backends[b].ops->mem_unregister(ctx->backends[b].bctx,
								     r->hpa[b], r->size);
			free(r);
		}
	}
	for (i = 0; ctx->units && i < ctx->nunits; i++)
		xc_unit_teardown(ctx, &ctx->units[i]);
	for (i = 0; i < ctx->nbackends; i++)
		if (ctx->backends[i].ops->ctx_fini)
			ctx->backends[i].ops->ctx_fini(ctx->backends[i].bctx);
	free(ctx->units);
	free(ctx->objs);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

XIOMMU_EXPORT int xiommu_open_config(const char *text, size_t len, const char *name,
				     struct xiommu_ctx **out)
{
	struct xiommu_ctx *ctx;
	uint32_t i;
	int ret;

	if (!out)
		return xc_err(NULL, -EINVAL, "xiommu_open: ctx pointer is NULL");
	*out = NULL;
	if (!text)
		return xc_err(NULL, -EINVAL, "xiommu_open: config text is NULL");
	if (len > XC_CONFIG_MAX)
		return xc_err(NULL, -EFBIG, "%s: config is %zu bytes, the limit is %u",
			      name ? name : "(config)", len, XC_CONFIG_MAX);
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return xc_err(NULL, -ENOMEM, "xiommu_open: out of memory");
	pthread_mutex_init(&ctx->lock, NULL);
	snprintf(ctx->name, sizeof(ctx->name), "%s", name ? name : "(config)");
	ret = xc_config_parse(ctx, text, len);
	for (i = 0; !ret && i < ctx->nunits; i++)
		ret = xc_unit_setup(ctx, &ctx->units[i]);
	if (ret) {
		/* keep the message: teardown must not overwrite it */
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", xiommu_last_error(NULL));
		ctx_free(ctx);
		return xc_err(NULL, ret, "%s", msg);
	}
	for (i = 0; i < ctx->nunits; i++) {
		struct xc_unit *u = &ctx->units[i];
		uint32_t k;

		for (k = 0; k < u->nkv; k++) {
			free(u->kv[k].key);
			free(u->kv[k].value);
		}
		free(u->kv);
		u->kv = NULL;
		u->nkv = 0;
	}
	xc_err_clear(NULL);
	*out = ctx;
	return 0;
}

XIOMMU_EXPORT int xiommu_open(const char *path, struct xiommu_ctx **out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (!out)
		return xc_err(NULL, -EINVAL, "xiommu_open: ctx pointer is NULL");
	*out = NULL;
	if (!path)
		return xc_err(NULL, -EINVAL, "xiommu_open: path is NULL");
	f = fopen(path, "rb");
	if (!f)
		return xc_err(NULL, -errno, "%s: cannot open: %s", path, strerror(errno));
	text = malloc(XC_CONFIG_MAX + 1);
	if (text)
		len = fread(text, 1, XC_CONFIG_MAX + 1, f);
	if (!text || ferror(f)) {
		ret = xc_err(NULL, text ? -EIO : -ENOMEM, "%s: cannot read", path);
	} else if (len > XC_CONFIG_MAX) {
		ret = xc_err(NULL, -EFBIG, "%s: larger than %u bytes", path, XC_CONFIG_MAX);
	} else {
		ret = xiommu_open_config(text, len, path, out);
	}
	fclose(f);
	free(text);
	return ret;
}

XIOMMU_EXPORT void xiommu_close(struct xiommu_ctx *ctx)
{
	if (ctx)
		ctx_free(ctx);
}

XIOMMU_EXPORT uint32_t xiommu_unit_count(const struct xiommu_ctx *ctx)
{
	return ctx ? ctx->nunits : 0;
}

static int hw_info(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_hw_info *in = msg;
	uint32_t argsz = in->argsz, raw_len = in->raw_len;
	uint64_t raw_ptr = in->raw_ptr;
	struct xc_unit *u;

	if (in->flags)
		return xc_err(ctx, -EINVAL, "hw_info: flags 0x%x: no flag is defined", in->flags);
	u = xc_unit_get(ctx, "hw_info", in->unit);
	if (!u)
		return -ENOENT;
	if (raw_len && !raw_ptr)
		return xc_err(ctx, -EFAULT, "hw_info: raw_len %u with raw_ptr 0", raw_len);
	if (raw_ptr)
		memcpy((void *)(uintptr_t)raw_ptr, u->raw, raw_len < u->raw_len ? raw_len : u->raw_len);
	*in = u->caps;
	in->argsz = argsz;
	in->unit = u->index;
	in->raw_len = u->raw_len;
	in->raw_ptr = raw_ptr;
	snprintf(in->vendor_name, sizeof(in->vendor_name), "%s", u->vendor);
	snprintf(in->unit_name, sizeof(in->unit_name), "%s", u->name);
	snprintf(in->backend, sizeof(in->backend), "%s", u->be->name);
	return 0;
}

XIOMMU_EXPORT int xiommu_hw_info(struct xiommu_ctx *ctx, struct xiommu_hw_info *user)
{
	return xc_call(ctx, "hw_info", user, sizeof(*user), hw_info);
}
