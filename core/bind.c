// SPDX-License-Identifier: MIT
/*
 * Stage-1 binding. The core checks everything generic (flags, config,
 * ranges against the vdev and the unit's advertised limits, reserved
 * fields), the plugin checks the vendor fields and writes the program, the
 * backend re-checks host ownership and runs it. Only then does the core
 * record the new state: the device's config and entry words, or the PASID.
 * Vendors that tag translations with a guest-chosen value (bind_tag) get
 * the host tag mapped before the plugin runs (tag.c); a failed bind gives
 * a freshly mapped tag back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct bind_arg {
	struct xc_vdev *d;
	const struct xiommu_bind *b;
	uint32_t pasid;			/* unbind_pasid */
};

static int bind_build(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
		      struct xiommu_prog *prog, uint32_t *bad)
{
	struct bind_arg *a = arg;

	(void)bad;
	return u->ops->bind(xc_env(ctx, u), &a->d->pv, a->b, prog);
}

static int unbind_build(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
			struct xiommu_prog *prog, uint32_t *bad)
{
	struct bind_arg *a = arg;

	(void)bad;
	return u->ops->unbind_pasid(xc_env(ctx, u), &a->d->pv, a->pasid, prog);
}

static bool s1_zero(const struct xiommu_bind *b)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (b->s1.raw[i])
			return false;
	return true;
}

static int bind_check(struct xiommu_ctx *ctx, struct xc_vdev *d, const struct xiommu_bind *b)
{
	const struct xc_unit *u = d->viommu->unit;
	uint64_t gpa_lim = u->caps.s2_ias >= 64 ? UINT64_MAX : 1ull << u->caps.s2_ias;
	unsigned int i;

	if (b->flags & ~XIOMMU_BIND_PASID)
		return xc_err(ctx, -EINVAL, "bind: flags 0x%x: only XIOMMU_BIND_PASID is defined",
			      b->flags);
	for (i = 0; i < sizeof(b->__reserved); i++)
		if (b->__reserved[i])
			return xc_err(ctx, -EINVAL, "bind: __reserved[%u] = 0x%x must be 0", i,
				      b->__reserved[i]);
	if (b->config < XIOMMU_CONFIG_ABORT || b->config > XIOMMU_CONFIG_TRANSLATE)
		return xc_err(ctx, -EINVAL, "bind: config %u: accepted 1 (ABORT), 2 (BYPASS), 3 (TRANSLATE)",
			      b->config);
	if (b->config != XIOMMU_CONFIG_TRANSLATE) {
		if (b->flags || b->format || b->table_gpa || b->pasid || b->pasid_bits ||
		    b->addr_width || !s1_zero(b))
			return xc_err(ctx, -EINVAL,
				      "bind: config %s takes no flags, pasid, format, table_gpa, pasid_bits, addr_width or s1 fields",
				      b->config == XIOMMU_CONFIG_ABORT ? "ABORT" : "BYPASS");
		return 0;
	}
	if (b->format == XIOMMU_S1_NONE)
		return xc_err(ctx, -EINVAL, "bind: config TRANSLATE needs a format");
	if (b->table_gpa >= gpa_lim)
		return xc_err(ctx, -ERANGE, "bind: table_gpa 0x%llx beyond unit '%s' s2_ias %u bits",
			      (unsigned long long)b->table_gpa, u->name, u->caps.s2_ias);
	if (b->flags & XIOMMU_BIND_PASID) {
		if (!(u->caps.features & XIOMMU_HW_BIND_PASID))
			return xc_err(ctx, -EOPNOTSUPP,
				      "bind: unit '%s' (%s) binds whole PASID tables, not single PASIDs",
				      u->name, u->vendor);
		if (d->pv.pasid_bits < 32 && b->pasid >> d->pv.pasid_bits)
			return xc_err(ctx, -ERANGE, "bind: pasid 0x%x exceeds vdev %u pasid_bits %u",
				      b->pasid, d->id, d->pv.pasid_bits);
		if (b->pasid_bits)
			return xc_err(ctx, -EINVAL, "bind: pasid_bits %u: only for whole-table binds",
				      b->pasid_bits);
		if (!b->addr_width || b->addr_width > u->caps.s1_ias)
			return xc_err(ctx, -ERANGE, "bind: addr_width %u: accepted 1..%u (unit '%s' s1_ias)",
				      b->addr_width, u->caps.s1_ias, u->name);
		return 0;
	}
	if (b->pasid)
		return xc_err(ctx, -EINVAL, "bind: pasid 0x%x without XIOMMU_BIND_PASID", b->pasid);
	if (b->pasid_bits > d->pv.pasid_bits)
		return xc_err(ctx, -ERANGE, "bind: pasid_bits %u exceeds vdev %u pasid_bits %u",
			      b->pasid_bits, d->id, d->pv.pasid_bits);
	if (b->addr_width > u->caps.s1_ias)
		return xc_err(ctx, -ERANGE, "bind: addr_width %u exceeds unit '%s' s1_ias %u",
			      b->addr_width, u->name, u->caps.s1_ias);
	return 0;
}

