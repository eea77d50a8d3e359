// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The DMA test port, primary fault recording and the page request queue.
 *
 * A device whose context entry has DTE set and whose ATS capability the host
 * enabled (dev_caps) keeps what the unit translated for it in its device
 * TLB and uses it before asking the unit again, so device-TLB invalidations
 * are observable.
 *
 * Page requests: an access that finds a first-level entry not present, on a
 * context entry with PRE set, from a device whose PRI capability the host
 * enabled, is taken as the device asking for the page: a page request
 * descriptor (LPIG=1, one page per group) is queued instead of a fault
 * record and the access returns XIOMMU_DMA_STALLED with stag = the page
 * request group index. A page group response (QI type 9)
 * closes the group; the device then retries the access.
 *
 * Interrupt remapping is not modelled: an access whose output reaches the
 * unit's doorbell page is logged for msi_pop (MSI op) or aborted.
 */
#include "vtd_int.h"

/*
 * Errors accessing the root, context, PASID-directory and PASID tables are
 * not qualified faults: FPD does not hide them (as QEMU's
 * vtd_qualified_faults[] has it).
 */
static int fr_qualified(uint32_t fr)
{
	return !(fr >= VTD_FR_ROOT_ACCESS && fr <= VTD_FR_ROOT_RSVD) && fr != VTD_FR_CTX_ACCESS &&
	       fr != VTD_FR_PDE_ACCESS && fr != VTD_FR_PE_ACCESS;
}

/*
 * Primary fault logging: FPD in the context, PASID-directory or PASID
 * entry used by the request disables recording of qualified faults; FPD
 * is read whatever the entry's P says (an entry torn down to P = 0 with
 * FPD = 1 keeps the faults of DMA still in flight quiet). While FSTS.PFO
 * is set no fault is recorded (software clears PFO), and a fault that
 * finds the next recording register still pending sets PFO and is lost.
 * Returns 1 when FPD kept the fault from being recorded (the test port
 * reports such an access as XIOMMU_DMA_ABORT, aborted silently).
 */
int vtd_record_fault(struct vtd_unit *u, const struct vtd_req *r, uint64_t addr, uint32_t fr)
{
	uint64_t *rec;

	if (fr_qualified(fr) && ((r->ce[0] & XI_BIT(VTD_CE_FPD)) || r->pde_fpd ||
				 (r->pe[0] & XI_BIT(VTD_PE_FPD))))
		return 1;
	rec = u->frcd[u->fri];
	if ((u->fsts & VTD_FSTS_PFO) || (rec[1] & XI_BIT(VTD_FRCD_F))) {
		/* the next register is still pending: overflow, the fault is lost */
		u->fsts |= VTD_FSTS_PFO;
		u->st.events_lost++;
		return 0;
	}
	vtd_frcd_encode(rec, addr, r->rid, fr, r->pp, r->pasid, !(r->acc & VTD_ACC_W),
			!!(r->acc & VTD_ACC_PRIV), !!(r->acc & VTD_ACC_X));
	u->frcd_addr[u->fri] = addr;
	u->fr_order[u->fri] = u->fr_seq++;
	u->fri = (u->fri + 1) % u->p.nfr;
	u->fsts |= VTD_FSTS_PPF;
	u->st.events++;
	return 0;
}

int vtd_prq_raise(struct vtd_unit *u, const struct vtd_req *r, uint64_t addr, uint32_t *prgi)
{
	struct vtd_prg *g = NULL;
	uint32_t i, slot;

	if (u->prq_count >= u->p.prq_depth) {
		u->fsts |= VTD_FSTS_PRO;
		u->st.events_lost++;
		return -ENOSPC;
	}
	for (i = 0; i < VTD_PRG_PENDING; i++)
		if (!u->prgs[i].valid) {
			g = &u->prgs[i];
			break;
		}
	if (!g) {
		u->st.events_lost++;
		return -ENOSPC;
	}
	g->valid = 1;
	g->rid = r->rid;
	g->pasid = r->pasid;
	g->pp = r->pp;
	g->prgi = u->prg_next;
	u->prg_next = (u->prg_next + 1) & 0x1ff;
	slot = (u->prq_head + u->prq_count) % u->p.prq_depth;
	vtd_prq_encode(u->prq[slot], r->rid, r->pp, r->pasid, !!(r->acc & VTD_ACC_X),
		       !!(r->acc & VTD_ACC_PRIV), !(r->acc & VTD_ACC_W), !!(r->acc & VTD_ACC_W),
		       1, g->prgi, addr);
	u->prq_seq[slot] = u->fr_seq++;
	u->prq_count++;
	u->st.events++;
	*prgi = g->prgi;
	return 0;
}

