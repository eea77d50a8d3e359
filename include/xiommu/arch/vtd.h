/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Intel VT-d, scalable mode: the one definition of the formats xiommu uses
 * (model, plugin, kernel module). Field positions follow the VT-d spec
 * (ch. 6 invalidation, 7 faults, 9 structures, 11 registers) as gathered in
 * FORMATS.md part B. Names are the spec's: root entry, scalable-mode
 * context entry, PASID directory / PASID table entry, first-level (FL) and
 * second-level (SL) paging entries, QI descriptors (arch/vtd_qi.h), fault
 * records, page request descriptors, CAP_REG / ECAP_REG.
 *
 * Bit positions are per 64-bit word: VTD_<STRUCT>_<FIELD> for one bit,
 * VTD_<STRUCT>_<FIELD>_H / _L for a field (use with XI_GET / XI_PUT).
 */
#ifndef XIOMMU_ARCH_VTD_H
#define XIOMMU_ARCH_VTD_H

#include <xiommu/arch/bits.h>

/* ---- unit parameters (ini keys of a vtd [unit]) -------------------------- */

#define VTD_SAGAW_3L		(1u << 0)	/* 39-bit, 3-level second level */
#define VTD_SAGAW_4L		(1u << 1)	/* 48-bit, 4-level */
#define VTD_SAGAW_5L		(1u << 2)	/* 57-bit, 5-level */
#define VTD_SLLPS_2M		(1u << 0)
#define VTD_SLLPS_1G		(1u << 1)

struct xiommu_vtd_params {
	uint32_t pasid_bits;	/* ECAP.PSS + 1: 1..20 */
	uint32_t mgaw;		/* CAP.MGAW + 1: 39, 48 or 57 */
	uint32_t sagaw;		/* VTD_SAGAW_* set (CAP.SAGAW >> 1) */
	uint32_t sllps;		/* VTD_SLLPS_* (CAP.SLLPS) */
	uint32_t nd;		/* CAP.ND: 2^(4+2*nd) domain ids, 0..6 */
	uint32_t nfr;		/* CAP.NFR + 1: fault recording registers, 1..256 */
	uint32_t psi;		/* CAP.PSI: page-selective invalidation */
	uint32_t mamv;		/* CAP.MAMV: largest address mask, 0..63 (needs psi) */
	uint32_t fl1gp;		/* CAP.FL1GP: first-level 1 GiB pages */
	uint32_t fl5lp;		/* CAP.FL5LP: first-level 5-level paging */
	uint32_t nest;		/* ECAP.NEST: PGTT nested */
	uint32_t dt;		/* ECAP.DT: device TLBs (ATS) */
	uint32_t prs;		/* ECAP.PRS: page requests */
	uint32_t srs;		/* ECAP.SRS: supervisor requests (PASID-entry SRE) */
	uint32_t ers;		/* ECAP.ERS: execute requests (PASID-entry ERE) */
	uint32_t eafs;		/* ECAP.EAFS: extended accessed flag (EAFE) */
	uint32_t slads;		/* ECAP.SLADS: second-level A/D (SLADE) */
	uint32_t pt;		/* ECAP.PT: pass-through PGTT */
	uint32_t prq_depth;	/* page request queue entries, 2..1024 */
};

#define VTD_PARAMS_DEFAULT { .pasid_bits = 20, .mgaw = 48, .sagaw = VTD_SAGAW_4L, \
	.sllps = VTD_SLLPS_2M | VTD_SLLPS_1G, .nd = 2, .nfr = 8, .psi = 1, .mamv = 9, \
	.fl1gp = 1, .fl5lp = 1, .nest = 1, .dt = 1, .prs = 1, .srs = 1, .ers = 1, .eafs = 1, \
	.slads = 1, .pt = 1, .prq_depth = 32 }

/* ---- records the model reports (struct xm_event.kind) -------------------- */

#define VTD_EVT_FAULT		1	/* primary fault record (2 words) + exact address (w[2]) */
#define VTD_EVT_PRQ		2	/* page request descriptor, 4 words */

/* ---- CAP_REG (0x08) -------------------------------------------------------- */