/* The guest tag a bind's translations will carry (plugin ABI 1.1). */
struct bind_tag {
	bool tagged;
	uint32_t gtag;
};

static int tag_begin(struct xiommu_ctx *ctx, struct xc_vdev *d, const struct xiommu_bind *b,
		     struct bind_tag *t)
{
	struct xc_unit *u = d->viommu->unit;
	uint32_t htag;
	int ret;

	t->tagged = false;
	if (u->ops->abi_minor < 1 || !u->ops->bind_tag)
		return 0;
	ret = u->ops->bind_tag(xc_env(ctx, u), &d->pv, b, &t->gtag);
	if (ret <= 0)
		return ret;
	t->tagged = true;
	return xc_tag_acquire(ctx, d->viommu, t->gtag, &htag);
}

/* After the program: the new tag gains a reference, the old one loses one. */
static void tag_end(struct xc_viommu *v, int ret, const struct bind_tag *nt,
		    const struct bind_tag *old)
{
	if (ret) {
		if (nt->tagged)
			xc_tag_drop_unused(v, nt->gtag);
		return;
	}
	if (nt->tagged)
		xc_tag_ref(v, nt->gtag);
	if (old->tagged)
		xc_tag_put(v, old->gtag);
}

/* The device entry as the program left it (ENTRY_WRITE ops on the device itself). */
static void apply_entry(struct xc_vdev *d, const struct xiommu_prog *p)
{
	uint32_t i, w;

	for (i = 0; i < p->n; i++) {
		const struct xiommu_op *op = &p->ops[i];

		if (op->code != XIOMMU_OP_ENTRY_WRITE || op->target != d->pv.psid ||
		    op->index != XIOMMU_OP_INDEX_NONE)
			continue;
		for (w = 0; w < XIOMMU_OP_WORDS; w++)
			if (op->mask & (1u << w))
				d->pv.entry[w] = op->w[w];
	}
}

