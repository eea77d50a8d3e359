// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VT-d requesters: root entries, scalable-mode context entries, PASID
 * directories and PASID tables. Attaching a requester allocates its PASID
 * directory and PASID table 0 (every entry not present; the RID_PASID entry
 * with FPD) and writes its context entry not present with FPD set: a silent
 * abort (XIOMMU_DMA_ABORT, no fault record), as an abort STE is on SMMUv3,
 * that the unit never caches (CAP.CM = 0), so attaching needs no
 * invalidation. The entry already names the PASID directory, PASIDE, DTE
 * only where ATS was granted and PRE only where PRI was granted; the
 * device's ATS / PRI capabilities are enabled to match. The first program
 * that writes a PASID entry makes the context entry present. Further PASID
 * tables are installed by programs on their first write.
 *
 * Detaching a requester whose context entry was made present follows the
 * VT-d guidance for tearing down a scalable-mode context entry, as Linux
 * does: clear it, then a device-selective context-cache invalidation,
 * PASID cache and IOTLB of every DID of the domain, the device's ATS
 * disabled and its device TLB emptied, a wait. One never made present left
 * nothing cached: it is cleared without invalidations, so an attach undone
 * at once changes no counter.
 */
#include "vtd_host.h"

struct xh_vtd_stream *xh_vtd_stream_find(struct xh_vtd *h, uint32_t rid)
{
	uint32_t i;

	for (i = 0; i < XH_VTD_MAX_STREAMS; i++)
		if (h->streams[i].dom && h->streams[i].rid == rid)
			return &h->streams[i];
	return NULL;
}

uint64_t *xh_vtd_pe_ptr(struct xh_vtd *h, const struct xh_vtd_stream *s, uint32_t pasid)
{
	uint64_t dir_off = (uint64_t)(pasid >> VTD_PASID_DIR_SHIFT) * 8, *de;

	if (dir_off >= s->pdir_size)
		return NULL;
	de = xh_vtd_map64(h, s->pdir + dir_off);
	if (!de || !(*de & XI_BIT(VTD_PDE_P)))
		return NULL;
	return h->b.host.map(h->b.host.priv, (*de & VTD_PDE_PTR_MASK) + (pasid & 63) * 64, 64);
}

/* Install @table (zeroed, 4 KiB) for @pasid's directory entry: 0, or 1 if it had one. */
int xh_vtd_pasid_table_install(struct xh_vtd *h, struct xh_vtd_stream *s, uint32_t pasid,
			       uint64_t table)
{
	uint64_t dir_off = (uint64_t)(pasid >> VTD_PASID_DIR_SHIFT) * 8, *de;

	de = dir_off < s->pdir_size ? xh_vtd_map64(h, s->pdir + dir_off) : NULL;
	if (!de)
		return -EINVAL;
	if (*de & XI_BIT(VTD_PDE_P))
		return 1;
	*(volatile uint64_t *)de = table | XI_BIT(VTD_PDE_P);
	return 0;
}

/*
 * Every device-TLB entry of @s: the requests without PASID (device-TLB
 * invalidation, whole range) and each PASID with a present entry
 * (PASID-based device-TLB invalidation, whole range).
 */
void xh_vtd_stream_flush_devtlb(struct xh_vtd *h, const struct xh_vtd_stream *s)
{
	uint64_t q[VTD_QI_WORDS], off, *de, *pe;
	uint32_t i;

	vtd_qi_devtlb(q, s->rid, 0, 0, 0, 52);
	xh_vtd_inv_add(h, q);
	for (off = 0; off < s->pdir_size; off += 8) {
		de = xh_vtd_map64(h, s->pdir + off);
		if (!de || !(*de & XI_BIT(VTD_PDE_P)))
			continue;
		for (i = 0; i < 64; i++) {
			pe = xh_vtd_map64(h, (*de & VTD_PDE_PTR_MASK) + i * 64);
			if (pe && (*pe & XI_BIT(VTD_PE_P))) {
				vtd_qi_pdevtlb(q, s->rid, 0, 0, (uint32_t)((off / 8) << 6 | i), 0, 0,
					       52);
				xh_vtd_inv_add(h, q);
			}
		}
	}
}

