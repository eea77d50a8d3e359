// SPDX-License-Identifier: MIT
/*
 * Event records <-> generic faults: the unit's 32-byte EVTQ records (and
 * PRIQ entries) decoded into struct xiommu_fault, and generic faults encoded
 * back into the guest's EVTQ format naming the vSID.
 *
 * The fault-record rule of xiommu.h on SMMUv3 (F_WALK_EABT and the
 * translation-type events 0x10-0x13 carry S2 and CLASS):
 *  - F_STAGE2 is the record's S2 bit; F_WALK is CLASS = TT (a stage-1
 *    translation table fetch). CLASS = CD (a CD or L1CD fetch at stage 2)
 *    and IN (the input address) are not walks.
 *  - F_FETCH with fetch_addr = the record's IPA field when S2 = 1 on a
 *    translation-type event: the GPA stage 2 was translating (the access's
 *    IPA for CLASS IN, the table entry's or CD's IPA for TT / CD).
 *  - FetchAddr of F_WALK_EABT, F_CD_FETCH and F_STE_FETCH is the host PA
 *    of the aborted fetch, not a GPA: SMMUv3 records carry no GPA there, so
 *    F_FETCH stays clear for them and the PA is not passed on.
 */
#include "smmuv3_plugin.h"

static const struct {
	uint8_t id;
	uint8_t reason;
} reasons[] = {
	{ SMMUV3_EVT_F_TRANSLATION, XIOMMU_FR_TRANSLATION },
	{ SMMUV3_EVT_F_PERMISSION, XIOMMU_FR_PERMISSION },
	{ SMMUV3_EVT_F_ACCESS, XIOMMU_FR_ACCESS },
	{ SMMUV3_EVT_F_ADDR_SIZE, XIOMMU_FR_ADDR_SIZE },
	{ SMMUV3_EVT_C_BAD_STE, XIOMMU_FR_BAD_CONFIG },
	{ SMMUV3_EVT_C_BAD_CD, XIOMMU_FR_BAD_PASID_ENTRY },
	{ SMMUV3_EVT_C_BAD_SUBSTREAMID, XIOMMU_FR_BAD_PASID },
	{ SMMUV3_EVT_F_CD_FETCH, XIOMMU_FR_CONFIG_FETCH },
	{ SMMUV3_EVT_F_WALK_EABT, XIOMMU_FR_WALK_EABT },
	{ SMMUV3_EVT_F_STREAM_DISABLED, XIOMMU_FR_DISABLED },
	{ SMMUV3_EVT_F_STE_FETCH, XIOMMU_FR_CONFIG_FETCH },
	{ SMMUV3_EVT_C_BAD_STREAMID, XIOMMU_FR_BAD_CONFIG },
};

static int has_addr(unsigned int id)
{
	return (id >= SMMUV3_EVT_F_TRANSLATION && id <= SMMUV3_EVT_F_PERMISSION) ||
	       id == SMMUV3_EVT_F_WALK_EABT;
}

int smmuv3_event_decode(const struct xiommu_plugin_env *env, uint32_t kind, const uint64_t *w,
			uint32_t nwords, uint32_t *psid, struct xiommu_fault *out)
{
	unsigned int id, i;

	memset(out, 0, sizeof(*out));
	if (kind == SMMUV3_EVK_PRIQ && nwords >= 2) {
		*psid = (uint32_t)SMMUV3_WGET(w[0], SMMUV3_PRIQ_SID);
		out->type = XIOMMU_FAULT_PAGE_REQ;
		out->flags = XIOMMU_FAULT_F_ADDR;
		if (SMMUV3_WGET(w[0], SMMUV3_PRIQ_SSV)) {
			out->flags |= XIOMMU_FAULT_F_PASID;
			out->pasid = (uint32_t)SMMUV3_WGET(w[0], SMMUV3_PRIQ_SSID);
		}
		if (SMMUV3_WGET(w[0], SMMUV3_PRIQ_LAST))
			out->flags |= XIOMMU_FAULT_F_LAST;
		out->perm = (SMMUV3_WGET(w[0], SMMUV3_PRIQ_READ) ? XIOMMU_PERM_READ : 0) |
			    (SMMUV3_WGET(w[0], SMMUV3_PRIQ_WRITE) ? XIOMMU_PERM_WRITE : 0) |
			    (SMMUV3_WGET(w[0], SMMUV3_PRIQ_EXEC) ? XIOMMU_PERM_EXEC : 0) |
			    (SMMUV3_WGET(w[0], SMMUV3_PRIQ_PRIV) ? XIOMMU_PERM_PRIV : 0);
		out->grpid = (uint32_t)SMMUV3_WGET(w[1], SMMUV3_PRIQ_PRGI);
		out->addr = w[1] & XI_GENMASK(63, 12);
		return 0;
	}
	if (kind != SMMUV3_EVK_EVTQ || nwords != SMMUV3_EVT_DWORDS) {
		env->error(env->core, "event: kind %u with %u words (EVTQ record: kind 1, 4 words)", kind,
			   nwords);
		return -EINVAL;
	}
	id = (unsigned int)SMMUV3_WGET(w[0], SMMUV3_EVT_ID);
	*psid = (uint32_t)SMMUV3_WGET(w[0], SMMUV3_EVT_SID);
	out->type = SMMUV3_WGET(w[1], SMMUV3_EVT_STALL) ? XIOMMU_FAULT_PAGE_REQ : XIOMMU_FAULT_DMA;
	if (out->type == XIOMMU_FAULT_PAGE_REQ)
		out->flags |= XIOMMU_FAULT_F_STALL;
	out->vendor_code = id;
	out->reason = XIOMMU_FR_UNKNOWN;
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].id == id)
			out->reason = reasons[i].reason;
	if (SMMUV3_WGET(w[0], SMMUV3_EVT_SSV)) {
		out->flags |= XIOMMU_FAULT_F_PASID;
		out->pasid = (uint32_t)SMMUV3_WGET(w[0], SMMUV3_EVT_SSID);
	}
	if (has_addr(id)) {
		out->flags |= XIOMMU_FAULT_F_ADDR;
		out->addr = w[2];
		out->perm = (SMMUV3_WGET(w[1], SMMUV3_EVT_RNW) ? XIOMMU_PERM_READ : XIOMMU_PERM_WRITE) |
			    (SMMUV3_WGET(w[1], SMMUV3_EVT_IND) ? XIOMMU_PERM_EXEC : 0) |
			    (SMMUV3_WGET(w[1], SMMUV3_EVT_PNU) ? XIOMMU_PERM_PRIV : 0);
		out->grpid = (uint32_t)SMMUV3_WGET(w[1], SMMUV3_EVT_STAG);
		if (SMMUV3_WGET(w[1], SMMUV3_EVT_S2))
			out->flags |= XIOMMU_FAULT_F_STAGE2;
		if (SMMUV3_WGET(w[1], SMMUV3_EVT_CLASS) == SMMUV3_CLASS_TT)
			out->flags |= XIOMMU_FAULT_F_WALK;
		if (SMMUV3_WGET(w[1], SMMUV3_EVT_S2) && id != SMMUV3_EVT_F_WALK_EABT) {
			out->flags |= XIOMMU_FAULT_F_FETCH;
			out->fetch_addr = w[3] & XI_GENMASK(55, 12);
		}
	}
	return 0;
}

