// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Programs (include/xiommu/program.h) on a VT-d unit: the host's final
 * check, then the run. Every op is checked, on a shadow of the PASID
 * entries the program touches, before any runs:
 *  - ENTRY_WRITE (target = RID, index = PASID) stores PASID-entry words; the
 *    RID must be attached to the domain. Context entries are host-owned:
 *    index XIOMMU_OP_INDEX_NONE is refused.
 *  - A present entry changes only by teardown (P cleared, words 1..7 kept).
 *    A present entry must be legal for the unit (CAP / ECAP), use PGTT
 *    nested or second-level only, and carry one of the domain's DIDs, its
 *    SLPTPTR and AW.
 *  - The IOTLB is tagged by DID and PASID, not by requester: an entry may
 *    become present with a (DID, PASID) another present entry of the domain
 *    carries only after an IOTLB domain-selective invalidation of that DID
 *    earlier in the program. A PASID-selective P_IOTLB is not enough: it
 *    keeps global (G = 1) translations, which would stand in as well.
 *  - CMD (count 4) is one invalidation descriptor: what the unit would stop
 *    at with FSTS.IQE is refused (-EINVAL, counted in queue_errors), then
 *    ownership: a DID of the domain, requesters of the domain, no global
 *    scopes, no status writes (-EPERM); a page response for a requester
 *    not granted PRI, a device-TLB invalidation for one not granted ATS
 *    is -EOPNOTSUPP.
 *  - After each P_IOTLB and IOTLB descriptor the host queues the device-TLB
 *    invalidations of the same PASID and range for the domain's ATS
 *    requesters whose entries carry that DID, and a wait (as Linux's nested
 *    VT-d cache-tag flush does): a guest that sends only IOTLB
 *    invalidations is correct.
 *  - SYNC is an invalidation wait writing the host's status page.
 *  - GUEST_WRITE (a guest wait descriptor's status write) goes to a GPA the
 *    second level maps writable, after everything before it completed.
 *
 * Teardown rule: the host cannot see the unit's caches, so it does not ask
 * whether something is cached. Instead, when a program clears P of a
 * present entry, the host itself queues right after that write the flushes
 * VT-d requires for a PASID-entry teardown: PASID cache (PASID-selective)
 * and P_IOTLB (PASID-selective) under the entry's DID, when the requester
 * was granted ATS a PASID-based device-TLB invalidation (for the RID_PASID
 * entry a device-TLB invalidation without PASID, as Linux does), and a wait.
 * Nothing cached for the torn-down entry survives into a later write of it,
 * whatever the program itself sends.
 *
 * PASID tables a write needs are allocated after the checks and before
 * anything runs, so a rejected program changes nothing.
 */
#include "vtd_host.h"

static struct xh_vtd_track *track_get(struct xh_vtd *h, struct xh_vtd_stream *s,
				      uint32_t pasid)
{
	struct xh_vtd_prog *ps = h->prog;
	struct xh_vtd_track *t;
	uint64_t *pe;
	uint32_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->t[i].s == s && ps->t[i].pasid == pasid)
			return &ps->t[i];
	if (ps->n == XH_VTD_TRACK)
		return NULL;
	t = &ps->t[ps->n++];
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->pasid = pasid;
	pe = xh_vtd_pe_ptr(h, s, pasid);
	if (pe) {
		memcpy(t->pe, pe, sizeof(t->pe));
	} else {
		/* one allocation per directory entry */
		t->need_table = 1;
		for (i = 0; i + 1 < ps->n; i++)
			if (ps->t[i].s == s && ps->t[i].need_table &&
			    (ps->t[i].pasid >> VTD_PASID_DIR_SHIFT) == (pasid >> VTD_PASID_DIR_SHIFT))
				t->need_table = 2;	/* shares the other track's table */
	}
	return t;
}

