// SPDX-License-Identifier: MIT
/*
 * SMMUv3 end to end through libxiommu's public API, the smmuv3 plugin and
 * the embedded model: a guest CD table and stage-1 tables (written with the
 * plugin's guest-format helpers into the VMM's buffer) nested over the
 * host's stage 2, checked by DMA through the test port.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include "guest.h"
#include "guest_ram.h"

#define GPA	0x40000000ull	/* guest RAM: data in the first 4 MiB, tables above */
#define SIZE	(8u << 20)
#define VA	0x10000000ull
#define ASID	7
#define PSID	0x21
#define VSID	0x5
#define S1_ATTRS	(SMMUV3_S1_USER | SMMUV3_S1_NG)	/* user RW, ASID-tagged */

struct rig {
	struct xiommu_ctx *ctx;
	struct guest_ram ram;	/* data in the first 4 MiB, tables above */
	uint64_t root, cd_gpa;
	uint32_t viommu, vdev;
	struct smmuv3_guest_mem gm;
};

static struct rig r;

static void write_cd(uint64_t root, uint16_t asid, int stall)
{
	struct smmuv3_cd_fields f = { .ttb0 = root, .asid = asid, .t0sz = 16, .gshift = 12,
				      .ips_bits = 48, .stall = (uint8_t)stall };
	uint64_t cd[SMMUV3_CD_DWORDS];

	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&r.gm, r.cd_gpa, 0, cd), 0);
}

static int setup(void **state)
{
	const char *ini = "[unit smmu0]\nvendor = smmuv3\n";
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = SIZE };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.size = 4096 };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = PSID, .vsid = VSID,
					 .pasid_bits = 8,
					 .flags = XIOMMU_VDEV_ATS | XIOMMU_VDEV_STALL };
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE };

	(void)state;
	memset(&r, 0, sizeof(r));
	if (xiommu_open_config(ini, strlen(ini), "nested.ini", &r.ctx))
		fail_msg("%s", xiommu_last_error(NULL));
	r.ram = (struct guest_ram){ aligned_alloc(1u << 21, SIZE), GPA, SIZE, GPA + (4u << 20) };
	assert_non_null(r.ram.mem);
	memset(r.ram.mem, 0xee, SIZE);
	r.gm = (struct smmuv3_guest_mem){ &r.ram, guest_ram_read, guest_ram_write,
					  guest_ram_alloc };
	assert_int_equal(xiommu_viommu_alloc(r.ctx, &va), 0);
	r.viommu = m.viommu_id = at.viommu_id = va.out_viommu_id;
	mr.addr = XIOMMU_PTR(r.ram.mem);
	assert_int_equal(xiommu_mem_register(r.ctx, &mr), 0);
	m.region_id = mr.out_region_id;
	/* 4 KiB stage-2 leaves: every stage-2 walk takes all four levels */
	for (m.offset = 0; m.offset < SIZE; m.offset += 4096) {
		m.gpa = GPA + m.offset;
		assert_int_equal(xiommu_map(r.ctx, &m), 0);
	}
	assert_int_equal(xiommu_vdev_attach(r.ctx, &at), 0);
	r.vdev = b.vdev_id = at.out_vdev_id;
	r.root = guest_ram_alloc(&r.ram, 4096);
	r.cd_gpa = guest_ram_alloc(&r.ram, 4096);
	write_cd(r.root, ASID, 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA, GPA + 0x1000, 3, S1_ATTRS), 0);
	b.table_gpa = r.cd_gpa;
	if (xiommu_bind(r.ctx, &b))
		fail_msg("bind: %s", xiommu_last_error(r.ctx));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xiommu_close(r.ctx);
	free(r.ram.mem);
	return 0;
}

static struct xiommu_dma access(uint32_t op, uint64_t iova, void *buf, uint64_t len)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .op = op, .sid = PSID, .iova = iova,
				.len = len, .buf_ptr = XIOMMU_PTR(buf) };

	if (xiommu_dma(r.ctx, &d))
		fail_msg("dma: %s", xiommu_last_error(r.ctx));
	return d;
}

static uint64_t table_reads(void)
{
	struct xiommu_stats st = { .argsz = sizeof(st) };

	assert_int_equal(xiommu_stats(r.ctx, &st), 0);
	return st.table_reads;
}

