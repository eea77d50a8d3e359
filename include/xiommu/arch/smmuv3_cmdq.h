/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * SMMUv3 command queue entries (part of arch/smmuv3.h, which includes this
 * file): opcodes and fields, the bits each command may set, the legality
 * rule a unit applies (CMDQ_CONS.ERR), and builders for the commands the
 * host and the plugin emit.
 */
#ifndef XIOMMU_ARCH_SMMUV3_CMDQ_H
#define XIOMMU_ARCH_SMMUV3_CMDQ_H

#ifndef XIOMMU_ARCH_SMMUV3_H
#error "include <xiommu/arch/smmuv3.h>"
#endif

/* ---- command queue ------------------------------------------------------ */

#define SMMUV3_CMD_DWORDS	2
#define SMMUV3_CMD_OP		0, 7, 0
#define SMMUV3_CMD_SSEC		0, 10, 10
#define SMMUV3_CMD_SSV		0, 11, 11
#define SMMUV3_CMD_SSID		0, 31, 12
#define SMMUV3_CMD_SID		0, 63, 32
#define SMMUV3_CMD_VMID		0, 47, 32
#define SMMUV3_CMD_ASID		0, 63, 48
#define SMMUV3_CMD_NUM		0, 16, 12
#define SMMUV3_CMD_SCALE	0, 24, 20
#define SMMUV3_CMD_LEAF		1, 0, 0
#define SMMUV3_CMD_TTL128	1, 7, 7
#define SMMUV3_CMD_TTL		1, 9, 8
#define SMMUV3_CMD_TG		1, 11, 10
#define SMMUV3_CMD_ADDR		1, 63, 12	/* VA[63:12]; IPA uses [55:12] */
#define SMMUV3_CMD_RANGE	1, 4, 0		/* CFGI_STE_RANGE */
#define SMMUV3_CMD_ATC_GLOBAL	0, 9, 9
#define SMMUV3_CMD_ATC_SIZE	1, 5, 0
#define SMMUV3_CMD_PRI_PRGI	1, 8, 0
#define SMMUV3_CMD_PRI_RESP	1, 13, 12
#define SMMUV3_PRI_RESP_FAILURE	0
#define SMMUV3_PRI_RESP_INVALID	1
#define SMMUV3_PRI_RESP_SUCCESS	2	/* 3 is illegal: CERROR_ILL */
#define SMMUV3_CMD_RESUME_AC	0, 12, 12
#define SMMUV3_CMD_RESUME_AB	0, 13, 13
#define SMMUV3_CMD_RESUME_STAG	1, 15, 0
#define SMMUV3_CMD_SYNC_CS	0, 13, 12	/* 0 SIG_NONE, 1 SIG_IRQ (MSI write), 2 SIG_SEV */
#define SMMUV3_SYNC_CS_IRQ	1
#define SMMUV3_CMD_SYNC_MSH	0, 23, 22
#define SMMUV3_CMD_SYNC_MSIATTR	0, 27, 24
#define SMMUV3_CMD_SYNC_MSIDATA	0, 63, 32
#define SMMUV3_CMD_SYNC_MSIADDR	1, 55, 2

