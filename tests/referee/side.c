// SPDX-License-Identifier: MIT
/*
 * One side of the referee: a unit (QEMU's through MMIO, or the model) under
 * xiommu's SMMUv3 host layer, one domain whose stage 2 maps guest RAM, the
 * edu stream attached, and the SMMUv3 plugin called directly with a small
 * env, as the core would call it. Every observation goes to a transcript;
 * the two sides' transcripts are compared.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "dispatch.h"
#include "referee.h"
#include "../../kernel/host/smmuv3/smmuv3_host.h"

const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

/* ---- the hardware the host layer links against: either unit ---------- */

/* kernel/host/smmuv3/unit.c drives the unit named xm_smmuv3_hw: here, either one. */
const struct xm_hw_ops xm_smmuv3_hw = XR_DISPATCH_OPS("smmuv3", sizeof(struct xiommu_smmuv3_params),
						       SMMUV3_CMD_DWORDS);

/* ---- host RAM --------------------------------------------------------- */

static void *mem_map(void *priv, uint64_t pa, uint32_t len)
{
	struct xr_mem *m = priv;

	if (pa < XR_RAM_BASE || pa + len > XR_RAM_BASE + XR_RAM_SIZE || pa + len < pa)
		return NULL;
	return m->ptr + (pa - XR_RAM_BASE);
}

static int mem_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	struct xr_mem *m = priv;
	uint64_t a = (m->next + size - 1) & ~(size - 1), off;

	if (a + size > XR_GRAM_PA)
		return -ENOMEM;
	for (off = 0; off < size; off += 8)
		xr_wr64(m, a + off, 0);
	m->next = a + size;
	*pa = a;
	return 0;
}

static void mem_free(void *priv, uint64_t pa, uint64_t size)
{
	(void)priv;
	(void)pa;
	(void)size;	/* a bump allocator: each scenario starts over */
}

void xr_mem_init(struct xr_mem *m, uint8_t *ptr)
{
	m->ptr = ptr;
	m->next = XR_RAM_BASE;
	m->host.priv = m;
	m->host.map = mem_map;
	m->host.alloc = mem_alloc;
	m->host.free = mem_free;
	m->host.msi_db = 0;
}

uint64_t xr_rd64(const struct xr_mem *m, uint64_t pa)
{
	return *(volatile uint64_t *)(m->ptr + (pa - XR_RAM_BASE));
}

void xr_wr64(struct xr_mem *m, uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)(m->ptr + (pa - XR_RAM_BASE)) = v;
}

uint32_t xr_rd32(const struct xr_mem *m, uint64_t pa)
{
	return *(volatile uint32_t *)(m->ptr + (pa - XR_RAM_BASE));
}

void xr_wr32(struct xr_mem *m, uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(m->ptr + (pa - XR_RAM_BASE)) = v;
}

/* ---- guest memory for the plugin and its guest-format helpers ---------- */

uint64_t xr_gpa2pa(const struct xr_side *s, uint64_t gpa)
{
	if (s->gpa_is_pa)
		return gpa;
	if (gpa < XR_GRAM_GPA || gpa >= XR_GRAM_GPA + XR_GRAM_SIZE)
		return 0;
	return XR_GRAM_PA + (gpa - XR_GRAM_GPA);
}

