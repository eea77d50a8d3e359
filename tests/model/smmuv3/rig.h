/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 model test rig: a unit on the flat test host, one domain whose
 * stage 2 maps guest RAM, guest-memory accessors for the guest builders,
 * and shorthands for STE programs, commands and DMA.
 */
#ifndef SMMUV3_TEST_RIG_H
#define SMMUV3_TEST_RIG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "host.h"
#include "../../../kernel/model/smmuv3/smmuv3_int.h"
#include "../../../kernel/host/smmuv3/smmuv3_host.h"
#include "../../../plugins/smmuv3/guest.h"

#define RIG_PA_BASE	0x100000000ull
#define RIG_ARENA	(16ull << 20)
#define RIG_GPA		0x40000000ull	/* guest RAM base */
#define RIG_GRAM	(4ull << 20)
#define RIG_SID		5

extern const struct xh_unit_ops xh_smmuv3_ops;
extern const struct xm_hw_ops xm_smmuv3_hw;

struct rig {
	struct xm_test_mem mem;
	void *h;		/* the host layer's unit */
	struct smmu_unit *u;	/* the hardware under it */
	struct xh_smmu_dom *d;
	struct xiommu_domain_desc desc;
	uint64_t gram_pa;	/* PA of guest RAM */
	uint64_t gnext;		/* guest bump allocator (GPA) */
	struct smmuv3_guest_mem gm;
};

void rig_params(struct xiommu_smmuv3_params *p);
/* What the rig grants RIG_SID: every one of ATS, PRI and stall the unit has. */
uint32_t rig_grants(const struct xiommu_smmuv3_params *p);
/* NULL @p: defaults with sid_bits 8 */
void rig_up(struct rig *r, const struct xiommu_smmuv3_params *p);
void rig_down(struct rig *r);
void *gptr(struct rig *r, uint64_t gpa);
uint64_t galloc(struct rig *r, uint64_t size);

/* Full STE write + CFGI_STE + SYNC through exec; returns exec's result. */
int rig_ste(struct rig *r, uint32_t sid, const uint64_t *ste);
void rig_ste_s2(struct rig *r, uint64_t *ste);
void rig_ste_nested(struct rig *r, uint64_t *ste, uint64_t ctx, unsigned int fmt,
		    unsigned int cdmax, unsigned int dss);
int rig_cmd(struct rig *r, uint64_t c0, uint64_t c1);
/*
 * The same command straight on the unit's queue (no host check): 1 when the
 * unit stops at it with CERROR_ILL, as the host's check predicted.
 */
int rig_hw_ill(struct rig *r, uint64_t c0, uint64_t c1);

/* One DMA: returns status; *pa when not NULL. */
uint32_t rig_dma(struct rig *r, uint32_t op, uint32_t flags, uint32_t sid, uint32_t pasid,
		 uint64_t iova, uint64_t *pa);
int rig_event(struct rig *r, uint64_t *w);	/* 0 or -ENOENT */
void rig_no_event(struct rig *r);

/*
 * A nested stage 1 on RIG_SID: one CD (asid) at a linear table, 4K granule,
 * t0sz 16; returns the stage-1 root GPA. The STE is installed.
 */
uint64_t rig_nested(struct rig *r, uint16_t asid, uint64_t *cd_gpa);

#endif
