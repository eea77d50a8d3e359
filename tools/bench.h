/* SPDX-License-Identifier: MIT */
/* xiommu bench: the rig and the measured loops (bench_loops.c) the driver (bench.c) runs. */
#ifndef XIOMMU_BENCH_H
#define XIOMMU_BENCH_H

#include <stdint.h>
#include <xiommu/xiommu.h>

#define BENCH_GPA	0x40000000ull
#define BENCH_RAM	(16u << 20)		/* data below 8 MiB, guest tables above */
#define BENCH_PAGES	2048u			/* more than any model's IOTLB holds */
#define BENCH_IOVA	0x80000000ull
#define BENCH_PASID	1
#define BENCH_TAG	5
#define BENCH_WINDOW	(128u << 10)	/* 32 pages: fits every model's IOTLB */
#define BENCH_MAXBATCH	512

struct brig {
	struct xiommu_ctx *ctx;
	uint32_t unit, viommu, vdev, sid;
	uint8_t *mem;
	char name[32], vendor[16], backend[16];
	uint32_t cmd_len;			/* bytes of one raw guest command */
	struct xiommu_inv_entry gen[BENCH_MAXBATCH];
	uint8_t raw[BENCH_MAXBATCH * 64];	/* raw commands of the batch */
	uint32_t batch;				/* entries per call of the loop running */
};

struct figure {
	const char *name;
	const char *what;		/* one operation */
	void (*loop)(struct brig *r, uint64_t n);
	const char *loop_name;		/* bench_loop_<loop_name>, for callgrind */
	uint32_t batch;			/* operations per loop iteration */
	const char *inner;		/* instructions only: this callee of the loop */
};

extern const struct figure bench_figures[];
extern const unsigned int bench_nfigures;

/* Open @config, nest a guest stage 1 over 4 KiB-mapped RAM on @unit, bind one device. */
int brig_up(const char *config, uint32_t unit, struct brig *r);
void brig_down(struct brig *r);
/* Before a counted run: the misses a hit figure must not count. */
void bench_warm(struct brig *r, const struct figure *f);
/* Table reads per nested miss (@cold: after an IOTLB-all invalidation), from the statistics. */
double bench_reads_per_miss(struct brig *r, uint64_t n, int cold);
/*
 * Core and model heap bytes per bound PASID after binding @count PASIDs of
 * one device (fresh context), or < 0 with a message on stderr.
 */
double bench_pasid_memory(const char *config, uint32_t unit, uint32_t count, double *secs);

#endif
