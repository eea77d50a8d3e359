// SPDX-License-Identifier: MIT
/*
 * Hostile guest memory: the input's tail is XORed onto the guest table
 * area (the SMMUv3 CD table and stage-1 tables, the VT-d first-level
 * tables; all zeros keeps the valid tables the rig built), then its ops
 * rebind with fuzzed table addresses and fields, invalidate the config
 * caches and issue DMAs at fuzzed addresses through the test port. Every
 * call: 0 or a documented errno, unchanged state on failure; DMA results
 * legal; fault records well formed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"

#define OP_BYTES 24
#define AREA (XF_RAM_SIZE - XF_TABLES)

/*
 * Two persistent rigs: every grant the units offer, and ATS only (where the
 * guest's stall and PRI requests must not take effect). Bit 4 of byte 0
 * picks one; rig points at it for the input.
 */
static struct xf_rig rigs[2];
static uint8_t pristine[2][AREA];
#define rig (*cur)
static struct xf_rig *cur;
static struct xf_state before;

static uint64_t pick_iova(struct xf_in *in)
{
	uint8_t b = xf_u8(in);

	if (b < 96)
		return 0x1000 + (xf_u8(in) << 3);
	if (b < 192)
		return 0x200000 + ((uint64_t)xf_u32(in) % 0x200000);
	return xf_u64(in);
}

static uint64_t pick_table(struct xf_in *in, uint64_t usual)
{
	uint8_t b = xf_u8(in);

	if (b < 128)
		return usual;
	if (b < 224)
		return XF_TABLES + (((uint64_t)b << 12) % AREA);
	return xf_u64(in);
}

static void dma(struct xf_in *in)
{
	uint8_t buf[16];
	struct xiommu_dma d = { .argsz = sizeof(d) };
	uint8_t b = xf_u8(in);
	int ret;

	d.unit = b % XF_UNITS;
	d.op = 1 + (b >> 1) % 3;
	d.flags = (b >> 3) & 0xf;
	d.sid = (b & 0x80) ? XF_SID2 : XF_SID;
	d.pasid = d.flags & XIOMMU_DMA_F_PASID ? xf_u8(in) % 4 : 0;
	d.iova = pick_iova(in);
	if (d.op != XIOMMU_DMA_TRANSLATE) {
		d.len = 1 + xf_u8(in) % sizeof(buf);
		d.buf_ptr = XIOMMU_PTR(buf);
		memset(buf, 0x5a, sizeof(buf));
	}
	xf_capture(rig.ctx, &before);
	ret = xiommu_dma(rig.ctx, &d);
	xf_check(rig.ctx, "xiommu_dma", ret, &before);
	xf_note(d.out_status, d.out_addr, d.out_done);
	if (!ret && (d.out_status > XIOMMU_DMA_ABORT || d.out_done > d.len))
		xf_fail("dma: status %u, done %u of %llu", d.out_status, d.out_done,
			(unsigned long long)d.len);
}

static void rebind(struct xf_in *in)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .config = XIOMMU_CONFIG_TRANSLATE };
	uint8_t sel = xf_u8(in);
	int ret;

	if (sel & 1) {
		b.vdev_id = rig.vdev[XF_SMMU];
		b.format = XIOMMU_S1_SMMUV3_CD_TABLE;
		b.table_gpa = pick_table(in, rig.cd_table);
		b.pasid_bits = xf_u8(in) % 9;
		b.s1.smmuv3.s1fmt = xf_u8(in) % 3;
		b.s1.smmuv3.s1dss = xf_u8(in) % 3;
		b.s1.smmuv3.s1stalld = xf_u8(in) % 2;
		b.s1.smmuv3.eats = xf_u8(in) % 2;
	} else {
		b.flags = XIOMMU_BIND_PASID;
		b.vdev_id = rig.vdev[XF_VTD];
		b.format = XIOMMU_S1_VTD_FIRST_LEVEL;
		b.pasid = 1 + xf_u8(in) % 3;
		b.table_gpa = pick_table(in, rig.vtd_root);
		b.addr_width = xf_u8(in) & 1 ? 57 : 48;
		b.s1.vtd.did = xf_u8(in) % 4;
		b.s1.vtd.flags = xf_u8(in) % 8;
	}
	xf_capture(rig.ctx, &before);
	ret = xiommu_bind(rig.ctx, &b);
	xf_check(rig.ctx, "xiommu_bind", ret, &before);
}

