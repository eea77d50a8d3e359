/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What a host driver sees of one IOMMU unit: its ID registers, the register
 * that points it at the host's root table, its command / invalidation queue,
 * its event, fault and page-request queues, and the test port of a device
 * behind it. The software models (kernel/model/<vendor>/) implement it; a
 * unit reached through its MMIO registers can implement it the same way.
 *
 * Nothing here is host policy. The unit walks what memory holds and changes
 * its caches (TLBs, configuration caches, the device's ATC / device TLB)
 * only when a command on its queue says so: a host that edits a table and
 * forgets the invalidation sees stale translations, as on hardware.
 */
#ifndef XM_HW_H
#define XM_HW_H

#include "xm_env.h"

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
	/* PA of the unit's MSI doorbell page (not RAM; the unit decodes writes to it). */
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

/*
 * Observable counters; units and host layers add to them, never reset them.
 * @commands and @syncs count everything the queue consumed; @host_commands
 * and @host_syncs the part the host layer issued on its own account (stage-2
 * changes, attach and detach, tag release, ATS revocation).
 */
struct xm_stats {
	uint64_t programs, commands, syncs;
	uint64_t tlb_hits, tlb_misses, cfg_hits, cfg_misses, table_reads;
	uint64_t events, events_lost;
	uint64_t queue_errors;	/* illegal commands / descriptors (CERROR, IQE) */
	uint64_t host_commands, host_syncs;
};

/* The words of one queue entry, whatever the vendor's size (SMMUv3 2, VT-d 4). */
#define XM_CMD_WORDS	4

struct xm_hw_ops {
	const char *vendor;
	uint32_t params_size;	/* the vendor parameter struct (include/xiommu/arch/) */
	uint32_t cmd_words;	/* words of one queue entry used: SMMUv3 2, VT-d 4 */

	/*
	 * Build a unit from parameters (validated again here: the kernel gets
	 * them from user space). On failure writes a message to @err.
	 */
	int (*create)(const void *params, uint32_t size, const struct xm_host *host,
		      void **hw, char *err, uint32_t errlen);
	void (*destroy)(void *hw);
	/* Raw ID registers (layout of enum xiommu_raw_type); returns bytes. */
	uint32_t (*regs)(void *hw, void *buf, uint32_t len);
	/*
	 * Point the unit at the host's root table, as the driver does once at
	 * probe: SMMUv3 STRTAB_BASE = @base and STRTAB_BASE_CFG = @cfg; VT-d
	 * RTADDR_REG = @base (TTM in its bits 11:10) followed by GCMD.SRTP, with
	 * @cfg 0. Invalid values fail with -EINVAL and change nothing.
	 */
	int (*set_root)(void *hw, uint64_t base, uint64_t cfg);
	/*
	 * Queue @n entries of XM_CMD_WORDS words each and let the unit consume
	 * them in order. Returns 0 when every entry completed, or -EINVAL when
	 * the unit stopped at an illegal one (SMMUv3 CMDQ_CONS.ERR; VT-d
	 * FSTS.IQE): *@done is then its index and the entries before it have
	 * taken effect; *@done is @n on success. A completion (CMD_SYNC, wait
	 * descriptor) has its architectural effect (status write, MSI).
	 */
	int (*submit)(void *hw, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n,
		      uint32_t *done);
	/*
	 * The test port's device at @sid, as the host driver sets it up in PCI
	 * configuration space: XIOMMU_VDEV_ATS enables its ATS capability (it
	 * may cache translations in its device TLB), XIOMMU_VDEV_PRI its PRI
	 * capability (it may send page requests). Disabling ATS does not empty
	 * the device TLB: the host invalidates it through the queue. -ERANGE
	 * for a @sid beyond the unit.
	 */
	int (*dev_caps)(void *hw, uint32_t sid, uint32_t enable);
	/*
	 * One access through the test port; 0 unless the request itself is
	 * malformed. Records (event_pop) are queued only for an access that does
	 * not complete (status other than XIOMMU_DMA_OK).
	 */
	int (*dma)(void *hw, struct xm_dma *req);
	/* Oldest pending record: 0, or -ENOENT when none. */
	int (*event_pop)(void *hw, struct xm_event *ev);
	/* Oldest MSI that reached the doorbell: (offset << 32) | data; -ENOENT when none. */
	int (*msi_pop)(void *hw, uint64_t *rec);
	void (*stats)(void *hw, struct xm_stats *st);
};

#endif /* XM_HW_H */
