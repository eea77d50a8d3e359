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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include "vtd.h"
#include "devmem.h"

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

/* edu BAR0 */
#define EDU_SRC		0x80
#define EDU_DST		0x88
#define EDU_CNT		0x90
#define EDU_CMD		0x98
#define EDU_RUN		1u
#define EDU_TO_PCI	2u

#define SOFT_MAX	16

static struct {
	volatile uint8_t *regs, *edu;
	int fd;
} g = { .fd = -1 };

struct qvtd {
	struct xm_host host;
	uint64_t cap, ecap;
	uint64_t iq, scratch;
	uint32_t tail;
	uint32_t frcd;		/* offset of the fault recording registers */
	uint32_t nfr;
	uint64_t win_iova, win_pa;
	struct xm_event soft[SOFT_MAX];	/* target records read during a DMA */
	uint32_t soft_head, soft_n;
	struct xm_stats st;
};

static uint32_t rd32(uint32_t off)
{
	return *(volatile uint32_t *)(g.regs + off);
}

static uint64_t rd64(uint32_t off)
{
	return *(volatile uint64_t *)(g.regs + off);
}

static void wr32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(g.regs + off) = v;
	__sync_synchronize();
}

static void wr64(uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(g.regs + off) = v;
	__sync_synchronize();
}

static volatile uint64_t *ram64(struct qvtd *q, uint64_t pa)
{
	return q->host.map(q->host.priv, pa, 8);
}

int xv_qemu_open(uint8_t **ram, uint64_t regs[2], char *err, uint32_t errlen)
{
	struct xr_devmem m = { .fd = -1 };
	int ret = xr_devmem_open(&m, "the VT-d unit", XV_UNIT_BASE, XV_UNIT_SIZE, XV_RAM_BASE,
				 XV_RAM_SIZE, XV_EDU_SYSFS, err, errlen);

	g.fd = m.fd;
	g.regs = m.regs;
	g.edu = m.edu;
	if (ret)
		return ret;
	*ram = m.ram;
	regs[0] = rd64(R_CAP);
	regs[1] = rd64(R_ECAP);
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
	uint32_t want = ((rd32(R_GSTS) & (G_TE | G_QIE)) | set) & ~clear;
	uint64_t t0 = xr_now_ns();

	wr32(R_GCMD, want | oneshot);
	/* SRTP completes with RTPS (the same bit position) */
	while ((rd32(R_GSTS) & (G_TE | G_QIE | oneshot)) != (want | oneshot))
		if (xr_now_ns() - t0 > 100000000ull)
			return -ETIMEDOUT;
	return 0;
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
		if (rd32(R_FSTS) & FSTS_IQE)
			return -EINVAL;
		if (((rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1)) == q->tail)
			return 0;
		if (xr_now_ns() - t0 > 1000000000ull)
			return -ETIMEDOUT;
	}
}

