// SPDX-License-Identifier: MIT
/*
 * Reads the "Errors:" lists of include/xiommu/xiommu.h, fault.h and diag.h:
 *   Errors[NAME]: ...   defines a set other lists name as [NAME];
 *   Errors: ...         the list of the next XIOMMU_EXPORT call.
 * A list runs to the first '.' that ends a sentence (followed by white
 * space); in it count -EXXX names, [NAME] sets and "those of xiommu_x()"
 * (every errno of that call). Everything else is explanation.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "errdoc.h"

#ifndef XT_INCLUDE_DIR
#error "XT_INCLUDE_DIR must name include/xiommu"
#endif

#define MAX_LISTS 64
#define MAX_REFS 8

struct list {
	char name[48];		/* "xiommu_map", or "[msg]" for a set */
	uint64_t errs[3];	/* bit n: errno n */
	char refs[MAX_REFS][48];
	unsigned int nrefs;
};

static struct list lists[MAX_LISTS];
static unsigned int nlists;
static char calls[MAX_LISTS][48];	/* every XIOMMU_EXPORT int xiommu_x() */
static unsigned int ncalls;
static char parse_err[512];
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const struct { const char *name; int val; } names[] = {
#define E(x) { #x, x }
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(EFBIG), E(ENOSPC), E(ERANGE), E(EDOM),
	E(ENAMETOOLONG), E(ELOOP), E(ENOSYS), E(EPROTO), E(EOPNOTSUPP), E(EOVERFLOW),
	E(ETIMEDOUT), E(EALREADY), E(ENOTSUP),
#undef E
};

static int errno_of(const char *name, size_t n)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !strncmp(names[i].name, name, n))
			return names[i].val;
	return -1;
}

static void set_bit(struct list *l, int e)
{
	if (e > 0 && e < 192)
		l->errs[e / 64] |= 1ull << (e % 64);
}

static struct list *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nlists; i++)
		if (!strcmp(lists[i].name, name))
			return &lists[i];
	return NULL;
}

/* The end of a list: a '.' followed by white space (not part of "..."). */
static const char *list_end(const char *p)
{
	for (; *p; p++)
		if (*p == '.' && isspace((unsigned char)p[1]) && p[-1] != '.')
			return p;
	return p;
}

static void parse_list(struct list *l, const char *p, const char *end, const char *file)
{
	while (p < end) {
		if (p[0] == '-' && p[1] == 'E' && isalnum((unsigned char)p[2])) {
			const char *s = p + 1;
			size_t n = 0;
			int e;

			while (s + n < end && (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n])))
				n++;
			e = errno_of(s, n);
			if (e < 0 && !parse_err[0])
				snprintf(parse_err, sizeof(parse_err), "%.40s: %.47s: unknown errno -%.*s",
					 file, l->name, (int)n, s);
			set_bit(l, e);
			p = s + n;
		} else if (*p == '[') {
			const char *c = memchr(p, ']', (size_t)(end - p));

			if (c && l->nrefs < MAX_REFS && (size_t)(c - p) < sizeof(l->refs[0]) - 1)
				snprintf(l->refs[l->nrefs++], sizeof(l->refs[0]), "%.*s",
					 (int)(c - p + 1), p);
			p = c ? c + 1 : end;
		} else if (!strncmp(p, "those of xiommu_", 16)) {
			const char *s = p + 9;
			size_t n = strcspn(s, "( \n");

			if (l->nrefs < MAX_REFS && n < sizeof(l->refs[0]))
				snprintf(l->refs[l->nrefs++], sizeof(l->refs[0]), "%.*s", (int)n, s);
			p = s + n;
		} else {
			p++;
		}
	}
}

