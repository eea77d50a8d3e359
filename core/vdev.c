// SPDX-License-Identifier: MIT
/* vdevs: attach / detach, and the stage-1 bindings of a device or a PASID. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The grants a unit can give: each needs the feature in the unit's effective caps. */
static int grants_check(struct xiommu_ctx *ctx, const struct xc_unit *u, uint32_t g)
{
	static const struct { uint32_t grant; uint64_t feat; const char *name; } need[] = {
		{ XIOMMU_VDEV_ATS, XIOMMU_HW_ATS, "ATS" },
		{ XIOMMU_VDEV_PRI, XIOMMU_HW_PRI, "PRI" },
		{ XIOMMU_VDEV_STALL, XIOMMU_HW_STALL, "STALL" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if ((g & need[i].grant) && !(u->caps.features & need[i].feat))
			return xc_err(ctx, -EOPNOTSUPP,
				      "vdev_attach: flags grant %s, which unit '%s' does not offer",
				      need[i].name, u->name);
	if ((g & XIOMMU_VDEV_PRI) && !(g & XIOMMU_VDEV_ATS))
		return xc_err(ctx, -EINVAL, "vdev_attach: flags grant PRI without ATS");
	return 0;
}

static int vdev_attach(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_vdev_attach *in = msg;
	struct xiommu_bind abort_bind = { .argsz = sizeof(abort_bind),
					  .config = XIOMMU_CONFIG_ABORT };
	struct xc_viommu *v;
	struct xc_vdev *d;
	struct xc_unit *u;
	uint32_t id, i;
	int ret;

	if (in->flags & ~XIOMMU_VDEV_ALL)
		return xc_err(ctx, -EINVAL, "vdev_attach: flags 0x%x: unknown bits 0x%x", in->flags,
			      in->flags & ~XIOMMU_VDEV_ALL);
	v = xc_viommu_get(ctx, "vdev_attach", in->viommu_id);
	if (!v)
		return -ENOENT;
	u = v->unit;
	ret = grants_check(ctx, u, in->flags);
	if (ret)
		return ret;
	if (u->caps.sid_bits < 32 && in->psid >> u->caps.sid_bits)
		return xc_err(ctx, -ERANGE, "vdev_attach: psid 0x%x exceeds unit '%s' sid_bits %u",
			      in->psid, u->name, u->caps.sid_bits);
	if (in->pasid_bits > u->caps.pasid_bits)
		return xc_err(ctx, -ERANGE, "vdev_attach: pasid_bits %u exceeds unit '%s' pasid_bits %u",
			      in->pasid_bits, u->name, u->caps.pasid_bits);
	if (xc_vdev_by_psid(ctx, u, in->psid))
		return xc_err(ctx, -EBUSY, "vdev_attach: psid 0x%x is already attached on unit '%s'",
			      in->psid, u->name);
	for (i = 0; i < ctx->nobjs; i++) {
		struct xc_vdev *o = ctx->objs[i].ptr;

		if (ctx->objs[i].type == XC_OBJ_VDEV && o->viommu == v && o->pv.vsid == in->vsid)
			return xc_err(ctx, -EEXIST, "vdev_attach: vsid 0x%llx is already used in viommu %u",
				      (unsigned long long)in->vsid, v->id);
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return xc_err(ctx, -ENOMEM, "vdev_attach: out of memory");
	d->viommu = v;
	d->pv.psid = in->psid;
	d->pv.vsid = in->vsid;
	d->pv.pasid_bits = in->pasid_bits;
	d->pv.grants = in->flags;
	d->pv.config = XIOMMU_CONFIG_ABORT;
	d->pv.viommu = &v->pv;
	xc_pasid_init(&d->pasids);
	/*
	 * The id is only reserved until the backend and the plugin accepted the
	 * device: a refused attach adds no object and uses up no id.
	 */
	ret = xc_obj_reserve(ctx, &id);
	if (!ret)	/* the ABORT entry's program: no allocation once the stream is attached */
		ret = xc_prog_reserve(ctx, u, 16);
	if (ret)
		goto fail;
	d->id = id;
	d->pv.id = id;
	ret = u->be->stream_attach(u->bu, v->dom, in->psid, in->flags);
	if (ret) {
		xc_err(ctx, ret, "vdev_attach: backend '%s' refused psid 0x%x", u->be->name, in->psid);
		goto fail;
	}
	v->nvdevs++;
	/* Let the plugin write the ABORT entry so the core knows its words. */
	abort_bind.vdev_id = id;
	ret = xc_bind(ctx, d, &abort_bind);
	if (ret) {
		v->nvdevs--;
		u->be->stream_detach(u->bu, v->dom, in->psid);
		goto fail;
	}
	xc_obj_add(ctx, XC_OBJ_VDEV, d, &id);	/* room reserved above: cannot fail */
	in->out_vdev_id = id;
	return 0;
fail:
	xc_pasid_fini(&d->pasids);
	free(d);
	return ret;
}

XIOMMU_EXPORT int xiommu_vdev_attach(struct xiommu_ctx *ctx, struct xiommu_vdev_attach *user)
{
	return xc_call(ctx, "vdev_attach", user, sizeof(*user), vdev_attach);
}

static int put_tag(void *arg, const struct xiommu_pasid_binding *b)
{
	if (b->tagged)
		xc_tag_put(arg, b->gtag);
	return 0;
}

void xc_vdev_destroy(struct xiommu_ctx *ctx, struct xc_vdev *d)
{
	struct xc_viommu *v = d->viommu;

	v->unit->be->stream_detach(v->unit->bu, v->dom, d->pv.psid);
	v->nvdevs--;
	/* the detach tore every entry down: the guest tags lose their users */
	xc_pasid_foreach(&d->pasids, put_tag, v);
	if (d->pv.tagged)
		xc_tag_put(v, d->pv.gtag);
	xc_pasid_fini(&d->pasids);
	xc_obj_del(ctx, d->id);
	free(d);
}

static int vdev_detach(struct xiommu_ctx *ctx, uint32_t vdev_id)
{
	struct xc_vdev *d = xc_vdev_get(ctx, "vdev_detach", vdev_id);
	struct xc_unit *u;

	if (!d)
		return -ENOENT;
	u = d->viommu->unit;
	xc_vdev_destroy(ctx, d);
	xc_events_pump(ctx, u);
	return 0;
}

XIOMMU_EXPORT int xiommu_vdev_detach(struct xiommu_ctx *ctx, uint32_t vdev_id)
{
	return xc_call_id(ctx, "vdev_detach", vdev_id, vdev_detach);
}
