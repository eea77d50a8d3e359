/* SPDX-License-Identifier: MIT */
/*
 * The referee: xiommu's host layer and SMMUv3 plugin drive two units with
 * the same programs, QEMU's emulated SMMUv3 through its MMIO registers
 * (hw_smmuv3.c) and the SMMUv3 model, and the outcomes of the same DMAs are
 * compared. Runs as a static program in a Linux guest of
 * qemu-system-aarch64 -machine virt,iommu=smmuv3 with QEMU's edu device.
 */
#ifndef XIOMMU_REFEREE_H
#define XIOMMU_REFEREE_H

#include <stdint.h>
#include "xm_hw.h"
#include "xh.h"
#include "port.h"
#include "side_common.h"

/* Guest physical layout of the boot (tests/referee/run): RAM above mem=256M is ours. */
#define XR_SMMU_BASE	0x09050000ull
#define XR_SMMU_SIZE	0x20000u
#define XR_RAM_BASE	0x50000000ull
#define XR_RAM_SIZE	(128ull << 20)
#define XR_EDU_SID	0x8u

/* ---- QEMU's SMMUv3 through /dev/mem (hw_smmuv3.c) ---- */

/* Map the unit, spare RAM and the edu device's BAR; enable the device. 0 or -errno. */
int xr_qemu_open(uint8_t **ram, char *err, uint32_t errlen);

/* ---- the model, under its own name in this program ---- */
extern const struct xm_hw_ops xm_smmuv3_model_hw;

/* ---- one unit under the host layer and the plugin (side.c, side_common.h) ---- */

#define XR_GRAM_GPA	0x80000000ull	/* guest RAM: GPA ... */
#define XR_GRAM_PA	(XR_RAM_BASE + (64ull << 20))	/* ... at this PA */
#define XR_GRAM_SIZE	(64ull << 20)
#define XR_WIN		0x80000000ull	/* window IOVA (and GPA, first guest page) */
#define XR_DATA_GPA	0x80010000ull	/* data pages: 64 KiB apart */
#define XR_VDEV		1

extern const struct xh_unit_ops xh_smmuv3_ops;
/* The hardware the host layer drives: either unit, whichever xr_side_up chose (side.c). */
extern const struct xm_hw_ops xm_smmuv3_hw;

/* @params: s2_granule / s2_ias of the domain; both sides get the same. */
int xr_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       unsigned int s2_granule);
uint64_t xr_gpa2pa(const struct xr_side *s, uint64_t gpa);
uint64_t xr_galloc(struct xr_side *s, uint64_t size);
/* Run the plugin's program: whole, or in pieces ending at each SYNC with @between after each. */
int xr_run_prog(struct xr_side *s, void (*between)(struct xr_side *s, uint32_t step));
int xr_bind(struct xr_side *s, uint32_t config, uint64_t cd_table,
	    void (*between)(struct xr_side *s, uint32_t step));
int xr_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n);
/* An STE written by hand (stage 1 only: no plugin or host program may write it). */
int xr_ste_raw(struct xr_side *s, const uint64_t *ste);
/* QEMU events with IPA[11:0] set (KNOWN_DIFFERENCES.md #3) */
extern unsigned int xr_ipa_low_bits;

#endif
