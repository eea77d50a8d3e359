/* SPDX-License-Identifier: MIT */
/*
 * The VT-d referee: xiommu's VT-d host layer and plugin drive two units
 * with the same programs, QEMU's emulated VT-d through its MMIO registers
 * (hw_vtd.c) and the VT-d model, and the outcomes of the same DMAs are
 * compared (cases_vtd.c). Runs as a static program in a Linux guest of
 * qemu-system-x86_64 -machine q35 -device intel-iommu,x-scalable-mode=on
 * with QEMU's edu device, once per translation mode QEMU emulates:
 * second level only (PGTT = SL) and, with x-flts=on, first level only
 * (PGTT = FL). QEMU emulates no nesting (ECAP.NEST = 0).
 */
#ifndef XIOMMU_REFEREE_VTD_H
#define XIOMMU_REFEREE_VTD_H

#include <stddef.h>
#include <stdint.h>
#include "xm_hw.h"
#include "xh.h"
#include <xiommu/plugin.h>
#include <xiommu/arch/vtd.h>
#include "../../plugins/vtd/vtd_guest.h"

/* Guest physical layout of the boot (tests/referee/run): RAM above mem=256M is ours. */
#define XV_UNIT_BASE	0xfed90000ull
#define XV_UNIT_SIZE	0x1000u
#define XV_RAM_BASE	0x10000000ull
#define XV_RAM_SIZE	(128ull << 20)
#define XV_EDU_SID	0x20u		/* 00:04.0 */
#define XV_EDU_SYSFS	"/sys/bus/pci/devices/0000:00:04.0/"
#define XV_EDU_BUF	0x40000ull	/* the edu device's buffer in its DMA space */
#define XV_EDU_MAX	2048u		/* bytes of one DMA: QEMU 7.2's edu aborts on 4096 */

#define XV_GRAM_GPA	0x80000000ull	/* guest RAM: GPA (the second level's input) ... */
#define XV_GRAM_PA	(XV_RAM_BASE + (64ull << 20))	/* ... at this PA */
#define XV_GRAM_SIZE	(64ull << 20)
#define XV_WIN		0x80000000ull	/* window IOVA: the first guest page */
#define XV_DATA_GPA	0x80010000ull	/* data pages: 64 KiB apart */
#define XV_VDEV		1

/* Host RAM one unit allocates from: the same PAs on both units. */
struct xv_mem {
	uint8_t *ptr;		/* [XV_RAM_BASE, +XV_RAM_SIZE) */
	uint64_t next;
	struct xm_host host;
};

uint64_t xv_rd64(const struct xv_mem *m, uint64_t pa);
void xv_wr64(struct xv_mem *m, uint64_t pa, uint64_t v);
uint32_t xv_rd32(const struct xv_mem *m, uint64_t pa);
void xv_wr32(struct xv_mem *m, uint64_t pa, uint32_t v);

/* ---- QEMU's VT-d through /dev/mem (hw_vtd.c) ---- */

/* Map the unit, spare RAM and the edu device's BAR; enable the device. 0 or -errno. */
int xv_qemu_open(uint8_t **ram, uint64_t regs[2], char *err, uint32_t errlen);
extern const struct xm_hw_ops xv_qemu_hw;
/*
 * The edu device cannot show its buffer to the CPU: what a read DMA
 * fetched is written back through the unit to @iova, which every scenario
 * maps to @pa, and read there; a write DMA's data is loaded from there.
 */
void xv_qemu_window(void *hw, uint64_t iova, uint64_t pa);

/* ---- the model, under its own name in this program ---- */
extern const struct xm_hw_ops xm_vtd_model_hw;

/* ---- one unit under the host layer and the plugin (side_vtd.c) ---- */

struct xv_side {
	const char *name;
	const struct xm_hw_ops *hw_ops;
	struct xv_mem mem;
	struct xiommu_vtd_params p;
	void *h, *dom;
	struct xiommu_domain_desc desc;
	/* the plugin and what it is told */
	const struct xiommu_plugin_ops *plug;
	struct xiommu_hw_info caps;
	struct xiommu_plugin_env env;
	struct xiommu_plugin_viommu viommu;
	struct xiommu_plugin_vdev vdev;
	struct xiommu_bind bind;
	struct xiommu_op ops[256];
	struct xiommu_prog prog;
	char err[256];
	/* first-level tables: PAs in host RAM (first level alone has no second level) */
	struct vtd_guest_mem gm;
	/* the transcript every observation goes to */
	char *log;
	size_t loglen, logcap;
	int failed;
	char digest[40];		/* the DMAs in short, for the table */
};

extern const struct xh_unit_ops xh_vtd_ops;
/* The hardware the host layer drives: either unit, whichever xv_side_up chose (side_vtd.c). */
extern const struct xm_hw_ops xm_vtd_hw;
/* CAP and ECAP of QEMU's unit: what the plugin is told on both sides. */
extern uint64_t xv_qemu_regs[2];

int xv_side_up(struct xv_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       const struct xiommu_vtd_params *p);
void xv_side_down(struct xv_side *s);
void xv_log(struct xv_side *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The plugin's bind of the whole device (ABORT or BYPASS), run through the host layer. */
int xv_bind(struct xv_side *s, uint32_t config);
int xv_inv(struct xv_side *s, const struct xiommu_inv_entry *e, uint32_t n);
/*
 * A first-level-only PASID entry at the RID_PASID, written by hand (no
 * plugin or host program may write one: it would escape the second level),
 * with the PASID-cache and P_IOTLB invalidations its DID needs.
 */
int xv_pe_fl(struct xv_side *s, uint64_t flptr);
/*
 * One DMA of @len bytes at @iova; @cand lists the PAs it may land at / read
 * from. Logs which one (or none), the data class and every fault record;
 * returns the candidate, or -1.
 */
int xv_dma(struct xv_side *s, int write, uint64_t iova, uint32_t len, const uint64_t *cand,
	   unsigned int ncand);
/* What the specification requires: a miss fails the case on that unit. */
void xv_expect(struct xv_side *s, int got, int want, const char *why);
unsigned int xv_faults(struct xv_side *s);
extern uint32_t xv_seq;

/* ---- the cases (cases_vtd.c: second level and main; cases_vtd_fl.c: first level) ---- */

#define DLEN	4u	/* bytes per DMA */
#define OFF	0x40u	/* every DMA lands this far into its page */
#define K	"KNOWN_DIFFERENCES.md"

/* The candidates: 64 KiB apart in guest RAM, by PA and by GPA. */
static inline uint64_t cand_pa(unsigned int k)
{
	return XV_GRAM_PA + 0x10000ull * (k + 1);
}

static inline uint64_t cand_gpa(unsigned int k)
{
	return XV_DATA_GPA + 0x10000ull * k;
}

/* The four candidates' PAs, OFF into their pages. */
const uint64_t *cands(void);

struct xcase {
	const char *name;
	void (*run)(struct xv_side *s, const struct xcase *c);
	unsigned int lg;		/* leaf size of the case, log2 */
	unsigned int arg;
	const char *known;		/* a KNOWN_DIFFERENCES.md entry: kept out of the count */
	int legacy_fr;			/* compared with QEMU's FR 0x05 / 0x06 read as 0x85 / 0x86 */
};

extern const struct xcase xv_fl_cases[];
extern const unsigned int xv_nfl_cases;

#endif
