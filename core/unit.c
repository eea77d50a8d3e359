// SPDX-License-Identifier: MIT
/*
 * Bringing a unit up: its plugin, its vendor parameters (checked against
 * the plugin's table), its backend unit, and its effective capabilities
 * (hardware registers limited by the ini's advertise_* keys).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void accepted_keys(const struct xiommu_param *t, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; xc_unit_keys[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 xc_unit_keys[i]);
	for (; t->name && used < len; t++)
		used += (size_t)snprintf(buf + used, len - used, ", %s", t->name);
}

/* Edit distance, capped: enough to suggest the key a typo meant. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int row[64], i, j, prev, tmp;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

static const char *closest_key(const struct xiommu_param *t, const char *key)
{
	const char *best = NULL;
	unsigned int d, best_d = 3, i;

	for (i = 0; xc_unit_keys[i]; i++)
		if ((d = distance(key, xc_unit_keys[i])) < best_d)
			best = xc_unit_keys[i], best_d = d;
	for (; t->name; t++)
		if ((d = distance(key, t->name)) < best_d)
			best = t->name, best_d = d;
	return best;
}

static void accepted_names(const struct xiommu_param *d, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; d->names && d->names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 d->names[i]);
}

static int parse_set(const struct xiommu_param *d, const char *value, uint32_t *out)
{
	char item[64];
	const char *s = value;
	uint32_t mask = 0;
	unsigned int i;

	if (!*s)
		return -EINVAL;
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *a = s, *b = s + n;

		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b == a || (size_t)(b - a) >= sizeof(item))
			return -EINVAL;
		memcpy(item, a, (size_t)(b - a));
		item[b - a] = '\0';
		for (i = 0; d->names[i] && i < 32; i++)
			if (!strcmp(d->names[i], item))
				break;
		if (!d->names[i] || i == 32 || !(d->max & (1u << i)))
			return -EINVAL;
		mask |= 1u << i;
		s += n + (s[n] == ',');
	}
	*out = mask;
	return 0;
}

static int parse_param(const struct xiommu_param *d, const char *value, uint32_t *out)
{
	unsigned int i;

	switch (d->kind) {
	case XIOMMU_PARAM_UINT:
		return xc_parse_u32(value, d->min, d->max, out);
	case XIOMMU_PARAM_BOOL:
		return xc_parse_bool(value, out);
	case XIOMMU_PARAM_ENUM:
		for (i = 0; d->names && d->names[i]; i++)
			if (!strcmp(d->names[i], value)) {
				*out = d->values ? d->values[i] : i;
				return 0;
			}
		return -EINVAL;
	case XIOMMU_PARAM_SET:
		return d->names ? parse_set(d, value, out) : -EINVAL;
	}
	return -EINVAL;
}

static void expected(const struct xiommu_param *d, char *buf, size_t len)
{
	char names[512];

	switch (d->kind) {
	case XIOMMU_PARAM_UINT:
		snprintf(buf, len, "a number %u..%u", d->min, d->max);
		break;
	case XIOMMU_PARAM_BOOL:
		snprintf(buf, len, "yes or no");
		break;
	case XIOMMU_PARAM_ENUM:
		accepted_names(d, names, sizeof(names));
		snprintf(buf, len, "one of %s", names);
		break;
	default:
		accepted_names(d, names, sizeof(names));
		snprintf(buf, len, "a comma list of %s", names);
		break;
	}
}

/* Vendor keys -> the plugin's parameter struct. */
static int unit_params(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	const struct xiommu_param *t = u->ops->params, *d;
	char buf[2048], exp[600];
	uint32_t i, v;

	u->params = calloc(1, u->ops->params_size ? u->ops->params_size : 4);
	if (!u->params)
		return xc_err(NULL, -ENOMEM, "%s: out of memory", ctx->name);
	for (d = t; d->name; d++) {
		if (d->offset + 4 > u->ops->params_size)
			return xc_err(NULL, -EPROTO, "plugin '%s': parameter '%s' lies outside its struct",
				      u->vendor, d->name);
		memcpy((uint8_t *)u->params + d->offset, &d->def, 4);
	}
	for (i = 0; i < u->nkv; i++) {
		struct xc_kv *kv = &u->kv[i];

		for (d = t; d->name; d++)
			if (!strcmp(d->name, kv->key))
				break;
		if (!d->name) {
			const char *near = closest_key(t, kv->key);

			accepted_keys(t, buf, sizeof(buf));
			return xc_err(NULL, -EINVAL,
				      "%s:%d: [unit %s] unknown key '%s' = '%s' for vendor '%s'%s%s%s; accepted: %s",
				      ctx->name, kv->line, u->name, kv->key, kv->value, u->vendor,
				      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
				      buf);
		}
		if (parse_param(d, kv->value, &v)) {
			expected(d, exp, sizeof(exp));
			return xc_err(NULL, -EINVAL, "%s:%d: [unit %s] key '%s' = '%s': expected %s",
				      ctx->name, kv->line, u->name, kv->key, kv->value, exp);
		}
		memcpy((uint8_t *)u->params + d->offset, &v, 4);
	}
	return 0;
}

