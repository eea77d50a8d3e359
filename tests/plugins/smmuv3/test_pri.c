// SPDX-License-Identifier: MIT
/*
 * SMMUv3 plugin and PCIe page requests: a PRI queue entry decoded into the
 * generic page-request record, and page_response choosing PRI_RESP (exact
 * words) for an ATS stream whose stalls are off, RESUME for a stall, run on
 * the model end to end (request, guest fix, response, retry).
 */
#include <string.h>
#include "penv.h"

#define VA	0x40000000ull
#define DATA0	(RIG_GPA + 0x10000)
#define SSID	3

static void test_priq_decode(void **state)
{
	struct penv e;
	struct xiommu_fault f;
	uint64_t w[2];
	uint32_t psid = 0;

	(void)state;
	penv_up(&e, NULL);
	w[0] = 0x12345 | (0xabcdeull << 32) | (1ull << 58) | (1ull << 59) | (1ull << 60) |
	       (1ull << 61) | (1ull << 62) | (1ull << 63);
	w[1] = 0x1ff | 0xfedcba9876543000ull;
	assert_int_equal(e.ops->event_decode(&e.env, SMMUV3_EVK_PRIQ, w, 2, &psid, &f), 0);
	assert_int_equal(psid, 0x12345);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_LAST);
	assert_int_equal(f.pasid, 0xabcde);
	assert_int_equal(f.perm, XIOMMU_PERM_READ | XIOMMU_PERM_WRITE | XIOMMU_PERM_EXEC |
			 XIOMMU_PERM_PRIV);
	assert_int_equal(f.grpid, 0x1ff);
	assert_int_equal(f.addr, 0xfedcba9876543000ull);
	/* no SSV (SSID ignored), not last, a plain read */
	w[0] = 7 | (0x55ull << 32) | (1ull << 60);
	w[1] = 0x1000 | 5;
	assert_int_equal(e.ops->event_decode(&e.env, SMMUV3_EVK_PRIQ, w, 2, &psid, &f), 0);
	assert_int_equal(psid, 7);
	assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR);
	assert_int_equal(f.pasid, 0);
	assert_int_equal(f.perm, XIOMMU_PERM_READ);
	assert_int_equal(f.grpid, 5);
	assert_int_equal(f.addr, 0x1000);
	assert_int_equal(e.ops->event_decode(&e.env, SMMUV3_EVK_PRIQ, w, 1, &psid, &f), -EINVAL);
	penv_down(&e);
}

/* CDs at SSID 0 and SSID over one stage-1 root; bind them with EATS and S1STALLD. */
static uint64_t pri_bind(struct penv *e, unsigned int eats, unsigned int s1stalld)
{
	struct smmuv3_cd_fields f = { .asid = 4, .t0sz = 16, .gshift = 12 };
	uint64_t cd[8], ctx = galloc(&e->r, 4096), root = galloc(&e->r, 4096);
	struct xiommu_bind b;

	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&e->r.gm, ctx, 0, cd), 0);
	assert_int_equal(smmuv3_cd_write(&e->r.gm, ctx, SSID, cd), 0);
	memset(&b, 0, sizeof(b));
	b.argsz = sizeof(b);
	b.vdev_id = e->vdev.id;
	b.config = XIOMMU_CONFIG_TRANSLATE;
	b.format = XIOMMU_S1_SMMUV3_CD_TABLE;
	b.table_gpa = ctx;
	b.pasid_bits = 2;
	b.s1.smmuv3.s1dss = SMMUV3_S1DSS_SSID0;
	b.s1.smmuv3.s1cir = b.s1.smmuv3.s1cor = 1;
	b.s1.smmuv3.s1csh = 3;
	b.s1.smmuv3.eats = (uint8_t)eats;
	b.s1.smmuv3.s1stalld = (uint8_t)s1stalld;
	penv_prog_reset(e);
	assert_int_equal(e->ops->bind(&e->env, &e->vdev, &b, &e->prog), 0);
	assert_int_equal(penv_run(e), 0);
	return root;
}

static uint32_t dma(struct penv *e, uint32_t flags, uint32_t *stag)
{
	struct xm_dma q;
	uint8_t buf[8];

	memset(&q, 0, sizeof(q));
	q.op = XIOMMU_DMA_READ;
	q.flags = flags;
	q.sid = RIG_SID;
	q.pasid = (flags & XIOMMU_DMA_F_PASID) ? SSID : 0;
	q.iova = VA;
	q.len = 8;
	q.buf = buf;
	assert_int_equal(xh_smmuv3_ops.dma(e->r.h, &q), 0);
	if (stag)
		*stag = q.stag;
	return q.status;
}

/* The one page request queued: decoded, and the response to it. */
static void request(struct penv *e, struct xiommu_page_response *pr, uint32_t code)
{
	struct xm_event ev;
	struct xiommu_fault f;
	uint32_t psid;

	assert_int_equal(xh_smmuv3_ops.event_pop(e->r.h, &ev), 0);
	assert_int_equal(ev.kind, SMMUV3_EVK_PRIQ);
	assert_int_equal(e->ops->event_decode(&e->env, ev.kind, ev.w, ev.nwords, &psid, &f), 0);
	assert_int_equal(psid, RIG_SID);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	assert_int_equal(xh_smmuv3_ops.event_pop(e->r.h, &ev), -ENOENT);
	memset(pr, 0, sizeof(*pr));
	pr->argsz = sizeof(*pr);
	pr->flags = f.flags & XIOMMU_FAULT_F_PASID;
	pr->pasid = f.pasid;
	pr->grpid = f.grpid;
	pr->code = code;
}

