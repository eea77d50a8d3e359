// SPDX-License-Identifier: MIT
/* The fuzz targets' context, guest RAM and oracles (rig.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"
#include "debug.h"
#include "errdoc.h"
#include "guest.h"
#include "vtd_guest.h"

/*
 * libFuzzer cannot lose the coverage counters of a shared object it saw:
 * the decoder keeps each plugin loaded until exit, so closing a context
 * never unloads one.
 */
__attribute__((constructor)) static void pin_plugins(void)
{
	const char *const *kinds;

	if (xiommu_decode_kinds("smmuv3", &kinds) || xiommu_decode_kinds("vtd", &kinds))
		xf_fail("plugins: %s (set XIOMMU_PLUGIN_PATH)", xiommu_last_error(NULL));
}

void xf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "xiommu fuzz oracle: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

#define MUST(call) \
	do { \
		int ret_ = (call); \
		if (ret_) \
			xf_fail("rig: %s = %d: %s", #call, ret_, xiommu_last_error(r->ctx)); \
	} while (0)

static uint64_t dma_pa(struct xf_rig *r, unsigned int u)
{
	struct xiommu_dma d = { .argsz = sizeof(d), .unit = u, .op = XIOMMU_DMA_TRANSLATE,
				.sid = XF_SID, .iova = 0x1000 };

	if (u == XF_VTD) {
		d.flags = XIOMMU_DMA_F_PASID;
		d.pasid = XF_PASID;
	}
	if (xiommu_dma(r->ctx, &d))
		xf_fail("reference dma on unit %u: %s", u, xiommu_last_error(r->ctx));
	if (d.out_status != XIOMMU_DMA_OK && getenv("XF_DEBUG"))
		fprintf(stderr, "reference dma on unit %u: status %u\n", u, d.out_status);
	return d.out_status == XIOMMU_DMA_OK ? d.out_addr : ~0ull;
}

static void setup_smmu(struct xf_rig *r)
{
	struct smmuv3_guest_mem gm = { &r->ram, guest_ram_read, guest_ram_write, guest_ram_alloc };
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	struct xiommu_bind by = { .argsz = sizeof(by), .vdev_id = r->vdev2[XF_SMMU],
				  .config = XIOMMU_CONFIG_BYPASS };
	uint64_t cd[SMMUV3_CD_DWORDS];

	r->cd_table = guest_ram_alloc(&r->ram, 4096);
	r->smmu_root = guest_ram_alloc(&r->ram, 4096);
	f.ttb0 = r->smmu_root;
	smmuv3_cd_encode(&f, cd);
	MUST(smmuv3_cd_write(&gm, r->cd_table, 0, cd));
	f.asid = 2;
	smmuv3_cd_encode(&f, cd);
	MUST(smmuv3_cd_write(&gm, r->cd_table, 1, cd));
	MUST(smmuv3_s1_map(&gm, r->smmu_root, 12, 16, 0x1000, 0x1000, 3, SMMUV3_S1_USER));
	MUST(smmuv3_s1_map(&gm, r->smmu_root, 12, 16, 0x200000, 0x0, 2, SMMUV3_S1_USER));
	MUST(xf_rig_bind_smmu(r));
	MUST(xiommu_bind(r->ctx, &by));
}

static void setup_vtd(struct xf_rig *r)
{
	struct vtd_guest_mem gm = { &r->ram, guest_ram_read, guest_ram_write, 0, 0 };
	struct xiommu_bind by = { .argsz = sizeof(by), .vdev_id = r->vdev2[XF_VTD],
				  .config = XIOMMU_CONFIG_BYPASS };

	gm.next = guest_ram_alloc(&r->ram, 8 * 4096);
	gm.end = gm.next + 8 * 4096;
	r->vtd_root = vtd_guest_table(&gm);
	MUST(vtd_guest_fl_map(&gm, r->vtd_root, 4, 0x1000, 0x2000, 12, VTD_GUEST_FL_RW));
	MUST(vtd_guest_fl_map(&gm, r->vtd_root, 4, 0x200000, 0x0, 21, VTD_GUEST_FL_RW));
	MUST(xf_rig_bind_vtd(r));
	MUST(xiommu_bind(r->ctx, &by));
}

int xf_rig_bind_smmu(struct xf_rig *r)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = r->vdev[XF_SMMU],
				 .config = XIOMMU_CONFIG_TRANSLATE,
				 .format = XIOMMU_S1_SMMUV3_CD_TABLE, .pasid_bits = 4,
				 .table_gpa = r->cd_table,
				 .s1.smmuv3.s1dss = 2 };	/* SSID-less DMA uses CD 0 */

	return xiommu_bind(r->ctx, &b);
}

