// SPDX-License-Identifier: MIT
/* xiommu run: `expect` lines, checked against the previous command's outcome. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "run.h"

#define lookup run_lookup
#define status_names run_status_names
#define reason_names run_reason_names

const char *const run_status_names[] = { "ok", "fault", "stalled", "abort", NULL };
const char *const run_reason_names[] = { "unknown", "translation", "permission", "access",
	"addr_size", "bad_config", "bad_pasid_entry", "bad_pasid", "config_fetch", "walk_eabt",
	"disabled", NULL };
static const char *const flag_names[] = { "pasid", "addr", "fetch", "stage2", "walk", "last",
					  "stall", NULL };
static const struct { const char *name; int err; } errnos[] = {
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOSPC", ENOSPC }, { "ERANGE", ERANGE },
	{ "EPERM", EPERM }, { "E2BIG", E2BIG }, { "EFAULT", EFAULT }, { "ENOMEM", ENOMEM },
};

int run_lookup(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int expect_fault(struct run *r, char **tok, int n)
{
	const struct xiommu_fault *f = &r->faults[0];
	const char *s;
	uint64_t v;
	int k;

	if (!r->nfaults)
		return tfail(r, "expect fault: the last 'fault' read no record");
	if ((s = kvs(tok, n, "type")) &&
	    strcmp(s, f->type == XIOMMU_FAULT_PAGE_REQ ? "page" : f->type == XIOMMU_FAULT_LOST ?
		   "lost" : "dma"))
		return tfail(r, "expect fault type=%s: seen type %u", s, f->type);
	if ((s = kvs(tok, n, "reason"))) {
		k = lookup(reason_names, s);
		if (k < 0)
			return tfail(r, "expect fault reason=%s: not a reason name", s);
		if ((uint32_t)k != f->reason)
			return tfail(r, "expect fault reason=%s: seen %s", s,
				     f->reason < 11 ? reason_names[f->reason] : "?");
	}
	if ((k = kv(r, tok, n, "addr", &v)) < 0 || (k && v != f->addr))
		return k < 0 ? -1 : tfail(r, "expect fault addr=0x%" PRIx64 ": seen 0x%" PRIx64,
					  v, f->addr);
	if ((k = kv(r, tok, n, "fetch", &v)) < 0 || (k && v != f->fetch_addr))
		return k < 0 ? -1 : tfail(r, "expect fault fetch=0x%" PRIx64 ": seen 0x%" PRIx64,
					  v, f->fetch_addr);
	if ((k = kv(r, tok, n, "pasid", &v)) < 0 || (k && v != f->pasid))
		return k < 0 ? -1 : tfail(r, "expect fault pasid=%" PRIu64 ": seen %u", v, f->pasid);
	if ((s = kvs(tok, n, "dev"))) {
		struct dev *d = dev_get(r, s);

		if (!d)
			return -1;
		if (d->id != f->vdev_id)
			return tfail(r, "expect fault dev=%s (vdev %u): seen vdev %u", s, d->id,
				     f->vdev_id);
	}
	if ((s = kvs(tok, n, "flags"))) {
		char buf[128], *save, *w;
		uint32_t want = 0;

		snprintf(buf, sizeof(buf), "%s", s);
		for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			k = lookup(flag_names, w);
			if (k < 0)
				return tfail(r, "expect fault flags: '%s' is not a flag name", w);
			want |= 1u << k;
		}
		if ((f->flags & want) != want)
			return tfail(r, "expect fault flags=%s (0x%x): seen 0x%x", s, want, f->flags);
	}
	return 0;
}

int run_expect(struct run *r, char **tok, int n)
{
	uint64_t v;
	uint32_t i;
	int k;

	if (n < 2)
		return tfail(r, "usage: expect ok | error ERRNO | status S | value V | faults N | fault ... | msis N");
	if (!strcmp(tok[1], "ok"))
		return r->ret ? tfail(r, "expect ok: the last command failed with %d (%s)", r->ret,
				      r->err) : 0;
	if (!strcmp(tok[1], "error") && n == 3) {
		for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
			if (!strcmp(errnos[i].name, tok[2]))
				break;
		if (i == sizeof(errnos) / sizeof(errnos[0]))
			return tfail(r, "expect error %s: name one of EINVAL ENOENT EBUSY EEXIST EOPNOTSUPP ENOSPC ERANGE EPERM E2BIG EFAULT ENOMEM",
				     tok[2]);
		if (r->ret != -errnos[i].err)
			return tfail(r, "expect error %s: the last command returned %d%s%s", tok[2],
				     r->ret, r->ret ? ": " : "", r->err);
		return 0;
	}
	if (!strcmp(tok[1], "status") && n == 3) {
		k = lookup(status_names, tok[2]);
		if (k < 0)
			return tfail(r, "expect status: ok, fault, stalled or abort");
		if (!r->have_dma)
			return tfail(r, "expect status: no dma before it");
		if ((uint32_t)k != r->dma.out_status)
			return tfail(r, "expect status %s: seen %s", tok[2],
				     r->dma.out_status < 4 ? status_names[r->dma.out_status] : "?");
		return 0;
	}
	if (!strcmp(tok[1], "value") && n == 3) {
		if (num(r, tok[2], &v))
			return -1;
		if (!r->have_dma || r->dma.op != XIOMMU_DMA_READ ||
		    r->dma.out_status != XIOMMU_DMA_OK)
			return tfail(r, "expect value: the last dma was not a completed read");
		return v == r->value ? 0 : tfail(r, "expect value 0x%" PRIx64 ": seen 0x%" PRIx64,
						 v, r->value);
	}
	if (!strcmp(tok[1], "faults") && n == 3) {
		if (num(r, tok[2], &v))
			return -1;
		return v == r->nfaults ? 0 : tfail(r, "expect faults %" PRIu64 ": seen %u", v,
						   r->nfaults);
	}
	if (!strcmp(tok[1], "msis") && n == 3) {
		if (num(r, tok[2], &v))
			return -1;
		return v == r->nmsi ? 0 : tfail(r, "expect msis %" PRIu64 ": seen %u", v, r->nmsi);
	}
	if (!strcmp(tok[1], "fault"))
		return expect_fault(r, tok, n);
	return tfail(r, "expect %s: ok, error ERRNO, status S, value V, faults N, fault KEY=V..., msis N",
		     tok[1]);
}

