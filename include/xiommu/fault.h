/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xiommu public API, version 1: fault records, the per-viommu fault queue
 * and page responses. Part of xiommu.h (which includes this file; the same
 * conventions hold).
 */
#ifndef XIOMMU_FAULT_H
#define XIOMMU_FAULT_H

#include <xiommu/xiommu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- faults ------------------------------------------------------------ */

enum xiommu_fault_type {
	XIOMMU_FAULT_DMA = 1,		/* unrecoverable DMA or config fault */
	XIOMMU_FAULT_PAGE_REQ = 2,	/* page request or stall: answer it */
	XIOMMU_FAULT_LOST = 3,		/* @lost records were dropped before this one */
};

enum xiommu_fault_reason {
	XIOMMU_FR_UNKNOWN = 0,
	XIOMMU_FR_TRANSLATION = 1,	/* no valid entry */
	XIOMMU_FR_PERMISSION = 2,
	XIOMMU_FR_ACCESS = 3,		/* access flag */
	XIOMMU_FR_ADDR_SIZE = 4,	/* address beyond a size limit */
	XIOMMU_FR_BAD_CONFIG = 5,	/* illegal STE / context entry */
	XIOMMU_FR_BAD_PASID_ENTRY = 6,	/* illegal CD / PASID entry */
	XIOMMU_FR_BAD_PASID = 7,	/* PASID out of range / not allowed */
	XIOMMU_FR_CONFIG_FETCH = 8,	/* abort fetching a config structure */
	XIOMMU_FR_WALK_EABT = 9,	/* abort on a table walk access */
	XIOMMU_FR_DISABLED = 10,	/* stream or PASID disabled */
};

/*
 * What a fault record's flags and addresses mean, for every vendor:
 * - @addr (with F_ADDR) is always the input address of the faulting access
 *   (the IOVA), never a table address.
 * - F_STAGE2: the host's stage 2 raised the fault: a GPA that stage 2 does
 *   not map, does not permit, or that exceeds its input size - the access's
 *   own stage-1 output, or the GPA of a stage-1 table entry or of a guest
 *   structure (CD, PASID-table entry) that stage 2 was translating.
 * - F_WALK: the fault happened while fetching a stage-1 translation-table
 *   entry, not on the final access.
 * - F_FETCH: @fetch_addr is valid. @fetch_addr is the GPA that failed: for
 *   a stage-2 fault the GPA stage 2 was translating (the access's IPA, or
 *   the GPA of the stage-1 table entry or structure being fetched); for a
 *   fault fetching a guest structure, the GPA of that structure.
 *   fetch_addr is never filled without F_FETCH, and F_FETCH is set only from
 *   a value the hardware record really carries: a vendor whose record has
 *   no such field leaves it clear and says so in its decode documentation.
 */
#define XIOMMU_FAULT_F_PASID	(1u << 0)	/* @pasid valid */
#define XIOMMU_FAULT_F_ADDR	(1u << 1)	/* @addr valid: the access's input address */
#define XIOMMU_FAULT_F_FETCH	(1u << 2)	/* @fetch_addr valid: the GPA that failed */
#define XIOMMU_FAULT_F_STAGE2	(1u << 3)	/* raised by the host's stage 2 */
#define XIOMMU_FAULT_F_WALK	(1u << 4)	/* fetching a stage-1 table entry */
#define XIOMMU_FAULT_F_LAST	(1u << 5)	/* last page of a page-request group */
#define XIOMMU_FAULT_F_STALL	(1u << 6)	/* a stalled transaction, not a PCI page request */
/*
 * The hardware reports one permission for both stages and does not say
 * which refused the access (VT-d fault reason 0x85, no write permission
 * after nesting): the fault may be the guest's stage 1 or the host's
 * stage 2. F_STAGE2 is then clear; a VMM checks the guest's own entry
 * before injecting the fault into the guest.
 */
#define XIOMMU_FAULT_F_EITHER_STAGE	(1u << 7)
#define XIOMMU_FAULT_F_ALL		((1u << 8) - 1)

#define XIOMMU_PERM_READ	(1u << 0)
#define XIOMMU_PERM_WRITE	(1u << 1)
#define XIOMMU_PERM_EXEC	(1u << 2)
#define XIOMMU_PERM_PRIV	(1u << 3)

