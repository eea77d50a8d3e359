// SPDX-License-Identifier: MIT
/*
 * Records: primary fault records and page request descriptors from the
 * backend -> generic faults; generic faults -> guest-format records naming
 * the vRID (a 128-bit fault record, or for page requests the 256-bit page
 * request descriptor when the buffer holds 32 bytes).
 */
#include "vtd_plugin.h"

#define S2	XIOMMU_FAULT_F_STAGE2
#define WALK	XIOMMU_FAULT_F_WALK

/*
 * VT-d fault reason -> generic reason, and the stage / walk flags the
 * reason alone tells (the fault record has no other field for them):
 *  - F_STAGE2 | F_WALK: the second level failed translating the GPA of a
 *    first-level table (0x74 beyond its width, 0x75 / 0x76 no read, 0x77 no
 *    write for an A/D update);
 *  - F_STAGE2: second-level entry conditions (0x78 access error, 0x79 R/W,
 *    0x7A reserved, 0x7C A/D with no-snoop, 0x84 beyond its width) and 0x86,
 *    no read permission: only the second level grants or denies reads (a
 *    present first-level entry is readable). 0x85, no write permission,
 *    comes from either level and carries neither flag;
 *  - F_WALK: first-level table fetch errors (0x70, 0x73).
 * F_FETCH is never set: the record (FI, the request's page) carries no GPA.
 */
uint32_t vtdp_generic_reason(uint32_t fr, uint32_t *flags)
{
	*flags = 0;
	switch (fr) {
	case VTD_FR_ROOT_P: case VTD_FR_CTX_P: case VTD_FR_PDE_P: case VTD_FR_PE_P:
		return XIOMMU_FR_DISABLED;
	case VTD_FR_ROOT_ACCESS: case VTD_FR_CTX_ACCESS: case VTD_FR_PDE_ACCESS:
	case VTD_FR_PE_ACCESS:
		return XIOMMU_FR_CONFIG_FETCH;
	case VTD_FR_ROOT_RSVD: case VTD_FR_CTX_RSVD: case VTD_FR_CTX_INVALID: case VTD_FR_CTX_DTE:
	case VTD_FR_CTX_PASIDE: case VTD_FR_CTX_PRE: case VTD_FR_SL_PTR:
		return XIOMMU_FR_BAD_CONFIG;
	case VTD_FR_PASID_RANGE: case VTD_FR_RID_PASID:
		return XIOMMU_FR_BAD_PASID;
	case VTD_FR_PDE_RSVD: case VTD_FR_PE_RSVD: case VTD_FR_PE_INVALID:
		return XIOMMU_FR_BAD_PASID_ENTRY;
	case VTD_FR_WRITE:
		/* the write permission of both levels together: either may have refused */
		*flags = XIOMMU_FAULT_F_EITHER_STAGE;
		return XIOMMU_FR_PERMISSION;
	case VTD_FR_PE_ERE: case VTD_FR_PE_SRE: case VTD_FR_US: case VTD_FR_XD:
		return XIOMMU_FR_PERMISSION;
	case VTD_FR_FL_ACCESS: case VTD_FR_FL_ROOT_ACCESS:
		*flags = WALK;
		return XIOMMU_FR_WALK_EABT;
	case VTD_FR_FL_P: case VTD_FR_FL_RSVD:
		return XIOMMU_FR_TRANSLATION;
	case VTD_FR_FL_MGAW:
		*flags = S2 | WALK;
		return XIOMMU_FR_ADDR_SIZE;
	case VTD_FR_FL_ROOT_SLR: case VTD_FR_FL_SLR:
		*flags = S2 | WALK;
		return XIOMMU_FR_TRANSLATION;
	case VTD_FR_FL_SLW:
		*flags = S2 | WALK;
		return XIOMMU_FR_PERMISSION;
	case VTD_FR_SL_ACCESS:
		*flags = S2;
		return XIOMMU_FR_WALK_EABT;
	case VTD_FR_SL_PERM:
		*flags = S2;
		return XIOMMU_FR_PERMISSION;
	case VTD_FR_SL_RSVD:
		*flags = S2;
		return XIOMMU_FR_TRANSLATION;
	case VTD_FR_SL_AD_NOSNOOP:
		*flags = S2;
		return XIOMMU_FR_ACCESS;
	case VTD_FR_FL_AD_NOSNOOP:
		return XIOMMU_FR_ACCESS;
	case VTD_FR_CANONICAL: case VTD_FR_HW_MAX:
		return XIOMMU_FR_ADDR_SIZE;
	case VTD_FR_SL_MAX:
		*flags = S2;
		return XIOMMU_FR_ADDR_SIZE;
	case VTD_FR_READ:
		*flags = S2;
		return XIOMMU_FR_TRANSLATION;
	default:
		return XIOMMU_FR_UNKNOWN;
	}
}

