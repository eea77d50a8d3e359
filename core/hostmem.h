/* SPDX-License-Identifier: MIT */
/*
 * The embedded backend's host physical address space: the VMM's registered
 * buffers and the tables the models allocate, each placed at an address of
 * its own, plus address-only pages (MSI doorbells) that are not RAM.
 */
#ifndef XC_HOSTMEM_H
#define XC_HOSTMEM_H

#include <stdint.h>

struct xc_hostmem;

int xc_hostmem_new(struct xc_hostmem **hm);
void xc_hostmem_free(struct xc_hostmem *hm);
/* Place [ptr, ptr+size) at a fresh PA; own = free ptr on removal. */
int xc_hostmem_add(struct xc_hostmem *hm, void *ptr, uint64_t size, int own, uint64_t *pa);
void xc_hostmem_remove(struct xc_hostmem *hm, uint64_t pa);
/* A fresh, page-aligned PA range backed by nothing (MMIO). */
uint64_t xc_hostmem_reserve(struct xc_hostmem *hm, uint64_t size);
/* Pointer for [pa, pa+len) inside one range, or NULL. */
void *xc_hostmem_ptr(struct xc_hostmem *hm, uint64_t pa, uint64_t len);

#endif
