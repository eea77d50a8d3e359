// SPDX-License-Identifier: MIT
/*
 * Deterministic property tests over untrusted input:
 *  - mutated ini files never crash and every failure names the file;
 *  - random generic messages (random bytes, random argsz, pointers kept
 *    inside a scratch buffer) either succeed or fail leaving the context
 *    byte-for-byte unchanged, backend log included.
 * A fixed seed keeps every run identical; XT_FUZZ_ITERS raises the count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t iters(uint32_t def)
{
	const char *s = getenv("XT_FUZZ_ITERS");

	return s ? (uint32_t)strtoul(s, NULL, 0) : def;
}

static const char *const seeds[] = {
	"[xiommu]\nplugin_dir = .\n[unit t0]\nvendor = test\nbackend = recording\nsid_bits = 12\n"
	"pasid_bits = 16\ngranules = 4k,64k\nmode = pasid\nadvertise_stall = no\n",
	"; comment\n[unit a]\nvendor = test\nbackend = recording\n\n[unit b]\nvendor = test\n"
	"backend = recording\nadvertise_pasid_bits = 4\nstall = off\n",
};

static void test_config_mutations(void **state)
{
	char text[512];
	uint32_t i, n = iters(4000), ok = 0;

	(void)state;
	xt_backend_register();
	for (i = 0; i < n; i++) {
		const char *seed = seeds[i % 2];
		size_t len = strlen(seed), k, muts = 1 + next() % 4;
		struct xiommu_ctx *ctx = NULL;
		int ret;

		memcpy(text, seed, len);
		for (k = 0; k < muts; k++) {
			size_t at = next() % len;

			switch (next() % 4) {
			case 0: text[at] = (char)(next() & 0xff); break;	/* any byte */
			case 1: text[at] = "[]=;#\n ,0x-"[next() % 11]; break;	/* syntax */
			case 2: if (len > 1) { memmove(text + at, text + at + 1, len - at - 1); len--; } break;
			default: if (len < sizeof(text) - 1) { memmove(text + at + 1, text + at, len - at); len++; } break;
			}
		}
		ret = xiommu_open_config(text, len, "fuzz.ini", &ctx);
		if (!ret) {
			assert_non_null(ctx);
			xiommu_close(ctx);
			ok++;
			continue;
		}
		assert_null(ctx);
		assert_true(ret < 0);
		if (!strstr(xiommu_last_error(NULL), "fuzz.ini"))
			fail_msg("iteration %u: message '%s' does not name the file",
				 i, xiommu_last_error(NULL));
	}
	print_message("%u of %u mutated configs opened\n", ok, n);
}

static uint8_t scratch[1 << 16] __attribute__((aligned(4096)));

/* Random message of @size bytes; pointer fields aimed into the scratch buffer. */
static void random_msg(void *msg, size_t size)
{
	uint8_t *b = msg;
	uint32_t argsz;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (next() % 3) ? 0 : (uint8_t)next();
	switch (next() % 8) {
	case 0: argsz = (uint32_t)(next() % (size + 16)); break;
	default: argsz = (uint32_t)size; break;
	}
	memcpy(b, &argsz, 4);
}

static uint32_t small_id(void)
{
	return (uint32_t)(next() % 8);
}

