// SPDX-License-Identifier: MIT
/*
 * Sequences of generic messages with fuzzed fields on one context: each op
 * is a byte naming the call, then its fields. Ids are mostly picked from
 * the objects that exist, so the calls reach past the id checks. Every
 * call: 0 or a documented errno, and on failure the state and counters
 * unchanged; DMA results legal; fault records well formed.
 *
 * The context persists while inputs leave it as they found it: after an
 * input, the objects it made are torn down as a VMM would (vdevs detached,
 * viommus unmapped and freed, regions unregistered), its faults and MSIs
 * drained, and the context's live image (xc_state_dump_live) compared
 * with the rig's; equal, guest RAM is put back, every cache invalidated
 * and the reference translations re-checked, so the next input starts
 * where a fresh rig would; different (a rig object freed or changed, a map
 * left), the rig is closed and the next input opens a new one.
 * What differs between a kept rig and a fresh one stays out of the trace
 * and the calls: ids the rig did not make are never named by number, and
 * a DMA's host address counts only as an offset into the rig's RAM.
 * A stream never attached faults, a detached one aborts silently (both
 * vendors), so the rig attaches and detaches the stream ids inputs mostly
 * pick (STREAMS_LO..HI) once when it opens, and an input attaching any
 * other stream id reopens it.
 * XF_TWICE proves the equivalence on every corpus input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include "rig.h"
#include "debug.h"

#define MAXIDS 16
#define STREAMS_LO	0x10u	/* the stream ids inputs mostly pick */
#define STREAMS_HI	0x17u

static struct xf_rig rig;
static uint32_t rig_ids;	/* ids up to this one are the rig's */
static uint32_t top_id;		/* the newest id handed out */
static uint64_t ram_pa;		/* host address of the rig's guest RAM */
/*
 * The state before the next call: captured again only after something may
 * have changed it (a call that succeeded, a drain), since a failed call
 * must leave it as it was (xf_check proves that against this copy).
 */
static struct xf_state before;
static int before_stale = 1;
static int new_stream;		/* the input attached a stream the rig never did */

static void attached(uint32_t psid)
{
	if (psid < STREAMS_LO || psid > STREAMS_HI)
		new_stream = 1;
}

static void capture_before(void)
{
	if (before_stale)
		xf_capture(rig.ctx, &before);
	before_stale = 0;
}

static void checked(const char *call, int ret)
{
	xf_check(rig.ctx, call, ret, &before);
	if (!ret)
		before_stale = 1;
}
static uint32_t ids[MAXIDS];	/* every id seen: viommus, vdevs, regions */
static unsigned int nids;

static void seen(uint32_t id)
{
	if (id > top_id)
		top_id = id;
	if (id && nids < MAXIDS)
		ids[nids++] = id;
}

