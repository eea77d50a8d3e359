/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The model's whole environment: fixed-width types, errno values, memory
 * helpers and allocation. Model code includes nothing else, so the same
 * source builds into xiommu.ko and into libxiommu. Allocation is for object
 * creation only; walks, DMA and command processing never allocate.
 */
#ifndef XM_ENV_H
#define XM_ENV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
/* counted by xiommu.ko (allocation counters, failure injection) */
void *xmk_zalloc(size_t size);
void xmk_free(const void *p);
#define xm_zalloc(sz)	xmk_zalloc(sz)
#define xm_free(p)	xmk_free(p)
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#define xm_zalloc(sz)	calloc(1, (sz))
#define xm_free(p)	free(p)
#endif

#include <xiommu/arch/bits.h>

#define XM_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* XM_ENV_H */
