/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * SMMUv3 model internals: the unit, its caches and the seams between the
 * files (walk.c, config.c, cache.c, cmdq.c, dma.c, pri.c, smmuv3.c). The
 * model is hardware only (xm_hw.h): the host layer (kernel/host/smmuv3/)
 * owns the stream table it points the unit at, and every domain, VMID and
 * stage 2. Freestanding: see xm_env.h.
 */
#ifndef XM_SMMUV3_INT_H
#define XM_SMMUV3_INT_H

#include "xm_env.h"
#include "xm_hw.h"
#include "xm_tlbindex.h"
#include "xm_msilog.h"
#include <xiommu/program.h>
#include <xiommu/xiommu.h>
#include <xiommu/arch/smmuv3.h>

#define SMMU_TLB_SIZE		128
#define SMMU_STE_CACHE		32
#define SMMU_CD_CACHE		32
#define SMMU_ATC_SIZE		32	/* device ATC entries, all streams together */
#define SMMU_STALLS		16
#define SMMU_PRGS		512	/* 9-bit PRG index space */
#define SMMU_MAX_SID_BITS	20

/* access flags of a translation */
#define SMMU_ACC_W		(1u << 0)
#define SMMU_ACC_X		(1u << 1)
#define SMMU_ACC_PRIV		(1u << 2)

/* permission bits kept per translation: R W X for privileged and user */
#define SMMU_P_R		1u
#define SMMU_P_W		2u
#define SMMU_P_X		4u

enum smmu_tlb_kind { SMMU_TLB_FREE = 0, SMMU_TLB_NH = 1, SMMU_TLB_S2 = 2, SMMU_TLB_KINDS = 3 };

struct smmu_tlb_ent {
	uint64_t va;		/* input address aligned to 2^lg */
	uint64_t pa;
	uint16_t vmid, asid;
	uint8_t kind, lg, global, level;
	uint8_t perm_priv, perm_user;	/* stage-1 SMMU_P_* */
	uint8_t s2_p, s2memattr;	/* stage-2 SMMU_P_*, MemAttr */
	uint8_t gshift;
	uint64_t ipa;		/* IPA of @va (NH: output of stage 1) */
};

/*
 * The TLB is found through an xm_tlb_index (xm_tlbindex.h) of (kind, VMID,
 * block size, page number). The last lookup that hit, per kind, is valid
 * while the index's gen is unchanged. Entries are at
 * least 4 KiB, so (VMID, ASID, 4 KiB page) decides the outcome.
 */
struct smmu_tlb_memo {
	uint64_t gen, page;
	uint16_t vmid, asid;
	struct smmu_tlb_ent *e;
};

/* Config caches: a direct-mapped hint (index + 1) per low bits of the key. */
#define SMMU_CFG_HINTS		64

/*
 * One ATC entry: what an ATS Translation Completion gave a device for
 * (SID, SSV/SSID, privilege, input page of 2^lg bytes): the output address
 * and the XIOMMU_PERM_* it may use. The device consults it before the SMMU.
 */
struct smmu_atc_ent {
	uint64_t va;		/* input address aligned to 2^lg */
	uint64_t pa;
	uint32_t sid, ssid;
	uint8_t valid, ssv, priv, lg, perm;
};

struct smmu_stall {
	uint32_t state;		/* 0 free, 1 held, 2 terminated */
	uint32_t sid, ssid, ssv, write;
	uint16_t stag;
	uint64_t iova;
};

/* An outstanding page request group (one page), indexed by PRG index. */
struct smmu_prg {
	uint8_t state;		/* 0 free, 1 outstanding, 2 answered Invalid/Failure */
	uint8_t ssv, acc;
	uint32_t sid, ssid;
	uint64_t va;
};

/* Stage-2 parameters decoded from an STE. */
struct smmu_s2cfg {
	uint64_t ttb;
	uint16_t vmid;
	uint8_t g, sl, ias, ps, affd, ptw, s2r;
};

/* Stage-1 parameters decoded from a CD. */
struct smmu_s1cfg {
	uint64_t ttb[2];
	uint8_t tsz[2], g[2], epd[2], tbi[2];
	uint8_t ps, affd, wxn, uwxn, s, r, a;
	uint16_t asid;
};

/* An STE as decoded once, when it enters the STE cache. */
struct smmu_ste_cfg {
	uint8_t config, s1fmt, s1cdmax, s1dss, s1stalld, s1_on, s2_on;
	uint8_t ats;		/* EATS = 01: translations may go to the device's ATC */
	uint64_t ctxptr;
	struct smmu_s2cfg s2;
};

