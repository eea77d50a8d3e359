/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xiommu public API, version 1: generic nested-IOMMU messages for a VMM.
 *
 * Conventions (every message below follows them):
 *  - A message struct starts with @argsz, the number of bytes the caller
 *    filled, and @flags. The library accepts any argsz from the struct's
 *    first published size up to its current size, treats the missing tail
 *    as zero, and rejects a smaller argsz with -EINVAL. A larger argsz is
 *    accepted only if the extra bytes are zero (-E2BIG otherwise).
 *  - Unknown flag bits and non-zero reserved fields fail with -EINVAL; a
 *    known feature the unit does not offer fails with -EOPNOTSUPP.
 *  - Addresses are uint64_t, ids uint32_t; user buffers are passed as
 *    uint64_t (XIOMMU_PTR()) so the same layouts serve the ioctl ABI.
 *  - Every call returns 0 or a negative errno. A failed call changes no
 *    state (objects, stage 2, hardware/model entries, caches, queues) and
 *    leaves a message for xiommu_last_error() naming the field, its value
 *    and the limit it broke.
 *  - Each call's comment ends with "Errors:", every errno it returns (a
 *    test holds the calls to these lists). [msg] stands for the errors of
 *    every call taking a message struct:
 *    Errors[msg]: -EINVAL (ctx NULL, argsz below the message), -EFAULT (the
 *    message is NULL), -E2BIG (argsz above 4096, non-zero bytes beyond the
 *    known size), -EPROTO (a message larger than the library's buffer).
 *    [prog] stands for the errors of running a program (the plugin's
 *    commands or descriptors) on the unit, beyond those the call lists:
 *    Errors[prog]: -ENOMEM, -ENOSPC (over 2^20 operations), and the
 *    backend's final check of each operation: -EPERM (a stream, domain or
 *    tag the viommu does not own, or a command a guest may not issue),
 *    -EINVAL (a malformed operation), -EEXIST and -ENOENT (SMMUv3: an
 *    entry or stream in the wrong state), -E2BIG (VT-d: a write past a
 *    table).
 *
 * Objects: a context holds units (from the ini file); a viommu is one VM's
 * view of a unit; a vdev is a device assigned to that VM; memory regions are
 * the VMM's buffers that stage 2 maps guest-physical ranges onto. Ids are
 * unique per context and never reused while the context is open.
 *
 * Thread safety: one context may be shared by several threads. Every call
 * takes the context's lock for its whole duration (calls are serialised per
 * context; separate contexts never contend). xiommu_last_error() reads the
 * calling thread's own message, so errors never leak between threads.
 * xiommu_close() must not race any other call on the same context.
 */
#ifndef XIOMMU_XIOMMU_H
#define XIOMMU_XIOMMU_H

#ifdef __KERNEL__
#include <linux/types.h>	/* the models and xiommu.ko use the constants */
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define XIOMMU_API_VERSION 1

#if defined(__GNUC__)
#define XIOMMU_EXPORT __attribute__((visibility("default")))
#else
#define XIOMMU_EXPORT
#endif

/* Pass a pointer through a uint64_t message field. */
#define XIOMMU_PTR(p) ((uint64_t)(uintptr_t)(p))

struct xiommu_ctx;

/* ---- context ---------------------------------------------------------- */

/*
 * Open a context from an ini file. On failure *ctx is NULL and
 * xiommu_last_error(NULL) names the file, line, section and key at fault.
 * Errors: those of xiommu_open_config(), and fopen(3)'s errno (-ENOENT,
 * -EACCES, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EMFILE, ...), -EIO (read
 * error), -EFBIG (file too large).
 */
XIOMMU_EXPORT int xiommu_open(const char *path, struct xiommu_ctx **ctx);

/*
 * Same, from ini text in memory (for embedders). @name is used in messages
 * in place of a file name; relative plugin_dir values resolve against the
 * current directory.
 * Errors: -EINVAL (NULL text or ctx, a syntax error, an unknown key, a
 * value out of range, a plugin's own parameter check), -EFBIG (text too
 * large), -EIO (unparsable), -EEXIST (a unit named twice), -ENOSPC (too
 * many units or backends), -ENOENT (plugin or backend model not found),
 * -ENOEXEC (plugin cannot be loaded), -EPROTO (plugin ABI or parameter
 * mismatch, capabilities beyond the limits), -ENODEV (VT-d: the hardware
 * lacks scalable mode or QI), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_open_config(const char *text, size_t len,
				     const char *name, struct xiommu_ctx **ctx);

/* Tear down every object of the context and unload its plugins. */
XIOMMU_EXPORT void xiommu_close(struct xiommu_ctx *ctx);

