// SPDX-License-Identifier: MIT
/*
 * The VT-d referee's second-level cases and main(): each case runs on
 * QEMU's VT-d and on the model, from a fresh unit, with the same host-layer
 * calls and plugin programs; the transcripts of what the DMAs did (where
 * the bytes went or came from, every fault-record field, first-level A/D
 * bits) must be equal. QEMU
 * translates either by the second level alone (PGTT = SL, the plugin's
 * BYPASS bind over the host's second level) or, with x-flts=on, by the
 * first level alone (PGTT = FL, written by hand: no program may write
 * one); ECAP says which, and the matching cases run. Prints a table and
 * REFEREE-RESULT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "vtd.h"
#include "table.h"

const uint64_t *cands(void)
{
	static uint64_t c[4];
	unsigned int k;

	for (k = 0; k < 4; k++)
		c[k] = cand_pa(k) + OFF;
	return c;
}

/* ---- second level alone: the plugin's BYPASS bind ----------------------- */

/* A leaf of 2^lg over candidate 0 (4K) or guest RAM (2M, 1G): write, read, guest RAM. */
static void c_sl_page(struct xr_side *s, const struct xcase *c)
{
	uint64_t sz = 1ull << c->lg, ipa = 0x100000000ull, base;

	base = c->lg == 12 ? cand_pa(0) : XV_GRAM_PA & ~(sz - 1);
	xr_log(s, "  s2_map %d\n", xh_vtd_ops.s2_map(s->h, s->dom, ipa, base, sz,
						     XIOMMU_MAP_READ | XIOMMU_MAP_WRITE));
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	ipa += cand_pa(0) - base + OFF;
	xr_expect(s, xr_dma(s, 1, ipa, DLEN, cands(), 2), 0, "write");
	xr_expect(s, xr_dma(s, 0, ipa, DLEN, cands(), 2), 0, "read");
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), 1, "guest RAM");
}

/* Not present (read, write), a read-only page: write first, then a read. */
static void c_sl_fault(struct xr_side *s, const struct xcase *c)
{
	(void)c;
	xh_vtd_ops.s2_map(s->h, s->dom, 0x100000000ull, cand_pa(2), 4096, XIOMMU_MAP_READ);
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 0, 0x200000000ull + OFF, DLEN, cands(), 3), -1, "not present");
	xr_expect(s, xr_dma(s, 1, 0x200000000ull + OFF, DLEN, cands(), 3), -1, "not present");
	xr_expect(s, xr_dma(s, 1, 0x100000000ull + OFF, DLEN, cands(), 3), -1, "read-only");
	xr_expect(s, xr_dma(s, 0, 0x100000000ull + OFF, DLEN, cands(), 3), 2, "read-only read");
}

/*
 * A read of 2 KiB over two pages, neither mapped: QEMU records a fault per
 * page and merges the second into the first record (same requester,
 * record pending); the model stops at the first. One record either way.
 */
static void c_sl_fault2(struct xr_side *s, const struct xcase *c)
{
	uint64_t cand[1] = { cand_pa(0) };

	(void)c;
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 0, 0x200000c00ull, XR_EDU_MAX, cand, 1), -1, "not present");
}

/* A write to a read-only page once a read may have cached its translation. */
static void c_sl_ro_cached(struct xr_side *s, const struct xcase *c)
{
	(void)c;
	xh_vtd_ops.s2_map(s->h, s->dom, 0x100000000ull, cand_pa(2), 4096, XIOMMU_MAP_READ);
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 0, 0x100000000ull + OFF, DLEN, cands(), 3), 2, "read-only read");
	xr_expect(s, xr_dma(s, 1, 0x100000000ull + OFF, DLEN, cands(), 3), -1, "read-only");
}

/*
 * Remap through the second level: the host's unmap sends a domain-selective
 * IOTLB invalidation and a wait; the DMA after the new map is fresh.
 */
static void c_sl_remap(struct xr_side *s, const struct xcase *c)
{
	uint64_t ipa = 0x100000000ull;

	(void)c;
	xh_vtd_ops.s2_map(s->h, s->dom, ipa, cand_pa(0), 4096, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, ipa + OFF, DLEN, cands(), 3), 0, "before the remap");
	xr_log(s, "  s2_unmap %d\n", xh_vtd_ops.s2_unmap(s->h, s->dom, ipa, 4096));
	xh_vtd_ops.s2_map(s->h, s->dom, ipa, cand_pa(1), 4096, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	xr_expect(s, xr_dma(s, 1, ipa + OFF, DLEN, cands(), 3), 1, "after the remap");
	xr_expect(s, xr_dma(s, 0, ipa + OFF, DLEN, cands(), 3), 1, "after the remap, read");
}

