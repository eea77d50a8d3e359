// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Translation: the second-level walk, the first-level (IA-32e, 4/5-level)
 * walk nested in it (every first-level table address and the final output
 * are guest-physical and go through the second level), permission checks
 * and A/D updates, and the IOTLB in front of both. With the paging-structure
 * caches on (u->psc_enable), a first-level walk resumes below the deepest
 * cached PML5E / PML4E / PDPE / PDE; a cold walk reads every table.
 */
#include "vtd_int.h"

#define VTD_SLW_NP	0x1000	/* second-level entry grants nothing needed */

/*
 * Reserved bits of a second-level entry at @level. Bit 11 (SNP in a leaf)
 * is reserved in every second-level entry when ECAP.SC is clear.
 */
static int sl_rsvd(const struct vtd_unit *u, uint64_t e, uint32_t level, int leaf)
{
	if ((e & VTD_SL_RSVD) || ((e & VTD_SL_ADDR_MASK) >> u->p.mgaw))
		return 1;
	if ((e & XI_BIT(VTD_SL_SNP)) && !(u->ecap & XI_BIT(VTD_ECAP_SC)))
		return 1;
	if (leaf && level > 1) {
		uint64_t low = XI_GENMASK(12 + 9 * (level - 1) - 1, 12);

		if (e & low)
			return 1;
	}
	return 0;
}

/*
 * GPA -> HPA through a second-level table. Returns 0, VTD_SLW_NP (no
 * permission for the access), or a fault reason (access error, reserved,
 * beyond the width). *perm gets VTD_P_R / VTD_P_SW... as granted (R/W).
 * Second-level permissions are the AND of R and of W over the entries
 * used: a write (@need_w) needs W only, a read R only; an entry with
 * neither is not present.
 */
static uint32_t sl_walk(struct vtd_unit *u, uint64_t root, uint32_t levels, uint64_t gpa,
			uint32_t need_w, uint32_t slade, uint64_t *pa, uint32_t *perm, uint32_t *lg,
			uint64_t *leaf_ea)
{
	uint64_t table = root, e, ea;
	uint32_t level, r = 1, w = 1, shift;

	if (levels < 3 || levels > 5 || (gpa >> (12 + 9 * levels)))
		return VTD_FR_SL_MAX;
	for (level = levels; level >= 1; level--) {
		int leaf;

		shift = 12 + 9 * (level - 1);
		ea = table + ((gpa >> shift) & 511) * 8;
		u->st.table_reads++;
		if (vtd_read64(u, ea, &e))
			return VTD_FR_SL_ACCESS;
		if (!(e & 3))
			return VTD_SLW_NP;
		leaf = level == 1 || (e & XI_BIT(VTD_SL_PS));
		if (leaf && level > 1 &&
		    (level > 3 || !(u->p.sllps & (level == 2 ? VTD_SLLPS_2M : VTD_SLLPS_1G))))
			return VTD_FR_SL_RSVD;
		if (sl_rsvd(u, e, level, leaf))
			return VTD_FR_SL_RSVD;
		r &= (uint32_t)(e & 1);
		w &= (uint32_t)((e >> 1) & 1);
		/* a write needs W at every level, a read R: neither needs the other */
		if (need_w ? !w : !r)
			return VTD_SLW_NP;
		if (slade) {
			uint64_t n = e | XI_BIT(VTD_SL_A) | (leaf && need_w ? XI_BIT(VTD_SL_D) : 0);

			if (n != e)
				vtd_write64(u, ea, n);
		}
		if (leaf) {
			uint64_t mask = (1ull << shift) - 1;

			*pa = ((e & VTD_SL_ADDR_MASK) & ~mask) | (gpa & mask);
			*perm = (r ? VTD_P_R : 0) | (w ? VTD_P_SW : 0);
			*lg = shift;
			if (leaf_ea)
				*leaf_ea = ea;
			return 0;
		}
		table = e & VTD_SL_ADDR_MASK;
	}
	return VTD_FR_SL_ACCESS;
}