static int check_present(const struct xh_vtd *h, const struct xh_vtd_dom *dom,
			 const uint64_t *pe)
{
	uint32_t pgtt = (uint32_t)XI_GET(pe[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L);

	if (xh_vtd_pe_legal(h, pe))
		return -EINVAL;
	if (pgtt != VTD_PGTT_NESTED && pgtt != VTD_PGTT_SL)
		return -EPERM;
	if (!xh_vtd_owns(h, dom, xh_vtd_pe_did(pe)) ||
	    (pe[0] & VTD_PE_SLPTPTR_MASK) != dom->sl.root ||
	    XI_GET(pe[0], VTD_PE_AW_H, VTD_PE_AW_L) != dom->levels - 2)
		return -EPERM;
	return 0;
}

/* Is (@did, @pasid) carried by a present entry of another requester of @dom? */
static int shared_tag(struct xh_vtd *h, const struct xh_vtd_dom *dom,
		      const struct xh_vtd_stream *self, uint32_t pasid, uint32_t did)
{
	struct xh_vtd_prog *ps = h->prog;
	const uint64_t *pe;
	uint32_t i, j;

	for (i = 0; i < XH_VTD_MAX_STREAMS; i++) {
		const struct xh_vtd_stream *s = &h->streams[i];

		if (s->dom != dom || s == self)
			continue;
		pe = NULL;
		for (j = 0; j < ps->n; j++)
			if (ps->t[j].s == s && ps->t[j].pasid == pasid)
				pe = ps->t[j].pe;
		if (!pe)
			pe = xh_vtd_pe_ptr(h, s, pasid);
		if (pe && (pe[0] & XI_BIT(VTD_PE_P)) && xh_vtd_pe_did(pe) == did)
			return 1;
	}
	return 0;
}

/* Do ops[0..@end) hold the domain-selective IOTLB invalidation of @did? */
static int flushed_before(const struct xiommu_op *ops, uint32_t end, uint32_t did)
{
	uint32_t j;

	for (j = 0; j < end; j++) {
		const uint64_t *d = ops[j].w;

		if (ops[j].code == XIOMMU_OP_CMD && vtd_qi_type(d) == VTD_QI_IOTLB &&
		    XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L) == VTD_QI_IOTLB_G_DOMAIN &&
		    XI_GET(d[0], VTD_QI_DID_H, VTD_QI_DID_L) == did)
			return 1;
	}
	return 0;
}

static int check_write(struct xh_vtd *h, struct xh_vtd_dom *dom, const struct xiommu_op *ops,
		       uint32_t at)
{
	const struct xiommu_op *op = &ops[at];
	struct xh_vtd_stream *s;
	struct xh_vtd_track *t;
	uint64_t n[VTD_PE_WORDS];
	uint32_t i;
	int oldp, newp, ret;

	if (op->index == XIOMMU_OP_INDEX_NONE)
		return -EPERM;
	s = xh_vtd_stream_find(h, op->target);
	if (!s || s->dom != dom)
		return -EPERM;
	if (!op->mask || (op->mask & ~0xffu) || op->count || (op->index >> h->pasid_bits) ||
	    (op->index >> (s->pdts + 7 + VTD_PASID_DIR_SHIFT)))
		return -EINVAL;
	t = track_get(h, s, op->index);
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
		ret = check_present(h, dom, n);
		if (ret)
			return ret;
		if (shared_tag(h, dom, s, op->index, xh_vtd_pe_did(n)) &&
		    !flushed_before(ops, at, xh_vtd_pe_did(n)))
			return -EINVAL;	/* another entry's translations could stand in */
	}
	memcpy(t->pe, n, sizeof(n));
	return 0;
}

static int rid_owned(struct xh_vtd *h, const struct xh_vtd_dom *dom, uint64_t rid)
{
	struct xh_vtd_stream *s = xh_vtd_stream_find(h, (uint32_t)rid);

	return s && s->dom == dom;
}

/* A requester of @dom granted @grant: 0; not granted: -EOPNOTSUPP; not the domain's: -EPERM. */
static int rid_granted(struct xh_vtd *h, const struct xh_vtd_dom *dom, uint64_t rid,
		       uint32_t grant)
{
	struct xh_vtd_stream *s = xh_vtd_stream_find(h, (uint32_t)rid);

	if (!s || s->dom != dom)
		return -EPERM;
	return s->grants & grant ? 0 : -EOPNOTSUPP;
}

