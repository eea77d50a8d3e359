// SPDX-License-Identifier: MIT
/*
 * One side of the SMMUv3 referee (side_common.h): the SMMUv3 host layer's
 * stage 2 over guest RAM, the edu stream attached, the SMMUv3 plugin's
 * programs run in pieces, STEs written by hand, and every event field the
 * unit records.
 */
#include <errno.h>
#include <string.h>
#include <xiommu/diag.h>
#include "dispatch.h"
#include "referee.h"
#include "../../kernel/host/smmuv3/smmuv3_host.h"

unsigned int xr_ipa_low_bits;	/* QEMU events with IPA[11:0] set (KNOWN_DIFFERENCES.md #3) */

static const struct xr_layout layout = {
	.ram_base = XR_RAM_BASE, .ram_size = XR_RAM_SIZE, .gram_gpa = XR_GRAM_GPA,
	.gram_pa = XR_GRAM_PA, .gram_size = XR_GRAM_SIZE, .win = XR_WIN, .sid = XR_EDU_SID,
	.vdev = XR_VDEV,
};

/* ---- the hardware the host layer links against: either unit ---------- */

/* kernel/host/smmuv3/unit.c drives the unit named xm_smmuv3_hw: here, either one. */
const struct xm_hw_ops xm_smmuv3_hw = XR_DISPATCH_OPS("smmuv3", sizeof(struct xiommu_smmuv3_params),
						       SMMUV3_CMD_DWORDS);

/* ---- guest memory for the plugin and its guest-format helpers ---------- */

uint64_t xr_gpa2pa(const struct xr_side *s, uint64_t gpa)
{
	if (s->gpa_is_pa)
		return gpa;
	if (gpa < XR_GRAM_GPA || gpa >= XR_GRAM_GPA + XR_GRAM_SIZE)
		return 0;
	return XR_GRAM_PA + (gpa - XR_GRAM_GPA);
}

/* Guest memory by 4-byte words, at GPA or, with gpa_is_pa, at PA. */
static int g_rw(struct xr_side *s, uint64_t gpa, void *buf, uint32_t len, int write)
{
	uint64_t pa = xr_gpa2pa(s, gpa);

	return pa ? xr_mem_copy(&s->mem, pa, buf, len, 4, write) : -EFAULT;
}

static int gm_read(void *arg, uint64_t gpa, void *buf, uint32_t len)
{
	return g_rw(arg, gpa, buf, len, 0);
}

static int gm_write(void *arg, uint64_t gpa, const void *buf, uint32_t len)
{
	return g_rw(arg, gpa, (void *)buf, len, 1);
}

uint64_t xr_galloc(struct xr_side *s, uint64_t size)
{
	uint64_t a = (s->gnext + size - 1) & ~(size - 1), off;

	s->gnext = a + size;
	for (off = 0; off < size; off += 8)
		xr_wr64(&s->mem, xr_gpa2pa(s, a + off), 0);
	return a;
}

static uint64_t gm_alloc(void *arg, uint64_t size)
{
	return xr_galloc(arg, size);
}

/*
 * Every event the unit holds, field by field. The IPA field is IPA[55:12]
 * (bits below are not part of it); TTRnW is defined for F_PERMISSION at
 * CLASS == TT only (SMMU 7.3.16) and left out elsewhere.
 */
static unsigned int events(struct xr_side *s)
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

/* ---- a side ------------------------------------------------------------ */

