// SPDX-License-Identifier: MIT
/*
 * Decoding vendor words without a context: the vendor's plugin is loaded
 * once per process (XIOMMU_PLUGIN_PATH, then the installed folder) and kept
 * until exit, so a VMM may decode every guest command it logs.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define XC_DECODERS 8

static struct {
	char vendor[16];
	void *dl;
	const struct xiommu_plugin_ops *ops;
} decoders[XC_DECODERS];
static pthread_mutex_t decoders_lock = PTHREAD_MUTEX_INITIALIZER;

static int decoder_get(const char *vendor, const struct xiommu_plugin_ops **out)
{
	char path[4608], tried[8192];
	const struct xiommu_plugin_ops *ops = NULL;
	xiommu_plugin_entry_fn entry;
	unsigned int i;
	void *dl;

	if (!vendor || !*vendor || strlen(vendor) >= sizeof(decoders[0].vendor) ||
	    strchr(vendor, '/')) {
		return xc_err(NULL, -EINVAL, "decode: vendor '%s' is not a plugin name",
			      vendor ? vendor : "");
	}
	for (i = 0; i < XC_DECODERS && decoders[i].dl; i++)
		if (!strcmp(decoders[i].vendor, vendor))
			return *out = decoders[i].ops, 0;
	if (i == XC_DECODERS) {
		return xc_err(NULL, -ENOSPC, "decode: more than %d vendors in one process",
			      XC_DECODERS);
	}
	if (xc_plugin_find(NULL, vendor, path, sizeof(path), tried, sizeof(tried))) {
		return xc_err(NULL, -ENOENT, "decode: plugin xiommu-%s.so not found; searched %s",
			      vendor, tried);
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		return xc_err(NULL, -ENOEXEC, "decode: plugin '%s' cannot be loaded: %s", path,
			      dlerror());
	}
	*(void **)&entry = dlsym(dl, XIOMMU_PLUGIN_ENTRY_SYMBOL);
	if (entry)
		ops = entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	if (!ops || ops->abi_major != XIOMMU_PLUGIN_ABI_MAJOR || !ops->decode ||
	    !ops->decode_kinds) {
		xc_err(NULL, -EPROTO, "decode: plugin '%s' offers no decoder for plugin ABI %u", path,
		       XIOMMU_PLUGIN_ABI_MAJOR);
		dlclose(dl);
		return -EPROTO;
	}
	strcpy(decoders[i].vendor, vendor);
	decoders[i].dl = dl;
	decoders[i].ops = ops;
	*out = ops;
	return 0;
}

__attribute__((destructor)) static void decoders_unload(void)
{
	unsigned int i;

	for (i = 0; i < XC_DECODERS && decoders[i].dl; i++)
		dlclose(decoders[i].dl);
}

XIOMMU_EXPORT int xiommu_decode_kinds(const char *vendor, const char *const **kinds)
{
	const struct xiommu_plugin_ops *ops;
	int ret;

	pthread_mutex_lock(&decoders_lock);
	ret = decoder_get(vendor, &ops);
	pthread_mutex_unlock(&decoders_lock);
	if (ret)
		return ret;
	*kinds = ops->decode_kinds;
	xc_err_clear(NULL);
	return 0;
}

XIOMMU_EXPORT int xiommu_decode(const char *vendor, const char *kind, const uint64_t *words,
				uint32_t nwords, xiommu_field_fn fn, void *arg)
{
	const struct xiommu_plugin_ops *ops;
	unsigned int i;
	int ret;

	pthread_mutex_lock(&decoders_lock);
	ret = decoder_get(vendor, &ops);
	pthread_mutex_unlock(&decoders_lock);
	if (ret)
		return ret;
	/* no plugin sees a word count it could read past */
	if (!kind)
		return xc_err(NULL, -EINVAL, "decode: kind is NULL");
	if (!fn)
		return xc_err(NULL, -EINVAL, "decode: fn (the field callback) is NULL");
	if (!nwords)
		return xc_err(NULL, -EINVAL, "decode: nwords is 0: a %s %s has at least one word",
			      vendor, kind);
	if (!words)
		return xc_err(NULL, -EINVAL, "decode: words is NULL with nwords %u", nwords);
	for (i = 0; ops->decode_kinds[i]; i++)
		if (!strcmp(ops->decode_kinds[i], kind))
			break;
	if (!ops->decode_kinds[i]) {
		char list[256];
		size_t used = 0;

		list[0] = '\0';
		for (i = 0; ops->decode_kinds[i] && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
						 ops->decode_kinds[i]);
		return xc_err(NULL, -EINVAL, "decode: %s has no kind '%s'; accepted: %s", vendor, kind,
			      list);
	}
	ret = ops->decode(kind, words, nwords, fn, arg);
	if (ret)
		return xc_err(NULL, ret, "decode: %s %s: %u words do not fit that structure", vendor,
			      kind, nwords);
	xc_err_clear(NULL);
	return 0;
}
