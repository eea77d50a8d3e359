/* SPDX-License-Identifier: MIT */
#ifndef XIOMMU_CLI_H
#define XIOMMU_CLI_H

#include <stdio.h>

struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_conform(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* Print a JSON string literal. */
void json_str(FILE *f, const char *s);

#endif
