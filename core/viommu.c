// SPDX-License-Identifier: MIT
/* viommus: one VM's domain on a unit, and its MSI doorbell bindings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define XC_FAULT_DEPTH_DEFAULT	256
#define XC_FAULT_DEPTH_MAX	65536

static int viommu_alloc(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_viommu_alloc *in = msg;
	struct xc_viommu *v;
	struct xc_unit *u;
	uint32_t depth, id;
	int ret;

	if (in->flags)
		return xc_err(ctx, -EINVAL, "viommu_alloc: flags 0x%x: no flag is defined", in->flags);
	u = xc_unit_get(ctx, "viommu_alloc", in->unit);
	if (!u)
		return -ENOENT;
	depth = in->fault_depth ? in->fault_depth : XC_FAULT_DEPTH_DEFAULT;
	if (depth < 2 || depth > XC_FAULT_DEPTH_MAX)
		return xc_err(ctx, -EINVAL, "viommu_alloc: fault_depth %u: accepted 0 (default %u) or 2..%u",
			      in->fault_depth, XC_FAULT_DEPTH_DEFAULT, XC_FAULT_DEPTH_MAX);
	v = calloc(1, sizeof(*v));
	if (!v)
		return xc_err(ctx, -ENOMEM, "viommu_alloc: out of memory");
	ret = xc_faultq_init(&v->fq, depth);
	if (ret) {
		xc_err(ctx, ret, "viommu_alloc: fault queue of %u records", depth);
		goto fail;
	}
	v->unit = u;
	ret = u->be->domain_alloc(u->bu, &v->dom, &v->pv.dom);
	if (ret) {
		xc_err(ctx, ret, "viommu_alloc: unit '%s' backend '%s' has no domain left (%s)",
		       u->name, u->be->name, strerror(-ret));
		goto fail_q;
	}
	ret = xc_obj_add(ctx, XC_OBJ_VIOMMU, v, &id);
	if (ret)
		goto fail_dom;
	v->id = id;
	v->pv.id = id;
	v->pv.unit = u->index;
	in->out_viommu_id = id;
	in->out_tag = v->pv.dom.tag;
	return 0;
fail_dom:
	u->be->domain_free(u->bu, v->dom);
fail_q:
	xc_faultq_fini(&v->fq);
fail:
	free(v);
	return ret;
}

XIOMMU_EXPORT int xiommu_viommu_alloc(struct xiommu_ctx *ctx, struct xiommu_viommu_alloc *user)
{
	return xc_call(ctx, "viommu_alloc", user, sizeof(*user), viommu_alloc);
}

void xc_viommu_destroy(struct xiommu_ctx *ctx, struct xc_viommu *v)
{
	struct xc_unit *u = v->unit;

	/* MSI doorbells and mappings go with the domain's stage 2 */
	free(v->msis);
	xc_viommu_release_maps(v);
	xc_tags_fini(v);
	u->be->domain_free(u->bu, v->dom);
	xc_faultq_fini(&v->fq);
	xc_obj_del(ctx, v->id);
	free(v);
}

static int viommu_free(struct xiommu_ctx *ctx, uint32_t viommu_id)
{
	struct xc_viommu *v = xc_viommu_get(ctx, "viommu_free", viommu_id);

	if (!v)
		return -ENOENT;
	if (v->nvdevs || v->nmaps || v->nmsis)
		return xc_err(ctx, -EBUSY,
			      "viommu_free: viommu_id %u still has %u vdevs, %u mappings, %u MSI bindings",
			      viommu_id, v->nvdevs, v->nmaps, v->nmsis);
	xc_viommu_destroy(ctx, v);
	return 0;
}

XIOMMU_EXPORT int xiommu_viommu_free(struct xiommu_ctx *ctx, uint32_t viommu_id)
{
	return xc_call_id(ctx, "viommu_free", viommu_id, viommu_free);
}

struct msi_arg {
	struct xc_viommu *v;
	const struct xiommu_msi_bind *m;
};

