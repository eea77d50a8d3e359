/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
#ifndef XM_REGISTRY_H
#define XM_REGISTRY_H

struct xm_model_ops;

/* The built-in model for @vendor, or NULL. */
const struct xm_model_ops *xm_model_find(const char *vendor);

#endif
