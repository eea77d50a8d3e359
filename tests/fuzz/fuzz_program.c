// SPDX-License-Identifier: MIT
/*
 * The host layer's final check of programs: raw struct xiommu_op arrays, the
 * bytes xiommu.ko copies in for XIOMMU_EXEC (include/xiommu/uapi.h), run by
 * the host layer's exec() on both vendors. Each input gets a fresh unit
 * over one host arena: domain A (the program's) with two streams, domain B
 * (the victim) with one, each with 64 KiB of guest RAM and a configured
 * entry (SMMUv3 stage-2 STE, VT-d second-level PASID entry). Ops are built
 * from templates of A's and B's own words (so the checks are passed or
 * refused on purpose), XORed or raw. Oracles:
 *  - exec returns 0 or -EPERM / -EINVAL / -EOPNOTSUPP (the check), and a
 *    refused op's index is below n;
 *  - a failed program changes no state: every host byte the units had in
 *    use (stream / context / PASID tables, stage 2, queues) and the unit's
 *    counters (bar the refused-command count) are as before;
 *  - B's reference translation is the same after any program;
 *  - after an accepted program no stream of A escapes A: every entry of A
 *    is abort or translates through A's stage 2 under A's VMID / DID, and
 *    every DMA of A's streams that translates lands in A's RAM or the
 *    unit's doorbell.
 * Byte 0: bit 0 the vendor, bits 1-3 the grants of A's first stream; byte
 * 1: the op count; then each op's fields, zero past the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xiommu/diag.h>
#include <xiommu/arch/vtd.h>
#include "xh.h"
#include "smmuv3_host.h"
#include "vtd_host.h"

#define ARENA_PA	0x100000000ull
#define ARENA_SIZE	(4u << 20)
#define RAM		0x10000u	/* guest RAM per domain, at GPA 0 */
#define SID_A1		0x10u
#define SID_A2		0x11u
#define SID_B		0x20u
#define SID_FREE	0x30u
#define MAX_OPS		16

enum { SMMU, VTD };

struct arena {
	uint8_t *mem;
	uint64_t next, hi;	/* bump allocator; hi: bytes ever handed out */
	struct xm_host host;
};

struct dom {
	void *d;
	struct xiommu_domain_desc desc;
	uint64_t ram;		/* host PA of its GPA 0 */
	uint64_t words[8];	/* its configured entry */
};

static struct arena ar;
static uint8_t before_mem[ARENA_SIZE];
static const struct xh_unit_ops *ops_of[2];

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "xiommu fuzz oracle: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void *a_map(void *priv, uint64_t pa, uint32_t len)
{
	(void)priv;
	if (pa < ARENA_PA || pa - ARENA_PA > ARENA_SIZE || len > ARENA_SIZE - (pa - ARENA_PA))
		return NULL;
	return ar.mem + (pa - ARENA_PA);
}

static int a_alloc(void *priv, uint64_t size, uint64_t *pa)
{
	uint64_t off = (ar.next + size - 1) & ~(size - 1);

	(void)priv;
	if (off > ARENA_SIZE || size > ARENA_SIZE - off)
		return -ENOMEM;
	ar.next = off + size;
	if (ar.next > ar.hi)
		ar.hi = ar.next;
	memset(ar.mem + off, 0, size);
	*pa = ARENA_PA + off;
	return 0;
}

/* Never reused: poisoned, so a table freed while in use shows. */
static void a_free(void *priv, uint64_t pa, uint64_t size)
{
	(void)priv;
	if (pa >= ARENA_PA && pa - ARENA_PA + size <= ARENA_SIZE)
		memset(ar.mem + (pa - ARENA_PA), 0xa5, size);
}

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	uint8_t v = 0;

	if (in->n) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static uint32_t u32(struct in *in)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)u8(in) << (8 * i);
	return v;
}

static uint64_t u64(struct in *in)
{
	return u32(in) | (uint64_t)u32(in) << 32;
}

/* The entry a domain's stream starts with: stage 2 only, the domain's own. */
static void config_words(unsigned int v, void *unit, const struct dom *d, uint64_t *w)
{
	memset(w, 0, 8 * sizeof(*w));
	if (v == SMMU) {
		const struct xh_smmu_dom *sd = d->d;

		(void)unit;
		w[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S2, SMMUV3_STE_CONFIG);
		w[1] = sd->w1;
		w[2] = sd->w2;
		w[3] = sd->w3;
	} else {
		w[0] = XI_BIT(VTD_PE_P) | XI_PUT(d->desc.levels - 2, VTD_PE_AW_H, VTD_PE_AW_L) |
		       XI_PUT(VTD_PGTT_SL, VTD_PE_PGTT_H, VTD_PE_PGTT_L) | d->desc.s2_root;
		w[1] = XI_PUT(d->desc.tag, VTD_PE_DID_H, VTD_PE_DID_L);
	}
}

