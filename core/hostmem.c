// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hostmem.h"

#define HM_BASE (1ull << 32)	/* PAs start here: 0 is never valid RAM */
#define HM_LIMIT (1ull << 48)

struct hm_range {
	uint64_t pa, size;
	uint8_t *ptr;
	int own;
};

struct xc_hostmem {
	struct hm_range *r;	/* sorted by pa */
	uint32_t n, cap;
	uint32_t last;		/* last hit, for page-by-page walks */
	uint64_t next;		/* bump pointer */
};

int xc_hostmem_new(struct xc_hostmem **hm)
{
	*hm = calloc(1, sizeof(**hm));
	if (!*hm)
		return -ENOMEM;
	(*hm)->next = HM_BASE;
	return 0;
}

void xc_hostmem_free(struct xc_hostmem *hm)
{
	uint32_t i;

	if (!hm)
		return;
	for (i = 0; i < hm->n; i++)
		if (hm->r[i].own)
			free(hm->r[i].ptr);
	free(hm->r);
	free(hm);
}

static uint64_t hm_align_for(uint64_t size)
{
	if (size >= (1ull << 30))
		return 1ull << 30;
	if (size >= (2ull << 20))
		return 2ull << 20;
	/* tables are aligned to their size (power of two); buffers to a page */
	if (!(size & (size - 1)))
		return size < 4096 ? 4096 : size;
	return 4096;
}

uint64_t xc_hostmem_reserve(struct xc_hostmem *hm, uint64_t size)
{
	uint64_t align = hm_align_for(size);
	uint64_t pa = (hm->next + align - 1) & ~(align - 1);

	if (pa >= HM_LIMIT || size > HM_LIMIT - pa)
		return 0;
	hm->next = pa + size;
	return pa;
}

int xc_hostmem_add(struct xc_hostmem *hm, void *ptr, uint64_t size, int own, uint64_t *pa)
{
	uint32_t i;

	if (hm->n == hm->cap) {
		uint32_t cap = hm->cap ? hm->cap * 2 : 32;
		struct hm_range *r = realloc(hm->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		hm->r = r;
		hm->cap = cap;
	}
	*pa = xc_hostmem_reserve(hm, size);
	if (!*pa)
		return -ENOSPC;
	/* the bump pointer only grows: new ranges go last */
	i = hm->n++;
	hm->r[i].pa = *pa;
	hm->r[i].size = size;
	hm->r[i].ptr = ptr;
	hm->r[i].own = own;
	return 0;
}

static int hm_find(struct xc_hostmem *hm, uint64_t pa)
{
	uint32_t lo = 0, hi = hm->n;

	if (hm->last < hm->n && pa - hm->r[hm->last].pa < hm->r[hm->last].size &&
	    pa >= hm->r[hm->last].pa)
		return (int)hm->last;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (hm->r[mid].pa + hm->r[mid].size <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == hm->n || pa < hm->r[lo].pa)
		return -1;
	hm->last = lo;
	return (int)lo;
}

void xc_hostmem_remove(struct xc_hostmem *hm, uint64_t pa)
{
	int i = hm_find(hm, pa);

	if (i < 0 || hm->r[i].pa != pa)
		return;
	if (hm->r[i].own)
		free(hm->r[i].ptr);
	memmove(&hm->r[i], &hm->r[i + 1], (hm->n - (uint32_t)i - 1) * sizeof(*hm->r));
	hm->n--;
	hm->last = 0;
}

void *xc_hostmem_ptr(struct xc_hostmem *hm, uint64_t pa, uint64_t len)
{
	int i = hm_find(hm, pa);
	const struct hm_range *r;

	if (i < 0)
		return NULL;
	r = &hm->r[i];
	if (len > r->size - (pa - r->pa))
		return NULL;
	return r->ptr + (pa - r->pa);
}
