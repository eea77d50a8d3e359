/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The index a model keeps over its TLB array: hash chains of slots keyed
 * by the vendor's tag, the entry kind, the block size and the page number,
 * and per kind the set of block sizes present, so a lookup probes one
 * bucket per size in use. The array, its replacement order and its
 * first-match-by-index rule stay the cache (and so its staleness); the
 * index only finds entries faster. @gen changes with every add and every
 * removal: a remembered hit stays valid while it is unchanged.
 */
#ifndef XM_TLBINDEX_H
#define XM_TLBINDEX_H

#include "xm_env.h"

#define XM_TLB_SLOTS		256
#define XM_TLB_HASH_BITS	9
#define XM_TLB_KINDS		5

struct xm_tlb_link {
	uint16_t next, prev;	/* slot + 1 in the chain, 0 = none */
	uint16_t bucket;
	uint8_t kind, lg;
};

struct xm_tlb_index {
	uint16_t head[1u << XM_TLB_HASH_BITS];	/* slot + 1, 0 = empty */
	struct xm_tlb_link link[XM_TLB_SLOTS];
	uint64_t lgs[XM_TLB_KINDS];		/* bit lg: an entry of 2^lg bytes */
	uint16_t lg_count[XM_TLB_KINDS][64];
	uint64_t gen;
};

/* @tag: the vendor's tag bits, already placed clear of the page number's low bits. */
static inline uint32_t xm_tlb_bucket(uint64_t tag, uint32_t kind, uint32_t lg, uint64_t vpn)
{
	uint64_t h = vpn ^ tag ^ ((uint64_t)kind << 60) ^ ((uint64_t)lg << 54);

	return (uint32_t)((h * 0x9e3779b97f4a7c15ull) >> (64 - XM_TLB_HASH_BITS));
}

/* First slot + 1 of a bucket; next with xm_tlb_next(). */
static inline uint32_t xm_tlb_first(const struct xm_tlb_index *ix, uint32_t bucket)
{
	return ix->head[bucket];
}

static inline uint32_t xm_tlb_next(const struct xm_tlb_index *ix, uint32_t slot1)
{
	return ix->link[slot1 - 1].next;
}

static inline void xm_tlb_index_add(struct xm_tlb_index *ix, uint32_t slot, uint32_t bucket,
				    uint32_t kind, uint32_t lg)
{
	struct xm_tlb_link *l = &ix->link[slot];

	l->bucket = (uint16_t)bucket;
	l->kind = (uint8_t)kind;
	l->lg = (uint8_t)lg;
	l->prev = 0;
	l->next = ix->head[bucket];
	if (l->next)
		ix->link[l->next - 1].prev = (uint16_t)(slot + 1);
	ix->head[bucket] = (uint16_t)(slot + 1);
	if (!ix->lg_count[kind][lg]++)
		ix->lgs[kind] |= 1ull << lg;
	ix->gen++;
}

static inline void xm_tlb_index_del(struct xm_tlb_index *ix, uint32_t slot)
{
	struct xm_tlb_link *l = &ix->link[slot];

	if (l->prev)
		ix->link[l->prev - 1].next = l->next;
	else
		ix->head[l->bucket] = l->next;
	if (l->next)
		ix->link[l->next - 1].prev = l->prev;
	if (!--ix->lg_count[l->kind][l->lg])
		ix->lgs[l->kind] &= ~(1ull << l->lg);
	ix->gen++;
}

#endif /* XM_TLBINDEX_H */