#define VTD_CAP_ND_H		2
#define VTD_CAP_ND_L		0
#define VTD_CAP_AFL		3
#define VTD_CAP_RWBF		4
#define VTD_CAP_PLMR		5
#define VTD_CAP_PHMR		6
#define VTD_CAP_CM		7
#define VTD_CAP_SAGAW_H		12
#define VTD_CAP_SAGAW_L		8
#define VTD_CAP_MGAW_H		21
#define VTD_CAP_MGAW_L		16
#define VTD_CAP_ZLR		22
#define VTD_CAP_FRO_H		33
#define VTD_CAP_FRO_L		24
#define VTD_CAP_SLLPS_H		37
#define VTD_CAP_SLLPS_L		34
#define VTD_CAP_PSI		39
#define VTD_CAP_NFR_H		47
#define VTD_CAP_NFR_L		40
#define VTD_CAP_MAMV_H		53
#define VTD_CAP_MAMV_L		48
#define VTD_CAP_DWD		54
#define VTD_CAP_DRD		55
#define VTD_CAP_FL1GP		56
#define VTD_CAP_PI		59
#define VTD_CAP_FL5LP		60
#define VTD_CAP_ECMDS		61
#define VTD_CAP_ESIRTPS		62
#define VTD_CAP_ESRTPS		63
/* bits 58:57 and 38, 15:13, 23 are reserved in the scalable-mode layout used here */
#define VTD_CAP_RSVD		(XI_GENMASK(58, 57) | XI_BIT(38) | XI_GENMASK(15, 13) | XI_BIT(23))

/* ---- ECAP_REG (0x10) ------------------------------------------------------- */

#define VTD_ECAP_C		0
#define VTD_ECAP_QI		1
#define VTD_ECAP_DT		2
#define VTD_ECAP_IR		3
#define VTD_ECAP_EIM		4
#define VTD_ECAP_PT		6
#define VTD_ECAP_SC		7
#define VTD_ECAP_IRO_H		17
#define VTD_ECAP_IRO_L		8
#define VTD_ECAP_MHMV_H		23
#define VTD_ECAP_MHMV_L		20
#define VTD_ECAP_MTS		25
#define VTD_ECAP_NEST		26
#define VTD_ECAP_PRS		29
#define VTD_ECAP_ERS		30
#define VTD_ECAP_SRS		31
#define VTD_ECAP_NWFS		33
#define VTD_ECAP_EAFS		34
#define VTD_ECAP_PSS_H		39
#define VTD_ECAP_PSS_L		35
#define VTD_ECAP_PASID		40
#define VTD_ECAP_DIT		41
#define VTD_ECAP_PDS		42
#define VTD_ECAP_SMTS		43
#define VTD_ECAP_SLADS		45
#define VTD_ECAP_SLTS		46
#define VTD_ECAP_FLTS		47
#define VTD_ECAP_SMPWCS		48
#define VTD_ECAP_RPS		49
#define VTD_ECAP_PMS		51
#define VTD_ECAP_ADMS		52
#define VTD_ECAP_RPRIVS		53
#define VTD_ECAP_RSVD		(XI_GENMASK(63, 54) | XI_BIT(50) | XI_BIT(44) | XI_BIT(32) | \
				 XI_BIT(28) | XI_BIT(27) | XI_BIT(24) | XI_GENMASK(19, 18) | XI_BIT(5))

/* ---- RTADDR_REG (0x20) ------------------------------------------------------ */

#define VTD_RTADDR_RTA_MASK	XI_GENMASK(63, 12)
#define VTD_RTADDR_TTM_H	11
#define VTD_RTADDR_TTM_L	10
#define VTD_RTADDR_TTM_SM	1	/* scalable mode */

/* ---- root entry (128 bits, indexed by bus) --------------------------------- */

#define VTD_RE_LP		0		/* qw0 */
#define VTD_RE_CTP_MASK		XI_GENMASK(63, 12)
#define VTD_RE_RSVD		XI_GENMASK(11, 1)	/* qw0 and qw1 (UP at qw1 bit 0) */
#define VTD_RE_UP		0		/* qw1 */

/* ---- scalable-mode context entry (256 bits, 128 per 4 KiB table) ----------- */

