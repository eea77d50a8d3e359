// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SMMUv3 domains: a VMID and an AArch64 stage-2 table (granule and IAS from
 * the parameters, start level and concatenation computed), the streams a
 * domain owns with their grants, and the commands each change needs.
 */
#include "smmuv3_host.h"

/* Stage-2 descriptor attributes: MemAttr[5:2], S2AP[7:6], SH[9:8], AF, XN[54:53] */
#define S2_ATTR_RAM	(XI_PUT(0xf, 5, 2) | XI_PUT(3, 9, 8) | SMMUV3_PTE_AF)
#define S2_ATTR_DEV	(XI_PUT(0x1, 5, 2) | SMMUV3_PTE_AF | SMMUV3_PTE_UXN)
#define S2_AP_R		XI_BIT(6)
#define S2_AP_W		XI_BIT(7)

#define S2_INV_PAGES	XH_SMMU_INV_PAGES

/* ---- the AArch64 stage-2 format for pgtable.c ---------------------------- */

static uint32_t s2_leaf_depths(const void *arg)
{
	const struct xh_smmu_dom *d = arg;

	/* 4K: 1G and 2M blocks (levels 1, 2); 16K, 64K: level-2 blocks */
	return d->d.granule_shift == 12 ? (1u << 1) | (1u << 2) : 1u << 1;
}

static uint64_t s2_table(const void *arg, uint64_t pa)
{
	const struct xh_smmu_dom *d = arg;

	return smmuv3_pte_make_addr(pa, d->d.granule_shift) | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE;
}

static uint64_t s2_leaf(const void *arg, uint64_t pa, uint32_t prot, unsigned int lvl)
{
	const struct xh_smmu_dom *d = arg;
	uint64_t e = smmuv3_pte_make_addr(pa, d->d.granule_shift) | SMMUV3_PTE_VALID;

	e |= (prot & XH_PROT_MMIO) ? S2_ATTR_DEV : S2_ATTR_RAM;
	if (prot & XIOMMU_MAP_READ)
		e |= S2_AP_R;
	if (prot & XIOMMU_MAP_WRITE)
		e |= S2_AP_W;
	return lvl ? e : e | SMMUV3_PTE_TABLE;	/* a level-3 page has bit 1 set */
}

static int s2_kind(uint64_t e, unsigned int lvl)
{
	if (!(e & SMMUV3_PTE_VALID))
		return 0;
	if (!lvl)
		return (e & SMMUV3_PTE_TABLE) ? 2 : 0;
	return (e & SMMUV3_PTE_TABLE) ? 1 : 2;
}

static uint64_t s2_addr(uint64_t e, unsigned int g)
{
	return smmuv3_pte_addr(e, g);
}

static uint32_t s2_prot(uint64_t e)
{
	return ((e & S2_AP_R) ? XIOMMU_MAP_READ : 0) | ((e & S2_AP_W) ? XIOMMU_MAP_WRITE : 0) |
	       (XI_GET(e, 5, 2) != 0xf ? XH_PROT_MMIO : 0);
}

static const struct xh_pgfmt s2_fmt = {
	.name = "aarch64-s2",
	.leaf_depths = s2_leaf_depths,
	.table = s2_table,
	.leaf = s2_leaf,
	.kind = s2_kind,
	.addr = s2_addr,
	.prot = s2_prot,
};

/* ---- domains ------------------------------------------------------------- */

int xh_smmu_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d;
	unsigned int g = h->p.s2_granule, stride = g - 3, ias = h->p.s2_ias, sl, top;
	uint32_t vmid, nvmid = 1u << h->vmid_bits;
	int ret;

	for (vmid = 1; vmid < nvmid; vmid++)
		if (!((h->vmid_map[vmid >> 3] >> (vmid & 7)) & 1))
			break;
	if (vmid >= nvmid)
		return -ENOSPC;
	/* start level: the fewest levels, concatenating up to 16 tables at the top */
	sl = 4 - (ias - g + stride - 1) / stride;
	top = ias - (g + (3 - sl) * stride);
	if (top <= 4 && sl < 3 && (g != 12 || sl < 2)) {
		sl++;
		top += stride;
	}
	d = xm_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->d.granule_shift = (uint8_t)g;
	ret = xh_pgtable_init(&d->s2, &s2_fmt, d, &h->b.host, g, 4 - sl, ias, h->oas);
	if (ret) {
		xm_free(d);
		return ret;
	}
	d->d.s2_root = d->s2.root;
	d->d.msi_db = h->b.host.msi_db;
	d->d.tag = vmid;
	d->d.s2_ias = (uint8_t)ias;
	d->d.s2_oas = (uint8_t)h->oas;
	d->d.start_level = (uint8_t)sl;
	d->d.levels = (uint8_t)(4 - sl);
	d->d.concat = (uint8_t)(top > stride ? 1u << (top - stride) : 1);
	smmuv3_ste_host_words(d->s2.root, vmid, ias, h->oas_code, g, sl, &d->w1, &d->w2, &d->w3);
	h->vmid_map[vmid >> 3] |= (uint8_t)(1u << (vmid & 7));
	d->next = h->doms;
	h->doms = d;
	*desc = d->d;
	*dom = d;
	return 0;
}

