// SPDX-License-Identifier: MIT
/*
 * Guest formats (plugin ABI 1.2): what a VT-d guest driver writes — IA-32e
 * first-level tables (4 or 5 levels), the PASID entry a VMM turns into a
 * per-PASID bind (the guest's DID, SRE/WPE where ECAP.SRS), and QI
 * descriptors (IOTLB, PASID-based IOTLB, device-TLB) — so the generic
 * conformance suite runs on VT-d without naming any VT-d field.
 */
#include "vtd_plugin.h"
#include "vtd_guest.h"

/* vtd_guest.h allocates from [next, end): hand it the pool, take back what it used. */
static void gm_open(struct vtd_guest_mem *m, struct xiommu_guest_mem *mm)
{
	m->arg = mm;
	m->read = xiommu_guest_mem_read;
	m->write = xiommu_guest_mem_write;
	m->next = (mm->g->pool_next + 4095) & ~4095ull;
	m->end = mm->g->pool_end;
}

static void gm_close(const struct vtd_guest_mem *m, struct xiommu_guest_mem *mm)
{
	if (m->next > mm->g->pool_next)
		mm->g->pool_next = m->next;
}

static uint32_t gfmt_levels(const struct xiommu_guest_s1 *s1)
{
	return s1->ias == 57 ? 5 : 4;
}

int vtdp_guest_s1_alloc(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			struct xiommu_guest_s1 *s1)
{
	uint32_t ias = s1->ias ? s1->ias : 48, max = env->caps ? env->caps->s1_ias : 48;

	if ((ias != 48 && ias != 57) || ias > max) {
		env->error(env->core, "guest_s1_alloc: ias %u: accepted 48 (4-level) or 57 (5-level, CAP.FL5LP), this unit up to %u",
			   ias, max);
		return -EINVAL;
	}
	s1->root = xiommu_guest_pool_alloc(env, g, 4096);
	if (!s1->root) {
		env->error(env->core, "guest_s1_alloc: the table pool is used up or not writable");
		return -ENOMEM;
	}
	s1->levels = (uint8_t)gfmt_levels(s1);
	return 0;
}

int vtdp_guest_s1_map(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
		      const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
		      uint32_t pgshift, uint32_t perm)
{
	struct xiommu_guest_mem mm = { env, g };
	struct vtd_guest_mem m;
	uint64_t fl = XI_BIT(VTD_FL_P);
	int ret;

	if ((pgshift != 12 && pgshift != 21 && pgshift != 30) ||
	    (env->caps && !(env->caps->s1_pgsizes & (1ull << pgshift)))) {
		env->error(env->core, "guest_s1_map: page size 2^%u is not a first-level leaf of this unit",
			   pgshift);
		return -EINVAL;
	}
	if (perm & XIOMMU_PERM_WRITE)
		fl |= XI_BIT(VTD_FL_RW);
	if (!(perm & XIOMMU_PERM_PRIV))
		fl |= XI_BIT(VTD_FL_US);
	if (!(perm & XIOMMU_PERM_EXEC))
		fl |= XI_BIT(VTD_FL_XD);
	gm_open(&m, &mm);
	ret = vtd_guest_fl_map(&m, s1->root, gfmt_levels(s1), iova, gpa, pgshift, fl);
	gm_close(&m, &mm);
	if (ret)
		env->error(env->core, "guest_s1_map: iova 0x%llx -> 0x%llx (2^%u): errno %d",
			   (unsigned long long)iova, (unsigned long long)gpa, pgshift, -ret);
	return ret;
}

int vtdp_guest_s1_unmap(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			const struct xiommu_guest_s1 *s1, uint64_t iova)
{
	struct xiommu_guest_mem mm = { env, g };
	struct vtd_guest_mem m;
	int ret;

	gm_open(&m, &mm);
	ret = vtd_guest_fl_unmap(&m, s1->root, gfmt_levels(s1), iova);
	if (ret)
		env->error(env->core, "guest_s1_unmap: iova 0x%llx: errno %d",
			   (unsigned long long)iova, -ret);
	return ret;
}

/*
 * A VT-d guest writes the PASID entry in its own PASID table and tells the
 * vIOMMU with a PASID-cache invalidation, which the VMM turns into this
 * per-PASID bind: the entry always takes effect through the bind.
 */
