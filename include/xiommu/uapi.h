/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The /dev/xiommu ioctl ABI: the kernel backend of libxiommu talks to
 * xiommu.ko through these calls, one ioctl per message of struct
 * xm_model_ops (kernel/model/xm_model.h).
 *
 * Conventions (those of include/uapi/linux/iommufd.h):
 *  - every ioctl is _IO(XIOMMU_TYPE, n) and takes a pointer to a struct led
 *    by __u32 size (sizeof the struct user space was built with) and __u32
 *    flags;
 *  - a size shorter than the first version of the struct: -EINVAL; a longer
 *    struct is accepted when every byte past the kernel's struct is zero
 *    (-E2BIG otherwise); a shorter-but-valid struct reads as zero-extended;
 *  - an unknown flag, or a non-zero __reserved field: -EINVAL;
 *  - results (out_* fields) are copied back over min(size, kernel size)
 *    bytes, and only when the call succeeds;
 *  - objects (units, domains, memory) are named by ids local to the open
 *    file; an id of another kind or of another file reads as absent
 *    (-ENOENT). Closing the file destroys every object it holds.
 * Every call may also return -EFAULT (a bad user pointer) and -ENOMEM.
 *
 * Host addresses (out_hpa, out_desc.s2_root, ...) are cookies of a host
 * address space private to the open file; they are not physical addresses.
 */
#ifndef XIOMMU_UAPI_H
#define XIOMMU_UAPI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif
#include <xiommu/program.h>

#define XIOMMU_TYPE	'x'
#define XIOMMU_VENDOR_MAX	16
#define XIOMMU_EXEC_MAX_OPS	XIOMMU_PROG_MAX_OPS
#define XIOMMU_DMA_MAX	(64u << 20)

enum {
	XIOMMU_CMD_BASE = 0x80,
	XIOMMU_CMD_DESTROY = XIOMMU_CMD_BASE,
	XIOMMU_CMD_UNIT_CREATE,
	XIOMMU_CMD_UNIT_REGS,
	XIOMMU_CMD_DOMAIN_ALLOC,
	XIOMMU_CMD_TAG_ALLOC,
	XIOMMU_CMD_TAG_FREE,
	XIOMMU_CMD_MEM_REGISTER,
	XIOMMU_CMD_S2_MAP,
	XIOMMU_CMD_S2_UNMAP,
	XIOMMU_CMD_STREAM_ATTACH,
	XIOMMU_CMD_STREAM_DETACH,
	XIOMMU_CMD_EXEC,
	XIOMMU_CMD_DMA,
	XIOMMU_CMD_EVENT_FD,
	XIOMMU_CMD_MSI_POP,
	XIOMMU_CMD_STATS,
	XIOMMU_CMD_GRANT_STREAMS,
	XIOMMU_CMD_NULL,
};

/**
 * struct xiommu_ioc_destroy - ioctl(XIOMMU_DESTROY)
 * @size: sizeof(struct xiommu_ioc_destroy)
 * @flags: must be 0
 * @id: a unit, domain or memory object of this file
 * @__reserved: must be 0
 *
 * Destroy an object. A domain goes with its streams (detached), its stage-2
 * mappings and its tags; a unit with its domains. Memory still mapped by a
 * stage 2 is refused.
 *
 * Errors: -EINVAL flags or __reserved; -ENOENT no such object; -EBUSY
 * memory still mapped.
 */
struct xiommu_ioc_destroy {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 __reserved;
};
#define XIOMMU_DESTROY _IO(XIOMMU_TYPE, XIOMMU_CMD_DESTROY)

/**
 * struct xiommu_ioc_unit_create - ioctl(XIOMMU_UNIT_CREATE)
 * @size: sizeof(struct xiommu_ioc_unit_create)
 * @flags: must be 0
 * @vendor: model name, NUL-terminated ("smmuv3", "vtd")
 * @params_len: bytes at @params_uptr, exactly the vendor's parameter struct
 * @err_len: bytes at @err_uptr (0: no message wanted)
 * @params_uptr: the vendor parameter struct (include/xiommu/arch/)
 * @err_uptr: receives the model's NUL-terminated reason on -EINVAL
 * @out_unit_id: the new unit
 * @__reserved: must be 0
 *
 * Create one instance of a hardware model, private to this file.
 *
 * Errors: -EINVAL flags, __reserved, vendor not terminated, parameters
 * refused by the model (@err_uptr says which); -ENOENT no model for
 * @vendor; -EPROTO @params_len is not the vendor's struct size; -ENOSPC the
 * file holds XIOMMU_UNITS_MAX units.
 */
