// SPDX-License-Identifier: MIT
/*
 * Guest formats for tests and tools: the public xiommu_guest_*() calls hand
 * the request to the unit's plugin (ops of ABI 1.2), which writes what a
 * guest driver of its vendor would write, through the viommu's stage 2.
 * Only guest memory changes; no xiommu object does.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"

/* Find the viommu and check its unit's plugin has a guest codec (lock held). */
static int guest_viommu(struct xiommu_ctx *ctx, const char *what, uint32_t viommu_id,
			struct xc_viommu **out)
{
	const struct xiommu_plugin_ops *o;
	struct xc_viommu *v = xc_viommu_get(ctx, what, viommu_id);

	if (!v)
		return -ENOENT;
	o = v->unit->ops;
	if (o->abi_minor < 2 || !o->guest_s1_alloc || !o->guest_s1_map || !o->guest_s1_unmap ||
	    !o->guest_ctx_write || !o->guest_inv_encode)
		return xc_err(ctx, -EOPNOTSUPP,
			      "%s: vendor '%s' (unit %s) has no guest-format codec (plugin ABI 1.2 guest_* ops)",
			      what, v->unit->vendor, v->unit->name);
	*out = v;
	return 0;
}

static int guest_check(struct xiommu_ctx *ctx, const char *what, const struct xiommu_guest *g)
{
	if (g->argsz < sizeof(*g) || g->flags || g->__reserved)
		return xc_err(ctx, -EINVAL,
			      "%s: struct xiommu_guest: argsz %u (need %zu), flags %u and reserved must be 0",
			      what, g->argsz, sizeof(*g), g->flags);
	if ((g->pool_next & (XC_PAGE_SIZE - 1)) || g->pool_end < g->pool_next)
		return xc_err(ctx, -EINVAL,
			      "%s: pool 0x%llx..0x%llx: start 4 KiB aligned, end not below it", what,
			      (unsigned long long)g->pool_next, (unsigned long long)g->pool_end);
	return 0;
}

enum guest_op { G_ALLOC, G_MAP, G_UNMAP, G_CTX, G_INV };

struct guest_req {
	enum guest_op op;
	struct xiommu_guest *g;
	struct xiommu_guest_s1 *s1;
	const struct xiommu_guest_s1 *cs1;
	uint64_t iova, gpa;
	uint32_t pgshift, perm, pasid;
	struct xiommu_guest_ctx *c;
	struct xiommu_bind *bind;
	const struct xiommu_inv_entry *e;
	void *buf;
	uint32_t room;
	struct xiommu_invalidate *inv;
};

static const char *const guest_what[] = { "guest_s1_alloc", "guest_s1_map", "guest_s1_unmap",
					  "guest_ctx_write", "guest_inv_encode" };

