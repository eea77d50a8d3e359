/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * VT-d invalidation queue descriptors (part of arch/vtd.h, which includes
 * this file): types and fields, the format rule a unit applies before it
 * runs a descriptor (an illegal one sets FSTS.IQE and stops the queue),
 * and builders for the descriptors the host and the plugin emit.
 */
#ifndef XIOMMU_ARCH_VTD_QI_H
#define XIOMMU_ARCH_VTD_QI_H

#ifndef XIOMMU_ARCH_VTD_H
#error "include <xiommu/arch/vtd.h>"
#endif

/* ---- invalidation queue descriptors (256 bits in scalable mode) ------------ */

#define VTD_QI_WORDS		4
#define VTD_QI_TYPE_LO_H	3
#define VTD_QI_TYPE_LO_L	0
#define VTD_QI_TYPE_HI_H	11
#define VTD_QI_TYPE_HI_L	9

#define VTD_QI_CC		0x1	/* context-cache */
#define VTD_QI_IOTLB		0x2
#define VTD_QI_DEVTLB		0x3
#define VTD_QI_IEC		0x4	/* interrupt-entry cache */
#define VTD_QI_WAIT		0x5
#define VTD_QI_PIOTLB		0x6	/* PASID-based IOTLB */
#define VTD_QI_PC		0x7	/* PASID cache */
#define VTD_QI_PDEVTLB		0x8	/* PASID-based device-TLB */
#define VTD_QI_PGRP_RESP	0x9	/* page group response */
#define VTD_QI_PSTRM_RESP	0xa	/* page stream response */

/* common qw0 fields */
#define VTD_QI_G_H		5
#define VTD_QI_G_L		4
#define VTD_QI_DID_H		31
#define VTD_QI_DID_L		16
#define VTD_QI_PASID_H		51
#define VTD_QI_PASID_L		32
#define VTD_QI_SID_H		47	/* context-cache, device-TLB */
#define VTD_QI_SID_L		32
/* context-cache */
#define VTD_QI_CC_FM_H		49
#define VTD_QI_CC_FM_L		48
#define VTD_QI_CC_G_GLOBAL	1
#define VTD_QI_CC_G_DOMAIN	2
#define VTD_QI_CC_G_DEVICE	3
#define VTD_QI_CC_RSVD0		(XI_GENMASK(63, 50) | XI_GENMASK(15, 12) | XI_GENMASK(8, 6))
/* IOTLB */
#define VTD_QI_IOTLB_DW		6
#define VTD_QI_IOTLB_DR		7
#define VTD_QI_IOTLB_G_GLOBAL	1
#define VTD_QI_IOTLB_G_DOMAIN	2
#define VTD_QI_IOTLB_G_PAGE	3
#define VTD_QI_IOTLB_RSVD0	(XI_GENMASK(63, 32) | XI_GENMASK(15, 12) | XI_BIT(8))
/* qw1 of IOTLB and PASID-based IOTLB */
#define VTD_QI_AM_H		5
#define VTD_QI_AM_L		0
#define VTD_QI_IH		6
#define VTD_QI_ADDR_MASK	XI_GENMASK(63, 12)
#define VTD_QI_ADDR_RSVD1	XI_GENMASK(11, 7)
/* device-TLB (type 3) */
#define VTD_QI_DT_PFSID_LO_H	15
#define VTD_QI_DT_PFSID_LO_L	12
#define VTD_QI_DT_QDEP_H	20
#define VTD_QI_DT_QDEP_L	16
#define VTD_QI_DT_PFSID_HI_H	63
#define VTD_QI_DT_PFSID_HI_L	52
#define VTD_QI_DT_RSVD0		(XI_GENMASK(51, 48) | XI_GENMASK(31, 21) | XI_GENMASK(8, 4))
#define VTD_QI_DT_S		0	/* qw1 */
#define VTD_QI_DT_RSVD1		XI_GENMASK(11, 1)
/* interrupt-entry cache (type 4) */
#define VTD_QI_IEC_G		4
#define VTD_QI_IEC_IM_H		31
#define VTD_QI_IEC_IM_L		27
#define VTD_QI_IEC_IIDX_H	47
#define VTD_QI_IEC_IIDX_L	32
#define VTD_QI_IEC_RSVD0	(XI_GENMASK(63, 48) | XI_GENMASK(26, 12) | XI_GENMASK(8, 5))
/* invalidation wait (type 5) */
#define VTD_QI_WAIT_IF		4
#define VTD_QI_WAIT_SW		5
#define VTD_QI_WAIT_FN		6
#define VTD_QI_WAIT_PD		7
#define VTD_QI_WAIT_DATA_H	63
#define VTD_QI_WAIT_DATA_L	32
#define VTD_QI_WAIT_RSVD0	(XI_GENMASK(31, 12) | XI_BIT(8))
#define VTD_QI_WAIT_ADDR_MASK	XI_GENMASK(63, 2)	/* qw1 */
#define VTD_QI_WAIT_RSVD1	XI_GENMASK(1, 0)
/* PASID-based IOTLB (type 6) */
#define VTD_QI_PIOTLB_G_PASID	2	/* non-globals of DID + PASID */
#define VTD_QI_PIOTLB_G_PAGE	3	/* page-selective within PASID */
#define VTD_QI_PIOTLB_RSVD0	(XI_GENMASK(63, 52) | XI_GENMASK(15, 12) | XI_GENMASK(8, 6))
/* PASID cache (type 7) */
#define VTD_QI_PC_G_DOMAIN	0
#define VTD_QI_PC_G_PASID	1
#define VTD_QI_PC_G_GLOBAL	3
#define VTD_QI_PC_RSVD0		(XI_GENMASK(63, 52) | XI_GENMASK(15, 12) | XI_GENMASK(8, 6))
/* PASID-based device-TLB (type 8) */
#define VTD_QI_PDT_QDEP_H	8
#define VTD_QI_PDT_QDEP_L	4
#define VTD_QI_PDT_SID_H	31
#define VTD_QI_PDT_SID_L	16
#define VTD_QI_PDT_RSVD0	(XI_BIT(11) | XI_BIT(10))
#define VTD_QI_PDT_G		0	/* qw1 */
#define VTD_QI_PDT_S		11
#define VTD_QI_PDT_RSVD1	XI_GENMASK(10, 1)
/* page group response (type 9) */
#define VTD_QI_PGR_PP		4
#define VTD_QI_PGR_RC_H		15
#define VTD_QI_PGR_RC_L		12
#define VTD_QI_PGR_RID_H	31
#define VTD_QI_PGR_RID_L	16
#define VTD_QI_PGR_RSVD0	(XI_GENMASK(63, 52) | XI_GENMASK(8, 5))
#define VTD_QI_PGR_LPIG		2	/* qw1 */
#define VTD_QI_PGR_PRGI_H	11
#define VTD_QI_PGR_PRGI_L	3
#define VTD_QI_PGR_RSVD1	(XI_GENMASK(63, 12) | XI_GENMASK(1, 0))
#define VTD_PGR_SUCCESS		0x0
#define VTD_PGR_INVALID		0x1
#define VTD_PGR_FAILURE		0xf