static void parse_file(const char *file)
{
	char path[512];
	FILE *f;
	char *text;
	long size;
	const char *p;

	snprintf(path, sizeof(path), "%s/%s", XT_INCLUDE_DIR, file);
	f = fopen(path, "r");
	if (!f) {
		snprintf(parse_err, sizeof(parse_err), "%.400s: cannot open", path);
		return;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)size + 2);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		snprintf(parse_err, sizeof(parse_err), "%.400s: cannot read", path);
		fclose(f);
		free(text);
		return;
	}
	fclose(f);
	for (p = text; (p = strstr(p, "XIOMMU_EXPORT int xiommu_")) && ncalls < MAX_LISTS; p++)
		snprintf(calls[ncalls++], sizeof(calls[0]), "%.*s", (int)strcspn(p + 18, "("),
			 p + 18);
	for (p = text; (p = strstr(p, "Errors")); ) {
		struct list *l;
		const char *colon, *end;

		if (nlists == MAX_LISTS) {
			snprintf(parse_err, sizeof(parse_err), "more than %d lists", MAX_LISTS);
			break;
		}
		l = &lists[nlists];
		memset(l, 0, sizeof(*l));
		if (p[6] == '[') {
			const char *c = strchr(p, ']');

			if (!c || c[1] != ':' || (size_t)(c - p - 5) >= sizeof(l->name)) {
				p += 6;
				continue;
			}
			snprintf(l->name, sizeof(l->name), "%.*s", (int)(c - p - 5), p + 6);
			colon = c + 1;
		} else if (p[6] == ':') {
			const char *x = strstr(p, "XIOMMU_EXPORT");
			const char *fn;
			size_t n;

			fn = x ? strstr(x, "xiommu_") : NULL;
			if (!fn) {
				snprintf(parse_err, sizeof(parse_err), "%.40s: a list before no call", file);
				break;
			}
			n = strcspn(fn, "(");
			snprintf(l->name, sizeof(l->name), "%.*s", (int)n, fn);
			colon = p + 6;
		} else {
			p += 6;
			continue;
		}
		end = list_end(colon + 1);
		parse_list(l, colon + 1, end, file);
		nlists++;
		p = end;
	}
	free(text);
}

/* Fold the sets and calls a list names into it (a few rounds cover nesting). */
static void resolve(void)
{
	unsigned int round, i, r, k;

	for (round = 0; round < 4; round++)
		for (i = 0; i < nlists; i++)
			for (r = 0; r < lists[i].nrefs; r++) {
				const struct list *o = find(lists[i].refs[r]);

				if (!o) {
					if (!parse_err[0])
						snprintf(parse_err, sizeof(parse_err),
							 "%.47s names %.47s, which has no list",
							 lists[i].name, lists[i].refs[r]);
					continue;
				}
				for (k = 0; k < 3; k++)
					lists[i].errs[k] |= o->errs[k];
			}
}

static void load(void)
{
	parse_file("xiommu.h");
	parse_file("fault.h");
	parse_file("diag.h");
	resolve();
	loaded = !parse_err[0];
}

const char *xt_errdoc_error(void)
{
	pthread_once(&once, load);
	return parse_err;
}

int xt_errdoc_allows(const char *call, int err)
{
	const struct list *l;

	pthread_once(&once, load);
	if (!loaded || !(l = find(call)) || call[0] == '[')
		return -1;
	err = -err;
	return err > 0 && err < 192 && (l->errs[err / 64] >> (err % 64) & 1);
}

const char *xt_errdoc_call(unsigned int i)
{
	unsigned int n = 0, k;

	pthread_once(&once, load);
	for (k = 0; k < nlists; k++)
		if (lists[k].name[0] != '[' && n++ == i)
			return lists[k].name;
	return NULL;
}

const char *xt_errdoc_list(const char *call, char *buf, size_t len)
{
	const struct list *l;
	size_t used = 0;
	unsigned int i;
	int e;

	pthread_once(&once, load);
	buf[0] = '\0';
	l = find(call);
	for (e = 1; l && e < 192; e++)
		if (l->errs[e / 64] >> (e % 64) & 1)
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (names[i].val == e && used < len) {
					used += (size_t)snprintf(buf + used, len - used, "%s-%s",
								 used ? " " : "", names[i].name);
					break;
				}
	return buf;
}

const char *xt_errdoc_call_of(const char *expr, char *buf, size_t len)
{
	size_t n;

	while (isspace((unsigned char)*expr) || *expr == '(')
		expr++;
	if (strncmp(expr, "xiommu_", 7))
		return NULL;
	n = strspn(expr, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (n >= len)
		return NULL;
	snprintf(buf, len, "%.*s", (int)n, expr);
	return buf;
}

const char *xt_errdoc_undocumented(void)
{
	unsigned int i;

	pthread_once(&once, load);
	for (i = 0; i < ncalls; i++)
		if (!find(calls[i]))
			return calls[i];
	return NULL;
}

unsigned int xt_errdoc_ncalls(void)
{
	pthread_once(&once, load);
	return ncalls;
}
