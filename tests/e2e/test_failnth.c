// SPDX-License-Identifier: MIT
/*
 * Allocation-failure injection (iommufd's fail_nth): a full scenario on
 * both vendors (open, register, viommus, maps, attaches, binds, generic and
 * raw invalidations, DMA, faults, MSI, page response, unbinds, detaches,
 * unmaps, frees, close) run with the Nth allocation of the core and the
 * models failing, for N = 1 up to the scenario's last allocation. The call
 * that meets the failure returns -ENOMEM with a message, leaves the context
 * byte-for-byte as it was (core/debug.c snapshot, unit counters), and
 * succeeds when retried. Leaks show under valgrind and ASan (test-all).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include "debug.h"
#include "failnth.h"
#include "guest_ram.h"
#include "guest.h"
#include "vtd_guest.h"

#define RAM (1u << 20)
#define SID 0x10u
#define GIOVA 0x08000000ull
#define GDB 0x7f000000ull

struct sc {
	struct xiommu_ctx *ctx;
	uint32_t region, viommu[2], vdev[2], grpid, grp_flags;
	uint64_t cd_table, vtd_root;
};

static struct guest_ram ram;
static struct sc s;

/* Guest tables, written once: the library never allocates for them. */
static void guest_tables(void)
{
	struct smmuv3_guest_mem gm = { &ram, guest_ram_read, guest_ram_write, guest_ram_alloc };
	struct vtd_guest_mem vm = { &ram, guest_ram_read, guest_ram_write, 0, 0 };
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12, .ips_bits = 48,
				      .stall = 1 };
	uint64_t cd[SMMUV3_CD_DWORDS], root;

	ram = (struct guest_ram){ aligned_alloc(4096, RAM), 0, RAM, 0x80000 };
	assert_non_null(ram.mem);
	memset(ram.mem, 0, RAM);
	s.cd_table = guest_ram_alloc(&ram, 4096);
	root = guest_ram_alloc(&ram, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&gm, s.cd_table, 0, cd), 0);
	assert_int_equal(smmuv3_s1_map(&gm, root, 12, 16, 0x1000, 0x1000, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(smmuv3_s1_map(&gm, root, 12, 16, GIOVA, GDB, 3, SMMUV3_S1_USER), 0);
	vm.next = guest_ram_alloc(&ram, 8 * 4096);
	vm.end = vm.next + 8 * 4096;
	s.vtd_root = vtd_guest_table(&vm);
	assert_int_equal(vtd_guest_fl_map(&vm, s.vtd_root, 4, 0x1000, 0x2000, 12,
					  VTD_GUEST_FL_RW), 0);
}

/* ---- the scenario: each step is one call, the same inputs when retried ---- */

static int st_open(void)
{
	static const char ini[] = "[unit smmu0]\nvendor = smmuv3\nsid_bits = 8\n"
				  "[unit vtd0]\nvendor = vtd\n";

	return xiommu_open_config(ini, sizeof(ini) - 1, "failnth.ini", &s.ctx);
}

static int st_register(void)
{
	struct xiommu_mem_register m = { .argsz = sizeof(m), .addr = XIOMMU_PTR(ram.mem),
					 .size = RAM };
	int ret = xiommu_mem_register(s.ctx, &m);

	s.region = m.out_region_id;
	return ret;
}

static int viommu(unsigned int u)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = u };
	int ret = xiommu_viommu_alloc(s.ctx, &va);

	s.viommu[u] = va.out_viommu_id;
	return ret;
}

static int st_viommu0(void) { return viommu(0); }
static int st_viommu1(void) { return viommu(1); }

static int map(unsigned int u)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.viommu_id = s.viommu[u], .region_id = s.region, .size = RAM };

	return xiommu_map(s.ctx, &m);
}

static int st_map0(void) { return map(0); }
static int st_map1(void) { return map(1); }

