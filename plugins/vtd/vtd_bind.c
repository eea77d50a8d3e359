// SPDX-License-Identifier: MIT
/*
 * Binding: generic configs -> host PASID-table entries.
 *
 * A whole-device bind sets the RID_PASID entry (PASID 0): ABORT = not
 * present with FPD set, so aborted DMA is silent as XIOMMU_DMA_ABORT says
 * (the unit evaluates FPD whatever P is; Linux clears entries the same
 * way when faults are to be ignored), BYPASS = second-level only over the
 * viommu's stage 2 (needs ECAP.SLTS), TRANSLATE = nested with the guest's
 * first level. A per-PASID bind (PASID >= 1) sets that PASID's entry to
 * nested. The guest supplies only FLPTPTR, the paging mode (addr_width 48/57) and
 * SRE/WPE/EAFE, each checked against CAP/ECAP;
 * PGTT, DID, SLPTPTR and AW come from the viommu's domain, PWSNP from
 * ECAP.SMPWC.
 *
 * Every guest DID gets a host DID of its own (bind_tag tells the core which
 * guest DID a bind uses; the core maps it before bind runs): the IOTLB is
 * tagged by DID and PASID, so PASIDs the guest put in different domains
 * never share cached translations. ABORT and BYPASS use the viommu's DID.
 *
 * VT-d forbids changing a present PASID entry in place, so a replacement
 * is: clear P, invalidate the PASID cache and the PASID's IOTLB entries
 * (the host adds the device TLB of a device granted ATS), write words
 * 1..7, then word 0 with P, invalidate again, wait.
 */
#include "vtd_plugin.h"

static int add_write(struct xiommu_prog *prog, uint32_t rid, uint32_t pasid, const uint64_t *w,
		     uint32_t mask)
{
	struct xiommu_op *op = xiommu_prog_add(prog, XIOMMU_OP_ENTRY_WRITE);

	if (!op)
		return -ENOSPC;
	op->target = rid;
	op->index = pasid;
	op->mask = mask;
	memcpy(op->w, w, VTD_PE_WORDS * sizeof(*w));
	return 0;
}

/*
 * PASID cache and IOTLB of one PASID (no wait). The device TLB is the
 * host's: it follows every P_IOTLB with the device-TLB invalidation of the
 * devices it granted ATS, and only those have one.
 */
static int add_flush(const struct xiommu_plugin_env *env, struct xiommu_prog *prog, uint32_t rid,
		     uint32_t did, uint32_t pasid)
{
	uint64_t d[4];

	vtd_qi_pc(d, VTD_QI_PC_G_PASID, did, pasid);
	if (!vtdp_cmd(prog, d))
		return -ENOSPC;
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
	if (!vtdp_cmd(prog, d))
		return -ENOSPC;
	(void)env;
	(void)rid;
	return 0;
}

static int add_teardown(const struct xiommu_plugin_env *env, struct xiommu_prog *prog,
			uint32_t rid, uint32_t did, uint32_t pasid, int silent)
{
	uint64_t z[VTD_PE_WORDS] = { 0 };

	if (silent)
		z[0] = XI_BIT(VTD_PE_FPD);	/* not present, faults not recorded */
	if (add_write(prog, rid, pasid, z, 1))
		return -ENOSPC;
	return add_flush(env, prog, rid, did, pasid);
}

/*
 * The IOTLB is tagged by DID + PASID: another vdev in the same guest domain
 * may have translations cached for this PASID, so an entry starts with the
 * domain-selective IOTLB invalidation of its DID. The host refuses P=1 over
 * anything cached that could stand in for it; a PASID-selective P_IOTLB
 * (the teardown's) keeps global translations, so it does not count.
 */
