// SPDX-License-Identifier: MIT
/*
 * xiommu bench: per unit of a config, the figures of the performance
 * targets, each beside its baseline measured in the same run:
 *   inv      one generic invalidation entry forwarded (batch of 64, one call)
 *            vs memcpy of a 16-byte command
 *   xlate    one IOTLB-hit TRANSLATE through the DMA test port
 *   xlate.model  the same, the backend's dma call alone (embedded backend:
 *            the model), without the library API around it; counted only
 *            (--instructions), from the xlate run
 *   dma      4 KiB DMA reads through the test port over a 32-page window
 *            (IOTLB warm), MB/s, vs memcpy MB/s of the same pages
 * Wall time is always printed; --instructions also counts instructions per
 * operation by running each loop under callgrind (valgrind must be
 * installed), the figure that stays stable on a shared machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include "cli.h"

#define GPA_BASE	0x40000000ull
#define MEM_SIZE	(8u << 20)
#define INV_BATCH	64
#define DMA_WINDOW	(128u << 10)	/* 32 pages: fits every model's IOTLB, so it stays warm */

struct rig {
	struct xiommu_ctx *ctx;
	uint32_t unit, viommu, vdev, sid;
	uint8_t *mem;
	char name[32], vendor[16];
};

struct figure {
	const char *name;
	const char *unit;		/* what one operation is */
	void (*loop)(struct rig *r, uint64_t n);
	const char *loop_name;		/* for callgrind's --toggle-collect */
	uint64_t ops_per_iter;
	const char *inner;		/* count only this callee of the loop (NULL: all) */
};

/* The embedded backend's dma op: the call the library makes into the model. */
#define BACKEND_DMA_FN "emb_dma"

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int rig_up(const char *config, uint32_t unit, struct rig *r)
{
	struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = unit };
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = unit };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = MEM_SIZE };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.gpa = GPA_BASE, .size = MEM_SIZE };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .vsid = 1 };
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_BYPASS };

	memset(r, 0, sizeof(*r));
	r->unit = unit;
	if (xiommu_open(config, &r->ctx))
		return fprintf(stderr, "xiommu: %s\n", xiommu_last_error(NULL)), -1;
	r->mem = aligned_alloc(1u << 21, MEM_SIZE);
	if (!r->mem)
		return -1;
	memset(r->mem, 1, MEM_SIZE);
	mr.addr = XIOMMU_PTR(r->mem);
	if (xiommu_hw_info(r->ctx, &hw) || xiommu_viommu_alloc(r->ctx, &va) ||
	    xiommu_mem_register(r->ctx, &mr))
		goto fail;
	snprintf(r->name, sizeof(r->name), "%s", hw.unit_name);
	snprintf(r->vendor, sizeof(r->vendor), "%s", hw.vendor_name);
	r->viommu = m.viommu_id = at.viommu_id = va.out_viommu_id;
	m.region_id = mr.out_region_id;
	r->sid = at.psid = hw.sid_bits >= 8 ? 0x10 : 1;
	if (xiommu_map(r->ctx, &m) || xiommu_vdev_attach(r->ctx, &at))
		goto fail;
	r->vdev = b.vdev_id = at.out_vdev_id;
	if (xiommu_bind(r->ctx, &b))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "xiommu: unit %u: %s\n", unit, xiommu_last_error(r->ctx));
	return -1;
}

static void rig_down(struct rig *r)
{
	xiommu_close(r->ctx);
	free(r->mem);
}

__attribute__((noinline)) static void bench_loop_inv(struct rig *r, uint64_t n)
{
	struct xiommu_inv_entry e[INV_BATCH];
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r->viommu,
					 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(e[0]),
					 .entry_num = INV_BATCH, .entries_ptr = XIOMMU_PTR(e) };
	uint64_t i;
	int k;

	memset(e, 0, sizeof(e));
	for (k = 0; k < INV_BATCH; k++) {
		e[k].cache = XIOMMU_CACHE_IOTLB;
		e[k].scope = XIOMMU_INV_RANGE;
		e[k].flags = XIOMMU_INV_F_LEAF;
		e[k].addr = 0x100000ull + 0x1000ull * (uint64_t)k;
		e[k].size = 0x1000;
	}
	for (i = 0; i < n; i++)
		if (xiommu_invalidate(r->ctx, &inv))
			abort();
}

__attribute__((noinline)) static void bench_loop_memcpy16(struct rig *r, uint64_t n)
{
	uint64_t src[INV_BATCH][2], dst[INV_BATCH][2];
	uint64_t i;
	int k;

	(void)r;
	memset(src, 0x5a, sizeof(src));
	for (i = 0; i < n; i++) {
		for (k = 0; k < INV_BATCH; k++) {
			__asm__ volatile("" : : "r"(src[k]) : "memory");
			memcpy(dst[k], src[k], 16);
		}
		sink += dst[i % INV_BATCH][0];
	}
}

