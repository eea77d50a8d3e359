// SPDX-License-Identifier: MIT
/*
 * xiommu_decode on every vendor, kind and word count: byte 0 picks the
 * vendor, byte 1 the kind, the rest are the words, in a buffer of exactly
 * their size (ASan sees any read past it). Every field reported is named,
 * with only the defined flags.
 */
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"

static void field(void *arg, const char *name, uint64_t value, uint32_t flags, const char *note)
{
	(void)value, (void)note;
	if (!name || !*name || (flags & ~(XIOMMU_FIELD_RESERVED | XIOMMU_FIELD_ILLEGAL)))
		xf_fail("decode: field '%s' flags 0x%x", name ? name : "(null)", flags);
	++*(unsigned int *)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const vendors[] = { "smmuv3", "vtd" };
	const char *vendor, *const *kinds;
	unsigned int nkinds = 0, fields = 0;
	uint64_t *words;
	uint32_t nwords;
	int ret;

	if (size < 2)
		return 0;
	vendor = vendors[data[0] % 2];
	if (xiommu_decode_kinds(vendor, &kinds))
		xf_fail("decode_kinds %s: %s", vendor, xiommu_last_error(NULL));
	while (kinds[nkinds])
		nkinds++;
	nwords = (uint32_t)((size - 2) / 8);
	words = malloc((size_t)nwords * 8 + !nwords);
	if (!words)
		return 0;
	memcpy(words, data + 2, (size_t)nwords * 8);
	ret = xiommu_decode(vendor, kinds[data[1] % nkinds], (data[0] & 2) && !nwords ? NULL : words,
			    nwords, field, &fields);
	xf_check(NULL, "xiommu_decode", ret, NULL);
	if (ret && fields)
		xf_fail("decode failed (%d) after reporting %u fields", ret, fields);
	if (!ret && !fields)
		xf_fail("decode of %u words succeeded with no field", nwords);
	free(words);
	return 0;
}