/* The context entry of @rid; with @t (a zeroed 4 KiB table) its root entry is made present. */
static uint64_t ctx_slot(struct xh_vtd *h, uint32_t rid, uint64_t t)
{
	uint32_t bus = rid >> 8, devfn = rid & 0xff;
	uint64_t *re = xh_vtd_map64(h, h->root + bus * 16 + (devfn >> 7) * 8);

	if (!re)
		return 0;
	if (!(*re & 1)) {
		if (!t)
			return 0;
		*(volatile uint64_t *)re = t | 1;
	}
	return (*re & VTD_RE_CTP_MASK) + (devfn & 0x7f) * 32;
}

static void ctx_write(struct xh_vtd *h, uint64_t ce, const uint64_t *w)
{
	uint32_t i;

	/* word 0 (with P) last */
	for (i = 4; i-- > 0;) {
		uint64_t *p = xh_vtd_map64(h, ce + 8 * i);

		if (p)
			*(volatile uint64_t *)p = w[i];
	}
}

/* Context-entry words of @s: present (live) or not present with FPD (silent abort). */
static void ctx_words(const struct xh_vtd_stream *s, int live, uint64_t *w)
{
	w[1] = w[2] = w[3] = 0;	/* RID_PASID 0 */
	w[0] = s->pdir | XI_PUT(s->pdts, VTD_CE_PDTS_H, VTD_CE_PDTS_L) | XI_BIT(VTD_CE_PASIDE) |
	       ((s->grants & XIOMMU_VDEV_ATS) ? XI_BIT(VTD_CE_DTE) : 0) |
	       ((s->grants & XIOMMU_VDEV_PRI) ? XI_BIT(VTD_CE_PRE) : 0) |
	       (live ? XI_BIT(VTD_CE_P) : XI_BIT(VTD_CE_FPD));
}

/*
 * The first program that writes a PASID entry of @s makes its context entry
 * present. It was not present before, and the unit caches no not-present
 * entry (CAP.CM = 0), so no invalidation is needed.
 */
int xh_vtd_stream_live(struct xh_vtd *h, struct xh_vtd_stream *s)
{
	uint64_t ce, w[4];

	if (s->live)
		return 0;
	ce = ctx_slot(h, s->rid, 0);
	if (!ce)
		return -EIO;
	ctx_words(s, 1, w);
	ctx_write(h, ce, w);
	s->live = 1;
	return 0;
}

int xh_vtd_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom;
	struct xh_vtd_stream *s = NULL;
	uint64_t ce, pdir = 0, t0 = 0, tc = 0, dsize, w[4], *de;
	uint32_t i, pdts, dbits;

	if (sid > 0xffff)
		return -ERANGE;
	if ((grants & ~(uint32_t)XIOMMU_VDEV_ALL) ||
	    ((grants & XIOMMU_VDEV_PRI) && !(grants & XIOMMU_VDEV_ATS)))
		return -EINVAL;
	if (((grants & XIOMMU_VDEV_ATS) && !h->dt) || ((grants & XIOMMU_VDEV_PRI) && !h->prs) ||
	    (grants & XIOMMU_VDEV_STALL))
		return -EOPNOTSUPP;	/* VT-d has no stall model */
	if (xh_vtd_stream_find(h, sid))
		return -EBUSY;
	for (i = 0; i < XH_VTD_MAX_STREAMS; i++)
		if (!h->streams[i].dom) {
			s = &h->streams[i];
			break;
		}
	if (!s)
		return -ENOSPC;
	dbits = h->pasid_bits > VTD_PASID_DIR_SHIFT ? h->pasid_bits - VTD_PASID_DIR_SHIFT : 0;
	pdts = dbits > 7 ? dbits - 7 : 0;
	dsize = (1ull << (pdts + 7)) * 8;
	if (dsize < 4096)
		dsize = 4096;
	/* every allocation first: a failure changes nothing */
	if ((!ctx_slot(h, sid, 0) && h->b.host.alloc(h->b.host.priv, 4096, &tc)) ||
	    h->b.host.alloc(h->b.host.priv, dsize, &pdir) || h->b.host.alloc(h->b.host.priv, 4096, &t0)) {
		if (tc)
			h->b.host.free(h->b.host.priv, tc, 4096);
		if (pdir)
			h->b.host.free(h->b.host.priv, pdir, dsize);
		return -ENOMEM;
	}
	ce = ctx_slot(h, sid, tc);
	de = xh_vtd_map64(h, t0 + XH_VTD_RID_PASID * 64);
	if (de)
		*de = XI_BIT(VTD_PE_FPD);	/* silent abort until a program binds it */
	de = xh_vtd_map64(h, pdir);
	if (de)
		*de = t0 | XI_BIT(VTD_PDE_P);
	s->dom = d;
	s->rid = sid;
	s->grants = grants;
	s->pdts = pdts;
	s->pdir = pdir;
	s->pdir_size = dsize;
	s->live = 0;
	d->nstreams++;
	/* the device's capabilities follow the grants, before the entry allows them */
	h->b.hw_ops->dev_caps(h->b.hw, sid, grants & (XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI));
	/*
	 * Not present with FPD: a silent abort, and nothing the unit caches
	 * (CAP.CM = 0), so no invalidation until a program makes it present.
	 */
	ctx_words(s, 0, w);
	ctx_write(h, ce, w);
	return 0;
}

