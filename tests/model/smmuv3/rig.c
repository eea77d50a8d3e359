// SPDX-License-Identifier: MIT
#include <string.h>
#include <stdlib.h>
#include "rig.h"

static int g_read(void *arg, uint64_t gpa, void *buf, uint32_t len)
{
	memcpy(buf, gptr(arg, gpa), len);
	return 0;
}

static int g_write(void *arg, uint64_t gpa, const void *buf, uint32_t len)
{
	memcpy(gptr(arg, gpa), buf, len);
	return 0;
}

static uint64_t g_alloc(void *arg, uint64_t size)
{
	return galloc(arg, size);
}

void rig_params(struct xiommu_smmuv3_params *p)
{
	struct xiommu_smmuv3_params d = SMMUV3_PARAMS_DEFAULT;

	*p = d;
	p->sid_bits = 8;
	p->granules = 7;
}

uint32_t rig_grants(const struct xiommu_smmuv3_params *p)
{
	return (p->ats ? XIOMMU_VDEV_ATS : 0) | (p->pri ? XIOMMU_VDEV_PRI : 0) |
	       (p->stall ? XIOMMU_VDEV_STALL : 0);
}

void rig_up(struct rig *r, const struct xiommu_smmuv3_params *p)
{
	struct xiommu_smmuv3_params def;
	char err[128];
	void *u, *d;
	uint64_t off;

	memset(r, 0, sizeof(*r));
	if (!p) {
		rig_params(&def);
		p = &def;
	}
	assert_int_equal(xm_test_mem_init(&r->mem, RIG_PA_BASE, RIG_ARENA), 0);
	assert_int_equal(xh_smmuv3_ops.create(p, sizeof(*p), &r->mem.host, &u, err, sizeof(err)), 0);
	r->h = u;
	r->u = xh_smmuv3_ops.hw(u);
	assert_int_equal(xh_smmuv3_ops.domain_alloc(u, &d, &r->desc), 0);
	r->d = d;
	r->gram_pa = xm_test_mem_alloc(&r->mem, RIG_GRAM, 2u << 20);
	assert_true(r->gram_pa != 0);
	/* page by page, so nested walks read every stage-2 level */
	for (off = 0; off < RIG_GRAM; off += 1ull << r->desc.granule_shift)
		assert_int_equal(xh_smmuv3_ops.s2_map(u, d, RIG_GPA + off, r->gram_pa + off,
						      1ull << r->desc.granule_shift,
						      XIOMMU_MAP_READ | XIOMMU_MAP_WRITE), 0);
	assert_int_equal(xh_smmuv3_ops.stream_attach(u, d, RIG_SID, rig_grants(p)), 0);
	r->gnext = RIG_GPA + (1u << 20);	/* the first MiB is data pages for tests */
	r->gm.arg = r;
	r->gm.read = g_read;
	r->gm.write = g_write;
	r->gm.alloc = g_alloc;
}

void rig_down(struct rig *r)
{
	xh_smmuv3_ops.destroy(r->h);
	xm_test_mem_fini(&r->mem);
}

void *gptr(struct rig *r, uint64_t gpa)
{
	assert_true(gpa >= RIG_GPA && gpa < RIG_GPA + RIG_GRAM);
	return xm_test_mem_ptr(&r->mem, r->gram_pa + (gpa - RIG_GPA));
}

uint64_t galloc(struct rig *r, uint64_t size)
{
	uint64_t a = (r->gnext + size - 1) & ~(size - 1);

	assert_true(a + size <= RIG_GPA + RIG_GRAM);
	r->gnext = a + size;
	memset(gptr(r, a), 0, size);
	return a;
}

int rig_ste(struct rig *r, uint32_t sid, const uint64_t *ste)
{
	struct xiommu_op ops[3];
	uint32_t bad;

	memset(ops, 0, sizeof(ops));
	ops[0].code = XIOMMU_OP_ENTRY_WRITE;
	ops[0].target = sid;
	ops[0].index = XIOMMU_OP_INDEX_NONE;
	ops[0].mask = 0xff;
	memcpy(ops[0].w, ste, 64);
	ops[1].code = XIOMMU_OP_CMD;
	ops[1].count = 2;
	smmuv3_cmd_cfgi_ste(ops[1].w, sid, 0);
	ops[2].code = XIOMMU_OP_SYNC;
	return xh_smmuv3_ops.exec(r->h, r->d, ops, 3, &bad);
}

