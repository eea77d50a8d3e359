// SPDX-License-Identifier: MIT
/*
 * Memory regions and stage 2. The core keeps each viommu's mappings sorted
 * by GPA (for overlap checks, for the plugins' guest-memory accessors and
 * for the DMA port's own checks) and mirrors every change into the
 * backend's real stage-2 tables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define XC_REGION_MAX (1ull << 40)

/* Index of the first mapping ending after @gpa. */
static uint32_t map_search(const struct xc_viommu *v, uint64_t gpa)
{
	uint32_t lo = 0, hi = v->nmaps;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (v->maps[mid].gpa + v->maps[mid].size <= gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *xc_gpa_ptr(struct xc_viommu *v, uint64_t gpa, uint64_t len, uint32_t prot)
{
	uint32_t i = map_search(v, gpa);
	const struct xc_mapping *m;

	if (i == v->nmaps)
		return NULL;
	m = &v->maps[i];
	if (gpa < m->gpa || len > m->gpa + m->size - gpa || (m->prot & prot) != prot)
		return NULL;
	return m->region->addr + m->offset + (gpa - m->gpa);
}

bool xc_s2_overlaps(const struct xc_viommu *v, uint64_t gpa, uint64_t size)
{
	uint32_t i = map_search(v, gpa);

	return i < v->nmaps && v->maps[i].gpa < gpa + size;
}

static int mem_register(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_mem_register *in = msg;
	struct xc_region *r;
	uint32_t b, id;
	int ret;

	if (in->flags || in->__reserved)
		return xc_err(ctx, -EINVAL, "mem_register: flags 0x%x / __reserved 0x%x must be 0",
			      in->flags, in->__reserved);
	if (!in->addr || !xc_aligned(in->addr, XC_PAGE_SIZE) || !in->size ||
	    !xc_aligned(in->size, XC_PAGE_SIZE) || in->size > XC_REGION_MAX ||
	    xc_add_overflows(in->addr, in->size))
		return xc_err(ctx, -EINVAL,
			      "mem_register: addr 0x%llx size 0x%llx: both must be non-zero, 4 KiB aligned, size <= 0x%llx, no wrap",
			      (unsigned long long)in->addr, (unsigned long long)in->size,
			      (unsigned long long)XC_REGION_MAX);
	r = calloc(1, sizeof(*r));
	if (!r)
		return xc_err(ctx, -ENOMEM, "mem_register: out of memory");
	r->addr = (uint8_t *)(uintptr_t)in->addr;
	r->size = in->size;
	for (b = 0; b < ctx->nbackends; b++) {
		ret = ctx->backends[b].ops->mem_register(ctx->backends[b].bctx, r->addr, r->size,
							 &r->hpa[b]);
		if (ret) {
			xc_err(ctx, ret, "mem_register: backend '%s' refused 0x%llx bytes",
			       ctx->backends[b].ops->name, (unsigned long long)in->size);
			goto undo;
		}
	}
	ret = xc_obj_add(ctx, XC_OBJ_REGION, r, &id);
	if (ret)
		goto undo;
	r->id = id;
	in->out_region_id = id;
	return 0;
undo:
	while (b-- > 0)
		ctx->backends[b].ops->mem_unregister(ctx->backends[b].bctx, r->hpa[b], r->size);
	free(r);
	return ret;
}

XIOMMU_EXPORT int xiommu_mem_register(struct xiommu_ctx *ctx, struct xiommu_mem_register *user)
{
	return xc_call(ctx, "mem_register", user, sizeof(*user), mem_register);
}

static int mem_unregister(struct xiommu_ctx *ctx, uint32_t region_id)
{
	struct xc_region *r = xc_obj_get(ctx, XC_OBJ_REGION, region_id);
	uint32_t b;

	if (!r)
		return xc_err(ctx, -ENOENT, "mem_unregister: region_id %u does not exist", region_id);
	if (r->map_count)
		return xc_err(ctx, -EBUSY, "mem_unregister: region_id %u is mapped %u times",
			      region_id, r->map_count);
	for (b = 0; b < ctx->nbackends; b++)
		ctx->backends[b].ops->mem_unregister(ctx->backends[b].bctx, r->hpa[b], r->size);
	xc_obj_del(ctx, region_id);
	free(r);
	return 0;
}

XIOMMU_EXPORT int xiommu_mem_unregister(struct xiommu_ctx *ctx, uint32_t region_id)
{
	return xc_call_id(ctx, "mem_unregister", region_id, mem_unregister);
}

static int map_check(struct xiommu_ctx *ctx, const struct xiommu_map *in, struct xc_viommu *v,
		     struct xc_region *r)
{
	struct xc_unit *u = v->unit;
	uint64_t page = xc_s2_page(u);
	uint64_t limit = u->caps.s2_ias >= 64 ? UINT64_MAX : (1ull << u->caps.s2_ias);

	if (!in->flags || (in->flags & ~(XIOMMU_MAP_READ | XIOMMU_MAP_WRITE)))
		return xc_err(ctx, -EINVAL, "map: flags 0x%x: READ and/or WRITE, nothing else",
			      in->flags);
	if (!in->size || !xc_aligned(in->gpa | in->offset | in->size, page))
		return xc_err(ctx, -EINVAL,
			      "map: gpa 0x%llx offset 0x%llx size 0x%llx must be non-zero multiples of unit '%s' stage-2 page 0x%llx",
			      (unsigned long long)in->gpa, (unsigned long long)in->offset,
			      (unsigned long long)in->size, u->name, (unsigned long long)page);
	if (xc_add_overflows(in->gpa, in->size) || in->gpa + in->size > limit)
		return xc_err(ctx, -ERANGE,
			      "map: gpa 0x%llx + size 0x%llx overflows or exceeds unit '%s' s2_ias %u bits",
			      (unsigned long long)in->gpa, (unsigned long long)in->size, u->name,
			      u->caps.s2_ias);
	if (in->offset > r->size || in->size > r->size - in->offset)
		return xc_err(ctx, -ERANGE,
			      "map: offset 0x%llx + size 0x%llx exceeds region %u of 0x%llx bytes",
			      (unsigned long long)in->offset, (unsigned long long)in->size, r->id,
			      (unsigned long long)r->size);
	if (xc_s2_overlaps(v, in->gpa, in->size))
		return xc_err(ctx, -EEXIST, "map: gpa 0x%llx size 0x%llx overlaps a mapping",
			      (unsigned long long)in->gpa, (unsigned long long)in->size);
	for (uint32_t i = 0; i < v->nmsis; i++)
		if (v->msis[i].gdb < in->gpa + in->size && in->gpa < v->msis[i].gdb + v->msis[i].size)
			return xc_err(ctx, -EEXIST,
				      "map: gpa 0x%llx size 0x%llx overlaps MSI doorbell gdb 0x%llx",
				      (unsigned long long)in->gpa, (unsigned long long)in->size,
				      (unsigned long long)v->msis[i].gdb);
	return 0;
}

static int map(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_map *in = msg;
	struct xc_viommu *v = xc_viommu_get(ctx, "map", in->viommu_id);
	struct xc_region *r;
	uint32_t i;
	int ret;

	if (!v)
		return -ENOENT;
	r = xc_obj_get(ctx, XC_OBJ_REGION, in->region_id);
	if (!r)
		return xc_err(ctx, -ENOENT, "map: region_id %u does not exist", in->region_id);
	ret = map_check(ctx, in, v, r);
	if (ret)
		return ret;
	if (v->nmaps == v->maps_cap) {
		uint32_t cap = v->maps_cap ? v->maps_cap * 2 : 16;
		struct xc_mapping *m = realloc(v->maps, cap * sizeof(*m));

		if (!m)
			return xc_err(ctx, -ENOMEM, "map: out of memory");
		v->maps = m;
		v->maps_cap = cap;
	}
	ret = v->unit->be->s2_map(v->unit->bu, v->dom, in->gpa,
				  r->hpa[v->unit->be_index] + in->offset, in->size, in->flags);
	if (ret)
		return xc_err(ctx, ret, "map: backend '%s' could not map gpa 0x%llx size 0x%llx",
			      v->unit->be->name, (unsigned long long)in->gpa,
			      (unsigned long long)in->size);
	i = map_search(v, in->gpa);
	memmove(&v->maps[i + 1], &v->maps[i], (v->nmaps - i) * sizeof(*v->maps));
	v->maps[i] = (struct xc_mapping){ .gpa = in->gpa, .size = in->size, .offset = in->offset,
					  .prot = in->flags, .region = r };
	v->nmaps++;
	r->map_count++;
	return 0;
}

XIOMMU_EXPORT int xiommu_map(struct xiommu_ctx *ctx, struct xiommu_map *user)
{
	return xc_call(ctx, "map", user, sizeof(*user), map);
}

static int unmap(struct xiommu_ctx *ctx, void *msg)
{
	struct xiommu_unmap *in = msg;
	struct xc_viommu *v;
	uint32_t first, last, i;

	if (in->flags || in->__reserved)
		return xc_err(ctx, -EINVAL, "unmap: flags 0x%x / __reserved 0x%x must be 0",
			      in->flags, in->__reserved);
	v = xc_viommu_get(ctx, "unmap", in->viommu_id);
	if (!v)
		return -ENOENT;
	if (!in->size || xc_add_overflows(in->gpa, in->size))
		return xc_err(ctx, -EINVAL, "unmap: gpa 0x%llx size 0x%llx: empty or wraps",
			      (unsigned long long)in->gpa, (unsigned long long)in->size);
	first = map_search(v, in->gpa);
	for (last = first; last < v->nmaps && v->maps[last].gpa < in->gpa + in->size; last++) {
		const struct xc_mapping *m = &v->maps[last];

		if (m->gpa < in->gpa || m->gpa + m->size > in->gpa + in->size)
			return xc_err(ctx, -EINVAL,
				      "unmap: gpa 0x%llx size 0x%llx cuts the mapping at 0x%llx size 0x%llx",
				      (unsigned long long)in->gpa, (unsigned long long)in->size,
				      (unsigned long long)m->gpa, (unsigned long long)m->size);
	}
	if (first == last)
		return xc_err(ctx, -ENOENT, "unmap: nothing mapped in gpa 0x%llx size 0x%llx",
			      (unsigned long long)in->gpa, (unsigned long long)in->size);
	for (i = first; i < last; i++) {
		v->unit->be->s2_unmap(v->unit->bu, v->dom, v->maps[i].gpa, v->maps[i].size);
		v->maps[i].region->map_count--;
	}
	memmove(&v->maps[first], &v->maps[last], (v->nmaps - last) * sizeof(*v->maps));
	v->nmaps -= last - first;
	return 0;
}

XIOMMU_EXPORT int xiommu_unmap(struct xiommu_ctx *ctx, struct xiommu_unmap *user)
{
	return xc_call(ctx, "unmap", user, sizeof(*user), unmap);
}

/*
 * Drop the mappings of a viommu whose domain is about to be freed: the
 * backend's domain_free tears the whole stage 2 down and flushes the
 * domain's tag before the tag is handed out again, so unmapping (and
 * flushing) each mapping first would only repeat that work per mapping.
 */
void xc_viommu_release_maps(struct xc_viommu *v)
{
	uint32_t i;

	for (i = 0; i < v->nmaps; i++)
		v->maps[i].region->map_count--;
	free(v->maps);
	v->maps = NULL;
	v->nmaps = v->maps_cap = 0;
}
