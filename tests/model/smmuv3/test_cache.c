// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model caches, commands and programs: every TLBI and CFGI leaves
 * the cache stale before it and fresh after it; illegal commands stop with
 * CERROR_ILL and run nothing; programs are checked for ownership and for
 * hitless STE updates; stall + RESUME; nested MSI; unbind -> abort.
 */
#include <string.h>
#include "rig.h"

#define RD XIOMMU_DMA_READ
#define TR XIOMMU_DMA_TRANSLATE
#define SIDW ((uint64_t)RIG_SID << 32)

#define VA	0x40000000ull	/* 2 MiB of stage 1, pages */
#define DATA0	(RIG_GPA + 0x10000)
#define DATA1	(RIG_GPA + 0x20000)

static uint64_t gpa2pa(struct rig *r, uint64_t gpa)
{
	return r->gram_pa + (gpa - RIG_GPA);
}

static uint64_t xlate(struct rig *r, uint64_t va)
{
	uint64_t pa = 0;

	assert_int_equal(rig_dma(r, TR, 0, RIG_SID, 0, va, &pa), XIOMMU_DMA_OK);
	return pa;
}

/* Map VA -> DATA0, translate (fills the TLB), then remap VA -> DATA1 in memory only. */
static uint64_t stale_setup(struct rig *r, uint16_t asid, uint32_t attrs)
{
	uint64_t root = rig_nested(r, asid, NULL);

	assert_int_equal(smmuv3_s1_map(&r->gm, root, 12, 16, VA, DATA0, 3,
				       SMMUV3_S1_USER | attrs), 0);
	assert_int_equal(xlate(r, VA), gpa2pa(r, DATA0));
	assert_int_equal(smmuv3_s1_unmap(&r->gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r->gm, root, 12, 16, VA, DATA1, 3,
				       SMMUV3_S1_USER | attrs), 0);
	assert_int_equal(xlate(r, VA), gpa2pa(r, DATA0));	/* stale */
	return root;
}

static void fresh_after(uint64_t c0, uint64_t c1, uint16_t asid, uint32_t attrs, int fresh)
{
	struct rig r;

	rig_up(&r, NULL);
	stale_setup(&r, asid, attrs);
	assert_int_equal(rig_cmd(&r, c0, c1), 0);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, fresh ? DATA1 : DATA0));
	rig_down(&r);
}

static void test_tlbi(void **state)
{
	const uint64_t vmid = 1ull << 32, asid = 7ull << 48;

	(void)state;
	fresh_after(SMMUV3_OP_TLBI_NH_ALL | vmid, 0, 7, 0, 1);
	fresh_after(SMMUV3_OP_TLBI_NH_ASID | vmid | asid, 0, 7, SMMUV3_S1_NG, 1);
	fresh_after(SMMUV3_OP_TLBI_NH_ASID | vmid | (8ull << 48), 0, 7, SMMUV3_S1_NG, 0);
	/* a global entry survives NH_ASID, not NH_VA */
	fresh_after(SMMUV3_OP_TLBI_NH_ASID | vmid | asid, 0, 7, 0, 0);
	fresh_after(SMMUV3_OP_TLBI_NH_VA | vmid | (8ull << 48), VA, 7, 0, 1);
	fresh_after(SMMUV3_OP_TLBI_NH_VA | vmid | asid, VA | 1, 7, SMMUV3_S1_NG, 1);
	fresh_after(SMMUV3_OP_TLBI_NH_VA | vmid | asid, VA + 0x1000, 7, SMMUV3_S1_NG, 0);
	fresh_after(SMMUV3_OP_TLBI_NH_VAA | vmid, VA, 7, SMMUV3_S1_NG, 1);
	fresh_after(SMMUV3_OP_TLBI_S12_VMALL | vmid, 0, 7, 0, 1);
	/* the wrong VMID is not the domain's: rejected, stays stale */
	{
		struct rig r;

		rig_up(&r, NULL);
		stale_setup(&r, 7, 0);
		assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_ALL | (2ull << 32), 0), -EPERM);
		assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
		rig_down(&r);
	}
	/* range form (RIL): TG 4K, SCALE 0, NUM 3 covers VA - 0x2000 .. VA + 0x1fff */
	fresh_after(SMMUV3_OP_TLBI_NH_VA | vmid | asid | (3ull << 12),
		    (VA - 0x2000) | (1ull << 10) | (3ull << 8), 7, SMMUV3_S1_NG, 1);
	fresh_after(SMMUV3_OP_TLBI_NH_VA | vmid | asid | (1ull << 12),
		    (VA - 0x2000) | (1ull << 10), 7, SMMUV3_S1_NG, 0);
}