static int g_rw(struct xr_side *s, uint64_t gpa, void *buf, uint32_t len, int write)
{
	uint64_t pa = xr_gpa2pa(s, gpa);
	uint32_t i, w;

	if (!pa || (pa & 3) || (len & 3) || !mem_map(&s->mem, pa, len))
		return -EFAULT;
	for (i = 0; i < len; i += 4) {
		if (write) {
			memcpy(&w, (uint8_t *)buf + i, 4);
			xr_wr32(&s->mem, pa + i, w);
		} else {
			w = xr_rd32(&s->mem, pa + i);
			memcpy((uint8_t *)buf + i, &w, 4);
		}
	}
	return 0;
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

static void env_error(void *core, const char *fmt, ...)
{
	struct xr_side *s = core;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
}

static int env_read(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len)
{
	(void)viommu_id;
	return g_rw(core, gpa, buf, len, 0);
}

static int env_write(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf, uint32_t len)
{
	(void)viommu_id;
	return g_rw(core, gpa, (void *)buf, len, 1);
}

static const struct xiommu_plugin_vdev *by_vsid(void *core, uint32_t viommu_id, uint64_t vsid)
{
	struct xr_side *s = core;

	return viommu_id == s->viommu.id && vsid == s->vdev.vsid ? &s->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_psid(void *core, uint32_t psid)
{
	struct xr_side *s = core;

	return psid == s->vdev.psid ? &s->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_id(void *core, uint32_t viommu_id, uint32_t id)
{
	struct xr_side *s = core;

	return viommu_id == s->viommu.id && id == s->vdev.id ? &s->vdev : NULL;
}

/* ---- transcript --------------------------------------------------------- */

void xr_log(struct xr_side *s, const char *fmt, ...)
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

int xr_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       unsigned int s2_granule)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL, .pasid_bits = 255,
					.s1_ias = 255, .s1_oas = 255, .s2_ias = 255 };
	struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;
	uint32_t raw_len = 0;
	int ret;

	free(s->log);
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->hw_ops = hw;
	xr_mem_init(&s->mem, ram);
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
	xr_next_hw = hw;
	ret = xh_smmuv3_ops.create(&s->p, sizeof(s->p), &s->mem.host, &s->h, s->err,
				   sizeof(s->err));
	if (ret)
		return ret;
	xh_smmuv3_ops.regs(s->h, s->idr, sizeof(s->idr));
	ret = xh_smmuv3_ops.domain_alloc(s->h, &s->dom, &s->desc);
	if (!ret)
		ret = xh_smmuv3_ops.s2_map(s->h, s->dom, XR_GRAM_GPA, XR_GRAM_PA, XR_GRAM_SIZE,
					   XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	if (!ret)
		ret = xh_smmuv3_ops.stream_attach(s->h, s->dom, XR_EDU_SID, 0);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "host layer setup failed: %d", ret);
		return ret;
	}
	if (hw == &xr_qemu_hw)
		xr_qemu_window(xr_d_unit(xh_smmuv3_ops.hw(s->h)), XR_WIN, XR_GRAM_PA);
	s->gm.arg = s;
	s->gm.read = gm_read;
	s->gm.write = gm_write;
	s->gm.alloc = gm_alloc;
	s->gnext = XR_GRAM_GPA + (2ull << 20);	/* the first 2 MiB: window and data */
	s->plug = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	s->env.core = s;
	s->env.params = &s->p;
	s->env.regs = s->idr;
	s->env.regs_len = sizeof(s->idr);
	s->env.error = env_error;
	s->env.read_gpa = env_read;
	s->env.write_gpa = env_write;
	s->env.vdev_by_vsid = by_vsid;
	s->env.vdev_by_psid = by_psid;
	s->env.vdev_by_id = by_id;
	ret = s->plug->hw_info(&s->env, &limit, &s->caps, NULL, &raw_len);
	if (ret)
		return ret;
	s->env.caps = &s->caps;
	s->viommu.id = 1;
	s->viommu.dom = s->desc;
	s->vdev.id = XR_VDEV;
	s->vdev.psid = XR_EDU_SID;
	s->vdev.vsid = XR_EDU_SID;
	s->vdev.config = XIOMMU_CONFIG_ABORT;
	s->vdev.viommu = &s->viommu;
	return 0;
}

void xr_side_down(struct xr_side *s)
{
	if (s->h)
		xh_smmuv3_ops.destroy(s->h);
	s->h = NULL;
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

static void prog_reset(struct xr_side *s)
{
	s->prog.ops = s->ops;
	s->prog.cap = XM_ARRAY_SIZE(s->ops);
	s->prog.n = 0;
	s->prog.widened = 0;
}

int xr_bind(struct xr_side *s, uint32_t config, uint64_t cd_table,
	    void (*between)(struct xr_side *s, uint32_t step))
{
	struct xiommu_bind *b = &s->bind;
	int ret;

	memset(b, 0, sizeof(*b));
	b->argsz = sizeof(*b);
	b->vdev_id = XR_VDEV;
	b->config = config;
	if (config == XIOMMU_CONFIG_TRANSLATE) {
		b->format = XIOMMU_S1_SMMUV3_CD_TABLE;
		b->table_gpa = cd_table;
		b->s1.smmuv3.s1cir = b->s1.smmuv3.s1cor = 1;
		b->s1.smmuv3.s1csh = 3;
	}
	prog_reset(s);
	ret = s->plug->bind(&s->env, &s->vdev, b, &s->prog);
	if (ret) {
		xr_log(s, "  bind refused: %d %s\n", ret, s->err);
		return ret;
	}
	ret = xr_run_prog(s, between);
	if (!ret) {
		s->vdev.config = config;
		s->vdev.bind = config == XIOMMU_CONFIG_TRANSLATE ? b : NULL;
	}
	return ret;
}

int xr_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n)
{
	uint32_t bad = 0, i;
	int ret;

	prog_reset(s);
	ret = s->plug->invalidate(&s->env, &s->viommu, e, n, &s->prog, &bad);
	if (ret) {
		xr_log(s, "  invalidate refused at %u: %d %s\n", bad, ret, s->err);
		return ret;
	}
	for (i = 0; i < s->prog.n; i++)
		if (s->prog.ops[i].code == XIOMMU_OP_CMD)
			xr_log(s, "  cmd 0x%016llx 0x%016llx\n", (unsigned long long)s->prog.ops[i].w[0],
			       (unsigned long long)s->prog.ops[i].w[1]);
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
