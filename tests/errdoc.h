/* SPDX-License-Identifier: MIT */
/*
 * The errno lists of the public headers ("Errors:" in each call's comment),
 * read from include/xiommu/ at run time, so tests and fuzz targets hold
 * every call to what its documentation promises.
 */
#ifndef XT_ERRDOC_H
#define XT_ERRDOC_H

#include <stddef.h>

/*
 * 1 if @err (negative) is in the documented list of @call ("xiommu_map"),
 * 0 if not; -1 if @call has no list or the headers cannot be read (the
 * reason in xt_errdoc_error()).
 */
int xt_errdoc_allows(const char *call, int err);
/* Parse errors of the headers, "" when they parsed. */
const char *xt_errdoc_error(void);
/* The calls with a list, NULL past the last. */
const char *xt_errdoc_call(unsigned int i);
/* The documented errnos of @call as "-EINVAL -ENOENT ..." (for messages). */
const char *xt_errdoc_list(const char *call, char *buf, size_t len);
/*
 * The call name at the start of a C expression ("xiommu_map(ctx, &m)" ->
 * "xiommu_map"), or NULL when it does not start with xiommu_.
 */
const char *xt_errdoc_call_of(const char *expr, char *buf, size_t len);

/* An exported call returning int that has no list, or NULL; and how many there are. */
const char *xt_errdoc_undocumented(void);
unsigned int xt_errdoc_ncalls(void);

#endif
