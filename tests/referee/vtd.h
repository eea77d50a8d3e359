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
#include "port.h"
#include "side_common.h"

/* Guest physical layout of the boot (tests/referee/run): RAM above mem=256M is ours. */
#define XV_UNIT_BASE	0xfed90000ull
#define XV_UNIT_SIZE	0x1000u
#define XV_RAM_BASE	0x10000000ull
#define XV_RAM_SIZE	(128ull << 20)
#define XV_EDU_SID	0x20u		/* 00:04.0 */
#define XV_EDU_SYSFS	"/sys/bus/pci/devices/0000:00:04.0/"

#define XV_GRAM_GPA	0x80000000ull	/* guest RAM: GPA (the second level's input) ... */
#define XV_GRAM_PA	(XV_RAM_BASE + (64ull << 20))	/* ... at this PA */
#define XV_GRAM_SIZE	(64ull << 20)
#define XV_WIN		0x80000000ull	/* window IOVA: the first guest page */
#define XV_DATA_GPA	0x80010000ull	/* data pages: 64 KiB apart */
#define XV_VDEV		1

/* ---- QEMU's VT-d through /dev/mem (hw_vtd.c) ---- */

/* Map the unit, spare RAM and the edu device's BAR; enable the device. 0 or -errno. */
int xv_qemu_open(uint8_t **ram, uint64_t regs[2], char *err, uint32_t errlen);

/* ---- the model, under its own name in this program ---- */
extern const struct xm_hw_ops xm_vtd_model_hw;

/* ---- one unit under the host layer and the plugin (side_vtd.c, side_common.h) ---- */

extern const struct xh_unit_ops xh_vtd_ops;
/* The hardware the host layer drives: either unit, whichever xv_side_up chose (side_vtd.c). */
extern const struct xm_hw_ops xm_vtd_hw;
/* CAP and ECAP of QEMU's unit: what the plugin is told on both sides. */
extern uint64_t xv_qemu_regs[2];

int xv_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       const struct xiommu_vtd_params *p);
/* The plugin's bind of the whole device (ABORT or BYPASS), run through the host layer. */
int xv_bind(struct xr_side *s, uint32_t config);
int xv_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n);
/*
 * A first-level-only PASID entry at the RID_PASID, written by hand (no
 * plugin or host program may write one: it would escape the second level),
 * with the PASID-cache and P_IOTLB invalidations its DID needs.
 */
int xv_pe_fl(struct xr_side *s, uint64_t flptr);

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
	void (*run)(struct xr_side *s, const struct xcase *c);
	unsigned int lg;		/* leaf size of the case, log2 */
	unsigned int arg;
	const char *known;		/* a KNOWN_DIFFERENCES.md entry: kept out of the count */
	int legacy_fr;			/* compared with QEMU's FR 0x05 / 0x06 read as 0x85 / 0x86 */
};

extern const struct xcase xv_fl_cases[];
extern const unsigned int xv_nfl_cases;

#endif
