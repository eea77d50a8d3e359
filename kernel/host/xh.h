/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The host layer: what a host IOMMU driver owns, apart from the hardware it
 * drives (kernel/model/xm_hw.h). Per unit it allocates VMIDs / DIDs, builds
 * and tears down stage 2 (kernel/host/pgtable.h), owns the root structures
 * (stream table; root, context and PASID tables), decides which streams a
 * domain owns and what each may use (ATS, PRI, stall), makes the final check
 * of every program a plugin produced, and issues the invalidations each host
 * change needs as commands on the unit's own queue.
 *
 * Freestanding, like the models: the embedded backend of libxiommu and
 * xiommu.ko build the same sources. It knows nothing of plugins or ini
 * files; it is handed the vendor parameter struct, programs
 * (include/xiommu/program.h) and DMA requests.
 *
 * Ownership rule: a program run for a domain may touch only entries of
 * streams attached to that domain, name only its VMID / DIDs and streams,
 * and every host-owned field it writes (stage-2 pointer and format, VMID /
 * DID, ATS / stall enables beyond the stream's grants) must be the domain's
 * own; otherwise exec fails with -EPERM and nothing of the program has run.
 */
#ifndef XH_H
#define XH_H

#include "xm_hw.h"
#include <xiommu/program.h>

/*
 * What every vendor's host unit starts with: the hardware it drives, the
 * host memory it reaches it through, and the host's own counters (merged
 * into the unit's statistics by xh_unit_stats).
 */
struct xh_unit {
	const struct xm_hw_ops *hw_ops;
	void *hw;
	struct xm_host host;
	uint64_t programs, host_cmds, host_syncs;
	uint64_t refused;	/* illegal commands / descriptors refused before the queue */
};

/*
 * The ops every host unit passes straight to its hardware (unit.c); @unit
 * is a vendor unit whose first member is its struct xh_unit.
 */
uint32_t xh_unit_regs(void *unit, void *buf, uint32_t len);
int xh_unit_dma(void *unit, struct xm_dma *req);
int xh_unit_event_pop(void *unit, struct xm_event *ev);
int xh_unit_msi_pop(void *unit, uint64_t *rec);
void xh_unit_stats(void *unit, struct xm_stats *st);
void *xh_unit_hw(void *unit);
/* A message for a create() that failed: @msg into @err (NULL or 0 bytes: nothing). */
void xh_copy_err(char *err, uint32_t errlen, const char *msg);
/*
 * Send the *@nb queue entries gathered at @cmds, then *@nb = 0. They were
 * checked legal before: the unit refusing one is its fault, -EIO.
 */
int xh_unit_flush(struct xh_unit *b, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t *nb);

struct xh_unit_ops {
	const char *vendor;		/* matches the plugin's vendor name */
	uint32_t params_size;		/* vendor parameter struct */

	/* Probe a unit: the hardware is created from @params and set up. */
	int (*create)(const void *params, uint32_t size, const struct xm_host *host,
		      void **unit, char *err, uint32_t errlen);
	void (*destroy)(void *unit);
	/* Raw ID registers (layout of enum xiommu_raw_type); returns bytes. */
	uint32_t (*regs)(void *unit, void *buf, uint32_t len);

	/* A domain: a fresh VMID/DID and an empty stage 2. */
	int (*domain_alloc)(void *unit, void **dom, struct xiommu_domain_desc *desc);
	/* Every stream must be detached first. */
	void (*domain_free)(void *unit, void *dom);
	/*
	 * Extra tags (DIDs) of a domain, sharing its stage 2, for vendors whose
	 * caches are tagged by a guest-chosen value (VT-d: one host DID per
	 * guest DID). tag_free refuses (-EBUSY) a tag an entry still carries,
	 * so a tag never reaches another domain while in use, and invalidates
	 * everything cached under it. NULL when the vendor has none.
	 */
	int (*tag_alloc)(void *unit, void *dom, uint32_t *tag);
	int (*tag_free)(void *unit, void *dom, uint32_t tag);
	/*
	 * Stage 2: prot is XIOMMU_MAP_READ|WRITE. unmap invalidates every cache
	 * that may hold the range (TLBs of every tag of the domain, and the
	 * device TLBs of its ATS streams) through the queue before returning.
	 */
	int (*s2_map)(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		      uint32_t prot);
	int (*s2_unmap)(void *unit, void *dom, uint64_t gpa, uint64_t size);

	/*
	 * Grant stream @sid to @dom with @grants (XIOMMU_VDEV_*): its entry
	 * starts as abort. Detach returns it to abort and invalidates what the
	 * unit and the device cached for it.
	 */
	int (*stream_attach)(void *unit, void *dom, uint32_t sid, uint32_t grants);
	void (*stream_detach)(void *unit, void *dom, uint32_t sid);

	/*
	 * Check every op of the program against @dom's ownership and the
	 * hardware's rules, then run it. On a rejected op: -EPERM (not the
	 * domain's to do), -EINVAL (malformed or illegal), *bad = its index,
	 * nothing ran.
	 */
	int (*exec)(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n,
		    uint32_t *bad);

	/* The unit's test port, records and MSIs, passed through. */
	int (*dma)(void *unit, struct xm_dma *req);
	int (*event_pop)(void *unit, struct xm_event *ev);
	int (*msi_pop)(void *unit, uint64_t *rec);
	void (*stats)(void *unit, struct xm_stats *st);

	/* The hardware unit under @unit (tests look at its caches). */
	void *(*hw)(void *unit);
};

/* The host layer built in for @vendor, or NULL. */
const struct xh_unit_ops *xh_find(const char *vendor);

#endif /* XH_H */
