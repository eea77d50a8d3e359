/* SPDX-License-Identifier: MIT */
/*
 * libxiommu internals: the objects behind the public ids and the helpers
 * every file of core/ shares. Nothing here is exported.
 *
 * Ownership: the context owns units, regions, viommus and vdevs through its
 * id table; a viommu owns its mappings, MSI bindings and fault queue; a vdev
 * owns its PASID table. A unit owns its plugin handle and backend unit.
 * Every public entry point takes ctx->lock for its whole duration.
 */
#ifndef XC_INTERNAL_H
#define XC_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <xiommu/xiommu.h>
#include <xiommu/plugin.h>
#include "backend.h"
#include "pasid.h"
#include "faultq.h"

#define XC_NAME_MAX	32
#define XC_PAGE_SIZE	4096ull
#define XC_MAX_BACKENDS	4

/* Capability limits from the ini's advertise_* keys. */
struct xc_limits {
	uint64_t features;	/* allowed XIOMMU_HW_* */
	uint8_t pasid_bits, s1_ias, s1_oas, s2_ias;
};

/* A vendor key of a [unit] section, kept until the plugin can check it. */
struct xc_kv {
	char *key, *value;
	int line;
};

struct xc_unit {
	uint32_t index;
	char name[XC_NAME_MAX];
	char vendor[16];
	char backend_name[16];
	int line;			/* ini line of the section */
	struct xc_limits limits;
	bool seen_vendor, seen_backend;
	struct xc_kv *kv;		/* vendor keys, freed after setup */
	uint32_t nkv;
	uint64_t generic_seen;		/* generic keys given (duplicate check) */
	void *dl;			/* dlopen handle */
	const struct xiommu_plugin_ops *ops;
	void *params;			/* vendor parameter struct */
	const struct xc_backend_ops *be;
	uint32_t be_index;		/* in ctx->backends */
	void *bu;			/* backend unit */
	uint8_t regs[64];		/* raw registers, unfiltered */
	uint32_t regs_len;
	struct xiommu_hw_info caps;	/* effective, after limits */
	uint8_t raw[64];		/* raw registers, filtered */
	uint32_t raw_len;
	uint64_t widened, programs_failed, faults_unowned;
	struct xiommu_op *spare_ops;	/* xc_prog_reserve(): the next program's room */
	uint32_t spare_cap;
	struct xiommu_plugin_env env;	/* handed to every plugin call */
	struct xc_call {
		struct xiommu_ctx *ctx;
		struct xc_unit *u;
	} call;				/* env.core points here */
};

struct xc_region {
	uint32_t id;
	uint8_t *addr;
	uint64_t size;
	uint64_t hpa[XC_MAX_BACKENDS];	/* host PA each backend gave it */
	uint32_t map_count;
};

struct xc_mapping {
	uint64_t gpa, size, offset;
	uint32_t prot;
	struct xc_region *region;
};

struct xc_msi {
	uint64_t giova, gdb, size;
};

/* One guest tag of a viommu (tag.c). */
struct xc_tag {
	uint32_t gtag, htag;
	uint32_t refs;			/* bindings using it */
};

struct xc_tagmap {
	struct xc_tag *t;		/* sorted by gtag */
	uint32_t n, cap;
};

struct xc_viommu {
	uint32_t id;
	struct xc_unit *unit;
	void *dom;			/* backend domain */
	struct xiommu_plugin_viommu pv;	/* what plugins see */
	struct xc_mapping *maps;	/* sorted by gpa, non-overlapping */
	uint32_t nmaps, maps_cap;
	struct xc_msi *msis;
	uint32_t nmsis, msis_cap;
	uint32_t nvdevs;
	struct xc_faultq fq;
	struct xc_tagmap tags;		/* guest tag -> host tag */
};

struct xc_vdev {
	uint32_t id;
	struct xc_viommu *viommu;
	struct xiommu_plugin_vdev pv;	/* what plugins see */
	struct xiommu_bind bind;	/* current whole-device bind */
	struct xc_pasid_table pasids;	/* per-PASID bindings */
};