static void test_tlbi_nsnh(void **state)
{
	(void)state;
	/* NSNH_ALL is not a domain's command: the exec rejects it */
	{
		struct rig r;

		rig_up(&r, NULL);
		assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NSNH_ALL, 0), -EPERM);
		rig_down(&r);
	}
}

static void test_tlbi_s2(void **state)
{
	struct rig r;
	uint64_t ste[8], w, wpa, e;

	(void)state;
	rig_up(&r, NULL);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(xlate(&r, DATA0), gpa2pa(&r, DATA0));
	/* retarget the stage-2 leaf of DATA0 behind the model's back */
	{
		uint64_t t = r.desc.s2_root;
		unsigned int l;

		for (l = 0; l < 3; l++) {
			e = *(uint64_t *)xm_test_mem_ptr(&r.mem, t + ((DATA0 >> (39 - 9 * l)) & 511) * 8);
			t = e & XI_GENMASK(47, 12);
		}
		wpa = t + ((DATA0 >> 12) & 511) * 8;
		w = *(uint64_t *)xm_test_mem_ptr(&r.mem, wpa);
		*(uint64_t *)xm_test_mem_ptr(&r.mem, wpa) =
			(w & ~XI_GENMASK(47, 12)) | gpa2pa(&r, DATA1);
	}
	assert_int_equal(xlate(&r, DATA0), gpa2pa(&r, DATA0));	/* stale */
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_S2_IPA | (1ull << 32), DATA0 + 0x1000), 0);
	assert_int_equal(xlate(&r, DATA0), gpa2pa(&r, DATA0));	/* other IPA */
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_S2_IPA | (1ull << 32), DATA0 | 1), 0);
	assert_int_equal(xlate(&r, DATA0), gpa2pa(&r, DATA1));
	rig_down(&r);
}

static void test_cfgi(void **state)
{
	struct rig r;
	uint64_t cdg, cd[8], root2, ste[8];
	struct smmuv3_cd_fields f = { .asid = 9, .t0sz = 16, .gshift = 12 };
	int k;

	(void)state;
	for (k = 0; k < 5; k++) {
		rig_up(&r, NULL);
		rig_nested(&r, 7, &cdg);
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
		root2 = galloc(&r, 4096);
		smmuv3_s1_map(&r.gm, root2, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER);
		f.ttb0 = root2;
		smmuv3_cd_encode(&f, cd);
		memcpy(gptr(&r, cdg), cd, 64);
		/* the old CD is cached: still a fault */
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
		switch (k) {
		case 0:	/* CFGI_CD of another SSID does nothing */
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD | SIDW | (1ull << 12), 0), 0);
			assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD | SIDW, 1), 0);
			break;
		case 1:
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_CD_ALL | SIDW, 0), 0);
			break;
		case 2:
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE | SIDW, 0), 0);
			break;
		case 3:	/* SIDs 4..7 are not all the domain's: rejected */
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE_RANGE | SIDW, 1), -EPERM);
			assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE_RANGE | SIDW, 0), -EPERM);
			assert_int_equal(xh_smmuv3_ops.stream_attach(r.h, r.d, 4, XIOMMU_VDEV_ATS), 0);
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE_RANGE | SIDW, 0), 0);
			break;
		case 4:	/* an STE written in memory without CFGI_STE stays unseen */
			rig_ste_s2(&r, ste);
			{
				uint64_t pa;

				smmu_ste_locate(r.u, RIG_SID, &pa);
				memcpy(xm_test_mem_ptr(&r.mem, pa), ste, 64);
			}
			assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
			assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE | SIDW, 0), 0);
			assert_int_equal(xlate(&r, DATA0), gpa2pa(&r, DATA0));
			rig_down(&r);
			continue;
		}
		while (!rig_event(&r, cd))
			;
		assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA1));
		rig_down(&r);
	}
}

