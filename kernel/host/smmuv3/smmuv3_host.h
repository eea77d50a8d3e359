/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * SMMUv3 host layer: the driver half. It owns the stream table (linear or
 * 2-level, as IDR0.ST_LEVEL allows) and points the unit at it once, the
 * VMIDs, each domain's stage 2 (an AArch64 stage-2 table built by
 * kernel/host/pgtable.c), which streams each domain owns and what each was
 * granted (ATS, PRI, stall), the final check of every program, and the
 * commands each host change needs: CFGI_STE on attach and detach, TLBI_S2_IPA
 * + TLBI_NH_ALL + ATC_INV on a stage-2 unmap, as Linux does for a nesting
 * parent.
 */
#ifndef XH_SMMUV3_HOST_H
#define XH_SMMUV3_HOST_H

#include "xh.h"
#include "pgtable.h"
#include <xiommu/xiommu.h>
#include <xiommu/arch/smmuv3.h>

#define XH_SMMU_DOM_SIDS	1024	/* streams one domain (VM) may own */
#define XH_SMMU_DOM_MSI		8
/* programs (up to XIOMMU_PROG_MAX_OPS) go to the queue in batches of this many entries */
#define XH_SMMU_BATCH		256
#define XH_SMMU_PROG_STES	8
/* a stage-2 unmap: TLBI_S2_IPA per page up to this many pages, TLBI_S12_VMALL beyond */
#define XH_SMMU_INV_PAGES	32
#define XH_SMMU_INV_MAX		(XH_SMMU_INV_PAGES + 1 + XH_SMMU_DOM_SIDS)

struct xh_smmu_stream {
	uint32_t sid;
	uint32_t grants;	/* XIOMMU_VDEV_* */
	uint32_t used;		/* a program wrote its STE since the attach */
};

struct xh_smmu_dom {
	struct xh_smmu_dom *next;
	struct xiommu_domain_desc d;
	struct xh_pgtable s2;
	uint64_t w1, w2, w3;	/* host-owned STE words the domain implies */
	uint32_t nsid;
	struct xh_smmu_stream sids[XH_SMMU_DOM_SIDS];
	uint32_t nmsi;
	uint64_t msi_gpa[XH_SMMU_DOM_MSI];
};

/* exec() scratch: the STEs a program touches, replayed before it runs */
struct xh_smmu_shadow {
	uint32_t sid;
	uint64_t pa;
	uint64_t old[SMMUV3_STE_DWORDS], cur[SMMUV3_STE_DWORDS], fin[SMMUV3_STE_DWORDS];
};

struct xh_smmu_prog {
	struct xh_smmu_shadow s[XH_SMMU_PROG_STES];
	uint32_t n;
	uint64_t msi[XH_SMMU_DOM_MSI];
	uint32_t nmsi;
	uint32_t nmaps;		/* MSI_MAPs so far: premap_msi maps them all at once */
	uint64_t cmds[XH_SMMU_BATCH][XM_CMD_WORDS];	/* one queue batch */
	uint64_t inv[XH_SMMU_INV_MAX][XM_CMD_WORDS];	/* a host change's commands */
};

struct xh_smmu {
	struct xh_unit b;	/* the hardware and the host's counters: first */
	struct xiommu_smmuv3_params p;	/* host policy: hitless_check */
	uint32_t idr[8];
	/* what the ID registers say */
	uint32_t sid_bits, ssid_bits, vmid_bits, oas_code, oas;
	uint32_t ats, stall, pri;
	/* the stream table */
	uint64_t strtab, strtab_size;
	uint32_t two_level, n_l1;
	uint64_t *l2_pa;	/* 2-level: PA of each L2 table (0 = none) */
	uint8_t *vmid_map, *sid_map;
	struct xh_smmu_dom *doms;
	struct xh_smmu_prog *prog;	/* too large for a kernel stack */
};

static inline void *xh_smmu_map64(const struct xh_smmu *h, uint64_t pa)
{
	return h->b.host.map(h->b.host.priv, pa, 8);
}

/* unit.c */
int xh_smmu_ste_pa(struct xh_smmu *h, uint32_t sid, uint64_t *pa);
/* Run host commands (2 words each, a CMD_SYNC appended) through the queue. */
int xh_smmu_host_cmds(struct xh_smmu *h, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n);
int xh_smmu_cmd(struct xh_smmu *h, uint64_t c0, uint64_t c1);

/* domain.c */
int xh_smmu_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc);
void xh_smmu_domain_free(void *unit, void *dom);
int xh_smmu_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		   uint32_t prot);
int xh_smmu_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size);
int xh_smmu_s2_inv(struct xh_smmu *h, struct xh_smmu_dom *d, uint64_t gpa, uint64_t size);
int xh_smmu_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants);
void xh_smmu_stream_detach(void *unit, void *dom, uint32_t sid);
const struct xh_smmu_stream *xh_smmu_dom_stream(const struct xh_smmu_dom *d, uint32_t sid);
int xh_smmu_map_msi(struct xh_smmu *h, struct xh_smmu_dom *d, uint64_t gpa);

/* program.c */
int xh_smmu_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n,
		 uint32_t *bad);

#endif /* XH_SMMUV3_HOST_H */
