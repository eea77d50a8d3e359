// SPDX-License-Identifier: MIT
/*
 * One side of the VT-d referee: a unit (QEMU's through MMIO, or the model)
 * under xiommu's VT-d host layer, one domain whose second level maps guest
 * RAM, the edu requester attached, and the VT-d plugin called directly with
 * a small env, as the core would call it. Every observation goes to a
 * transcript; the two sides' transcripts are compared.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "dispatch.h"
#include "vtd.h"
#include "../../kernel/host/vtd/vtd_host.h"
#include "../../kernel/model/vtd/vtd_int.h"

const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

uint64_t xv_qemu_regs[2];
uint32_t xv_seq;

/* ---- the hardware the host layer links against: either unit ---------- */

/* kernel/host/vtd/unit.c drives the unit named xm_vtd_hw: here, either one. */
const struct xm_hw_ops xm_vtd_hw = XR_DISPATCH_OPS("vtd", sizeof(struct xiommu_vtd_params),
						    VTD_QI_WORDS);

/* ---- host RAM --------------------------------------------------------- */

static void *mem_map(void *priv, uint64_t pa, uint32_t len)
{
	struct xv_mem *m = priv;

	if (pa < XV_RAM_BASE || pa + len > XV_RAM_BASE + XV_RAM_SIZE || pa + len < pa)
		return NULL;
	return m->ptr + (pa - XV_RAM_BASE);
}

static int mem_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	struct xv_mem *m = priv;
	uint64_t a = (m->next + size - 1) & ~(size - 1), off;

	if (a + size > XV_GRAM_PA)
		return -ENOMEM;
	for (off = 0; off < size; off += 8)
		xv_wr64(m, a + off, 0);
	m->next = a + size;
	*pa = a;
	return 0;
}

static void mem_free(void *priv, uint64_t pa, uint64_t size)
{
	(void)priv;
	(void)pa;
	(void)size;	/* a bump allocator: each case starts over */
}

uint64_t xv_rd64(const struct xv_mem *m, uint64_t pa)
{
	return *(volatile uint64_t *)(m->ptr + (pa - XV_RAM_BASE));
}

void xv_wr64(struct xv_mem *m, uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)(m->ptr + (pa - XV_RAM_BASE)) = v;
}

uint32_t xv_rd32(const struct xv_mem *m, uint64_t pa)
{
	return *(volatile uint32_t *)(m->ptr + (pa - XV_RAM_BASE));
}

void xv_wr32(struct xv_mem *m, uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(m->ptr + (pa - XV_RAM_BASE)) = v;
}

/* Host RAM by 8-byte words: first-level tables here hold PAs. */
static int pa_rw(struct xv_side *s, uint64_t pa, void *buf, uint32_t len, int write)
{
	uint32_t i;
	uint64_t w;

	if ((pa & 7) || (len & 7) || !mem_map(&s->mem, pa, len))
		return -EFAULT;
	for (i = 0; i < len; i += 8) {
		if (write) {
			memcpy(&w, (uint8_t *)buf + i, 8);
			xv_wr64(&s->mem, pa + i, w);
		} else {
			w = xv_rd64(&s->mem, pa + i);
			memcpy((uint8_t *)buf + i, &w, 8);
		}
	}
	return 0;
}

static int gm_read(void *arg, uint64_t pa, void *buf, uint32_t len)
{
	return pa_rw(arg, pa, buf, len, 0);
}

static int gm_write(void *arg, uint64_t pa, const void *buf, uint32_t len)
{
	return pa_rw(arg, pa, (void *)buf, len, 1);
}

/* ---- the plugin's env ----------------------------------------------------- */

static void env_error(void *core, const char *fmt, ...)
{
	struct xv_side *s = core;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
}

/* Guest RAM: GPA XV_GRAM_GPA.. at XV_GRAM_PA, as the domain's second level maps it. */
static int env_rw(void *core, uint64_t gpa, void *buf, uint32_t len, int write)
{
	if (gpa < XV_GRAM_GPA || gpa + len > XV_GRAM_GPA + XV_GRAM_SIZE)
		return -EFAULT;
	return pa_rw(core, XV_GRAM_PA + (gpa - XV_GRAM_GPA), buf, len, write);
}

static int env_read(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len)
{
	(void)viommu_id;
	return env_rw(core, gpa, buf, len, 0);
}

static int env_write(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf, uint32_t len)
{
	(void)viommu_id;
	return env_rw(core, gpa, (void *)buf, len, 1);
}

