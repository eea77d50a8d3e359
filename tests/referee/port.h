/* SPDX-License-Identifier: MIT */
/*
 * The test port both QEMU units share (port.c): the edu PCI device moves
 * the bytes of a DMA through the IOMMU under test, and a window, an IOVA
 * the scenario maps to a PA of guest RAM, carries them between the CPU
 * and the edu buffer, which the CPU cannot see. The unit's own records
 * (SMMUv3 events, VT-d fault records) reach a soft queue through the
 * vendor's drain.
 */
#ifndef XR_PORT_H
#define XR_PORT_H

#include <stddef.h>
#include <stdint.h>
#include "xm_hw.h"

#define XR_EDU_BUF	0x40000ull	/* the edu device's buffer in its DMA space */
/* bytes of one DMA: half the edu buffer; QEMU 7.2's edu aborts on 4096 */
#define XR_EDU_MAX	2048u
#define XR_SOFT_MAX	64		/* records kept between two pops */

struct xr_port;

/* What a vendor's QEMU unit tells its port. */
struct xr_port_kind {
	const char *who;		/* "qemu-smmuv3", for messages */
	uint32_t params_size;		/* the vendor's parameter block */
	uint32_t sid;			/* the edu device's stream / requester ID */
	/* move the unit's new records into the soft queue (@keep, xr_port_keep) or drop them */
	void (*drain)(struct xr_port *p, int keep);
};

struct xr_port {
	const struct xr_port_kind *kind;
	struct xm_host host;
	uint64_t win_iova, win_pa;	/* the window: 0 until the scenario maps it */
	struct xm_event soft[XR_SOFT_MAX];	/* records of the DMAs' targets */
	uint32_t soft_head, soft_n;
	struct xm_stats st;
};

/*
 * A vendor's create() begins here: a new unit of @size bytes, zeroed,
 * whose first member is its port, with @host's callbacks. 0 with *@unit
 * set; -EINVAL when the program mapped no unit (xr_devmem_open) or
 * @params_size is not @kind's, with @err saying so; or -ENOMEM.
 */
int xr_port_new(void **unit, size_t size, const struct xr_port_kind *kind, uint32_t params_size,
		const struct xm_host *host, char *err, uint32_t errlen);
/* Host RAM of the unit's queues at @pa, through the host callbacks. */
volatile uint64_t *xr_port_ram64(struct xr_port *p, uint64_t pa);
/* The soft queue's next free record, counted as an event; NULL when full. */
struct xm_event *xr_port_keep(struct xr_port *p);

/*
 * The hardware ops a port serves alike for either unit; @hw is the
 * vendor's unit, whose first member is its struct xr_port.
 */
int xr_port_dma(void *hw, struct xm_dma *req);
int xr_port_event_pop(void *hw, struct xm_event *ev);
int xr_port_msi_pop(void *hw, uint64_t *rec);
void xr_port_stats(void *hw, struct xm_stats *st);
/*
 * The window: what a read DMA fetched is written back through the unit
 * to @iova, which every scenario maps to @pa, and read there; a write
 * DMA's data is loaded from there.
 */
void xr_port_window(void *hw, uint64_t iova, uint64_t pa);

/* The ops of a vendor's QEMU unit: its own for registers and queues, the port's for the rest. */
#define XR_PORT_OPS(vendor_, params_size_, cmd_words_, create_, destroy_, regs_, set_root_, \
		    submit_, dev_caps_) { \
	.vendor = (vendor_), .params_size = (params_size_), .cmd_words = (cmd_words_), \
	.create = (create_), .destroy = (destroy_), .regs = (regs_), .set_root = (set_root_), \
	.submit = (submit_), .dev_caps = (dev_caps_), .dma = xr_port_dma, \
	.event_pop = xr_port_event_pop, .msi_pop = xr_port_msi_pop, .stats = xr_port_stats, \
}

#endif
