/* SPDX-License-Identifier: MIT */
/*
 * The vtd plugin under test, with a VT-d model behind a small env: one
 * viommu (id 3) whose domain maps 8 MiB of guest memory at GPA 0, one vdev
 * (id 9, pRID PRID, vRID VRID), the PASIDs bound so far and the guest DIDs
 * mapped to host DIDs.
 */
#ifndef VTD_MOCK_H
#define VTD_MOCK_H

#include <stdint.h>
#include "xh.h"
#include "host.h"
#include "vtd_int.h"
#include "vtd_host.h"
#include "vtd_plugin.h"
#include "vtd_guest.h"

#define ARENA_PA	0x100000000ull
#define GUEST_SIZE	(8u << 20)
#define PRID		0x0310u
#define VRID		0x0008u
#define GUEST_DID	7u	/* the guest DID pasid_bind() uses */

/*
 * Expected descriptor words, written from the VT-d spec, not from the
 * builders under test. P_IOTLB (type 6) as VT-d 6.5.2.4 lays it out: G in
 * qw0 5:4, DID 31:16, PASID 51:32.
 */
#define PIOTLB_PASID(did, pasid)	(0x26ull | (uint64_t)(did) << 16 | (uint64_t)(pasid) << 32)
#define PIOTLB_PAGE(did, pasid)		(0x36ull | (uint64_t)(did) << 16 | (uint64_t)(pasid) << 32)
/* IOTLB (type 2): domain-selective (G = 10, DR and DW set), page-selective (G = 11) */
#define IOTLB_DOMAIN(did)		(0xe2ull | (uint64_t)(did) << 16)
#define IOTLB_PAGE(did)			(0x32ull | (uint64_t)(did) << 16)

const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

struct mock {
	struct xm_test_mem m;
	struct xiommu_vtd_params p;
	void *h;		/* the host layer's unit */
	struct vtd_unit *u;	/* the hardware under it */
	void *dom;
	uint64_t regs[2];
	uint64_t guest_pa;
	struct xiommu_plugin_viommu viommu;
	struct xiommu_plugin_vdev vdev;
	struct xiommu_pasid_binding binds[8];
	uint32_t nbinds;
	uint32_t gtags[8], htags[8];	/* guest DID -> host DID, as the core keeps them */
	uint32_t ntags;
	struct xiommu_hw_info caps;
	struct xiommu_plugin_env env;
	struct xiommu_op ops[64];
	struct xiommu_prog prog;
	struct vtd_guest_mem gm;
	char err[512];
	const struct xiommu_plugin_ops *ops_tab;
};

extern const struct xiommu_vtd_params defaults;
extern const struct xh_unit_ops xh_vtd_ops;

void prog_reset(struct mock *m);
uint32_t mock_grants(const struct xiommu_vtd_params *p);
void mock_up(struct mock *m, const struct xiommu_vtd_params *p);
void mock_down(struct mock *m);
int run(struct mock *m);
uint32_t mock_dma(struct mock *m, uint32_t op, uint32_t flags, uint32_t pasid,
		  uint64_t iova, void *buf, uint64_t len, uint64_t *pa);
struct xiommu_bind pasid_bind(uint32_t pasid, uint64_t root, uint8_t aw, uint64_t flags);
void do_bind(struct mock *m, uint32_t pasid, uint64_t root, uint64_t flags);
/* Map guest DID @gdid to a host DID (allocated on first use), as the core does. */
uint32_t mock_tag(struct mock *m, uint32_t gdid);

#endif