/*
 * Offset bits of a 2^AM-page block (AM of IOTLB / P_IOTLB qword 1): the
 * block is [addr & ~mask, addr | mask]. AM >= 52 is the whole 64-bit space.
 */
static inline uint64_t vtd_qi_am_mask(uint32_t am)
{
	return am >= 52 ? ~0ull : (1ull << (12 + am)) - 1;
}

static inline uint32_t vtd_qi_type(const uint64_t *d)
{
	return (uint32_t)(XI_GET(d[0], 3, 0) | (XI_GET(d[0], 11, 9) << 4));
}

static inline uint64_t vtd_qi_type_bits(uint32_t type)
{
	return XI_PUT(type & 0xf, 3, 0) | XI_PUT(type >> 4, 11, 9);
}

/* Descriptor builders (qw2, qw3 zero). */
static inline void vtd_qi_cc(uint64_t *d, uint32_t g, uint32_t did, uint32_t sid, uint32_t fm)
{
	d[0] = vtd_qi_type_bits(VTD_QI_CC) | XI_PUT(g, 5, 4) | XI_PUT(did, 31, 16) |
	       XI_PUT(sid, 47, 32) | XI_PUT(fm, 49, 48);
	d[1] = d[2] = d[3] = 0;
}

static inline void vtd_qi_iotlb(uint64_t *d, uint32_t g, uint32_t did, uint64_t addr,
				uint32_t am, uint32_t ih)
{
	d[0] = vtd_qi_type_bits(VTD_QI_IOTLB) | XI_PUT(g, 5, 4) | XI_PUT(did, 31, 16) |
	       XI_BIT(VTD_QI_IOTLB_DW) | XI_BIT(VTD_QI_IOTLB_DR);
	d[1] = g == VTD_QI_IOTLB_G_PAGE ?
	       ((addr & VTD_QI_ADDR_MASK) | XI_PUT(am, 5, 0) | XI_PUT(ih, 6, 6)) : 0;
	d[2] = d[3] = 0;
}

