// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VT-d domains: DIDs (a domain's own and the extra tags it shares its
 * second level with), the second-level table built by kernel/host/pgtable.c
 * in the VT-d second-level format (4 KiB granule, 3 to 5 levels as
 * CAP.SAGAW and MGAW allow, R/W leaves, PS leaves of 2 MiB and 1 GiB where
 * CAP.SLLPS has them), and the invalidations a change needs, sent through
 * the unit's invalidation queue:
 *  - stage-2 unmap: a domain-selective IOTLB invalidation of every DID of
 *    the domain (nested entries combine both levels, and the host cannot
 *    tell which input addresses lead into the range), device-TLB flushes of
 *    every ATS requester of the domain (its own and every present PASID),
 *    then a wait;
 *  - a DID released (tag_free, domain_free): IOTLB and PASID cache of that
 *    DID, then a wait, before the DID can be handed out again (not for a
 *    DID no present entry ever carried: nothing can be cached under it).
 */
#include "vtd_host.h"

/* ---- the VT-d second-level format for pgtable.c --------------------------- */

static uint32_t sl_leaf_depths(const void *arg)
{
	const struct xh_vtd *h = arg;

	return ((h->sllps & VTD_SLLPS_2M) ? 1u << 1 : 0) | ((h->sllps & VTD_SLLPS_1G) ? 1u << 2 : 0);
}

static uint64_t sl_table(const void *arg, uint64_t pa)
{
	(void)arg;
	/* non-leaf entries grant everything; leaves decide (as Linux sets R/W on tables) */
	return (pa & VTD_SL_ADDR_MASK) | XI_BIT(VTD_SL_R) | XI_BIT(VTD_SL_W);
}

static uint64_t sl_leaf(const void *arg, uint64_t pa, uint32_t prot, unsigned int lvl)
{
	uint64_t e = pa & VTD_SL_ADDR_MASK;

	(void)arg;
	if (prot & XIOMMU_MAP_READ)
		e |= XI_BIT(VTD_SL_R);
	if (prot & XIOMMU_MAP_WRITE)
		e |= XI_BIT(VTD_SL_W);
	return lvl ? e | XI_BIT(VTD_SL_PS) : e;
}

static int sl_kind(uint64_t e, unsigned int lvl)
{
	if (!(e & (XI_BIT(VTD_SL_R) | XI_BIT(VTD_SL_W))))
		return 0;
	return lvl && !(e & XI_BIT(VTD_SL_PS)) ? 1 : 2;
}

static uint64_t sl_addr(uint64_t e, unsigned int g)
{
	(void)g;
	return e & VTD_SL_ADDR_MASK;
}

static uint32_t sl_prot(uint64_t e)
{
	return ((e & XI_BIT(VTD_SL_R)) ? XIOMMU_MAP_READ : 0) |
	       ((e & XI_BIT(VTD_SL_W)) ? XIOMMU_MAP_WRITE : 0);
}

static const struct xh_pgfmt sl_fmt = {
	.name = "vtd-sl",
	.leaf_depths = sl_leaf_depths,
	.table = sl_table,
	.leaf = sl_leaf,
	.kind = sl_kind,
	.addr = sl_addr,
	.prot = sl_prot,
};

/* ---- DIDs ------------------------------------------------------------------ */

/* The lowest free DID (0 and 1 stay unused), or -ENOSPC. */
static int did_take(struct xh_vtd *h, uint32_t *out)
{
	uint32_t did;

	for (did = 2; did < h->ndids; did++)
		if (!(h->did_map[did / 8] & (1u << (did % 8)))) {
			h->did_map[did / 8] |= (uint8_t)(1u << (did % 8));
			*out = did;
			return 0;
		}
	return -ENOSPC;
}

/*
 * Nothing may stay cached under a DID that is handed out again. The unit
 * tags what it caches with the DID of a present PASID entry it fetched: a
 * DID no present entry ever carried has nothing cached and needs no flush
 * (so a tag taken and given back at once changes no counter).
 */
static void did_release(struct xh_vtd *h, uint32_t did)
{
	uint64_t d[VTD_QI_WORDS];
	uint8_t bit = (uint8_t)(1u << (did % 8));

	if (h->did_used[did / 8] & bit) {
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
		xh_vtd_inv_add(h, d);
		vtd_qi_pc(d, VTD_QI_PC_G_DOMAIN, did, 0);
		xh_vtd_inv_add(h, d);
		xh_vtd_inv_wait(h);
	}
	h->did_used[did / 8] &= (uint8_t)~bit;
	h->did_map[did / 8] &= (uint8_t)~bit;
}