uint32_t vtd_sl_walk(struct vtd_unit *u, uint64_t root, uint32_t levels, uint64_t gpa,
		     uint32_t need_w, uint32_t slade, uint64_t *pa, uint32_t *perm, uint32_t *lg)
{
	return sl_walk(u, root, levels, gpa, need_w, slade, pa, perm, lg, NULL);
}

static uint32_t pe_sl_levels(const uint64_t *pe)
{
	return (uint32_t)XI_GET(pe[0], VTD_PE_AW_H, VTD_PE_AW_L) + 2;
}

/* First-level checks on a translation (fresh or cached): 0 or the reason. */
static uint32_t fl_perm(const struct vtd_req *r, uint32_t perm)
{
	uint32_t priv = r->acc & VTD_ACC_PRIV;

	if (!priv && !(perm & VTD_P_U))
		return VTD_FR_US;
	if (r->acc & VTD_ACC_X) {
		if (!(perm & VTD_P_X))
			return VTD_FR_XD;
		if (priv && (perm & VTD_P_U) && (r->pe[2] & XI_BIT(VTD_PE_SMEP)))
			return VTD_FR_XD;
	}
	if ((r->acc & VTD_ACC_W) && !(perm & VTD_P_W) &&
	    !(priv && !(r->pe[2] & XI_BIT(VTD_PE_WPE))))
		return VTD_FR_WRITE;
	return 0;
}

static uint32_t sl_perm(const struct vtd_req *r, uint32_t perm)
{
	if (r->acc & VTD_ACC_W)
		return perm & VTD_P_SW ? 0 : VTD_FR_WRITE;
	return perm & VTD_P_R ? 0 : VTD_FR_READ;
}

static uint32_t check(const struct vtd_req *r, uint32_t perm)
{
	uint32_t fr = 0;

	if (r->pgtt == VTD_PGTT_FL || r->pgtt == VTD_PGTT_NESTED)
		fr = fl_perm(r, perm);
	if (!fr)
		fr = sl_perm(r, perm);
	return fr;
}

/*
 * Nested: a first-level table GPA -> HPA; @root says which reason applies.
 * *slea gets the second-level leaf entry's address (0: none, not nested).
 */
static uint32_t fl_table(struct vtd_unit *u, const struct vtd_req *r, uint64_t gpa, int root,
			 uint64_t *hpa, uint32_t *slperm, uint64_t *slea)
{
	uint32_t lg, fr;

	*slea = 0;
	if (r->pgtt != VTD_PGTT_NESTED) {
		if (gpa >> u->p.mgaw)
			return VTD_FR_FL_MGAW;
		*hpa = gpa;
		*slperm = VTD_P_R | VTD_P_SW;
		return 0;
	}
	fr = sl_walk(u, r->pe[0] & VTD_PE_SLPTPTR_MASK, pe_sl_levels(r->pe), gpa, 0,
		     !!(r->pe[0] & XI_BIT(VTD_PE_SLADE)), hpa, slperm, &lg, slea);
	if (fr == VTD_SLW_NP)
		return root ? VTD_FR_FL_ROOT_SLR : VTD_FR_FL_SLR;
	if (fr == VTD_FR_SL_MAX)
		return VTD_FR_FL_MGAW;
	return fr;
}

/*
 * A first-level entry in the table at @gpa is about to be written (A, EA
 * or D): nested with SLADE, that write goes through the second level, so
 * the table page's second-level leaf gets D (and A). @slea is that leaf's
 * address when this walk translated the table, 0 when the table came from
 * a paging-structure cache (then the second level is walked again, as a
 * write).
 */
