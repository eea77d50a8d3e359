// SPDX-License-Identifier: MIT
/*
 * The errno lists of the public headers: every call returning int has one,
 * they parse, and the errnos the library is known to return are in them.
 * The rejection tests (xt_assert_err) check every errno they see against
 * the same lists; the fuzz targets do the same for every call they make.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "errdoc.h"

static void test_headers_parse(void **state)
{
	const char *missing;

	(void)state;
	assert_string_equal(xt_errdoc_error(), "");
	missing = xt_errdoc_undocumented();
	if (missing)
		fail_msg("%s has no \"Errors:\" list", missing);
	print_message("%u calls documented\n", xt_errdoc_ncalls());
	assert_true(xt_errdoc_ncalls() >= 24);
}

/* Errnos the code returns today (core/, the plugins, the models); each must be listed. */
static void test_known_returns(void **state)
{
	static const struct { const char *call; int err; } known[] = {
		{ "xiommu_vdev_attach", -ERANGE }, { "xiommu_vdev_attach", -ENOSPC },
		{ "xiommu_vdev_attach", -EBUSY }, { "xiommu_vdev_attach", -EPERM },
		{ "xiommu_invalidate", -E2BIG }, { "xiommu_invalidate", -EPERM },
		{ "xiommu_invalidate", -ERANGE }, { "xiommu_invalidate", -ENOSPC },
		{ "xiommu_bind", -ERANGE }, { "xiommu_bind", -EPROTO }, { "xiommu_bind", -EPERM },
		{ "xiommu_map", -ERANGE }, { "xiommu_map", -E2BIG },
		{ "xiommu_viommu_alloc", -ENOSPC }, { "xiommu_page_response", -ERANGE },
		{ "xiommu_fault_encode", -ENOSPC }, { "xiommu_dma", -ERANGE },
		{ "xiommu_open", -ENOENT }, { "xiommu_open", -ENODEV }, { "xiommu_open", -EEXIST },
		{ "xiommu_decode", -ENOSPC }, { "xiommu_decode_kinds", -EPROTO },
		{ "xiommu_viommu_free", -EBUSY }, { "xiommu_mem_unregister", -EBUSY },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		xt_assert_documented(known[i].call, known[i].err);
	/* and the lists are not everything */
	assert_int_equal(xt_errdoc_allows("xiommu_viommu_free", -EPERM), 0);
	assert_int_equal(xt_errdoc_allows("xiommu_hw_info", -EBUSY), 0);
	assert_int_equal(xt_errdoc_allows("xiommu_nosuch", -EINVAL), -1);
}

static void nop(void *arg, const char *name, uint64_t value, uint32_t flags, const char *note)
{
	(void)arg, (void)name, (void)value, (void)flags, (void)note;
}

/* Calls the message tests do not reach: context, decode, fault_fd. */
static void test_other_rejections(void **state)
{
	struct xiommu_ctx *ctx = NULL;
	const char *const *kinds;
	uint64_t w = 0;
	int fd;

	(void)state;
	xt_assert_err(NULL, xiommu_open("/nonexistent/x.ini", &ctx), -ENOENT, "cannot open");
	xt_assert_err(NULL, xiommu_open(NULL, &ctx), -EINVAL, "path is NULL");
	xt_assert_err(NULL, xiommu_open_config("[unit a]\nvendor = nosuch\n", 25, "n.ini", &ctx),
		      -ENOENT, "xiommu-nosuch.so");
	xt_assert_err(NULL, xiommu_open_config("[unit a]\nvendor = test\n[unit a]\n", 32, "d.ini",
					       &ctx), -EEXIST, "duplicate unit");
	xt_assert_err(NULL, xiommu_decode("test", "word", &w, 0, nop, NULL), -EINVAL, "nwords");
	xt_assert_err(NULL, xiommu_decode("no/such", "word", &w, 1, nop, NULL), -EINVAL,
		      "not a plugin name");
	xt_assert_err(NULL, xiommu_decode_kinds("nosuch", &kinds), -ENOENT, "not found");
	xt_assert_err(NULL, xiommu_fault_fd(NULL, 1, &fd), -EINVAL, "");
	xt_assert_err(NULL, xiommu_viommu_free(NULL, 1), -EINVAL, "context is NULL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_parse),
		cmocka_unit_test(test_known_returns),
		cmocka_unit_test(test_other_rejections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
