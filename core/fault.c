// SPDX-License-Identifier: MIT
/* Fault queues seen from the VMM: poll, read, answer, re-encode for the guest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

XIOMMU_EXPORT int xiommu_fault_fd(struct xiommu_ctx *ctx, uint32_t viommu_id, int *fd)
{
	struct xc_viommu *v;
	int ret = 0;

	if (!ctx || !fd)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	v = xc_viommu_get(ctx, "fault_fd", viommu_id);
	if (!v) {
		ret = -ENOENT;
	} else {
		*fd = v->fq.efd;
		xc_err_clear(ctx);
	}
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

XIOMMU_EXPORT int xiommu_fault_read(struct xiommu_ctx *ctx, struct xiommu_fault_read *user)
{
	struct xiommu_fault_read in;
	struct xc_viommu *v;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "fault_read", user, sizeof(in), &in);
	if (ret)
		goto out;
	if (in.flags || in.__reserved) {
		ret = xc_err(ctx, -EINVAL, "fault_read: flags 0x%x / __reserved 0x%x must be 0",
			     in.flags, in.__reserved);
		goto out;
	}
	v = xc_viommu_get(ctx, "fault_read", in.viommu_id);
	if (!v) {
		ret = -ENOENT;
		goto out;
	}
	if (in.record_len < sizeof(struct xiommu_fault) || in.record_len > 4096) {
		ret = xc_err(ctx, -EINVAL, "fault_read: record_len %u: accepted %zu..4096",
			     in.record_len, sizeof(struct xiommu_fault));
		goto out;
	}
	if (in.count && !in.records_ptr) {
		ret = xc_err(ctx, -EFAULT, "fault_read: records_ptr is 0");
		goto out;
	}
	in.count = xc_faultq_pop(&v->fq, (void *)(uintptr_t)in.records_ptr, in.record_len,
				 in.count);
	xc_msg_out(&in, user, sizeof(in));
	xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

struct resp_arg {
	struct xc_vdev *d;
	const struct xiommu_page_response *r;
};

static int resp_build(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
		      struct xiommu_prog *prog, uint32_t *bad)
{
	struct resp_arg *a = arg;

	(void)bad;
	return u->ops->page_response(xc_env(ctx, u), &a->d->pv, a->r, prog);
}

XIOMMU_EXPORT int xiommu_page_response(struct xiommu_ctx *ctx, struct xiommu_page_response *user)
{
	struct xiommu_page_response in;
	struct resp_arg a;
	struct xc_vdev *d;
	struct xc_unit *u;
	uint32_t bad = 0;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "page_response", user, sizeof(in), &in);
	if (ret)
		goto out;
	if ((in.flags & ~XIOMMU_FAULT_F_PASID) || in.__reserved) {
		ret = xc_err(ctx, -EINVAL, "page_response: flags 0x%x / __reserved 0x%x: only XIOMMU_FAULT_F_PASID is defined",
			     in.flags, in.__reserved);
		goto out;
	}
	d = xc_vdev_get(ctx, "page_response", in.vdev_id);
	if (!d) {
		ret = -ENOENT;
		goto out;
	}
	u = d->viommu->unit;
	if (d->viommu->id != in.viommu_id) {
		ret = xc_err(ctx, -ENOENT, "page_response: vdev %u is not a vdev of viommu %u", d->id,
			     in.viommu_id);
		goto out;
	}
	if (in.code > XIOMMU_PAGE_FAILURE) {
		ret = xc_err(ctx, -EINVAL, "page_response: code %u: accepted 0 (SUCCESS), 1 (INVALID), 2 (FAILURE)",
			     in.code);
		goto out;
	}
	if (!(in.flags & XIOMMU_FAULT_F_PASID) && in.pasid) {
		ret = xc_err(ctx, -EINVAL, "page_response: pasid 0x%x without XIOMMU_FAULT_F_PASID",
			     in.pasid);
		goto out;
	}
	if ((in.flags & XIOMMU_FAULT_F_PASID) && d->pv.pasid_bits < 32 &&
	    in.pasid >> d->pv.pasid_bits) {
		ret = xc_err(ctx, -ERANGE, "page_response: pasid 0x%x exceeds vdev %u pasid_bits %u",
			     in.pasid, d->id, d->pv.pasid_bits);
		goto out;
	}
	if (!(u->caps.features & (XIOMMU_HW_STALL | XIOMMU_HW_PRI)) || !u->ops->page_response) {
		ret = xc_err(ctx, -EOPNOTSUPP, "page_response: unit '%s' offers neither stall nor PRI",
			     u->name);
		goto out;
	}
	a.d = d;
	a.r = &in;
	ret = xc_prog_run(ctx, u, d->viommu->dom, 4, resp_build, &a, &bad, NULL);
	if (!ret)
		xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

XIOMMU_EXPORT int xiommu_fault_encode(struct xiommu_ctx *ctx, struct xiommu_fault_encode *user)
{
	struct xiommu_fault_encode in;
	struct xiommu_fault f;
	struct xc_viommu *v;
	struct xc_vdev *d;
	struct xc_unit *u;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "fault_encode", user, sizeof(in), &in);
	if (ret)
		goto out;
	if (in.flags) {
		ret = xc_err(ctx, -EINVAL, "fault_encode: flags 0x%x: no flag is defined", in.flags);
		goto out;
	}
	v = xc_viommu_get(ctx, "fault_encode", in.viommu_id);
	if (!v) {
		ret = -ENOENT;
		goto out;
	}
	u = v->unit;
	if (!in.fault_ptr || !in.buf_ptr) {
		ret = xc_err(ctx, -EFAULT, "fault_encode: fault_ptr and buf_ptr must be set");
		goto out;
	}
	memcpy(&f, (const void *)(uintptr_t)in.fault_ptr, sizeof(f));
	d = xc_obj_get(ctx, XC_OBJ_VDEV, f.vdev_id);
	if (!d || d->viommu != v) {
		ret = xc_err(ctx, -ENOENT, "fault_encode: fault vdev_id %u is not a vdev of viommu %u",
			     f.vdev_id, v->id);
		goto out;
	}
	if (!u->ops->fault_encode || in.buf_len < u->ops->fault_len) {
		ret = xc_err(ctx, u->ops->fault_encode ? -ENOSPC : -EOPNOTSUPP,
			     "fault_encode: buf_len %u: unit '%s' records are %u bytes", in.buf_len,
			     u->name, u->ops->fault_len);
		goto out;
	}
	xc_err_clear(ctx);
	ret = u->ops->fault_encode(xc_env(ctx, u), &d->pv, &f, (void *)(uintptr_t)in.buf_ptr,
				   in.buf_len);
	if (ret)
		goto out;
	in.buf_len = u->ops->fault_len;
	xc_msg_out(&in, user, sizeof(in));
	xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}
