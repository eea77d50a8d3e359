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
	uint64_t len;		/* in: READ/WRITE bytes; MSI: 4 */
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

#ifdef __cplusplus
}
#endif
#endif /* XIOMMU_DIAG_H */