#define VTD_CE_P		0		/* qw0 */
#define VTD_CE_FPD		1
#define VTD_CE_DTE		2
#define VTD_CE_PASIDE		3
#define VTD_CE_PRE		4
#define VTD_CE_PDTS_H		11
#define VTD_CE_PDTS_L		9
#define VTD_CE_PDIR_MASK	XI_GENMASK(63, 12)
#define VTD_CE_RSVD0		XI_GENMASK(8, 5)
#define VTD_CE_RID_PASID_H	19		/* qw1 */
#define VTD_CE_RID_PASID_L	0
#define VTD_CE_RID_PRIV		20
#define VTD_CE_RSVD1		XI_GENMASK(63, 21)	/* qw2, qw3: all reserved */

/* ---- PASID directory entry (64 bits) --------------------------------------- */

#define VTD_PDE_P		0
#define VTD_PDE_FPD		1
#define VTD_PDE_PTR_MASK	XI_GENMASK(63, 12)
#define VTD_PDE_RSVD		XI_GENMASK(11, 2)
#define VTD_PASID_DIR_SHIFT	6		/* dir index = PASID[19:6], table index PASID[5:0] */
#define VTD_PASID_TABLE_ENTRIES	64

/* ---- scalable-mode PASID table entry (512 bits, val[0..7]) ----------------- */

#define VTD_PE_WORDS		8
#define VTD_PE_P		0		/* qw0 */
#define VTD_PE_FPD		1
#define VTD_PE_AW_H		4
#define VTD_PE_AW_L		2
#define VTD_PE_SLEE		5
#define VTD_PE_PGTT_H		8
#define VTD_PE_PGTT_L		6
#define VTD_PE_SLADE		9
#define VTD_PE_SLPTPTR_MASK	XI_GENMASK(63, 12)
#define VTD_PE_RSVD0		XI_GENMASK(11, 10)
#define VTD_PE_DID_H		15		/* qw1 */
#define VTD_PE_DID_L		0
#define VTD_PE_PWSNP		23
#define VTD_PE_PGSNP		24
#define VTD_PE_CD		25
#define VTD_PE_EMTE		26
#define VTD_PE_EMT_H		29
#define VTD_PE_EMT_L		27
#define VTD_PE_PWT		30
#define VTD_PE_PCD		31
#define VTD_PE_PAT_H		63
#define VTD_PE_PAT_L		32
#define VTD_PE_RSVD1		XI_GENMASK(22, 16)
#define VTD_PE_SRE		0		/* qw2 */
#define VTD_PE_ERE		1
#define VTD_PE_FLPM_H		3
#define VTD_PE_FLPM_L		2
#define VTD_PE_WPE		4
#define VTD_PE_NXE		5
#define VTD_PE_SMEP		6
#define VTD_PE_EAFE		7
#define VTD_PE_FLPTPTR_MASK	XI_GENMASK(63, 12)
#define VTD_PE_RSVD2		XI_GENMASK(11, 8)
/* qw3..qw7: reserved here */

#define VTD_PGTT_FL		1
#define VTD_PGTT_SL		2
#define VTD_PGTT_NESTED		3
#define VTD_PGTT_PT		4

#define VTD_AW_39		1
#define VTD_AW_48		2
#define VTD_AW_57		3

/* ---- first-level (IA-32e) paging entry ------------------------------------- */

#define VTD_FL_P		0
#define VTD_FL_RW		1
#define VTD_FL_US		2
#define VTD_FL_PWT		3
#define VTD_FL_PCD		4
#define VTD_FL_A		5
#define VTD_FL_D		6
#define VTD_FL_PS		7
#define VTD_FL_G		8
#define VTD_FL_EA		10
#define VTD_FL_XD		63
#define VTD_FL_ADDR_MASK	XI_GENMASK(51, 12)

/* ---- second-level paging entry ---------------------------------------------- */

#define VTD_SL_R		0
#define VTD_SL_W		1
#define VTD_SL_X		2
#define VTD_SL_PS		7
#define VTD_SL_A		8
#define VTD_SL_D		9
#define VTD_SL_SNP		11	/* reserved at every level when ECAP.SC = 0 */
#define VTD_SL_ADDR_MASK	XI_GENMASK(51, 12)
/* bits treated as reserved by the model: 62 (TM, no device-TLB semantics), 6:3 on
 * non-leaf entries are ignored */
