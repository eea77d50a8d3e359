// SPDX-License-Identifier: MIT
/*
 * Invalidation: generic entries and raw guest QI descriptors -> host QI
 * descriptors, ending with one invalidation wait.
 *
 * A viommu has several host DIDs: its own (ABORT/BYPASS entries) and one
 * per guest DID in use (bind_tag). An entry naming a guest DID (the generic
 * tag, or a raw descriptor's DID) reaches that DID's host DID; one naming
 * none reaches every DID of the viommu. A guest DID no binding uses has
 * nothing cached, so what names it emits nothing.
 *
 * Generic (DESIGN.md section 5):
 *   IOTLB ALL            -> IOTLB domain-selective (type 2) of every DID;
 *                           it reaches nested entries of every PASID
 *   IOTLB TAG            -> IOTLB domain-selective of the guest DID's DID
 *   IOTLB PASID          -> P_IOTLB PASID-selective, every DID
 *   IOTLB RANGE PASID [+TAG] -> P_IOTLB page-selective, smallest covering
 *                           AM, IH from LEAF; AM > MAMV, no CAP.PSI or range
 *                           invalidation hidden: widened to IOTLB domain-
 *                           selective (a PASID-selective P_IOTLB is
 *                           non-global: it would keep global pages)
 *   IOTLB RANGE [+TAG], no PASID -> every PASID: widened to IOTLB
 *                           domain-selective (P_IOTLB names one PASID)
 * (every widening is counted in prog->widened)
 *   DEVTLB vdev [PASID] [RANGE] -> device-TLB (type 3) / PASID-based (type 8)
 *   CONFIG vdev PASID    -> PASID cache PASID-selective under the DID of
 *                           that PASID's binding
 *   CONFIG vdev ALL      -> PASID cache domain-selective, every DID
 *
 * Raw guest descriptors (32 bytes each): P_IOTLB (6) and IOTLB (2) get the
 * host DID of their guest DID (a guest's global IOTLB flush becomes one per
 * DID of the viommu); device-TLB (3, 8) name the guest's vRID, turned into
 * the pRID, and a PASID the vdev has bound (or 0 when the whole device
 * translates); page-selective forms are refused where the unit offers no
 * page-selective invalidation (-EOPNOTSUPP); an invalidation wait (5)
 * stays where it is, with its status write done through stage 2 (a VMM
 * forwards the guest's queue slice unchanged); the program ends with the
 * host's own wait.
 * Context-cache (1), PASID-cache (7) and interrupt-entry (4) descriptors
 * stay in the VMM (it re-reads the guest's tables and rebinds) and are
 * refused, as are page responses (9, 0xA) and unknown types: *bad names
 * the first such entry and nothing is emitted.
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

/*
 * Page-selective invalidation is usable: the unit has CAP.PSI and the ini
 * does not hide range invalidation. *mamv gets CAP.MAMV.
 */
static int psi(const struct xiommu_plugin_env *env, uint32_t *mamv)
{
	uint64_t cap = vtdp_cap(env);

	*mamv = (uint32_t)XI_GET(cap, VTD_CAP_MAMV_H, VTD_CAP_MAMV_L);
	return vtdp_cap_bit(cap, VTD_CAP_PSI) &&
	       (!env->caps || (env->caps->features & XIOMMU_HW_RANGE_INV));
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

/* One descriptor per host DID of the viommu: @d[0]'s DID field is set for each. */
struct per_did {
	struct xiommu_prog *prog;
	uint64_t d[4];
};

static int emit_did(void *arg, uint32_t gtag, uint32_t did)
{
	struct per_did *p = arg;
	uint64_t d[4];

	(void)gtag;
	memcpy(d, p->d, sizeof(d));
	d[0] = xi_set(d[0], VTD_QI_DID_H, VTD_QI_DID_L, did);
	return vtdp_cmd(p->prog, d) ? 0 : -ENOSPC;
}

/*
 * Emit @d for the host DID of guest DID @gdid (tagged), or for every DID
 * of the viommu (!tagged). An unmapped guest DID emits nothing.
 */
static int emit(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		struct xiommu_prog *prog, const uint64_t *d, int tagged, uint32_t gdid)
{
	struct per_did p = { .prog = prog };
	uint32_t did;
	int ret;

	memcpy(p.d, d, sizeof(p.d));
	if (tagged)
		return env->tag_lookup(env->core, v->id, gdid, &did) ? 0 : emit_did(&p, gdid, did);
	ret = emit_did(&p, 0, v->dom.tag);
	if (ret || !v->ntags)
		return ret;
	return env->tag_foreach(env->core, v->id, emit_did, &p);
}

/* The host DID a vdev's PASID entry carries. */
static uint32_t pasid_did(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_vdev *vd, uint32_t pasid)
{
	const struct xiommu_pasid_binding *b = pasid ? env->pasid_lookup(env->core, vd->id, pasid) :
						       NULL;
	uint32_t did = vd->viommu->dom.tag;

	if (b ? b->tagged : (!pasid && vd->tagged))
		env->tag_lookup(env->core, vd->viommu->id, b ? b->gtag : vd->gtag, &did);
	return did;
}

static int iotlb_entry(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		       const struct xiommu_inv_entry *e, struct xiommu_prog *prog)
{
	uint32_t pasid = e->flags & XIOMMU_INV_F_PASID ? e->pasid : 0, am, mamv;
	int tagged = e->scope == XIOMMU_INV_TAG || (e->flags & XIOMMU_INV_F_TAG);
	uint64_t d[4];

	if (e->scope == XIOMMU_INV_ALL || e->scope == XIOMMU_INV_TAG) {
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, 0, 0, 0, 0);
	} else if (e->scope == XIOMMU_INV_RANGE && !(e->flags & XIOMMU_INV_F_PASID)) {
		/*
		 * A range of every PASID: P_IOTLB names one PASID and the IOTLB
		 * descriptor's addresses are second-level inputs, so the only
		 * form that reaches the nested entries of every PASID is the
		 * domain-selective IOTLB invalidation.
		 */
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, 0, 0, 0, 0);
		prog->widened++;
	} else if (e->scope == XIOMMU_INV_PASID) {
		vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, 0, pasid, 0, 0, 0);
	} else {
		am = vtdp_am_cover(e->addr, e->size);
		if (!psi(env, &mamv) || am > mamv) {
			/*
			 * No page-selective form covers it. The PASID-selective
			 * P_IOTLB keeps global (G = 1) entries, which the
			 * page-selective one reaches; the domain-selective IOTLB
			 * invalidation drops every nested entry of the DID.
			 */
			vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, 0, 0, 0, 0);
			prog->widened++;
		} else {
			vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, 0, pasid,
				      e->addr & ~vtd_qi_am_mask(am), am,
				      !!(e->flags & XIOMMU_INV_F_LEAF));
		}
	}
	return emit(env, v, prog, d, tagged, e->tag);
}