static struct xiommu_stats stats(void)
{
	struct xiommu_stats st = { .argsz = sizeof(st) };

	assert_int_equal(xiommu_stats(r.ctx, &st), 0);
	return st;
}

static void invalidate(uint32_t type, const void *entries, uint32_t len, uint32_t n)
{
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r.viommu, .type = type,
					 .entry_len = len, .entry_num = n,
					 .entries_ptr = XIOMMU_PTR(entries) };

	if (xiommu_invalidate(r.ctx, &inv))
		fail_msg("invalidate: %s (entry %u)", xiommu_last_error(r.ctx), inv.out_error_index);
}

static void test_nested_translation(void **state)
{
	uint64_t v = 0x0123456789abcdefull, reads;
	struct xiommu_dma d;

	(void)state;
	d = access(XIOMMU_DMA_WRITE, VA + 0x10, &v, 8);
	if (d.out_status) {
		struct xiommu_fault f;
		struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = r.viommu,
						.record_len = sizeof(f), .count = 1,
						.records_ptr = XIOMMU_PTR(&f) };
		xiommu_fault_read(r.ctx, &fr);
		fail_msg("status %u: %u faults, reason %u code 0x%x addr 0x%llx fetch 0x%llx flags 0x%x",
			 d.out_status, fr.count, f.reason, f.vendor_code, (unsigned long long)f.addr,
			 (unsigned long long)f.fetch_addr, f.flags);
	}
	assert_memory_equal(r.ram.mem + 0x1010, &v, 8);
	/* a TLB miss with the CD cached: 4 stage-1 levels over 4 stage-2 levels */
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA + 0x1000, GPA + 0x2000, 3, S1_ATTRS), 0);
	reads = table_reads();
	d = access(XIOMMU_DMA_READ, VA + 0x1000, &v, 8);
	assert_int_equal(d.out_status, XIOMMU_DMA_OK);
	print_message("nested miss: %llu table reads\n",
		      (unsigned long long)(table_reads() - reads));
	assert_int_equal(table_reads() - reads, 24);
	/* a hit reads nothing */
	reads = table_reads();
	access(XIOMMU_DMA_READ, VA + 0x1008, &v, 8);
	assert_int_equal(table_reads() - reads, 0);
}

static void test_invalidation_stale_then_fresh(void **state)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
				      .flags = XIOMMU_INV_F_TAG | XIOMMU_INV_F_LEAF, .tag = ASID,
				      .addr = VA, .size = 0x1000 };
	uint64_t raw[2] = { 0x12 | ((uint64_t)ASID << 48), VA };	/* TLBI_NH_VA */
	uint64_t v = 1;

	(void)state;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);			/* warm: VA -> GPA+0x1000 */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, r.root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA, GPA + 0x3000, 3, S1_ATTRS), 0);
	v = 2;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);			/* stale: still the old page */
	assert_int_equal(r.ram.mem[0x1000], 2);
	assert_int_equal(r.ram.mem[0x3000], 0xee);
	invalidate(XIOMMU_INV_GENERIC, &e, sizeof(e), 1);
	v = 3;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);			/* fresh */
	assert_int_equal(r.ram.mem[0x3000], 3);
	/* the same through a raw guest command */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, r.root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA, GPA + 0x4000, 3, S1_ATTRS), 0);
	v = 4;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x3000], 4);
	invalidate(XIOMMU_INV_RAW_SMMUV3, raw, 16, 1);
	v = 5;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x4000], 5);
}

/*
 * A guest's queue slice forwarded unchanged, CMD_SYNC included: the TLBI
 * runs, then the CMD_SYNC's MSI write (CS = SIG_IRQ) lands in guest memory
 * through stage 2, as a Linux guest polling its queue expects.
 */
