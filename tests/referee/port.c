// SPDX-License-Identifier: MIT
/*
 * The test port of a QEMU unit: see port.h. The edu device's DMA engine
 * (QEMU's hw/misc/edu.c) copies between its buffer and a bus address
 * through the IOMMU; one transfer loads or stores a DMA's bytes, and a
 * second one moves them through the window.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include "devmem.h"
#include "port.h"

/* edu BAR0 */
#define EDU_SRC		0x80
#define EDU_DST		0x88
#define EDU_CNT		0x90
#define EDU_CMD		0x98
#define EDU_RUN		1u
#define EDU_TO_PCI	2u

#define P(hw) ((struct xr_port *)(hw))

int xr_port_new(void **unit, size_t size, const struct xr_port_kind *kind, uint32_t params_size,
		const struct xm_host *host, char *err, uint32_t errlen)
{
	struct xr_port *p;

	*unit = NULL;
	if (params_size != kind->params_size || !xr_devmem.regs) {
		snprintf(err, errlen, "%s: not opened or bad parameter block", kind->who);
		return -EINVAL;
	}
	p = calloc(1, size);
	if (!p)
		return -ENOMEM;
	p->kind = kind;
	p->host = *host;
	*unit = p;
	return 0;
}

volatile uint64_t *xr_port_ram64(struct xr_port *p, uint64_t pa)
{
	return p->host.map(p->host.priv, pa, 8);
}

struct xm_event *xr_port_keep(struct xr_port *p)
{
	struct xm_event *ev;

	if (p->soft_n >= XR_SOFT_MAX)
		return NULL;
	ev = &p->soft[(p->soft_head + p->soft_n++) % XR_SOFT_MAX];
	memset(ev, 0, sizeof(*ev));
	p->st.events++;
	return ev;
}

/* One edu transfer between its buffer and @iova; waits for the end. */
static int edu_xfer(uint64_t iova, uint32_t len, int to_pci)
{
	volatile uint64_t *r = (volatile uint64_t *)xr_devmem.edu;
	uint64_t t0 = xr_now_ns();

	r[EDU_SRC / 8] = to_pci ? XR_EDU_BUF : iova;
	r[EDU_DST / 8] = to_pci ? iova : XR_EDU_BUF;
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

/* The window's bytes from @buf (@to_win) or into it, or zeros (@buf NULL). */
static void win_copy(struct xr_port *p, uint8_t *buf, uint32_t len, int to_win)
{
	uint32_t i, w = 0;
	volatile uint32_t *v;

	for (i = 0; i < len; i += 4) {
		v = p->host.map(p->host.priv, p->win_pa + i, 4);
		if (to_win) {
			if (buf)
				memcpy(&w, buf + i, 4);
			*v = w;
		} else {
			w = *v;
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
 * Reads and writes of a multiple of 4 bytes up to XR_EDU_MAX, no PASID,
 * privilege or execute (edu sends none). A write first loads the edu
 * buffer from the window; a read is written back to the window. Window
 * records are dropped; the target's records decide the status: FAULT when
 * it recorded one, else ABORT for a read that brought back only zeros, else
 * OK (a write's is only FAULT or not: edu cannot tell a silently aborted
 * write from one that landed). The output address is not observable here:
 * @pa stays 0.
 */
int xr_port_dma(void *hw, struct xm_dma *req)
{
	struct xr_port *p = hw;
	uint32_t before, len = (uint32_t)req->len;
	int ret;

	if (req->sid != p->kind->sid || req->flags || !req->len || req->len > XR_EDU_MAX ||
	    (req->len & 3) || (req->op != XIOMMU_DMA_READ && req->op != XIOMMU_DMA_WRITE) ||
	    !p->win_iova)
		return -EOPNOTSUPP;
	req->pa = 0;
	req->perm = 0;
	req->done = 0;
	p->kind->drain(p, 1);
	before = p->soft_n;
	if (req->op == XIOMMU_DMA_WRITE) {
		win_copy(p, req->buf, len, 1);
		ret = edu_xfer(p->win_iova, len, 0);
		p->kind->drain(p, 0);
		if (!ret)
			ret = edu_xfer(req->iova, len, 1);
		if (ret)
			return ret;
		p->kind->drain(p, 1);
		req->status = p->soft_n > before ? XIOMMU_DMA_FAULT : XIOMMU_DMA_OK;
	} else {
		ret = edu_xfer(req->iova, len, 0);
		if (ret)
			return ret;
		p->kind->drain(p, 1);
		win_copy(p, NULL, len, 1);	/* a write-back that fails leaves zeros */
		ret = edu_xfer(p->win_iova, len, 1);
		p->kind->drain(p, 0);
		if (ret)
			return ret;
		win_copy(p, req->buf, len, 0);
		req->status = p->soft_n > before ? XIOMMU_DMA_FAULT :
			      all_zero(req->buf, len) ? XIOMMU_DMA_ABORT : XIOMMU_DMA_OK;
	}
	if (req->status == XIOMMU_DMA_OK)
		req->done = len;
	return 0;
}

int xr_port_event_pop(void *hw, struct xm_event *ev)
{
	struct xr_port *p = hw;

	if (!p->soft_n)
		p->kind->drain(p, 1);
	if (!p->soft_n)
		return -ENOENT;
	*ev = p->soft[p->soft_head];
	p->soft_head = (p->soft_head + 1) % XR_SOFT_MAX;
	p->soft_n--;
	return 0;
}

/* SMMUv3: IDR0.MSI = 0; VT-d: interrupts masked, no interrupt remapping. */
int xr_port_msi_pop(void *hw, uint64_t *rec)
{
	(void)hw;
	(void)rec;
	return -ENOENT;
}

void xr_port_stats(void *hw, struct xm_stats *st)
{
	*st = P(hw)->st;
}

void xr_port_window(void *hw, uint64_t iova, uint64_t pa)
{
	P(hw)->win_iova = iova;
	P(hw)->win_pa = pa;
}