/*
 * The calling thread's last error message for @ctx (or for the last failed
 * xiommu_open*() when @ctx is NULL); "" when the last call succeeded.
 */
XIOMMU_EXPORT const char *xiommu_last_error(const struct xiommu_ctx *ctx);

/* ---- units and hardware info ----------------------------------------- */

enum xiommu_vendor {
	XIOMMU_VENDOR_NONE = 0,
	XIOMMU_VENDOR_SMMUV3 = 1,
	XIOMMU_VENDOR_VTD = 2,
	XIOMMU_VENDOR_TEST = 0xff00,	/* only built by the test suite */
};

/* Number of units in the context (indexes 0 .. count-1). */
XIOMMU_EXPORT uint32_t xiommu_unit_count(const struct xiommu_ctx *ctx);

/* struct xiommu_hw_info.features */
#define XIOMMU_HW_NESTING	(1ull << 0) /* stage 1 over stage 2 */
#define XIOMMU_HW_PASID		(1ull << 1) /* PASID/SSID-tagged DMA */
#define XIOMMU_HW_MSI_NESTING	(1ull << 2) /* MSIs are translated: xiommu_msi_bind() needed */
#define XIOMMU_HW_STALL		(1ull << 3) /* faults can stall for a page response */
#define XIOMMU_HW_PRI		(1ull << 4) /* PCI page requests */
#define XIOMMU_HW_RANGE_INV	(1ull << 5) /* address-range invalidation in one command */
#define XIOMMU_HW_ATS		(1ull << 6) /* device TLBs (ATS/ATC) */
#define XIOMMU_HW_BIND_TABLE	(1ull << 7) /* the hardware walks a guest PASID table */
#define XIOMMU_HW_BIND_PASID	(1ull << 8) /* stage 1 is bound one PASID at a time */
#define XIOMMU_HW_ALL		((1ull << 9) - 1)

/* struct xiommu_hw_info.granules */
#define XIOMMU_GRANULE_4K	(1u << 0)
#define XIOMMU_GRANULE_16K	(1u << 1)
#define XIOMMU_GRANULE_64K	(1u << 2)

/* struct xiommu_hw_info.raw_type: layout of the raw register copy */
enum xiommu_raw_type {
	XIOMMU_RAW_NONE = 0,
	XIOMMU_RAW_SMMUV3 = 1,	/* uint32_t IDR0..IDR5, IIDR, AIDR (32 bytes) */
	XIOMMU_RAW_VTD = 2,	/* uint64_t CAP, ECAP (16 bytes) */
	XIOMMU_RAW_TEST = 0xff00,
};

/*
 * xiommu_hw_info(): what a guest may be offered on a unit, after the unit's
 * capability masks from the ini file. The raw registers are filtered the
 * same way (a masked feature is cleared in them too).
 */
