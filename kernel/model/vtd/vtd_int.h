/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * VT-d scalable-mode model internals: the unit, its caches, and the seams
 * between the files:
 *   vtd.c     unit creation, CAP/ECAP, RTADDR, the invalidation queue,
 *             the device's ATS/PRI enables, events, counters, the ops table
 *   config.c  root / context / PASID-directory / PASID-entry fetch and checks
 *   walk.c    second-level walk and first-level walk nested in it
 *   cache.c   context cache, PASID cache, IOTLB, device-TLBs
 *   qi.c      invalidation descriptors
 *   dma.c     the DMA test port, fault recording, page requests
 * Hardware only (xm_hw.h): DIDs, second-level tables, root / context /
 * PASID tables and program checks belong to the host layer (kernel/host/vtd).
 * Freestanding: see xm_env.h.
 */
#ifndef XM_VTD_INT_H
#define XM_VTD_INT_H

#include "xm_env.h"
#include "xm_hw.h"
#include "xm_tlbindex.h"
#include "xm_msilog.h"
#include <xiommu/xiommu.h>
#include <xiommu/arch/vtd.h>

#define VTD_CTX_CACHE		32
#define VTD_PASID_CACHE		64
#define VTD_IOTLB_SIZE		256
#define VTD_DEVTLB_SIZE		64
#define VTD_MAX_PRQ		1024
#define VTD_PRG_PENDING		32

/* access kinds */
#define VTD_ACC_W		(1u << 0)
#define VTD_ACC_X		(1u << 1)
#define VTD_ACC_PRIV		(1u << 2)

/* permissions cached with a translation */
#define VTD_P_R			(1u << 0)
#define VTD_P_W			(1u << 1)
#define VTD_P_X			(1u << 2)
#define VTD_P_U			(1u << 3)	/* user allowed (FL U/S at every level) */
#define VTD_P_D			(1u << 4)	/* leaf dirty already set */
#define VTD_P_SW		(1u << 5)	/* second level allows writes */

enum vtd_tlb_kind { VTD_TLB_FREE = 0, VTD_TLB_FL = 1, VTD_TLB_SL = 2, VTD_TLB_NESTED = 3,
		    VTD_TLB_PT = 4 };

struct vtd_tlb_ent {
	uint64_t iova;		/* aligned to 2^lg */
	uint64_t pa;
	uint32_t pasid;
	uint16_t did;
	uint8_t kind, lg, global, perm;
};

/*
 * Cache indexes (cache.c): they find what a scan of the arrays in index
 * order finds, faster. The IOTLB has an xm_tlb_index (xm_tlbindex.h) of
 * (kind, DID, PASID, size, page); IOTLB and device TLBs remember their
 * last hit while nothing was filled or removed (tlbx.gen, devtlb_gen); the
 * context and PASID caches keep a hint of the slot a key was last seen in.
 */
#define VTD_CFG_HINTS		64
struct vtd_tlb_memo {
	uint64_t gen, page;
	uint32_t key, pasid;	/* key: kind << 16 | DID (IOTLB), requester id (device TLB) */
	void *e;
};

/*
 * First-level paging-structure caches (cache.c): one cached non-leaf entry
 * (PML5E, PML4E, PDPE or PDE) tagged by kind, DID, PASID, paging mode and the
 * input-address bits above its span; it gives the table it points to and
 * the permissions accumulated down to it, so a walk resumes below it.
 */
#define VTD_PSC_SIZE		32
#define VTD_PSC_RW		(1u << 0)	/* R/W at every level so far */
#define VTD_PSC_US		(1u << 1)	/* U/S at every level so far */
#define VTD_PSC_XD		(1u << 2)	/* XD at some level so far */
#define VTD_PSC_SLW		(1u << 3)	/* nested: second level lets the table be written */
struct vtd_psc_ent {
	uint64_t prefix;	/* input address (paging-mode width) >> (12 + 9 * (level - 1)) */
	uint64_t table;		/* host PA of the table the entry points to */
	uint64_t tgpa;		/* that table as the entry names it (nested: guest-physical) */
	uint32_t pasid;
	uint16_t did;
	uint8_t level;		/* of the cached entry: 5 PML5E, 4 PML4E, 3 PDPE, 2 PDE; 0 free */
	uint8_t kind;		/* VTD_TLB_FL or VTD_TLB_NESTED */
	uint8_t levels;		/* first-level paging mode: 4 or 5 */
	uint8_t perm;		/* VTD_PSC_* */
	uint8_t __pad[2];
};

