// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Programs (include/xiommu/program.h) on the SMMUv3 model. Every op is
 * checked before any runs: STE writes only to the domain's streams and
 * with the host-owned fields the domain implies (Config stage-2 half, S2
 * words, VMID, S2TTB, SHCFG, MEV, STRW); commands only for the domain's
 * VMID and streams and legal for the IDRs; and, in hitless mode, every
 * STE a DMA could observe between two ENTRY_WRITE steps must be the old
 * config, the final one, or abort. A rejected program runs nothing.
 */
#include "smmuv3_int.h"

#define PROG_MAX_OPS	4096
#define PROG_MAX_STES	8

struct shadow {
	uint32_t sid;
	uint64_t pa;
	uint64_t old[SMMUV3_STE_DWORDS], cur[SMMUV3_STE_DWORDS], fin[SMMUV3_STE_DWORDS];
};

struct prog_state {
	struct shadow s[PROG_MAX_STES];
	uint32_t n;
	uint64_t msi[SMMU_DOM_MSI];
	uint32_t nmsi;
};

uint32_t smmu_prog_scratch_size(void)
{
	return sizeof(struct prog_state);
}

static void apply(uint64_t *ste, const struct xiommu_op *op)
{
	unsigned int i;

	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		if (op->mask & (1u << i))
			ste[i] = op->w[i];
}

static struct shadow *shadow_get(struct smmu_unit *u, struct prog_state *ps, uint32_t sid)
{
	struct shadow *s;
	unsigned int i;

