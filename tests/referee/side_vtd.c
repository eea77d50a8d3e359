// SPDX-License-Identifier: MIT
/*
 * One side of the VT-d referee (side_common.h): the VT-d host layer's
 * second level over guest RAM, the edu requester attached, the VT-d
 * plugin's programs, a first-level PASID entry written by hand, and every
 * fault-record field the unit records.
 *
 * The plugin is told QEMU's CAP and ECAP on both sides, so both get the
 * same programs: the model is built from parameters that give the host
 * layer the same facts (domains, widths, page sizes, PSI / MAMV, fault
 * registers, PASID size), but it always reports a few capabilities QEMU's
 * unit lacks (ECAP.C, PASID, SMPWCS), which would change what the plugin
 * writes (PWSNP) without changing what is compared. It also always reports
 * both translation types (SLTS, FLTS), which QEMU reports one at a time:
 * the model's ECAP, and the host layer's copy of it, drop the one QEMU's
 * lacks, as a model built without it would.
 */
#include <errno.h>
#include <string.h>
#include <xiommu/diag.h>
#include "dispatch.h"
#include "vtd.h"
#include "../../kernel/host/vtd/vtd_host.h"
#include "../../kernel/model/vtd/vtd_int.h"

uint64_t xv_qemu_regs[2];

static const struct xr_layout layout = {
	.ram_base = XV_RAM_BASE, .ram_size = XV_RAM_SIZE, .gram_gpa = XV_GRAM_GPA,
	.gram_pa = XV_GRAM_PA, .gram_size = XV_GRAM_SIZE, .win = XV_WIN, .sid = XV_EDU_SID,
	.vdev = XV_VDEV,
};

/* ---- the hardware the host layer links against: either unit ---------- */

/* kernel/host/vtd/unit.c drives the unit named xm_vtd_hw: here, either one. */
const struct xm_hw_ops xm_vtd_hw = XR_DISPATCH_OPS("vtd", sizeof(struct xiommu_vtd_params),
						    VTD_QI_WORDS);

/* Host RAM by 8-byte words: first-level tables here hold PAs. */
static int fl_read(void *arg, uint64_t pa, void *buf, uint32_t len)
{
	return xr_mem_copy(&((struct xr_side *)arg)->mem, pa, buf, len, 8, 0);
}

static int fl_write(void *arg, uint64_t pa, const void *buf, uint32_t len)
{
	return xr_mem_copy(&((struct xr_side *)arg)->mem, pa, (void *)buf, len, 8, 1);
}

/* ---- the plugin's env ----------------------------------------------------- */

/* Guest RAM: GPA XV_GRAM_GPA.. at XV_GRAM_PA, as the domain's second level maps it. */
static int gpa_rw(struct xr_side *s, uint64_t gpa, void *buf, uint32_t len, int write)
{
	if (gpa < XV_GRAM_GPA || gpa + len > XV_GRAM_GPA + XV_GRAM_SIZE)
		return -EFAULT;
	return xr_mem_copy(&s->mem, XV_GRAM_PA + (gpa - XV_GRAM_GPA), buf, len, 8, write);
}

/* No PASID binds and no guest DIDs here: every lookup finds nothing. */
static const struct xiommu_pasid_binding *no_pasid(void *core, uint32_t vdev_id, uint32_t pasid)
{
	(void)core;
	(void)vdev_id;
	(void)pasid;
	return NULL;
}

static int no_tag(void *core, uint32_t viommu_id, uint32_t gtag, uint32_t *htag)
{
	(void)core;
	(void)viommu_id;
	(void)gtag;
	(void)htag;
	return -ENOENT;
}

static int no_tags(void *core, uint32_t viommu_id, xiommu_tag_fn fn, void *arg)
{
	(void)core;
	(void)viommu_id;
	(void)fn;
	(void)arg;
	return 0;
}

/* ---- what a DMA did ------------------------------------------------------- */

/*
 * Every fault record the unit holds, field by field: FI (the page: the
 * register has no room for the rest), SID, FR, T, PP / PV, PRIV, EXE, AT.
 */
