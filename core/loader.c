// SPDX-License-Identifier: MIT
/*
 * Plugin loading: xiommu-<vendor>.so is searched in the ini's plugin_dir
 * (relative to the ini file's folder), then in each folder of
 * XIOMMU_PLUGIN_PATH (colon-separated), then in the installed plugin folder.
 * The first file that exists is the one used: a broken plugin earlier in the
 * path is an error, not a reason to try the next.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#ifndef XIOMMU_PLUGINDIR
#error "XIOMMU_PLUGINDIR must be defined by the build"
#endif

static int try_dir(const char *dir, const char *vendor, char *path, size_t len)
{
	if (!*dir)
		return -ENOENT;
	if ((size_t)snprintf(path, len, "%s/xiommu-%s.so", dir, vendor) >= len)
		return -ENAMETOOLONG;
	return access(path, F_OK) ? -ENOENT : 0;
}

/* Find the plugin file; on failure @tried lists the folders searched. */
int xc_plugin_find(const char *plugin_dir, const char *vendor, char *path, size_t len,
		   char *tried, size_t tried_len)
{
	const char *env = getenv("XIOMMU_PLUGIN_PATH");
	char dir[4096];
	size_t used = 0;

	tried[0] = '\0';
#define NOTE(...) \
	do { \
		if (used < tried_len) \
			used += (size_t)snprintf(tried + used, tried_len - used, __VA_ARGS__); \
	} while (0)
	if (plugin_dir && *plugin_dir) {
		if (!try_dir(plugin_dir, vendor, path, len))
			return 0;
		NOTE("plugin_dir '%s'", plugin_dir);
	} else {
		NOTE("plugin_dir (not set)");
	}
	if (env && *env) {
		const char *s = env;

		while (*s) {
			size_t n = strcspn(s, ":");

			if (n && n < sizeof(dir)) {
				memcpy(dir, s, n);
				dir[n] = '\0';
				if (!try_dir(dir, vendor, path, len))
					return 0;
			}
			s += n + (s[n] == ':');
		}
		NOTE(", XIOMMU_PLUGIN_PATH '%s'", env);
	} else {
		NOTE(", XIOMMU_PLUGIN_PATH (not set)");
	}
	if (!try_dir(XIOMMU_PLUGINDIR, vendor, path, len))
		return 0;
	NOTE(", installed '%s'", XIOMMU_PLUGINDIR);
#undef NOTE
	return -ENOENT;
}

/* plugin_dir relative to the ini file's folder. */
static void resolve_plugin_dir(const struct xiommu_ctx *ctx, char *out, size_t len)
{
	const char *slash = strrchr(ctx->name, '/');

	if (!ctx->plugin_dir[0] || ctx->plugin_dir[0] == '/' || !slash) {
		snprintf(out, len, "%s", ctx->plugin_dir);
		return;
	}
	snprintf(out, len, "%.*s/%s", (int)(slash - ctx->name), ctx->name, ctx->plugin_dir);
}

int xc_plugin_load(struct xiommu_ctx *ctx, struct xc_unit *u)
{
	char dir[4608], path[4864], tried[8192];
	xiommu_plugin_entry_fn entry;
	const struct xiommu_plugin_ops *ops;
	void *dl;

	resolve_plugin_dir(ctx, dir, sizeof(dir));
	if (xc_plugin_find(dir, u->vendor, path, sizeof(path), tried, sizeof(tried)))
		return xc_err(NULL, -ENOENT,
			      "%s:%d: [unit %s] vendor '%s': plugin xiommu-%s.so not found; searched %s",
			      ctx->name, u->line, u->name, u->vendor, u->vendor, tried);
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return xc_err(NULL, -ENOEXEC, "%s:%d: [unit %s] plugin '%s' cannot be loaded: %s",
			      ctx->name, u->line, u->name, path, dlerror());
	*(void **)&entry = dlsym(dl, XIOMMU_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		dlclose(dl);
		return xc_err(NULL, -ENOEXEC, "%s:%d: [unit %s] plugin '%s' has no symbol '%s'",
			      ctx->name, u->line, u->name, path, XIOMMU_PLUGIN_ENTRY_SYMBOL);
	}
	ops = entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	if (!ops) {
		dlclose(dl);
		return xc_err(NULL, -EPROTO,
			      "%s:%d: [unit %s] plugin '%s' cannot serve plugin ABI %u.%u (its entry returned no ops)",
			      ctx->name, u->line, u->name, path, XIOMMU_PLUGIN_ABI_MAJOR,
			      XIOMMU_PLUGIN_ABI_MINOR);
	}
	if (ops->abi_major != XIOMMU_PLUGIN_ABI_MAJOR) {
		int ret = xc_err(NULL, -EPROTO,
				 "%s:%d: [unit %s] plugin '%s' speaks plugin ABI %u.%u, libxiommu speaks %u.%u",
				 ctx->name, u->line, u->name, path, ops->abi_major,
				 ops->abi_minor, XIOMMU_PLUGIN_ABI_MAJOR,
				 XIOMMU_PLUGIN_ABI_MINOR);
		dlclose(dl);
		return ret;
	}
	if (!ops->vendor || strcmp(ops->vendor, u->vendor)) {
		/* the message first: ops lives in the object dlclose unmaps */
		int ret = xc_err(NULL, -EPROTO,
				 "%s:%d: [unit %s] plugin '%s' is for vendor '%s', not '%s'",
				 ctx->name, u->line, u->name, path,
				 ops->vendor ? ops->vendor : "(none)", u->vendor);

		dlclose(dl);
		return ret;
	}
	if (!ops->hw_info || !ops->bind ||
	    !ops->invalidate || !ops->event_decode || !ops->params ||
	    ops->params_size > 4096 || ops->params_size % 4) {
		dlclose(dl);
		return xc_err(NULL, -EPROTO,
			      "%s:%d: [unit %s] plugin '%s' has an incomplete ops table (needs hw_info, bind, invalidate, event_decode, params; params_size a multiple of 4 up to 4096)",
			      ctx->name, u->line, u->name, path);
	}
	u->dl = dl;
	u->ops = ops;
	return 0;
}

void xc_plugin_unload(struct xc_unit *u)
{
	if (u->dl)
		dlclose(u->dl);
	u->dl = NULL;
	u->ops = NULL;
}
