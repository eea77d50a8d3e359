// SPDX-License-Identifier: MIT
/*
 * struct xm_hw_ops for a real SMMUv3 reached through its MMIO registers:
 * QEMU's emulated unit of -machine virt,iommu=smmuv3, with the edu PCI
 * device (stream 0x8) as the test port's device. Host memory is spare
 * guest RAM mapped from /dev/mem; both are Device memory there, so every
 * access is an aligned volatile 32- or 64-bit one.
 *
 * It lives with the referee, not under kernel/: it knows the edu device,
 * /dev/mem and the boot's memory layout, none of which a kernel driver has.
 *
 * Register offsets and fields are the SMMUv3 architecture's (IHI 0070).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include <xiommu/diag.h>
#include <xiommu/arch/smmuv3.h>
#include "referee.h"
#include "devmem.h"

#define R_IDR0		0x00
#define R_CR0		0x20
#define R_CR0ACK	0x24
#define R_CR1		0x28
#define R_CR2		0x2c
#define R_GBPA		0x44
#define R_IRQ_CTRL	0x50
#define R_IRQ_CTRLACK	0x54
#define R_GERROR	0x60
#define R_GERRORN	0x64
#define R_STRTAB_BASE	0x80
#define R_STRTAB_CFG	0x88
#define R_CMDQ_BASE	0x90
#define R_CMDQ_PROD	0x98
#define R_CMDQ_CONS	0x9c
#define R_EVTQ_BASE	0xa0
#define R_EVTQ_PROD	0x100a8		/* page 1 */
#define R_EVTQ_CONS	0x100ac

#define CR0_SMMUEN	(1u << 0)
#define CR0_EVTQEN	(1u << 2)
#define CR0_CMDQEN	(1u << 3)
#define GBPA_UPDATE	(1u << 31)
#define GBPA_ABORT	(1u << 20)
#define GERROR_CMDQ	(1u << 0)
#define Q_RA		(1ull << 62)	/* read-allocate hint of CMDQ_BASE / EVTQ_BASE */
#define CONS_ERR(v)	(((v) >> 24) & 0x7f)
#define Q_OVF		(1u << 31)

#define CMDQ_LOG2	8
#define EVTQ_LOG2	7
#define EVQ_SOFT	64

/* edu BAR0 */
#define EDU_SRC		0x80
#define EDU_DST		0x88
#define EDU_CNT		0x90
#define EDU_CMD		0x98
#define EDU_RUN		1u
#define EDU_TO_PCI	2u

struct qemu_glob {
	volatile uint8_t *regs, *edu;
	uint8_t *ram;
	int fd;
};
static struct qemu_glob g = { .fd = -1 };

struct qsmmu {
	struct xm_host host;
	uint32_t idr[8];
	uint64_t cmdq, evtq;
	uint32_t cmd_prod, cmd_log2, evt_log2;
	uint64_t win_iova, win_pa;
	struct xm_event soft[EVQ_SOFT];	/* target events drained during a DMA */
	uint32_t soft_head, soft_n;
	struct xm_stats st;
};

