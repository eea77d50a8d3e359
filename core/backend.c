// SPDX-License-Identifier: MIT
/* The list of backends a unit's "backend =" key may name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "backend.h"

#define XC_EXTRA_BACKENDS 4

static const struct xc_backend_ops *extra[XC_EXTRA_BACKENDS];

extern const struct xc_backend_ops xc_backend_kernel;	/* kernel_backend.c */

const struct xc_backend_ops *xc_backend_find(const char *name)
{
	unsigned int i;

	if (!strcmp(name, xc_backend_embedded.name))
		return &xc_backend_embedded;
	if (!strcmp(name, xc_backend_kernel.name))
		return &xc_backend_kernel;
	for (i = 0; i < XC_EXTRA_BACKENDS; i++)
		if (extra[i] && !strcmp(extra[i]->name, name))
			return extra[i];
	return NULL;
}

int xc_backend_register(const struct xc_backend_ops *ops)
{
	unsigned int i;

	if (xc_backend_find(ops->name))
		return -EEXIST;
	for (i = 0; i < XC_EXTRA_BACKENDS; i++)
		if (!extra[i]) {
			extra[i] = ops;
			return 0;
		}
	return -ENOSPC;
}

void xc_backend_names(char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s, %s", xc_backend_embedded.name,
				       xc_backend_kernel.name);
	unsigned int i;

	for (i = 0; i < XC_EXTRA_BACKENDS && used < len; i++)
		if (extra[i])
			used += (size_t)snprintf(buf + used, len - used, ", %s", extra[i]->name);
}
