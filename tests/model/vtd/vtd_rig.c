// SPDX-License-Identifier: MIT
/* Helpers of the VT-d model tests (see vtd_rig.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vtd_rig.h"

/* What the rig grants its requester: ATS and PRI where the unit has them. */
uint32_t rig_grants(const struct xiommu_vtd_params *p)
{
	return (p->dt ? XIOMMU_VDEV_ATS : 0) | (p->dt && p->prs ? XIOMMU_VDEV_PRI : 0);
}

void rig_up(struct rig *r, const struct xiommu_vtd_params *p)
{
	char err[128];
	uint64_t off;
	void *d;

	memset(r, 0, sizeof(*r));
	assert_int_equal(xm_test_mem_init(&r->m, ARENA_PA, ARENA_SIZE), 0);
	r->p = *p;
	assert_int_equal(xh_vtd_ops.create(&r->p, sizeof(r->p), &r->m.host, &r->h, err,
					   sizeof(err)), 0);
	r->u = xh_vtd_ops.hw(r->h);
	assert_int_equal(xh_vtd_ops.domain_alloc(r->h, &d, &r->desc), 0);
	r->dom = d;
	r->guest_pa = xm_test_mem_alloc(&r->m, GUEST_SIZE, 2u << 20);
	assert_int_not_equal(r->guest_pa, 0);
	/* page by page, so nested walks read every second-level level */
	for (off = 0; off < GUEST_SIZE; off += 4096)
		assert_int_equal(xh_vtd_ops.s2_map(r->h, r->dom, off, r->guest_pa + off, 4096,
						   XIOMMU_MAP_READ | XIOMMU_MAP_WRITE), 0);
	assert_int_equal(xh_vtd_ops.stream_attach(r->h, r->dom, RID,
						  rig_grants(p)), 0);
	r->next_table = 0x600000;
}

void rig_down(struct rig *r)
{
	xh_vtd_ops.stream_detach(r->h, r->dom, RID);
	xh_vtd_ops.domain_free(r->h, r->dom);
	xh_vtd_ops.destroy(r->h);
	xm_test_mem_fini(&r->m);
}

uint64_t *gptr(struct rig *r, uint64_t gpa)
{
	return xm_test_mem_ptr(&r->m, r->guest_pa + gpa);
}

uint64_t gtable(struct rig *r)
{
	uint64_t t = r->next_table;

	r->next_table += 4096;
	memset(gptr(r, t), 0, 4096);
	return t;
}

/* Map iova -> gpa with a leaf of 2^lg bytes in a first-level table. */
uint64_t *fl_map(struct rig *r, uint64_t root, uint32_t levels, uint64_t iova,
		  uint64_t gpa, uint32_t lg, uint64_t flags)
{
	uint64_t table = root;
	uint32_t level, leaf_level = (lg - 12) / 9 + 1;

	for (level = levels; level > leaf_level; level--) {
		uint64_t *e = gptr(r, table + ((iova >> (12 + 9 * (level - 1))) & 511) * 8);

		if (!(*e & 1))
			*e = gtable(r) | FL_P;
		table = *e & VTD_FL_ADDR_MASK;
	}
	{
		uint64_t *e = gptr(r, table + ((iova >> lg) & 511) * 8);

		*e = gpa | flags | (lg > 12 ? XI_BIT(VTD_FL_PS) : 0);
		return e;
	}
}

void nested_pe(struct rig *r, uint64_t *w, uint64_t flroot, uint32_t flpm, uint64_t w2f)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(r->desc.levels - 2, VTD_PE_AW_H, VTD_PE_AW_L) |
	       XI_PUT(VTD_PGTT_NESTED, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | r->desc.s2_root;
	w[1] = XI_PUT(r->desc.tag, VTD_PE_DID_H, VTD_PE_DID_L);
	w[2] = flroot | XI_PUT(flpm, VTD_PE_FLPM_H, VTD_PE_FLPM_L) | w2f;
}

struct xiommu_op *op_write(struct xiommu_op *op, uint32_t pasid, const uint64_t *w,
			    uint32_t mask)
{
	memset(op, 0, sizeof(*op));
	op->code = XIOMMU_OP_ENTRY_WRITE;
	op->target = RID;
	op->index = pasid;
	op->mask = mask;
	memcpy(op->w, w, 8 * sizeof(*w));
	return op;
}

struct xiommu_op *op_cmd(struct xiommu_op *op, const uint64_t *d)
{
	memset(op, 0, sizeof(*op));
	op->code = XIOMMU_OP_CMD;
	op->count = 4;
	op->index = XIOMMU_OP_INDEX_NONE;
	memcpy(op->w, d, 4 * sizeof(*d));
	return op;
}

int rig_exec(struct rig *r, struct xiommu_op *ops, uint32_t n, uint32_t *bad)
{
	uint32_t b = ~0u;
	int ret = xh_vtd_ops.exec(r->h, r->dom, ops, n, &b);

	if (bad)
		*bad = b;
	return ret;
}

