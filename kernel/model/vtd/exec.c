// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Programs. exec() first replays the whole program on a shadow of the PASID
 * entries it touches and checks every intermediate state, then runs it:
 *  - ENTRY_WRITE (target = RID, index = PASID) stores PASID-entry words; the
 *    RID must be attached to the domain. Context entries are host-owned and
 *    built by stream_attach: index XIOMMU_OP_INDEX_NONE is refused.
 *  - A present entry may only be torn down (P cleared, words 1..7 kept).
 *    An entry becomes present only when nothing cached could stand in for
 *    it: the PASID cache holds nothing for its RID and PASID, and the IOTLB
 *    nothing for its DID and PASID, counting the invalidations earlier in
 *    the same program (PASID cache PASID- or domain-selective; P_IOTLB
 *    PASID-selective or IOTLB domain-selective of that DID).
 *  - A present entry must be legal (vtd_pe_check), use PGTT nested or
 *    second-level only, and carry one of the domain's DIDs (its own or an
 *    extra one from tag_alloc), its SLPTPTR and AW.
 *  - CMD (count 4) is one QI descriptor: format errors are what hardware
 *    reports with FSTS.IQE (set here, nothing of the program runs), then
 *    ownership (a DID of the domain, SIDs of the domain, no global scopes, no
 *    status writes).
 *  - SYNC is an invalidation wait writing the unit's own status page.
 * PASID tables a write needs are allocated after the checks and before
 * anything runs, so a rejected program changes nothing.
 */
#include "vtd_int.h"

static struct vtd_exec_track *track_get(struct vtd_unit *u, struct vtd_exec_shadow *sh,
					struct vtd_stream *s, uint32_t pasid)
{
	struct vtd_exec_track *t;
	uint64_t *pe;
	uint32_t i;

	for (i = 0; i < sh->n; i++)
		if (sh->t[i].s == s && sh->t[i].pasid == pasid)
			return &sh->t[i];
	if (sh->n == VTD_EXEC_TRACK)
		return NULL;
	t = &sh->t[sh->n++];
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->pasid = pasid;
	pe = vtd_pasid_entry_ptr(u, s, pasid);
	if (pe) {
		memcpy(t->pe, pe, sizeof(t->pe));
	} else {
		/* one allocation per directory entry */
		t->need_table = 1;
		for (i = 0; i + 1 < sh->n; i++)
			if (sh->t[i].s == s && sh->t[i].need_table &&
			    (sh->t[i].pasid >> VTD_PASID_DIR_SHIFT) == (pasid >> VTD_PASID_DIR_SHIFT))
				t->need_table = 2;	/* shares the other track's table */
	}
	return t;
}

static int check_present(const struct vtd_unit *u, const struct vtd_dom *dom, const uint64_t *pe)
{
	uint32_t pgtt = (uint32_t)XI_GET(pe[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L);

	if (vtd_pe_check(u, pe))
		return -EINVAL;
	if (pgtt != VTD_PGTT_NESTED && pgtt != VTD_PGTT_SL)
		return -EPERM;
	if (!vtd_dom_owns(u, dom, (uint32_t)XI_GET(pe[1], VTD_PE_DID_H, VTD_PE_DID_L)) ||
	    (pe[0] & VTD_PE_SLPTPTR_MASK) != dom->root ||
	    XI_GET(pe[0], VTD_PE_AW_H, VTD_PE_AW_L) != dom->levels - 2)
		return -EPERM;
	return 0;
}

/* Does descriptor @d invalidate what a cache holds for (@did, @pasid)? */
static int covers(const uint64_t *d, uint32_t type, uint32_t did, uint32_t pasid)
{
	uint32_t g = (uint32_t)XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L);

	if (vtd_qi_type(d) != type || XI_GET(d[0], VTD_QI_DID_H, VTD_QI_DID_L) != did)
		return 0;
	switch (type) {
	case VTD_QI_PC:
		return g == VTD_QI_PC_G_DOMAIN ||
		       XI_GET(d[0], VTD_QI_PASID_H, VTD_QI_PASID_L) == pasid;
	case VTD_QI_PIOTLB:
		return g == VTD_QI_PIOTLB_G_PASID &&
		       XI_GET(d[0], VTD_QI_PASID_H, VTD_QI_PASID_L) == pasid;
	default:	/* VTD_QI_IOTLB */
		return g == VTD_QI_IOTLB_G_DOMAIN;
	}
}

/*
 * Could a cached copy stand in for a new entry of (@rid, @pasid) with @did,
 * once ops[0..@end) have run? The caches are as the program found them;
 * the program's own earlier descriptors (checked already) are replayed.
 */
static int cached(struct vtd_unit *u, uint32_t rid, uint32_t pasid, uint32_t did,
		  const struct xiommu_op *ops, uint32_t end)
{
	const struct vtd_pasid_ent *pc = vtd_pc_lookup(u, rid, pasid);
	int pc_stale = pc != NULL, tlb_stale = vtd_tlb_holds(u, (uint16_t)did, pasid, 0);
	uint32_t j;

	for (j = 0; j < end && (pc_stale || tlb_stale); j++) {
		if (ops[j].code != XIOMMU_OP_CMD)
			continue;
		if (pc_stale && covers(ops[j].w, VTD_QI_PC, pc->did, pasid))
			pc_stale = 0;
		if (tlb_stale && (covers(ops[j].w, VTD_QI_PIOTLB, did, pasid) ||
				  covers(ops[j].w, VTD_QI_IOTLB, did, pasid)))
			tlb_stale = 0;
	}
	return pc_stale || tlb_stale;
}

