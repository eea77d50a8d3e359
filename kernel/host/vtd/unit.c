// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VT-d host layer: probing a unit (CAP / ECAP read through its registers,
 * the root table and RTADDR_REG + SRTP), the descriptors the host sends on
 * its own account (each batch ends with an invalidation wait that writes
 * the host's status page, which the host then checks as a driver polls it),
 * the legality rules the unit applies to descriptors and PASID entries, as
 * the host checks them before anything of a program runs, and the ops table.
 */
#include "vtd_host.h"

extern const struct xm_hw_ops xm_vtd_hw;

static int inv_send(struct xh_vtd *h)
{
	uint32_t done;
	int ret = 0;

	if (h->ninv)
		ret = h->b.hw_ops->submit(h->b.hw, (const uint64_t (*)[XM_CMD_WORDS])h->inv, h->ninv,
					&done);
	h->ninv = 0;
	return ret ? -EIO : 0;	/* the host builds legal descriptors only */
}

void xh_vtd_inv_add(struct xh_vtd *h, const uint64_t *d)
{
	if (h->ninv == XH_VTD_INV_MAX - 1)
		inv_send(h);
	memcpy(h->inv[h->ninv++], d, VTD_QI_WORDS * sizeof(*d));
	h->b.host_cmds++;
}

int xh_vtd_inv_wait(struct xh_vtd *h)
{
	uint32_t seq = ++h->wait_seq, *st;
	int ret;

	vtd_qi_wait(h->inv[h->ninv++], 1, 1, seq, h->status_pa);
	h->b.host_syncs++;
	ret = inv_send(h);
	st = h->b.host.map(h->b.host.priv, h->status_pa, 4);
	if (!ret && (!st || *(volatile uint32_t *)st != seq))
		ret = -EIO;	/* the wait did not complete */
	return ret;
}

/* ---- what the unit checks, from CAP / ECAP ------------------------------- */

/* The unit's own rules (arch/vtd.h, arch/vtd_qi.h), on the CAP / ECAP read at probe. */
int xh_vtd_qi_legal(const struct xh_vtd *h, const uint64_t *d)
{
	return vtd_qi_valid(d, h->cap, h->ecap) ? 0 : -EINVAL;
}

int xh_vtd_pe_legal(const struct xh_vtd *h, const uint64_t *pe)
{
	return vtd_pe_fault(pe, h->cap, h->ecap) ? -EINVAL : 0;
}

/* ---- probe ---------------------------------------------------------------- */

static void vtd_host_destroy(void *unit)
{
	struct xh_vtd *h = unit;

	if (!h)
		return;
	while (h->doms)
		xh_vtd_domain_free(h, h->doms);
	xh_vtd_streams_free(h);
	if (h->b.hw)
		h->b.hw_ops->destroy(h->b.hw);
	if (h->root) {
		uint32_t i;

		for (i = 0; i < 512; i++) {
			uint64_t *re = xh_vtd_map64(h, h->root + 8ull * i);

			if (re && (*re & 1))
				h->b.host.free(h->b.host.priv, *re & VTD_RE_CTP_MASK, 4096);
		}
		h->b.host.free(h->b.host.priv, h->root, 4096);
	}
	if (h->status_pa)
		h->b.host.free(h->b.host.priv, h->status_pa, 4096);
	xm_free(h->did_map);
	xm_free(h->did_refs);
	xm_free(h->did_used);
	xm_free(h->prog);
	xm_free(h);
}

/* What the driver reads from CAP_REG and ECAP_REG at probe. */
static void read_caps(struct xh_vtd *h)
{
	uint64_t r[2] = { 0, 0 };

	h->b.hw_ops->regs(h->b.hw, r, sizeof(r));
	h->cap = r[0];
	h->ecap = r[1];
	h->ndids = 1u << (4 + 2 * (uint32_t)XI_GET(h->cap, VTD_CAP_ND_H, VTD_CAP_ND_L));
	h->sagaw = (uint32_t)XI_GET(h->cap, VTD_CAP_SAGAW_H, VTD_CAP_SAGAW_L) >> 1;
	h->mgaw = (uint32_t)XI_GET(h->cap, VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) + 1;
	h->sllps = (uint32_t)XI_GET(h->cap, VTD_CAP_SLLPS_H, VTD_CAP_SLLPS_L);
	h->pasid_bits = (uint32_t)XI_GET(h->ecap, VTD_ECAP_PSS_H, VTD_ECAP_PSS_L) + 1;
	h->dt = (uint32_t)XI_GET(h->ecap, VTD_ECAP_DT, VTD_ECAP_DT);
	h->prs = (uint32_t)XI_GET(h->ecap, VTD_ECAP_PRS, VTD_ECAP_PRS);
}

static int vtd_host_create(const void *params, uint32_t size, const struct xm_host *host,
			   void **unit, char *err, uint32_t errlen)
{
	struct xh_vtd *h;
	uint64_t d[VTD_QI_WORDS];
	int ret;

	*unit = NULL;
	h = xm_zalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->b.hw_ops = &xm_vtd_hw;
	ret = h->b.hw_ops->create(params, size, host, &h->b.hw, err, errlen);
	if (ret) {
		xm_free(h);
		return ret;
	}
	h->b.host = *host;
	read_caps(h);
	h->did_map = xm_zalloc(h->ndids / 8);
	h->did_refs = xm_zalloc(h->ndids * sizeof(*h->did_refs));
	h->did_used = xm_zalloc(h->ndids / 8);
	h->prog = xm_zalloc(sizeof(*h->prog));
	if (!h->did_map || !h->did_refs || !h->did_used || !h->prog ||
	    host->alloc(host->priv, 4096, &h->root) || host->alloc(host->priv, 4096, &h->status_pa)) {
		xh_copy_err(err, errlen, "vtd: no host memory for the root table and status page");
		vtd_host_destroy(h);
		return -ENOMEM;
	}
	/* DID 0 is reserved (caching mode), DID 1 kept for host first-level-only use */
	h->did_map[0] = 3;
	ret = h->b.hw_ops->set_root(h->b.hw, h->root | XI_PUT(VTD_RTADDR_TTM_SM, VTD_RTADDR_TTM_H,
							   VTD_RTADDR_TTM_L), 0);
	if (ret) {
		xh_copy_err(err, errlen, "vtd: the unit refused RTADDR_REG");
		vtd_host_destroy(h);
		return ret;
	}
	/* after SRTP, as Linux does: context cache, PASID cache and IOTLB globally */
	vtd_qi_cc(d, VTD_QI_CC_G_GLOBAL, 0, 0, 0);
	xh_vtd_inv_add(h, d);
	vtd_qi_pc(d, VTD_QI_PC_G_GLOBAL, 0, 0);
	xh_vtd_inv_add(h, d);
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_GLOBAL, 0, 0, 0, 0);
	xh_vtd_inv_add(h, d);
	ret = xh_vtd_inv_wait(h);
	if (ret) {
		xh_copy_err(err, errlen, "vtd: the invalidation queue did not complete");
		vtd_host_destroy(h);
		return ret;
	}
	*unit = h;
	return 0;
}

const struct xh_unit_ops xh_vtd_ops = {
	.vendor = "vtd",
	.params_size = sizeof(struct xiommu_vtd_params),
	.create = vtd_host_create,
	.destroy = vtd_host_destroy,
	.regs = xh_unit_regs,
	.domain_alloc = xh_vtd_domain_alloc,
	.domain_free = xh_vtd_domain_free,
	.tag_alloc = xh_vtd_tag_alloc,
	.tag_free = xh_vtd_tag_free,
	.s2_map = xh_vtd_s2_map,
	.s2_unmap = xh_vtd_s2_unmap,
	.stream_attach = xh_vtd_stream_attach,
	.stream_detach = xh_vtd_stream_detach,
	.exec = xh_vtd_exec,
	.dma = xh_unit_dma,
	.event_pop = xh_unit_event_pop,
	.msi_pop = xh_unit_msi_pop,
	.stats = xh_unit_stats,
	.hw = xh_unit_hw,
};
