// SPDX-License-Identifier: MIT
/*
 * xiommu-vtd: Intel VT-d scalable-mode plugin. Parameters, hardware info
 * (CAP/ECAP -> generic capabilities, filtered by the ini limits) and the
 * ops table. Binding is per PASID (the host shadows the guest PASID table:
 * VT-d hardware cannot walk it); MSI nesting is not needed (interrupt
 * remapping covers it).
 */
#include "vtd_plugin.h"

#define P(f) offsetof(struct xiommu_vtd_params, f)

static const char *const sagaw_names[] = { "3-level", "4-level", "5-level", NULL };
static const char *const sllps_names[] = { "2M", "1G", NULL };
static const char *const mgaw_names[] = { "39", "48", "57", NULL };
static const uint32_t mgaw_values[] = { 39, 48, 57 };

static const struct xiommu_param vtd_params[] = {
	{ "pasid_bits", "PASID width (ECAP.PSS + 1)", XIOMMU_PARAM_UINT, P(pasid_bits), 1, 20, 20,
	  NULL, NULL },
	{ "mgaw", "maximum guest address width (CAP.MGAW + 1)", XIOMMU_PARAM_ENUM, P(mgaw), 0, 0,
	  48, mgaw_names, mgaw_values },
	{ "sagaw", "second-level paging levels supported (CAP.SAGAW)", XIOMMU_PARAM_SET, P(sagaw),
	  0, 7, VTD_SAGAW_4L, sagaw_names, NULL },
	{ "sllps", "second-level large pages (CAP.SLLPS)", XIOMMU_PARAM_SET, P(sllps), 0, 3, 3,
	  sllps_names, NULL },
	{ "nd", "domain ids: 2^(4+2*nd) (CAP.ND)", XIOMMU_PARAM_UINT, P(nd), 0, 6, 2, NULL, NULL },
	{ "nfr", "fault recording registers (CAP.NFR + 1)", XIOMMU_PARAM_UINT, P(nfr), 1, 256, 8,
	  NULL, NULL },
	{ "psi", "page-selective invalidation (CAP.PSI)", XIOMMU_PARAM_BOOL, P(psi), 0, 1, 1, NULL,
	  NULL },
	{ "mamv", "largest invalidation address mask (CAP.MAMV), at most input width - 12",
	  XIOMMU_PARAM_UINT, P(mamv), 0, 63, 9, NULL, NULL },
	{ "fl1gp", "first-level 1 GiB pages (CAP.FL1GP)", XIOMMU_PARAM_BOOL, P(fl1gp), 0, 1, 1, NULL,
	  NULL },
	{ "fl5lp", "first-level 5-level paging (CAP.FL5LP)", XIOMMU_PARAM_BOOL, P(fl5lp), 0, 1, 1,
	  NULL, NULL },
	{ "nest", "nested translation (ECAP.NEST)", XIOMMU_PARAM_BOOL, P(nest), 0, 1, 1, NULL,
	  NULL },
	{ "dt", "device TLBs / ATS (ECAP.DT)", XIOMMU_PARAM_BOOL, P(dt), 0, 1, 1, NULL, NULL },
	{ "prs", "page requests (ECAP.PRS)", XIOMMU_PARAM_BOOL, P(prs), 0, 1, 1, NULL, NULL },
	{ "srs", "supervisor requests (ECAP.SRS)", XIOMMU_PARAM_BOOL, P(srs), 0, 1, 1, NULL, NULL },
	{ "ers", "execute requests (ECAP.ERS)", XIOMMU_PARAM_BOOL, P(ers), 0, 1, 1, NULL, NULL },
	{ "eafs", "extended accessed flag (ECAP.EAFS)", XIOMMU_PARAM_BOOL, P(eafs), 0, 1, 1, NULL,
	  NULL },
	{ "slads", "second-level A/D bits (ECAP.SLADS)", XIOMMU_PARAM_BOOL, P(slads), 0, 1, 1,
	  NULL, NULL },
	{ "pt", "pass-through (ECAP.PT)", XIOMMU_PARAM_BOOL, P(pt), 0, 1, 1, NULL, NULL },
	{ "prq_depth", "page request queue entries", XIOMMU_PARAM_UINT, P(prq_depth), 2, 1024, 32,
	  NULL, NULL },
	{ NULL },
};