int vtdp_event_decode(const struct xiommu_plugin_env *env, uint32_t kind, const uint64_t *w,
		      uint32_t nwords, uint32_t *psid, struct xiommu_fault *out)
{
	(void)env;
	memset(out, 0, sizeof(*out));
	if (kind == VTD_EVT_FAULT && nwords >= 2) {
		uint32_t fr = (uint32_t)XI_GET(w[1], VTD_FRCD_FR_H, VTD_FRCD_FR_L), fl;

		if (!(w[1] & XI_BIT(VTD_FRCD_F)))
			return -EINVAL;
		out->type = XIOMMU_FAULT_DMA;
		out->reason = vtdp_generic_reason(fr, &fl);
		out->flags = fl | XIOMMU_FAULT_F_ADDR;
		out->addr = w[0] & VTD_FRCD_FI_MASK;
		/* the model appends the exact address; a bare record has the page */
		if (nwords >= 3 && (w[2] & VTD_FRCD_FI_MASK) == out->addr)
			out->addr = w[2];
		if (w[1] & XI_BIT(VTD_FRCD_PP)) {
			out->flags |= XIOMMU_FAULT_F_PASID;
			out->pasid = (uint32_t)XI_GET(w[1], VTD_FRCD_PV_H, VTD_FRCD_PV_L);
		}
		out->perm = (w[1] & XI_BIT(VTD_FRCD_T) ? XIOMMU_PERM_READ : XIOMMU_PERM_WRITE) |
			    (w[1] & XI_BIT(VTD_FRCD_EXE) ? XIOMMU_PERM_EXEC : 0) |
			    (w[1] & XI_BIT(VTD_FRCD_PRIV) ? XIOMMU_PERM_PRIV : 0);
		out->vendor_code = fr;
		*psid = (uint32_t)XI_GET(w[1], VTD_FRCD_SID_H, VTD_FRCD_SID_L);
		return 0;
	}
	if (kind == VTD_EVT_PRQ && nwords >= 2) {
		if (XI_GET(w[0], VTD_PRQ_TYPE_H, VTD_PRQ_TYPE_L) != VTD_PRQ_TYPE_PAGE_REQ)
			return -EINVAL;
		out->type = XIOMMU_FAULT_PAGE_REQ;
		out->flags = XIOMMU_FAULT_F_ADDR;
		if (w[0] & XI_BIT(VTD_PRQ_PASID_PRESENT)) {
			out->flags |= XIOMMU_FAULT_F_PASID;
			out->pasid = (uint32_t)XI_GET(w[0], VTD_PRQ_PASID_H, VTD_PRQ_PASID_L);
		}
		if (w[1] & XI_BIT(VTD_PRQ_LPIG))
			out->flags |= XIOMMU_FAULT_F_LAST;
		out->addr = w[1] & VTD_PRQ_ADDR_MASK;
		out->perm = (w[1] & XI_BIT(VTD_PRQ_RD) ? XIOMMU_PERM_READ : 0) |
			    (w[1] & XI_BIT(VTD_PRQ_WR) ? XIOMMU_PERM_WRITE : 0) |
			    (w[0] & XI_BIT(VTD_PRQ_EXE) ? XIOMMU_PERM_EXEC : 0) |
			    (w[0] & XI_BIT(VTD_PRQ_PM) ? XIOMMU_PERM_PRIV : 0);
		out->grpid = (uint32_t)XI_GET(w[1], VTD_PRQ_PRGI_H, VTD_PRQ_PRGI_L);
		*psid = (uint32_t)XI_GET(w[0], VTD_PRQ_RID_H, VTD_PRQ_RID_L);
		return 0;
	}
	return -EINVAL;
}

