// SPDX-License-Identifier: MIT
/*
 * Invalidation: generic entries and raw guest QI descriptors -> host QI
 * descriptors with the viommu's DID, ending with one invalidation wait.
 *
 * Generic (DESIGN.md section 5):
 *   IOTLB ALL            -> IOTLB domain-selective (type 2) of the DID; it
 *                           reaches nested entries of every PASID
 *   IOTLB PASID          -> P_IOTLB PASID-selective
 *   IOTLB RANGE          -> P_IOTLB page-selective, smallest covering AM, IH
 *                           from LEAF; the PASID given, else the RID_PASID 0;
 *                           AM > MAMV (or no PSI) widens to PASID-selective
 *   IOTLB TAG            -> -EOPNOTSUPP (VT-d has no architecture tag)
 *   DEVTLB vdev [PASID] [RANGE] -> device-TLB (type 3) / PASID-based (type 8)
 *   CONFIG vdev ALL/PASID -> PASID cache domain- / PASID-selective
 *
 * Raw guest descriptors (32 bytes each): P_IOTLB (6) and IOTLB (2) get the
 * host DID; device-TLB (3, 8) name the guest's vRID, turned into the pRID,
 * and a PASID the vdev has bound (or 0 when the whole device translates);
 * invalidation waits (5) are dropped (the VMM completes the guest's wait
 * after the call; the program ends with the host's own wait). Context-cache
 * (1), PASID-cache (7) and interrupt-entry (4) descriptors stay in the VMM
 * (it re-reads the guest's tables and rebinds) and are refused, as are page
 * responses (9, 0xA) and unknown types: *bad names the first such entry and
 * nothing is emitted.
 */
#include "vtd_plugin.h"

uint32_t vtdp_am_cover(uint64_t addr, uint64_t size)
{
	uint64_t first = addr >> 12, last = (addr + size - 1) >> 12;
	uint32_t am = 0;

	while (am < 52 && (first >> am) != (last >> am))
		am++;
	return am < 52 ? am : 64;
}

static uint32_t mamv(const struct xiommu_plugin_env *env)
{
	uint64_t cap = vtdp_cap(env);

	if (!vtdp_cap_bit(cap, VTD_CAP_PSI))
		return ~0u;
	return (uint32_t)XI_GET(cap, VTD_CAP_MAMV_H, VTD_CAP_MAMV_L);
}

/* The vdev @id of @viommu, or NULL. */
static const struct xiommu_plugin_vdev *vdev_by_id(const struct xiommu_plugin_env *env,
						   const struct xiommu_plugin_viommu *viommu,
						   uint32_t id)
{
	return env->vdev_by_id(env->core, viommu->id, id);
}

static int devtlb(struct xiommu_prog *prog, uint32_t rid, int pp, uint32_t pasid, uint64_t addr,
		  uint64_t size, int all)
{
	uint64_t d[4];
	uint32_t order = all ? 52 : vtdp_am_cover(addr, size);

	if (order > 52)
		order = 52;	/* the builder aligns addr to the size */
	if (pp)
		vtd_qi_pdevtlb(d, rid, rid, 0, pasid, 0, addr, order);
	else
		vtd_qi_devtlb(d, rid, rid, 0, addr, order);
	return vtdp_cmd(prog, d) ? 0 : -ENOSPC;
}

