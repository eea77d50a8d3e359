// SPDX-License-Identifier: MIT
/*
 * Scale and teardown: 1k PASIDs on one device, 256 devices on one unit, one
 * batch of 4096 guest commands, and tearing everything down in every order
 * the API allows (a leak shows under the valgrind run of the suite).
 */
#include <stdlib.h>
#include <string.h>
#include "cf.h"

static int scale_pasids(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d;
	uint64_t v;
	uint32_t p;

	CF_NEED(XIOMMU_HW_PASID, "PASID");
	if (t->hw.pasid_bits < 11)
		return cf_skip(t, "11-bit PASIDs");
	CF_OK("attach", cf_attach(t, t->viommu, 0, &d));
	d->gc.pasid_bits = 10;
	CF_OK("table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA, cf_page(1), 12, XIOMMU_PERM_READ));
	for (p = 1; p < 1024; p++)
		if (cf_bind(t, &t->g, d, p, &s1))
			return cf_failf(t, __LINE__, "bind PASID %u: %s", p,
					xiommu_last_error(t->ctx));
	for (p = 1; p < 1024; p += 1) {
		CF_STATUS("read", cf_read(t, d, p, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
		CF_EQ("page", v, cf_page(1));
	}
	return CF_PASS;
}

static int scale_vdevs(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct cf_dev *d[256];
	uint64_t v;
	uint32_t i;

	CF_OK("table", cf_space(t, &t->g, &s1, CF_TAG, 0));
	for (i = 0; i < 256; i++) {
		CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA + i * 4096ull, cf_page(i), 12,
				    XIOMMU_PERM_READ));
		if (cf_attach(t, t->viommu, 0, &d[i]) || cf_bind(t, &t->g, d[i], CF_PASID, &s1))
			return cf_failf(t, __LINE__, "device %u: %s", i, xiommu_last_error(t->ctx));
	}
	for (i = 0; i < 256; i++) {
		CF_STATUS("read", cf_read(t, d[i], CF_PASID, CF_IOVA + i * 4096ull, 0, &v),
			  XIOMMU_DMA_OK);
		CF_EQ("page", v, cf_page(i));
	}
	return CF_PASS;
}

/* 4096 entries in one call: every page of the batch fresh after it. */
static int scale_batch(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct xiommu_inv_entry *e;
	struct cf_dev *d;
	uint64_t v;
	uint32_t i;
	int ret;

	CF_BASIC(0, &d, &s1);
	for (i = 0; i < 512; i++) {
		CF_OK("map", cf_map(t, &t->g, &s1, CF_IOVA + i * 4096ull, cf_page(i), 12,
				    XIOMMU_PERM_READ));
		CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA + i * 4096ull, 0, &v),
			  XIOMMU_DMA_OK);
		CF_OK("remap", cf_map(t, &t->g, &s1, CF_IOVA + i * 4096ull, cf_page(i + 512), 12,
				      XIOMMU_PERM_READ));
	}
	e = calloc(4096, sizeof(*e));
	if (!e)
		return cf_failf(t, __LINE__, "out of memory");
	for (i = 0; i < 4096; i++)	/* each of the 512 pages eight times over */
		e[i] = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_IOTLB,
						  .scope = XIOMMU_INV_RANGE,
						  .flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_PASID,
						  .tag = CF_TAG, .pasid = CF_PASID,
						  .addr = CF_IOVA + (i % 512) * 4096ull,
						  .size = 4096 };
	ret = cf_inv(t, t->viommu, e, 4096);
	free(e);
	CF_OK("4096-entry batch", ret);
	for (i = 0; i < 512; i++) {
		CF_STATUS("after", cf_read(t, d, CF_PASID, CF_IOVA + i * 4096ull, 0, &v),
			  XIOMMU_DMA_OK);
		CF_EQ("fresh", v, cf_page(i + 512));
	}
	return CF_PASS;
}

