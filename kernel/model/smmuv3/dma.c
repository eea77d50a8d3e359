// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The DMA test port: one access through the SMMU as a device would issue
 * it. The device's ATC first when its STE has ATS on (EATS = 01; MSIs do
 * not use it), then config lookup, TLB, walks, permission checks, event
 * records, stalls (see include/xiommu/arch/smmuv3.h) and the MSI doorbell.
 */
#include "smmuv3_int.h"

#define DMA_FLAGS (XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_EXEC | XIOMMU_DMA_F_WRITE)

struct access {
	uint32_t sid, ssv, ssid, acc;
	uint32_t atc;		/* may use the device's ATC (not for MSIs) */
	uint64_t va;
};

static int is_translation_fault(uint8_t id)
{
	return id == SMMUV3_EVT_F_TRANSLATION || id == SMMUV3_EVT_F_ADDR_SIZE ||
	       id == SMMUV3_EVT_F_ACCESS || id == SMMUV3_EVT_F_PERMISSION;
}

static void record(struct smmu_unit *u, const struct access *a, const struct smmu_fault *f,
		   int stall, uint16_t stag)
{
	uint64_t w[4] = { 0, 0, 0, 0 };

	w[0] = SMMUV3_WPUT(f->id, SMMUV3_EVT_ID) | SMMUV3_WPUT(a->ssv, SMMUV3_EVT_SSV) |
	       SMMUV3_WPUT(a->ssv ? a->ssid : 0, SMMUV3_EVT_SSID) | SMMUV3_WPUT(a->sid, SMMUV3_EVT_SID);
	switch (f->id) {
	case SMMUV3_EVT_C_BAD_STREAMID:
	case SMMUV3_EVT_C_BAD_STE:
	case SMMUV3_EVT_C_BAD_SUBSTREAMID:
	case SMMUV3_EVT_C_BAD_CD:
	case SMMUV3_EVT_F_STREAM_DISABLED:
		break;
	case SMMUV3_EVT_F_STE_FETCH:
	case SMMUV3_EVT_F_CD_FETCH:
		w[3] = f->fetch & XI_GENMASK(55, 3);
		break;
	default:
		w[1] = SMMUV3_WPUT(stag, SMMUV3_EVT_STAG) | SMMUV3_WPUT(stall, SMMUV3_EVT_STALL) |
		       SMMUV3_WPUT(!!(a->acc & SMMU_ACC_PRIV), SMMUV3_EVT_PNU) |
		       SMMUV3_WPUT(!!(a->acc & SMMU_ACC_X), SMMUV3_EVT_IND) |
		       SMMUV3_WPUT(!(a->acc & SMMU_ACC_W), SMMUV3_EVT_RNW) |
		       SMMUV3_WPUT(f->s2, SMMUV3_EVT_S2) |
		       SMMUV3_WPUT(f->cls, SMMUV3_EVT_CLASS) |
		       SMMUV3_WPUT(f->cls == SMMUV3_CLASS_TT ? f->ttrnw : 0, SMMUV3_EVT_TTRNW);
		w[2] = a->va;
		if (f->id == SMMUV3_EVT_F_WALK_EABT)
			w[3] = f->fetch & XI_GENMASK(55, 3);
		else if (f->s2)
			w[3] = f->ipa & XI_GENMASK(55, 12);
		break;
	}
	smmu_event_push(u, SMMUV3_EVK_EVTQ, w, 4);
}

/* Slots past u->stall_hi were never used: raise() takes the first free one. */
static struct smmu_stall *stall_find(struct smmu_unit *u, const struct access *a)
{
	uint32_t i;

	for (i = 0; i < u->stall_hi; i++) {
		struct smmu_stall *s = &u->stalls[i];

		if (s->state && s->sid == a->sid && s->ssv == a->ssv && s->ssid == a->ssid &&
		    (s->iova >> 12) == (a->va >> 12) && s->write == !!(a->acc & SMMU_ACC_W))
			return s;
	}
	return NULL;
}

