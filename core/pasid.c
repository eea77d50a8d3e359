// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include "pasid.h"

static uint32_t pasid_hash(uint32_t pasid, uint32_t cap)
{
	/* Fibonacci hashing spreads dense PASID ranges over the table. */
	return (uint32_t)((pasid * 2654435769u) >> 7) & (cap - 1);
}

void xc_pasid_init(struct xc_pasid_table *t)
{
	t->slots = NULL;
	t->cap = 0;
	t->count = 0;
}

void xc_pasid_fini(struct xc_pasid_table *t)
{
	free(t->slots);
	xc_pasid_init(t);
}

static void pasid_place(struct xiommu_pasid_binding *slots, uint32_t cap,
			const struct xiommu_pasid_binding *b)
{
	uint32_t i = pasid_hash(b->pasid, cap);

	while (slots[i].pasid != XC_PASID_EMPTY)
		i = (i + 1) & (cap - 1);
	slots[i] = *b;
}

static int pasid_resize(struct xc_pasid_table *t, uint32_t cap)
{
	struct xiommu_pasid_binding *slots;
	uint32_t i;

	slots = malloc((size_t)cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < cap; i++)
		slots[i].pasid = XC_PASID_EMPTY;
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].pasid != XC_PASID_EMPTY)
			pasid_place(slots, cap, &t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

int xc_pasid_reserve(struct xc_pasid_table *t, uint32_t more)
{
	uint64_t need = (uint64_t)t->count + more;
	uint64_t cap = t->cap ? t->cap : 8;

	while (need * 4 > cap * 3)
		cap *= 2;
	if (cap > (1u << 31))
		return -ENOSPC;
	return cap == t->cap ? 0 : pasid_resize(t, (uint32_t)cap);
}

struct xiommu_pasid_binding *xc_pasid_find(const struct xc_pasid_table *t, uint32_t pasid)
{
	uint32_t i;

	if (!t->cap || pasid == XC_PASID_EMPTY)
		return NULL;
	for (i = pasid_hash(pasid, t->cap); t->slots[i].pasid != XC_PASID_EMPTY;
	     i = (i + 1) & (t->cap - 1))
		if (t->slots[i].pasid == pasid)
			return &t->slots[i];
	return NULL;
}

int xc_pasid_set(struct xc_pasid_table *t, const struct xiommu_pasid_binding *b)
{
	struct xiommu_pasid_binding *old = xc_pasid_find(t, b->pasid);

	if (b->pasid == XC_PASID_EMPTY)
		return -EINVAL;
	if (old) {
		*old = *b;
		return 0;
	}
	if (!t->cap || (uint64_t)(t->count + 1) * 4 > (uint64_t)t->cap * 3)
		return -ENOSPC;
	pasid_place(t->slots, t->cap, b);
	t->count++;
	return 0;
}

int xc_pasid_del(struct xc_pasid_table *t, uint32_t pasid)
{
	struct xiommu_pasid_binding *hole = xc_pasid_find(t, pasid);
	uint32_t mask = t->cap - 1, i, j, home;

	if (!hole)
		return -ENOENT;
	i = (uint32_t)(hole - t->slots);
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (j = (i + 1) & mask; t->slots[j].pasid != XC_PASID_EMPTY; j = (j + 1) & mask) {
		home = pasid_hash(t->slots[j].pasid, t->cap);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].pasid = XC_PASID_EMPTY;
	t->count--;
	if (t->cap > 8 && (uint64_t)t->count * 4 < t->cap / 4)
		pasid_resize(t, t->cap / 4); /* shrink failure is harmless */
	return 0;
}

int xc_pasid_foreach(const struct xc_pasid_table *t, xiommu_pasid_fn fn, void *arg)
{
	uint32_t i;
	int ret;

	for (i = 0; i < t->cap; i++) {
		if (t->slots[i].pasid == XC_PASID_EMPTY)
			continue;
		ret = fn(arg, &t->slots[i]);
		if (ret)
			return ret;
	}
	return 0;
}

size_t xc_pasid_bytes(const struct xc_pasid_table *t)
{
	return (size_t)t->cap * sizeof(*t->slots);
}
