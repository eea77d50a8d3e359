// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The unit's caches, each stale until the matching invalidation:
 *  - context cache, tagged by requester id;
 *  - PASID cache, tagged by requester id + PASID and carrying the entry's DID;
 *  - IOTLB, tagged by DID, PASID (first-level and nested entries) and
 *    address; second-level-only and pass-through entries by DID and address;
 *  - device TLBs (ATS), per requester id, PASID and address.
 *  - first-level paging-structure caches (when psc_enable is set): non-leaf
 *    entries (PML5E, PML4E, PDPE, PDE) tagged by DID, PASID and the input
 *    address bits above their span, with the (host-translated) table they
 *    point to; a walk resumes below the deepest match. Second-level
 *    non-leaf entries are not cached.
 * Replacement is round-robin. Lookups go through the indexes of vtd_int.h,
 * which find exactly what a scan in index order would.
 *
 * Which descriptor reaches which entries:
 *  - IOTLB (type 2): second-level-only, pass-through and nested entries of
 *    the DID (page-selective: nested entries are keyed by input address, so
 *    all nested entries of the DID go); first-level-only entries are kept.
 *  - PASID-based IOTLB (type 6): first-level and nested entries of DID +
 *    PASID; PASID-selective keeps global (G=1) entries, page-selective does not.
 *    Paging-structure-cache entries of DID + PASID: PASID-selective drops
 *    them all; page-selective with IH=0 those whose span meets the range,
 *    with IH=1 ("only leaf entries changed") none.
 *  - IOTLB (type 2) on the paging-structure caches: nested entries (their
 *    table address came through the second level) of the DID, all of them
 *    for global and domain-selective, for page-selective those whose table
 *    GPA is in the range (IH would only spare second-level non-leaf caches,
 *    which are not modelled).
 *  - device-TLB (type 3): the requester's entries made without PASID;
 *    PASID-based device-TLB (type 8): those of one PASID.
 */
#include "vtd_int.h"

/*
 * The context and PASID caches hold a key at most once (a fill follows a
 * lookup that missed), so the hint of where a key was last seen finds the
 * same entry as the scan.
 */
static uint32_t pc_hint(uint32_t rid, uint32_t pasid)
{
	return (rid ^ (pasid * 7u)) % VTD_CFG_HINTS;
}

struct vtd_ctx_ent *vtd_ctxc_lookup(struct vtd_unit *u, uint32_t rid)
{
	uint32_t h = u->ctxc_hint[rid % VTD_CFG_HINTS], i;

	if (h && u->ctxc[h - 1].valid && u->ctxc[h - 1].rid == rid)
		return &u->ctxc[h - 1];
	for (i = 0; i < VTD_CTX_CACHE; i++)
		if (u->ctxc[i].valid && u->ctxc[i].rid == rid) {
			u->ctxc_hint[rid % VTD_CFG_HINTS] = (uint8_t)(i + 1);
			return &u->ctxc[i];
		}
	return NULL;
}

void vtd_ctxc_fill(struct vtd_unit *u, uint32_t rid, const uint64_t *ce)
{
	struct vtd_ctx_ent *c = &u->ctxc[u->ctxc_next];

	u->ctxc_hint[rid % VTD_CFG_HINTS] = (uint8_t)(u->ctxc_next + 1);
	u->ctxc_next = (u->ctxc_next + 1) % VTD_CTX_CACHE;
	c->rid = rid;
	c->valid = 1;
	memcpy(c->ce, ce, sizeof(c->ce));
}

struct vtd_pasid_ent *vtd_pc_lookup(struct vtd_unit *u, uint32_t rid, uint32_t pasid)
{
	uint32_t h = u->pc_hint[pc_hint(rid, pasid)], i;
	struct vtd_pasid_ent *c;

	if (h) {
		c = &u->pc[h - 1];
		if (c->valid && c->rid == rid && c->pasid == pasid)
			return c;
	}
	for (i = 0; i < VTD_PASID_CACHE; i++)
		if (u->pc[i].valid && u->pc[i].rid == rid && u->pc[i].pasid == pasid) {
			u->pc_hint[pc_hint(rid, pasid)] = (uint8_t)(i + 1);
			return &u->pc[i];
		}
	return NULL;
}

struct vtd_pasid_ent *vtd_pc_fill(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
				  const uint64_t *pe)
{
	struct vtd_pasid_ent *c = &u->pc[u->pc_next];

	u->pc_hint[pc_hint(rid, pasid)] = (uint8_t)(u->pc_next + 1);
	u->pc_next = (u->pc_next + 1) % VTD_PASID_CACHE;
	c->rid = rid;
	c->pasid = pasid;
	c->valid = 1;
	c->did = (uint16_t)XI_GET(pe[1], VTD_PE_DID_H, VTD_PE_DID_L);
	c->pde_fpd = 0;
	memcpy(c->pe, pe, sizeof(c->pe));
	return c;
}

