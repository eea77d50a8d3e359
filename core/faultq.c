// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include "faultq.h"

int xc_faultq_init(struct xc_faultq *q, uint32_t depth)
{
	memset(q, 0, sizeof(*q));
	q->ring = calloc(depth, sizeof(*q->ring));
	if (!q->ring)
		return -ENOMEM;
	q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->efd < 0) {
		free(q->ring);
		q->ring = NULL;
		return -errno;
	}
	q->depth = depth;
	return 0;
}

void xc_faultq_fini(struct xc_faultq *q)
{
	if (q->ring)
		close(q->efd);
	free(q->ring);
	q->ring = NULL;
}

static void faultq_signal(struct xc_faultq *q, int readable)
{
	uint64_t v = 1;

	if (readable) {
		if (write(q->efd, &v, sizeof(v)) < 0) {
			/* counter saturated: still readable */
		}
	} else if (read(q->efd, &v, sizeof(v)) < 0) {
		/* already drained */
	}
}

static void faultq_put(struct xc_faultq *q, const struct xiommu_fault *f)
{
	q->ring[(q->head + q->count) % q->depth] = *f;
	q->count++;
}

void xc_faultq_push(struct xc_faultq *q, const struct xiommu_fault *f)
{
	uint32_t need = q->lost ? 2 : 1;
	struct xiommu_fault rec = *f;

	if (q->depth - q->count < need) {
		if (!q->lost)
			q->lost_seq = q->seq;
		q->lost++;
		q->lost_total++;
		q->seq++;
		return;
	}
	if (q->lost) {
		struct xiommu_fault lost = {
			.type = XIOMMU_FAULT_LOST,
			.sequence = q->lost_seq,
			.lost = q->lost,
		};
		faultq_put(q, &lost);
		q->lost = 0;
	}
	rec.sequence = q->seq++;
	faultq_put(q, &rec);
	faultq_signal(q, 1);
}

uint32_t xc_faultq_pop(struct xc_faultq *q, void *out, uint32_t record_len, uint32_t max)
{
	uint8_t *dst = out;
	uint32_t n = 0;

	while (n < max && q->count) {
		memset(dst, 0, record_len);
		memcpy(dst, &q->ring[q->head], sizeof(struct xiommu_fault));
		q->head = (q->head + 1) % q->depth;
		q->count--;
		dst += record_len;
		n++;
	}
	/* Losses with nothing queued behind them: report them now. */
	if (n < max && !q->count && q->lost) {
		struct xiommu_fault lost = {
			.type = XIOMMU_FAULT_LOST,
			.sequence = q->lost_seq,
			.lost = q->lost,
		};
		memset(dst, 0, record_len);
		memcpy(dst, &lost, sizeof(lost));
		q->lost = 0;
		n++;
	}
	if (!q->count && !q->lost)
		faultq_signal(q, 0);
	return n;
}
