// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Domains: a VMID and a host-owned AArch64 stage-2 table (granule and IAS
 * from the parameters, start level and concatenation computed), edited by
 * s2_map/s2_unmap; and the streams a domain owns, whose STEs start and end
 * as abort.
 */
#include "smmuv3_int.h"

#define S2_ATTR_RAM	(XI_PUT(0xf, 5, 2) | XI_PUT(3, 9, 8) | SMMUV3_PTE_AF)
#define S2_ATTR_DEV	(XI_PUT(0x1, 5, 2) | SMMUV3_PTE_AF | SMMUV3_PTE_UXN)

static void raw_set(struct smmu_unit *u, uint64_t pa, uint64_t v)
{
	void *p = u->host.map(u->host.priv, pa, 8);

	if (p)
		memcpy(p, &v, 8);
}

static unsigned int lvl_shift(const struct smmu_dom *d, unsigned int level)
{
	return d->d.granule_shift + (3 - level) * (d->d.granule_shift - 3u);
}

/* Address of the entry for @gpa in the table at @table, level @level. */
static uint64_t slot(const struct smmu_dom *d, uint64_t table, unsigned int level, uint64_t gpa)
{
	unsigned int sh = lvl_shift(d, level), stride = d->d.granule_shift - 3u;
	unsigned int bits = level == d->d.start_level ? d->d.s2_ias - sh : stride;

	return table + ((gpa >> sh) & ((1ull << bits) - 1)) * 8;
}

static int block_level_ok(const struct smmu_dom *d, unsigned int level)
{
	if (level == 3)
		return 1;
	if (d->d.granule_shift == 12)
		return level == 1 || level == 2;
	return level == 2;
}

/* Find the entry mapping @gpa: its level and value (0 when none). */
static uint64_t find_leaf(struct smmu_unit *u, const struct smmu_dom *d, uint64_t gpa,
			  unsigned int *level, uint64_t *where)
{
	uint64_t t = d->d.s2_root, e = 0;
	unsigned int l;

	for (l = d->d.start_level; l <= 3; l++) {
		*where = slot(d, t, l, gpa);
		e = smmu_host_read64(u, *where);
		*level = l;
		if (!(e & SMMUV3_PTE_VALID))
			return 0;
		if (l == 3 || !(e & SMMUV3_PTE_TABLE))
			return e;
		t = smmuv3_pte_addr(e, d->d.granule_shift);
	}
	return 0;
}

/* Anything mapped in the block of @level holding @gpa? */
static int busy(struct smmu_unit *u, const struct smmu_dom *d, uint64_t gpa, unsigned int level)
{
	uint64_t t = d->d.s2_root, e;
	unsigned int l;

	for (l = d->d.start_level; l <= level; l++) {
		e = smmu_host_read64(u, slot(d, t, l, gpa));
		if (!(e & SMMUV3_PTE_VALID))
			return 0;
		if (l == 3 || !(e & SMMUV3_PTE_TABLE) || l == level)
			return 1;
		t = smmuv3_pte_addr(e, d->d.granule_shift);
	}
	return 0;
}

int smmu_s2_mapped(struct smmu_unit *u, struct smmu_dom *d, uint64_t gpa)
{
	unsigned int level;
	uint64_t where;

	return find_leaf(u, d, gpa, &level, &where) != 0;
}

static unsigned int pick_level(const struct smmu_dom *d, uint64_t gpa, uint64_t pa, uint64_t left)
{
	unsigned int l;

	for (l = d->d.start_level; l < 3; l++) {
		uint64_t bs = 1ull << lvl_shift(d, l);

		if (block_level_ok(d, l) && !((gpa | pa) & (bs - 1)) && left >= bs)
			return l;
	}
	return 3;
}

static int install(struct smmu_unit *u, struct smmu_dom *d, uint64_t gpa, uint64_t pa,
		   unsigned int level, uint64_t attrs)
{
	uint64_t t = d->d.s2_root, w, e, nt;
	unsigned int l, g = d->d.granule_shift;

	for (l = d->d.start_level; l < level; l++) {
		w = slot(d, t, l, gpa);
		e = smmu_host_read64(u, w);
		if (!(e & SMMUV3_PTE_VALID)) {
			if (u->host.alloc(u->host.priv, 1ull << (g < 12 ? 12 : g), &nt))
				return -ENOMEM;
			e = smmuv3_pte_make_addr(nt, g) | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE;
			raw_set(u, w, e);
		}
		t = smmuv3_pte_addr(e, g);
	}
	raw_set(u, slot(d, t, level, gpa), smmuv3_pte_make_addr(pa, g) | attrs | SMMUV3_PTE_VALID |
		(level == 3 ? SMMUV3_PTE_TABLE : 0));
	return 0;
}