int xf_rig_bind_vtd(struct xf_rig *r)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID,
				 .vdev_id = r->vdev[XF_VTD], .config = XIOMMU_CONFIG_TRANSLATE,
				 .pasid = XF_PASID, .format = XIOMMU_S1_VTD_FIRST_LEVEL,
				 .addr_width = 48, .table_gpa = r->vtd_root, .s1.vtd.did = 1 };

	return xiommu_bind(r->ctx, &b);
}

void xf_rig_open(struct xf_rig *r, uint32_t grants, int sparse)
{
	static const char ini[] = "[unit smmu0]\nvendor = smmuv3\nsid_bits = 8\n[unit vtd0]\nvendor = vtd\npasid_bits = 8\n";
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = XF_RAM_SIZE };
	unsigned int u;

	/*
	 * One guest RAM for the process, zeroed for each rig: what an earlier
	 * input's DMA wrote must not be read back by a later one.
	 */
	static uint8_t *ram;

	if (!ram) {
		ram = aligned_alloc(4096, XF_RAM_SIZE);
		if (!ram)
			xf_fail("rig: no memory");
	}
	memset(ram, 0, XF_RAM_SIZE);
	memset(r, 0, sizeof(*r));
	if (xiommu_open_config(ini, sizeof(ini) - 1, "fuzz.ini", &r->ctx))
		xf_fail("rig: open: %s", xiommu_last_error(NULL));
	r->ram = (struct guest_ram){ ram, 0, XF_RAM_SIZE, XF_TABLES };
	mr.addr = XIOMMU_PTR(r->ram.mem);
	MUST(xiommu_mem_register(r->ctx, &mr));
	r->region = mr.out_region_id;
	for (u = 0; u < XF_UNITS; u++) {
		struct xiommu_hw_info hw = { .argsz = sizeof(hw), .unit = u };
		struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .unit = u };
		struct xiommu_map m = { .argsz = sizeof(m),
					.flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
					.region_id = r->region, .size = XF_RAM_SIZE };
		struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = XF_SID,
						 .vsid = XF_SID, .pasid_bits = 8 };

		MUST(xiommu_hw_info(r->ctx, &hw));
		MUST(xiommu_viommu_alloc(r->ctx, &va));
		r->viommu[u] = m.viommu_id = at.viommu_id = va.out_viommu_id;
		if (sparse) {
			/* the first 64 KiB (the reference pages) and the table area */
			m.size = 0x10000;
			MUST(xiommu_map(r->ctx, &m));
			m.gpa = m.offset = XF_TABLES;
			m.size = XF_RAM_SIZE - XF_TABLES;
		}
		MUST(xiommu_map(r->ctx, &m));
		if (hw.features & XIOMMU_HW_ATS)
			at.flags |= XIOMMU_VDEV_ATS;
		if ((hw.features & XIOMMU_HW_PRI) && (hw.features & XIOMMU_HW_ATS))
			at.flags |= XIOMMU_VDEV_PRI;
		if (hw.features & XIOMMU_HW_STALL)
			at.flags |= XIOMMU_VDEV_STALL;
		at.flags &= grants;
		MUST(xiommu_vdev_attach(r->ctx, &at));
		r->vdev[u] = at.out_vdev_id;
		at.psid = at.vsid = XF_SID2;
		at.flags = 0;
		MUST(xiommu_vdev_attach(r->ctx, &at));
		r->vdev2[u] = at.out_vdev_id;
	}
	setup_smmu(r);
	setup_vtd(r);
	for (u = 0; u < XF_UNITS; u++)
		r->ref_pa[u] = dma_pa(r, u);
	if (r->ref_pa[XF_SMMU] == ~0ull || r->ref_pa[XF_VTD] == ~0ull) {
		struct xiommu_fault f;
		struct xiommu_fault_read rd = { .argsz = sizeof(rd), .record_len = sizeof(f),
						.count = 1, .records_ptr = XIOMMU_PTR(&f) };

		for (u = 0; u < XF_UNITS; u++) {
			rd.viommu_id = r->viommu[u];
			rd.count = 1;
			if (!xiommu_fault_read(r->ctx, &rd) && rd.count)
				fprintf(stderr, "unit %u: fault reason %u code 0x%x\n", u, f.reason,
					f.vendor_code);
		}
	}
	if (r->ref_pa[XF_SMMU] == ~0ull || r->ref_pa[XF_VTD] == ~0ull)
		xf_fail("rig: the reference DMAs fault: 0x%llx 0x%llx",
			(unsigned long long)r->ref_pa[XF_SMMU], (unsigned long long)r->ref_pa[XF_VTD]);
}

