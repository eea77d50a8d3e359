// SPDX-License-Identifier: MIT
/*
 * Invalidations: generic entries -> the narrowest CMDQ commands (range
 * TLBIs when RIL is offered, else per page up to a bound, then widened),
 * and raw guest CMDQ entries -> host commands (vSID -> pSID, VMID
 * inserted, everything else a guest may not issue rejected: an undefined
 * opcode -EINVAL, one the guest may not issue -EPERM, a feature the unit
 * does not offer -EOPNOTSUPP). A guest's CMD_SYNC stays where it is, with
 * its MSI write done through stage 2, so a VMM forwards the guest's queue
 * slice unchanged. One CMD_SYNC ends every batch.
 */
#include "smmuv3_plugin.h"

#define VMID(v)	SMMUV3_WPUT(v, SMMUV3_CMD_VMID)
#define ASID(a)	SMMUV3_WPUT(a, SMMUV3_CMD_ASID)
#define SID(s)	SMMUV3_WPUT(s, SMMUV3_CMD_SID)

/* The vdev @id of @viommu, or NULL. */
static const struct xiommu_plugin_vdev *vdev_of(const struct xiommu_plugin_env *env,
						const struct xiommu_plugin_viommu *viommu,
						uint32_t id)
{
	return env->vdev_by_id(env->core, viommu->id, id);
}

/* Append a command unless it repeats the one just before it. */
static int cmd_once(struct xiommu_prog *p, uint64_t c0, uint64_t c1)
{
	const struct xiommu_op *last = p->n ? &p->ops[p->n - 1] : NULL;

	if (last && last->code == XIOMMU_OP_CMD && last->w[0] == c0 && last->w[1] == c1)
		return 0;
	return smmuv3_prog_cmd(p, c0, c1);
}

/*
 * Range TLBIs with TG = 2^@g over [addr, last], rounded out to that
 * granule; with @p NULL only counted, up to a bound. Returns how many it
 * queued (or would), or -ENOSPC when @p is full. A chunk of one page
 * takes the plain form (TG = 0), since NUM = SCALE = TTL = 0 with a TG is
 * reserved and a TTL hint would name a level.
 */
static int64_t range_cmds(struct xiommu_prog *p, uint64_t c0, uint64_t addr, uint64_t last,
			  unsigned int g, int leaf)
{
	uint64_t pages = (last >> g) - (addr >> g) + 1, num, scale, c1;
	unsigned int tg = g == 12 ? 1 : g == 14 ? 2 : 3;
	int64_t n = 0;

	addr = (addr >> g) << g;
	while (pages) {
		scale = (uint64_t)__builtin_ctzll(pages);
		if (scale > 31) {
			scale = 31;
			num = (pages >> 31) > 31 ? 31 : pages >> 31;
		} else {
			num = (pages >> scale) & 31;	/* bit 0 set: >= 1 */
		}
		c1 = (addr & XI_GENMASK(63, 12)) | (leaf ? 1 : 0);
		n++;
		if (!p) {
			if (n > SMMUV3_RANGE_CMDS_MAX)
				return n;
		} else if (num == 1 && !scale ? cmd_once(p, c0, c1) :
			   smmuv3_prog_cmd(p, c0 | SMMUV3_WPUT(num - 1, SMMUV3_CMD_NUM) |
					   SMMUV3_WPUT(scale, SMMUV3_CMD_SCALE),
					   c1 | SMMUV3_WPUT(tg, SMMUV3_CMD_TG))) {
			return -ENOSPC;
		}
		addr += (num << scale) << g;
		pages -= num << scale;
	}
	return n;
}

/*
 * TLBI by address: the range form when RIL, else per 4K page; either
 * widened (1 returned) to @wide0 when the range needs more commands than a
 * bound, so that one guest entry never becomes thousands of commands. A
 * range TLBI names the granule of the entries it is for (TG) and may leave
 * entries of another granule (Arm ARM TLBI RVA*; IHI0070 4.4.1.1). The
 * guest's granule is in its CD, which the plugin does not read, so the
 * range is sent once per granule the unit offers (@gran, SMMUV3_GRAN_*):
 * whatever the guest uses, one of them is exact. The plain form (one 4K
 * page, or per page without RIL) names no granule: it reaches the entry
 * that holds its address, of any size.
 */