static void flush(struct xf_in *in)
{
	struct xiommu_inv_entry e[2] = {
		{ .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL, .flags = XIOMMU_INV_F_VDEV },
		{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
	};
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(e[0]), .entry_num = 2,
					 .entries_ptr = XIOMMU_PTR(e) };
	unsigned int u = xf_u8(in) % XF_UNITS;
	int ret;

	e[0].vdev_id = rig.vdev[u];
	inv.viommu_id = rig.viommu[u];
	xf_capture(rig.ctx, &before);
	ret = xiommu_invalidate(rig.ctx, &inv);
	xf_check(rig.ctx, "xiommu_invalidate", ret, &before);
}

/*
 * Back to the rig's state, as a guest would get there: its tables restored,
 * its bindings rewritten, every cache it can reach invalidated. The
 * reference translations must then be what they were: anything cached from
 * the hostile tables and not dropped by those invalidations shows here.
 */
static void restore(const uint8_t *pristine)
{
	struct xiommu_unbind ub = { .argsz = sizeof(ub), .flags = XIOMMU_BIND_PASID,
				    .vdev_id = rig.vdev[XF_VTD] };
	int ret;

	memcpy(rig.ram.mem + XF_TABLES, pristine, AREA);
	for (ub.pasid = 2; ub.pasid <= 3; ub.pasid++) {
		ret = xiommu_unbind(rig.ctx, &ub);
		if (ret && ret != -ENOENT)
			xf_fail("restore: unbind pasid %u: %s", ub.pasid, xiommu_last_error(rig.ctx));
	}
	if (xf_rig_bind_smmu(&rig) || xf_rig_bind_vtd(&rig))
		xf_fail("restore: bind: %s", xiommu_last_error(rig.ctx));
	xf_rig_flush(&rig);
	xf_drain_faults(&rig);
	xf_check_reference(&rig);
}

static void one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * With XF_TWICE set, each input runs twice and must see the same results
 * (every call's return, DMA outcome and fault record, sequence numbers
 * aside): proof that restore() leaves the rig as the input found it, so
 * each input starts from the same state.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xf_run_twice(one, data, size);
	return 0;
}

static void one(const uint8_t *data, size_t size)
{
	struct xf_in ops;
	size_t nops, i;
	unsigned int k;

	if (!size)
		return;
	k = (data[0] >> 4) & 1;
	cur = &rigs[k];
	if (!rig.ctx) {
		xf_rig_open(&rig, k ? XIOMMU_VDEV_ATS : XIOMMU_VDEV_ALL, 0);
		memcpy(pristine[k], rig.ram.mem + XF_TABLES, AREA);
	} else {
		/* both rigs share the guest RAM: this one's tables back in place */
		memcpy(rig.ram.mem + XF_TABLES, pristine[k], AREA);
	}
	nops = data[0] % 16;
	if (size < 1 + nops * OP_BYTES)
		nops = (size - 1) / OP_BYTES;
	for (i = 1 + nops * OP_BYTES; i < size && i - (1 + nops * OP_BYTES) < AREA; i++)
		rig.ram.mem[XF_TABLES + i - (1 + nops * OP_BYTES)] ^= data[i];
	for (i = 0; i < nops; i++) {
		ops = (struct xf_in){ data + 1 + i * OP_BYTES, OP_BYTES };
		switch (xf_u8(&ops) % 4) {
		case 0:
			rebind(&ops);
			break;
		case 1:
			flush(&ops);
			break;
		default:
			dma(&ops);
			break;
		}
	}
	/* the reference device's DMA goes through the mutated tables too */
	for (i = 0; i < XF_UNITS; i++) {
		uint8_t b[2] = { (uint8_t)(i | 8), 0 };
		struct xf_in z = { b, sizeof(b) };

		dma(&z);
	}
	xf_drain_faults(&rig);
	restore(pristine[k]);
}
