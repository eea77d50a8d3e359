// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Programs (include/xiommu/program.h) on an SMMUv3 unit: the host's final
 * check, then the run. Every op is checked before any runs:
 *  - STE writes only to the domain's streams, with the host-owned fields
 *    the domain implies (Config's stage-2 half, S2 words, VMID, S2TTB,
 *    SHCFG, MEV, STRW), EATS only on a stream granted ATS, and S1STALLD set
 *    on a stream not granted stall where the unit could stall;
 *  - in hitless mode, every STE a DMA could observe between two
 *    ENTRY_WRITE steps is the old config, the final one, or abort;
 *  - commands only for the domain's VMID and streams, and legal for the
 *    unit's ID registers (what the unit would stop at with CERROR_ILL);
 *  - MSI_MAP / MSI_UNMAP of the unit's doorbell at a free / bound GPA.
 * A rejected program runs nothing. Doorbell pages are mapped before
 * anything else runs (a failure then undoes them); STE words are written
 * to memory and commands go through the unit's queue, in program order.
 */
#include "smmuv3_host.h"

static void apply(uint64_t *ste, const struct xiommu_op *op)
{
	unsigned int i;

	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		if (op->mask & (1u << i))
			ste[i] = op->w[i];
}

static struct xh_smmu_shadow *shadow_get(struct xh_smmu *h, uint32_t sid)
{
	struct xh_smmu_prog *ps = h->prog;
	struct xh_smmu_shadow *s;
	uint64_t *w;
	unsigned int i;

	for (i = 0; i < ps->n; i++)
		if (ps->s[i].sid == sid)
			return &ps->s[i];
	if (ps->n == XH_SMMU_PROG_STES)
		return NULL;
	s = &ps->s[ps->n];
	if (xh_smmu_ste_pa(h, sid, &s->pa))
		return NULL;
	ps->n++;
	s->sid = sid;
	for (i = 0; i < SMMUV3_STE_DWORDS; i++) {
		w = xh_smmu_map64(h, s->pa + 8 * i);
		s->old[i] = s->cur[i] = s->fin[i] = w ? *w : 0;
	}
	return s;
}

static int ste_is_abort(const uint64_t *ste)
{
	return !(ste[0] & 1) || SMMUV3_WGET(ste[0], SMMUV3_STE_CONFIG) < SMMUV3_CFG_BYPASS;
}

/* Same behaviour for a DMA: equal in every bit their configs use. */
static int ste_same(const uint64_t *a, const uint64_t *b)
{
	uint64_t ua[SMMUV3_STE_DWORDS], ub[SMMUV3_STE_DWORDS];
	unsigned int i;

	smmuv3_ste_used(a, ua);
	smmuv3_ste_used(b, ub);
	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		if (ua[i] != ub[i] || (a[i] & ua[i]) != (b[i] & ub[i]))
			return 0;
	return 1;
}

static int ats_on(const uint64_t *ste)
{
	return !ste_is_abort(ste) && SMMUV3_WGET(ste[1], SMMUV3_STE_EATS) == SMMUV3_EATS_FULL;
}

/* May the domain leave this STE in memory for the stream @st? */
static int ste_allowed(const struct xh_smmu *h, const struct xh_smmu_dom *d,
		       const struct xh_smmu_stream *st, const uint64_t *ste)
{
	unsigned int cfg = (unsigned int)SMMUV3_WGET(ste[0], SMMUV3_STE_CONFIG), i;
	unsigned int eats = (unsigned int)SMMUV3_WGET(ste[1], SMMUV3_STE_EATS);

	if (ste_is_abort(ste))
		return 1;
	if (cfg != SMMUV3_CFG_S2 && cfg != SMMUV3_CFG_NESTED)
		return 0;	/* bypass / stage 1 only would escape stage 2 */
	if ((ste[1] & ~(uint64_t)SMMUV3_STE1_GUEST_MASK) != d->w1 || ste[2] != d->w2 ||
	    ste[3] != d->w3)
		return 0;
	for (i = 4; i < SMMUV3_STE_DWORDS; i++)
		if (ste[i])
			return 0;
	/* ATS is the host's grant: EATS = 01 only where granted, never 10 */
	if (eats && (eats != SMMUV3_EATS_FULL || !(st->grants & XIOMMU_VDEV_ATS)))
		return 0;
	/* stall is the host's grant too: without it stage 1 must not stall */
	if (cfg == SMMUV3_CFG_NESTED && h->stall && !(st->grants & XIOMMU_VDEV_STALL) &&
	    SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_STALL_MODEL) == SMMUV3_STALL_MODEL_BOTH &&
	    !SMMUV3_WGET(ste[1], SMMUV3_STE_S1STALLD))
		return 0;
	return 1;
}

