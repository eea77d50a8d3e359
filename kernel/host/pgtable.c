// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * One builder and walker for every radix page-table format of 8-byte
 * entries (pgtable.h). Walks are iterative and bounded by the levels; host
 * memory is reached only through the host callbacks.
 */
#include "pgtable.h"
#include <xiommu/xiommu.h>
#include <xiommu/program.h>

static unsigned int shift_of(const struct xh_pgtable *pt, unsigned int lvl)
{
	return pt->granule_shift + lvl * (pt->granule_shift - 3u);
}

static uint64_t *slot(const struct xh_pgtable *pt, uint64_t table, unsigned int lvl,
		      uint64_t iova)
{
	unsigned int sh = shift_of(pt, lvl);
	unsigned int bits = lvl == pt->levels - 1u ? pt->ias - sh : pt->granule_shift - 3u;

	return pt->host->map(pt->host->priv,
			     table + ((iova >> sh) & ((1ull << bits) - 1)) * 8, 8);
}

int xh_pgtable_init(struct xh_pgtable *pt, const struct xh_pgfmt *fmt, const void *arg,
		    const struct xm_host *host, unsigned int granule_shift, unsigned int levels,
		    unsigned int ias, unsigned int oas)
{
	unsigned int top;

	memset(pt, 0, sizeof(*pt));
	if ((granule_shift != 12 && granule_shift != 14 && granule_shift != 16) || !levels ||
	    levels > 5 || oas > 64)
		return -EINVAL;
	pt->fmt = fmt;
	pt->arg = arg;
	pt->host = host;
	pt->granule_shift = (uint8_t)granule_shift;
	pt->levels = (uint8_t)levels;
	pt->ias = (uint8_t)ias;
	pt->oas = (uint8_t)oas;
	if (ias <= shift_of(pt, levels - 1) || ias > 64)
		return -EINVAL;
	top = ias - shift_of(pt, levels - 1);	/* index bits of the root */
	if (top > granule_shift - 3u + 4u)
		return -EINVAL;
	pt->root_size = 8ull << top;
	if (pt->root_size < 4096)
		pt->root_size = 4096;
	pt->leaves = fmt->leaf_depths(arg) | 1u;
	return host->alloc(host->priv, pt->root_size, &pt->root) ? -ENOMEM : 0;
}

void xh_pgtable_fini(struct xh_pgtable *pt)
{
	/* entries of one table mapped at a time: at most a 4 KiB chunk (xm_hw.h) */
	enum { CHUNK = 4096 / 8 };
	uint64_t tab[5], idx[5], n[5], *chunk[5];
	uint64_t gsz = 1ull << pt->granule_shift, e;
	unsigned int depth = 0, lvl;

	if (!pt->root)
		return;
	tab[0] = pt->root;
	idx[0] = 0;
	n[0] = pt->root_size / 8;
	for (;;) {
		lvl = pt->levels - 1u - depth;
		if (idx[depth] == n[depth]) {
			if (!depth)
				break;
			pt->host->free(pt->host->priv, tab[depth], gsz);
			depth--;
			continue;
		}
		if (idx[depth] % CHUNK == 0)
			chunk[depth] = pt->host->map(pt->host->priv, tab[depth] + 8 * idx[depth],
						     CHUNK * 8);
		e = chunk[depth] ? chunk[depth][idx[depth] % CHUNK] : 0;
		idx[depth]++;
		if (lvl && pt->fmt->kind(e, lvl) == 1) {
			depth++;
			tab[depth] = pt->fmt->addr(e, pt->granule_shift);
			idx[depth] = 0;
			n[depth] = gsz / 8;
		}
	}
	pt->host->free(pt->host->priv, pt->root, pt->root_size);
	pt->root = 0;
}

/* The slot of the entry that maps @iova (a leaf or an invalid one) and its level. */
static uint64_t *find(const struct xh_pgtable *pt, uint64_t iova, unsigned int *lvl)
{
	uint64_t t = pt->root, *e = NULL;
	unsigned int l;

	for (l = pt->levels; l-- > 0;) {
		e = slot(pt, t, l, iova);
		*lvl = l;
		if (!e || pt->fmt->kind(*e, l) != 1 || !l)
			return e;
		t = pt->fmt->addr(*e, pt->granule_shift);
	}
	return e;
}

uint64_t xh_pgtable_lookup(const struct xh_pgtable *pt, uint64_t iova, unsigned int *lvl)
{
	uint64_t *e = find(pt, iova, lvl);

	return e && pt->fmt->kind(*e, *lvl) == 2 ? *e : 0;
}

int xh_pgtable_iova_to_phys(const struct xh_pgtable *pt, uint64_t iova, uint64_t *pa,
			    uint32_t *prot)
{
	unsigned int lvl;
	uint64_t e;

	if (iova >> pt->ias)
		return -ENOENT;
	e = xh_pgtable_lookup(pt, iova, &lvl);
	if (!e)
		return -ENOENT;
	*pa = pt->fmt->addr(e, pt->granule_shift) + (iova & (xh_pgtable_size(pt, lvl) - 1));
	*prot = pt->fmt->prot(e);
	return 0;
}

