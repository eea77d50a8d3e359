/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xiommu public API, version 1: what lets a VMM, a test or a benchmark see
 * what the IOMMU does — the DMA test port (issue an access as a device
 * would), the MSI doorbell log, unit statistics, and decoding of raw
 * vendor words. Included by xiommu.h; the conventions there apply.
 */
#ifndef XIOMMU_DIAG_H
#define XIOMMU_DIAG_H

#include <xiommu/xiommu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- DMA test port ----------------------------------------------------- */

enum xiommu_dma_op {
	XIOMMU_DMA_TRANSLATE = 1,	/* translate @iova, no data moved */
	XIOMMU_DMA_READ = 2,		/* device reads @len bytes into @buf_ptr */
	XIOMMU_DMA_WRITE = 3,		/* device writes @len bytes from @buf_ptr */
	XIOMMU_DMA_MSI = 4,		/* device writes 32-bit @data to @iova */
};

#define XIOMMU_DMA_F_PASID	(1u << 0)	/* the access carries @pasid */
#define XIOMMU_DMA_F_PRIV	(1u << 1)	/* privileged access */
#define XIOMMU_DMA_F_EXEC	(1u << 2)	/* instruction fetch */
#define XIOMMU_DMA_F_WRITE	(1u << 3)	/* TRANSLATE: as a write */

enum xiommu_dma_status {
	XIOMMU_DMA_OK = 0,
	XIOMMU_DMA_FAULT = 1,	/* aborted; a fault record may be queued */
	XIOMMU_DMA_STALLED = 2,	/* waits for a page response */
	XIOMMU_DMA_ABORT = 3,	/* aborted silently (ABORT config) */
};

/*
 * xiommu_dma(): issue one access on @unit as the device with stream id
 * @sid would. A faulting access is not an error of the call: it returns 0
 * with @out_status and queues the fault for its viommu.
 */
struct xiommu_dma {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_DMA_F_* */
	uint32_t unit;
	uint32_t op;		/* in: enum xiommu_dma_op */
	uint32_t sid;
	uint32_t pasid;
	uint64_t iova;
	uint64_t len;		/* in: READ/WRITE bytes; MSI: 0 or 4, moves 4 */
	uint64_t buf_ptr;	/* in: READ/WRITE buffer */
	uint32_t data;		/* in: MSI payload */
	uint32_t out_status;	/* out: enum xiommu_dma_status */
	uint64_t out_addr;	/* out: host physical address of @iova */
	uint32_t out_perm;	/* out: XIOMMU_PERM_* the translation grants */
	uint32_t out_done;	/* out: bytes moved before a fault */
};
/*
 * Errors: [msg], -EINVAL (flags, op, fields the op does not take, an
 * access the model refuses), -ENOENT (unit), -ERANGE (sid beyond sid_bits).
 */
XIOMMU_EXPORT int xiommu_dma(struct xiommu_ctx *ctx, struct xiommu_dma *cmd);

/* MSIs that reached a unit's host doorbell, oldest first. */
struct xiommu_msi_log {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t unit;
	uint32_t count;		/* in: room at records_ptr; out: entries copied */
	uint64_t records_ptr;	/* out: uint64_t entries, (doorbell offset << 32) | data */
};
/* Errors: [msg], -EINVAL (flags), -ENOENT (unit), -EFAULT (records_ptr 0). */
XIOMMU_EXPORT int xiommu_msi_log(struct xiommu_ctx *ctx, struct xiommu_msi_log *cmd);

/* ---- statistics -------------------------------------------------------- */

/* Counters of a unit, cumulative since the context was opened. */
struct xiommu_stats {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t unit;
	uint32_t __reserved;
	uint64_t programs;	/* programs run on the backend */
	uint64_t commands;	/* commands / descriptors executed */
	uint64_t syncs;		/* completions (CMD_SYNC / wait) */
	uint64_t widened;	/* invalidations widened to a coarser command */
	uint64_t tlb_hits;
	uint64_t tlb_misses;
	uint64_t cfg_hits;	/* config cache (STE/CD, context/PASID) */
	uint64_t cfg_misses;
	uint64_t table_reads;	/* memory reads by walks and fetches */
	uint64_t faults;	/* fault records produced */
	uint64_t faults_lost;	/* dropped by full fault queues */
	uint64_t queue_errors;	/* illegal commands / descriptors refused */
	/*
	 * Of @commands and @syncs, those the host layer issued on its own
	 * account: the invalidations a stage-2 change, an attach or detach, a
	 * tag release or an ATS revocation needs. Every host flush is counted
	 * here, so a test sees one that is missing.
	 */
	uint64_t host_commands;
	uint64_t host_syncs;
};
/* Errors: [msg], -EINVAL (flags, __reserved), -ENOENT (unit). */
XIOMMU_EXPORT int xiommu_stats(struct xiommu_ctx *ctx, struct xiommu_stats *cmd);

