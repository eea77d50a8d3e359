// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * PCIe Page Request Interface: an ATS device (STE.EATS = 01) on a unit with
 * IDR0.PRI turns a stage-1 translation or permission fault that is not
 * stalled into a page request. The SMMU queues a 16-byte PRI queue entry
 * (one-page group, Last = 1) and the device holds the access until a
 * PRI_RESP names its (SID, PRG index):
 *  - Success: the next issue of the access is translated afresh;
 *  - Invalid / Failure: the next issue ends with XIOMMU_DMA_FAULT, no event.
 * Issuing the access again before the response returns STALLED and queues
 * nothing. A full PRI queue drops the request (counted in events_lost) and
 * answers the group itself with Success, so nothing stays outstanding.
 * A PRI_RESP that names no outstanding group is ignored.
 */
#include "smmuv3_int.h"

int smmu_pri_init(struct smmu_unit *u)
{
	if (!u->p.pri)
		return 0;
	u->priq_size = 1u << SMMUV3_RGET(u->idr[1], SMMUV3_IDR1_PRIQS);
	u->priq = xm_zalloc(sizeof(*u->priq) * u->priq_size);
	return u->priq ? 0 : -ENOMEM;
}

void smmu_pri_fini(struct smmu_unit *u)
{
	xm_free(u->priq);
	u->priq = NULL;
}

struct smmu_prg *smmu_pri_find(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
			       uint32_t acc, uint64_t va)
{
	uint32_t i;

	if (!u->p.pri || !u->prg_count)
		return NULL;
	for (i = 0; i < SMMU_PRGS; i++) {
		struct smmu_prg *g = &u->prg[i];

		if (g->state && g->sid == sid && g->ssv == ssv && g->ssid == ssid &&
		    (g->va >> 12) == (va >> 12) && g->acc == acc)
			return g;
	}
	return NULL;
}

void smmu_pri_release(struct smmu_unit *u, struct smmu_prg *g)
{
	if (g->state) {
		g->state = 0;
		u->prg_count--;
	}
}

/* Queue a page request for one access: XIOMMU_DMA_STALLED, *prgi its PRG index. */
uint32_t smmu_pri_request(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
			  uint32_t acc, uint64_t va, uint32_t *prgi)
{
	struct xm_event *ev;
	struct smmu_prg *g = NULL;
	uint32_t i, idx = 0;

	for (i = 0; i < SMMU_PRGS; i++) {
		idx = (u->prg_next + i) & (SMMU_PRGS - 1);
		if (!u->prg[idx].state) {
			g = &u->prg[idx];
			break;
		}
	}
	*prgi = idx;
	if (!g || u->priq_count == u->priq_size) {
		u->st.events_lost++;	/* dropped: answered Success at once */
		return XIOMMU_DMA_STALLED;
	}
	u->prg_next = (idx + 1) & (SMMU_PRGS - 1);
	g->state = 1;
	g->sid = sid;
	g->ssv = (uint8_t)ssv;
	g->ssid = ssv ? ssid : 0;
	g->acc = (uint8_t)acc;
	g->va = va;
	u->prg_count++;
	ev = &u->priq[(u->priq_head + u->priq_count) % u->priq_size];
	memset(ev, 0, sizeof(*ev));
	ev->kind = SMMUV3_EVK_PRIQ;
	ev->nwords = 2;
	ev->w[0] = SMMUV3_WPUT(sid, SMMUV3_PRIQ_SID) | SMMUV3_WPUT(g->ssid, SMMUV3_PRIQ_SSID) |
		   SMMUV3_WPUT(!!(acc & SMMU_ACC_PRIV), SMMUV3_PRIQ_PRIV) |
		   SMMUV3_WPUT(!!(acc & SMMU_ACC_X), SMMUV3_PRIQ_EXEC) |
		   SMMUV3_WPUT(!(acc & SMMU_ACC_W), SMMUV3_PRIQ_READ) |
		   SMMUV3_WPUT(!!(acc & SMMU_ACC_W), SMMUV3_PRIQ_WRITE) |
		   SMMUV3_WPUT(1, SMMUV3_PRIQ_LAST) | SMMUV3_WPUT(ssv, SMMUV3_PRIQ_SSV);
	ev->w[1] = SMMUV3_WPUT(idx, SMMUV3_PRIQ_PRGI) | (va & XI_GENMASK(63, 12));
	u->priq_count++;
	u->st.events++;
	return XIOMMU_DMA_STALLED;
}

int smmu_priq_pop(struct smmu_unit *u, struct xm_event *ev)
{
	if (!u->priq_count)
		return -ENOENT;
	*ev = u->priq[u->priq_head];
	u->priq_head = (u->priq_head + 1) % u->priq_size;
	u->priq_count--;
	return 0;
}

/* PRI_RESP that smmu_cmd_check() accepted (Resp is not 11). */
void smmu_pri_resp(struct smmu_unit *u, const uint64_t *cmd)
{
	uint32_t idx = (uint32_t)SMMUV3_WGET(cmd[1], SMMUV3_CMD_PRI_PRGI);
	uint32_t ssv = (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSV);
	struct smmu_prg *g = &u->prg[idx & (SMMU_PRGS - 1)];

	if (g->state != 1 || g->sid != (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SID) ||
	    g->ssv != ssv || (ssv && g->ssid != (uint32_t)SMMUV3_WGET(cmd[0], SMMUV3_CMD_SSID)))
		return;		/* a response to no request */
	if (SMMUV3_WGET(cmd[1], SMMUV3_CMD_PRI_RESP) == SMMUV3_PRI_RESP_SUCCESS)
		smmu_pri_release(u, g);
	else
		g->state = 2;
}