void xh_smmu_domain_free(void *unit, void *dom)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d = dom, **pp;

	while (d->nsid)
		xh_smmu_stream_detach(h, d, d->sids[0].sid);
	for (pp = &h->doms; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	/* nothing may stay cached under a VMID that is handed out again */
	xh_smmu_cmd(h, SMMUV3_OP_TLBI_S12_VMALL | SMMUV3_WPUT(d->d.tag, SMMUV3_CMD_VMID), 0);
	h->vmid_map[d->d.tag >> 3] &= (uint8_t)~(1u << (d->d.tag & 7));
	xh_pgtable_fini(&d->s2);
	xm_free(d);
}

/*
 * After a stage-2 change of [gpa, gpa+size): the stage-2 entries of the
 * range, every nested stage-1 entry of the VMID (it combines both stages,
 * and the host cannot tell which IOVAs lead into the range), and the ATC of
 * every ATS stream of the domain (its IOVAs are not GPAs either), then one
 * CMD_SYNC.
 */
int xh_smmu_s2_inv(struct xh_smmu *h, struct xh_smmu_dom *d, uint64_t gpa, uint64_t size)
{
	uint64_t (*c)[XM_CMD_WORDS] = h->prog->inv, vmid = SMMUV3_WPUT(d->d.tag, SMMUV3_CMD_VMID);
	uint64_t gsz = 1ull << d->d.granule_shift, off;
	uint32_t n = 0, i;

	memset(h->prog->inv, 0, sizeof(h->prog->inv));
	if (size / gsz <= S2_INV_PAGES) {
		for (off = 0; off < size; off += gsz, n++) {
			c[n][0] = SMMUV3_OP_TLBI_S2_IPA | vmid;
			c[n][1] = (gpa + off) & XI_GENMASK(55, 12);
		}
	} else {
		c[n++][0] = SMMUV3_OP_TLBI_S12_VMALL | vmid;
	}
	c[n++][0] = SMMUV3_OP_TLBI_NH_ALL | vmid;
	for (i = 0; i < d->nsid; i++)
		if (d->sids[i].grants & XIOMMU_VDEV_ATS)
			smmuv3_cmd_atc_inv(c[n++], d->sids[i].sid, 0, 0, 0, 0, SMMUV3_ATC_SIZE_ALL);
	return xh_smmu_host_cmds(h, (const uint64_t (*)[XM_CMD_WORDS])c, n);
}

int xh_smmu_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		   uint32_t prot)
{
	struct xh_smmu_dom *d = dom;

	(void)unit;
	if (prot & XH_PROT_MMIO)
		return -EINVAL;
	/* a new mapping replaces nothing: the unit caches no invalid entry */
	return xh_pgtable_map(&d->s2, gpa, pa, size, prot);
}

int xh_smmu_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d = dom;
	uint32_t i;
	int ret;

	for (i = 0; i < d->nmsi; i++)
		if (d->msi_gpa[i] >= gpa && d->msi_gpa[i] - gpa < size)
			return -EBUSY;	/* the doorbell goes with its MSI binding */
	ret = xh_pgtable_unmap(&d->s2, gpa, size);
	if (ret)
		return ret;
	return xh_smmu_s2_inv(h, d, gpa, size);
}

/* The doorbell page at @gpa: device memory, read-write, never executable. */
int xh_smmu_map_msi(struct xh_smmu *h, struct xh_smmu_dom *d, uint64_t gpa)
{
	return xh_pgtable_map(&d->s2, gpa, h->b.host.msi_db, 1ull << d->d.granule_shift,
			      XIOMMU_MAP_READ | XIOMMU_MAP_WRITE | XH_PROT_MMIO);
}

/* ---- streams ------------------------------------------------------------- */