int smmuv3_fault_encode(const struct xiommu_plugin_env *env,
			const struct xiommu_plugin_vdev *vdev, const struct xiommu_fault *f,
			void *rec, uint32_t len)
{
	uint64_t w[4] = { 0, 0, 0, 0 };
	unsigned int id = f->vendor_code, i;

	if (len < 32) {
		env->error(env->core, "fault_encode: %u bytes of room, an event record takes 32", len);
		return -ENOSPC;
	}
	if (!id || id > 0xff) {
		id = 0;
		for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]) && !id; i++)
			if (reasons[i].reason == f->reason)
				id = reasons[i].id;
		if (!id) {
			env->error(env->core, "fault_encode: reason %u has no SMMUv3 event", f->reason);
			return -EINVAL;
		}
	}
	if (vdev->vsid >> 32) {
		env->error(env->core, "fault_encode: vSID 0x%llx exceeds 32 bits",
			   (unsigned long long)vdev->vsid);
		return -ERANGE;
	}
	w[0] = SMMUV3_WPUT(id, SMMUV3_EVT_ID) | SMMUV3_WPUT(vdev->vsid, SMMUV3_EVT_SID);
	if (f->flags & XIOMMU_FAULT_F_PASID)
		w[0] |= SMMUV3_WPUT(1, SMMUV3_EVT_SSV) | SMMUV3_WPUT(f->pasid, SMMUV3_EVT_SSID);
	if (has_addr(id)) {
		w[1] = SMMUV3_WPUT(!(f->perm & XIOMMU_PERM_WRITE), SMMUV3_EVT_RNW) |
		       SMMUV3_WPUT(!!(f->perm & XIOMMU_PERM_EXEC), SMMUV3_EVT_IND) |
		       SMMUV3_WPUT(!!(f->perm & XIOMMU_PERM_PRIV), SMMUV3_EVT_PNU);
		if (f->type == XIOMMU_FAULT_PAGE_REQ && (f->flags & XIOMMU_FAULT_F_STALL))
			w[1] |= SMMUV3_WPUT(1, SMMUV3_EVT_STALL) |
				SMMUV3_WPUT(f->grpid, SMMUV3_EVT_STAG);
		/* CLASS TT for a walk, else IN (a stage-2 CD fetch is not told apart) */
		w[1] |= SMMUV3_WPUT(!!(f->flags & XIOMMU_FAULT_F_STAGE2), SMMUV3_EVT_S2) |
			SMMUV3_WPUT((f->flags & XIOMMU_FAULT_F_WALK) ? SMMUV3_CLASS_TT :
				    SMMUV3_CLASS_IN, SMMUV3_EVT_CLASS);
		if (f->flags & XIOMMU_FAULT_F_WALK)
			w[1] |= SMMUV3_WPUT(1, SMMUV3_EVT_TTRNW);
		if ((f->flags & (XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_FETCH)) ==
		    (XIOMMU_FAULT_F_STAGE2 | XIOMMU_FAULT_F_FETCH) && id != SMMUV3_EVT_F_WALK_EABT)
			w[3] = f->fetch_addr & XI_GENMASK(55, 12);
		w[2] = f->addr;
	}
	/* a guest's FetchAddr is its PA: the GPA of the structure */
	if ((f->flags & XIOMMU_FAULT_F_FETCH) && !has_addr(id))
		w[3] = f->fetch_addr & XI_GENMASK(55, 3);
	if ((f->flags & XIOMMU_FAULT_F_FETCH) && id == SMMUV3_EVT_F_WALK_EABT)
		w[3] = f->fetch_addr & XI_GENMASK(55, 3);
	memcpy(rec, w, 32);
	return 0;
}