static void test_cerror(void **state)
{
	struct xiommu_smmuv3_params p;
	struct xiommu_op ops[3];
	struct rig r;
	uint32_t bad;

	(void)state;
	rig_params(&p);
	p.ril = 0;
	p.asid16 = 0;
	rig_up(&r, &p);
	stale_setup(&r, 7, 0);
	memset(ops, 0, sizeof(ops));
	ops[0].code = XIOMMU_OP_CMD;
	ops[0].count = 2;
	ops[0].w[0] = SMMUV3_OP_TLBI_NH_ALL | (1ull << 32);
	ops[1] = ops[0];
	/* range fields without RIL */
	ops[1].w[0] = SMMUV3_OP_TLBI_NH_VA | (1ull << 32) | (7ull << 48) | (1ull << 12);
	ops[1].w[1] = VA | (1ull << 10);
	ops[2].code = XIOMMU_OP_SYNC;
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, ops, 3, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	{
		struct xm_stats st;

		xh_smmuv3_ops.stats(r.h, &st);
		assert_int_equal(st.queue_errors, 1);	/* visible to the VMM as well */
	}
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));	/* NH_ALL did not run */
	assert_true(rig_hw_ill(&r, ops[1].w[0], ops[1].w[1]));	/* the unit's own verdict */
	/* reserved bits, ASID beyond ASID16=0, unknown opcode, CS=3 */
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_ALL | (1ull << 32) | (1ull << 8), 0), -EINVAL);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_ASID | (1ull << 32) | (0x100ull << 48), 0),
			 -EINVAL);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_CMD_SYNC | (3ull << 12), 0), -EINVAL);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_VA | (1ull << 32) | (7ull << 48), VA | 0x80),
			 -EINVAL);
	assert_int_equal(xlate(&r, VA), gpa2pa(&r, DATA0));
	rig_down(&r);
	/* with RIL: NUM = SCALE = TTL = 0 and TG != 0 is reserved */
	rig_up(&r, NULL);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_VA | (1ull << 32), VA | (1ull << 10)), -EINVAL);
	assert_true(rig_hw_ill(&r, SMMUV3_OP_TLBI_NH_VA | (1ull << 32), VA | (1ull << 10)));
	rig_down(&r);
}

static void test_program_ownership(void **state)
{
	struct rig r;
	uint64_t ste[8], pa, before[8];
	struct xm_stats a, b;

	(void)state;
	rig_up(&r, NULL);
	smmu_ste_locate(r.u, RIG_SID, &pa);
	memcpy(before, xm_test_mem_ptr(&r.mem, pa), 64);
	xh_smmuv3_ops.stats(r.h, &a);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, RIG_SID + 1, ste), -EPERM);	/* not attached */
	ste[2] ^= 1;							/* another VMID */
	assert_int_equal(rig_ste(&r, RIG_SID, ste), -EPERM);
	rig_ste_s2(&r, ste);
	ste[3] += 0x1000;						/* another S2TTB */
	assert_int_equal(rig_ste(&r, RIG_SID, ste), -EPERM);
	rig_ste_s2(&r, ste);
	ste[0] = 1 | (SMMUV3_CFG_BYPASS << 1);				/* escapes stage 2 */
	assert_int_equal(rig_ste(&r, RIG_SID, ste), -EPERM);
	rig_ste_s2(&r, ste);
	ste[1] &= ~XI_BIT(19);						/* MEV host-owned */
	assert_int_equal(rig_ste(&r, RIG_SID, ste), -EPERM);
	assert_memory_equal(xm_test_mem_ptr(&r.mem, pa), before, 64);
	xh_smmuv3_ops.stats(r.h, &b);
	assert_int_equal(a.programs, b.programs);
	assert_int_equal(a.commands, b.commands);
	rig_down(&r);
}

/* Old config -> new config in the given write order; returns exec's result. */
static int transition(struct rig *r, const uint64_t *from, const uint64_t *to,
		      const unsigned int *order, unsigned int nsteps, const uint64_t *mid0)
{
	struct xiommu_op ops[10];
	unsigned int i;
	uint32_t bad;

	assert_int_equal(rig_ste(r, RIG_SID, from), 0);
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < nsteps; i++) {
		ops[i].code = XIOMMU_OP_ENTRY_WRITE;
		ops[i].target = RIG_SID;
		ops[i].index = XIOMMU_OP_INDEX_NONE;
		ops[i].mask = 1u << order[i];
		ops[i].w[order[i]] = to[order[i]];
		if (mid0 && i == 0 && order[0] == 0)
			ops[i].w[0] = *mid0;
	}
	return xh_smmuv3_ops.exec(r->h, r->d, ops, nsteps, &bad);
}

