/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xiommu plugin ABI.
 *
 * A vendor plugin is a shared object named xiommu-<vendor>.so exporting one
 * symbol, XIOMMU_PLUGIN_ENTRY_SYMBOL, of type xiommu_plugin_entry_fn. The
 * core calls it with the ABI version it speaks; the plugin returns its
 * const ops table (or NULL if it cannot serve that major). The core refuses
 * a table whose abi_major differs from its own. A minor version only
 * appends: members marked (1.N) are at the end of their struct, and the
 * core reads an op of minor N only from a table with abi_minor >= N. The
 * structs the core hands a plugin grow the same way: a plugin built against
 * an older minor simply never reads their (1.N) members, and a plugin that
 * reads them refuses (returns NULL to) a core whose abi_minor is below N.
 *
 * Plugins are pure translators: no global state, no I/O, no allocation that
 * outlives a call. Every input they need arrives through the env the core
 * hands them (parameters, registers, effective capabilities, accessors for
 * guest memory and the core's vdev tables); every output is a program
 * (program.h), a generic record, or a message through env->error().
 *
 * Ops return 0 or a negative errno, and on failure call env->error() with a
 * message naming the field, its value and the limit. A failed op must not
 * have called a writing accessor.
 */
#ifndef XIOMMU_PLUGIN_H
#define XIOMMU_PLUGIN_H

#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <xiommu/xiommu.h>
#include <xiommu/program.h>

#define XIOMMU_PLUGIN_ABI_MAJOR 1
#define XIOMMU_PLUGIN_ABI_MINOR 2
#define XIOMMU_PLUGIN_ENTRY_SYMBOL "xiommu_plugin_entry"

struct xiommu_plugin_ops;
typedef const struct xiommu_plugin_ops *(*xiommu_plugin_entry_fn)(uint32_t abi_major,
								   uint32_t abi_minor);

/* ---- ini parameters ---------------------------------------------------- */

enum xiommu_param_kind {
	XIOMMU_PARAM_UINT = 1,	/* decimal or 0x hex, min..max */
	XIOMMU_PARAM_BOOL = 2,	/* yes/no, true/false, on/off, 1/0 */
	XIOMMU_PARAM_ENUM = 3,	/* one of names[]; stores values[i] (or i) */
	XIOMMU_PARAM_SET = 4,	/* comma list of names[]; stores a bit mask, bit i per names[i] */
};

/*
 * One vendor key of a [unit] section. Every parameter is a uint32_t at
 * @offset in the vendor's parameter struct (params_size bytes). Tables end
 * with an entry whose name is NULL.
 */
struct xiommu_param {
	const char *name;
	const char *help;	/* one line: what it sets, which register field */
	uint32_t kind;		/* enum xiommu_param_kind */
	uint32_t offset;
	uint32_t min, max;	/* UINT: inclusive range; SET: mask of allowed bits */
	uint32_t def;		/* value when the key is absent */
	const char *const *names;	/* ENUM / SET: NULL-terminated */
	const uint32_t *values;		/* ENUM: value for names[i]; NULL = i */
};

/* ---- what the core tells a plugin -------------------------------------- */

/* A viommu as a plugin sees it. */
struct xiommu_plugin_viommu {
	uint32_t id;
	uint32_t unit;
	struct xiommu_domain_desc dom;	/* host-owned: stage 2, tag, doorbell */
	uint32_t ntags;			/* (1.1) guest tags mapped (env->tag_foreach) */
	uint32_t __reserved;
};

/* A vdev as a plugin sees it. */
struct xiommu_plugin_vdev {
	uint32_t id;
	uint32_t psid;
	uint64_t vsid;
	uint32_t pasid_bits;
	uint32_t config;		/* current enum xiommu_config */
	const struct xiommu_bind *bind;	/* current whole-device bind (TRANSLATE) or NULL */
	uint64_t entry[8];		/* the device's root entry as last written (vendor words) */
	const struct xiommu_plugin_viommu *viommu;
	/* (1.1) the whole-device bind's guest tag (ops->bind_tag), when tagged */
	uint32_t tagged;
	uint32_t gtag;
	/* (1.2) XIOMMU_VDEV_* the host granted at attach (ATS, PRI, STALL) */
	uint32_t grants;
	uint32_t __reserved;
};

/* One bound PASID of a vdev (per-PASID vendors). */
struct xiommu_pasid_binding {
	uint32_t pasid;
	uint32_t format;	/* enum xiommu_s1_format */
	uint64_t table_gpa;
	uint64_t s1_flags;	/* struct xiommu_s1_vtd.flags, or vendor copy */
	uint8_t addr_width;
	uint8_t tagged;		/* (1.1) @gtag is valid: see ops->bind_tag */
	uint8_t __reserved[2];
	uint32_t gtag;		/* (1.1) the guest tag the binding's translations carry */
};

typedef int (*xiommu_pasid_fn)(void *arg, const struct xiommu_pasid_binding *b);
/* One guest tag of a viommu and the host tag it is mapped to. */
typedef int (*xiommu_tag_fn)(void *arg, uint32_t gtag, uint32_t htag);

struct xiommu_plugin_env {
	void *core;			/* opaque: pass back to the accessors */
	const void *params;		/* vendor parameter struct, from the ini */
	const void *regs;		/* raw registers as the backend reports them */
	uint32_t regs_len;
	uint32_t unit;
	/* effective capabilities after the ini masks (NULL inside hw_info) */
	const struct xiommu_hw_info *caps;

	/* Record the failure message of this call (printf format). */
	void (*error)(void *core, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	/* Guest memory of a viommu, through its stage 2: 0 or -EFAULT. */
	int (*read_gpa)(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len);
	int (*write_gpa)(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf,
			 uint32_t len);
	/* The viommu's vdev the guest calls @vsid, or NULL. */
	const struct xiommu_plugin_vdev *(*vdev_by_vsid)(void *core, uint32_t viommu_id,
							 uint64_t vsid);
	/* The vdev attached with @psid on this unit, or NULL. */
	const struct xiommu_plugin_vdev *(*vdev_by_psid)(void *core, uint32_t psid);
	/* Bound PASIDs of a vdev: one lookup, or a walk in no set order. */
	const struct xiommu_pasid_binding *(*pasid_lookup)(void *core, uint32_t vdev_id,
							   uint32_t pasid);
	int (*pasid_foreach)(void *core, uint32_t vdev_id, xiommu_pasid_fn fn, void *arg);
	/* The vdev with id @vdev_id if it belongs to @viommu_id, or NULL. */
	const struct xiommu_plugin_vdev *(*vdev_by_id)(void *core, uint32_t viommu_id,
						       uint32_t vdev_id);
	/*
	 * (1.1) Guest tags (ops->bind_tag) in use on a viommu: the host tag of
	 * @gtag (0, or -ENOENT when no binding uses it), and a walk over them
	 * in ascending guest-tag order. The viommu's own tag (dom.tag) is not
	 * among them.
	 */
	int (*tag_lookup)(void *core, uint32_t viommu_id, uint32_t gtag, uint32_t *htag);
	int (*tag_foreach)(void *core, uint32_t viommu_id, xiommu_tag_fn fn, void *arg);
	/*
	 * (1.2) Is [gpa, gpa+len) of @viommu_id's stage 2 mapped onto VMM
	 * memory with every XIOMMU_MAP_* of @prot? 0 or -EFAULT; touches
	 * nothing. For a program's XIOMMU_OP_GUEST_WRITE, so a refusal names
	 * the guest's entry before the host layer's final check would.
	 */
	int (*gpa_check)(void *core, uint32_t viommu_id, uint64_t gpa, uint32_t len,
			 uint32_t prot);
};

/* ---- programs ----------------------------------------------------------- */

/* The core sizes @ops; a plugin that runs out returns -ENOSPC and is retried larger. */
struct xiommu_prog {
	struct xiommu_op *ops;
	uint32_t n;
	uint32_t cap;
	uint32_t widened;	/* invalidations made coarser than asked */
	uint32_t __reserved;
};

static inline struct xiommu_op *xiommu_prog_add(struct xiommu_prog *p, uint16_t code)
{
	struct xiommu_op *op;

	if (p->n >= p->cap)
		return NULL;
	op = &p->ops[p->n++];
	memset(op, 0, sizeof(*op));
	op->code = code;
	op->index = XIOMMU_OP_INDEX_NONE;
	return op;
}

/* ---- the ops table ------------------------------------------------------ */

struct xiommu_plugin_ops {
	uint32_t abi_major;		/* XIOMMU_PLUGIN_ABI_MAJOR the plugin was built with */
	uint32_t abi_minor;
	const char *vendor;		/* ini "vendor =" value, file xiommu-<vendor>.so */
	uint32_t vendor_id;		/* enum xiommu_vendor */
	uint32_t raw_type;		/* enum xiommu_raw_type of hw_info raw registers */
	uint32_t params_size;		/* bytes of the vendor parameter struct */
	uint32_t inv_raw_type;		/* enum xiommu_inv_type accepted raw */
	uint32_t cmd_len;		/* bytes of one raw guest command */
	uint32_t fault_len;		/* bytes of one guest-format fault record */
	const struct xiommu_param *params;

	/* -- probe -- */
	/* Cross-parameter checks after every key was parsed. May be NULL. */
	int (*check_params)(const struct xiommu_plugin_env *env);
	/*
	 * Generic capabilities from env->regs, limited by @limit (features
	 * allowed, and the largest pasid_bits / s1_ias / s1_oas / s2_ias the ini
	 * permits), and the raw registers filtered the same way into @raw
	 * (at most *raw_len bytes; *raw_len set to the full size).
	 */
	int (*hw_info)(const struct xiommu_plugin_env *env, const struct xiommu_hw_info *limit,
		       struct xiommu_hw_info *out, void *raw, uint32_t *raw_len);

	/* -- host programming -- */
	/*
	 * Whole device (no XIOMMU_BIND_PASID) or one PASID. The program moves
	 * the entry from vdev->entry (old) to the new config hitlessly and
	 * ends with the invalidations and sync the change needs.
	 */
	int (*bind)(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		    const struct xiommu_bind *bind, struct xiommu_prog *prog);
	/* One PASID (XIOMMU_BIND_PASID); whole-device unbind is a bind. May be NULL. */
	int (*unbind_pasid)(const struct xiommu_plugin_env *env,
			    const struct xiommu_plugin_vdev *vdev, uint32_t pasid,
			    struct xiommu_prog *prog);
	/* Generic entries -> commands, ending with one sync. *bad = rejected index. */
	int (*invalidate)(const struct xiommu_plugin_env *env,
			  const struct xiommu_plugin_viommu *viommu,
			  const struct xiommu_inv_entry *entries, uint32_t n,
			  struct xiommu_prog *prog, uint32_t *bad);
	/* Raw guest commands (cmd_len bytes each) -> host commands. */
	int (*invalidate_raw)(const struct xiommu_plugin_env *env,
			      const struct xiommu_plugin_viommu *viommu, const void *cmds,
			      uint32_t n, struct xiommu_prog *prog, uint32_t *bad);
	/* NULL when the vendor needs no MSI nesting. */
	int (*msi_bind)(const struct xiommu_plugin_env *env,
			const struct xiommu_plugin_viommu *viommu,
			const struct xiommu_msi_bind *msi, struct xiommu_prog *prog);
	int (*page_response)(const struct xiommu_plugin_env *env,
			     const struct xiommu_plugin_vdev *vdev,
			     const struct xiommu_page_response *resp, struct xiommu_prog *prog);

	/* -- codec -- */
	/*
	 * A backend event (@kind and @w as the model reports them) -> generic
	 * fault; *psid names the device so the core can find its viommu.
	 */
	int (*event_decode)(const struct xiommu_plugin_env *env, uint32_t kind, const uint64_t *w,
			    uint32_t nwords, uint32_t *psid, struct xiommu_fault *out);
	/* Generic fault -> guest-format record naming the vdev's vsid. */
	int (*fault_encode)(const struct xiommu_plugin_env *env,
			    const struct xiommu_plugin_vdev *vdev, const struct xiommu_fault *f,
			    void *rec, uint32_t len);
	/* Name every field of @w as @kind (one of decode_kinds). */
	int (*decode)(const char *kind, const uint64_t *w, uint32_t nwords, xiommu_field_fn fn,
		      void *arg);
	const char *const *decode_kinds;	/* NULL-terminated */

	/* -- ABI 1.1: read only when abi_minor >= 1 -- */
	/*
	 * (1.1) Which tag the translations of @bind will carry. Vendors whose
	 * caches are tagged by a value the guest picks outside guest memory
	 * (VT-d: the DID of the guest's PASID entry) return 1 and set *gtag;
	 * the core maps each guest tag of a viommu to a host tag of its own
	 * (backend tag_alloc), which bind then finds with env->tag_lookup, and
	 * frees it when the last binding using it goes. Return 0 when the
	 * bind uses the viommu's own tag, or a negative errno. May be NULL.
	 */
	int (*bind_tag)(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
			const struct xiommu_bind *bind, uint32_t *gtag);

	/* -- ABI 1.2: read only when abi_minor >= 2 -- */
	/*
	 * (1.2) Guest formats: what a guest driver of this vendor writes, for
	 * the conformance suite and tools (xiommu_guest_*() in diag.h says
	 * what each does). Memory through env->read_gpa / env->write_gpa of
	 * g->viommu_id; new tables from g's pool (xiommu_guest_pool_alloc()).
	 * All NULL, or all set.
	 */
	int (*guest_s1_alloc)(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			      struct xiommu_guest_s1 *s1);
	int (*guest_s1_map)(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			    const struct xiommu_guest_s1 *s1, uint64_t iova, uint64_t gpa,
			    uint32_t pgshift, uint32_t perm);
	int (*guest_s1_unmap)(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			      const struct xiommu_guest_s1 *s1, uint64_t iova);
	int (*guest_ctx_write)(const struct xiommu_plugin_env *env, struct xiommu_guest *g,
			       struct xiommu_guest_ctx *c, uint32_t pasid,
			       const struct xiommu_guest_s1 *s1, struct xiommu_bind *bind);
	/* One generic entry -> raw guest commands (cmd_len bytes each); *n = commands. */
	int (*guest_inv_encode)(const struct xiommu_plugin_env *env,
				const struct xiommu_plugin_viommu *viommu,
				const struct xiommu_inv_entry *e, void *cmds, uint32_t room,
				uint32_t *n);
};

/*
 * (1.2) A zeroed, naturally aligned block of @size bytes (a power of two,
 * >= 4 KiB) from a guest-format pool; 0 when the pool is used up or the
 * memory is not writable.
 */
static inline uint64_t xiommu_guest_pool_alloc(const struct xiommu_plugin_env *env,
					       struct xiommu_guest *g, uint64_t size)
{
	static const uint8_t zero[512];
	uint64_t at = (g->pool_next + size - 1) & ~(size - 1), o;

	if (at < g->pool_next || at > g->pool_end || size > g->pool_end - at)
		return 0;
	for (o = 0; o < size; o += sizeof(zero))
		if (env->write_gpa(env->core, g->viommu_id, at + o, zero, sizeof(zero)))
			return 0;
	g->pool_next = at + size;
	return at;
}

/*
 * (1.2) A guest's memory as the vendors' guest-table writers take it: an
 * @arg for read / write callbacks that reach @g's viommu through @env.
 */
struct xiommu_guest_mem {
	const struct xiommu_plugin_env *env;
	struct xiommu_guest *g;
};

static inline int xiommu_guest_mem_read(void *arg, uint64_t gpa, void *buf, uint32_t len)
{
	struct xiommu_guest_mem *m = (struct xiommu_guest_mem *)arg;

	return m->env->read_gpa(m->env->core, m->g->viommu_id, gpa, buf, len) ? -EFAULT : 0;
}

static inline int xiommu_guest_mem_write(void *arg, uint64_t gpa, const void *buf,
					 uint32_t len)
{
	struct xiommu_guest_mem *m = (struct xiommu_guest_mem *)arg;

	return m->env->write_gpa(m->env->core, m->g->viommu_id, gpa, buf, len) ? -EFAULT : 0;
}

#endif /* XIOMMU_PLUGIN_H */
