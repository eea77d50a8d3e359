/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Arm SMMUv3 formats (IHI0070): the one definition shared by the model
 * (kernel/model/smmuv3), the plugin (plugins/smmuv3) and the kernel module.
 *
 * Field macros are "dword, high bit, low bit" triples for XI_GET/XI_PUT on
 * the 64-bit little-endian words of a structure. Addresses are modelled to
 * the spec width (bit 55); bits above OAS/IAS are RES0.
 *
 * Model conventions fixed here:
 *  - struct xm_event.kind: SMMUV3_EVK_EVTQ (32-byte EVTQ record, 4 words)
 *    or SMMUV3_EVK_PRIQ (16-byte PRI queue entry, 2 words).
 *  - Stall: a faulting access whose CD has S=1 returns XIOMMU_DMA_STALLED
 *    with req->stag and queues an event with Stall=1 and that STAG. The
 *    transaction stays held: the same access issued again before the
 *    RESUME returns STALLED again without a new event. RESUME Ac=1 (retry)
 *    releases it and the device's next issue of that access is translated
 *    afresh (so it succeeds if the guest fixed its table); RESUME Ac=0
 *    (terminate) makes the next issue of that access end with
 *    XIOMMU_DMA_FAULT and no event. A RESUME naming no held STAG is ignored.
 *    CD.R does not suppress a stall's record (IHI0070 5.5). With the Event
 *    queue full nothing is held: STALLED with stag 0 and no record, and the
 *    next issue is translated afresh (3.12.2); with every stall slot held
 *    the fault terminates, recorded with Stall = 0 even when R = 0.
 *  - TERM_MODEL is 1: terminated transactions always abort (CD.A must be 1).
 *  - PRI (IDR0.PRI): an access from an EATS = 01 stream that meets a stage-1
 *    F_TRANSLATION or F_PERMISSION it does not stall on becomes a one-page
 *    page request (PRIQ entry, Last = 1, PRG index from a 9-bit counter):
 *    XIOMMU_DMA_STALLED with req->stag = PRG index, and no EVTQ record.
 *    Until a PRI_RESP for (SID, SSV/SSID, PRG index) the same access returns
 *    STALLED again; Success makes its next issue translate afresh, Invalid
 *    or Failure makes it end with XIOMMU_DMA_FAULT and no event. A full PRI
 *    queue (1 << IDR1.PRIQS entries) drops the request (stats events_lost).
 */
#ifndef XIOMMU_ARCH_SMMUV3_H
#define XIOMMU_ARCH_SMMUV3_H

#include <xiommu/arch/bits.h>

/*
 * Field accessors. Structure fields are "dword, high, low" triples:
 * SMMUV3_GET(words, F) reads words[dword]; SMMUV3_WGET/WPUT work on the one
 * word the caller names. Register and descriptor fields are "high, low"
 * pairs: SMMUV3_RGET/RPUT.
 */
#define SMMUV3_CALL(m, ...)		m(__VA_ARGS__)
#define SMMUV3_GET_(w, d, h, l)		XI_GET((w)[d], h, l)
#define SMMUV3_WGET_(w, d, h, l)	XI_GET(w, h, l)
#define SMMUV3_WPUT_(v, d, h, l)	XI_PUT(v, h, l)
#define SMMUV3_GET(w, f)		SMMUV3_CALL(SMMUV3_GET_, w, f)
#define SMMUV3_WGET(w, f)		SMMUV3_CALL(SMMUV3_WGET_, w, f)
#define SMMUV3_WPUT(v, f)		SMMUV3_CALL(SMMUV3_WPUT_, v, f)
#define SMMUV3_RGET(w, f)		SMMUV3_CALL(XI_GET, w, f)
#define SMMUV3_RPUT(v, f)		SMMUV3_CALL(XI_PUT, v, f)

/* ---- unit parameters (ini keys of a [unit] with vendor = smmuv3) -------- */

