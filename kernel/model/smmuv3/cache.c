// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The model's caches: a TLB of leaf translations tagged as the hardware
 * tags them (NH entries by VMID + ASID or global, stage-2 entries by VMID,
 * each with its block size), and configuration caches of STEs (by StreamID)
 * and CDs (by StreamID + SubstreamID), kept decoded. Nothing leaves a cache
 * except by a matching invalidation or by replacement, so tests can see
 * staleness. Replacement is round-robin; lookups go through a hash (TLB) or
 * a hint (config caches) and find exactly what a scan in index order would.
 */
#include "smmuv3_int.h"

static int overlaps(uint64_t a, uint8_t lg, uint64_t addr, uint64_t size)
{
	uint64_t end = a + ((1ull << lg) - 1);

	return !(end < addr || (size && a > addr + (size - 1)));
}

_Static_assert(SMMU_TLB_SIZE <= XM_TLB_SLOTS && SMMU_TLB_KINDS <= XM_TLB_KINDS,
	       "the TLB index holds the whole TLB");

static uint32_t tlb_bucket(uint32_t kind, uint16_t vmid, uint32_t lg, uint64_t vpn)
{
	return xm_tlb_bucket((uint64_t)vmid << 40, kind, lg, vpn);
}

static void tlb_free(struct smmu_unit *u, struct smmu_tlb_ent *e)
{
	xm_tlb_index_del(&u->tlbx, (uint32_t)(e - u->tlb));
	e->kind = SMMU_TLB_FREE;
}

/*
 * The first entry (lowest index) that translates @va for (kind, VMID,
 * ASID): NH entries match the ASID or are global, S2 entries ignore it.
 * Each block size in use is one bucket; a bucket holds every ASID.
 * smmu_tlb_lookup() tries the last hit first.
 */
struct smmu_tlb_ent *smmu_tlb_find(struct smmu_unit *u, uint32_t kind, uint16_t vmid,
				   uint16_t asid, uint64_t va)
{
	struct smmu_tlb_memo *m = &u->tlb_memo[kind];
	struct smmu_tlb_ent *best = NULL, *e;
	uint64_t lgs = u->tlbx.lgs[kind];

	while (lgs) {
		uint32_t lg = (uint32_t)__builtin_ctzll(lgs), i;
		uint64_t vpn = va >> lg;

		lgs &= lgs - 1;
		for (i = xm_tlb_first(&u->tlbx, tlb_bucket(kind, vmid, lg, vpn)); i;
		     i = xm_tlb_next(&u->tlbx, i)) {
			e = &u->tlb[i - 1];
			if (e->vmid != vmid || e->kind != kind || e->lg != lg || (e->va >> lg) != vpn)
				continue;
			if (kind == SMMU_TLB_NH && !e->global && e->asid != asid)
				continue;
			if (!best || e < best)
				best = e;
		}
	}
	if (!best) {
		u->st.tlb_misses++;
		return NULL;
	}
	u->st.tlb_hits++;
	m->gen = u->tlbx.gen;
	m->page = va >> 12;
	m->vmid = vmid;
	m->asid = asid;
	m->e = best;
	return best;
}

void smmu_tlb_insert(struct smmu_unit *u, uint32_t kind, uint16_t vmid, uint16_t asid,
		     uint64_t va, uint64_t ipa, const struct smmu_tx *tx, uint8_t gshift)
{
	uint32_t idx = u->tlb_next;
	struct smmu_tlb_ent *e = &u->tlb[idx];
	uint64_t m = (1ull << tx->lg) - 1;

	u->tlb_next = (u->tlb_next + 1) % SMMU_TLB_SIZE;
	if (e->kind != SMMU_TLB_FREE)
		xm_tlb_index_del(&u->tlbx, idx);
	e->kind = (uint8_t)kind;
	e->vmid = vmid;
	e->asid = asid;
	e->va = va & ~m;
	e->ipa = ipa & ~m;
	e->pa = tx->pa & ~m;
	e->lg = tx->lg;
	e->level = tx->level;
	e->global = tx->global;
	e->perm_priv = tx->perm_priv;
	e->perm_user = tx->perm_user;
	e->s2_p = tx->s2_p;
	e->s2memattr = tx->s2memattr;
	e->gshift = gshift;
	xm_tlb_index_add(&u->tlbx, idx, tlb_bucket(kind, vmid, e->lg, e->va >> e->lg), kind, e->lg);
}

/*
 * Does a TLBI by address reach @e? A nested entry may be smaller than the
 * stage-1 leaf it came from (a 64K stage-1 page over 4K stage-2 pages):
 * a TLBI of any address in that stage-1 leaf must remove it, so NH entries
 * match over their stage-1 leaf (granule gshift, level).
 */