static int vtdp_check_params(const struct xiommu_plugin_env *env)
{
	const struct xiommu_vtd_params *p = env->params;
	uint32_t width;

	if (!p->sagaw) {
		env->error(env->core, "sagaw: at least one of 3-level, 4-level, 5-level");
		return -EINVAL;
	}
	if (!((p->sagaw & VTD_SAGAW_3L) || ((p->sagaw & VTD_SAGAW_4L) && p->mgaw >= 48) ||
	      ((p->sagaw & VTD_SAGAW_5L) && p->mgaw >= 57))) {
		env->error(env->core, "sagaw 0x%x: no level fits mgaw %u", p->sagaw, p->mgaw);
		return -EINVAL;
	}
	if (!p->psi && p->mamv) {
		env->error(env->core, "mamv %u: must be 0 when psi = no", p->mamv);
		return -EINVAL;
	}
	/*
	 * 2^(12 + MAMV) bytes need not exceed the widest input address: the
	 * first level's (57 bits with fl5lp, else 48) or MGAW.
	 */
	width = p->fl5lp ? 57 : 48;
	if (p->mgaw > width)
		width = p->mgaw;
	if (p->mamv > width - 12) {
		env->error(env->core, "mamv %u: at most %u (2^(12+mamv) bytes cover the %u-bit input addresses)",
			   p->mamv, width - 12, width);
		return -EINVAL;
	}
	if (p->prs && !p->dt) {
		env->error(env->core, "prs = yes needs dt = yes (page requests come with ATS)");
		return -EINVAL;
	}
	return 0;
}

static uint8_t min8(uint32_t a, uint32_t b)
{
	return (uint8_t)(a < b ? a : b);
}

/* Second-level width the backend's domains use (4-level preferred). */
static uint32_t sl_width(uint64_t cap)
{
	uint32_t sagaw = (uint32_t)XI_GET(cap, VTD_CAP_SAGAW_H, VTD_CAP_SAGAW_L) >> 1;
	uint32_t mgaw = (uint32_t)XI_GET(cap, VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) + 1;

	if ((sagaw & VTD_SAGAW_4L) && mgaw >= 48)
		return 48;
	if ((sagaw & VTD_SAGAW_5L) && mgaw >= 57)
		return 57;
	return 39;
}

static int vtdp_hw_info(const struct xiommu_plugin_env *env, const struct xiommu_hw_info *limit,
			struct xiommu_hw_info *out, void *raw, uint32_t *raw_len)
{
	uint64_t cap = vtdp_cap(env), ecap = vtdp_ecap(env), f = XIOMMU_HW_BIND_PASID;
	uint64_t regs[2];
	uint32_t pss;

	if (env->regs_len < 16 || !vtdp_cap_bit(ecap, VTD_ECAP_SMTS) ||
	    !vtdp_cap_bit(ecap, VTD_ECAP_QI)) {
		env->error(env->core, "vtd: backend registers (%u bytes) lack scalable mode or QI",
			   env->regs_len);
		return -ENODEV;
	}
	if (vtdp_cap_bit(ecap, VTD_ECAP_NEST) && vtdp_cap_bit(ecap, VTD_ECAP_FLTS) &&
	    vtdp_cap_bit(ecap, VTD_ECAP_SLTS))
		f |= XIOMMU_HW_NESTING;
	if (vtdp_cap_bit(ecap, VTD_ECAP_PASID))
		f |= XIOMMU_HW_PASID;
	if (vtdp_cap_bit(ecap, VTD_ECAP_PRS))
		f |= XIOMMU_HW_PRI;
	if (vtdp_cap_bit(ecap, VTD_ECAP_DT))
		f |= XIOMMU_HW_ATS;
	if (vtdp_cap_bit(cap, VTD_CAP_PSI))
		f |= XIOMMU_HW_RANGE_INV;
	f &= limit->features;
	memset(out, 0, sizeof(*out));
	out->features = f;
	pss = (uint32_t)XI_GET(ecap, VTD_ECAP_PSS_H, VTD_ECAP_PSS_L) + 1;
	out->pasid_bits = (f & XIOMMU_HW_PASID) ? min8(pss, limit->pasid_bits) : 0;
	out->sid_bits = 16;
	out->tag_bits = 16;	/* guest DIDs: each mapped to a host DID of its own */
	out->s1_ias = min8(vtdp_cap_bit(cap, VTD_CAP_FL5LP) ? 57 : 48, limit->s1_ias);
	out->s2_ias = min8(sl_width(cap), limit->s2_ias);
	out->s1_oas = min8(out->s2_ias, limit->s1_oas);
	out->s2_oas = (uint8_t)(XI_GET(cap, VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) + 1);
	out->s1_granules = XIOMMU_GRANULE_4K;
	out->s2_granules = XIOMMU_GRANULE_4K;
	out->s1_pgsizes = (1ull << 12) | (1ull << 21) |
			  (vtdp_cap_bit(cap, VTD_CAP_FL1GP) ? 1ull << 30 : 0);
	out->s2_pgsizes = 1ull << 12;
	out->raw_type = XIOMMU_RAW_VTD;