static int attach(unsigned int u, uint32_t flags)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .flags = flags,
					 .viommu_id = s.viommu[u], .psid = SID, .vsid = SID,
					 .pasid_bits = 8 };
	int ret = xiommu_vdev_attach(s.ctx, &at);

	s.vdev[u] = at.out_vdev_id;
	return ret;
}

static int st_attach0(void) { return attach(0, XIOMMU_VDEV_STALL); }
static int st_attach1(void) { return attach(1, XIOMMU_VDEV_ATS); }

static int st_bind0(void)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = s.vdev[0],
				 .config = XIOMMU_CONFIG_TRANSLATE, .pasid_bits = 4,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .table_gpa = s.cd_table,
				 .s1.smmuv3.s1dss = 2 };

	return xiommu_bind(s.ctx, &b);
}

static int st_bind1(void)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID,
				 .vdev_id = s.vdev[1], .config = XIOMMU_CONFIG_TRANSLATE, .pasid = 1,
				 .format = XIOMMU_S1_VTD_FIRST_LEVEL, .table_gpa = s.vtd_root,
				 .addr_width = 48, .s1.vtd.did = 3 };

	return xiommu_bind(s.ctx, &b);
}

static int inv(unsigned int u, uint32_t type, const void *e, uint32_t len, uint32_t n)
{
	struct xiommu_invalidate in = { .argsz = sizeof(in), .viommu_id = s.viommu[u],
					.type = type, .entry_len = len, .entry_num = n,
					.entries_ptr = XIOMMU_PTR(e) };

	return xiommu_invalidate(s.ctx, &in);
}

static int generic(unsigned int u)
{
	struct xiommu_inv_entry e[3] = {
		{ .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL, .flags = XIOMMU_INV_F_VDEV,
		  .vdev_id = s.vdev[u] },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE, .addr = 0x1000,
		  .size = 0x1000 },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
	};

	return inv(u, XIOMMU_INV_GENERIC, e, sizeof(e[0]), 3);
}

static int st_generic0(void) { return generic(0); }
static int st_generic1(void) { return generic(1); }

static int st_raw0(void)
{
	/* CFGI_CD (vSID, SSID 0, leaf), TLBI_NH_ASID 1, CMD_SYNC-free batch */
	const uint64_t c[2][2] = {
		{ 0x05 | ((uint64_t)SID << 32), 1 },
		{ 0x11 | (1ull << 48), 0 },
	};

	return inv(0, XIOMMU_INV_RAW_SMMUV3, c, 16, 2);
}

static int st_raw1(void)
{
	/* P_IOTLB of DID 3 / PASID 1: the page at 0x1000, then the whole PASID */
	const uint64_t d[2][4] = {
		{ 0x6 | (3ull << 4) | (3ull << 16) | (1ull << 32), 0x1000 },
		{ 0x6 | (2ull << 4) | (3ull << 16) | (1ull << 32) },
	};

	return inv(1, XIOMMU_INV_RAW_VTD, d, 32, 2);
}

static int dma(unsigned int u, uint32_t op, uint64_t iova, uint32_t *status)
{
	uint64_t buf = 0;
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = u, .op = op, .sid = SID,
				.iova = iova };
	int ret;

	if (u == 1) {
		d.flags = XIOMMU_DMA_F_PASID;
		d.pasid = 1;
	}
	if (op == XIOMMU_DMA_READ || op == XIOMMU_DMA_WRITE) {
		d.len = sizeof(buf);
		d.buf_ptr = XIOMMU_PTR(&buf);
	}
	ret = xiommu_dma(s.ctx, &d);
	if (!ret && status)
		*status = d.out_status;
	return ret;
}

static int st_dma0(void) { return dma(0, XIOMMU_DMA_TRANSLATE, 0x1000, NULL); }
static int st_dma1(void) { return dma(1, XIOMMU_DMA_READ, 0x1000, NULL); }
static int st_dma_fault1(void) { return dma(1, XIOMMU_DMA_WRITE, 0x9000, NULL); }

