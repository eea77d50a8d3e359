// SPDX-License-Identifier: MIT
/*
 * struct xm_hw_ops for a real VT-d unit reached through its MMIO registers:
 * QEMU's emulated intel-iommu of -machine q35 (scalable mode, left alone by
 * Linux with intel_iommu=off), with the edu PCI device (requester 00:04.0)
 * as the test port's device. Host memory is spare guest RAM mapped from
 * /dev/mem; every access is an aligned volatile 32- or 64-bit one.
 *
 * It lives with the referee, not under kernel/: it knows the edu device,
 * /dev/mem and the boot's memory layout, none of which a kernel driver has.
 *
 * Register offsets and fields are the VT-d specification's (chapter 11),
 * as FORMATS.md B.6 - B.8 gathers them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/xiommu.h>
#include "vtd.h"
#include "devmem.h"
#include "port.h"

#define R_CAP		0x08
#define R_ECAP		0x10
#define R_GCMD		0x18
#define R_GSTS		0x1c
#define R_RTADDR	0x20
#define R_FSTS		0x34
#define R_FECTL		0x38
#define R_IQH		0x80
#define R_IQT		0x88
#define R_IQA		0x90
#define R_ICS		0x9c
#define R_IECTL		0xa0

#define G_TE		(1u << 31)
#define G_SRTP		(1u << 30)
#define G_QIE		(1u << 26)
#define FSTS_PFO	(1u << 0)
#define FSTS_PPF	(1u << 1)
#define FSTS_IQE	(1u << 4)
#define INT_MASK	(1u << 31)	/* FECTL.IM, IECTL.IM */
#define IQA_DW		(1ull << 11)	/* 256-bit descriptors */
#define IQ_ENTRIES	128u		/* QS = 0: one 4 KiB page of 32-byte descriptors */

struct qvtd {
	struct xr_port port;	/* first: the test port's ops take the unit */
	uint64_t cap, ecap;
	uint64_t iq, scratch;
	uint32_t tail;
	uint32_t frcd;		/* offset of the fault recording registers */
	uint32_t nfr;
};

static void frcd_drain(struct xr_port *p, int keep);

static const struct xr_port_kind kind = {
	.who = "qemu-vtd", .params_size = sizeof(struct xiommu_vtd_params), .sid = XV_EDU_SID,
	.drain = frcd_drain,
};

int xv_qemu_open(uint8_t **ram, uint64_t regs[2], char *err, uint32_t errlen)
{
	int ret = xr_devmem_open("the VT-d unit", XV_UNIT_BASE, XV_UNIT_SIZE, XV_RAM_BASE,
				 XV_RAM_SIZE, XV_EDU_SYSFS, err, errlen);

	if (ret)
		return ret;
	*ram = xr_devmem.ram;
	regs[0] = xr_reg_rd64(R_CAP);
	regs[1] = xr_reg_rd64(R_ECAP);
	if (!(regs[1] & XI_BIT(VTD_ECAP_SMTS)) || !(regs[1] & XI_BIT(VTD_ECAP_QI))) {
		snprintf(err, errlen, "VT-d unit: ECAP 0x%llx has no scalable mode or no queue",
			 (unsigned long long)regs[1]);
		return -ENODEV;
	}
	return 0;
}

/* GCMD: the persistent enables GSTS reports, with @set / @clear applied; wait for GSTS. */
static int gcmd(uint32_t set, uint32_t clear, uint32_t oneshot)
{
	uint32_t want = ((xr_reg_rd32(R_GSTS) & (G_TE | G_QIE)) | set) & ~clear;

	xr_reg_wr32(R_GCMD, want | oneshot);
	/* SRTP completes with RTPS (the same bit position) */
	return xr_reg_wait32(R_GSTS, G_TE | G_QIE | oneshot, want | oneshot);
}

static void q_destroy(void *hw)
{
	struct qvtd *q = hw;

	if (!q)
		return;
	/* translation and the queue off: the next unit starts from reset state */
	gcmd(0, G_TE, 0);
	gcmd(0, G_QIE, 0);
	free(q);
}