static int guest_run(struct xiommu_ctx *ctx, uint32_t viommu_id, struct guest_req *r)
{
	const char *what = guest_what[r->op];
	const struct xiommu_plugin_env *env;
	const struct xiommu_plugin_ops *o;
	struct xc_viommu *v = NULL;
	uint32_t n = 0;
	int ret;

	if (!ctx)
		return xc_err(NULL, -EINVAL, "%s: context is NULL", what);
	pthread_mutex_lock(&ctx->lock);
	xc_err_clear(ctx);
	ret = guest_viommu(ctx, what, viommu_id, &v);
	if (!ret && r->g)
		ret = guest_check(ctx, what, r->g);
	if (ret)
		goto out;
	o = v->unit->ops;
	env = xc_env(ctx, v->unit);
	switch (r->op) {
	case G_ALLOC:
		ret = o->guest_s1_alloc(env, r->g, r->s1);
		break;
	case G_MAP:
		ret = o->guest_s1_map(env, r->g, r->cs1, r->iova, r->gpa, r->pgshift, r->perm);
		break;
	case G_UNMAP:
		ret = o->guest_s1_unmap(env, r->g, r->cs1, r->iova);
		break;
	case G_CTX:
		memset(r->bind, 0, sizeof(*r->bind));
		ret = o->guest_ctx_write(env, r->g, r->c, r->pasid, r->cs1, r->bind);
		r->bind->argsz = sizeof(*r->bind);
		r->bind->vdev_id = 0;
		break;
	case G_INV:
		ret = o->guest_inv_encode(env, &v->pv, r->e, r->buf, r->room, &n);
		if (ret >= 0) {
			memset(r->inv, 0, sizeof(*r->inv));
			r->inv->argsz = sizeof(*r->inv);
			r->inv->viommu_id = viommu_id;
			r->inv->type = o->inv_raw_type;
			r->inv->entry_len = o->cmd_len;
			r->inv->entry_num = n;
			r->inv->entries_ptr = XIOMMU_PTR(r->buf);
		}
		break;
	}
	if (ret < 0 && !*xc_err_msg())
		xc_err(ctx, ret, "%s: the %s plugin refused (errno %d)", what, v->unit->vendor, -ret);
out:
	if (ret >= 0)
		xc_err_clear(ctx);
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

int xiommu_guest_s1_alloc(struct xiommu_ctx *ctx, struct xiommu_guest *g,
			  struct xiommu_guest_s1 *s1)
{
	struct guest_req r = { .op = G_ALLOC, .g = g, .s1 = s1 };

	if (!g || !s1)
		return xc_err(ctx, -EINVAL, "guest_s1_alloc: NULL argument");
	return guest_run(ctx, g->viommu_id, &r);
}

int xiommu_guest_s1_map(struct xiommu_ctx *ctx, struct xiommu_guest *g,
			const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
			uint32_t pgshift, uint32_t perm)
{
	struct guest_req r = { .op = G_MAP, .g = g, .cs1 = s1, .iova = iova, .gpa = gpa,
			       .pgshift = pgshift, .perm = perm };

	if (!g || !s1)
		return xc_err(ctx, -EINVAL, "guest_s1_map: NULL argument");
	if (perm & ~(uint32_t)(XIOMMU_PERM_READ | XIOMMU_PERM_WRITE | XIOMMU_PERM_EXEC |
			       XIOMMU_PERM_PRIV))
		return xc_err(ctx, -EINVAL, "guest_s1_map: perm 0x%x: XIOMMU_PERM_* only", perm);
	return guest_run(ctx, g->viommu_id, &r);
}

int xiommu_guest_s1_unmap(struct xiommu_ctx *ctx, struct xiommu_guest *g,
			  const struct xiommu_guest_s1 *s1, uint64_t iova)
{
	struct guest_req r = { .op = G_UNMAP, .g = g, .cs1 = s1, .iova = iova };

	if (!g || !s1)
		return xc_err(ctx, -EINVAL, "guest_s1_unmap: NULL argument");
	return guest_run(ctx, g->viommu_id, &r);
}

int xiommu_guest_ctx_write(struct xiommu_ctx *ctx, struct xiommu_guest *g,
			   struct xiommu_guest_ctx *c, uint32_t pasid,
			   const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind)
{
	struct guest_req r = { .op = G_CTX, .g = g, .c = c, .pasid = pasid, .cs1 = s1,
			       .bind = bind };

	if (!g || !c || !s1 || !bind)
		return xc_err(ctx, -EINVAL, "guest_ctx_write: NULL argument");
	return guest_run(ctx, g->viommu_id, &r);
}

int xiommu_guest_inv_encode(struct xiommu_ctx *ctx, uint32_t viommu_id,
			    const struct xiommu_inv_entry *e, void *buf, uint32_t room,
			    struct xiommu_invalidate *inv)
{
	struct guest_req r = { .op = G_INV, .e = e, .buf = buf, .room = room, .inv = inv };

	if (!e || !buf || !inv)
		return xc_err(ctx, -EINVAL, "guest_inv_encode: NULL argument");
	return guest_run(ctx, viommu_id, &r);
}