#define SMMUV3_OP_PREFETCH_CONFIG 0x01
#define SMMUV3_OP_PREFETCH_ADDR	0x02
#define SMMUV3_OP_CFGI_STE	0x03
#define SMMUV3_OP_CFGI_STE_RANGE 0x04	/* CFGI_ALL = Range 31 */
#define SMMUV3_OP_CFGI_CD	0x05
#define SMMUV3_OP_CFGI_CD_ALL	0x06
#define SMMUV3_OP_CFGI_VMS_PIDM	0x07
#define SMMUV3_OP_TLBI_NH_ALL	0x10
#define SMMUV3_OP_TLBI_NH_ASID	0x11
#define SMMUV3_OP_TLBI_NH_VA	0x12
#define SMMUV3_OP_TLBI_NH_VAA	0x13
#define SMMUV3_OP_TLBI_EL2_ALL	0x20
#define SMMUV3_OP_TLBI_EL2_ASID	0x21
#define SMMUV3_OP_TLBI_EL2_VA	0x22
#define SMMUV3_OP_TLBI_EL2_VAA	0x23
#define SMMUV3_OP_TLBI_S12_VMALL 0x28
#define SMMUV3_OP_TLBI_S2_IPA	0x2a
#define SMMUV3_OP_TLBI_NSNH_ALL	0x30
#define SMMUV3_OP_ATC_INV	0x40
#define SMMUV3_OP_PRI_RESP	0x41
#define SMMUV3_OP_RESUME	0x44
#define SMMUV3_OP_STALL_TERM	0x45
#define SMMUV3_OP_CMD_SYNC	0x46

/* CMDQ_CONS.ERR */
#define SMMUV3_CERROR_NONE	0
#define SMMUV3_CERROR_ILL	1
#define SMMUV3_CERROR_ABT	2
#define SMMUV3_CERROR_ATC_INV_SYNC 3

/*
 * Bits each command may have set (opcode and defined fields); anything
 * else is reserved and the command is CERROR_ILL. 0 mask = opcode this
 * header does not know. Index: opcode.
 */
static inline void smmuv3_cmd_valid_mask(unsigned int op, uint64_t *m0, uint64_t *m1)
{
	const uint64_t o = XI_GENMASK(7, 0), hi = XI_GENMASK(63, 32);
	const uint64_t va1 = XI_GENMASK(63, 12) | XI_GENMASK(11, 8) | 1;

	*m0 = 0;
	*m1 = 0;
	switch (op) {
	case SMMUV3_OP_PREFETCH_CONFIG: *m0 = o | XI_GENMASK(31, 11) | hi; break;
	case SMMUV3_OP_PREFETCH_ADDR: *m0 = o | XI_GENMASK(31, 11) | hi;
		*m1 = XI_GENMASK(63, 12) | XI_GENMASK(4, 0); break;
	case SMMUV3_OP_CFGI_STE: *m0 = o | hi; *m1 = 1; break;
	case SMMUV3_OP_CFGI_STE_RANGE: *m0 = o | hi; *m1 = XI_GENMASK(4, 0); break;
	case SMMUV3_OP_CFGI_CD: *m0 = o | XI_GENMASK(31, 12) | hi; *m1 = 1; break;
	case SMMUV3_OP_CFGI_CD_ALL: *m0 = o | hi; break;
	case SMMUV3_OP_TLBI_NH_ALL: *m0 = o | XI_GENMASK(47, 32); break;
	case SMMUV3_OP_TLBI_NH_ASID: *m0 = o | hi; break;
	case SMMUV3_OP_TLBI_NH_VA: *m0 = o | XI_GENMASK(16, 12) | XI_GENMASK(24, 20) | hi;
		*m1 = va1; break;
	case SMMUV3_OP_TLBI_NH_VAA:
		*m0 = o | XI_GENMASK(16, 12) | XI_GENMASK(24, 20) | XI_GENMASK(47, 32);
		*m1 = va1; break;
	case SMMUV3_OP_TLBI_EL2_ALL: *m0 = o; break;
	case SMMUV3_OP_TLBI_EL2_ASID: *m0 = o | XI_GENMASK(63, 48); break;
	case SMMUV3_OP_TLBI_S12_VMALL: *m0 = o | XI_GENMASK(47, 32); break;
	case SMMUV3_OP_TLBI_S2_IPA:
		*m0 = o | XI_GENMASK(16, 12) | XI_GENMASK(24, 20) | XI_GENMASK(47, 32);
		*m1 = XI_GENMASK(55, 12) | XI_GENMASK(11, 8) | 1; break;
	case SMMUV3_OP_TLBI_NSNH_ALL: *m0 = o; break;
	case SMMUV3_OP_ATC_INV: *m0 = o | XI_BIT(9) | XI_GENMASK(31, 11) | hi;
		*m1 = XI_GENMASK(63, 12) | XI_GENMASK(5, 0); break;
	case SMMUV3_OP_PRI_RESP: *m0 = o | XI_GENMASK(31, 11) | hi;
		*m1 = XI_GENMASK(8, 0) | XI_GENMASK(13, 12); break;
	case SMMUV3_OP_RESUME: *m0 = o | XI_GENMASK(13, 12) | hi; *m1 = XI_GENMASK(15, 0); break;
	case SMMUV3_OP_STALL_TERM: *m0 = o | hi; break;
	case SMMUV3_OP_CMD_SYNC: *m0 = o | XI_GENMASK(13, 12) | XI_GENMASK(27, 22) | hi;
		*m1 = XI_GENMASK(55, 2); break;
	default: break;
	}
}

