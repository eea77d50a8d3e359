/* SPDX-License-Identifier: MIT */
/*
 * A VT-d unit on the test host: the host layer's unit (h) over the
 * hardware model (u, for looking at its caches), one host domain with
 * 8 MiB of guest memory at GPA 0 (host PA guest_pa) mapped page by page,
 * requester RID attached with ATS granted (when the unit has it), helpers
 * to write guest first-level tables and run programs and DMA.
 */
#ifndef VTD_RIG_H
#define VTD_RIG_H

#include <stdint.h>
#include "xh.h"
#include "host.h"
#include "vtd_int.h"
#include "vtd_host.h"

#define ARENA_PA	0x100000000ull
#define ARENA_SIZE	(48u << 20)
#define GUEST_SIZE	(8u << 20)
#define RID		0x0110u
#define FL_P		(XI_BIT(VTD_FL_P) | XI_BIT(VTD_FL_RW) | XI_BIT(VTD_FL_US))

struct rig {
	struct xm_test_mem m;
	struct xiommu_vtd_params p;
	void *h;		/* the host layer's unit */
	struct vtd_unit *u;	/* the hardware under it */
	struct xh_vtd_dom *dom;
	struct xiommu_domain_desc desc;
	uint64_t guest_pa;	/* host PA of GPA 0 */
	uint64_t next_table;	/* guest table bump allocator (GPA) */
};

extern const struct xiommu_vtd_params defaults;
extern const struct xh_unit_ops xh_vtd_ops;

uint32_t rig_grants(const struct xiommu_vtd_params *p);
void rig_up(struct rig *r, const struct xiommu_vtd_params *p);
void rig_down(struct rig *r);
uint64_t *gptr(struct rig *r, uint64_t gpa);
uint64_t gtable(struct rig *r);
uint64_t *fl_map(struct rig *r, uint64_t root, uint32_t levels, uint64_t iova,
		  uint64_t gpa, uint32_t lg, uint64_t flags);
void nested_pe(struct rig *r, uint64_t *w, uint64_t flroot, uint32_t flpm, uint64_t w2f);
struct xiommu_op *op_write(struct xiommu_op *op, uint32_t pasid, const uint64_t *w,
			    uint32_t mask);
struct xiommu_op *op_cmd(struct xiommu_op *op, const uint64_t *d);
int rig_exec(struct rig *r, struct xiommu_op *ops, uint32_t n, uint32_t *bad);
void rig_bind(struct rig *r, uint32_t pasid, const uint64_t *w);
uint32_t rig_dma(struct rig *r, uint32_t op, uint32_t flags, uint32_t pasid,
		 uint64_t iova, void *buf, uint64_t len, uint64_t *pa);
uint32_t rig_xlate(struct rig *r, uint32_t flags, uint32_t pasid, uint64_t iova, uint64_t *pa);
uint32_t fault_reason(struct rig *r, uint64_t *w);
void no_event(struct rig *r);
struct xiommu_vtd_params no_prs(void);
uint64_t setup_nested(struct rig *r, uint64_t w2f);
void rig_teardown(struct rig *r, const uint64_t (*d)[4], uint32_t nd);
/*
 * Descriptor @d straight on the unit's queue (no host check): 1 when the
 * unit stops at it with FSTS.IQE, as the host's check predicted.
 */
int rig_hw_ill(struct rig *r, const uint64_t *d);
/* Descriptor @d straight on the unit's queue; returns submit's result. */
int rig_hw_submit(struct rig *r, const uint64_t *d);
/* The host's PASID entry of @rid / @pasid in memory (hardware-level tests edit it). */
uint64_t *rig_pe(struct rig *r, uint32_t rid, uint32_t pasid);
/* The context entry of @rid in memory. */
uint64_t *rig_ce(struct rig *r, uint32_t rid);
/* The host's invalidation-wait status page. */
uint32_t rig_status(struct rig *r);

#endif
