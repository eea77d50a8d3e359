// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SMMUv3 model: unit creation from the parameters, ID registers, the
 * stream-table base registers, the command queue's consumer, the test
 * port's device capabilities, host memory access, the event queue and the
 * MSI log, and the hardware ops table.
 */
#include "smmuv3_int.h"

static void err_set(char *err, uint32_t errlen, const char *a, const char *b)
{
	uint32_t i = 0, j;

	if (!err || !errlen)
		return;
	for (j = 0; a && a[j] && i + 1 < errlen; j++)
		err[i++] = a[j];
	for (j = 0; b && b[j] && i + 1 < errlen; j++)
		err[i++] = b[j];
	err[i] = 0;
}

int smmu_params_check(const struct xiommu_smmuv3_params *p, char *err, uint32_t errlen)
{
	const char *bad = NULL;

	if (p->sid_bits < 1 || p->sid_bits > SMMU_MAX_SID_BITS)
		bad = "sid_bits must be 1..20";
	else if (p->ssid_bits > 20)
		bad = "ssid_bits must be 0..20";
	else if (smmuv3_pa_code(p->oas) < 0 || p->oas > 52)
		bad = "oas must be one of 32 36 40 42 44 48 52";
	else if (!p->granules || (p->granules & ~7u))
		bad = "granules must name 4k, 16k and/or 64k";
	else if (p->s2_granule != 12 && p->s2_granule != 14 && p->s2_granule != 16)
		bad = "s2_granule must be 4k, 16k or 64k";
	else if (!(p->granules & (1u << ((p->s2_granule - 12) / 2))))
		bad = "s2_granule is not in granules";
	else if (p->s2_ias < 32 || p->s2_ias > 48 || p->s2_ias > p->oas)
		bad = "s2_ias must be 32..48 and <= oas";
	else if (p->ril > 1 || p->stall > 1 || p->ats > 1 || p->pri > 1 || p->vmid16 > 1 ||
		 p->asid16 > 1 || p->st_level > 1 || p->cd2l > 1 || p->hitless_check > 1)
		bad = "boolean parameter out of range";
	else if (p->pri && !p->ats)
		bad = "pri needs ats";
	else if (p->evtq_bits < 1 || p->evtq_bits > 10)
		bad = "evtq_bits must be 1..10";
	if (bad) {
		err_set(err, errlen, "smmuv3: ", bad);
		return -EINVAL;
	}
	return 0;
}

static void build_idrs(struct smmu_unit *u)
{
	const struct xiommu_smmuv3_params *p = &u->p;

	u->idr[0] = (uint32_t)(SMMUV3_RPUT(1, SMMUV3_IDR0_S2P) | SMMUV3_RPUT(1, SMMUV3_IDR0_S1P) |
		SMMUV3_RPUT(2, SMMUV3_IDR0_TTF) | SMMUV3_RPUT(1, SMMUV3_IDR0_COHACC) |
		SMMUV3_RPUT(p->ats, SMMUV3_IDR0_ATS) | SMMUV3_RPUT(p->asid16, SMMUV3_IDR0_ASID16) |
		SMMUV3_RPUT(1, SMMUV3_IDR0_MSI) | SMMUV3_RPUT(p->pri, SMMUV3_IDR0_PRI) |
		SMMUV3_RPUT(p->vmid16, SMMUV3_IDR0_VMID16) | SMMUV3_RPUT(p->cd2l, SMMUV3_IDR0_CD2L) |
		SMMUV3_RPUT(2, SMMUV3_IDR0_TTENDIAN) |
		SMMUV3_RPUT(p->stall ? SMMUV3_STALL_MODEL_BOTH : SMMUV3_STALL_MODEL_NONE,
		       SMMUV3_IDR0_STALL_MODEL) |
		SMMUV3_RPUT(1, SMMUV3_IDR0_TERM_MODEL) | SMMUV3_RPUT(p->st_level, SMMUV3_IDR0_ST_LEVEL));
	u->idr[1] = (uint32_t)(SMMUV3_RPUT(p->sid_bits, SMMUV3_IDR1_SIDSIZE) |
		SMMUV3_RPUT(p->ssid_bits, SMMUV3_IDR1_SSIDSIZE) |
		SMMUV3_RPUT(p->pri ? 7 : 0, SMMUV3_IDR1_PRIQS) |
		SMMUV3_RPUT(p->evtq_bits, SMMUV3_IDR1_EVENTQS) | SMMUV3_RPUT(8, SMMUV3_IDR1_CMDQS) |
		SMMUV3_RPUT(1, SMMUV3_IDR1_ATTR_TYPES_OVR));
	u->idr[2] = 0;
	u->idr[3] = (uint32_t)SMMUV3_RPUT(p->ril, SMMUV3_IDR3_RIL);
	u->idr[4] = 0;
	u->idr[5] = (uint32_t)(SMMUV3_RPUT(u->oas_code, SMMUV3_IDR5_OAS) |
		SMMUV3_RPUT(!!(p->granules & SMMUV3_GRAN_4K), SMMUV3_IDR5_GRAN4K) |
		SMMUV3_RPUT(!!(p->granules & SMMUV3_GRAN_16K), SMMUV3_IDR5_GRAN16K) |
		SMMUV3_RPUT(!!(p->granules & SMMUV3_GRAN_64K), SMMUV3_IDR5_GRAN64K) |
		SMMUV3_RPUT(p->stall ? SMMU_STALLS : 0, SMMUV3_IDR5_STALL_MAX));
	u->idr[6] = 0;		/* IIDR */
	u->idr[7] = 0x02;	/* AIDR: SMMUv3.2 */
}

