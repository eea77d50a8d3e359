// SPDX-License-Identifier: MIT
/*
 * xiommu_decode on the real plugins, every vendor, kind and word count:
 * the words end exactly at an inaccessible page, so a decoder reading one
 * word more than it was given faults in any build, not only under ASan.
 * A count that does not fit is -EINVAL with a message naming the field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include <xiommu/diag.h>

static const char *const vendors[] = { "smmuv3", "vtd" };

static void count(void *arg, const char *name, uint64_t value, uint32_t flags, const char *note)
{
	(void)name, (void)value, (void)flags, (void)note;
	++*(unsigned int *)arg;
}

/* A page of words followed by a PROT_NONE page: the last n words end at the guard. */
static uint64_t *guarded(void **base, size_t *len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + pg, pg, PROT_NONE), 0);
	memset(p, 0xa5, pg);
	*base = p;
	*len = 2 * pg;
	return (uint64_t *)(p + pg);
}

static void test_every_count(void **state)
{
	size_t len;
	void *base;
	uint64_t *end = guarded(&base, &len);
	unsigned int v, k, n, unnamed = 0;

	(void)state;
	for (v = 0; v < sizeof(vendors) / sizeof(vendors[0]); v++) {
		const char *const *kinds;

		assert_int_equal(xiommu_decode_kinds(vendors[v], &kinds), 0);
		for (k = 0; kinds[k]; k++) {
			unsigned int fit = 0;
			bool zero_named = false;

			for (n = 0; n <= 16; n++) {
				unsigned int fields = 0;
				int ret = xiommu_decode(vendors[v], kinds[k], end - n, n, count,
							&fields);

				if (ret) {
					assert_int_equal(ret, -EINVAL);
					assert_int_equal(fields, 0);
					assert_true(*xiommu_last_error(NULL));
				} else {
					fit++;
					assert_true(fields > 0);
				}
				if (!n)
					zero_named = ret == -EINVAL &&
						     strstr(xiommu_last_error(NULL), "nwords");
			}
			print_message("%s %s: %u word counts decode\n", vendors[v], kinds[k], fit);
			assert_true(fit > 0);
			unnamed += !zero_named;
		}
	}
	munmap(base, len);
	/* a zero count is refused by the core, naming the field */
	assert_int_equal(unnamed, 0);
}

static void test_null_words(void **state)
{
	uint64_t w[8] = { 0 };
	unsigned int v, fields = 0;

	(void)state;
	for (v = 0; v < sizeof(vendors) / sizeof(vendors[0]); v++) {
		const char *const *kinds;

		assert_int_equal(xiommu_decode_kinds(vendors[v], &kinds), 0);
		assert_int_equal(xiommu_decode(vendors[v], kinds[0], NULL, 0, count, &fields),
				 -EINVAL);
		assert_non_null(strstr(xiommu_last_error(NULL), "nwords"));
		assert_int_equal(xiommu_decode(vendors[v], kinds[0], NULL, 4, count, &fields),
				 -EINVAL);
		assert_non_null(strstr(xiommu_last_error(NULL), "words"));
		assert_int_equal(xiommu_decode(vendors[v], NULL, w, 4, count, &fields), -EINVAL);
		assert_non_null(strstr(xiommu_last_error(NULL), "kind"));
		assert_int_equal(xiommu_decode(vendors[v], kinds[0], w, 4, NULL, NULL), -EINVAL);
		assert_non_null(strstr(xiommu_last_error(NULL), "fn"));
	}
	assert_int_equal(fields, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_count),
		cmocka_unit_test(test_null_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