int xc_bind(struct xiommu_ctx *ctx, struct xc_vdev *d, const struct xiommu_bind *in)
{
	struct xc_unit *u = d->viommu->unit;
	struct bind_arg a = { .d = d, .b = in };
	struct bind_tag nt, old;
	struct xiommu_prog prog;
	uint32_t bad = 0;
	int ret;

	ret = bind_check(ctx, d, in);
	if (ret)
		return ret;
	if (in->flags & XIOMMU_BIND_PASID) {
		struct xiommu_pasid_binding pb = {
			.pasid = in->pasid, .format = in->format, .table_gpa = in->table_gpa,
			.s1_flags = in->s1.raw[0], .addr_width = in->addr_width,
		};
		const struct xiommu_pasid_binding *cur = xc_pasid_find(&d->pasids, in->pasid);

		old.tagged = cur && cur->tagged;
		old.gtag = cur ? cur->gtag : 0;
		/* room first, so recording the binding cannot fail after the program ran */
		ret = xc_pasid_reserve(&d->pasids, 1);
		if (ret)
			return xc_err(ctx, ret, "bind: no memory for pasid 0x%x", in->pasid);
		ret = tag_begin(ctx, d, in, &nt);
		if (ret)
			return ret;
		ret = xc_prog_run(ctx, u, d->viommu->dom, 16, bind_build, &a, &bad, NULL);
		tag_end(d->viommu, ret, &nt, &old);
		if (ret)
			return ret;
		pb.tagged = nt.tagged;
		pb.gtag = nt.tagged ? nt.gtag : 0;
		xc_pasid_set(&d->pasids, &pb);
		return 0;
	}
	old.tagged = d->pv.tagged;
	old.gtag = d->pv.gtag;
	ret = tag_begin(ctx, d, in, &nt);
	if (ret)
		return ret;
	ret = xc_prog_run(ctx, u, d->viommu->dom, 16, bind_build, &a, &bad, &prog);
	tag_end(d->viommu, ret, &nt, &old);
	if (ret)
		return ret;
	apply_entry(d, &prog);
	xc_prog_free(&prog);
	d->bind = *in;
	d->pv.config = in->config;
	d->pv.bind = in->config == XIOMMU_CONFIG_TRANSLATE ? &d->bind : NULL;
	d->pv.tagged = nt.tagged;
	d->pv.gtag = nt.tagged ? nt.gtag : 0;
	return 0;
}

static int bind(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_bind *in = msg;
	struct xc_vdev *d = xc_vdev_get(ctx, "bind", in->vdev_id);

	return d ? xc_bind(ctx, d, in) : -ENOENT;
}

XIOMMU_EXPORT int xiommu_bind(struct xiommu_ctx *ctx, struct xiommu_bind *user)
{
	return xc_call(ctx, "bind", user, sizeof(*user), bind);
}

static int unbind(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_unbind *in = msg;
	const struct xiommu_pasid_binding *cur;
	struct bind_arg a;
	struct xc_vdev *d;
	uint32_t bad = 0;
	int ret;

	if ((in->flags & ~XIOMMU_BIND_PASID) || in->__reserved)
		return xc_err(ctx, -EINVAL, "unbind: flags 0x%x / __reserved 0x%x: only XIOMMU_BIND_PASID is defined",
			      in->flags, in->__reserved);
	d = xc_vdev_get(ctx, "unbind", in->vdev_id);
	if (!d)
		return -ENOENT;
	if (!(in->flags & XIOMMU_BIND_PASID)) {
		struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = in->vdev_id,
					 .config = in->config };

		if (in->pasid || (in->config != XIOMMU_CONFIG_ABORT && in->config != XIOMMU_CONFIG_BYPASS))
			return xc_err(ctx, -EINVAL,
				      "unbind: config %u pasid 0x%x: a whole-device unbind falls back to 1 (ABORT) or 2 (BYPASS), pasid 0",
				      in->config, in->pasid);
		return xc_bind(ctx, d, &b);
	}
	if (in->config)
		return xc_err(ctx, -EINVAL, "unbind: config %u: must be 0 with XIOMMU_BIND_PASID",
			      in->config);
	if (!xc_pasid_find(&d->pasids, in->pasid))
		return xc_err(ctx, -ENOENT, "unbind: pasid 0x%x of vdev %u is not bound", in->pasid,
			      d->id);
	if (!d->viommu->unit->ops->unbind_pasid)
		return xc_err(ctx, -EOPNOTSUPP, "unbind: plugin '%s' cannot unbind single PASIDs",
			      d->viommu->unit->vendor);
	a.d = d;
	a.b = NULL;
	a.pasid = in->pasid;
	ret = xc_prog_run(ctx, d->viommu->unit, d->viommu->dom, 16, unbind_build, &a, &bad, NULL);
	if (ret)
		return ret;
	cur = xc_pasid_find(&d->pasids, in->pasid);
	if (cur->tagged)
		xc_tag_put(d->viommu, cur->gtag);
	xc_pasid_del(&d->pasids, in->pasid);
	return 0;
}

XIOMMU_EXPORT int xiommu_unbind(struct xiommu_ctx *ctx, struct xiommu_unbind *user)
{
	return xc_call(ctx, "unbind", user, sizeof(*user), unbind);
}
