/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * VT-d host layer: the driver half of a scalable-mode VT-d unit. It reads
 * CAP/ECAP like a driver, owns the root table (pointed at once through
 * RTADDR_REG + SRTP), the context entries, PASID directories and PASID
 * tables of attached requesters, the DIDs (a domain's own and its extra
 * tags), each domain's second-level table (kernel/host/pgtable.c with the
 * VT-d second-level format), what each requester was granted (ATS -> context
 * DTE and the device's ATS enable, PRI -> PRE and the device's PRI enable),
 * the final check of every program, and the invalidations each host change
 * needs, sent through the unit's invalidation queue with a wait descriptor
 * on a status page the host owns:
 *   unit.c     probe, the host's own descriptors, pass-through ops
 *   domain.c   DIDs, tags, second level, stage-2 flushes
 *   stream.c   root / context entries, PASID directory and tables, attach
 *   program.c  the final check of a program and its run
 */
#ifndef XH_VTD_HOST_H
#define XH_VTD_HOST_H

#include "xh.h"
#include "pgtable.h"
#include <xiommu/xiommu.h>
#include <xiommu/arch/vtd.h>

#define XH_VTD_MAX_STREAMS	256
/* programs (up to XIOMMU_PROG_MAX_OPS) go to the queue in batches of this many descriptors */
#define XH_VTD_BATCH		256
#define XH_VTD_TRACK		32	/* PASID entries one program may touch */
#define XH_VTD_INV_MAX		64	/* host descriptors sent in one batch */
#define XH_VTD_RID_PASID	0	/* the PASID context entries name for requests without one */

struct xh_vtd_dom {
	struct xh_vtd_dom *next;
	uint32_t did;		/* the domain's own DID */
	uint32_t levels;	/* second-level paging levels: 3, 4, 5 */
	uint32_t nstreams;
	uint32_t ntags;		/* extra DIDs (tag_alloc) */
	uint8_t *tags;		/* bitmap of the extra DIDs, ndids bits */
	struct xh_pgtable sl;
	struct xiommu_domain_desc desc;
};

/* A requester the host attached: its context entry and PASID directory. */
struct xh_vtd_stream {
	struct xh_vtd_dom *dom;	/* NULL: slot free */
	uint32_t rid;
	uint32_t grants;	/* XIOMMU_VDEV_* */
	uint32_t pdts;
	uint64_t pdir;		/* PASID directory PA */
	uint64_t pdir_size;
	uint32_t live;		/* context entry made present by a program */
};

/* exec(): shadow of the PASID entries a program touches */
struct xh_vtd_track {
	struct xh_vtd_stream *s;
	uint32_t pasid;
	uint64_t pe[VTD_PE_WORDS];
	uint8_t need_table;	/* 1: allocate, 2: shares another track's table */
	uint8_t torn;		/* torn down in this program, flushes not yet seen */
	uint8_t __pad[2];
	uint16_t torn_did;
	uint64_t table;		/* allocated for need_table == 1 */
};

struct xh_vtd_prog {
	struct xh_vtd_track t[XH_VTD_TRACK];
	uint32_t n;
	uint64_t cmds[XH_VTD_BATCH][XM_CMD_WORDS];	/* one queue batch */
};

struct xh_vtd {
	struct xh_unit b;	/* the hardware and the host's counters: first */
	uint64_t cap, ecap;
	/* what CAP / ECAP say */
	uint32_t ndids, pasid_bits, mgaw, sagaw, sllps, dt, prs;
	uint64_t root;		/* root table PA */
	uint64_t status_pa;	/* invalidation-wait status page */
	uint32_t wait_seq;
	uint8_t *did_map;	/* bitmap; DIDs 0 and 1 stay unused */
	uint32_t *did_refs;	/* present PASID entries carrying each DID */
	uint8_t *did_used;	/* bitmap: carried by a present entry since allocated */
	struct xh_vtd_stream streams[XH_VTD_MAX_STREAMS];
	struct xh_vtd_dom *doms;
	struct xh_vtd_prog *prog;	/* too large for a kernel stack */
	uint64_t inv[XH_VTD_INV_MAX][XM_CMD_WORDS];
	uint32_t ninv;
};