static void test_guest_sync_forwarded(void **state)
{
	uint64_t raw[2][2] = {
		{ 0x12 | ((uint64_t)ASID << 48), VA },			/* TLBI_NH_VA */
		{ 0x46 | (1ull << 12) | (0xfeedull << 32), GPA + 0x2040 },	/* CMD_SYNC, SIG_IRQ */
	};
	uint32_t status;
	uint64_t v = 1;

	(void)state;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);			/* warm: VA -> GPA+0x1000 */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, r.root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA, GPA + 0x3000, 3, S1_ATTRS), 0);
	invalidate(XIOMMU_INV_RAW_SMMUV3, raw, 16, 2);
	memcpy(&status, r.ram.mem + 0x2040, 4);
	assert_int_equal(status, 0xfeed);
	v = 2;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x3000], 2);			/* fresh */
	/* an MSI address outside the VM's memory is refused, named, nothing run */
	raw[1][1] = 0x7f000000ull;
	{
		struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r.viommu,
						 .type = XIOMMU_INV_RAW_SMMUV3, .entry_len = 16,
						 .entry_num = 2, .entries_ptr = XIOMMU_PTR(raw) };

		assert_int_equal(xiommu_invalidate(r.ctx, &inv), -EFAULT);
		assert_int_equal(inv.out_error_index, 1);
	}
}

/* One guest batch of 4096 commands: one call, every command run, one completion. */
static void test_batch_4096(void **state)
{
	static uint64_t raw[4096][2];
	struct xiommu_stats a, b;
	uint32_t i;

	(void)state;
	for (i = 0; i < 4096; i++) {
		raw[i][0] = 0x12 | ((uint64_t)ASID << 48);	/* TLBI_NH_VA */
		raw[i][1] = VA + ((uint64_t)i << 12);
	}
	a = stats();
	invalidate(XIOMMU_INV_RAW_SMMUV3, raw, 16, 4096);
	b = stats();
	assert_int_equal(b.commands - a.commands, 4096 + 1);
	assert_int_equal(b.programs - a.programs, 1);
}

static void test_config_cache(void **state)
{
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL,
				      .flags = XIOMMU_INV_F_VDEV };
	uint64_t root2 = guest_ram_alloc(&r.ram, 4096), v = 9;

	(void)state;
	e.vdev_id = r.vdev;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(smmuv3_s1_map(&r.gm, root2, 12, 16, VA, GPA + 0x5000, 3, S1_ATTRS), 0);
	write_cd(root2, ASID + 1, 0);				/* the guest edits its CD */
	v = 10;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x1000], 10);			/* cached CD and TLB */
	invalidate(XIOMMU_INV_GENERIC, &e, sizeof(e), 1);	/* CFGI_CD_ALL */
	v = 11;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x5000], 11);			/* new ASID: new walk */
}

static void test_fault_record_and_guest_event(void **state)
{
	struct xiommu_fault f;
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = r.viommu,
					.record_len = sizeof(f), .count = 1,
					.records_ptr = XIOMMU_PTR(&f) };
	uint64_t evt[4], v;
	struct xiommu_fault_encode fe = { .argsz = sizeof(fe), .viommu_id = r.viommu,
					  .buf_len = sizeof(evt), .fault_ptr = XIOMMU_PTR(&f),
					  .buf_ptr = XIOMMU_PTR(evt) };

	(void)state;
	assert_int_equal(access(XIOMMU_DMA_READ, VA + 0x200000, &v, 8).out_status, XIOMMU_DMA_FAULT);
	assert_int_equal(xiommu_fault_read(r.ctx, &fr), 0);
	assert_int_equal(fr.count, 1);
	assert_int_equal(f.type, XIOMMU_FAULT_DMA);
	assert_int_equal(f.reason, XIOMMU_FR_TRANSLATION);
	assert_int_equal(f.addr, VA + 0x200000);
	assert_int_equal(f.vdev_id, r.vdev);
	assert_int_equal(f.vendor_code, SMMUV3_EVT_F_TRANSLATION);
	assert_int_equal(xiommu_fault_encode(r.ctx, &fe), 0);
	assert_int_equal(fe.buf_len, 32);
	assert_int_equal(evt[0] & 0xff, SMMUV3_EVT_F_TRANSLATION);
	assert_int_equal(evt[0] >> 32, VSID);			/* the guest's stream id */
	assert_int_equal(evt[2], VA + 0x200000);
}

