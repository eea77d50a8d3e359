// SPDX-License-Identifier: GPL-2.0-only
/*
 * A file's host address space: the tables its units' models allocate and
 * the VMM pages it pinned, each at an address of its own (the models' "host
 * PA"). Stage 2 may point only at pinned pages of the same file (or at the
 * unit's MSI doorbell, which is not RAM): never at model tables, never at
 * another file's memory, which is not in this space at all.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include "xiommu.h"

#define XMK_SPACE_BASE (1ull << 32)	/* 0 is never a valid address */
#define XMK_SPACE_LIMIT (1ull << 47)

void xmk_space_init(struct xmk_ctx *ctx)
{
	mt_init(&ctx->space);
	ctx->pa_next = XMK_SPACE_BASE;
}

void xmk_space_fini(struct xmk_ctx *ctx)
{
	/* every region went with its owner (unit tables, memory objects) */
	WARN_ON(!mtree_empty(&ctx->space));
	mtree_destroy(&ctx->space);
}

static u64 xmk_align_for(u64 size)
{
	if (size >= (1ull << 30))
		return 1ull << 30;
	if (size >= (2ull << 20))
		return 2ull << 20;
	if (!(size & (size - 1)))
		return size < PAGE_SIZE ? PAGE_SIZE : size;
	return PAGE_SIZE;
}

/* A fresh address range (tables are aligned to their size); 0 when full. */
u64 xmk_space_reserve(struct xmk_ctx *ctx, u64 size)
{
	u64 align = xmk_align_for(size);
	u64 pa = (ctx->pa_next + align - 1) & ~(align - 1);

	if (pa >= XMK_SPACE_LIMIT || size > XMK_SPACE_LIMIT - pa)
		return 0;
	ctx->pa_next = pa + size;
	return pa;
}

static int xmk_region_add(struct xmk_ctx *ctx, struct xmk_region *r)
{
	r->pa = xmk_space_reserve(ctx, r->size);
	if (!r->pa)
		return -ENOSPC;
	if (xmk_fail_now())
		return -ENOMEM;
	return mtree_insert_range(&ctx->space, r->pa, r->pa + r->size - 1, r, GFP_KERNEL_ACCOUNT);
}

void *xmk_host_map(void *priv, uint64_t pa, uint32_t len)
{
	struct xmk_ctx *ctx = priv;
	struct xmk_region *r = mtree_load(&ctx->space, pa);
	u64 off;

	if (!r || !len || len > r->pa + r->size - pa)
		return NULL;
	off = pa - r->pa;
	if (r->kva)
		return (u8 *)r->kva + off;
	/* the model never crosses a 4 KiB boundary (xm_hw.h) */
	if ((off & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		return NULL;
	return (u8 *)page_address(r->pages[off >> PAGE_SHIFT]) + (off & (PAGE_SIZE - 1));
}

int xmk_host_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	struct xmk_ctx *ctx = priv;
	struct xmk_region *r;
	int ret;

	if (size < PAGE_SIZE || (size & (size - 1)))
		return -EINVAL;
	r = xmk_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->size = size;
	r->kva = xmk_zalloc(size);
	if (!r->kva) {
		xmk_free(r);
		return -ENOMEM;
	}
	ret = xmk_region_add(ctx, r);
	if (ret) {
		xmk_free(r->kva);
		xmk_free(r);
		return ret;
	}
	*pa = r->pa;
	return 0;
}

void xmk_host_free(void *priv, uint64_t pa, uint64_t size)
{
	struct xmk_ctx *ctx = priv;
	struct xmk_region *r = mtree_erase(&ctx->space, pa);

	if (WARN_ON(!r || r->pa != pa || !r->kva))
		return;
	xmk_free(r->kva);
	xmk_free(r);
}

static void xmk_unpin(struct xmk_region *r, unsigned long n)
{
	unpin_user_pages(r->pages, n);
	xmk_pinned_add(-(long)n);
}

/* Pinned pages count against the owner's RLIMIT_MEMLOCK, as VFIO and iommufd do. */
static int xmk_charge(struct xmk_region *r)
{
	int ret = account_locked_vm(current->mm, r->npages, true);

	if (ret)
		return ret;
	mmgrab(current->mm);
	r->mm = current->mm;
	return 0;
}

static void xmk_uncharge(struct xmk_region *r)
{
	if (!r->mm)
		return;
	/* a dying VMM's files close after its mm went: nothing left to uncharge */
	if (mmget_not_zero(r->mm)) {
		account_locked_vm(r->mm, r->npages, false);
		mmput(r->mm);
	}
	mmdrop(r->mm);
	r->mm = NULL;
}

int xmk_mem_register(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_mem_register *in = msg;
	unsigned long done = 0;
	struct xmk_region *r;
	struct xmk_mem *m;
	int ret;

	if (in->flags || in->__reserved)
		return -EINVAL;
	if (!in->uptr || !PAGE_ALIGNED(in->uptr) || !in->length || !PAGE_ALIGNED(in->length) ||
	    in->length > XIOMMU_MEM_MAX || in->uptr + in->length < in->uptr)
		return -EINVAL;
	m = xmk_zalloc(sizeof(*m));
	r = xmk_zalloc(sizeof(*r));
	if (!m || !r) {
		ret = -ENOMEM;
		goto out_free;
	}
	r->size = in->length;
	r->npages = in->length >> PAGE_SHIFT;
	r->pages = xmk_zalloc(r->npages * sizeof(*r->pages));
	if (!r->pages) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (xmk_fail_now()) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = xmk_charge(r);
	if (ret)
		goto out_free;
	while (done < r->npages) {
		int n = pin_user_pages_fast(in->uptr + (done << PAGE_SHIFT),
					    min_t(unsigned long, r->npages - done, 512),
					    FOLL_WRITE | FOLL_LONGTERM, r->pages + done);

		if (n <= 0) {
			ret = n ? n : -EFAULT;
			goto out_unpin;
		}
		done += n;
		xmk_pinned_add(n);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_unpin;
		}
	}
	ret = xmk_region_add(ctx, r);
	if (ret)
		goto out_unpin;
	m->r = r;
	r->mem = m;
	ret = xmk_obj_add(ctx, &m->obj, XMK_MEM);
	if (ret)
		goto out_erase;
	in->out_hpa = r->pa;
	in->out_mem_id = m->obj.id;
	return 0;

out_erase:
	mtree_erase(&ctx->space, r->pa);
out_unpin:
	xmk_unpin(r, done);
	xmk_uncharge(r);
out_free:
	if (r)
		xmk_free(r->pages);
	xmk_free(r);
	xmk_free(m);
	return ret;
}