static const struct xiommu_plugin_vdev *by_vsid(void *core, uint32_t viommu_id, uint64_t vsid)
{
	struct xv_side *s = core;

	return viommu_id == s->viommu.id && vsid == s->vdev.vsid ? &s->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_psid(void *core, uint32_t psid)
{
	struct xv_side *s = core;

	return psid == s->vdev.psid ? &s->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_id(void *core, uint32_t viommu_id, uint32_t id)
{
	struct xv_side *s = core;

	return viommu_id == s->viommu.id && id == s->vdev.id ? &s->vdev : NULL;
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

/* ---- transcript --------------------------------------------------------- */

void xv_log(struct xv_side *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->logcap - s->loglen < 512) {
		s->logcap = s->logcap * 2 + 4096;
		s->log = realloc(s->log, s->logcap);
		if (!s->log)
			abort();
	}
	va_start(ap, fmt);
	n = vsnprintf(s->log + s->loglen, s->logcap - s->loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->loglen += (size_t)n < s->logcap - s->loglen ? (size_t)n : s->logcap - s->loglen - 1;
}

/* ---- a side ------------------------------------------------------------ */

int xv_side_up(struct xv_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       const struct xiommu_vtd_params *p)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL, .pasid_bits = 255,
					.s1_ias = 255, .s1_oas = 255, .s2_ias = 255 };
	uint32_t raw_len = 0;
	int ret;

	free(s->log);
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->hw_ops = hw;
	s->mem.ptr = ram;
	s->mem.next = XV_RAM_BASE;
	s->mem.host.priv = &s->mem;
	s->mem.host.map = mem_map;
	s->mem.host.alloc = mem_alloc;
	s->mem.host.free = mem_free;
	s->p = *p;
	xr_next_hw = hw;
	ret = xh_vtd_ops.create(&s->p, sizeof(s->p), &s->mem.host, &s->h, s->err, sizeof(s->err));
	if (ret)
		return ret;
	if (hw != &xv_qemu_hw) {
		struct vtd_unit *u = xr_d_unit(xh_vtd_ops.hw(s->h));
		uint64_t types = XI_BIT(VTD_ECAP_SLTS) | XI_BIT(VTD_ECAP_FLTS);

		u->ecap = (u->ecap & ~types) | (xv_qemu_regs[1] & types);
		((struct xh_vtd *)s->h)->ecap = u->ecap;
	}
	ret = xh_vtd_ops.domain_alloc(s->h, &s->dom, &s->desc);
	if (!ret)
		ret = xh_vtd_ops.s2_map(s->h, s->dom, XV_GRAM_GPA, XV_GRAM_PA, XV_GRAM_SIZE,
					XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	if (!ret)
		ret = xh_vtd_ops.stream_attach(s->h, s->dom, XV_EDU_SID, 0);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "host layer setup failed: %d", ret);
		return ret;
	}
	if (hw == &xv_qemu_hw)
		xv_qemu_window(xr_d_unit(xh_vtd_ops.hw(s->h)), XV_WIN, XV_GRAM_PA);
	/* first-level tables: 16 MiB into guest RAM, by PA */
	s->gm.arg = s;
	s->gm.read = gm_read;
	s->gm.write = gm_write;
	s->gm.next = XV_GRAM_PA + (16ull << 20);
	s->gm.end = XV_GRAM_PA + (32ull << 20);
	s->plug = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	s->env.core = s;
	s->env.params = &s->p;
	s->env.regs = xv_qemu_regs;
	s->env.regs_len = sizeof(xv_qemu_regs);
	s->env.error = env_error;
	s->env.read_gpa = env_read;
	s->env.write_gpa = env_write;
	s->env.vdev_by_vsid = by_vsid;
	s->env.vdev_by_psid = by_psid;
	s->env.vdev_by_id = by_id;
	s->env.pasid_lookup = no_pasid;
	s->env.tag_lookup = no_tag;
	s->env.tag_foreach = no_tags;
	ret = s->plug->hw_info(&s->env, &limit, &s->caps, NULL, &raw_len);
	if (ret)
		return ret;
	s->env.caps = &s->caps;
	s->viommu.id = 1;
	s->viommu.dom = s->desc;
	s->vdev.id = XV_VDEV;
	s->vdev.psid = XV_EDU_SID;
	s->vdev.vsid = XV_EDU_SID;
	s->vdev.config = XIOMMU_CONFIG_ABORT;
	s->vdev.viommu = &s->viommu;
	return 0;
}

void xv_side_down(struct xv_side *s)
{
	if (s->h)
		xh_vtd_ops.destroy(s->h);
	s->h = NULL;
}

static void prog_reset(struct xv_side *s)
{
	s->prog.ops = s->ops;
	s->prog.cap = XM_ARRAY_SIZE(s->ops);
	s->prog.n = 0;
	s->prog.widened = 0;
}

static int run_prog(struct xv_side *s)
{
	uint32_t bad = 0, i;
	int ret;

	for (i = 0; i < s->prog.n; i++)
		if (s->prog.ops[i].code == XIOMMU_OP_CMD)
			xv_log(s, "  desc 0x%016llx 0x%016llx\n",
			       (unsigned long long)s->prog.ops[i].w[0],
			       (unsigned long long)s->prog.ops[i].w[1]);
	ret = xh_vtd_ops.exec(s->h, s->dom, s->prog.ops, s->prog.n, &bad);
	if (ret)
		xv_log(s, "  exec refused op %u: %d\n", bad, ret);
	return ret;
}