static int one_entry(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		     const struct xiommu_inv_entry *e, struct xiommu_prog *prog)
{
	uint32_t did = v->dom.tag, pasid = e->flags & XIOMMU_INV_F_PASID ? e->pasid : 0;
	const struct xiommu_plugin_vdev *vd = NULL;
	uint64_t d[4];

	if (e->flags & XIOMMU_INV_F_TAG || e->scope == XIOMMU_INV_TAG) {
		env->error(env->core, "invalidate: VT-d has no architecture tag (PASID is the key)");
		return -EOPNOTSUPP;
	}
	if (e->cache != XIOMMU_CACHE_IOTLB) {
		vd = vdev_by_id(env, v, e->vdev_id);
		if (!vd || vd->psid > 0xffff) {
			env->error(env->core, "invalidate: vdev %u is not on viommu %u", e->vdev_id, v->id);
			return -ENOENT;
		}
	}
	switch (e->cache) {
	case XIOMMU_CACHE_IOTLB:
		if (e->scope == XIOMMU_INV_ALL) {
			vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
		} else if (e->scope == XIOMMU_INV_PASID) {
			vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
		} else {
			uint32_t am = vtdp_am_cover(e->addr, e->size);

			if (am > mamv(env)) {
				vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, pasid, 0, 0, 0);
				prog->widened++;
			} else {
				vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, did, pasid,
					      e->addr & ~((1ull << (12 + am)) - 1), am,
					      !!(e->flags & XIOMMU_INV_F_LEAF));
			}
		}
		return vtdp_cmd(prog, d) ? 0 : -ENOSPC;
	case XIOMMU_CACHE_DEVTLB:
		if (!vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_DT)) {
			env->error(env->core, "invalidate: the unit has no device TLBs (ECAP.DT)");
			return -EOPNOTSUPP;
		}
		return devtlb(prog, vd->psid, !!(e->flags & XIOMMU_INV_F_PASID), pasid, e->addr,
			      e->size, e->scope != XIOMMU_INV_RANGE);
	case XIOMMU_CACHE_CONFIG:
		vtd_qi_pc(d, e->scope == XIOMMU_INV_PASID ? VTD_QI_PC_G_PASID : VTD_QI_PC_G_DOMAIN,
			  did, pasid);
		return vtdp_cmd(prog, d) ? 0 : -ENOSPC;
	default:
		env->error(env->core, "invalidate: cache %u", e->cache);
		return -EINVAL;
	}
}

int vtdp_invalidate(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *viommu,
		    const struct xiommu_inv_entry *e, uint32_t n, struct xiommu_prog *prog,
		    uint32_t *bad)
{
	uint32_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = one_entry(env, viommu, &e[i], prog);
		if (ret) {
			*bad = i;
			return ret;
		}
	}
	if (n && !xiommu_prog_add(prog, XIOMMU_OP_SYNC))
		return -ENOSPC;
	return 0;
}

static int pasid_bound(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vd,
		       uint32_t pasid)
{
	if (!pasid)
		return vd->config == XIOMMU_CONFIG_TRANSLATE;
	return env->pasid_lookup(env->core, vd->id, pasid) != NULL;
}

