// SPDX-License-Identifier: MIT
/*
 * xiommu conform: run the cross-vendor conformance suite (tests/conformance)
 * on every unit of a config and report scenarios down, units across: pass,
 * FAIL, or skip naming the feature the unit's hardware info says is absent.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "../tests/conformance/cf.h"

enum fmt { F_TABLE, F_TAP, F_JSON };

struct col {
	uint32_t unit;
	char name[32], vendor[16], backend[16];
};

struct cell {
	int result;
	char note[1024];	/* skip: the feature; FAIL: the failing check */
};

static void conform_usage(FILE *f)
{
	fprintf(f, "usage: xiommu conform -c FILE [--vendor V] [--backend B] [--scenario GLOB]\n"
		   "                      [--format table|tap|json] [--verbose] [--list]\n\n"
		   "Runs every conformance scenario on every (unit, vendor, backend) of FILE.\n"
		   "Cells: pass, FAIL, or skip (the feature the unit's hardware info says is absent).\n"
		   "Exit status 1 when any cell FAILs. --verbose prints each failing check's\n"
		   "expected and seen values; --list names the scenarios.\n");
}

static uint32_t columns(const char *config, const char *vendor, const char *backend,
			struct col **out)
{
	struct xiommu_ctx *ctx;
	struct col *c;

	*out = NULL;
	uint32_t i, n, k = 0;

	if (xiommu_open(config, &ctx)) {
		fprintf(stderr, "xiommu conform: %s\n", xiommu_last_error(NULL));
		return UINT32_MAX;
	}
	n = xiommu_unit_count(ctx);
	c = calloc(n ? n : 1, sizeof(*c));
	for (i = 0; c && i < n; i++) {
		struct xiommu_hw_info h = { .argsz = sizeof(h), .unit = i };

		if (xiommu_hw_info(ctx, &h))
			continue;
		if ((vendor && strcmp(vendor, h.vendor_name)) ||
		    (backend && strcmp(backend, h.backend)))
			continue;
		c[k].unit = i;
		snprintf(c[k].name, sizeof(c[k].name), "%s", h.unit_name);
		snprintf(c[k].vendor, sizeof(c[k].vendor), "%s", h.vendor_name);
		snprintf(c[k].backend, sizeof(c[k].backend), "%s", h.backend);
		k++;
	}
	xiommu_close(ctx);
	*out = c;
	return k;
}

static const char *result_name(int r)
{
	return r == CF_PASS ? "pass" : r == CF_FAIL ? "FAIL" : "skip";
}

static void cell_text(const struct cell *c, char *buf, size_t len)
{
	if (c->result == CF_SKIP)
		snprintf(buf, len, "skip (%s)", c->note);
	else
		snprintf(buf, len, "%s", result_name(c->result));
}

static void print_table(const struct cf_scenario *const *sc, uint32_t nsc, const struct col *cols,
			uint32_t ncol, const struct cell *cells)
{
	size_t w0 = strlen("scenario"), w[64] = { 0 }, l;
	char buf[1100];
	uint32_t s, c;

	for (s = 0; s < nsc; s++)
		if (strlen(sc[s]->name) > w0)
			w0 = strlen(sc[s]->name);
	for (c = 0; c < ncol && c < 64; c++) {
		w[c] = strlen(cols[c].name);
		l = strlen(cols[c].vendor) + strlen(cols[c].backend) + 1;
		if (l > w[c])
			w[c] = l;
		for (s = 0; s < nsc; s++) {
			cell_text(&cells[s * ncol + c], buf, sizeof(buf));
			if (strlen(buf) > w[c])
				w[c] = strlen(buf);
		}
	}
	printf("%-*s", (int)w0, "scenario");
	for (c = 0; c < ncol && c < 64; c++)
		printf("  %-*s", (int)w[c], cols[c].name);
	printf("\n%-*s", (int)w0, "");
	for (c = 0; c < ncol && c < 64; c++) {
		snprintf(buf, sizeof(buf), "%s/%s", cols[c].vendor, cols[c].backend);
		printf("  %-*s", (int)w[c], buf);
	}
	printf("\n");
	for (s = 0; s < nsc; s++) {
		printf("%-*s", (int)w0, sc[s]->name);
		for (c = 0; c < ncol && c < 64; c++) {
			cell_text(&cells[s * ncol + c], buf, sizeof(buf));
			printf("  %-*s", (int)w[c], buf);
		}
		printf("\n");
	}
}

static void print_tap(const struct cf_scenario *const *sc, uint32_t nsc, const struct col *cols,
		      uint32_t ncol, const struct cell *cells)
{
	uint32_t s, c, i = 0;

	printf("TAP version 13\n1..%u\n", nsc * ncol);
	for (s = 0; s < nsc; s++)
		for (c = 0; c < ncol; c++) {
			const struct cell *x = &cells[s * ncol + c];

			printf("%s %u - %s %s %s %s", x->result == CF_FAIL ? "not ok" : "ok", ++i,
			       sc[s]->name, cols[c].name, cols[c].vendor, cols[c].backend);
			if (x->result == CF_SKIP)
				printf(" # SKIP %s", x->note);
			printf("\n");
			if (x->result == CF_FAIL)
				printf("# %s\n", x->note);
		}
}