static uint32_t rd32(uint32_t off)
{
	return *(volatile uint32_t *)(g.regs + off);
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

/* Host RAM of the unit's queues: what the host callbacks map. */
static volatile uint64_t *ram64(struct qsmmu *q, uint64_t pa)
{
	return q->host.map(q->host.priv, pa, 8);
}

#define EDU_SYSFS "/sys/bus/pci/devices/0000:00:01.0/"

int xr_qemu_open(uint8_t **ram, char *err, uint32_t errlen)
{
	struct xr_devmem m = { .fd = -1 };
	int ret = xr_devmem_open(&m, "the SMMU", XR_SMMU_BASE, XR_SMMU_SIZE, XR_RAM_BASE,
				 XR_RAM_SIZE, EDU_SYSFS, err, errlen);

	g.fd = m.fd;
	g.regs = m.regs;
	g.ram = m.ram;
	g.edu = m.edu;
	if (ret)
		return ret;
	*ram = m.ram;
	return 0;
}

static int cr0_set(uint32_t v)
{
	uint64_t t0 = xr_now_ns();

	wr32(R_CR0, v);
	while (rd32(R_CR0ACK) != v)
		if (xr_now_ns() - t0 > 100000000ull)
			return -ETIMEDOUT;
	return 0;
}

static void q_destroy(void *hw)
{
	struct qsmmu *q = hw;

	if (!q)
		return;
	cr0_set(0);	/* disabled: the next unit starts from reset state */
	free(q);
}

static uint32_t q_regs(void *hw, void *buf, uint32_t len)
{
	struct qsmmu *q = hw;

	memcpy(buf, q->idr, len < SMMUV3_REGS_LEN ? len : SMMUV3_REGS_LEN);
	return SMMUV3_REGS_LEN;
}

static uint32_t qidx(uint32_t v, uint32_t log2)
{
	return v & ((1u << log2) - 1);
}

/* Skip the entries from the one that failed up to PROD: each becomes a CMD_SYNC. */
static void cmdq_skip(struct qsmmu *q, uint32_t cons)
{
	uint32_t i = cons & ((2u << q->cmd_log2) - 1);
	volatile uint64_t *e;

	while (i != q->cmd_prod) {
		e = ram64(q, q->cmdq + 16ull * qidx(i, q->cmd_log2));
		e[0] = SMMUV3_OP_CMD_SYNC;
		e[1] = 0;
		i = (i + 1) & ((2u << q->cmd_log2) - 1);
	}
	__sync_synchronize();
	wr32(R_GERRORN, rd32(R_GERROR));	/* acknowledge CMDQ_ERR: the queue restarts */
	wr32(R_CMDQ_PROD, q->cmd_prod);		/* QEMU consumes on a PROD write only */
}

/* Wait until CONS reaches PROD, or the unit stops with CMDQ_CONS.ERR. */
static int cmdq_wait(struct qsmmu *q, uint32_t *cons_out)
{
	uint64_t t0 = xr_now_ns();
	uint32_t cons;

	for (;;) {
		cons = rd32(R_CMDQ_CONS);
		if ((rd32(R_GERROR) ^ rd32(R_GERRORN)) & GERROR_CMDQ) {
			*cons_out = cons;
			return -EINVAL;
		}
		if ((cons & ((2u << q->cmd_log2) - 1)) == q->cmd_prod)
			return 0;
		if (xr_now_ns() - t0 > 1000000000ull)
			return -ETIMEDOUT;
	}
}

static int q_submit(void *hw, const uint64_t (*cmds)[XM_CMD_WORDS], uint32_t n, uint32_t *done)
{
	struct qsmmu *q = hw;
	uint32_t i = 0, chunk, j, cons, mask = (2u << q->cmd_log2) - 1, first;
	volatile uint64_t *e;
	int ret;

	*done = 0;
	while (i < n) {
		/* the queue is empty between batches: up to its size in one go */
		chunk = n - i;
		if (chunk > (1u << q->cmd_log2))
			chunk = 1u << q->cmd_log2;
		first = q->cmd_prod;
		for (j = 0; j < chunk; j++) {
			e = ram64(q, q->cmdq + 16ull * qidx(q->cmd_prod, q->cmd_log2));
			e[0] = cmds[i + j][0];
			e[1] = cmds[i + j][1];
			q->cmd_prod = (q->cmd_prod + 1) & mask;
		}
		__sync_synchronize();
		wr32(R_CMDQ_PROD, q->cmd_prod);
		ret = cmdq_wait(q, &cons);
		if (ret == -EINVAL) {
			uint32_t bad = ((cons & mask) - first) & mask;

			q->st.queue_errors++;
			*done = i + bad;
			cmdq_skip(q, cons);
			cmdq_wait(q, &cons);
			return -EINVAL;
		}
		if (ret) {
			fprintf(stderr, "referee: CMDQ stuck (CONS 0x%x PROD 0x%x)\n",
				rd32(R_CMDQ_CONS), q->cmd_prod);
			return ret;
		}
		for (j = 0; j < chunk; j++) {
			uint32_t op = (uint32_t)(cmds[i + j][0] & 0xff);

			q->st.commands++;
			if (op == SMMUV3_OP_CMD_SYNC)
				q->st.syncs++;
		}
		i += chunk;
		*done = i;
	}
	return 0;
}

static int q_create(const void *params, uint32_t size, const struct xm_host *host, void **hw,
		    char *err, uint32_t errlen)
{
	struct qsmmu *q;
	uint32_t i, cmdqs, evtqs;
	uint64_t c[3][XM_CMD_WORDS] = { { 0 } };
	uint32_t done;

	(void)params;
	*hw = NULL;
	if (size != sizeof(struct xiommu_smmuv3_params) || !g.regs) {
		snprintf(err, errlen, "qemu-smmuv3: not opened or bad parameter block");
		return -EINVAL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->host = *host;
	for (i = 0; i < 6; i++)
		q->idr[i] = rd32(R_IDR0 + 4 * i);
	q->idr[6] = rd32(0x18);
	q->idr[7] = rd32(0x1c);
	cmdqs = (uint32_t)SMMUV3_RGET(q->idr[1], SMMUV3_IDR1_CMDQS);
	evtqs = (uint32_t)SMMUV3_RGET(q->idr[1], SMMUV3_IDR1_EVENTQS);
	q->cmd_log2 = cmdqs < CMDQ_LOG2 ? cmdqs : CMDQ_LOG2;
	q->evt_log2 = evtqs < EVTQ_LOG2 ? evtqs : EVTQ_LOG2;
	/* reset: everything off, then the queues */
	if (cr0_set(0))
		goto timeout;
	wr32(R_IRQ_CTRL, 0);
	wr32(R_GERRORN, rd32(R_GERROR));
	wr32(R_GBPA, GBPA_UPDATE | GBPA_ABORT);	/* no bypass while the unit is off */
	/* tables and queues: inner shareable, write-back */
	wr32(R_CR1, (3u << 10) | (1u << 8) | (1u << 6) | (3u << 4) | (1u << 2) | 1u);
	wr32(R_CR2, 0);
	if (host->alloc(host->priv, 16ull << q->cmd_log2 < 4096 ? 4096 : 16ull << q->cmd_log2,
			&q->cmdq) ||
	    host->alloc(host->priv, 32ull << q->evt_log2 < 4096 ? 4096 : 32ull << q->evt_log2,
			&q->evtq)) {
		free(q);
		snprintf(err, errlen, "qemu-smmuv3: no host RAM for the queues");
		return -ENOMEM;
	}
	wr64(R_CMDQ_BASE, Q_RA | (q->cmdq & XI_GENMASK(51, 5)) | q->cmd_log2);
	wr32(R_CMDQ_PROD, 0);
	wr32(R_CMDQ_CONS, 0);
	wr64(R_EVTQ_BASE, Q_RA | (q->evtq & XI_GENMASK(51, 5)) | q->evt_log2);
	wr32(R_EVTQ_PROD, 0);
	wr32(R_EVTQ_CONS, 0);
	q->cmd_prod = 0;
	if (cr0_set(CR0_CMDQEN) || cr0_set(CR0_CMDQEN | CR0_EVTQEN))
		goto timeout;
	/* as a driver does at reset: nothing cached survives from before */
	c[0][0] = SMMUV3_OP_CFGI_STE_RANGE;	/* Range 31: CFGI_ALL */
	c[0][1] = 31;	/* Range: every StreamID */
	c[1][0] = SMMUV3_OP_TLBI_NSNH_ALL;
	smmuv3_cmd_sync(c[2]);
	if (q_submit(q, (const uint64_t (*)[XM_CMD_WORDS])c, 3, &done)) {
		snprintf(err, errlen, "qemu-smmuv3: the reset invalidations failed at %u", done);
		cr0_set(0);
		free(q);
		return -EIO;
	}
	memset(&q->st, 0, sizeof(q->st));
	*hw = q;
	return 0;
timeout:
	snprintf(err, errlen, "qemu-smmuv3: CR0ACK did not follow CR0");
	free(q);
	return -ETIMEDOUT;
}

/* STRTAB_BASE / _CFG are written with SMMUEN clear, then the unit is enabled. */
static int q_set_root(void *hw, uint64_t base, uint64_t cfg)
{
	struct qsmmu *q = hw;
	uint32_t en = CR0_CMDQEN | CR0_EVTQEN, done;
	uint64_t c[2][XM_CMD_WORDS] = { { 0 } };

	if ((base & ~SMMUV3_STRTAB_BASE_ADDR_MASK) || (cfg & ~SMMUV3_STRTAB_CFG_MASK))
		return -EINVAL;
	if (cr0_set(en))
		return -ETIMEDOUT;
	wr64(R_STRTAB_BASE, Q_RA | base);
	wr32(R_STRTAB_CFG, (uint32_t)cfg);
	c[0][0] = SMMUV3_OP_CFGI_STE_RANGE;	/* Range 31: CFGI_ALL */
	c[0][1] = 31;
	smmuv3_cmd_sync(c[1]);
	if (q_submit(q, (const uint64_t (*)[XM_CMD_WORDS])c, 2, &done))
		return -EIO;
	return cr0_set(en | CR0_SMMUEN) ? -ETIMEDOUT : 0;
}

static int q_dev_caps(void *hw, uint32_t sid, uint32_t enable)
{
	struct qsmmu *q = hw;

	if (sid >> SMMUV3_RGET(q->idr[1], SMMUV3_IDR1_SIDSIZE))
		return -ERANGE;
	/* edu has no ATS or PRI capability, and QEMU's unit no ATS */
	return enable ? -EOPNOTSUPP : 0;
}

/* Move the events the unit queued into the soft queue (@keep) or drop them. */
static uint32_t evtq_drain(struct qsmmu *q, int keep)
{
	uint32_t prod = rd32(R_EVTQ_PROD), cons = rd32(R_EVTQ_CONS), n = 0, k;
	uint32_t mask = (2u << q->evt_log2) - 1;
	volatile uint64_t *e;
	struct xm_event *ev;

	if (prod & Q_OVF)
		q->st.events_lost++;
	while ((cons & mask) != (prod & mask)) {
		e = ram64(q, q->evtq + 32ull * qidx(cons, q->evt_log2));
		if (keep && q->soft_n < EVQ_SOFT) {
			ev = &q->soft[(q->soft_head + q->soft_n++) % EVQ_SOFT];
			ev->kind = SMMUV3_EVK_EVTQ;
			ev->nwords = 4;
			for (k = 0; k < 4; k++)
				ev->w[k] = e[k];
			q->st.events++;
		}
		cons = (cons + 1) & mask;
		n++;
	}
	/* OVACKFLG follows OVFLG */
	wr32(R_EVTQ_CONS, (cons & mask) | (prod & Q_OVF));
	return n;
}

/* One edu transfer between its buffer (at @off) and @iova; waits for the end. */
static int edu_xfer(uint64_t iova, uint32_t off, uint32_t len, int to_pci)
{
	volatile uint64_t *r = (volatile uint64_t *)g.edu;
	uint64_t t0 = xr_now_ns();

	r[EDU_SRC / 8] = to_pci ? XR_EDU_BUF + off : iova;
	r[EDU_DST / 8] = to_pci ? iova : XR_EDU_BUF + off;
	r[EDU_CNT / 8] = len;
	__sync_synchronize();
	r[EDU_CMD / 8] = EDU_RUN | (to_pci ? EDU_TO_PCI : 0);
	__sync_synchronize();
	while (r[EDU_CMD / 8] & EDU_RUN) {
		if (xr_now_ns() - t0 > 3000000000ull)
			return -ETIMEDOUT;
		usleep(2000);
	}
	return 0;
}

static void win_copy(struct qsmmu *q, const uint8_t *src, uint8_t *dst, uint32_t len, int to_win)
{
	uint32_t i, w;
	volatile uint32_t *p;

	for (i = 0; i < len; i += 4) {
		p = q->host.map(q->host.priv, q->win_pa + i, 4);
		if (to_win) {
			memcpy(&w, src + i, 4);
			*p = w;
		} else {
			w = *p;
			memcpy(dst + i, &w, 4);
		}
	}
}

static void win_zero(struct qsmmu *q, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i += 4)
		*(volatile uint32_t *)q->host.map(q->host.priv, q->win_pa + i, 4) = 0;
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
 * The test port: the edu device at stream 0x8, reads and writes of a
 * multiple of 4 bytes up to XR_EDU_MAX, no PASID, privilege or fetch.
 * A write first loads the edu buffer from the window; a read is written
 * back to the window. Window events are dropped (counted apart); the
 * target's events decide the status: FAULT when it recorded one, else
 * ABORT for a read that brought back only zeros, else OK. The output
 * address is not observable here: @pa stays 0.
 */
static int q_dma(void *hw, struct xm_dma *req)
{
	struct qsmmu *q = hw;
	uint32_t before;
	int ret;

	if (req->sid != XR_EDU_SID || req->flags || !req->len || req->len > XR_EDU_MAX ||
	    (req->len & 3) || (req->op != XIOMMU_DMA_READ && req->op != XIOMMU_DMA_WRITE) ||
	    !q->win_iova)
		return -EOPNOTSUPP;
	req->pa = 0;
	req->perm = 0;
	req->done = 0;
	evtq_drain(q, 1);
	before = q->soft_n;
	if (req->op == XIOMMU_DMA_WRITE) {
		win_copy(q, req->buf, NULL, (uint32_t)req->len, 1);
		ret = edu_xfer(q->win_iova, 0, (uint32_t)req->len, 0);
		if (!ret) {
			evtq_drain(q, 0);
			ret = edu_xfer(req->iova, 0, (uint32_t)req->len, 1);
		}
		if (ret)
			return ret;
		evtq_drain(q, 1);
		req->status = q->soft_n > before ? XIOMMU_DMA_FAULT : XIOMMU_DMA_OK;
	} else {
		ret = edu_xfer(req->iova, 0, (uint32_t)req->len, 0);
		if (ret)
			return ret;
		evtq_drain(q, 1);
		win_zero(q, (uint32_t)req->len);	/* a write-back that fails leaves zeros */
		ret = edu_xfer(q->win_iova, 0, (uint32_t)req->len, 1);
		if (ret)
			return ret;
		evtq_drain(q, 0);
		win_copy(q, NULL, req->buf, (uint32_t)req->len, 0);
		req->status = q->soft_n > before ? XIOMMU_DMA_FAULT :
			      all_zero(req->buf, (uint32_t)req->len) ? XIOMMU_DMA_ABORT : XIOMMU_DMA_OK;
	}
	if (req->status == XIOMMU_DMA_OK)
		req->done = (uint32_t)req->len;
	return 0;
}

static int q_event_pop(void *hw, struct xm_event *ev)
{
	struct qsmmu *q = hw;

	if (!q->soft_n)
		evtq_drain(q, 1);
	if (!q->soft_n)
		return -ENOENT;
	*ev = q->soft[q->soft_head];
	q->soft_head = (q->soft_head + 1) % EVQ_SOFT;
	q->soft_n--;
	return 0;
}

static int q_msi_pop(void *hw, uint64_t *rec)
{
	(void)hw;
	(void)rec;
	return -ENOENT;	/* IDR0.MSI = 0: no MSIs */
}

static void q_stats(void *hw, struct xm_stats *st)
{
	*st = ((struct qsmmu *)hw)->st;
}

void xr_qemu_window(void *hw, uint64_t iova, uint64_t pa)
{
	struct qsmmu *q = hw;

	q->win_iova = iova;
	q->win_pa = pa;
}

const struct xm_hw_ops xr_qemu_hw = {
	.vendor = "smmuv3",
	.params_size = sizeof(struct xiommu_smmuv3_params),
	.cmd_words = SMMUV3_CMD_DWORDS,
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