struct smmu_ste_ent {
	uint32_t sid;
	uint32_t valid;
	struct smmu_ste_cfg c;
};

/* A CD as decoded once, when it enters the CD cache (its STE may change later). */
struct smmu_cd_ent {
	uint32_t sid, ssid;
	uint32_t valid;
	struct smmu_s1cfg s1;
};

/*
 * What one access translates with: the cached, decoded STE and (stage 1
 * on) CD. Valid until the next config fetch or invalidation.
 */
struct smmu_cfg {
	const struct smmu_ste_cfg *ste;
	const struct smmu_s2cfg *s2;
	const struct smmu_s1cfg *s1;
	uint8_t s1_on, s2_on;
};

/* A fault being raised, before it becomes an event record. */
struct smmu_fault {
	uint8_t id, s2, cls, ttrnw;
	uint8_t record, stall;
	uint8_t pri;		/* the access may become a page request */
	uint64_t ipa, fetch;
};

/* A translation result. */
struct smmu_tx {
	uint64_t pa;
	uint8_t lg, level, global;
	uint8_t perm_priv, perm_user;
	uint8_t s2_p, s2memattr;
	uint64_t ipa;
};

struct smmu_unit {
	struct xiommu_smmuv3_params p;
	struct xm_host host;
	uint32_t idr[8];
	uint8_t oas_code;
	/* STRTAB_BASE / STRTAB_BASE_CFG, as the host set them (0: none yet) */
	uint64_t strtab;
	uint32_t two_level;
	uint32_t strtab_log2size;
	/* the test port's devices: PCIe ATS / PRI capability enables per SID */
	uint8_t *dev_ats, *dev_pri;
	/* caches */
	struct smmu_tlb_ent tlb[SMMU_TLB_SIZE];
	uint32_t tlb_next;
	struct xm_tlb_index tlbx;		/* finds u->tlb entries */
	struct smmu_tlb_memo tlb_memo[3];
	struct smmu_ste_ent stec[SMMU_STE_CACHE];
	uint32_t stec_next;
	struct smmu_cd_ent cdc[SMMU_CD_CACHE];
	uint32_t cdc_next;
	uint8_t stec_hint[SMMU_CFG_HINTS], cdc_hint[SMMU_CFG_HINTS];
	uint32_t stall_hi;	/* stall slots [0, stall_hi) have been used */
	struct smmu_atc_ent atc[SMMU_ATC_SIZE];
	uint32_t atc_next;
	uint32_t atc_live;	/* valid ATC entries: none, and no device lookup is needed */
	/* queues */
	struct xm_event *evtq;
	uint32_t evtq_size, evtq_head, evtq_count;
	struct xm_msi_log msi;
	struct smmu_stall stalls[SMMU_STALLS];
	uint16_t next_stag;
	struct xm_event *priq;	/* PRI queue (IDR0.PRI) */
	uint32_t priq_size, priq_head, priq_count;
	struct smmu_prg prg[SMMU_PRGS];
	uint32_t prg_next, prg_count;
	uint32_t cerror;	/* CMDQ_CONS.ERR of the last failed command */
	uint32_t cerror_index;
	struct xm_stats st;
};

/* Has the host enabled ATS (@pri: PRI) in the device at @sid? */
static inline int smmu_dev_cap(const uint8_t *map, uint32_t sid)
{
	return map && ((map[sid >> 3] >> (sid & 7)) & 1);
}

/* smmuv3.c: memory and events */
int smmu_read64(struct smmu_unit *u, uint64_t pa, uint64_t *v);
int smmu_write64(struct smmu_unit *u, uint64_t pa, uint64_t v);
int smmu_read_block(struct smmu_unit *u, uint64_t pa, uint64_t *w, unsigned int n);
void smmu_event_push(struct smmu_unit *u, uint32_t kind, const uint64_t *w, uint32_t n);
int smmu_params_check(const struct xiommu_smmuv3_params *p, char *err, uint32_t errlen);

/* walk.c */
int smmu_s2_walk(struct smmu_unit *u, const struct smmu_s2cfg *c, uint64_t ipa, uint32_t acc,
		 int table, struct smmu_tx *tx, struct smmu_fault *f);