static int tlbi_range(struct xiommu_prog *p, int ril, unsigned int gran, uint64_t c0,
		      uint64_t addr, uint64_t size, int leaf, uint64_t wide0, int *err)
{
	uint64_t pages = size >> 12;
	unsigned int i;

	*err = 0;
	if (ril && pages > 1) {
		for (i = 0; i < 3; i++)
			if ((gran & (1u << i)) &&
			    range_cmds(NULL, c0, addr, addr + (size - 1), 12 + 2 * i, leaf) >
			    SMMUV3_RANGE_CMDS_MAX)
				goto widen;
		for (i = 0; i < 3; i++)
			if ((gran & (1u << i)) &&
			    range_cmds(p, c0, addr, addr + (size - 1), 12 + 2 * i, leaf) < 0) {
				*err = -ENOSPC;
				return 0;
			}
		return 0;
	}
	if (pages > SMMUV3_PAGE_CMDS_MAX)
		goto widen;
	for (; pages; pages--, addr += 4096)
		if (smmuv3_prog_cmd(p, c0, (addr & XI_GENMASK(63, 12)) | (leaf ? 1 : 0))) {
			*err = -ENOSPC;
			return 0;
		}
	return 0;
widen:
	if (smmuv3_prog_cmd(p, wide0, 0))
		*err = -ENOSPC;
	return 1;
}

/* SMMUV3_GRAN_* of the unit (IDR5.GRAN4K/16K/64K). */
static unsigned int unit_granules(const uint32_t *idr)
{
	return (SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN4K) ? SMMUV3_GRAN_4K : 0) |
	       (SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN16K) ? SMMUV3_GRAN_16K : 0) |
	       (SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN64K) ? SMMUV3_GRAN_64K : 0);
}

/* ATC_INV Size: log2 of the 4K pages of the smallest aligned span covering the range. */
static unsigned int atc_size(uint64_t addr, uint64_t size, uint64_t *base)
{
	unsigned int s = 0;
	uint64_t last = addr + size - 1;

	while (s < 52 && ((addr >> 12) >> s) != ((last >> 12) >> s))
		s++;
	*base = s >= 52 ? 0 : (addr >> (12 + s)) << (12 + s);
	return s;
}

static int one_entry(const struct xiommu_plugin_env *env,
		     const struct xiommu_plugin_viommu *viommu, const struct xiommu_inv_entry *e,
		     struct xiommu_prog *p)
{
	uint64_t vmid = VMID(viommu->dom.tag), f = smmuv3_env_features(env), base;
	int ril = !!(f & XIOMMU_HW_RANGE_INV), leaf = !!(e->flags & XIOMMU_INV_F_LEAF), err = 0;
	const struct xiommu_plugin_vdev *v;
	unsigned int gran;
	uint32_t idr[8];
	uint64_t ssid = (e->flags & XIOMMU_INV_F_PASID) ?
		SMMUV3_WPUT(1, SMMUV3_CMD_SSV) | SMMUV3_WPUT(e->pasid, SMMUV3_CMD_SSID) : 0;