/* Ownership of a legal descriptor: 0 or -EPERM. */
static int qi_owned(struct xh_vtd *h, const struct xh_vtd_dom *dom, const uint64_t *d)
{
	uint32_t type = vtd_qi_type(d), g = (uint32_t)XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L);
	uint32_t did = (uint32_t)XI_GET(d[0], VTD_QI_DID_H, VTD_QI_DID_L);

	switch (type) {
	case VTD_QI_CC:
		if (g == VTD_QI_CC_G_GLOBAL || !xh_vtd_owns(h, dom, did))
			return -EPERM;
		if (g == VTD_QI_CC_G_DEVICE &&
		    (XI_GET(d[0], VTD_QI_CC_FM_H, VTD_QI_CC_FM_L) ||
		     !rid_owned(h, dom, XI_GET(d[0], VTD_QI_SID_H, VTD_QI_SID_L))))
			return -EPERM;
		return 0;
	case VTD_QI_IOTLB:
		return g == VTD_QI_IOTLB_G_GLOBAL || !xh_vtd_owns(h, dom, did) ? -EPERM : 0;
	case VTD_QI_DEVTLB:
		/* no device TLB without the ATS grant: nothing to invalidate */
		return rid_granted(h, dom, XI_GET(d[0], VTD_QI_SID_H, VTD_QI_SID_L), XIOMMU_VDEV_ATS);
	case VTD_QI_IEC:
		return 0;
	case VTD_QI_WAIT:
		/* status writes go only to the host's own page, through XIOMMU_OP_SYNC */
		return d[0] & XI_BIT(VTD_QI_WAIT_SW) ? -EPERM : 0;
	case VTD_QI_PIOTLB:
		return !xh_vtd_owns(h, dom, did) ? -EPERM : 0;
	case VTD_QI_PC:
		return g == VTD_QI_PC_G_GLOBAL || !xh_vtd_owns(h, dom, did) ? -EPERM : 0;
	case VTD_QI_PDEVTLB:
		return rid_granted(h, dom, XI_GET(d[0], VTD_QI_PDT_SID_H, VTD_QI_PDT_SID_L),
				   XIOMMU_VDEV_ATS);
	case VTD_QI_PGRP_RESP:
		/* no page requests without the PRI grant: nothing to respond to */
		return rid_granted(h, dom, XI_GET(d[0], VTD_QI_PGR_RID_H, VTD_QI_PGR_RID_L),
				   XIOMMU_VDEV_PRI);
	default:
		return -EPERM;
	}
}

static int check_op(struct xh_vtd *h, struct xh_vtd_dom *dom, const struct xiommu_op *ops,
		    uint32_t at)
{
	const struct xiommu_op *op = &ops[at];

	switch (op->code) {
	case XIOMMU_OP_ENTRY_WRITE:
		return check_write(h, dom, ops, at);
	case XIOMMU_OP_CMD:
		if (op->count != VTD_QI_WORDS)
			return -EINVAL;
		if (xh_vtd_qi_legal(h, op->w)) {
			h->b.refused++;	/* the unit would stop at it: FSTS.IQE */
			return -EINVAL;
		}
		return qi_owned(h, dom, op->w);
	case XIOMMU_OP_SYNC:
		return 0;
	case XIOMMU_OP_GUEST_WRITE:
		return xh_guest_write_check(&dom->sl, op, NULL);
	default:
		/* MSI_MAP / MSI_UNMAP: VT-d needs no MSI nesting */
		return -EINVAL;
	}
}

/* Send the program's queue entries gathered so far. */
static int flush(struct xh_vtd *h, uint32_t *nb)
{
	return xh_unit_flush(&h->b, (const uint64_t (*)[XM_CMD_WORDS])h->prog->cmds, nb);
}

/*
 * The teardown flushes of @pe (just made not present; word 0 was @was0) of
 * @s at @pasid, then a wait. The IOTLB as Linux tears a PASID entry down: a
 * first-level-only or pass-through entry's translations with the
 * PASID-selective P_IOTLB (the domain-selective IOTLB invalidation keeps
 * first-level-only ones); any other type's with the domain-selective IOTLB
 * invalidation, since the PASID-selective form is non-global and would keep
 * the global (G = 1) first-level translations of a nested entry.
 */
