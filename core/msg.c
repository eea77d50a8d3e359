// SPDX-License-Identifier: MIT
/* Size-extensible messages: argsz in, zero-extended local copy, argsz out. */
#include <errno.h>
#include <string.h>
#include "internal.h"

/* No message will ever be this large; a bigger argsz is a caller bug. */
#define XC_ARGSZ_MAX 4096u

int xc_msg_in(struct xiommu_ctx *ctx, const char *what, const void *user, size_t size,
	      void *local)
{
	const uint8_t *tail;
	uint32_t argsz;
	size_t i;

	if (!user)
		return xc_err(ctx, -EFAULT, "%s: message pointer is NULL", what);
	memcpy(&argsz, user, sizeof(argsz));
	if (argsz > XC_ARGSZ_MAX)
		return xc_err(ctx, -E2BIG, "%s: argsz %u exceeds %u", what, argsz, XC_ARGSZ_MAX);
	if (argsz < size)
		return xc_err(ctx, -EINVAL, "%s: argsz %u is smaller than the message (%zu bytes)",
			      what, argsz, size);
	tail = (const uint8_t *)user + size;
	for (i = 0; i < argsz - size; i++)
		if (tail[i])
			return xc_err(ctx, -E2BIG,
				      "%s: argsz %u: byte %zu beyond the known %zu is not zero", what,
				      argsz, size + i, size);
	memcpy(local, user, size);
	return 0;
}

void xc_msg_out(const void *local, void *user, size_t size)
{
	memcpy(user, local, size);
}

int xc_call(struct xiommu_ctx *ctx, const char *what, void *user, size_t size, xc_msg_fn fn)
{
	uint64_t msg[XC_MSG_MAX / sizeof(uint64_t)];
	int ret;

	if (!ctx)
		return xc_err(NULL, -EINVAL, "%s: context is NULL", what);
	if (size > sizeof(msg))
		return xc_err(ctx, -EPROTO, "%s: message larger than %u bytes", what, XC_MSG_MAX);
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, what, user, size, msg);
	if (!ret)
		ret = fn(ctx, msg);
	if (!ret) {
		xc_msg_out(msg, user, size);
		xc_err_clear(ctx);
	}
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

int xc_call_id(struct xiommu_ctx *ctx, const char *what, uint32_t id, xc_id_fn fn)
{
	int ret;

	if (!ctx)
		return xc_err(NULL, -EINVAL, "%s: context is NULL", what);
	pthread_mutex_lock(&ctx->lock);
	ret = fn(ctx, id);
	if (!ret)
		xc_err_clear(ctx);
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}