struct xiommu_ioc_unit_create {
	__u32 size;
	__u32 flags;
	char vendor[XIOMMU_VENDOR_MAX];
	__u32 params_len;
	__u32 err_len;
	__aligned_u64 params_uptr;
	__aligned_u64 err_uptr;
	__u32 out_unit_id;
	__u32 __reserved;
};
#define XIOMMU_UNIT_CREATE _IO(XIOMMU_TYPE, XIOMMU_CMD_UNIT_CREATE)
#define XIOMMU_UNITS_MAX	16

/**
 * struct xiommu_ioc_unit_regs - ioctl(XIOMMU_UNIT_REGS)
 * @size: sizeof(struct xiommu_ioc_unit_regs)
 * @flags: must be 0
 * @unit_id: the unit
 * @len: bytes at @buf_uptr (at most 4096)
 * @buf_uptr: receives the raw ID registers (enum xiommu_raw_type layout)
 * @out_len: bytes the model wrote
 * @__reserved: must be 0
 *
 * Errors: -EINVAL flags, __reserved or @len > 4096; -ENOENT no such unit.
 */
struct xiommu_ioc_unit_regs {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__u32 len;
	__aligned_u64 buf_uptr;
	__u32 out_len;
	__u32 __reserved;
};
#define XIOMMU_UNIT_REGS _IO(XIOMMU_TYPE, XIOMMU_CMD_UNIT_REGS)

/**
 * struct xiommu_ioc_domain_alloc - ioctl(XIOMMU_DOMAIN_ALLOC)
 * @size: sizeof(struct xiommu_ioc_domain_alloc)
 * @flags: must be 0
 * @unit_id: the unit
 * @out_domain_id: the new domain
 * @out_desc: its stage 2 and tag (VMID / DID) as the module allocated them
 *
 * Errors: -EINVAL flags; -ENOENT no such unit; -ENOSPC the unit has no free
 * VMID / DID.
 */
struct xiommu_ioc_domain_alloc {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__u32 out_domain_id;
	struct xiommu_domain_desc out_desc;
};
#define XIOMMU_DOMAIN_ALLOC _IO(XIOMMU_TYPE, XIOMMU_CMD_DOMAIN_ALLOC)

/**
 * struct xiommu_ioc_tag - ioctl(XIOMMU_TAG_ALLOC) and ioctl(XIOMMU_TAG_FREE)
 * @size: sizeof(struct xiommu_ioc_tag)
 * @flags: must be 0
 * @domain_id: the domain
 * @tag: TAG_ALLOC: out, the extra tag (DID); TAG_FREE: in, the tag to free
 *
 * Errors: -EINVAL flags, or TAG_FREE of a tag the domain does not hold;
 * -ENOENT no such domain; -EOPNOTSUPP the vendor has no extra tags; -ENOSPC
 * no free tag; -EBUSY (TAG_FREE) an entry still carries the tag.
 */
struct xiommu_ioc_tag {
	__u32 size;
	__u32 flags;
	__u32 domain_id;
	__u32 tag;
};
#define XIOMMU_TAG_ALLOC _IO(XIOMMU_TYPE, XIOMMU_CMD_TAG_ALLOC)
#define XIOMMU_TAG_FREE _IO(XIOMMU_TYPE, XIOMMU_CMD_TAG_FREE)

/**
 * struct xiommu_ioc_mem_register - ioctl(XIOMMU_MEM_REGISTER)
 * @size: sizeof(struct xiommu_ioc_mem_register)
 * @flags: must be 0
 * @uptr: start of the VMM's buffer, 4 KiB aligned
 * @length: bytes, a non-zero multiple of 4 KiB, at most 1 GiB
 * @out_hpa: host address of the buffer's first byte (for XIOMMU_S2_MAP)
 * @out_mem_id: the memory object (XIOMMU_DESTROY unpins it)
 * @__reserved: must be 0
 *
 * Pin the buffer's pages for DMA (long-term, writable) until the object is
 * destroyed or the file closed.
 *
 * Errors: -EINVAL flags, __reserved, alignment, length; -EFAULT part of the
 * range is not mapped writable; -ENOMEM.
 */