struct xiommu_hw_info {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t unit;		/* in: unit index */
	uint32_t vendor;	/* out: enum xiommu_vendor */
	uint64_t features;	/* out: XIOMMU_HW_* */
	uint8_t pasid_bits;	/* out: PASID/SSID width (0: no PASIDs) */
	uint8_t sid_bits;	/* out: stream id / requester id width */
	uint8_t s1_ias;		/* out: stage-1 input (IOVA) bits */
	uint8_t s1_oas;		/* out: stage-1 output (GPA) bits */
	uint8_t s2_ias;		/* out: stage-2 input (GPA) bits */
	uint8_t s2_oas;		/* out: stage-2 output (host PA) bits */
	uint8_t tag_bits;	/* out: architecture tag width (SMMUv3 ASID, VT-d guest DID), 0 if none */
	uint8_t __reserved0;
	uint32_t s1_granules;	/* out: XIOMMU_GRANULE_* usable at stage 1 */
	uint32_t s2_granules;	/* out: XIOMMU_GRANULE_* of the host stage 2 */
	uint64_t s1_pgsizes;	/* out: bit n set = stage-1 leaf of 2^n bytes */
	uint64_t s2_pgsizes;	/* out: bit n set = stage-2 leaf of 2^n bytes */
	uint32_t raw_type;	/* out: enum xiommu_raw_type */
	uint32_t raw_len;	/* in: bytes at raw_ptr; out: bytes the vendor has */
	uint64_t raw_ptr;	/* in: buffer for the raw registers, or 0 */
	char vendor_name[16];	/* out: plugin's vendor name, NUL-terminated */
	char unit_name[32];	/* out: the ini section's unit name */
	char backend[16];	/* out: "embedded", "kernel" */
};
/* Errors: [msg], -EINVAL (flags), -ENOENT (unit), -EFAULT (raw_len with no raw_ptr). */
XIOMMU_EXPORT int xiommu_hw_info(struct xiommu_ctx *ctx, struct xiommu_hw_info *info);

/* ---- viommu ----------------------------------------------------------- */

/*
 * xiommu_viommu_alloc(): one VM's view of a unit. The backend allocates the
 * VMID / DID and an empty stage 2; the VMM never chooses them.
 */
struct xiommu_viommu_alloc {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t unit;		/* in: unit index */
	uint32_t fault_depth;	/* in: fault queue records, 0 = 256, max 65536 */
	uint32_t out_viommu_id;	/* out */
	uint32_t out_tag;	/* out: VMID / DID picked by the backend (for logs) */
};
/*
 * Errors: [msg], -EINVAL (flags, fault_depth), -ENOENT (unit), -ENOSPC (no
 * VMID / DID left, object ids exhausted), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_viommu_alloc(struct xiommu_ctx *ctx, struct xiommu_viommu_alloc *cmd);
/*
 * Errors: -EINVAL (ctx NULL), -ENOENT (viommu_id), -EBUSY (vdevs, mappings
 * or MSI bindings remain).
 */
XIOMMU_EXPORT int xiommu_viommu_free(struct xiommu_ctx *ctx, uint32_t viommu_id);

/* ---- memory and stage 2 ----------------------------------------------- */

/*
 * xiommu_mem_register(): hand the library a VMM buffer that stage 2 may map
 * guest-physical ranges onto. @addr and @size are page (4 KiB) aligned.
 * The buffer must stay valid until xiommu_mem_unregister().
 */
struct xiommu_mem_register {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint64_t addr;		/* in: XIOMMU_PTR(buffer) */
	uint64_t size;		/* in: bytes */
	uint32_t out_region_id;	/* out */
	uint32_t __reserved;
};
/*
 * Errors: [msg], -EINVAL (flags, __reserved, addr or size unaligned or
 * zero), -ENOSPC (the backend's address space or object ids exhausted),
 * -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_mem_register(struct xiommu_ctx *ctx, struct xiommu_mem_register *cmd);
/* Errors: -EINVAL (ctx NULL), -ENOENT (region_id), -EBUSY (a stage 2 maps the region). */
XIOMMU_EXPORT int xiommu_mem_unregister(struct xiommu_ctx *ctx, uint32_t region_id);

#define XIOMMU_MAP_READ		(1u << 0)
#define XIOMMU_MAP_WRITE	(1u << 1)

/*
 * xiommu_map(): map [gpa, gpa+size) of a viommu's stage 2 onto
 * [offset, offset+size) of a region. gpa, offset and size are aligned to the
 * unit's smallest stage-2 page; the range must fit s2_ias, the region and
 * must not overlap an existing mapping (-EEXIST).
 */
struct xiommu_map {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_MAP_READ | XIOMMU_MAP_WRITE (one at least) */
	uint32_t viommu_id;
	uint32_t region_id;
	uint64_t offset;	/* in: byte offset in the region */
	uint64_t gpa;
	uint64_t size;
};
/*
 * Errors: [msg], -EINVAL (flags, alignment, size 0), -ENOENT (viommu_id,
 * region_id), -ERANGE (beyond s2_ias or the region), -EEXIST (overlap),
 * -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_map(struct xiommu_ctx *ctx, struct xiommu_map *cmd);

/*
 * xiommu_unmap(): remove whole mappings lying in [gpa, gpa+size); a mapping
 * only partly inside the range fails the call (-EINVAL), an empty range
 * fails with -ENOENT. Stage-2 caches are invalidated before the call returns.
 */
