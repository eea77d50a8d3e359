// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What every host unit does the same way: pass the test port, records, ID
 * registers and counters through to its hardware, adding the host's own
 * counters; and the message of a failed create.
 */
#include "xh.h"

static struct xh_unit *base(void *unit)
{
	return unit;	/* every vendor unit starts with its struct xh_unit */
}

uint32_t xh_unit_regs(void *unit, void *buf, uint32_t len)
{
	return base(unit)->hw_ops->regs(base(unit)->hw, buf, len);
}

int xh_unit_dma(void *unit, struct xm_dma *req)
{
	return base(unit)->hw_ops->dma(base(unit)->hw, req);
}

int xh_unit_event_pop(void *unit, struct xm_event *ev)
{
	return base(unit)->hw_ops->event_pop(base(unit)->hw, ev);
}

int xh_unit_msi_pop(void *unit, uint64_t *rec)
{
	return base(unit)->hw_ops->msi_pop(base(unit)->hw, rec);
}

void xh_unit_stats(void *unit, struct xm_stats *st)
{
	const struct xh_unit *b = base(unit);

	b->hw_ops->stats(b->hw, st);
	st->programs = b->programs;
	st->host_commands = b->host_cmds;
	st->host_syncs = b->host_syncs;
	st->queue_errors += b->refused;
}

void *xh_unit_hw(void *unit)
{
	return base(unit)->hw;
}

void xh_copy_err(char *err, uint32_t errlen, const char *msg)
{
	uint32_t i;

	if (!err || !errlen)
		return;
	for (i = 0; msg[i] && i + 1 < errlen; i++)
		err[i] = msg[i];
	err[i] = 0;
}

int xh_unit_flush(struct xh_unit *b, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t *nb)
{
	uint32_t done;
	int ret = 0;

	if (*nb)
		ret = b->hw_ops->submit(b->hw, cmds, *nb, &done);
	*nb = 0;
	return ret ? -EIO : 0;
}