static int add_install(const struct xiommu_plugin_env *env, struct xiommu_prog *prog,
		       uint32_t rid, uint32_t did, uint32_t pasid, const uint64_t *w)
{
	uint64_t d[4];

	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
	if (!vtdp_cmd(prog, d))
		return -ENOSPC;
	if (add_write(prog, rid, pasid, w, 0xfe) || add_write(prog, rid, pasid, w, 0x01))
		return -ENOSPC;
	return add_flush(env, prog, rid, did, pasid);
}

static int host_fields(const struct xiommu_plugin_env *env, const struct xiommu_domain_desc *dom,
		       uint32_t did, uint32_t pgtt, uint64_t *w)
{
	if (dom->levels < 3 || dom->levels > 5 || (dom->s2_root & 0xfff) || dom->tag > 0xffff) {
		env->error(env->core, "vtd: viommu domain (levels %u, root 0x%llx, DID %u) is not a VT-d domain",
			   dom->levels, (unsigned long long)dom->s2_root, dom->tag);
		return -EPROTO;
	}
	memset(w, 0, VTD_PE_WORDS * sizeof(*w));
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(dom->levels - 2u, VTD_PE_AW_H, VTD_PE_AW_L) |
	       XI_PUT(pgtt, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | dom->s2_root;
	/*
	 * Page walks snoop where the unit can (ECAP.SMPWC): the guest writes
	 * its first-level tables through its CPU caches and never flushes them
	 * for the host's unit.
	 */
	w[1] = XI_PUT(did, VTD_PE_DID_H, VTD_PE_DID_L) |
	       (vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_SMPWCS) ? XI_BIT(VTD_PE_PWSNP) : 0);
	return 0;
}

/* The guest's first-level fields, checked against CAP/ECAP. */
static int guest_fields(const struct xiommu_plugin_env *env, const struct xiommu_bind *b,
			uint64_t *w)
{
	uint64_t cap = vtdp_cap(env), ecap = vtdp_ecap(env), fl = b->s1.vtd.flags;
	uint32_t aw = b->addr_width ? b->addr_width : 48, i;

	if (b->format != XIOMMU_S1_VTD_FIRST_LEVEL) {
		env->error(env->core, b->format == XIOMMU_S1_VTD_PASID_TABLE ?
			   "bind: format %u: VT-d binds one PASID's first level; the core shadows guest PASID tables" :
			   "bind: format %u: accepted 2 (XIOMMU_S1_VTD_FIRST_LEVEL)", b->format);
		return b->format == XIOMMU_S1_VTD_PASID_TABLE ? -EOPNOTSUPP : -EINVAL;
	}
	if (env->caps && !(env->caps->features & XIOMMU_HW_NESTING)) {
		env->error(env->core, "bind: the unit offers no nesting (ECAP.NEST)");
		return -EOPNOTSUPP;
	}
	if (b->table_gpa & 0xfff) {
		env->error(env->core, "bind: table_gpa 0x%llx: FLPTPTR must be 4 KiB aligned",
			   (unsigned long long)b->table_gpa);
		return -EINVAL;
	}
	if (aw != 48 && aw != 57) {
		env->error(env->core, "bind: addr_width %u: accepted 48 (4-level) or 57 (5-level)", aw);
		return -EINVAL;
	}
	if (aw == 57 && (!vtdp_cap_bit(cap, VTD_CAP_FL5LP) || (env->caps && env->caps->s1_ias < 57))) {
		env->error(env->core, "bind: addr_width 57 needs CAP.FL5LP (s1_ias %u)",
			   env->caps ? env->caps->s1_ias : 0);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < 2; i++)
		if (b->s1.vtd.__reserved[i]) {
			env->error(env->core, "bind: s1.vtd.__reserved[%u] must be 0", i);
			return -EINVAL;
		}
	if (fl & ~(XIOMMU_VTD_S1_SRE | XIOMMU_VTD_S1_WPE | XIOMMU_VTD_S1_EAFE |
		   XIOMMU_VTD_S1_ERE)) {
		env->error(env->core, "bind: s1.vtd.flags 0x%llx: accepted SRE, WPE, EAFE, ERE",
			   (unsigned long long)fl);
		return -EINVAL;
	}
	if ((fl & XIOMMU_VTD_S1_WPE) && !(fl & XIOMMU_VTD_S1_SRE)) {
		env->error(env->core, "bind: WPE without SRE: write protection applies to supervisor requests");
		return -EINVAL;
	}
	if ((fl & XIOMMU_VTD_S1_SRE) && !vtdp_cap_bit(ecap, VTD_ECAP_SRS)) {
		env->error(env->core, "bind: SRE needs ECAP.SRS");
		return -EOPNOTSUPP;
	}
	if ((fl & XIOMMU_VTD_S1_EAFE) && !vtdp_cap_bit(ecap, VTD_ECAP_EAFS)) {
		env->error(env->core, "bind: EAFE needs ECAP.EAFS");
		return -EOPNOTSUPP;
	}
	if ((fl & XIOMMU_VTD_S1_ERE) && !vtdp_cap_bit(ecap, VTD_ECAP_ERS)) {
		env->error(env->core, "bind: ERE needs ECAP.ERS");
		return -EOPNOTSUPP;
	}
	w[2] = b->table_gpa | XI_PUT(aw == 57, VTD_PE_FLPM_H, VTD_PE_FLPM_L) |
	       (fl & XIOMMU_VTD_S1_SRE ? XI_BIT(VTD_PE_SRE) : 0) |
	       (fl & XIOMMU_VTD_S1_WPE ? XI_BIT(VTD_PE_WPE) : 0) |
	       (fl & XIOMMU_VTD_S1_EAFE ? XI_BIT(VTD_PE_EAFE) : 0) |
	       (fl & XIOMMU_VTD_S1_ERE ? XI_BIT(VTD_PE_ERE) : 0);
	return 0;
}