static uint32_t q_regs(void *hw, void *buf, uint32_t len)
{
	struct qvtd *q = hw;
	uint64_t r[2] = { q->cap, q->ecap };

	memcpy(buf, r, len < sizeof(r) ? len : sizeof(r));
	return sizeof(r);
}

/* Wait until the unit consumed up to the tail, or stopped with FSTS.IQE. */
static int iq_wait(struct qvtd *q)
{
	uint64_t t0 = xr_now_ns();

	for (;;) {
		if (xr_reg_rd32(R_FSTS) & FSTS_IQE)
			return -EINVAL;
		if (((xr_reg_rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1)) == q->tail)
			return 0;
		if (xr_now_ns() - t0 > 1000000000ull)
			return -ETIMEDOUT;
	}
}

static void iq_put(struct qvtd *q, const uint64_t *d)
{
	volatile uint64_t *e = xr_port_ram64(&q->port, q->iq + 32ull * q->tail);
	uint32_t k;

	for (k = 0; k < VTD_QI_WORDS; k++)
		e[k] = d[k];
	q->tail = (q->tail + 1) % IQ_ENTRIES;
}

/*
 * Entries from the one that failed up to the tail become waits writing a
 * scratch word (QEMU refuses a wait with neither SW nor IF); IQE cleared,
 * the tail written again, since QEMU fetches on a tail write only.
 */
static void iq_skip(struct qvtd *q)
{
	uint32_t i = (uint32_t)(xr_reg_rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1);
	uint64_t d[VTD_QI_WORDS];
	volatile uint64_t *e;
	uint32_t k;

	vtd_qi_wait(d, 1, 0, 0, q->scratch);
	while (i != q->tail) {
		e = xr_port_ram64(&q->port, q->iq + 32ull * i);
		for (k = 0; k < VTD_QI_WORDS; k++)
			e[k] = d[k];
		i = (i + 1) % IQ_ENTRIES;
	}
	__sync_synchronize();
	xr_reg_wr32(R_FSTS, FSTS_IQE);
	xr_reg_wr64(R_IQT, (uint64_t)q->tail << 5);
}

static int q_submit(void *hw, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n, uint32_t *done)
{
	struct qvtd *q = hw;
	uint32_t i = 0, chunk, j, first, head;
	int ret;

	*done = 0;
	while (i < n) {
		/* the queue is empty between batches: one slot stays free */
		chunk = n - i < IQ_ENTRIES - 1 ? n - i : IQ_ENTRIES - 1;
		first = q->tail;
		for (j = 0; j < chunk; j++)
			iq_put(q, cmds[i + j]);
		__sync_synchronize();
		xr_reg_wr64(R_IQT, (uint64_t)q->tail << 5);
		ret = iq_wait(q);
		if (ret == -EINVAL) {
			head = (uint32_t)(xr_reg_rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1);
			q->port.st.queue_errors++;
			*done = i + ((head - first) & (IQ_ENTRIES - 1));
			iq_skip(q);
			iq_wait(q);
			return -EINVAL;
		}
		if (ret) {
			fprintf(stderr, "referee: invalidation queue stuck (IQH 0x%llx IQT 0x%x)\n",
				(unsigned long long)xr_reg_rd64(R_IQH), q->tail << 5);
			return ret;
		}
		for (j = 0; j < chunk; j++) {
			q->port.st.commands++;
			if (vtd_qi_type(cmds[i + j]) == VTD_QI_WAIT)
				q->port.st.syncs++;
		}
		i += chunk;
		*done = i;
	}
	return 0;
}

/* Clear every fault record and the overflow: nothing from before is read as new. */
static void frcd_clear(struct qvtd *q)
{
	uint32_t i;

	for (i = 0; i < q->nfr; i++)
		xr_reg_wr32(q->frcd + 16 * i + 12, 1u << 31);	/* F is write-1-to-clear */
	xr_reg_wr32(R_FSTS, FSTS_PFO | FSTS_IQE);
}