void rig_ste_s2(struct rig *r, uint64_t *ste)
{
	memset(ste, 0, 64);
	ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S2, SMMUV3_STE_CONFIG);
	ste[1] = r->d->w1;
	ste[2] = r->d->w2;
	ste[3] = r->d->w3;
}

void rig_ste_nested(struct rig *r, uint64_t *ste, uint64_t ctx, unsigned int fmt,
		    unsigned int cdmax, unsigned int dss)
{
	rig_ste_s2(r, ste);
	ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_NESTED, SMMUV3_STE_CONFIG) |
		 SMMUV3_WPUT(fmt, SMMUV3_STE_S1FMT) | (ctx & XI_GENMASK(55, 6)) |
		 SMMUV3_WPUT(cdmax, SMMUV3_STE_S1CDMAX);
	ste[1] |= SMMUV3_WPUT(dss, SMMUV3_STE_S1DSS) | SMMUV3_WPUT(1, SMMUV3_STE_S1CIR) |
		  SMMUV3_WPUT(1, SMMUV3_STE_S1COR) | SMMUV3_WPUT(3, SMMUV3_STE_S1CSH);
}

int rig_cmd(struct rig *r, uint64_t c0, uint64_t c1)
{
	struct xiommu_op op;
	uint32_t bad;

	memset(&op, 0, sizeof(op));
	op.code = XIOMMU_OP_CMD;
	op.count = 2;
	op.index = XIOMMU_OP_INDEX_NONE;
	op.w[0] = c0;
	op.w[1] = c1;
	return xh_smmuv3_ops.exec(r->h, r->d, &op, 1, &bad);
}

int rig_hw_ill(struct rig *r, uint64_t c0, uint64_t c1)
{
	uint64_t c[1][XM_CMD_WORDS] = { { c0, c1 } };
	uint32_t done = 7;

	if (xm_smmuv3_hw.submit(r->u, (const uint64_t (*)[XM_CMD_WORDS])c, 1, &done) != -EINVAL)
		return 0;
	return done == 0 && r->u->cerror == SMMUV3_CERROR_ILL && r->u->cerror_index == 0;
}

uint32_t rig_dma(struct rig *r, uint32_t op, uint32_t flags, uint32_t sid, uint32_t pasid,
		 uint64_t iova, uint64_t *pa)
{
	struct xm_dma q;
	uint8_t buf[8];

	memset(&q, 0, sizeof(q));
	q.op = op;
	q.flags = flags;
	q.sid = sid;
	q.pasid = pasid;
	q.iova = iova;
	q.len = 8;
	q.buf = buf;
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(xh_smmuv3_ops.dma(r->h, &q), 0);
	if (pa)
		*pa = q.pa;
	return q.status;
}

int rig_event(struct rig *r, uint64_t *w)
{
	struct xm_event ev;
	int ret = xh_smmuv3_ops.event_pop(r->h, &ev);

	if (!ret) {
		assert_int_equal(ev.kind, SMMUV3_EVK_EVTQ);
		assert_int_equal(ev.nwords, 4);
		memcpy(w, ev.w, 32);
	}
	return ret;
}

void rig_no_event(struct rig *r)
{
	uint64_t w[4];

	assert_int_equal(rig_event(r, w), -ENOENT);
}

uint64_t rig_nested(struct rig *r, uint16_t asid, uint64_t *cd_gpa)
{
	struct smmuv3_cd_fields f = { .asid = asid, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], ste[8], root = galloc(r, 4096), ctx = galloc(r, 4096);

	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&r->gm, ctx, 0, cd), 0);
	rig_ste_nested(r, ste, ctx, 0, 0, 0);
	assert_int_equal(rig_ste(r, RIG_SID, ste), 0);
	if (cd_gpa)
		*cd_gpa = ctx;
	return root;
}
