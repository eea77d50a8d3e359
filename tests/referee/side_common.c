// SPDX-License-Identifier: MIT
/*
 * What both vendors' sides do alike: see side_common.h. What the referee
 * observes of one DMA is the same on both units: where the bytes landed
 * or which candidate they came from, the test port's status, and every
 * record field, written to the side's transcript.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "dispatch.h"
#include "port.h"
#include "side_common.h"

const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

uint32_t xr_seq;

/* ---- the plugin's env ----------------------------------------------------- */

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
	struct xr_side *s = core;

	(void)viommu_id;
	return s->gpa_rw(s, gpa, buf, len, 0);
}

static int env_write(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf, uint32_t len)
{
	struct xr_side *s = core;

	(void)viommu_id;
	return s->gpa_rw(s, gpa, (void *)buf, len, 1);
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

void xr_side_reset(struct xr_side *s, const char *name, const struct xm_hw_ops *hw,
		   const struct xh_unit_ops *unit, const struct xr_layout *lay, uint8_t *ram)
{
	xr_seq = 0;	/* each side runs a case with the same data */
	free(s->log);
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->hw_ops = hw;
	s->unit = unit;
	s->lay = lay;
	xr_mem_init(&s->mem, ram, lay->ram_base, lay->ram_size, lay->gram_pa);
}

int xr_side_create(struct xr_side *s, const void *params, uint32_t size)
{
	xr_next_hw = s->hw_ops;
	return s->unit->create(params, size, &s->mem.host, &s->h, s->err, sizeof(s->err));
}

int xr_side_attach(struct xr_side *s)
{
	const struct xr_layout *l = s->lay;
	int ret = s->unit->domain_alloc(s->h, &s->dom, &s->desc);

	if (!ret)
		ret = s->unit->s2_map(s->h, s->dom, l->gram_gpa, l->gram_pa, l->gram_size,
				      XIOMMU_MAP_READ | XIOMMU_MAP_WRITE);
	if (!ret)
		ret = s->unit->stream_attach(s->h, s->dom, l->sid, 0);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "host layer setup failed: %d", ret);
		return ret;
	}
	if (s->hw_ops == &xr_qemu_hw)
		xr_port_window(xr_d_unit(s->unit->hw(s->h)), l->win, l->gram_pa);
	return 0;
}

void xr_side_env(struct xr_side *s, const void *params, const void *regs, uint32_t regs_len)
{
	s->plug = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	s->env.core = s;
	s->env.params = params;
	s->env.regs = regs;
	s->env.regs_len = regs_len;
	s->env.error = env_error;
	s->env.read_gpa = env_read;
	s->env.write_gpa = env_write;
	s->env.vdev_by_vsid = by_vsid;
	s->env.vdev_by_psid = by_psid;
	s->env.vdev_by_id = by_id;
}

int xr_side_plugin(struct xr_side *s)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL, .pasid_bits = 255,
					.s1_ias = 255, .s1_oas = 255, .s2_ias = 255 };
	uint32_t raw_len = 0;
	int ret = s->plug->hw_info(&s->env, &limit, &s->caps, NULL, &raw_len);

	if (ret)
		return ret;
	s->env.caps = &s->caps;
	s->viommu.id = 1;
	s->viommu.dom = s->desc;
	s->vdev.id = s->lay->vdev;
	s->vdev.psid = s->lay->sid;
	s->vdev.vsid = s->lay->sid;
	s->vdev.config = XIOMMU_CONFIG_ABORT;
	s->vdev.viommu = &s->viommu;
	return 0;
}

int xr_side_ready(struct xr_side *s, int ret)
{
	if (!ret)
		return 1;
	xr_log(s, "  setup failed: %d %s\n", ret, s->err);
	s->failed = 1;
	xr_side_down(s);
	return 0;
}

void xr_side_down(struct xr_side *s)
{
	if (s->h)
		s->unit->destroy(s->h);
	s->h = NULL;
}

void xr_prog_reset(struct xr_side *s)
{
	s->prog.ops = s->ops;
	s->prog.cap = XM_ARRAY_SIZE(s->ops);
	s->prog.n = 0;
	s->prog.widened = 0;
}

/* ---- the plugin's programs ------------------------------------------------ */

struct xiommu_bind *xr_bind_new(struct xr_side *s, uint32_t config)
{
	struct xiommu_bind *b = &s->bind;

	memset(b, 0, sizeof(*b));
	b->argsz = sizeof(*b);
	b->vdev_id = s->lay->vdev;
	b->config = config;
	return b;
}

int xr_plugin_bind(struct xr_side *s)
{
	int ret;

	xr_prog_reset(s);
	ret = s->plug->bind(&s->env, &s->vdev, &s->bind, &s->prog);
	if (ret)
		xr_log(s, "  bind refused: %d %s\n", ret, s->err);
	return ret;
}

int xr_plugin_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n)
{
	uint32_t bad = 0;
	int ret;

	xr_prog_reset(s);
	ret = s->plug->invalidate(&s->env, &s->viommu, e, n, &s->prog, &bad);
	if (ret)
		xr_log(s, "  invalidate refused at %u: %d %s\n", bad, ret, s->err);
	return ret;
}

void xr_log_cmds(struct xr_side *s, const char *what)
{
	uint32_t i;

	for (i = 0; i < s->prog.n; i++)
		if (s->prog.ops[i].code == XIOMMU_OP_CMD)
			xr_log(s, "  %s 0x%016llx 0x%016llx\n", what,
			       (unsigned long long)s->prog.ops[i].w[0],
			       (unsigned long long)s->prog.ops[i].w[1]);
}

/* ---- what a DMA did ------------------------------------------------------- */

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
			xr_wr32(&s->mem, cand[k] + i,
				write ? 0 : 0xc0000000u | (xr_seq << 12) | (k << 8) | i);
	memset(&q, 0, sizeof(q));
	q.op = write ? XIOMMU_DMA_WRITE : XIOMMU_DMA_READ;
	q.sid = s->lay->sid;
	q.iova = iova;
	q.len = len;
	q.buf = write ? buf : got;
	memset(got, 0, sizeof(got));
	ret = s->unit->dma(s->h, &q);
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
		xr_log(s, "  %c 0x%llx: %s %s%u\n", write ? 'W' : 'R', (unsigned long long)iova, st,
		       nhit == 1 ? "at candidate " : nhit ? "matches several: " : "nowhere ",
		       nhit == 1 ? hit : nhit);
	} else {
		for (i = 0; i < len && !got[i]; i++)
			;
		xr_log(s, "  R 0x%llx: %s %s\n", (unsigned long long)iova, st,
		       i == len ? "no data" : "data from no candidate");
	}
	/* the table's digest: W/R, the candidate (or -), ! when it left records */
	n = strlen(s->digest);
	if (n + 5 < sizeof(s->digest))
		snprintf(s->digest + n, sizeof(s->digest) - n, "%s%c%c%s", n ? " " : "",
			 write ? 'W' : 'R', nhit == 1 ? (char)('0' + hit) : '-',
			 s->records(s) ? "!" : "");
	else
		s->records(s);
	return nhit == 1 ? (int)hit : -1;
}

void xr_expect(struct xr_side *s, int got, int want, const char *why)
{
	if (got == want)
		return;
	xr_log(s, "  EXPECTED candidate %d, got %d: %s\n", want, got, why);
	s->failed = 1;
}
