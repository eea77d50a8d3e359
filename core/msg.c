// SPDX-License-Identifier: MIT
/* Size-extensible messages: argsz in, zero-extended local copy, argsz out. */
#include <errno.h>
#include <string.h>
#include "internal.h"

/* No message will ever be this large; a bigger argsz is a caller bug. */
#define XC_ARGSZ_MAX 4096u

/*
 * Copy a message of @size bytes in. @minsz is its first published size: an
 * older caller's shorter message is zero-extended; a longer one must have a
 * zero tail. Returns the bytes the caller has (argsz, at most @size) in *@n.
 */
static int msg_in(struct xiommu_ctx *ctx, const char *what, const void *user, size_t minsz,
		  size_t size, void *local, size_t *n)
{
	const uint8_t *tail;
	uint32_t argsz;
	size_t i;

	if (!user)
		return xc_err(ctx, -EFAULT, "%s: message pointer is NULL", what);
	memcpy(&argsz, user, sizeof(argsz));
	if (argsz > XC_ARGSZ_MAX)
		return xc_err(ctx, -E2BIG, "%s: argsz %u exceeds %u", what, argsz, XC_ARGSZ_MAX);
	if (argsz < minsz)
		return xc_err(ctx, -EINVAL, "%s: argsz %u is smaller than the message (%zu bytes)",
			      what, argsz, minsz);
	tail = (const uint8_t *)user + size;
	for (i = size; i < argsz; i++)
		if (tail[i - size])
			return xc_err(ctx, -E2BIG,
				      "%s: argsz %u: byte %zu beyond the known %zu is not zero", what,
				      argsz, i, size);
	*n = argsz < size ? argsz : size;
	memset(local, 0, size);
	memcpy(local, user, *n);
	return 0;
}

int xc_msg_in(struct xiommu_ctx *ctx, const char *what, const void *user, size_t size,
	      void *local)
{
	size_t n;

	return msg_in(ctx, what, user, size, size, local, &n);
}

void xc_msg_out(const void *local, void *user, size_t size)
{
	memcpy(user, local, size);
}

int xc_call_v(struct xiommu_ctx *ctx, const char *what, void *user, size_t minsz, size_t size,
	      xc_msg_fn fn)
{
	uint64_t msg[XC_MSG_MAX / sizeof(uint64_t)];
	size_t n = 0;
	int ret;

	if (!ctx)
		return xc_err(NULL, -EINVAL, "%s: context is NULL", what);
	if (size > sizeof(msg))
		return xc_err(ctx, -EPROTO, "%s: message larger than %u bytes", what, XC_MSG_MAX);
	pthread_mutex_lock(&ctx->lock);
	ret = msg_in(ctx, what, user, minsz, size, msg, &n);
	if (!ret)
		ret = fn(ctx, msg);
	if (!ret) {
		xc_msg_out(msg, user, n);	/* never past the caller's argsz */
		xc_err_clear(ctx);
	}
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

int xc_call(struct xiommu_ctx *ctx, const char *what, void *user, size_t size, xc_msg_fn fn)
{
	return xc_call_v(ctx, what, user, size, size, fn);
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