/* Raise @f for @a: the DMA status it ends with. */
static uint32_t raise(struct smmu_unit *u, const struct access *a, struct smmu_fault *f,
		      uint32_t *stag)
{
	struct smmu_stall *s = NULL;
	uint32_t i;

	if (f->stall && !f->s2 && is_translation_fault(f->id)) {
		/*
		 * A stall is always recorded, whatever CD.R says (IHI0070 5.5).
		 * With no room in the Event queue for its record the transaction
		 * is retried as though it had just arrived once the queue is
		 * writable (3.12.2): nothing is held, the device's next issue
		 * translates afresh and records then.
		 */
		if (u->evtq_count == u->evtq_size) {
			*stag = 0;
			return XIOMMU_DMA_STALLED;
		}
		for (i = 0; i < SMMU_STALLS; i++)
			if (!u->stalls[i].state) {
				s = &u->stalls[i];
				break;
			}
	}
	if (s) {
		if ((uint32_t)(s - u->stalls) >= u->stall_hi)
			u->stall_hi = (uint32_t)(s - u->stalls) + 1;
		s->state = 1;
		s->sid = a->sid;
		s->ssv = a->ssv;
		s->ssid = a->ssid;
		s->iova = a->va;
		s->write = !!(a->acc & SMMU_ACC_W);
		s->stag = u->next_stag++;
		*stag = s->stag;
		record(u, a, f, 1, s->stag);
		return XIOMMU_DMA_STALLED;
	}
	if (f->pri && !f->s2 && (f->id == SMMUV3_EVT_F_TRANSLATION ||
				 f->id == SMMUV3_EVT_F_PERMISSION))
		return smmu_pri_request(u, a->sid, a->ssv, a->ssid, a->acc, a->va, stag);
	/* a stage that stalls records as though R were 1, even when no slot is left */
	if (f->record || (f->stall && !f->s2) || !is_translation_fault(f->id))
		record(u, a, f, 0, 0);
	return XIOMMU_DMA_FAULT;
}

/*
 * The address the TLB holds for @va: with TBI for its half the top byte is
 * not part of the address (bit 55 extended), so tagged accesses share the
 * untagged entry and a TLBI of the untagged address reaches it.
 */
static inline uint64_t s1_untag(const struct smmu_s1cfg *s, uint64_t va)
{
	unsigned int sel = (unsigned int)((va >> 55) & 1);

	if (!s->tbi[sel])
		return va;
	return sel ? va | XI_GENMASK(63, 56) : va & ~XI_GENMASK(63, 56);
}

static int perm_ok(uint8_t p, uint32_t acc)
{
	if (acc & SMMU_ACC_W)
		return !!(p & SMMU_P_W) && (!(acc & SMMU_ACC_X) || (p & SMMU_P_X));
	if (acc & SMMU_ACC_X)
		return !!(p & SMMU_P_X);
	return !!(p & SMMU_P_R);
}

/*
 * Translate one access in the SMMU: XIOMMU_DMA_* status; *pa and *perm on
 * success, and *atc_lg the size of the translation when the STE has ATS on
 * (EATS = 01) and the result may go to the device's ATC (else 0).
 */