int vtdp_guest_ctx_write(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			 struct xiommu_guest_ctx *c, uint32_t pasid,
			 const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind)
{
	(void)g;
	if (c->pasid_bits > 20 || pasid >> c->pasid_bits || s1->tag > 0xffff) {
		env->error(env->core, "guest_ctx_write: pasid %u of %u bits, DID %u (16 bits)", pasid,
			   c->pasid_bits, s1->tag);
		return -EINVAL;
	}
	if (s1->flags & XIOMMU_GUEST_S1_STALL) {
		env->error(env->core, "guest_ctx_write: VT-d has no stall model (page requests are PRI)");
		return -EOPNOTSUPP;
	}
	bind->flags = XIOMMU_BIND_PASID;
	bind->config = XIOMMU_CONFIG_TRANSLATE;
	bind->pasid = pasid;
	bind->format = XIOMMU_S1_VTD_FIRST_LEVEL;
	bind->table_gpa = s1->root;
	bind->addr_width = (uint8_t)(gfmt_levels(s1) == 5 ? 57 : 48);
	bind->s1.vtd.did = s1->tag;
	if (vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_SRS))
		bind->s1.vtd.flags = XIOMMU_VTD_S1_SRE | XIOMMU_VTD_S1_WPE;
	/* a guest that maps executable pages lets its devices fetch from them */
	if (vtdp_cap_bit(vtdp_ecap(env), VTD_ECAP_ERS))
		bind->s1.vtd.flags |= XIOMMU_VTD_S1_ERE;
	return 1;
}

static int put(uint64_t *c, uint32_t room, uint32_t *n, const uint64_t *d)
{
	if ((*n + 1) * 32 > room)
		return -ENOSPC;
	memcpy(c + *n * 4, d, 32);
	(*n)++;
	return 0;
}

int vtdp_guest_inv_encode(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_viommu *viommu,
			  const struct xiommu_inv_entry *e, void *cmds, uint32_t room, uint32_t *n)
{
	const struct xiommu_plugin_vdev *vd = NULL;
	uint32_t pasid = e->pasid, ih = !!(e->flags & XIOMMU_INV_F_LEAF), am, rid;
	int has_pasid = !!(e->flags & XIOMMU_INV_F_PASID), ret = 0;
	uint64_t d[4], a, end;

	*n = 0;
	if (e->cache == XIOMMU_CACHE_DEVTLB) {
		vd = env->vdev_by_id(env->core, viommu->id, e->vdev_id);
		if (!vd) {
			env->error(env->core, "guest_inv_encode: vdev %u is not on viommu %u",
				   e->vdev_id, viommu->id);
			return -ENOENT;
		}
	}
	switch (e->cache * 16 + e->scope) {
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_ALL:
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_GLOBAL, 0, 0, 0, 0);
		return put(cmds, room, n, d);
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_TAG:
		vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, e->tag, 0, 0, 0);
		return put(cmds, room, n, d);
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_PASID:
		vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, e->tag, pasid, 0, 0, 0);
		return put(cmds, room, n, d);
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_RANGE:
		/* naturally aligned blocks, each one page-selective descriptor */
		for (a = e->addr, end = e->addr + e->size; !ret && a < end; a += 4096ull << am) {
			for (am = 0; am < 9 && !(a & (4096ull << am)) && a + (8192ull << am) <= end;)
				am++;
			if (has_pasid)
				vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PAGE, e->tag, pasid, a, am, ih);
			else
				vtd_qi_iotlb(d, VTD_QI_IOTLB_G_PAGE, e->tag, a, am, ih);
			ret = put(cmds, room, n, d);
		}
		if (ret)
			env->error(env->core, "guest_inv_encode: %u bytes are too few for the range",
				   room);
		return ret;
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_ALL:
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_PASID:
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_RANGE:
		rid = (uint32_t)vd->vsid;
		am = 52;
		a = 0;
		if (e->scope == XIOMMU_INV_RANGE) {
			end = e->addr + e->size - 1;
			for (am = 0; am < 52 && ((e->addr >> 12) >> am) != ((end >> 12) >> am);)
				am++;
			a = am >= 52 ? 0 : (e->addr >> (12 + am)) << (12 + am);
		}
		if (has_pasid)
			vtd_qi_pdevtlb(d, rid, rid, 0, pasid, 0, a, am);
		else
			vtd_qi_devtlb(d, rid, rid, 0, a, am);
		return put(cmds, room, n, d);
	default:
		env->error(env->core, "guest_inv_encode: cache %u scope %u: a VT-d guest changes a PASID entry through the VMM (rebind), not a forwarded descriptor",
			   e->cache, e->scope);
		return e->cache == XIOMMU_CACHE_CONFIG ? -EOPNOTSUPP : -EINVAL;
	}
}
