// SPDX-License-Identifier: MIT
/* xiommu: the command line front end of libxiommu. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const struct cli_cmd cmds[] = {
	{ "conform", "run the cross-vendor conformance suite on every unit", cmd_conform },
	{ "run", "replay a text trace of generic messages, checking its expect lines", cmd_run },
	{ "info", "print each unit, its vendor, backend and hardware info", cmd_info },
	{ "decode", "name the fields of raw vendor words (STE, CD, commands, ...)", cmd_decode },
	{ "bench", "measure forwarding, translation and DMA through each unit", cmd_bench },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: xiommu COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'xiommu COMMAND --help' describes one command.\n"
		   "Plugins are searched in the ini's plugin_dir, XIOMMU_PLUGIN_PATH, then the\n"
		   "installed plugin folder (and, when run from a build tree, its plugins/).\n");
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Run from a meson build tree: let the library find the plugins built there. */
static void build_tree_plugins(void)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32], marker[PATH_MAX + 32];
	const char *old = getenv("XIOMMU_PLUGIN_PATH");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash, *val;

	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(marker, sizeof(marker), "%s/../build.ninja", exe);
	snprintf(dir, sizeof(dir), "%s/../plugins", exe);
	if (access(marker, F_OK) || access(dir, F_OK))
		return;
	if (asprintf(&val, "%s%s%s", old && *old ? old : "", old && *old ? ":" : "", dir) < 0)
		return;
	setenv("XIOMMU_PLUGIN_PATH", val, 1);
	free(val);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	build_tree_plugins();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "xiommu: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
