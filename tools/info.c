// SPDX-License-Identifier: MIT
/* xiommu info: what each unit of a config offers a guest. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xiommu/xiommu.h>
#include "cli.h"

static const char *const feature_names[] = {
	"nesting", "pasid", "msi-nesting", "stall", "pri", "range-inv", "ats", "bind-table",
	"bind-pasid",
};

static void granules(char *buf, size_t len, uint32_t g)
{
	snprintf(buf, len, "%s%s%s", g & XIOMMU_GRANULE_4K ? "4K " : "",
		 g & XIOMMU_GRANULE_16K ? "16K " : "", g & XIOMMU_GRANULE_64K ? "64K " : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
	else
		snprintf(buf, len, "-");
}

static void features(char *buf, size_t len, uint64_t f)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (f & (1ull << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 feature_names[i]);
	if (!used)
		snprintf(buf, len, "-");
}

static void print_table(const struct xiommu_hw_info *h, const uint8_t *raw)
{
	char g1[32], g2[32], f[256];
	uint32_t i;

	granules(g1, sizeof(g1), h->s1_granules);
	granules(g2, sizeof(g2), h->s2_granules);
	features(f, sizeof(f), h->features);
	printf("unit %s\n", h->unit_name);
	printf("  %-14s %s\n", "vendor", h->vendor_name);
	printf("  %-14s %s\n", "backend", h->backend);
	printf("  %-14s %s\n", "features", f);
	printf("  %-14s %u\n", "sid_bits", h->sid_bits);
	printf("  %-14s %u\n", "pasid_bits", h->pasid_bits);
	printf("  %-14s %u\n", "tag_bits", h->tag_bits);
	printf("  %-14s ias %u, oas %u, granules %s, pgsizes 0x%" PRIx64 "\n", "stage 1",
	       h->s1_ias, h->s1_oas, g1, h->s1_pgsizes);
	printf("  %-14s ias %u, oas %u, granules %s, pgsizes 0x%" PRIx64 "\n", "stage 2",
	       h->s2_ias, h->s2_oas, g2, h->s2_pgsizes);
	printf("  %-14s", "raw registers");
	for (i = 0; i < h->raw_len && i < 64; i += 4) {
		uint32_t w;

		memcpy(&w, raw + i, 4);
		printf(" %08x", w);
	}
	printf("\n");
}

static void print_json(const struct xiommu_hw_info *h, const uint8_t *raw, int first)
{
	char f[256];
	uint32_t i;

	features(f, sizeof(f), h->features);
	printf("%s\n  {\"unit\": ", first ? "" : ",");
	json_str(stdout, h->unit_name);
	printf(", \"vendor\": ");
	json_str(stdout, h->vendor_name);
	printf(", \"backend\": ");
	json_str(stdout, h->backend);
	printf(", \"features\": [");
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (h->features & (1ull << i))
			printf("%s\"%s\"", (h->features & ((1ull << i) - 1)) ? ", " : "",
			       feature_names[i]);
	printf("], \"sid_bits\": %u, \"pasid_bits\": %u, \"tag_bits\": %u", h->sid_bits,
	       h->pasid_bits, h->tag_bits);
	printf(", \"s1\": {\"ias\": %u, \"oas\": %u, \"granules\": %u, \"pgsizes\": %" PRIu64 "}",
	       h->s1_ias, h->s1_oas, h->s1_granules, h->s1_pgsizes);
	printf(", \"s2\": {\"ias\": %u, \"oas\": %u, \"granules\": %u, \"pgsizes\": %" PRIu64 "}",
	       h->s2_ias, h->s2_oas, h->s2_granules, h->s2_pgsizes);
	printf(", \"raw\": \"");
	for (i = 0; i < h->raw_len && i < 64; i++)
		printf("%02x", raw[i]);
	printf("\"}");
}

/*
 * The installed default config, XIOMMU_CONFDIR/xiommu.ini. An installation
 * moved as a whole (a DESTDIR, a relocated prefix) keeps its layout, so
 * when this program runs from ROOT + XIOMMU_BINDIR the config is looked for
 * in ROOT + XIOMMU_CONFDIR.
 */
static const char *default_config(char *buf, size_t len)
{
	static const char bindir[] = XIOMMU_BINDIR, confdir[] = XIOMMU_CONFDIR;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t root = 0;
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			n = slash - exe;
			if ((size_t)n >= strlen(bindir) &&
			    !strcmp(exe + n - strlen(bindir), bindir))
				root = (size_t)n - strlen(bindir);
		}
	}
	snprintf(buf, len, "%.*s%s/xiommu.ini", (int)root, exe, confdir);
	return buf;
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	char defconf[4608];
	struct xiommu_ctx *ctx;
	int json = 0, c, ret;
	uint32_t i;

	while ((c = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("usage: xiommu info [-c FILE] [--json]\n\n"
			       "Opens the ini FILE, loads each unit's plugin and backend, and prints what\n"
			       "each unit offers a guest after its advertise_* limits: features, widths,\n"
			       "granules, page sizes and the filtered raw ID registers.\n\n"
			       "  -c, --config FILE  the ini file (default: the installed %s)\n"
			       "  -j, --json         one JSON array instead of the table\n",
			       default_config(defconf, sizeof(defconf)));
			return 0;
		default:
			fprintf(stderr, "usage: xiommu info [-c FILE] [--json]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: xiommu info [-c FILE] [--json]\n");
		return 2;
	}
	if (!config)
		config = default_config(defconf, sizeof(defconf));
	ret = xiommu_open(config, &ctx);
	if (ret) {
		fprintf(stderr, "xiommu: %s\n", xiommu_last_error(NULL));
		return 1;
	}
	if (json)
		printf("[");
	for (i = 0; i < xiommu_unit_count(ctx); i++) {
		uint8_t raw[64] = { 0 };
		struct xiommu_hw_info h = { .argsz = sizeof(h), .unit = i,
					    .raw_len = sizeof(raw), .raw_ptr = XIOMMU_PTR(raw) };

		ret = xiommu_hw_info(ctx, &h);
		if (ret) {
			fprintf(stderr, "xiommu: %s\n", xiommu_last_error(ctx));
			xiommu_close(ctx);
			return 1;
		}
		if (json)
			print_json(&h, raw, i == 0);
		else
			print_table(&h, raw);
	}
	if (json)
		printf("\n]\n");
	xiommu_close(ctx);
	return 0;
}
