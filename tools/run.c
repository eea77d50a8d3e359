// SPDX-License-Identifier: MIT
/*
 * xiommu run: replay a text trace of generic messages against a config and
 * print each result; an `expect` line that does not hold fails the run,
 * naming the trace file and line. docs/traces.md describes the format.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/xiommu.h>
#include "cli.h"
#include "run.h"

int tfail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s:%d: ", r->file, r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int num(struct run *r, const char *s, uint64_t *v)
{
	char *end;
	uint64_t mul = 1;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (*end == 'k' || *end == 'K')
		mul = 1ull << 10;
	else if (*end == 'm' || *end == 'M')
		mul = 1ull << 20;
	else if (*end == 'g' || *end == 'G')
		mul = 1ull << 30;
	if (mul > 1)
		end++;
	if (errno || end == s || *end)
		return tfail(r, "'%s' is not a number (decimal, 0x hex, with k/m/g)", s);
	*v *= mul;
	return 0;
}

/* key=value among the tokens: 1 found (*v set), 0 absent, -1 malformed. */
int kv(struct run *r, char **tok, int n, const char *key, uint64_t *v)
{
	size_t k = strlen(key);
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(tok[i], key, k) && tok[i][k] == '=')
			return num(r, tok[i] + k + 1, v) ? -1 : 1;
	return 0;
}

const char *kvs(char **tok, int n, const char *key)
{
	size_t k = strlen(key);
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(tok[i], key, k) && tok[i][k] == '=')
			return tok[i] + k + 1;
	return NULL;
}

int word(char **tok, int n, const char *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(tok[i], w))
			return 1;
	return 0;
}

struct vm *vm_get(struct run *r, const char *name)
{
	uint32_t i;

	for (i = 0; i < r->nvm; i++)
		if (!strcmp(r->vm[i].name, name))
			return &r->vm[i];
	tfail(r, "no viommu named '%s' (create it with: viommu %s)", name, name);
	return NULL;
}

struct dev *dev_get(struct run *r, const char *name)
{
	uint32_t i;

	for (i = 0; i < r->ndev; i++)
		if (!strcmp(r->dev[i].name, name))
			return &r->dev[i];
	tfail(r, "no device named '%s' (attach it first)", name);
	return NULL;
}

struct space *sp_get(struct run *r, const char *name)
{
	uint32_t i;

	for (i = 0; i < r->nsp; i++)
		if (!strcmp(r->sp[i].name, name))
			return &r->sp[i];
	tfail(r, "no stage-1 table named '%s' (create it with: s1 %s VIOMMU)", name, name);
	return NULL;
}

/* Record a library call's outcome and print it. */
void outcome(struct run *r, int ret)
{
	r->ret = ret;
	snprintf(r->err, sizeof(r->err), "%s", ret ? xiommu_last_error(r->ctx) : "");
	if (ret)
		printf("  -> error %d: %s\n", ret, r->err);
	else
		printf("  -> ok\n");
}

int name_ok(struct run *r, const char *s)
{
	if (strlen(s) >= 32 || !*s)
		return tfail(r, "name '%s': 1 to 31 characters", s);
	return 0;
}

static int run_line(struct run *r, char *line)
{
	char *tok[MAXTOK], *p = line, *hash = strchr(line, '#');
	int n = 0;

	if (hash)
		*hash = '\0';
	while (*p && n < MAXTOK) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (!n)
		return 0;
	if (n == MAXTOK)
		return tfail(r, "more than %d words", MAXTOK - 1);
	return run_cmd(r, tok, n);
}

static void run_free(struct run *r)
{
	uint32_t i;

	if (r->ctx)
		xiommu_close(r->ctx);
	for (i = 0; i < r->nvm; i++)
		free(r->vm[i].ram.buf);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	static struct run r;
	char line[1024];
	int c, ret = 0, expects = 0;
	FILE *f;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'h':
			printf("usage: xiommu run -c FILE TRACE\n\n"
			       "Replays TRACE (one generic message per line: viommu, ram, attach, s1,\n"
			       "s1map, bind, invalidate, msi, dma, fault, respond, expect ...) on the\n"
			       "config FILE and prints each result. A failing expect stops the run with\n"
			       "exit status 1, naming the trace file and line. docs/traces.md has the\n"
			       "format.\n");
			return 0;
		default:
			fprintf(stderr, "usage: xiommu run -c FILE TRACE\n");
			return 2;
		}
	}
	if (!config || optind + 1 != argc) {
		fprintf(stderr, "usage: xiommu run -c FILE TRACE\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.file = argv[optind];
	f = fopen(r.file, "r");
	if (!f) {
		fprintf(stderr, "xiommu run: %s: %s\n", r.file, strerror(errno));
		return 2;
	}
	if (xiommu_open(config, &r.ctx)) {
		fprintf(stderr, "xiommu run: %s\n", xiommu_last_error(NULL));
		fclose(f);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		r.line++;
		line[strcspn(line, "\n")] = '\0';
		if (strspn(line, " \t") != strlen(line) && line[strspn(line, " \t")] != '#')
			printf("%s:%d: %s\n", r.file, r.line, line + strspn(line, " \t"));
		if (!strncmp(line + strspn(line, " \t"), "expect", 6))
			expects++;
		if (run_line(&r, line)) {
			ret = 1;
			break;
		}
	}
	fclose(f);
	run_free(&r);
	if (!ret)
		printf("%s: %d lines, %d expectations held\n", r.file, r.line, expects);
	return ret;
}