/* A stalled access on the SMMUv3 device, its record, the answer */
static int st_stall0(void) { return dma(0, XIOMMU_DMA_WRITE, 0x5000, NULL); }

static int read_faults(unsigned int u)
{
	struct xiommu_fault f[4];
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = s.viommu[u],
					.record_len = sizeof(f[0]), .count = 4,
					.records_ptr = XIOMMU_PTR(f) };
	int ret = xiommu_fault_read(s.ctx, &fr);
	uint32_t i;

	for (i = 0; !ret && i < fr.count; i++)
		if (f[i].type == XIOMMU_FAULT_PAGE_REQ) {
			s.grpid = f[i].grpid;
			s.grp_flags = f[i].flags & (XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL);
		}
	return ret;
}

static int st_faults0(void) { return read_faults(0); }
static int st_faults1(void) { return read_faults(1); }

static int st_response0(void)
{
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = s.viommu[0],
					   .vdev_id = s.vdev[0], .grpid = s.grpid,
					   .flags = s.grp_flags, .code = XIOMMU_PAGE_INVALID };

	return xiommu_page_response(s.ctx, &pr);
}

static int msi(uint32_t flags)
{
	struct xiommu_msi_bind mb = { .argsz = sizeof(mb), .flags = flags,
				      .viommu_id = s.viommu[0], .giova = GIOVA, .gdb = GDB,
				      .size = 4096 };

	return xiommu_msi_bind(s.ctx, &mb);
}

static int st_msi0(void) { return msi(0); }
static int st_msi_dma0(void) { return dma(0, XIOMMU_DMA_MSI, GIOVA + 0x40, NULL); }
static int st_msi_unbind0(void) { return msi(XIOMMU_MSI_UNBIND); }

static int st_unbind1(void)
{
	struct xiommu_unbind ub = { .argsz = sizeof(ub), .flags = XIOMMU_BIND_PASID,
				    .vdev_id = s.vdev[1], .pasid = 1 };

	return xiommu_unbind(s.ctx, &ub);
}

static int st_unbind0(void)
{
	struct xiommu_unbind ub = { .argsz = sizeof(ub), .vdev_id = s.vdev[0],
				    .config = XIOMMU_CONFIG_ABORT };

	return xiommu_unbind(s.ctx, &ub);
}

static int st_detach0(void) { return xiommu_vdev_detach(s.ctx, s.vdev[0]); }
static int st_detach1(void) { return xiommu_vdev_detach(s.ctx, s.vdev[1]); }

static int unmap(unsigned int u)
{
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = s.viommu[u], .size = RAM };

	return xiommu_unmap(s.ctx, &um);
}

static int st_unmap0(void) { return unmap(0); }
static int st_unmap1(void) { return unmap(1); }
static int st_free0(void) { return xiommu_viommu_free(s.ctx, s.viommu[0]); }
static int st_free1(void) { return xiommu_viommu_free(s.ctx, s.viommu[1]); }
static int st_unregister(void) { return xiommu_mem_unregister(s.ctx, s.region); }

#define STEP(f) { #f, f }
static const struct { const char *name; int (*fn)(void); } steps[] = {
	STEP(st_open), STEP(st_register), STEP(st_viommu0), STEP(st_viommu1), STEP(st_map0),
	STEP(st_map1), STEP(st_attach0), STEP(st_attach1), STEP(st_bind0), STEP(st_bind1),
	STEP(st_generic0), STEP(st_generic1), STEP(st_raw0), STEP(st_raw1), STEP(st_dma0),
	STEP(st_dma1), STEP(st_dma_fault1), STEP(st_faults1), STEP(st_stall0), STEP(st_faults0),
	STEP(st_response0), STEP(st_msi0), STEP(st_msi_dma0), STEP(st_msi_unbind0),
	STEP(st_unbind1), STEP(st_unbind0), STEP(st_detach0), STEP(st_detach1), STEP(st_unmap0),
	STEP(st_unmap1), STEP(st_free0), STEP(st_free1), STEP(st_unregister),
};