struct xiommu_ioc_mem_register {
	__u32 size;
	__u32 flags;
	__aligned_u64 uptr;
	__aligned_u64 length;
	__aligned_u64 out_hpa;
	__u32 out_mem_id;
	__u32 __reserved;
};
#define XIOMMU_MEM_REGISTER _IO(XIOMMU_TYPE, XIOMMU_CMD_MEM_REGISTER)
#define XIOMMU_MEM_MAX	(1ull << 30)

/**
 * struct xiommu_ioc_s2_map - ioctl(XIOMMU_S2_MAP)
 * @size: sizeof(struct xiommu_ioc_s2_map)
 * @flags: must be 0
 * @domain_id: the domain
 * @prot: XIOMMU_MAP_READ | XIOMMU_MAP_WRITE (include/xiommu/xiommu.h), one at least
 * @gpa: guest physical address, 4 KiB aligned
 * @hpa: host address inside one memory object of this file (or the unit's
 *       MSI doorbell page), 4 KiB aligned
 * @length: bytes, a non-zero multiple of 4 KiB
 *
 * Errors: -EINVAL flags, prot, alignment, wrap; -ENOENT no such domain;
 * -EPERM [@hpa, @hpa + @length) is not inside memory this file registered;
 * -EEXIST the range overlaps a mapping; errors of the model's stage 2.
 */
struct xiommu_ioc_s2_map {
	__u32 size;
	__u32 flags;
	__u32 domain_id;
	__u32 prot;
	__aligned_u64 gpa;
	__aligned_u64 hpa;
	__aligned_u64 length;
};
#define XIOMMU_S2_MAP _IO(XIOMMU_TYPE, XIOMMU_CMD_S2_MAP)

/**
 * struct xiommu_ioc_s2_unmap - ioctl(XIOMMU_S2_UNMAP)
 * @size: sizeof(struct xiommu_ioc_s2_unmap)
 * @flags: must be 0
 * @domain_id: the domain
 * @__reserved: must be 0
 * @gpa: start of the range
 * @length: bytes
 *
 * Remove every mapping inside the range and invalidate the TLBs.
 *
 * Errors: -EINVAL flags, __reserved, empty or wrapping range, a mapping only
 * partly inside the range; -ENOENT no such domain, or nothing mapped there.
 */
struct xiommu_ioc_s2_unmap {
	__u32 size;
	__u32 flags;
	__u32 domain_id;
	__u32 __reserved;
	__aligned_u64 gpa;
	__aligned_u64 length;
};
#define XIOMMU_S2_UNMAP _IO(XIOMMU_TYPE, XIOMMU_CMD_S2_UNMAP)

/**
 * struct xiommu_ioc_stream - ioctl(XIOMMU_STREAM_ATTACH) and ioctl(XIOMMU_STREAM_DETACH)
 * @size: sizeof(struct xiommu_ioc_stream)
 * @flags: must be 0
 * @domain_id: the domain
 * @sid: physical stream id (SMMUv3 StreamID, VT-d source id)
 * @grants: ATTACH: XIOMMU_VDEV_ATS | _PRI | _STALL (include/xiommu/xiommu.h);
 *          DETACH: must be 0
 * @__reserved: must be 0
 *
 * A file may attach a stream only when the module parameter sids= or
 * XIOMMU_GRANT_STREAMS granted it, and no other file has it attached.
 *
 * Errors: -EINVAL flags, grants, __reserved; -ENOENT no such domain, or
 * (DETACH) the stream is not attached to it; -EPERM the stream was not
 * granted to this file; -EBUSY another file holds the stream, or a domain
 * of this unit does;
 * -ERANGE @sid exceeds the unit's stream id width.
 */
struct xiommu_ioc_stream {
	__u32 size;
	__u32 flags;
	__u32 domain_id;
	__u32 sid;
	__u32 grants;
	__u32 __reserved;
};
#define XIOMMU_STREAM_ATTACH _IO(XIOMMU_TYPE, XIOMMU_CMD_STREAM_ATTACH)
#define XIOMMU_STREAM_DETACH _IO(XIOMMU_TYPE, XIOMMU_CMD_STREAM_DETACH)