/* Is anything mapped inside the block of level @lvl holding @iova? */
static int busy(const struct xh_pgtable *pt, uint64_t iova, unsigned int lvl)
{
	uint64_t t = pt->root, *e;
	unsigned int l;
	int k;

	for (l = pt->levels; l-- > lvl;) {
		e = slot(pt, t, l, iova);
		k = e ? pt->fmt->kind(*e, l) : 0;
		if (!k)
			return 0;
		if (k == 2 || l == lvl)
			return 1;
		t = pt->fmt->addr(*e, pt->granule_shift);
	}
	return 0;
}

static unsigned int pick(const struct xh_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t left)
{
	unsigned int l;

	for (l = pt->levels - 1u; l > 0; l--) {
		uint64_t bs = xh_pgtable_size(pt, l);

		if ((pt->leaves & (1u << l)) && !((iova | pa) & (bs - 1)) && left >= bs)
			return l;
	}
	return 0;
}

static int install(struct xh_pgtable *pt, uint64_t iova, uint64_t pa, unsigned int lvl,
		   uint32_t prot)
{
	uint64_t t = pt->root, *e, nt;
	unsigned int l;

	for (l = pt->levels - 1u; l > lvl; l--) {
		e = slot(pt, t, l, iova);
		if (!e)
			return -EFAULT;
		if (!pt->fmt->kind(*e, l)) {
			if (pt->host->alloc(pt->host->priv, 1ull << pt->granule_shift, &nt))
				return -ENOMEM;
			*e = pt->fmt->table(pt->arg, nt);
		}
		t = pt->fmt->addr(*e, pt->granule_shift);
	}
	e = slot(pt, t, lvl, iova);
	if (!e)
		return -EFAULT;
	*e = pt->fmt->leaf(pt->arg, pa, prot, lvl);
	return 0;
}

static int range_ok(const struct xh_pgtable *pt, uint64_t iova, uint64_t size)
{
	uint64_t gm = (1ull << pt->granule_shift) - 1;

	return size && !((iova | size) & gm) && iova + size > iova &&
	       !((iova + size - 1) >> pt->ias);
}

int xh_pgtable_map(struct xh_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size,
		   uint32_t prot)
{
	uint64_t off;
	unsigned int l = 0;
	int ret;

	if (!range_ok(pt, iova, size) || (pa & ((1ull << pt->granule_shift) - 1)) ||
	    pa + size < pa || (pt->oas < 64 && ((pa + size - 1) >> pt->oas)) || !prot ||
	    !(prot & (XIOMMU_MAP_READ | XIOMMU_MAP_WRITE)) ||
	    (prot & ~(uint32_t)(XIOMMU_MAP_READ | XIOMMU_MAP_WRITE | XH_PROT_MMIO)))
		return -EINVAL;
	for (off = 0; off < size; off += xh_pgtable_size(pt, l)) {
		l = pick(pt, iova + off, pa + off, size - off);
		if (busy(pt, iova + off, l))
			return -EEXIST;
	}
	for (off = 0; off < size; off += xh_pgtable_size(pt, l)) {
		l = pick(pt, iova + off, pa + off, size - off);
		ret = install(pt, iova + off, pa + off, l, prot);
		if (ret) {
			if (off)
				xh_pgtable_unmap(pt, iova, off);
			return ret;
		}
	}
	return 0;
}

int xh_pgtable_unmap(struct xh_pgtable *pt, uint64_t iova, uint64_t size)
{
	uint64_t pos, end = iova + size, bs = 0, base, *e;
	unsigned int lvl, pass, found = 0;

	if (!range_ok(pt, iova, size))
		return -EINVAL;
	for (pass = 0; pass < 2; pass++) {
		for (pos = iova; pos < end; pos = base + bs) {
			e = find(pt, pos, &lvl);
			bs = xh_pgtable_size(pt, lvl);
			base = pos & ~(bs - 1);
			if (!e || pt->fmt->kind(*e, lvl) != 2)
				continue;
			if (base < iova || base + bs - 1 > end - 1)
				return -EINVAL;
			found++;
			if (pass)
				*e = 0;
		}
		if (!found)
			return -ENOENT;
	}
	return 0;
}

int xh_guest_write_check(const struct xh_pgtable *pt, const struct xiommu_op *op, uint64_t *pa)
{
	uint64_t out;
	uint32_t prot;

	if ((op->count != 4 && op->count != 8) || (op->w[0] & (op->count - 1u)) ||
	    xh_pgtable_iova_to_phys(pt, op->w[0], &out, &prot) ||
	    (prot & (XIOMMU_MAP_WRITE | XH_PROT_MMIO)) != XIOMMU_MAP_WRITE)
		return -EFAULT;
	if (pa)
		*pa = out;
	return 0;
}

int xh_guest_write(const struct xh_pgtable *pt, const struct xiommu_op *op)
{
	uint64_t pa;
	void *p;

	if (xh_guest_write_check(pt, op, &pa))
		return -EFAULT;
	p = pt->host->map(pt->host->priv, pa, op->count);
	if (!p)
		return -EFAULT;
	if (op->count == 4)
		*(volatile uint32_t *)p = (uint32_t)op->w[1];
	else
		*(volatile uint64_t *)p = op->w[1];
	return 0;
}
