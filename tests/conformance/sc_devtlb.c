// SPDX-License-Identifier: MIT
/*
 * Device TLBs (ATS): the host grants a device TLB per device. With it, the
 * device's cached translations stay coherent with what the guest
 * invalidates and with every host stage-2 change; without it no device TLB
 * is used at all, and device-TLB invalidations for the device are refused.
 */
#include <string.h>
#include "cf.h"

/* Bind CF_PASID with the guest's ATS enable set (where the guest has one). */
static int bind_ats(struct cf *t, struct cf_dev *d, struct xiommu_guest_s1 *s1)
{
	d->gc.flags |= XIOMMU_GUEST_CTX_ATS;
	CF_OK("stage-1 table", cf_space(t, &t->g, s1, CF_TAG, 0));
	CF_OK("map", cf_map(t, &t->g, s1, CF_IOVA, cf_page(1), 12,
			    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_OK("bind", cf_bind(t, &t->g, d, CF_PASID, s1));
	return CF_PASS;
}

/* The guest's full sequence (IOTLB, then device TLB) makes a remap fresh. */
static int devtlb_guest_flush(struct cf *t)
{
	struct xiommu_inv_entry e[2] = {
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
		  .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG, .pasid = CF_PASID, .tag = CF_TAG,
		  .addr = CF_IOVA, .size = 4096 },
		{ .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_RANGE,
		  .flags = XIOMMU_INV_F_VDEV | XIOMMU_INV_F_PASID, .pasid = CF_PASID,
		  .addr = CF_IOVA, .size = 4096 },
	};
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_NEED(XIOMMU_HW_ATS, "ATS");
	CF_OK("attach with ATS", cf_attach(t, t->viommu, XIOMMU_VDEV_ATS, &d));
	if (bind_ats(t, d, &s1))
		return CF_FAIL;
	e[1].vdev_id = d->id;
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("remap", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(6), 12, XIOMMU_PERM_READ));
	CF_STATUS("before", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("stale before", v, cf_page(1));
	CF_OK("IOTLB + device TLB", cf_inv(t, t->viommu, e, 2));
	CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh after", v, cf_page(6));
	return CF_PASS;
}

/*
 * The guest sends IOTLB invalidations only and never enabled a device TLB
 * in its own structures: it must still see fresh translations (the host
 * adds the device-TLB flush, or the device TLB is not in use).
 */
static int devtlb_iotlb_only(struct cf *t)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG,
				      .pasid = CF_PASID, .tag = CF_TAG, .addr = CF_IOVA,
				      .size = 4096 };
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_NEED(XIOMMU_HW_ATS, "ATS");
	CF_BASIC(XIOMMU_VDEV_ATS, &d, &s1);
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("remap", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(6), 12, XIOMMU_PERM_READ));
	CF_OK("IOTLB only", cf_inv(t, t->viommu, &e, 1));
	CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh after IOTLB-only invalidation", v, cf_page(6));
	/* the same with the vendor's raw command */
	CF_OK("remap again", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(7), 12, XIOMMU_PERM_READ));
	CF_OK("raw IOTLB only", cf_inv_raw(t, t->viommu, &e));
	CF_STATUS("after raw", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh after raw IOTLB-only invalidation", v, cf_page(7));
	return CF_PASS;
}

/* The host's stage-2 unmap reaches the device TLB: the access faults, never hits. */
static int devtlb_s2_unmap(struct cf *t)
{
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = t->viommu,
				   .gpa = CF_XGPA + 0x2000, .size = 4096 };
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;

	CF_NEED(XIOMMU_HW_ATS, "ATS");
	CF_OK("attach with ATS", cf_attach(t, t->viommu, XIOMMU_VDEV_ATS, &d));
	if (bind_ats(t, d, &s1))
		return CF_FAIL;
	CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA + 0x8000, CF_XGPA + 0x2000, 12,
			    XIOMMU_PERM_READ | XIOMMU_PERM_WRITE));
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA + 0x8000, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("warm page", v, CF_XGPA + 0x2000);
	CF_OK("host unmaps the page at stage 2", xiommu_unmap(t->ctx, &um));
	CF_STATUS("read after the unmap", cf_read(t, d, CF_PASID, CF_IOVA + 0x8000, 0, &v),
		  XIOMMU_DMA_FAULT);
	CF_STATUS("write after the unmap", cf_write(t, d, CF_PASID, CF_IOVA + 0x8008, 0, 3),
		  XIOMMU_DMA_FAULT);
	CF_EQ("nothing written", cf_peek(t, CF_XGPA + 0x2008), 0);
	return CF_PASS;
}

/* Without the ATS grant: no device TLB even if the guest enables one. */
static int devtlb_not_granted(struct cf *t)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_PASID | XIOMMU_INV_F_TAG,
				      .pasid = CF_PASID, .tag = CF_TAG, .addr = CF_IOVA,
				      .size = 4096 };
	struct xiommu_inv_entry dt = { .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_ALL,
				       .flags = XIOMMU_INV_F_VDEV };
	struct xiommu_stats st0, st1;
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;
	int ret;

	CF_NEED(XIOMMU_HW_ATS, "ATS");
	CF_OK("attach without ATS", cf_attach(t, t->viommu, 0, &d));
	d->gc.flags |= XIOMMU_GUEST_CTX_ATS;
	CF_OK("stage-1 table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(1), 12, XIOMMU_PERM_READ));
	ret = cf_bind(t, &t->g, d, CF_PASID, &s1);
	if (ret) {	/* a host may refuse the guest's ATS enable outright */
		CF_TRUE("refused with EOPNOTSUPP", ret == -EOPNOTSUPP);
		d->gc.flags = 0;
		d->gc.table = 0;	/* the refused bind left the unit without the table */
		CF_OK("bind without ATS", cf_bind(t, &t->g, d, CF_PASID, &s1));
	}
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_OK("remap", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(8), 12, XIOMMU_PERM_READ));
	CF_OK("IOTLB only", cf_inv(t, t->viommu, &e, 1));
	CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	CF_EQ("fresh: no device TLB held the old page", v, cf_page(8));
	dt.vdev_id = d->id;
	st0 = cf_stats(t);
	CF_ERR("device-TLB invalidation for a device without ATS", cf_inv(t, t->viommu, &dt, 1),
	       -EOPNOTSUPP);
	st1 = cf_stats(t);
	CF_EQ("nothing ran", st1.programs, st0.programs);
	return CF_PASS;
}

const struct cf_scenario cf_sc_dt_guest = { "devtlb-guest-flush",
	"ATS: IOTLB + device-TLB invalidation makes a remap fresh", devtlb_guest_flush };
const struct cf_scenario cf_sc_dt_iotlb = { "devtlb-iotlb-only",
	"ATS granted: a guest sending IOTLB invalidations only sees fresh translations",
	devtlb_iotlb_only };
const struct cf_scenario cf_sc_dt_s2 = { "devtlb-s2-unmap",
	"ATS: the host's stage-2 unmap reaches the device TLB", devtlb_s2_unmap };
const struct cf_scenario cf_sc_dt_none = { "devtlb-not-granted",
	"no ATS grant: no device TLB, device-TLB invalidations refused", devtlb_not_granted };
