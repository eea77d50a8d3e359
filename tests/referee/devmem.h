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

/*
 * Map @unit ("the SMMU", "the VT-d unit") at @unit_base, RAM at @ram_base
 * and the edu device whose sysfs folder is @edu_sysfs (ends with '/'); 0,
 * or a negative errno with @err naming what failed.
 */
int xr_devmem_open(struct xr_devmem *m, const char *unit, uint64_t unit_base,
		   uint64_t unit_size, uint64_t ram_base, uint64_t ram_size,
		   const char *edu_sysfs, char *err, uint32_t errlen);
/* CLOCK_MONOTONIC in ns, for the programs' register-poll timeouts. */
uint64_t xr_now_ns(void);

#endif
