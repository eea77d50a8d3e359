/* SPDX-License-Identifier: MIT */
/*
 * xiommu-vtd plugin internals: generic <-> VT-d scalable mode. Pure
 * translators (see plugin.h): every host fact comes from env->regs (CAP,
 * ECAP as the backend reports them) and env->params.
 */
#ifndef XIOMMU_VTD_PLUGIN_H
#define XIOMMU_VTD_PLUGIN_H

#include <stddef.h>
#include <xiommu/plugin.h>
#include <xiommu/arch/vtd.h>

/* CAP / ECAP of the unit (zero if the backend reported fewer bytes). */
static inline uint64_t vtdp_cap(const struct xiommu_plugin_env *env)
{
	const uint64_t *r = env->regs;

	return env->regs_len >= 8 ? r[0] : 0;
}

static inline uint64_t vtdp_ecap(const struct xiommu_plugin_env *env)
{
	const uint64_t *r = env->regs;

	return env->regs_len >= 16 ? r[1] : 0;
}

static inline int vtdp_cap_bit(uint64_t reg, unsigned int bit)
{
	return (int)((reg >> bit) & 1);
}

static inline struct xiommu_op *vtdp_cmd(struct xiommu_prog *prog, const uint64_t *d)
{
	struct xiommu_op *op = xiommu_prog_add(prog, XIOMMU_OP_CMD);

	if (op) {
		op->count = VTD_QI_WORDS;
		memcpy(op->w, d, VTD_QI_WORDS * sizeof(*d));
	}
	return op;
}

/* vtd_bind.c */
int vtdp_bind(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
	      const struct xiommu_bind *bind, struct xiommu_prog *prog);
int vtdp_bind_tag(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		  const struct xiommu_bind *b, uint32_t *gtag);
int vtdp_unbind_pasid(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		      uint32_t pasid, struct xiommu_prog *prog);
int vtdp_page_response(const struct xiommu_plugin_env *env,
		       const struct xiommu_plugin_vdev *vdev,
		       const struct xiommu_page_response *resp, struct xiommu_prog *prog);

/* vtd_inv.c */
int vtdp_invalidate(const struct xiommu_plugin_env *env, const struct xiommu_plugin_viommu *viommu,
		    const struct xiommu_inv_entry *e, uint32_t n, struct xiommu_prog *prog,
		    uint32_t *bad);
int vtdp_invalidate_raw(const struct xiommu_plugin_env *env,
			const struct xiommu_plugin_viommu *viommu, const void *cmds, uint32_t n,
			struct xiommu_prog *prog, uint32_t *bad);
/* smallest AM whose aligned block holds [addr, addr + size); 64 if none */
uint32_t vtdp_am_cover(uint64_t addr, uint64_t size);

/* vtd_codec.c */
int vtdp_event_decode(const struct xiommu_plugin_env *env, uint32_t kind, const uint64_t *w,
		      uint32_t nwords, uint32_t *psid, struct xiommu_fault *out);
int vtdp_fault_encode(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		      const struct xiommu_fault *f, void *rec, uint32_t len);
uint32_t vtdp_generic_reason(uint32_t fr, uint32_t *flags);

/* vtd_decode.c */
int vtdp_decode(const char *kind, const uint64_t *w, uint32_t nwords, xiommu_field_fn fn,
		void *arg);
extern const char *const vtdp_decode_kinds[];

/* vtd_gfmt.c: guest formats (plugin ABI 1.2) */
int vtdp_guest_s1_alloc(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			struct xiommu_guest_s1 *s1);
int vtdp_guest_s1_map(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
		      const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
		      uint32_t pgshift, uint32_t perm);
int vtdp_guest_s1_unmap(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			const struct xiommu_guest_s1 *s1, uint64_t iova);
int vtdp_guest_ctx_write(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			 struct xiommu_guest_ctx *c, uint32_t pasid,
			 const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind);
int vtdp_guest_inv_encode(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_viommu *viommu,
			  const struct xiommu_inv_entry *e, void *cmds, uint32_t room, uint32_t *n);

#endif
