// SPDX-License-Identifier: MIT
/* The DMA test port, the MSI log and unit statistics. */
#include <errno.h>
#include <string.h>
#include "internal.h"

#define XC_DMA_MAX (64u << 20)

XIOMMU_EXPORT int xiommu_dma(struct xiommu_ctx *ctx, struct xiommu_dma *user)
{
	struct xiommu_dma in;
	struct xm_dma req = { 0 };
	struct xc_unit *u;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "dma", user, sizeof(in), &in);
	if (ret)
		goto out;
	if (in.flags & ~(XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_EXEC |
			 XIOMMU_DMA_F_WRITE)) {
		ret = xc_err(ctx, -EINVAL, "dma: flags 0x%x has unknown bits", in.flags);
		goto out;
	}
	u = xc_unit_get(ctx, "dma", in.unit);
	if (!u) {
		ret = -ENOENT;
		goto out;
	}
	if (u->caps.sid_bits < 32 && in.sid >> u->caps.sid_bits) {
		ret = xc_err(ctx, -ERANGE, "dma: sid 0x%x exceeds unit '%s' sid_bits %u", in.sid,
			     u->name, u->caps.sid_bits);
		goto out;
	}
	if (!(in.flags & XIOMMU_DMA_F_PASID) && in.pasid) {
		ret = xc_err(ctx, -EINVAL, "dma: pasid 0x%x without XIOMMU_DMA_F_PASID", in.pasid);
		goto out;
	}
	switch (in.op) {
	case XIOMMU_DMA_TRANSLATE:
		if (in.len || in.buf_ptr || in.data) {
			ret = xc_err(ctx, -EINVAL, "dma: TRANSLATE takes no len, buf_ptr or data");
			goto out;
		}
		break;
	case XIOMMU_DMA_READ:
	case XIOMMU_DMA_WRITE:
		if (!in.len || in.len > XC_DMA_MAX || !in.buf_ptr || in.data ||
		    xc_add_overflows(in.iova, in.len - 1) || (in.flags & XIOMMU_DMA_F_WRITE)) {
			ret = xc_err(ctx, -EINVAL,
				     "dma: %s len 0x%llx: 1..0x%x bytes, a buffer, no wrap of iova 0x%llx, no data or F_WRITE",
				     in.op == XIOMMU_DMA_READ ? "READ" : "WRITE",
				     (unsigned long long)in.len, XC_DMA_MAX,
				     (unsigned long long)in.iova);
			goto out;
		}
		break;
	case XIOMMU_DMA_MSI:
		if ((in.len && in.len != 4) || in.buf_ptr || (in.iova & 3) ||
		    (in.flags & XIOMMU_DMA_F_WRITE)) {
			ret = xc_err(ctx, -EINVAL, "dma: MSI is a 4-byte aligned write of data: len 0 or 4, no buf_ptr");
			goto out;
		}
		break;
	default:
		ret = xc_err(ctx, -EINVAL, "dma: op %u: accepted 1 (TRANSLATE), 2 (READ), 3 (WRITE), 4 (MSI)",
			     in.op);
		goto out;
	}
	req.op = in.op;
	req.flags = in.flags;
	req.sid = in.sid;
	req.pasid = in.pasid;
	req.iova = in.iova;
	req.len = in.op == XIOMMU_DMA_MSI ? 4 : in.len;
	req.buf = (void *)(uintptr_t)in.buf_ptr;
	req.data = in.data;
	ret = u->be->dma(u->bu, &req);
	xc_events_pump(ctx, u);
	if (ret) {
		xc_err(ctx, ret, "dma: backend '%s' refused the request", u->be->name);
		goto out;
	}
	in.out_status = req.status;
	in.out_addr = req.pa;
	in.out_perm = req.perm;
	in.out_done = req.done;
	xc_msg_out(&in, user, sizeof(in));
	xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

XIOMMU_EXPORT int xiommu_msi_log(struct xiommu_ctx *ctx, struct xiommu_msi_log *user)
{
	struct xiommu_msi_log in;
	struct xc_unit *u;
	uint64_t *out;
	uint32_t n = 0;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "msi_log", user, sizeof(in), &in);
	if (ret)
		goto out;
	if (in.flags) {
		ret = xc_err(ctx, -EINVAL, "msi_log: flags 0x%x: no flag is defined", in.flags);
		goto out;
	}
	u = xc_unit_get(ctx, "msi_log", in.unit);
	if (!u) {
		ret = -ENOENT;
		goto out;
	}
	if (in.count && !in.records_ptr) {
		ret = xc_err(ctx, -EFAULT, "msi_log: records_ptr is 0");
		goto out;
	}
	out = (uint64_t *)(uintptr_t)in.records_ptr;
	while (n < in.count && !u->be->msi_pop(u->bu, &out[n]))
		n++;
	in.count = n;
	xc_msg_out(&in, user, sizeof(in));
	xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

XIOMMU_EXPORT int xiommu_stats(struct xiommu_ctx *ctx, struct xiommu_stats *user)
{
	struct xiommu_stats in;
	struct xm_stats st = { 0 };
	struct xc_unit *u;
	uint32_t argsz, i;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "stats", user, sizeof(in), &in);
	if (ret)
		goto out;
	if (in.flags || in.__reserved) {
		ret = xc_err(ctx, -EINVAL, "stats: flags 0x%x / __reserved 0x%x must be 0", in.flags,
			     in.__reserved);
		goto out;
	}
	u = xc_unit_get(ctx, "stats", in.unit);
	if (!u) {
		ret = -ENOENT;
		goto out;
	}
	u->be->stats(u->bu, &st);
	argsz = in.argsz;
	memset(&in, 0, sizeof(in));
	in.argsz = argsz;
	in.unit = u->index;
	in.programs = st.programs;
	in.commands = st.commands;
	in.syncs = st.syncs;
	in.widened = u->widened;
	in.tlb_hits = st.tlb_hits;
	in.tlb_misses = st.tlb_misses;
	in.cfg_hits = st.cfg_hits;
	in.cfg_misses = st.cfg_misses;
	in.table_reads = st.table_reads;
	in.faults = st.events;
	for (i = 0; i < ctx->nobjs; i++) {
		struct xc_viommu *v = ctx->objs[i].ptr;

		if (ctx->objs[i].type == XC_OBJ_VIOMMU && v->unit == u)
			in.faults_lost += v->fq.lost_total;
	}
	xc_msg_out(&in, user, sizeof(in));
	xc_err_clear(ctx);
out:
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}