static int check_write(struct vtd_unit *u, struct vtd_dom *dom, struct vtd_exec_shadow *sh,
		       const struct xiommu_op *ops, uint32_t at)
{
	const struct xiommu_op *op = &ops[at];
	struct vtd_stream *s;
	struct vtd_exec_track *t;
	uint64_t n[VTD_PE_WORDS];
	uint32_t i;
	int oldp, newp;

	if (op->index == XIOMMU_OP_INDEX_NONE)
		return -EPERM;
	s = vtd_stream_find(u, op->target);
	if (!s || s->dom != dom)
		return -EPERM;
	if (!op->mask || (op->mask & ~0xffu) || op->count || (op->index >> u->p.pasid_bits) ||
	    (op->index >> (s->pdts + 7 + VTD_PASID_DIR_SHIFT)))
		return -EINVAL;
	t = track_get(u, sh, s, op->index);
	if (!t)
		return -E2BIG;
	for (i = 0; i < VTD_PE_WORDS; i++)
		n[i] = op->mask & (1u << i) ? op->w[i] : t->pe[i];
	oldp = !!(t->pe[0] & XI_BIT(VTD_PE_P));
	newp = !!(n[0] & XI_BIT(VTD_PE_P));
	if (oldp) {
		if (newp ? memcmp(n, t->pe, sizeof(n)) != 0 :
			   memcmp(n + 1, t->pe + 1, sizeof(n) - 8) != 0)
			return -EINVAL;	/* a present entry changes only by teardown */
	} else if (newp) {
		int ret = check_present(u, dom, n);

		if (ret)
			return ret;
		if (cached(u, s->rid, op->index, (uint32_t)XI_GET(n[1], VTD_PE_DID_H, VTD_PE_DID_L),
			   ops, at))
			return -EINVAL;	/* a stale copy could stand in for the new entry */
	}
	memcpy(t->pe, n, sizeof(n));
	return 0;
}

static int check_op(struct vtd_unit *u, struct vtd_dom *dom, struct vtd_exec_shadow *sh,
		    const struct xiommu_op *ops, uint32_t at)
{
	const struct xiommu_op *op = &ops[at];

	switch (op->code) {
	case XIOMMU_OP_ENTRY_WRITE:
		return check_write(u, dom, sh, ops, at);
	case XIOMMU_OP_CMD:
		if (op->count != VTD_QI_WORDS)
			return -EINVAL;
		if (vtd_qi_validate(u, op->w)) {
			u->fsts |= VTD_FSTS_IQE;
			u->iqe_count++;
			u->st.queue_errors++;
			return -EINVAL;
		}
		return vtd_qi_owned(u, dom, op->w);
	case XIOMMU_OP_SYNC:
		return 0;
	default:
		/* MSI_MAP / MSI_UNMAP: VT-d needs no MSI nesting */
		return -EINVAL;
	}
}

static void run_write(struct vtd_unit *u, struct vtd_exec_shadow *sh, const struct xiommu_op *op)
{
	struct vtd_stream *s = vtd_stream_find(u, op->target);
	uint64_t *pe;
	uint32_t i;
	int was;

	pe = vtd_pasid_entry_ptr(u, s, op->index);
	if (!pe) {
		for (i = 0; i < sh->n; i++)
			if (sh->t[i].s == s && sh->t[i].table &&
			    (sh->t[i].pasid >> VTD_PASID_DIR_SHIFT) ==
			    (op->index >> VTD_PASID_DIR_SHIFT))
				break;
		if (i == sh->n || vtd_ensure_pasid_table(u, s, op->index, sh->t[i].table) < 0)
			return;
		sh->t[i].table = 0;	/* installed: no longer ours to free */
		pe = vtd_pasid_entry_ptr(u, s, op->index);
		if (!pe)
			return;
	}
	/* word 0 (with P) last */
	was = !!(pe[0] & XI_BIT(VTD_PE_P));
	for (i = VTD_PE_WORDS; i-- > 0;)
		if (op->mask & (1u << i))
			((volatile uint64_t *)pe)[i] = op->w[i];
	if (was != !!(pe[0] & XI_BIT(VTD_PE_P)))
		vtd_did_use(u, pe, !was);
}

int vtd_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	struct vtd_exec_shadow *sh;
	uint32_t i;
	int ret = 0;

	if (!ops && n)
		return -EINVAL;
	sh = &u->sh;	/* too big for a kernel stack; programs never run concurrently */
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < n; i++) {
		ret = check_op(u, d, sh, ops, i);
		if (ret) {
			*bad = i;
			goto out;
		}
	}
	for (i = 0; i < sh->n; i++) {
		if (sh->t[i].need_table != 1)
			continue;
		ret = u->host.alloc(u->host.priv, 4096, &sh->t[i].table);
		if (ret) {
			*bad = 0;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		const struct xiommu_op *op = &ops[i];

		if (op->code == XIOMMU_OP_ENTRY_WRITE) {
			run_write(u, sh, op);
		} else if (op->code == XIOMMU_OP_CMD) {
			vtd_qi_run(u, op->w);
		} else {
			uint64_t w[4];

			vtd_qi_wait(w, 1, 1, ++u->wait_seq, u->status_pa);
			vtd_qi_run(u, w);
		}
	}
	u->st.programs++;
out:
	for (i = 0; i < sh->n; i++)
		if (sh->t[i].table)
			u->host.free(u->host.priv, sh->t[i].table, 4096);
	return ret;
}
