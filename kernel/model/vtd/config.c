// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Configuration fetch for one request: root entry, scalable-mode context
 * entry (context cache), PASID directory entry and PASID table entry
 * (PASID cache), each checked with the scalable-mode fault reasons.
 */
#include "vtd_int.h"

/* 0 when a present PASID entry is legal on this unit, else its fault reason (arch/vtd.h). */
uint32_t vtd_pe_check(const struct vtd_unit *u, const uint64_t *pe)
{
	return vtd_pe_fault(pe, u->cap, u->ecap);
}

static uint32_t fetch_context(struct vtd_unit *u, uint32_t rid, uint64_t *ce)
{
	struct vtd_ctx_ent *c = vtd_ctxc_lookup(u, rid);
	uint32_t bus = rid >> 8, devfn = rid & 0xff, i;
	uint64_t re, base;

	if (c) {
		u->st.cfg_hits++;
		memcpy(ce, c->ce, sizeof(c->ce));
		return 0;
	}
	u->st.cfg_misses++;
	u->st.table_reads++;
	if (vtd_read64(u, u->root + bus * 16 + (devfn >> 7) * 8, &re))
		return VTD_FR_ROOT_ACCESS;
	if (!(re & 1))
		return VTD_FR_ROOT_P;
	if (re & VTD_RE_RSVD)
		return VTD_FR_ROOT_RSVD;
	base = (re & VTD_RE_CTP_MASK) + (devfn & 0x7f) * 32;
	for (i = 0; i < 4; i++) {
		u->st.table_reads++;
		if (vtd_read64(u, base + i * 8, &ce[i]))
			return VTD_FR_CTX_ACCESS;
	}
	if (!(ce[0] & XI_BIT(VTD_CE_P)))
		return VTD_FR_CTX_P;
	if ((ce[0] & VTD_CE_RSVD0) || (ce[1] & VTD_CE_RSVD1) || ce[2] || ce[3])
		return VTD_FR_CTX_RSVD;
	if (((ce[0] & VTD_CE_PDIR_MASK) >> u->p.mgaw) ||
	    ((ce[0] & XI_BIT(VTD_CE_PRE)) && !u->p.prs) ||
	    ((ce[0] & XI_BIT(VTD_CE_DTE)) && !u->p.dt))
		return VTD_FR_CTX_INVALID;
	vtd_ctxc_fill(u, rid, ce);
	return 0;
}

/*
 * The PASID entry of @pasid; *pde_fpd gets the FPD of the PASID-directory
 * entry, which disables the recording of faults found in that entry and
 * below (kept with the PASID-cache entry).
 */
static uint32_t fetch_pasid(struct vtd_unit *u, const uint64_t *ce, uint32_t rid,
			    uint32_t pasid, uint64_t *pe, uint8_t *pde_fpd)
{
	struct vtd_pasid_ent *c = vtd_pc_lookup(u, rid, pasid);
	uint64_t pdir = ce[0] & VTD_CE_PDIR_MASK, de, base;
	uint32_t i, fr;

	if (c) {
		u->st.cfg_hits++;
		memcpy(pe, c->pe, sizeof(c->pe));
		*pde_fpd = c->pde_fpd;
		return 0;
	}
	u->st.cfg_misses++;
	u->st.table_reads++;
	if (vtd_read64(u, pdir + (uint64_t)(pasid >> VTD_PASID_DIR_SHIFT) * 8, &de))
		return VTD_FR_PDE_ACCESS;
	*pde_fpd = !!(de & XI_BIT(VTD_PDE_FPD));	/* read whatever P says */
	if (!(de & XI_BIT(VTD_PDE_P)))
		return VTD_FR_PDE_P;
	if (de & VTD_PDE_RSVD)
		return VTD_FR_PDE_RSVD;
	base = (de & VTD_PDE_PTR_MASK) + (pasid & 63) * 64;
	for (i = 0; i < VTD_PE_WORDS; i++) {
		u->st.table_reads++;
		if (vtd_read64(u, base + i * 8, &pe[i]))
			return VTD_FR_PE_ACCESS;
	}
	if (!(pe[0] & XI_BIT(VTD_PE_P)))
		return VTD_FR_PE_P;
	fr = vtd_pe_check(u, pe);
	if (fr)
		return fr;
	vtd_pc_fill(u, rid, pasid, pe)->pde_fpd = *pde_fpd;
	return 0;
}

/* Context and PASID entry of request @r; 0 or the fault reason. */
uint32_t vtd_fetch_config(struct vtd_unit *u, struct vtd_req *r)
{
	uint32_t fr, pdts, pgtt;

	r->pde_fpd = 0;
	fr = fetch_context(u, r->rid, r->ce);
	if (fr)
		return fr;
	pdts = (uint32_t)XI_GET(r->ce[0], VTD_CE_PDTS_H, VTD_CE_PDTS_L);
	if (r->pp) {
		if (!(r->ce[0] & XI_BIT(VTD_CE_PASIDE)))
			return VTD_FR_CTX_PASIDE;
		if (r->pasid >> (pdts + 7 + VTD_PASID_DIR_SHIFT))
			return VTD_FR_PASID_RANGE;
	} else {
		r->pasid = (uint32_t)XI_GET(r->ce[1], VTD_CE_RID_PASID_H, VTD_CE_RID_PASID_L);
		if (r->pasid >> (pdts + 7 + VTD_PASID_DIR_SHIFT))
			return VTD_FR_RID_PASID;
		/* privilege is only carried by a PASID prefix */
		r->acc &= ~VTD_ACC_PRIV;
	}
	fr = fetch_pasid(u, r->ce, r->rid, r->pasid, r->pe, &r->pde_fpd);
	if (fr)
		return fr;
	r->did = (uint16_t)XI_GET(r->pe[1], VTD_PE_DID_H, VTD_PE_DID_L);
	pgtt = (uint32_t)XI_GET(r->pe[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L);
	r->pgtt = pgtt;
	if (pgtt == VTD_PGTT_FL || pgtt == VTD_PGTT_NESTED) {
		if ((r->acc & VTD_ACC_PRIV) && !(r->pe[2] & XI_BIT(VTD_PE_SRE)))
			return VTD_FR_PE_SRE;
		if ((r->acc & VTD_ACC_X) && !(r->pe[2] & XI_BIT(VTD_PE_ERE)))
			return VTD_FR_PE_ERE;
	}
	return 0;
}
