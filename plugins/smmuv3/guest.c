// SPDX-License-Identifier: MIT
/*
 * Guest-format builders: CDs, CD tables and stage-1 translation tables in
 * guest memory, as a guest SMMUv3 driver would write them.
 */
#include <errno.h>
#include <string.h>
#include "guest.h"

void smmuv3_cd_encode(const struct smmuv3_cd_fields *f, uint64_t cd[SMMUV3_CD_DWORDS])
{
	int ips = smmuv3_pa_code(f->ips_bits ? f->ips_bits : 48);

	memset(cd, 0, SMMUV3_CD_DWORDS * 8);
	cd[0] = SMMUV3_WPUT(f->t0sz, SMMUV3_CD_T0SZ) |
		SMMUV3_WPUT(smmuv3_tg_code(f->gshift), SMMUV3_CD_TG0) |
		SMMUV3_WPUT(1, SMMUV3_CD_IR0) | SMMUV3_WPUT(1, SMMUV3_CD_OR0) |
		SMMUV3_WPUT(3, SMMUV3_CD_SH0) | SMMUV3_WPUT(1, SMMUV3_CD_EPD1) |
		SMMUV3_WPUT(1, SMMUV3_CD_V) | SMMUV3_WPUT(ips < 0 ? 5 : ips, SMMUV3_CD_IPS) |
		SMMUV3_WPUT(f->affd, SMMUV3_CD_AFFD) | SMMUV3_WPUT(f->wxn, SMMUV3_CD_WXN) |
		SMMUV3_WPUT(1, SMMUV3_CD_AA64) | SMMUV3_WPUT(f->stall, SMMUV3_CD_S) |
		SMMUV3_WPUT(!f->no_record, SMMUV3_CD_R) | SMMUV3_WPUT(1, SMMUV3_CD_A) |
		SMMUV3_WPUT(f->asid, SMMUV3_CD_ASID);
	cd[1] = f->ttb0 & XI_GENMASK(55, 4);
	cd[3] = 0x000000000044ff04ull;	/* MAIR: attr0 Device-nGnRE, attr1 WB, attr2 NC */
}

unsigned int smmuv3_s1_start_level(unsigned int gshift, unsigned int t0sz)
{
	unsigned int stride = gshift - 3, ias = 64 - t0sz;

	return 4 - (ias - gshift + stride - 1) / stride;
}

static unsigned int shift_of(unsigned int g, unsigned int level)
{
	return g + (3 - level) * (g - 3);
}

static uint64_t slot(unsigned int g, unsigned int t0sz, uint64_t table, unsigned int level,
		     uint64_t va)
{
	unsigned int sh = shift_of(g, level), bits = g - 3;

	if (level == smmuv3_s1_start_level(g, t0sz))
		bits = 64 - t0sz - sh;
	return table + ((va >> sh) & ((1ull << bits) - 1)) * 8;
}

static int rd(const struct smmuv3_guest_mem *m, uint64_t gpa, uint64_t *v)
{
	return m->read(m->arg, gpa, v, 8);
}

static int wr(const struct smmuv3_guest_mem *m, uint64_t gpa, uint64_t v)
{
	return m->write(m->arg, gpa, &v, 8);
}

int smmuv3_s1_map(const struct smmuv3_guest_mem *m, uint64_t root, unsigned int g,
		  unsigned int t0sz, uint64_t va, uint64_t oa, unsigned int level, uint32_t attrs)
{
	unsigned int l = smmuv3_s1_start_level(g, t0sz);
	uint64_t t = root, e, w, nt, d, sz;

	if ((g != 12 && g != 14 && g != 16) || level > 3 || level < l)
		return -EINVAL;
	sz = 1ull << shift_of(g, level);
	if ((va | oa) & (sz - 1))
		return -EINVAL;
	for (; l < level; l++) {
		w = slot(g, t0sz, t, l, va);
		if (rd(m, w, &e))
			return -EFAULT;
		if (!(e & 1)) {
			nt = m->alloc(m->arg, 1ull << g);
			if (!nt)
				return -ENOMEM;
			e = smmuv3_pte_make_addr(nt, g) | 3;
			if (wr(m, w, e))
				return -EFAULT;
		} else if (!(e & 2)) {
			return -EEXIST;
		}
		t = smmuv3_pte_addr(e, g);
	}
	d = smmuv3_pte_make_addr(oa, g) | SMMUV3_PTE_VALID | (level == 3 ? SMMUV3_PTE_TABLE : 0) |
	    XI_PUT(1, 4, 2) /* AttrIndx 1: WB */ | XI_PUT(3, 9, 8) /* ISH */;
	if (!(attrs & SMMUV3_S1_NO_AF))
		d |= SMMUV3_PTE_AF;
	if (attrs & SMMUV3_S1_READONLY)
		d |= XI_BIT(7);
	if (attrs & SMMUV3_S1_USER)
		d |= XI_BIT(6);
	if (attrs & SMMUV3_S1_NG)
		d |= SMMUV3_PTE_NG;
	if (attrs & SMMUV3_S1_XN)
		d |= SMMUV3_PTE_UXN | SMMUV3_PTE_PXN;
	return wr(m, slot(g, t0sz, t, level, va), d);
}

int smmuv3_s1_unmap(const struct smmuv3_guest_mem *m, uint64_t root, unsigned int g,
		    unsigned int t0sz, uint64_t va)
{
	unsigned int l;
	uint64_t t = root, e, w;

	for (l = smmuv3_s1_start_level(g, t0sz); l <= 3; l++) {
		w = slot(g, t0sz, t, l, va);
		if (rd(m, w, &e))
			return -EFAULT;
		if (!(e & 1))
			return -ENOENT;
		if (l == 3 || !(e & 2))
			return wr(m, w, 0);
		t = smmuv3_pte_addr(e, g);
	}
	return -ENOENT;
}

int smmuv3_cd_write(const struct smmuv3_guest_mem *m, uint64_t table, uint32_t ssid,
		    const uint64_t cd[SMMUV3_CD_DWORDS])
{
	return m->write(m->arg, table + (uint64_t)ssid * SMMUV3_CD_SIZE, cd, SMMUV3_CD_SIZE);
}

int smmuv3_cd_write_2l(const struct smmuv3_guest_mem *m, uint64_t l1, unsigned int s1fmt,
		       uint32_t ssid, const uint64_t cd[SMMUV3_CD_DWORDS])
{
	unsigned int split = smmuv3_cd_split(s1fmt);
	uint64_t e, leaf;

	if (!split)
		return -EINVAL;
	if (rd(m, l1 + (uint64_t)(ssid >> split) * 8, &e))
		return -EFAULT;
	if (!(e & 1)) {
		leaf = m->alloc(m->arg, (uint64_t)SMMUV3_CD_SIZE << split);
		if (!leaf)
			return -ENOMEM;
		e = leaf | 1;
		if (wr(m, l1 + (uint64_t)(ssid >> split) * 8, e))
			return -EFAULT;
	}
	return smmuv3_cd_write(m, e & XI_GENMASK(55, 12), ssid & ((1u << split) - 1), cd);
}
