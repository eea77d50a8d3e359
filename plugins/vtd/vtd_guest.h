/* SPDX-License-Identifier: MIT */
/*
 * Guest-format helpers for tests and conformance: build what a VT-d guest
 * driver writes in its own memory — first-level (IA-32e) page tables and
 * scalable-mode PASID entries (PGTT first-level, as the guest sees its
 * vIOMMU) — through the caller's guest-memory accessors. Plain functions,
 * no state beyond the caller's struct.
 */
#ifndef XIOMMU_VTD_GUEST_H
#define XIOMMU_VTD_GUEST_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <xiommu/xiommu.h>
#include <xiommu/arch/vtd.h>

struct vtd_guest_mem {
	void *arg;
	int (*read)(void *arg, uint64_t gpa, void *buf, uint32_t len);
	int (*write)(void *arg, uint64_t gpa, const void *buf, uint32_t len);
	uint64_t next;		/* next free 4 KiB page for tables (GPA) */
	uint64_t end;		/* end of the table area */
};

#define VTD_GUEST_FL_RW		(XI_BIT(VTD_FL_P) | XI_BIT(VTD_FL_RW) | XI_BIT(VTD_FL_US))
#define VTD_GUEST_FL_RO		(XI_BIT(VTD_FL_P) | XI_BIT(VTD_FL_US))

/* A zeroed 4 KiB table from the area; 0 when it is used up. */
static inline uint64_t vtd_guest_table(struct vtd_guest_mem *m)
{
	static const uint8_t zero[512];
	uint64_t t = m->next;
	uint32_t i;

	if (!t || t + 4096 > m->end)
		return 0;
	for (i = 0; i < 8; i++)
		if (m->write(m->arg, t + i * 512, zero, 512))
			return 0;
	m->next += 4096;
	return t;
}

/*
 * Map @iova -> @gpa with one leaf of 2^@lg bytes (12, 21 or 30) in the
 * first-level table rooted at @root (@levels 4 or 5). Missing tables are
 * allocated with P, R/W, U/S; @flags are the leaf's bits (VTD_GUEST_FL_*,
 * plus VTD_FL_XD, VTD_FL_G...). Returns 0 or a negative errno.
 */
static inline int vtd_guest_fl_map(struct vtd_guest_mem *m, uint64_t root, uint32_t levels,
				   uint64_t iova, uint64_t gpa, uint32_t lg, uint64_t flags)
{
	uint32_t level, leaf_level;
	uint64_t table = root, e;

	if ((lg != 12 && lg != 21 && lg != 30) || (levels != 4 && levels != 5) ||
	    ((iova | gpa) & ((1ull << lg) - 1)))
		return -EINVAL;
	leaf_level = (lg - 12) / 9 + 1;
	for (level = levels; level > leaf_level; level--) {
		uint64_t ea = table + ((iova >> (12 + 9 * (level - 1))) & 511) * 8;

		if (m->read(m->arg, ea, &e, 8))
			return -EFAULT;
		if (!(e & XI_BIT(VTD_FL_P))) {
			uint64_t t = vtd_guest_table(m);

			if (!t)
				return -ENOMEM;
			e = t | VTD_GUEST_FL_RW;
			if (m->write(m->arg, ea, &e, 8))
				return -EFAULT;
		} else if (e & XI_BIT(VTD_FL_PS)) {
			return -EEXIST;
		}
		table = e & VTD_FL_ADDR_MASK;
	}
	e = gpa | flags | (lg > 12 ? XI_BIT(VTD_FL_PS) : 0);
	return m->write(m->arg, table + ((iova >> lg) & 511) * 8, &e, 8) ? -EFAULT : 0;
}

/* Clear the leaf for @iova (any size); 0, or -ENOENT if nothing was mapped. */
static inline int vtd_guest_fl_unmap(struct vtd_guest_mem *m, uint64_t root, uint32_t levels,
				     uint64_t iova)
{
	uint64_t table = root, e = 0, ea = 0, z = 0;
	uint32_t level;

	for (level = levels; level >= 1; level--) {
		ea = table + ((iova >> (12 + 9 * (level - 1))) & 511) * 8;
		if (m->read(m->arg, ea, &e, 8))
			return -EFAULT;
		if (!(e & XI_BIT(VTD_FL_P)))
			return -ENOENT;
		if (level == 1 || (e & XI_BIT(VTD_FL_PS)))
			break;
		table = e & VTD_FL_ADDR_MASK;
	}
	return m->write(m->arg, ea, &z, 8) ? -EFAULT : 0;
}

/* A guest's PASID-table entry for a first-level translation (8 words). */
static inline void vtd_guest_pasid_entry(uint64_t *w, uint64_t flptr, uint32_t addr_width,
					 uint32_t did, uint64_t s1_flags)
{
	memset(w, 0, VTD_PE_WORDS * sizeof(*w));
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(VTD_PGTT_FL, VTD_PE_PGTT_H, VTD_PE_PGTT_L);
	w[1] = XI_PUT(did, VTD_PE_DID_H, VTD_PE_DID_L);
	w[2] = (flptr & VTD_PE_FLPTPTR_MASK) |
	       XI_PUT(addr_width == 57, VTD_PE_FLPM_H, VTD_PE_FLPM_L) |
	       (s1_flags & XIOMMU_VTD_S1_SRE ? XI_BIT(VTD_PE_SRE) : 0) |
	       (s1_flags & XIOMMU_VTD_S1_WPE ? XI_BIT(VTD_PE_WPE) : 0) |
	       (s1_flags & XIOMMU_VTD_S1_EAFE ? XI_BIT(VTD_PE_EAFE) : 0);
}

/* Write that entry into the guest's PASID table at @table (64 entries of 64 bytes). */
static inline int vtd_guest_pasid_write(struct vtd_guest_mem *m, uint64_t table, uint32_t pasid,
					const uint64_t *w)
{
	return m->write(m->arg, table + (uint64_t)(pasid & 63) * 64, w, 64) ? -EFAULT : 0;
}

/* What a guest PASID entry asks for, as bind fields: 0, or -EINVAL if not FL. */
static inline int vtd_guest_pasid_parse(const uint64_t *w, uint64_t *flptr,
					uint32_t *addr_width, uint64_t *s1_flags)
{
	if (!(w[0] & XI_BIT(VTD_PE_P)) ||
	    XI_GET(w[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L) != VTD_PGTT_FL ||
	    XI_GET(w[2], VTD_PE_FLPM_H, VTD_PE_FLPM_L) > 1)
		return -EINVAL;
	*flptr = w[2] & VTD_PE_FLPTPTR_MASK;
	*addr_width = XI_GET(w[2], VTD_PE_FLPM_H, VTD_PE_FLPM_L) ? 57 : 48;
	*s1_flags = (w[2] & XI_BIT(VTD_PE_SRE) ? XIOMMU_VTD_S1_SRE : 0) |
		    (w[2] & XI_BIT(VTD_PE_WPE) ? XIOMMU_VTD_S1_WPE : 0) |
		    (w[2] & XI_BIT(VTD_PE_EAFE) ? XIOMMU_VTD_S1_EAFE : 0);
	return 0;
}

#endif