/* ---- the state a failed call must keep ---- */

struct snap {
	uint8_t dump[1 << 16];
	size_t len;
	struct xiommu_stats st[2];
};

static void take(struct snap *p)
{
	unsigned int u;

	memset(p, 0, sizeof(*p));
	if (!s.ctx)
		return;
	p->len = xc_state_dump(s.ctx, p->dump, sizeof(p->dump));
	assert_true(p->len <= sizeof(p->dump));
	for (u = 0; u < 2; u++) {
		p->st[u].argsz = sizeof(p->st[u]);
		p->st[u].unit = u;
		assert_int_equal(xiommu_stats(s.ctx, &p->st[u]), 0);
	}
}

/* One pass with the @nth allocation failing; returns whether it was reached. */
static int pass(unsigned long nth, unsigned int *failed_calls, unsigned long *allocs)
{
	static struct snap before, after;
	unsigned int i;
	int fired;

	s = (struct sc){ .cd_table = s.cd_table, .vtd_root = s.vtd_root };
	xc_failnth_arm(nth);
	const char *absorbed = NULL;
	unsigned int k;
	size_t c;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int ret, was = xc_failnth_fired();

		take(&before);
		ret = steps[i].fn();
		if (!ret) {
			if (!was && xc_failnth_fired())
				absorbed = steps[i].name;
			continue;
		}
		if (was || !xc_failnth_fired())
			fail_msg("N=%lu: %s failed (%d) after %s succeeded through the failed allocation: %s",
				 nth, steps[i].name, ret, absorbed ? absorbed : "(none)",
				 xiommu_last_error(s.ctx));
		if (ret != -ENOMEM)
			fail_msg("N=%lu: %s met the failed allocation and returned %d: %s", nth,
				 steps[i].name, ret, xiommu_last_error(s.ctx));
		if (!*xiommu_last_error(s.ctx))
			fail_msg("N=%lu: %s returned -ENOMEM without a message", nth, steps[i].name);
		take(&after);
		if (after.len != before.len || memcmp(after.dump, before.dump, after.len))
			fail_msg("N=%lu: %s failed with -ENOMEM but changed the context's state", nth,
				 steps[i].name);
		for (k = 0; k < 2; k++)
			for (c = offsetof(struct xiommu_stats, programs);
			     c < sizeof(struct xiommu_stats); c += 8)
				if (memcmp((uint8_t *)&after.st[k] + c, (uint8_t *)&before.st[k] + c, 8))
					fail_msg("N=%lu: %s failed with -ENOMEM but changed unit %u's counter at offset %zu",
						 nth, steps[i].name, k, c);
		ret = steps[i].fn();
		if (ret)
			fail_msg("N=%lu: %s failed again when retried (%d): %s", nth, steps[i].name,
				 ret, xiommu_last_error(s.ctx));
		++*failed_calls;
	}
	fired = xc_failnth_fired();
	if (absorbed && i == sizeof(steps) / sizeof(steps[0]))
		print_message("N=%lu: %s succeeded through the failed allocation\n", nth, absorbed);
	*allocs = xc_failnth_count();
	xc_failnth_arm(0);
	xiommu_close(s.ctx);
	s.ctx = NULL;
	return fired;
}

static void test_every_allocation_fails_once(void **state)
{
	unsigned long nth, allocs = 0;
	unsigned int failed_calls = 0, swallowed = 0;

	(void)state;
	guest_tables();
	for (nth = 1; ; nth++) {
		unsigned int before = failed_calls;

		if (!pass(nth, &failed_calls, &allocs))
			break;
		if (failed_calls == before)
			swallowed++;	/* a failure no call reported: close, or a best effort */
	}
	print_message("%lu allocations in the scenario, %u failed calls, %u failures absorbed, "
		      "%u allocation sites failed\n", nth - 1, failed_calls, swallowed,
		      xc_failnth_sites());
	assert_true(nth > 20);
	free(ram.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_fails_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