__attribute__((noinline)) static void bench_loop_xlate(struct rig *r, uint64_t n)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = r->unit, .op = XIOMMU_DMA_TRANSLATE,
				.sid = r->sid, .iova = GPA_BASE + 0x3000 };
	uint64_t i;

	for (i = 0; i < n; i++)
		if (xiommu_dma(r->ctx, &d) || d.out_status != XIOMMU_DMA_OK)
			abort();
}

__attribute__((noinline)) static void bench_loop_dma(struct rig *r, uint64_t n)
{
	static uint8_t buf[4096];
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = r->unit, .op = XIOMMU_DMA_READ,
				.sid = r->sid, .len = 4096, .buf_ptr = XIOMMU_PTR(buf) };
	uint64_t i;

	for (i = 0; i < n; i++) {
		d.iova = GPA_BASE + ((i * 4096) & (DMA_WINDOW - 1));
		if (xiommu_dma(r->ctx, &d) || d.out_status != XIOMMU_DMA_OK)
			abort();
	}
	sink += buf[7];
}

__attribute__((noinline)) static void bench_loop_memcpy4k(struct rig *r, uint64_t n)
{
	static uint8_t buf[4096];
	uint64_t i;

	for (i = 0; i < n; i++) {
		memcpy(buf, r->mem + ((i * 4096) & (DMA_WINDOW - 1)), 4096);
		__asm__ volatile("" : : "r"(buf) : "memory");
	}
	sink += buf[7];
}

static const struct figure figures[] = {
	{ "inv", "generic entry", bench_loop_inv, "inv", INV_BATCH },
	{ "inv.memcpy16", "16-byte copy", bench_loop_memcpy16, "memcpy16", INV_BATCH },
	{ "xlate", "IOTLB-hit translate", bench_loop_xlate, "xlate", 1 },
	{ "xlate.model", "model hit translate", bench_loop_xlate, "xlate", 1, BACKEND_DMA_FN },
	{ "dma", "4 KiB read", bench_loop_dma, "dma", 1 },
	{ "dma.memcpy", "4 KiB memcpy", bench_loop_memcpy4k, "memcpy4k", 1 },
};

#define NFIG (sizeof(figures) / sizeof(figures[0]))

/*
 * Under callgrind, before the counted loop: the xlate and dma figures are
 * about a warm IOTLB, so their misses happen here, outside the function
 * callgrind counts.
 */
static void warm_up(struct rig *r, const struct figure *f)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = r->unit, .op = XIOMMU_DMA_TRANSLATE,
				.sid = r->sid };
	uint64_t off;

	if (f->loop == bench_loop_xlate) {
		d.iova = GPA_BASE + 0x3000;
		xiommu_dma(r->ctx, &d);
	} else if (f->loop == bench_loop_dma) {
		for (off = 0; off < DMA_WINDOW; off += 4096) {
			d.iova = GPA_BASE + off;
			xiommu_dma(r->ctx, &d);
		}
	}
}

/*
 * Inclusive cost of the calls to @fn in a callgrind output file: each call
 * record is "cfn=(id) name" (the name only the first time an id appears),
 * "calls=N target", then "position cost".
 */
static double callee_cost(FILE *fp, const char *fn)
{
	char line[512], def[160];
	long id = -1, cur = -2;
	double ir = 0;
	int after_calls = 0;

	snprintf(def, sizeof(def), " %s\n", fn);
	rewind(fp);
	while (fgets(line, sizeof(line), fp)) {
		if (after_calls) {
			char *sp = strrchr(line, ' ');

			if (cur == id && sp)
				ir += strtod(sp + 1, NULL);
			after_calls = 0;
			continue;
		}
		if (!strncmp(line, "calls=", 6)) {
			after_calls = 1;
			continue;
		}
		if (strncmp(line, "cfn=(", 5) && strncmp(line, "fn=(", 4))
			continue;
		{
			char *open = strchr(line, '(');
			long n = strtol(open + 1, NULL, 10);
			char *name = strchr(open, ')');

			if (name && !strcmp(name + 1, def))
				id = n;
			if (line[0] == 'c')
				cur = n;
		}
	}
	return id < 0 ? -1 : ir;
}

