// SPDX-License-Identifier: MIT
/* Every ini error names the file, line, section, key and what is accepted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

struct bad_ini {
	const char *text;
	int err;
	const char *needle[3];
};

static const struct bad_ini bad[] = {
	{ "vendor = test\n", -EINVAL, { "test.ini:1:", "outside any section" } },
	{ "[unit a]\nvendor = test\n[unit a]\nvendor = test\n", -EEXIST,
	  { "test.ini:3:", "duplicate unit", "line 1" } },
	{ "[units]\n", -EINVAL, { "test.ini:1:", "unknown section [units]", "[unit NAME]" } },
	{ "[unit bad/name]\n", -EINVAL, { "test.ini:1:", "unit name 'bad/name'" } },
	{ "[unit a]\nbackend = embedded\n", -EINVAL, { "test.ini:1:", "no 'vendor' key" } },
	{ "[unit a]\nvendor = test\nvendor = test\n", -EINVAL, { "test.ini:3:", "'vendor' given twice" } },
	{ "[unit a]\nvendor = test\nbackend = nowhere\n", -EINVAL,
	  { "test.ini:3:", "'backend' = 'nowhere'", "accepted: embedded" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nsid_bits = 99\n", -EINVAL,
	  { "test.ini:4:", "[unit a] key 'sid_bits' = '99'", "a number 1..32" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nsid_bits = 8x\n", -EINVAL,
	  { "test.ini:4:", "'sid_bits' = '8x'" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nsid_bits = -1\n", -EINVAL,
	  { "test.ini:4:", "'sid_bits' = '-1'" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nstall = maybe\n", -EINVAL,
	  { "test.ini:4:", "'stall' = 'maybe'", "yes or no" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nmode = fast\n", -EINVAL,
	  { "test.ini:4:", "'mode' = 'fast'", "one of table, pasid" } },
	{ "[unit a]\nvendor = test\nbackend = recording\ngranules = 4k,8k\n", -EINVAL,
	  { "test.ini:4:", "'granules' = '4k,8k'", "a comma list of 4k, 16k, 64k" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nsid_bitz = 8\n", -EINVAL,
	  { "test.ini:4:", "unknown key 'sid_bitz'", "(did you mean 'sid_bits'?); accepted: vendor, backend" } },
	{ "[unit a]\nvendor = test\nbakend = recording\n", -EINVAL,
	  { "test.ini:3:", "unknown key 'bakend' = 'recording'", "did you mean 'backend'?" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nsid_bits = 8\nsid_bits = 9\n", -EINVAL,
	  { "test.ini:5:", "'sid_bits' given twice", "line 4" } },
	{ "[unit a]\nvendor = test\nbackend = recording\ngranules = \n", -EINVAL,
	  { "test.ini:4:", "'granules'" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nadvertise_pasid_bits = 21\n", -EINVAL,
	  { "test.ini:4:", "'advertise_pasid_bits' = '21'", "0..20" } },
	{ "[unit a]\nvendor = test\nbackend = recording\nadvertise_stall = perhaps\n", -EINVAL,
	  { "test.ini:4:", "'advertise_stall' = 'perhaps'" } },
	{ "[xiommu]\nplugins = x\n", -EINVAL, { "test.ini:2:", "unknown key 'plugins'", "plugin_dir" } },
	{ "[xiommu]\n[xiommu]\n", -EINVAL, { "test.ini:2:", "[xiommu] given twice" } },
	{ "[unit a]\nvendor = test\nthis line has no equals\n", -EINVAL, { "test.ini:3:", "syntax error" } },
	{ "; only a comment\n", -EINVAL, { "no [unit NAME] section" } },
	{ "[unit a]\nvendor = ../evil\n", -EINVAL, { "test.ini:2:", "'vendor' = '../evil'" } },
	{ "[unit a]\nvendor = test\nbackend = recording\ngranules = 0x0\n", -EINVAL,
	  { "test.ini:4:", "'granules'" } },
};

static void test_bad_configs(void **state)
{
	size_t i, k;

	(void)state;
	xt_backend_register();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xiommu_ctx *ctx = (void *)1;
		int ret = xiommu_open_config(bad[i].text, strlen(bad[i].text), "test.ini", &ctx);

		if (ret != bad[i].err)
			fail_msg("case %zu: ret %d, expected %d (%s)", i, ret, bad[i].err,
				 xiommu_last_error(NULL));
		assert_null(ctx);
		for (k = 0; k < 3 && bad[i].needle[k]; k++)
			if (!strstr(xiommu_last_error(NULL), bad[i].needle[k]))
				fail_msg("case %zu: '%s' lacks '%s'", i, xiommu_last_error(NULL),
					 bad[i].needle[k]);
	}
}

static void test_check_params_message(void **state)
{
	const char *ini = "[unit a]\nvendor = test\nbackend = recording\ngranules = \n";
	const char *ini2 = "[unit a]\nvendor = test\nbackend = recording\nsid_bits = 0x10\n";
	struct xiommu_ctx *ctx = NULL;

	(void)state;
	xt_backend_register();
	assert_int_equal(xiommu_open_config(ini, strlen(ini), "t.ini", &ctx), -EINVAL);
	ctx = xt_open(ini2);
	xiommu_close(ctx);
}

static void test_long_line_and_nul(void **state)
{
	char text[512];
	struct xiommu_ctx *ctx = NULL;

	(void)state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "[unit a]\nvendor = ", 18);
	text[sizeof(text) - 1] = '\n';
	assert_int_equal(xiommu_open_config(text, sizeof(text), "long.ini", &ctx), -EINVAL);
	assert_non_null(strstr(xiommu_last_error(NULL), "long.ini:2: line longer than"));
	memcpy(text, "[unit a]\nvendor = t\0st\n", 23);
	assert_int_equal(xiommu_open_config(text, 23, "nul.ini", &ctx), -EINVAL);
	assert_non_null(strstr(xiommu_last_error(NULL), "nul.ini:2: NUL byte"));
}

static void test_missing_file(void **state)
{
	struct xiommu_ctx *ctx = (void *)1;

	(void)state;
	assert_int_equal(xiommu_open("/nonexistent/xiommu.ini", &ctx), -ENOENT);
	assert_null(ctx);
	assert_non_null(strstr(xiommu_last_error(NULL), "/nonexistent/xiommu.ini: cannot open"));
}

static void test_file_and_limits(void **state)
{
	char path[4096];
	const char *text = "; comment\n[unit t0]\nvendor = test\nbackend = recording\n"
			   "pasid_bits = 20\nadvertise_pasid_bits = 12\nadvertise_s1_ias = 39\n"
			   "advertise_range_inv = no\nadvertise_stall = off\nmode = pasid\n"
			   "granules = 4k, 64k\n\n[unit t1]\nvendor = test\nbackend = recording\n";
	uint8_t raw[8];
	struct xiommu_hw_info h = { .argsz = sizeof(h), .raw_len = 8, .raw_ptr = XIOMMU_PTR(raw) };
	struct xiommu_ctx *ctx;
	uint64_t f;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/xiommu-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir);
	fd = mkstemp(path);
	xt_backend_register();
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(xiommu_open(path, &ctx), 0);
	unlink(path);
	assert_int_equal(xiommu_unit_count(ctx), 2);
	assert_int_equal(xiommu_hw_info(ctx, &h), 0);
	assert_string_equal(h.unit_name, "t0");
	assert_string_equal(h.vendor_name, "test");
	assert_string_equal(h.backend, "recording");
	assert_int_equal(h.vendor, XIOMMU_VENDOR_TEST);
	assert_int_equal(h.pasid_bits, 12);
	assert_int_equal(h.s1_ias, 39);
	assert_int_equal(h.s1_granules, XIOMMU_GRANULE_4K | XIOMMU_GRANULE_64K);
	assert_false(h.features & XIOMMU_HW_RANGE_INV);
	assert_false(h.features & XIOMMU_HW_STALL);
	assert_true(h.features & XIOMMU_HW_BIND_PASID);
	memcpy(&f, raw, 8);
	assert_int_equal(f, h.features); /* the raw copy is filtered too */
	h.unit = 1;
	assert_int_equal(xiommu_hw_info(ctx, &h), 0);
	assert_int_equal(h.pasid_bits, 20);
	assert_true(h.features & XIOMMU_HW_RANGE_INV);
	h.unit = 2;
	xt_assert_err(ctx, xiommu_hw_info(ctx, &h), -ENOENT, "unit 2 does not exist");
	xiommu_close(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_check_params_message),
		cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_file_and_limits),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
