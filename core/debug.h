/* SPDX-License-Identifier: MIT */
#ifndef XC_DEBUG_H
#define XC_DEBUG_H

#include <stddef.h>

struct xiommu_ctx;

/* Serialise the context's state into @buf; returns the bytes it needs. */
size_t xc_state_dump(struct xiommu_ctx *ctx, void *buf, size_t len);
/*
 * The same without what only counts time: the id counter and freed ids,
 * the fault queues' positions and sequence numbers. Two contexts with the
 * same image hold the same live objects in the same order and answer every
 * call alike, bar the ids of objects made later and the sequence numbers
 * of later fault records.
 */
size_t xc_state_dump_live(struct xiommu_ctx *ctx, void *buf, size_t len);

#endif