static void print_json(const struct cf_scenario *const *sc, uint32_t nsc, const struct col *cols,
		       uint32_t ncol, const struct cell *cells, const uint32_t *count)
{
	uint32_t s, c;

	printf("{\"units\": [");
	for (c = 0; c < ncol; c++) {
		printf("%s{\"unit\": ", c ? ", " : "");
		json_str(stdout, cols[c].name);
		printf(", \"vendor\": ");
		json_str(stdout, cols[c].vendor);
		printf(", \"backend\": ");
		json_str(stdout, cols[c].backend);
		printf("}");
	}
	printf("],\n \"results\": [\n");
	for (s = 0; s < nsc; s++)
		for (c = 0; c < ncol; c++) {
			const struct cell *x = &cells[s * ncol + c];

			printf("  {\"scenario\": ");
			json_str(stdout, sc[s]->name);
			printf(", \"unit\": ");
			json_str(stdout, cols[c].name);
			printf(", \"result\": \"%s\"", result_name(x->result));
			if (x->result == CF_SKIP) {
				printf(", \"feature\": ");
				json_str(stdout, x->note);
			} else if (x->result == CF_FAIL) {
				printf(", \"check\": ");
				json_str(stdout, x->note);
			}
			printf("}%s\n", s + 1 == nsc && c + 1 == ncol ? "" : ",");
		}
	printf(" ],\n \"pass\": %u, \"fail\": %u, \"skip\": %u}\n", count[CF_PASS], count[CF_FAIL],
	       count[CF_SKIP]);
}

int cmd_conform(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "vendor", required_argument, NULL, 'V' },
		{ "backend", required_argument, NULL, 'B' }, { "scenario", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' }, { "verbose", no_argument, NULL, 'v' },
		{ "list", no_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *vendor = NULL, *backend = NULL, *glob = NULL;
	const struct cf_scenario *sc[256];
	uint32_t nsc = 0, ncol, s, c, count[3] = { 0 }, done = 0;
	int opt, verbose = 0, list = 0, progress;
	enum fmt fmt = F_TABLE;
	struct cell *cells;
	struct col *cols = NULL;

	while ((opt = getopt_long(argc, argv, "c:s:f:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'V': vendor = optarg; break;
		case 'B': backend = optarg; break;
		case 's': glob = optarg; break;
		case 'v': verbose = 1; break;
		case 'l': list = 1; break;
		case 'f':
			if (!strcmp(optarg, "table"))
				fmt = F_TABLE;
			else if (!strcmp(optarg, "tap"))
				fmt = F_TAP;
			else if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else {
				fprintf(stderr, "xiommu conform: --format %s: accepted table, tap, json\n",
					optarg);
				return 2;
			}
			break;
		case 'h': conform_usage(stdout); return 0;
		default: conform_usage(stderr); return 2;
		}
	}
	for (s = 0; cf_scenarios[s] && nsc < 256; s++)
		if (!glob || !fnmatch(glob, cf_scenarios[s]->name, 0))
			sc[nsc++] = cf_scenarios[s];
	if (list) {
		for (s = 0; s < nsc; s++)
			printf("%-24s %s\n", sc[s]->name, sc[s]->summary);
		return 0;
	}
	if (!config || optind != argc) {
		conform_usage(stderr);
		return 2;
	}
	if (!nsc) {
		fprintf(stderr, "xiommu conform: --scenario '%s' matches no scenario (--list names them)\n",
			glob);
		return 2;
	}
	ncol = columns(config, vendor, backend, &cols);
	if (ncol == UINT32_MAX)
		return 2;
	if (!ncol) {
		fprintf(stderr, "xiommu conform: %s has no unit%s%s%s%s\n", config,
			vendor ? " of vendor " : "", vendor ? vendor : "",
			backend ? " on backend " : "", backend ? backend : "");
		free(cols);
		return 2;
	}
	cells = calloc((size_t)nsc * ncol, sizeof(*cells));
	if (!cells)
		return 2;
	progress = isatty(2) && fmt != F_TAP;
	for (s = 0; s < nsc; s++)
		for (c = 0; c < ncol; c++) {
			static struct cf t;
			struct cell *x = &cells[s * ncol + c];

			if (progress)
				fprintf(stderr, "\r\033[K[%u/%u] %s on %s", ++done, nsc * ncol, sc[s]->name,
					cols[c].name);
			memset(&t, 0, sizeof(t));
			t.config = config;
			t.unit = cols[c].unit;
			t.verbose = verbose;
			x->result = cf_rig(&t) ? CF_FAIL : sc[s]->run(&t);
			if (x->result != CF_SKIP && t.why[0])
				x->result = CF_FAIL;	/* a helper's failure counts too */
			snprintf(x->note, sizeof(x->note), "%s",
				 x->result == CF_SKIP ? t.skip : t.why);
			cf_unrig(&t);
			count[x->result]++;
		}
	if (progress)
		fprintf(stderr, "\r\033[K");
	if (fmt == F_TAP)
		print_tap(sc, nsc, cols, ncol, cells);
	else if (fmt == F_JSON)
		print_json(sc, nsc, cols, ncol, cells, count);
	else {
		print_table(sc, nsc, cols, ncol, cells);
		printf("\n%u pass, %u FAIL, %u skip (%u scenario%s on %u unit%s)\n", count[CF_PASS],
		       count[CF_FAIL], count[CF_SKIP], nsc, nsc == 1 ? "" : "s", ncol,
		       ncol == 1 ? "" : "s");
		for (s = 0; s < nsc && (verbose || count[CF_FAIL]); s++)
			for (c = 0; c < ncol; c++) {
				const struct cell *x = &cells[s * ncol + c];

				if (x->result == CF_FAIL && verbose)
					printf("FAIL %s on %s (%s, %s): %s\n", sc[s]->name,
					       cols[c].name, cols[c].vendor, cols[c].backend, x->note);
			}
		if (count[CF_FAIL] && !verbose)
			printf("--verbose prints each failing check's expected and seen values\n");
	}
	free(cells);
	free(cols);
	return count[CF_FAIL] ? 1 : 0;
}