static inline void vtd_qi_piotlb(uint64_t *d, uint32_t g, uint32_t did, uint32_t pasid,
				 uint64_t addr, uint32_t am, uint32_t ih)
{
	d[0] = vtd_qi_type_bits(VTD_QI_PIOTLB) | XI_PUT(g, 5, 4) | XI_PUT(did, 31, 16) |
	       XI_PUT(pasid, 51, 32);
	d[1] = g == VTD_QI_PIOTLB_G_PAGE ?
	       ((addr & VTD_QI_ADDR_MASK) | XI_PUT(am, 5, 0) | XI_PUT(ih, 6, 6)) : 0;
	d[2] = d[3] = 0;
}

static inline void vtd_qi_pc(uint64_t *d, uint32_t g, uint32_t did, uint32_t pasid)
{
	d[0] = vtd_qi_type_bits(VTD_QI_PC) | XI_PUT(g, 5, 4) | XI_PUT(did, 31, 16) |
	       XI_PUT(pasid, 51, 32);
	d[1] = d[2] = d[3] = 0;
}

/* Device-TLB: @size_order 0 = one 4 KiB page, else 2^size_order pages (S=1). */
static inline void vtd_qi_devtlb(uint64_t *d, uint32_t sid, uint32_t pfsid, uint32_t qdep,
				 uint64_t addr, uint32_t size_order)
{
	d[0] = vtd_qi_type_bits(VTD_QI_DEVTLB) | XI_PUT(pfsid & 0xf, 15, 12) |
	       XI_PUT(qdep, 20, 16) | XI_PUT(sid, 47, 32) | XI_PUT(pfsid >> 4, 63, 52);
	addr &= VTD_QI_ADDR_MASK;
	if (size_order) {
		addr &= ~XI_GENMASK(11 + size_order, 12);
		addr |= XI_GENMASK(10 + size_order, 12) & VTD_QI_ADDR_MASK;
		addr |= 1;
	}
	d[1] = addr;
	d[2] = d[3] = 0;
}

static inline void vtd_qi_pdevtlb(uint64_t *d, uint32_t sid, uint32_t pfsid, uint32_t qdep,
				  uint32_t pasid, uint32_t global, uint64_t addr,
				  uint32_t size_order)
{
	d[0] = vtd_qi_type_bits(VTD_QI_PDEVTLB) | XI_PUT(qdep, 8, 4) |
	       XI_PUT(pfsid & 0xf, 15, 12) | XI_PUT(sid, 31, 16) | XI_PUT(pasid, 51, 32) |
	       XI_PUT(pfsid >> 4, 63, 52);
	addr &= VTD_QI_ADDR_MASK;
	if (size_order) {
		addr &= ~XI_GENMASK(11 + size_order, 12);
		addr |= XI_GENMASK(10 + size_order, 12) & VTD_QI_ADDR_MASK;
		addr |= XI_BIT(VTD_QI_PDT_S);
	}
	d[1] = addr | XI_PUT(global, 0, 0);
	d[2] = d[3] = 0;
}

static inline void vtd_qi_wait(uint64_t *d, uint32_t sw, uint32_t fn, uint32_t data,
			       uint64_t addr)
{
	d[0] = vtd_qi_type_bits(VTD_QI_WAIT) | XI_PUT(sw, 5, 5) | XI_PUT(fn, 6, 6) |
	       XI_PUT(data, 63, 32);
	d[1] = sw ? addr & VTD_QI_WAIT_ADDR_MASK : 0;
	d[2] = d[3] = 0;
}

static inline void vtd_qi_pgrp_resp(uint64_t *d, uint32_t rid, uint32_t pp, uint32_t pasid,
				    uint32_t code, uint32_t prgi, uint32_t lpig)
{
	d[0] = vtd_qi_type_bits(VTD_QI_PGRP_RESP) | XI_PUT(pp, 4, 4) | XI_PUT(code, 15, 12) |
	       XI_PUT(rid, 31, 16) | XI_PUT(pasid, 51, 32);
	d[1] = XI_PUT(lpig, 2, 2) | XI_PUT(prgi, 11, 3);
	d[2] = d[3] = 0;
}