struct vtd_devtlb_ent {
	uint64_t iova;
	uint64_t pa;
	uint32_t rid, pasid;
	uint8_t valid, perm, lg, __pad;
};

struct vtd_ctx_ent {
	uint32_t rid;
	uint32_t valid;
	uint64_t ce[4];
};

struct vtd_pasid_ent {
	uint32_t rid, pasid;
	uint32_t valid;
	uint16_t did;
	uint8_t pde_fpd;	/* FPD of the PASID-directory entry above it */
	uint64_t pe[VTD_PE_WORDS];
};

struct vtd_prg {
	uint32_t valid;
	uint32_t rid, pasid, pp;
	uint32_t prgi;
};

struct vtd_unit {
	struct xiommu_vtd_params p;
	struct xm_host host;
	uint64_t cap, ecap;
	uint64_t rtaddr;	/* RTADDR_REG as written */
	uint64_t root;		/* root table PA in use (latched by SRTP) */
	/* the test port's devices: PCIe ATS / PRI enabled, one bit per requester id */
	uint8_t dev_ats[8192], dev_pri[8192];

	/* caches */
	struct vtd_ctx_ent ctxc[VTD_CTX_CACHE];
	struct vtd_pasid_ent pc[VTD_PASID_CACHE];
	struct vtd_tlb_ent tlb[VTD_IOTLB_SIZE];
	struct vtd_devtlb_ent devtlb[VTD_DEVTLB_SIZE];
	uint32_t ctxc_next, pc_next, tlb_next, devtlb_next;
	struct xm_tlb_index tlbx;		/* finds u->tlb entries */
	uint64_t devtlb_gen;
	struct vtd_tlb_memo tlb_memo, devtlb_memo;
	uint8_t ctxc_hint[VTD_CFG_HINTS], pc_hint[VTD_CFG_HINTS];
	struct vtd_psc_ent psc[VTD_PSC_SIZE];	/* paging-structure caches */
	uint32_t psc_next;
	uint32_t psc_enable;	/* paging-structure caches on (set at creation) */
	uint64_t psc_hits, psc_misses;

	/* fault recording: NFR registers, FRI, FSTS */
	uint64_t frcd[256][2];
	uint64_t frcd_addr[256];	/* exact input address (the record keeps the page) */
	uint32_t fri;
	uint32_t fsts;		/* VTD_FSTS_* */
	uint32_t fr_order[256];	/* recording sequence, to pop the oldest first */
	uint32_t fr_seq;

	/* page request queue */
	uint64_t prq[VTD_MAX_PRQ][4];
	uint32_t prq_head, prq_count;
	struct vtd_prg prgs[VTD_PRG_PENDING];
	uint32_t prg_next;	/* next PRG index handed out */
	uint32_t prq_seq[VTD_MAX_PRQ];	/* recording sequence of each PRQ entry */

	struct xm_msi_log msi;
	struct xm_stats st;
	uint64_t devtlb_hits;
	uint64_t iqe_count;
};

/* FSTS_REG bits */
#define VTD_FSTS_PFO		(1u << 0)
#define VTD_FSTS_PPF		(1u << 1)
#define VTD_FSTS_IQE		(1u << 4)
#define VTD_FSTS_PRO		(1u << 7)

/* Outcome of one translation. */
struct vtd_xlate {
	uint64_t pa;		/* output for the input address */
	uint64_t page;		/* input page base */
	uint32_t lg;		/* log2 page size */
	uint32_t perm;		/* VTD_P_* */
	uint32_t fr;		/* fault reason, 0 = none */
	uint64_t fault_addr;
	uint32_t prq;		/* raise a page request instead of a fault record */
	uint32_t global;	/* first-level G */
};

/* Decoded request context. */
struct vtd_req {
	uint32_t rid, pasid, pp;	/* pp: request carries a PASID */
	uint32_t acc;			/* VTD_ACC_* */
	uint64_t ce[4];
	uint64_t pe[VTD_PE_WORDS];
	uint16_t did;
	uint8_t pde_fpd;		/* FPD of the PASID-directory entry */
	uint32_t pgtt;
};

