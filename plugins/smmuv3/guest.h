/* SPDX-License-Identifier: MIT */
/*
 * Guest-format builders for tests and VMMs: context descriptors and
 * VMSAv8-64 stage-1 tables written into guest memory through accessors.
 * Plain functions, not (yet) part of the plugin ops table.
 */
#ifndef XIOMMU_SMMUV3_GUEST_H
#define XIOMMU_SMMUV3_GUEST_H

#include <stdint.h>
#include <xiommu/arch/smmuv3.h>

struct smmuv3_guest_mem {
	void *arg;
	int (*read)(void *arg, uint64_t gpa, void *buf, uint32_t len);
	int (*write)(void *arg, uint64_t gpa, const void *buf, uint32_t len);
	/* a zeroed, naturally aligned guest page of @size bytes; 0 when full */
	uint64_t (*alloc)(void *arg, uint64_t size);
};

/* Stage-1 CD fields a guest chooses (TTB0 only; TTB1 walks disabled). */
struct smmuv3_cd_fields {
	uint64_t ttb0;		/* GPA of the stage-1 root */
	uint16_t asid;
	uint8_t t0sz;		/* input size = 64 - t0sz */
	uint8_t gshift;		/* 12, 14, 16 */
	uint8_t ips_bits;	/* 32..52 */
	uint8_t affd, stall, wxn;
	uint8_t no_record;	/* R = 0 */
};

/* Encode a valid AArch64 CD (V, AA64, A=1, R=1 unless no_record, EPD1=1, WB/ISH walks). */
void smmuv3_cd_encode(const struct smmuv3_cd_fields *f, uint64_t cd[SMMUV3_CD_DWORDS]);

/* Stage-1 leaf attributes for smmuv3_s1_map */
#define SMMUV3_S1_READONLY	(1u << 0)	/* AP[2] */
#define SMMUV3_S1_USER		(1u << 1)	/* AP[1] */
#define SMMUV3_S1_NO_AF		(1u << 2)
#define SMMUV3_S1_NG		(1u << 3)
#define SMMUV3_S1_XN		(1u << 4)

/*
 * Map [va, va + 2^shift(level)) to @oa with a leaf at @level in the table
 * rooted at @root (granule 2^@gshift, input 64 - @t0sz bits), allocating
 * missing tables. 0, -EINVAL (level or alignment), -ENOMEM, -EEXIST.
 */
int smmuv3_s1_map(const struct smmuv3_guest_mem *m, uint64_t root, unsigned int gshift,
		  unsigned int t0sz, uint64_t va, uint64_t oa, unsigned int level, uint32_t attrs);
/* Clear the leaf mapping @va (any level): 0 or -ENOENT. */
int smmuv3_s1_unmap(const struct smmuv3_guest_mem *m, uint64_t root, unsigned int gshift,
		    unsigned int t0sz, uint64_t va);
/* Start level of a stage-1 walk for @gshift and @t0sz. */
unsigned int smmuv3_s1_start_level(unsigned int gshift, unsigned int t0sz);

/* Store a CD at index @ssid of a linear CD table at @table (GPA). */
int smmuv3_cd_write(const struct smmuv3_guest_mem *m, uint64_t table, uint32_t ssid,
		    const uint64_t cd[SMMUV3_CD_DWORDS]);
/*
 * Store a CD at @ssid of a 2-level CD table (S1Fmt @s1fmt 1 or 2) whose L1
 * array is at @l1, allocating the leaf table when its L1CD is invalid.
 */
int smmuv3_cd_write_2l(const struct smmuv3_guest_mem *m, uint64_t l1, unsigned int s1fmt,
		       uint32_t ssid, const uint64_t cd[SMMUV3_CD_DWORDS]);

#endif