/* One guest descriptor -> host descriptor in @h; 1 = drop, 0 = emit, < 0 refuse. */
static int raw_one(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		   const uint64_t *g, uint64_t *h)
{
	uint32_t type = vtd_qi_type(g), gr = (uint32_t)XI_GET(g[0], VTD_QI_G_H, VTD_QI_G_L);
	uint32_t pasid = (uint32_t)XI_GET(g[0], VTD_QI_PASID_H, VTD_QI_PASID_L);
	uint32_t pbits = env->caps ? env->caps->pasid_bits : 20;
	const struct xiommu_plugin_vdev *vd;
	uint64_t vrid;

	memcpy(h, g, 4 * sizeof(*g));
	if (g[2] || g[3])
		goto invalid;
	switch (type) {
	case VTD_QI_IOTLB:
		if ((g[0] & VTD_QI_IOTLB_RSVD0) || !gr)
			goto invalid;
		if (gr == VTD_QI_IOTLB_G_PAGE) {
			uint32_t am = (uint32_t)XI_GET(g[1], VTD_QI_AM_H, VTD_QI_AM_L);

			if (am > mamv(env) || (g[1] & VTD_QI_ADDR_RSVD1) ||
			    ((g[1] & VTD_QI_ADDR_MASK) & ((1ull << (12 + am)) - 1)))
				goto invalid;
		} else {
			gr = VTD_QI_IOTLB_G_DOMAIN;	/* a guest's "global" is its viommu */
			h[1] = 0;
		}
		h[0] = xi_set(xi_set(g[0], VTD_QI_G_H, VTD_QI_G_L, gr), VTD_QI_DID_H, VTD_QI_DID_L,
			      v->dom.tag);
		return 0;
	case VTD_QI_PIOTLB:
		if ((g[0] & VTD_QI_PIOTLB_RSVD0) ||
		    (gr != VTD_QI_PIOTLB_G_PASID && gr != VTD_QI_PIOTLB_G_PAGE) ||
		    (pbits < 32 && pasid >> pbits))
			goto invalid;
		if (gr == VTD_QI_PIOTLB_G_PAGE) {
			uint32_t am = (uint32_t)XI_GET(g[1], VTD_QI_AM_H, VTD_QI_AM_L);

			if (am > mamv(env) || (g[1] & VTD_QI_ADDR_RSVD1) ||
			    ((g[1] & VTD_QI_ADDR_MASK) & ((1ull << (12 + am)) - 1)))
				goto invalid;
		} else {
			h[1] = 0;
		}
		h[0] = xi_set(g[0], VTD_QI_DID_H, VTD_QI_DID_L, v->dom.tag);
		return 0;
	case VTD_QI_DEVTLB:
	case VTD_QI_PDEVTLB:
		if (!vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_DT))
			goto invalid;
		if (type == VTD_QI_DEVTLB ?
		    ((g[0] & VTD_QI_DT_RSVD0) || (g[1] & VTD_QI_DT_RSVD1)) :
		    ((g[0] & VTD_QI_PDT_RSVD0) || (g[1] & VTD_QI_PDT_RSVD1)))
			goto invalid;
		vrid = type == VTD_QI_DEVTLB ? XI_GET(g[0], VTD_QI_SID_H, VTD_QI_SID_L) :
					       XI_GET(g[0], VTD_QI_PDT_SID_H, VTD_QI_PDT_SID_L);
		vd = env->vdev_by_vsid(env->core, v->id, vrid);
		if (!vd || vd->psid > 0xffff) {
			env->error(env->core, "invalidate: device-TLB descriptor names vRID 0x%llx, not a vdev of viommu %u",
				   (unsigned long long)vrid, v->id);
			return -ENOENT;
		}
		if (type == VTD_QI_PDEVTLB && !pasid_bound(env, vd, pasid)) {
			env->error(env->core, "invalidate: PASID 0x%x is not bound on vdev %u", pasid,
				   vd->id);
			return -EPERM;
		}
		if (type == VTD_QI_DEVTLB)
			h[0] = xi_set(g[0], VTD_QI_SID_H, VTD_QI_SID_L, vd->psid);
		else
			h[0] = xi_set(g[0], VTD_QI_PDT_SID_H, VTD_QI_PDT_SID_L, vd->psid);
		h[0] = xi_set(xi_set(h[0], VTD_QI_DT_PFSID_LO_H, VTD_QI_DT_PFSID_LO_L, vd->psid & 0xf),
			      VTD_QI_DT_PFSID_HI_H, VTD_QI_DT_PFSID_HI_L, vd->psid >> 4);
		return 0;
	case VTD_QI_WAIT:
		if ((g[0] & VTD_QI_WAIT_RSVD0) || (g[1] & VTD_QI_WAIT_RSVD1))
			goto invalid;
		return 1;
	default:
		env->error(env->core, "invalidate: descriptor type 0x%x is the VMM's to handle (context/PASID cache: rebind; interrupt entries; responses), not a guest's to forward",
			   type);
		return -EPERM;
	}
invalid:
	env->error(env->core, "invalidate: invalid type 0x%x descriptor (qw0 0x%llx qw1 0x%llx): reserved bits, granularity or address mask",
		   type, (unsigned long long)g[0], (unsigned long long)g[1]);
	return -EINVAL;
}

int vtdp_invalidate_raw(const struct xiommu_plugin_env *env,
			const struct xiommu_plugin_viommu *viommu, const void *cmds, uint32_t n,
			struct xiommu_prog *prog, uint32_t *bad)
{
	const uint8_t *p = cmds;
	uint32_t i;
	int ret;

	for (i = 0; i < n; i++) {
		uint64_t g[4], h[4];

		memcpy(g, p + (size_t)i * 32, sizeof(g));
		ret = raw_one(env, viommu, g, h);
		if (ret < 0) {
			*bad = i;
			prog->n = 0;	/* nothing of a rejected array */
			return ret;
		}
		if (!ret && !vtdp_cmd(prog, h))
			return -ENOSPC;
	}
	if (n && !xiommu_prog_add(prog, XIOMMU_OP_SYNC))
		return -ENOSPC;
	return 0;
}
