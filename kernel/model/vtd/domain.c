// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host-owned structures: domain ids, the second-level tables the host maps
 * guest-physical memory with, and per attached requester the root entry,
 * scalable-mode context entry and PASID directory. PASID table 0 (holding
 * the RID_PASID entry) is allocated at attach time with every entry not
 * present, so DMA faults until a program installs an entry; further PASID
 * tables are allocated by exec() on the first write into them.
 */
#include "vtd_int.h"

#define SL_ENTRIES	512

static uint32_t sl_index(uint64_t gpa, uint32_t level)
{
	return (uint32_t)((gpa >> (12 + 9 * (level - 1))) & (SL_ENTRIES - 1));
}

static uint32_t aw_bits(uint32_t levels)
{
	return 12 + 9 * levels;
}

/* The lowest free DID (0 and 1 stay unused), or -ENOSPC. */
static int did_take(struct vtd_unit *u, uint32_t *out)
{
	uint32_t did;

	for (did = 2; did < u->ndids; did++)
		if (!(u->did_map[did / 8] & (1u << (did % 8)))) {
			u->did_map[did / 8] |= 1u << (did % 8);
			*out = did;
			return 0;
		}
	return -ENOSPC;
}

/* Nothing may stay cached under a DID that is handed out again. */
static void did_release(struct vtd_unit *u, uint32_t did)
{
	vtd_inv_iotlb(u, 0, (uint16_t)did, 0, 0, 0, 0);
	vtd_inv_pc(u, 0, (uint16_t)did, 0, 0);
	u->did_map[did / 8] &= ~(1u << (did % 8));
}

int vtd_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d;
	uint32_t did, levels;
	int ret;

	if ((u->p.sagaw & VTD_SAGAW_4L) && u->p.mgaw >= 48)
		levels = 4;
	else if ((u->p.sagaw & VTD_SAGAW_5L) && u->p.mgaw >= 57)
		levels = 5;
	else
		levels = 3;
	d = xm_zalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->tags = xm_zalloc((u->ndids + 7) / 8);
	ret = d->tags ? u->host.alloc(u->host.priv, 4096, &d->root) : -ENOMEM;
	if (!ret) {
		ret = did_take(u, &did);
		if (ret)
			u->host.free(u->host.priv, d->root, 4096);
	}
	if (ret) {
		xm_free(d->tags);
		xm_free(d);
		return ret;
	}
	d->did = did;
	d->levels = levels;
	memset(desc, 0, sizeof(*desc));
	desc->s2_root = d->root;
	desc->msi_db = 0;	/* no MSI nesting on VT-d */
	desc->tag = did;
	desc->s2_ias = (uint8_t)aw_bits(levels);
	desc->s2_oas = (uint8_t)u->p.mgaw;
	desc->granule_shift = 12;
	desc->start_level = (uint8_t)levels;	/* VT-d numbering: the root is level @levels */
	desc->levels = (uint8_t)levels;
	desc->concat = 1;
	*dom = d;
	return 0;
}

/* Free a second-level subtree; depth is bounded by the domain's levels (<= 5). */
static void sl_free(struct vtd_unit *u, uint64_t table, uint32_t level)
{
	uint32_t i;

	if (level > 1) {
		for (i = 0; i < SL_ENTRIES; i++) {
			uint64_t e;

			if (vtd_read64(u, table + i * 8, &e) || !(e & 3) ||
			    (e & XI_BIT(VTD_SL_PS)))
				continue;
			sl_free(u, e & VTD_SL_ADDR_MASK, level - 1);
		}
	}
	u->host.free(u->host.priv, table, 4096);
}

/* Every translation the domain's DIDs cache: they all sit on its second level. */
static void dom_flush_iotlb(struct vtd_unit *u, struct vtd_dom *d)
{
	uint32_t did, left = d->ntags;

	vtd_inv_iotlb(u, 0, (uint16_t)d->did, 0, 0, 0, 0);
	for (did = 0; left && did < u->ndids; did += 8) {
		uint32_t byte = d->tags[did / 8], b;

		for (b = 0; byte && b < 8; b++, byte >>= 1)
			if (byte & 1) {
				vtd_inv_iotlb(u, 0, (uint16_t)(did + b), 0, 0, 0, 0);
				left--;
			}
	}
}

int vtd_tag_alloc(void *unit, void *dom, uint32_t *tag)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	int ret = did_take(u, tag);

	if (ret)
		return ret;
	d->tags[*tag / 8] |= 1u << (*tag % 8);
	d->ntags++;
	return 0;
}

int vtd_tag_free(void *unit, void *dom, uint32_t tag)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;

	if (tag == d->did || !vtd_dom_owns(u, d, tag))
		return -EINVAL;
	if (u->did_refs[tag])
		return -EBUSY;	/* it would reach another domain while in use */
	did_release(u, tag);
	d->tags[tag / 8] &= ~(1u << (tag % 8));
	d->ntags--;
	return 0;
}