/*
 * Device-TLB address with S=1: the lowest clear bit of ADDR[63:12] gives the
 * size. Returns log2 of the size in 4 KiB pages (0 for S=0); 52 = everything.
 */
static inline uint32_t vtd_devtlb_order(uint64_t qw1, uint32_t sbit)
{
	uint64_t a = qw1 >> 12;
	uint32_t n = 0;

	if (!(qw1 & XI_BIT(sbit)))
		return 0;
	while (n < 52 && (a & 1)) {
		a >>= 1;
		n++;
	}
	return n + 1;
}

/*
 * A page-selective descriptor's qw1 on a unit with @cap: CAP.PSI set, AM
 * at most CAP.MAMV, bits 11:7 clear and the address aligned to 2^(12+AM).
 */
static inline int vtd_qi_page_ok(uint64_t qw1, uint64_t cap)
{
	uint32_t am = (uint32_t)XI_GET(qw1, VTD_QI_AM_H, VTD_QI_AM_L);

	if (!(cap & XI_BIT(VTD_CAP_PSI)) || am > XI_GET(cap, VTD_CAP_MAMV_H, VTD_CAP_MAMV_L) ||
	    (qw1 & VTD_QI_ADDR_RSVD1))
		return 0;
	return !((qw1 & VTD_QI_ADDR_MASK) & vtd_qi_am_mask(am));
}

/*
 * The format rule of a unit with registers @cap / @ecap: 1 when it runs
 * descriptor @d, 0 when it stops the queue at it (FSTS.IQE): an unknown
 * type, reserved bits, a granularity the type lacks, a page-selective
 * address the unit cannot take, a device-TLB descriptor without ECAP.DT,
 * a page group response without ECAP.PRS or with a reserved response code.
 * Interrupt-entry-cache descriptors pass (their format only).
 */
static inline int vtd_qi_valid(const uint64_t *d, uint64_t cap, uint64_t ecap)
{
	uint32_t g = (uint32_t)XI_GET(d[0], VTD_QI_G_H, VTD_QI_G_L), rc;
	int dt = !!(ecap & XI_BIT(VTD_ECAP_DT));

	if (d[2] || d[3])
		return 0;
	switch (vtd_qi_type(d)) {
	case VTD_QI_CC:
		return !(d[0] & VTD_QI_CC_RSVD0) && g && !d[1];
	case VTD_QI_IOTLB:
		return !(d[0] & VTD_QI_IOTLB_RSVD0) && g &&
		       (g != VTD_QI_IOTLB_G_PAGE || vtd_qi_page_ok(d[1], cap));
	case VTD_QI_DEVTLB:
		return dt && !(d[0] & VTD_QI_DT_RSVD0) && !(d[1] & VTD_QI_DT_RSVD1);
	case VTD_QI_IEC:
		return !(d[0] & VTD_QI_IEC_RSVD0) && !d[1];
	case VTD_QI_WAIT:
		return !(d[0] & VTD_QI_WAIT_RSVD0) && !(d[1] & VTD_QI_WAIT_RSVD1);
	case VTD_QI_PIOTLB:
		if ((d[0] & VTD_QI_PIOTLB_RSVD0) ||
		    (g != VTD_QI_PIOTLB_G_PASID && g != VTD_QI_PIOTLB_G_PAGE))
			return 0;
		return g != VTD_QI_PIOTLB_G_PAGE || vtd_qi_page_ok(d[1], cap);
	case VTD_QI_PC:
		return !(d[0] & VTD_QI_PC_RSVD0) && g != 2 && !d[1];
	case VTD_QI_PDEVTLB:
		return dt && !(d[0] & VTD_QI_PDT_RSVD0) && !(d[1] & VTD_QI_PDT_RSVD1);
	case VTD_QI_PGRP_RESP:
		rc = (uint32_t)XI_GET(d[0], VTD_QI_PGR_RC_H, VTD_QI_PGR_RC_L);
		return (ecap & XI_BIT(VTD_ECAP_PRS)) && !(d[0] & VTD_QI_PGR_RSVD0) &&
		       !(d[1] & VTD_QI_PGR_RSVD1) &&
		       (rc == VTD_PGR_SUCCESS || rc == VTD_PGR_INVALID || rc == VTD_PGR_FAILURE);
	default:
		return 0;
	}
}

#endif /* XIOMMU_ARCH_VTD_QI_H */