static int install(unsigned int v, void *unit, struct dom *d, uint32_t sid)
{
	struct xiommu_op op[3];
	uint32_t bad;

	memset(op, 0, sizeof(op));
	op[0].code = XIOMMU_OP_ENTRY_WRITE;
	op[0].target = sid;
	op[0].index = v == SMMU ? XIOMMU_OP_INDEX_NONE : 0;
	op[0].mask = v == SMMU ? 0xff : 0x7;
	memcpy(op[0].w, d->words, sizeof(d->words));
	if (v == SMMU) {
		op[1].code = XIOMMU_OP_CMD;
		op[1].count = 2;
		op[1].index = XIOMMU_OP_INDEX_NONE;
		op[1].w[0] = SMMUV3_OP_CFGI_STE | SMMUV3_WPUT(sid, SMMUV3_CMD_SID);
		op[1].w[1] = 1;	/* leaf */
		op[2].code = XIOMMU_OP_SYNC;
		return ops_of[v]->exec(unit, d->d, op, 3, &bad);
	}
	return ops_of[v]->exec(unit, d->d, op, 1, &bad);
}

/* One translation: XIOMMU_DMA_* status, *pa on OK. */
static uint32_t xlate(unsigned int v, void *unit, uint32_t sid, int pasid, uint64_t iova,
		      uint32_t flags, uint64_t *pa)
{
	struct xm_dma q;
	uint8_t buf[8];

	memset(&q, 0, sizeof(q));
	q.op = XIOMMU_DMA_TRANSLATE;
	q.flags = flags;
	q.sid = sid;
	if (pasid >= 0) {
		q.flags |= XIOMMU_DMA_F_PASID;
		q.pasid = (uint32_t)pasid;
	}
	q.iova = iova;
	q.len = sizeof(buf);
	q.buf = buf;
	if (ops_of[v]->dma(unit, &q))
		fail("dma on sid 0x%x refused by the unit", sid);
	*pa = q.pa;
	return q.status;
}

/* A word for op field @k: the program's own, the victim's, mangled, or raw. */
static uint64_t word(struct in *in, const uint64_t *own, const uint64_t *victim, unsigned int k)
{
	uint8_t b = u8(in);

	switch (b % 6) {
	case 0:
	case 1:
		return own[k];
	case 2:
		return victim[k];
	case 3:
		return own[k] ^ (1ull << (u8(in) % 64));
	case 4:
		return own[k] ^ u64(in);
	default:
		return u64(in);
	}
}

static uint32_t pick_sid(struct in *in)
{
	static const uint32_t sids[] = { SID_A1, SID_A2, SID_B, SID_FREE };
	uint8_t b = u8(in);

	return b < 240 ? sids[b % 4] : u32(in);
}

