// SPDX-License-Identifier: MIT
/*
 * Isolation and capability masks: two VMs on one unit cannot name, map,
 * invalidate, fault-read or reach each other's objects or memory; a psid is
 * attached once; a feature the config hides is refused with -EOPNOTSUPP
 * and nothing runs.
 */
#include <stdio.h>
#include <string.h>
#include "cf.h"

static int isolation(struct cf *t)
{
	struct xiommu_inv_entry cfg = { .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL,
					.flags = XIOMMU_INV_F_VDEV };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .pasid_bits = 0 };
	struct xiommu_unmap um = { .argsz = sizeof(um), .gpa = CF_XGPA + 0x5000, .size = 4096 };
	struct xiommu_guest gb;
	struct xiommu_guest_s1 sa, sb;
	struct xiommu_fault f;
	struct xiommu_stats st0, st1;
	struct cf_dev *a, *b;
	uint32_t vb;
	uint64_t v;

	CF_BASIC(0, &a, &sa);
	CF_OK("second VM", cf_viommu(t, &vb, &gb));
	CF_OK("VM B device", cf_attach(t, vb, 0, &b));
	/* the same guest tag and IOVA in both VMs, different pages */
	CF_OK("VM B table", cf_space(t, &gb, &sb, CF_TAG, 0));
	CF_OK("VM B map", cf_map(t, &gb, &sb, CF_IOVA, cf_page(12), 12,
				 XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("VM B bind", cf_bind(t, &gb, b, CF_PASID, &sb));
	CF_STATUS("A", cf_read(t, a, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("A page", v, cf_page(1));
	CF_STATUS("B", cf_read(t, b, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("B page: no aliasing through the shared guest tag", v, cf_page(12));
	/* B's stage 2 loses a page A still maps: B cannot reach it, A can */
	um.viommu_id = vb;
	CF_OK("B unmaps an extra page", xiommu_unmap(t->ctx, &um));
	CF_OK("A maps it in stage 1", cf_map(t, &t->g, &sa, CF_IOVA + 0x1000, CF_XGPA + 0x5000, 12,
					     XIOMMU_PERM_READ));
	CF_OK("B maps it in stage 1", cf_map(t, &gb, &sb, CF_IOVA + 0x1000, CF_XGPA + 0x5000, 12,
					     XIOMMU_PERM_READ));
	CF_STATUS("A reaches it", cf_read(t, a, CF_PASID, CF_IOVA + 0x1000, 0, &v), XIOMMU_DMA_OK);
	CF_STATUS("B does not", cf_read(t, b, CF_PASID, CF_IOVA + 0x1000, 0, &v), XIOMMU_DMA_FAULT);
	/* B's fault is B's: A's queue stays empty */
	CF_EQ("A's queue", cf_faults(t, t->viommu, &f, 1), 0);
	CF_EQ("B's queue", cf_faults(t, vb, &f, 1), 1);
	CF_EQ("B's record names B's device", f.vdev_id, b->id);
	/* B cannot name A's device in an invalidation, nor A's memory in B's stage 2 */
	cfg.vdev_id = a->id;
	st0 = cf_stats(t);
	CF_TRUE("B invalidating A's device is refused", cf_inv(t, vb, &cfg, 1) < 0);
	um.viommu_id = vb;
	um.gpa = CF_XGPA + 0x5000;
	CF_ERR("B unmapping what it no longer maps", xiommu_unmap(t->ctx, &um), -ENOENT);
	st1 = cf_stats(t);
	CF_EQ("nothing ran", st1.programs, st0.programs);
	/* A psid belongs to one vdev per unit, whichever VM asks */
	at.viommu_id = vb;
	at.psid = a->psid;
	at.vsid = 0x999;
	CF_ERR("psid attached twice (other VM)", xiommu_vdev_attach(t->ctx, &at), -EBUSY);
	at.viommu_id = t->viommu;
	CF_ERR("psid attached twice (same VM)", xiommu_vdev_attach(t->ctx, &at), -EBUSY);
	/* A still translates as before */
	CF_STATUS("A after all that", cf_read(t, a, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("A page after all that", v, cf_page(1));
	return CF_PASS;
}

/* The same unit with every optional feature hidden by the config. */
static int hidden_features(struct cf *t)
{
	char ini[512];
	struct xiommu_ctx *ctx;
	struct xiommu_hw_info h = { .argsz = sizeof(h) };
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = 0x10, .vsid = 1 };
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_ALL,
				      .flags = XIOMMU_INV_F_VDEV };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(e), .entry_num = 1,
					 .entries_ptr = XIOMMU_PTR(&e) };
	struct xiommu_stats st0 = { .argsz = sizeof(st0) }, st1 = { .argsz = sizeof(st1) };
	uint32_t grants[] = { XIOMMU_VDEV_ATS, XIOMMU_VDEV_STALL,
			      XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI };
	uint32_t i;
	int ret, n;

	n = snprintf(ini, sizeof(ini),
		     "[unit hidden]\nvendor = %s\nbackend = %s\n"
		     "advertise_ats = no\nadvertise_stall = no\nadvertise_pri = no\n"
		     "advertise_pasid_bits = 4\n", t->hw.vendor_name, t->hw.backend);
	ret = xiommu_open_config(ini, (size_t)n, "hidden.ini", &ctx);
	if (ret)
		return cf_failf(t, __LINE__, "open: %s", xiommu_last_error(NULL));
	ret = xiommu_hw_info(ctx, &h);
	if (!ret && (h.features & (XIOMMU_HW_ATS | XIOMMU_HW_STALL | XIOMMU_HW_PRI)))
		ret = cf_failf(t, __LINE__, "hidden features still offered: 0x%llx",
			       (unsigned long long)h.features);
	if (!ret && h.pasid_bits > 4)
		ret = cf_eq_fail(t, __LINE__, "pasid_bits", h.pasid_bits, 4);
	if (!ret)
		ret = xiommu_viommu_alloc(ctx, &va);
	at.viommu_id = inv.viommu_id = va.out_viommu_id;
	for (i = 0; !ret && i < 3; i++) {
		at.flags = grants[i];
		if (xiommu_vdev_attach(ctx, &at) != -EOPNOTSUPP)
			ret = cf_failf(t, __LINE__, "attach with hidden grant 0x%x: expected -EOPNOTSUPP (%s)",
				       grants[i], xiommu_last_error(ctx));
	}
	at.flags = 0;
	at.pasid_bits = 5;
	if (!ret && xiommu_vdev_attach(ctx, &at) >= 0)
		ret = cf_failf(t, __LINE__, "attach with pasid_bits 5 > the advertised 4 succeeded");
	at.pasid_bits = 0;
	if (!ret)
		ret = xiommu_vdev_attach(ctx, &at);
	e.vdev_id = at.out_vdev_id;
	if (!ret)
		ret = xiommu_stats(ctx, &st0);	/* from here on nothing may run */
	if (!ret && xiommu_invalidate(ctx, &inv) != -EOPNOTSUPP)
		ret = cf_failf(t, __LINE__, "device-TLB invalidation with ATS hidden: expected -EOPNOTSUPP (%s)",
			       xiommu_last_error(ctx));
	if (!ret)
		ret = xiommu_stats(ctx, &st1);
	if (!ret && (st1.programs != st0.programs || st1.commands != st0.commands))
		ret = cf_failf(t, __LINE__, "refused requests ran: programs %llu -> %llu, commands %llu -> %llu",
			       (unsigned long long)st0.programs, (unsigned long long)st1.programs,
			       (unsigned long long)st0.commands, (unsigned long long)st1.commands);
	if (ret > 0 || (ret < 0 && !t->why[0]))
		cf_failf(t, __LINE__, "hidden-feature unit: %d (%s)", ret, xiommu_last_error(ctx));
	xiommu_close(ctx);
	return ret ? CF_FAIL : CF_PASS;
}

const struct cf_scenario cf_sc_isolation = { "isolation",
	"two VMs: no shared translations, memory, faults or devices", isolation };
const struct cf_scenario cf_sc_hidden = { "hidden-features",
	"features hidden by the config are refused and nothing runs", hidden_features };