static void iq_put(struct qvtd *q, const uint64_t *d)
{
	volatile uint64_t *e = ram64(q, q->iq + 32ull * q->tail);
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
	uint32_t i = (uint32_t)(rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1);
	uint64_t d[VTD_QI_WORDS];
	volatile uint64_t *e;
	uint32_t k;

	vtd_qi_wait(d, 1, 0, 0, q->scratch);
	while (i != q->tail) {
		e = ram64(q, q->iq + 32ull * i);
		for (k = 0; k < VTD_QI_WORDS; k++)
			e[k] = d[k];
		i = (i + 1) % IQ_ENTRIES;
	}
	__sync_synchronize();
	wr32(R_FSTS, FSTS_IQE);
	wr64(R_IQT, (uint64_t)q->tail << 5);
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
		wr64(R_IQT, (uint64_t)q->tail << 5);
		ret = iq_wait(q);
		if (ret == -EINVAL) {
			head = (uint32_t)(rd64(R_IQH) >> 5) & (IQ_ENTRIES - 1);
			q->st.queue_errors++;
			*done = i + ((head - first) & (IQ_ENTRIES - 1));
			iq_skip(q);
			iq_wait(q);
			return -EINVAL;
		}
		if (ret) {
			fprintf(stderr, "referee: invalidation queue stuck (IQH 0x%llx IQT 0x%x)\n",
				(unsigned long long)rd64(R_IQH), q->tail << 5);
			return ret;
		}
		for (j = 0; j < chunk; j++) {
			q->st.commands++;
			if (vtd_qi_type(cmds[i + j]) == VTD_QI_WAIT)
				q->st.syncs++;
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
		wr32(q->frcd + 16 * i + 12, 1u << 31);	/* F is write-1-to-clear */
	wr32(R_FSTS, FSTS_PFO | FSTS_IQE);
}

static int q_create(const void *params, uint32_t size, const struct xm_host *host, void **hw,
		    char *err, uint32_t errlen)
{
	struct qvtd *q;

	(void)params;
	*hw = NULL;
	if (size != sizeof(struct xiommu_vtd_params) || !g.regs) {
		snprintf(err, errlen, "qemu-vtd: not opened or bad parameter block");
		return -EINVAL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->host = *host;
	q->cap = rd64(R_CAP);
	q->ecap = rd64(R_ECAP);
	q->frcd = 16u * (uint32_t)XI_GET(q->cap, VTD_CAP_FRO_H, VTD_CAP_FRO_L);
	q->nfr = (uint32_t)XI_GET(q->cap, VTD_CAP_NFR_H, VTD_CAP_NFR_L) + 1;
	/* reset: translation and the queue off, fault and completion interrupts masked */
	if (gcmd(0, G_TE | G_QIE, 0))
		goto timeout;
	wr32(R_FECTL, INT_MASK);
	wr32(R_IECTL, INT_MASK);
	wr32(R_ICS, 1);
	frcd_clear(q);
	if (host->alloc(host->priv, 4096, &q->iq) || host->alloc(host->priv, 4096, &q->scratch)) {
		free(q);
		snprintf(err, errlen, "qemu-vtd: no host RAM for the invalidation queue");
		return -ENOMEM;
	}
	wr64(R_IQT, 0);
	wr64(R_IQA, q->iq | IQA_DW);	/* QS 0 */
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
	wr64(R_RTADDR, base);
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
static void frcd_drain(struct qvtd *q, int keep)
{
	uint32_t i, fsts = rd32(R_FSTS);
	uint64_t lo, hi;
	struct xm_event *ev;

	if (fsts & FSTS_PFO) {
		q->st.events_lost++;
		wr32(R_FSTS, FSTS_PFO);
	}
	for (i = 0; i < q->nfr; i++) {
		hi = rd64(q->frcd + 16 * i + 8);
		if (!(hi & XI_BIT(VTD_FRCD_F)))
			continue;
		lo = rd64(q->frcd + 16 * i);
		if (keep && q->soft_n < SOFT_MAX) {
			ev = &q->soft[(q->soft_head + q->soft_n++) % SOFT_MAX];
			memset(ev, 0, sizeof(*ev));
			ev->kind = VTD_EVT_FAULT;
			ev->nwords = 3;
			ev->w[0] = lo;
			ev->w[1] = hi;
			ev->w[2] = lo & VTD_FRCD_FI_MASK;	/* the register keeps only the page */
			q->st.events++;
		}
		wr32(q->frcd + 16 * i + 12, 1u << 31);
	}
}

/* One edu transfer between its buffer and @iova; waits for the end. */
static int edu_xfer(uint64_t iova, uint32_t len, int to_pci)
{
	volatile uint64_t *r = (volatile uint64_t *)g.edu;
	uint64_t t0 = xr_now_ns();

	r[EDU_SRC / 8] = to_pci ? XV_EDU_BUF : iova;
	r[EDU_DST / 8] = to_pci ? iova : XV_EDU_BUF;
	r[EDU_CNT / 8] = len;
	__sync_synchronize();
	r[EDU_CMD / 8] = EDU_RUN | (to_pci ? EDU_TO_PCI : 0);
	__sync_synchronize();
	while (r[EDU_CMD / 8] & EDU_RUN) {
		if (xr_now_ns() - t0 > 3000000000ull)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

static void win_copy(struct qvtd *q, uint8_t *buf, uint32_t len, int to_win)
{
	uint32_t i, w;
	volatile uint32_t *p;

	for (i = 0; i < len; i += 4) {
		p = q->host.map(q->host.priv, q->win_pa + i, 4);
		if (to_win) {
			memcpy(&w, buf + i, 4);
			*p = w;
		} else {
			w = *p;
			memcpy(buf + i, &w, 4);
		}
	}
}

static int all_zero(const uint8_t *b, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

/*
 * The test port: the edu device at 00:04.0, reads and writes of a multiple
 * of 4 bytes up to XV_EDU_MAX, no PASID, privilege or execute (edu sends
 * none). A write first loads the edu buffer from the window; a read is
 * written back to the window. Window records are dropped; the target's
 * records decide the status: FAULT when it recorded one, else ABORT for a
 * read that brought back only zeros, else OK. The output address is not
 * observable here: @pa stays 0.
 */
static int q_dma(void *hw, struct xm_dma *req)
{
	struct qvtd *q = hw;
	uint32_t before, len = (uint32_t)req->len;
	uint8_t zero[XV_EDU_MAX];
	int ret;

	if (req->sid != XV_EDU_SID || req->flags || !req->len || req->len > XV_EDU_MAX ||
	    (req->len & 3) || (req->op != XIOMMU_DMA_READ && req->op != XIOMMU_DMA_WRITE) ||
	    !q->win_iova)
		return -EOPNOTSUPP;
	req->pa = 0;
	req->perm = 0;
	req->done = 0;
	frcd_drain(q, 1);
	before = q->soft_n;
	if (req->op == XIOMMU_DMA_WRITE) {
		win_copy(q, req->buf, len, 1);
		ret = edu_xfer(q->win_iova, len, 0);
		frcd_drain(q, 0);
		if (!ret)
			ret = edu_xfer(req->iova, len, 1);
		if (ret)
			return ret;
		frcd_drain(q, 1);
		req->status = q->soft_n > before ? XIOMMU_DMA_FAULT : XIOMMU_DMA_OK;
	} else {
		ret = edu_xfer(req->iova, len, 0);
		if (ret)
			return ret;
		frcd_drain(q, 1);
		memset(zero, 0, sizeof(zero));
		win_copy(q, zero, len, 1);	/* a write-back that fails leaves zeros */
		ret = edu_xfer(q->win_iova, len, 1);
		frcd_drain(q, 0);
		if (ret)
			return ret;
		win_copy(q, req->buf, len, 0);
		req->status = q->soft_n > before ? XIOMMU_DMA_FAULT :
			      all_zero(req->buf, len) ? XIOMMU_DMA_ABORT : XIOMMU_DMA_OK;
	}
	if (req->status == XIOMMU_DMA_OK)
		req->done = len;
	return 0;
}

static int q_event_pop(void *hw, struct xm_event *ev)
{
	struct qvtd *q = hw;

	if (!q->soft_n)
		frcd_drain(q, 1);
	if (!q->soft_n)
		return -ENOENT;
	*ev = q->soft[q->soft_head];
	q->soft_head = (q->soft_head + 1) % SOFT_MAX;
	q->soft_n--;
	return 0;
}

static int q_msi_pop(void *hw, uint64_t *rec)
{
	(void)hw;
	(void)rec;
	return -ENOENT;	/* interrupts masked, no interrupt remapping */
}

static void q_stats(void *hw, struct xm_stats *st)
{
	*st = ((struct qvtd *)hw)->st;
}

void xv_qemu_window(void *hw, uint64_t iova, uint64_t pa)
{
	struct qvtd *q = hw;

	q->win_iova = iova;
	q->win_pa = pa;
}

const struct xm_hw_ops xv_qemu_hw = {
	.vendor = "vtd",
	.params_size = sizeof(struct xiommu_vtd_params),
	.cmd_words = VTD_QI_WORDS,
	.create = q_create,
	.destroy = q_destroy,
	.regs = q_regs,
	.set_root = q_set_root,
	.submit = q_submit,
	.dev_caps = q_dev_caps,
	.dma = q_dma,
	.event_pop = q_event_pop,
	.msi_pop = q_msi_pop,
	.stats = q_stats,
};
