// SPDX-License-Identifier: MIT
/*
 * The core's side of the plugin contract: the env and its accessors, the
 * build-then-run cycle of a program, and the event pump that turns backend
 * records into generic faults on the right viommu's queue.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"


static void env_error(void *core, const char *fmt, ...)
{
	struct xc_call *c = core;
	va_list ap;

	va_start(ap, fmt);
	xc_err_vset(c->ctx, fmt, ap);
	va_end(ap);
}

static int env_gpa_copy(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len,
			int write)
{
	struct xc_call *c = core;
	struct xc_viommu *v = xc_obj_get(c->ctx, XC_OBJ_VIOMMU, viommu_id);
	uint8_t *b = buf;

	if (!v || v->unit != c->u || xc_add_overflows(gpa, len))
		return -EFAULT;
	while (len) {
		uint32_t n = (uint32_t)(XC_PAGE_SIZE - (gpa & (XC_PAGE_SIZE - 1)));
		uint8_t *p;

		if (n > len)
			n = len;
		p = xc_gpa_ptr(v, gpa, n, write ? XIOMMU_MAP_WRITE : XIOMMU_MAP_READ);
		if (!p)
			return -EFAULT;
		if (write)
			memcpy(p, b, n);
		else
			memcpy(b, p, n);
		gpa += n;
		b += n;
		len -= n;
	}
	return 0;
}

static int env_gpa_check(void *core, uint32_t viommu_id, uint64_t gpa, uint32_t len,
			 uint32_t prot)
{
	struct xc_call *c = core;
	struct xc_viommu *v = xc_obj_get(c->ctx, XC_OBJ_VIOMMU, viommu_id);
	uint32_t n;

	if (!v || v->unit != c->u || !prot || xc_add_overflows(gpa, len))
		return -EFAULT;
	while (len) {
		n = (uint32_t)(XC_PAGE_SIZE - (gpa & (XC_PAGE_SIZE - 1)));
		if (n > len)
			n = len;
		if ((prot & XIOMMU_MAP_READ) && !xc_gpa_ptr(v, gpa, n, XIOMMU_MAP_READ))
			return -EFAULT;
		if ((prot & XIOMMU_MAP_WRITE) && !xc_gpa_ptr(v, gpa, n, XIOMMU_MAP_WRITE))
			return -EFAULT;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int env_read_gpa(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len)
{
	return env_gpa_copy(core, viommu_id, gpa, buf, len, 0);
}

static int env_write_gpa(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf,
			 uint32_t len)
{
	return env_gpa_copy(core, viommu_id, gpa, (void *)buf, len, 1);
}

static const struct xiommu_plugin_vdev *env_vdev_by_vsid(void *core, uint32_t viommu_id,
							 uint64_t vsid)
{
	struct xc_call *c = core;
	uint32_t i;

	for (i = 0; i < c->ctx->nobjs; i++) {
		struct xc_vdev *d = c->ctx->objs[i].ptr;

		if (c->ctx->objs[i].type == XC_OBJ_VDEV && d->viommu->id == viommu_id &&
		    d->pv.vsid == vsid)
			return &d->pv;
	}
	return NULL;
}

static const struct xiommu_plugin_vdev *env_vdev_by_psid(void *core, uint32_t psid)
{
	struct xc_call *c = core;
	struct xc_vdev *d = xc_vdev_by_psid(c->ctx, c->u, psid);

	return d ? &d->pv : NULL;
}

static const struct xiommu_plugin_vdev *env_vdev_by_id(void *core, uint32_t viommu_id,
						       uint32_t vdev_id)
{
	struct xc_call *c = core;
	struct xc_vdev *d = xc_obj_get(c->ctx, XC_OBJ_VDEV, vdev_id);

	return d && d->viommu->id == viommu_id ? &d->pv : NULL;
}

static const struct xiommu_pasid_binding *env_pasid_lookup(void *core, uint32_t vdev_id,
							   uint32_t pasid)
{
	struct xc_call *c = core;
	struct xc_vdev *d = xc_obj_get(c->ctx, XC_OBJ_VDEV, vdev_id);

	return d && d->viommu->unit == c->u ? xc_pasid_find(&d->pasids, pasid) : NULL;
}

static int env_pasid_foreach(void *core, uint32_t vdev_id, xiommu_pasid_fn fn, void *arg)
{
	struct xc_call *c = core;
	struct xc_vdev *d = xc_obj_get(c->ctx, XC_OBJ_VDEV, vdev_id);

	if (!d || d->viommu->unit != c->u)
		return -ENOENT;
	return xc_pasid_foreach(&d->pasids, fn, arg);
}

const struct xiommu_plugin_env *xc_env(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	struct xiommu_plugin_env *e = &u->env;

	u->call.ctx = ctx;
	u->call.u = u;
	e->core = &u->call;
	e->params = u->params;
	e->regs = u->regs;
	e->regs_len = u->regs_len;
	e->unit = u->index;
	e->error = env_error;
	e->read_gpa = env_read_gpa;
	e->write_gpa = env_write_gpa;
	e->vdev_by_vsid = env_vdev_by_vsid;
	e->vdev_by_psid = env_vdev_by_psid;
	e->pasid_lookup = env_pasid_lookup;
	e->pasid_foreach = env_pasid_foreach;
	e->vdev_by_id = env_vdev_by_id;
	e->tag_lookup = xc_env_tag_lookup;
	e->tag_foreach = xc_env_tag_foreach;
	e->gpa_check = env_gpa_check;
	return e;
}

void xc_prog_free(struct xiommu_prog *p)
{
	free(p->ops);
	memset(p, 0, sizeof(*p));
}

int xc_prog_reserve(struct xiommu_ctx *ctx, struct xc_unit *u, uint32_t n)
{
	if (u->spare_ops && u->spare_cap >= n)
		return 0;
	free(u->spare_ops);
	u->spare_cap = 0;
	u->spare_ops = calloc(n, sizeof(*u->spare_ops));
	if (!u->spare_ops)
		return xc_err(ctx, -ENOMEM, "out of memory for a %u-op program", n);
	u->spare_cap = n;
	return 0;
}

int xc_prog_run(struct xiommu_ctx *ctx, struct xc_unit *u, void *dom, uint32_t hint,
		xc_build_fn build, void *arg, uint32_t *bad, struct xiommu_prog *out_copy)
{
	struct xiommu_prog p = { 0 };
	uint32_t cap = hint < 16 ? 16 : hint;
	uint32_t bad_op = 0;
	int ret;

	for (;;) {
		if (u->spare_ops && cap <= u->spare_cap) {
			p.ops = u->spare_ops;	/* the program owns it from here */
			cap = u->spare_cap;
			memset(p.ops, 0, (size_t)cap * sizeof(*p.ops));
			u->spare_ops = NULL;
			u->spare_cap = 0;
		} else {
			p.ops = calloc(cap, sizeof(*p.ops));
		}
		if (!p.ops)
			return xc_err(ctx, -ENOMEM, "out of memory for a %u-op program", cap);
		p.cap = cap;
		p.n = 0;
		p.widened = 0;
		xc_err_clear(ctx);
		ret = build(ctx, u, arg, &p, bad);
		if (ret != -ENOSPC || cap >= XIOMMU_PROG_MAX_OPS)
			break;
		free(p.ops);
		cap *= 4;
	}
	if (ret) {
		if (!xc_err_msg()[0])
			xc_err(ctx, ret, "unit '%s': plugin '%s' failed (%s) without a message",
			       u->name, u->vendor, strerror(-ret));
		xc_prog_free(&p);
		return ret;
	}
	if (p.n) {
		ret = u->be->exec(u->bu, dom, p.ops, p.n, &bad_op);
		if (ret) {
			u->programs_failed++;
			xc_err(ctx, ret,
			       "unit '%s': backend '%s' refused op %u of %u (code %u target %u): %s",
			       u->name, u->be->name, bad_op, p.n, p.ops[bad_op < p.n ? bad_op : 0].code,
			       p.ops[bad_op < p.n ? bad_op : 0].target, strerror(-ret));
			xc_prog_free(&p);
			return ret;
		}
	}
	u->widened += p.widened;
	if (out_copy)
		*out_copy = p;
	else
		xc_prog_free(&p);
	xc_events_pump(ctx, u);
	return 0;
}

void xc_events_pump(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	const struct xiommu_plugin_env *env = NULL;
	struct xm_event ev;
	unsigned int budget = 1u << 16;

	/* Bounded: a unit that keeps producing cannot hold the caller forever. */
	while (budget-- && !u->be->event_pop(u->bu, &ev)) {
		struct xiommu_fault f = { 0 };
		struct xc_vdev *d;
		uint32_t psid = 0;

		if (!env)
			env = xc_env(ctx, u);	/* only when there is something to decode */
		if (ev.nwords > 4 || u->ops->event_decode(env, ev.kind, ev.w, ev.nwords, &psid, &f)) {
			u->faults_unowned++;
			continue;
		}
		d = xc_vdev_by_psid(ctx, u, psid);
		if (!d) {
			u->faults_unowned++;
			continue;
		}
		f.vdev_id = d->id;
		xc_faultq_push(&d->viommu->fq, &f);
	}
}
