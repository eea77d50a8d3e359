/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The interface every software IOMMU model implements, driven by the
 * embedded backend in libxiommu and by xiommu.ko alike.
 *
 * A model instance is one physical unit. Its host-owned structures (stream
 * table / root and context tables, PASID directories, stage-2 tables, queues)
 * live in host memory obtained from struct xm_host; guest structures are
 * reached only through stage 2. The model knows nothing of plugins, ini
 * files or ioctls: it is handed a parameter struct (include/xiommu/arch/),
 * programs (include/xiommu/program.h) and DMA requests.
 *
 * Ownership rule enforced here, not only in the core: a program run for a
 * domain may touch only entries of streams attached to that domain, and
 * every host-owned field it writes (stage-2 pointer and format, VMID/DID,
 * ...) must equal the domain's own; otherwise exec fails with -EPERM and
 * nothing of the program has run.
 */
#ifndef XM_MODEL_H
#define XM_MODEL_H

#include "xm_env.h"
#include <xiommu/program.h>

/* Host memory and services the embedder provides. */
struct xm_host {
	void *priv;
	/*
	 * Pointer to [pa, pa+len) of host RAM, or NULL when that range is not
	 * RAM (a walk then takes an external abort). @len never crosses a
	 * 4 KiB boundary.
	 */
	void *(*map)(void *priv, uint64_t pa, uint32_t len);
	/* Zeroed host RAM of @size bytes aligned to @size (a power of two >= 4096). */
	int (*alloc)(void *priv, uint64_t size, uint64_t *pa);
	void (*free)(void *priv, uint64_t pa, uint64_t size);
	/* PA of the unit's MSI doorbell page (not RAM; the model decodes writes to it). */
	uint64_t msi_db;
};

/* A DMA request through the test port (mirrors struct xiommu_dma). */
struct xm_dma {
	uint32_t op;		/* enum xiommu_dma_op */
	uint32_t flags;		/* XIOMMU_DMA_F_* */
	uint32_t sid;
	uint32_t pasid;
	uint64_t iova;
	uint64_t len;
	void *buf;
	uint32_t data;
	/* out */
	uint32_t status;	/* enum xiommu_dma_status */
	uint64_t pa;
	uint32_t perm;
	uint32_t done;
	/* stall / page request: tag the response must name */
	uint32_t stag;
	uint32_t __reserved;
};

/* One record the unit produced (event, fault record, page request). */
struct xm_event {
	uint32_t kind;		/* vendor-defined: which queue / register it came from */
	uint32_t nwords;
	uint64_t w[4];
};

/* Observable counters; models add to them, never reset them. */
struct xm_stats {
	uint64_t programs, commands, syncs;
	uint64_t tlb_hits, tlb_misses, cfg_hits, cfg_misses, table_reads;
	uint64_t events, events_lost;
	uint64_t queue_errors;	/* illegal commands / descriptors (CERROR, IQE) */
};

struct xm_model_ops {
	const char *vendor;		/* matches the plugin's vendor name */
	uint32_t params_size;		/* vendor parameter struct */

	/*
	 * Build a unit from parameters (validated again here: the kernel gets
	 * them from user space). On failure writes a message to @err.
	 */
	int (*create)(const void *params, uint32_t size, const struct xm_host *host,
		      void **unit, char *err, uint32_t errlen);
	void (*destroy)(void *unit);
	/* Raw ID registers (layout of enum xiommu_raw_type); returns bytes. */
	uint32_t (*regs)(void *unit, void *buf, uint32_t len);

	/* A domain: a fresh VMID/DID and an empty stage 2. */
	int (*domain_alloc)(void *unit, void **dom, struct xiommu_domain_desc *desc);
	void (*domain_free)(void *unit, void *dom);
	/*
	 * Extra tags (DIDs) of a domain, sharing its stage 2, for vendors whose
	 * caches are tagged by a guest-chosen value (VT-d: one host DID per
	 * guest DID). tag_free refuses (-EBUSY) a tag an entry still carries,
	 * so a tag never reaches another domain while in use, and invalidates
	 * everything cached under it. domain_free frees the tags left. NULL
	 * when the vendor has none.
	 */
	int (*tag_alloc)(void *unit, void *dom, uint32_t *tag);
	int (*tag_free)(void *unit, void *dom, uint32_t tag);
	/* Stage 2: prot is XIOMMU_MAP_READ|WRITE; unmap also invalidates the TLBs. */
	int (*s2_map)(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		      uint32_t prot);
	int (*s2_unmap)(void *unit, void *dom, uint64_t gpa, uint64_t size);

	/*
	 * Grant stream @sid to @dom (entry starts as abort), or take it back
	 * (entry back to abort, caches invalidated).
	 */
	int (*stream_attach)(void *unit, void *dom, uint32_t sid, uint32_t grants);
	void (*stream_detach)(void *unit, void *dom, uint32_t sid);

	/*
	 * Check every op of the program against @dom's ownership, then run it.
	 * On a rejected op: -EPERM/-EINVAL, *bad = its index, nothing ran.
	 */
	int (*exec)(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n,
		    uint32_t *bad);

	/*
	 * One access; 0 unless the request itself is malformed. Records
	 * (event_pop) are queued only for an access that does not complete
	 * (status other than XIOMMU_DMA_OK): the core pumps events after the
	 * others only.
	 */
	int (*dma)(void *unit, struct xm_dma *req);

	/* Oldest pending record: 0, or -ENOENT when none. */
	int (*event_pop)(void *unit, struct xm_event *ev);
	/* Oldest MSI that reached the doorbell: (offset << 32) | data; -ENOENT when none. */
	int (*msi_pop)(void *unit, uint64_t *rec);

	void (*stats)(void *unit, struct xm_stats *st);
};

#endif /* XM_MODEL_H */