/* A vdev the input attached may be named by a fault record. */
static int known(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < nids; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* An id: one that exists (most of the time) or any value. */
static uint32_t pick_id(struct xf_in *in)
{
	uint8_t b = xf_u8(in);

	uint32_t id;

	if (b < 224 && nids)
		return ids[b % nids];
	id = b < 240 ? b - 224 : xf_u32(in);
	/*
	 * Not one made since the rig was opened: a kept rig numbers those
	 * differently from a fresh one. Ids with bit 31 exist in neither.
	 */
	return id > rig_ids ? id | 0x80000000u : id;
}

/* A GPA: inside guest RAM, page aligned (mostly), or any value. */
static uint64_t pick_gpa(struct xf_in *in)
{
	uint8_t b = xf_u8(in);

	if (b < 160)
		return ((uint64_t)xf_u8(in) << 12) % XF_RAM_SIZE;
	if (b < 224)
		return xf_u32(in) % XF_RAM_SIZE;
	return xf_u64(in);
}

static uint64_t pick_size(struct xf_in *in)
{
	uint8_t b = xf_u8(in);

	if (b < 128)
		return (uint64_t)(b % 16 + 1) << 12;
	if (b < 200)
		return 1ull << (b % 40);
	return xf_u64(in);
}

/* argsz: the struct's size, or less, or more with a fuzzed tail. */
static uint32_t pick_argsz(struct xf_in *in, uint8_t *tail, size_t size)
{
	uint8_t b = xf_u8(in);

	memset(tail, 0, 16);
	if (b < 240)
		return (uint32_t)size;
	if (b < 248)
		return (uint32_t)size - (b % 8) * 4;
	tail[b % 16] = xf_u8(in);
	return (uint32_t)size + 16;
}

#define CALL(fn, msgtype, setup) \
	do { \
		struct { msgtype m; uint8_t tail[16]; } w_; \
		memset(&w_, 0, sizeof(w_)); \
		w_.m.argsz = pick_argsz(in, w_.tail, sizeof(w_.m)); \
		{ msgtype *m = &w_.m; setup; } \
		capture_before(); \
		ret = fn(rig.ctx, &w_.m); \
		checked(#fn, ret); \
		if (!ret) { msgtype *o = &w_.m; after; } \
	} while (0)

/* An MSI is a 4-byte write whether its len says 0 or 4 (diag.h). */
static void dma_ok(const struct xiommu_dma *d)
{
	uint64_t len = d->op == XIOMMU_DMA_MSI ? 4 : d->len;
	uint64_t data = 0;

	uint64_t at = d->out_addr - ram_pa < XF_RAM_SIZE ? d->out_addr - ram_pa :
		      1ull << 63 | (d->out_addr & 0xfff);

	if (d->op == XIOMMU_DMA_READ && d->out_status == XIOMMU_DMA_OK)
		memcpy(&data, (const void *)(uintptr_t)d->buf_ptr, d->out_done < 8 ? d->out_done : 8);
	if (xf_tracing())
		fprintf(stderr, "dma unit %u op %u flags %#x sid %#x pasid %u iova %#llx len %llu\n",
			d->unit, d->op, d->flags, d->sid, d->pasid, (unsigned long long)d->iova,
			(unsigned long long)d->len);
	xf_note(d->out_status, at ^ data, d->out_done);
	if (d->out_status > XIOMMU_DMA_ABORT || d->out_done > len)
		xf_fail("dma: status %u, done %u of %llu", d->out_status, d->out_done,
			(unsigned long long)d->len);
}

static void one_op(struct xf_in *in)
{
	uint8_t op = xf_u8(in) % 18;
	int ret;

	switch (op) {
	case 0:
#define after seen(o->out_viommu_id)
		CALL(xiommu_viommu_alloc, struct xiommu_viommu_alloc,
		     (m->unit = xf_u8(in) % 3, m->fault_depth = xf_u8(in) < 200 ? 0 : xf_u32(in),
		      m->flags = xf_u8(in) < 250 ? 0 : xf_u32(in)));
#undef after
		break;
	case 1: {
		uint32_t id = pick_id(in);

		capture_before();
		ret = xiommu_viommu_free(rig.ctx, id);
		checked("xiommu_viommu_free", ret);
		break;
	}
	case 2:
#define after seen(o->out_region_id)
		CALL(xiommu_mem_register, struct xiommu_mem_register,
		     (m->addr = XIOMMU_PTR(rig.ram.mem + ((xf_u8(in) << 12) % XF_RAM_SIZE)),
		      m->size = xf_u8(in) < 200 ? 4096 * (1 + xf_u8(in) % 16) : xf_u64(in) % XF_RAM_SIZE,
		      m->flags = xf_u8(in) < 250 ? 0 : 1,
		      m->size = (m->addr - XIOMMU_PTR(rig.ram.mem)) + m->size > XF_RAM_SIZE ?
				4096 : m->size));
#undef after
		break;
	case 3: {
		uint32_t id = pick_id(in);

		capture_before();
		ret = xiommu_mem_unregister(rig.ctx, id);
		checked("xiommu_mem_unregister", ret);
		break;
	}
#define after (void)o
	case 4:
		CALL(xiommu_map, struct xiommu_map,
		     (m->flags = xf_u8(in) % 5, m->viommu_id = pick_id(in), m->region_id = pick_id(in),
		      m->offset = pick_gpa(in), m->gpa = pick_gpa(in) + 0x100000 * (xf_u8(in) % 4),
		      m->size = pick_size(in)));
		break;
	case 5:
		CALL(xiommu_unmap, struct xiommu_unmap,
		     (m->viommu_id = pick_id(in), m->gpa = pick_gpa(in), m->size = pick_size(in),
		      m->flags = xf_u8(in) < 250 ? 0 : 1));
		break;
#undef after
	case 6:
#define after (seen(o->out_vdev_id), attached(o->psid))
		CALL(xiommu_vdev_attach, struct xiommu_vdev_attach,
		     (m->flags = xf_u8(in) % 9, m->viommu_id = pick_id(in),
		      m->psid = xf_u8(in) < 200 ? STREAMS_LO + xf_u8(in) % 8 : xf_u32(in),
		      m->vsid = xf_u8(in) < 200 ? STREAMS_LO + xf_u8(in) % 8 : xf_u64(in),
		      m->pasid_bits = xf_u8(in) % 24));
#undef after
		break;
	case 7: {
		uint32_t id = pick_id(in);

		capture_before();
		ret = xiommu_vdev_detach(rig.ctx, id);
		checked("xiommu_vdev_detach", ret);
		break;
	}
#define after (void)o
	case 8:
		CALL(xiommu_bind, struct xiommu_bind,
		     (m->flags = xf_u8(in) % 3, m->vdev_id = pick_id(in), m->config = xf_u8(in) % 5,
		      m->pasid = xf_u8(in) < 200 ? xf_u8(in) % 4 : xf_u32(in),
		      m->format = xf_u8(in) % 5, m->table_gpa = pick_gpa(in),
		      m->pasid_bits = xf_u8(in) % 24, m->addr_width = xf_u8(in) % 64,
		      m->s1.raw[0] = xf_u8(in) < 128 ? 0 : xf_u64(in),
		      m->s1.raw[1] = xf_u8(in) < 128 ? 0 : xf_u64(in) & 0xffff));
		break;
	case 9:
		CALL(xiommu_unbind, struct xiommu_unbind,
		     (m->flags = xf_u8(in) % 3, m->vdev_id = pick_id(in), m->config = xf_u8(in) % 4,
		      m->pasid = xf_u8(in) < 200 ? xf_u8(in) % 4 : xf_u32(in)));
		break;
	case 10: {
		struct xiommu_inv_entry e[4];
		uint32_t n = xf_u8(in) % 5, i;

		memset(e, 0, sizeof(e));
		for (i = 0; i < n; i++) {
			e[i].cache = xf_u8(in) % 5;
			e[i].scope = xf_u8(in) % 6;
			e[i].flags = (uint16_t)(xf_u8(in) % 32);
			e[i].vdev_id = e[i].flags & XIOMMU_INV_F_VDEV ? pick_id(in) : 0;
			e[i].pasid = e[i].flags & XIOMMU_INV_F_PASID ? xf_u8(in) % 4 : 0;
			e[i].tag = e[i].flags & XIOMMU_INV_F_TAG ? xf_u8(in) % 4 : 0;
			if (e[i].scope == XIOMMU_INV_RANGE) {
				e[i].addr = pick_gpa(in);
				e[i].size = pick_size(in);
			}
		}
		CALL(xiommu_invalidate, struct xiommu_invalidate,
		     (m->viommu_id = pick_id(in), m->type = XIOMMU_INV_GENERIC,
		      m->entry_len = sizeof(e[0]), m->entry_num = n, m->entries_ptr = XIOMMU_PTR(e)));
		break;
	}
	case 11:
		CALL(xiommu_msi_bind, struct xiommu_msi_bind,
		     (m->flags = xf_u8(in) % 3, m->viommu_id = pick_id(in), m->giova = pick_gpa(in),
		      m->gdb = pick_gpa(in) + 0x100000 * (xf_u8(in) % 4), m->size = pick_size(in)));
		break;
	case 12:
		CALL(xiommu_page_response, struct xiommu_page_response,
		     (m->flags = xf_u8(in) % 0x80, m->viommu_id = pick_id(in), m->vdev_id = pick_id(in),
		      m->pasid = xf_u8(in) % 4, m->grpid = xf_u32(in) % 512, m->code = xf_u8(in) % 4));
		break;
	case 13:
		xf_drain_faults(&rig);
		before_stale = 1;
		break;
	case 14: {
		struct xiommu_fault f = { .type = xf_u8(in) % 4, .flags = xf_u8(in) % 0x80,
					  .reason = xf_u8(in) % 12, .vdev_id = pick_id(in),
					  .pasid = xf_u8(in) % 4, .perm = xf_u8(in) % 16,
					  .addr = pick_gpa(in), .fetch_addr = pick_gpa(in),
					  .vendor_code = xf_u8(in), .grpid = xf_u32(in) % 512 };
		uint8_t buf[64];

		CALL(xiommu_fault_encode, struct xiommu_fault_encode,
		     (m->viommu_id = pick_id(in), m->buf_len = xf_u8(in) % 72,
		      m->fault_ptr = XIOMMU_PTR(&f), m->buf_ptr = XIOMMU_PTR(buf),
		      m->buf_len = m->buf_len > sizeof(buf) ? sizeof(buf) : m->buf_len));
		break;
	}
	case 15: {
		uint8_t buf[64];

#undef after
#define after dma_ok(o)
		CALL(xiommu_dma, struct xiommu_dma,
		     (m->unit = xf_u8(in) % 3, m->op = xf_u8(in) % 6, m->flags = xf_u8(in) % 16,
		      m->sid = xf_u8(in) < 200 ? STREAMS_LO + xf_u8(in) % 8 : xf_u32(in),
		      m->pasid = xf_u8(in) % 4, m->iova = pick_gpa(in),
		      m->len = m->op == XIOMMU_DMA_READ || m->op == XIOMMU_DMA_WRITE ?
			       xf_u8(in) % 65 : 0,
		      m->buf_ptr = m->len ? XIOMMU_PTR(buf) : 0,
		      m->data = m->op == XIOMMU_DMA_MSI ? xf_u32(in) : 0));
#undef after
#define after (void)o
		break;
	}
	case 16: {
		uint64_t log[8];

		CALL(xiommu_msi_log, struct xiommu_msi_log,
		     (m->unit = xf_u8(in) % 3, m->count = xf_u8(in) % 9, m->records_ptr = XIOMMU_PTR(log)));
		break;
	}
	default:
		CALL(xiommu_stats, struct xiommu_stats, (m->unit = xf_u8(in) % 3));
		break;
#undef after
	}
}

static uint8_t base[1 << 16], now[1 << 16];	/* live images: the rig's, as opened */
static size_t base_len;
static uint8_t base_ram[XF_RAM_SIZE];
static unsigned long kept, reopened;

static void report(void)
{
	if (getenv("XF_DEBUG"))
		fprintf(stderr, "messages: context kept after %lu inputs, reopened after %lu\n",
			kept, reopened);
}

static void drain_msis(void)
{
	uint64_t log[16];
	unsigned int u;

	for (u = 0; u < XF_UNITS; u++) {
		struct xiommu_msi_log l = { .argsz = sizeof(l), .unit = u };

		do {
			l.count = 16;
			l.records_ptr = XIOMMU_PTR(log);
			if (xiommu_msi_log(rig.ctx, &l))
				xf_fail("msi_log: %s", xiommu_last_error(rig.ctx));
		} while (l.count == 16);
	}
}

/* Tear down what the input made and left, newest first, as a VMM would. */
static void undo(void)
{
	unsigned int i;

	for (i = nids; i-- > 0;)
		if (ids[i] > rig_ids)
			xf_check(rig.ctx, "xiommu_vdev_detach", xiommu_vdev_detach(rig.ctx, ids[i]),
				 NULL);
	for (i = nids; i-- > 0;) {
		struct xiommu_unmap um = { .argsz = sizeof(um), .viommu_id = ids[i], .size = ~0ull };

		if (ids[i] <= rig_ids)
			continue;
		xf_check(rig.ctx, "xiommu_unmap", xiommu_unmap(rig.ctx, &um), NULL);
		xf_check(rig.ctx, "xiommu_viommu_free", xiommu_viommu_free(rig.ctx, ids[i]), NULL);
	}
	for (i = nids; i-- > 0;)
		if (ids[i] > rig_ids)
			xf_check(rig.ctx, "xiommu_mem_unregister",
				 xiommu_mem_unregister(rig.ctx, ids[i]), NULL);
}

/* Leave every stream in STREAMS_LO..HI the rig does not use detached. */
static void detach_streams(void)
{
	uint32_t u, sid;

	for (u = 0; u < XF_UNITS; u++)
		for (sid = STREAMS_LO; sid <= STREAMS_HI; sid++) {
			struct xiommu_vdev_attach a = { .argsz = sizeof(a),
							.viommu_id = rig.viommu[u],
							.psid = sid, .vsid = 0x1000 + sid };

			/* not through xf_check: a kept rig's trace has no such calls */
			if (sid != XF_SID && sid != XF_SID2 &&
			    (xiommu_vdev_attach(rig.ctx, &a) ||
			     xiommu_vdev_detach(rig.ctx, a.out_vdev_id)))
				xf_fail("stream 0x%x of unit %u: %s", sid, u,
					xiommu_last_error(rig.ctx));
		}
}

static size_t live(uint8_t *buf)
{
	size_t len = xc_state_dump_live(rig.ctx, buf, sizeof(base));

	if (len > sizeof(base))
		xf_fail("live image of %zu bytes exceeds the buffer", len);
	return len;
}

/*
 * Keep the rig when the input, its objects torn down, left it as it was;
 * else close it. Ids grow in a kept rig: it is renewed every 4096.
 */
static void settle(void)
{
	size_t len;

	xf_drain_faults(&rig);
	undo();
	xf_drain_faults(&rig);
	drain_msis();
	len = live(now);
	if (!new_stream && len == base_len && !memcmp(now, base, len) &&
	    top_id - rig_ids < 4096) {
		/* what DMA wrote (data, A/D bits) back as the guest would */
		memcpy(rig.ram.mem, base_ram, XF_RAM_SIZE);
		xf_rig_flush(&rig);
		xf_check_reference(&rig);
		xf_drain_faults(&rig);
		kept++;
		return;
	}
	xf_rig_close(&rig);
	reopened++;
}

static void one(const uint8_t *data, size_t size)
{
	struct xf_in in = { data, size };
	unsigned int u, ops = 0;

	if (!rig.ctx) {
		xf_rig_open(&rig, XIOMMU_VDEV_ALL, 1);
		rig.vdev_known = known;
		detach_streams();
		base_len = live(base);
		memcpy(base_ram, rig.ram.mem, XF_RAM_SIZE);
		/* the SMMUv3 reference page: IOVA 0x1000, GPA 0x1000 */
		ram_pa = rig.ref_pa[XF_SMMU] - 0x1000;
		rig_ids = top_id = 0;
	}
	nids = 0;
	new_stream = 0;
	seen(rig.region);
	for (u = 0; u < XF_UNITS; u++) {
		seen(rig.viommu[u]);
		seen(rig.vdev[u]);
		seen(rig.vdev2[u]);
	}
	if (!rig_ids)
		rig_ids = top_id;
	before_stale = 1;
	while (in.n && ops++ < 64)
		one_op(&in);
	settle();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;

	if (!once++)
		atexit(report);
	xf_run_twice(one, data, size);
	return 0;
}