struct xiommu_unmap {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t viommu_id;
	uint32_t __reserved;
	uint64_t gpa;
	uint64_t size;
};
/*
 * Errors: [msg], -EINVAL (flags, __reserved, an empty or wrapping range, a
 * mapping partly inside), -ENOENT (viommu_id, nothing mapped).
 */
XIOMMU_EXPORT int xiommu_unmap(struct xiommu_ctx *ctx, struct xiommu_unmap *cmd);

/* ---- vdev ------------------------------------------------------------- */

/*
 * xiommu_vdev_attach() flags: what the host grants this device. Each is the
 * host's decision per assigned device (whether the physical device may be
 * trusted with it), never the guest's; with a flag clear the feature is
 * absent for the device whatever the guest writes in its own structures.
 *  - XIOMMU_VDEV_ATS: the device may cache translations in its device TLB
 *    (PCIe ATS; SMMUv3 STE.EATS is honoured, VT-d context entry DTE set).
 *    The host then keeps that device TLB coherent with every stage-2 change
 *    and, on VT-d, adds the device-TLB flush to the guest's IOTLB
 *    invalidations. Without it no device TLB is used and guest device-TLB
 *    invalidations for the device are refused with -EOPNOTSUPP.
 *  - XIOMMU_VDEV_PRI: the device may send page requests (needs ATS). Without
 *    it a missing page is an ordinary fault record, never a page request.
 *  - XIOMMU_VDEV_STALL: a faulting access may stall for a page response
 *    (SMMUv3 stall model). Without it the host sets STE.S1STALLD, so a guest
 *    CD asking to stall is illegal (C_BAD_CD).
 * A flag the unit does not offer (xiommu_hw_info features ATS, PRI, STALL)
 * fails with -EOPNOTSUPP; PRI without ATS with -EINVAL.
 */
#define XIOMMU_VDEV_ATS		(1u << 0)
#define XIOMMU_VDEV_PRI		(1u << 1)
#define XIOMMU_VDEV_STALL	(1u << 2)
#define XIOMMU_VDEV_ALL		((1u << 3) - 1)

/*
 * xiommu_vdev_attach(): assign the device with physical stream id / RID
 * @psid on the viommu's unit; the guest names it @vsid. The device starts
 * in the ABORT config. A psid may be attached once per unit, a vsid once
 * per viommu.
 */
struct xiommu_vdev_attach {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_VDEV_* grants */
	uint32_t viommu_id;
	uint32_t psid;		/* in: < 2^sid_bits */
	uint64_t vsid;		/* in: virtual stream id / RID the guest uses */
	uint32_t pasid_bits;	/* in: the device's PASID width, <= hw pasid_bits */
	uint32_t out_vdev_id;	/* out */
};
/*
 * Errors: [msg], [prog] (writing the ABORT entry), -EINVAL (flags, PRI
 * without ATS), -EOPNOTSUPP (a grant the unit does not offer), -ENOENT
 * (viommu_id), -ERANGE (psid beyond sid_bits or the backend's stream
 * table, pasid_bits beyond the unit's), -EBUSY (psid attached, here or by
 * another viommu), -EEXIST (vsid used in the viommu), -ENOSPC (the
 * backend's stream slots full, object ids exhausted), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_vdev_attach(struct xiommu_ctx *ctx, struct xiommu_vdev_attach *cmd);
/*
 * Installs ABORT, drops every binding, frees the vdev.
 * Errors: -EINVAL (ctx NULL), -ENOENT (vdev_id).
 */
XIOMMU_EXPORT int xiommu_vdev_detach(struct xiommu_ctx *ctx, uint32_t vdev_id);

/* ---- stage-1 binding --------------------------------------------------- */

enum xiommu_config {
	XIOMMU_CONFIG_ABORT = 1,	/* every DMA aborted */
	XIOMMU_CONFIG_BYPASS = 2,	/* stage 1 bypassed: IOVA = GPA, stage 2 only */
	XIOMMU_CONFIG_TRANSLATE = 3,	/* guest stage 1 nested over stage 2 */
};