static void test_pri_response(void **state)
{
	struct xiommu_smmuv3_params p;
	struct xiommu_page_response pr;
	uint64_t root, c[2];
	uint32_t stag;
	struct penv e;

	(void)state;
	rig_params(&p);
	p.pri = 1;			/* a stall unit too: S1STALLD marks the PCIe stream */
	penv_up(&e, &p);
	assert_true(e.caps.features & XIOMMU_HW_PRI);
	root = pri_bind(&e, SMMUV3_EATS_FULL, 1);
	assert_int_equal(dma(&e, 0, &stag), XIOMMU_DMA_STALLED);
	request(&e, &pr, XIOMMU_PAGE_SUCCESS);
	assert_int_equal(pr.grpid, stag);
	smmuv3_s1_map(&e.r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), 0);
	assert_int_equal(e.prog.n, 2);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_PRI_RESP | ((uint64_t)RIG_SID << 32));
	assert_int_equal(e.prog.ops[0].w[1], stag | (2u << 12));
	assert_int_equal(e.prog.ops[1].code, XIOMMU_OP_SYNC);
	assert_int_equal(dma(&e, 0, NULL), XIOMMU_DMA_STALLED);	/* not run yet */
	assert_int_equal(penv_run(&e), 0);
	assert_int_equal(dma(&e, 0, NULL), XIOMMU_DMA_OK);
	/* with PASID, answered Invalid: the retry faults */
	smmuv3_s1_unmap(&e.r.gm, root, 12, 16, VA);	/* and forget VA: SMMU TLB, device ATC */
	assert_int_equal(rig_cmd(&e.r, SMMUV3_OP_TLBI_NH_ALL |
				 SMMUV3_WPUT(e.r.desc.tag, SMMUV3_CMD_VMID), 0), 0);
	smmuv3_cmd_atc_inv(c, RIG_SID, 0, 0, 0, 0, SMMUV3_ATC_SIZE_ALL);
	assert_int_equal(rig_cmd(&e.r, c[0], c[1]), 0);
	assert_int_equal(dma(&e, XIOMMU_DMA_F_PASID, &stag), XIOMMU_DMA_STALLED);
	request(&e, &pr, XIOMMU_PAGE_INVALID);
	assert_int_equal(pr.flags, XIOMMU_FAULT_F_PASID);
	assert_int_equal(pr.pasid, SSID);
	penv_prog_reset(&e);
	assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), 0);
	assert_int_equal(e.prog.ops[0].w[0], SMMUV3_OP_PRI_RESP | (1u << 11) | (SSID << 12) |
			 ((uint64_t)RIG_SID << 32));
	assert_int_equal(e.prog.ops[0].w[1], stag | (1u << 12));
	assert_int_equal(penv_run(&e), 0);
	assert_int_equal(dma(&e, XIOMMU_DMA_F_PASID, NULL), XIOMMU_DMA_FAULT);
	/* Failure -> Resp 00 */
	pr.code = XIOMMU_PAGE_FAILURE;
	penv_prog_reset(&e);
	assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), 0);
	assert_int_equal(e.prog.ops[0].w[1], stag);
	/* grpid beyond the 9-bit PRG index */
	pr.grpid = 0x200;
	penv_prog_reset(&e);
	assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), -EINVAL);
	penv_down(&e);
}

/*
 * Which command: the record's XIOMMU_FAULT_F_STALL, echoed in the response,
 * says stall (RESUME) or page request (PRI_RESP), whatever the STE; a unit
 * without the matching feature refuses.
 */
static void test_pri_or_resume(void **state)
{
	static const struct {
		unsigned int stall, eats, s1stalld;
		uint32_t flags;
		uint64_t op;		/* 0: refused */
	} c[] = {
		{ 1, 0, 0, XIOMMU_FAULT_F_STALL, SMMUV3_OP_RESUME },
		{ 1, 1, 0, XIOMMU_FAULT_F_STALL, SMMUV3_OP_RESUME },
		{ 1, 1, 0, 0, SMMUV3_OP_PRI_RESP },	/* ATS stream that did not stall */
		{ 1, 1, 1, 0, SMMUV3_OP_PRI_RESP },
		{ 0, 1, 0, 0, SMMUV3_OP_PRI_RESP },
		{ 0, 1, 0, XIOMMU_FAULT_F_STALL, 0 },	/* no stall model */
	};
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .grpid = 9 };
	struct xiommu_smmuv3_params p;
	struct penv e;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		rig_params(&p);
		p.pri = 1;
		p.stall = c[i].stall;
		penv_up(&e, &p);
		pri_bind(&e, c[i].eats, c[i].s1stalld);
		penv_prog_reset(&e);
		pr.flags = c[i].flags;
		if (!c[i].op) {
			assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog),
					 -EOPNOTSUPP);
			assert_int_equal(e.prog.n, 0);
			penv_down(&e);
			continue;
		}
		assert_int_equal(e.ops->page_response(&e.env, &e.vdev, &pr, &e.prog), 0);
		assert_int_equal(e.prog.ops[0].w[0] & 0xff, c[i].op);
		assert_int_equal(e.prog.ops[0].w[1], c[i].op == SMMUV3_OP_RESUME ? 9 : 9 | (2u << 12));
		penv_down(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priq_decode),
		cmocka_unit_test(test_pri_response),
		cmocka_unit_test(test_pri_or_resume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