/**
 * struct xiommu_ioc_exec - ioctl(XIOMMU_EXEC)
 * @size: sizeof(struct xiommu_ioc_exec)
 * @flags: must be 0
 * @domain_id: the domain the program runs for
 * @nops: entries at @ops_uptr, 1..XIOMMU_EXEC_MAX_OPS (the longest program
 *	libxiommu makes; the module copies it whole, at 80 bytes an op)
 * @ops_uptr: array of struct xiommu_op (include/xiommu/program.h)
 * @out_bad: on -EPERM / -EINVAL from the check, the index of the op refused
 * @__reserved: must be 0
 *
 * The host layer checks every op against the domain's ownership before any
 * runs: an op naming a stream of another domain or file, a host-owned
 * field (stage-2 pointer, VMID / DID) other than the domain's own, is
 * refused and nothing of the program runs. @out_bad is copied back on that
 * failure too.
 *
 * Errors (all from the check, before anything runs, unless said): -EINVAL
 * flags, __reserved, @nops, a malformed op or entry the unit would refuse;
 * -ENOENT no such domain, or an MSI_UNMAP of a doorbell not mapped; -EPERM
 * an op outside the domain's ownership; -EOPNOTSUPP an op needing a grant
 * the stream lacks (ATS, PRI, stall); -EEXIST an MSI_MAP over a mapped GPA
 * or beyond the domain's doorbells; -EFAULT a GUEST_WRITE whose GPA stage 2
 * does not map writable, or @ops_uptr unreadable; -E2BIG more PASID
 * entries tracked than the domain holds; -ENOMEM; -EIO the unit stopped
 * at a queue entry the check passed (a unit fault: the program ran up to
 * that entry).
 */
struct xiommu_ioc_exec {
	__u32 size;
	__u32 flags;
	__u32 domain_id;
	__u32 nops;
	__aligned_u64 ops_uptr;
	__u32 out_bad;
	__u32 __reserved;
};
#define XIOMMU_EXEC _IO(XIOMMU_TYPE, XIOMMU_CMD_EXEC)

/**
 * struct xiommu_ioc_dma_port - ioctl(XIOMMU_DMA)
 * @size: sizeof(struct xiommu_ioc_dma_port)
 * @flags: must be 0
 * @unit_id: the unit the access enters
 * @op: enum xiommu_dma_op (include/xiommu/xiommu.h)
 * @dma_flags: XIOMMU_DMA_F_* of the access
 * @sid: stream id of the access
 * @pasid: PASID (with XIOMMU_DMA_F_PASID)
 * @data: MSI: the 32-bit value written
 * @iova: address of the access
 * @len: READ / WRITE: bytes, 1..XIOMMU_DMA_MAX; TRANSLATE: 0; MSI: 0 or 4
 * @buf_uptr: READ: receives the data; WRITE: the data
 * @out_status: enum xiommu_dma_status
 * @out_perm: permissions of the translation
 * @out_pa: host address the access reached
 * @out_done: bytes transferred
 * @out_stag: stall / page-request tag the response must name
 * @__reserved: must be 0
 *
 * The test port: one access of a device behind the unit. Records the access
 * produces are queued for the unit's event fd.
 *
 * Errors: -EINVAL flags, __reserved, op, len; -ENOENT no such unit; errors
 * of the model for a malformed request.
 */
struct xiommu_ioc_dma_port {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__u32 op;
	__u32 dma_flags;
	__u32 sid;
	__u32 pasid;
	__u32 data;
	__aligned_u64 iova;
	__aligned_u64 len;
	__aligned_u64 buf_uptr;
	__u32 out_status;
	__u32 out_perm;
	__aligned_u64 out_pa;
	__u32 out_done;
	__u32 out_stag;
	__u32 __reserved;
	__u32 __reserved2;
};
#define XIOMMU_DMA _IO(XIOMMU_TYPE, XIOMMU_CMD_DMA)

