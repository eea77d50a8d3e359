// SPDX-License-Identifier: MIT
/*
 * Host programming: generic binds -> STEs (guest fields checked against
 * the IDRs, host fields only from the viommu's domain), moved hitlessly from
 * the old STE; MSI binds; page responses (RESUME / PRI_RESP).
 */
#include "smmuv3_plugin.h"

int smmuv3_ste_for(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		   const struct xiommu_bind *b, uint64_t ste[SMMUV3_STE_DWORDS])
{
	const struct xiommu_domain_desc *d = &vdev->viommu->dom;
	const struct xiommu_s1_smmuv3 *s = &b->s1.smmuv3;
	uint64_t features = smmuv3_env_features(env), w1, w2, w3;
	uint32_t idr[8];
	unsigned int cdmax = b->pasid_bits, stalld;

	memset(ste, 0, SMMUV3_STE_DWORDS * 8);
	smmuv3_env_idr(env, idr);
	smmuv3_dom_words(d, &w1, &w2, &w3);
	if (b->config == XIOMMU_CONFIG_ABORT) {
		if (b->format != XIOMMU_S1_NONE) {
			env->error(env->core, "bind: format %u with config ABORT (expected 0)", b->format);
			return -EINVAL;
		}
		ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V);
		return 0;
	}
	if (b->config == XIOMMU_CONFIG_BYPASS) {
		if (b->format != XIOMMU_S1_NONE) {
			env->error(env->core, "bind: format %u with config BYPASS (expected 0)", b->format);
			return -EINVAL;
		}
		ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S2, SMMUV3_STE_CONFIG);
		ste[1] = w1;
		ste[2] = w2;
		ste[3] = w3;
		return 0;
	}
	if (b->config != XIOMMU_CONFIG_TRANSLATE) {
		env->error(env->core, "bind: config %u (accepted 1 ABORT, 2 BYPASS, 3 TRANSLATE)",
			   b->config);
		return -EINVAL;
	}
	if (b->format != XIOMMU_S1_SMMUV3_CD_TABLE) {
		env->error(env->core, "bind: format %u (smmuv3 accepts %u, CD table)", b->format,
			   XIOMMU_S1_SMMUV3_CD_TABLE);
		return -EINVAL;
	}
	if (!(features & XIOMMU_HW_NESTING)) {
		env->error(env->core, "bind: unit offers no nesting (IDR0.S1P/S2P)");
		return -EOPNOTSUPP;
	}
	if ((b->table_gpa & 63) || (b->table_gpa >> d->s2_ias)) {
		env->error(env->core, "bind: table_gpa 0x%llx must be 64-byte aligned below 2^%u",
			   (unsigned long long)b->table_gpa, d->s2_ias);
		return -EINVAL;
	}
	if (cdmax > SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE) ||
	    (env->caps && cdmax > env->caps->pasid_bits) || cdmax > vdev->pasid_bits) {
		env->error(env->core, "bind: pasid_bits %u exceeds SSIDSIZE %u or the vdev's %u", cdmax,
			   (unsigned int)SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE), vdev->pasid_bits);
		return -ERANGE;
	}
	if (s->s1fmt > SMMUV3_S1FMT_2L_64K ||
	    (s->s1fmt && !SMMUV3_RGET(idr[0], SMMUV3_IDR0_CD2L))) {
		env->error(env->core, "bind: s1fmt %u (0 linear; 1, 2 need IDR0.CD2L)", s->s1fmt);
		return -EINVAL;
	}
	if (s->s1dss > SMMUV3_S1DSS_SSID0 || s->s1cir > 3 || s->s1cor > 3 || s->s1csh == 1 ||
	    s->s1csh > 3 || s->s1stalld > 1) {
		env->error(env->core, "bind: s1dss %u / s1cir %u / s1cor %u / s1csh %u / s1stalld %u out of range",
			   s->s1dss, s->s1cir, s->s1cor, s->s1csh, s->s1stalld);
		return -EINVAL;
	}
	if (s->eats > 1 || (s->eats && !(features & XIOMMU_HW_ATS))) {
		env->error(env->core, "bind: eats %u (0, or 1 with ATS)", s->eats);
		return -EOPNOTSUPP;
	}
	if (s->eats && !(vdev->grants & XIOMMU_VDEV_ATS)) {
		/* as Linux checks a guest's vSTE: ATS is the host's grant, not the guest's */
		env->error(env->core, "bind: eats %u but vdev %u was attached without XIOMMU_VDEV_ATS",
			   s->eats, vdev->id);
		return -EOPNOTSUPP;
	}
	/* without a stall grant the host keeps stage 1 from stalling (S1STALLD) */
	stalld = s->s1stalld ||
		 (SMMUV3_RGET(idr[0], SMMUV3_IDR0_STALL_MODEL) == SMMUV3_STALL_MODEL_BOTH &&
		  !(vdev->grants & XIOMMU_VDEV_STALL));
	if (s->__reserved0 || s->__reserved[0] || s->__reserved[1] || s->__reserved[2]) {
		env->error(env->core, "bind: s1.smmuv3 reserved fields must be 0");
		return -EINVAL;
	}
	ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_NESTED, SMMUV3_STE_CONFIG) |
		 SMMUV3_WPUT(s->s1fmt, SMMUV3_STE_S1FMT) | (b->table_gpa & XI_GENMASK(55, 6)) |
		 SMMUV3_WPUT(cdmax, SMMUV3_STE_S1CDMAX);
	ste[1] = w1 | SMMUV3_WPUT(s->s1dss, SMMUV3_STE_S1DSS) |
		 SMMUV3_WPUT(s->s1cir, SMMUV3_STE_S1CIR) | SMMUV3_WPUT(s->s1cor, SMMUV3_STE_S1COR) |
		 SMMUV3_WPUT(s->s1csh, SMMUV3_STE_S1CSH) |
		 SMMUV3_WPUT(stalld, SMMUV3_STE_S1STALLD) | SMMUV3_WPUT(s->eats, SMMUV3_STE_EATS);
	ste[2] = w2;
	ste[3] = w3;
	return 0;
}