static void smmu_destroy(void *unit)
{
	struct smmu_unit *u = unit;

	if (!u)
		return;
	xm_free(u->dev_ats);
	xm_free(u->dev_pri);
	xm_free(u->evtq);
	smmu_pri_fini(u);
	xm_free(u);
}

static int smmu_create(const void *params, uint32_t size, const struct xm_host *host,
		       void **unit, char *err, uint32_t errlen)
{
	struct smmu_unit *u;
	size_t map = ((size_t)1 << 20) / 8;
	int ret;

	*unit = NULL;
	if (size != sizeof(struct xiommu_smmuv3_params) || !params || !host || !host->map ||
	    !host->alloc || !host->free) {
		err_set(err, errlen, "smmuv3: ", "bad parameter block or host");
		return -EINVAL;
	}
	ret = smmu_params_check(params, err, errlen);
	if (ret)
		return ret;
	u = xm_zalloc(sizeof(*u));
	if (!u)
		goto nomem;
	memcpy(&u->p, params, sizeof(u->p));
	u->host = *host;
	u->oas_code = (uint8_t)smmuv3_pa_code(u->p.oas);
	build_idrs(u);
	u->evtq_size = 1u << u->p.evtq_bits;
	u->evtq = xm_zalloc(sizeof(*u->evtq) * u->evtq_size);
	map = ((size_t)1 << u->p.sid_bits) / 8 + 1;
	u->dev_ats = xm_zalloc(map);
	u->dev_pri = xm_zalloc(map);
	if (!u->evtq || !u->dev_ats || !u->dev_pri || smmu_pri_init(u))
		goto nomem;
	*unit = u;
	return 0;
nomem:
	err_set(err, errlen, "smmuv3: ", "out of memory for the unit");
	smmu_destroy(u);
	return -ENOMEM;
}

/*
 * STRTAB_BASE and STRTAB_BASE_CFG: a linear table of 2^LOG2SIZE STEs or a
 * 2-level one with SPLIT 8 (the only split this unit implements), and
 * LOG2SIZE at most IDR1.SIDSIZE.
 */
static int smmu_set_root(void *unit, uint64_t base, uint64_t cfg)
{
	struct smmu_unit *u = unit;
	uint32_t fmt = (uint32_t)SMMUV3_WGET(cfg, SMMUV3_STRTAB_CFG_FMT);
	uint32_t log2size = (uint32_t)SMMUV3_WGET(cfg, SMMUV3_STRTAB_CFG_LOG2SIZE);
	uint32_t split = (uint32_t)SMMUV3_WGET(cfg, SMMUV3_STRTAB_CFG_SPLIT);

	if ((base & ~SMMUV3_STRTAB_BASE_ADDR_MASK) || fmt > 1 || (fmt && !u->p.st_level) ||
	    log2size > u->p.sid_bits || (fmt && split != SMMUV3_STRTAB_SPLIT) ||
	    (cfg & ~SMMUV3_STRTAB_CFG_MASK))
		return -EINVAL;
	u->strtab = base;
	u->two_level = fmt;
	u->strtab_log2size = log2size;
	smmu_cfg_inv(u, 0, 1ull << u->p.sid_bits, 1, 1, 0, 0);
	return 0;
}