static uint32_t smmu_translate(struct smmu_unit *u, const struct access *a, uint64_t *pa,
			       uint32_t *perm, uint32_t *stag, uint8_t *atc_lg)
{
	struct smmu_cfg c;
	struct smmu_fault f;
	struct smmu_tx tx, t2;
	struct smmu_tlb_ent *e;
	uint16_t vmid;
	uint64_t key;
	uint8_t s1p, s2p = SMMU_P_R | SMMU_P_W | SMMU_P_X, lg = 12;
	int ats;

	f = (struct smmu_fault){ 0 };
	if (smmu_cfg_get(u, a->sid, a->ssv, a->ssid, &c, &f))
		return raise(u, a, &f, stag);
	if (c.ste->config < SMMUV3_CFG_BYPASS)
		return XIOMMU_DMA_ABORT;
	/* ATS needs both the STE's EATS and the device's ATS capability enabled */
	ats = c.ste->ats && smmu_dev_cap(u->dev_ats, a->sid);
	f.pri = ats && a->atc && smmu_dev_cap(u->dev_pri, a->sid);	/* PCIe PRI enabled */
	if (!c.s1_on && !c.s2_on) {
		*pa = a->va;
		*perm = XIOMMU_PERM_READ | XIOMMU_PERM_WRITE | XIOMMU_PERM_EXEC;
		return XIOMMU_DMA_OK;
	}
	if (!c.s1_on) {
		if (smmu_s2_walk(u, c.s2, a->va, a->acc, 0, &tx, &f)) {
			f.cls = SMMUV3_CLASS_IN;
			return raise(u, a, &f, stag);
		}
		*pa = tx.pa;
		lg = tx.lg;
		s1p = SMMU_P_R | SMMU_P_W | SMMU_P_X;
		s2p = tx.s2_p;
		goto done;
	}
	vmid = c.s2->vmid;	/* the STE's S2VMID, stage 2 on or not */
	key = s1_untag(c.s1, a->va);
	e = smmu_tlb_lookup(u, SMMU_TLB_NH, vmid, c.s1->asid, key);
	if (e) {
		uint64_t off = a->va & ((1ull << e->lg) - 1);

		s1p = (a->acc & SMMU_ACC_PRIV) ? e->perm_priv : e->perm_user;
		if (!perm_ok(s1p, a->acc)) {
			f.id = SMMUV3_EVT_F_PERMISSION;
			f.cls = SMMUV3_CLASS_IN;
			f.record = c.s1->r;
			f.stall = c.s1->s;
			return raise(u, a, &f, stag);
		}
		if (c.s2_on && !perm_ok(e->s2_p, a->acc & ~SMMU_ACC_PRIV)) {
			f.id = SMMUV3_EVT_F_PERMISSION;
			f.s2 = 1;
			f.cls = SMMUV3_CLASS_IN;
			f.record = c.s2->s2r;
			f.ipa = e->ipa | off;
			return raise(u, a, &f, stag);
		}
		*pa = e->pa | off;
		lg = e->lg;
		s2p = e->s2_p;
		goto done;
	}
	if (smmu_s1_walk(u, &c, a->va, a->acc, &tx, &f))
		return raise(u, a, &f, stag);
	s1p = (a->acc & SMMU_ACC_PRIV) ? tx.perm_priv : tx.perm_user;
	if (!perm_ok(s1p, a->acc)) {
		f.id = SMMUV3_EVT_F_PERMISSION;
		f.cls = SMMUV3_CLASS_IN;
		return raise(u, a, &f, stag);
	}
	tx.ipa = tx.pa;
	if (c.s2_on) {
		if (smmu_s2_walk(u, c.s2, tx.pa, a->acc & ~SMMU_ACC_PRIV, 0, &t2, &f)) {
			f.cls = SMMUV3_CLASS_IN;
			return raise(u, a, &f, stag);
		}
		tx.pa = t2.pa;
		tx.s2_p = t2.s2_p;
		tx.s2memattr = t2.s2memattr;
		if (t2.lg < tx.lg)
			tx.lg = t2.lg;
		s2p = t2.s2_p;
	} else {
		tx.s2_p = s2p;
	}
	smmu_tlb_insert(u, SMMU_TLB_NH, vmid, c.s1->asid, key, tx.ipa, &tx,
			c.s1->g[(a->va >> 55) & 1]);
	*pa = tx.pa;
	lg = tx.lg;
done:
	if (ats)
		*atc_lg = lg;
	s1p &= s2p;
	*perm = ((s1p & SMMU_P_R) ? XIOMMU_PERM_READ : 0) | ((s1p & SMMU_P_W) ? XIOMMU_PERM_WRITE : 0) |
		((s1p & SMMU_P_X) ? XIOMMU_PERM_EXEC : 0);
	return XIOMMU_DMA_OK;
}

/* XIOMMU_PERM_* an access needs (as perm_ok() judges SMMU_P_*). */
static uint32_t perm_need(uint32_t acc)
{
	if (acc & SMMU_ACC_W)
		return XIOMMU_PERM_WRITE | ((acc & SMMU_ACC_X) ? XIOMMU_PERM_EXEC : 0);
	return (acc & SMMU_ACC_X) ? XIOMMU_PERM_EXEC : XIOMMU_PERM_READ;
}

/*
 * One access as a device issues it: an ATS-enabled device first looks in
 * its ATC and sends a translated request on a hit (the SMMU's STE, CD and
 * TLB are not consulted, so they may have changed); on a miss it asks the
 * SMMU (ATS Translation Request) and keeps the answer.
 */
static uint32_t translate(struct smmu_unit *u, const struct access *a, uint64_t *pa,
			  uint32_t *perm, uint32_t *stag)
{
	uint32_t priv = !!(a->acc & SMMU_ACC_PRIV), st;
	const struct smmu_atc_ent *e = NULL;
	struct smmu_atc_ent n;
	uint8_t lg = 0;

	/* a device whose ATS capability is disabled issues no translated requests */
	if (a->atc && u->atc_live && smmu_dev_cap(u->dev_ats, a->sid))
		e = smmu_atc_lookup(u, a->sid, a->ssv, a->ssid, priv, a->va, perm_need(a->acc));
	if (e) {
		*pa = e->pa | (a->va & ((1ull << e->lg) - 1));
		*perm = e->perm;
		return XIOMMU_DMA_OK;
	}
	st = smmu_translate(u, a, pa, perm, stag, &lg);
	if (st == XIOMMU_DMA_OK && lg && a->atc) {
		memset(&n, 0, sizeof(n));
		n.sid = a->sid;
		n.ssv = (uint8_t)a->ssv;
		n.ssid = a->ssv ? a->ssid : 0;
		n.priv = (uint8_t)priv;
		n.va = a->va;
		n.pa = *pa;
		n.lg = lg;
		n.perm = (uint8_t)*perm;
		smmu_atc_insert(u, &n);
	}
	return st;
}

