/* SPDX-License-Identifier: MIT */
/*
 * Host RAM one unit allocates from (ram.c): the spare guest RAM of the
 * boot, at the same PAs on both units (QEMU's from /dev/mem, the model's
 * from the heap). Only aligned volatile 32- and 64-bit accesses: on the
 * QEMU side this is Device memory.
 */
#ifndef XR_RAM_H
#define XR_RAM_H

#include <stdint.h>
#include "xm_hw.h"

struct xr_mem {
	uint8_t *ptr;		/* [base, base + size) */
	uint64_t base, size;
	uint64_t next, end;	/* the host layer's allocations: a bump allocator up to end */
	struct xm_host host;	/* its callbacks, for the host layer and the units */
};

void xr_mem_init(struct xr_mem *m, uint8_t *ptr, uint64_t base, uint64_t size, uint64_t end);
/* @len bytes at @pa, or NULL when they leave the RAM. */
void *xr_mem_map(struct xr_mem *m, uint64_t pa, uint32_t len);
uint64_t xr_rd64(const struct xr_mem *m, uint64_t pa);
void xr_wr64(struct xr_mem *m, uint64_t pa, uint64_t v);
uint32_t xr_rd32(const struct xr_mem *m, uint64_t pa);
void xr_wr32(struct xr_mem *m, uint64_t pa, uint32_t v);
/*
 * @len bytes between @buf and @pa (@write: into the RAM) by accesses of
 * @width bytes (4 or 8); -EFAULT when @pa or @len is not a multiple of it
 * or the bytes leave the RAM.
 */
int xr_mem_copy(struct xr_mem *m, uint64_t pa, void *buf, uint32_t len, uint32_t width,
		int write);

#endif
