// SPDX-License-Identifier: MIT
/* The counting allocator behind failnth.h (test builds only). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "failnth.h"

/* the real allocator here, whatever -include brought in */
#undef malloc
#undef calloc
#undef realloc
#undef aligned_alloc
#undef strdup

#define SITES 512

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long armed, count;
static int fired;
static const void *sites[SITES];
static unsigned int nsites;

void xc_failnth_arm(unsigned long nth)
{
	pthread_mutex_lock(&lock);
	armed = nth;
	count = 0;
	fired = 0;
	pthread_mutex_unlock(&lock);
}

unsigned long xc_failnth_count(void)
{
	return count;
}

int xc_failnth_fired(void)
{
	return fired;
}

unsigned int xc_failnth_sites(void)
{
	return nsites;
}

/* Count one allocation from @site; 1 when it must fail. */
static int fail_now(const void *site)
{
	unsigned int i;
	int fail;

	pthread_mutex_lock(&lock);
	count++;
	fail = armed && count == armed;
	if (fail) {
		fired = 1;
		for (i = 0; i < nsites && sites[i] != site; i++)
			;
		if (i == nsites && nsites < SITES)
			sites[nsites++] = site;
	}
	pthread_mutex_unlock(&lock);
	return fail;
}

#define SITE __builtin_return_address(0)

void *xc_failnth_malloc(size_t size)
{
	return fail_now(SITE) ? NULL : malloc(size);
}

void *xc_failnth_calloc(size_t n, size_t size)
{
	return fail_now(SITE) ? NULL : calloc(n, size);
}

void *xc_failnth_realloc(void *p, size_t size)
{
	return fail_now(SITE) ? NULL : realloc(p, size);
}

void *xc_failnth_aligned_alloc(size_t align, size_t size)
{
	return fail_now(SITE) ? NULL : aligned_alloc(align, size);
}

char *xc_failnth_strdup(const char *s)
{
	return fail_now(SITE) ? NULL : strdup(s);
}