/* Generic reason -> the VT-d reason a guest driver expects, when none was kept. */
static uint32_t vtd_reason(const struct xiommu_fault *f)
{
	if (f->vendor_code && f->vendor_code <= 0xff)
		return f->vendor_code;
	switch (f->reason) {
	case XIOMMU_FR_TRANSLATION: return VTD_FR_FL_P;
	case XIOMMU_FR_PERMISSION:
		return f->perm & XIOMMU_PERM_WRITE ? VTD_FR_WRITE :
		       f->perm & XIOMMU_PERM_EXEC ? VTD_FR_XD : VTD_FR_US;
	case XIOMMU_FR_ACCESS: return VTD_FR_FL_SLW;
	case XIOMMU_FR_ADDR_SIZE: return VTD_FR_HW_MAX;
	case XIOMMU_FR_BAD_CONFIG: return VTD_FR_CTX_INVALID;
	case XIOMMU_FR_BAD_PASID_ENTRY: return VTD_FR_PE_INVALID;
	case XIOMMU_FR_BAD_PASID: return VTD_FR_PASID_RANGE;
	case XIOMMU_FR_CONFIG_FETCH: return VTD_FR_PE_ACCESS;
	case XIOMMU_FR_WALK_EABT: return VTD_FR_FL_ACCESS;
	case XIOMMU_FR_DISABLED: return VTD_FR_PE_P;
	default: return VTD_FR_PE_INVALID;
	}
}

int vtdp_fault_encode(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		      const struct xiommu_fault *f, void *rec, uint32_t len)
{
	uint32_t pp = !!(f->flags & XIOMMU_FAULT_F_PASID);
	uint64_t w[4];

	if (vdev->vsid > 0xffff || (pp && f->pasid >> 20)) {
		env->error(env->core, "fault_encode: vRID 0x%llx / PASID 0x%x do not fit a VT-d record",
			   (unsigned long long)vdev->vsid, f->pasid);
		return -ERANGE;
	}
	if (f->type == XIOMMU_FAULT_DMA) {
		if (len < 16) {
			env->error(env->core, "fault_encode: %u bytes: a fault record takes 16", len);
			return -ENOSPC;
		}
		vtd_frcd_encode(w, f->addr, (uint32_t)vdev->vsid, vtd_reason(f), pp, f->pasid,
				!(f->perm & XIOMMU_PERM_WRITE), !!(f->perm & XIOMMU_PERM_PRIV),
				!!(f->perm & XIOMMU_PERM_EXEC));
		memcpy(rec, w, 16);
		return 0;
	}
	if (f->type == XIOMMU_FAULT_PAGE_REQ) {
		if (len < 32 || f->grpid > 0x1ff) {
			env->error(env->core, "fault_encode: page request needs 32 bytes (%u) and a 9-bit group (0x%x)",
				   len, f->grpid);
			return len < 32 ? -ENOSPC : -ERANGE;
		}
		vtd_prq_encode(w, (uint32_t)vdev->vsid, pp, f->pasid,
			       !!(f->perm & XIOMMU_PERM_EXEC), !!(f->perm & XIOMMU_PERM_PRIV),
			       !!(f->perm & XIOMMU_PERM_READ), !!(f->perm & XIOMMU_PERM_WRITE),
			       !!(f->flags & XIOMMU_FAULT_F_LAST), f->grpid, f->addr);
		memcpy(rec, w, 32);
		return 0;
	}
	env->error(env->core, "fault_encode: type %u has no VT-d record", f->type);
	return -EINVAL;
}
