/* SPDX-License-Identifier: MIT */
/*
 * Per-vdev table of bound PASIDs: open addressing with linear probing and
 * backward-shift deletion, so memory follows the PASIDs actually bound
 * (never the 2^20 space) and bind / lookup / unbind are O(1) on average.
 * The load factor stays between 1/4 and 3/4 once the table has grown.
 */
#ifndef XC_PASID_H
#define XC_PASID_H

#include <stddef.h>
#include <stdint.h>
#include <xiommu/plugin.h>

#define XC_PASID_EMPTY	UINT32_MAX

struct xc_pasid_table {
	struct xiommu_pasid_binding *slots;	/* pasid == XC_PASID_EMPTY: free */
	uint32_t cap;				/* 0 or a power of two */
	uint32_t count;
};

void xc_pasid_init(struct xc_pasid_table *t);
void xc_pasid_fini(struct xc_pasid_table *t);
/* Make room for @more insertions so that xc_pasid_set() cannot fail. */
int xc_pasid_reserve(struct xc_pasid_table *t, uint32_t more);
struct xiommu_pasid_binding *xc_pasid_find(const struct xc_pasid_table *t, uint32_t pasid);
/* Insert or replace; needs room (xc_pasid_reserve) for a new PASID. */
int xc_pasid_set(struct xc_pasid_table *t, const struct xiommu_pasid_binding *b);
int xc_pasid_del(struct xc_pasid_table *t, uint32_t pasid);
int xc_pasid_foreach(const struct xc_pasid_table *t, xiommu_pasid_fn fn, void *arg);
/* Bytes of heap the table holds. */
size_t xc_pasid_bytes(const struct xc_pasid_table *t);

#endif
