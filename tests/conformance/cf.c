// SPDX-License-Identifier: MIT
/*
 * The conformance rig: a fresh context per scenario and unit, guest RAM
 * mapped in the unit's stage 2, devices, guest structures through the
 * vendor's guest codec, and the DMA / fault / invalidation helpers the
 * scenarios share. Public API only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cf.h"

int cf_failf(struct cf *t, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->why[0])
		return CF_FAIL;
	n = snprintf(t->why, sizeof(t->why), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(t->why + n, sizeof(t->why) - (size_t)n, fmt, ap);
	va_end(ap);
	return CF_FAIL;
}

int cf_eq_fail(struct cf *t, int line, const char *what, uint64_t seen, uint64_t want)
{
	return cf_failf(t, line, "%s: expected 0x%llx, seen 0x%llx", what,
			(unsigned long long)want, (unsigned long long)seen);
}

static const char *const status_names[] = { "OK", "FAULT", "STALLED", "ABORT" };

static const char *status_name(uint32_t s)
{
	return s < 4 ? status_names[s] : "?";
}

int cf_status_fail(struct cf *t, int line, const char *what, uint32_t seen, uint32_t want,
		   uint32_t viommu)
{
	struct xiommu_fault f;
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = viommu,
					.record_len = sizeof(f), .count = 1,
					.records_ptr = XIOMMU_PTR(&f) };

	if (seen == XIOMMU_DMA_OK || xiommu_fault_read(t->ctx, &fr) || !fr.count)
		return cf_failf(t, line, "%s: expected DMA %s, seen %s", what, status_name(want),
				status_name(seen));
	return cf_failf(t, line, "%s: expected DMA %s, seen %s (fault type %u reason %u flags 0x%x addr 0x%llx fetch 0x%llx pasid %u vendor code 0x%x)",
			what, status_name(want), status_name(seen), f.type, f.reason, f.flags,
			(unsigned long long)f.addr, (unsigned long long)f.fetch_addr, f.pasid,
			f.vendor_code);
}

int cf_skip(struct cf *t, const char *feature)
{
	snprintf(t->skip, sizeof(t->skip), "%s", feature);
	return CF_SKIP;
}

void cf_stamp(struct cf *t)
{
	uint64_t o, gpa;

	for (o = 0; o < CF_DATA_SIZE; o += 4096) {
		gpa = CF_GPA + o;
		memset(t->ram + o, 0, 4096);
		memcpy(t->ram + o, &gpa, 8);
	}
	for (o = 0; o < CF_XPAGES * 4096ull; o += 4096) {
		gpa = CF_XGPA + o;
		memset(t->xram + o, 0, 4096);
		memcpy(t->xram + o, &gpa, 8);
	}
}

uint64_t cf_peek(struct cf *t, uint64_t gpa)
{
	uint64_t v = 0;

	if (gpa >= CF_GPA && gpa + 8 <= CF_GPA + CF_RAM_SIZE)
		memcpy(&v, t->ram + (gpa - CF_GPA), 8);
	else if (gpa >= CF_XGPA && gpa + 8 <= CF_XGPA + CF_XPAGES * 4096ull)
		memcpy(&v, t->xram + (gpa - CF_XGPA), 8);
	return v;
}

static int rig_fail(struct cf *t, const char *what, int ret)
{
	snprintf(t->why, sizeof(t->why), "rig: %s: %d (%s)", what, ret,
		 xiommu_last_error(t->ctx));
	return ret ? ret : -EINVAL;
}

/* Map guest RAM (one mapping) and the extra pages (one mapping each) on @viommu. */
static int rig_map(struct cf *t, uint32_t viommu)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.viommu_id = viommu, .region_id = t->region, .gpa = CF_GPA,
				.size = CF_RAM_SIZE };
	uint32_t i;
	int ret = xiommu_map(t->ctx, &m);

	if (ret)
		return rig_fail(t, "map guest RAM", ret);
	m.region_id = t->xregion;
	m.size = 4096;
	for (i = 0; i < CF_XPAGES; i++) {
		m.gpa = CF_XGPA + i * 4096ull;
		m.offset = i * 4096ull;
		ret = xiommu_map(t->ctx, &m);
		if (ret)
			return rig_fail(t, "map extra page", ret);
	}
	return 0;
}

int cf_viommu(struct cf *t, uint32_t *viommu, struct xiommu_guest *g)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = t->unit };
	int ret = xiommu_viommu_alloc(t->ctx, &va);

	if (ret)
		return rig_fail(t, "viommu_alloc", ret);
	*viommu = va.out_viommu_id;
	ret = rig_map(t, *viommu);
	if (ret)
		return ret;
	*g = (struct xiommu_guest){ .argsz = sizeof(*g), .viommu_id = *viommu,
				    .pool_next = CF_GPA + CF_DATA_SIZE,
				    .pool_end = CF_GPA + CF_DATA_SIZE + CF_POOL_SIZE / 2 };
	/* every VM maps the same RAM: a second VM's tables go in the other half */
	if (g != &t->g) {
		g->pool_next = g->pool_end;
		g->pool_end = CF_GPA + CF_RAM_SIZE;
	}
	return 0;
}

