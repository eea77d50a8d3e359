// SPDX-License-Identifier: MIT
/*
 * xiommu bench: one table per unit and backend of a config, each figure
 * beside its baseline measured in the same run:
 *   inv.generic.N  one generic invalidation entry forwarded, in batches of
 *                  N = 1, 8, 64, 512 entries per call
 *   inv.raw.N      one raw guest command (the vendor's own page flush) forwarded
 *   inv.copy       the baseline: copying one raw command
 *   xlate.hit      an IOTLB-hit translation through the DMA test port
 *   xlate.model    the same, the backend's dma call alone (--instructions)
 *   xlate.miss     a nested translation missing the IOTLB (guest stage 1 over
 *                  4 KiB stage-2 pages, config cached), with its table reads;
 *                  units caching paging structures resume below them
 *   xlate.cold     an IOTLB-all invalidation then a walk from the root: its
 *                  table reads are the architectural count (24 = 4 over 4)
 *   dma            4 KiB DMA reads through the test port, MB/s, beside
 *   dma.memcpy     memcpy of the same pages
 *   mem.pasid.1k / .1M  core and model heap per bound PASID (fresh context)
 * The guest's structures come from the unit's plugin (xiommu_guest_*), so
 * every vendor runs the same loops. Wall time always; --instructions also
 * counts instructions per operation under callgrind, stable on a shared
 * machine. --plot draws the table with gnuplot (Debian: gnuplot-nox).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include "cli.h"
#include "bench.h"

struct row {
	char unit[32], vendor[16], backend[16];
	const char *figure, *what;
	double ns, ir, extra;	/* extra: MB/s, reads per miss or bytes per PASID; < 0 none */
	const char *extra_unit;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
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
	for (run = f; run > bench_figures && run[-1].loop == f->loop && f->inner; run--)
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
	return ir < 0 ? -1 : ir / (double)(iters * f->batch);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xiommu bench -c FILE [--iterations N] [--instructions] [--json]\n"
		   "                    [--plot FILE.svg] [--no-memory]\n");
}

static void progress(int on, uint32_t done, uint32_t total, const char *unit, const char *fig)
{
	if (on)
		fprintf(stderr, "\r\033[K[%u/%u] %s %s", done, total, unit, fig);
}

static void print_table(const struct row *rows, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];

		if (!i || strcmp(w->unit, rows[i - 1].unit))
			printf("%sunit %s (%s, %s)\n%-16s %12s  %-20s %14s  %s\n", i ? "\n" : "",
			       w->unit, w->vendor, w->backend, "figure", "ns/op", "one op is",
			       "instructions", "");
		printf("%-16s ", w->figure);
		if (w->ns >= 0)
			printf("%12.1f", w->ns);
		else
			printf("%12s", "-");
		printf("  %-20s ", w->what);
		if (w->ir >= 0)
			printf("%14.1f", w->ir);
		else
			printf("%14s", "-");
		if (w->extra >= 0)
			printf("  %.1f %s", w->extra, w->extra_unit);
		else if (w->extra_unit)
			printf("  %s", w->extra_unit);
		printf("\n");
	}
}

/*
 * With several units (e.g. the same vendor on the embedded and the kernel
 * backend, conf/compare.ini): ns per operation with a column per unit.
 */
static void print_side_by_side(const struct row *rows, uint32_t n)
{
	uint32_t i, j, cols = 0, first[8];
	char head[40];

	for (i = 0; i < n && cols < 8; i++)
		if (!i || strcmp(rows[i].unit, rows[i - 1].unit))
			first[cols++] = i;
	if (cols < 2)
		return;
	printf("\nns per operation, side by side\n%-16s", "figure");
	for (j = 0; j < cols; j++) {
		snprintf(head, sizeof(head), "%s/%s", rows[first[j]].vendor, rows[first[j]].backend);
		printf(" %18s", head);
	}
	printf("\n");
	for (i = first[0]; i < n && !strcmp(rows[i].unit, rows[first[0]].unit); i++) {
		printf("%-16s", rows[i].figure);
		for (j = 0; j < cols; j++) {
			const struct row *w = NULL;
			uint32_t k;

			for (k = first[j]; k < n && !strcmp(rows[k].unit, rows[first[j]].unit); k++)
				if (!strcmp(rows[k].figure, rows[i].figure))
					w = &rows[k];
			if (w && w->ns >= 0)
				printf(" %18.1f", w->ns);
			else
				printf(" %18s", "-");
		}
		printf("\n");
	}
}

