// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

static void *test_map(void *priv, uint64_t pa, uint32_t len)
{
	struct xm_test_mem *m = priv;

	if (pa < m->pa_base || pa - m->pa_base > m->size || len > m->size - (pa - m->pa_base))
		return NULL;
	return m->base + (pa - m->pa_base);
}

static int test_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	*pa = xm_test_mem_alloc(priv, size, size);
	return *pa ? 0 : -ENOMEM;
}

static void test_free(void *priv, uint64_t pa, uint64_t size)
{
	struct xm_test_mem *m = priv;

	/* Bump allocator: poison instead of reuse, so stale pointers show up. */
	memset(xm_test_mem_ptr(m, pa), 0xa5, size);
}

int xm_test_mem_init(struct xm_test_mem *m, uint64_t pa_base, uint64_t size)
{
	memset(m, 0, sizeof(*m));
	m->base = aligned_alloc(4096, size);
	if (!m->base)
		return -ENOMEM;
	memset(m->base, 0, size);
	m->pa_base = pa_base;
	m->size = size;
	m->host.priv = m;
	m->host.map = test_map;
	m->host.alloc = test_alloc;
	m->host.free = test_free;
	m->host.msi_db = pa_base + size + 0x10000;
	return 0;
}

void xm_test_mem_fini(struct xm_test_mem *m)
{
	free(m->base);
	m->base = NULL;
}

void *xm_test_mem_ptr(struct xm_test_mem *m, uint64_t pa)
{
	if (pa < m->pa_base || pa >= m->pa_base + m->size) {
		fprintf(stderr, "test host: PA 0x%llx outside the arena\n", (unsigned long long)pa);
		abort();
	}
	return m->base + (pa - m->pa_base);
}

uint64_t xm_test_mem_alloc(struct xm_test_mem *m, uint64_t size, uint64_t align)
{
	uint64_t off = (m->next + align - 1) & ~(align - 1);

	if (off > m->size || size > m->size - off)
		return 0;
	m->next = off + size;
	memset(m->base + off, 0, size);
	return m->pa_base + off;
}
