/* SPDX-License-Identifier: MIT */
/*
 * What a referee program reaches through /dev/mem (devmem.c): the IOMMU's
 * registers, the spare guest RAM its host layer uses, and the edu device's
 * BAR0 with memory decoding and bus mastering on. All of it is Device
 * memory: aligned volatile 32- or 64-bit accesses only.
 */
#ifndef XR_DEVMEM_H
#define XR_DEVMEM_H

#include <stdint.h>

struct xr_devmem {
	volatile uint8_t *regs, *edu;
	uint8_t *ram;
	int fd;
};

/* What the program mapped: it drives one unit. */
extern struct xr_devmem xr_devmem;

/*
 * Map @unit ("the SMMU", "the VT-d unit") at @unit_base, RAM at @ram_base
 * and the edu device whose sysfs folder is @edu_sysfs (ends with '/') into
 * xr_devmem; 0, or a negative errno with @err naming what failed.
 */
int xr_devmem_open(const char *unit, uint64_t unit_base, uint64_t unit_size,
		   uint64_t ram_base, uint64_t ram_size, const char *edu_sysfs, char *err,
		   uint32_t errlen);
/* The unit's registers at @off; a write is ordered before what follows it. */
uint32_t xr_reg_rd32(uint32_t off);
uint64_t xr_reg_rd64(uint32_t off);
void xr_reg_wr32(uint32_t off, uint32_t v);
void xr_reg_wr64(uint32_t off, uint64_t v);
/* Wait up to 100 ms for the bits @mask of the register at @off to read @want; 0 or -ETIMEDOUT. */
int xr_reg_wait32(uint32_t off, uint32_t mask, uint32_t want);
/* CLOCK_MONOTONIC in ns, for the programs' register-poll timeouts. */
uint64_t xr_now_ns(void);

#endif
