// SPDX-License-Identifier: MIT
/*
 * Error messages: one buffer per thread, tagged with the context it belongs
 * to, so concurrent callers never see each other's messages.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

static _Thread_local struct {
	const struct xiommu_ctx *ctx;
	char msg[1024];
} xc_tls;

void xc_err_vset(const struct xiommu_ctx *ctx, const char *fmt, va_list ap)
{
	xc_tls.ctx = ctx;
	vsnprintf(xc_tls.msg, sizeof(xc_tls.msg), fmt, ap);
}

int xc_err(const struct xiommu_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xc_err_vset(ctx, fmt, ap);
	va_end(ap);
	return err;
}

int xc_err_prefix(const struct xiommu_ctx *ctx, int err, const char *fmt, ...)
{
	char tail[sizeof(xc_tls.msg)];
	size_t n;
	va_list ap;

	memcpy(tail, xc_tls.msg, sizeof(tail));
	tail[sizeof(tail) - 1] = '\0';
	va_start(ap, fmt);
	xc_err_vset(ctx, fmt, ap);
	va_end(ap);
	n = strlen(xc_tls.msg);
	snprintf(xc_tls.msg + n, sizeof(xc_tls.msg) - n, "%s", tail);
	return err;
}

void xc_err_clear(const struct xiommu_ctx *ctx)
{
	xc_tls.ctx = ctx;
	xc_tls.msg[0] = '\0';
}

const char *xc_err_msg(void)
{
	return xc_tls.msg;
}

XIOMMU_EXPORT const char *xiommu_last_error(const struct xiommu_ctx *ctx)
{
	return xc_tls.ctx == ctx ? xc_tls.msg : "";
}