void vtd_prg_respond(struct vtd_unit *u, uint32_t rid, uint32_t prgi, uint32_t code)
{
	uint32_t i;

	(void)code;	/* the device retries (success) or gives up: its business */
	for (i = 0; i < VTD_PRG_PENDING; i++)
		if (u->prgs[i].valid && u->prgs[i].rid == rid && u->prgs[i].prgi == prgi)
			u->prgs[i].valid = 0;
}

/* XIOMMU_PERM_* a translation grants to the request's privilege level. */
static uint32_t eff_perm(const struct vtd_req *r, uint32_t perm)
{
	uint32_t p = 0, priv = r->acc & VTD_ACC_PRIV;
	int fl = r->pgtt == VTD_PGTT_FL || r->pgtt == VTD_PGTT_NESTED;

	if (fl && !priv && !(perm & VTD_P_U))
		return 0;
	if (perm & VTD_P_R)
		p |= XIOMMU_PERM_READ;
	if ((perm & VTD_P_SW) &&
	    ((perm & VTD_P_W) || (fl && priv && !(r->pe[2] & XI_BIT(VTD_PE_WPE)))))
		p |= XIOMMU_PERM_WRITE;
	if ((perm & VTD_P_X) && (!fl || (r->pe[2] & XI_BIT(VTD_PE_ERE))))
		p |= XIOMMU_PERM_EXEC;
	if (priv)
		p |= XIOMMU_PERM_PRIV;
	return p;
}

static uint32_t need_perm(const struct vtd_req *r)
{
	return (r->acc & VTD_ACC_W ? XIOMMU_PERM_WRITE : XIOMMU_PERM_READ) |
	       (r->acc & VTD_ACC_X ? XIOMMU_PERM_EXEC : 0) |
	       (r->acc & VTD_ACC_PRIV ? XIOMMU_PERM_PRIV : 0);
}

/*
 * One page of the access: XIOMMU_DMA_OK with pa, lg, perm set, or the
 * status. *fresh: r's entry words are still unset (zeroed before the first
 * config fetch of the access, so a device-TLB hit never pays for them).
 */
static uint32_t dma_page(struct vtd_unit *u, struct vtd_req *r, struct xm_dma *req,
			 uint64_t iova, uint64_t *pa, uint32_t *lg, uint32_t *perm, int *fresh)
{
	uint32_t dpasid = r->pp ? r->pasid : XI_BIT(31);
	/* the device uses its device TLB only while its ATS capability is enabled */
	struct vtd_devtlb_ent *dt = vtd_dev_cap(u->dev_ats, r->rid) ?
				    vtd_devtlb_lookup(u, r->rid, dpasid, iova) : NULL;
	struct vtd_xlate x;
	uint32_t fr;

	/* a device-TLB entry serves requests of the privilege it was made for */
	if (dt && (need_perm(r) & ~dt->perm) == 0 &&
	    !((need_perm(r) ^ dt->perm) & XIOMMU_PERM_PRIV)) {
		u->devtlb_hits++;
		*pa = dt->pa | (iova & ((1ull << dt->lg) - 1));
		*lg = dt->lg;
		*perm = dt->perm;
		return XIOMMU_DMA_OK;
	}
	if (*fresh) {
		memset(r->ce, 0, sizeof(r->ce));
		memset(r->pe, 0, sizeof(r->pe));
		*fresh = 0;
	}
	fr = vtd_fetch_config(u, r);
	if (fr)
		return vtd_record_fault(u, r, iova, fr) ? XIOMMU_DMA_ABORT : XIOMMU_DMA_FAULT;
	vtd_translate(u, r, iova, &x);
	if (x.fr) {
		/* a page request needs PRE in the context entry and the device's PRI enabled */
		if (x.prq && u->p.prs && vtd_dev_cap(u->dev_pri, r->rid) &&
		    !vtd_prq_raise(u, r, iova, &req->stag))
			return XIOMMU_DMA_STALLED;
		return vtd_record_fault(u, r, x.fault_addr, x.fr) ? XIOMMU_DMA_ABORT :
								     XIOMMU_DMA_FAULT;
	}
	*pa = x.pa;
	*lg = x.lg;
	*perm = eff_perm(r, x.perm);
	if ((r->ce[0] & XI_BIT(VTD_CE_DTE)) && vtd_dev_cap(u->dev_ats, r->rid)) {
		struct vtd_xlate dx = x;

		dx.perm = *perm;
		dx.page = iova & ~((1ull << x.lg) - 1);
		vtd_devtlb_fill(u, r->rid, dpasid, &dx);
	}
	return XIOMMU_DMA_OK;
}

