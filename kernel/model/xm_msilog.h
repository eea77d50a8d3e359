/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The MSIs that reached a unit's host doorbell page, as a test port log:
 * (offset in the page << 32) | data, oldest first. When full the oldest
 * record is dropped, so the log always shows the latest MSIs.
 */
#ifndef XM_MSILOG_H
#define XM_MSILOG_H

#include "xm_env.h"

#define XM_MSI_LOG 64

struct xm_msi_log {
	uint64_t rec[XM_MSI_LOG];
	uint32_t head, count;
};

static inline void xm_msi_log_push(struct xm_msi_log *l, uint32_t offset, uint32_t data)
{
	if (l->count == XM_MSI_LOG) {
		l->head = (l->head + 1) % XM_MSI_LOG;
		l->count--;
	}
	l->rec[(l->head + l->count++) % XM_MSI_LOG] = ((uint64_t)offset << 32) | data;
}

static inline int xm_msi_log_pop(struct xm_msi_log *l, uint64_t *rec)
{
	if (!l->count)
		return -ENOENT;
	*rec = l->rec[l->head];
	l->head = (l->head + 1) % XM_MSI_LOG;
	l->count--;
	return 0;
}

#endif /* XM_MSILOG_H */