	if (e->cache == XIOMMU_CACHE_IOTLB) {
		switch (e->scope) {
		case XIOMMU_INV_ALL:
			return smmuv3_prog_cmd(p, SMMUV3_OP_TLBI_NH_ALL | vmid, 0);
		case XIOMMU_INV_TAG:
			return smmuv3_prog_cmd(p, SMMUV3_OP_TLBI_NH_ASID | vmid | ASID(e->tag), 0);
		case XIOMMU_INV_PASID:	/* the PASID's ASID is the guest's secret */
			p->widened++;
			return smmuv3_prog_cmd(p, SMMUV3_OP_TLBI_NH_ALL | vmid, 0);
		case XIOMMU_INV_RANGE:
			smmuv3_env_idr(env, idr);
			gran = unit_granules(idr);
			/*
			 * Widened to the whole VMID even with a tag: a TLBI by
			 * VA and ASID reaches global entries at those addresses,
			 * one by ASID alone would leave them.
			 */
			if (e->flags & XIOMMU_INV_F_TAG)
				p->widened += (uint32_t)tlbi_range(p, ril, gran, SMMUV3_OP_TLBI_NH_VA |
					vmid | ASID(e->tag), e->addr, e->size, leaf,
					SMMUV3_OP_TLBI_NH_ALL | vmid, &err);
			else
				p->widened += (uint32_t)tlbi_range(p, ril, gran,
					SMMUV3_OP_TLBI_NH_VAA | vmid, e->addr, e->size, leaf,
					SMMUV3_OP_TLBI_NH_ALL | vmid, &err);
			return err;
		}
		return -EINVAL;
	}
	v = vdev_of(env, viommu, e->vdev_id);
	if (!v) {
		env->error(env->core, "invalidate: vdev %u is not attached to viommu %u", e->vdev_id,
			   viommu->id);
		return -ENOENT;
	}
	if (e->cache == XIOMMU_CACHE_CONFIG) {
		if (e->scope == XIOMMU_INV_PASID)
			return smmuv3_prog_cmd(p, SMMUV3_OP_CFGI_CD | SID(v->psid) |
					       SMMUV3_WPUT(e->pasid, SMMUV3_CMD_SSID), 1);
		return smmuv3_prog_cmd(p, SMMUV3_OP_CFGI_CD_ALL | SID(v->psid), 0);
	}
	if (e->cache == XIOMMU_CACHE_DEVTLB) {
		if (!(f & XIOMMU_HW_ATS)) {
			env->error(env->core, "invalidate: device-TLB entry but the unit has no ATS");
			return -EOPNOTSUPP;
		}
		/* the host refuses ATC_INV for a stream not granted ATS: refuse it here, named */
		if (!(v->grants & XIOMMU_VDEV_ATS)) {
			env->error(env->core, "invalidate: device-TLB entry for vdev %u, which was not granted ATS",
				   v->id);
			return -EOPNOTSUPP;
		}
		if (e->scope == XIOMMU_INV_RANGE) {
			unsigned int s = atc_size(e->addr, e->size, &base);

			return smmuv3_prog_cmd(p, SMMUV3_OP_ATC_INV | SID(v->psid) | ssid,
					       base | SMMUV3_WPUT(s, SMMUV3_CMD_ATC_SIZE));
		}
		return smmuv3_prog_cmd(p, SMMUV3_OP_ATC_INV | SID(v->psid) | ssid,
				       SMMUV3_WPUT(52, SMMUV3_CMD_ATC_SIZE));
	}
	return -EINVAL;
}

int smmuv3_invalidate(const struct xiommu_plugin_env *env,
		      const struct xiommu_plugin_viommu *viommu,
		      const struct xiommu_inv_entry *entries, uint32_t n,
		      struct xiommu_prog *prog, uint32_t *bad)
{
	uint32_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = one_entry(env, viommu, &entries[i], prog);
		if (ret) {
			*bad = i;
			if (ret == -EINVAL)
				env->error(env->core, "invalidate: entry %u: cache %u scope %u not expressible",
					   i, entries[i].cache, entries[i].scope);
			return ret;
		}
	}
	*bad = n;
	return smmuv3_prog_sync(prog);
}