static int teardown_flush(struct xh_vtd *h, const struct xh_vtd_stream *s, uint32_t pasid,
			  const uint64_t *pe, uint64_t was0)
{
	uint64_t q[VTD_QI_WORDS], pgtt = XI_GET(was0, VTD_PE_PGTT_H, VTD_PE_PGTT_L);
	uint32_t did = xh_vtd_pe_did(pe);

	vtd_qi_pc(q, VTD_QI_PC_G_PASID, did, pasid);
	xh_vtd_inv_add(h, q);
	if (pgtt == VTD_PGTT_FL || pgtt == VTD_PGTT_PT)
		vtd_qi_piotlb(q, VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
	else
		vtd_qi_iotlb(q, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
	xh_vtd_inv_add(h, q);
	if (s->grants & XIOMMU_VDEV_ATS) {
		/* the RID_PASID's translations are the device's requests without PASID */
		if (pasid == XH_VTD_RID_PASID)
			vtd_qi_devtlb(q, s->rid, 0, 0, 0, 52);
		else
			vtd_qi_pdevtlb(q, s->rid, 0, 0, pasid, 0, 0, 52);
		xh_vtd_inv_add(h, q);
	}
	return xh_vtd_inv_wait(h);
}

static int run_write(struct xh_vtd *h, const struct xiommu_op *op)
{
	struct xh_vtd_prog *ps = h->prog;
	struct xh_vtd_stream *s = xh_vtd_stream_find(h, op->target);
	uint64_t *pe, was0;
	uint32_t i;
	int was, now;

	if (xh_vtd_stream_live(h, s))
		return -EIO;
	pe = xh_vtd_pe_ptr(h, s, op->index);
	if (!pe) {
		for (i = 0; i < ps->n; i++)
			if (ps->t[i].s == s && ps->t[i].table &&
			    (ps->t[i].pasid >> VTD_PASID_DIR_SHIFT) ==
			    (op->index >> VTD_PASID_DIR_SHIFT))
				break;
		if (i == ps->n || xh_vtd_pasid_table_install(h, s, op->index, ps->t[i].table) < 0)
			return -EIO;
		ps->t[i].table = 0;	/* installed: no longer ours to free */
		pe = xh_vtd_pe_ptr(h, s, op->index);
		if (!pe)
			return -EIO;
	}
	/* word 0 (with P) last */
	was0 = pe[0];
	was = !!(was0 & XI_BIT(VTD_PE_P));
	for (i = VTD_PE_WORDS; i-- > 0;)
		if (op->mask & (1u << i))
			((volatile uint64_t *)pe)[i] = op->w[i];
	now = !!(pe[0] & XI_BIT(VTD_PE_P));
	if (was == now)
		return 0;
	xh_vtd_did_use(h, pe, now);
	return now ? 0 : teardown_flush(h, s, op->index, pe, was0);
}

/* Queue the device-TLB invalidation of @s at @pasid for 2^@order pages at @addr. */
static void devtlb_add(struct xh_vtd *h, const struct xh_vtd_stream *s, uint32_t pasid,
		       uint64_t addr, uint32_t order)
{
	uint64_t q[VTD_QI_WORDS];

	if (pasid == XH_VTD_RID_PASID)
		vtd_qi_devtlb(q, s->rid, 0, 0, addr, order);
	else
		vtd_qi_pdevtlb(q, s->rid, 0, 0, pasid, 0, addr, order);
	xh_vtd_inv_add(h, q);
}

/*
 * After a guest P_IOTLB or IOTLB descriptor @q: the device TLB of every
 * requester of @d granted ATS, for each PASID whose present entry carries
 * the descriptor's DID (P_IOTLB: its PASID, page-selective: the same range;
 * IOTLB: every such PASID, whole range, since nested translations are not
 * tagged by the guest-physical address the descriptor names), then a wait.
 * A device TLB holds what the IOTLB gave it: one flushed without the other
 * keeps serving the old page.
 */
static int devtlb_follow(struct xh_vtd *h, struct xh_vtd_dom *d, const uint64_t *q)
{
	uint32_t type = vtd_qi_type(q), did = (uint32_t)XI_GET(q[0], VTD_QI_DID_H, VTD_QI_DID_L);
	uint32_t pasid = (uint32_t)XI_GET(q[0], VTD_QI_PASID_H, VTD_QI_PASID_L), order = 52;
	uint64_t addr = 0, off, *de, *pe;
	uint32_t i, j, before = (uint32_t)h->b.host_cmds;

	if (type != VTD_QI_PIOTLB && type != VTD_QI_IOTLB)
		return 0;
	if (type == VTD_QI_PIOTLB &&
	    XI_GET(q[0], VTD_QI_G_H, VTD_QI_G_L) == VTD_QI_PIOTLB_G_PAGE) {
		addr = q[1] & VTD_QI_ADDR_MASK;
		order = (uint32_t)XI_GET(q[1], VTD_QI_AM_H, VTD_QI_AM_L);
		if (order >= 52)
			order = 52;	/* 2^64 bytes and more: everything */
	}
	for (i = 0; i < XH_VTD_MAX_STREAMS; i++) {
		const struct xh_vtd_stream *s = &h->streams[i];

		if (s->dom != d || !(s->grants & XIOMMU_VDEV_ATS))
			continue;
		if (type == VTD_QI_PIOTLB) {
			pe = xh_vtd_pe_ptr(h, s, pasid);
			if (pe && (pe[0] & XI_BIT(VTD_PE_P)) && xh_vtd_pe_did(pe) == did)
				devtlb_add(h, s, pasid, addr, order);
			continue;
		}
		for (off = 0; off < s->pdir_size; off += 8) {
			de = xh_vtd_map64(h, s->pdir + off);
			if (!de || !(*de & XI_BIT(VTD_PDE_P)))
				continue;
			for (j = 0; j < 64; j++) {
				pe = xh_vtd_map64(h, (*de & VTD_PDE_PTR_MASK) + j * 64);
				if (pe && (*pe & XI_BIT(VTD_PE_P)) &&
				    xh_vtd_pe_did(pe) == did)
					devtlb_add(h, s, (uint32_t)(off / 8) << 6 | j, 0, 52);
			}
		}
	}
	return (uint32_t)h->b.host_cmds != before ? xh_vtd_inv_wait(h) : 0;
}

static int run(struct xh_vtd *h, struct xh_vtd_dom *d, const struct xiommu_op *ops, uint32_t n)
{
	struct xh_vtd_prog *ps = h->prog;
	uint32_t i, nb = 0;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		const struct xiommu_op *op = &ops[i];

		if (nb == XH_VTD_BATCH && (ret = flush(h, &nb)))
			break;
		if (op->code == XIOMMU_OP_ENTRY_WRITE) {
			ret = flush(h, &nb);
			if (!ret)
				ret = run_write(h, op);
		} else if (op->code == XIOMMU_OP_GUEST_WRITE) {
			ret = flush(h, &nb);	/* everything before it has completed */
			if (!ret)
				ret = xh_guest_write(&d->sl, op);
		} else if (op->code == XIOMMU_OP_CMD) {
			memcpy(ps->cmds[nb++], op->w, VTD_QI_WORDS * sizeof(uint64_t));
			if (vtd_qi_type(op->w) == VTD_QI_PIOTLB || vtd_qi_type(op->w) == VTD_QI_IOTLB) {
				ret = flush(h, &nb);
				if (!ret)
					ret = devtlb_follow(h, d, op->w);
			}
		} else {
			vtd_qi_wait(ps->cmds[nb++], 1, 1, ++h->wait_seq, h->status_pa);
		}
	}
	if (!ret)
		ret = flush(h, &nb);
	return ret;
}

int xh_vtd_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom;
	struct xh_vtd_prog *ps = h->prog;
	uint32_t i, b;
	int ret = 0;

	if (!bad)
		bad = &b;
	*bad = n;
	if (!d || (!ops && n) || n > XIOMMU_PROG_MAX_OPS)
		return -EINVAL;
	ps->n = 0;
	for (i = 0; i < n; i++) {
		ret = check_op(h, d, ops, i);
		if (ret) {
			*bad = i;
			goto out;
		}
	}
	for (i = 0; i < ps->n; i++) {
		if (ps->t[i].need_table != 1)
			continue;
		ret = h->b.host.alloc(h->b.host.priv, 4096, &ps->t[i].table);
		if (ret) {
			ps->t[i].table = 0;
			*bad = 0;
			goto out;
		}
	}
	ret = run(h, d, ops, n);
	h->b.programs++;
out:
	for (i = 0; i < ps->n; i++)
		if (ps->t[i].table)
			h->b.host.free(h->b.host.priv, ps->t[i].table, 4096);
	return ret;
}