static void stream_release(struct xh_vtd *h, struct xh_vtd_stream *s)
{
	uint64_t off, ce = ctx_slot(h, s->rid, 0), w[4] = { 0 }, q[VTD_QI_WORDS], *de, *pe;
	struct xh_vtd_dom *d = s->dom;
	uint32_t i, did, left;

	/* not present with FPD: a detached device aborts silently, as on SMMUv3 */
	w[0] = XI_BIT(VTD_CE_FPD);
	if (ce)
		ctx_write(h, ce, w);
	/* as Linux disables ATS: the device first, then its device TLB emptied */
	h->b.hw_ops->dev_caps(h->b.hw, s->rid, 0);
	if (s->live) {
		/* the unit may cache the entry and everything reached through it */
		vtd_qi_cc(q, VTD_QI_CC_G_DEVICE, 0, s->rid, 0);
		xh_vtd_inv_add(h, q);
		vtd_qi_pc(q, VTD_QI_PC_G_DOMAIN, d->did, 0);
		xh_vtd_inv_add(h, q);
		for (did = 0, left = d->ntags; left && did < h->ndids; did++)
			if (did != d->did && xh_vtd_owns(h, d, did)) {
				vtd_qi_pc(q, VTD_QI_PC_G_DOMAIN, did, 0);
				xh_vtd_inv_add(h, q);
				left--;
			}
		xh_vtd_dom_flush_iotlb(h, d);
		if (s->grants & XIOMMU_VDEV_ATS)
			xh_vtd_stream_flush_devtlb(h, s);
		xh_vtd_inv_wait(h);
	}
	for (off = 0; off < s->pdir_size; off += 8) {
		de = xh_vtd_map64(h, s->pdir + off);
		if (!de || !(*de & XI_BIT(VTD_PDE_P)))
			continue;
		for (i = 0; i < 64; i++) {
			pe = h->b.host.map(h->b.host.priv, (*de & VTD_PDE_PTR_MASK) + i * 64, 64);
			if (pe && (pe[0] & XI_BIT(VTD_PE_P)))
				xh_vtd_did_use(h, pe, 0);
		}
		h->b.host.free(h->b.host.priv, *de & VTD_PDE_PTR_MASK, 4096);
	}
	h->b.host.free(h->b.host.priv, s->pdir, s->pdir_size);
	d->nstreams--;
	memset(s, 0, sizeof(*s));
}

void xh_vtd_stream_detach(void *unit, void *dom, uint32_t sid)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_stream *s = xh_vtd_stream_find(h, sid);

	if (s && s->dom == dom)
		stream_release(h, s);
}

void xh_vtd_streams_free(struct xh_vtd *h)
{
	uint32_t i;

	for (i = 0; i < XH_VTD_MAX_STREAMS; i++)
		if (h->streams[i].dom)
			stream_release(h, &h->streams[i]);
}