	/* the raw registers say no more than the generic fields */
	regs[0] = cap & ~XI_BIT(VTD_CAP_CM);
	regs[1] = ecap;
	if (!(f & XIOMMU_HW_PRI))
		regs[1] &= ~XI_BIT(VTD_ECAP_PRS);
	if (!(f & XIOMMU_HW_ATS))
		regs[1] &= ~XI_BIT(VTD_ECAP_DT);
	if (!(f & XIOMMU_HW_NESTING))
		regs[1] &= ~XI_BIT(VTD_ECAP_NEST);
	if (!(f & XIOMMU_HW_RANGE_INV))
		regs[0] &= ~(XI_BIT(VTD_CAP_PSI) | XI_GENMASK(VTD_CAP_MAMV_H, VTD_CAP_MAMV_L));
	if (out->pasid_bits)
		regs[1] = xi_set(regs[1], VTD_ECAP_PSS_H, VTD_ECAP_PSS_L, out->pasid_bits - 1u);
	else
		regs[1] &= ~(XI_BIT(VTD_ECAP_PASID) | XI_GENMASK(VTD_ECAP_PSS_H, VTD_ECAP_PSS_L));
	if (out->s1_ias < 57)
		regs[0] &= ~XI_BIT(VTD_CAP_FL5LP);
	/* interrupt remapping is the host's: never offered through this path */
	regs[1] &= ~(XI_BIT(VTD_ECAP_IR) | XI_BIT(VTD_ECAP_EIM));
	if (raw && *raw_len)
		memcpy(raw, regs, *raw_len < sizeof(regs) ? *raw_len : sizeof(regs));
	*raw_len = sizeof(regs);
	return 0;
}

static const struct xiommu_plugin_ops vtd_ops = {
	.abi_major = XIOMMU_PLUGIN_ABI_MAJOR,
	.abi_minor = XIOMMU_PLUGIN_ABI_MINOR,
	.vendor = "vtd",
	.vendor_id = XIOMMU_VENDOR_VTD,
	.raw_type = XIOMMU_RAW_VTD,
	.params_size = sizeof(struct xiommu_vtd_params),
	.inv_raw_type = XIOMMU_INV_RAW_VTD,
	.cmd_len = 32,
	.fault_len = 16,
	.params = vtd_params,
	.check_params = vtdp_check_params,
	.hw_info = vtdp_hw_info,
	.bind = vtdp_bind,
	.unbind_pasid = vtdp_unbind_pasid,
	.invalidate = vtdp_invalidate,
	.invalidate_raw = vtdp_invalidate_raw,
	.msi_bind = NULL,
	.page_response = vtdp_page_response,
	.event_decode = vtdp_event_decode,
	.fault_encode = vtdp_fault_encode,
	.decode = vtdp_decode,
	.decode_kinds = vtdp_decode_kinds,
	.bind_tag = vtdp_bind_tag,
	.guest_s1_alloc = vtdp_guest_s1_alloc,
	.guest_s1_map = vtdp_guest_s1_map,
	.guest_s1_unmap = vtdp_guest_s1_unmap,
	.guest_ctx_write = vtdp_guest_ctx_write,
	.guest_inv_encode = vtdp_guest_inv_encode,
};

__attribute__((visibility("default")))
const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor)
{
	/* it reads (1.2) members the core hands it: vdev grants, env->gpa_check */
	return abi_major == XIOMMU_PLUGIN_ABI_MAJOR && abi_minor >= 2 ? &vtd_ops : NULL;
}
