// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model: PCIe page requests (IDR0.PRI). A stage-1 translation or
 * permission fault of an EATS = 01 stream becomes a PRI queue entry (exact
 * words, no EVTQ record, STALLED); PRI_RESP Success lets the retry translate
 * afresh, Invalid/Failure make it fault; responses to nothing are ignored,
 * Resp = 11 is CERROR_ILL; a full PRI queue drops and counts.
 */
#include <string.h>
#include "rig.h"

#define ASID	7
#define VA	0x40000000ull
#define DATA0	(RIG_GPA + 0x10000)
#define SSID	3

static uint64_t gpa2pa(struct rig *r, uint64_t gpa)
{
	return r->gram_pa + (gpa - RIG_GPA);
}

/* A PRI unit; RIG_SID nested with STE.EATS = @eats, CDs at SSID 0 and SSID. */
static uint64_t pri_up(struct rig *r, unsigned int eats, unsigned int pri)
{
	struct smmuv3_cd_fields f = { .asid = ASID, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	struct xiommu_smmuv3_params p;
	uint64_t cd[8], ste[8], root, ctx;

	rig_params(&p);
	p.ats = 1;
	p.pri = pri;
	rig_up(r, &p);
	root = galloc(r, 4096);
	ctx = galloc(r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&r->gm, ctx, 0, cd), 0);
	assert_int_equal(smmuv3_cd_write(&r->gm, ctx, SSID, cd), 0);
	rig_ste_nested(r, ste, ctx, 0, 2, SMMUV3_S1DSS_SSID0);
	ste[1] |= SMMUV3_WPUT(eats, SMMUV3_STE_EATS);
	assert_int_equal(rig_ste(r, RIG_SID, ste), 0);
	return root;
}

/* One 8-byte access: status; *stag (PRG index / STAG). */
static uint32_t dma(struct rig *r, uint32_t op, uint32_t flags, uint64_t iova, uint32_t *stag)
{
	struct xm_dma q;
	uint8_t buf[8];

	memset(&q, 0, sizeof(q));
	q.op = op;
	q.flags = flags;
	q.sid = RIG_SID;
	q.pasid = (flags & XIOMMU_DMA_F_PASID) ? SSID : 0;
	q.iova = iova;
	q.len = 8;
	q.buf = buf;
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(xh_smmuv3_ops.dma(r->h, &q), 0);
	if (stag)
		*stag = q.stag;
	return q.status;
}

static void pop_priq(struct rig *r, uint64_t *w)
{
	struct xm_event ev;

	assert_int_equal(xh_smmuv3_ops.event_pop(r->h, &ev), 0);
	assert_int_equal(ev.kind, SMMUV3_EVK_PRIQ);
	assert_int_equal(ev.nwords, 2);
	w[0] = ev.w[0];
	w[1] = ev.w[1];
}

static void no_event(struct rig *r)
{
	struct xm_event ev;

	assert_int_equal(xh_smmuv3_ops.event_pop(r->h, &ev), -ENOENT);
}

static int pri_resp(struct rig *r, int ssv, uint32_t prgi, unsigned int resp)
{
	uint64_t c[2];

	smmuv3_cmd_pri_resp(c, RIG_SID, ssv, SSID, prgi, resp);
	return rig_cmd(r, c[0], c[1]);
}

static void test_pri_entry_words(void **state)
{
	uint64_t w[2];
	uint32_t stag = 99;
	struct xm_stats st;
	struct rig r;

	(void)state;
	pri_up(&r, SMMUV3_EATS_FULL, 1);
	assert_int_equal(SMMUV3_RGET(r.u->idr[0], SMMUV3_IDR0_PRI), 1);
	/* privileged write with PASID to an unmapped page */
	assert_int_equal(dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV,
			     VA + 0x123, &stag), XIOMMU_DMA_STALLED);
	assert_int_equal(stag, 0);
	pop_priq(&r, w);
	assert_int_equal(w[0], (uint64_t)RIG_SID | ((uint64_t)SSID << 32) | (1ull << 58) |
			 (1ull << 61) | (1ull << 62) | (1ull << 63));
	assert_int_equal(w[1], VA);
	no_event(&r);					/* no F_TRANSLATION in the EVTQ */
	/* the held access: STALLED again, no second request */
	assert_int_equal(dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV,
			     VA + 0x123, &stag), XIOMMU_DMA_STALLED);
	assert_int_equal(stag, 0);
	no_event(&r);
	/* a user read/exec without PASID of the next page: PRG index 1 */
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_EXEC, VA + 0x1008, &stag),
			 XIOMMU_DMA_STALLED);
	assert_int_equal(stag, 1);
	pop_priq(&r, w);
	assert_int_equal(w[0], (uint64_t)RIG_SID | (1ull << 59) | (1ull << 60) | (1ull << 62));
	assert_int_equal(w[1], (VA + 0x1000) | 1);
	no_event(&r);
	xh_smmuv3_ops.stats(r.h, &st);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.events_lost, 0);
	rig_down(&r);
}

/* Without EATS = 01, or without PRI, the same fault is an F_TRANSLATION event. */
static void test_pri_needs_ats_and_pri(void **state)
{
	static const unsigned int cfg[2][2] = { { 0, 1 }, { SMMUV3_EATS_FULL, 0 } };
	uint64_t w[4];
	struct rig r;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		pri_up(&r, cfg[i][0], cfg[i][1]);
		assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, NULL), XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(SMMUV3_WGET(w[0], SMMUV3_EVT_ID), SMMUV3_EVT_F_TRANSLATION);
		rig_no_event(&r);
		rig_down(&r);
	}
}

