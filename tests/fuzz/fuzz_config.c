// SPDX-License-Identifier: MIT
/*
 * ini text through xiommu_open_config, on the real plugins and the embedded
 * backend: it opens (and every unit answers hw_info and stats) or fails
 * with a documented errno, a message, and no context.
 */
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xiommu_ctx *ctx = (struct xiommu_ctx *)&ctx;
	uint32_t u;
	int ret;

	ret = xiommu_open_config((const char *)data, size, "fuzz.ini", &ctx);
	xf_check(NULL, "xiommu_open_config", ret, NULL);
	if (ret) {
		if (ctx)
			xf_fail("open_config failed (%d) but set *ctx", ret);
		return 0;
	}
	if (!xiommu_unit_count(ctx))
		xf_fail("a context without units");
	for (u = 0; u < xiommu_unit_count(ctx); u++) {
		uint8_t raw[256];
		struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = u,
					     .raw_len = sizeof(raw), .raw_ptr = XIOMMU_PTR(raw) };
		struct xiommu_stats st = { .argsz = sizeof(st), .unit = u };

		if (xiommu_hw_info(ctx, &hw) || xiommu_stats(ctx, &st))
			xf_fail("unit %u of an open context: %s", u, xiommu_last_error(ctx));
		if (hw.raw_len > sizeof(raw) || !memchr(hw.unit_name, 0, sizeof(hw.unit_name)))
			xf_fail("unit %u: raw_len %u, unterminated name", u, hw.raw_len);
	}
	xiommu_close(ctx);
	return 0;
}