int smmu_s1_walk(struct smmu_unit *u, const struct smmu_cfg *c, uint64_t va, uint32_t acc,
		 struct smmu_tx *tx, struct smmu_fault *f);
int smmu_ipa_read64(struct smmu_unit *u, const struct smmu_cfg *c, uint64_t addr, int cd,
		    uint64_t *v, struct smmu_fault *f);

/* config.c */
int smmu_ste_locate(struct smmu_unit *u, uint32_t sid, uint64_t *pa);
int smmu_ste_decode(struct smmu_unit *u, const uint64_t *ste, struct smmu_ste_cfg *c);
int smmu_cfg_get(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
		 struct smmu_cfg *c, struct smmu_fault *f);

/* cache.c */
struct smmu_tlb_ent *smmu_tlb_find(struct smmu_unit *u, uint32_t kind, uint16_t vmid,
				   uint16_t asid, uint64_t va);
/* The TLB entry for @va (counted as a hit or a miss), or NULL. */
static inline struct smmu_tlb_ent *smmu_tlb_lookup(struct smmu_unit *u, uint32_t kind,
						   uint16_t vmid, uint16_t asid, uint64_t va)
{
	const struct smmu_tlb_memo *m = &u->tlb_memo[kind];

	if (m->e && m->gen == u->tlbx.gen && m->page == va >> 12 && m->vmid == vmid &&
	    m->asid == asid) {
		u->st.tlb_hits++;
		return m->e;
	}
	return smmu_tlb_find(u, kind, vmid, asid, va);
}
void smmu_tlb_insert(struct smmu_unit *u, uint32_t kind, uint16_t vmid, uint16_t asid,
		     uint64_t va, uint64_t ipa, const struct smmu_tx *tx, uint8_t gshift);
#define SMMU_INV_VMID	(1u << 0)
#define SMMU_INV_ASID	(1u << 1)
#define SMMU_INV_ADDR	(1u << 2)
#define SMMU_INV_LEAF	(1u << 3)
#define SMMU_INV_NH	(1u << 4)
#define SMMU_INV_S2	(1u << 5)
#define SMMU_INV_TG(g)	((uint32_t)(g) << 8)	/* range TLBI: only entries of granule 2^g */
void smmu_tlb_inv(struct smmu_unit *u, uint32_t how, uint16_t vmid, uint16_t asid,
		  uint64_t addr, uint64_t size);
const struct smmu_ste_cfg *smmu_stec_lookup(struct smmu_unit *u, uint32_t sid);
const struct smmu_ste_cfg *smmu_stec_insert(struct smmu_unit *u, uint32_t sid,
					    const struct smmu_ste_cfg *c);
const struct smmu_s1cfg *smmu_cdc_lookup(struct smmu_unit *u, uint32_t sid, uint32_t ssid);
const struct smmu_s1cfg *smmu_cdc_insert(struct smmu_unit *u, uint32_t sid, uint32_t ssid,
					 const struct smmu_s1cfg *s1);
void smmu_cfg_inv(struct smmu_unit *u, uint32_t sid_lo, uint64_t nsid, int ste, int cd,
		  int one_ssid, uint32_t ssid);
const struct smmu_atc_ent *smmu_atc_lookup(struct smmu_unit *u, uint32_t sid, uint32_t ssv,
					   uint32_t ssid, uint32_t priv, uint64_t va, uint32_t need);
void smmu_atc_insert(struct smmu_unit *u, const struct smmu_atc_ent *n);
void smmu_atc_inv(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t global, uint32_t ssid,
		  uint64_t addr, uint64_t size);

/* cmdq.c */
int smmu_cmd_check(struct smmu_unit *u, const uint64_t *cmd);
void smmu_cmd_run(struct smmu_unit *u, const uint64_t *cmd);

/* pri.c */
int smmu_pri_init(struct smmu_unit *u);
void smmu_pri_fini(struct smmu_unit *u);
struct smmu_prg *smmu_pri_find(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
			       uint32_t acc, uint64_t va);
void smmu_pri_release(struct smmu_unit *u, struct smmu_prg *g);
uint32_t smmu_pri_request(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
			  uint32_t acc, uint64_t va, uint32_t *prgi);
int smmu_priq_pop(struct smmu_unit *u, struct xm_event *ev);
void smmu_pri_resp(struct smmu_unit *u, const uint64_t *cmd);

/* model entry points (dma.c) */
int smmu_dma(void *unit, struct xm_dma *req);

#endif /* XM_SMMUV3_INT_H */
