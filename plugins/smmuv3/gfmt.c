// SPDX-License-Identifier: MIT
/*
 * Guest formats (plugin ABI 1.2): what a guest SMMUv3 driver writes — a
 * VMSAv8-64 stage-1 table (4 KiB granule), a linear CD table with one CD per
 * SSID, and CMDQ commands (TLBI_NH_*, ATC_INV, CFGI_CD*) — so the generic
 * conformance suite can run on SMMUv3 without naming any SMMUv3 field.
 */
#include "smmuv3_plugin.h"
#include "guest.h"

#define GFMT_GSHIFT	12

static uint64_t gm_alloc(void *arg, uint64_t size)
{
	struct xiommu_guest_mem *m = arg;

	return xiommu_guest_pool_alloc(m->env, m->g, size < 4096 ? 4096 : size);
}

static unsigned int gfmt_ias(const struct xiommu_guest_s1 *s1)
{
	return s1->ias ? s1->ias : 48;
}

int smmuv3_guest_s1_alloc(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			  struct xiommu_guest_s1 *s1)
{
	unsigned int ias = gfmt_ias(s1), max = env->caps ? env->caps->s1_ias : 48;

	if (ias < 32 || ias > max || ias > 48) {
		env->error(env->core, "guest_s1_alloc: ias %u: accepted 32..%u (4 KiB granule, no LVA)",
			   ias, max < 48 ? max : 48);
		return -EINVAL;
	}
	s1->root = xiommu_guest_pool_alloc(env, g, 4096);
	if (!s1->root) {
		env->error(env->core, "guest_s1_alloc: the table pool is used up or not writable");
		return -ENOMEM;
	}
	s1->levels = (uint8_t)(4 - smmuv3_s1_start_level(GFMT_GSHIFT, 64 - ias));
	return 0;
}

int smmuv3_guest_s1_map(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
			uint32_t pgshift, uint32_t perm)
{
	struct xiommu_guest_mem mm = { env, g };
	struct smmuv3_guest_mem m = { &mm, xiommu_guest_mem_read, xiommu_guest_mem_write, gm_alloc };
	uint32_t attrs = SMMUV3_S1_NG;
	unsigned int level;
	int ret;

	if ((pgshift != 12 && pgshift != 21 && pgshift != 30) ||
	    (env->caps && !(env->caps->s1_pgsizes & (1ull << pgshift)))) {
		env->error(env->core, "guest_s1_map: page size 2^%u is not a stage-1 leaf of this unit",
			   pgshift);
		return -EINVAL;
	}
	level = 3 - (pgshift - 12) / 9;
	if (!(perm & XIOMMU_PERM_WRITE))
		attrs |= SMMUV3_S1_READONLY;
	if (!(perm & XIOMMU_PERM_PRIV))
		attrs |= SMMUV3_S1_USER;
	if (!(perm & XIOMMU_PERM_EXEC))
		attrs |= SMMUV3_S1_XN;
	ret = smmuv3_s1_map(&m, s1->root, GFMT_GSHIFT, 64 - gfmt_ias(s1), iova, gpa, level, attrs);
	if (ret)
		env->error(env->core, "guest_s1_map: iova 0x%llx -> 0x%llx (2^%u): errno %d",
			   (unsigned long long)iova, (unsigned long long)gpa, pgshift, -ret);
	return ret;
}

int smmuv3_guest_s1_unmap(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			  const struct xiommu_guest_s1 *s1, uint64_t iova)
{
	struct xiommu_guest_mem mm = { env, g };
	struct smmuv3_guest_mem m = { &mm, xiommu_guest_mem_read, xiommu_guest_mem_write, gm_alloc };
	int ret = smmuv3_s1_unmap(&m, s1->root, GFMT_GSHIFT, 64 - gfmt_ias(s1), iova);

	if (ret)
		env->error(env->core, "guest_s1_unmap: iova 0x%llx: errno %d",
			   (unsigned long long)iova, -ret);
	return ret;
}

int smmuv3_guest_ctx_write(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			   struct xiommu_guest_ctx *c, uint32_t pasid,
			   const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind)
{
	struct smmuv3_cd_fields f = { .ttb0 = s1->root, .asid = (uint16_t)s1->tag,
				      .t0sz = (uint8_t)(64 - gfmt_ias(s1)), .gshift = GFMT_GSHIFT,
				      .ips_bits = (uint8_t)(env->caps ? env->caps->s1_oas : 48),
				      .stall = !!(s1->flags & XIOMMU_GUEST_S1_STALL) };
	uint64_t cd[SMMUV3_CD_DWORDS];
	int fresh = 0;

	if (c->pasid_bits > 20 || pasid >> c->pasid_bits || s1->tag > 0xffff) {
		env->error(env->core, "guest_ctx_write: pasid %u of a %u-bit CD table, ASID %u (16 bits)",
			   pasid, c->pasid_bits, s1->tag);
		return -EINVAL;
	}
	if (!c->table) {
		uint64_t size = (uint64_t)SMMUV3_CD_SIZE << c->pasid_bits;

		c->table = xiommu_guest_pool_alloc(env, g, size < 4096 ? 4096 : size);
		if (!c->table) {
			env->error(env->core, "guest_ctx_write: no room for a %u-bit CD table",
				   c->pasid_bits);
			return -ENOMEM;
		}
		fresh = 1;
	}
	smmuv3_cd_encode(&f, cd);
	if (env->write_gpa(env->core, g->viommu_id, c->table + (uint64_t)pasid * SMMUV3_CD_SIZE, cd,
			   SMMUV3_CD_SIZE)) {
		env->error(env->core, "guest_ctx_write: CD %u at 0x%llx is not writable guest memory",
			   pasid, (unsigned long long)c->table);
		return -EFAULT;
	}
	bind->config = XIOMMU_CONFIG_TRANSLATE;
	bind->format = XIOMMU_S1_SMMUV3_CD_TABLE;
	bind->table_gpa = c->table;
	bind->pasid_bits = (uint8_t)c->pasid_bits;
	bind->s1.smmuv3.eats = !!(c->flags & XIOMMU_GUEST_CTX_ATS);
	return fresh;
}