static int inv_overlaps(const struct smmu_tlb_ent *e, uint64_t addr, uint64_t size)
{
	unsigned int lg = e->lg;

	if (e->kind == SMMU_TLB_NH && e->gshift)
		lg = e->gshift + (3u - e->level) * (e->gshift - 3u);
	return overlaps(e->va & ~((1ull << lg) - 1), (uint8_t)lg, addr, size);
}

void smmu_tlb_inv(struct smmu_unit *u, uint32_t how, uint16_t vmid, uint16_t asid,
		  uint64_t addr, uint64_t size)
{
	struct smmu_tlb_ent *e;
	uint32_t i;

	for (i = 0; i < SMMU_TLB_SIZE; i++) {
		e = &u->tlb[i];
		if (e->kind == SMMU_TLB_FREE)
			continue;
		if (e->kind == SMMU_TLB_NH && !(how & SMMU_INV_NH))
			continue;
		if (e->kind == SMMU_TLB_S2 && !(how & SMMU_INV_S2))
			continue;
		if ((how & SMMU_INV_VMID) && e->vmid != vmid)
			continue;
		if (how & SMMU_INV_ASID) {
			if (how & SMMU_INV_ADDR) {
				if (!e->global && e->asid != asid)
					continue;
			} else if (e->global || e->asid != asid) {
				continue;
			}
		}
		if ((how & SMMU_INV_ADDR) && !inv_overlaps(e, addr, size))
			continue;
		/* a range TLBI of another granule may leave the entry: this model does */
		if ((how >> 8) && e->gshift != (how >> 8))
			continue;
		tlb_free(u, e);
	}
}

/*
 * The STE and CD caches hold each StreamID (StreamID + SubstreamID) at most
 * once: an entry is filled only after a lookup for its key missed. So a
 * hint, the slot where the key was last seen, finds it without changing
 * what is found; the scan is the fallback.
 */
static uint32_t cd_hint(uint32_t sid, uint32_t ssid)
{
	return (sid ^ (ssid * 7u)) % SMMU_CFG_HINTS;
}

const struct smmu_ste_cfg *smmu_stec_lookup(struct smmu_unit *u, uint32_t sid)
{
	uint32_t h = u->stec_hint[sid % SMMU_CFG_HINTS], i;

	if (h && u->stec[h - 1].valid && u->stec[h - 1].sid == sid) {
		u->st.cfg_hits++;
		return &u->stec[h - 1].c;
	}
	for (i = 0; i < SMMU_STE_CACHE; i++)
		if (u->stec[i].valid && u->stec[i].sid == sid) {
			u->stec_hint[sid % SMMU_CFG_HINTS] = (uint8_t)(i + 1);
			u->st.cfg_hits++;
			return &u->stec[i].c;
		}
	u->st.cfg_misses++;
	return NULL;
}

const struct smmu_ste_cfg *smmu_stec_insert(struct smmu_unit *u, uint32_t sid,
					    const struct smmu_ste_cfg *c)
{
	uint32_t i = u->stec_next;
	struct smmu_ste_ent *e = &u->stec[i];

	u->stec_next = (u->stec_next + 1) % SMMU_STE_CACHE;
	e->valid = 1;
	e->sid = sid;
	e->c = *c;
	u->stec_hint[sid % SMMU_CFG_HINTS] = (uint8_t)(i + 1);
	return &e->c;
}

const struct smmu_s1cfg *smmu_cdc_lookup(struct smmu_unit *u, uint32_t sid, uint32_t ssid)
{
	uint32_t h = u->cdc_hint[cd_hint(sid, ssid)], i;

	if (h && u->cdc[h - 1].valid && u->cdc[h - 1].sid == sid && u->cdc[h - 1].ssid == ssid) {
		u->st.cfg_hits++;
		return &u->cdc[h - 1].s1;
	}
	for (i = 0; i < SMMU_CD_CACHE; i++)
		if (u->cdc[i].valid && u->cdc[i].sid == sid && u->cdc[i].ssid == ssid) {
			u->cdc_hint[cd_hint(sid, ssid)] = (uint8_t)(i + 1);
			u->st.cfg_hits++;
			return &u->cdc[i].s1;
		}
	u->st.cfg_misses++;
	return NULL;
}