/* Is @sid of the domain; for a range command, is every SID of the range? */
static int cmd_owned(const struct xh_smmu_dom *d, const uint64_t *c)
{
	unsigned int op = (unsigned int)SMMUV3_WGET(c[0], SMMUV3_CMD_OP);
	uint32_t sid = (uint32_t)SMMUV3_WGET(c[0], SMMUV3_CMD_SID), i, cnt = 0;
	const struct xh_smmu_stream *st = xh_smmu_dom_stream(d, sid);
	uint64_t n;

	switch (op) {
	case SMMUV3_OP_ATC_INV:
		if (st && !(st->grants & XIOMMU_VDEV_ATS))
			return -EOPNOTSUPP;	/* no ATC to invalidate: ATS was not granted */
		return st ? 0 : -EPERM;
	case SMMUV3_OP_PRI_RESP:
		if (st && !(st->grants & XIOMMU_VDEV_PRI))
			return -EOPNOTSUPP;
		return st ? 0 : -EPERM;
	case SMMUV3_OP_CFGI_STE:
	case SMMUV3_OP_CFGI_CD:
	case SMMUV3_OP_CFGI_CD_ALL:
	case SMMUV3_OP_RESUME:
	case SMMUV3_OP_STALL_TERM:
	case SMMUV3_OP_PREFETCH_CONFIG:
	case SMMUV3_OP_PREFETCH_ADDR:
		return st ? 0 : -EPERM;
	case SMMUV3_OP_CFGI_STE_RANGE:
		n = 2ull << SMMUV3_WGET(c[1], SMMUV3_CMD_RANGE);
		for (i = 0; i < d->nsid; i++)
			if (((d->sids[i].sid ^ sid) & ~(n - 1)) == 0)
				cnt++;
		return cnt == n ? 0 : -EPERM;
	case SMMUV3_OP_TLBI_NH_ALL:
	case SMMUV3_OP_TLBI_NH_ASID:
	case SMMUV3_OP_TLBI_NH_VA:
	case SMMUV3_OP_TLBI_NH_VAA:
	case SMMUV3_OP_TLBI_S12_VMALL:
	case SMMUV3_OP_TLBI_S2_IPA:
		return SMMUV3_WGET(c[0], SMMUV3_CMD_VMID) == d->d.tag ? 0 : -EPERM;
	case SMMUV3_OP_CMD_SYNC:
		return 0;
	default:		/* CFGI_ALL-wide, NSNH_ALL, EL2, unknown: not a domain's */
		return -EPERM;
	}
}

static int check_msi(struct xh_smmu *h, struct xh_smmu_dom *d, const struct xiommu_op *op)
{
	struct xh_smmu_prog *ps = h->prog;
	uint64_t gm = (1ull << d->d.granule_shift) - 1, gpa = op->w[0];
	unsigned int lvl, i;

	if (!h->b.host.msi_db || (gpa & gm) || (h->b.host.msi_db & gm) || (gpa >> d->d.s2_ias))
		return -EINVAL;
	for (i = 0; i < ps->nmsi; i++)
		if (ps->msi[i] == gpa)
			break;
	if (op->code == XIOMMU_OP_MSI_MAP) {
		/* all of a program's maps are made before it runs: a domain's worth at most */
		if (i < ps->nmsi || ps->nmsi == XH_SMMU_DOM_MSI || ps->nmaps == XH_SMMU_DOM_MSI ||
		    xh_pgtable_lookup(&d->s2, gpa, &lvl))
			return -EEXIST;
		ps->msi[ps->nmsi++] = gpa;
		ps->nmaps++;
		return 0;
	}
	if (i == ps->nmsi)
		return -ENOENT;
	ps->msi[i] = ps->msi[--ps->nmsi];
	return 0;
}