enum xiommu_s1_format {
	XIOMMU_S1_NONE = 0,		/* ABORT and BYPASS */
	XIOMMU_S1_SMMUV3_CD_TABLE = 1,	/* table_gpa = guest CD table (STE.S1ContextPtr) */
	XIOMMU_S1_VTD_FIRST_LEVEL = 2,	/* table_gpa = first-level root (PASID entry FLPTPTR) */
	XIOMMU_S1_VTD_PASID_TABLE = 3,	/* table_gpa = guest PASID directory (shadowed) */
	XIOMMU_S1_TEST = 0xff00,
};

/* SMMUv3 guest STE fields (IHI0070 STE dw0/dw1); every value is checked. */
struct xiommu_s1_smmuv3 {
	uint8_t s1fmt;		/* 0 linear, 1 2-level 4K leaves, 2 2-level 64K leaves */
	uint8_t s1dss;		/* 0 terminate, 1 bypass, 2 SSID-less traffic uses CD 0 */
	uint8_t s1cir;		/* CD fetch inner cacheability */
	uint8_t s1cor;		/* CD fetch outer cacheability */
	uint8_t s1csh;		/* CD fetch shareability: 0, 2 or 3 */
	uint8_t s1stalld;	/* 1: stalling CDs are illegal */
	uint8_t eats;		/* 0 ATS off, 1 full ATS (only with XIOMMU_HW_ATS) */
	uint8_t __reserved0;
	uint64_t __reserved[3];
};

/* VT-d guest PASID-entry fields (VT-d spec 9.6) */
#define XIOMMU_VTD_S1_SRE	(1ull << 0)	/* supervisor requests */
#define XIOMMU_VTD_S1_WPE	(1ull << 1)	/* write protect (with SRE) */
#define XIOMMU_VTD_S1_EAFE	(1ull << 2)	/* extended accessed flag */
#define XIOMMU_VTD_S1_ERE	(1ull << 3)	/* execute requests (needs ECAP.ERS) */
/*
 * @did is the DID of the guest's PASID entry (0..65535). The IOTLB is
 * tagged by DID and PASID, so the host gives every guest DID of a viommu a
 * host DID of its own: PASIDs the guest puts in different domains never
 * share cached translations, and a guest invalidation naming a DID reaches
 * exactly that domain.
 */
struct xiommu_s1_vtd {
	uint64_t flags;		/* XIOMMU_VTD_S1_* */
	uint32_t did;		/* guest DID */
	uint32_t __reserved0;
	uint64_t __reserved[2];
};

#define XIOMMU_BIND_PASID	(1u << 0)	/* bind stage 1 of @pasid only */

/*
 * xiommu_bind(): set a vdev's config. Without XIOMMU_BIND_PASID it sets the
 * whole device: ABORT, BYPASS, or TRANSLATE with the guest's PASID table at
 * @table_gpa holding 2^@pasid_bits entries (0: one context, no PASIDs).
 * With XIOMMU_BIND_PASID (units with XIOMMU_HW_BIND_PASID) it binds one
 * PASID's stage 1 rooted at @table_gpa with @addr_width input bits; config
 * must be TRANSLATE. A bind replaces the previous one hitlessly: DMA in
 * flight sees the old config, the new one, or abort, never a mix.
 */