const struct smmu_s1cfg *smmu_cdc_insert(struct smmu_unit *u, uint32_t sid, uint32_t ssid,
					 const struct smmu_s1cfg *s1)
{
	uint32_t i = u->cdc_next;
	struct smmu_cd_ent *e = &u->cdc[i];

	u->cdc_next = (u->cdc_next + 1) % SMMU_CD_CACHE;
	e->valid = 1;
	e->sid = sid;
	e->ssid = ssid;
	e->s1 = *s1;
	u->cdc_hint[cd_hint(sid, ssid)] = (uint8_t)(i + 1);
	return &e->s1;
}

/* Drop STEs and/or CDs of StreamIDs [lo, lo + n) (one SSID or all). */
void smmu_cfg_inv(struct smmu_unit *u, uint32_t lo, uint64_t n, int ste, int cd, int one_ssid,
		  uint32_t ssid)
{
	uint32_t i;

	for (i = 0; ste && i < SMMU_STE_CACHE; i++)
		if (u->stec[i].valid && u->stec[i].sid >= lo && u->stec[i].sid - lo < n)
			u->stec[i].valid = 0;
	for (i = 0; cd && i < SMMU_CD_CACHE; i++)
		if (u->cdc[i].valid && u->cdc[i].sid >= lo && u->cdc[i].sid - lo < n &&
		    (!one_ssid || u->cdc[i].ssid == ssid))
			u->cdc[i].valid = 0;
}

/*
 * The device's ATC (ATS, STE.EATS = 01). It sits in front of the SMMU:
 * a hit never reaches the STE, CD or TLB, so it stays stale after TLBIs
 * until ATC_INV. An entry without the permission an access needs is not
 * used (the device asks the SMMU again). Hits and ATS translation requests
 * (misses that the SMMU answered) count in tlb_hits / tlb_misses.
 */
const struct smmu_atc_ent *smmu_atc_lookup(struct smmu_unit *u, uint32_t sid, uint32_t ssv,
					   uint32_t ssid, uint32_t priv, uint64_t va, uint32_t need)
{
	const struct smmu_atc_ent *e;
	uint32_t i;

	if (!u->atc_live)
		return NULL;
	for (i = 0; i < SMMU_ATC_SIZE; i++) {
		e = &u->atc[i];
		if (!e->valid || e->sid != sid || e->ssv != ssv || e->priv != priv ||
		    (ssv && e->ssid != ssid) || (va >> e->lg) != (e->va >> e->lg) ||
		    (e->perm & need) != need)
			continue;
		u->st.tlb_hits++;
		return e;
	}
	return NULL;
}

void smmu_atc_insert(struct smmu_unit *u, const struct smmu_atc_ent *n)
{
	struct smmu_atc_ent *e = NULL;
	uint64_t m = (1ull << n->lg) - 1;
	uint32_t i;

	/* a refill of the same page (e.g. more permissions) replaces it */
	for (i = 0; i < SMMU_ATC_SIZE && !e; i++)
		if (u->atc[i].valid && u->atc[i].sid == n->sid && u->atc[i].ssv == n->ssv &&
		    u->atc[i].ssid == n->ssid && u->atc[i].priv == n->priv &&
		    overlaps(u->atc[i].va, u->atc[i].lg, n->va & ~m, 1ull << n->lg))
			e = &u->atc[i];
	if (!e) {
		e = &u->atc[u->atc_next];
		u->atc_next = (u->atc_next + 1) % SMMU_ATC_SIZE;
		if (!e->valid)
			u->atc_live++;
	}
	*e = *n;
	e->valid = 1;
	e->va &= ~m;
	e->pa &= ~m;
	u->st.tlb_misses++;
}

/*
 * ATC_INV semantics (see the arch header): SSV = 0 hits every entry of
 * @sid in range, with or without SSID, because the ATS Invalidate Request
 * it becomes carries no PASID prefix and PCIe ATS then invalidates the
 * range for every PASID (Linux arm_smmu_atc_inv_to_cmd(); the VT-d model's
 * type-3 device-TLB invalidation does the same); SSV = 1 those of @ssid;
 * SSV = 1 with Global those of every SSID. @size 0 = the whole input space.
 */
void smmu_atc_inv(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t global, uint32_t ssid,
		  uint64_t addr, uint64_t size)
{
	struct smmu_atc_ent *e;
	uint32_t i;

	for (i = 0; i < SMMU_ATC_SIZE; i++) {
		e = &u->atc[i];
		if (!e->valid || e->sid != sid)
			continue;
		if (ssv && (!e->ssv || (!global && e->ssid != ssid)))
			continue;
		if (size && !overlaps(e->va, e->lg, addr, size))
			continue;
		e->valid = 0;
		u->atc_live--;
	}
}