/*
 * The CMDQ_CONS.ERR a unit with ID registers @idr (IDR0..IDR5) stops with at
 * command @cmd: SMMUV3_CERROR_NONE, or SMMUV3_CERROR_ILL for reserved bits,
 * an unknown opcode, or a field the IDRs deny. The unit, the host layer's
 * final check and the plugin judge a command by this one rule.
 */
static inline unsigned int smmuv3_cmd_cerror(const uint64_t *cmd, const uint32_t *idr)
{
	unsigned int op = (unsigned int)SMMUV3_WGET(cmd[0], SMMUV3_CMD_OP), tg;
	unsigned int gran = (unsigned int)XI_GET(idr[5], 6, 4);	/* GRAN4K, 16K, 64K */
	uint64_t m0, m1;

	smmuv3_cmd_valid_mask(op, &m0, &m1);
	if (!m0 || (cmd[0] & ~m0) || (cmd[1] & ~m1))
		return SMMUV3_CERROR_ILL;
	switch (op) {
	case SMMUV3_OP_TLBI_EL2_ALL:
	case SMMUV3_OP_TLBI_EL2_ASID:
		return SMMUV3_CERROR_ILL;	/* IDR0.Hyp = 0 */
	case SMMUV3_OP_TLBI_NH_VA:
	case SMMUV3_OP_TLBI_NH_VAA:
	case SMMUV3_OP_TLBI_S2_IPA:
		tg = (unsigned int)SMMUV3_WGET(cmd[1], SMMUV3_CMD_TG);
		if (!tg) {
			if (SMMUV3_WGET(cmd[0], SMMUV3_CMD_NUM) || SMMUV3_WGET(cmd[0], SMMUV3_CMD_SCALE) ||
			    SMMUV3_WGET(cmd[1], SMMUV3_CMD_TTL))
				return SMMUV3_CERROR_ILL;
		} else {
			/* TG 1, 2, 3: 4K, 16K, 64K; the range form needs IDR3.RIL */
			if (!SMMUV3_RGET(idr[3], SMMUV3_IDR3_RIL) || !(gran & (1u << (tg - 1))))
				return SMMUV3_CERROR_ILL;
			if (!SMMUV3_WGET(cmd[0], SMMUV3_CMD_NUM) && !SMMUV3_WGET(cmd[0], SMMUV3_CMD_SCALE) &&
			    !SMMUV3_WGET(cmd[1], SMMUV3_CMD_TTL))
				return SMMUV3_CERROR_ILL;
		}
		break;
	case SMMUV3_OP_ATC_INV:
		if (!SMMUV3_RGET(idr[0], SMMUV3_IDR0_ATS) ||
		    SMMUV3_WGET(cmd[1], SMMUV3_CMD_ATC_SIZE) > 52 ||
		    (SMMUV3_WGET(cmd[0], SMMUV3_CMD_ATC_GLOBAL) && !SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSV)))
			return SMMUV3_CERROR_ILL;
		break;
	case SMMUV3_OP_PRI_RESP:
		if (!SMMUV3_RGET(idr[0], SMMUV3_IDR0_PRI) || SMMUV3_WGET(cmd[1], SMMUV3_CMD_PRI_RESP) == 3)
			return SMMUV3_CERROR_ILL;
		break;
	case SMMUV3_OP_RESUME:
	case SMMUV3_OP_STALL_TERM:
		if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_STALL_MODEL) == SMMUV3_STALL_MODEL_NONE)
			return SMMUV3_CERROR_ILL;
		break;
	case SMMUV3_OP_CMD_SYNC:
		if (SMMUV3_WGET(cmd[0], SMMUV3_CMD_SYNC_CS) == 3)
			return SMMUV3_CERROR_ILL;
		break;
	case SMMUV3_OP_CFGI_CD:
		if (SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSID) >> SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE))
			return SMMUV3_CERROR_ILL;
		break;
	default:
		break;
	}
	if ((op == SMMUV3_OP_TLBI_NH_ASID || op == SMMUV3_OP_TLBI_NH_VA) &&
	    !SMMUV3_RGET(idr[0], SMMUV3_IDR0_ASID16) && (SMMUV3_WGET(cmd[0], SMMUV3_CMD_ASID) >> 8))
		return SMMUV3_CERROR_ILL;
	if (op >= SMMUV3_OP_TLBI_NH_ALL && op <= SMMUV3_OP_TLBI_S2_IPA && op != 0x20 &&
	    op != 0x21 && !SMMUV3_RGET(idr[0], SMMUV3_IDR0_VMID16) &&
	    (SMMUV3_WGET(cmd[0], SMMUV3_CMD_VMID) >> 8))
		return SMMUV3_CERROR_ILL;
	return SMMUV3_CERROR_NONE;
}

