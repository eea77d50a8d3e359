/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the guest test programs (static binaries run by /init inside
 * the booted kernel): checks that print the failing line, /dev/xiommu
 * calls returning 0 or -errno, the module's counters, and an SMMUv3 unit
 * with a stage-2-only stream whose DMA reaches pinned memory.
 */
#ifndef KT_H
#define KT_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xiommu/uapi.h>
#include <xiommu/xiommu.h>
#include <xiommu/arch/smmuv3.h>

static int kt_failures;

#define KT_CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
			kt_failures++;						\
		}								\
	} while (0)

/* Expect call == want (0 or -errno), print both when not. */
#define KT_EQ(call, want)							\
	do {									\
		long kt_got = (long)(call), kt_want = (long)(want);		\
		if (kt_got != kt_want) {					\
			printf("FAIL %s:%d: %s = %ld (%s), want %ld (%s)\n",	\
			       __FILE__, __LINE__, #call, kt_got,		\
			       kt_got < 0 ? strerror((int)-kt_got) : "",	\
			       kt_want, kt_want < 0 ? strerror((int)-kt_want) : ""); \
			kt_failures++;						\
		}								\
	} while (0)

static inline int kt_finish(const char *name)
{
	printf("%s: %s\n", name, kt_failures ? "FAILED" : "ok");
	return kt_failures ? 1 : 0;
}

static inline int kt_open(void)
{
	int fd = open("/dev/xiommu", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("FAIL open /dev/xiommu: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

/* ioctl as 0 / -errno; @arg's size field is set by the caller. */
static inline int kt_ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline long kt_param(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/xiommu/parameters/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		printf("FAIL read %s\n", path);
		kt_failures++;
	}
	if (f)
		fclose(f);
	return strtol(buf, NULL, 0);
}

static inline void kt_set_param(const char *name, long v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/xiommu/parameters/%s", name);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", v) < 0) {
		printf("FAIL write %s\n", path);
		kt_failures++;
	}
	if (f)
		fclose(f);
}

static inline int kt_unit(int fd, uint32_t *unit)
{
	struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;
	struct xiommu_ioc_unit_create c = {
		.size = sizeof(c), .vendor = "smmuv3", .params_len = sizeof(p),
		.params_uptr = (uintptr_t)&p,
	};
	int ret = kt_ioc(fd, XIOMMU_UNIT_CREATE, &c);

	*unit = c.out_unit_id;
	return ret;
}

static inline int kt_domain(int fd, uint32_t unit, uint32_t *dom, struct xiommu_domain_desc *desc)
{
	struct xiommu_ioc_domain_alloc a = { .size = sizeof(a), .unit_id = unit };
	int ret = kt_ioc(fd, XIOMMU_DOMAIN_ALLOC, &a);

	*dom = a.out_domain_id;
	if (desc)
		*desc = a.out_desc;
	return ret;
}

static inline int kt_mem(int fd, void *buf, uint64_t len, uint32_t *id, uint64_t *hpa)
{
	struct xiommu_ioc_mem_register m = {
		.size = sizeof(m), .uptr = (uintptr_t)buf, .length = len,
	};
	int ret = kt_ioc(fd, XIOMMU_MEM_REGISTER, &m);

	*id = m.out_mem_id;
	*hpa = m.out_hpa;
	return ret;
}

static inline int kt_map(int fd, uint32_t dom, uint64_t gpa, uint64_t hpa, uint64_t len)
{
	struct xiommu_ioc_s2_map m = {
		.size = sizeof(m), .domain_id = dom, .prot = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
		.gpa = gpa, .hpa = hpa, .length = len,
	};

	return kt_ioc(fd, XIOMMU_S2_MAP, &m);
}

static inline int kt_unmap(int fd, uint32_t dom, uint64_t gpa, uint64_t len)
{
	struct xiommu_ioc_s2_unmap m = { .size = sizeof(m), .domain_id = dom, .gpa = gpa, .length = len };

	return kt_ioc(fd, XIOMMU_S2_UNMAP, &m);
}

static inline int kt_attach(int fd, uint32_t dom, uint32_t sid)
{
	struct xiommu_ioc_stream s = { .size = sizeof(s), .domain_id = dom, .sid = sid };

	return kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s);
}

static inline int kt_destroy(int fd, uint32_t id)
{
	struct xiommu_ioc_destroy d = { .size = sizeof(d), .id = id };

	return kt_ioc(fd, XIOMMU_DESTROY, &d);
}

/* Program @sid's STE as stage-2 only for the domain, with CFGI_STE and a sync. */
static inline int kt_ste_s2(int fd, uint32_t dom, const struct xiommu_domain_desc *d,
			    uint32_t sid, uint32_t *bad)
{
	struct xiommu_op ops[3];
	struct xiommu_ioc_exec e = { .size = sizeof(e), .domain_id = dom, .nops = 3,
				     .ops_uptr = (uintptr_t)ops };
	int oas = smmuv3_pa_code(d->s2_oas);
	int ret;

	memset(ops, 0, sizeof(ops));
	ops[0].code = XIOMMU_OP_ENTRY_WRITE;
	ops[0].target = sid;
	ops[0].index = XIOMMU_OP_INDEX_NONE;
	ops[0].mask = 0xff;
	smmuv3_ste_host_words(d->s2_root, d->tag, d->s2_ias, oas < 0 ? 5 : (unsigned int)oas,
			      d->granule_shift, d->start_level, &ops[0].w[1], &ops[0].w[2],
			      &ops[0].w[3]);
	ops[0].w[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S2, SMMUV3_STE_CONFIG);
	ops[1].code = XIOMMU_OP_CMD;
	ops[1].count = 2;
	ops[1].index = XIOMMU_OP_INDEX_NONE;
	smmuv3_cmd_cfgi_ste(ops[1].w, sid, 0);
	ops[2].code = XIOMMU_OP_SYNC;
	ops[2].index = XIOMMU_OP_INDEX_NONE;
	ret = kt_ioc(fd, XIOMMU_EXEC, &e);
	if (bad)
		*bad = e.out_bad;
	return ret;
}

/* One DMA through the test port; returns 0/-errno, status and bytes in *st / *done. */
static inline int kt_dma(int fd, uint32_t unit, uint32_t op, uint32_t sid, uint64_t iova,
			 void *buf, uint64_t len, uint32_t *st, uint64_t *pa)
{
	struct xiommu_ioc_dma_port d = {
		.size = sizeof(d), .unit_id = unit, .op = op, .sid = sid, .iova = iova,
		.len = len, .buf_uptr = (uintptr_t)buf,
	};
	int ret = kt_ioc(fd, XIOMMU_DMA, &d);

	if (st)
		*st = ret ? ~0u : d.out_status;
	if (pa)
		*pa = d.out_pa;
	return ret;
}

static inline void *kt_pages(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("FAIL mmap %zu\n", len);
		exit(1);
	}
	memset(p, 0, len);
	return p;
}

#endif /* KT_H */
