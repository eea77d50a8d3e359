/* SPDX-License-Identifier: MIT */
/* SMMUv3 plugin internals: the seams between its files. */
#ifndef XIOMMU_SMMUV3_PLUGIN_H
#define XIOMMU_SMMUV3_PLUGIN_H

#include <xiommu/plugin.h>
#include <xiommu/arch/smmuv3.h>

#define SMMUV3_PAGE_CMDS_MAX	32	/* per-page TLBIs before widening (no RIL) */
/*
 * Range TLBIs per granule before widening (RIL): NUM and SCALE <= 31 cover
 * any range below 2^48 bytes of 4K pages in a dozen; beyond, thousands.
 */
#define SMMUV3_RANGE_CMDS_MAX	32

/* The unit's IDRs as the env carries them (zeros if absent). */
void smmuv3_env_idr(const struct xiommu_plugin_env *env, uint32_t idr[8]);
/* Effective features: env->caps when set, else from the IDRs. */
uint64_t smmuv3_env_features(const struct xiommu_plugin_env *env);

/* Append one STE write / command / sync: 0 or -ENOSPC. */
int smmuv3_prog_ste(struct xiommu_prog *p, uint32_t sid, uint32_t mask, const uint64_t *ste);
int smmuv3_prog_cmd(struct xiommu_prog *p, uint64_t c0, uint64_t c1);
int smmuv3_prog_sync(struct xiommu_prog *p);

/* Host-owned STE words of a viommu's domain. */
void smmuv3_dom_words(const struct xiommu_domain_desc *d, uint64_t *w1, uint64_t *w2,
		      uint64_t *w3);
/* The STE for a generic config (bind.c); 0 or -EINVAL/-EOPNOTSUPP with env->error. */
int smmuv3_ste_for(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		   const struct xiommu_bind *b, uint64_t ste[SMMUV3_STE_DWORDS]);
/* Hitless program old -> new for @sid, ending with CFGI_STE + CMD_SYNC. */
int smmuv3_ste_update(struct xiommu_prog *p, uint32_t sid, const uint64_t *old,
		      const uint64_t *new_ste);

int smmuv3_bind(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		const struct xiommu_bind *bind, struct xiommu_prog *prog);
int smmuv3_invalidate(const struct xiommu_plugin_env *env,
		      const struct xiommu_plugin_viommu *viommu,
		      const struct xiommu_inv_entry *entries, uint32_t n,
		      struct xiommu_prog *prog, uint32_t *bad);
int smmuv3_invalidate_raw(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_viommu *viommu, const void *cmds,
			  uint32_t n, struct xiommu_prog *prog, uint32_t *bad);
int smmuv3_msi_bind(const struct xiommu_plugin_env *env,
		    const struct xiommu_plugin_viommu *viommu,
		    const struct xiommu_msi_bind *msi, struct xiommu_prog *prog);
int smmuv3_page_response(const struct xiommu_plugin_env *env,
			 const struct xiommu_plugin_vdev *vdev,
			 const struct xiommu_page_response *resp, struct xiommu_prog *prog);
int smmuv3_event_decode(const struct xiommu_plugin_env *env, uint32_t kind, const uint64_t *w,
			uint32_t nwords, uint32_t *psid, struct xiommu_fault *out);
int smmuv3_fault_encode(const struct xiommu_plugin_env *env,
			const struct xiommu_plugin_vdev *vdev, const struct xiommu_fault *f,
			void *rec, uint32_t len);
int smmuv3_decode(const char *kind, const uint64_t *w, uint32_t nwords, xiommu_field_fn fn,
		  void *arg);
extern const char *const smmuv3_decode_kinds[];

/* gfmt.c: guest formats (plugin ABI 1.2) */
int smmuv3_guest_s1_alloc(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			  struct xiommu_guest_s1 *s1);
int smmuv3_guest_s1_map(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
			uint32_t pgshift, uint32_t perm);
int smmuv3_guest_s1_unmap(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			  const struct xiommu_guest_s1 *s1, uint64_t iova);
int smmuv3_guest_ctx_write(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			   struct xiommu_guest_ctx *c, uint32_t pasid,
			   const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind);
int smmuv3_guest_inv_encode(const struct xiommu_plugin_env *env,
			    const struct xiommu_plugin_viommu *viommu,
			    const struct xiommu_inv_entry *e, void *cmds, uint32_t room, uint32_t *n);

#endif