static int covers(uint64_t base, uint32_t lg, uint64_t addr, uint64_t size)
{
	uint64_t end = base + (1ull << lg);

	return base < addr + size && addr < end;
}

static int tlb_by_pasid(uint32_t kind)
{
	return kind == VTD_TLB_FL || kind == VTD_TLB_NESTED;
}

_Static_assert(VTD_IOTLB_SIZE <= XM_TLB_SLOTS && VTD_TLB_PT < XM_TLB_KINDS,
	       "the TLB index holds the whole IOTLB");

static uint32_t tlb_bucket(uint32_t kind, uint16_t did, uint32_t pasid, uint32_t lg, uint64_t vpn)
{
	return xm_tlb_bucket(((uint64_t)did << 40) | ((uint64_t)(tlb_by_pasid(kind) ? pasid : 0) << 20),
			     kind, lg, vpn);
}

static void tlb_free(struct vtd_unit *u, struct vtd_tlb_ent *t)
{
	xm_tlb_index_del(&u->tlbx, (uint32_t)(t - u->tlb));
	t->kind = VTD_TLB_FREE;
}

/* The first entry (lowest index) translating @iova for (kind, DID[, PASID]). */
static struct vtd_tlb_ent *tlb_find(struct vtd_unit *u, uint32_t kind, uint16_t did,
				    uint32_t pasid, uint64_t iova)
{
	struct vtd_tlb_ent *best = NULL, *t;
	uint64_t lgs = u->tlbx.lgs[kind];

	while (lgs) {
		uint32_t lg = (uint32_t)__builtin_ctzll(lgs), i;
		uint64_t vpn = iova >> lg;

		lgs &= lgs - 1;
		for (i = xm_tlb_first(&u->tlbx, tlb_bucket(kind, did, pasid, lg, vpn)); i;
		     i = xm_tlb_next(&u->tlbx, i)) {
			t = &u->tlb[i - 1];
			if (t->did != did || t->kind != kind || t->lg != lg || (t->iova >> lg) != vpn)
				continue;
			if (tlb_by_pasid(kind) && t->pasid != pasid)
				continue;
			if (!best || t < best)
				best = t;
		}
	}
	return best;
}

struct vtd_tlb_ent *vtd_tlb_lookup(struct vtd_unit *u, uint32_t kind, uint16_t did,
				   uint32_t pasid, uint64_t iova)
{
	struct vtd_tlb_memo *m = &u->tlb_memo;
	uint32_t key = kind << 16 | did;
	struct vtd_tlb_ent *t;

	if (!tlb_by_pasid(kind))
		pasid = 0;
	/* entries are 4 KiB at least: (key, PASID, 4 KiB page) decides the outcome */
	if (m->e && m->gen == u->tlbx.gen && m->page == iova >> 12 && m->key == key &&
	    m->pasid == pasid)
		return m->e;
	t = tlb_find(u, kind, did, pasid, iova);
	if (t) {
		m->gen = u->tlbx.gen;
		m->page = iova >> 12;
		m->key = key;
		m->pasid = pasid;
		m->e = t;
	}
	return t;
}

void vtd_tlb_fill(struct vtd_unit *u, uint32_t kind, uint16_t did, uint32_t pasid,
		  const struct vtd_xlate *x, uint32_t global)
{
	struct vtd_tlb_ent *t = vtd_tlb_lookup(u, kind, did, pasid, x->page);
	uint32_t idx;

	if (!t) {
		t = &u->tlb[u->tlb_next];
		u->tlb_next = (u->tlb_next + 1) % VTD_IOTLB_SIZE;
	}
	idx = (uint32_t)(t - u->tlb);
	if (t->kind != VTD_TLB_FREE)
		xm_tlb_index_del(&u->tlbx, idx);
	t->kind = (uint8_t)kind;
	t->did = did;
	t->pasid = pasid;
	t->iova = x->page;
	t->lg = (uint8_t)x->lg;
	t->pa = x->pa & ~((1ull << x->lg) - 1);
	t->perm = (uint8_t)x->perm;
	t->global = (uint8_t)global;
	xm_tlb_index_add(&u->tlbx, idx, tlb_bucket(kind, did, pasid, t->lg, t->iova >> t->lg), kind,
			 t->lg);
}

struct vtd_devtlb_ent *vtd_devtlb_lookup(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
					 uint64_t iova)
{
	struct vtd_tlb_memo *m = &u->devtlb_memo;
	uint32_t i;

	if (m->e && m->gen == u->devtlb_gen && m->page == iova >> 12 && m->key == rid &&
	    m->pasid == pasid)
		return m->e;
	for (i = 0; i < VTD_DEVTLB_SIZE; i++) {
		struct vtd_devtlb_ent *t = &u->devtlb[i];

		if (t->valid && t->rid == rid && t->pasid == pasid &&
		    (iova & ~((1ull << t->lg) - 1)) == t->iova) {
			m->gen = u->devtlb_gen;
			m->page = iova >> 12;
			m->key = rid;
			m->pasid = pasid;
			m->e = t;
			return t;
		}
	}
	return NULL;
}

