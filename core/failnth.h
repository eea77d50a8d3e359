/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure injection for tests (the model is iommufd's fail_nth):
 * built only into the test variant of the library (-DXC_FAILNTH), where
 * every allocation of the core and the models goes through a counter that
 * fails the Nth one. The product library never sees these names.
 */
#ifndef XC_FAILNTH_H
#define XC_FAILNTH_H

#include <stddef.h>

/* Fail the @nth allocation from now (1 = the next one); 0 turns failing off. */
void xc_failnth_arm(unsigned long nth);
/* Allocations since the last arm; whether the armed one has failed. */
unsigned long xc_failnth_count(void);
int xc_failnth_fired(void);
/* Distinct call sites that have had an allocation failed, since the process started. */
unsigned int xc_failnth_sites(void);

void *xc_failnth_malloc(size_t size);
void *xc_failnth_calloc(size_t n, size_t size);
void *xc_failnth_realloc(void *p, size_t size);
void *xc_failnth_aligned_alloc(size_t align, size_t size);
char *xc_failnth_strdup(const char *s);

#ifdef XC_FAILNTH
#include <stdlib.h>
#include <string.h>
#define malloc(s)		xc_failnth_malloc(s)
#define calloc(n, s)		xc_failnth_calloc(n, s)
#define realloc(p, s)		xc_failnth_realloc(p, s)
#define aligned_alloc(a, s)	xc_failnth_aligned_alloc(a, s)
#define strdup(s)		xc_failnth_strdup(s)
#endif

#endif
