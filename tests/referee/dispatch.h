/* SPDX-License-Identifier: MIT */
/* The referee's hardware forwarder (dispatch.c): one xm_hw_ops for either unit. */
#ifndef XR_DISPATCH_H
#define XR_DISPATCH_H

#include <stdint.h>
#include "xm_hw.h"

/* the unit the host layer's next create() makes */
extern const struct xm_hw_ops *xr_next_hw;

int xr_d_create(const void *params, uint32_t size, const struct xm_host *host, void **hw,
		char *err, uint32_t errlen);
void xr_d_destroy(void *hw);
uint32_t xr_d_regs(void *hw, void *buf, uint32_t len);
int xr_d_set_root(void *hw, uint64_t base, uint64_t cfg);
int xr_d_submit(void *hw, const uint64_t (*c)[XM_CMD_WORDS], uint32_t n, uint32_t *done);
int xr_d_dev_caps(void *hw, uint32_t sid, uint32_t en);
int xr_d_dma(void *hw, struct xm_dma *q);
int xr_d_event_pop(void *hw, struct xm_event *ev);
int xr_d_msi_pop(void *hw, uint64_t *rec);
void xr_d_stats(void *hw, struct xm_stats *st);
/* The unit behind the forwarder @hw (what the side's own create made). */
void *xr_d_unit(void *hw);

/* The ops a host layer built for @vendor_ links against, forwarding to xr_next_hw's unit. */
#define XR_DISPATCH_OPS(vendor_, params_size_, cmd_words_) { \
	.vendor = (vendor_), .params_size = (params_size_), .cmd_words = (cmd_words_), \
	.create = xr_d_create, .destroy = xr_d_destroy, .regs = xr_d_regs, \
	.set_root = xr_d_set_root, .submit = xr_d_submit, .dev_caps = xr_d_dev_caps, \
	.dma = xr_d_dma, .event_pop = xr_d_event_pop, .msi_pop = xr_d_msi_pop, \
	.stats = xr_d_stats, \
}

#endif
