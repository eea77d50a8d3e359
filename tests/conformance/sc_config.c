// SPDX-License-Identifier: MIT
/*
 * Device configuration: a guest rewriting a context (SMMUv3 CD, VT-d PASID
 * entry) sees the old one until its config invalidation or rebind; unbind
 * to ABORT (silent) and to BYPASS (stage 2 only); hitless rebinds with DMA
 * between every step; nested MSIs; stall and page requests answered and
 * retried.
 */
#include <string.h>
#include "cf.h"

/* Rewrite the context of CF_PASID to a new table; stale until @how makes it take effect. */
static int config_change(struct cf *t, int raw, int scope)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_CONFIG, .scope = (uint8_t)scope,
				      .flags = XIOMMU_INV_F_VDEV };
	struct xiommu_guest_s1 s1, s2;
	struct xiommu_bind b;
	struct cf_dev *d;
	uint64_t v;
	int ret;

	CF_BASIC(0, &d, &s1);
	e.vdev_id = d->id;
	if (scope == XIOMMU_INV_PASID) {
		e.flags |= XIOMMU_INV_F_PASID;
		e.pasid = CF_PASID;
	}
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("new table", cf_space(t, &t->g, &s2, CF_TAG + 1, 0));
	CF_OK("map", cf_map(t, &t->g, &s2, CF_IOVA, cf_page(9), 12, XIOMMU_PERM_READ));
	ret = cf_ctx_write(t, &t->g, d, CF_PASID, &s2, &b);
	CF_OK("guest rewrites the context", ret);
	CF_STATUS("before", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("stale: the old context until the guest says so", v, cf_page(1));
	if (ret == 1) {
		/* per-PASID vendors: the guest's config invalidation is the VMM's rebind */
		if (raw)
			CF_ERR("no raw config command to forward", cf_inv_raw(t, t->viommu, &e),
			       -EOPNOTSUPP);
		CF_OK("rebind", xiommu_bind(t->ctx, &b));
	} else if (raw) {
		CF_OK("raw config invalidation", cf_inv_raw(t, t->viommu, &e));
	} else {
		CF_OK("config invalidation", cf_inv(t, t->viommu, &e, 1));
	}
	CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh: the new context", v, cf_page(9));
	return CF_PASS;
}

static int config_pasid(struct cf *t)
{
	return config_change(t, 0, XIOMMU_INV_PASID);
}

static int config_all(struct cf *t)
{
	return config_change(t, 0, XIOMMU_INV_ALL);
}

static int config_raw(struct cf *t)
{
	return config_change(t, 1, XIOMMU_INV_PASID);
}

