// SPDX-License-Identifier: MIT
/* Host RAM for a referee side: see ram.h. */
#include <errno.h>
#include <string.h>
#include "ram.h"

void *xr_mem_map(struct xr_mem *m, uint64_t pa, uint32_t len)
{
	if (pa < m->base || pa + len > m->base + m->size || pa + len < pa)
		return NULL;
	return m->ptr + (pa - m->base);
}

static void *mem_map(void *priv, uint64_t pa, uint32_t len)
{
	return xr_mem_map(priv, pa, len);
}

static int mem_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	struct xr_mem *m = priv;
	uint64_t a = (m->next + size - 1) & ~(size - 1), off;

	if (a + size > m->end)
		return -ENOMEM;
	for (off = 0; off < size; off += 8)
		xr_wr64(m, a + off, 0);
	m->next = a + size;
	*pa = a;
	return 0;
}

static void mem_free(void *priv, uint64_t pa, uint64_t size)
{
	(void)priv;
	(void)pa;
	(void)size;	/* a bump allocator: each case starts over */
}

void xr_mem_init(struct xr_mem *m, uint8_t *ptr, uint64_t base, uint64_t size, uint64_t end)
{
	m->ptr = ptr;
	m->base = base;
	m->size = size;
	m->next = base;
	m->end = end;
	m->host.priv = m;
	m->host.map = mem_map;
	m->host.alloc = mem_alloc;
	m->host.free = mem_free;
	m->host.msi_db = 0;
}

uint64_t xr_rd64(const struct xr_mem *m, uint64_t pa)
{
	return *(volatile uint64_t *)(m->ptr + (pa - m->base));
}

void xr_wr64(struct xr_mem *m, uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)(m->ptr + (pa - m->base)) = v;
}

uint32_t xr_rd32(const struct xr_mem *m, uint64_t pa)
{
	return *(volatile uint32_t *)(m->ptr + (pa - m->base));
}

void xr_wr32(struct xr_mem *m, uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(m->ptr + (pa - m->base)) = v;
}

int xr_mem_copy(struct xr_mem *m, uint64_t pa, void *buf, uint32_t len, uint32_t width,
		int write)
{
	uint8_t *b = buf;
	uint64_t w = 0;
	uint32_t i, w32;

	if ((pa & (width - 1)) || (len & (width - 1)) || !xr_mem_map(m, pa, len))
		return -EFAULT;
	for (i = 0; i < len; i += width) {
		if (width == 8 && write) {
			memcpy(&w, b + i, 8);
			xr_wr64(m, pa + i, w);
		} else if (width == 8) {
			w = xr_rd64(m, pa + i);
			memcpy(b + i, &w, 8);
		} else if (write) {
			memcpy(&w32, b + i, 4);
			xr_wr32(m, pa + i, w32);
		} else {
			w32 = xr_rd32(m, pa + i);
			memcpy(b + i, &w32, 4);
		}
	}
	return 0;
}