/*
 * A 2M block replaced by a 4K page at the same IPA: the host's unmap of the
 * block invalidates, the page's DMA is fresh, and the rest of the old
 * block no longer translates.
 */
static void c_sl_split(struct xr_side *s, const struct xcase *c)
{
	uint64_t ipa = 0x100000000ull, blk = XV_GRAM_PA, rw = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE;

	(void)c;
	xh_vtd_ops.s2_map(s->h, s->dom, ipa, blk, 2ull << 20, (uint32_t)rw);
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, ipa + (cand_pa(0) - blk) + OFF, DLEN, cands(), 3), 0, "block");
	xr_expect(s, xr_dma(s, 1, ipa + (cand_pa(1) - blk) + OFF, DLEN, cands(), 3), 1, "block");
	xr_log(s, "  s2_unmap %d\n", xh_vtd_ops.s2_unmap(s->h, s->dom, ipa, 2ull << 20));
	xh_vtd_ops.s2_map(s->h, s->dom, ipa + (cand_pa(0) - blk), cand_pa(2), 4096, (uint32_t)rw);
	xr_expect(s, xr_dma(s, 1, ipa + (cand_pa(0) - blk) + OFF, DLEN, cands(), 3), 2, "page");
	xr_expect(s, xr_dma(s, 0, ipa + (cand_pa(1) - blk) + OFF, DLEN, cands(), 3), -1,
		  "rest of the old block");
}

/*
 * The requester detached (context entry not present with FPD, the host's
 * context-cache, PASID-cache and IOTLB invalidations) and attached again:
 * silent abort in between, fresh tables after.
 */
static void c_sl_reattach(struct xr_side *s, const struct xcase *c)
{
	(void)c;
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, cand_gpa(0) + OFF, DLEN, cands(), 2), 0, "attached");
	xh_vtd_ops.stream_detach(s->h, s->dom, XV_EDU_SID);
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), -1, "detached");
	xr_log(s, "  attach %d\n", xh_vtd_ops.stream_attach(s->h, s->dom, XV_EDU_SID, 0));
	s->vdev.config = XIOMMU_CONFIG_ABORT;
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), -1, "attached, abort");
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), 1, "bound again");
}

/*
 * The PASID entry torn down (ABORT: not present, FPD) and set up again:
 * the plugin's PASID-cache and P_IOTLB invalidations, the host's teardown
 * flushes. Aborted DMA is silent: no record.
 */
static void c_sl_rebind(struct xr_side *s, const struct xcase *c)
{
	(void)c;
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, cand_gpa(0) + OFF, DLEN, cands(), 2), 0, "bound");
	xv_bind(s, XIOMMU_CONFIG_ABORT);
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), -1, "aborted");
	xv_bind(s, XIOMMU_CONFIG_BYPASS);
	xr_expect(s, xr_dma(s, 1, cand_gpa(1) + OFF, DLEN, cands(), 2), 1, "bound again");
}

static const struct xcase sl_cases[] = {
	{ "sl 4K page", c_sl_page, 12, 0, NULL, 0 },
	{ "sl 2M page", c_sl_page, 21, 0, NULL, 0 },
	{ "sl 1G page", c_sl_page, 30, 0, NULL, 0 },
	{ "sl faults", c_sl_fault, 12, 0, K " VT-d #2 (FR 0x5/0x6)", 1 },
	{ "sl fault of a DMA over two pages", c_sl_fault2, 12, 0, K " VT-d #2 (FR 0x5/0x6)", 1 },
	{ "sl RO write after a cached read", c_sl_ro_cached, 12, 0, K " VT-d #3 (no record)", 0 },
	{ "sl remap + host IOTLB inv", c_sl_remap, 12, 0, NULL, 0 },
	{ "sl 2M block split to a 4K page", c_sl_split, 21, 0, K " VT-d #2 (FR 0x5/0x6)", 1 },
	{ "sl detach and attach again", c_sl_reattach, 12, 0, NULL, 0 },
	{ "sl abort and rebind", c_sl_rebind, 12, 0, K " VT-d #4 (FR 0x5B)", 0 },
};