	for (i = 0; i < ps->n; i++)
		if (ps->s[i].sid == sid)
			return &ps->s[i];
	if (ps->n == PROG_MAX_STES)
		return NULL;
	s = &ps->s[ps->n];
	if (smmu_ste_locate(u, sid, &s->pa))
		return NULL;
	ps->n++;
	s->sid = sid;
	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		s->old[i] = s->cur[i] = s->fin[i] = smmu_host_read64(u, s->pa + 8 * i);
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

/* May the domain leave this STE in memory? */
static int ste_allowed(const struct smmu_dom *d, const uint64_t *ste)
{
	unsigned int cfg = (unsigned int)SMMUV3_WGET(ste[0], SMMUV3_STE_CONFIG), i;

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
	return 1;
}

/* Ownership of one command: 0 or -EPERM. */
static int cmd_owned(const struct smmu_dom *d, const uint64_t *c)
{
	unsigned int op = (unsigned int)SMMUV3_WGET(c[0], SMMUV3_CMD_OP);
	uint32_t sid = (uint32_t)SMMUV3_WGET(c[0], SMMUV3_CMD_SID), i, cnt = 0;
	uint64_t n;

	switch (op) {
	case SMMUV3_OP_CFGI_STE:
	case SMMUV3_OP_CFGI_CD:
	case SMMUV3_OP_CFGI_CD_ALL:
	case SMMUV3_OP_ATC_INV:
	case SMMUV3_OP_PRI_RESP:
	case SMMUV3_OP_RESUME:
	case SMMUV3_OP_STALL_TERM:
	case SMMUV3_OP_PREFETCH_CONFIG:
	case SMMUV3_OP_PREFETCH_ADDR:
		return smmu_dom_owns(d, sid) ? 0 : -EPERM;
	case SMMUV3_OP_CFGI_STE_RANGE:
		n = 2ull << SMMUV3_WGET(c[1], SMMUV3_CMD_RANGE);
		for (i = 0; i < d->nsid; i++)
			if (((d->sids[i] ^ sid) & ~(n - 1)) == 0)
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

static int check_op(struct smmu_unit *u, struct smmu_dom *d, struct prog_state *ps,
		    const struct xiommu_op *op, uint32_t idx, int final_pass)
{
	struct shadow *s;
	uint64_t gm = (1ull << d->d.granule_shift) - 1, gpa = op->w[0];
	unsigned int i;
	int ret;

	switch (op->code) {
	case XIOMMU_OP_ENTRY_WRITE:
		if (op->index != XIOMMU_OP_INDEX_NONE || !op->mask || (op->mask & ~0xffu))
			return -EINVAL;
		if (!smmu_dom_owns(d, op->target))
			return -EPERM;
		s = shadow_get(u, ps, op->target);
		if (!s)
			return -EINVAL;
		if (final_pass) {
			apply(s->fin, op);
			return 0;
		}
		apply(s->cur, op);
		if (!ste_allowed(d, s->cur))
			return -EPERM;
		if (u->p.hitless_check && !ste_is_abort(s->cur) && !ste_same(s->cur, s->old) &&
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
		ret = smmu_cmd_check(u, op->w);
		if (ret) {
			u->cerror = (uint32_t)ret;
			u->cerror_index = idx;
			u->st.queue_errors++;
			return -EINVAL;
		}
		return 0;
	case XIOMMU_OP_SYNC:
		return 0;
	case XIOMMU_OP_MSI_MAP:
	case XIOMMU_OP_MSI_UNMAP:
		if (final_pass)
			return 0;
		if (!u->host.msi_db || (gpa & gm) || (u->host.msi_db & gm) ||
		    (gpa >> d->d.s2_ias))
			return -EINVAL;
		for (i = 0; i < ps->nmsi; i++)
			if (ps->msi[i] == gpa)
				break;
		if (op->code == XIOMMU_OP_MSI_MAP) {
			if (i < ps->nmsi || ps->nmsi == SMMU_DOM_MSI)
				return -EEXIST;
			if (smmu_s2_mapped(u, d, gpa))
				return -EEXIST;
			ps->msi[ps->nmsi++] = gpa;
		} else {
			if (i == ps->nmsi)
				return -ENOENT;
			ps->msi[i] = ps->msi[--ps->nmsi];
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int smmu_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	struct smmu_unit *u = unit;
	struct smmu_dom *d = dom;
	struct prog_state *ps;
	const struct xiommu_op *op;
	uint64_t pa;
	uint32_t i, j;
	int ret = 0;

	if (bad)
		*bad = n;
	if (!d || (n && !ops) || n > PROG_MAX_OPS)
		return -EINVAL;
	ps = u->prog_scratch;	/* preallocated: too large for a kernel stack frame */
	memset(ps, 0, sizeof(*ps));
	memcpy(ps->msi, d->msi_gpa, sizeof(ps->msi));
	ps->nmsi = d->nmsi;
	for (i = 0; i < n && !ret; i++)
		ret = check_op(u, d, ps, &ops[i], i, 1);
	ps->nmsi = d->nmsi;
	memcpy(ps->msi, d->msi_gpa, sizeof(ps->msi));
	for (i = 0; i < n && !ret; i++)
		ret = check_op(u, d, ps, &ops[i], i, 0);
	if (ret) {
		if (bad)
			*bad = i - 1;
		return ret;
	}
	for (i = 0; i < n; i++) {
		op = &ops[i];
		switch (op->code) {
		case XIOMMU_OP_ENTRY_WRITE:
			smmu_ste_locate(u, op->target, &pa);
			for (j = 0; j < SMMUV3_STE_DWORDS; j++)
				if (op->mask & (1u << j))
					smmu_write64(u, pa + 8 * j, op->w[j]);
			smmu_atc_ste_check(u, op->target);
			break;
		case XIOMMU_OP_CMD:
			smmu_cmd_run(u, op->w);
			break;
		case XIOMMU_OP_SYNC:
			u->st.syncs++;
			break;
		case XIOMMU_OP_MSI_MAP:
			if (!smmu_s2_map_one(u, d, op->w[0], u->host.msi_db,
					     1ull << d->d.granule_shift, smmu_s2_msi_attrs()))
				d->msi_gpa[d->nmsi++] = op->w[0];
			break;
		case XIOMMU_OP_MSI_UNMAP:
			for (j = 0; j < d->nmsi; j++)
				if (d->msi_gpa[j] == op->w[0])
					break;
			if (j < d->nmsi) {
				smmu_s2_unmap_range(u, d, op->w[0], 1ull << d->d.granule_shift);
				d->msi_gpa[j] = d->msi_gpa[--d->nmsi];
			}
			break;
		}
	}
	u->st.programs++;
	return 0;
}
