// SPDX-License-Identifier: MIT
/*
 * The hardware the host layer links against, in a referee program: a
 * forwarder to either unit (QEMU's through MMIO, or the model, whose ops
 * are renamed at build time). Each side sets xr_next_hw before the host
 * layer creates its unit; the unit keeps the ops it was made with.
 */
#include <errno.h>
#include <stdlib.h>
#include "dispatch.h"

const struct xm_hw_ops *xr_next_hw;

struct disp {
	const struct xm_hw_ops *ops;
	void *hw;
};

int xr_d_create(const void *params, uint32_t size, const struct xm_host *host, void **hw,
		char *err, uint32_t errlen)
{
	struct disp *d = calloc(1, sizeof(*d));
	int ret;

	*hw = NULL;
	if (!d)
		return -ENOMEM;
	d->ops = xr_next_hw;
	ret = d->ops->create(params, size, host, &d->hw, err, errlen);
	if (ret) {
		free(d);
		return ret;
	}
	*hw = d;
	return 0;
}

void xr_d_destroy(void *hw)
{
	struct disp *d = hw;

	if (d) {
		d->ops->destroy(d->hw);
		free(d);
	}
}

#define D(hw) ((struct disp *)(hw))
uint32_t xr_d_regs(void *hw, void *buf, uint32_t len)
{
	return D(hw)->ops->regs(D(hw)->hw, buf, len);
}

int xr_d_set_root(void *hw, uint64_t base, uint64_t cfg)
{
	return D(hw)->ops->set_root(D(hw)->hw, base, cfg);
}

int xr_d_submit(void *hw, const uint64_t (*c)[XM_CMD_WORDS], uint32_t n, uint32_t *done)
{
	return D(hw)->ops->submit(D(hw)->hw, c, n, done);
}

int xr_d_dev_caps(void *hw, uint32_t sid, uint32_t en)
{
	return D(hw)->ops->dev_caps(D(hw)->hw, sid, en);
}

int xr_d_dma(void *hw, struct xm_dma *q)
{
	return D(hw)->ops->dma(D(hw)->hw, q);
}

int xr_d_event_pop(void *hw, struct xm_event *ev)
{
	return D(hw)->ops->event_pop(D(hw)->hw, ev);
}

int xr_d_msi_pop(void *hw, uint64_t *rec)
{
	return D(hw)->ops->msi_pop(D(hw)->hw, rec);
}

void xr_d_stats(void *hw, struct xm_stats *st)
{
	D(hw)->ops->stats(D(hw)->hw, st);
}

void *xr_d_unit(void *hw)
{
	return D(hw)->hw;
}
