/* SPDX-License-Identifier: MIT */
/*
 * A viommu's fault queue: a fixed ring filled by the IOMMU side, drained by
 * the VMM. Pushing never blocks and never allocates: when the ring is full
 * the fault is counted as lost, and a single XIOMMU_FAULT_LOST record with
 * the count is queued at the place where the loss happened, as soon as
 * there is room for it. Every fault, lost or not, takes one sequence number.
 * An eventfd is readable while records are queued.
 */
#ifndef XC_FAULTQ_H
#define XC_FAULTQ_H

#include <stdint.h>
#include <xiommu/xiommu.h>

struct xc_faultq {
	struct xiommu_fault *ring;
	uint32_t depth, head, count;
	uint32_t seq;			/* next sequence number */
	uint32_t lost;			/* dropped since the last LOST record */
	uint32_t lost_seq;		/* sequence of the first of them */
	uint64_t lost_total;
	int efd;
};

int xc_faultq_init(struct xc_faultq *q, uint32_t depth);
void xc_faultq_fini(struct xc_faultq *q);
/* Queue a copy of @f (type, sequence filled in). */
void xc_faultq_push(struct xc_faultq *q, const struct xiommu_fault *f);
/* Pop up to @max records into @out (record_len bytes apart); returns count. */
uint32_t xc_faultq_pop(struct xc_faultq *q, void *out, uint32_t record_len, uint32_t max);

#endif