static int check_op(struct xh_smmu *h, struct xh_smmu_dom *d, const struct xiommu_op *op,
		    int final_pass)
{
	const struct xh_smmu_stream *st;
	struct xh_smmu_shadow *s;
	int ret;

	switch (op->code) {
	case XIOMMU_OP_ENTRY_WRITE:
		if (op->index != XIOMMU_OP_INDEX_NONE || !op->mask || (op->mask & ~0xffu))
			return -EINVAL;
		st = xh_smmu_dom_stream(d, op->target);
		if (!st)
			return -EPERM;
		s = shadow_get(h, op->target);
		if (!s)
			return -EINVAL;
		if (final_pass) {
			apply(s->fin, op);
			return 0;
		}
		apply(s->cur, op);
		if (!ste_allowed(h, d, st, s->cur))
			return -EPERM;
		if (h->p.hitless_check && !ste_is_abort(s->cur) && !ste_same(s->cur, s->old) &&
		    !ste_same(s->cur, s->fin))
			return -EINVAL;
		return 0;
	case XIOMMU_OP_CMD:
		if (final_pass)
			return 0;
		if (op->count != SMMUV3_CMD_DWORDS)
			return -EINVAL;
		ret = cmd_owned(d, op->w);
		if (ret)
			return ret;
		if (smmuv3_cmd_cerror(op->w, h->idr)) {
			h->b.refused++;	/* the unit would stop at it: CERROR_ILL */
			return -EINVAL;
		}
		return 0;
	case XIOMMU_OP_SYNC:
		return 0;
	case XIOMMU_OP_MSI_MAP:
	case XIOMMU_OP_MSI_UNMAP:
		return final_pass ? 0 : check_msi(h, d, op);
	case XIOMMU_OP_GUEST_WRITE:
		return final_pass ? 0 : xh_guest_write_check(&d->s2, op, NULL);
	default:
		return -EINVAL;
	}
}

/*
 * Map every doorbell the program binds; on a failure unmap them again.
 * They are mapped before anything runs, so a program may not map a GPA an
 * earlier op of it unmapped (the first map would still be there): that is
 * refused here, before any map links a stage-2 table in. check_msi() lets a
 * program carry at most XH_SMMU_DOM_MSI maps, so the scan is linear in n.
 */
static int premap_msi(struct xh_smmu *h, struct xh_smmu_dom *d, const struct xiommu_op *ops,
		      uint32_t n, uint32_t *bad)
{
	uint32_t i, j;
	int ret;

	for (i = 0; i < n; i++)
		for (j = 0; ops[i].code == XIOMMU_OP_MSI_MAP && j < i; j++)
			if (ops[j].code == XIOMMU_OP_MSI_UNMAP && ops[j].w[0] == ops[i].w[0]) {
				*bad = i;
				return -EINVAL;
			}
	for (i = 0; i < n; i++) {
		if (ops[i].code != XIOMMU_OP_MSI_MAP)
			continue;
		ret = xh_smmu_map_msi(h, d, ops[i].w[0]);
		if (!ret)
			continue;
		for (j = 0; j < i; j++)
			if (ops[j].code == XIOMMU_OP_MSI_MAP)
				xh_pgtable_unmap(&d->s2, ops[j].w[0], 1ull << d->d.granule_shift);
		*bad = i;
		return ret;
	}
	return 0;
}

/* Send the program's queue entries gathered so far. */
static int flush(struct xh_smmu *h, uint32_t *nb)
{
	return xh_unit_flush(&h->b, (const uint64_t (*)[XM_CMD_WORDS])h->prog->cmds, nb);
}

/* The words @op stores, in order; the STE was located when it was checked. */
static int write_ste(struct xh_smmu *h, struct xh_smmu_dom *d, const struct xiommu_op *op)
{
	struct xh_smmu_stream *st = (struct xh_smmu_stream *)xh_smmu_dom_stream(d, op->target);
	uint64_t pa, *w;
	unsigned int j;

	st->used = 1;	/* its detach must flush what the unit may cache */
	if (xh_smmu_ste_pa(h, op->target, &pa))
		return -EIO;
	for (j = 0; j < SMMUV3_STE_DWORDS; j++) {
		if (!(op->mask & (1u << j)))
			continue;
		w = xh_smmu_map64(h, pa + 8 * j);
		if (!w)
			return -EIO;
		*(volatile uint64_t *)w = op->w[j];
	}
	return 0;
}

