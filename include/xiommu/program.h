/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A program: what a plugin makes of one generic message, as plain data.
 *
 * The same array of ops runs on the embedded model, crosses the
 * /dev/xiommu ioctl, is logged and decoded by `xiommu decode`, and is
 * fuzzed. The codes are generic; what an entry or a command *is* belongs
 * to the unit's vendor (SMMUv3: STE words and CMDQ entries; VT-d: context
 * or PASID entry words and QI descriptors). A backend re-checks every op
 * against what the host owns before it runs it.
 */
#ifndef XIOMMU_PROGRAM_H
#define XIOMMU_PROGRAM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

enum xiommu_op_code {
	/*
	 * Store words into a host-owned root entry: @target is the stream id
	 * (SMMUv3 STE) or requester id (VT-d), @index the PASID for per-PASID
	 * entries (VT-d PASID entry) or XIOMMU_OP_INDEX_NONE for the device
	 * entry itself. Bit i of @mask stores w[i] into 64-bit word i. Each op
	 * is one single-copy-atomic step a DMA may observe between.
	 */
	XIOMMU_OP_ENTRY_WRITE = 1,
	/* Run one vendor command / descriptor, @count words in w[]. */
	XIOMMU_OP_CMD = 2,
	/* Wait for every earlier command to complete (CMD_SYNC / wait). */
	XIOMMU_OP_SYNC = 3,
	/* Map the unit's host MSI doorbell at GPA w[0] of the domain (stage 2). */
	XIOMMU_OP_MSI_MAP = 4,
	/* Undo XIOMMU_OP_MSI_MAP of GPA w[0]. */
	XIOMMU_OP_MSI_UNMAP = 5,
	/*
	 * The guest-visible effect of a guest's completion (SMMUv3 CMD_SYNC
	 * with an MSI write, VT-d wait descriptor with SW = 1): store the
	 * @count low bytes (4 or 8) of w[1] at GPA w[0], through the domain's
	 * stage 2, once every earlier op has completed. A GPA that stage 2
	 * does not map writable, or a misaligned one, fails the program with
	 * -EFAULT before anything runs.
	 */
	XIOMMU_OP_GUEST_WRITE = 6,
	XIOMMU_OP_MAX = 6,
};

#define XIOMMU_OP_INDEX_NONE	0xffffffffu
#define XIOMMU_OP_WORDS		8
/*
 * The longest program a backend runs: a guest batch of 65536 entries
 * (xiommu_invalidate) with the device-TLB flushes and completions it
 * expands to. Every backend takes programs up to this length.
 */
#define XIOMMU_PROG_MAX_OPS	(1u << 20)

struct xiommu_op {
	uint16_t code;		/* enum xiommu_op_code */
	uint16_t count;		/* CMD: words used in w[] */
	uint32_t target;	/* stream id / requester id */
	uint32_t index;		/* PASID or XIOMMU_OP_INDEX_NONE */
	uint32_t mask;		/* ENTRY_WRITE: words stored */
	uint64_t w[XIOMMU_OP_WORDS];
};

/*
 * A domain as its backend built it: one viommu's stage 2 and tag. Plugins
 * copy these host-owned values into the entries they encode; backends
 * check that programs carry exactly these values.
 */
struct xiommu_domain_desc {
	uint64_t s2_root;	/* host PA of the stage-2 root table(s) */
	uint64_t msi_db;	/* host PA of the unit's MSI doorbell page, 0 if none */
	uint32_t tag;		/* VMID (SMMUv3) / DID (VT-d) */
	uint8_t s2_ias;		/* input (GPA) bits */
	uint8_t s2_oas;		/* output (host PA) bits */
	uint8_t granule_shift;	/* 12, 14 or 16 */
	uint8_t start_level;	/* first level walked */
	uint8_t levels;		/* levels walked from start_level */
	uint8_t concat;		/* concatenated tables at the start level */
	uint8_t __reserved[6];
};

#endif /* XIOMMU_PROGRAM_H */