static void test_hitless(void **state)
{
	struct rig r;
	uint64_t a[8], b[8], s2[8], ab[8] = { 1, 0, 0, 0, 0, 0, 0, 0 }, mid;
	const unsigned int w1first[] = { 1, 0 }, w0first[] = { 0, 1 }, brk[] = { 0, 1, 0 };
	uint64_t cta, ctb;

	(void)state;
	rig_up(&r, NULL);
	cta = galloc(&r, 4096);
	ctb = galloc(&r, 4096);
	rig_ste_nested(&r, a, cta, 0, 0, 0);
	rig_ste_nested(&r, b, ctb, 0, 2, SMMUV3_S1DSS_BYPASS);
	rig_ste_s2(&r, s2);
	/* nested A -> nested B: dw0 and dw1 both change: one order is always a mix */
	assert_int_equal(transition(&r, a, b, w1first, 2, NULL), -EINVAL);
	assert_int_equal(transition(&r, a, b, w0first, 2, NULL), -EINVAL);
	/* via abort: dw0 = abort, dw1, dw0 = B */
	mid = 1;
	assert_int_equal(transition(&r, a, b, brk, 3, &mid), 0);
	/* S2 -> nested: the S1 fields are unused by the S2 STE, write them first */
	assert_int_equal(transition(&r, s2, a, w1first, 2, NULL), 0);
	/* nested -> S2: dw0 first (Config), then the now-unused dw1 bits */
	assert_int_equal(transition(&r, a, s2, w0first, 2, NULL), 0);
	assert_int_equal(transition(&r, a, s2, w1first, 2, NULL), -EINVAL);
	/* abort <-> S2 / nested: one word set while abort stays abort */
	assert_int_equal(transition(&r, ab, s2, (const unsigned int[]){ 1, 2, 3, 0 }, 4, NULL), 0);
	assert_int_equal(transition(&r, s2, ab, (const unsigned int[]){ 0, 1, 2, 3 }, 4, NULL), 0);
	assert_int_equal(transition(&r, ab, a, (const unsigned int[]){ 0, 1, 2, 3 }, 4, NULL), -EPERM);
	assert_int_equal(transition(&r, ab, a, (const unsigned int[]){ 1, 2, 3, 0 }, 4, NULL), 0);
	/* with the check off the same wrong order passes */
	((struct xh_smmu *)r.h)->p.hitless_check = 0;	/* host policy */
	assert_int_equal(transition(&r, a, b, w1first, 2, NULL), 0);
	rig_down(&r);
}

static void test_stall_resume(void **state)
{
	struct rig r;
	struct smmuv3_cd_fields f = { .asid = 3, .t0sz = 16, .gshift = 12, .stall = 1 };
	uint64_t cd[8], ste[8], root, ctx, w[4];
	struct xm_dma q;
	uint8_t buf[4];
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		rig_up(&r, NULL);
		root = galloc(&r, 4096);
		ctx = galloc(&r, 4096);
		f.ttb0 = root;
		smmuv3_cd_encode(&f, cd);
		smmuv3_cd_write(&r.gm, ctx, 0, cd);
		rig_ste_nested(&r, ste, ctx, 0, 0, 0);
		assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
		memset(&q, 0, sizeof(q));
		q.op = RD;
		q.sid = RIG_SID;
		q.iova = VA;
		q.len = 4;
		q.buf = buf;
		assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
		assert_int_equal(q.status, XIOMMU_DMA_STALLED);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0], 0x10 | SIDW);
		/* Stall, RnW, stage 1 with CLASS IN, STAG */
		assert_int_equal(w[1], (1ull << 31) | (1ull << 35) | (2ull << 40) | q.stag);
		/* still held: stalled again, no new record */
		assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
		assert_int_equal(q.status, XIOMMU_DMA_STALLED);
		rig_no_event(&r);
		smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER);
		*(uint32_t *)gptr(&r, DATA0) = 0xfeedf00d;
		assert_int_equal(rig_cmd(&r, SMMUV3_OP_RESUME | SIDW | ((uint64_t)k << 12), q.stag), 0);
		assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
		if (k) {
			assert_int_equal(q.status, XIOMMU_DMA_OK);
			assert_memory_equal(buf, gptr(&r, DATA0), 4);
		} else {
			assert_int_equal(q.status, XIOMMU_DMA_FAULT);
			rig_no_event(&r);
		}
		rig_down(&r);
	}
}