static int add_sync(struct xiommu_prog *prog)
{
	return xiommu_prog_add(prog, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

int vtdp_bind_tag(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		  const struct xiommu_bind *b, uint32_t *gtag)
{
	(void)vdev;
	if (b->config != XIOMMU_CONFIG_TRANSLATE || b->format != XIOMMU_S1_VTD_FIRST_LEVEL)
		return 0;
	if (b->s1.vtd.did > 0xffff || b->s1.vtd.__reserved0) {
		env->error(env->core, "bind: s1.vtd.did %u (reserved 0x%x): a DID is 16 bits",
			   b->s1.vtd.did, b->s1.vtd.__reserved0);
		return -ERANGE;
	}
	*gtag = b->s1.vtd.did;
	return 1;
}

/* The host DID of a binding: its guest DID's, or the viommu's own. */
static int host_did(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		    uint32_t tagged, uint32_t gtag, uint32_t *did)
{
	*did = v->dom.tag;
	if (tagged && env->tag_lookup(env->core, v->id, gtag, did)) {
		env->error(env->core, "bind: guest DID %u of viommu %u has no host DID", gtag, v->id);
		return -EPROTO;
	}
	return 0;
}

int vtdp_bind(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
	      const struct xiommu_bind *b, struct xiommu_prog *prog)
{
	const struct xiommu_domain_desc *dom = &vdev->viommu->dom;
	uint32_t rid = vdev->psid, pasid = 0, did, old_did, gtag = 0;
	const struct xiommu_pasid_binding *cur = NULL;
	uint64_t w[VTD_PE_WORDS];
	int present, ret, tagged;

	if (rid > 0xffff) {
		env->error(env->core, "bind: psid 0x%x is not a PCI requester id", rid);
		return -ERANGE;
	}
	if (b->flags & XIOMMU_BIND_PASID) {
		pasid = b->pasid;
		if (!pasid || b->config != XIOMMU_CONFIG_TRANSLATE) {
			env->error(env->core, "bind: pasid %u config %u: PASID 0 is the RID_PASID (bind the whole device); per-PASID binds TRANSLATE",
				   pasid, b->config);
			return -EINVAL;
		}
		cur = env->pasid_lookup(env->core, vdev->id, pasid);
		present = cur != NULL;
		ret = host_did(env, vdev->viommu, cur && cur->tagged, cur ? cur->gtag : 0, &old_did);
	} else {
		present = vdev->config == XIOMMU_CONFIG_BYPASS ||
			  vdev->config == XIOMMU_CONFIG_TRANSLATE;
		ret = host_did(env, vdev->viommu, vdev->tagged, vdev->gtag, &old_did);
	}
	if (ret)
		return ret;
	tagged = vtdp_bind_tag(env, vdev, b, &gtag);
	if (tagged < 0)
		return tagged;
	ret = host_did(env, vdev->viommu, (uint32_t)tagged, gtag, &did);
	if (ret)
		return ret;
	if (b->config == XIOMMU_CONFIG_TRANSLATE) {
		ret = host_fields(env, dom, did, VTD_PGTT_NESTED, w);
		if (!ret)
			ret = guest_fields(env, b, w);
	} else if (b->config == XIOMMU_CONFIG_BYPASS) {
		if (!vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_SLTS)) {
			env->error(env->core, "bind: BYPASS is second-level translation alone: the unit offers none (ECAP.SLTS)");
			return -EOPNOTSUPP;
		}
		ret = host_fields(env, dom, did, VTD_PGTT_SL, w);
	} else if (b->config == XIOMMU_CONFIG_ABORT) {
		ret = 0;
	} else {
		env->error(env->core, "bind: config %u", b->config);
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	if (present && add_teardown(env, prog, rid, old_did, pasid,
				    b->config == XIOMMU_CONFIG_ABORT))
		return -ENOSPC;
	if (b->config != XIOMMU_CONFIG_ABORT &&
	    add_install(env, prog, rid, did, pasid, w))
		return -ENOSPC;
	if (prog->n && add_sync(prog))
		return -ENOSPC;
	return 0;
}

int vtdp_unbind_pasid(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		      uint32_t pasid, struct xiommu_prog *prog)
{
	const struct xiommu_pasid_binding *cur;
	uint32_t did;
	int ret;

	if (!pasid || vdev->psid > 0xffff) {
		env->error(env->core, "unbind: pasid %u: PASID 0 is the RID_PASID (unbind the whole device)",
			   pasid);
		return -EINVAL;
	}
	cur = env->pasid_lookup(env->core, vdev->id, pasid);
	if (!cur) {
		env->error(env->core, "unbind: pasid %u is not bound", pasid);
		return -ENOENT;
	}
	ret = host_did(env, vdev->viommu, cur->tagged, cur->gtag, &did);
	if (ret)
		return ret;
	if (add_teardown(env, prog, vdev->psid, did, pasid, 0) || add_sync(prog))
		return -ENOSPC;
	return 0;
}

int vtdp_page_response(const struct xiommu_plugin_env *env,
		       const struct xiommu_plugin_vdev *vdev,
		       const struct xiommu_page_response *r, struct xiommu_prog *prog)
{
	static const uint32_t code[] = { VTD_PGR_SUCCESS, VTD_PGR_INVALID, VTD_PGR_FAILURE };
	uint32_t pp = !!(r->flags & XIOMMU_FAULT_F_PASID);
	uint64_t d[4];

	if (r->code > XIOMMU_PAGE_FAILURE || r->grpid > 0x1ff || r->pasid >> 20 ||
	    vdev->psid > 0xffff) {
		env->error(env->core, "page_response: code %u grpid 0x%x pasid 0x%x: PRG index is 9 bits, PASID 20",
			   r->code, r->grpid, r->pasid);
		return -EINVAL;
	}
	vtd_qi_pgrp_resp(d, vdev->psid, pp, pp ? r->pasid : 0, code[r->code], r->grpid, 1);
	return vtdp_cmd(prog, d) ? 0 : -ENOSPC;
}
