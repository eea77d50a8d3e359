// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Programs. exec() first replays the whole program on a shadow of the PASID
 * entries it touches and checks every intermediate state, then runs it:
 *  - ENTRY_WRITE (target = RID, index = PASID) stores PASID-entry words; the
 *    RID must be attached to the domain. Context entries are host-owned and
 *    built by stream_attach: index XIOMMU_OP_INDEX_NONE is refused.
 *  - A present entry may only be torn down (P cleared, words 1..7 kept).
 *    An entry becomes present only when no stale copy of an earlier entry
 *    of that PASID can remain: the PASID cache and the IOTLB (PASID-based,
 *    PASID-selective, or the DID's domain-selective IOTLB) must have been
 *    invalidated since the teardown, or hold nothing for it.
 *  - A present entry must be legal (vtd_pe_check), use PGTT nested or
 *    second-level only, and carry the domain's DID, SLPTPTR and AW.
 *  - CMD (count 4) is one QI descriptor: format errors are what hardware
 *    reports with FSTS.IQE (set here, nothing of the program runs), then
 *    ownership (DID = domain, SIDs of the domain, no global scopes, no
 *    status writes).
 *  - SYNC is an invalidation wait writing the unit's own status page.
 * PASID tables a write needs are allocated after the checks and before
 * anything runs, so a rejected program changes nothing.
 */
#include "vtd_int.h"

static struct vtd_exec_track *track_get(struct vtd_unit *u, struct vtd_dom *dom,
					struct vtd_exec_shadow *sh, struct vtd_stream *s,
					uint32_t pasid)
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
	t->stale_pc = (uint8_t)vtd_pc_holds(u, s->rid, pasid);
	t->stale_tlb = (uint8_t)vtd_tlb_holds(u, (uint16_t)dom->did, pasid, 0);
	return t;
}

static int check_present(const struct vtd_unit *u, const struct vtd_dom *dom, const uint64_t *pe)
{
	uint32_t pgtt = (uint32_t)XI_GET(pe[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L);

	if (vtd_pe_check(u, pe))
		return -EINVAL;
	if (pgtt != VTD_PGTT_NESTED && pgtt != VTD_PGTT_SL)
		return -EPERM;
	if (XI_GET(pe[1], VTD_PE_DID_H, VTD_PE_DID_L) != dom->did ||
	    (pe[0] & VTD_PE_SLPTPTR_MASK) != dom->root ||
	    XI_GET(pe[0], VTD_PE_AW_H, VTD_PE_AW_L) != dom->levels - 2)
		return -EPERM;
	return 0;
}

static int check_write(struct vtd_unit *u, struct vtd_dom *dom, struct vtd_exec_shadow *sh,
		       const struct xiommu_op *op)
{
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
	t = track_get(u, dom, sh, s, op->index);
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
		if (!newp)
			t->stale_pc = t->stale_tlb = 1;
	} else if (newp) {
		int ret = check_present(u, dom, n);

		if (ret)
			return ret;
		if (t->stale_pc || t->stale_tlb)
			return -EINVAL;	/* a stale copy of the old entry may remain */
	}
	memcpy(t->pe, n, sizeof(n));
	return 0;
}

static void shadow_inv(struct vtd_exec_shadow *sh, const uint64_t *d)
{
	uint32_t type = vtd_qi_type(d), g = (uint32_t)XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L);
	uint32_t pasid = (uint32_t)XI_GET(d[0], VTD_QI_PASID_H, VTD_QI_PASID_L), i;

	/* the descriptor is owned, so its DID is the domain's */
	for (i = 0; i < sh->n; i++) {
		struct vtd_exec_track *t = &sh->t[i];

		if (type == VTD_QI_PC && (g == VTD_QI_PC_G_DOMAIN || t->pasid == pasid))
			t->stale_pc = 0;
		if (type == VTD_QI_PIOTLB && g == VTD_QI_PIOTLB_G_PASID && t->pasid == pasid)
			t->stale_tlb = 0;
		if (type == VTD_QI_IOTLB && g == VTD_QI_IOTLB_G_DOMAIN)
			t->stale_tlb = 0;
	}
}

static int check_op(struct vtd_unit *u, struct vtd_dom *dom, struct vtd_exec_shadow *sh,
		    const struct xiommu_op *op)
{
	int ret;

	switch (op->code) {
	case XIOMMU_OP_ENTRY_WRITE:
		return check_write(u, dom, sh, op);
	case XIOMMU_OP_CMD:
		if (op->count != VTD_QI_WORDS)
			return -EINVAL;
		if (vtd_qi_validate(u, op->w)) {
			u->fsts |= VTD_FSTS_IQE;
			u->iqe_count++;
			u->st.queue_errors++;
			return -EINVAL;
		}
		ret = vtd_qi_owned(u, dom, op->w);
		if (ret)
			return ret;
		shadow_inv(sh, op->w);
		return 0;
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
	for (i = VTD_PE_WORDS; i-- > 0;)
		if (op->mask & (1u << i))
			((volatile uint64_t *)pe)[i] = op->w[i];
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
		ret = check_op(u, d, sh, &ops[i]);
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