int cf_rig(struct cf *t)
{
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = CF_RAM_SIZE };
	int ret;

	t->why[0] = t->skip[0] = '\0';
	t->ndev = 0;
	t->next_psid = 0x10;
	ret = xiommu_open(t->config, &t->ctx);
	if (ret) {
		t->ctx = NULL;
		return rig_fail(t, "open", ret);
	}
	t->hw = (struct xiommu_hw_info){ .argsz = sizeof(t->hw), .unit = t->unit };
	ret = xiommu_hw_info(t->ctx, &t->hw);
	if (ret)
		return rig_fail(t, "hw_info", ret);
	t->ram = aligned_alloc(1u << 21, CF_RAM_SIZE);
	t->xram = aligned_alloc(4096, CF_XPAGES * 4096);
	if (!t->ram || !t->xram)
		return rig_fail(t, "out of memory", -ENOMEM);
	memset(t->ram + CF_DATA_SIZE, 0, CF_POOL_SIZE);
	cf_stamp(t);
	mr.addr = XIOMMU_PTR(t->ram);
	ret = xiommu_mem_register(t->ctx, &mr);
	if (ret)
		return rig_fail(t, "mem_register", ret);
	t->region = mr.out_region_id;
	mr.addr = XIOMMU_PTR(t->xram);
	mr.size = CF_XPAGES * 4096;
	ret = xiommu_mem_register(t->ctx, &mr);
	if (ret)
		return rig_fail(t, "mem_register extra", ret);
	t->xregion = mr.out_region_id;
	return cf_viommu(t, &t->viommu, &t->g);
}

void cf_unrig(struct cf *t)
{
	if (t->ctx)
		xiommu_close(t->ctx);
	t->ctx = NULL;
	free(t->ram);
	free(t->xram);
	t->ram = t->xram = NULL;
}

int cf_attach(struct cf *t, uint32_t viommu, uint32_t grants, struct cf_dev **out)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .flags = grants,
					 .viommu_id = viommu };
	struct cf_dev *d;
	int ret;

	if (t->ndev == CF_MAX_DEVS)
		return cf_failf(t, __LINE__, "more than %d devices", CF_MAX_DEVS), -ENOSPC;
	d = &t->dev[t->ndev];
	memset(d, 0, sizeof(*d));
	at.psid = t->next_psid;
	at.vsid = 0x100 + t->next_psid;
	at.pasid_bits = t->hw.pasid_bits < 10 ? t->hw.pasid_bits : 10;
	ret = xiommu_vdev_attach(t->ctx, &at);
	if (ret)
		return ret;
	t->next_psid++;
	t->ndev++;
	d->id = at.out_vdev_id;
	d->psid = at.psid;
	d->vsid = at.vsid;
	d->viommu = viommu;
	d->gc.pasid_bits = at.pasid_bits;
	*out = d;
	return 0;
}

int cf_space(struct cf *t, struct xiommu_guest *g, struct xiommu_guest_s1 *s1, uint32_t tag,
	     uint8_t ias)
{
	memset(s1, 0, sizeof(*s1));
	s1->tag = tag;
	s1->ias = ias;
	return xiommu_guest_s1_alloc(t->ctx, g, s1);
}

int cf_map(struct cf *t, struct xiommu_guest *g, const struct xiommu_guest_s1 *s1,
	   uint64_t iova, uint64_t gpa, uint32_t pgshift, uint32_t perm)
{
	return xiommu_guest_s1_map(t->ctx, g, s1, iova, gpa, pgshift, perm);
}

int cf_unmap(struct cf *t, struct xiommu_guest *g, const struct xiommu_guest_s1 *s1,
	     uint64_t iova)
{
	return xiommu_guest_s1_unmap(t->ctx, g, s1, iova);
}

int cf_ctx_write(struct cf *t, struct xiommu_guest *g, struct cf_dev *d, uint32_t pasid,
		 const struct xiommu_guest_s1 *s1, struct xiommu_bind *b)
{
	int ret = xiommu_guest_ctx_write(t->ctx, g, &d->gc, pasid, s1, b);

	b->vdev_id = d->id;
	return ret;
}