static int is_doorbell(const struct smmu_unit *u, uint64_t pa)
{
	return u->host.msi_db && pa >= u->host.msi_db && pa - u->host.msi_db < 4096;
}

int smmu_dma(void *unit, struct xm_dma *req)
{
	struct smmu_unit *u = unit;
	struct access a;
	struct smmu_stall *s;
	struct smmu_prg *g;
	uint64_t pa = 0, chunk;
	uint32_t perm = 0, st;
	void *p;

	if (!u || !req || req->op < XIOMMU_DMA_TRANSLATE || req->op > XIOMMU_DMA_MSI ||
	    (req->flags & ~(uint32_t)DMA_FLAGS))
		return -EINVAL;
	if ((req->op == XIOMMU_DMA_READ || req->op == XIOMMU_DMA_WRITE) &&
	    (!req->len || req->len > (1u << 30) || !req->buf || req->iova + req->len - 1 < req->iova))
		return -EINVAL;
	if ((req->flags & XIOMMU_DMA_F_PASID) && (req->pasid >> 20))
		return -EINVAL;
	req->status = XIOMMU_DMA_OK;
	req->pa = 0;
	req->perm = 0;
	req->done = 0;
	req->stag = 0;
	a.sid = req->sid;
	a.ssv = !!(req->flags & XIOMMU_DMA_F_PASID);
	a.ssid = a.ssv ? req->pasid : 0;
	a.acc = ((req->flags & XIOMMU_DMA_F_PRIV) ? SMMU_ACC_PRIV : 0) |
		((req->flags & XIOMMU_DMA_F_EXEC) ? SMMU_ACC_X : 0);
	if (req->op == XIOMMU_DMA_WRITE || req->op == XIOMMU_DMA_MSI ||
	    (req->op == XIOMMU_DMA_TRANSLATE && (req->flags & XIOMMU_DMA_F_WRITE)))
		a.acc |= SMMU_ACC_W;
	a.va = req->iova;
	a.atc = req->op != XIOMMU_DMA_MSI;
	if (req->sid >> u->p.sid_bits) {
		struct smmu_fault f = { .id = SMMUV3_EVT_C_BAD_STREAMID, .record = 1 };

		record(u, &a, &f, 0, 0);
		req->status = XIOMMU_DMA_FAULT;
		return 0;
	}
	s = stall_find(u, &a);
	if (s) {
		req->stag = s->stag;
		req->status = s->state == 1 ? XIOMMU_DMA_STALLED : XIOMMU_DMA_FAULT;
		if (s->state == 2)
			s->state = 0;
		return 0;
	}
	g = u->prg_count ? smmu_pri_find(u, a.sid, a.ssv, a.ssid, a.acc, a.va) : NULL;
	if (g) {
		req->stag = (uint32_t)(g - u->prg);
		req->status = g->state == 1 ? XIOMMU_DMA_STALLED : XIOMMU_DMA_FAULT;
		if (g->state == 2)
			smmu_pri_release(u, g);
		return 0;
	}
	do {
		a.va = req->iova + req->done;
		st = translate(u, &a, &pa, &perm, &req->stag);
		if (st != XIOMMU_DMA_OK) {
			req->status = st;
			return 0;
		}
		if (!req->done) {
			req->pa = pa;
			req->perm = perm;
		}
		if (req->op == XIOMMU_DMA_TRANSLATE)
			return 0;
		if (req->op == XIOMMU_DMA_MSI) {
			if (is_doorbell(u, pa)) {
				xm_msi_log_push(&u->msi, (uint32_t)(pa - u->host.msi_db), req->data);
				return 0;
			}
			p = (pa & 3) ? NULL : u->host.map(u->host.priv, pa, 4);
			if (!p) {
				req->status = XIOMMU_DMA_FAULT;
				return 0;
			}
			memcpy(p, &req->data, 4);
			return 0;
		}
		chunk = 4096 - (pa & 4095);
		if (chunk > req->len - req->done)
			chunk = req->len - req->done;
		p = u->host.map(u->host.priv, pa, (uint32_t)chunk);
		if (!p) {
			req->status = XIOMMU_DMA_FAULT;
			return 0;
		}
		if (req->op == XIOMMU_DMA_READ)
			memcpy((uint8_t *)req->buf + req->done, p, chunk);
		else
			memcpy(p, (const uint8_t *)req->buf + req->done, chunk);
		req->done += (uint32_t)chunk;
	} while (req->done < req->len);
	return 0;
}