void vtd_domain_free(void *unit, void *dom)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	uint32_t did;

	/* every stream is detached: no entry carries the domain's DIDs any more */
	for (did = 0; d->ntags && did < u->ndids; did++)
		if (did != d->did && vtd_dom_owns(u, d, did)) {
			did_release(u, did);
			d->ntags--;
		}
	xm_free(d->tags);
	did_release(u, d->did);
	if (d->levels >= 3 && d->levels <= 5)
		sl_free(u, d->root, d->levels);
	xm_free(d);
}

/* The leaf slot for @gpa, allocating tables when @alloc; NULL if absent. */
static uint64_t *sl_leaf(struct vtd_unit *u, struct vtd_dom *d, uint64_t gpa, int alloc)
{
	uint64_t table = d->root;
	uint32_t level;

	for (level = d->levels; level > 1; level--) {
		uint64_t *e = vtd_map64(u, table + sl_index(gpa, level) * 8);

		if (!e)
			return NULL;
		if (!(*e & 3)) {
			uint64_t t;

			if (!alloc || u->host.alloc(u->host.priv, 4096, &t))
				return NULL;
			*e = t | XI_BIT(VTD_SL_R) | XI_BIT(VTD_SL_W);
		} else if (*e & XI_BIT(VTD_SL_PS)) {
			return NULL;
		}
		table = *e & VTD_SL_ADDR_MASK;
	}
	return vtd_map64(u, table + sl_index(gpa, 1) * 8);
}

static int range_ok(struct vtd_dom *d, uint64_t gpa, uint64_t size)
{
	uint64_t lim = 1ull << aw_bits(d->levels);

	return size && !((gpa | size) & 0xfff) && gpa < lim && size <= lim - gpa;
}

int vtd_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	uint64_t off;
	uint32_t i;

	if (!range_ok(d, gpa, size))
		return -EINVAL;
	for (off = 0; off < size; off += 4096) {
		uint64_t *e = sl_leaf(u, d, gpa + off, 0);

		if (e)
			*e = 0;
	}
	/* the host's own invalidation: every translation of the DIDs, and device TLBs */
	dom_flush_iotlb(u, d);
	for (i = 0; i < VTD_MAX_STREAMS; i++)
		if (u->streams[i].dom == d)
			vtd_inv_devtlb(u, u->streams[i].rid, 0, 0, 1, 0, 0);
	return 0;
}

int vtd_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size, uint32_t prot)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	uint64_t off, bits = 0;

	if (!range_ok(d, gpa, size) || (pa & 0xfff) || !prot ||
	    (prot & ~(XIOMMU_MAP_READ | XIOMMU_MAP_WRITE)) || pa + size < pa ||
	    ((pa + size - 1) >> u->p.mgaw))
		return -EINVAL;
	for (off = 0; off < size; off += 4096) {
		uint64_t *e = sl_leaf(u, d, gpa + off, 0);

		if (e && (*e & 3))
			return -EEXIST;
	}
	if (prot & XIOMMU_MAP_READ)
		bits |= XI_BIT(VTD_SL_R);
	if (prot & XIOMMU_MAP_WRITE)
		bits |= XI_BIT(VTD_SL_W);
	for (off = 0; off < size; off += 4096) {
		uint64_t *e = sl_leaf(u, d, gpa + off, 1);

		if (!e) {
			if (off)
				vtd_s2_unmap(u, d, gpa, off);
			return -ENOMEM;
		}
		*e = (pa + off) | bits;
	}
	return 0;
}

struct vtd_stream *vtd_stream_find(struct vtd_unit *u, uint32_t rid)
{
	uint32_t i;

	for (i = 0; i < VTD_MAX_STREAMS; i++)
		if (u->streams[i].dom && u->streams[i].rid == rid)
			return &u->streams[i];
	return NULL;
}

uint64_t *vtd_pasid_entry_ptr(struct vtd_unit *u, struct vtd_stream *s, uint32_t pasid)
{
	uint64_t dir_off = (uint64_t)(pasid >> VTD_PASID_DIR_SHIFT) * 8, de;

	if (dir_off >= s->pdir_size || vtd_read64(u, s->pdir + dir_off, &de) ||
	    !(de & XI_BIT(VTD_PDE_P)))
		return NULL;
	return u->host.map(u->host.priv, (de & VTD_PDE_PTR_MASK) + (pasid & 63) * 64, 64);
}

/* Install @table (zeroed, 4 KiB) for @pasid's directory entry if it has none. */
int vtd_ensure_pasid_table(struct vtd_unit *u, struct vtd_stream *s, uint32_t pasid,
			   uint64_t table)
{
	uint64_t dir_off = (uint64_t)(pasid >> VTD_PASID_DIR_SHIFT) * 8, de;

	if (dir_off >= s->pdir_size || vtd_read64(u, s->pdir + dir_off, &de))
		return -EINVAL;
	if (de & XI_BIT(VTD_PDE_P))
		return 1;
	return vtd_write64(u, s->pdir + dir_off, table | XI_BIT(VTD_PDE_P));
}