/* Check and rewrite one guest command; 0, or -EINVAL/-EPERM with a message. */
static int guest_cmd(const struct xiommu_plugin_env *env,
		     const struct xiommu_plugin_viommu *viommu, const uint32_t *idr,
		     uint64_t *c, uint32_t i)
{
	unsigned int op = (unsigned int)SMMUV3_WGET(c[0], SMMUV3_CMD_OP), tg;
	const struct xiommu_plugin_vdev *v;
	uint64_t m0, m1;

	smmuv3_cmd_valid_mask(op, &m0, &m1);
	if (!m0) {
		env->error(env->core, "invalidate: command %u: opcode 0x%02x is not defined", i, op);
		return -EINVAL;
	}
	switch (op) {
	case SMMUV3_OP_TLBI_NSNH_ALL:
		if ((c[0] & ~m0) || (c[1] & ~m1)) {
			env->error(env->core, "invalidate: command %u: reserved bits set", i);
			return -EINVAL;
		}
		c[0] = SMMUV3_OP_TLBI_NH_ALL;
		c[1] = 0;
		op = SMMUV3_OP_TLBI_NH_ALL;
		m0 = ~0ull;
		m1 = ~0ull;
		break;
	case SMMUV3_OP_TLBI_NH_ALL:
	case SMMUV3_OP_TLBI_NH_ASID:
	case SMMUV3_OP_TLBI_NH_VA:
	case SMMUV3_OP_TLBI_NH_VAA:
	case SMMUV3_OP_CFGI_CD:
	case SMMUV3_OP_CFGI_CD_ALL:
		break;
	case SMMUV3_OP_ATC_INV:
		if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_ATS))
			break;
		env->error(env->core, "invalidate: command %u: ATC_INV, but the unit offers no ATS (IDR0.ATS, advertise_ats)",
			   i);
		return -EOPNOTSUPP;
	default:
		env->error(env->core, "invalidate: command %u: opcode 0x%02x is not a guest's to issue",
			   i, op);
		return -EPERM;
	}
	if ((c[0] & ~m0) || (c[1] & ~m1)) {
		env->error(env->core, "invalidate: command %u: reserved bits set (0x%016llx 0x%016llx)",
			   i, (unsigned long long)(c[0] & ~m0), (unsigned long long)(c[1] & ~m1));
		return -EINVAL;
	}
	if (op == SMMUV3_OP_TLBI_NH_VA || op == SMMUV3_OP_TLBI_NH_VAA) {
		tg = (unsigned int)SMMUV3_WGET(c[1], SMMUV3_CMD_TG);
		if (tg && !SMMUV3_RGET(idr[3], SMMUV3_IDR3_RIL)) {
			env->error(env->core, "invalidate: command %u: range TLBI (TG %u), but the unit offers no range invalidation (IDR3.RIL, advertise_range_inv)",
				   i, tg);
			return -EOPNOTSUPP;
		}
		if (tg ? (
			  (!SMMUV3_WGET(c[0], SMMUV3_CMD_NUM) && !SMMUV3_WGET(c[0], SMMUV3_CMD_SCALE) &&
			   !SMMUV3_WGET(c[1], SMMUV3_CMD_TTL)))
		       : (SMMUV3_WGET(c[0], SMMUV3_CMD_NUM) || SMMUV3_WGET(c[0], SMMUV3_CMD_SCALE) ||
			  SMMUV3_WGET(c[1], SMMUV3_CMD_TTL))) {
			env->error(env->core, "invalidate: command %u: range fields need IDR3.RIL and a non-zero NUM/SCALE/TTL",
				   i);
			return -EINVAL;
		}
	}
	if ((op == SMMUV3_OP_TLBI_NH_ASID || op == SMMUV3_OP_TLBI_NH_VA) &&
	    !SMMUV3_RGET(idr[0], SMMUV3_IDR0_ASID16) && (SMMUV3_WGET(c[0], SMMUV3_CMD_ASID) >> 8)) {
		env->error(env->core, "invalidate: command %u: ASID 0x%llx exceeds 8 bits", i,
			   (unsigned long long)SMMUV3_WGET(c[0], SMMUV3_CMD_ASID));
		return -EINVAL;
	}
	if (op == SMMUV3_OP_ATC_INV && (SMMUV3_WGET(c[1], SMMUV3_CMD_ATC_SIZE) > 52 ||
	    (SMMUV3_WGET(c[0], SMMUV3_CMD_ATC_GLOBAL) && !SMMUV3_WGET(c[0], SMMUV3_CMD_SSV)))) {
		env->error(env->core, "invalidate: command %u: ATC_INV Size > 52 or Global without SSV", i);
		return -EINVAL;
	}
	if (op == SMMUV3_OP_CFGI_CD && (SMMUV3_WGET(c[0], SMMUV3_CMD_SSID) >>
					SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE))) {
		env->error(env->core, "invalidate: command %u: SSID beyond SSIDSIZE", i);
		return -EINVAL;
	}
	if (op >= SMMUV3_OP_TLBI_NH_ALL && op <= SMMUV3_OP_TLBI_NH_VAA) {
		c[0] = xi_set(c[0], 47, 32, viommu->dom.tag);
		return 0;
	}
	v = env->vdev_by_vsid(env->core, viommu->id, SMMUV3_WGET(c[0], SMMUV3_CMD_SID));
	if (!v) {
		env->error(env->core, "invalidate: command %u: vSID 0x%llx is not a vdev of viommu %u",
			   i, (unsigned long long)SMMUV3_WGET(c[0], SMMUV3_CMD_SID), viommu->id);
		return -ENOENT;
	}
	if (op == SMMUV3_OP_ATC_INV && !(v->grants & XIOMMU_VDEV_ATS)) {
		env->error(env->core, "invalidate: command %u: ATC_INV for vSID 0x%llx, which was not granted ATS",
			   i, (unsigned long long)v->vsid);
		return -EOPNOTSUPP;
	}
	c[0] = xi_set(c[0], 63, 32, v->psid);
	return 0;
}

