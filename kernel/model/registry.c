// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The models built into this binary, found by vendor name. A vendor's
 * meson.build (or Kbuild) defines XM_HAVE_<VENDOR> when it adds its sources.
 */
#include "xm_model.h"
#include "registry.h"

#ifdef XM_HAVE_SMMUV3
extern const struct xm_model_ops xm_smmuv3_ops;
#endif
#ifdef XM_HAVE_VTD
extern const struct xm_model_ops xm_vtd_ops;
#endif

static const struct xm_model_ops *const xm_models[] = {
#ifdef XM_HAVE_SMMUV3
	&xm_smmuv3_ops,
#endif
#ifdef XM_HAVE_VTD
	&xm_vtd_ops,
#endif
	NULL,
};

const struct xm_model_ops *xm_model_find(const char *vendor)
{
	unsigned int i;

	for (i = 0; xm_models[i]; i++)
		if (!strcmp(xm_models[i]->vendor, vendor))
			return xm_models[i];
	return NULL;
}
