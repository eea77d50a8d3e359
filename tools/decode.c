// SPDX-License-Identifier: MIT
/* xiommu decode: raw 64-bit words -> named fields, through the vendor's plugin. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/xiommu.h>
#include "cli.h"

#define MAX_WORDS 8

struct out {
	int json, count, flagged;
};

static void field(void *arg, const char *name, uint64_t value, uint32_t flags, const char *note)
{
	struct out *o = arg;

	if (flags)
		o->flagged = 1;
	if (o->json) {
		printf("%s\n  {\"name\": ", o->count++ ? "," : "");
		json_str(stdout, name);
		printf(", \"value\": %" PRIu64 ", \"hex\": \"0x%" PRIx64 "\", \"reserved\": %s, \"illegal\": %s",
		       value, value, flags & XIOMMU_FIELD_RESERVED ? "true" : "false",
		       flags & XIOMMU_FIELD_ILLEGAL ? "true" : "false");
		if (note) {
			printf(", \"note\": ");
			json_str(stdout, note);
		}
		printf("}");
		return;
	}
	printf("%-16s 0x%" PRIx64 "%s%s%s%s\n", name, value,
	       flags & XIOMMU_FIELD_RESERVED ? "  RESERVED BITS SET" : "",
	       flags & XIOMMU_FIELD_ILLEGAL ? "  ILLEGAL" : "", note ? "  " : "", note ? note : "");
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xiommu decode [--json] [--strict] VENDOR KIND WORD...\n");
}

int cmd_decode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *const *kinds;
	uint64_t w[MAX_WORDS];
	struct out o = { 0 };
	int c, strict = 0, i, n;

	while ((c = getopt_long(argc, argv, "+jsh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 's':
			strict = 1;
			break;
		case 'h':
			usage(stdout);
			printf("\nNames every field of raw 64-bit words (hex, least significant word first)\n"
			       "as the vendor's structure KIND, flagging reserved bits that are set and\n"
			       "values the architecture forbids. The decoding is the plugin's own, the same\n"
			       "a VMM gets from xiommu_decode().\n\n"
			       "  VENDOR        smmuv3, vtd, ... (the plugin xiommu-VENDOR.so)\n"
			       "  KIND          'xiommu decode VENDOR --kinds' lists them\n"
			       "  -j, --json    a JSON array of fields\n"
			       "  -s, --strict  exit 3 when a reserved or illegal field is flagged\n");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind == 2 && !strcmp(argv[optind + 1], "--kinds")) {
		if (xiommu_decode_kinds(argv[optind], &kinds)) {
			fprintf(stderr, "xiommu: %s\n", xiommu_last_error(NULL));
			return 1;
		}
		for (i = 0; kinds[i]; i++)
			printf("%s\n", kinds[i]);
		return 0;
	}
	if (argc - optind < 3 || argc - optind - 2 > MAX_WORDS) {
		usage(stderr);
		return 2;
	}
	n = argc - optind - 2;
	for (i = 0; i < n; i++) {
		const char *s = argv[optind + 2 + i];
		char *end;

		errno = 0;
		w[i] = strtoull(s, &end, 16);
		if (errno || !*s || *end || *s == '-') {
			fprintf(stderr, "xiommu: word %d '%s' is not a 64-bit hex number\n", i, s);
			return 2;
		}
	}
	if (o.json)
		printf("[");
	if (xiommu_decode(argv[optind], argv[optind + 1], w, (uint32_t)n, field, &o)) {
		if (o.json)
			printf("]\n");
		fprintf(stderr, "xiommu: %s\n", xiommu_last_error(NULL));
		return 1;
	}
	if (o.json)
		printf("\n]\n");
	return strict && o.flagged ? 3 : 0;
}