#define C_ASID(a)	SMMUV3_WPUT(a, SMMUV3_CMD_ASID)
#define C_SID(s)	SMMUV3_WPUT(s, SMMUV3_CMD_SID)

static int put(uint64_t *c, uint32_t room, uint32_t *n, uint64_t c0, uint64_t c1)
{
	if ((*n + 1) * 16 > room)
		return -ENOSPC;
	c[*n * 2] = c0;
	c[*n * 2 + 1] = c1;
	(*n)++;
	return 0;
}

int smmuv3_guest_inv_encode(const struct xiommu_plugin_env *env,
			    const struct xiommu_plugin_viommu *viommu,
			    const struct xiommu_inv_entry *e, void *cmds, uint32_t room, uint32_t *n)
{
	uint64_t *c = cmds, ssid = 0, a, last;
	const struct xiommu_plugin_vdev *vd = NULL;
	unsigned int s = 0;
	int ret = 0;

	*n = 0;
	if (e->flags & XIOMMU_INV_F_PASID)
		ssid = SMMUV3_WPUT(1, SMMUV3_CMD_SSV) | SMMUV3_WPUT(e->pasid, SMMUV3_CMD_SSID);
	if (e->cache != XIOMMU_CACHE_IOTLB) {
		vd = env->vdev_by_id(env->core, viommu->id, e->vdev_id);
		if (!vd) {
			env->error(env->core, "guest_inv_encode: vdev %u is not on viommu %u",
				   e->vdev_id, viommu->id);
			return -ENOENT;
		}
	}
	switch (e->cache * 16 + e->scope) {
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_ALL:
		return put(c, room, n, SMMUV3_OP_TLBI_NH_ALL, 0);
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_TAG:
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_PASID:	/* a guest flushes the PASID's ASID */
		return put(c, room, n, SMMUV3_OP_TLBI_NH_ASID | C_ASID(e->tag), 0);
	case XIOMMU_CACHE_IOTLB * 16 + XIOMMU_INV_RANGE:
		for (a = e->addr; !ret && a < e->addr + e->size; a += 4096)
			ret = put(c, room, n, (e->flags & XIOMMU_INV_F_TAG || e->flags & XIOMMU_INV_F_PASID) ?
				  SMMUV3_OP_TLBI_NH_VA | C_ASID(e->tag) : SMMUV3_OP_TLBI_NH_VAA,
				  a | !!(e->flags & XIOMMU_INV_F_LEAF));
		break;
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_ALL:
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_PASID:
		return put(c, room, n, SMMUV3_OP_ATC_INV | C_SID(vd->vsid) | ssid,
			   SMMUV3_WPUT(SMMUV3_ATC_SIZE_ALL, SMMUV3_CMD_ATC_SIZE));
	case XIOMMU_CACHE_DEVTLB * 16 + XIOMMU_INV_RANGE:
		last = e->addr + e->size - 1;
		while (s < 52 && ((e->addr >> 12) >> s) != ((last >> 12) >> s))
			s++;
		a = s >= 52 ? 0 : (e->addr >> (12 + s)) << (12 + s);
		return put(c, room, n, SMMUV3_OP_ATC_INV | C_SID(vd->vsid) | ssid,
			   a | SMMUV3_WPUT(s, SMMUV3_CMD_ATC_SIZE));
	case XIOMMU_CACHE_CONFIG * 16 + XIOMMU_INV_ALL:
		return put(c, room, n, SMMUV3_OP_CFGI_CD_ALL | C_SID(vd->vsid), 0);
	case XIOMMU_CACHE_CONFIG * 16 + XIOMMU_INV_PASID:
		return put(c, room, n, SMMUV3_OP_CFGI_CD | C_SID(vd->vsid) |
			   SMMUV3_WPUT(e->pasid, SMMUV3_CMD_SSID), 1);
	default:
		env->error(env->core, "guest_inv_encode: cache %u scope %u has no CMDQ command",
			   e->cache, e->scope);
		return -EINVAL;
	}
	if (ret)
		env->error(env->core, "guest_inv_encode: %u bytes hold fewer than the %llu commands",
			   room, (unsigned long long)(e->size >> 12));
	return ret;
}