static int run(struct xh_smmu *h, struct xh_smmu_dom *d, const struct xiommu_op *ops,
	       uint32_t n)
{
	struct xh_smmu_prog *ps = h->prog;
	uint32_t i, j, nb = 0;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		const struct xiommu_op *op = &ops[i];

		switch (op->code) {
		case XIOMMU_OP_CMD:
		case XIOMMU_OP_SYNC:
			if (nb == XH_SMMU_BATCH && (ret = flush(h, &nb)))
				break;
			memset(ps->cmds[nb], 0, sizeof(ps->cmds[nb]));
			if (op->code == XIOMMU_OP_CMD) {
				ps->cmds[nb][0] = op->w[0];
				ps->cmds[nb][1] = op->w[1];
			} else {
				smmuv3_cmd_sync(ps->cmds[nb]);
			}
			nb++;
			break;
		case XIOMMU_OP_ENTRY_WRITE:
			ret = flush(h, &nb);
			if (!ret)
				ret = write_ste(h, d, op);
			break;
		case XIOMMU_OP_GUEST_WRITE:
			ret = flush(h, &nb);	/* everything before it has completed */
			if (!ret)
				ret = xh_guest_write(&d->s2, op);
			break;
		case XIOMMU_OP_MSI_MAP:
			ret = flush(h, &nb);
			d->msi_gpa[d->nmsi++] = op->w[0];	/* mapped before the run */
			break;
		case XIOMMU_OP_MSI_UNMAP:
			ret = flush(h, &nb);
			for (j = 0; j < d->nmsi && d->msi_gpa[j] != op->w[0]; j++)
				;
			d->msi_gpa[j] = d->msi_gpa[--d->nmsi];
			xh_pgtable_unmap(&d->s2, op->w[0], 1ull << d->d.granule_shift);
			if (!ret)
				ret = xh_smmu_s2_inv(h, d, op->w[0], 1ull << d->d.granule_shift);
			break;
		}
	}
	if (!ret)
		ret = flush(h, &nb);
	return ret;
}

/* A stream whose STE stopped allowing ATS keeps nothing in its ATC. */
static int revoke_ats(struct xh_smmu *h)
{
	struct xh_smmu_prog *ps = h->prog;
	uint32_t i, n = 0;

	memset(ps->inv, 0, sizeof(ps->inv));
	for (i = 0; i < ps->n; i++)
		if (ats_on(ps->s[i].old) && !ats_on(ps->s[i].fin))
			smmuv3_cmd_atc_inv(ps->inv[n++], ps->s[i].sid, 0, 0, 0, 0, SMMUV3_ATC_SIZE_ALL);
	return n ? xh_smmu_host_cmds(h, (const uint64_t (*)[XM_CMD_WORDS])ps->inv, n) : 0;
}

int xh_smmu_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct xh_smmu *h = unit;
	struct xh_smmu_dom *d = dom;
	struct xh_smmu_prog *ps = h->prog;
	uint32_t i, pass;
	int ret = 0;

	if (bad)
		*bad = n;
	if (!d || (n && !ops) || n > XIOMMU_PROG_MAX_OPS)
		return -EINVAL;
	ps->n = 0;
	/* pass 1 computes each STE's final words, pass 2 checks every step */
	for (pass = 1; pass < 3; pass++) {
		memcpy(ps->msi, d->msi_gpa, sizeof(ps->msi));
		ps->nmsi = d->nmsi;
		ps->nmaps = 0;
		for (i = 0; i < n; i++) {
			ret = check_op(h, d, &ops[i], pass == 1);
			if (ret) {
				if (bad)
					*bad = i;
				return ret;
			}
		}
	}
	ret = premap_msi(h, d, ops, n, bad ? bad : &i);
	if (ret)
		return ret;
	ret = run(h, d, ops, n);
	if (!ret)
		ret = revoke_ats(h);
	h->b.programs++;
	return ret;
}
