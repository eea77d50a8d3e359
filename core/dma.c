// SPDX-License-Identifier: MIT
/* The DMA test port, the MSI log and unit statistics. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "internal.h"

#define XC_DMA_MAX (64u << 20)

static int dma_check(struct xiommu_ctx *ctx, const struct xiommu_dma *in, struct xc_unit *u)
{
	if (in->flags & ~(XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_EXEC |
			  XIOMMU_DMA_F_WRITE))
		return xc_err(ctx, -EINVAL, "dma: flags 0x%x has unknown bits", in->flags);
	if (u->caps.sid_bits < 32 && in->sid >> u->caps.sid_bits)
		return xc_err(ctx, -ERANGE, "dma: sid 0x%x exceeds unit '%s' sid_bits %u", in->sid,
			      u->name, u->caps.sid_bits);
	if (!(in->flags & XIOMMU_DMA_F_PASID) && in->pasid)
		return xc_err(ctx, -EINVAL, "dma: pasid 0x%x without XIOMMU_DMA_F_PASID", in->pasid);
	switch (in->op) {
	case XIOMMU_DMA_TRANSLATE:
		if (in->len || in->buf_ptr || in->data)
			return xc_err(ctx, -EINVAL, "dma: TRANSLATE takes no len, buf_ptr or data");
		return 0;
	case XIOMMU_DMA_READ:
	case XIOMMU_DMA_WRITE:
		if (!in->len || in->len > XC_DMA_MAX || !in->buf_ptr || in->data ||
		    xc_add_overflows(in->iova, in->len - 1) || (in->flags & XIOMMU_DMA_F_WRITE))
			return xc_err(ctx, -EINVAL,
				      "dma: %s len 0x%llx: 1..0x%x bytes, a buffer, no wrap of iova 0x%llx, no data or F_WRITE",
				      in->op == XIOMMU_DMA_READ ? "READ" : "WRITE",
				      (unsigned long long)in->len, XC_DMA_MAX,
				      (unsigned long long)in->iova);
		return 0;
	case XIOMMU_DMA_MSI:
		if ((in->len && in->len != 4) || in->buf_ptr || (in->iova & 3) ||
		    (in->flags & XIOMMU_DMA_F_WRITE))
			return xc_err(ctx, -EINVAL,
				      "dma: MSI is a 4-byte aligned write of data: len 0 or 4, no buf_ptr");
		return 0;
	}
	return xc_err(ctx, -EINVAL, "dma: op %u: accepted 1 (TRANSLATE), 2 (READ), 3 (WRITE), 4 (MSI)",
		      in->op);
}

static int dma(struct xiommu_ctx *ctx, struct xiommu_dma *in)
{
	struct xm_dma req = {
		.op = in->op, .flags = in->flags, .sid = in->sid, .pasid = in->pasid,
		.iova = in->iova, .len = in->op == XIOMMU_DMA_MSI ? 4 : in->len,
		.buf = (void *)(uintptr_t)in->buf_ptr, .data = in->data,
	};
	struct xc_unit *u;
	int ret;

	if (in->unit >= ctx->nunits) {
		xc_unit_get(ctx, "dma", in->unit);	/* the message */
		return -ENOENT;
	}
	u = &ctx->units[in->unit];
	ret = dma_check(ctx, in, u);
	if (ret)
		return ret;
	ret = u->be->dma(u->bu, &req);
	/*
	 * A model queues records only for an access that does not complete
	 * (fault, stall, page request; xm_model.h), and every other call that
	 * makes records drains them, so an access that went through leaves
	 * nothing to pump.
	 */
	if (ret || req.status != XIOMMU_DMA_OK)
		xc_events_pump(ctx, u);
	if (ret)
		return xc_err(ctx, ret, "dma: backend '%s' refused the request", u->be->name);
	in->out_status = req.status;
	in->out_addr = req.pa;
	in->out_perm = req.perm;
	in->out_done = req.done;
	return 0;
}

/*
 * xc_call() for the test port, the hot call: the same lock, argsz rules and
 * error handling, but only the out_* fields go back to the caller (the only
 * ones dma() writes), and no indirect call.
 */
_Static_assert(offsetof(struct xiommu_dma, out_done) + sizeof(uint32_t) == sizeof(struct xiommu_dma),
	       "the out_* fields end struct xiommu_dma");

XIOMMU_EXPORT int xiommu_dma(struct xiommu_ctx *ctx, struct xiommu_dma *user)
{
	struct xiommu_dma m;
	int ret;

	if (!ctx)
		return xc_err(NULL, -EINVAL, "dma: context is NULL");
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "dma", user, sizeof(m), &m);
	if (!ret)
		ret = dma(ctx, &m);
	if (!ret) {
		memcpy(&user->out_status, &m.out_status,
		       sizeof(m) - offsetof(struct xiommu_dma, out_status));
		xc_err_clear(ctx);
	}
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

static int msi_log(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_msi_log *in = msg;
	struct xc_unit *u;
	uint64_t *out;
	uint32_t n = 0;

	if (in->flags)
		return xc_err(ctx, -EINVAL, "msi_log: flags 0x%x: no flag is defined", in->flags);
	u = xc_unit_get(ctx, "msi_log", in->unit);
	if (!u)
		return -ENOENT;
	if (in->count && !in->records_ptr)
		return xc_err(ctx, -EFAULT, "msi_log: records_ptr is 0");
	out = (uint64_t *)(uintptr_t)in->records_ptr;
	while (n < in->count && !u->be->msi_pop(u->bu, &out[n]))
		n++;
	in->count = n;
	return 0;
}

XIOMMU_EXPORT int xiommu_msi_log(struct xiommu_ctx *ctx, struct xiommu_msi_log *user)
{
	return xc_call(ctx, "msi_log", user, sizeof(*user), msi_log);
}

static int stats(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_stats *in = msg;
	struct xm_stats st = { 0 };
	struct xc_unit *u;
	uint32_t argsz, i;

	if (in->flags || in->__reserved)
		return xc_err(ctx, -EINVAL, "stats: flags 0x%x / __reserved 0x%x must be 0", in->flags,
			      in->__reserved);
	u = xc_unit_get(ctx, "stats", in->unit);
	if (!u)
		return -ENOENT;
	u->be->stats(u->bu, &st);
	argsz = in->argsz;
	memset(in, 0, sizeof(*in));
	in->argsz = argsz;
	in->unit = u->index;
	in->programs = st.programs;
	in->commands = st.commands;
	in->syncs = st.syncs;
	in->widened = u->widened;
	in->tlb_hits = st.tlb_hits;
	in->tlb_misses = st.tlb_misses;
	in->cfg_hits = st.cfg_hits;
	in->cfg_misses = st.cfg_misses;
	in->table_reads = st.table_reads;
	in->faults = st.events;
	in->queue_errors = st.queue_errors;
	in->host_commands = st.host_commands;
	in->host_syncs = st.host_syncs;
	for (i = 0; i < ctx->nobjs; i++) {
		struct xc_viommu *v = ctx->objs[i].ptr;

		if (ctx->objs[i].type == XC_OBJ_VIOMMU && v->unit == u)
			in->faults_lost += v->fq.lost_total;
	}
	return 0;
}

XIOMMU_EXPORT int xiommu_stats(struct xiommu_ctx *ctx, struct xiommu_stats *user)
{
	/* host_commands and host_syncs were added after v1 */
	return xc_call_v(ctx, "stats", user, offsetof(struct xiommu_stats, host_commands),
			 sizeof(*user), stats);
}