int xh_vtd_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d;
	uint32_t did, levels;
	int ret;

	if ((h->sagaw & VTD_SAGAW_4L) && h->mgaw >= 48)
		levels = 4;
	else if ((h->sagaw & VTD_SAGAW_5L) && h->mgaw >= 57)
		levels = 5;
	else
		levels = 3;
	d = xm_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->tags = xm_zalloc((h->ndids + 7) / 8);
	ret = d->tags ? xh_pgtable_init(&d->sl, &sl_fmt, h, &h->b.host, 12, levels,
					12 + 9 * levels, h->mgaw) : -ENOMEM;
	if (!ret) {
		ret = did_take(h, &did);
		if (ret)
			xh_pgtable_fini(&d->sl);
	}
	if (ret) {
		xm_free(d->tags);
		xm_free(d);
		return ret;
	}
	d->did = did;
	d->levels = levels;
	memset(&d->desc, 0, sizeof(d->desc));
	d->desc.s2_root = d->sl.root;
	d->desc.msi_db = 0;	/* no MSI nesting on VT-d */
	d->desc.tag = did;
	d->desc.s2_ias = (uint8_t)(12 + 9 * levels);
	d->desc.s2_oas = (uint8_t)h->mgaw;
	d->desc.granule_shift = 12;
	d->desc.start_level = (uint8_t)levels;	/* VT-d numbering: the root is level @levels */
	d->desc.levels = (uint8_t)levels;
	d->desc.concat = 1;
	d->next = h->doms;
	h->doms = d;
	*desc = d->desc;
	*dom = d;
	return 0;
}

int xh_vtd_tag_alloc(void *unit, void *dom, uint32_t *tag)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom;
	int ret = did_take(h, tag);

	if (ret)
		return ret;
	d->tags[*tag / 8] |= (uint8_t)(1u << (*tag % 8));
	d->ntags++;
	return 0;
}

int xh_vtd_tag_free(void *unit, void *dom, uint32_t tag)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom;

	if (tag == d->did || !xh_vtd_owns(h, d, tag))
		return -EINVAL;
	if (h->did_refs[tag])
		return -EBUSY;	/* it would reach another domain while in use */
	did_release(h, tag);
	d->tags[tag / 8] &= (uint8_t)~(1u << (tag % 8));
	d->ntags--;
	return 0;
}

void xh_vtd_domain_free(void *unit, void *dom)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom, **pp;
	uint32_t did, i;

	for (i = 0; d->nstreams && i < XH_VTD_MAX_STREAMS; i++)
		if (h->streams[i].dom == d)
			xh_vtd_stream_detach(h, d, h->streams[i].rid);
	for (pp = &h->doms; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	/* every stream is detached: no entry carries the domain's DIDs any more */
	for (did = 0; d->ntags && did < h->ndids; did++)
		if (did != d->did && xh_vtd_owns(h, d, did)) {
			did_release(h, did);
			d->ntags--;
		}
	did_release(h, d->did);
	xh_pgtable_fini(&d->sl);
	xm_free(d->tags);
	xm_free(d);
}

/* Queue a domain-selective IOTLB invalidation of every DID of @d. */
void xh_vtd_dom_flush_iotlb(struct xh_vtd *h, struct xh_vtd_dom *d)
{
	uint64_t q[VTD_QI_WORDS];
	uint32_t did, left = d->ntags, b, byte;

	vtd_qi_iotlb(q, VTD_QI_IOTLB_G_DOMAIN, d->did, 0, 0, 0);
	xh_vtd_inv_add(h, q);
	for (did = 0; left && did < h->ndids; did += 8) {
		byte = d->tags[did / 8];
		for (b = 0; byte && b < 8; b++, byte >>= 1)
			if (byte & 1) {
				vtd_qi_iotlb(q, VTD_QI_IOTLB_G_DOMAIN, did + b, 0, 0, 0);
				xh_vtd_inv_add(h, q);
				left--;
			}
	}
}

int xh_vtd_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		  uint32_t prot)
{
	struct xh_vtd_dom *d = dom;

	(void)unit;
	if (prot & XH_PROT_MMIO)
		return -EINVAL;	/* no MSI nesting on VT-d */
	/* a new mapping replaces nothing: CAP.CM = 0, not-present entries are not cached */
	return xh_pgtable_map(&d->sl, gpa, pa, size, prot);
}

int xh_vtd_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size)
{
	struct xh_vtd *h = unit;
	struct xh_vtd_dom *d = dom;
	uint32_t i;
	int ret;

	ret = xh_pgtable_unmap(&d->sl, gpa, size);
	if (ret)
		return ret;
	xh_vtd_dom_flush_iotlb(h, d);
	for (i = 0; i < XH_VTD_MAX_STREAMS; i++)
		if (h->streams[i].dom == d && (h->streams[i].grants & XIOMMU_VDEV_ATS))
			xh_vtd_stream_flush_devtlb(h, &h->streams[i]);
	return xh_vtd_inv_wait(h);
}