static int unbind_to(struct cf *t, uint32_t config)
{
	struct xiommu_unbind u = { .argsz = sizeof(u), .config = config };
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f;
	struct cf_dev *d;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	u.vdev_id = d->id;
	CF_STATUS("bound", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("unbind", xiommu_unbind(t->ctx, &u));
	if (config == XIOMMU_CONFIG_ABORT) {
		CF_STATUS("aborted", cf_write(t, d, CF_PASID, CF_IOVA, 0, 1), XIOMMU_DMA_ABORT);
		CF_STATUS("aborted untagged", cf_read(t, d, CF_NOPASID, cf_page(2), 0, &v),
			  XIOMMU_DMA_ABORT);
		CF_EQ("nothing written", cf_peek(t, cf_page(1)), cf_page(1));
		CF_EQ("ABORT is silent: no fault record", cf_faults(t, t->viommu, &f, 1), 0);
	} else {
		CF_STATUS("bypass: IOVA = GPA", cf_read(t, d, CF_NOPASID, cf_page(2) + 8, 0, &v),
			  XIOMMU_DMA_OK);
		CF_STATUS("bypass read", cf_read(t, d, CF_NOPASID, cf_page(2), 0, &v),
			  XIOMMU_DMA_OK);
		CF_EQ("stage 2 only", v, cf_page(2));
		CF_STATUS("bypass still checks stage 2", cf_read(t, d, CF_NOPASID, CF_NO_GPA, 0, &v),
			  XIOMMU_DMA_FAULT);
	}
	return CF_PASS;
}

static int unbind_abort(struct cf *t)
{
	return unbind_to(t, XIOMMU_CONFIG_ABORT);
}

static int unbind_bypass(struct cf *t)
{
	return unbind_to(t, XIOMMU_CONFIG_BYPASS);
}

/* TRANSLATE(A) -> BYPASS -> TRANSLATE(B) -> ABORT -> TRANSLATE(A), DMA at every step. */
static int rebind_hitless(struct cf *t)
{
	struct xiommu_bind bp = { .argsz = sizeof(bp), .config = XIOMMU_CONFIG_BYPASS };
	struct xiommu_bind ab = { .argsz = sizeof(ab), .config = XIOMMU_CONFIG_ABORT };
	struct cf_dev *d, *keep;
	struct xiommu_guest_s1 a, b;
	uint64_t v;
	int round;

	CF_BASIC(0, &d, &a);
	CF_OK("second device", cf_attach(t, t->viommu, 0, &keep));
	CF_OK("second device bound", cf_bind(t, &t->g, keep, CF_PASID, &a));
	CF_OK("table B", cf_space(t, &t->g, &b, CF_TAG + 2, 0));
	CF_OK("map B", cf_map(t, &t->g, &b, CF_IOVA, cf_page(10), 12, XIOMMU_PERM_READ));
	bp.vdev_id = ab.vdev_id = d->id;
	for (round = 0; round < 2; round++) {
		CF_STATUS("A", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
		CF_EQ("A page", v, cf_page(1));
		CF_OK("to BYPASS", xiommu_bind(t->ctx, &bp));
		CF_STATUS("bypass", cf_read(t, d, CF_NOPASID, cf_page(3), 0, &v), XIOMMU_DMA_OK);
		CF_EQ("bypass page", v, cf_page(3));
		d->gc.table = 0;	/* a new guest context table */
		CF_OK("to TRANSLATE B", cf_bind(t, &t->g, d, CF_PASID, &b));
		CF_STATUS("B", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
		CF_EQ("B page", v, cf_page(10));
		CF_OK("to ABORT", xiommu_bind(t->ctx, &ab));
		CF_STATUS("abort", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_ABORT);
		d->gc.table = 0;
		CF_OK("to TRANSLATE A", cf_bind(t, &t->g, d, CF_PASID, &a));
		/* the other device never noticed */
		CF_STATUS("other device", cf_read(t, keep, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
		CF_EQ("other device page", v, cf_page(1));
	}
	return CF_PASS;
}

static int msi_nested(struct cf *t)
{
	const uint64_t giova = 0xfee00000ull, gdb = CF_NO_GPA + 0x100000;	/* not RAM: stage 2 maps it to the doorbell */
	struct xiommu_msi_bind mb = { .argsz = sizeof(mb), .viommu_id = t->viommu, .giova = giova,
				      .gdb = gdb, .size = 4096 };
	struct xiommu_dma x = { .argsz = sizeof(x), .unit = t->unit, .op = XIOMMU_DMA_MSI,
				.flags = XIOMMU_DMA_F_PASID, .pasid = CF_PASID, .iova = giova + 0x40,
				.len = 4, .data = 0x31 };
	struct xiommu_guest_s1 s1;
	uint64_t log[4];
	struct xiommu_msi_log ml = { .argsz = sizeof(ml), .unit = t->unit, .count = 4,
				     .records_ptr = XIOMMU_PTR(log) };
	struct cf_dev *d;

	if (!(t->hw.features & XIOMMU_HW_MSI_NESTING)) {
		/* reported not needed: interrupt remapping covers it, and the call says so */
		CF_ERR("msi_bind where MSIs are not translated", xiommu_msi_bind(t->ctx, &mb),
		       -EOPNOTSUPP);
		return CF_PASS;
	}
	CF_BASIC(0, &d, &s1);
	x.sid = d->psid;
	CF_OK("guest maps its doorbell", cf_map(t, &t->g, &s1, giova, gdb, 12,
						XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("msi_bind", xiommu_msi_bind(t->ctx, &mb));
	CF_OK("MSI write", xiommu_dma(t->ctx, &x));
	CF_STATUS("MSI status", x.out_status, XIOMMU_DMA_OK);
	CF_OK("msi log", xiommu_msi_log(t->ctx, &ml));
	CF_EQ("one MSI reached the host doorbell", ml.count, 1);
	CF_EQ("doorbell offset and data", log[0], (0x40ull << 32) | 0x31);
	return CF_PASS;
}

/* A fault that waits: record, guest fixes its table, responds, the retry succeeds. */
static int wait_respond_retry(struct cf *t, uint32_t grants, uint32_t s1flags, uint32_t fflag)
{
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = t->viommu,
					   .pasid = CF_PASID, .code = XIOMMU_PAGE_SUCCESS };
	struct xiommu_guest_s1 s1;
	struct xiommu_fault f[2];
	struct cf_dev *d;
	uint64_t v;

	CF_OK("attach", cf_attach(t, t->viommu, grants, &d));
	CF_OK("stage-1 table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	s1.flags = s1flags;
	CF_OK("bind", cf_bind(t, &t->g, d, CF_PASID, &s1));
	CF_STATUS("missing page waits", cf_read(t, d, CF_PASID, CF_IOVA + 0xa000, 0, &v),
		  XIOMMU_DMA_STALLED);
	CF_EQ("records", cf_faults(t, t->viommu, f, 2), 1);
	CF_EQ("type", f[0].type, XIOMMU_FAULT_PAGE_REQ);
	CF_EQ("addr page", f[0].addr & ~0xfffull, CF_IOVA + 0xa000);
	CF_EQ("vdev", f[0].vdev_id, d->id);
	CF_TRUE("stall or page-request flag as the mechanism says", (f[0].flags & fflag) == fflag);
	CF_OK("guest maps the page", cf_map(t, &t->g, &s1, CF_IOVA + 0xa000, cf_page(11), 12,
					    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	pr.vdev_id = d->id;
	pr.grpid = f[0].grpid;
	pr.flags = f[0].flags & (XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL);
	CF_OK("page response", xiommu_page_response(t->ctx, &pr));
	CF_STATUS("retry", cf_read(t, d, CF_PASID, CF_IOVA + 0xa000, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("retry page", v, cf_page(11));
	return CF_PASS;
}

static int stall(struct cf *t)
{
	CF_NEED(XIOMMU_HW_STALL, "stall");
	return wait_respond_retry(t, XIOMMU_VDEV_STALL, XIOMMU_GUEST_S1_STALL,
				  XIOMMU_FAULT_F_STALL);
}

static int page_request(struct cf *t)
{
	CF_NEED(XIOMMU_HW_PRI, "PRI");
	return wait_respond_retry(t, XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI, 0, XIOMMU_FAULT_F_LAST);
}

const struct cf_scenario cf_sc_cfg_pasid = { "config-pasid",
	"context rewritten: stale until PASID config invalidation / rebind", config_pasid };
const struct cf_scenario cf_sc_cfg_all = { "config-all",
	"context rewritten: stale until device config invalidation / rebind", config_all };
const struct cf_scenario cf_sc_cfg_raw = { "config-raw",
	"context rewritten: stale until the raw guest command / rebind", config_raw };
const struct cf_scenario cf_sc_ub_abort = { "unbind-abort", "unbind to ABORT: silent aborts",
					    unbind_abort };
const struct cf_scenario cf_sc_ub_bypass = { "unbind-bypass", "unbind to BYPASS: stage 2 only",
					     unbind_bypass };
const struct cf_scenario cf_sc_rebind = { "rebind-hitless",
	"TRANSLATE/BYPASS/ABORT rebinds with DMA between each", rebind_hitless };
const struct cf_scenario cf_sc_msi = { "msi-nested", "nested MSI delivery, or reported not needed",
				       msi_nested };
const struct cf_scenario cf_sc_stall = { "stall-retry", "stall -> response -> retry", stall };
const struct cf_scenario cf_sc_pri = { "pri-retry", "page request -> response -> retry",
				       page_request };
