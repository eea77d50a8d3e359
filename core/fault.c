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

static int fault_read(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_fault_read *in = msg;
	struct xc_viommu *v;

	if (in->flags || in->__reserved)
		return xc_err(ctx, -EINVAL, "fault_read: flags 0x%x / __reserved 0x%x must be 0",
			      in->flags, in->__reserved);
	v = xc_viommu_get(ctx, "fault_read", in->viommu_id);
	if (!v)
		return -ENOENT;
	if (in->record_len < sizeof(struct xiommu_fault) || in->record_len > 4096)
		return xc_err(ctx, -EINVAL, "fault_read: record_len %u: accepted %zu..4096",
			      in->record_len, sizeof(struct xiommu_fault));
	if (in->count && !in->records_ptr)
		return xc_err(ctx, -EFAULT, "fault_read: records_ptr is 0");
	in->count = xc_faultq_pop(&v->fq, (void *)(uintptr_t)in->records_ptr, in->record_len,
				  in->count);
	return 0;
}

XIOMMU_EXPORT int xiommu_fault_read(struct xiommu_ctx *ctx, struct xiommu_fault_read *user)
{
	return xc_call(ctx, "fault_read", user, sizeof(*user), fault_read);
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

static int page_response(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_page_response *in = msg;
	struct resp_arg a;
	struct xc_vdev *d;
	struct xc_unit *u;
	uint32_t bad = 0;

	if ((in->flags & ~(XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL)) || in->__reserved)
		return xc_err(ctx, -EINVAL, "page_response: flags 0x%x / __reserved 0x%x: only XIOMMU_FAULT_F_PASID and XIOMMU_FAULT_F_STALL are defined",
			      in->flags, in->__reserved);
	d = xc_vdev_get(ctx, "page_response", in->vdev_id);
	if (!d)
		return -ENOENT;
	u = d->viommu->unit;
	if (d->viommu->id != in->viommu_id)
		return xc_err(ctx, -ENOENT, "page_response: vdev %u is not a vdev of viommu %u", d->id,
			      in->viommu_id);
	if (in->code > XIOMMU_PAGE_FAILURE)
		return xc_err(ctx, -EINVAL, "page_response: code %u: accepted 0 (SUCCESS), 1 (INVALID), 2 (FAILURE)",
			      in->code);
	if (!(in->flags & XIOMMU_FAULT_F_PASID) && in->pasid)
		return xc_err(ctx, -EINVAL, "page_response: pasid 0x%x without XIOMMU_FAULT_F_PASID",
			      in->pasid);
	if ((in->flags & XIOMMU_FAULT_F_PASID) && d->pv.pasid_bits < 32 &&
	    in->pasid >> d->pv.pasid_bits)
		return xc_err(ctx, -ERANGE, "page_response: pasid 0x%x exceeds vdev %u pasid_bits %u",
			      in->pasid, d->id, d->pv.pasid_bits);
	if (!u->ops->page_response ||
	    !(u->caps.features & ((in->flags & XIOMMU_FAULT_F_STALL) ? XIOMMU_HW_STALL : XIOMMU_HW_PRI)))
		return xc_err(ctx, -EOPNOTSUPP, "page_response: unit '%s' offers no %s", u->name,
			      (in->flags & XIOMMU_FAULT_F_STALL) ? "stall (flag XIOMMU_FAULT_F_STALL)" :
			      "PRI (a stall response needs XIOMMU_FAULT_F_STALL)");
	a.d = d;
	a.r = in;
	return xc_prog_run(ctx, u, d->viommu->dom, 4, resp_build, &a, &bad, NULL);
}

XIOMMU_EXPORT int xiommu_page_response(struct xiommu_ctx *ctx, struct xiommu_page_response *user)
{
	return xc_call(ctx, "page_response", user, sizeof(*user), page_response);
}

static int fault_encode(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_fault_encode *in = msg;
	struct xiommu_fault f;
	struct xc_viommu *v;
	struct xc_vdev *d;
	struct xc_unit *u;
	int ret;

	if (in->flags)
		return xc_err(ctx, -EINVAL, "fault_encode: flags 0x%x: no flag is defined", in->flags);
	v = xc_viommu_get(ctx, "fault_encode", in->viommu_id);
	if (!v)
		return -ENOENT;
	u = v->unit;
	if (!in->fault_ptr || !in->buf_ptr)
		return xc_err(ctx, -EFAULT, "fault_encode: fault_ptr and buf_ptr must be set");
	memcpy(&f, (const void *)(uintptr_t)in->fault_ptr, sizeof(f));
	d = xc_obj_get(ctx, XC_OBJ_VDEV, f.vdev_id);
	if (!d || d->viommu != v)
		return xc_err(ctx, -ENOENT, "fault_encode: fault vdev_id %u is not a vdev of viommu %u",
			      f.vdev_id, v->id);
	if (!u->ops->fault_encode)
		return xc_err(ctx, -EOPNOTSUPP, "fault_encode: plugin '%s' has no guest records",
			      u->vendor);
	if (in->buf_len < u->ops->fault_len)
		return xc_err(ctx, -ENOSPC, "fault_encode: buf_len %u: unit '%s' records are %u bytes",
			      in->buf_len, u->name, u->ops->fault_len);
	ret = u->ops->fault_encode(xc_env(ctx, u), &d->pv, &f, (void *)(uintptr_t)in->buf_ptr,
				   in->buf_len);
	if (ret)
		return ret;
	in->buf_len = u->ops->fault_len;
	return 0;
}

XIOMMU_EXPORT int xiommu_fault_encode(struct xiommu_ctx *ctx, struct xiommu_fault_encode *user)
{
	return xc_call(ctx, "fault_encode", user, sizeof(*user), fault_encode);
}