void xf_rig_flush(struct xf_rig *r)
{
	unsigned int u;

	for (u = 0; u < XF_UNITS; u++) {
		struct xiommu_inv_entry e[3] = {
			{ .cache = XIOMMU_CACHE_CONFIG, .scope = XIOMMU_INV_ALL,
			  .flags = XIOMMU_INV_F_VDEV, .vdev_id = r->vdev[u] },
			{ .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_ALL },
			{ .cache = XIOMMU_CACHE_DEVTLB, .scope = XIOMMU_INV_ALL,
			  .flags = XIOMMU_INV_F_VDEV, .vdev_id = r->vdev[u] },
		};
		struct xiommu_invalidate inv = { .argsz = sizeof(inv), .viommu_id = r->viommu[u],
						 .type = XIOMMU_INV_GENERIC,
						 .entry_len = sizeof(e[0]), .entry_num = 3,
						 .entries_ptr = XIOMMU_PTR(e) };

		MUST(xiommu_invalidate(r->ctx, &inv));
	}
}

void xf_rig_close(struct xf_rig *r)
{
	xiommu_close(r->ctx);
	r->ctx = NULL;
}

void xf_capture(struct xiommu_ctx *ctx, struct xf_state *s)
{
	unsigned int u;

	s->len = xc_state_dump(ctx, s->dump, sizeof(s->dump));
	if (s->len > sizeof(s->dump))
		xf_fail("snapshot of %zu bytes exceeds the buffer", s->len);
	for (u = 0; u < XF_UNITS && u < xiommu_unit_count(ctx); u++) {
		s->st[u] = (struct xiommu_stats){ .argsz = sizeof(s->st[u]), .unit = u };
		if (xiommu_stats(ctx, &s->st[u]))
			xf_fail("stats: %s", xiommu_last_error(ctx));
	}
}

uint64_t xf_trace;

int xf_tracing(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("XF_TRACE") != NULL;
	return on;
}

void xf_note(uint64_t a, uint64_t b, uint64_t c)
{
	if (xf_tracing())
		fprintf(stderr, "xf_note %#llx %#llx %#llx\n", (unsigned long long)a,
			(unsigned long long)b, (unsigned long long)c);
	/* FNV-1a style mixing: cheap, and order matters */
	xf_trace = (xf_trace ^ a) * 0x100000001b3ull;
	xf_trace = (xf_trace ^ b) * 0x100000001b3ull;
	xf_trace = (xf_trace ^ c) * 0x100000001b3ull;
}

void xf_run_twice(void (*one)(const uint8_t *data, size_t size), const uint8_t *data,
		  size_t size)
{
	static int twice = -1;
	uint64_t first;

	if (twice < 0)
		twice = getenv("XF_TWICE") != NULL;
	xf_trace = 0;
	one(data, size);
	if (twice) {
		first = xf_trace;
		xf_trace = 0;
		one(data, size);
		if (xf_trace != first)
			xf_fail("the same input ran twice with different results: the rig was not restored");
	}
}

void xf_check(struct xiommu_ctx *ctx, const char *call, int ret, const struct xf_state *before)
{
	static struct xf_state now;
	char list[512], msg[1024];
	unsigned int u;

	if (xf_tracing())
		fprintf(stderr, "%s -> %d %s\n", call, ret, ret ? xiommu_last_error(ctx) : "");
	xf_note((uint64_t)(int64_t)ret, call[0] ? (uint8_t)call[strlen(call) - 1] : 0, strlen(call));
	if (!ret)
		return;
	snprintf(msg, sizeof(msg), "%s", xiommu_last_error(ctx));
	if (ret > 0)
		xf_fail("%s returned %d, neither 0 nor a negative errno", call, ret);
	if (xt_errdoc_allows(call, ret) != 1)
		xf_fail("%s returned %d (%s), not in its documented list: %s (message: %s)", call,
			ret, strerror(-ret), xt_errdoc_list(call, list, sizeof(list)), msg);
	if (!msg[0])
		xf_fail("%s failed with %d and left no message", call, ret);
	if (!before)
		return;
	xf_capture(ctx, &now);
	if (now.len != before->len || memcmp(now.dump, before->dump, now.len))
		xf_fail("%s failed (%d: %s) but changed the context's state", call, ret, msg);
	for (u = 0; u < XF_UNITS && u < xiommu_unit_count(ctx); u++) {
		struct xiommu_stats a = before->st[u], b = now.st[u];

		/* refused guest commands are counted: that is the one change allowed */
		a.queue_errors = b.queue_errors = 0;
		if (memcmp(&a, &b, sizeof(a)))
			xf_fail("%s failed (%d: %s) but changed unit %u's counters", call, ret, msg,
				u);
	}
}