struct xiommu_smmuv3_params {
	uint32_t sid_bits;	/* IDR1.SIDSIZE, 1..32 (model: <= 24) */
	uint32_t ssid_bits;	/* IDR1.SSIDSIZE, 0..20 */
	uint32_t oas;		/* IDR5.OAS in bits: 32 36 40 42 44 48 52 */
	uint32_t granules;	/* SMMUV3_GRAN_* set: IDR5.GRAN4K/16K/64K */
	uint32_t ril;		/* IDR3.RIL */
	uint32_t stall;		/* IDR0.STALL_MODEL: 1 -> 00 (stall+terminate), 0 -> 01 */
	uint32_t ats;		/* IDR0.ATS */
	uint32_t pri;		/* IDR0.PRI */
	uint32_t vmid16;	/* IDR0.VMID16 */
	uint32_t asid16;	/* IDR0.ASID16 */
	uint32_t st_level;	/* IDR0.ST_LEVEL 2-level stream table (used when set) */
	uint32_t cd2l;		/* IDR0.CD2L */
	uint32_t s2_granule;	/* host stage-2 granule shift: 12, 14, 16 */
	uint32_t s2_ias;	/* host stage-2 input bits, 32..48 (<= oas) */
	uint32_t hitless_check;	/* model rejects programs with an illegal intermediate STE */
	uint32_t evtq_bits;	/* IDR1.EVENTQS: log2 event queue entries, 1..10 */
};

#define SMMUV3_GRAN_4K		(1u << 0)	/* same bits as XIOMMU_GRANULE_* */
#define SMMUV3_GRAN_16K		(1u << 1)
#define SMMUV3_GRAN_64K		(1u << 2)

#define SMMUV3_PARAMS_DEFAULT { .sid_bits = 16, .ssid_bits = 20, .oas = 48, \
	.granules = SMMUV3_GRAN_4K | SMMUV3_GRAN_64K, .ril = 1, .stall = 1, .ats = 1, \
	.pri = 0, .vmid16 = 1, .asid16 = 1, .st_level = 1, .cd2l = 1, .s2_granule = 12, \
	.s2_ias = 48, .hitless_check = 1, .evtq_bits = 7 }

/* xm_event.kind */
#define SMMUV3_EVK_EVTQ		1
#define SMMUV3_EVK_PRIQ		2

/* ---- ID registers (raw_type XIOMMU_RAW_SMMUV3: IDR0..5, IIDR, AIDR) ----- */

#define SMMUV3_REGS_LEN		32
#define SMMUV3_IDR0_S2P		0, 0
#define SMMUV3_IDR0_S1P		1, 1
#define SMMUV3_IDR0_TTF		3, 2
#define SMMUV3_IDR0_COHACC	4, 4
#define SMMUV3_IDR0_BTM		5, 5
#define SMMUV3_IDR0_HTTU	7, 6
#define SMMUV3_IDR0_HYP		9, 9
#define SMMUV3_IDR0_ATS		10, 10
#define SMMUV3_IDR0_ASID16	12, 12
#define SMMUV3_IDR0_MSI		13, 13
#define SMMUV3_IDR0_PRI		16, 16
#define SMMUV3_IDR0_VMID16	18, 18
#define SMMUV3_IDR0_CD2L	19, 19
#define SMMUV3_IDR0_TTENDIAN	22, 21
#define SMMUV3_IDR0_STALL_MODEL	25, 24
#define SMMUV3_IDR0_TERM_MODEL	26, 26
#define SMMUV3_IDR0_ST_LEVEL	28, 27
#define SMMUV3_IDR1_SIDSIZE	5, 0
#define SMMUV3_IDR1_SSIDSIZE	10, 6
#define SMMUV3_IDR1_PRIQS	15, 11
#define SMMUV3_IDR1_EVENTQS	20, 16
#define SMMUV3_IDR1_CMDQS	25, 21
#define SMMUV3_IDR1_ATTR_TYPES_OVR 27, 27
#define SMMUV3_IDR3_FWB		8, 8
#define SMMUV3_IDR3_STT		9, 9
#define SMMUV3_IDR3_RIL		10, 10
#define SMMUV3_IDR3_BBML	12, 11
#define SMMUV3_IDR5_OAS		2, 0
#define SMMUV3_IDR5_GRAN4K	4, 4
#define SMMUV3_IDR5_GRAN16K	5, 5
#define SMMUV3_IDR5_GRAN64K	6, 6
#define SMMUV3_IDR5_VAX		11, 10
#define SMMUV3_IDR5_STALL_MAX	31, 16