static void fl_table_dirty(struct vtd_unit *u, const struct vtd_req *r, uint64_t gpa,
			   uint64_t slea)
{
	uint64_t e, pa;
	uint32_t perm, lg;

	if (r->pgtt != VTD_PGTT_NESTED || !(r->pe[0] & XI_BIT(VTD_PE_SLADE)))
		return;
	if (!slea) {
		sl_walk(u, r->pe[0] & VTD_PE_SLPTPTR_MASK, pe_sl_levels(r->pe), gpa, 1, 1, &pa,
			&perm, &lg, NULL);
		return;
	}
	if (!vtd_read64(u, slea, &e) && (e & (XI_BIT(VTD_SL_A) | XI_BIT(VTD_SL_D))) !=
					 (XI_BIT(VTD_SL_A) | XI_BIT(VTD_SL_D)))
		vtd_write64(u, slea, e | XI_BIT(VTD_SL_A) | XI_BIT(VTD_SL_D));
}

static int fl_rsvd(const struct vtd_unit *u, uint64_t e, uint32_t level, int leaf)
{
	if ((e & VTD_FL_ADDR_MASK) >> u->p.mgaw)
		return 1;
	if ((e & XI_BIT(VTD_FL_PS)) && (level > 3 || (level == 3 && !u->p.fl1gp)))
		return 1;
	if (leaf && level > 1 && (e & XI_GENMASK(12 + 9 * (level - 1) - 1, 13)))
		return 1;
	return 0;
}

/*
 * Paging-structure caches: resume the walk below the deepest cached
 * non-leaf entry for @iova. Returns the level to read next (@levels on a
 * miss) with *table, *hpa, *slperm and the accumulated R/W, U/S, XD set.
 */
static uint32_t psc_resume(struct vtd_unit *u, const struct vtd_req *r, uint32_t levels,
			   uint64_t iova, uint64_t *table, uint64_t *hpa, uint32_t *slperm,
			   uint32_t *rw, uint32_t *us, uint32_t *xd)
{
	const struct vtd_psc_ent *c;

	if (!u->psc_enable)
		return levels;
	c = vtd_psc_lookup(u, r->pgtt == VTD_PGTT_NESTED ? VTD_TLB_NESTED : VTD_TLB_FL,
			   r->did, r->pasid, levels, iova);
	if (!c) {
		u->psc_misses++;
		return levels;
	}
	u->psc_hits++;
	*table = c->tgpa;
	*hpa = c->table;
	*slperm = VTD_P_R | ((c->perm & VTD_PSC_SLW) ? VTD_P_SW : 0);
	*rw = !!(c->perm & VTD_PSC_RW);
	*us = !!(c->perm & VTD_PSC_US);
	*xd = !!(c->perm & VTD_PSC_XD);
	return c->level - 1u;
}

/* Cache the non-leaf entry at @level that pointed to @table, now translated. */
static void psc_put(struct vtd_unit *u, const struct vtd_req *r, uint32_t levels,
		    uint32_t level, uint64_t iova, uint64_t table, uint64_t hpa,
		    uint32_t slperm, uint32_t perm)
{
	struct vtd_psc_ent n;

	memset(&n, 0, sizeof(n));
	n.prefix = (iova & ((1ull << (12 + 9 * levels)) - 1)) >> (12 + 9 * (level - 1));
	n.table = hpa;
	n.tgpa = table;
	n.pasid = r->pasid;
	n.did = r->did;
	n.level = (uint8_t)level;
	n.kind = r->pgtt == VTD_PGTT_NESTED ? VTD_TLB_NESTED : VTD_TLB_FL;
	n.levels = (uint8_t)levels;
	n.perm = (uint8_t)(perm | ((slperm & VTD_P_SW) ? VTD_PSC_SLW : 0));
	vtd_psc_fill(u, &n);
}

/* The first-level walk (and, nested, its second-level translations). */
static void fl_walk(struct vtd_unit *u, const struct vtd_req *r, uint64_t iova,
		    struct vtd_xlate *x)
{
	uint32_t levels = XI_GET(r->pe[2], VTD_PE_FLPM_H, VTD_PE_FLPM_L) ? 5 : 4;
	uint32_t width = 12 + 9 * levels, level, slperm = 0, perm, eafe, fr, shift = 12;
	uint64_t table = r->pe[2] & VTD_PE_FLPTPTR_MASK, hpa = 0, e = 0, gpa, slea = 0;
	uint32_t rw = 1, us = 1, xd = 0, start;
	int64_t sx = (int64_t)(iova << (64 - width)) >> (64 - width);

