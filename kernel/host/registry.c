// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The host layers built into this binary, found by vendor name. A vendor's
 * meson.build (or Kbuild) defines XH_HAVE_<VENDOR> when it adds its sources.
 */
#include "xh.h"

#ifdef XH_HAVE_SMMUV3
extern const struct xh_unit_ops xh_smmuv3_ops;
#endif
#ifdef XH_HAVE_VTD
extern const struct xh_unit_ops xh_vtd_ops;
#endif

static const struct xh_unit_ops *const xh_units[] = {
#ifdef XH_HAVE_SMMUV3
	&xh_smmuv3_ops,
#endif
#ifdef XH_HAVE_VTD
	&xh_vtd_ops,
#endif
	NULL,
};

const struct xh_unit_ops *xh_find(const char *vendor)
{
	unsigned int i;

	for (i = 0; xh_units[i]; i++)
		if (!strcmp(xh_units[i]->vendor, vendor))
			return xh_units[i];
	return NULL;
}