/* Tear down a populated VM in order @order; each refused step is -EBUSY and changes nothing. */
static int teardown_order(struct cf *t, int order)
{
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = t->viommu, .gpa = CF_GPA,
				   .size = CF_RAM_SIZE };
	struct xiommu_unmap ux = { .argsz = sizeof(ux), .viommu_id = t->viommu, .gpa = CF_XGPA,
				   .size = CF_XPAGES * 4096ull };
	struct xiommu_guest_s1 s1;
	struct cf_dev *d, *d2;
	uint64_t v;

	CF_BASIC(0, &d, &s1);
	CF_OK("second device", cf_attach(t, t->viommu, 0, &d2));
	CF_OK("second device bound", cf_bind(t, &t->g, d2, CF_PASID, &s1));
	CF_STATUS("warm", cf_read(t, d2, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	if (order == 0) {	/* devices, memory, viommu, regions */
		CF_ERR("viommu busy", xiommu_viommu_free(t->ctx, t->viommu), -EBUSY);
		CF_OK("detach", xiommu_vdev_detach(t->ctx, d->id));
		CF_STATUS("detached device aborts", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v),
			  XIOMMU_DMA_ABORT);
		CF_STATUS("the other still works", cf_read(t, d2, CF_PASID, CF_IOVA, 0, &v),
			  XIOMMU_DMA_OK);
		CF_OK("detach", xiommu_vdev_detach(t->ctx, d2->id));
		CF_ERR("region busy", xiommu_mem_unregister(t->ctx, t->region), -EBUSY);
		CF_OK("unmap", xiommu_unmap(t->ctx, &um));
		CF_OK("unmap extra", xiommu_unmap(t->ctx, &ux));
		CF_OK("free viommu", xiommu_viommu_free(t->ctx, t->viommu));
		CF_OK("unregister", xiommu_mem_unregister(t->ctx, t->region));
		CF_OK("unregister extra", xiommu_mem_unregister(t->ctx, t->xregion));
	} else if (order == 1) {	/* memory first while devices stay */
		CF_OK("unmap", xiommu_unmap(t->ctx, &um));
		CF_STATUS("no stage 2: faults", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v),
			  XIOMMU_DMA_FAULT);
		CF_OK("unregister", xiommu_mem_unregister(t->ctx, t->region));
		CF_OK("detach second", xiommu_vdev_detach(t->ctx, d2->id));
		CF_OK("detach first", xiommu_vdev_detach(t->ctx, d->id));
		CF_OK("unmap extra", xiommu_unmap(t->ctx, &ux));
		CF_OK("free viommu", xiommu_viommu_free(t->ctx, t->viommu));
	}
	/* order 2: close the context with everything live (cf_unrig) */
	CF_ERR("a freed id is gone", order == 2 ? -ENOENT : xiommu_vdev_detach(t->ctx, d->id),
	       -ENOENT);
	return CF_PASS;
}

static int teardown_devices_first(struct cf *t)
{
	return teardown_order(t, 0);
}

static int teardown_memory_first(struct cf *t)
{
	return teardown_order(t, 1);
}

static int teardown_close_live(struct cf *t)
{
	return teardown_order(t, 2);
}

const struct cf_scenario cf_sc_scale_pasids = { "scale-1k-pasids", "1k PASIDs on one device",
						scale_pasids };
const struct cf_scenario cf_sc_scale_vdevs = { "scale-256-vdevs", "256 devices on one unit",
					       scale_vdevs };
const struct cf_scenario cf_sc_scale_batch = { "scale-4096-batch",
	"one batch of 4096 guest invalidations", scale_batch };
const struct cf_scenario cf_sc_td_dev = { "teardown-devices-first",
	"teardown: devices, stage 2, viommu, memory", teardown_devices_first };
const struct cf_scenario cf_sc_td_mem = { "teardown-memory-first",
	"teardown: stage 2 and memory under live devices, then the rest", teardown_memory_first };
const struct cf_scenario cf_sc_td_close = { "teardown-close-live",
	"teardown: close the context with everything live", teardown_close_live };