	if ((uint64_t)sx != iova) {
		x->fr = VTD_FR_CANONICAL;
		return;
	}
	eafe = !!(r->pe[2] & XI_BIT(VTD_PE_EAFE));
	start = psc_resume(u, r, levels, iova, &table, &hpa, &slperm, &rw, &us, &xd);
	for (level = start; level >= 1; level--) {
		uint64_t ea, upd;
		int leaf;

		shift = 12 + 9 * (level - 1);
		if (level != start || start == levels) {
			/* the table is not the one a cached entry gave */
			fr = fl_table(u, r, table, level == levels, &hpa, &slperm, &slea);
			if (fr) {
				x->fr = fr;
				return;
			}
			if (level < levels && u->psc_enable)
				psc_put(u, r, levels, level + 1, iova, table, hpa, slperm,
					(rw ? VTD_PSC_RW : 0) | (us ? VTD_PSC_US : 0) |
					(xd ? VTD_PSC_XD : 0));
		}
		ea = hpa + ((iova >> shift) & 511) * 8;
		u->st.table_reads++;
		if (vtd_read64(u, ea, &e)) {
			x->fr = level == levels ? VTD_FR_FL_ROOT_ACCESS : VTD_FR_FL_ACCESS;
			return;
		}
		if (!(e & XI_BIT(VTD_FL_P))) {
			x->fr = VTD_FR_FL_P;
			x->prq = !!(r->ce[0] & XI_BIT(VTD_CE_PRE));
			return;
		}
		leaf = level == 1 || (e & XI_BIT(VTD_FL_PS));
		if (fl_rsvd(u, e, level, leaf)) {
			x->fr = VTD_FR_FL_RSVD;
			return;
		}
		rw &= (uint32_t)XI_GET(e, VTD_FL_RW, VTD_FL_RW);
		us &= (uint32_t)XI_GET(e, VTD_FL_US, VTD_FL_US);
		xd |= (uint32_t)XI_GET(e, VTD_FL_XD, VTD_FL_XD);
		upd = e | XI_BIT(VTD_FL_A) | (eafe ? XI_BIT(VTD_FL_EA) : 0);
		if (leaf)
			break;
		if (upd != e) {
			if (!(slperm & VTD_P_SW)) {
				x->fr = VTD_FR_FL_SLW;
				return;
			}
			fl_table_dirty(u, r, table, slea);
			vtd_write64(u, ea, upd);
		}
		table = e & VTD_FL_ADDR_MASK;
	}
	perm = VTD_P_R | VTD_P_SW | (rw ? VTD_P_W : 0) | (us ? VTD_P_U : 0) | (xd ? 0 : VTD_P_X);
	fr = fl_perm(r, perm);
	if (fr) {
		x->fr = fr;
		return;
	}
	{
		/* leaf A (and D for a write) */
		uint64_t ea = hpa + ((iova >> shift) & 511) * 8;
		uint64_t upd = e | XI_BIT(VTD_FL_A) | (eafe ? XI_BIT(VTD_FL_EA) : 0) |
			       ((r->acc & VTD_ACC_W) ? XI_BIT(VTD_FL_D) : 0);

		if (upd != e) {
			if (!(slperm & VTD_P_SW)) {
				x->fr = VTD_FR_FL_SLW;
				return;
			}
			fl_table_dirty(u, r, table, slea);
			vtd_write64(u, ea, upd);
		}
		if (upd & XI_BIT(VTD_FL_D))
			perm |= VTD_P_D;
	}
	gpa = ((e & VTD_FL_ADDR_MASK) & ~((1ull << shift) - 1)) | (iova & ((1ull << shift) - 1));
	x->lg = shift;
	x->perm = perm;
	if (r->pgtt == VTD_PGTT_NESTED) {
		uint32_t lg2, p2;

		fr = vtd_sl_walk(u, r->pe[0] & VTD_PE_SLPTPTR_MASK, pe_sl_levels(r->pe), gpa,
				 !!(r->acc & VTD_ACC_W), !!(r->pe[0] & XI_BIT(VTD_PE_SLADE)),
				 &hpa, &p2, &lg2);
		if (fr == VTD_SLW_NP)
			fr = (r->acc & VTD_ACC_W) ? VTD_FR_WRITE : VTD_FR_READ;
		if (fr) {
			x->fr = fr;
			return;
		}
		if (lg2 < x->lg)
			x->lg = lg2;
		x->perm = (perm & ~(VTD_P_R | VTD_P_SW)) | p2;
	} else {
		if (gpa >> u->p.mgaw) {
			x->fr = VTD_FR_HW_MAX;
			return;
		}
		hpa = gpa;
	}
	x->pa = hpa;
	x->global = (uint32_t)XI_GET(e, VTD_FL_G, VTD_FL_G);
}