enum xc_obj_type { XC_OBJ_NONE, XC_OBJ_REGION, XC_OBJ_VIOMMU, XC_OBJ_VDEV };

struct xc_obj {
	uint32_t type;
	void *ptr;
};

struct xiommu_ctx {
	pthread_mutex_t lock;
	char name[256];			/* config file name for messages */
	char plugin_dir[4096];
	struct xc_unit *units;
	uint32_t nunits;
	struct xc_obj *objs;		/* index = id - 1; ids never reused */
	uint32_t nobjs, objs_cap;
	struct {
		const struct xc_backend_ops *ops;
		void *bctx;
	} backends[XC_MAX_BACKENDS];	/* the backends the units use */
	uint32_t nbackends;
};

/* ---- errors (error.c) ---- */
int xc_err(const struct xiommu_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Put the formatted text before the message already set (a plugin's words)
 * and tag it with @ctx; never pass xc_err_msg() to xc_err() for that: the
 * buffer would be formatted into itself.
 */
int xc_err_prefix(const struct xiommu_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xc_err_clear(const struct xiommu_ctx *ctx);
void xc_err_vset(const struct xiommu_ctx *ctx, const char *fmt, va_list ap);
const char *xc_err_msg(void);

/* ---- messages (msg.c) ---- */
#define XC_MSG_MAX 256u
typedef int (*xc_msg_fn)(struct xiommu_ctx *ctx, void *msg);
typedef int (*xc_id_fn)(struct xiommu_ctx *ctx, uint32_t id);
/*
 * One public call: lock the context, copy the message in (argsz rules),
 * run @fn on the copy, and on success copy it back out and clear the error.
 */
int xc_call(struct xiommu_ctx *ctx, const char *what, void *user, size_t size, xc_msg_fn fn);
/* Same for a message that grew: @minsz is its first published size. */
int xc_call_v(struct xiommu_ctx *ctx, const char *what, void *user, size_t minsz, size_t size,
	      xc_msg_fn fn);
/* Same for calls that take one id and no message. */
int xc_call_id(struct xiommu_ctx *ctx, const char *what, uint32_t id, xc_id_fn fn);
int xc_msg_in(struct xiommu_ctx *ctx, const char *what, const void *user, size_t size,
	      void *local);
void xc_msg_out(const void *local, void *user, size_t size);

/* ---- objects (objects.c) ---- */
/* Room for one more object; *next_id is the id the next xc_obj_add gives, and that add cannot fail. */
int xc_obj_reserve(struct xiommu_ctx *ctx, uint32_t *next_id);
int xc_obj_add(struct xiommu_ctx *ctx, uint32_t type, void *ptr, uint32_t *id);
void *xc_obj_get(struct xiommu_ctx *ctx, uint32_t type, uint32_t id);
void xc_obj_del(struct xiommu_ctx *ctx, uint32_t id);
struct xc_viommu *xc_viommu_get(struct xiommu_ctx *ctx, const char *what, uint32_t id);
struct xc_vdev *xc_vdev_get(struct xiommu_ctx *ctx, const char *what, uint32_t id);
struct xc_unit *xc_unit_get(struct xiommu_ctx *ctx, const char *what, uint32_t index);
struct xc_vdev *xc_vdev_by_psid(struct xiommu_ctx *ctx, struct xc_unit *u, uint32_t psid);

/* ---- config, loader, units ---- */
/* The keys every [unit] section takes, NULL-terminated (config.c). */
extern const char *const xc_unit_keys[];
int xc_parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out);
int xc_parse_bool(const char *v, uint32_t *out);
int xc_config_parse(struct xiommu_ctx *ctx, const char *text, size_t len);
int xc_plugin_find(const char *plugin_dir, const char *vendor, char *path, size_t len,
		   char *tried, size_t tried_len);
int xc_plugin_load(struct xiommu_ctx *ctx, struct xc_unit *u);
void xc_plugin_unload(struct xc_unit *u);
int xc_unit_setup(struct xiommu_ctx *ctx, struct xc_unit *u);
void xc_unit_teardown(struct xiommu_ctx *ctx, struct xc_unit *u);

/* ---- plugin calls and programs (program.c) ---- */
/* The unit's env, bound to @ctx for one call. */
const struct xiommu_plugin_env *xc_env(struct xiommu_ctx *ctx, struct xc_unit *u);
typedef int (*xc_build_fn)(struct xiommu_ctx *ctx, struct xc_unit *u, void *arg,
			   struct xiommu_prog *prog, uint32_t *bad);
/*
 * Build a program with @build (grown on -ENOSPC) and run it on the unit's
 * backend for @dom. *bad gets the rejected entry/op index on failure.
 */
int xc_prog_run(struct xiommu_ctx *ctx, struct xc_unit *u, void *dom, uint32_t hint,
		xc_build_fn build, void *arg, uint32_t *bad, struct xiommu_prog *out_copy);
void xc_prog_free(struct xiommu_prog *p);
/*
 * Room for the unit's next program of up to @n ops, taken now: a call that
 * must not fail for memory once it touched the hardware reserves first.
 */
int xc_prog_reserve(struct xiommu_ctx *ctx, struct xc_unit *u, uint32_t n);
/* Drain the unit's backend events into viommu fault queues. */
void xc_events_pump(struct xiommu_ctx *ctx, struct xc_unit *u);

/* ---- stage 2 (s2.c) ---- */
/* Host pointer for [gpa, gpa+len) of a viommu, or NULL if not mapped with @prot. */
void *xc_gpa_ptr(struct xc_viommu *v, uint64_t gpa, uint64_t len, uint32_t prot);
bool xc_s2_overlaps(const struct xc_viommu *v, uint64_t gpa, uint64_t size);
void xc_viommu_release_maps(struct xc_viommu *v);

/* ---- binding (bind.c) ---- */
/* Check and apply a whole-device or PASID bind; the message is already copied in. */
int xc_bind(struct xiommu_ctx *ctx, struct xc_vdev *d, const struct xiommu_bind *in);

/* ---- guest tags (tag.c) ---- */
const struct xc_tag *xc_tag_find(const struct xc_viommu *v, uint32_t gtag);
/* Map @gtag (allocating a host tag, unreferenced, if new); *htag = host tag. */
int xc_tag_acquire(struct xiommu_ctx *ctx, struct xc_viommu *v, uint32_t gtag, uint32_t *htag);
void xc_tag_ref(struct xc_viommu *v, uint32_t gtag);
/* Drop one reference; the host tag is freed with the last. */
void xc_tag_put(struct xc_viommu *v, uint32_t gtag);
/* Undo xc_tag_acquire of a tag nobody took a reference on. */
void xc_tag_drop_unused(struct xc_viommu *v, uint32_t gtag);
void xc_tags_fini(struct xc_viommu *v);
int xc_env_tag_lookup(void *core, uint32_t viommu_id, uint32_t gtag, uint32_t *htag);
int xc_env_tag_foreach(void *core, uint32_t viommu_id, xiommu_tag_fn fn, void *arg);

/* ---- teardown helpers ---- */
void xc_vdev_destroy(struct xiommu_ctx *ctx, struct xc_vdev *d);
void xc_viommu_destroy(struct xiommu_ctx *ctx, struct xc_viommu *v);

/* ---- helpers ---- */
static inline bool xc_add_overflows(uint64_t a, uint64_t b)
{
	return a + b < a;
}

static inline bool xc_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

/* Smallest stage-2 page of the unit (map alignment). */
static inline uint64_t xc_s2_page(const struct xc_unit *u)
{
	uint64_t p = u->caps.s2_pgsizes;

	return p ? (p & -p) : XC_PAGE_SIZE;
}

#endif /* XC_INTERNAL_H */