int cf_bind(struct cf *t, struct xiommu_guest *g, struct cf_dev *d, uint32_t pasid,
	    const struct xiommu_guest_s1 *s1)
{
	struct xiommu_bind b;
	int ret = cf_ctx_write(t, g, d, pasid, s1, &b);

	if (ret < 0)
		return ret;
	if (ret == 0) {
		/* the unit already uses the table: the guest's config invalidation */
		struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_CONFIG,
					      .scope = XIOMMU_INV_PASID,
					      .flags = XIOMMU_INV_F_VDEV | XIOMMU_INV_F_PASID,
					      .vdev_id = d->id, .pasid = pasid };

		return cf_inv(t, d->viommu, &e, 1);
	}
	return xiommu_bind(t->ctx, &b);
}

static struct xiommu_dma dma(struct cf *t, const struct cf_dev *d, uint32_t op, uint32_t pasid,
			     uint64_t iova, uint32_t acc, void *buf)
{
	struct xiommu_dma x = { .argsz = sizeof(x), .unit = t->unit, .op = op, .sid = d->psid,
				.iova = iova, .len = 8, .buf_ptr = XIOMMU_PTR(buf),
				.flags = acc & (XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_EXEC) };

	if (op == XIOMMU_DMA_TRANSLATE) {
		x.flags |= acc & XIOMMU_DMA_F_WRITE;
		x.len = 0;
		x.buf_ptr = 0;
	}
	if (pasid != CF_NOPASID) {
		x.flags |= XIOMMU_DMA_F_PASID;
		x.pasid = pasid;
	}
	if (xiommu_dma(t->ctx, &x)) {
		cf_failf(t, __LINE__, "dma: the call failed: %s", xiommu_last_error(t->ctx));
		x.out_status = 0xdead;
	}
	return x;
}

uint32_t cf_read(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		 uint32_t acc, uint64_t *val)
{
	uint64_t v = ~0ull;
	struct xiommu_dma x = dma(t, d, XIOMMU_DMA_READ, pasid, iova, acc, &v);

	if (val)
		*val = x.out_status == XIOMMU_DMA_OK ? v : ~0ull;
	return x.out_status;
}

uint32_t cf_write(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		  uint32_t acc, uint64_t val)
{
	return dma(t, d, XIOMMU_DMA_WRITE, pasid, iova, acc, &val).out_status;
}

uint32_t cf_xlate(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		  uint32_t acc, uint64_t *hpa)
{
	struct xiommu_dma x = dma(t, d, XIOMMU_DMA_TRANSLATE, pasid, iova, acc, NULL);

	if (hpa)
		*hpa = x.out_addr;
	return x.out_status;
}

uint32_t cf_faults(struct cf *t, uint32_t viommu, struct xiommu_fault *f, uint32_t n)
{
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = viommu,
					.record_len = sizeof(*f), .count = n,
					.records_ptr = XIOMMU_PTR(f) };

	if (xiommu_fault_read(t->ctx, &fr)) {
		cf_failf(t, __LINE__, "fault_read: %s", xiommu_last_error(t->ctx));
		return 0;
	}
	return fr.count;
}

int cf_inv(struct cf *t, uint32_t viommu, const struct xiommu_inv_entry *e, uint32_t n)
{
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = viommu,
					 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(*e),
					 .entry_num = n, .entries_ptr = XIOMMU_PTR(e) };

	return xiommu_invalidate(t->ctx, &inv);
}

int cf_inv_raw(struct cf *t, uint32_t viommu, const struct xiommu_inv_entry *e)
{
	static uint64_t buf[4096 * 4];
	struct xiommu_invalidate inv;
	int ret = xiommu_guest_inv_encode(t->ctx, viommu, e, buf, sizeof(buf), &inv);

	if (ret < 0)
		return ret;
	return xiommu_invalidate(t->ctx, &inv);
}

struct xiommu_stats cf_stats(struct cf *t)
{
	struct xiommu_stats st = { .argsz = sizeof(st), .unit = t->unit };

	if (xiommu_stats(t->ctx, &st))
		cf_failf(t, __LINE__, "stats: %s", xiommu_last_error(t->ctx));
	return st;
}

int cf_basic(struct cf *t, uint32_t grants, struct cf_dev **d, struct xiommu_guest_s1 *s1)
{
	int ret = cf_attach(t, t->viommu, grants, d);

	if (ret)
		return cf_failf(t, __LINE__, "attach (grants 0x%x): %d (%s)", grants, ret,
				xiommu_last_error(t->ctx));
	ret = cf_space(t, &t->g, s1, CF_TAG, 0);
	if (!ret)
		ret = cf_map(t, &t->g, s1, CF_IOVA, cf_page(1), 12,
			     XIOMMU_PERM_READ | XIOMMU_PERM_WRITE);
	if (!ret)
		ret = cf_bind(t, &t->g, *d, CF_PASID, s1);
	if (ret)
		return cf_failf(t, __LINE__, "basic stage 1: %d (%s)", ret,
				xiommu_last_error(t->ctx));
	return 0;
}