#define VTD_SL_RSVD		XI_BIT(62)

#include <xiommu/arch/vtd_qi.h>

/* ---- primary fault recording register (128 bits) ---------------------------- */

#define VTD_FRCD_FI_MASK	XI_GENMASK(63, 12)	/* qw0 */
#define VTD_FRCD_SID_H		15			/* qw1 */
#define VTD_FRCD_SID_L		0
#define VTD_FRCD_PRIV		29
#define VTD_FRCD_EXE		30
#define VTD_FRCD_PP		31
#define VTD_FRCD_FR_H		39
#define VTD_FRCD_FR_L		32
#define VTD_FRCD_PV_H		59
#define VTD_FRCD_PV_L		40
#define VTD_FRCD_AT_H		61
#define VTD_FRCD_AT_L		60
#define VTD_FRCD_T		62	/* 1: read, 0: write */
#define VTD_FRCD_F		63
#define VTD_FRCD_RSVD0		XI_GENMASK(11, 0)
#define VTD_FRCD_RSVD1		XI_GENMASK(28, 16)

static inline void vtd_frcd_encode(uint64_t *w, uint64_t addr, uint32_t sid, uint32_t fr,
				   uint32_t pp, uint32_t pasid, uint32_t read, uint32_t priv,
				   uint32_t exe)
{
	w[0] = addr & VTD_FRCD_FI_MASK;
	w[1] = XI_PUT(sid, 15, 0) | XI_PUT(priv, 29, 29) | XI_PUT(exe, 30, 30) |
	       XI_PUT(pp, 31, 31) | XI_PUT(fr, 39, 32) | XI_PUT(pp ? pasid : 0, 59, 40) |
	       XI_PUT(read, 62, 62) | XI_BIT(VTD_FRCD_F);
}

/* Fault reasons (scalable mode). */
#define VTD_FR_ROOT_ACCESS	0x38
#define VTD_FR_ROOT_P		0x39
#define VTD_FR_ROOT_RSVD	0x3a
#define VTD_FR_CTX_ACCESS	0x40
#define VTD_FR_CTX_P		0x41
#define VTD_FR_CTX_RSVD		0x42
#define VTD_FR_CTX_INVALID	0x43
#define VTD_FR_CTX_DTE		0x44
#define VTD_FR_CTX_PASIDE	0x45
#define VTD_FR_PASID_RANGE	0x46
#define VTD_FR_CTX_PRE		0x47
#define VTD_FR_RID_PASID	0x48
#define VTD_FR_PDE_ACCESS	0x50
#define VTD_FR_PDE_P		0x51
#define VTD_FR_PDE_RSVD		0x52
#define VTD_FR_PE_ACCESS	0x58
#define VTD_FR_PE_P		0x59
#define VTD_FR_PE_RSVD		0x5a
#define VTD_FR_PE_INVALID	0x5b
#define VTD_FR_PE_ERE		0x5c
#define VTD_FR_PE_SRE		0x5d
#define VTD_FR_FL_ACCESS	0x70
#define VTD_FR_FL_P		0x71
#define VTD_FR_FL_RSVD		0x72
#define VTD_FR_FL_ROOT_ACCESS	0x73
#define VTD_FR_FL_MGAW		0x74
#define VTD_FR_FL_ROOT_SLR	0x75	/* nested: SL read fault on the FL root table */
#define VTD_FR_FL_SLR		0x76	/* nested: SL read fault on a FL table */
#define VTD_FR_FL_SLW		0x77	/* nested: SL write fault on a FL A/D update */
#define VTD_FR_SL_ACCESS	0x78
#define VTD_FR_SL_PERM		0x79
#define VTD_FR_SL_RSVD		0x7a
#define VTD_FR_SL_PTR		0x7b
#define VTD_FR_SL_AD_NOSNOOP	0x7c	/* SL A/D update needed, entry set up no-snoop */
#define VTD_FR_CANONICAL	0x80
#define VTD_FR_US		0x81
#define VTD_FR_XD		0x82
#define VTD_FR_HW_MAX		0x83
#define VTD_FR_SL_MAX		0x84
#define VTD_FR_WRITE		0x85
#define VTD_FR_READ		0x86
#define VTD_FR_FL_AD_NOSNOOP	0x90	/* FL A/D update needed, entry set up no-snoop */

