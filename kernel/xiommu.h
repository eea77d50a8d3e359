/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xiommu.ko internals: one struct xmk_ctx per open /dev/xiommu, holding
 * the file's objects (units, domains, pinned memory) by id and the host
 * address space its units' tables and its pinned pages live in.
 *
 * Locking: every ioctl of a file runs under ctx->lock, so a unit (a model
 * instance, never shared between files) sees one caller at a time. The
 * stream ownership table and the counters are global; an event queue has
 * its own spinlock because its fd outlives the unit.
 */
#ifndef XMK_XIOMMU_H
#define XMK_XIOMMU_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <xiommu/uapi.h>
#include <xiommu/xiommu.h>
#include "xh.h"

enum xmk_kind {
	XMK_UNIT = 1,
	XMK_DOMAIN,
	XMK_MEM,
};

struct xmk_obj {
	enum xmk_kind kind;
	u32 id;
};

struct xmk_ctx {
	struct mutex lock;
	struct xarray objs;		/* id -> struct xmk_obj */
	struct maple_tree space;	/* host address -> struct xmk_region */
	u64 pa_next;			/* bump pointer of the host address space */
	u32 nunits;
	u32 ngrants;
	struct { u32 first, count; } grants[XIOMMU_GRANTS_MAX];
};

/* A range of the host address space: model tables or pinned user pages. */
struct xmk_region {
	u64 pa, size;
	void *kva;			/* tables: kernel memory */
	struct page **pages;		/* pinned user memory */
	unsigned long npages;
	struct mm_struct *mm;		/* charged for the pin (RLIMIT_MEMLOCK) */
	struct xmk_mem *mem;		/* owner of pinned memory */
};

struct xmk_mem {
	struct xmk_obj obj;
	struct xmk_region *r;
	u32 map_count;
};

#define XMK_EVQ_LEN 1024u

/* A unit's records on their way to its event fds. */
struct xmk_evq {
	struct kref ref;
	spinlock_t lock;
	wait_queue_head_t wq;
	u32 head, n;
	bool dead;			/* unit gone: read() returns 0 once empty */
	u64 lost;
	struct xiommu_event_rec rec[XMK_EVQ_LEN];
};

struct xmk_unit {
	struct xmk_obj obj;
	struct xmk_ctx *ctx;
	const struct xh_unit_ops *ops;
	void *mu;
	struct xm_host host;
	struct list_head domains;
	struct xmk_evq *evq;
};

struct xmk_map {
	struct list_head node;
	u64 gpa, size;
	struct xmk_mem *mem;		/* NULL: the MSI doorbell */
};

struct xmk_stream {
	struct list_head node;
	u32 sid;
	struct xmk_ctx *ctx;
};

struct xmk_domain {
	struct xmk_obj obj;
	struct xmk_unit *unit;
	struct list_head node;		/* in unit->domains */
	void *md;
	struct xiommu_domain_desc desc;
	struct list_head maps;
	struct list_head streams;
};

/* Counted allocation (module counters, fail_nth injection). */
void *xmk_zalloc(size_t size);
void xmk_free(const void *p);
bool xmk_fail_now(void);
void xmk_pinned_add(long n);
bool xmk_sid_granted(struct xmk_ctx *ctx, u32 sid);

struct xmk_obj *xmk_obj_get(struct xmk_ctx *ctx, u32 id, enum xmk_kind kind);
int xmk_obj_add(struct xmk_ctx *ctx, struct xmk_obj *obj, enum xmk_kind kind);
void xmk_obj_del(struct xmk_ctx *ctx, struct xmk_obj *obj);

/* xiommu_mem.c */
void xmk_space_init(struct xmk_ctx *ctx);
void xmk_space_fini(struct xmk_ctx *ctx);
u64 xmk_space_reserve(struct xmk_ctx *ctx, u64 size);
void *xmk_host_map(void *priv, uint64_t pa, uint32_t len);
int xmk_host_alloc(void *priv, uint64_t size, uint64_t *pa);
void xmk_host_free(void *priv, uint64_t pa, uint64_t size);
int xmk_mem_register(struct xmk_ctx *ctx, void *msg);
int xmk_mem_destroy(struct xmk_ctx *ctx, struct xmk_mem *m);
int xmk_s2_map(struct xmk_ctx *ctx, void *msg);
int xmk_s2_unmap(struct xmk_ctx *ctx, void *msg);
void xmk_map_drop(struct xmk_domain *d, struct xmk_map *m);

/* xiommu_unit.c */
int xmk_unit_create(struct xmk_ctx *ctx, void *msg);
void xmk_unit_destroy(struct xmk_ctx *ctx, struct xmk_unit *u);
int xmk_unit_regs(struct xmk_ctx *ctx, void *msg);
int xmk_dma(struct xmk_ctx *ctx, void *msg);
int xmk_event_fd(struct xmk_ctx *ctx, void *msg);
int xmk_msi_pop(struct xmk_ctx *ctx, void *msg);
int xmk_stats(struct xmk_ctx *ctx, void *msg);
void xmk_events_pump(struct xmk_unit *u);

/* xiommu_domain.c */
int xmk_domain_alloc(struct xmk_ctx *ctx, void *msg);
void xmk_domain_destroy(struct xmk_ctx *ctx, struct xmk_domain *d);
int xmk_tag_alloc(struct xmk_ctx *ctx, void *msg);
int xmk_tag_free(struct xmk_ctx *ctx, void *msg);
int xmk_stream_attach(struct xmk_ctx *ctx, void *msg);
int xmk_stream_detach(struct xmk_ctx *ctx, void *msg);
int xmk_exec(struct xmk_ctx *ctx, void *msg);

#endif /* XMK_XIOMMU_H */
