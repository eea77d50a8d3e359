// SPDX-License-Identifier: MIT
/*
 * Raw guest command arrays through xiommu_invalidate: byte 0 picks the unit
 * (SMMUv3 CMDQ entries of 16 bytes, VT-d QI descriptors of 32 bytes), the
 * rest are the entries, on a persistent context whose devices are bound.
 * A refused batch changes nothing; whatever runs, the reference
 * translations still hold (invalidations only drop cached state) and every
 * fault record is well formed. A guest's completion may store into its own
 * memory (a CMD_SYNC's MSI write, a wait descriptor's status): when one
 * changed the rig's guest tables, they are restored and invalidated as the
 * guest would before the reference is checked.
 */
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"

static struct xf_rig rig;
static uint8_t tables[XF_RAM_SIZE - XF_TABLES];

/* The guest's own tables back, and every cache it can reach invalidated. */
static void restore_tables(void)
{
	memcpy(rig.ram.mem + XF_TABLES, tables, sizeof(tables));
	xf_rig_flush(&rig);
}

static void one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* XF_TWICE: each input twice, with the same results (the rig is restored). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xf_run_twice(one, data, size);
	return 0;
}

static void one(const uint8_t *data, size_t size)
{
	static struct xf_state before;
	struct xiommu_invalidate inv = { .argsz = sizeof(inv) };
	unsigned int u;
	uint8_t *copy;
	int ret;

	if (!rig.ctx) {
		xf_rig_open(&rig, XIOMMU_VDEV_ALL, 0);
		memcpy(tables, rig.ram.mem + XF_TABLES, sizeof(tables));
	}
	if (size < 1)
		return;
	u = data[0] % XF_UNITS;
	inv.viommu_id = rig.viommu[u];
	inv.type = u == XF_SMMU ? XIOMMU_INV_RAW_SMMUV3 : XIOMMU_INV_RAW_VTD;
	inv.entry_len = u == XF_SMMU ? 16 : 32;
	inv.entry_num = (uint32_t)((size - 1) / inv.entry_len);
	copy = malloc((size_t)inv.entry_num * inv.entry_len + 1);
	if (!copy)
		return;
	memcpy(copy, data + 1, (size_t)inv.entry_num * inv.entry_len);
	inv.entries_ptr = XIOMMU_PTR(copy);
	xf_capture(rig.ctx, &before);
	ret = xiommu_invalidate(rig.ctx, &inv);
	xf_check(rig.ctx, "xiommu_invalidate", ret, &before);
	free(copy);
	if (memcmp(rig.ram.mem + XF_TABLES, tables, sizeof(tables)))
		restore_tables();
	xf_check_reference(&rig);
	xf_drain_faults(&rig);
}
