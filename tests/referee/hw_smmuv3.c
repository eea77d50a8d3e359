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
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <xiommu/xiommu.h>
#include <xiommu/diag.h>
#include <xiommu/arch/smmuv3.h>
#include "referee.h"
#include "devmem.h"
#include "port.h"

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
struct qsmmu {
	struct xr_port port;	/* first: the test port's ops take the unit */
	uint32_t idr[8];
	uint64_t cmdq, evtq;
	uint32_t cmd_prod, cmd_log2, evt_log2;
};

static void evtq_drain(struct xr_port *p, int keep);

static const struct xr_port_kind kind = {
	.who = "qemu-smmuv3", .params_size = sizeof(struct xiommu_smmuv3_params),
	.sid = XR_EDU_SID, .drain = evtq_drain,
};

#define EDU_SYSFS "/sys/bus/pci/devices/0000:00:01.0/"

int xr_qemu_open(uint8_t **ram, char *err, uint32_t errlen)
{
	int ret = xr_devmem_open("the SMMU", XR_SMMU_BASE, XR_SMMU_SIZE, XR_RAM_BASE, XR_RAM_SIZE,
				 EDU_SYSFS, err, errlen);

	if (ret)
		return ret;
	*ram = xr_devmem.ram;
	return 0;
}

static int cr0_set(uint32_t v)
{
	xr_reg_wr32(R_CR0, v);
	return xr_reg_wait32(R_CR0ACK, ~0u, v);
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
		e = xr_port_ram64(&q->port, q->cmdq + 16ull * qidx(i, q->cmd_log2));
		e[0] = SMMUV3_OP_CMD_SYNC;
		e[1] = 0;
		i = (i + 1) & ((2u << q->cmd_log2) - 1);
	}
	__sync_synchronize();
	/* acknowledge CMDQ_ERR: the queue restarts; QEMU consumes on a PROD write only */
	xr_reg_wr32(R_GERRORN, xr_reg_rd32(R_GERROR));
	xr_reg_wr32(R_CMDQ_PROD, q->cmd_prod);
}