/* ---- decoding vendor words -------------------------------------------- */

#define XIOMMU_FIELD_RESERVED	(1u << 0)	/* reserved bits are set */
#define XIOMMU_FIELD_ILLEGAL	(1u << 1)	/* a value the architecture forbids */

/* One named field of decoded words; @note (may be NULL) explains the value. */
typedef void (*xiommu_field_fn)(void *arg, const char *name, uint64_t value, uint32_t flags,
				const char *note);

/*
 * xiommu_decode(): name every field of @nwords 64-bit words that the guest
 * or the host wrote as a @kind structure of @vendor ("smmuv3": ste, cd, cmd,
 * evt, idr; "vtd": context, pasid, qi, fault, prq, cap, ecap). Loads the
 * vendor's plugin from XIOMMU_PLUGIN_PATH or the installed folder; no
 * context needed, so a VMM can log what its guest wrote. Messages go to
 * xiommu_last_error(NULL).
 * Errors: -EINVAL (vendor not a plugin name; kind, words or fn NULL;
 * nwords 0; an unknown kind; a word count the kind does not fit), -ENOENT
 * (no plugin), -ENOEXEC (plugin cannot be loaded), -EPROTO (plugin without
 * a decoder), -ENOSPC (more than 8 vendors in one process).
 */
XIOMMU_EXPORT int xiommu_decode(const char *vendor, const char *kind, const uint64_t *words,
				uint32_t nwords, xiommu_field_fn fn, void *arg);

/*
 * NULL-terminated list of the kinds @vendor decodes, in *kinds (valid until the next call).
 * Errors: those of xiommu_decode() but for the words.
 */
XIOMMU_EXPORT int xiommu_decode_kinds(const char *vendor, const char *const **kinds);

/* ---- guest formats (conformance suite, tools) -------------------------- */

/*
 * What a guest driver of a unit's vendor writes in its own memory — stage-1
 * tables, context tables (SMMUv3 CDs), raw invalidation commands — built by
 * the vendor's plugin, so a test written once in generic terms runs on
 * every vendor. Guest memory is a viommu's, reached through its stage 2
 * (the pages must be mapped writable); new tables come from the caller's
 * pool of guest-physical pages. These calls change no xiommu object: only
 * guest memory. -EOPNOTSUPP when the vendor's plugin has no guest codec.
 */
struct xiommu_guest {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t viommu_id;	/* in: whose guest memory */
	uint32_t __reserved;
	uint64_t pool_next;	/* in/out: next free GPA for tables (4 KiB aligned) */
	uint64_t pool_end;	/* in: end of the table pool */
};

#define XIOMMU_GUEST_S1_STALL	(1u << 0)	/* faults stall for a page response (SMMUv3 CD.S) */

/* One guest stage-1 address space (a page table and the tag it runs under). */
struct xiommu_guest_s1 {
	uint64_t root;		/* out: GPA of the root table */
	uint32_t tag;		/* in: SMMUv3 ASID / VT-d guest DID of its translations */
	uint32_t flags;		/* in: XIOMMU_GUEST_S1_* */
	uint8_t ias;		/* in: input bits; 0 = 48; 57 = five levels where offered */
	uint8_t levels;		/* out: levels of the walk */
	uint8_t __reserved[6];
};

#define XIOMMU_GUEST_CTX_ATS	(1u << 0)	/* the guest enables ATS (SMMUv3 STE.EATS) */

/* A device's guest context table (SMMUv3 CD table; nothing in memory on VT-d). */
struct xiommu_guest_ctx {
	uint64_t table;		/* out: GPA, set by the first write */
	uint32_t pasid_bits;	/* in: the table holds 2^pasid_bits contexts */
	uint32_t flags;		/* in: XIOMMU_GUEST_CTX_* */
};

