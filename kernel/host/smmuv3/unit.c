// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * SMMUv3 host layer: probing a unit (its ID registers, the stream table and
 * the registers pointing at it), the commands the host issues on its own
 * account, and the ops table the backends use.
 */
#include "smmuv3_host.h"

extern const struct xm_hw_ops xm_smmuv3_hw;

/* Where the STE of @sid lives; -ERANGE beyond the table, -ENOENT without an L2 table. */
int xh_smmu_ste_pa(struct xh_smmu *h, uint32_t sid, uint64_t *pa)
{
	uint32_t l1 = sid >> SMMUV3_STRTAB_SPLIT;

	if (sid >> h->sid_bits)
		return -ERANGE;
	if (!h->two_level) {
		*pa = h->strtab + (uint64_t)sid * SMMUV3_STE_SIZE;
		return 0;
	}
	if (!h->l2_pa[l1])
		return -ENOENT;
	*pa = h->l2_pa[l1] + (uint64_t)(sid & ((1u << SMMUV3_STRTAB_SPLIT) - 1)) * SMMUV3_STE_SIZE;
	return 0;
}

/*
 * The host's own commands, then a CMD_SYNC: counted apart from the guest's,
 * so a test sees every flush a host change caused. The host builds only
 * legal commands; a refusal is a host bug and is returned as such.
 */
int xh_smmu_host_cmds(struct xh_smmu *h, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n)
{
	uint64_t sync[1][XM_CMD_WORDS] = { { 0 } };
	uint32_t done;
	int ret = 0;

	if (n)
		ret = h->b.hw_ops->submit(h->b.hw, cmds, n, &done);
	h->b.host_cmds += n;
	smmuv3_cmd_sync(sync[0]);
	if (!ret)
		ret = h->b.hw_ops->submit(h->b.hw, (const uint64_t (*)[XM_CMD_WORDS])sync, 1, &done);
	h->b.host_syncs++;
	return ret;
}

int xh_smmu_cmd(struct xh_smmu *h, uint64_t c0, uint64_t c1)
{
	uint64_t c[1][XM_CMD_WORDS] = { { c0, c1 } };

	return xh_smmu_host_cmds(h, (const uint64_t (*)[XM_CMD_WORDS])c, 1);
}

static void smmu_host_destroy(void *unit)
{
	struct xh_smmu *h = unit;
	uint32_t i;

	if (!h)
		return;
	while (h->doms)
		xh_smmu_domain_free(h, h->doms);
	if (h->b.hw)
		h->b.hw_ops->destroy(h->b.hw);
	if (h->l2_pa) {
		for (i = 0; i < h->n_l1; i++)
			if (h->l2_pa[i])
				h->b.host.free(h->b.host.priv, h->l2_pa[i],
					     SMMUV3_STE_SIZE << SMMUV3_STRTAB_SPLIT);
		xm_free(h->l2_pa);
	}
	if (h->strtab)
		h->b.host.free(h->b.host.priv, h->strtab, h->strtab_size);
	xm_free(h->vmid_map);
	xm_free(h->sid_map);
	xm_free(h->prog);
	xm_free(h);
}

/* What the driver reads from the ID registers at probe. */
static void read_idrs(struct xh_smmu *h)
{
	h->b.hw_ops->regs(h->b.hw, h->idr, sizeof(h->idr));
	h->sid_bits = (uint32_t)SMMUV3_RGET(h->idr[1], SMMUV3_IDR1_SIDSIZE);
	h->ssid_bits = (uint32_t)SMMUV3_RGET(h->idr[1], SMMUV3_IDR1_SSIDSIZE);
	h->vmid_bits = SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_VMID16) ? 16 : 8;
	h->ats = (uint32_t)SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_ATS);
	h->pri = (uint32_t)SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_PRI);
	h->stall = SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_STALL_MODEL) != SMMUV3_STALL_MODEL_NONE;
	h->oas_code = (uint32_t)SMMUV3_RGET(h->idr[5], SMMUV3_IDR5_OAS);
	h->oas = smmuv3_pa_bits(h->oas_code);
	h->two_level = SMMUV3_RGET(h->idr[0], SMMUV3_IDR0_ST_LEVEL) &&
		       h->sid_bits > SMMUV3_STRTAB_SPLIT;
}

static int smmu_host_create(const void *params, uint32_t size, const struct xm_host *host,
			    void **unit, char *err, uint32_t errlen)
{
	struct xh_smmu *h;
	uint64_t cfg;
	int ret;

	*unit = NULL;
	h = xm_zalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->b.hw_ops = &xm_smmuv3_hw;
	ret = h->b.hw_ops->create(params, size, host, &h->b.hw, err, errlen);
	if (ret) {
		xm_free(h);
		return ret;
	}
	memcpy(&h->p, params, sizeof(h->p));
	h->b.host = *host;
	read_idrs(h);
	ret = -ENOMEM;
	h->vmid_map = xm_zalloc(8192);
	h->sid_map = xm_zalloc(((size_t)1 << h->sid_bits) / 8 + 1);
	h->prog = xm_zalloc(sizeof(*h->prog));
	if (!h->vmid_map || !h->sid_map || !h->prog)
		goto fail;
	h->vmid_map[0] = 1;	/* VMID 0 stays unused */
	if (h->two_level) {
		h->n_l1 = 1u << (h->sid_bits - SMMUV3_STRTAB_SPLIT);
		h->strtab_size = (uint64_t)h->n_l1 * 8;
		h->l2_pa = xm_zalloc(sizeof(uint64_t) * h->n_l1);
		if (!h->l2_pa)
			goto fail;
		cfg = SMMUV3_WPUT(1, SMMUV3_STRTAB_CFG_FMT) |
		      SMMUV3_WPUT(SMMUV3_STRTAB_SPLIT, SMMUV3_STRTAB_CFG_SPLIT);
	} else {
		h->strtab_size = (uint64_t)SMMUV3_STE_SIZE << h->sid_bits;
		cfg = 0;
	}
	cfg |= SMMUV3_WPUT(h->sid_bits, SMMUV3_STRTAB_CFG_LOG2SIZE);
	if (h->strtab_size < 4096)
		h->strtab_size = 4096;
	if (host->alloc(host->priv, h->strtab_size, &h->strtab)) {
		h->strtab = 0;
		goto fail;
	}
	ret = h->b.hw_ops->set_root(h->b.hw, h->strtab, cfg);
	if (ret) {
		xh_copy_err(err, errlen, "smmuv3: the unit refused the stream table registers");
		goto fail_msg;
	}
	*unit = h;
	return 0;
fail:
	xh_copy_err(err, errlen, "smmuv3: out of memory for the stream table");
fail_msg:
	smmu_host_destroy(h);
	return ret;
}

const struct xh_unit_ops xh_smmuv3_ops = {
	.vendor = "smmuv3",
	.params_size = sizeof(struct xiommu_smmuv3_params),
	.create = smmu_host_create,
	.destroy = smmu_host_destroy,
	.regs = xh_unit_regs,
	.domain_alloc = xh_smmu_domain_alloc,
	.domain_free = xh_smmu_domain_free,
	.s2_map = xh_smmu_s2_map,
	.s2_unmap = xh_smmu_s2_unmap,
	.stream_attach = xh_smmu_stream_attach,
	.stream_detach = xh_smmu_stream_detach,
	.exec = xh_smmu_exec,
	.dma = xh_unit_dma,
	.event_pop = xh_unit_event_pop,
	.msi_pop = xh_unit_msi_pop,
	.stats = xh_unit_stats,
	.hw = xh_unit_hw,
};
