/* SPDX-License-Identifier: MIT */
#ifndef XC_DEBUG_H
#define XC_DEBUG_H

#include <stddef.h>

struct xiommu_ctx;

/* Serialise the context's state into @buf; returns the bytes it needs. */
size_t xc_state_dump(struct xiommu_ctx *ctx, void *buf, size_t len);

#endif