static void build_op(unsigned int v, struct in *in, struct xiommu_op *op, const struct dom *a,
		     const struct dom *b)
{
	uint64_t own[8], vic[8];
	uint8_t c = u8(in), t;
	unsigned int k;

	memset(op, 0, sizeof(*op));
	op->code = (uint16_t)(c < 248 ? 1 + c % XIOMMU_OP_MAX : c);
	op->target = pick_sid(in);
	t = u8(in);
	op->index = t % 4 == 0 ? XIOMMU_OP_INDEX_NONE : t % 4 == 3 ? u32(in) : t % 4 - 1u;
	op->count = (uint16_t)(op->code == XIOMMU_OP_ENTRY_WRITE ? 0 : v == SMMU ? 2 : 4);
	op->mask = v == SMMU ? 0xff : 0x7;
	t = u8(in);
	if (t >= 192)
		op->count = t % 10;
	if (t >= 128)
		op->mask = u8(in);
	if (op->code == XIOMMU_OP_ENTRY_WRITE) {
		memcpy(own, a->words, sizeof(own));
		memcpy(vic, b->words, sizeof(vic));
		if (v == VTD && !(t & 1)) {	/* nested, first level at GPA 0x3000 */
			own[0] = (own[0] & ~XI_GENMASK(VTD_PE_PGTT_H, VTD_PE_PGTT_L)) |
				 XI_PUT(VTD_PGTT_NESTED, VTD_PE_PGTT_H, VTD_PE_PGTT_L);
			own[2] = 0x3000;
		} else if (v == SMMU && !(t & 1)) {	/* nested, CD table at GPA 0x2000 */
			own[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) |
				 SMMUV3_WPUT(SMMUV3_CFG_NESTED, SMMUV3_STE_CONFIG) | 0x2000;
		}
	} else if (op->code == XIOMMU_OP_MSI_MAP || op->code == XIOMMU_OP_MSI_UNMAP ||
		   op->code == XIOMMU_OP_GUEST_WRITE) {
		memset(own, 0, sizeof(own));
		own[0] = op->code == XIOMMU_OP_GUEST_WRITE ? 0x1000 : 0x8000000;
		own[1] = 0x5a5a5a5a;
		memcpy(vic, own, sizeof(vic));
		vic[0] = RAM + 0x1000;	/* past A's RAM */
		op->count = op->code == XIOMMU_OP_GUEST_WRITE ? 4 : 0;
	} else if (v == SMMU) {
		static const uint8_t opc[] = {
			SMMUV3_OP_CFGI_STE, SMMUV3_OP_CFGI_STE_RANGE, SMMUV3_OP_CFGI_CD,
			SMMUV3_OP_CFGI_CD_ALL, SMMUV3_OP_TLBI_NH_ALL, SMMUV3_OP_TLBI_NH_ASID,
			SMMUV3_OP_TLBI_NH_VA, SMMUV3_OP_TLBI_S12_VMALL, SMMUV3_OP_TLBI_S2_IPA,
			SMMUV3_OP_TLBI_NSNH_ALL, SMMUV3_OP_ATC_INV, SMMUV3_OP_PRI_RESP,
			SMMUV3_OP_RESUME, SMMUV3_OP_STALL_TERM, SMMUV3_OP_CMD_SYNC,
			SMMUV3_OP_TLBI_EL2_ALL,
		};
		uint8_t o = u8(in);
		int vm = o & 0x10;

		memset(own, 0, sizeof(own));
		own[0] = opc[o % 16] | ((uint64_t)(vm ? a->desc.tag : op->target) << 32);
		own[1] = op->code == XIOMMU_OP_CMD ? 1 : 0x1000;	/* leaf / GPA */
		memcpy(vic, own, sizeof(vic));
		vic[0] = opc[o % 16] | ((uint64_t)(vm ? b->desc.tag : SID_B) << 32);
	} else {
		static const uint8_t typ[] = { VTD_QI_CC, VTD_QI_IOTLB, VTD_QI_DEVTLB,
					       VTD_QI_WAIT, VTD_QI_PIOTLB, VTD_QI_PC,
					       VTD_QI_PDEVTLB, 0x9 };
		uint8_t o = u8(in);

		memset(own, 0, sizeof(own));
		own[0] = typ[o % 8] | XI_PUT((o >> 3) & 3, VTD_QI_G_H, 4) |
			 XI_PUT(a->desc.tag, VTD_QI_DID_H, VTD_QI_DID_L) |
			 ((uint64_t)(o >> 5) << 32);
		own[1] = op->code == XIOMMU_OP_CMD ? 0 : 0x1000;
		memcpy(vic, own, sizeof(vic));
		vic[0] = (own[0] & ~XI_GENMASK(VTD_QI_DID_H, VTD_QI_DID_L)) |
			 XI_PUT(b->desc.tag, VTD_QI_DID_H, VTD_QI_DID_L);
	}
	for (k = 0; k < XIOMMU_OP_WORDS; k++)
		op->w[k] = word(in, own, vic, k);
}

