/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Stage-2 page tables, io-pgtable style: one builder and walker for every
 * radix format of 8-byte entries, every granule and every level. A format
 * says how its entries are encoded (struct xh_pgfmt); the geometry (granule,
 * levels, input size, concatenated root) is computed once per table.
 *
 * Depth 0 is the root; depth levels-1 holds the smallest pages. Every table
 * below the root is one granule of 2^(granule_shift - 3) entries; the root
 * may be larger (Arm concatenated stage-2 tables).
 */
#ifndef XH_PGTABLE_H
#define XH_PGTABLE_H

#include "xm_hw.h"

/* A leaf for a device's MMIO page (an MSI doorbell): device memory, never executable. */
#define XH_PROT_MMIO	(1u << 16)

struct xh_pgfmt {
	const char *name;
	/* bit d set: depth-d (counted from the last level: 0 = pages) leaves allowed */
	uint32_t (*leaf_depths)(const void *arg);
	/* entry of a next-level table at @pa */
	uint64_t (*table)(const void *arg, uint64_t pa);
	/* leaf mapping @pa with XIOMMU_MAP_* | XH_PROT_MMIO @prot at @lvl (0 = page) */
	uint64_t (*leaf)(const void *arg, uint64_t pa, uint32_t prot, unsigned int lvl);
	/* 0 invalid, 1 table, 2 leaf, for an entry at @lvl */
	int (*kind)(uint64_t e, unsigned int lvl);
	/* output address of a table or leaf entry */
	uint64_t (*addr)(uint64_t e, unsigned int granule_shift);
	/* XIOMMU_MAP_* | XH_PROT_MMIO a leaf grants */
	uint32_t (*prot)(uint64_t e);
};

struct xh_pgtable {
	const struct xh_pgfmt *fmt;
	const void *arg;		/* handed back to the format */
	const struct xm_host *host;
	uint64_t root;
	uint64_t root_size;		/* bytes: >= 4096, one granule or a concatenation */
	uint8_t granule_shift;		/* 12, 14, 16 */
	uint8_t levels;			/* levels walked */
	uint8_t ias, oas;
	uint32_t leaves;		/* fmt->leaf_depths() at init */
};

/*
 * Allocate an empty table for @ias input bits over @levels levels of
 * @granule_shift granules. -ENOMEM, or -EINVAL for a geometry that does not
 * fit (the root would need more than 16 concatenated tables).
 */
int xh_pgtable_init(struct xh_pgtable *pt, const struct xh_pgfmt *fmt, const void *arg,
		    const struct xm_host *host, unsigned int granule_shift, unsigned int levels,
		    unsigned int ias, unsigned int oas);
/* Free every table, the root included. */
void xh_pgtable_fini(struct xh_pgtable *pt);

/*
 * Map [iova, iova+size) onto [pa, pa+size) with the largest leaves that fit.
 * -EINVAL (alignment, range, prot), -EEXIST (anything mapped already),
 * -ENOMEM (tables; nothing stays mapped). Tables are written before the
 * entries that point at them.
 */
int xh_pgtable_map(struct xh_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size,
		   uint32_t prot);
/*
 * Remove the whole mappings lying in [iova, iova+size): -EINVAL when one
 * lies only partly inside, -ENOENT when none is there. Empty tables stay.
 */
int xh_pgtable_unmap(struct xh_pgtable *pt, uint64_t iova, uint64_t size);
/* Leaf entry mapping @iova (its level in *lvl), or 0. */
uint64_t xh_pgtable_lookup(const struct xh_pgtable *pt, uint64_t iova, unsigned int *lvl);
/* Output address and XIOMMU_MAP_* | XH_PROT_MMIO of @iova: 0, or -ENOENT when unmapped. */
int xh_pgtable_iova_to_phys(const struct xh_pgtable *pt, uint64_t iova, uint64_t *pa,
			    uint32_t *prot);
/* Bytes a leaf of level @lvl (0 = page) maps. */
static inline uint64_t xh_pgtable_size(const struct xh_pgtable *pt, unsigned int lvl)
{
	return 1ull << (pt->granule_shift + lvl * (pt->granule_shift - 3u));
}

/*
 * XIOMMU_OP_GUEST_WRITE (program.h) through a stage 2: check that @op's GPA
 * is mapped writable RAM and aligned to its size (0 or -EFAULT; *@pa its
 * host address when not NULL), or do the store.
 */
struct xiommu_op;
int xh_guest_write_check(const struct xh_pgtable *pt, const struct xiommu_op *op, uint64_t *pa);
int xh_guest_write(const struct xh_pgtable *pt, const struct xiommu_op *op);

#endif /* XH_PGTABLE_H */