#define SMMUV3_STALL_MODEL_BOTH	0	/* stall and terminate */
#define SMMUV3_STALL_MODEL_NONE	1	/* no stall: S2S/CD.S must be 0 */
#define SMMUV3_STALL_MODEL_FORCE 2	/* stall forced: CD.S must be 1 */

/* OAS / IPS / S2PS code <-> address bits; -1/0 on an unknown value. */
static inline unsigned int smmuv3_pa_bits(unsigned int code)
{
	static const unsigned char b[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	return b[code & 7];
}

static inline int smmuv3_pa_code(unsigned int bits)
{
	unsigned int c;

	for (c = 0; c < 8; c++)
		if (smmuv3_pa_bits(c) == bits)
			return (int)c;
	return -1;
}

/* ---- stream table ------------------------------------------------------- */

/* SMMU_STRTAB_BASE (0x80) and SMMU_STRTAB_BASE_CFG (0x88) */
#define SMMUV3_STRTAB_BASE_ADDR_MASK	XI_GENMASK(51, 6)
#define SMMUV3_STRTAB_CFG_LOG2SIZE	0, 5, 0
#define SMMUV3_STRTAB_CFG_SPLIT		0, 10, 6
#define SMMUV3_STRTAB_CFG_FMT		0, 17, 16	/* 0 linear, 1 2-level */
#define SMMUV3_STRTAB_CFG_MASK		(XI_GENMASK(10, 0) | XI_GENMASK(17, 16))

#define SMMUV3_STE_DWORDS	8
#define SMMUV3_STE_SIZE		64
#define SMMUV3_STRTAB_SPLIT	8	/* 2-level: 256 STEs (16 KiB) per L2 table */
#define SMMUV3_L1STD_SPAN	0, 4, 0
#define SMMUV3_L1STD_L2PTR	0, 55, 6

#define SMMUV3_STE_V		0, 0, 0
#define SMMUV3_STE_CONFIG	0, 3, 1
#define SMMUV3_STE_S1FMT	0, 5, 4
#define SMMUV3_STE_S1CTXPTR	0, 55, 6
#define SMMUV3_STE_S1CDMAX	0, 63, 59
#define SMMUV3_STE_S1DSS	1, 1, 0
#define SMMUV3_STE_S1CIR	1, 3, 2
#define SMMUV3_STE_S1COR	1, 5, 4
#define SMMUV3_STE_S1CSH	1, 7, 6
#define SMMUV3_STE_S2HWU	1, 11, 8
#define SMMUV3_STE_DRE		1, 12, 12
#define SMMUV3_STE_CONT		1, 16, 13
#define SMMUV3_STE_DCP		1, 17, 17
#define SMMUV3_STE_PPAR		1, 18, 18
#define SMMUV3_STE_MEV		1, 19, 19
#define SMMUV3_STE_S1PIE	1, 24, 24
#define SMMUV3_STE_S2FWB	1, 25, 25
#define SMMUV3_STE_S1MPAM	1, 26, 26
#define SMMUV3_STE_S1STALLD	1, 27, 27
#define SMMUV3_STE_EATS		1, 29, 28
#define SMMUV3_STE_STRW		1, 31, 30
#define SMMUV3_STE_MEMATTR	1, 35, 32
#define SMMUV3_STE_MTCFG	1, 36, 36
#define SMMUV3_STE_ALLOCCFG	1, 40, 37
#define SMMUV3_STE_SHCFG	1, 45, 44
#define SMMUV3_STE_NSCFG	1, 47, 46
#define SMMUV3_STE_PRIVCFG	1, 49, 48
#define SMMUV3_STE_INSTCFG	1, 51, 50
#define SMMUV3_STE_S2VMID	2, 15, 0
#define SMMUV3_STE_S2T0SZ	2, 37, 32
#define SMMUV3_STE_S2SL0	2, 39, 38
#define SMMUV3_STE_S2IR0	2, 41, 40
#define SMMUV3_STE_S2OR0	2, 43, 42
#define SMMUV3_STE_S2SH0	2, 45, 44
#define SMMUV3_STE_S2TG		2, 47, 46
#define SMMUV3_STE_S2PS		2, 50, 48
#define SMMUV3_STE_S2AA64	2, 51, 51
#define SMMUV3_STE_S2ENDI	2, 52, 52
#define SMMUV3_STE_S2AFFD	2, 53, 53
#define SMMUV3_STE_S2PTW	2, 54, 54
#define SMMUV3_STE_S2HD		2, 55, 55
#define SMMUV3_STE_S2HA		2, 56, 56
#define SMMUV3_STE_S2S		2, 57, 57
#define SMMUV3_STE_S2R		2, 58, 58
#define SMMUV3_STE_S2TTB	3, 55, 4

/* RES0 masks of each STE word for the fields this model implements. */
#define SMMUV3_STE_RES0_0	XI_GENMASK(58, 56)
#define SMMUV3_STE_RES0_1	(XI_GENMASK(23, 20) | XI_GENMASK(43, 41) | XI_GENMASK(63, 52))
#define SMMUV3_STE_RES0_2	(XI_GENMASK(31, 16) | XI_GENMASK(63, 59))
#define SMMUV3_STE_RES0_3	(XI_GENMASK(3, 0) | XI_GENMASK(63, 56))

#define SMMUV3_CFG_ABORT	0	/* 0b000; 0b001..0b011 reserved, behave as abort */
#define SMMUV3_CFG_BYPASS	4
#define SMMUV3_CFG_S1		5
#define SMMUV3_CFG_S2		6
#define SMMUV3_CFG_NESTED	7

#define SMMUV3_EATS_OFF		0	/* STE.EATS; 10, 11 (split stage, DPT) not modelled */
#define SMMUV3_EATS_FULL	1

#define SMMUV3_S1DSS_TERMINATE	0
#define SMMUV3_S1DSS_BYPASS	1
#define SMMUV3_S1DSS_SSID0	2

/* Guest-suppliable STE bits under nesting (V, Config, S1Fmt, S1ContextPtr, S1CDMax; S1DSS..EATS). */
#define SMMUV3_STE0_GUEST_MASK	0xf8ffffffffffffffull
#define SMMUV3_STE1_GUEST_MASK	0x380000ffull

/* STE/CD granule codes (TG0, S2TG): 00 4K, 01 64K, 10 16K */
static inline unsigned int smmuv3_tg_shift(unsigned int tg)
{
	return tg == 0 ? 12 : tg == 1 ? 16 : tg == 2 ? 14 : 0;
}

static inline unsigned int smmuv3_tg_code(unsigned int shift)
{
	return shift == 16 ? 1 : shift == 14 ? 2 : 0;
}

/* CD.TG1 codes: 01 16K, 10 4K, 11 64K */
static inline unsigned int smmuv3_tg1_shift(unsigned int tg1)
{
	return tg1 == 1 ? 14 : tg1 == 2 ? 12 : tg1 == 3 ? 16 : 0;
}

/*
 * S2SL0 <-> start level. 4K: 0 -> L2, 1 -> L1, 2 -> L0. 16K/64K: 0 -> L3,
 * 1 -> L2, 2 -> L1. Returns -1 for a reserved code.
 */
static inline int smmuv3_sl0_level(unsigned int gshift, unsigned int sl0)
{
	if (sl0 > 2)
		return -1;
	return gshift == 12 ? 2 - (int)sl0 : 3 - (int)sl0;
}

static inline unsigned int smmuv3_level_sl0(unsigned int gshift, unsigned int level)
{
	return gshift == 12 ? 2 - level : 3 - level;
}

/*
 * Bits of an STE word that the STE's own configuration uses: the bits whose
 * value changes what a DMA sees. An STE with V=0 uses V only, an abort STE
 * V and Config. Shared by the model's hitless check and the plugin's
 * update sequencing.
 */
static inline void smmuv3_ste_used(const uint64_t *ste, uint64_t *used)
{
	unsigned int cfg = (unsigned int)XI_GET(ste[0], 3, 1), i;

	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		used[i] = 0;
	used[0] = XI_GENMASK(0, 0);
	if (!(ste[0] & 1))
		return;
	used[0] |= XI_GENMASK(3, 1);
	if (!(cfg & 4))
		return;
	used[1] |= XI_GENMASK(51, 44) | XI_GENMASK(40, 32) | XI_GENMASK(31, 28);
	if (cfg & 1) {
		used[0] |= XI_GENMASK(63, 4);
		used[1] |= XI_GENMASK(7, 0) | XI_GENMASK(27, 27) | XI_GENMASK(19, 19) |
			   XI_GENMASK(24, 24) | XI_GENMASK(26, 26);
	}
	if (cfg & 2) {
		used[1] |= XI_GENMASK(25, 25) | XI_GENMASK(19, 19) | XI_GENMASK(11, 8);
		used[2] = ~0ull;
		used[3] = XI_GENMASK(55, 4);
	}
}

/* ---- context descriptor ------------------------------------------------- */

#define SMMUV3_CD_DWORDS	8
#define SMMUV3_CD_SIZE		64
#define SMMUV3_CD_T0SZ		0, 5, 0
#define SMMUV3_CD_TG0		0, 7, 6
#define SMMUV3_CD_IR0		0, 9, 8
#define SMMUV3_CD_OR0		0, 11, 10
#define SMMUV3_CD_SH0		0, 13, 12
#define SMMUV3_CD_EPD0		0, 14, 14
#define SMMUV3_CD_ENDI		0, 15, 15
#define SMMUV3_CD_T1SZ		0, 21, 16
#define SMMUV3_CD_TG1		0, 23, 22
#define SMMUV3_CD_IR1		0, 25, 24
#define SMMUV3_CD_OR1		0, 27, 26
#define SMMUV3_CD_SH1		0, 29, 28
#define SMMUV3_CD_EPD1		0, 30, 30
#define SMMUV3_CD_V		0, 31, 31
#define SMMUV3_CD_IPS		0, 34, 32
#define SMMUV3_CD_AFFD		0, 35, 35
#define SMMUV3_CD_WXN		0, 36, 36
#define SMMUV3_CD_UWXN		0, 37, 37
#define SMMUV3_CD_TBI0		0, 38, 38
#define SMMUV3_CD_TBI1		0, 39, 39
#define SMMUV3_CD_PAN		0, 40, 40
#define SMMUV3_CD_AA64		0, 41, 41
#define SMMUV3_CD_HD		0, 42, 42
#define SMMUV3_CD_HA		0, 43, 43
#define SMMUV3_CD_S		0, 44, 44
#define SMMUV3_CD_R		0, 45, 45
#define SMMUV3_CD_A		0, 46, 46
#define SMMUV3_CD_ASET		0, 47, 47
#define SMMUV3_CD_ASID		0, 63, 48
#define SMMUV3_CD_TTB0		1, 55, 4
#define SMMUV3_CD_TTB1		2, 55, 4
#define SMMUV3_CD_MAIR0		3, 31, 0
#define SMMUV3_CD_MAIR1		3, 63, 32
#define SMMUV3_CD_RES0_1	(XI_GENMASK(3, 0) | XI_GENMASK(63, 56))
#define SMMUV3_CD_RES0_2	(XI_GENMASK(3, 0) | XI_GENMASK(63, 56))

#define SMMUV3_L1CD_V		0, 0, 0
#define SMMUV3_L1CD_L2PTR	0, 55, 12
#define SMMUV3_L1CD_RES0	(XI_GENMASK(11, 1) | XI_GENMASK(63, 56))

#define SMMUV3_S1FMT_LINEAR	0
#define SMMUV3_S1FMT_2L_4K	1	/* 64 CDs per leaf */
#define SMMUV3_S1FMT_2L_64K	2	/* 1024 CDs per leaf */

/* Leaf index bits of a 2-level CD table (0 for linear). */
static inline unsigned int smmuv3_cd_split(unsigned int s1fmt)
{
	return s1fmt == SMMUV3_S1FMT_2L_4K ? 6 : s1fmt == SMMUV3_S1FMT_2L_64K ? 10 : 0;
}

/* ---- event queue -------------------------------------------------------- */

#define SMMUV3_EVT_DWORDS	4
#define SMMUV3_EVT_ID		0, 7, 0
#define SMMUV3_EVT_SSV		0, 11, 11
#define SMMUV3_EVT_SSID		0, 31, 12
#define SMMUV3_EVT_SID		0, 63, 32
#define SMMUV3_EVT_STAG		1, 15, 0
#define SMMUV3_EVT_STALL	1, 31, 31
#define SMMUV3_EVT_PNU		1, 33, 33
#define SMMUV3_EVT_IND		1, 34, 34
#define SMMUV3_EVT_RNW		1, 35, 35
#define SMMUV3_EVT_S2		1, 39, 39
#define SMMUV3_EVT_CLASS	1, 41, 40
#define SMMUV3_EVT_TTRNW	1, 44, 44
#define SMMUV3_EVT_INPUT	2, 63, 0
#define SMMUV3_EVT_IPA		3, 55, 12
#define SMMUV3_EVT_FETCH	3, 55, 3

#define SMMUV3_CLASS_CD		0
#define SMMUV3_CLASS_TT		1
#define SMMUV3_CLASS_IN		2

#define SMMUV3_EVT_F_UUT		0x01
#define SMMUV3_EVT_C_BAD_STREAMID	0x02
#define SMMUV3_EVT_F_STE_FETCH		0x03
#define SMMUV3_EVT_C_BAD_STE		0x04
#define SMMUV3_EVT_F_BAD_ATS_TREQ	0x05
#define SMMUV3_EVT_F_STREAM_DISABLED	0x06
#define SMMUV3_EVT_F_TRANSL_FORBIDDEN	0x07
#define SMMUV3_EVT_C_BAD_SUBSTREAMID	0x08
#define SMMUV3_EVT_F_CD_FETCH		0x09
#define SMMUV3_EVT_C_BAD_CD		0x0a
#define SMMUV3_EVT_F_WALK_EABT		0x0b
#define SMMUV3_EVT_F_TRANSLATION	0x10
#define SMMUV3_EVT_F_ADDR_SIZE		0x11
#define SMMUV3_EVT_F_ACCESS		0x12
#define SMMUV3_EVT_F_PERMISSION		0x13
#define SMMUV3_EVT_F_TLB_CONFLICT	0x20
#define SMMUV3_EVT_F_CFG_CONFLICT	0x21
#define SMMUV3_EVT_E_PAGE_REQUEST	0x24
#define SMMUV3_EVT_F_VMS_FETCH		0x25

/* PRI queue entry (16 bytes) */
#define SMMUV3_PRIQ_SID		0, 31, 0
#define SMMUV3_PRIQ_SSID	0, 51, 32
#define SMMUV3_PRIQ_PRIV	0, 58, 58
#define SMMUV3_PRIQ_EXEC	0, 59, 59
#define SMMUV3_PRIQ_READ	0, 60, 60
#define SMMUV3_PRIQ_WRITE	0, 61, 61
#define SMMUV3_PRIQ_LAST	0, 62, 62
#define SMMUV3_PRIQ_SSV		0, 63, 63
#define SMMUV3_PRIQ_PRGI	1, 8, 0
#define SMMUV3_PRIQ_ADDR	1, 63, 12

/* ---- VMSAv8-64 descriptors (stage 1 and stage 2) ------------------------ */

#define SMMUV3_PTE_VALID	XI_BIT(0)
#define SMMUV3_PTE_TABLE	XI_BIT(1)	/* table (L0-2) or page (L3) */
#define SMMUV3_PTE_ATTRINDX	4, 2
#define SMMUV3_PTE_MEMATTR	5, 2		/* stage 2 */
#define SMMUV3_PTE_AP		7, 6		/* stage 1 AP[2:1] */
#define SMMUV3_PTE_S2AP		7, 6		/* stage 2: bit 6 read, bit 7 write */
#define SMMUV3_PTE_SH		9, 8
#define SMMUV3_PTE_AF		XI_BIT(10)
#define SMMUV3_PTE_NG		XI_BIT(11)
#define SMMUV3_PTE_PXN		XI_BIT(53)
#define SMMUV3_PTE_UXN		XI_BIT(54)	/* stage 2: XN */
#define SMMUV3_PTE_PXNTABLE	XI_BIT(59)
#define SMMUV3_PTE_UXNTABLE	XI_BIT(60)
#define SMMUV3_PTE_APTABLE	62, 61

/*
 * Output address of a descriptor for granule @g. 64K: OA[51:48] in bits
 * 15:12 (FEAT_LPA). 4K/16K without DS (no FEAT_LPA2 here): bits [47:g]
 * only, 49:48 are not address (Arm ARM D8.3; QEMU get_phys_addr_lpae()),
 * so such an output is at most 48 bits (SMMUV3_OA_MAX_NO_DS).
 */
#define SMMUV3_OA_MAX_NO_DS	48
static inline uint64_t smmuv3_pte_addr(uint64_t pte, unsigned int g)
{
	uint64_t a = pte & XI_GENMASK(47, g);

	if (g == 16)
		a |= XI_GET(pte, 15, 12) << 48;
	return a;
}

static inline uint64_t smmuv3_pte_make_addr(uint64_t pa, unsigned int g)
{
	if (g == 16)
		return (pa & XI_GENMASK(47, 16)) | XI_PUT(pa >> 48, 15, 12);
	return pa & XI_GENMASK(47, g);
}

/*
 * Host-owned STE words a domain implies (dw1 host bits, dw2, dw3) for a
 * stage-2 or nested STE. Model and plugin both use this, so they agree.
 */
static inline void smmuv3_ste_host_words(uint64_t s2_root, uint32_t vmid, unsigned int ias,
					 unsigned int oas_code, unsigned int gshift,
					 unsigned int start_level, uint64_t *w1, uint64_t *w2,
					 uint64_t *w3)
{
	*w1 = XI_PUT(1, 45, 44) /* SHCFG incoming */ | XI_PUT(1, 19, 19) /* MEV */;
	*w2 = XI_PUT(vmid, 15, 0) | XI_PUT(64 - ias, 37, 32) |
	      XI_PUT(smmuv3_level_sl0(gshift, start_level), 39, 38) |
	      XI_PUT(1, 41, 40) | XI_PUT(1, 43, 42) | XI_PUT(3, 45, 44) |
	      XI_PUT(smmuv3_tg_code(gshift), 47, 46) | XI_PUT(oas_code, 50, 48) |
	      XI_PUT(1, 51, 51) /* S2AA64 */ | XI_PUT(1, 54, 54) /* S2PTW */ |
	      XI_PUT(1, 58, 58) /* S2R */;
	*w3 = s2_root & XI_GENMASK(55, 4);
}

/* the command queue's entries: arch/smmuv3_cmdq.h */
#include <xiommu/arch/smmuv3_cmdq.h>

#endif /* XIOMMU_ARCH_SMMUV3_H */
