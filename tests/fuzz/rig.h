/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets: a context with one SMMUv3 and one VT-d unit
 * on the embedded backend and the real plugins, guest RAM mapped in both
 * viommus, devices attached and bound, and the oracles every target
 * applies beyond "no crash": a call returns 0 or an errno its header
 * documents; a failed call leaves the whole-context snapshot and the
 * unit's counters as they were.
 */
#ifndef XF_RIG_H
#define XF_RIG_H

#include <stddef.h>
#include <stdint.h>
#include <xiommu/xiommu.h>
#include "guest_ram.h"

#define XF_RAM_SIZE	(1u << 20)	/* guest RAM at GPA 0 */
#define XF_TABLES	0xf0000u	/* guest tables from here to the end */
#define XF_SID		0x10u		/* bound device of each unit */
#define XF_SID2		0x11u		/* a second, bypassing device */
#define XF_PASID	1u		/* the VT-d device's bound PASID */

enum { XF_SMMU, XF_VTD, XF_UNITS };

struct xf_rig {
	struct xiommu_ctx *ctx;
	struct guest_ram ram;
	uint32_t viommu[XF_UNITS], vdev[XF_UNITS], vdev2[XF_UNITS], region;
	uint64_t cd_table, smmu_root, vtd_root;
	uint64_t ref_pa[XF_UNITS];	/* what the reference DMA translates to */
	/* other vdevs a fault record may name (a target's own), or NULL */
	int (*vdev_known)(uint32_t vdev_id);
};

/* The state a failed call must not change. */
struct xf_state {
	uint8_t dump[1 << 16];
	size_t len;
	struct xiommu_stats st[XF_UNITS];
};

/*
 * Open the rig; aborts the process when it cannot (that is a bug too).
 * @grants: the XIOMMU_VDEV_* the bound devices get where the unit offers them.
 * @sparse: map only the first 64 KiB and the table area in stage 2, not all
 * of guest RAM: a target that opens a rig per input spends most of its time
 * building and tearing down the stage-2 tables of the whole RAM.
 */
void xf_rig_open(struct xf_rig *r, uint32_t grants, int sparse);
/* Bind the bound devices as the rig did (the SMMUv3 CD table, VT-d PASID 1). */
int xf_rig_bind_smmu(struct xf_rig *r);
int xf_rig_bind_vtd(struct xf_rig *r);
/*
 * Invalidate every cache a guest reaches (config, IOTLB and the bound
 * devices' ATC / device TLB) on both units, as a guest would after
 * rewriting its tables; aborts when the unit refuses.
 */
void xf_rig_flush(struct xf_rig *r);
void xf_rig_close(struct xf_rig *r);

/* Abort with a message: the fuzzer records the input. */
void xf_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void xf_capture(struct xiommu_ctx *ctx, struct xf_state *s);
/*
 * Check one call's result: @ret is 0 or in @call's documented list, and on
 * failure @before (captured just before the call, or NULL) is unchanged.
 */
void xf_check(struct xiommu_ctx *ctx, const char *call, int ret, const struct xf_state *before);
/* The reference translations still give what they gave after setup. */
void xf_check_reference(struct xf_rig *r);
/*
 * Drain and check every fault record of both viommus. A record names a
 * bound device of the rig or one @r->vdev_known (when set) accepts.
 */
void xf_drain_faults(struct xf_rig *r);

/*
 * A hash of what the calls of an input saw (xf_check's returns, fault
 * records bar their sequence numbers, what targets xf_note): the same input
 * on the same state gives the same value.
 */
extern uint64_t xf_trace;
void xf_note(uint64_t a, uint64_t b, uint64_t c);
/*
 * XF_TRACE set in the environment: every checked call's result and every
 * noted value go to stderr, so the two runs of an XF_TWICE mismatch can be
 * diffed line by line.
 */
int xf_tracing(void);
/*
 * Run @one on the input; with XF_TWICE set in the environment, run it twice
 * and fail unless both runs gave the same xf_trace: proof that a persistent
 * rig is restored, so each input starts from the same state.
 */
void xf_run_twice(void (*one)(const uint8_t *data, size_t size), const uint8_t *data,
		  size_t size);

/* Read little-endian values from the fuzz input, zero past its end. */
struct xf_in {
	const uint8_t *p;
	size_t n;
};
uint64_t xf_u64(struct xf_in *in);
uint32_t xf_u32(struct xf_in *in);
uint8_t xf_u8(struct xf_in *in);

#endif
