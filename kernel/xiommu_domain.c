// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains: one VMID / DID and stage 2 each, allocated by the host layer of
 * the unit; their extra tags, the physical streams attached to them, and
 * the programs run for them.
 *
 * Physical streams are owned machine-wide: while one file has a stream
 * attached (on any of its units), no other file can attach it, and a file
 * attaches only streams granted to it (module parameter sids= or
 * XIOMMU_GRANT_STREAMS). Within a unit the model allows one domain per
 * stream.
 */
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include "xiommu.h"

struct xmk_sid_owner {
	struct xmk_ctx *ctx;
	u32 refs;
};

static DEFINE_MUTEX(xmk_sid_lock);
static DEFINE_XARRAY(xmk_sid_owners);	/* sid -> struct xmk_sid_owner */

static int xmk_sid_take(struct xmk_ctx *ctx, u32 sid)
{
	struct xmk_sid_owner *o;
	int ret = 0;

	mutex_lock(&xmk_sid_lock);
	o = xa_load(&xmk_sid_owners, sid);
	if (o) {
		if (o->ctx == ctx)
			o->refs++;
		else
			ret = -EBUSY;
		goto out;
	}
	o = xmk_zalloc(sizeof(*o));
	if (!o) {
		ret = -ENOMEM;
		goto out;
	}
	o->ctx = ctx;
	o->refs = 1;
	ret = xmk_fail_now() ? -ENOMEM : xa_insert(&xmk_sid_owners, sid, o, GFP_KERNEL_ACCOUNT);
	if (ret)
		xmk_free(o);
out:
	mutex_unlock(&xmk_sid_lock);
	return ret;
}

static void xmk_sid_put(u32 sid)
{
	struct xmk_sid_owner *o;

	mutex_lock(&xmk_sid_lock);
	o = xa_load(&xmk_sid_owners, sid);
	if (!WARN_ON(!o) && !--o->refs) {
		xa_erase(&xmk_sid_owners, sid);
		xmk_free(o);
	}
	mutex_unlock(&xmk_sid_lock);
}

static struct xmk_unit *xmk_unit_of(struct xmk_ctx *ctx, u32 id)
{
	struct xmk_obj *o = xmk_obj_get(ctx, id, XMK_UNIT);

	return o ? container_of(o, struct xmk_unit, obj) : NULL;
}

static struct xmk_domain *xmk_domain_of(struct xmk_ctx *ctx, u32 id)
{
	struct xmk_obj *o = xmk_obj_get(ctx, id, XMK_DOMAIN);

	return o ? container_of(o, struct xmk_domain, obj) : NULL;
}

int xmk_domain_alloc(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_domain_alloc *in = msg;
	struct xmk_domain *d;
	struct xmk_unit *u;
	int ret;

	if (in->flags)
		return -EINVAL;
	u = xmk_unit_of(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	d = xmk_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	INIT_LIST_HEAD(&d->maps);
	INIT_LIST_HEAD(&d->streams);
	d->unit = u;
	ret = u->ops->domain_alloc(u->mu, &d->md, &d->desc);
	if (ret) {
		xmk_free(d);
		return ret;
	}
	ret = xmk_obj_add(ctx, &d->obj, XMK_DOMAIN);
	if (ret) {
		u->ops->domain_free(u->mu, d->md);
		xmk_free(d);
		return ret;
	}
	list_add_tail(&d->node, &u->domains);
	in->out_domain_id = d->obj.id;
	in->out_desc = d->desc;
	return 0;
}

static void xmk_stream_drop(struct xmk_domain *d, struct xmk_stream *s)
{
	d->unit->ops->stream_detach(d->unit->mu, d->md, s->sid);
	xmk_events_pump(d->unit);
	xmk_sid_put(s->sid);
	list_del(&s->node);
	xmk_free(s);
}

/* The domain with its streams, mappings and tags (the model frees those). */
void xmk_domain_destroy(struct xmk_ctx *ctx, struct xmk_domain *d)
{
	struct xmk_stream *s, *stmp;
	struct xmk_map *m, *mtmp;

	list_for_each_entry_safe(s, stmp, &d->streams, node)
		xmk_stream_drop(d, s);
	list_for_each_entry_safe(m, mtmp, &d->maps, node)
		xmk_map_drop(d, m);
	d->unit->ops->domain_free(d->unit->mu, d->md);
	list_del(&d->node);
	xmk_obj_del(ctx, &d->obj);
	xmk_free(d);
}

int xmk_tag_alloc(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_tag *in = msg;
	struct xmk_domain *d;

	if (in->flags)
		return -EINVAL;
	d = xmk_domain_of(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	if (!d->unit->ops->tag_alloc)
		return -EOPNOTSUPP;
	return d->unit->ops->tag_alloc(d->unit->mu, d->md, &in->tag);
}

int xmk_tag_free(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_tag *in = msg;
	struct xmk_domain *d;
	int ret;

	if (in->flags)
		return -EINVAL;
	d = xmk_domain_of(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	if (!d->unit->ops->tag_free)
		return -EOPNOTSUPP;
	ret = d->unit->ops->tag_free(d->unit->mu, d->md, in->tag);
	xmk_events_pump(d->unit);	/* the invalidation may have queued records */
	return ret;
}

int xmk_stream_attach(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_stream *in = msg;
	struct xmk_stream *s;
	struct xmk_domain *d;
	int ret;

	if (in->flags || in->__reserved ||
	    (in->grants & ~(XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI | XIOMMU_VDEV_STALL)))
		return -EINVAL;
	d = xmk_domain_of(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	if (!xmk_sid_granted(ctx, in->sid))
		return -EPERM;
	s = xmk_zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->sid = in->sid;
	s->ctx = ctx;
	ret = xmk_sid_take(ctx, in->sid);
	if (ret)
		goto out_free;	/* -EBUSY: another file holds it */
	ret = d->unit->ops->stream_attach(d->unit->mu, d->md, in->sid, in->grants);
	xmk_events_pump(d->unit);
	if (ret) {
		xmk_sid_put(in->sid);
		goto out_free;
	}
	list_add_tail(&s->node, &d->streams);
	return 0;

out_free:
	xmk_free(s);
	return ret;
}

int xmk_stream_detach(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_stream *in = msg;
	struct xmk_stream *s;
	struct xmk_domain *d;

	if (in->flags || in->grants || in->__reserved)
		return -EINVAL;
	d = xmk_domain_of(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	list_for_each_entry(s, &d->streams, node)
		if (s->sid == in->sid) {
			xmk_stream_drop(d, s);
			return 0;
		}
	return -ENOENT;
}

/*
 * The unit's host layer checks every op against the domain (streams it
 * holds, its own VMID / DID and stage 2) before any runs; a refused program
 * changes nothing.
 */
int xmk_exec(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_exec *in = msg;
	struct xiommu_op *ops;
	struct xmk_domain *d;
	u32 bad = 0;
	int ret;

	in->out_bad = 0;
	if (in->flags || in->__reserved || !in->nops || in->nops > XIOMMU_EXEC_MAX_OPS)
		return -EINVAL;
	d = xmk_domain_of(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	ops = xmk_zalloc(array_size(in->nops, sizeof(*ops)));
	if (!ops)
		return -ENOMEM;
	if (copy_from_user(ops, u64_to_user_ptr(in->ops_uptr), array_size(in->nops, sizeof(*ops)))) {
		xmk_free(ops);
		return -EFAULT;
	}
	ret = d->unit->ops->exec(d->unit->mu, d->md, ops, in->nops, &bad);
	xmk_events_pump(d->unit);
	xmk_free(ops);
	in->out_bad = bad;
	return ret;
}