/* Every entry of @sid (STE, or PASID entries 0..3) is abort or @d's own. */
static void check_owned(unsigned int v, void *unit, const struct dom *d, uint32_t sid)
{
	unsigned int pasid;
	uint64_t *w, pa;

	if (v == SMMU) {
		if (xh_smmu_ste_pa(unit, sid, &pa) || !(w = a_map(NULL, pa, 64)))
			fail("smmuv3: no STE for sid 0x%x", sid);
		if (!(w[0] & 1) || SMMUV3_WGET(w[0], SMMUV3_STE_CONFIG) < SMMUV3_CFG_BYPASS)
			return;
		if (!(SMMUV3_WGET(w[0], SMMUV3_STE_CONFIG) & 2) ||
		    SMMUV3_WGET(w[2], SMMUV3_STE_S2VMID) != d->desc.tag ||
		    (w[3] & XI_GENMASK(55, 4)) != d->desc.s2_root)
			fail("smmuv3: accepted program left sid 0x%x with config %llu, VMID %llu, S2TTB 0x%llx (domain: VMID %u, root 0x%llx)",
			     sid, (unsigned long long)SMMUV3_WGET(w[0], SMMUV3_STE_CONFIG),
			     (unsigned long long)SMMUV3_WGET(w[2], SMMUV3_STE_S2VMID),
			     (unsigned long long)(w[3] & XI_GENMASK(55, 4)), d->desc.tag,
			     (unsigned long long)d->desc.s2_root);
		return;
	}
	for (pasid = 0; pasid < 4; pasid++) {
		struct xh_vtd_stream *s = xh_vtd_stream_find(unit, sid);
		uint64_t pgtt;

		w = s ? xh_vtd_pe_ptr(unit, s, pasid) : NULL;
		if (!w || !(w[0] & 1))
			continue;
		pgtt = XI_GET(w[0], VTD_PE_PGTT_H, VTD_PE_PGTT_L);
		if ((pgtt != VTD_PGTT_SL && pgtt != VTD_PGTT_NESTED) ||
		    xh_vtd_pe_did(w) != d->desc.tag || (w[0] & VTD_PE_SLPTPTR_MASK) != d->desc.s2_root)
			fail("vtd: accepted program left rid 0x%x pasid %u with PGTT %llu, DID %u, SLPTPTR 0x%llx (domain: DID %u, root 0x%llx)",
			     sid, pasid, (unsigned long long)pgtt, xh_vtd_pe_did(w),
			     (unsigned long long)(w[0] & VTD_PE_SLPTPTR_MASK), d->desc.tag,
			     (unsigned long long)d->desc.s2_root);
	}
}

/* DMAs of @d's streams that translate land in its RAM or the doorbell. */
static void check_dmas(unsigned int v, void *unit, const struct dom *d, struct in *in)
{
	static const uint32_t sids[] = { SID_A1, SID_A2 };
	uint64_t iova[3] = { 0x1000, 0x200000, 0 }, pa;
	unsigned int s, i;
	int pasid;

	iova[2] = u8(in) < 128 ? (uint64_t)u8(in) << 12 : u64(in);
	for (s = 0; s < 2; s++)
		for (pasid = -1; pasid < 2; pasid++)
			for (i = 0; i < 3; i++) {
				uint32_t flags = i == 2 ? u8(in) & XIOMMU_DMA_F_WRITE : 0;

				if (xlate(v, unit, sids[s], pasid, iova[i], flags,
					  &pa) != XIOMMU_DMA_OK)
					continue;
				if ((pa - d->ram >= RAM) &&
				    (!ar.host.msi_db || pa - ar.host.msi_db >= 4096))
					fail("%s: sid 0x%x pasid %d iova 0x%llx escaped to PA 0x%llx (its RAM 0x%llx + 64 KiB)",
					     v == SMMU ? "smmuv3" : "vtd", sids[s], pasid,
					     (unsigned long long)iova[i], (unsigned long long)pa,
					     (unsigned long long)d->ram);
			}
}

