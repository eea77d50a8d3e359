// SPDX-License-Identifier: MIT
/*
 * The ini file: [xiommu] for the context, [unit NAME] per unit. inih splits
 * the lines; our reader counts them and handles section headers itself so
 * every message can name the line, and so empty or repeated sections are
 * seen. Vendor keys are kept as text until the unit's plugin is loaded
 * (xc_unit_params() checks them against the plugin's table).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>
#include "internal.h"

#define XC_MAX_UNITS 64

struct xc_parse {
	struct xiommu_ctx *ctx;
	const char *text;
	size_t len, pos;
	int line;
	int err;			/* first error, message already set */
	int section;			/* -1 none, -2 [xiommu], else unit index */
	bool seen_global;
	uint32_t global_seen;
};

static int parse_fail(struct xc_parse *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int parse_fail(struct xc_parse *p, int err, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (p->err)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xc_err(NULL, err, "%s:%d: %s", p->ctx->name, p->line, msg);
	p->err = err;
	return 0;
}

static const char *section_name(struct xc_parse *p, char *buf, size_t len)
{
	if (p->section == -2)
		return "[xiommu]";
	snprintf(buf, len, "[unit %s]", p->ctx->units[p->section].name);
	return buf;
}

static bool valid_unit_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= XC_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static void section_header(struct xc_parse *p, const char *line)
{
	char name[256];
	const char *end = strchr(line, ']');
	size_t n;
	uint32_t i;

	if (!end)
		return; /* inih reports the syntax error */
	n = (size_t)(end - line - 1);
	if (n >= sizeof(name)) {
		parse_fail(p, -EINVAL, "section name too long");
		return;
	}
	memcpy(name, line + 1, n);
	name[n] = '\0';
	if (!strcmp(name, "xiommu")) {
		if (p->seen_global) {
			parse_fail(p, -EINVAL, "section [xiommu] given twice");
			return;
		}
		p->seen_global = true;
		p->section = -2;
		return;
	}
	if (strncmp(name, "unit ", 5)) {
		parse_fail(p, -EINVAL, "unknown section [%s]; accepted: [xiommu], [unit NAME]", name);
		return;
	}
	if (!valid_unit_name(name + 5)) {
		parse_fail(p, -EINVAL,
			   "[%s]: unit name '%s' must be 1-%d characters of A-Z a-z 0-9 _ -",
			   name, name + 5, XC_NAME_MAX - 1);
		return;
	}
	for (i = 0; i < p->ctx->nunits; i++)
		if (!strcmp(p->ctx->units[i].name, name + 5)) {
			parse_fail(p, -EEXIST, "[%s]: duplicate unit (first at line %d)", name,
				   p->ctx->units[i].line);
			return;
		}
	if (p->ctx->nunits == XC_MAX_UNITS) {
		parse_fail(p, -ENOSPC, "[%s]: more than %d units", name, XC_MAX_UNITS);
		return;
	}
	i = p->ctx->nunits++;
	memset(&p->ctx->units[i], 0, sizeof(p->ctx->units[i]));
	p->ctx->units[i].index = i;
	p->ctx->units[i].line = p->line;
	strcpy(p->ctx->units[i].name, name + 5);
	strcpy(p->ctx->units[i].backend_name, "embedded");
	p->ctx->units[i].limits.features = XIOMMU_HW_ALL;
	p->ctx->units[i].limits.pasid_bits = 255;
	p->ctx->units[i].limits.s1_ias = 255;
	p->ctx->units[i].limits.s1_oas = 255;
	p->ctx->units[i].limits.s2_ias = 255;
	p->section = (int)i;
}

/* fgets over the text; counts lines and handles section headers. */
static char *config_reader(char *str, int num, void *stream)
{
	struct xc_parse *p = stream;
	size_t n = 0, start;
	const char *s;

	if (p->err || p->pos >= p->len)
		return NULL;
	start = p->pos;
	while (p->pos < p->len && p->text[p->pos] != '\n')
		p->pos++;
	n = p->pos - start;
	if (p->pos < p->len)
		p->pos++;
	p->line++;
	if (n + 2 > (size_t)num) {
		parse_fail(p, -EINVAL, "line longer than %d characters", num - 2);
		return NULL;
	}
	if (memchr(p->text + start, '\0', n)) {
		parse_fail(p, -EINVAL, "NUL byte in the file");
		return NULL;
	}
	memcpy(str, p->text + start, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	for (s = str; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '[')
		section_header(p, s);
	return str;
}

/* Strict unsigned parse: decimal or 0x hex, the whole string, in range. */
int xc_parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long x;
	char *end;

	if (!*v || *v == '-' || *v == '+' || isspace((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno || *end || x < min || x > max)
		return -ERANGE;
	*out = (uint32_t)x;
	return 0;
}

int xc_parse_bool(const char *v, uint32_t *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(v, no[i]))
			return *out = 0, 0;
	}
	return -EINVAL;
}

/* Generic unit keys: name, and for the advertise_* ones what they limit. */
enum { K_VENDOR, K_BACKEND, K_PASID, K_S1IAS, K_S1OAS, K_S2IAS, K_RANGE, K_STALL, K_PRI,
       K_ATS, K_COUNT };
const char *const xc_unit_keys[K_COUNT + 1] = {
	"vendor", "backend", "advertise_pasid_bits", "advertise_s1_ias", "advertise_s1_oas",
	"advertise_s2_ias", "advertise_range_inv", "advertise_stall", "advertise_pri",
	"advertise_ats", NULL,
};
static const uint64_t unit_key_feature[K_COUNT] = {
	[K_RANGE] = XIOMMU_HW_RANGE_INV, [K_STALL] = XIOMMU_HW_STALL,
	[K_PRI] = XIOMMU_HW_PRI, [K_ATS] = XIOMMU_HW_ATS,
};

static int unit_key(struct xc_parse *p, struct xc_unit *u, const char *key, const char *value)
{
	char sec[64];
	uint32_t v;
	int k;

	section_name(p, sec, sizeof(sec));
	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(key, xc_unit_keys[k]))
			break;
	if (k == K_COUNT) {
		struct xc_kv *kv;
		uint32_t i;

		for (i = 0; i < u->nkv; i++)
			if (!strcmp(u->kv[i].key, key))
				return parse_fail(p, -EINVAL, "%s key '%s' given twice (first at line %d)",
						  sec, key, u->kv[i].line);
		kv = realloc(u->kv, (u->nkv + 1) * sizeof(*kv));
		if (!kv)
			return parse_fail(p, -ENOMEM, "out of memory");
		u->kv = kv;
		kv[u->nkv].key = strdup(key);
		kv[u->nkv].value = strdup(value);
		kv[u->nkv].line = p->line;
		if (!kv[u->nkv].key || !kv[u->nkv].value) {
			free(kv[u->nkv].key);
			free(kv[u->nkv].value);
			return parse_fail(p, -ENOMEM, "out of memory");
		}
		u->nkv++;
		return 1;
	}
	if (u->generic_seen & (1ull << k))
		return parse_fail(p, -EINVAL, "%s key '%s' given twice", sec, key);
	u->generic_seen |= 1ull << k;

	switch (k) {
	case K_VENDOR:
		if (!*value || strlen(value) >= sizeof(u->vendor) || strchr(value, '/'))
			return parse_fail(p, -EINVAL,
					  "%s key 'vendor' = '%s': expected a plugin name such as smmuv3 or vtd (1-15 characters, no '/')",
					  sec, value);
		strcpy(u->vendor, value);
		u->seen_vendor = true;
		return 1;
	case K_BACKEND:
		if (!xc_backend_find(value)) {
			char names[128];

			xc_backend_names(names, sizeof(names));
			return parse_fail(p, -EINVAL, "%s key 'backend' = '%s': accepted: %s", sec,
					  value, names);
		}
		strcpy(u->backend_name, value);
		return 1;
	case K_PASID:
	case K_S1IAS:
	case K_S1OAS:
	case K_S2IAS: {
		uint32_t lo = k == K_PASID ? 0 : 16, hi = k == K_PASID ? 20 : 64;

		if (xc_parse_u32(value, lo, hi, &v))
			return parse_fail(p, -EINVAL, "%s key '%s' = '%s': expected a number %u..%u",
					  sec, key, value, lo, hi);
		if (k == K_PASID)
			u->limits.pasid_bits = (uint8_t)v;
		else if (k == K_S1IAS)
			u->limits.s1_ias = (uint8_t)v;
		else if (k == K_S1OAS)
			u->limits.s1_oas = (uint8_t)v;
		else
			u->limits.s2_ias = (uint8_t)v;
		return 1;
	}
	default:
		if (xc_parse_bool(value, &v))
			return parse_fail(p, -EINVAL, "%s key '%s' = '%s': expected yes or no", sec,
					  key, value);
		if (!v)
			u->limits.features &= ~unit_key_feature[k];
		return 1;
	}
}