static void test_nested_msi(void **state)
{
	const uint64_t giova = 0x08000000, gdb = 0x7f000000;
	struct xiommu_msi_bind mb = { .argsz = sizeof(mb), .viommu_id = r.viommu, .giova = giova,
				      .gdb = gdb, .size = 4096 };
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_MSI, .sid = PSID,
				.iova = giova + 0x40, .data = 0x51 };
	uint64_t log[2];
	struct xiommu_msi_log ml = { .argsz = sizeof(ml), .count = 2, .records_ptr = XIOMMU_PTR(log) };

	(void)state;
	/* the guest maps gIOVA -> gDB in its stage 1; the host maps gDB -> hDB */
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, giova, gdb, 3, S1_ATTRS), 0);
	assert_int_equal(xiommu_msi_bind(r.ctx, &mb), 0);
	assert_int_equal(xiommu_dma(r.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_OK);
	assert_int_equal(xiommu_msi_log(r.ctx, &ml), 0);
	assert_int_equal(ml.count, 1);
	assert_int_equal(log[0], (0x40ull << 32) | 0x51);
}

static void test_stall_response_retry(void **state)
{
	struct xiommu_fault f;
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = r.viommu,
					.record_len = sizeof(f), .count = 1,
					.records_ptr = XIOMMU_PTR(&f) };
	struct xiommu_page_response pr = { .argsz = sizeof(pr), .viommu_id = r.viommu,
					   .code = XIOMMU_PAGE_SUCCESS };
	struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL,
				      .flags = XIOMMU_INV_F_VDEV };
	uint64_t v = 0x77;

	(void)state;
	e.vdev_id = pr.vdev_id = r.vdev;
	write_cd(r.root, ASID, 1);				/* CD.S = 1: faults stall */
	invalidate(XIOMMU_INV_GENERIC, &e, sizeof(e), 1);
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA + 0x6000, &v, 8).out_status, XIOMMU_DMA_STALLED);
	assert_int_equal(xiommu_fault_read(r.ctx, &fr), 0);
	assert_int_equal(fr.count, 1);
	assert_int_equal(f.type, XIOMMU_FAULT_PAGE_REQ);
	/* the guest fixes its table, then answers */
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA + 0x6000, GPA + 0x6000, 3, S1_ATTRS), 0);
	assert_true(f.flags & XIOMMU_FAULT_F_STALL);
	pr.grpid = f.grpid;
	pr.flags = f.flags & (XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL);
	if (xiommu_page_response(r.ctx, &pr))
		fail_msg("page_response: %s", xiommu_last_error(r.ctx));
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA + 0x6000, &v, 8).out_status, XIOMMU_DMA_OK);
	assert_int_equal(r.ram.mem[0x6000], 0x77);
}

static void test_device_tlb(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = r.vdev,
				 .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .table_gpa = r.cd_gpa,
				 .s1.smmuv3.eats = 1 };
	struct xiommu_inv_entry tlb = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_RANGE,
					.flags = XIOMMU_INV_F_TAG, .tag = ASID, .addr = VA,
					.size = 0x1000 };
	struct xiommu_inv_entry atc = { .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_RANGE,
					.flags = XIOMMU_INV_F_VDEV, .addr = VA, .size = 0x1000 };
	uint64_t v = 1;

	(void)state;
	atc.vdev_id = r.vdev;
	assert_int_equal(xiommu_bind(r.ctx, &b), 0);		/* ATS on: the device caches */
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(smmuv3_s1_unmap(&r.gm, r.root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, r.root, 12, 16, VA, GPA + 0x7000, 3, S1_ATTRS), 0);
	invalidate(XIOMMU_INV_GENERIC, &tlb, sizeof(tlb), 1);	/* the SMMU's TLB only */
	v = 2;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x1000], 2);			/* the device's ATC is stale */
	invalidate(XIOMMU_INV_GENERIC, &atc, sizeof(atc), 1);	/* ATC_INV */
	v = 3;
	access(XIOMMU_DMA_WRITE, VA, &v, 8);
	assert_int_equal(r.ram.mem[0x7000], 3);
}


/*
 * Isolation: the host's stage-2 unmap must reach the ATC of an ATS device,
 * or the device keeps writing to host memory the VM no longer owns.
 */
