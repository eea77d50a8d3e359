// SPDX-License-Identifier: MIT
/*
 * Cache invalidation: a whole guest batch per call. The core checks every
 * generic entry (or hands raw guest commands to the plugin, which checks
 * each), the plugin turns the batch into one program ending with a single
 * completion, the backend runs it. A rejected entry stops everything and is
 * named by out_error_index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define XC_INV_MAX		65536u
#define XC_INV_ENTRY_MIN	40u	/* struct xiommu_inv_entry up to addr/size */

struct inv_arg {
	struct xc_viommu *v;
	const void *entries;
	uint32_t n, type;
};

static int inv_build(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
		     struct xiommu_prog *prog, uint32_t *bad)
{
	struct inv_arg *a = arg;
	const struct xiommu_plugin_env *env = xc_env(ctx, u);

	if (a->type == XIOMMU_INV_GENERIC)
		return u->ops->invalidate(env, &a->v->pv, a->entries, a->n, prog, bad);
	return u->ops->invalidate_raw(env, &a->v->pv, a->entries, a->n, prog, bad);
}

static int inv_entry_check(struct xiommu_ctx *ctx, struct xc_viommu *v,
			   const struct xiommu_inv_entry *e, uint32_t i)
{
	const struct xc_unit *u = v->unit;
	uint16_t f = e->flags;
	struct xc_vdev *d = NULL;

	if (f & ~(XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG | XIOMMU_INV_F_VDEV | XIOMMU_INV_F_LEAF))
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: flags 0x%x has unknown bits", i, f);
	if (e->__reserved)
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: __reserved must be 0", i);
	if (!(f & XIOMMU_INV_F_PASID) && e->pasid)
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: pasid 0x%x without F_PASID", i,
			      e->pasid);
	if (!(f & XIOMMU_INV_F_TAG) && e->tag)
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: tag 0x%x without F_TAG", i, e->tag);
	if (!(f & XIOMMU_INV_F_VDEV) && e->vdev_id)
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: vdev_id %u without F_VDEV", i,
			      e->vdev_id);
	if (e->scope != XIOMMU_INV_RANGE && (e->addr || e->size || (f & XIOMMU_INV_F_LEAF)))
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: addr/size/LEAF only with scope RANGE",
			      i);
	switch (e->cache) {
	case XIOMMU_CACHE_IOTLB:
		if (f & XIOMMU_INV_F_VDEV)
			return xc_err(ctx, -EINVAL, "invalidate: entry %u: IOTLB entries name no vdev", i);
		if ((e->scope == XIOMMU_INV_ALL && (f & (XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG))) ||
		    (e->scope == XIOMMU_INV_TAG && (f & (XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG)) !=
						       XIOMMU_INV_F_TAG) ||
		    (e->scope == XIOMMU_INV_PASID && (f & (XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG)) !=
							 XIOMMU_INV_F_PASID) ||
		    e->scope < XIOMMU_INV_ALL || e->scope > XIOMMU_INV_RANGE)
			return xc_err(ctx, -EINVAL,
				      "invalidate: entry %u: IOTLB scope %u with flags 0x%x: ALL takes no PASID/TAG, TAG needs F_TAG, PASID needs F_PASID",
				      i, e->scope, f);
		if (e->scope == XIOMMU_INV_TAG || (f & XIOMMU_INV_F_TAG)) {
			if (!u->caps.tag_bits)
				return xc_err(ctx, -EOPNOTSUPP,
					      "invalidate: entry %u: unit '%s' has no architecture tag", i,
					      u->name);
			if (u->caps.tag_bits < 32 && e->tag >> u->caps.tag_bits)
				return xc_err(ctx, -ERANGE, "invalidate: entry %u: tag 0x%x exceeds %u bits",
					      i, e->tag, u->caps.tag_bits);
		}
		break;
	case XIOMMU_CACHE_DEVTLB:
	case XIOMMU_CACHE_CONFIG:
		if (!(f & XIOMMU_INV_F_VDEV) || (f & XIOMMU_INV_F_TAG))
			return xc_err(ctx, -EINVAL,
				      "invalidate: entry %u: %s entries need F_VDEV and take no tag", i,
				      e->cache == XIOMMU_CACHE_DEVTLB ? "device-TLB" : "config");
		if (!((e->scope == XIOMMU_INV_ALL && !(f & XIOMMU_INV_F_PASID)) ||
		      (e->scope == XIOMMU_INV_PASID && (f & XIOMMU_INV_F_PASID)) ||
		      (e->scope == XIOMMU_INV_RANGE && e->cache == XIOMMU_CACHE_DEVTLB)))
			return xc_err(ctx, -EINVAL,
				      "invalidate: entry %u: %s scope %u with flags 0x%x: accepted ALL, PASID (with F_PASID)%s",
				      i, e->cache == XIOMMU_CACHE_DEVTLB ? "device-TLB" : "config", e->scope,
				      f, e->cache == XIOMMU_CACHE_DEVTLB ? ", RANGE" : "");
		d = xc_obj_get(ctx, XC_OBJ_VDEV, e->vdev_id);
		if (!d || d->viommu != v)
			return xc_err(ctx, -ENOENT, "invalidate: entry %u: vdev_id %u is not a vdev of viommu %u",
				      i, e->vdev_id, v->id);
		if (e->cache == XIOMMU_CACHE_DEVTLB && !(u->caps.features & XIOMMU_HW_ATS))
			return xc_err(ctx, -EOPNOTSUPP, "invalidate: entry %u: unit '%s' offers no ATS", i,
				      u->name);
		break;
	default:
		return xc_err(ctx, -EINVAL, "invalidate: entry %u: cache %u: accepted 1 (IOTLB), 2 (DEVTLB), 3 (CONFIG)",
			      i, e->cache);
	}
	if (f & XIOMMU_INV_F_PASID) {
		uint32_t bits = d ? d->pv.pasid_bits : u->caps.pasid_bits;

		if (bits < 32 && e->pasid >> bits)
			return xc_err(ctx, -ERANGE, "invalidate: entry %u: pasid 0x%x exceeds %u bits", i,
				      e->pasid, bits);
	}
	if (e->scope == XIOMMU_INV_RANGE) {
		if (!e->size || !xc_aligned(e->addr | e->size, XC_PAGE_SIZE) ||
		    xc_add_overflows(e->addr, e->size - 1))
			return xc_err(ctx, -EINVAL,
				      "invalidate: entry %u: addr 0x%llx size 0x%llx: 4 KiB aligned, non-zero, no wrap",
				      i, (unsigned long long)e->addr, (unsigned long long)e->size);
	}
	return 0;
}