static int config_handler(void *user, const char *section, const char *key, const char *value)
{
	struct xc_parse *p = user;

	(void)section;
	if (p->err)
		return 1;
	if (p->section == -1)
		return parse_fail(p, -EINVAL, "key '%s' outside any section", key);
	if (p->section == -2) {
		if (strcmp(key, "plugin_dir"))
			return parse_fail(p, -EINVAL,
					  "[xiommu] unknown key '%s' = '%s'; accepted: plugin_dir", key,
					  value);
		if (p->global_seen)
			return parse_fail(p, -EINVAL, "[xiommu] key 'plugin_dir' given twice");
		if (!*value || strlen(value) >= sizeof(p->ctx->plugin_dir) - 1)
			return parse_fail(p, -EINVAL, "[xiommu] key 'plugin_dir' = '%s': empty or too long",
					  value);
		p->global_seen = 1;
		strcpy(p->ctx->plugin_dir, value);
		return 1;
	}
	return unit_key(p, &p->ctx->units[p->section], key, value);
}

int xc_config_parse(struct xiommu_ctx *ctx, const char *text, size_t len)
{
	struct xc_parse p = { .ctx = ctx, .text = text, .len = len, .section = -1 };
	uint32_t i;
	int ret;

	ctx->units = calloc(XC_MAX_UNITS, sizeof(*ctx->units));
	if (!ctx->units)
		return xc_err(NULL, -ENOMEM, "%s: out of memory", ctx->name);
	ret = ini_parse_stream(config_reader, &p, config_handler, &p);
	if (p.err)
		return p.err;
	if (ret > 0) {
		return xc_err(NULL, -EINVAL,
			      "%s:%d: syntax error: expected [section], key = value, or a ; # comment",
			      ctx->name, ret);
	}
	if (ret < 0)
		return xc_err(NULL, -EIO, "%s: cannot be parsed", ctx->name);
	for (i = 0; i < ctx->nunits; i++)
		if (!ctx->units[i].seen_vendor)
			return xc_err(NULL, -EINVAL,
				      "%s:%d: [unit %s] has no 'vendor' key (for example vendor = smmuv3)",
				      ctx->name, ctx->units[i].line, ctx->units[i].name);
	if (!ctx->nunits)
		return xc_err(NULL, -EINVAL, "%s: no [unit NAME] section", ctx->name);
	return 0;
}