static void test_pri_success_retry(void **state)
{
	uint64_t w[2], pa = 0, root;
	uint32_t stag;
	struct rig r;

	(void)state;
	root = pri_up(&r, SMMUV3_EATS_FULL, 1);
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, &stag), XIOMMU_DMA_STALLED);
	pop_priq(&r, w);
	assert_int_equal(SMMUV3_WGET(w[1], SMMUV3_PRIQ_PRGI), stag);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	/* still held until the response */
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, NULL), XIOMMU_DMA_STALLED);
	/* responses to no request are harmless: wrong PRG index, wrong SSV */
	assert_int_equal(pri_resp(&r, 0, stag + 1, SMMUV3_PRI_RESP_SUCCESS), 0);
	assert_int_equal(pri_resp(&r, 1, stag, SMMUV3_PRI_RESP_SUCCESS), 0);
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, NULL), XIOMMU_DMA_STALLED);
	/* Resp = 11 is illegal and changes nothing */
	assert_int_equal(pri_resp(&r, 0, stag, 3), -EINVAL);
	{
		uint64_t c[2];

		smmuv3_cmd_pri_resp(c, RIG_SID, 0, SSID, stag, 3);
		assert_true(rig_hw_ill(&r, c[0], c[1]));
	}
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, NULL), XIOMMU_DMA_STALLED);
	assert_int_equal(pri_resp(&r, 0, stag, SMMUV3_PRI_RESP_SUCCESS), 0);
	assert_int_equal(rig_dma(&r, XIOMMU_DMA_TRANSLATE, 0, RIG_SID, 0, VA + 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 8);
	no_event(&r);
	/* a second success for the finished group is ignored */
	assert_int_equal(pri_resp(&r, 0, stag, SMMUV3_PRI_RESP_SUCCESS), 0);
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA, NULL), XIOMMU_DMA_OK);
	rig_down(&r);
}

/* Invalid / Failure: the retry faults once, without an event; a permission fault requests too. */
static void test_pri_invalid_faults(void **state)
{
	static const unsigned int resp[2] = { SMMUV3_PRI_RESP_INVALID, SMMUV3_PRI_RESP_FAILURE };
	uint64_t w[2], root;
	uint32_t stag;
	struct rig r;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		root = pri_up(&r, SMMUV3_EATS_FULL, 1);
		assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3,
					       SMMUV3_S1_USER | SMMUV3_S1_READONLY), 0);
		assert_int_equal(dma(&r, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, VA, NULL),
				 XIOMMU_DMA_OK);
		assert_int_equal(dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, VA, &stag),
				 XIOMMU_DMA_STALLED);
		pop_priq(&r, w);
		assert_int_equal(w[0], (uint64_t)RIG_SID | ((uint64_t)SSID << 32) | (1ull << 61) |
				 (1ull << 62) | (1ull << 63));
		assert_int_equal(w[1], VA | stag);
		no_event(&r);
		assert_int_equal(pri_resp(&r, 1, stag, resp[i]), 0);
		assert_int_equal(dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, VA, NULL),
				 XIOMMU_DMA_FAULT);
		no_event(&r);
		/* the group is over: the next write asks again, with the next PRG index */
		assert_int_equal(dma(&r, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, VA, &stag),
				 XIOMMU_DMA_STALLED);
		assert_int_equal(stag, 1);
		pop_priq(&r, w);
		no_event(&r);
		rig_down(&r);
	}
}

/* 1 << IDR1.PRIQS entries fit; the next request is dropped and counted. */
static void test_pri_overflow(void **state)
{
	struct xm_stats st;
	uint32_t n, i, stag;
	uint64_t w[2];
	struct rig r;

	(void)state;
	pri_up(&r, SMMUV3_EATS_FULL, 1);
	n = 1u << SMMUV3_RGET(r.u->idr[1], SMMUV3_IDR1_PRIQS);
	assert_int_equal(n, 128);
	for (i = 0; i < n + 1; i++)
		assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA + ((uint64_t)i << 12), NULL),
				 XIOMMU_DMA_STALLED);
	xh_smmuv3_ops.stats(r.h, &st);
	assert_int_equal(st.events, n);
	assert_int_equal(st.events_lost, 1);
	for (i = 0; i < n; i++) {
		pop_priq(&r, w);
		assert_int_equal(w[1], (VA + ((uint64_t)i << 12)) | i);
	}
	no_event(&r);
	/* the dropped group is not outstanding: its access asks again and fits now */
	assert_int_equal(dma(&r, XIOMMU_DMA_READ, 0, VA + ((uint64_t)n << 12), &stag),
			 XIOMMU_DMA_STALLED);
	assert_int_equal(stag, n);
	pop_priq(&r, w);
	assert_int_equal(w[1], (VA + ((uint64_t)n << 12)) | n);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pri_entry_words),
		cmocka_unit_test(test_pri_needs_ats_and_pri),
		cmocka_unit_test(test_pri_success_retry),
		cmocka_unit_test(test_pri_invalid_faults),
		cmocka_unit_test(test_pri_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