static unsigned int faults(struct xr_side *s)
{
	struct xm_event ev;
	unsigned int n = 0;
	uint64_t *w = ev.w;

	while (!xh_vtd_ops.event_pop(s->h, &ev)) {
		n++;
		if (ev.kind != VTD_EVT_FAULT) {
			xr_log(s, "    record kind %u\n", ev.kind);
			continue;
		}
		xr_log(s, "    fault fi=0x%llx sid=0x%04llx fr=0x%02llx t=%s pp=%llu pv=0x%llx "
			  "priv=%llu exe=%llu at=%llu\n",
		       (unsigned long long)(w[0] & VTD_FRCD_FI_MASK),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_SID_H, VTD_FRCD_SID_L),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_FR_H, VTD_FRCD_FR_L),
		       (w[1] & XI_BIT(VTD_FRCD_T)) ? "read" : "write",
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_PP, VTD_FRCD_PP),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_PV_H, VTD_FRCD_PV_L),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_PRIV, VTD_FRCD_PRIV),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_EXE, VTD_FRCD_EXE),
		       (unsigned long long)XI_GET(w[1], VTD_FRCD_AT_H, VTD_FRCD_AT_L));
	}
	return n;
}

/* ---- a side ------------------------------------------------------------ */

int xv_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       const struct xiommu_vtd_params *p)
{
	int ret;

	xr_side_reset(s, name, hw, &xh_vtd_ops, &layout, ram);
	s->records = faults;
	s->gpa_rw = gpa_rw;
	s->vp = *p;
	ret = xr_side_create(s, &s->vp, sizeof(s->vp));
	if (ret)
		return ret;
	if (hw != &xr_qemu_hw) {
		struct vtd_unit *u = xr_d_unit(xh_vtd_ops.hw(s->h));
		uint64_t types = XI_BIT(VTD_ECAP_SLTS) | XI_BIT(VTD_ECAP_FLTS);

		u->ecap = (u->ecap & ~types) | (xv_qemu_regs[1] & types);
		((struct xh_vtd *)s->h)->ecap = u->ecap;
	}
	ret = xr_side_attach(s);
	if (ret)
		return ret;
	/* first-level tables: 16 MiB into guest RAM, by PA */
	s->fl.arg = s;
	s->fl.read = fl_read;
	s->fl.write = fl_write;
	s->fl.next = XV_GRAM_PA + (16ull << 20);
	s->fl.end = XV_GRAM_PA + (32ull << 20);
	xr_side_env(s, &s->vp, xv_qemu_regs, sizeof(xv_qemu_regs));
	s->env.pasid_lookup = no_pasid;
	s->env.tag_lookup = no_tag;
	s->env.tag_foreach = no_tags;
	return xr_side_plugin(s);
}

static int run_prog(struct xr_side *s)
{
	uint32_t bad = 0;
	int ret;

	xr_log_cmds(s, "desc");
	ret = xh_vtd_ops.exec(s->h, s->dom, s->prog.ops, s->prog.n, &bad);
	if (ret)
		xr_log(s, "  exec refused op %u: %d\n", bad, ret);
	return ret;
}

int xv_bind(struct xr_side *s, uint32_t config)
{
	int ret;

	xr_bind_new(s, config);
	ret = xr_plugin_bind(s);
	if (!ret)
		ret = run_prog(s);
	if (!ret)
		s->vdev.config = config;
	return ret;
}

int xv_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n)
{
	int ret = xr_plugin_inv(s, e, n);

	return ret ? ret : run_prog(s);
}

int xv_pe_fl(struct xr_side *s, uint64_t flptr)
{
	struct xh_vtd *h = s->h;
	struct xh_vtd_stream *st = xh_vtd_stream_find(h, XV_EDU_SID);
	uint64_t w[VTD_PE_WORDS] = { 0 }, d[VTD_QI_WORDS], *pe;
	int i;

	if (!st || xh_vtd_stream_live(h, st))
		return -EIO;
	pe = xh_vtd_pe_ptr(h, st, XH_VTD_RID_PASID);
	if (!pe)
		return -EIO;
	/* AW as Linux sets it on a first-level entry too: the unit's width */
	w[0] = XI_BIT(VTD_PE_P) | XI_PUT(VTD_PGTT_FL, VTD_PE_PGTT_H, VTD_PE_PGTT_L) |
	       XI_PUT(s->desc.levels - 2u, VTD_PE_AW_H, VTD_PE_AW_L);
	w[1] = XI_PUT(s->desc.tag, VTD_PE_DID_H, VTD_PE_DID_L);
	w[2] = flptr & VTD_PE_FLPTPTR_MASK;	/* FLPM 0: 4-level */
	for (i = VTD_PE_WORDS - 1; i >= 0; i--)	/* word 0, with P, last */
		((volatile uint64_t *)pe)[i] = w[i];
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, s->desc.tag, XH_VTD_RID_PASID);
	xh_vtd_inv_add(h, d);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, s->desc.tag, XH_VTD_RID_PASID, 0, 0, 0);
	xh_vtd_inv_add(h, d);
	return xh_vtd_inv_wait(h);
}