int xv_bind(struct xv_side *s, uint32_t config)
{
	struct xiommu_bind *b = &s->bind;
	int ret;

	memset(b, 0, sizeof(*b));
	b->argsz = sizeof(*b);
	b->vdev_id = XV_VDEV;
	b->config = config;
	prog_reset(s);
	ret = s->plug->bind(&s->env, &s->vdev, b, &s->prog);
	if (ret) {
		xv_log(s, "  bind refused: %d %s\n", ret, s->err);
		return ret;
	}
	ret = run_prog(s);
	if (!ret)
		s->vdev.config = config;
	return ret;
}

int xv_inv(struct xv_side *s, const struct xiommu_inv_entry *e, uint32_t n)
{
	uint32_t bad = 0;
	int ret;

	prog_reset(s);
	ret = s->plug->invalidate(&s->env, &s->viommu, e, n, &s->prog, &bad);
	if (ret) {
		xv_log(s, "  invalidate refused at %u: %d %s\n", bad, ret, s->err);
		return ret;
	}
	return run_prog(s);
}

int xv_pe_fl(struct xv_side *s, uint64_t flptr)
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

/* ---- what a DMA did ------------------------------------------------------- */

/*
 * Every fault record the DMA left, field by field: FI (the page: the
 * register has no room for the rest), SID, FR, T, PP / PV, PRIV, EXE, AT.
 */
unsigned int xv_faults(struct xv_side *s)
{
	struct xm_event ev;
	unsigned int n = 0;
	uint64_t *w = ev.w;

	while (!xh_vtd_ops.event_pop(s->h, &ev)) {
		n++;
		if (ev.kind != VTD_EVT_FAULT) {
			xv_log(s, "    record kind %u\n", ev.kind);
			continue;
		}
		xv_log(s, "    fault fi=0x%llx sid=0x%04llx fr=0x%02llx t=%s pp=%llu pv=0x%llx "
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

int xv_dma(struct xv_side *s, int write, uint64_t iova, uint32_t len, const uint64_t *cand,
	   unsigned int ncand)
{
	uint8_t buf[XV_EDU_MAX], got[XV_EDU_MAX];
	struct xm_dma q;
	unsigned int k, hit = 0, nhit = 0;
	uint32_t i, w;
	const char *st;
	size_t n;
	int ret;

	xv_seq++;
	for (i = 0; i < len; i += 4) {
		w = 0xa5000000u | (xv_seq << 12) | i;
		memcpy(buf + i, &w, 4);
	}
	/* write: every candidate cleared; read: each holds its own pattern */
	for (k = 0; k < ncand; k++)
		for (i = 0; i < len; i += 4)
			xv_wr32(&s->mem, cand[k] + i,
				write ? 0 : 0xc0000000u | (xv_seq << 12) | (k << 8) | i);
	memset(&q, 0, sizeof(q));
	q.op = write ? XIOMMU_DMA_WRITE : XIOMMU_DMA_READ;
	q.sid = XV_EDU_SID;
	q.iova = iova;
	q.len = len;
	q.buf = write ? buf : got;
	memset(got, 0, sizeof(got));
	ret = xh_vtd_ops.dma(s->h, &q);
	if (ret) {
		xv_log(s, "  %c 0x%llx: the test port refused: %d\n", write ? 'W' : 'R',
		       (unsigned long long)iova, ret);
		s->failed = 1;
		return -2;
	}
	for (k = 0; k < ncand; k++) {
		int match = 1;

		for (i = 0; i < len && match; i += 4) {
			w = xv_rd32(&s->mem, cand[k] + i);
			match = !memcmp(&w, (write ? buf : got) + i, 4);
		}
		if (match) {
			hit = k;
			nhit++;
		}
	}
	/* a write's status is only "fault" or not: edu cannot tell an abort from a landing */
	st = q.status == XIOMMU_DMA_FAULT ? "fault" : write ? "-" :
	     q.status == XIOMMU_DMA_OK ? "ok" : q.status == XIOMMU_DMA_ABORT ? "abort" : "other";
	if (write || nhit) {
		xv_log(s, "  %c 0x%llx: %s %s%u\n", write ? 'W' : 'R', (unsigned long long)iova, st,
		       nhit == 1 ? "at candidate " : nhit ? "matches several: " : "nowhere ",
		       nhit == 1 ? hit : nhit);
	} else {
		for (i = 0; i < len && !got[i]; i++)
			;
		xv_log(s, "  R 0x%llx: %s %s\n", (unsigned long long)iova, st,
		       i == len ? "no data" : "data from no candidate");
	}
	n = strlen(s->digest);
	if (n + 5 < sizeof(s->digest))
		snprintf(s->digest + n, sizeof(s->digest) - n, "%s%c%c%s", n ? " " : "",
			 write ? 'W' : 'R', nhit == 1 ? (char)('0' + hit) : '-',
			 xv_faults(s) ? "!" : "");
	else
		xv_faults(s);
	return nhit == 1 ? (int)hit : -1;
}

void xv_expect(struct xv_side *s, int got, int want, const char *why)
{
	if (got == want)
		return;
	xv_log(s, "  EXPECTED candidate %d, got %d: %s\n", want, got, why);
	s->failed = 1;
}