/* Instructions per op: re-run this program's loop alone under callgrind. */
static double count_instructions(const char *self, const char *config, uint32_t unit,
				 const struct figure *f, uint64_t iters)
{
	char out[4096], toggle[96], file[4200], u[16], it[32];
	const struct figure *run;
	char line[512];
	double ir = -1;
	FILE *fp;
	pid_t pid;
	int fd, st;

	snprintf(out, sizeof(out), "%s/xiommu-bench-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir);
	fd = mkstemp(out);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(toggle, sizeof(toggle), "--toggle-collect=bench_loop_%s", f->loop_name);
	snprintf(file, sizeof(file), "--callgrind-out-file=%s", out);
	snprintf(u, sizeof(u), "%u", unit);
	snprintf(it, sizeof(it), "%" PRIu64, iters);
	for (run = f; run > figures && run[-1].loop == f->loop; run--)
		;	/* xlate.model counts inside the xlate run */
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execlp("valgrind", "valgrind", "--tool=callgrind", toggle, file, self, "bench",
		       "--only", run->name, "--unit", u, "--iterations", it, "-c", config, NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		unlink(out);
		return -1;
	}
	fp = fopen(out, "r");
	while (fp && fgets(line, sizeof(line), fp))
		if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8))
			ir = strtod(strchr(line, ':') + 1, NULL);
	if (fp && f->inner)
		ir = callee_cost(fp, f->inner);
	if (fp)
		fclose(fp);
	unlink(out);
	return ir < 0 ? -1 : ir / (double)(iters * f->ops_per_iter);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xiommu bench -c FILE [--iterations N] [--instructions] [--json]\n");
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "instructions", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *only = NULL;
	uint64_t iters = 20000;
	int c, instr = 0, json = 0, first = 1;
	long only_unit = -1;
	struct xiommu_ctx *ctx;
	uint32_t u, nunits;
	char self[4096];
	ssize_t len;
	size_t k;

	while ((c = getopt_long(argc, argv, "c:n:ijh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'n': iters = strtoull(optarg, NULL, 0); break;
		case 'i': instr = 1; break;
		case 'j': json = 1; break;
		case 'o': only = optarg; break;
		case 'u': only_unit = strtol(optarg, NULL, 0); break;
		case 'h':
			usage(stdout);
			printf("\nFor every unit of FILE: generic invalidation forwarding (vs a 16-byte\n"
			       "memcpy), IOTLB-hit translation and 4 KiB DMA throughput through the test\n"
			       "port (vs memcpy), with wall time per operation.\n\n"
			       "  -c, --config FILE   the ini file\n"
			       "  -n, --iterations N  loop count per figure (default 20000)\n"
			       "  -i, --instructions  also instructions per operation, via callgrind\n"
			       "  -j, --json          one JSON object per figure\n");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!config || !iters || optind != argc) {
		usage(stderr);
		return 2;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';
	if (xiommu_open(config, &ctx)) {
		fprintf(stderr, "xiommu: %s\n", xiommu_last_error(NULL));
		return 1;
	}
	nunits = xiommu_unit_count(ctx);
	xiommu_close(ctx);
	if (json)
		printf("[");
	for (u = 0; u < nunits; u++) {
		struct rig r;

		if (only_unit >= 0 && u != (uint32_t)only_unit)
			continue;
		if (rig_up(config, u, &r))
			return 1;
		for (k = 0; k < NFIG; k++) {
			const struct figure *f = &figures[k];
			double t0, ns, ir = -1;
			uint64_t n = iters;

			if (only && strcmp(only, f->name))
				continue;
			if (only) {
				/* under callgrind: warm, then exactly n counted loops */
				warm_up(&r, f);
				f->loop(&r, n);
				continue;
			}
			if (f->inner) {
				/* counted only, from the run of the figure it is part of */
				if (!instr)
					continue;
				ir = count_instructions(self, config, u, f, iters / 20 + 10);
				if (json) {
					printf("%s\n  {\"unit\": \"%s\", \"vendor\": \"%s\", \"figure\": \"%s\", \"ns\": null",
					       first ? "" : ",", r.name, r.vendor, f->name);
					if (ir >= 0)
						printf(", \"instructions\": %.1f", ir);
					printf("}");
					first = 0;
				} else {
					printf("%-8s %-8s %-13s %10s ns/%s", r.name, r.vendor, f->name, "-",
					       f->unit);
					if (ir >= 0)
						printf("  %8.1f instructions", ir);
					else
						printf("  (not measured: no %s call)", f->inner);
					printf("\n");
				}
				continue;
			}
			if (f->ops_per_iter > 1)
				n = iters / f->ops_per_iter + 1;
			f->loop(&r, n / 10 + 1); /* warm up */
			t0 = now_ns();
			f->loop(&r, n);
			ns = (now_ns() - t0) / (double)(n * f->ops_per_iter);
			if (instr)
				ir = count_instructions(self, config, u, f, n / 20 + 10);
			if (json) {
				printf("%s\n  {\"unit\": \"%s\", \"vendor\": \"%s\", \"figure\": \"%s\", \"ns\": %.1f",
				       first ? "" : ",", r.name, r.vendor, f->name, ns);
				if (!strncmp(f->name, "dma", 3))
					printf(", \"MBps\": %.0f", 4096.0 * 1e3 / ns);
				if (ir >= 0)
					printf(", \"instructions\": %.1f", ir);
				printf("}");
				first = 0;
			} else {
				printf("%-8s %-8s %-13s %10.1f ns/%s", r.name, r.vendor, f->name, ns,
				       f->unit);
				if (!strncmp(f->name, "dma", 3))
					printf("  %8.0f MB/s", 4096.0 * 1e3 / ns);
				if (ir >= 0)
					printf("  %8.1f instructions", ir);
				printf("\n");
			}
		}
		rig_down(&r);
	}
	if (json)
		printf("\n]\n");
	return 0;
}