int smmu_s2_unmap_range(struct smmu_unit *u, struct smmu_dom *d, uint64_t gpa, uint64_t size)
{
	uint64_t pos = gpa, end = gpa + size, e, where, bs;
	unsigned int level, pass, found = 0;

	for (pass = 0; pass < 2; pass++) {
		for (pos = gpa; pos < end; pos = (pos & ~(bs - 1)) + bs) {
			e = find_leaf(u, d, pos, &level, &where);
			bs = 1ull << lvl_shift(d, level);
			if (!e)
				continue;
			if ((pos & ~(bs - 1)) < gpa || (pos & ~(bs - 1)) + bs - 1 > end - 1)
				return -EINVAL;
			found++;
			if (pass)
				raw_set(u, where, 0);
		}
		if (!found)
			return -ENOENT;
	}
	smmu_tlb_inv(u, SMMU_INV_S2 | SMMU_INV_VMID | SMMU_INV_ADDR, (uint16_t)d->d.tag, 0, gpa,
		     size);
	smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_VMID, (uint16_t)d->d.tag, 0, 0, 0);
	return 0;
}

int smmu_s2_map_one(struct smmu_unit *u, struct smmu_dom *d, uint64_t gpa, uint64_t pa,
		    uint64_t size, uint64_t attrs)
{
	uint64_t gm = (1ull << d->d.granule_shift) - 1, off;
	unsigned int l;
	int ret;

	if (!size || ((gpa | pa | size) & gm) || gpa + size < gpa || pa + size < pa ||
	    ((gpa + size - 1) >> d->d.s2_ias) || ((pa + size - 1) >> u->p.oas))
		return -EINVAL;
	for (off = 0; off < size; off += 1ull << lvl_shift(d, l)) {
		l = pick_level(d, gpa + off, pa + off, size - off);
		if (busy(u, d, gpa + off, l))
			return -EEXIST;
	}
	for (off = 0; off < size; off += 1ull << lvl_shift(d, l)) {
		l = pick_level(d, gpa + off, pa + off, size - off);
		ret = install(u, d, gpa + off, pa + off, l, attrs);
		if (ret) {
			if (off)
				smmu_s2_unmap_range(u, d, gpa, off);
			return ret;
		}
	}
	return 0;
}

int smmu_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size, uint32_t prot)
{
	uint64_t ap = 0;

	if (!prot || (prot & ~(uint32_t)(XIOMMU_MAP_READ | XIOMMU_MAP_WRITE)))
		return -EINVAL;
	if (prot & XIOMMU_MAP_READ)
		ap |= XI_BIT(6);
	if (prot & XIOMMU_MAP_WRITE)
		ap |= XI_BIT(7);
	return smmu_s2_map_one(unit, dom, gpa, pa, size, S2_ATTR_RAM | ap);
}

int smmu_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size)
{
	struct smmu_dom *d = dom;

	if (!size || ((gpa | size) & ((1ull << d->d.granule_shift) - 1)) || gpa + size < gpa)
		return -EINVAL;
	return smmu_s2_unmap_range(unit, dom, gpa, size);
}

/* The doorbell mapping used by XIOMMU_OP_MSI_MAP (device memory, RW, XN). */
uint64_t smmu_s2_msi_attrs(void)
{
	return S2_ATTR_DEV | XI_BIT(6) | XI_BIT(7);
}

int smmu_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc)
{
	struct smmu_unit *u = unit;
	struct smmu_dom *d;
	unsigned int g = u->p.s2_granule, stride = g - 3, ias = u->p.s2_ias, sl, top;
	uint32_t vmid, nvmid = u->p.vmid16 ? 65536 : 256;
	uint64_t root, rsz;

	for (vmid = 1; vmid < nvmid; vmid++)
		if (!((u->vmid_map[vmid >> 3] >> (vmid & 7)) & 1))
			break;
	if (vmid >= nvmid)
		return -ENOSPC;
	sl = 4 - (ias - g + stride - 1) / stride;
	top = ias - (g + (3 - sl) * stride);
	if (top <= 4 && sl < 3 && (g != 12 || sl < 2)) {
		sl++;
		top += stride;
	}
	rsz = 8ull << top;
	if (rsz < 4096)
		rsz = 4096;
	d = xm_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (u->host.alloc(u->host.priv, rsz, &root)) {
		xm_free(d);
		return -ENOMEM;
	}
	d->d.s2_root = root;
	d->d.msi_db = u->host.msi_db;
	d->d.tag = vmid;
	d->d.s2_ias = (uint8_t)ias;
	d->d.s2_oas = (uint8_t)u->p.oas;
	d->d.granule_shift = (uint8_t)g;
	d->d.start_level = (uint8_t)sl;
	d->d.levels = (uint8_t)(4 - sl);
	d->d.concat = (uint8_t)(top > stride ? 1u << (top - stride) : 1);
	smmuv3_ste_host_words(root, vmid, ias, u->oas_code, g, sl, &d->w1, &d->w2, &d->w3);
	u->vmid_map[vmid >> 3] |= (uint8_t)(1u << (vmid & 7));
	d->next = u->doms;
	u->doms = d;
	*desc = d->d;
	*dom = d;
	return 0;
}

