/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Bit-field helpers for the vendor format headers in this folder, usable in
 * the kernel and in userspace alike.
 */
#ifndef XIOMMU_ARCH_BITS_H
#define XIOMMU_ARCH_BITS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define XI_BIT(n)		(1ull << (n))
#define XI_GENMASK(h, l)	((~0ull >> (63 - (h))) & (~0ull << (l)))
/* Field h:l of a 64-bit word, and @v placed in field h:l. */
#define XI_GET(w, h, l)		((((uint64_t)(w)) & XI_GENMASK(h, l)) >> (l))
#define XI_PUT(v, h, l)		((((uint64_t)(v)) << (l)) & XI_GENMASK(h, l))

static inline uint64_t xi_set(uint64_t w, unsigned int h, unsigned int l, uint64_t v)
{
	return (w & ~XI_GENMASK(h, l)) | XI_PUT(v, h, l);
}

#endif /* XIOMMU_ARCH_BITS_H */