/* ---- page request descriptor (256 bits) ------------------------------------- */

#define VTD_PRQ_TYPE_H		7	/* qw0 */
#define VTD_PRQ_TYPE_L		0
#define VTD_PRQ_TYPE_PAGE_REQ	0x01
#define VTD_PRQ_PASID_PRESENT	8
#define VTD_PRQ_PRIV_DATA	9
#define VTD_PRQ_RID_H		31
#define VTD_PRQ_RID_L		16
#define VTD_PRQ_PASID_H		51
#define VTD_PRQ_PASID_L		32
#define VTD_PRQ_EXE		52
#define VTD_PRQ_PM		53
#define VTD_PRQ_RSVD0		(XI_GENMASK(63, 54) | XI_GENMASK(15, 10))
#define VTD_PRQ_RD		0	/* qw1 */
#define VTD_PRQ_WR		1
#define VTD_PRQ_LPIG		2
#define VTD_PRQ_PRGI_H		11
#define VTD_PRQ_PRGI_L		3
#define VTD_PRQ_ADDR_MASK	XI_GENMASK(63, 12)

static inline void vtd_prq_encode(uint64_t *w, uint32_t rid, uint32_t pp, uint32_t pasid,
				  uint32_t exe, uint32_t pm, uint32_t rd, uint32_t wr,
				  uint32_t lpig, uint32_t prgi, uint64_t addr)
{
	w[0] = XI_PUT(VTD_PRQ_TYPE_PAGE_REQ, 7, 0) | XI_PUT(pp, 8, 8) | XI_PUT(rid, 31, 16) |
	       XI_PUT(pp ? pasid : 0, 51, 32) | XI_PUT(exe, 52, 52) | XI_PUT(pm, 53, 53);
	w[1] = XI_PUT(rd, 0, 0) | XI_PUT(wr, 1, 1) | XI_PUT(lpig, 2, 2) | XI_PUT(prgi, 11, 3) |
	       (addr & VTD_PRQ_ADDR_MASK);
	w[2] = w[3] = 0;
}

/* ---- CAP / ECAP from parameters -------------------------------------------- */

#define VTD_FRO_UNITS		0x22	/* fault records at 0x220 */
#define VTD_IRO_UNITS		0x50	/* IOTLB registers at 0x500 */

static inline uint64_t vtd_cap_from_params(const struct xiommu_vtd_params *p)
{
	return XI_PUT(p->nd, 2, 0) | XI_PUT(p->sagaw << 1, 12, 8) | XI_PUT(p->mgaw - 1, 21, 16) |
	       XI_PUT(VTD_FRO_UNITS, 33, 24) | XI_PUT(p->sllps, 37, 34) | XI_PUT(p->psi, 39, 39) |
	       XI_PUT(p->nfr - 1, 47, 40) | XI_PUT(p->psi ? p->mamv : 0, 53, 48) |
	       XI_BIT(VTD_CAP_DWD) | XI_BIT(VTD_CAP_DRD) | XI_PUT(p->fl1gp, 56, 56) |
	       XI_PUT(p->fl5lp, 60, 60);
}

static inline uint64_t vtd_ecap_from_params(const struct xiommu_vtd_params *p)
{
	return XI_BIT(VTD_ECAP_C) | XI_BIT(VTD_ECAP_QI) | XI_PUT(p->dt, 2, 2) |
	       XI_PUT(p->pt, 6, 6) | XI_PUT(VTD_IRO_UNITS, 17, 8) | XI_PUT(p->nest, 26, 26) |
	       XI_PUT(p->prs, 29, 29) | XI_PUT(p->ers, 30, 30) | XI_PUT(p->srs, 31, 31) |
	       XI_PUT(p->eafs, 34, 34) | XI_PUT(p->pasid_bits - 1, 39, 35) |
	       XI_BIT(VTD_ECAP_PASID) | XI_BIT(VTD_ECAP_SMTS) | XI_PUT(p->slads, 45, 45) |
	       XI_BIT(VTD_ECAP_SLTS) | XI_BIT(VTD_ECAP_FLTS) | XI_BIT(VTD_ECAP_SMPWCS);
}

