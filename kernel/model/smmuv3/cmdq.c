// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Command processing: legality of one CMDQ entry against the ID registers
 * (what the IDRs deny is CERROR_ILL), and its effect on the caches (the
 * device ATCs included), stalls and counters.
 */
#include "smmuv3_int.h"

/* SMMUV3_CERROR_NONE, or the error the CMDQ stops with (the rule of arch/smmuv3.h). */
int smmu_cmd_check(struct smmu_unit *u, const uint64_t *cmd)
{
	return (int)smmuv3_cmd_cerror(cmd, u->idr);
}

/*
 * Range of a TLBI by address: [addr, addr + size), size 1 = "the entry
 * holding addr"; returns SMMU_INV_TG() of the range's granule (TG), 0 for
 * the non-range form. An entry made with a granule other than TG need not
 * be invalidated (Arm ARM TLBI RVA* TG: "the architecture does not require
 * that the instruction invalidates any entries"; IHI0070 4.4.1.1), and
 * this model keeps it, so a sender naming the wrong granule sees it stale.
 */
static uint32_t tlbi_range(const uint64_t *cmd, uint64_t amask, uint64_t *addr, uint64_t *size)
{
	unsigned int tg = (unsigned int)SMMUV3_WGET(cmd[1], SMMUV3_CMD_TG), g;

	*addr = cmd[1] & amask;
	/*
	 * A VA's top byte is not compared: TLB entries hold untagged addresses
	 * (TBI), and the PE's TLBI by VA carries VA[55:12] only.
	 */
	if (amask >> 63)
		*addr = (*addr & XI_GENMASK(55, 0)) | (((*addr >> 55) & 1) ? XI_GENMASK(63, 56) : 0);
	*size = 1;
	if (!tg)
		return 0;
	g = tg == 1 ? 12 : tg == 2 ? 14 : 16;
	*size = (SMMUV3_WGET(cmd[0], SMMUV3_CMD_NUM) + 1) << (SMMUV3_WGET(cmd[0], SMMUV3_CMD_SCALE) + g);
	return SMMU_INV_TG(g);
}

static void resume(struct smmu_unit *u, uint32_t sid, int all, uint16_t stag, int retry)
{
	uint32_t i;

	for (i = 0; i < SMMU_STALLS; i++) {
		struct smmu_stall *s = &u->stalls[i];

		if (s->state != 1 || s->sid != sid || (!all && s->stag != stag))
			continue;
		s->state = retry ? 0 : 2;
	}
}

/* Run one command that smmu_cmd_check() accepted. */
void smmu_cmd_run(struct smmu_unit *u, const uint64_t *cmd)
{
	unsigned int op = (unsigned int)SMMUV3_WGET(cmd[0], SMMUV3_CMD_OP);
	uint32_t sid = (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SID);
	uint16_t vmid = (uint16_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_VMID);
	uint16_t asid = (uint16_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_ASID);
	uint64_t addr, size, n;
	uint32_t tg;

	u->st.commands++;
	switch (op) {
	case SMMUV3_OP_CFGI_STE:
		smmu_cfg_inv(u, sid, 1, 1, 1, 0, 0);
		break;
	case SMMUV3_OP_CFGI_STE_RANGE:
		n = 2ull << SMMUV3_WGET(cmd[1], SMMUV3_CMD_RANGE);
		smmu_cfg_inv(u, (uint32_t)(sid & ~(n - 1)), n, 1, 1, 0, 0);
		break;
	case SMMUV3_OP_CFGI_CD:
		smmu_cfg_inv(u, sid, 1, 0, 1, 1, (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSID));
		break;
	case SMMUV3_OP_CFGI_CD_ALL:
		smmu_cfg_inv(u, sid, 1, 0, 1, 0, 0);
		break;
	case SMMUV3_OP_TLBI_NH_ALL:
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_VMID, vmid, 0, 0, 0);
		break;
	case SMMUV3_OP_TLBI_NH_ASID:
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_VMID | SMMU_INV_ASID, vmid, asid, 0, 0);
		break;
	case SMMUV3_OP_TLBI_NH_VA:
		tg = tlbi_range(cmd, XI_GENMASK(63, 12), &addr, &size);
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_VMID | SMMU_INV_ASID | SMMU_INV_ADDR | tg,
			     vmid, asid, addr, size);
		break;
	case SMMUV3_OP_TLBI_NH_VAA:
		tg = tlbi_range(cmd, XI_GENMASK(63, 12), &addr, &size);
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_VMID | SMMU_INV_ADDR | tg, vmid, 0, addr, size);
		break;
	case SMMUV3_OP_TLBI_S12_VMALL:
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_S2 | SMMU_INV_VMID, vmid, 0, 0, 0);
		break;
	case SMMUV3_OP_TLBI_S2_IPA:
		tg = tlbi_range(cmd, XI_GENMASK(55, 12), &addr, &size);
		smmu_tlb_inv(u, SMMU_INV_S2 | SMMU_INV_VMID | SMMU_INV_ADDR | tg, vmid, 0, addr, size);
		break;
	case SMMUV3_OP_TLBI_NSNH_ALL:
		smmu_tlb_inv(u, SMMU_INV_NH | SMMU_INV_S2, 0, 0, 0, 0);
		break;
	case SMMUV3_OP_ATC_INV:
		n = SMMUV3_WGET(cmd[1], SMMUV3_CMD_ATC_SIZE);
		size = n >= SMMUV3_ATC_SIZE_ALL ? 0 : 4096ull << n;
		addr = size ? (cmd[1] & XI_GENMASK(63, 12)) & ~(size - 1) : 0;
		smmu_atc_inv(u, sid, (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSV),
			     (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_ATC_GLOBAL),
			     (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSID), addr, size);
		break;
	case SMMUV3_OP_RESUME:
		resume(u, sid, 0, (uint16_t)SMMUV3_WGET(cmd[1], SMMUV3_CMD_RESUME_STAG),
		       (int)SMMUV3_WGET(cmd[0], SMMUV3_CMD_RESUME_AC));
		break;
	case SMMUV3_OP_STALL_TERM:
		resume(u, sid, 1, 0, 0);
		break;
	case SMMUV3_OP_PRI_RESP:
		smmu_pri_resp(u, cmd);
		break;
	case SMMUV3_OP_CMD_SYNC:
		u->st.syncs++;
		break;
	default:	/* PREFETCH_* */
		break;
	}
}