/* The command queue: consumed in order up to the first illegal entry (CMDQ_CONS.ERR). */
static int smmu_submit(void *unit, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n,
		       uint32_t *done)
{
	struct smmu_unit *u = unit;
	uint32_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = smmu_cmd_check(u, cmds[i]);
		if (err) {
			u->cerror = (uint32_t)err;
			u->cerror_index = i;
			u->st.queue_errors++;
			*done = i;
			return -EINVAL;
		}
		smmu_cmd_run(u, cmds[i]);
	}
	*done = n;
	return 0;
}

static int smmu_dev_caps(void *unit, uint32_t sid, uint32_t enable)
{
	struct smmu_unit *u = unit;
	uint8_t bit = (uint8_t)(1u << (sid & 7));

	if (sid >> u->p.sid_bits)
		return -ERANGE;
	u->dev_ats[sid >> 3] = (uint8_t)((u->dev_ats[sid >> 3] & ~bit) |
		((enable & XIOMMU_VDEV_ATS) && u->p.ats ? bit : 0));
	u->dev_pri[sid >> 3] = (uint8_t)((u->dev_pri[sid >> 3] & ~bit) |
		((enable & XIOMMU_VDEV_PRI) && u->p.pri ? bit : 0));
	return 0;
}

static uint32_t smmu_regs(void *unit, void *buf, uint32_t len)
{
	struct smmu_unit *u = unit;

	memcpy(buf, u->idr, len < SMMUV3_REGS_LEN ? len : SMMUV3_REGS_LEN);
	return SMMUV3_REGS_LEN;
}

/* 64-bit host reads/writes; -EFAULT when @pa is not RAM (external abort). */
int smmu_read64(struct smmu_unit *u, uint64_t pa, uint64_t *v)
{
	void *p;

	u->st.table_reads++;
	if (pa & 7)
		return -EFAULT;
	p = u->host.map(u->host.priv, pa, 8);
	if (!p)
		return -EFAULT;
	memcpy(v, p, 8);
	return 0;
}

int smmu_write64(struct smmu_unit *u, uint64_t pa, uint64_t v)
{
	void *p = (pa & 7) ? NULL : u->host.map(u->host.priv, pa, 8);

	if (!p)
		return -EFAULT;
	memcpy(p, &v, 8);
	return 0;
}

/* @n words from a structure that does not cross a 4 KiB page (STE, CD: 64-byte aligned). */
int smmu_read_block(struct smmu_unit *u, uint64_t pa, uint64_t *w, unsigned int n)
{
	void *p;

	u->st.table_reads++;
	if ((pa & 7) || ((pa & 4095) + n * 8u) > 4096)
		return -EFAULT;
	p = u->host.map(u->host.priv, pa, n * 8u);
	if (!p)
		return -EFAULT;
	memcpy(w, p, n * 8u);
	return 0;
}

void smmu_event_push(struct smmu_unit *u, uint32_t kind, const uint64_t *w, uint32_t n)
{
	struct xm_event *ev;
	uint32_t i;

	if (u->evtq_count == u->evtq_size) {
		u->st.events_lost++;
		return;
	}
	ev = &u->evtq[(u->evtq_head + u->evtq_count) % u->evtq_size];
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->nwords = n;
	for (i = 0; i < n && i < 4; i++)
		ev->w[i] = w[i];
	u->evtq_count++;
	u->st.events++;
}

static int smmu_event_pop(void *unit, struct xm_event *ev)
{
	struct smmu_unit *u = unit;

	if (!u->evtq_count)
		return smmu_priq_pop(u, ev);	/* EVTQ first, then the PRI queue */
	*ev = u->evtq[u->evtq_head];
	u->evtq_head = (u->evtq_head + 1) % u->evtq_size;
	u->evtq_count--;
	return 0;
}

static int smmu_msi_pop(void *unit, uint64_t *rec)
{
	struct smmu_unit *u = unit;

	return xm_msi_log_pop(&u->msi, rec);
}

static void smmu_stats(void *unit, struct xm_stats *st)
{
	*st = ((struct smmu_unit *)unit)->st;
}

const struct xm_hw_ops xm_smmuv3_hw = {
	.vendor = "smmuv3",
	.params_size = sizeof(struct xiommu_smmuv3_params),
	.cmd_words = SMMUV3_CMD_DWORDS,
	.create = smmu_create,
	.destroy = smmu_destroy,
	.regs = smmu_regs,
	.set_root = smmu_set_root,
	.submit = smmu_submit,
	.dev_caps = smmu_dev_caps,
	.dma = smmu_dma,
	.event_pop = smmu_event_pop,
	.msi_pop = smmu_msi_pop,
	.stats = smmu_stats,
};