int vtd_dma(void *unit, struct xm_dma *req)
{
	struct vtd_unit *u = unit;
	struct vtd_req r;
	uint64_t iova = req->iova, left, pa = 0;
	uint8_t *buf = req->buf;
	uint32_t lg = 12, perm = 0, st;
	int first = 1, fresh = 1;

	if (req->op < XIOMMU_DMA_TRANSLATE || req->op > XIOMMU_DMA_MSI || req->sid > 0xffff ||
	    ((req->flags & XIOMMU_DMA_F_PASID) && (req->pasid >> 20)) ||
	    ((req->op == XIOMMU_DMA_READ || req->op == XIOMMU_DMA_WRITE) &&
	     (!req->len || !req->buf || iova + req->len - 1 < iova)))
		return -EINVAL;
	r.rid = req->sid;
	r.pp = !!(req->flags & XIOMMU_DMA_F_PASID);
	r.pasid = r.pp ? req->pasid : 0;
	r.acc = 0;
	r.did = 0;
	r.pde_fpd = 0;
	r.pgtt = 0;
	if (req->op == XIOMMU_DMA_WRITE || req->op == XIOMMU_DMA_MSI ||
	    (req->op == XIOMMU_DMA_TRANSLATE && (req->flags & XIOMMU_DMA_F_WRITE)))
		r.acc |= VTD_ACC_W;
	if (req->flags & XIOMMU_DMA_F_EXEC)
		r.acc |= VTD_ACC_X;
	if (req->flags & XIOMMU_DMA_F_PRIV)
		r.acc |= VTD_ACC_PRIV;
	req->done = 0;
	req->status = XIOMMU_DMA_OK;
	left = req->op == XIOMMU_DMA_TRANSLATE ? 1 :
	       req->op == XIOMMU_DMA_MSI ? 4 : req->len;
	while (left) {
		uint64_t n = 4096 - (iova & 0xfff);
		uint8_t *p;

		if (n > left)
			n = left;
		st = dma_page(u, &r, req, iova, &pa, &lg, &perm, &fresh);
		if (st) {
			req->status = st;
			return 0;
		}
		if (first) {
			req->pa = pa;
			req->perm = perm;
			first = 0;
		}
		if (req->op == XIOMMU_DMA_TRANSLATE)
			return 0;
		if (u->host.msi_db && (pa & ~0xfffull) == u->host.msi_db) {
			if (req->op == XIOMMU_DMA_MSI) {
				xm_msi_log_push(&u->msi, (uint32_t)(pa & 0xfff), req->data);
				req->done = 4;
				return 0;
			}
			req->status = XIOMMU_DMA_ABORT;
			return 0;
		}
		p = u->host.map(u->host.priv, pa, (uint32_t)n);
		if (!p) {
			req->status = XIOMMU_DMA_ABORT;
			return 0;
		}
		if (req->op == XIOMMU_DMA_READ)
			memcpy(buf, p, n);
		else if (req->op == XIOMMU_DMA_WRITE)
			memcpy(p, buf, n);
		else
			memcpy(p, &req->data, 4);
		if (buf)
			buf += n;
		iova += n;
		left -= n;
		req->done += (uint32_t)n;
	}
	return 0;
}
