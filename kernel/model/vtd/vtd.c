// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * VT-d scalable-mode model, hardware only (xm_hw.h): unit creation from the
 * parameters, CAP/ECAP, RTADDR_REG with SRTP, the invalidation queue, the
 * ATS / PRI enables of the test port's devices, the records it reports
 * (primary fault records and page requests, oldest first), counters and the
 * ops table. A fault record is reported as its two
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
	*unit = u;
	return 0;
}

static void vtd_destroy(void *unit)
{
	xm_free(unit);
}

/*
 * RTADDR_REG = @base, then GCMD.SRTP latches it. Only scalable mode
 * (TTM = 01b) is modelled; RTA is 4 KiB aligned and within MGAW.
 */
static int vtd_set_root(void *unit, uint64_t base, uint64_t cfg)
{
	struct vtd_unit *u = unit;
	uint64_t rta = base & VTD_RTADDR_RTA_MASK;

	if (cfg || XI_GET(base, VTD_RTADDR_TTM_H, VTD_RTADDR_TTM_L) != VTD_RTADDR_TTM_SM ||
	    (base & ~VTD_RTADDR_RTA_MASK & ~XI_GENMASK(VTD_RTADDR_TTM_H, VTD_RTADDR_TTM_L)) ||
	    (rta >> u->p.mgaw))
		return -EINVAL;
	u->rtaddr = base;
	u->root = rta;
	/* SRTP does not invalidate: software flushes the context cache globally after it */
	return 0;
}

/*
 * The invalidation queue: descriptors are fetched and run in order; an
 * invalid one sets FSTS.IQE and stops the queue at it (IQH points at it).
 */
static int vtd_submit(void *unit, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n,
		      uint32_t *done)
{
	struct vtd_unit *u = unit;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (vtd_qi_validate(u, cmds[i])) {
			u->fsts |= VTD_FSTS_IQE;
			u->iqe_count++;
			u->st.queue_errors++;
			*done = i;
			return -EINVAL;
		}
		vtd_qi_run(u, cmds[i]);
	}
	*done = n;
	return 0;
}

/* PCIe ATS / PRI enables of the device at @sid (its configuration space). */
static int vtd_dev_caps(void *unit, uint32_t sid, uint32_t enable)
{
	struct vtd_unit *u = unit;
	uint8_t bit = (uint8_t)(1u << (sid & 7));

	if (sid > 0xffff)
		return -ERANGE;
	u->dev_ats[sid >> 3] = (uint8_t)((u->dev_ats[sid >> 3] & ~bit) |
		((enable & XIOMMU_VDEV_ATS) && u->p.dt ? bit : 0));
	u->dev_pri[sid >> 3] = (uint8_t)((u->dev_pri[sid >> 3] & ~bit) |
		((enable & XIOMMU_VDEV_PRI) && u->p.prs ? bit : 0));
	return 0;
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

const struct xm_hw_ops xm_vtd_hw = {
	.vendor = "vtd",
	.params_size = sizeof(struct xiommu_vtd_params),
	.cmd_words = VTD_QI_WORDS,
	.create = vtd_create,
	.destroy = vtd_destroy,
	.regs = vtd_regs,
	.set_root = vtd_set_root,
	.submit = vtd_submit,
	.dev_caps = vtd_dev_caps,
	.dma = vtd_dma,
	.event_pop = vtd_event_pop,
	.msi_pop = vtd_msi_pop,
	.stats = vtd_stats,
};