struct xiommu_bind {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_BIND_PASID */
	uint32_t vdev_id;
	uint32_t config;	/* in: enum xiommu_config */
	uint32_t pasid;		/* in: with XIOMMU_BIND_PASID */
	uint32_t format;	/* in: enum xiommu_s1_format */
	uint64_t table_gpa;	/* in: guest table, aligned as the format needs */
	uint8_t pasid_bits;	/* in: whole-table binds */
	uint8_t addr_width;	/* in: per-PASID binds (VT-d: 48 or 57) */
	uint8_t __reserved[6];
	union {
		struct xiommu_s1_smmuv3 smmuv3;
		struct xiommu_s1_vtd vtd;
		uint64_t raw[4];
	} s1;			/* in: selected by @format */
};
/*
 * Errors: [msg], [prog], -EINVAL (flags, __reserved, config, format,
 * fields of the vendor's s1 union, alignment), -EOPNOTSUPP (a feature the
 * unit does not offer or the ini hides, no extra host tags), -ERANGE
 * (table_gpa beyond s2_ias, pasid or pasid_bits beyond the vdev's,
 * addr_width beyond s1_ias, a guest DID beyond 16 bits, a psid that is no
 * PCI RID), -ENOENT (vdev_id), -ENOSPC (no host tag left), -EPROTO (VT-d:
 * the plugin lost track of a host DID), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_bind(struct xiommu_ctx *ctx, struct xiommu_bind *cmd);

/*
 * xiommu_unbind(): without XIOMMU_BIND_PASID, drop the device's stage 1 and
 * fall back to @config (ABORT or BYPASS); with it, drop one PASID's binding
 * (its DMA then faults). On a per-PASID unit (XIOMMU_HW_BIND_PASID, VT-d)
 * the device's own stage 1 serves its requests without a PASID; PASID
 * bindings are the guest's PASID entries, each bound and dropped on its
 * own, so a whole-device ABORT leaves them to the VMM to drop.
 */
struct xiommu_unbind {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_BIND_PASID */
	uint32_t vdev_id;
	uint32_t config;	/* in: ABORT or BYPASS (whole device only, else 0) */
	uint32_t pasid;
	uint32_t __reserved;
};
/*
 * Errors: [msg], [prog], -EINVAL (flags, __reserved, config, PASID 0),
 * -ENOENT (vdev_id, a PASID not bound), -EOPNOTSUPP (the plugin binds no
 * single PASIDs), -EPROTO (VT-d: the plugin lost track of a host DID).
 */
XIOMMU_EXPORT int xiommu_unbind(struct xiommu_ctx *ctx, struct xiommu_unbind *cmd);

/* ---- cache invalidation ----------------------------------------------- */

enum xiommu_inv_cache {
	XIOMMU_CACHE_IOTLB = 1,		/* translations of stage 1 (and combined) */
	XIOMMU_CACHE_DEVTLB = 2,	/* device TLB / ATC of one vdev */
	XIOMMU_CACHE_CONFIG = 3,	/* PASID-table / CD entries */
};

enum xiommu_inv_scope {
	XIOMMU_INV_ALL = 1,	/* everything of the viommu (or of the vdev) */
	XIOMMU_INV_PASID = 2,	/* one PASID */
	XIOMMU_INV_TAG = 3,	/* one architecture tag (SMMUv3 ASID, VT-d guest DID) */
	XIOMMU_INV_RANGE = 4,	/* [addr, addr+size); with PASID and/or TAG if flagged */
};

#define XIOMMU_INV_F_PASID	(1u << 0)	/* @pasid is valid */
#define XIOMMU_INV_F_TAG	(1u << 1)	/* @tag is valid */
#define XIOMMU_INV_F_VDEV	(1u << 2)	/* @vdev_id is valid */
#define XIOMMU_INV_F_LEAF	(1u << 3)	/* only leaf entries changed */

/*
 * One generic invalidation. Valid combinations (others: -EINVAL):
 *   IOTLB  ALL | TAG(+TAG) | PASID(+PASID) | RANGE(+TAG and/or +PASID, LEAF)
 *   DEVTLB ALL | PASID | RANGE, always with +VDEV
 *   CONFIG ALL | PASID, always with +VDEV
 * RANGE needs addr and size aligned to 4 KiB, size > 0, no overflow.
 * Global translations (SMMUv3 nG = 0, VT-d first-level G = 1) belong to no
 * tag: like the architectures' own TLBI by ASID and PASID-selective
 * P_IOTLB, IOTLB TAG and PASID may keep them; ALL and RANGE drop them (a
 * RANGE a backend widens is widened to a form that drops them too).
 */
struct xiommu_inv_entry {
	uint8_t cache;		/* enum xiommu_inv_cache */
	uint8_t scope;		/* enum xiommu_inv_scope */
	uint16_t flags;		/* XIOMMU_INV_F_* */
	uint32_t vdev_id;
	uint32_t pasid;
	uint32_t tag;
	uint64_t addr;
	uint64_t size;
	uint64_t __reserved;
};