static uint32_t tlb_kind(uint32_t pgtt)
{
	switch (pgtt) {
	case VTD_PGTT_FL: return VTD_TLB_FL;
	case VTD_PGTT_SL: return VTD_TLB_SL;
	case VTD_PGTT_NESTED: return VTD_TLB_NESTED;
	default: return VTD_TLB_PT;
	}
}

/* Translate @iova for request @r (config already fetched). */
void vtd_translate(struct vtd_unit *u, struct vtd_req *r, uint64_t iova, struct vtd_xlate *x)
{
	uint32_t kind = tlb_kind(r->pgtt);
	struct vtd_tlb_ent *t;
	uint32_t fr;

	memset(x, 0, sizeof(*x));
	x->fault_addr = iova;
	t = vtd_tlb_lookup(u, kind, r->did, r->pasid, iova);
	if (t && !((r->acc & VTD_ACC_W) && (kind == VTD_TLB_FL || kind == VTD_TLB_NESTED) &&
		   !(t->perm & VTD_P_D) && (t->perm & VTD_P_W))) {
		u->st.tlb_hits++;
		fr = check(r, t->perm);
		if (fr) {
			x->fr = fr;
			return;
		}
		x->lg = t->lg;
		x->page = t->iova;
		x->perm = t->perm;
		x->pa = t->pa | (iova & ((1ull << t->lg) - 1));
		return;
	}
	u->st.tlb_misses++;
	switch (r->pgtt) {
	case VTD_PGTT_PT:
		if (iova >> u->p.mgaw) {
			x->fr = VTD_FR_HW_MAX;
			return;
		}
		x->pa = iova;
		x->lg = 12;
		x->perm = VTD_P_R | VTD_P_SW | VTD_P_W | VTD_P_X | VTD_P_U | VTD_P_D;
		break;
	case VTD_PGTT_SL: {
		uint32_t p2 = 0, lg = 12;

		fr = vtd_sl_walk(u, r->pe[0] & VTD_PE_SLPTPTR_MASK, pe_sl_levels(r->pe), iova,
				 !!(r->acc & VTD_ACC_W), !!(r->pe[0] & XI_BIT(VTD_PE_SLADE)),
				 &x->pa, &p2, &lg);
		/* an input beyond the second level's width stays its own 0x84 */
		if (fr == VTD_SLW_NP)
			fr = (r->acc & VTD_ACC_W) ? VTD_FR_WRITE : VTD_FR_READ;
		if (fr) {
			x->fr = fr;
			return;
		}
		x->lg = lg;
		x->perm = p2 | VTD_P_W | VTD_P_X | VTD_P_U | VTD_P_D;
		break;
	}
	default:
		fl_walk(u, r, iova, x);
		if (x->fr)
			return;
		break;
	}
	fr = check(r, x->perm);
	if (fr) {
		x->fr = fr;
		return;
	}
	x->page = iova & ~((1ull << x->lg) - 1);
	vtd_tlb_fill(u, kind, r->did, r->pasid, x, x->global);
}