static int step_end(struct xiommu_prog *p, uint32_t sid)
{
	uint64_t c[2];

	smmuv3_cmd_cfgi_ste(c, sid, 0);
	if (smmuv3_prog_cmd(p, c[0], c[1]))
		return -ENOSPC;
	return smmuv3_prog_sync(p);
}

/*
 * old -> new so that a DMA sees only the old STE, the new one, or abort:
 *  1. store new values in every bit the old config does not use;
 *  2. if then at most one word still differs in bits the new config uses,
 *     store that word (the switch), then tidy the bits the new config
 *     ignores;
 *  3. otherwise break before make: abort, the other words, word 0.
 * Each step is made visible with CFGI_STE + CMD_SYNC.
 */
int smmuv3_ste_update(struct xiommu_prog *p, uint32_t sid, const uint64_t *old,
		      const uint64_t *new_ste)
{
	uint64_t uo[8], un[8], t[8], ab[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	uint32_t mask = 0, crit = 0, ncrit = 0, i;

	smmuv3_ste_used(old, uo);
	smmuv3_ste_used(new_ste, un);
	for (i = 0; i < 8; i++) {
		t[i] = (old[i] & uo[i]) | (new_ste[i] & ~uo[i]);
		if (t[i] != old[i])
			mask |= 1u << i;
		if ((t[i] ^ new_ste[i]) & un[i]) {
			crit = i;
			ncrit++;
		}
	}
	if (ncrit <= 1) {
		if (mask && (smmuv3_prog_ste(p, sid, mask, t) || step_end(p, sid)))
			return -ENOSPC;
		if (ncrit) {
			t[crit] = new_ste[crit];
			if (smmuv3_prog_ste(p, sid, 1u << crit, new_ste) || step_end(p, sid))
				return -ENOSPC;
		}
		for (mask = 0, i = 0; i < 8; i++)
			if (t[i] != new_ste[i])
				mask |= 1u << i;
		if (mask && (smmuv3_prog_ste(p, sid, mask, new_ste) || step_end(p, sid)))
			return -ENOSPC;
		if (!p->n || p->ops[p->n - 1].code != XIOMMU_OP_SYNC)
			return step_end(p, sid);
		return 0;
	}
	if (smmuv3_prog_ste(p, sid, 1, ab) || step_end(p, sid))
		return -ENOSPC;
	for (mask = 0, i = 1; i < 8; i++)
		if (old[i] != new_ste[i])
			mask |= 1u << i;
	if (mask && (smmuv3_prog_ste(p, sid, mask, new_ste) || step_end(p, sid)))
		return -ENOSPC;
	if (smmuv3_prog_ste(p, sid, 1, new_ste))
		return -ENOSPC;
	return step_end(p, sid);
}

int smmuv3_bind(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		const struct xiommu_bind *bind, struct xiommu_prog *prog)
{
	uint64_t ste[SMMUV3_STE_DWORDS], c[2];
	int ret;

	if (bind->flags & XIOMMU_BIND_PASID) {
		env->error(env->core, "bind: smmuv3 binds whole CD tables, not single PASIDs");
		return -EOPNOTSUPP;
	}
	ret = smmuv3_ste_for(env, vdev, bind, ste);
	if (ret)
		return ret;
	ret = smmuv3_ste_update(prog, vdev->psid, vdev->entry, ste);
	if (ret)
		return ret;
	/* CDs cached from the previous table must go too */
	if (XI_GET(vdev->entry[0], 3, 1) == SMMUV3_CFG_NESTED && (vdev->entry[0] & 1)) {
		c[0] = SMMUV3_OP_CFGI_CD_ALL | SMMUV3_WPUT(vdev->psid, SMMUV3_CMD_SID);
		c[1] = 0;
		if (smmuv3_prog_cmd(prog, c[0], c[1]) || smmuv3_prog_sync(prog))
			return -ENOSPC;
	}
	return 0;
}

int smmuv3_msi_bind(const struct xiommu_plugin_env *env,
		    const struct xiommu_plugin_viommu *viommu,
		    const struct xiommu_msi_bind *msi, struct xiommu_prog *prog)
{
	struct xiommu_op *op;
	uint64_t g = 1ull << viommu->dom.granule_shift;

	if (!viommu->dom.msi_db) {
		env->error(env->core, "msi_bind: the unit has no MSI doorbell");
		return -EOPNOTSUPP;
	}
	if ((msi->gdb & (g - 1)) || (msi->gdb >> viommu->dom.s2_ias) ||
	    (!(msi->flags & XIOMMU_MSI_UNBIND) && (msi->size > g || !msi->size))) {
		env->error(env->core, "msi_bind: gdb 0x%llx size 0x%llx: gdb aligned to %llu below 2^%u, size 1..%llu",
			   (unsigned long long)msi->gdb, (unsigned long long)msi->size,
			   (unsigned long long)g, viommu->dom.s2_ias, (unsigned long long)g);
		return -EINVAL;
	}
	op = xiommu_prog_add(prog, (msi->flags & XIOMMU_MSI_UNBIND) ? XIOMMU_OP_MSI_UNMAP :
								    XIOMMU_OP_MSI_MAP);
	if (!op)
		return -ENOSPC;
	op->w[0] = msi->gdb;
	/* the gIOVA stays the guest's: its own stage 1 maps it to gDB */
	return 0;
}

int smmuv3_page_response(const struct xiommu_plugin_env *env,
			 const struct xiommu_plugin_vdev *vdev,
			 const struct xiommu_page_response *resp, struct xiommu_prog *prog)
{
	uint64_t features = smmuv3_env_features(env), c0, c1;
	int stall = !!(resp->flags & XIOMMU_FAULT_F_STALL);

	if (resp->code > XIOMMU_PAGE_FAILURE) {
		env->error(env->core, "page_response: code %u (0..2)", resp->code);
		return -EINVAL;
	}
	/* the record said which: a stall (EVTQ, STAG) or a PCIe page request (PRIQ, PRG index) */
	if (stall && (features & XIOMMU_HW_STALL)) {
		/* stall tag: RESUME, retry on success, terminate otherwise */
		if (resp->grpid > 0xffff) {
			env->error(env->core, "page_response: grpid 0x%x exceeds the 16-bit STAG",
				   resp->grpid);
			return -EINVAL;
		}
		c0 = SMMUV3_OP_RESUME | SMMUV3_WPUT(vdev->psid, SMMUV3_CMD_SID) |
		     SMMUV3_WPUT(resp->code == XIOMMU_PAGE_SUCCESS, SMMUV3_CMD_RESUME_AC);
		c1 = SMMUV3_WPUT(resp->grpid, SMMUV3_CMD_RESUME_STAG);
	} else if (!stall && (features & XIOMMU_HW_PRI)) {
		static const unsigned int resp_code[] = {
			SMMUV3_PRI_RESP_SUCCESS, SMMUV3_PRI_RESP_INVALID, SMMUV3_PRI_RESP_FAILURE
		};

		if (resp->grpid > 0x1ff || ((resp->flags & XIOMMU_FAULT_F_PASID) &&
					    resp->pasid >> 20)) {
			env->error(env->core, "page_response: grpid 0x%x (9 bits) / pasid 0x%x",
				   resp->grpid, resp->pasid);
			return -EINVAL;
		}
		c0 = SMMUV3_OP_PRI_RESP | SMMUV3_WPUT(vdev->psid, SMMUV3_CMD_SID) |
		     SMMUV3_WPUT(!!(resp->flags & XIOMMU_FAULT_F_PASID), SMMUV3_CMD_SSV) |
		     SMMUV3_WPUT(resp->pasid, SMMUV3_CMD_SSID);
		c1 = SMMUV3_WPUT(resp->grpid, SMMUV3_CMD_PRI_PRGI) |
		     SMMUV3_WPUT(resp_code[resp->code], SMMUV3_CMD_PRI_RESP);
	} else {
		env->error(env->core, "page_response: the unit offers no %s",
			   stall ? "stall model" : "PRI");
		return -EOPNOTSUPP;
	}
	if (smmuv3_prog_cmd(prog, c0, c1))
		return -ENOSPC;
	return smmuv3_prog_sync(prog);
}