/* Free the stage-2 tables below the root, iteratively (at most 4 levels). */
static void free_tables(struct smmu_unit *u, struct smmu_dom *d)
{
	uint64_t tab[4], idx[4], n[4], e;
	unsigned int depth = 0, g = d->d.granule_shift;
	uint64_t gsz = 1ull << g;

	tab[0] = d->d.s2_root;
	idx[0] = 0;
	n[0] = 1ull << (d->d.s2_ias - lvl_shift(d, d->d.start_level));
	while (1) {
		if (idx[depth] == n[depth]) {
			if (!depth)
				break;
			u->host.free(u->host.priv, tab[depth], gsz);
			depth--;
			continue;
		}
		e = smmu_host_read64(u, tab[depth] + 8 * idx[depth]++);
		if ((e & 3) == 3 && d->d.start_level + depth < 3 && depth < 3) {
			depth++;
			tab[depth] = smmuv3_pte_addr(e, g);
			idx[depth] = 0;
			n[depth] = 1ull << (g - 3);
		}
	}
}

static void ste_abort(struct smmu_unit *u, uint32_t sid)
{
	uint64_t pa;
	unsigned int i;

	smmu_atc_inv(u, sid, 0, 0, 0, 0, 0);	/* ATS off: the device's ATC is emptied */
	if (smmu_ste_locate(u, sid, &pa))
		return;
	raw_set(u, pa, SMMUV3_WPUT(1, SMMUV3_STE_V));
	for (i = 1; i < SMMUV3_STE_DWORDS; i++)
		raw_set(u, pa + 8 * i, 0);
	smmu_cfg_inv(u, sid, 1, 1, 1, 0, 0);
}

void smmu_domain_free(void *unit, void *dom)
{
	struct smmu_unit *u = unit;
	struct smmu_dom *d = dom, **pp;

	while (d->nsid)
		smmu_stream_detach(u, d, d->sids[0]);
	for (pp = &u->doms; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_S2 | SMMU_INV_VMID, (uint16_t)d->d.tag, 0, 0, 0);
	u->vmid_map[d->d.tag >> 3] &= (uint8_t)~(1u << (d->d.tag & 7));
	free_tables(u, d);
	{
		uint64_t rsz = 8ull << (d->d.s2_ias - lvl_shift(d, d->d.start_level));

		u->host.free(u->host.priv, d->d.s2_root, rsz < 4096 ? 4096 : rsz);
	}
	xm_free(d);
}

int smmu_dom_owns(const struct smmu_dom *d, uint32_t sid)
{
	uint32_t i;

	for (i = 0; i < d->nsid; i++)
		if (d->sids[i] == sid)
			return 1;
	return 0;
}

struct smmu_dom *smmu_dom_of_sid(struct smmu_unit *u, uint32_t sid)
{
	struct smmu_dom *d;

	for (d = u->doms; d; d = d->next)
		if (smmu_dom_owns(d, sid))
			return d;
	return NULL;
}

int smmu_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants)
{
	(void)grants;	/* enforced by the host layer */
	struct smmu_unit *u = unit;
	struct smmu_dom *d = dom;
	uint32_t l1 = sid >> SMMUV3_STRTAB_SPLIT;
	uint64_t l2;

	if (sid >> u->p.sid_bits)
		return -ERANGE;
	if (smmu_sid_test(u, sid))
		return -EBUSY;
	if (d->nsid >= SMMU_DOM_SIDS)
		return -ENOSPC;
	if (u->two_level && !u->l2_pa[l1]) {
		if (u->host.alloc(u->host.priv, SMMUV3_STE_SIZE << SMMUV3_STRTAB_SPLIT, &l2))
			return -ENOMEM;
		u->l2_pa[l1] = l2;
		raw_set(u, u->strtab + 8ull * l1, (l2 & XI_GENMASK(55, 6)) |
			SMMUV3_WPUT(SMMUV3_STRTAB_SPLIT + 1, SMMUV3_L1STD_SPAN));
	}
	u->sid_map[sid >> 3] |= (uint8_t)(1u << (sid & 7));
	d->sids[d->nsid++] = sid;
	ste_abort(u, sid);
	return 0;
}

void smmu_stream_detach(void *unit, void *dom, uint32_t sid)
{
	struct smmu_unit *u = unit;
	struct smmu_dom *d = dom;
	uint32_t i;

	for (i = 0; i < d->nsid; i++)
		if (d->sids[i] == sid)
			break;
	if (i == d->nsid)
		return;
	d->sids[i] = d->sids[--d->nsid];
	ste_abort(u, sid);
	u->sid_map[sid >> 3] &= (uint8_t)~(1u << (sid & 7));
	for (i = 0; i < SMMU_STALLS; i++)
		if (u->stalls[i].sid == sid)
			u->stalls[i].state = 0;
}