/* @pasid carries bit 31 set for requests without PASID. */
void vtd_devtlb_fill(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
		     const struct vtd_xlate *x)
{
	struct vtd_devtlb_ent *t = vtd_devtlb_lookup(u, rid, pasid, x->page);

	if (!t) {
		t = &u->devtlb[u->devtlb_next];
		u->devtlb_next = (u->devtlb_next + 1) % VTD_DEVTLB_SIZE;
	}
	t->valid = 1;
	t->rid = rid;
	t->pasid = pasid;
	t->iova = x->page;
	t->lg = (uint8_t)x->lg;
	t->pa = x->pa & ~((1ull << x->lg) - 1);
	t->perm = (uint8_t)x->perm;
	u->devtlb_gen++;
}

void vtd_inv_ctx(struct vtd_unit *u, int all, uint32_t rid, uint32_t fm)
{
	/* FM: 0 no mask, 1 masks function bit 2, 2 bits 2:1, 3 bits 2:0 */
	uint32_t mask = fm ? 0xffffu & ~(uint32_t)XI_GENMASK(2, 3 - fm) : 0xffffu, i;

	for (i = 0; i < VTD_CTX_CACHE; i++)
		if (all || (u->ctxc[i].rid & mask) == (rid & mask))
			u->ctxc[i].valid = 0;
}

void vtd_inv_pc(struct vtd_unit *u, int all, uint16_t did, int by_pasid, uint32_t pasid)
{
	uint32_t i;

	for (i = 0; i < VTD_PASID_CACHE; i++) {
		struct vtd_pasid_ent *c = &u->pc[i];

		if (all || (c->did == did && (!by_pasid || c->pasid == pasid)))
			c->valid = 0;
	}
}

void vtd_inv_pc_rid(struct vtd_unit *u, uint32_t rid)
{
	uint32_t i;

	for (i = 0; i < VTD_PASID_CACHE; i++)
		if (u->pc[i].rid == rid)
			u->pc[i].valid = 0;
}

/* The deepest cached non-leaf entry that translates @iova. */
struct vtd_psc_ent *vtd_psc_lookup(struct vtd_unit *u, uint32_t kind, uint16_t did,
				   uint32_t pasid, uint32_t levels, uint64_t iova)
{
	struct vtd_psc_ent *best = NULL;
	uint64_t in = iova & ((1ull << (12 + 9 * levels)) - 1);
	uint32_t i;

	for (i = 0; i < VTD_PSC_SIZE; i++) {
		struct vtd_psc_ent *e = &u->psc[i];

		if (!e->level || e->did != did || e->pasid != pasid || e->kind != kind ||
		    e->levels != levels || e->prefix != in >> (12 + 9 * (e->level - 1)))
			continue;
		if (!best || e->level < best->level) {
			best = e;
			if (e->level == 2)
				break;
		}
	}
	return best;
}

void vtd_psc_fill(struct vtd_unit *u, const struct vtd_psc_ent *n)
{
	struct vtd_psc_ent *e = NULL;
	uint32_t i;

	for (i = 0; i < VTD_PSC_SIZE; i++) {
		struct vtd_psc_ent *o = &u->psc[i];

		if (o->level == n->level && o->did == n->did && o->pasid == n->pasid &&
		    o->kind == n->kind && o->levels == n->levels && o->prefix == n->prefix) {
			e = o;
			break;
		}
	}
	if (!e) {
		e = &u->psc[u->psc_next];
		u->psc_next = (u->psc_next + 1) % VTD_PSC_SIZE;
	}
	*e = *n;
}

/*
 * The 2^AM-page block holding @addr meets [base, base + 2^lg)? (lg may
 * reach 64; AM is any 6-bit value: a block of 2^64 bytes or more is all)
 */
static int am_meets(uint64_t base, uint32_t lg, uint64_t addr, uint32_t am)
{
	uint64_t bl = lg >= 64 ? ~0ull : (1ull << lg) - 1;
	uint64_t al = vtd_qi_am_mask(am);

	return (base & ~bl) <= (addr | al) && (addr & ~al) <= (base | bl);
}

