// SPDX-License-Identifier: MIT
/*
 * What the referee observes of one DMA, the same way on both units: where
 * the bytes landed or which candidate they came from, the test port's
 * status, and every event field, written to the side's transcript.
 */
#include <stdio.h>
#include <string.h>
#include <xiommu/diag.h>
#include "referee.h"

uint32_t xr_seq;		/* data pattern counter, the same on both sides */
unsigned int xr_ipa_low_bits;	/* QEMU events with IPA[11:0] set (KNOWN_DIFFERENCES.md #3) */

/*
 * Every event the DMA left, field by field. The IPA field is IPA[55:12]
 * (bits below are not part of it); TTRnW is defined for F_PERMISSION at
 * CLASS == TT only (SMMU 7.3.16) and left out elsewhere.
 */
unsigned int xr_events(struct xr_side *s)
{
	struct xm_event ev;
	uint64_t *w = ev.w;
	unsigned int id, n = 0;

	while (!xh_smmuv3_ops.event_pop(s->h, &ev)) {
		n++;
		id = (unsigned int)SMMUV3_WGET(w[0], SMMUV3_EVT_ID);
		if (w[3] & 0xfff)
			xr_ipa_low_bits++;
		xr_log(s, "    event id=0x%02x sid=0x%llx ssv=%llu stall=%llu pnu=%llu ind=%llu "
			  "rnw=%llu s2=%llu class=%s ttrnw=%s input=0x%llx ipa=0x%llx\n", id,
		       (unsigned long long)SMMUV3_WGET(w[0], SMMUV3_EVT_SID),
		       (unsigned long long)SMMUV3_WGET(w[0], SMMUV3_EVT_SSV),
		       (unsigned long long)SMMUV3_WGET(w[1], SMMUV3_EVT_STALL),
		       (unsigned long long)SMMUV3_WGET(w[1], SMMUV3_EVT_PNU),
		       (unsigned long long)SMMUV3_WGET(w[1], SMMUV3_EVT_IND),
		       (unsigned long long)SMMUV3_WGET(w[1], SMMUV3_EVT_RNW),
		       (unsigned long long)SMMUV3_WGET(w[1], SMMUV3_EVT_S2),
		       SMMUV3_WGET(w[1], SMMUV3_EVT_CLASS) == 0 ? "CD" :
		       SMMUV3_WGET(w[1], SMMUV3_EVT_CLASS) == 1 ? "TT" :
		       SMMUV3_WGET(w[1], SMMUV3_EVT_CLASS) == 2 ? "IN" : "11",
		       id != SMMUV3_EVT_F_PERMISSION ||
		       SMMUV3_WGET(w[1], SMMUV3_EVT_CLASS) != SMMUV3_CLASS_TT ? "-" :
		       SMMUV3_WGET(w[1], SMMUV3_EVT_TTRNW) ? "1" : "0",
		       (unsigned long long)w[2], (unsigned long long)(w[3] & XI_GENMASK(55, 12)));
	}
	return n;
}

int xr_dma(struct xr_side *s, int write, uint64_t iova, uint32_t len, const uint64_t *cand,
	    unsigned int ncand)
{
	uint8_t buf[XR_EDU_MAX], got[XR_EDU_MAX];
	struct xm_dma q;
	unsigned int k, hit = 0, nhit = 0;
	uint32_t i, w;
	const char *st;
	size_t n;
	int ret;

	xr_seq++;
	for (i = 0; i < len; i += 4) {
		w = 0xa5000000u | (xr_seq << 12) | i;
		memcpy(buf + i, &w, 4);
	}
	/* write: every candidate cleared; read: each holds its own pattern */
	for (k = 0; k < ncand; k++)
		for (i = 0; i < len; i += 4)
			xr_wr32(&s->mem, cand[k] + i, write ? 0 : 0xc0000000u | (xr_seq << 12) | (k << 8) | i);
	memset(&q, 0, sizeof(q));
	q.op = write ? XIOMMU_DMA_WRITE : XIOMMU_DMA_READ;
	q.sid = XR_EDU_SID;
	q.iova = iova;
	q.len = len;
	q.buf = write ? buf : got;
	memset(got, 0, sizeof(got));
	ret = xh_smmuv3_ops.dma(s->h, &q);
	if (ret) {
		xr_log(s, "  %c 0x%llx: the test port refused: %d\n", write ? 'W' : 'R',
		       (unsigned long long)iova, ret);
		s->failed = 1;
		return -2;
	}
	for (k = 0; k < ncand; k++) {
		int match = 1;

		for (i = 0; i < len && match; i += 4) {
			w = xr_rd32(&s->mem, cand[k] + i);
			if (write)
				match = !memcmp(&w, buf + i, 4);
			else
				match = !memcmp(&w, got + i, 4);
		}
		if (match) {
			hit = k;
			nhit++;
		}
	}
	/*
	 * The status the test port gave: a write's is only "fault" or not (edu
	 * cannot tell a silently aborted write from one that landed).
	 */
	st = q.status == XIOMMU_DMA_FAULT ? "fault" : write ? "-" :
	     q.status == XIOMMU_DMA_OK ? "ok" : q.status == XIOMMU_DMA_ABORT ? "abort" : "other";
	if (write || nhit) {
		xr_log(s, "  %c 0x%llx: %s %s%u\n", write ? 'W' : 'R', (unsigned long long)iova, st,
		       nhit == 1 ? "at candidate " : nhit ? "matches several: " : "nowhere ",
		       nhit == 1 ? hit : nhit);
	} else {
		for (i = 0; i < len && !got[i]; i++)
			;
		xr_log(s, "  R 0x%llx: %s %s\n", (unsigned long long)iova, st,
		       i == len ? "no data" : "data from no candidate");
	}
	/* the table's digest: W/R, the candidate (or -), ! when it left events */
	n = strlen(s->digest);
	if (n + 5 < sizeof(s->digest))
		snprintf(s->digest + n, sizeof(s->digest) - n, "%s%c%c%s", n ? " " : "",
			 write ? 'W' : 'R', nhit == 1 ? (char)('0' + hit) : '-',
			 xr_events(s) ? "!" : "");
	else
		xr_events(s);
	return nhit == 1 ? (int)hit : -1;
}

void xr_expect(struct xr_side *s, int got, int want, const char *why)
{
	if (got == want)
		return;
	xr_log(s, "  EXPECTED candidate %d, got %d: %s\n", want, got, why);
	s->failed = 1;
}
