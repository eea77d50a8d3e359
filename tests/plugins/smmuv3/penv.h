/* SPDX-License-Identifier: MIT */
/*
 * A plugin env over the SMMUv3 model test rig: the plugin's programs run on
 * the model, guest memory is the rig's, one viommu with one vdev
 * (vSID PENV_VSID -> pSID RIG_SID).
 */
#ifndef SMMUV3_PENV_H
#define SMMUV3_PENV_H

#include <stdio.h>
#include "rig.h"
#include "../../../plugins/smmuv3/smmuv3_plugin.h"

#define PENV_VSID	0x99

const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

struct penv {
	struct rig r;
	struct xiommu_smmuv3_params params;
	uint32_t idr[8];
	struct xiommu_hw_info caps;
	struct xiommu_plugin_env env;
	struct xiommu_plugin_viommu viommu;
	struct xiommu_plugin_vdev vdev;
	const struct xiommu_plugin_ops *ops;
	char err[256];
	struct xiommu_op ops_buf[256];
	struct xiommu_prog prog;
};

/* NULL @p: rig defaults. */
void penv_up(struct penv *e, const struct xiommu_smmuv3_params *p);
void penv_down(struct penv *e);
void penv_prog_reset(struct penv *e);
/* Run e->prog on the model; refresh vdev.entry from the stream table. */
int penv_run(struct penv *e);
/* Bind through the plugin and run it. */
int penv_bind(struct penv *e, uint32_t config, uint64_t table, uint8_t pasid_bits,
	      uint8_t s1dss);

#endif
