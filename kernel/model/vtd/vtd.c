// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VT-d scalable-mode model: unit creation from the parameters, CAP/ECAP,
 * the records it reports (primary fault records and page requests, oldest
 * first), counters and the ops table. A fault record is reported as its two
 * register words plus a third word the register has no room for: the exact
 * input address (FI keeps only the page), for the test port's users.
 *
 * Not modelled: interrupt remapping (interrupt-entry-cache descriptors are
 * accepted and do nothing; MSIs reaching the doorbell page are only logged),
 * paging-structure caches (every IOTLB miss walks from the root), caching
 * mode (CAP.CM is 0: not-present entries are never cached).
 */
#include "vtd_int.h"

uint64_t *vtd_map64(struct vtd_unit *u, uint64_t pa)
{
	if (pa & 7)
		return NULL;
	return u->host.map(u->host.priv, pa, 8);
}

int vtd_read64(struct vtd_unit *u, uint64_t pa, uint64_t *v)
{
	uint64_t *p = vtd_map64(u, pa);

	if (!p)
		return -EFAULT;
	*v = *(volatile uint64_t *)p;
	return 0;
}

int vtd_write64(struct vtd_unit *u, uint64_t pa, uint64_t v)
{
	uint64_t *p = vtd_map64(u, pa);

	if (!p)
		return -EFAULT;
	*(volatile uint64_t *)p = v;
	return 0;
}

static int err_msg(char *err, uint32_t len, const char *msg)
{
	uint32_t i;

	for (i = 0; len && i < len - 1 && msg[i]; i++)
		err[i] = msg[i];
	if (len)
		err[i] = 0;
	return -EINVAL;
}

static int bool_ok(uint32_t v)
{
	return v <= 1;
}

/* The parameters again: in the kernel they come from user space. */
static int vtd_params_check(const struct xiommu_vtd_params *p, char *err, uint32_t len)
{
	if (p->pasid_bits < 1 || p->pasid_bits > 20)
		return err_msg(err, len, "vtd: pasid_bits must be 1..20 (ECAP.PSS+1)");
	if (p->mgaw != 39 && p->mgaw != 48 && p->mgaw != 57)
		return err_msg(err, len, "vtd: mgaw must be 39, 48 or 57");
	if (!p->sagaw || (p->sagaw & ~7u))
		return err_msg(err, len, "vtd: sagaw must name 3-level, 4-level and/or 5-level");
	if (!((p->sagaw & VTD_SAGAW_3L) || ((p->sagaw & VTD_SAGAW_4L) && p->mgaw >= 48) ||
	      ((p->sagaw & VTD_SAGAW_5L) && p->mgaw >= 57)))
		return err_msg(err, len, "vtd: no sagaw level fits within mgaw");
	if (p->sllps & ~3u)
		return err_msg(err, len, "vtd: sllps accepts 2M and 1G only");
	if (p->nd > 6)
		return err_msg(err, len, "vtd: nd must be 0..6");
	if (p->nfr < 1 || p->nfr > 256)
		return err_msg(err, len, "vtd: nfr must be 1..256");
	if (p->mamv > 63 || (!p->psi && p->mamv))
		return err_msg(err, len, "vtd: mamv must be 0..63, and 0 without psi");
	if (!bool_ok(p->psi) || !bool_ok(p->fl1gp) || !bool_ok(p->fl5lp) || !bool_ok(p->nest) ||
	    !bool_ok(p->dt) || !bool_ok(p->prs) || !bool_ok(p->srs) || !bool_ok(p->ers) ||
	    !bool_ok(p->eafs) || !bool_ok(p->slads) || !bool_ok(p->pt))
		return err_msg(err, len, "vtd: boolean parameters must be 0 or 1");
	if (p->prs && !p->dt)
		return err_msg(err, len, "vtd: prs needs dt (page requests come with ATS)");
	if (p->prq_depth < 2 || p->prq_depth > VTD_MAX_PRQ)
		return err_msg(err, len, "vtd: prq_depth must be 2..1024");
	return 0;
}

static int vtd_create(const void *params, uint32_t size, const struct xm_host *host,
		      void **unit, char *err, uint32_t errlen)
{
	struct vtd_unit *u;
	int ret;

	if (size != sizeof(struct xiommu_vtd_params) || !host || !host->map || !host->alloc)
		return err_msg(err, errlen, "vtd: bad parameter block or host");
	ret = vtd_params_check(params, err, errlen);
	if (ret)
		return ret;
	u = xm_zalloc(sizeof(*u));
	if (!u) {
		err_msg(err, errlen, "vtd: out of memory for the unit");
		return -ENOMEM;
	}
	memcpy(&u->p, params, sizeof(u->p));
	u->host = *host;
	u->cap = vtd_cap_from_params(&u->p);
	u->ecap = vtd_ecap_from_params(&u->p);
	u->psc_enable = 1;	/* tests may turn the paging-structure caches off */
	u->ndids = 1u << (4 + 2 * u->p.nd);
	u->did_map = xm_zalloc(u->ndids / 8);
	u->did_refs = xm_zalloc(u->ndids * sizeof(*u->did_refs));
	if (!u->did_map || !u->did_refs) {
		xm_free(u->did_map);
		xm_free(u->did_refs);
		xm_free(u);
		err_msg(err, errlen, "vtd: out of memory for the domain-id maps");
		return -ENOMEM;
	}
	/* DID 0 is reserved (caching mode), DID 1 kept for host FL-only / PT use */
	u->did_map[0] = 3;
	ret = host->alloc(host->priv, 4096, &u->root);
	if (!ret)
		ret = host->alloc(host->priv, 4096, &u->status_pa);
	if (ret) {
		if (u->root)
			host->free(host->priv, u->root, 4096);
		xm_free(u->did_map);
		xm_free(u->did_refs);
		xm_free(u);
		err_msg(err, errlen, "vtd: no host memory for the root table and status page");
		return ret < 0 ? ret : -ENOMEM;	/* the allocator's errno, -ENOMEM */
	}
	*unit = u;
	return 0;
}

