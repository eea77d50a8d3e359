/* SPDX-License-Identifier: MIT */
/*
 * A flat host memory for model tests: one arena of RAM at a fixed host PA,
 * a bump allocator for host-owned tables, and the MSI doorbell just above
 * the arena. Tests place guest memory in the arena too and map it in
 * stage 2 like a VMM would.
 */
#ifndef XM_TEST_HOST_H
#define XM_TEST_HOST_H

#include <stdint.h>
#include "xh.h"

struct xm_test_mem {
	uint8_t *base;
	uint64_t pa_base;
	uint64_t size;
	uint64_t next;		/* next free offset */
	struct xm_host host;
};

/* Arena of @size bytes (multiple of 4 KiB) at host PA @pa_base. */
int xm_test_mem_init(struct xm_test_mem *m, uint64_t pa_base, uint64_t size);
void xm_test_mem_fini(struct xm_test_mem *m);
/* Pointer to host PA @pa (aborts the test if outside the arena). */
void *xm_test_mem_ptr(struct xm_test_mem *m, uint64_t pa);
/* Zeroed, @align-aligned block of @size bytes; returns its PA (0 if full). */
uint64_t xm_test_mem_alloc(struct xm_test_mem *m, uint64_t size, uint64_t align);

#endif