static void test_s2_unmap_reaches_atc(void **state)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = r.vdev,
				 .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .table_gpa = r.cd_gpa,
				 .s1.smmuv3.eats = 1 };
	struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = r.viommu,
				   .gpa = GPA + 0x1000, .size = 0x1000 };
	struct xiommu_stats before, after;
	uint64_t v = 1;

	(void)state;
	assert_int_equal(xiommu_bind(r.ctx, &b), 0);		/* ATS on: the device caches */
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA, &v, 8).out_status, XIOMMU_DMA_OK);
	assert_int_equal(r.ram.mem[0x1000], 1);
	before = stats();
	assert_int_equal(xiommu_unmap(r.ctx, &um), 0);
	after = stats();
	/* TLBI_S2_IPA, TLBI_NH_ALL and ATC_INV, then one CMD_SYNC, all the host's */
	assert_int_equal(after.host_commands - before.host_commands, 3);
	assert_int_equal(after.host_syncs - before.host_syncs, 1);
	v = 2;
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA, &v, 8).out_status, XIOMMU_DMA_FAULT);
	assert_int_equal(r.ram.mem[0x1000], 1);			/* the old page is out of reach */
}

/* ATS is the host's grant: a guest's EATS on a device without it is refused. */
static void test_eats_needs_grant(void **state)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = r.viommu, .psid = 0x22,
					 .vsid = 0x6, .pasid_bits = 8 };
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .table_gpa = r.cd_gpa,
				 .s1.smmuv3.eats = 1 };

	(void)state;
	assert_int_equal(xiommu_vdev_attach(r.ctx, &at), 0);
	b.vdev_id = at.out_vdev_id;
	assert_int_equal(xiommu_bind(r.ctx, &b), -EOPNOTSUPP);
	assert_non_null(strstr(xiommu_last_error(r.ctx), "without XIOMMU_VDEV_ATS"));
	b.s1.smmuv3.eats = 0;
	assert_int_equal(xiommu_bind(r.ctx, &b), 0);
}

/* Without a stall grant a guest CD asking to stall is illegal (STE.S1STALLD). */
static void test_stall_needs_grant(void **state)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .viommu_id = r.viommu, .psid = 0x22,
					 .vsid = 0x6, .pasid_bits = 8 };
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .table_gpa = r.cd_gpa };
	struct xiommu_fault f;
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = r.viommu,
					.record_len = sizeof(f), .count = 1,
					.records_ptr = XIOMMU_PTR(&f) };
	struct xiommu_dma d = { .argsz = sizeof(d), .op = XIOMMU_DMA_TRANSLATE, .sid = 0x22,
				.iova = VA + 0x6000 };

	(void)state;
	write_cd(r.root, ASID, 1);				/* CD.S = 1 */
	assert_int_equal(xiommu_vdev_attach(r.ctx, &at), 0);
	b.vdev_id = at.out_vdev_id;
	assert_int_equal(xiommu_bind(r.ctx, &b), 0);
	assert_int_equal(xiommu_dma(r.ctx, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_FAULT);	/* not STALLED */
	assert_int_equal(xiommu_fault_read(r.ctx, &fr), 0);
	assert_int_equal(fr.count, 1);
	assert_int_equal(f.type, XIOMMU_FAULT_DMA);
	assert_int_equal(f.reason, XIOMMU_FR_BAD_PASID_ENTRY);
	assert_int_equal(f.vendor_code, SMMUV3_EVT_C_BAD_CD);
}

static void test_unbind_aborts(void **state)
{
	struct xiommu_unbind u = { .argsz = sizeof(u), .vdev_id = r.vdev,
				   .config = XIOMMU_CONFIG_ABORT };
	uint64_t v = 1;

	(void)state;
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA, &v, 8).out_status, XIOMMU_DMA_OK);
	assert_int_equal(xiommu_unbind(r.ctx, &u), 0);
	v = 2;
	assert_int_equal(access(XIOMMU_DMA_WRITE, VA, &v, 8).out_status, XIOMMU_DMA_ABORT);
	assert_int_equal(r.ram.mem[0x1000], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nested_translation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidation_stale_then_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_sync_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_4096, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_record_and_guest_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_msi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall_response_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_tlb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_aborts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s2_unmap_reaches_atc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eats_needs_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall_needs_grant, setup, teardown),
	};

	return cmocka_run_group_tests_name("e2e-nested-smmuv3", tests, NULL, NULL);
}
