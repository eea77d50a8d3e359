// SPDX-License-Identifier: MIT
/*
 * Malformed messages: each is refused with its errno, leaves a message
 * naming what was wrong, and changes nothing — no program runs and the
 * device still translates exactly as before.
 */
#include <stdio.h>
#include <string.h>
#include "cf.h"

struct bad {
	const char *what;
	int err;
	int ret;
};

static int still_same(struct cf *t, const struct cf_dev *d, const struct xiommu_stats *st0,
		      const struct bad *b)
{
	char msg[256];
	struct xiommu_stats st1;
	uint64_t v;

	snprintf(msg, sizeof(msg), "%s", xiommu_last_error(t->ctx));
	if (b->ret != b->err)
		return cf_failf(t, __LINE__, "%s: expected errno %d, seen %d (%s)", b->what, b->err,
				b->ret, b->ret ? msg : "succeeded");
	if (!msg[0])
		return cf_failf(t, __LINE__, "%s: refused without a message", b->what);
	st1 = cf_stats(t);
	if (st1.programs != st0->programs || st1.commands != st0->commands)
		return cf_failf(t, __LINE__, "%s: the refused message ran %llu programs", b->what,
				(unsigned long long)(st1.programs - st0->programs));
	if (cf_read(t, d, CF_PASID, CF_IOVA, 0, &v) != XIOMMU_DMA_OK || v != cf_page(1))
		return cf_failf(t, __LINE__, "%s: the device no longer translates as before (0x%llx)",
				b->what, (unsigned long long)v);
	return 0;
}

static int malformed(struct cf *t)
{
	struct xiommu_guest_s1 s1;
	struct xiommu_stats st0;
	struct cf_dev *d;
	struct bad b;
	uint64_t v;

#define BAD(w, e, call) do { \
	st0 = cf_stats(t); \
	b = (struct bad){ w, e, (call) }; \
	if (still_same(t, d, &st0, &b)) \
		return CF_FAIL; \
} while (0)

	CF_BASIC(0, &d, &s1);
	CF_STATUS("warm", cf_read(t, d, CF_PASID, CF_IOVA, 0, &v), XIOMMU_DMA_OK);
	{
		struct xiommu_bind m = { .argsz = 8, .vdev_id = d->id,
					 .config = XIOMMU_CONFIG_ABORT };

		BAD("bind argsz 8", -EINVAL, xiommu_bind(t->ctx, &m));
		m.argsz = sizeof(m);
		m.flags = 0x80;
		BAD("bind unknown flag", -EINVAL, xiommu_bind(t->ctx, &m));
		m.flags = 0;
		m.config = 9;
		BAD("bind config 9", -EINVAL, xiommu_bind(t->ctx, &m));
		m.config = XIOMMU_CONFIG_ABORT;
		m.__reserved[2] = 1;
		BAD("bind reserved byte", -EINVAL, xiommu_bind(t->ctx, &m));
		m.__reserved[2] = 0;
		m.vdev_id = 0xfffff;
		BAD("bind unknown vdev", -ENOENT, xiommu_bind(t->ctx, &m));
	}
	{
		struct xiommu_inv_entry e[2] = {
			{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
			{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE, .addr = 0x1001,
			  .size = 4096 },
		};
		struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = t->viommu,
						 .type = XIOMMU_INV_GENERIC,
						 .entry_len = sizeof(e[0]), .entry_num = 2,
						 .entries_ptr = XIOMMU_PTR(e) };

		BAD("batch whose second entry is unaligned", -EINVAL,
		    xiommu_invalidate(t->ctx, &inv));
		CF_EQ("out_error_index names it", inv.out_error_index, 1);
		e[1] = (struct xiommu_inv_entry){ .cache = 9, .scope = XIOMMU_INV_ALL };
		BAD("cache 9", -EINVAL, xiommu_invalidate(t->ctx, &inv));
		e[1] = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_CONFIG,
						  .scope = XIOMMU_INV_ALL };
		BAD("config entry without a vdev", -EINVAL, xiommu_invalidate(t->ctx, &inv));
		e[1] = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_IOTLB,
						  .scope = XIOMMU_INV_RANGE, .addr = ~0ull << 12,
						  .size = 0x2000 };
		BAD("range that wraps", -EINVAL, xiommu_invalidate(t->ctx, &inv));
		e[1] = (struct xiommu_inv_entry){ .cache = XIOMMU_CACHE_IOTLB,
						  .scope = XIOMMU_INV_ALL, .__reserved = 1 };
		BAD("reserved field", -EINVAL, xiommu_invalidate(t->ctx, &inv));
		inv.entry_len = 8;
		BAD("entry_len 8", -EINVAL, xiommu_invalidate(t->ctx, &inv));
		inv.entry_len = sizeof(e[0]);
		inv.type = 77;
		BAD("type 77", -EINVAL, xiommu_invalidate(t->ctx, &inv));
	}
	{
		struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ,
					.viommu_id = t->viommu, .region_id = t->region,
					.gpa = CF_GPA, .size = 4096 };

		BAD("map over an existing mapping", -EEXIST, xiommu_map(t->ctx, &m));
		m.gpa = 0x70000000;
		m.size = 4097;
		BAD("map of an unaligned size", -EINVAL, xiommu_map(t->ctx, &m));
		m.size = 4096;
		m.flags = 0;
		BAD("map without permissions", -EINVAL, xiommu_map(t->ctx, &m));
	}
	{
		struct xiommu_unmap u = { .argsz = sizeof(u), .viommu_id = t->viommu,
					  .gpa = 0x70000000, .size = 4096 };

		BAD("unmap of nothing", -ENOENT, xiommu_unmap(t->ctx, &u));
		u.gpa = CF_GPA;
		BAD("unmap of part of a mapping", -EINVAL, xiommu_unmap(t->ctx, &u));
	}
	{
		struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = t->viommu,
						 .psid = 0x500, .vsid = d->vsid };

		BAD("vsid attached twice", -EEXIST, xiommu_vdev_attach(t->ctx, &at));
		at.vsid = 0x501;
		at.flags = XIOMMU_VDEV_PRI;
		if (t->hw.features & XIOMMU_HW_PRI)
			BAD("PRI without ATS", -EINVAL, xiommu_vdev_attach(t->ctx, &at));
		at.flags = 0;
		at.pasid_bits = t->hw.pasid_bits + 1;
		BAD("pasid_bits beyond the unit", -ERANGE, xiommu_vdev_attach(t->ctx, &at));
	}
	BAD("free a viommu with devices", -EBUSY, xiommu_viommu_free(t->ctx, t->viommu));
	BAD("unregister mapped memory", -EBUSY, xiommu_mem_unregister(t->ctx, t->region));
#undef BAD
	return CF_PASS;
}

const struct cf_scenario cf_sc_malformed = { "malformed",
	"malformed messages: errno, message, nothing changed", malformed };