/* P_IOTLB: PASID-selective (@page 0) or page-selective with IH=0. */
static void psc_inv_pasid(struct vtd_unit *u, uint16_t did, uint32_t pasid, int page,
			  uint64_t addr, uint32_t am)
{
	uint32_t i;

	for (i = 0; i < VTD_PSC_SIZE; i++) {
		struct vtd_psc_ent *e = &u->psc[i];
		uint32_t lg = 12 + 9 * (e->level - 1);

		if (!e->level || e->did != did || e->pasid != pasid)
			continue;
		if (page && !am_meets(e->prefix << lg, lg,
				       addr & ((1ull << (12 + 9 * e->levels)) - 1), am))
			continue;
		e->level = 0;
	}
}

/* IOTLB (type 2): nested entries, whose table address went through the second level. */
static void psc_inv_sl(struct vtd_unit *u, int all, uint16_t did, int page, uint64_t addr,
		       uint32_t am)
{
	uint32_t i;

	for (i = 0; i < VTD_PSC_SIZE; i++) {
		struct vtd_psc_ent *e = &u->psc[i];

		if (!e->level || e->kind != VTD_TLB_NESTED || (!all && e->did != did))
			continue;
		if (!all && page && !am_meets(e->tgpa, 12, addr, am))
			continue;
		e->level = 0;
	}
}

void vtd_inv_iotlb(struct vtd_unit *u, int all, uint16_t did, int page, uint64_t addr,
		   uint32_t am, uint32_t ih)
{
	uint32_t i;

	(void)ih;	/* second-level non-leaf entries are not cached */
	psc_inv_sl(u, all, did, page, addr, am);
	for (i = 0; i < VTD_IOTLB_SIZE; i++) {
		struct vtd_tlb_ent *t = &u->tlb[i];

		if (t->kind == VTD_TLB_FREE || t->kind == VTD_TLB_FL)
			continue;
		if (!all && t->did != did)
			continue;
		if (page && t->kind != VTD_TLB_NESTED && !am_meets(t->iova, t->lg, addr, am))
			continue;
		tlb_free(u, t);
	}
}

void vtd_inv_piotlb(struct vtd_unit *u, uint16_t did, uint32_t pasid, int page, uint64_t addr,
		    uint32_t am, uint32_t ih)
{
	uint32_t i;

	if (!page || !ih)
		psc_inv_pasid(u, did, pasid, page, addr, am);
	for (i = 0; i < VTD_IOTLB_SIZE; i++) {
		struct vtd_tlb_ent *t = &u->tlb[i];

		if ((t->kind != VTD_TLB_FL && t->kind != VTD_TLB_NESTED) || t->did != did ||
		    t->pasid != pasid)
			continue;
		if (page ? !am_meets(t->iova, t->lg, addr, am) : t->global)
			continue;
		tlb_free(u, t);
	}
}

/*
 * Device-TLB invalidation = a PCIe ATS Invalidate Request. Without a PASID
 * prefix (type 3, @by_pasid 0) it reaches every entry of the range, those
 * the device requested with a PASID included: PCIe ATS gives no way to
 * invalidate only the PASID-less ones (Linux arm-smmu-v3.c
 * arm_smmu_atc_inv_to_cmd() relies on it; the SMMUv3 model's ATC_INV with
 * SSV = 0 behaves the same). With a PASID (type 8) only that PASID's.
 */
void vtd_inv_devtlb(struct vtd_unit *u, uint32_t rid, int by_pasid, uint32_t pasid,
		    int all, uint64_t addr, uint32_t order)
{
	uint64_t size = order >= 52 ? ~0ull : (1ull << (12 + order));
	uint32_t i;

	if (size != ~0ull)
		addr &= ~(size - 1);
	for (i = 0; i < VTD_DEVTLB_SIZE; i++) {
		struct vtd_devtlb_ent *t = &u->devtlb[i];

		if (!t->valid || t->rid != rid)
			continue;
		if (!all) {
			if (by_pasid && t->pasid != pasid)
				continue;
			if (size != ~0ull && !covers(t->iova, t->lg, addr, size))
				continue;
		}
		t->valid = 0;
		u->devtlb_gen++;
	}
}

/* Any IOTLB or paging-structure-cache entry a new PASID entry could be confused with. */
int vtd_tlb_holds(struct vtd_unit *u, uint16_t did, uint32_t pasid, int sl)
{
	uint32_t i;

	for (i = 0; i < VTD_IOTLB_SIZE; i++) {
		struct vtd_tlb_ent *t = &u->tlb[i];

		if (t->kind == VTD_TLB_FREE || t->did != did)
			continue;
		if (sl ? (t->kind == VTD_TLB_SL || t->kind == VTD_TLB_PT) :
			 ((t->kind == VTD_TLB_FL || t->kind == VTD_TLB_NESTED) && t->pasid == pasid))
			return 1;
	}
	for (i = 0; !sl && i < VTD_PSC_SIZE; i++)
		if (u->psc[i].level && u->psc[i].did == did && u->psc[i].pasid == pasid)
			return 1;
	return 0;
}