static void setup_dom(unsigned int v, void *unit, struct dom *d)
{
	if (ops_of[v]->domain_alloc(unit, &d->d, &d->desc) || a_alloc(NULL, RAM, &d->ram) ||
	    ops_of[v]->s2_map(unit, d->d, 0, d->ram, RAM, XIOMMU_MAP_READ | XIOMMU_MAP_WRITE))
		fail("setup: domain");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct xiommu_op prog[MAX_OPS];
	struct xm_stats st0, st1;
	struct dom a, b;
	unsigned int v, n, i;
	uint64_t used, ref, pa;
	uint32_t bad = ~0u, grants;
	char err[128];
	void *unit;
	int ret;

	if (size < 2)
		return 0;
	if (!ar.mem) {
		ar.mem = aligned_alloc(4096, ARENA_SIZE);
		ops_of[SMMU] = xh_find("smmuv3");
		ops_of[VTD] = xh_find("vtd");
		if (!ar.mem || !ops_of[SMMU] || !ops_of[VTD])
			fail("setup: arena or host layers");
		memset(ar.mem, 0, ARENA_SIZE);
	}
	/* a fresh arena each input: everything handed out before is zeroed */
	memset(ar.mem, 0, ar.hi);
	ar.next = ar.hi = 0;
	ar.host = (struct xm_host){ NULL, a_map, a_alloc, a_free, ARENA_PA + ARENA_SIZE + 0x10000 };
	v = u8(&in);
	grants = (v >> 1) & (XIOMMU_VDEV_ATS | XIOMMU_VDEV_PRI | XIOMMU_VDEV_STALL);
	v &= 1;
	if (v == SMMU) {
		struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;

		p.sid_bits = 8;
		ret = ops_of[v]->create(&p, sizeof(p), &ar.host, &unit, err, sizeof(err));
	} else {
		struct xiommu_vtd_params p = VTD_PARAMS_DEFAULT;

		p.pasid_bits = 8;
		ret = ops_of[v]->create(&p, sizeof(p), &ar.host, &unit, err, sizeof(err));
	}
	if (ret)
		fail("setup: create: %s", err);
	setup_dom(v, unit, &a);
	setup_dom(v, unit, &b);
	/* PRI rides on ATS; a grant the unit does not offer is refused: none then */
	if (!(grants & XIOMMU_VDEV_ATS))
		grants &= ~(uint32_t)XIOMMU_VDEV_PRI;
	if ((ops_of[v]->stream_attach(unit, a.d, SID_A1, grants) &&
	     ops_of[v]->stream_attach(unit, a.d, SID_A1, 0)) ||
	    ops_of[v]->stream_attach(unit, a.d, SID_A2, 0) ||
	    ops_of[v]->stream_attach(unit, b.d, SID_B, 0))
		fail("setup: attach");
	config_words(v, unit, &a, a.words);
	config_words(v, unit, &b, b.words);
	if (install(v, unit, &a, SID_A1) || install(v, unit, &b, SID_B))
		fail("setup: the reference entries were refused");
	if (xlate(v, unit, SID_B, -1, 0x1000, 0, &ref) !=
		    XIOMMU_DMA_OK || ref != b.ram + 0x1000)
		fail("setup: reference DMA of B: 0x%llx", (unsigned long long)ref);

	n = 1 + u8(&in) % MAX_OPS;
	for (i = 0; i < n; i++)
		build_op(v, &in, &prog[i], &a, &b);
	used = ar.next;
	memcpy(before_mem, ar.mem, used);
	ops_of[v]->stats(unit, &st0);
	ret = ops_of[v]->exec(unit, a.d, prog, n, &bad);
	if (getenv("XF_DEBUG"))
		fprintf(stderr, "%s: %u ops: %d (op %u)\n", v == SMMU ? "smmuv3" : "vtd", n, ret, bad);
	/*
	 * The check's errnos: -EPERM (ownership), -EINVAL (malformed, illegal),
	 * -EOPNOTSUPP (a grant the stream lacks), -EFAULT (a guest write to a
	 * GPA stage 2 does not map writable), -EEXIST / -ENOENT / -ENOSPC
	 * (doorbell already bound, not bound, no slot left), -E2BIG (more entries
	 * than one program may shadow), -ENOMEM.
	 */
	if (ret > 0 || (ret && ret != -EPERM && ret != -EINVAL && ret != -EOPNOTSUPP &&
			ret != -EFAULT && ret != -EEXIST && ret != -ENOENT && ret != -ENOSPC &&
			ret != -ENOMEM && ret != -E2BIG))
		fail("exec returned %d (%s), not 0 or an errno of the check", ret,
		     strerror(ret < 0 ? -ret : ret));
	if (ret) {
		if (bad >= n)
			fail("exec refused the program (%d) naming op %u of %u", ret, bad, n);
		ops_of[v]->stats(unit, &st1);
		st0.queue_errors = st1.queue_errors = 0;
		if (memcmp(&st0, &st1, sizeof(st0)))
			fail("exec refused op %u (%d) but changed the unit's counters", bad, ret);
		for (i = 0; memcmp(before_mem, ar.mem, used) && i < used; i++)
			if (before_mem[i] != ar.mem[i])
				fail("exec refused op %u (%d) but changed host memory at PA 0x%llx: 0x%016llx, before 0x%016llx",
				     bad, ret, (unsigned long long)(ARENA_PA + (i & ~7ull)),
				     (unsigned long long)*(uint64_t *)(ar.mem + (i & ~7ull)),
				     (unsigned long long)*(uint64_t *)(before_mem + (i & ~7ull)));
	} else {
		check_owned(v, unit, &a, SID_A1);
		check_owned(v, unit, &a, SID_A2);
		check_dmas(v, unit, &a, &in);
	}
	check_owned(v, unit, &b, SID_B);
	if (xlate(v, unit, SID_B, -1, 0x1000, 0, &pa) != XIOMMU_DMA_OK || pa != ref)
		fail("after exec (%d): B's reference DMA gives 0x%llx, before 0x%llx", ret,
		     (unsigned long long)pa, (unsigned long long)ref);
	ops_of[v]->destroy(unit);
	return 0;
}