static void run_side(struct xr_side *s, const char *name, const struct xm_hw_ops *hw,
		     uint8_t *ram, const struct xiommu_vtd_params *p, const struct xcase *c)
{
	if (xr_side_ready(s, xv_side_up(s, name, hw, ram, p)))
		c->run(s, c);
	xr_side_down(s);
}

/* QEMU's transcript with the legacy reasons read as the scalable-mode ones (VT-d #2). */
static void legacy_fr(char *log)
{
	char *p = log;

	while ((p = strstr(p, " fr=0x0")) != NULL) {
		if (p[7] == '5' || p[7] == '6')
			p[6] = '8';
		p += 8;
	}
}

/*
 * QEMU's records of requests without PASID that fault in translation say
 * PP = 1, PV = RID_PASID (KNOWN_DIFFERENCES.md #1); edu sends no PASID, so
 * every such record is that departure: read as PP = 0, and counted.
 */
static unsigned int pp_rid_pasid;
static void pp_norm(char *log)
{
	char *p = log;

	while ((p = strstr(p, " pp=1 pv=0x0 ")) != NULL) {
		p[4] = '0';
		pp_rid_pasid++;
		p += 12;
	}
}

/* The model's parameters: what QEMU's CAP / ECAP say the host layer reads. */
static void params_from(const uint64_t *r, struct xiommu_vtd_params *p)
{
	uint64_t cap = r[0], ecap = r[1];
	struct xiommu_vtd_params d = VTD_PARAMS_DEFAULT;

	*p = d;
	p->nd = (uint32_t)XI_GET(cap, VTD_CAP_ND_H, VTD_CAP_ND_L);
	p->sagaw = (uint32_t)XI_GET(cap, VTD_CAP_SAGAW_H, VTD_CAP_SAGAW_L) >> 1;
	p->mgaw = (uint32_t)XI_GET(cap, VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) + 1;
	p->sllps = (uint32_t)XI_GET(cap, VTD_CAP_SLLPS_H, VTD_CAP_SLLPS_L);
	p->psi = (uint32_t)XI_GET(cap, VTD_CAP_PSI, VTD_CAP_PSI);
	p->mamv = p->psi ? (uint32_t)XI_GET(cap, VTD_CAP_MAMV_H, VTD_CAP_MAMV_L) : 0;
	p->nfr = (uint32_t)XI_GET(cap, VTD_CAP_NFR_H, VTD_CAP_NFR_L) + 1;
	p->fl1gp = (uint32_t)XI_GET(cap, VTD_CAP_FL1GP, VTD_CAP_FL1GP);
	p->fl5lp = (uint32_t)XI_GET(cap, VTD_CAP_FL5LP, VTD_CAP_FL5LP);
	p->pasid_bits = (uint32_t)XI_GET(ecap, VTD_ECAP_PSS_H, VTD_ECAP_PSS_L) + 1;
	p->nest = (uint32_t)XI_GET(ecap, VTD_ECAP_NEST, VTD_ECAP_NEST);
	p->dt = (uint32_t)XI_GET(ecap, VTD_ECAP_DT, VTD_ECAP_DT);
	p->prs = (uint32_t)XI_GET(ecap, VTD_ECAP_PRS, VTD_ECAP_PRS);
	p->srs = (uint32_t)XI_GET(ecap, VTD_ECAP_SRS, VTD_ECAP_SRS);
	p->ers = (uint32_t)XI_GET(ecap, VTD_ECAP_ERS, VTD_ECAP_ERS);
	p->eafs = (uint32_t)XI_GET(ecap, VTD_ECAP_EAFS, VTD_ECAP_EAFS);
	p->slads = (uint32_t)XI_GET(ecap, VTD_ECAP_SLADS, VTD_ECAP_SLADS);
	p->pt = (uint32_t)XI_GET(ecap, VTD_ECAP_PT, VTD_ECAP_PT);
}

/*
 * The CAP / ECAP fields the host layer reads (kernel/host/vtd/unit.c) must
 * be the same on both units, or the two sides would not run the same
 * programs: the model's registers from @p against QEMU's.
 */