enum xiommu_inv_type {
	XIOMMU_INV_GENERIC = 1,		/* struct xiommu_inv_entry[] */
	XIOMMU_INV_RAW_SMMUV3 = 2,	/* guest CMDQ entries, 16 bytes each */
	XIOMMU_INV_RAW_VTD = 3,		/* guest QI descriptors, 32 bytes each */
	XIOMMU_INV_RAW_TEST = 0xff00,
};

/*
 * xiommu_invalidate(): a whole guest batch in one call. Every entry is
 * checked first; if one is rejected nothing runs, the call fails and
 * @out_error_index names it. Otherwise the entries run in order followed by
 * one completion (CMD_SYNC / invalidation wait). @entry_len is the size of
 * one entry as the caller knows it (generic entries: >= 40).
 *
 * A raw batch may hold the guest's own completions, so a VMM forwards the
 * guest's queue slice unchanged: a guest CMD_SYNC (SMMUv3) or invalidation
 * wait (VT-d) runs where it stands, after everything before it completed,
 * and then takes its guest-visible effect through the VM's stage 2: the
 * CMD_SYNC's MSI write (CS = SIG_IRQ: MSIData at MSIAddr) or the wait's
 * status write (SW = 1: StatusData at StatusAddress). Both addresses are
 * guest physical; one that stage 2 does not map writable fails the call
 * with -EFAULT naming the entry. An interrupt the guest asked for (VT-d
 * IF = 1) is the VMM's to raise when the call returns.
 */
struct xiommu_invalidate {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t viommu_id;
	uint32_t type;		/* in: enum xiommu_inv_type */
	uint32_t entry_len;
	uint32_t entry_num;	/* in: entries (<= 65536; 0 is a no-op) */
	uint64_t entries_ptr;	/* in: XIOMMU_PTR(array) */
	uint32_t out_error_index; /* out: rejected entry, or entry_num */
	uint32_t __reserved;
};
/*
 * Errors: [msg], [prog], -EINVAL (flags, __reserved, type, entry_len, an
 * entry's fields or combination, a malformed or unaligned raw command),
 * -EFAULT (entries_ptr 0), -E2BIG (entry_num over 65536, non-zero bytes
 * beyond the known entry), -ENOENT (viommu_id, an entry's vdev, a raw
 * command naming an unknown stream), -ERANGE (pasid or tag beyond its
 * width), -EOPNOTSUPP (a feature the unit does not offer or the ini
 * hides), -EPERM (a raw command a guest may not issue), -EFAULT (a guest
 * completion's status or MSI address not writable guest memory), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_invalidate(struct xiommu_ctx *ctx, struct xiommu_invalidate *cmd);

/* ---- MSI --------------------------------------------------------------- */

#define XIOMMU_MSI_UNBIND	(1u << 0)

/*
 * xiommu_msi_bind(): the guest maps @giova to its doorbell @gdb (a GPA);
 * the host maps gdb to the unit's real doorbell in stage 2. Units without
 * XIOMMU_HW_MSI_NESTING answer -EOPNOTSUPP (interrupt remapping covers it).
 * With XIOMMU_MSI_UNBIND the binding of @gdb is removed.
 */
struct xiommu_msi_bind {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_MSI_UNBIND */
	uint32_t viommu_id;
	uint32_t __reserved;
	uint64_t giova;		/* in: address the device writes */
	uint64_t gdb;		/* in: guest doorbell GPA, page aligned */
	uint64_t size;		/* in: doorbell window, one page at most */
};
/*
 * Errors: [msg], [prog], -EINVAL (flags, __reserved, alignment, size),
 * -ENOENT (viommu_id, unbinding a gdb not bound), -EEXIST (gdb bound or in
 * a stage-2 mapping), -EOPNOTSUPP (no XIOMMU_HW_MSI_NESTING), -ENOMEM.
 */
XIOMMU_EXPORT int xiommu_msi_bind(struct xiommu_ctx *ctx, struct xiommu_msi_bind *cmd);

#ifdef __cplusplus
}
#endif

/* Fault records, their queue and page responses: xiommu/fault.h. */
#include <xiommu/fault.h>
/* The DMA test port, MSI log, statistics and decoding: xiommu/diag.h. */
#include <xiommu/diag.h>

#endif /* XIOMMU_XIOMMU_H */
