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

/* Guest physical layout of the boot (tests/referee/run): RAM above mem=256M is ours. */
#define XR_SMMU_BASE	0x09050000ull
#define XR_SMMU_SIZE	0x20000u
#define XR_RAM_BASE	0x50000000ull
#define XR_RAM_SIZE	(128ull << 20)
#define XR_EDU_SID	0x8u
#define XR_EDU_BUF	0x40000ull	/* the edu device's buffer in its DMA space */
#define XR_EDU_MAX	2048u		/* bytes of one DMA: half the edu buffer */

/* Host RAM one unit allocates from: the same PAs on both units. */
struct xr_mem {
	uint8_t *ptr;		/* [XR_RAM_BASE, +XR_RAM_SIZE) */
	uint64_t next;
	struct xm_host host;
};

void xr_mem_init(struct xr_mem *m, uint8_t *ptr);
/* 64/32-bit volatile accesses only: on the QEMU side this is Device memory. */
uint64_t xr_rd64(const struct xr_mem *m, uint64_t pa);
void xr_wr64(struct xr_mem *m, uint64_t pa, uint64_t v);
uint32_t xr_rd32(const struct xr_mem *m, uint64_t pa);
void xr_wr32(struct xr_mem *m, uint64_t pa, uint32_t v);
void xr_fill(struct xr_mem *m, uint64_t pa, uint64_t len, uint32_t seed);

/* ---- QEMU's SMMUv3 through /dev/mem (hw_smmuv3.c) ---- */

/* Map the unit, spare RAM and the edu device's BAR; enable the device. 0 or -errno. */
int xr_qemu_open(uint8_t **ram, char *err, uint32_t errlen);
extern const struct xm_hw_ops xr_qemu_hw;
/*
 * The edu device cannot show its buffer to the CPU: what a read DMA
 * fetched is written back through the unit to @iova, which the scenario
 * maps to @pa, and read there. 0 turns the check off.
 */
void xr_qemu_window(void *hw, uint64_t iova, uint64_t pa);

/* ---- the model, under its own name in this program ---- */
extern const struct xm_hw_ops xm_smmuv3_model_hw;

/* ---- one unit under the host layer and the plugin (side.c) ---- */
#include <xiommu/plugin.h>
#include "../../plugins/smmuv3/guest.h"

#define XR_GRAM_GPA	0x80000000ull	/* guest RAM: GPA ... */
#define XR_GRAM_PA	(XR_RAM_BASE + (64ull << 20))	/* ... at this PA */
#define XR_GRAM_SIZE	(64ull << 20)
#define XR_WIN		0x80000000ull	/* window IOVA (and GPA, first guest page) */
#define XR_DATA_GPA	0x80010000ull	/* data pages: 64 KiB apart */
#define XR_VDEV		1

struct xr_side {
	const char *name;
	const struct xm_hw_ops *hw_ops;
	struct xr_mem mem;
	struct xiommu_smmuv3_params p;
	void *h, *dom;
	struct xiommu_domain_desc desc;
	uint32_t idr[8];
	/* the plugin and what it is told */
	const struct xiommu_plugin_ops *plug;
	struct xiommu_hw_info caps;
	struct xiommu_plugin_env env;
	struct xiommu_plugin_viommu viommu;
	struct xiommu_plugin_vdev vdev;
	struct xiommu_bind bind;
	struct xiommu_op ops[512];
	struct xiommu_prog prog;
	char err[256];
	/* guest memory (stage-1 structures) at GPA or, with gpa_is_pa, at PA */
	struct smmuv3_guest_mem gm;
	uint64_t gnext;
	int gpa_is_pa;
	/* the transcript every observation goes to */
	char *log;
	size_t loglen, logcap;
	int failed;
	char digest[40];		/* the DMAs in short, for the table */
};

extern const struct xh_unit_ops xh_smmuv3_ops;
/* The hardware the host layer drives: either unit, whichever xr_side_up chose (side.c). */
extern const struct xm_hw_ops xm_smmuv3_hw;

/* @params: s2_granule / s2_ias of the domain; both sides get the same. */
int xr_side_up(struct xr_side *s, const char *name, const struct xm_hw_ops *hw, uint8_t *ram,
	       unsigned int s2_granule);
void xr_side_down(struct xr_side *s);
void xr_log(struct xr_side *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t xr_gpa2pa(const struct xr_side *s, uint64_t gpa);
uint64_t xr_galloc(struct xr_side *s, uint64_t size);
/* Run the plugin's program: whole, or in pieces ending at each SYNC with @between after each. */
int xr_run_prog(struct xr_side *s, void (*between)(struct xr_side *s, uint32_t step));
int xr_bind(struct xr_side *s, uint32_t config, uint64_t cd_table,
	    void (*between)(struct xr_side *s, uint32_t step));
int xr_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n);
/* An STE written by hand (stage 1 only: no plugin or host program may write it). */
int xr_ste_raw(struct xr_side *s, const uint64_t *ste);
/*
 * One DMA of @len bytes at @iova; @cand lists the PAs it may land at / read
 * from. Logs which one (or none), the data class and every event; returns
 * the candidate, or -1.
 */
int xr_dma(struct xr_side *s, int write, uint64_t iova, uint32_t len, const uint64_t *cand,
	   unsigned int ncand);
/*
 * What the specification requires of a DMA, whatever the other unit did:
 * the candidate it must land at / read from, or -1 for none. A miss fails
 * the case on that unit.
 */
void xr_expect(struct xr_side *s, int got, int want, const char *why);
/* Log every pending event; how many. */
unsigned int xr_events(struct xr_side *s);
extern uint32_t xr_seq;
extern unsigned int xr_ipa_low_bits;

#endif