/*
 * A guest's CMD_SYNC: everything before it completes first (the program's
 * SYNC), then its guest-visible effect: with CS = SIG_IRQ the MSI write of
 * MSIData to MSIAddr, a guest physical address, done through stage 2 (a
 * Linux guest polls its queue memory this way). SIG_SEV and SIG_NONE have
 * nothing the guest can read.
 */
static int guest_sync(const struct xiommu_plugin_env *env, uint32_t viommu_id, const uint64_t *c,
		      uint32_t i, struct xiommu_prog *prog)
{
	uint64_t m0, m1, addr;
	struct xiommu_op *op;

	smmuv3_cmd_valid_mask(SMMUV3_OP_CMD_SYNC, &m0, &m1);
	if ((c[0] & ~m0) || (c[1] & ~m1) || SMMUV3_WGET(c[0], SMMUV3_CMD_SYNC_CS) == 3) {
		env->error(env->core, "invalidate: command %u: CMD_SYNC with reserved bits or CS 3", i);
		return -EINVAL;
	}
	if (smmuv3_prog_sync(prog))
		return -ENOSPC;
	if (SMMUV3_WGET(c[0], SMMUV3_CMD_SYNC_CS) != SMMUV3_SYNC_CS_IRQ)
		return 0;
	addr = c[1] & XI_GENMASK(55, 2);
	if (env->gpa_check && env->gpa_check(env->core, viommu_id, addr, 4, XIOMMU_MAP_WRITE)) {
		env->error(env->core, "invalidate: command %u: CMD_SYNC MSIAddr 0x%llx is not writable guest memory",
			   i, (unsigned long long)addr);
		return -EFAULT;
	}
	op = xiommu_prog_add(prog, XIOMMU_OP_GUEST_WRITE);
	if (!op)
		return -ENOSPC;
	op->count = 4;
	op->w[0] = addr;
	op->w[1] = SMMUV3_WGET(c[0], SMMUV3_CMD_SYNC_MSIDATA);
	return 0;
}

int smmuv3_invalidate_raw(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_viommu *viommu, const void *cmds,
			  uint32_t n, struct xiommu_prog *prog, uint32_t *bad)
{
	const uint8_t *b = cmds;
	uint32_t idr[8], i;
	uint64_t c[2];
	int ret;

	smmuv3_env_idr(env, idr);
	if (env->caps && !(env->caps->features & XIOMMU_HW_RANGE_INV))
		idr[3] &= ~(uint32_t)SMMUV3_RPUT(1, SMMUV3_IDR3_RIL);
	if (env->caps && !(env->caps->features & XIOMMU_HW_ATS))
		idr[0] &= ~(uint32_t)SMMUV3_RPUT(1, SMMUV3_IDR0_ATS);
	for (i = 0; i < n; i++) {
		memcpy(c, b + 16 * (size_t)i, 16);
		if (SMMUV3_WGET(c[0], SMMUV3_CMD_OP) == SMMUV3_OP_CMD_SYNC) {
			ret = guest_sync(env, viommu->id, c, i, prog);
			if (ret) {
				*bad = i;
				return ret;
			}
			continue;
		}
		ret = guest_cmd(env, viommu, idr, c, i);
		/*
		 * and, rewritten, by the unit's own rule (a TG naming a granule the
		 * unit lacks, ...): nothing it would refuse reaches it unnamed
		 */
		if (!ret && smmuv3_cmd_cerror(c, idr)) {
			env->error(env->core, "invalidate: command %u: illegal for the unit's ID registers (CERROR_ILL; e.g. a TG granule not in IDR5)",
				   i);
			ret = -EINVAL;
		}
		if (!ret)
			ret = smmuv3_prog_cmd(prog, c[0], c[1]);
		if (ret) {
			*bad = i;
			return ret;
		}
	}
	*bad = n;
	return smmuv3_prog_sync(prog);
}