static int msi_build(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
		     struct xiommu_prog *prog, uint32_t *bad)
{
	struct msi_arg *a = arg;

	(void)bad;
	return u->ops->msi_bind(xc_env(ctx, u), &a->v->pv, a->m, prog);
}

static int msi_find(const struct xc_viommu *v, uint64_t gdb)
{
	uint32_t i;

	for (i = 0; i < v->nmsis; i++)
		if (v->msis[i].gdb == gdb)
			return (int)i;
	return -1;
}

static int msi_bind(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_msi_bind *in = msg;
	uint64_t page, lim;
	struct msi_arg a;
	struct xc_viommu *v;
	struct xc_unit *u;
	uint32_t bad = 0;
	int ret, idx;

	if ((in->flags & ~XIOMMU_MSI_UNBIND) || in->__reserved)
		return xc_err(ctx, -EINVAL, "msi_bind: flags 0x%x / __reserved 0x%x: only XIOMMU_MSI_UNBIND is defined",
			      in->flags, in->__reserved);
	v = xc_viommu_get(ctx, "msi_bind", in->viommu_id);
	if (!v)
		return -ENOENT;
	u = v->unit;
	if (!(u->caps.features & XIOMMU_HW_MSI_NESTING) || !u->ops->msi_bind)
		return xc_err(ctx, -EOPNOTSUPP,
			      "msi_bind: unit '%s' (%s) does not translate MSIs: interrupt remapping covers them, no binding is needed",
			      u->name, u->vendor);
	idx = msi_find(v, in->gdb);
	page = xc_s2_page(u);
	lim = u->caps.s2_ias >= 64 ? UINT64_MAX : 1ull << u->caps.s2_ias;
	if (in->flags & XIOMMU_MSI_UNBIND) {
		if (idx < 0)
			return xc_err(ctx, -ENOENT, "msi_bind: unbind: gdb 0x%llx is not bound",
				      (unsigned long long)in->gdb);
	} else {
		if (idx >= 0)
			return xc_err(ctx, -EEXIST, "msi_bind: gdb 0x%llx is already bound",
				      (unsigned long long)in->gdb);
		if (!in->size || in->size > page || !xc_aligned(in->gdb, page) || in->gdb >= lim ||
		    in->gdb + page > lim)
			return xc_err(ctx, -EINVAL,
				      "msi_bind: gdb 0x%llx size 0x%llx: gdb aligned to 0x%llx, size 1..0x%llx, inside s2_ias %u bits",
				      (unsigned long long)in->gdb, (unsigned long long)in->size,
				      (unsigned long long)page, (unsigned long long)page, u->caps.s2_ias);
		if (xc_s2_overlaps(v, in->gdb, page))
			return xc_err(ctx, -EEXIST, "msi_bind: gdb 0x%llx lies in a stage-2 mapping",
				      (unsigned long long)in->gdb);
		if (v->nmsis == v->msis_cap) {
			uint32_t cap = v->msis_cap ? v->msis_cap * 2 : 4;
			struct xc_msi *m = realloc(v->msis, cap * sizeof(*m));

			if (!m)
				return xc_err(ctx, -ENOMEM, "msi_bind: out of memory");
			v->msis = m;
			v->msis_cap = cap;
		}
	}
	a.v = v;
	a.m = in;
	ret = xc_prog_run(ctx, u, v->dom, 4, msi_build, &a, &bad, NULL);
	if (ret)
		return ret;
	if (in->flags & XIOMMU_MSI_UNBIND) {
		v->msis[idx] = v->msis[--v->nmsis];
	} else {
		v->msis[v->nmsis].giova = in->giova;
		v->msis[v->nmsis].gdb = in->gdb;
		v->msis[v->nmsis].size = page;
		v->nmsis++;
	}
	return 0;
}

XIOMMU_EXPORT int xiommu_msi_bind(struct xiommu_ctx *ctx, struct xiommu_msi_bind *user)
{
	return xc_call(ctx, "msi_bind", user, sizeof(*user), msi_bind);
}