/*
 * A fresh, empty stage-1 table in guest memory.
 * Errors: -EINVAL (ctx or an argument NULL; struct xiommu_guest argsz, flags,
 * reserved or pool alignment; ias the unit does not offer), -ENOENT
 * (viommu), -EOPNOTSUPP (no guest codec), -ENOMEM (pool used up or not
 * writable).
 */
XIOMMU_EXPORT int xiommu_guest_s1_alloc(struct xiommu_ctx *ctx, struct xiommu_guest *g,
					struct xiommu_guest_s1 *s1);
/*
 * Map [iova, iova + 2^pgshift) -> gpa with one leaf (pgshift 12, 21, 30 as
 * the unit's s1_pgsizes offer), allocating tables; @perm XIOMMU_PERM_*:
 * WRITE (else read-only), EXEC (else no-execute), PRIV (privileged only).
 * Overwrites an existing leaf.
 * Errors: those of xiommu_guest_s1_alloc() (-EINVAL also: page size or
 * alignment not offered, unknown perm bits), -EEXIST (a larger leaf is in
 * the way), -EFAULT (a table is not writable guest memory).
 */
XIOMMU_EXPORT int xiommu_guest_s1_map(struct xiommu_ctx *ctx, struct xiommu_guest *g,
				      const struct xiommu_guest_s1 *s1, uint64_t iova,
				      uint64_t gpa, uint32_t pgshift, uint32_t perm);
/*
 * Clear the leaf of @iova.
 * Errors: -EINVAL (an argument NULL, struct xiommu_guest), -ENOENT (viommu;
 * nothing mapped at @iova), -EOPNOTSUPP (no guest codec), -EFAULT (a table
 * is not readable guest memory).
 */
XIOMMU_EXPORT int xiommu_guest_s1_unmap(struct xiommu_ctx *ctx, struct xiommu_guest *g,
					const struct xiommu_guest_s1 *s1, uint64_t iova);
/*
 * Point context @pasid of @c at @s1 as the guest would, and fill *bind
 * (config, format, table, flags; vdev_id left 0 for the caller) with the
 * message that makes the device use it. Returns 1 when that bind must be
 * sent for the write to take effect (first write of a table, or per-PASID
 * vendors), 0 when the guest only changed memory the unit already uses (a
 * CONFIG invalidation then makes it take effect), or a negative errno.
 * Errors: -EINVAL (an argument NULL, struct xiommu_guest, pasid beyond
 * pasid_bits, tag beyond the vendor's), -ENOENT (viommu), -EOPNOTSUPP (no
 * guest codec; a context feature the vendor lacks), -ENOMEM (no room for
 * the table), -EFAULT (the table is not writable guest memory).
 */
XIOMMU_EXPORT int xiommu_guest_ctx_write(struct xiommu_ctx *ctx, struct xiommu_guest *g,
					 struct xiommu_guest_ctx *c, uint32_t pasid,
					 const struct xiommu_guest_s1 *s1,
					 struct xiommu_bind *bind);
/*
 * Encode one generic invalidation as the vendor's raw guest commands into
 * @buf (@room bytes) and fill *inv (viommu_id, type, entry_len, entry_num,
 * entries_ptr) ready for xiommu_invalidate(). @e->tag is used by vendors
 * whose commands always name one (VT-d DID, SMMUv3 ASID) even without
 * XIOMMU_INV_F_TAG. -EOPNOTSUPP when a guest has no command for it (VT-d
 * config changes are rebinds).
 * Errors: -EINVAL (an argument NULL, cache or scope), -ENOENT (viommu, or
 * the entry's vdev not on it), -EOPNOTSUPP (no guest codec; no guest
 * command for the entry), -ENOSPC (@room too small).
 */
XIOMMU_EXPORT int xiommu_guest_inv_encode(struct xiommu_ctx *ctx, uint32_t viommu_id,
					  const struct xiommu_inv_entry *e, void *buf,
					  uint32_t room, struct xiommu_invalidate *inv);

#ifdef __cplusplus
}
#endif
#endif /* XIOMMU_DIAG_H */