static void print_json(const struct row *rows, uint32_t n)
{
	uint32_t i;

	printf("[");
	for (i = 0; i < n; i++) {
		const struct row *w = &rows[i];

		printf("%s\n  {\"unit\": ", i ? "," : "");
		json_str(stdout, w->unit);
		printf(", \"vendor\": ");
		json_str(stdout, w->vendor);
		printf(", \"backend\": ");
		json_str(stdout, w->backend);
		printf(", \"figure\": \"%s\", \"op\": \"%s\"", w->figure, w->what);
		if (w->ns >= 0)
			printf(", \"ns\": %.1f", w->ns);
		if (w->ir >= 0)
			printf(", \"instructions\": %.1f", w->ir);
		if (w->extra >= 0)
			printf(", \"%s\": %.1f", !strcmp(w->extra_unit, "MB/s") ? "MBps" :
			       !strcmp(w->extra_unit, "table reads/miss") ? "table_reads" :
			       "heap_bytes_per_pasid", w->extra);
		printf("}");
	}
	printf("\n]\n");
}

/* A bar chart of ns/op, one cluster per figure, one bar per unit (log scale). */
static int plot(const char *file, const struct row *rows, uint32_t n)
{
	char units[8][80];
	uint32_t nu = 0, i, j;
	FILE *gp;
	int st;

	for (i = 0; i < n && nu < 8; i++) {
		char u[80];

		snprintf(u, sizeof(u), "%s (%s, %s)", rows[i].unit, rows[i].vendor, rows[i].backend);
		for (j = 0; j < nu && strcmp(units[j], u); j++)
			;
		if (j == nu)
			snprintf(units[nu++], sizeof(units[0]), "%s", u);
	}
	gp = popen("gnuplot", "w");
	if (!gp) {
		fprintf(stderr, "xiommu bench: --plot needs gnuplot (Debian: apt-get install gnuplot-nox)\n");
		return -1;
	}
	fprintf(gp, "set terminal svg size 1100,600 dynamic font 'sans,11'\nset output '%s'\n",
		file);
	fprintf(gp, "set title 'xiommu bench: time per operation'\nset ylabel 'ns per operation (log)'\n"
		    "set logscale y\nset style data histograms\nset style histogram clustered gap 1\n"
		    "set style fill solid 0.8 border -1\nset boxwidth 0.9\nset xtics rotate by -40\n"
		    "set key top left\nset grid ytics\n$d << EOD\nfigure");
	for (j = 0; j < nu; j++)
		fprintf(gp, " \"%s\"", units[j]);
	fprintf(gp, "\n");
	for (i = 0; i < n; i++) {
		uint32_t k;

		if (rows[i].ns < 0)
			continue;
		for (k = 0; k < i && (strcmp(rows[k].figure, rows[i].figure) || rows[k].ns < 0); k++)
			;
		if (k < i)
			continue;	/* this figure's line is written */
		fprintf(gp, "%s", rows[i].figure);
		for (j = 0; j < nu; j++) {
			double ns = -1;

			for (k = 0; k < n; k++) {
				char u[80];

				snprintf(u, sizeof(u), "%s (%s, %s)", rows[k].unit, rows[k].vendor,
					 rows[k].backend);
				if (!strcmp(rows[k].figure, rows[i].figure) && !strcmp(u, units[j]))
					ns = rows[k].ns;
			}
			if (ns > 0)
				fprintf(gp, " %.1f", ns);
			else
				fprintf(gp, " NaN");
		}
		fprintf(gp, "\n");
	}
	fprintf(gp, "EOD\nplot for [c=2:%u] $d using c:xtic(1) title columnheader(c)\n", nu + 1);
	st = pclose(gp);
	if (st) {
		fprintf(stderr, "xiommu bench: gnuplot failed (status %d) writing %s%s\n", st, file,
			st == 127 << 8 ? ": not installed (Debian: apt-get install gnuplot-nox)" : "");
		return -1;
	}
	fprintf(stderr, "xiommu bench: wrote %s\n", file);
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "instructions", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "no-memory", no_argument, NULL, 'M' },
		{ "only", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const uint32_t pasid_counts[] = { 1000, 1000000 };
	const char *config = NULL, *only = NULL, *svg = NULL;
	uint64_t iters = 20000;
	int c, instr = 0, json = 0, memory = 1, tty = isatty(2);
	long only_unit = -1;
	struct xiommu_ctx *ctx;
	uint32_t u, nunits, nrows = 0, done = 0, total;
	struct row *rows;
	char self[4096];
	ssize_t len;
	size_t k;

	while ((c = getopt_long(argc, argv, "c:n:ijp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'n': iters = strtoull(optarg, NULL, 0); break;
		case 'i': instr = 1; break;
		case 'j': json = 1; break;
		case 'p': svg = optarg; break;
		case 'M': memory = 0; break;
		case 'o': only = optarg; break;
		case 'u': only_unit = strtol(optarg, NULL, 0); break;
		case 'h':
			usage(stdout);
			printf("\nFor every unit and backend of FILE: invalidation forwarding per entry at\n"
			       "batch sizes 1, 8, 64, 512 (generic and the vendor's raw guest commands,\n"
			       "beside a copy of one command), IOTLB-hit and nested-miss translation (with\n"
			       "table reads), 4 KiB DMA MB/s beside memcpy, and heap bytes per bound PASID\n"
			       "at 1k and 1M PASIDs.\n\n"
			       "  -c, --config FILE   the ini file\n"
			       "  -n, --iterations N  operations per figure (default 20000)\n"
			       "  -i, --instructions  also instructions per operation, via callgrind\n"
			       "  -j, --json          one JSON object per figure\n"
			       "  -p, --plot FILE.svg draw ns per operation with gnuplot\n"
			       "      --no-memory     skip the PASID memory figures (the 1M one takes a while)\n");
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
	if (only) {	/* the callgrind child: warm, then exactly n counted loops */
		struct brig *r = calloc(1, sizeof(*r));

		for (k = 0; k < bench_nfigures && strcmp(only, bench_figures[k].name); k++)
			;
		if (!r || k == bench_nfigures || only_unit < 0 || brig_up(config, (uint32_t)only_unit, r))
			return 1;
		bench_warm(r, &bench_figures[k]);
		bench_figures[k].loop(r, iters);
		brig_down(r);
		free(r);
		return 0;
	}
	total = nunits * (uint32_t)(bench_nfigures + (memory ? 2 : 0));
	rows = calloc(total, sizeof(*rows));
	if (!rows)
		return 1;
	for (u = 0; u < nunits; u++) {
		struct brig *r = calloc(1, sizeof(*r));

		if (only_unit >= 0 && u != (uint32_t)only_unit) {
			free(r);
			continue;
		}
		if (!r || brig_up(config, u, r)) {
			free(r);
			free(rows);
			return 1;
		}
		for (k = 0; k < bench_nfigures; k++) {
			const struct figure *f = &bench_figures[k];
			struct row *w = &rows[nrows++];
			uint64_t n = iters / f->batch + 1;
			double t0;

			progress(tty, ++done, total, r->name, f->name);
			snprintf(w->unit, sizeof(w->unit), "%s", r->name);
			snprintf(w->vendor, sizeof(w->vendor), "%s", r->vendor);
			snprintf(w->backend, sizeof(w->backend), "%s", r->backend);
			w->figure = f->name;
			w->what = f->what;
			w->ns = w->ir = w->extra = -1;
			bench_warm(r, f);
			if (f->inner) {
				if (!instr) {
					nrows--;
					continue;
				}
				w->ir = count_instructions(self, config, u, f, n / 20 + 10);
				if (w->ir < 0)
					w->extra_unit = "not measured";
				continue;
			}
			f->loop(r, n / 10 + 1);
			t0 = now_ns();
			f->loop(r, n);
			w->ns = (now_ns() - t0) / (double)(n * f->batch);
			if (!strncmp(f->name, "dma", 3)) {
				w->extra = 4096.0 * 1e3 / w->ns;
				w->extra_unit = "MB/s";
			} else if (!strncmp(f->name, "xlate.", 6) && strcmp(f->name, "xlate.hit")) {
				w->extra = bench_reads_per_miss(r, BENCH_PAGES,
								!strcmp(f->name, "xlate.cold"));
				w->extra_unit = w->extra >= 0 ? "table reads/miss" :
					"table reads not measured: some hit the IOTLB";
			}
			if (instr)
				w->ir = count_instructions(self, config, u, f, n / 20 + 10);
		}
		for (k = 0; memory && k < 2; k++) {
			struct row *w = &rows[nrows++];
			double secs = 0;

			progress(tty, ++done, total, r->name, k ? "mem.pasid.1M" : "mem.pasid.1k");
			snprintf(w->unit, sizeof(w->unit), "%s", r->name);
			snprintf(w->vendor, sizeof(w->vendor), "%s", r->vendor);
			snprintf(w->backend, sizeof(w->backend), "%s", r->backend);
			w->figure = k ? "mem.pasid.1M" : "mem.pasid.1k";
			w->what = "bound PASID";
			w->ir = -1;
			w->extra = bench_pasid_memory(config, u, pasid_counts[k], &secs);
			w->ns = w->extra >= 0 ? secs * 1e9 / pasid_counts[k] : -1;
			w->extra_unit = w->extra >= 0 ? "heap bytes/PASID" :
					w->extra == -2 ? "not measured: fewer PASID bits" :
					"not measured: see the error above";
			if (w->extra < 0)
				w->extra = -1;
		}
		brig_down(r);
		free(r);
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (json)
		print_json(rows, nrows);
	else {
		print_table(rows, nrows);
		print_side_by_side(rows, nrows);
	}
	if (svg && plot(svg, rows, nrows)) {
		free(rows);
		return 1;
	}
	free(rows);
	return 0;
}