static int unit_backend(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	const struct xc_backend_ops *be = xc_backend_find(u->backend_name);
	char err[512] = "";
	uint32_t i;
	int ret;

	for (i = 0; i < ctx->nbackends; i++)
		if (ctx->backends[i].ops == be)
			break;
	if (i == ctx->nbackends) {
		if (i == XC_MAX_BACKENDS)
			return xc_err(NULL, -ENOSPC, "%s: more than %d backends", ctx->name,
				      XC_MAX_BACKENDS);
		ret = be->ctx_init ? be->ctx_init(&ctx->backends[i].bctx) : 0;
		if (ret)
			return xc_err(NULL, ret, "%s:%d: [unit %s] backend '%s' cannot start (%s)",
				      ctx->name, u->line, u->name, be->name, strerror(-ret));
		ctx->backends[i].ops = be;
		ctx->nbackends++;
	}
	u->be = be;
	u->be_index = i;
	ret = be->unit_create(ctx->backends[i].bctx, u->vendor, u->params, u->ops->params_size,
			      &u->bu, err, sizeof(err));
	if (ret)
		return xc_err(NULL, ret, "%s:%d: [unit %s] backend '%s': %s", ctx->name, u->line,
			      u->name, be->name, err[0] ? err : strerror(-ret));
	u->regs_len = be->regs(u->bu, u->regs, sizeof(u->regs));
	return 0;
}

static int unit_caps(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	struct xiommu_hw_info limit = { 0 }, *c = &u->caps;
	const struct xiommu_plugin_env *env;
	int ret;

	limit.features = u->limits.features;
	limit.pasid_bits = u->limits.pasid_bits;
	limit.s1_ias = u->limits.s1_ias;
	limit.s1_oas = u->limits.s1_oas;
	limit.s2_ias = u->limits.s2_ias;
	u->raw_len = sizeof(u->raw);
	u->env.caps = NULL;
	env = xc_env(ctx, u);
	xc_err_clear(ctx);
	ret = u->ops->hw_info(env, &limit, c, u->raw, &u->raw_len);
	if (ret)
		return xc_err_prefix(NULL, ret, "%s:%d: [unit %s] plugin '%s' hw_info: ", ctx->name,
				     u->line, u->name, u->vendor);
	/* Trust, but check: a plugin may not advertise past the ini limits. */
	if ((c->features & ~limit.features) || c->pasid_bits > limit.pasid_bits ||
	    c->s1_ias > limit.s1_ias || c->s1_oas > limit.s1_oas || c->s2_ias > limit.s2_ias ||
	    u->raw_len > sizeof(u->raw))
		return xc_err(NULL, -EPROTO,
			      "%s:%d: [unit %s] plugin '%s' reports capabilities beyond the advertise_* limits",
			      ctx->name, u->line, u->name, u->vendor);
	c->vendor = u->ops->vendor_id;
	c->raw_type = u->ops->raw_type;
	u->env.caps = c;
	return 0;
}

int xc_unit_setup(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	int ret;

	ret = xc_plugin_load(ctx, u);
	if (!ret)
		ret = unit_params(ctx, u);
	if (!ret && u->ops->check_params) {
		xc_err_clear(ctx);
		ret = u->ops->check_params(xc_env(ctx, u));
		if (ret)
			xc_err_prefix(NULL, ret, "%s:%d: [unit %s] ", ctx->name, u->line, u->name);
	}
	if (!ret)
		ret = unit_backend(ctx, u);
	if (!ret)
		ret = unit_caps(ctx, u);
	return ret;
}

void xc_unit_teardown(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	uint32_t i;

	(void)ctx;
	if (u->bu)
		u->be->unit_destroy(u->bu);
	u->bu = NULL;
	xc_plugin_unload(u);
	free(u->spare_ops);
	u->spare_ops = NULL;
	u->spare_cap = 0;
	free(u->params);
	u->params = NULL;
	for (i = 0; i < u->nkv; i++) {
		free(u->kv[i].key);
		free(u->kv[i].value);
	}
	free(u->kv);
	u->kv = NULL;
	u->nkv = 0;
}
