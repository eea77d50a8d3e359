// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Invalidation queue descriptors (256-bit, scalable mode): the format rule
 * of arch/vtd_qi.h (an invalid descriptor sets FSTS.IQE and stops the
 * queue) and execution. Interrupt-entry-cache descriptors are accepted and
 * do nothing: interrupt remapping is not modelled.
 */
#include "vtd_int.h"

/* The format rule of arch/vtd_qi.h, on this unit's CAP / ECAP. */
int vtd_qi_validate(const struct vtd_unit *u, const uint64_t *d)
{
	return vtd_qi_valid(d, u->cap, u->ecap) ? 0 : -EINVAL;
}

void vtd_qi_run(struct vtd_unit *u, const uint64_t *d)
{
	uint32_t type = vtd_qi_type(d), g = (uint32_t)XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L);
	uint16_t did = (uint16_t)XI_GET(d[0], VTD_QI_DID_H, VTD_QI_DID_L);
	uint32_t pasid = (uint32_t)XI_GET(d[0], VTD_QI_PASID_H, VTD_QI_PASID_L);
	uint32_t am = (uint32_t)XI_GET(d[1], VTD_QI_AM_H, VTD_QI_AM_L);
	uint32_t ih = (uint32_t)XI_GET(d[1], VTD_QI_IH, VTD_QI_IH);
	uint64_t addr = d[1] & VTD_QI_ADDR_MASK;

	u->st.commands++;
	switch (type) {
	case VTD_QI_CC:
		if (g == VTD_QI_CC_G_DEVICE)
			vtd_inv_ctx(u, 0, (uint32_t)XI_GET(d[0], VTD_QI_SID_H, VTD_QI_SID_L),
				    (uint32_t)XI_GET(d[0], VTD_QI_CC_FM_H, VTD_QI_CC_FM_L));
		else	/* scalable-mode context entries carry no DID: domain-selective is all */
			vtd_inv_ctx(u, 1, 0, 0);
		break;
	case VTD_QI_IOTLB:
		vtd_inv_iotlb(u, g == VTD_QI_IOTLB_G_GLOBAL, did, g == VTD_QI_IOTLB_G_PAGE, addr,
			      am, ih);
		break;
	case VTD_QI_DEVTLB:
		vtd_inv_devtlb(u, (uint32_t)XI_GET(d[0], VTD_QI_SID_H, VTD_QI_SID_L), 0, 0, 0,
			       addr, vtd_devtlb_order(d[1], VTD_QI_DT_S));
		break;
	case VTD_QI_IEC:
		break;
	case VTD_QI_WAIT:
		u->st.syncs++;
		if (d[0] & XI_BIT(VTD_QI_WAIT_SW)) {
			uint32_t *p = u->host.map(u->host.priv, d[1] & VTD_QI_WAIT_ADDR_MASK, 4);

			if (p)
				*(volatile uint32_t *)p =
					(uint32_t)XI_GET(d[0], VTD_QI_WAIT_DATA_H, VTD_QI_WAIT_DATA_L);
		}
		break;
	case VTD_QI_PIOTLB:
		vtd_inv_piotlb(u, did, pasid, g == VTD_QI_PIOTLB_G_PAGE, addr, am, ih);
		break;
	case VTD_QI_PC:
		vtd_inv_pc(u, g == VTD_QI_PC_G_GLOBAL, did, g == VTD_QI_PC_G_PASID, pasid);
		break;
	case VTD_QI_PDEVTLB:
		vtd_inv_devtlb(u, (uint32_t)XI_GET(d[0], VTD_QI_PDT_SID_H, VTD_QI_PDT_SID_L), 1,
			       pasid, 0, addr, vtd_devtlb_order(d[1], VTD_QI_PDT_S));
		break;
	case VTD_QI_PGRP_RESP:
		vtd_prg_respond(u, (uint32_t)XI_GET(d[0], VTD_QI_PGR_RID_H, VTD_QI_PGR_RID_L),
				(uint32_t)XI_GET(d[1], VTD_QI_PGR_PRGI_H, VTD_QI_PGR_PRGI_L),
				(uint32_t)XI_GET(d[0], VTD_QI_PGR_RC_H, VTD_QI_PGR_RC_L));
		break;
	}
}
