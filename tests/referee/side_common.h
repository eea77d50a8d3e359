/* SPDX-License-Identifier: MIT */
/*
 * One side of a referee program, as both vendors have it (side_common.c):
 * a unit (QEMU's through MMIO, or the model) under xiommu's host layer, one
 * domain whose second stage maps guest RAM, the edu device attached, and
 * the vendor's plugin called directly with a small env, as the core would
 * call it. Every observation goes to the side's transcript; the two sides'
 * transcripts are compared. The vendor's side (side.c, side_vtd.c) adds
 * what only it knows: its parameters, registers and guest memory.
 */
#ifndef XR_SIDE_COMMON_H
#define XR_SIDE_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <xiommu/plugin.h>
#include "xm_hw.h"
#include "xh.h"
#include "ram.h"
#include "../../plugins/smmuv3/guest.h"
#include "../../plugins/vtd/vtd_guest.h"

/* Where a vendor's boot puts things (its header's constants). */
struct xr_layout {
	uint64_t ram_base, ram_size;	/* the spare RAM the program owns */
	/* guest RAM: the domain's second stage maps GPA at PA; host allocations end at PA */
	uint64_t gram_gpa, gram_pa, gram_size;
	uint64_t win;			/* the window IOVA: the first guest page */
	uint32_t sid;			/* the edu device's stream / requester ID */
	uint32_t vdev;			/* the plugin's vdev ID of it */
};

struct xr_side {
	const char *name;
	const struct xm_hw_ops *hw_ops;
	const struct xh_unit_ops *unit;	/* the vendor's host layer */
	const struct xr_layout *lay;
	struct xr_mem mem;
	void *h, *dom;
	struct xiommu_domain_desc desc;
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
	/* the vendor's parameters and guest memory */
	union {
		struct {	/* SMMUv3: stage-1 structures at GPA or, with gpa_is_pa, at PA */
			struct xiommu_smmuv3_params p;
			uint32_t idr[8];
			struct smmuv3_guest_mem gm;
			uint64_t gnext;
			int gpa_is_pa;
		};
		struct {	/* VT-d: first-level tables, PAs in host RAM */
			struct xiommu_vtd_params vp;
			struct vtd_guest_mem fl;
		};
	};
	/* log every record (SMMUv3 event, VT-d fault record) the unit holds; how many */
	unsigned int (*records)(struct xr_side *s);
	/* the plugin's reads (@write 0) and writes of guest memory */
	int (*gpa_rw)(struct xr_side *s, uint64_t gpa, void *buf, uint32_t len, int write);
	/* the transcript every observation goes to */
	char *log;
	size_t loglen, logcap;
	int failed;
	char digest[40];		/* the DMAs in short, for the table */
};

/* The QEMU unit of this program (hw_smmuv3.c or hw_vtd.c). */
extern const struct xm_hw_ops xr_qemu_hw;
/* The data pattern counter, the same on both sides: zeroed by xr_side_reset. */
extern uint32_t xr_seq;

/*
 * Setting a side up, in this order, the vendor's own steps between:
 * reset (the side cleared, its RAM), create (the unit under the host
 * layer, from the parameters at @params), attach (the domain, guest RAM
 * mapped, the edu device attached, the window on QEMU's unit), env (the
 * plugin and its env: @regs are the registers it is told, s->gpa_rw its
 * guest memory), plugin (its capabilities; the vIOMMU and the vdev,
 * ABORT). 0 or a negative errno, with s->err saying why where it can.
 */
void xr_side_reset(struct xr_side *s, const char *name, const struct xm_hw_ops *hw,
		   const struct xh_unit_ops *unit, const struct xr_layout *lay, uint8_t *ram);
int xr_side_create(struct xr_side *s, const void *params, uint32_t size);
int xr_side_attach(struct xr_side *s);
void xr_side_env(struct xr_side *s, const void *params, const void *regs, uint32_t regs_len);
int xr_side_plugin(struct xr_side *s);
/* 1 when the vendor's setup returned 0 (@ret); else the side is down and failed, saying why. */
int xr_side_ready(struct xr_side *s, int ret);
void xr_side_down(struct xr_side *s);
/* An empty program in s->ops, for the plugin to fill. */
void xr_prog_reset(struct xr_side *s);
/* s->bind emptied, for the vdev and @config: the vendor adds the rest. */
struct xiommu_bind *xr_bind_new(struct xr_side *s, uint32_t config);
/*
 * The plugin's program in s->prog: for s->bind, or for the invalidations
 * @e[@n]. 0, or the plugin's refusal, logged.
 */
int xr_plugin_bind(struct xr_side *s);
int xr_plugin_inv(struct xr_side *s, const struct xiommu_inv_entry *e, uint32_t n);
/* Log the program's queue entries (@what: "cmd", "desc"), both first words of each. */
void xr_log_cmds(struct xr_side *s, const char *what);

void xr_log(struct xr_side *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * One DMA of @len bytes at @iova; @cand lists the PAs it may land at / read
 * from. Logs which one (or none), the data class and every record; returns
 * the candidate, or -1 (-2 when the test port refused it).
 */
int xr_dma(struct xr_side *s, int write, uint64_t iova, uint32_t len, const uint64_t *cand,
	   unsigned int ncand);
/*
 * What the specification requires of a DMA, whatever the other unit did:
 * the candidate it must land at / read from, or -1 for none. A miss fails
 * the case on that unit.
 */
void xr_expect(struct xr_side *s, int got, int want, const char *why);

#endif