/* host memory */
int vtd_read64(struct vtd_unit *u, uint64_t pa, uint64_t *v);
int vtd_write64(struct vtd_unit *u, uint64_t pa, uint64_t v);
uint64_t *vtd_map64(struct vtd_unit *u, uint64_t pa);

/* A device's capability bit (dev_ats, dev_pri) for requester @rid. */
static inline int vtd_dev_cap(const uint8_t *map, uint32_t rid)
{
	return (map[(rid & 0xffff) >> 3] >> (rid & 7)) & 1;
}

/* config.c */
uint32_t vtd_pe_check(const struct vtd_unit *u, const uint64_t *pe);
uint32_t vtd_fetch_config(struct vtd_unit *u, struct vtd_req *r);

/* walk.c */
void vtd_translate(struct vtd_unit *u, struct vtd_req *r, uint64_t iova, struct vtd_xlate *x);
uint32_t vtd_sl_walk(struct vtd_unit *u, uint64_t root, uint32_t levels, uint64_t gpa,
		     uint32_t need_w, uint32_t slade, uint64_t *pa, uint32_t *perm,
		     uint32_t *lg);

/* cache.c */
struct vtd_ctx_ent *vtd_ctxc_lookup(struct vtd_unit *u, uint32_t rid);
void vtd_ctxc_fill(struct vtd_unit *u, uint32_t rid, const uint64_t *ce);
struct vtd_pasid_ent *vtd_pc_lookup(struct vtd_unit *u, uint32_t rid, uint32_t pasid);
struct vtd_pasid_ent *vtd_pc_fill(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
				  const uint64_t *pe);
struct vtd_tlb_ent *vtd_tlb_lookup(struct vtd_unit *u, uint32_t kind, uint16_t did,
				   uint32_t pasid, uint64_t iova);
void vtd_tlb_fill(struct vtd_unit *u, uint32_t kind, uint16_t did, uint32_t pasid,
		  const struct vtd_xlate *x, uint32_t global);
struct vtd_devtlb_ent *vtd_devtlb_lookup(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
					 uint64_t iova);
void vtd_devtlb_fill(struct vtd_unit *u, uint32_t rid, uint32_t pasid,
		     const struct vtd_xlate *x);
void vtd_inv_ctx(struct vtd_unit *u, int all, uint32_t rid, uint32_t fm);
void vtd_inv_pc(struct vtd_unit *u, int all, uint16_t did, int by_pasid, uint32_t pasid);
void vtd_inv_pc_rid(struct vtd_unit *u, uint32_t rid);
void vtd_inv_iotlb(struct vtd_unit *u, int all, uint16_t did, int page, uint64_t addr,
		   uint32_t am, uint32_t ih);
void vtd_inv_piotlb(struct vtd_unit *u, uint16_t did, uint32_t pasid, int page, uint64_t addr,
		    uint32_t am, uint32_t ih);
void vtd_inv_devtlb(struct vtd_unit *u, uint32_t rid, int by_pasid, uint32_t pasid,
		    int all, uint64_t addr, uint32_t order);
int vtd_tlb_holds(struct vtd_unit *u, uint16_t did, uint32_t pasid, int sl);
struct vtd_psc_ent *vtd_psc_lookup(struct vtd_unit *u, uint32_t kind, uint16_t did,
				   uint32_t pasid, uint32_t levels, uint64_t iova);
void vtd_psc_fill(struct vtd_unit *u, const struct vtd_psc_ent *e);

/* qi.c */
/* 0 valid; else -EINVAL (the hardware would set IQE). */
int vtd_qi_validate(const struct vtd_unit *u, const uint64_t *d);
void vtd_qi_run(struct vtd_unit *u, const uint64_t *d);

/* dma.c */
int vtd_dma(void *unit, struct xm_dma *req);
/* 1: fault processing disabled (FPD), nothing recorded */
int vtd_record_fault(struct vtd_unit *u, const struct vtd_req *r, uint64_t addr, uint32_t fr);
int vtd_prq_raise(struct vtd_unit *u, const struct vtd_req *r, uint64_t addr, uint32_t *prgi);
void vtd_prg_respond(struct vtd_unit *u, uint32_t rid, uint32_t prgi, uint32_t code);
int vtd_event_pop(void *unit, struct xm_event *ev);

/* Model-internal view for tests (not part of xm_hw_ops). */
uint32_t vtd_model_fsts(void *unit);
extern const struct xm_hw_ops xm_vtd_hw;

#endif /* XM_VTD_INT_H */