/* Install a present entry for @pasid (which must be not present now). */
void rig_bind(struct rig *r, uint32_t pasid, const uint64_t *w)
{
	struct xiommu_op ops[3];
	uint64_t d[4];

	op_write(&ops[0], pasid, w, 0xff);
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, r->desc.tag, pasid);
	op_cmd(&ops[1], d);
	ops[2].code = XIOMMU_OP_SYNC;
	assert_int_equal(rig_exec(r, ops, 3, NULL), 0);
}

uint32_t rig_dma(struct rig *r, uint32_t op, uint32_t flags, uint32_t pasid,
		 uint64_t iova, void *buf, uint64_t len, uint64_t *pa)
{
	struct xm_dma d = { .op = op, .flags = flags, .sid = RID, .pasid = pasid, .iova = iova,
			    .len = len, .buf = buf };

	assert_int_equal(xh_vtd_ops.dma(r->h, &d), 0);
	if (pa)
		*pa = d.pa;
	return d.status;
}

uint32_t rig_xlate(struct rig *r, uint32_t flags, uint32_t pasid, uint64_t iova, uint64_t *pa)
{
	return rig_dma(r, XIOMMU_DMA_TRANSLATE, flags | XIOMMU_DMA_F_PASID, pasid, iova, NULL, 0, pa);
}

uint32_t fault_reason(struct rig *r, uint64_t *w)
{
	struct xm_event ev;

	assert_int_equal(xh_vtd_ops.event_pop(r->h, &ev), 0);
	assert_int_equal(ev.kind, VTD_EVT_FAULT);
	assert_int_equal(ev.nwords, 3);
	assert_int_equal(ev.w[2] & ~0xfffull, ev.w[0]);
	if (w) {
		w[0] = ev.w[0];
		w[1] = ev.w[1];
	}
	return (uint32_t)XI_GET(ev.w[1], VTD_FRCD_FR_H, VTD_FRCD_FR_L);
}

void no_event(struct rig *r)
{
	struct xm_event ev;

	assert_int_equal(xh_vtd_ops.event_pop(r->h, &ev), -ENOENT);
}

const struct xiommu_vtd_params defaults = VTD_PARAMS_DEFAULT;

struct xiommu_vtd_params no_prs(void)
{
	struct xiommu_vtd_params p = defaults;

	p.prs = 0;
	return p;
}

/* A nested PASID 5 with 4-level first level at GPA 0x500000. */
uint64_t setup_nested(struct rig *r, uint64_t w2f)
{
	uint64_t w[8], root = 0x500000;

	memset(gptr(r, root), 0, 4096);
	nested_pe(r, w, root, 0, w2f);
	rig_bind(r, 5, w);
	return root;
}

void rig_teardown(struct rig *r, const uint64_t (*d)[4], uint32_t nd)
{
	struct xiommu_op ops[4];
	uint64_t w[8] = { 0 };
	uint32_t i;

	op_write(&ops[0], 5, w, 1);
	for (i = 0; i < nd; i++)
		op_cmd(&ops[1 + i], d[i]);
	assert_int_equal(rig_exec(r, ops, 1 + nd, NULL), 0);
}


int rig_hw_ill(struct rig *r, const uint64_t *d)
{
	uint64_t c[1][XM_CMD_WORDS];
	uint32_t done = 7, fsts = vtd_model_fsts(r->u);

	memcpy(c[0], d, sizeof(c[0]));
	if (fsts & VTD_FSTS_IQE)
		return 0;	/* an earlier error is still pending */
	if (xm_vtd_hw.submit(r->u, (const uint64_t (*)[XM_CMD_WORDS])c, 1, &done) != -EINVAL)
		return 0;
	if (done != 0 || !(vtd_model_fsts(r->u) & VTD_FSTS_IQE))
		return 0;
	r->u->fsts &= ~VTD_FSTS_IQE;	/* software clears IQE by writing 1 */
	return 1;
}

uint32_t rig_status(struct rig *r)
{
	return *(uint32_t *)xm_test_mem_ptr(&r->m, ((struct xh_vtd *)r->h)->status_pa);
}

uint64_t *rig_pe(struct rig *r, uint32_t rid, uint32_t pasid)
{
	struct xh_vtd_stream *s = xh_vtd_stream_find(r->h, rid);
	uint64_t *pe;

	assert_non_null(s);
	pe = xh_vtd_pe_ptr(r->h, s, pasid);
	assert_non_null(pe);
	return pe;
}

int rig_hw_submit(struct rig *r, const uint64_t *d)
{
	uint64_t c[1][XM_CMD_WORDS];
	uint32_t done;

	memcpy(c[0], d, sizeof(c[0]));
	return xm_vtd_hw.submit(r->u, (const uint64_t (*)[XM_CMD_WORDS])c, 1, &done);
}

uint64_t *rig_ce(struct rig *r, uint32_t rid)
{
	uint64_t re = *(uint64_t *)xm_test_mem_ptr(&r->m, r->u->root + (rid >> 8) * 16 +
						   ((rid >> 7) & 1) * 8);

	assert_true(re & 1);
	return xm_test_mem_ptr(&r->m, (re & VTD_RE_CTP_MASK) + (rid & 0x7f) * 32);
}