static void vtd_destroy(void *unit)
{
	struct vtd_unit *u = unit;
	uint32_t bus, half;

	vtd_streams_free(u);
	for (bus = 0; bus < 256; bus++)
		for (half = 0; half < 2; half++) {
			uint64_t re;

			if (!vtd_read64(u, u->root + bus * 16 + half * 8, &re) && (re & 1))
				u->host.free(u->host.priv, re & VTD_RE_CTP_MASK, 4096);
		}
	u->host.free(u->host.priv, u->root, 4096);
	u->host.free(u->host.priv, u->status_pa, 4096);
	xm_free(u->did_refs);
	xm_free(u->did_map);
	xm_free(u);
}

static uint32_t vtd_regs(void *unit, void *buf, uint32_t len)
{
	struct vtd_unit *u = unit;
	uint64_t r[2] = { u->cap, u->ecap };

	memcpy(buf, r, len < sizeof(r) ? len : sizeof(r));
	return sizeof(r);
}

static void vtd_stats(void *unit, struct xm_stats *st)
{
	*st = ((struct vtd_unit *)unit)->st;
}

/* The oldest of the fault records (F=1) and the page request queue. */
int vtd_event_pop(void *unit, struct xm_event *ev)
{
	struct vtd_unit *u = unit;
	uint32_t i, best = ~0u, best_seq = 0;

	for (i = 0; i < u->p.nfr; i++) {
		if (!(u->frcd[i][1] & XI_BIT(VTD_FRCD_F)))
			continue;
		if (best == ~0u || (int32_t)(u->fr_order[i] - best_seq) < 0) {
			best = i;
			best_seq = u->fr_order[i];
		}
	}
	if (u->prq_count && (best == ~0u || (int32_t)(u->prq_seq[u->prq_head] - best_seq) < 0)) {
		ev->kind = VTD_EVT_PRQ;
		ev->nwords = 4;
		memcpy(ev->w, u->prq[u->prq_head], sizeof(ev->w));
		u->prq_head = (u->prq_head + 1) % u->p.prq_depth;
		u->prq_count--;
		return 0;
	}
	if (best == ~0u)
		return -ENOENT;
	memset(ev, 0, sizeof(*ev));
	ev->kind = VTD_EVT_FAULT;
	ev->nwords = 3;
	ev->w[0] = u->frcd[best][0];
	ev->w[1] = u->frcd[best][1];
	ev->w[2] = u->frcd_addr[best];	/* not in the register: the exact address */
	/* software clears F by writing 1 to it */
	u->frcd[best][1] &= ~XI_BIT(VTD_FRCD_F);
	if (u->fsts & VTD_FSTS_PPF) {
		for (i = 0; i < u->p.nfr; i++)
			if (u->frcd[i][1] & XI_BIT(VTD_FRCD_F))
				break;
		if (i == u->p.nfr)
			u->fsts &= ~(VTD_FSTS_PPF | VTD_FSTS_PFO);
	}
	return 0;
}

/* Interrupt remapping is not modelled: MSIs that reached the doorbell page, as logged. */
static int vtd_msi_pop(void *unit, uint64_t *rec)
{
	struct vtd_unit *u = unit;

	return xm_msi_log_pop(&u->msi, rec);
}

uint32_t vtd_model_fsts(void *unit)
{
	return ((struct vtd_unit *)unit)->fsts;
}

uint64_t vtd_model_status_pa(void *unit)
{
	return ((struct vtd_unit *)unit)->status_pa;
}

static void *vtd_hw(void *unit)
{
	return unit;
}

const struct xh_unit_ops xh_vtd_ops = {
	.vendor = "vtd",
	.params_size = sizeof(struct xiommu_vtd_params),
	.create = vtd_create,
	.destroy = vtd_destroy,
	.regs = vtd_regs,
	.domain_alloc = vtd_domain_alloc,
	.domain_free = vtd_domain_free,
	.tag_alloc = vtd_tag_alloc,
	.tag_free = vtd_tag_free,
	.s2_map = vtd_s2_map,
	.s2_unmap = vtd_s2_unmap,
	.stream_attach = vtd_stream_attach,
	.stream_detach = vtd_stream_detach,
	.exec = vtd_exec,
	.dma = vtd_dma,
	.event_pop = vtd_event_pop,
	.msi_pop = vtd_msi_pop,
	.stats = vtd_stats,
	.hw = vtd_hw,
};