XIOMMU_EXPORT int xiommu_invalidate(struct xiommu_ctx *ctx, struct xiommu_invalidate *user)
{
	struct xiommu_invalidate in;
	struct inv_arg a = { 0 };
	struct xc_viommu *v;
	struct xc_unit *u;
	uint8_t *copy = NULL;
	uint32_t i, bad = 0, len;
	int ret;

	if (!ctx)
		return -EINVAL;
	pthread_mutex_lock(&ctx->lock);
	ret = xc_msg_in(ctx, "invalidate", user, sizeof(in), &in);
	if (ret)
		goto out;
	in.out_error_index = in.entry_num;
	if (in.flags || in.__reserved) {
		ret = xc_err(ctx, -EINVAL, "invalidate: flags 0x%x / __reserved 0x%x must be 0",
			     in.flags, in.__reserved);
		goto out_idx;
	}
	v = xc_viommu_get(ctx, "invalidate", in.viommu_id);
	if (!v) {
		ret = -ENOENT;
		goto out_idx;
	}
	u = v->unit;
	if (in.entry_num > XC_INV_MAX) {
		ret = xc_err(ctx, -E2BIG, "invalidate: entry_num %u exceeds %u", in.entry_num,
			     XC_INV_MAX);
		goto out_idx;
	}
	if (in.type == XIOMMU_INV_GENERIC) {
		if (in.entry_len < XC_INV_ENTRY_MIN || in.entry_len > 4096) {
			ret = xc_err(ctx, -EINVAL, "invalidate: entry_len %u: generic entries take %u..4096",
				     in.entry_len, XC_INV_ENTRY_MIN);
			goto out_idx;
		}
		len = sizeof(struct xiommu_inv_entry);
	} else if (in.type == u->ops->inv_raw_type && u->ops->invalidate_raw) {
		if (in.entry_len != u->ops->cmd_len) {
			ret = xc_err(ctx, -EINVAL, "invalidate: entry_len %u: unit '%s' raw commands are %u bytes",
				     in.entry_len, u->name, u->ops->cmd_len);
			goto out_idx;
		}
		len = in.entry_len;
	} else {
		ret = xc_err(ctx, -EINVAL,
			     "invalidate: type %u: unit '%s' accepts %u (generic) and %u (raw %s commands)",
			     in.type, u->name, XIOMMU_INV_GENERIC, u->ops->inv_raw_type, u->vendor);
		goto out_idx;
	}
	if (!in.entry_num) {
		xc_err_clear(ctx);
		goto out_idx;
	}
	if (!in.entries_ptr) {
		ret = xc_err(ctx, -EFAULT, "invalidate: entries_ptr is 0");
		goto out_idx;
	}
	/* Copy once, zero-extended: the caller may change its array meanwhile. */
	copy = calloc(in.entry_num, len);
	if (!copy) {
		ret = xc_err(ctx, -ENOMEM, "invalidate: out of memory for %u entries", in.entry_num);
		goto out_idx;
	}
	for (i = 0; i < in.entry_num; i++) {
		const uint8_t *src = (const uint8_t *)(uintptr_t)in.entries_ptr + (size_t)i * in.entry_len;
		uint32_t k;

		memcpy(copy + (size_t)i * len, src, in.entry_len < len ? in.entry_len : len);
		for (k = len; k < in.entry_len; k++)
			if (src[k]) {
				ret = xc_err(ctx, -E2BIG, "invalidate: entry %u: byte %u beyond the known %u is not zero",
					     i, k, len);
				in.out_error_index = i;
				goto out_idx;
			}
		if (in.type == XIOMMU_INV_GENERIC) {
			ret = inv_entry_check(ctx, v, (struct xiommu_inv_entry *)(copy + (size_t)i * len), i);
			if (ret) {
				in.out_error_index = i;
				goto out_idx;
			}
		}
	}
	a.v = v;
	a.entries = copy;
	a.n = in.entry_num;
	a.type = in.type;
	bad = in.entry_num;
	ret = xc_prog_run(ctx, u, v->dom, 8 + 4 * in.entry_num, inv_build, &a, &bad, NULL);
	if (ret) {
		in.out_error_index = bad < in.entry_num ? bad : in.entry_num;
		goto out_idx;
	}
	xc_err_clear(ctx);
out_idx:
	user->out_error_index = in.out_error_index;
out:
	free(copy);
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}