/*
 * IHI0070 5.5 and 3.12.2: a stalled transaction is always reported (CD.R is
 * ignored when CD.S = 1), and when the Event queue cannot take the stall's
 * record the transaction is retried as though it had just arrived once the
 * queue is writable, with a new record. So no stall is ever held without a
 * record naming its STAG, even with R = 0 and a full queue.
 */
static void test_stall_record_full_queue(void **state)
{
	struct xiommu_smmuv3_params p;
	struct rig r;
	struct smmuv3_cd_fields f = { .asid = 3, .t0sz = 16, .gshift = 12, .stall = 1,
				      .no_record = 1 };
	uint64_t cd[8], ste[8], root, ctx, w[4];
	struct xm_stats st;
	struct xm_dma q;
	uint8_t buf[4];
	int i;

	(void)state;
	rig_params(&p);
	p.evtq_bits = 1;	/* two records */
	rig_up(&r, &p);
	root = galloc(&r, 4096);
	ctx = galloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	smmuv3_cd_write(&r.gm, ctx, 0, cd);
	rig_ste_nested(&r, ste, ctx, 0, 0, 0);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	memset(&q, 0, sizeof(q));
	q.op = RD;
	q.sid = RIG_SID;
	q.iova = VA;
	q.len = 4;
	q.buf = buf;
	/* R = 0, queue not full: the stall is still recorded */
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_STALLED);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[1], (1ull << 31) | (1ull << 35) | (2ull << 40) | q.stag);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_RESUME | SIDW | (1ull << 12), q.stag), 0);
	/* fill the queue with two C_BAD_STREAMID records */
	for (i = 0; i < 2; i++)
		assert_int_equal(rig_dma(&r, TR, 0, 0x100, 0, VA, NULL), XIOMMU_DMA_FAULT);
	xh_smmuv3_ops.stats(r.h, &st);
	assert_int_equal(st.events_lost, 0);
	/* no room for the stall's record: the transaction waits, nothing lost */
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_STALLED);
	xh_smmuv3_ops.stats(r.h, &st);
	assert_int_equal(st.events_lost, 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0] & 0xff, SMMUV3_EVT_C_BAD_STREAMID);
	}
	rig_no_event(&r);
	/* the queue has room: the retried transaction stalls with its record */
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_STALLED);
	assert_int_equal(rig_event(&r, w), 0);
	assert_int_equal(w[1], (1ull << 31) | (1ull << 35) | (2ull << 40) | q.stag);
	/* and that STAG answers it */
	smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER);
	*(uint32_t *)gptr(&r, DATA0) = 0xfeedf00d;
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_RESUME | SIDW | (1ull << 12), q.stag), 0);
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_OK);
	assert_memory_equal(buf, gptr(&r, DATA0), 4);
	/* every stall slot held: the fault terminates, still recorded (Stall = 0) */
	for (i = 1; i <= 17; i++) {
		q.iova = VA + (uint64_t)i * 4096;
		assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
		assert_int_equal(q.status, i <= 16 ? XIOMMU_DMA_STALLED : XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0] & 0xff, SMMUV3_EVT_F_TRANSLATION);
		assert_int_equal(w[1] >> 31 & 1, i <= 16);
	}
	rig_down(&r);
}