static int q_create(const void *params, uint32_t size, const struct xm_host *host, void **hw,
		    char *err, uint32_t errlen)
{
	struct qvtd *q;
	void *u;
	int ret = xr_port_new(&u, sizeof(*q), &kind, size, host, err, errlen);

	(void)params;
	*hw = NULL;
	if (ret)
		return ret;
	q = u;
	q->cap = xr_reg_rd64(R_CAP);
	q->ecap = xr_reg_rd64(R_ECAP);
	q->frcd = 16u * (uint32_t)XI_GET(q->cap, VTD_CAP_FRO_H, VTD_CAP_FRO_L);
	q->nfr = (uint32_t)XI_GET(q->cap, VTD_CAP_NFR_H, VTD_CAP_NFR_L) + 1;
	/* reset: translation and the queue off, fault and completion interrupts masked */
	if (gcmd(0, G_TE | G_QIE, 0))
		goto timeout;
	xr_reg_wr32(R_FECTL, INT_MASK);
	xr_reg_wr32(R_IECTL, INT_MASK);
	xr_reg_wr32(R_ICS, 1);
	frcd_clear(q);
	if (host->alloc(host->priv, 4096, &q->iq) || host->alloc(host->priv, 4096, &q->scratch)) {
		free(q);
		snprintf(err, errlen, "qemu-vtd: no host RAM for the invalidation queue");
		return -ENOMEM;
	}
	xr_reg_wr64(R_IQT, 0);
	xr_reg_wr64(R_IQA, q->iq | IQA_DW);	/* QS 0 */
	q->tail = 0;
	if (gcmd(G_QIE, 0, 0))
		goto timeout;
	*hw = q;
	return 0;
timeout:
	snprintf(err, errlen, "qemu-vtd: GSTS did not follow GCMD");
	free(q);
	return -ETIMEDOUT;
}

/*
 * RTADDR_REG, then GCMD.SRTP (VT-d 10.4.5); then translation on (TE), as a
 * driver does once the root table is set. SRTP does not invalidate: the host
 * layer flushes the context cache, PASID cache and IOTLB after it.
 */
static int q_set_root(void *hw, uint64_t base, uint64_t cfg)
{
	(void)hw;
	if (cfg || (base & ~VTD_RTADDR_RTA_MASK & ~XI_GENMASK(VTD_RTADDR_TTM_H, VTD_RTADDR_TTM_L)))
		return -EINVAL;
	xr_reg_wr64(R_RTADDR, base);
	if (gcmd(0, 0, G_SRTP))
		return -ETIMEDOUT;
	return gcmd(G_TE, 0, 0) ? -ETIMEDOUT : 0;
}

static int q_dev_caps(void *hw, uint32_t sid, uint32_t enable)
{
	(void)hw;
	if (sid > 0xffff)
		return -ERANGE;
	/* edu has no ATS or PRI capability, and QEMU's unit here no ECAP.DT */
	return enable ? -EOPNOTSUPP : 0;
}

/* Move the fault records the unit holds into the soft queue (@keep) or drop them. */
static void frcd_drain(struct xr_port *p, int keep)
{
	struct qvtd *q = (struct qvtd *)p;
	uint32_t i, fsts = xr_reg_rd32(R_FSTS);
	uint64_t lo, hi;
	struct xm_event *ev;

	if (fsts & FSTS_PFO) {
		p->st.events_lost++;
		xr_reg_wr32(R_FSTS, FSTS_PFO);
	}
	for (i = 0; i < q->nfr; i++) {
		hi = xr_reg_rd64(q->frcd + 16 * i + 8);
		if (!(hi & XI_BIT(VTD_FRCD_F)))
			continue;
		lo = xr_reg_rd64(q->frcd + 16 * i);
		if (keep && (ev = xr_port_keep(p)) != NULL) {
			ev->kind = VTD_EVT_FAULT;
			ev->nwords = 3;
			ev->w[0] = lo;
			ev->w[1] = hi;
			ev->w[2] = lo & VTD_FRCD_FI_MASK;	/* the register keeps only the page */
		}
		xr_reg_wr32(q->frcd + 16 * i + 12, 1u << 31);
	}
}

/* interrupts masked, no interrupt remapping: no MSIs (xr_port_msi_pop) */
const struct xm_hw_ops xr_qemu_hw = XR_PORT_OPS("vtd", sizeof(struct xiommu_vtd_params),
						VTD_QI_WORDS, q_create, q_destroy, q_regs,
						q_set_root, q_submit, q_dev_caps);