/* Wait until CONS reaches PROD, or the unit stops with CMDQ_CONS.ERR. */
static int cmdq_wait(struct qsmmu *q, uint32_t *cons_out)
{
	uint64_t t0 = xr_now_ns();
	uint32_t cons;

	for (;;) {
		cons = xr_reg_rd32(R_CMDQ_CONS);
		if ((xr_reg_rd32(R_GERROR) ^ xr_reg_rd32(R_GERRORN)) & GERROR_CMDQ) {
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
			e = xr_port_ram64(&q->port,
					  q->cmdq + 16ull * qidx(q->cmd_prod, q->cmd_log2));
			e[0] = cmds[i + j][0];
			e[1] = cmds[i + j][1];
			q->cmd_prod = (q->cmd_prod + 1) & mask;
		}
		__sync_synchronize();
		xr_reg_wr32(R_CMDQ_PROD, q->cmd_prod);
		ret = cmdq_wait(q, &cons);
		if (ret == -EINVAL) {
			uint32_t bad = ((cons & mask) - first) & mask;

			q->port.st.queue_errors++;
			*done = i + bad;
			cmdq_skip(q, cons);
			cmdq_wait(q, &cons);
			return -EINVAL;
		}
		if (ret) {
			fprintf(stderr, "referee: CMDQ stuck (CONS 0x%x PROD 0x%x)\n",
				xr_reg_rd32(R_CMDQ_CONS), q->cmd_prod);
			return ret;
		}
		for (j = 0; j < chunk; j++) {
			uint32_t op = (uint32_t)(cmds[i + j][0] & 0xff);

			q->port.st.commands++;
			if (op == SMMUV3_OP_CMD_SYNC)
				q->port.st.syncs++;
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
	void *u;
	int ret = xr_port_new(&u, sizeof(*q), &kind, size, host, err, errlen);

	(void)params;
	*hw = NULL;
	if (ret)
		return ret;
	q = u;
	for (i = 0; i < 6; i++)
		q->idr[i] = xr_reg_rd32(R_IDR0 + 4 * i);
	q->idr[6] = xr_reg_rd32(0x18);
	q->idr[7] = xr_reg_rd32(0x1c);
	cmdqs = (uint32_t)SMMUV3_RGET(q->idr[1], SMMUV3_IDR1_CMDQS);
	evtqs = (uint32_t)SMMUV3_RGET(q->idr[1], SMMUV3_IDR1_EVENTQS);
	q->cmd_log2 = cmdqs < CMDQ_LOG2 ? cmdqs : CMDQ_LOG2;
	q->evt_log2 = evtqs < EVTQ_LOG2 ? evtqs : EVTQ_LOG2;
	/* reset: everything off, then the queues */
	if (cr0_set(0))
		goto timeout;
	xr_reg_wr32(R_IRQ_CTRL, 0);
	xr_reg_wr32(R_GERRORN, xr_reg_rd32(R_GERROR));
	xr_reg_wr32(R_GBPA, GBPA_UPDATE | GBPA_ABORT);	/* no bypass while the unit is off */
	/* tables and queues: inner shareable, write-back */
	xr_reg_wr32(R_CR1, (3u << 10) | (1u << 8) | (1u << 6) | (3u << 4) | (1u << 2) | 1u);
	xr_reg_wr32(R_CR2, 0);
	if (host->alloc(host->priv, 16ull << q->cmd_log2 < 4096 ? 4096 : 16ull << q->cmd_log2,
			&q->cmdq) ||
	    host->alloc(host->priv, 32ull << q->evt_log2 < 4096 ? 4096 : 32ull << q->evt_log2,
			&q->evtq)) {
		free(q);
		snprintf(err, errlen, "qemu-smmuv3: no host RAM for the queues");
		return -ENOMEM;
	}
	xr_reg_wr64(R_CMDQ_BASE, Q_RA | (q->cmdq & XI_GENMASK(51, 5)) | q->cmd_log2);
	xr_reg_wr32(R_CMDQ_PROD, 0);
	xr_reg_wr32(R_CMDQ_CONS, 0);
	xr_reg_wr64(R_EVTQ_BASE, Q_RA | (q->evtq & XI_GENMASK(51, 5)) | q->evt_log2);
	xr_reg_wr32(R_EVTQ_PROD, 0);
	xr_reg_wr32(R_EVTQ_CONS, 0);
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
	memset(&q->port.st, 0, sizeof(q->port.st));
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
	xr_reg_wr64(R_STRTAB_BASE, Q_RA | base);
	xr_reg_wr32(R_STRTAB_CFG, (uint32_t)cfg);
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
static void evtq_drain(struct xr_port *p, int keep)
{
	struct qsmmu *q = (struct qsmmu *)p;
	uint32_t prod = xr_reg_rd32(R_EVTQ_PROD), cons = xr_reg_rd32(R_EVTQ_CONS), k;
	uint32_t mask = (2u << q->evt_log2) - 1;
	volatile uint64_t *e;
	struct xm_event *ev;

	if (prod & Q_OVF)
		p->st.events_lost++;
	while ((cons & mask) != (prod & mask)) {
		e = xr_port_ram64(&q->port, q->evtq + 32ull * qidx(cons, q->evt_log2));
		if (keep && (ev = xr_port_keep(p)) != NULL) {
			ev->kind = SMMUV3_EVK_EVTQ;
			ev->nwords = 4;
			for (k = 0; k < 4; k++)
				ev->w[k] = e[k];
		}
		cons = (cons + 1) & mask;
	}
	/* OVACKFLG follows OVFLG */
	xr_reg_wr32(R_EVTQ_CONS, (cons & mask) | (prod & Q_OVF));
}

/* IDR0.MSI = 0: no MSIs (xr_port_msi_pop) */
const struct xm_hw_ops xr_qemu_hw = XR_PORT_OPS("smmuv3", sizeof(struct xiommu_smmuv3_params),
						SMMUV3_CMD_DWORDS, q_create, q_destroy, q_regs,
						q_set_root, q_submit, q_dev_caps);