static uint64_t ctx_slot(struct vtd_unit *u, uint32_t rid, int alloc)
{
	uint32_t bus = rid >> 8, devfn = rid & 0xff, half = devfn >> 7;
	uint64_t re_pa = u->root + bus * 16 + half * 8, re, t;

	if (vtd_read64(u, re_pa, &re))
		return 0;
	if (!(re & 1)) {
		if (!alloc || u->host.alloc(u->host.priv, 4096, &t))
			return 0;
		re = t | 1;
		vtd_write64(u, re_pa, re);
	}
	return (re & VTD_RE_CTP_MASK) + (devfn & 0x7f) * 32;
}

int vtd_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants)
{
	struct vtd_unit *u = unit;
	struct vtd_dom *d = dom;
	struct vtd_stream *s = NULL;
	uint64_t ce, pdir, t0, dsize;
	uint32_t i, pdts, dbits;

	(void)grants;
	if (sid > 0xffff)
		return -ERANGE;
	if (vtd_stream_find(u, sid))
		return -EBUSY;
	for (i = 0; i < VTD_MAX_STREAMS; i++)
		if (!u->streams[i].dom) {
			s = &u->streams[i];
			break;
		}
	if (!s)
		return -ENOSPC;
	dbits = u->p.pasid_bits > VTD_PASID_DIR_SHIFT ? u->p.pasid_bits - VTD_PASID_DIR_SHIFT : 0;
	pdts = dbits > 7 ? dbits - 7 : 0;
	dsize = (1ull << (pdts + 7)) * 8;
	if (dsize < 4096)
		dsize = 4096;
	ce = ctx_slot(u, sid, 1);
	if (!ce)
		return -ENOMEM;
	if (u->host.alloc(u->host.priv, dsize, &pdir))
		return -ENOMEM;
	if (u->host.alloc(u->host.priv, 4096, &t0)) {
		u->host.free(u->host.priv, pdir, dsize);
		return -ENOMEM;
	}
	vtd_write64(u, pdir, t0 | XI_BIT(VTD_PDE_P));
	s->dom = d;
	s->rid = sid;
	s->pdts = pdts;
	s->pdir = pdir;
	s->pdir_size = dsize;
	d->nstreams++;
	vtd_write64(u, ce + 8, 0);	/* RID_PASID 0 */
	vtd_write64(u, ce + 16, 0);
	vtd_write64(u, ce + 24, 0);
	vtd_write64(u, ce, pdir | XI_PUT(pdts, VTD_CE_PDTS_H, VTD_CE_PDTS_L) |
		    XI_BIT(VTD_CE_PASIDE) | (u->p.dt ? XI_BIT(VTD_CE_DTE) : 0) |
		    (u->p.prs ? XI_BIT(VTD_CE_PRE) : 0) | XI_BIT(VTD_CE_P));
	vtd_inv_ctx(u, 0, sid, 0);
	return 0;
}

static void stream_release(struct vtd_unit *u, struct vtd_stream *s)
{
	uint64_t off, ce = ctx_slot(u, s->rid, 0);

	if (ce)
		vtd_write64(u, ce, 0);
	vtd_inv_ctx(u, 0, s->rid, 0);
	vtd_inv_pc_rid(u, s->rid);
	dom_flush_iotlb(u, s->dom);
	vtd_inv_devtlb(u, s->rid, 0, 0, 1, 0, 0);
	for (off = 0; off < s->pdir_size; off += 8) {
		uint64_t de, pt;
		uint32_t i;

		if (vtd_read64(u, s->pdir + off, &de) || !(de & XI_BIT(VTD_PDE_P)))
			continue;
		pt = de & VTD_PDE_PTR_MASK;
		for (i = 0; i < 4096 / (VTD_PE_WORDS * 8); i++) {
			uint64_t *pe = vtd_map64(u, pt + i * VTD_PE_WORDS * 8);

			if (pe && (pe[0] & XI_BIT(VTD_PE_P)))
				vtd_did_use(u, pe, 0);
		}
		u->host.free(u->host.priv, pt, 4096);
	}
	u->host.free(u->host.priv, s->pdir, s->pdir_size);
	s->dom->nstreams--;
	memset(s, 0, sizeof(*s));
}

void vtd_stream_detach(void *unit, void *dom, uint32_t sid)
{
	struct vtd_unit *u = unit;
	struct vtd_stream *s = vtd_stream_find(u, sid);

	if (s && s->dom == dom)
		stream_release(u, s);
}

void vtd_streams_free(struct vtd_unit *u)
{
	uint32_t i;

	for (i = 0; i < VTD_MAX_STREAMS; i++)
		if (u->streams[i].dom)
			stream_release(u, &u->streams[i]);
}