const struct xh_smmu_stream *xh_smmu_dom_stream(const struct xh_smmu_dom *d, uint32_t sid)
{
	uint32_t i;

	for (i = 0; i < d->nsid; i++)
		if (d->sids[i].sid == sid)
			return &d->sids[i];
	return NULL;
}

/* Write the abort STE of @sid (V = 1, Config = abort), word 0 last. */
static void ste_abort(struct xh_smmu *h, uint64_t pa)
{
	uint64_t *w;
	unsigned int i;

	for (i = SMMUV3_STE_DWORDS; i-- > 0;) {
		w = xh_smmu_map64(h, pa + 8 * i);
		if (w)
			*(volatile uint64_t *)w = i ? 0 : SMMUV3_WPUT(1, SMMUV3_STE_V);
	}
}

int xh_smmu_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d = dom;
	uint32_t l1 = sid >> SMMUV3_STRTAB_SPLIT;
	uint64_t l2, pa, *l1d;
	int ret;

	if (sid >> h->sid_bits)
		return -ERANGE;
	if ((grants & ~(uint32_t)XIOMMU_VDEV_ALL) ||
	    ((grants & XIOMMU_VDEV_PRI) && !(grants & XIOMMU_VDEV_ATS)))
		return -EINVAL;
	if (((grants & XIOMMU_VDEV_ATS) && !h->ats) || ((grants & XIOMMU_VDEV_PRI) && !h->pri) ||
	    ((grants & XIOMMU_VDEV_STALL) && !h->stall))
		return -EOPNOTSUPP;
	if ((h->sid_map[sid >> 3] >> (sid & 7)) & 1)
		return -EBUSY;
	if (d->nsid >= XH_SMMU_DOM_SIDS)
		return -ENOSPC;
	if (h->two_level && !h->l2_pa[l1]) {
		if (h->b.host.alloc(h->b.host.priv, SMMUV3_STE_SIZE << SMMUV3_STRTAB_SPLIT, &l2))
			return -ENOMEM;
		h->l2_pa[l1] = l2;
		/* the L2 table is zeroed (every STE invalid) before the L1 descriptor names it */
		l1d = xh_smmu_map64(h, h->strtab + 8ull * l1);
		if (l1d)
			*(volatile uint64_t *)l1d = (l2 & XI_GENMASK(55, 6)) |
				SMMUV3_WPUT(SMMUV3_STRTAB_SPLIT + 1, SMMUV3_L1STD_SPAN);
	}
	ret = xh_smmu_ste_pa(h, sid, &pa);
	if (ret)
		return ret;
	h->sid_map[sid >> 3] |= (uint8_t)(1u << (sid & 7));
	d->sids[d->nsid].sid = sid;
	d->sids[d->nsid].grants = grants;
	d->sids[d->nsid].used = 0;
	d->nsid++;
	/*
	 * Invalid (never cached) or the abort STE the last detach left and
	 * invalidated: writing abort again needs no CFGI_STE.
	 */
	ste_abort(h, pa);
	/* the device's own ATS / PRI capabilities follow the grants */
	return h->b.hw_ops->dev_caps(h->b.hw, sid, grants & (XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI));
}

void xh_smmu_stream_detach(void *unit, void *dom, uint32_t sid)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d = dom;
	uint64_t pa, c[3][XM_CMD_WORDS] = { { 0 } };
	uint32_t i, n = 0;

	for (i = 0; i < d->nsid; i++)
		if (d->sids[i].sid == sid)
			break;
	if (i == d->nsid)
		return;
	/* as Linux disables ATS: the device first, then its ATC emptied */
	h->b.hw_ops->dev_caps(h->b.hw, sid, 0);
	if (d->sids[i].used) {
		if (!xh_smmu_ste_pa(h, sid, &pa))
			ste_abort(h, pa);
		smmuv3_cmd_cfgi_ste(c[n++], sid, 0);
		if (d->sids[i].grants & XIOMMU_VDEV_ATS)
			smmuv3_cmd_atc_inv(c[n++], sid, 0, 0, 0, 0, SMMUV3_ATC_SIZE_ALL);
		if (h->stall) {
			/* transactions still stalled for the stream are terminated */
			c[n][0] = SMMUV3_OP_STALL_TERM | SMMUV3_WPUT(sid, SMMUV3_CMD_SID);
			n++;
		}
		xh_smmu_host_cmds(h, (const uint64_t (*)[XM_CMD_WORDS])c, n);
	}
	/* else it never left the attach's abort STE: nothing cached, stalled or translated */
	d->sids[i] = d->sids[--d->nsid];
	h->sid_map[sid >> 3] &= (uint8_t)~(1u << (sid & 7));
}