void xf_check_reference(struct xf_rig *r)
{
	unsigned int u;

	for (u = 0; u < XF_UNITS; u++) {
		uint64_t pa = dma_pa(r, u);

		if (pa != r->ref_pa[u]) {
			struct xiommu_fault f = { 0 };
			struct xiommu_fault_read rd = { .argsz = sizeof(rd), .viommu_id = r->viommu[u],
							.record_len = sizeof(f), .count = 1,
							.records_ptr = XIOMMU_PTR(&f) };

			xiommu_fault_read(r->ctx, &rd);
			xf_fail("reference DMA of unit %u: 0x%llx, after setup 0x%llx (fault record: %u, reason %u, code 0x%x, addr 0x%llx)",
				u, (unsigned long long)pa, (unsigned long long)r->ref_pa[u], rd.count,
				f.reason, f.vendor_code, (unsigned long long)f.addr);
		}
	}
}

void xf_drain_faults(struct xf_rig *r)
{
	struct xiommu_fault f[16];
	unsigned int u, i;

	for (u = 0; u < XF_UNITS; u++) {
		uint32_t last = 0;
		int first = 1;

		for (;;) {
			struct xiommu_fault_read rd = { .argsz = sizeof(rd), .viommu_id = r->viommu[u],
							.record_len = sizeof(f[0]), .count = 16,
							.records_ptr = XIOMMU_PTR(f) };
			int ret = xiommu_fault_read(r->ctx, &rd);

			xf_check(r->ctx, "xiommu_fault_read", ret, NULL);
			if (ret || !rd.count)
				break;
			for (i = 0; i < rd.count; i++) {
				xf_note((uint64_t)f[i].type << 32 | f[i].reason, f[i].addr,
					(uint64_t)f[i].flags << 32 | f[i].vendor_code);
				/*
				 * Answer what waits, so nothing outlives its input:
				 * with "retry", as a terminated stall or page request
				 * stays held until the device's next issue of that
				 * access collects its fault (xiommu/arch/smmuv3.h),
				 * and the next input's reference DMA would be it.
				 */
				if (f[i].type == XIOMMU_FAULT_PAGE_REQ) {
					struct xiommu_page_response pr = {
						.argsz = sizeof(pr), .viommu_id = r->viommu[u],
						.vdev_id = f[i].vdev_id, .grpid = f[i].grpid,
						.pasid = f[i].flags & XIOMMU_FAULT_F_PASID ? f[i].pasid : 0,
						.flags = f[i].flags & (XIOMMU_FAULT_F_PASID |
								       XIOMMU_FAULT_F_STALL),
						.code = XIOMMU_PAGE_SUCCESS };

					xf_check(r->ctx, "xiommu_page_response",
						 xiommu_page_response(r->ctx, &pr), NULL);
				}
				if (f[i].type < XIOMMU_FAULT_DMA || f[i].type > XIOMMU_FAULT_LOST ||
				    f[i].reason > XIOMMU_FR_DISABLED || f[i].__reserved ||
				    (f[i].flags & ~XIOMMU_FAULT_F_ALL) || (f[i].perm >> 4) ||
				    ((f[i].flags & XIOMMU_FAULT_F_STAGE2) &&
				     (f[i].flags & XIOMMU_FAULT_F_EITHER_STAGE)))
					xf_fail("unit %u: malformed fault record type %u reason %u flags 0x%x perm 0x%x",
						u, f[i].type, f[i].reason, f[i].flags, f[i].perm);
				if (f[i].type != XIOMMU_FAULT_LOST && f[i].vdev_id &&
				    f[i].vdev_id != r->vdev[u] && f[i].vdev_id != r->vdev2[u] &&
				    !(r->vdev_known && r->vdev_known(f[i].vdev_id)))
					xf_fail("unit %u: fault record names vdev %u", u, f[i].vdev_id);
				if (!first && (int32_t)(f[i].sequence - last) <= 0)
					xf_fail("unit %u: fault sequence %u after %u", u, f[i].sequence,
						last);
				last = f[i].sequence;
				first = 0;
			}
		}
	}
}

uint8_t xf_u8(struct xf_in *in)
{
	uint8_t v = 0;

	if (in->n) {
		v = in->p[0];
		in->p++;
		in->n--;
	}
	return v;
}

uint32_t xf_u32(struct xf_in *in)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)xf_u8(in) << (8 * i);
	return v;
}

uint64_t xf_u64(struct xf_in *in)
{
	return xf_u32(in) | (uint64_t)xf_u32(in) << 32;
}