/**
 * struct xiommu_ioc_event_fd - ioctl(XIOMMU_EVENT_FD)
 * @size: sizeof(struct xiommu_ioc_event_fd)
 * @flags: must be 0
 * @unit_id: the unit
 * @out_fd: a new file descriptor (O_CLOEXEC)
 *
 * read() on the fd returns whole struct xiommu_event_rec records, oldest
 * first (-EINVAL for a buffer smaller than one record, -EAGAIN when none is
 * queued and the fd is non-blocking); poll() reports POLLIN while records
 * are queued. The fd outlives its unit: once the unit is destroyed, read()
 * returns 0 after the last record. At most 1024 records are queued; older
 * ones are kept and newer ones counted in xiommu_ioc_unit_stats.events_lost.
 *
 * Errors: -EINVAL flags; -ENOENT no such unit; -EMFILE no free fd.
 */
struct xiommu_ioc_event_fd {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__s32 out_fd;
};
#define XIOMMU_EVENT_FD _IO(XIOMMU_TYPE, XIOMMU_CMD_EVENT_FD)

/* One record of a unit's event fd (struct xm_event). */
struct xiommu_event_rec {
	__u32 kind;		/* vendor-defined: which queue / register */
	__u32 nwords;		/* words used in w[] */
	__aligned_u64 w[4];
};

/**
 * struct xiommu_ioc_msi_pop - ioctl(XIOMMU_MSI_POP)
 * @size: sizeof(struct xiommu_ioc_msi_pop)
 * @flags: must be 0
 * @unit_id: the unit
 * @count: in: room at @records_uptr (at most 4096); out: records written
 * @records_uptr: __u64 records, (doorbell offset << 32) | data, oldest first
 *
 * Errors: -EINVAL flags or @count; -ENOENT no such unit.
 */
struct xiommu_ioc_msi_pop {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__u32 count;
	__aligned_u64 records_uptr;
};
#define XIOMMU_MSI_POP _IO(XIOMMU_TYPE, XIOMMU_CMD_MSI_POP)

/**
 * struct xiommu_ioc_unit_stats - ioctl(XIOMMU_STATS)
 * @size: sizeof(struct xiommu_ioc_unit_stats)
 * @flags: must be 0
 * @unit_id: the unit
 * @__reserved: must be 0
 * @out: the unit's counters (struct xm_stats, in this order)
 *
 * Errors: -EINVAL flags or __reserved; -ENOENT no such unit.
 */
struct xiommu_ioc_unit_stats {
	__u32 size;
	__u32 flags;
	__u32 unit_id;
	__u32 __reserved;
	__aligned_u64 programs, commands, syncs;
	__aligned_u64 tlb_hits, tlb_misses, cfg_hits, cfg_misses, table_reads;
	__aligned_u64 events, events_lost;
	__aligned_u64 queue_errors;
};
#define XIOMMU_STATS _IO(XIOMMU_TYPE, XIOMMU_CMD_STATS)

/**
 * struct xiommu_ioc_grant_streams - ioctl(XIOMMU_GRANT_STREAMS)
 * @size: sizeof(struct xiommu_ioc_grant_streams)
 * @flags: must be 0
 * @first: first physical stream id granted
 * @count: number of stream ids, at least 1
 *
 * Let this file attach the streams [@first, @first + @count). Needs
 * CAP_SYS_ADMIN: a privileged launcher grants a VMM's file its devices,
 * then passes the file on. At most 16 grants per file.
 *
 * Errors: -EPERM no CAP_SYS_ADMIN; -EINVAL flags, @count 0 or wrapping;
 * -ENOSPC 16 grants already.
 */
struct xiommu_ioc_grant_streams {
	__u32 size;
	__u32 flags;
	__u32 first;
	__u32 count;
};
#define XIOMMU_GRANT_STREAMS _IO(XIOMMU_TYPE, XIOMMU_CMD_GRANT_STREAMS)
#define XIOMMU_GRANTS_MAX	16

/**
 * struct xiommu_ioc_null - ioctl(XIOMMU_NULL)
 * @size: sizeof(struct xiommu_ioc_null)
 * @flags: must be 0
 *
 * Does nothing: the cost of one call, for benchmarks. Errors: -EINVAL flags.
 */
struct xiommu_ioc_null {
	__u32 size;
	__u32 flags;
};
#define XIOMMU_NULL _IO(XIOMMU_TYPE, XIOMMU_CMD_NULL)

#endif /* XIOMMU_UAPI_H */