static inline void smmuv3_cmd_cfgi_ste(uint64_t *c, uint32_t sid, int leaf)
{
	c[0] = SMMUV3_OP_CFGI_STE | XI_PUT(sid, 63, 32);
	c[1] = leaf ? 1 : 0;
}

/*
 * ATC_INV: span = 4 KB << Size from Addr aligned down to it; Size 52 = the
 * whole address space, > 52 is CERROR_ILL, as are Global without SSV and
 * any ATC_INV when IDR0.ATS = 0. Which ATC entries of SID it reaches (the
 * PCIe ATS Invalidate Request it stands for): SSV = 0 (no PASID prefix)
 * every entry in the span, with or without a PASID; SSV = 1 the entries of
 * SSID; SSV = 1 + Global those of every SSID (not the PASID-less ones).
 */
#define SMMUV3_ATC_SIZE_ALL	52
static inline void smmuv3_cmd_atc_inv(uint64_t *c, uint32_t sid, int ssv, uint32_t ssid,
				      int global, uint64_t addr, unsigned int size)
{
	c[0] = SMMUV3_OP_ATC_INV | XI_PUT(sid, 63, 32) | (ssv ? XI_PUT(ssid, 31, 12) | XI_BIT(11) : 0) |
	       (global ? XI_BIT(9) : 0);
	c[1] = (addr & XI_GENMASK(63, 12)) | (size & 0x3f);
}

static inline void smmuv3_cmd_pri_resp(uint64_t *c, uint32_t sid, int ssv, uint32_t ssid,
				       uint32_t prgi, unsigned int resp)
{
	c[0] = SMMUV3_OP_PRI_RESP | XI_PUT(sid, 63, 32) | (ssv ? XI_PUT(ssid, 31, 12) | XI_BIT(11) : 0);
	c[1] = XI_PUT(prgi, 8, 0) | XI_PUT(resp, 13, 12);
}

static inline void smmuv3_cmd_sync(uint64_t *c)
{
	c[0] = SMMUV3_OP_CMD_SYNC;
	c[1] = 0;
}

#endif /* XIOMMU_ARCH_SMMUV3_CMDQ_H */
