/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM for end-to-end tests and benches: one VMM buffer that stage 2
 * maps at GPA @base, with the accessors and the page allocator the vendors'
 * guest-format helpers take (their `arg` is a struct guest_ram).
 */
#ifndef XT_GUEST_RAM_H
#define XT_GUEST_RAM_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

struct guest_ram {
	uint8_t *mem;		/* the buffer registered with xiommu_mem_register */
	uint64_t base, size;	/* its GPA range */
	uint64_t next;		/* next free GPA for guest tables */
};

static inline uint8_t *guest_ram_ptr(struct guest_ram *g, uint64_t gpa, uint64_t len)
{
	if (gpa < g->base || gpa - g->base > g->size || len > g->size - (gpa - g->base))
		return NULL;
	return g->mem + (gpa - g->base);
}

static inline int guest_ram_read(void *arg, uint64_t gpa, void *buf, uint32_t len)
{
	uint8_t *p = guest_ram_ptr(arg, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static inline int guest_ram_write(void *arg, uint64_t gpa, const void *buf, uint32_t len)
{
	uint8_t *p = guest_ram_ptr(arg, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/* A zeroed, naturally aligned block of @size bytes (a power of two); 0 when full. */
static inline uint64_t guest_ram_alloc(void *arg, uint64_t size)
{
	struct guest_ram *g = arg;
	uint64_t at = (g->next + size - 1) & ~(size - 1);
	uint8_t *p = guest_ram_ptr(g, at, size);

	if (!p)
		return 0;
	g->next = at + size;
	memset(p, 0, size);
	return at;
}

#endif