/* ---- what a unit accepts ------------------------------------------------- */

/*
 * The PASID table entry rule of a unit with registers @cap / @ecap: 0 when a
 * present entry is legal, else the scalable-mode fault reason the unit
 * reports for it (VTD_FR_PE_RSVD: reserved bits, a SLPTPTR beyond MGAW;
 * VTD_FR_PE_INVALID: a PGTT, AW, FLPM or enable the unit does not offer:
 * first level needs ECAP.FLTS, second level ECAP.SLTS, nested ECAP.NEST).
 * The model faults with it; the host layer refuses such an entry before a
 * program runs.
 */
static inline uint32_t vtd_pe_fault(const uint64_t *pe, uint64_t cap, uint64_t ecap)
{
	uint32_t pgtt = (uint32_t)XI_GET(pe[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L), i;
	uint32_t aw = (uint32_t)XI_GET(pe[0], VTD_PE_AW_H, VTD_PE_AW_L), flpm;
	uint32_t sagaw = (uint32_t)XI_GET(cap, VTD_CAP_SAGAW_H, VTD_CAP_SAGAW_L) >> 1;
	uint32_t mgaw = (uint32_t)XI_GET(cap, VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) + 1;

	if ((pe[0] & VTD_PE_RSVD0) || (pe[1] & VTD_PE_RSVD1) || (pe[2] & VTD_PE_RSVD2))
		return VTD_FR_PE_RSVD;
	for (i = 3; i < VTD_PE_WORDS; i++)
		if (pe[i])
			return VTD_FR_PE_RSVD;
	switch (pgtt) {
	case VTD_PGTT_FL:	/* a translation type the unit does not offer is invalid */
		if (!(ecap & XI_BIT(VTD_ECAP_FLTS)))
			return VTD_FR_PE_INVALID;
		break;
	case VTD_PGTT_SL:
		if (!(ecap & XI_BIT(VTD_ECAP_SLTS)))
			return VTD_FR_PE_INVALID;
		break;
	case VTD_PGTT_NESTED:
		if (!(ecap & XI_BIT(VTD_ECAP_NEST)))
			return VTD_FR_PE_INVALID;
		break;
	case VTD_PGTT_PT:
		return ecap & XI_BIT(VTD_ECAP_PT) ? 0 : VTD_FR_PE_INVALID;
	default:
		return VTD_FR_PE_INVALID;
	}
	if (pgtt != VTD_PGTT_FL) {
		if (aw < 1 || aw > 3 || !(sagaw & (1u << (aw - 1))))
			return VTD_FR_PE_INVALID;
		if ((pe[0] & VTD_PE_SLPTPTR_MASK) >> mgaw)
			return VTD_FR_PE_RSVD;
		if ((pe[0] & XI_BIT(VTD_PE_SLADE)) && !(ecap & XI_BIT(VTD_ECAP_SLADS)))
			return VTD_FR_PE_INVALID;
	}
	if (pgtt != VTD_PGTT_SL) {
		flpm = (uint32_t)XI_GET(pe[2], VTD_PE_FLPM_H, VTD_PE_FLPM_L);
		if (flpm > 1 || (flpm == 1 && !(cap & XI_BIT(VTD_CAP_FL5LP))))
			return VTD_FR_PE_INVALID;
		if (((pe[2] & XI_BIT(VTD_PE_SRE)) && !(ecap & XI_BIT(VTD_ECAP_SRS))) ||
		    ((pe[2] & XI_BIT(VTD_PE_ERE)) && !(ecap & XI_BIT(VTD_ECAP_ERS))) ||
		    ((pe[2] & XI_BIT(VTD_PE_EAFE)) && !(ecap & XI_BIT(VTD_ECAP_EAFS))))
			return VTD_FR_PE_INVALID;
	}
	return 0;
}

#endif /* XIOMMU_ARCH_VTD_H */