static int one_entry(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		     const struct xiommu_inv_entry *e, struct xiommu_prog *prog)
{
	uint32_t pasid = e->flags & XIOMMU_INV_F_PASID ? e->pasid : 0;
	const struct xiommu_plugin_vdev *vd = NULL;
	uint64_t d[4];

	if (e->cache == XIOMMU_CACHE_IOTLB)
		return iotlb_entry(env, v, e, prog);
	vd = vdev_by_id(env, v, e->vdev_id);
	if (!vd || vd->psid > 0xffff) {
		env->error(env->core, "invalidate: vdev %u is not on viommu %u", e->vdev_id, v->id);
		return -ENOENT;
	}
	switch (e->cache) {
	case XIOMMU_CACHE_DEVTLB:
		if (!vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_DT)) {
			env->error(env->core, "invalidate: the unit has no device TLBs (ECAP.DT)");
			return -EOPNOTSUPP;
		}
		return devtlb(prog, vd->psid, !!(e->flags & XIOMMU_INV_F_PASID), pasid, e->addr,
			      e->size, e->scope != XIOMMU_INV_RANGE);
	case XIOMMU_CACHE_CONFIG:
		if (e->scope == XIOMMU_INV_PASID) {
			vtd_qi_pc(d, VTD_QI_PC_G_PASID, pasid_did(env, vd, pasid), pasid);
			return vtdp_cmd(prog, d) ? 0 : -ENOSPC;
		}
		vtd_qi_pc(d, VTD_QI_PC_G_DOMAIN, 0, 0);
		return emit(env, v, prog, d, 0, 0);
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

/*
 * A guest's page-selective descriptor: 0, -EOPNOTSUPP where the unit
 * offers no page-selective invalidation (the model would refuse it), or
 * -EINVAL for an AM above MAMV, reserved bits or an address not aligned
 * to 2^(12+AM).
 */
static int page_check(const struct xiommu_plugin_env *env, uint32_t type, uint64_t q1)
{
	uint32_t am = (uint32_t)XI_GET(q1, VTD_QI_AM_H, VTD_QI_AM_L), mamv;

	if (!psi(env, &mamv)) {
		env->error(env->core, "invalidate: page-selective type 0x%x descriptor: the unit offers no page-selective invalidation (CAP.PSI)",
			   type);
		return -EOPNOTSUPP;
	}
	if (!vtd_qi_page_ok(q1, vtdp_cap(env))) {
		env->error(env->core, "invalidate: page-selective type 0x%x descriptor qw1 0x%llx: AM %u (MAMV %u), address aligned to 2^(12+AM), bits 11:7 reserved",
			   type, (unsigned long long)q1, am, mamv);
		return -EINVAL;
	}
	return 0;
}

/*
 * A guest's invalidation wait: a completion point (everything before it
 * completes first), then with SW = 1 its status write of StatusData to
 * StatusAddress, a guest physical address, through stage 2: what the
 * guest polls for. IF = 1 asks for the completion interrupt, which the VMM
 * raises when the call returns (it emulates IWC); FN and PD change nothing
 * here, every descriptor runs in order anyway.
 */
static int guest_wait(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		      const uint64_t *g, struct xiommu_prog *prog)
{
	uint64_t addr = g[1] & VTD_QI_WAIT_ADDR_MASK;
	struct xiommu_op *op;

	if (!xiommu_prog_add(prog, XIOMMU_OP_SYNC))
		return -ENOSPC;
	if (!(g[0] & XI_BIT(VTD_QI_WAIT_SW)))
		return 0;
	if (env->gpa_check && env->gpa_check(env->core, v->id, addr, 4, XIOMMU_MAP_WRITE)) {
		env->error(env->core, "invalidate: wait descriptor status address 0x%llx is not writable guest memory",
			   (unsigned long long)addr);
		return -EFAULT;
	}
	op = xiommu_prog_add(prog, XIOMMU_OP_GUEST_WRITE);
	if (!op)
		return -ENOSPC;
	op->count = 4;
	op->w[0] = addr;
	op->w[1] = XI_GET(g[0], VTD_QI_WAIT_DATA_H, VTD_QI_WAIT_DATA_L);
	return 0;
}

/* One guest descriptor -> host descriptors in @prog; < 0 refuse. */
static int raw_one(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *v,
		   const uint64_t *g, struct xiommu_prog *prog)
{
	uint32_t gdid = (uint32_t)XI_GET(g[0], VTD_QI_DID_H, VTD_QI_DID_L);
	uint64_t h[4];
	uint32_t type = vtd_qi_type(g), gr = (uint32_t)XI_GET(g[0], VTD_QI_G_H, VTD_QI_G_L);
	uint32_t pasid = (uint32_t)XI_GET(g[0], VTD_QI_PASID_H, VTD_QI_PASID_L);
	uint32_t pbits = env->caps ? env->caps->pasid_bits : 20;
	const struct xiommu_plugin_vdev *vd;
	uint64_t vrid;
	int ret;

	memcpy(h, g, 4 * sizeof(*g));
	switch (type) {
	case VTD_QI_IOTLB:
		if (gr == VTD_QI_IOTLB_G_PAGE && (ret = page_check(env, type, g[1])))
			return ret;
		if (!vtd_qi_valid(g, vtdp_cap(env), vtdp_ecap(env)))
			goto invalid;
		if (gr != VTD_QI_IOTLB_G_PAGE)
			h[1] = 0;	/* no address */
		/* a guest's global flush is every DID of its viommu */
		h[0] = xi_set(g[0], VTD_QI_G_H, VTD_QI_G_L,
			      gr == VTD_QI_IOTLB_G_GLOBAL ? VTD_QI_IOTLB_G_DOMAIN : gr);
		return emit(env, v, prog, h, gr != VTD_QI_IOTLB_G_GLOBAL, gdid);
	case VTD_QI_PIOTLB:
		if (gr == VTD_QI_PIOTLB_G_PAGE && (ret = page_check(env, type, g[1])))
			return ret;
		if (!vtd_qi_valid(g, vtdp_cap(env), vtdp_ecap(env)) ||
		    (pbits < 32 && pasid >> pbits))
			goto invalid;
		if (gr != VTD_QI_PIOTLB_G_PAGE)
			h[1] = 0;	/* no address */
		return emit(env, v, prog, h, 1, gdid);
	case VTD_QI_DEVTLB:
	case VTD_QI_PDEVTLB:
		if (!vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_DT) ||
		    (env->caps && !(env->caps->features & XIOMMU_HW_ATS))) {
			env->error(env->core, "invalidate: device-TLB descriptor, but the unit offers no device TLBs (ECAP.DT, advertise_ats)");
			return -EOPNOTSUPP;
		}
		if (!vtd_qi_valid(g, vtdp_cap(env), vtdp_ecap(env)))
			goto invalid;
		vrid = type == VTD_QI_DEVTLB ? XI_GET(g[0], VTD_QI_SID_H, VTD_QI_SID_L) :
					       XI_GET(g[0], VTD_QI_PDT_SID_H, VTD_QI_PDT_SID_L);
		vd = env->vdev_by_vsid(env->core, v->id, vrid);
		if (!vd || vd->psid > 0xffff) {
			env->error(env->core, "invalidate: device-TLB descriptor names vRID 0x%llx, not a vdev of viommu %u",
				   (unsigned long long)vrid, v->id);
			return -ENOENT;
		}
		if (!(vd->grants & XIOMMU_VDEV_ATS)) {
			env->error(env->core, "invalidate: device-TLB descriptor for vdev %u, which was not granted ATS",
				   vd->id);
			return -EOPNOTSUPP;
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
		return vtdp_cmd(prog, h) ? 0 : -ENOSPC;
	case VTD_QI_WAIT:
		if (!vtd_qi_valid(g, vtdp_cap(env), vtdp_ecap(env)))
			goto invalid;
		return guest_wait(env, v, g, prog);
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
		uint64_t g[4];

		memcpy(g, p + (size_t)i * 32, sizeof(g));
		ret = raw_one(env, viommu, g, prog);
		if (ret == -ENOSPC)
			return ret;	/* the core retries with a larger program */
		if (ret < 0) {
			*bad = i;
			prog->n = 0;	/* nothing of a rejected array */
			return ret;
		}
	}
	if (n && !xiommu_prog_add(prog, XIOMMU_OP_SYNC))
		return -ENOSPC;
	return 0;
}
