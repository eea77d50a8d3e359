// SPDX-License-Identifier: MIT
/* Plugin search and loading: missing file, missing symbol, ABI mismatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xiommu/plugin.h>
#include "harness.h"

static void open_expect(const char *ini, int err, const char *n1, const char *n2)
{
	struct xiommu_ctx *ctx = (void *)1;
	int ret = xiommu_open_config(ini, strlen(ini), "load.ini", &ctx);

	if (ret != err)
		fail_msg("ret %d expected %d: %s", ret, err, xiommu_last_error(NULL));
	assert_null(ctx);
	if (n1 && !strstr(xiommu_last_error(NULL), n1))
		fail_msg("'%s' lacks '%s'", xiommu_last_error(NULL), n1);
	if (n2 && !strstr(xiommu_last_error(NULL), n2))
		fail_msg("'%s' lacks '%s'", xiommu_last_error(NULL), n2);
}

static void test_missing_plugin(void **state)
{
	(void)state;
	xt_backend_register();
	open_expect("[unit a]\nvendor = nosuch\n", -ENOENT, "load.ini:1: [unit a] vendor 'nosuch'",
		    "xiommu-nosuch.so not found; searched plugin_dir (not set), XIOMMU_PLUGIN_PATH");
}

static void test_missing_symbol(void **state)
{
	(void)state;
	open_expect("[unit a]\nvendor = nosym\nbackend = recording\n", -ENOEXEC,
		    "xiommu-nosym.so' has no symbol 'xiommu_plugin_entry'", "[unit a]");
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define MINOR STR(XIOMMU_PLUGIN_ABI_MINOR)

static void test_abi_mismatch(void **state)
{
	(void)state;
	open_expect("[unit a]\nvendor = abi2\nbackend = recording\n", -EPROTO,
		    "xiommu-abi2.so' speaks plugin ABI 2." MINOR ", libxiommu speaks 1." MINOR,
		    "[unit a]");
	open_expect("[unit a]\nvendor = nullops\nbackend = recording\n", -EPROTO,
		    "cannot serve plugin ABI 1." MINOR, NULL);
	open_expect("[unit a]\nvendor = wrongname\nbackend = recording\n", -EPROTO,
		    "is for vendor 'test', not 'wrongname'", NULL);
}

static void test_not_a_plugin(void **state)
{
	char dir[4096], path[4200], ini[4400];
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/xiommu-plug-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/xiommu-junk.so", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	snprintf(ini, sizeof(ini), "[xiommu]\nplugin_dir = %s\n[unit a]\nvendor = junk\n", dir);
	open_expect(ini, -ENOEXEC, "xiommu-junk.so' cannot be loaded", "load.ini:3:");
	remove(path);
	rmdir(dir);
}

static void test_plugin_dir_first(void **state)
{
	const char *path = getenv("XIOMMU_PLUGIN_PATH");
	char ini[4200], *saved;
	struct xiommu_ctx *ctx;

	(void)state;
	assert_non_null(path);
	saved = strdup(path);
	/* plugin_dir alone finds it; the environment is not needed */
	snprintf(ini, sizeof(ini), "[xiommu]\nplugin_dir = %s\n[unit a]\nvendor = test\nbackend = recording\n",
		 saved);
	unsetenv("XIOMMU_PLUGIN_PATH");
	ctx = xt_open(ini);
	xiommu_close(ctx);
	/* several folders in XIOMMU_PLUGIN_PATH: empty and missing ones skipped */
	snprintf(ini, sizeof(ini), "/nonexistent::%s", saved);
	setenv("XIOMMU_PLUGIN_PATH", ini, 1);
	ctx = xt_open("[unit a]\nvendor = test\nbackend = recording\n");
	xiommu_close(ctx);
	setenv("XIOMMU_PLUGIN_PATH", saved, 1);
	free(saved);
}

static void test_backend_without_model(void **state)
{
	(void)state;
	/* the test vendor has no built-in model: the embedded backend says so */
	open_expect("[unit a]\nvendor = test\n", -ENOENT,
		    "load.ini:1: [unit a] backend 'embedded': no built-in model for vendor 'test'", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_plugin),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_abi_mismatch),
		cmocka_unit_test(test_not_a_plugin),
		cmocka_unit_test(test_plugin_dir_first),
		cmocka_unit_test(test_backend_without_model),
	};

	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