int xmk_mem_destroy(struct xmk_ctx *ctx, struct xmk_mem *m)
{
	struct xmk_region *r = m->r;

	if (m->map_count)
		return -EBUSY;
	mtree_erase(&ctx->space, r->pa);
	xmk_obj_del(ctx, &m->obj);
	xmk_unpin(r, r->npages);
	xmk_uncharge(r);
	xmk_free(r->pages);
	xmk_free(r);
	xmk_free(m);
	return 0;
}

static struct xmk_domain *xmk_domain_get(struct xmk_ctx *ctx, u32 id)
{
	struct xmk_obj *o = xmk_obj_get(ctx, id, XMK_DOMAIN);

	return o ? container_of(o, struct xmk_domain, obj) : NULL;
}

/* The memory object holding [hpa, hpa + len) whole; NULL if none. */
static struct xmk_mem *xmk_mem_holding(struct xmk_ctx *ctx, u64 hpa, u64 len)
{
	struct xmk_region *r = mtree_load(&ctx->space, hpa);

	if (!r || !r->mem || len > r->pa + r->size - hpa)
		return NULL;
	return r->mem;
}

int xmk_s2_map(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_s2_map *in = msg;
	struct xmk_domain *d;
	struct xmk_mem *mem = NULL;
	struct xmk_map *m;
	int ret;

	if (in->flags || !in->prot || (in->prot & ~(XIOMMU_MAP_READ | XIOMMU_MAP_WRITE)))
		return -EINVAL;
	if (!in->length || !PAGE_ALIGNED(in->gpa | in->hpa | in->length) ||
	    in->gpa + in->length < in->gpa || in->hpa + in->length < in->hpa)
		return -EINVAL;
	d = xmk_domain_get(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	if (!(d->desc.msi_db && in->hpa == d->desc.msi_db && in->length == PAGE_SIZE)) {
		mem = xmk_mem_holding(ctx, in->hpa, in->length);
		if (!mem)
			return -EPERM;
	}
	list_for_each_entry(m, &d->maps, node)
		if (m->gpa < in->gpa + in->length && in->gpa < m->gpa + m->size)
			return -EEXIST;
	m = xmk_zalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = d->unit->ops->s2_map(d->unit->mu, d->md, in->gpa, in->hpa, in->length, in->prot);
	if (ret) {
		xmk_free(m);
		return ret;
	}
	m->gpa = in->gpa;
	m->size = in->length;
	m->mem = mem;
	if (mem)
		mem->map_count++;
	list_add_tail(&m->node, &d->maps);
	return 0;
}

void xmk_map_drop(struct xmk_domain *d, struct xmk_map *m)
{
	d->unit->ops->s2_unmap(d->unit->mu, d->md, m->gpa, m->size);
	xmk_events_pump(d->unit);	/* the invalidation may have queued records */
	if (m->mem)
		m->mem->map_count--;
	list_del(&m->node);
	xmk_free(m);
}

int xmk_s2_unmap(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_s2_unmap *in = msg;
	struct xmk_map *m, *tmp;
	struct xmk_domain *d;
	u64 end = in->gpa + in->length;
	bool any = false;

	if (in->flags || in->__reserved || !in->length || end < in->gpa)
		return -EINVAL;
	d = xmk_domain_get(ctx, in->domain_id);
	if (!d)
		return -ENOENT;
	list_for_each_entry(m, &d->maps, node) {
		if (m->gpa >= end || m->gpa + m->size <= in->gpa)
			continue;
		if (m->gpa < in->gpa || m->gpa + m->size > end)
			return -EINVAL;	/* would cut a mapping: nothing changes */
		any = true;
	}
	if (!any)
		return -ENOENT;
	list_for_each_entry_safe(m, tmp, &d->maps, node)
		if (m->gpa >= in->gpa && m->gpa + m->size <= end)
			xmk_map_drop(d, m);
	return 0;
}
