// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VMSAv8-64 translation table walks: stage 1 (CD.TTB0/TTB1) and stage 2
 * (STE.S2TTB), 4K/16K/64K granules, every start level, concatenated stage-2
 * start tables, block and page descriptors, AF, address-size checks. In a
 * nested config every stage-1 table address is an IPA translated by stage 2
 * first. Each walk visits at most four levels; stage 1 calls stage 2 but
 * never the reverse, so there is no recursion.
 */
#include "smmuv3_int.h"

static inline uint64_t lowmask(unsigned int bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

/* Is a block descriptor allowed at @level for granule @g (no 52-bit DS)? */
static int block_ok(unsigned int g, unsigned int level)
{
	if (g == 12)
		return level == 1 || level == 2;
	return level == 2;
}

static void fault(struct smmu_fault *f, uint8_t id, uint8_t s2)
{
	f->id = id;
	f->s2 = s2;
}

/* A stage-1 fault on the input address: S2 = 0, CLASS = IN (IHI0070 7.3). */
static void s1_fault(struct smmu_fault *f, uint8_t id)
{
	f->id = id;
	f->s2 = 0;
	f->cls = SMMUV3_CLASS_IN;
}

/* Permissions of stage-2 descriptor @d. */
static uint8_t s2_perm(uint64_t d)
{
	uint8_t p = 0;

	if (d & XI_BIT(6))
		p |= SMMU_P_R;
	if (d & XI_BIT(7))
		p |= SMMU_P_W;
	/* execute is XN alone, whatever S2AP says (AArch64 stage 2, no FEAT_XNX) */
	if (!(d & SMMUV3_PTE_UXN))
		p |= SMMU_P_X;
	return p;
}

/* Permission of a stage-2 translation (walked or from the TLB) for @acc. */
static inline int s2_perm_check(const struct smmu_s2cfg *c, int table, const struct smmu_tx *tx,
				uint32_t acc, struct smmu_fault *f)
{
	uint8_t p = tx->s2_p;

	if (table && c->ptw && !(tx->s2memattr & 0xc)) {
		fault(f, SMMUV3_EVT_F_PERMISSION, 1);
		return -EFAULT;
	}
	/* an instruction fetch needs X only; a data read R, a write W */
	if (!(acc & (SMMU_ACC_W | SMMU_ACC_X)) && !(p & SMMU_P_R)) {
		fault(f, SMMUV3_EVT_F_PERMISSION, 1);
		return -EFAULT;
	}
	if (((acc & SMMU_ACC_W) && !(p & SMMU_P_W)) || ((acc & SMMU_ACC_X) && !(p & SMMU_P_X))) {
		fault(f, SMMUV3_EVT_F_PERMISSION, 1);
		return -EFAULT;
	}
	return 0;
}

/* Stage 2 on a TLB miss (or for a table fetch): the walk of smmu_s2_walk(). */
static __attribute__((__noinline__)) int s2_walk(struct smmu_unit *u, const struct smmu_s2cfg *c,
					     uint64_t ipa, uint32_t acc, int table,
					     struct smmu_tx *tx, struct smmu_fault *f)
{
	unsigned int g = c->g, stride = g - 3, level = c->sl, shift, nbits;
	uint64_t addr = c->ttb, d = 0, idx, oa;

	for (;;) {
		shift = g + (3 - level) * stride;
		nbits = level == c->sl ? c->ias - shift : stride;
		idx = (ipa >> shift) & lowmask(nbits);
		if (smmu_read64(u, addr + idx * 8, &d)) {
			fault(f, SMMUV3_EVT_F_WALK_EABT, 1);
			f->fetch = addr + idx * 8;
			return -EFAULT;
		}
		if (!(d & SMMUV3_PTE_VALID)) {
			fault(f, SMMUV3_EVT_F_TRANSLATION, 1);
			return -EFAULT;
		}
		if (level < 3 && (d & SMMUV3_PTE_TABLE)) {
			addr = smmuv3_pte_addr(d, g);
			if (addr >> c->ps) {
				fault(f, SMMUV3_EVT_F_ADDR_SIZE, 1);
				return -EFAULT;
			}
			level++;
			continue;
		}
		if (level == 3 ? !(d & SMMUV3_PTE_TABLE) : !block_ok(g, level)) {
			fault(f, SMMUV3_EVT_F_TRANSLATION, 1);
			return -EFAULT;
		}
		break;
	}
	oa = smmuv3_pte_addr(d, g) & ~lowmask(shift);
	if (oa >> c->ps) {
		fault(f, SMMUV3_EVT_F_ADDR_SIZE, 1);
		return -EFAULT;
	}
	if (!(d & SMMUV3_PTE_AF) && !c->affd) {
		fault(f, SMMUV3_EVT_F_ACCESS, 1);
		return -EFAULT;
	}
	tx->pa = oa | (ipa & lowmask(shift));
	tx->lg = (uint8_t)shift;
	tx->level = (uint8_t)level;
	tx->s2_p = s2_perm(d);
	tx->s2memattr = (uint8_t)XI_GET(d, 5, 2);
	if (!table)
		smmu_tlb_insert(u, SMMU_TLB_S2, c->vmid, 0, ipa, ipa, tx, (uint8_t)g);
	return s2_perm_check(c, table, tx, acc, f);
}

/*
 * Stage 2: @ipa -> tx->pa. @table: the access is a stage-1 table or CD
 * fetch (S2PTW applies; such fetches do not use the TLB). Permission is
 * checked here for @acc; on a fault f->id/s2/ipa/record are set and the
 * caller sets the class.
 */
int smmu_s2_walk(struct smmu_unit *u, const struct smmu_s2cfg *c, uint64_t ipa, uint32_t acc,
		 int table, struct smmu_tx *tx, struct smmu_fault *f)
{
	struct smmu_tlb_ent *e;
	int ret;

	f->ipa = ipa;
	if (ipa >> c->ias) {
		fault(f, SMMUV3_EVT_F_TRANSLATION, 1);
		ret = -EFAULT;
	} else if (!table && (e = smmu_tlb_lookup(u, SMMU_TLB_S2, c->vmid, 0, ipa))) {
		tx->pa = e->pa | (ipa & lowmask(e->lg));
		tx->lg = e->lg;
		tx->level = e->level;
		tx->s2_p = e->s2_p;
		tx->s2memattr = e->s2memattr;
		ret = s2_perm_check(c, table, tx, acc, f);
	} else {
		ret = s2_walk(u, c, ipa, acc, table, tx, f);
	}
	if (ret)
		f->record = f->id == SMMUV3_EVT_F_WALK_EABT ? 1 : c->s2r;
	return ret;
}

/*
 * A 64-bit read at @addr, an IPA when the config has stage 2 (CD / L1CD
 * fetches and stage-1 descriptors), else a PA. @cd: fetch class CD, else TT.
 */
int smmu_ipa_read64(struct smmu_unit *u, const struct smmu_cfg *c, uint64_t addr, int cd,
		    uint64_t *v, struct smmu_fault *f)
{
	struct smmu_tx t;
	uint64_t pa = addr;

	f->cls = cd ? SMMUV3_CLASS_CD : SMMUV3_CLASS_TT;
	f->ttrnw = 1;
	if (c->s2_on) {
		if (smmu_s2_walk(u, c->s2, addr, 0, 1, &t, f))
			return -EFAULT;
		pa = t.pa;
	}
	if (smmu_read64(u, pa, v)) {
		f->id = cd ? SMMUV3_EVT_F_CD_FETCH : SMMUV3_EVT_F_WALK_EABT;
		f->s2 = 0;
		f->fetch = pa;
		f->record = 1;
		return -EFAULT;
	}
	return 0;
}

/*
 * Stage 1 of @va with the CD in @c: tx->pa is the IPA (nested) or PA, with
 * the stage-1 permissions for privileged and user accesses. Permission is
 * not checked here (the caller does it, for TLB hits too).
 */
int smmu_s1_walk(struct smmu_unit *u, const struct smmu_cfg *c, uint64_t va, uint32_t acc,
		 struct smmu_tx *tx, struct smmu_fault *f)
{
	const struct smmu_s1cfg *s = c->s1;
	unsigned int sel = (unsigned int)((va >> 55) & 1), g = s->g[sel], stride, ias, level;
	unsigned int shift, nbits, top, ps;
	uint64_t addr, d = 0, idx, oa, hi;
	int pxn = 0, uxn = 0, nouser = 0, nowrite = 0, ap, x;

	(void)acc;
	f->record = s->r;
	f->stall = s->s;
	f->cls = SMMUV3_CLASS_TT;
	/*
	 * EPDn first: a disabled half is a Translation fault whatever its TnSZ
	 * says, and TnSZ is only checked (16..39, cd_decode()) for enabled
	 * halves, so 64 - TnSZ may be 64 here (Arm ARM AArch64.S1Walk).
	 */
	if (s->epd[sel] || !g) {
		s1_fault(f, SMMUV3_EVT_F_TRANSLATION);
		return -EFAULT;
	}
	ias = 64 - s->tsz[sel];
	top = s->tbi[sel] ? 56 : 64;
	hi = (va & lowmask(top)) >> ias;
	if (hi != (sel ? lowmask(top - ias) : 0)) {
		s1_fault(f, SMMUV3_EVT_F_TRANSLATION);
		return -EFAULT;
	}
	ps = g != 16 && s->ps > SMMUV3_OA_MAX_NO_DS ? SMMUV3_OA_MAX_NO_DS : s->ps;
	stride = g - 3;
	level = 4 - (ias - g + stride - 1) / stride;
	addr = s->ttb[sel];
	/* a TTBn beyond the IPS: Address size fault at the start level (AArch64.S1Walk) */
	if (addr >> ps) {
		s1_fault(f, SMMUV3_EVT_F_ADDR_SIZE);
		return -EFAULT;
	}
	for (;;) {
		shift = g + (3 - level) * stride;
		nbits = (level == 4 - (ias - g + stride - 1) / stride) ? ias - shift : stride;
		idx = (va >> shift) & lowmask(nbits);
		if (smmu_ipa_read64(u, c, addr + idx * 8, 0, &d, f))
			return -EFAULT;
		if (!(d & SMMUV3_PTE_VALID)) {
			s1_fault(f, SMMUV3_EVT_F_TRANSLATION);
			return -EFAULT;
		}
		if (level < 3 && (d & SMMUV3_PTE_TABLE)) {
			addr = smmuv3_pte_addr(d, g);
			if (addr >> ps) {
				s1_fault(f, SMMUV3_EVT_F_ADDR_SIZE);
				return -EFAULT;
			}
			pxn |= !!(d & SMMUV3_PTE_PXNTABLE);
			uxn |= !!(d & SMMUV3_PTE_UXNTABLE);
			nouser |= (int)XI_GET(d, 61, 61);
			nowrite |= (int)XI_GET(d, 62, 62);
			level++;
			continue;
		}
		if (level == 3 ? !(d & SMMUV3_PTE_TABLE) : !block_ok(g, level)) {
			s1_fault(f, SMMUV3_EVT_F_TRANSLATION);
			return -EFAULT;
		}
		break;
	}
	oa = smmuv3_pte_addr(d, g) & ~lowmask(shift);
	if (oa >> ps) {
		s1_fault(f, SMMUV3_EVT_F_ADDR_SIZE);
		return -EFAULT;
	}
	if (!(d & SMMUV3_PTE_AF) && !s->affd) {
		s1_fault(f, SMMUV3_EVT_F_ACCESS);
		return -EFAULT;
	}
	ap = (int)XI_GET(d, 7, 6);
	tx->pa = oa | (va & lowmask(shift));
	tx->lg = (uint8_t)shift;
	tx->level = (uint8_t)level;
	tx->global = !(d & SMMUV3_PTE_NG);
	/* AP[2:1]: 00 priv RW, 01 RW both, 10 priv RO, 11 RO both */
	tx->perm_priv = SMMU_P_R | ((ap & 2) || nowrite ? 0 : SMMU_P_W);
	tx->perm_user = (ap & 1) && !nouser ? (uint8_t)(SMMU_P_R | ((ap & 2) || nowrite ? 0 : SMMU_P_W)) : 0;
	x = !(d & SMMUV3_PTE_PXN) && !pxn;
	if (x && !((tx->perm_priv & SMMU_P_W) && s->wxn) && !(tx->perm_user & SMMU_P_W && s->uwxn))
		tx->perm_priv |= SMMU_P_X;
	x = !(d & SMMUV3_PTE_UXN) && !uxn;
	if (x && !((tx->perm_user & SMMU_P_W) && s->wxn))
		tx->perm_user |= SMMU_P_X;
	return 0;
}