int xr_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       unsigned int s2_granule)
{
	struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;
	int ret;

	xr_side_reset(s, name, hw, &xh_smmuv3_ops, &layout, ram);
	s->records = events;
	s->gpa_rw = g_rw;
	/* what QEMU 10's unit reports; the model is built to match it */
	p.sid_bits = 16;
	p.ssid_bits = 0;
	p.oas = 44;
	p.granules = SMMUV3_GRAN_4K | SMMUV3_GRAN_16K | SMMUV3_GRAN_64K;
	p.ril = 1;
	p.stall = 0;
	p.ats = 0;
	p.pri = 0;
	p.cd2l = 0;
	p.s2_granule = s2_granule;
	p.s2_ias = 40;
	s->p = p;
	ret = xr_side_create(s, &s->p, sizeof(s->p));
	if (ret)
		return ret;
	xh_smmuv3_ops.regs(s->h, s->idr, sizeof(s->idr));
	ret = xr_side_attach(s);
	if (ret)
		return ret;
	s->gm.arg = s;
	s->gm.read = gm_read;
	s->gm.write = gm_write;
	s->gm.alloc = gm_alloc;
	s->gnext = XR_GRAM_GPA + (2ull << 20);	/* the first 2 MiB: window and data */
	xr_side_env(s, &s->p, s->idr, sizeof(s->idr));
	return xr_side_plugin(s);
}

static void refresh_entry(struct xr_side *s)
{
	uint64_t pa;
	unsigned int i;

	if (xh_smmu_ste_pa(s->h, XR_EDU_SID, &pa))
		return;
	for (i = 0; i < 8; i++)
		s->vdev.entry[i] = xr_rd64(&s->mem, pa + 8 * i);
}

int xr_run_prog(struct xr_side *s, void (*between)(struct xr_side *s, uint32_t step))
{
	uint32_t i, start = 0, bad, step = 0;
	int ret = 0;

	for (i = 0; i < s->prog.n && !ret; i++) {
		if (between && s->prog.ops[i].code == XIOMMU_OP_ENTRY_WRITE)
			xr_log(s, "  STE write mask 0x%02x word0 0x%016llx\n", s->prog.ops[i].mask,
			       (unsigned long long)s->prog.ops[i].w[0]);
		if (between && s->prog.ops[i].code != XIOMMU_OP_SYNC && i + 1 < s->prog.n)
			continue;
		if (!between && i + 1 < s->prog.n)
			continue;
		ret = xh_smmuv3_ops.exec(s->h, s->dom, s->prog.ops + start, i + 1 - start, &bad);
		if (ret)
			xr_log(s, "  exec refused op %u: %d\n", start + bad, ret);
		start = i + 1;
		refresh_entry(s);
		if (between && !ret)
			between(s, step++);
	}
	return ret;
}

int xr_bind(struct xr_side *s, uint32_t config, uint64_t cd_table,
	    void (*between)(struct xr_side *s, uint32_t step))
{
	struct xiommu_bind *b = xr_bind_new(s, config);
	int ret;

	if (config == XIOMMU_CONFIG_TRANSLATE) {
		b->format = XIOMMU_S1_SMMUV3_CD_TABLE;
		b->table_gpa = cd_table;
		b->s1.smmuv3.s1cir = b->s1.smmuv3.s1cor = 1;
		b->s1.smmuv3.s1csh = 3;
	}
	ret = xr_plugin_bind(s);
	if (ret)
		return ret;
	ret = xr_run_prog(s, between);
	if (!ret) {
		s->vdev.config = config;
		s->vdev.bind = config == XIOMMU_CONFIG_TRANSLATE ? b : NULL;
	}
	return ret;
}

int xr_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n)
{
	int ret = xr_plugin_inv(s, e, n);

	if (ret)
		return ret;
	xr_log_cmds(s, "cmd");
	return xr_run_prog(s, NULL);
}

int xr_ste_raw(struct xr_side *s, const uint64_t *ste)
{
	uint64_t pa, c[1][XM_CMD_WORDS] = { { 0 } };
	unsigned int i;
	int ret = xh_smmu_ste_pa(s->h, XR_EDU_SID, &pa);

	if (ret)
		return ret;
	for (i = 8; i-- > 0;)	/* word 0, with V and Config, last */
		xr_wr64(&s->mem, pa + 8 * i, ste[i]);
	smmuv3_cmd_cfgi_ste(c[0], XR_EDU_SID, 0);	/* the host layer adds the CMD_SYNC */
	ret = xh_smmu_host_cmds(s->h, (const uint64_t (*)[XM_CMD_WORDS])c, 1);
	refresh_entry(s);
	return ret;
}