static int caps_match(const uint64_t *r, const struct xiommu_vtd_params *p)
{
	const uint64_t cap_m = XI_GENMASK(VTD_CAP_ND_H, VTD_CAP_ND_L) |
			       XI_GENMASK(VTD_CAP_SAGAW_H, VTD_CAP_SAGAW_L) |
			       XI_GENMASK(VTD_CAP_MGAW_H, VTD_CAP_MGAW_L) |
			       XI_GENMASK(VTD_CAP_FRO_H, VTD_CAP_FRO_L) |
			       XI_GENMASK(VTD_CAP_SLLPS_H, VTD_CAP_SLLPS_L) | XI_BIT(VTD_CAP_PSI) |
			       XI_GENMASK(VTD_CAP_NFR_H, VTD_CAP_NFR_L) |
			       XI_GENMASK(VTD_CAP_MAMV_H, VTD_CAP_MAMV_L) | XI_BIT(VTD_CAP_FL1GP) |
			       XI_BIT(VTD_CAP_FL5LP) | XI_BIT(VTD_CAP_CM);
	const uint64_t ecap_m = XI_GENMASK(VTD_ECAP_PSS_H, VTD_ECAP_PSS_L) | XI_BIT(VTD_ECAP_NEST) |
				XI_BIT(VTD_ECAP_DT) | XI_BIT(VTD_ECAP_PRS) | XI_BIT(VTD_ECAP_SRS) |
				XI_BIT(VTD_ECAP_ERS) | XI_BIT(VTD_ECAP_EAFS) | XI_BIT(VTD_ECAP_SLADS) |
				XI_BIT(VTD_ECAP_PT) | XI_BIT(VTD_ECAP_QI) | XI_BIT(VTD_ECAP_SMTS);
	uint64_t cap = vtd_cap_from_params(p), ecap = vtd_ecap_from_params(p);

	if (!((cap ^ r[0]) & cap_m) && !((ecap ^ r[1]) & ecap_m))
		return 0;
	printf("REFEREE-ERROR the model's CAP 0x%016llx ECAP 0x%016llx differ from QEMU's in "
	       "CAP bits 0x%016llx, ECAP bits 0x%016llx the host layer reads\n",
	       (unsigned long long)cap, (unsigned long long)ecap,
	       (unsigned long long)((cap ^ r[0]) & cap_m),
	       (unsigned long long)((ecap ^ r[1]) & ecap_m));
	return -1;
}

int main(int argc, char **argv)
{
	static struct xr_side q, m;
	unsigned int i, n, verbose = argc > 1;
	uint8_t *qram = NULL, *mram = calloc(1, XV_RAM_SIZE);
	struct xiommu_vtd_params p;
	struct xr_tally tally = { 0 };
	const struct xcase *cases;
	const char *mode;
	char err[256];
	double t0 = xr_now_s(), t;

	(void)argv;
	if (!mram || xv_qemu_open(&qram, xv_qemu_regs, err, sizeof(err))) {
		printf("REFEREE-ERROR %s\n", mram ? err : "out of memory");
		return 1;
	}
	params_from(xv_qemu_regs, &p);
	if (caps_match(xv_qemu_regs, &p))
		return 1;
	if (xv_qemu_regs[1] & XI_BIT(VTD_ECAP_FLTS)) {
		mode = "vtd-fl";
		cases = xv_fl_cases;
		n = xv_nfl_cases;
	} else {
		mode = "vtd-sl";
		cases = sl_cases;
		n = XM_ARRAY_SIZE(sl_cases);
	}
	printf("REFEREE-BEGIN %s cases=%u CAP 0x%016llx ECAP 0x%016llx\n", mode, n,
	       (unsigned long long)xv_qemu_regs[0], (unsigned long long)xv_qemu_regs[1]);
	xr_table_head("fault records");
	for (i = 0; i < n; i++) {
		const struct xcase *c = &cases[i];
		const char *kn = c->known;
		int same;

		t = xr_now_s();
		run_side(&q, "qemu", &xr_qemu_hw, qram, &p, c);
		run_side(&m, "model", &xm_vtd_model_hw, mram, &p, c);
		if (q.log)
			pp_norm(q.log);
		same = xr_logs_equal(&q, &m) && !q.failed && !m.failed;
		if (!same && c->legacy_fr && q.log) {
			/* the departure explains the whole difference, or the case differs */
			legacy_fr(q.log);
			if (!xr_logs_equal(&q, &m))
				kn = NULL;
		}
		xr_table_row(&tally, c->name, &q, &m, same, kn, t, verbose);
	}
	printf("qemu fault records with PP=1 for a request without PASID: %u (" K " VT-d #1)\n",
	       pp_rid_pasid);
	return xr_table_end(&tally, mode, n, t0);
}