static inline uint64_t *xh_vtd_map64(const struct xh_vtd *h, uint64_t pa)
{
	return (pa & 7) ? NULL : h->b.host.map(h->b.host.priv, pa, 8);
}

/* @did is the domain's own DID or one of its extra DIDs. */
static inline int xh_vtd_owns(const struct xh_vtd *h, const struct xh_vtd_dom *d, uint32_t did)
{
	return did == d->did || (did < h->ndids && (d->tags[did / 8] & (1u << (did % 8))));
}

static inline uint32_t xh_vtd_pe_did(const uint64_t *pe)
{
	return (uint32_t)XI_GET(pe[1], VTD_PE_DID_H, VTD_PE_DID_L);
}

/* unit.c: the host's own descriptors, batched; xh_vtd_inv_wait appends a wait and sends */
void xh_vtd_inv_add(struct xh_vtd *h, const uint64_t *d);
int xh_vtd_inv_wait(struct xh_vtd *h);
/* 0 when descriptor @d is legal on this unit (what the unit would not stop at) */
int xh_vtd_qi_legal(const struct xh_vtd *h, const uint64_t *d);
/* 0 when a present PASID entry is legal on this unit */
int xh_vtd_pe_legal(const struct xh_vtd *h, const uint64_t *pe);

/* domain.c */
int xh_vtd_domain_alloc(void *unit, void **dom, struct xiommu_domain_desc *desc);
void xh_vtd_domain_free(void *unit, void *dom);
int xh_vtd_tag_alloc(void *unit, void *dom, uint32_t *tag);
int xh_vtd_tag_free(void *unit, void *dom, uint32_t tag);
int xh_vtd_s2_map(void *unit, void *dom, uint64_t gpa, uint64_t pa, uint64_t size,
		  uint32_t prot);
int xh_vtd_s2_unmap(void *unit, void *dom, uint64_t gpa, uint64_t size);
/* Queue an IOTLB flush of every DID of @d (no wait). */
void xh_vtd_dom_flush_iotlb(struct xh_vtd *h, struct xh_vtd_dom *d);
/* A PASID entry's P changed: count its DID's users. */
static inline void xh_vtd_did_use(struct xh_vtd *h, const uint64_t *pe, int present)
{
	uint32_t did = xh_vtd_pe_did(pe);

	if (did >= h->ndids)
		return;
	h->did_refs[did] += present ? 1u : -1u;
	if (present)
		h->did_used[did / 8] |= (uint8_t)(1u << (did % 8));
}

/* stream.c */
struct xh_vtd_stream *xh_vtd_stream_find(struct xh_vtd *h, uint32_t rid);
uint64_t *xh_vtd_pe_ptr(struct xh_vtd *h, const struct xh_vtd_stream *s, uint32_t pasid);
int xh_vtd_pasid_table_install(struct xh_vtd *h, struct xh_vtd_stream *s, uint32_t pasid,
			       uint64_t table);
/* Queue PASID-based device-TLB flushes of every present PASID of @s, and the RID's own. */
void xh_vtd_stream_flush_devtlb(struct xh_vtd *h, const struct xh_vtd_stream *s);
int xh_vtd_stream_live(struct xh_vtd *h, struct xh_vtd_stream *s);
int xh_vtd_stream_attach(void *unit, void *dom, uint32_t sid, uint32_t grants);
void xh_vtd_stream_detach(void *unit, void *dom, uint32_t sid);
void xh_vtd_streams_free(struct xh_vtd *h);

/* program.c */
int xh_vtd_exec(void *unit, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad);

#endif /* XH_VTD_HOST_H */