static void test_message_storm(void **state)
{
	struct xt_env env;
	static struct xt_snap before;
	uint32_t i, n = iters(6000), failed = 0;

	(void)state;
	xt_setup(&env, "mode = pasid");
	for (i = 0; i < n; i++) {
		union {
			struct xiommu_map map;
			struct xiommu_unmap unmap;
			struct xiommu_bind bind;
			struct xiommu_unbind unbind;
			struct xiommu_vdev_attach attach;
			struct xiommu_invalidate inv;
			struct xiommu_msi_bind msi;
			struct xiommu_dma dma;
			struct xiommu_fault_read fr;
			struct xiommu_page_response pr;
			struct xiommu_viommu_alloc va;
			struct xiommu_hw_info hw;
			uint8_t raw[256];
		} m;
		uint32_t which = (uint32_t)(next() % 12);
		int ret;

		memset(&m, 0, sizeof(m));
		xt_snap(env.ctx, &before);
		switch (which) {
		case 0:
			random_msg(&m.map, sizeof(m.map));
			m.map.viommu_id = small_id();
			m.map.region_id = small_id();
			m.map.gpa &= 0xffffffff000ull;
			m.map.size &= 0x3fff000ull;
			ret = xiommu_map(env.ctx, &m.map);
			break;
		case 1:
			random_msg(&m.unmap, sizeof(m.unmap));
			m.unmap.viommu_id = small_id();
			ret = xiommu_unmap(env.ctx, &m.unmap);
			break;
		case 2:
			random_msg(&m.bind, sizeof(m.bind));
			m.bind.vdev_id = small_id();
			m.bind.config = (uint32_t)(next() % 5);
			m.bind.pasid &= 0x1ffff;
			ret = xiommu_bind(env.ctx, &m.bind);
			break;
		case 3:
			random_msg(&m.unbind, sizeof(m.unbind));
			m.unbind.vdev_id = small_id();
			m.unbind.pasid &= 0x1ffff;
			ret = xiommu_unbind(env.ctx, &m.unbind);
			break;
		case 4:
			random_msg(&m.attach, sizeof(m.attach));
			m.attach.viommu_id = small_id();
			m.attach.psid &= 0x1ff;
			m.attach.pasid_bits &= 0x1f;
			ret = xiommu_vdev_attach(env.ctx, &m.attach);
			break;
		case 5:
			random_msg(&m.inv, sizeof(m.inv));
			for (uint32_t k = 0; k < 1024; k++)
				scratch[k] = (next() % 4) ? 0 : (uint8_t)next();
			m.inv.viommu_id = small_id();
			m.inv.entry_len &= 63;
			m.inv.entry_num &= 15;
			m.inv.entries_ptr = (next() % 8) ? XIOMMU_PTR(scratch) : 0;
			ret = xiommu_invalidate(env.ctx, &m.inv);
			break;
		case 6:
			random_msg(&m.msi, sizeof(m.msi));
			m.msi.viommu_id = small_id();
			ret = xiommu_msi_bind(env.ctx, &m.msi);
			break;
		case 7:
			random_msg(&m.dma, sizeof(m.dma));
			m.dma.unit = (uint32_t)(next() % 2);
			m.dma.sid &= 0x1ff;
			m.dma.op = (uint32_t)(next() % 6);
			m.dma.buf_ptr = (next() % 8) ? XIOMMU_PTR(scratch) : 0;
			m.dma.len &= 0xffff;
			ret = xiommu_dma(env.ctx, &m.dma);
			break;
		case 8:
			random_msg(&m.fr, sizeof(m.fr));
			m.fr.viommu_id = small_id();
			m.fr.count &= 7;
			m.fr.record_len &= 0x1ff;
			m.fr.records_ptr = (next() % 8) ? XIOMMU_PTR(scratch) : 0;
			ret = xiommu_fault_read(env.ctx, &m.fr);
			break;
		case 9:
			random_msg(&m.pr, sizeof(m.pr));
			m.pr.viommu_id = small_id();
			m.pr.vdev_id = small_id();
			ret = xiommu_page_response(env.ctx, &m.pr);
			break;
		case 10:
			random_msg(&m.va, sizeof(m.va));
			m.va.unit = (uint32_t)(next() % 2);
			m.va.fault_depth &= 0x1ffff;
			ret = xiommu_viommu_alloc(env.ctx, &m.va);
			break;
		default:
			random_msg(&m.hw, sizeof(m.hw));
			m.hw.unit = (uint32_t)(next() % 2);
			m.hw.raw_len &= 63;
			m.hw.raw_ptr = (next() % 8) ? XIOMMU_PTR(scratch) : 0;
			ret = xiommu_hw_info(env.ctx, &m.hw);
			break;
		}
		if (ret) {
			failed++;
			if (!xiommu_last_error(env.ctx)[0])
				fail_msg("iteration %u (call %u): error %d without a message", i, which, ret);
			xt_assert_unchanged(env.ctx, &before);
		}
	}
	print_message("%u of %u random messages rejected, each without a state change\n", failed, n);
	assert_true(failed > n / 2);
	assert_true(failed < n);
	xt_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_mutations),
		cmocka_unit_test(test_message_storm),
	};

	return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}