/* One record of a viommu's fault queue (64 bytes). */
struct xiommu_fault {
	uint32_t type;		/* enum xiommu_fault_type */
	uint32_t flags;		/* XIOMMU_FAULT_F_* */
	uint32_t sequence;	/* increments per record, lost ones included */
	uint32_t reason;	/* enum xiommu_fault_reason */
	uint32_t vdev_id;
	uint32_t pasid;
	uint32_t perm;		/* XIOMMU_PERM_* of the faulting access */
	uint32_t grpid;		/* page-request group / stall tag */
	uint64_t addr;		/* input address */
	uint64_t fetch_addr;	/* with F_FETCH: the GPA that failed (see above) */
	uint32_t vendor_code;	/* SMMUv3 EventID, VT-d fault reason */
	uint32_t lost;		/* XIOMMU_FAULT_LOST: records dropped */
	uint64_t __reserved;
};

/*
 * xiommu_fault_fd(): a descriptor that polls readable while the viommu's
 * fault queue holds records. Owned by the library (do not close it).
 */
/* Errors: -EINVAL (ctx or fd NULL), -ENOENT (viommu_id). */
XIOMMU_EXPORT int xiommu_fault_fd(struct xiommu_ctx *ctx, uint32_t viommu_id, int *fd);

/*
 * xiommu_fault_read(): copy up to @count records (each @record_len bytes,
 * >= 64) and drop them from the queue. The queue never blocks the IOMMU:
 * when it is full new faults are counted, and the next read returns one
 * XIOMMU_FAULT_LOST record with that count before the newer records.
 */
struct xiommu_fault_read {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t viommu_id;
	uint32_t record_len;	/* in: sizeof(struct xiommu_fault) or more */
	uint32_t count;		/* in: room; out: records copied */
	uint32_t __reserved;
	uint64_t records_ptr;
};
/* Errors: [msg], -EINVAL (flags, __reserved, record_len), -ENOENT (viommu_id), -EFAULT. */
XIOMMU_EXPORT int xiommu_fault_read(struct xiommu_ctx *ctx, struct xiommu_fault_read *cmd);

enum xiommu_page_response_code {
	XIOMMU_PAGE_SUCCESS = 0,	/* retry the access */
	XIOMMU_PAGE_INVALID = 1,	/* the access fails */
	XIOMMU_PAGE_FAILURE = 2,	/* the device stops requesting */
};

/*
 * xiommu_page_response(): answer a XIOMMU_FAULT_PAGE_REQ record. Echo the
 * record's XIOMMU_FAULT_F_PASID and XIOMMU_FAULT_F_STALL flags: a stall is
 * resumed (SMMUv3 RESUME with the stall tag), a PCI page request answered
 * (PRI_RESP / page-group response with the group index).
 */
struct xiommu_page_response {
	uint32_t argsz;
	uint32_t flags;		/* in: XIOMMU_FAULT_F_PASID, XIOMMU_FAULT_F_STALL */
	uint32_t viommu_id;
	uint32_t vdev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t code;		/* enum xiommu_page_response_code */
	uint32_t __reserved;
};
/*
 * Errors: [msg], [prog], -EINVAL (flags, __reserved, code, pasid without
 * F_PASID), -ENOENT (viommu_id, vdev_id), -ERANGE (pasid beyond the vdev's
 * pasid_bits), -EOPNOTSUPP (no stall or PRI to answer).
 */
XIOMMU_EXPORT int xiommu_page_response(struct xiommu_ctx *ctx, struct xiommu_page_response *cmd);

/*
 * xiommu_fault_encode(): turn a generic record back into the guest's own
 * format (SMMUv3 event record with the vSID, VT-d fault record with the
 * vRID), ready to inject into the vIOMMU. @buf_len in: room; out: bytes.
 */
struct xiommu_fault_encode {
	uint32_t argsz;
	uint32_t flags;		/* in: 0 */
	uint32_t viommu_id;
	uint32_t buf_len;
	uint64_t fault_ptr;	/* in: struct xiommu_fault */
	uint64_t buf_ptr;	/* out: guest-format record */
};
/*
 * Errors: [msg], -EINVAL (flags, a record the guest format cannot hold),
 * -ENOENT (viommu_id, the record's vdev), -EFAULT (fault_ptr or buf_ptr
 * 0), -ENOSPC (buf_len too small), -ERANGE (a field too wide for the guest
 * format), -EOPNOTSUPP (the plugin has no guest records).
 */
XIOMMU_EXPORT int xiommu_fault_encode(struct xiommu_ctx *ctx, struct xiommu_fault_encode *cmd);

#ifdef __cplusplus
}
#endif

#endif /* XIOMMU_FAULT_H */