static void test_msi_and_unbind(void **state)
{
	struct rig r;
	struct xiommu_op op;
	uint64_t root, rec, ste[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	const uint64_t gdb = 0x08000000ull;
	uint32_t bad;
	struct xm_dma q;

	(void)state;
	rig_up(&r, NULL);
	root = rig_nested(&r, 3, NULL);
	smmuv3_s1_map(&r.gm, root, 12, 16, 0xfee00000ull, gdb, 3, SMMUV3_S1_USER);
	memset(&op, 0, sizeof(op));
	op.code = XIOMMU_OP_MSI_MAP;
	op.w[0] = gdb;
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, &op, 1, &bad), 0);
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, &op, 1, &bad), -EEXIST);
	memset(&q, 0, sizeof(q));
	q.op = XIOMMU_DMA_MSI;
	q.sid = RIG_SID;
	q.iova = 0xfee00040ull;
	q.data = 0x1234;
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_OK);
	assert_int_equal(xh_smmuv3_ops.msi_pop(r.h, &rec), 0);
	assert_int_equal(rec, (0x40ull << 32) | 0x1234);
	assert_int_equal(xh_smmuv3_ops.msi_pop(r.h, &rec), -ENOENT);
	op.code = XIOMMU_OP_MSI_UNMAP;
	assert_int_equal(xh_smmuv3_ops.exec(r.h, r.d, &op, 1, &bad), 0);
	assert_int_equal(xh_smmuv3_ops.dma(r.h, &q), 0);
	assert_int_equal(q.status, XIOMMU_DMA_FAULT);
	assert_int_equal(xh_smmuv3_ops.msi_pop(r.h, &rec), -ENOENT);
	/* unbind: abort STE, DMA aborted without a record */
	while (!rig_event(&r, ste + 4))
		;
	ste[4] = ste[5] = ste[6] = ste[7] = 0;
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_ABORT);
	rig_no_event(&r);
	/* detach: the SID is no longer the domain's */
	xh_smmuv3_ops.stream_detach(r.h, r.d, RIG_SID);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), -EPERM);
	rig_down(&r);
}

static void test_two_level_stream_table(void **state)
{
	struct xiommu_smmuv3_params p;
	struct rig r;
	uint64_t ste[8];

	(void)state;
	rig_params(&p);
	p.sid_bits = 16;
	rig_up(&r, &p);
	assert_true(r.u->two_level);
	assert_int_equal(xh_smmuv3_ops.stream_attach(r.h, r.d, 0x1234, XIOMMU_VDEV_ATS), 0);
	assert_int_equal(xh_smmuv3_ops.stream_attach(r.h, r.d, 0x1234, XIOMMU_VDEV_ATS), -EBUSY);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, 0x1234, ste), 0);
	assert_int_equal(rig_dma(&r, TR, 0, 0x1234, 0, DATA0, NULL), XIOMMU_DMA_OK);
	/* a SID whose L1 descriptor is invalid: C_BAD_STREAMID */
	assert_int_equal(rig_dma(&r, TR, 0, 0x4321, 0, DATA0, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(rig_event(&r, ste), 0);
	assert_int_equal(ste[0], 0x02 | (0x4321ull << 32));
	/* the L1 descriptor of 0x1234 pointing at no RAM: F_STE_FETCH */
	{
		uint64_t hole = RIG_PA_BASE + RIG_ARENA + 0x200000, *l1;

		l1 = xm_test_mem_ptr(&r.mem, r.u->strtab + 8 * (0x1234 >> 8));
		*l1 = hole | 9;
		assert_int_equal(rig_cmd(&r, SMMUV3_OP_CFGI_STE | (0x1234ull << 32), 0), 0);
		assert_int_equal(rig_dma(&r, TR, 0, 0x1234, 0, DATA0, NULL), XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, ste), 0);
		assert_int_equal(ste[0], 0x03 | (0x1234ull << 32));
		assert_int_equal(ste[3], hole + 0x34 * 64);
	}
	rig_down(&r);
}

static void test_evtq_overflow(void **state)
{
	struct xiommu_smmuv3_params p;
	struct xm_stats st;
	struct rig r;
	uint64_t ste[8], w[4];
	int i;

	(void)state;
	rig_params(&p);
	p.evtq_bits = 2;
	rig_up(&r, &p);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x1000 * i, NULL), XIOMMU_DMA_FAULT);
	xh_smmuv3_ops.stats(r.h, &st);
	assert_int_equal(st.events, 4);
	assert_int_equal(st.events_lost, 2);
	for (i = 0; i < 4; i++) {
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[2], 0x1000 * i);	/* oldest first */
	}
	rig_no_event(&r);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlbi),
		cmocka_unit_test(test_tlbi_nsnh),
		cmocka_unit_test(test_tlbi_s2),
		cmocka_unit_test(test_cfgi),
		cmocka_unit_test(test_cerror),
		cmocka_unit_test(test_program_ownership),
		cmocka_unit_test(test_hitless),
		cmocka_unit_test(test_stall_resume),
		cmocka_unit_test(test_stall_record_full_queue),
		cmocka_unit_test(test_msi_and_unbind),
		cmocka_unit_test(test_two_level_stream_table),
		cmocka_unit_test(test_evtq_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
