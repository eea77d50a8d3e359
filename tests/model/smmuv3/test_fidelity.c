// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model against rules of the architecture that a model written
 * from memory gets wrong. Each test names where its rule is written:
 * Arm IHI0070 (SMMUv3), Arm DDI0487 (Arm ARM, VMSAv8-64), and the code
 * that implements the same rule in Linux or QEMU (../shared/FORMATS.md).
 */
#include <string.h>
#include "rig.h"

#define RD XIOMMU_DMA_READ
#define TR XIOMMU_DMA_TRANSLATE
#define VA	0x10000ull
#define DATA0	(RIG_GPA + 0x10000)
#define DATA1	(RIG_GPA + 0x20000)

static uint64_t gpa2pa(struct rig *r, uint64_t gpa)
{
	return r->gram_pa + (gpa - RIG_GPA);
}

/* Store @ste for @sid straight into the stream table and CFGI_STE it (no program check). */
static void poke_ste(struct rig *r, uint32_t sid, const uint64_t *ste)
{
	uint64_t pa;

	assert_int_equal(smmu_ste_locate(r->u, sid, &pa), 0);
	memcpy(xm_test_mem_ptr(&r->mem, pa), ste, 64);
	assert_int_equal(rig_cmd(r, SMMUV3_OP_CFGI_STE | ((uint64_t)sid << 32), 0), 0);
}

/* A nested STE on RIG_SID over a one-CD table: the CD is @f with root @root. */
static uint64_t nested_cd(struct rig *r, struct smmuv3_cd_fields *f, uint64_t root,
			  uint64_t *cd)
{
	uint64_t ste[8], ctx = galloc(r, 4096);

	f->ttb0 = root;
	smmuv3_cd_encode(f, cd);
	assert_int_equal(smmuv3_cd_write(&r->gm, ctx, 0, cd), 0);
	rig_ste_nested(r, ste, ctx, 0, 0, 0);
	assert_int_equal(rig_ste(r, RIG_SID, ste), 0);
	return ctx;
}

static uint32_t ev_id(struct rig *r, uint64_t *w)
{
	assert_int_equal(rig_event(r, w), 0);
	return (uint32_t)(w[0] & 0xff);
}

/*
 * A CD with EPD1 = 1 (walks through TTB1 disabled) leaves T1SZ unused: the
 * project's CD encoder writes T1SZ = 0. An IOVA with bit 55 set selects
 * TTB1 and must fault (Translation fault, walk disabled) before anything
 * looks at T1SZ: Arm ARM AArch64.S1Walk checks EPDn first, as QEMU's
 * get_phys_addr_lpae() does ("Translation table walk disabled"). Computing
 * the input size 64 - T1SZ first shifts by 64: the UBSan build stops there.
 */
static void test_epd1_t1sz0(void **state)
{
	static const uint64_t vas[] = { 1ull << 55, ~0xfffull, 0xff80000000001000ull };
	uint64_t w[4];
	struct rig r;
	unsigned int i;

	(void)state;
	rig_up(&r, NULL);
	rig_nested(&r, 3, NULL);
	for (i = 0; i < 3; i++) {
		assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, vas[i], NULL), XIOMMU_DMA_FAULT);
		assert_int_equal(rig_event(&r, w), 0);
		assert_int_equal(w[0], SMMUV3_EVT_F_TRANSLATION | ((uint64_t)RIG_SID << 32));
		assert_int_equal(w[2], vas[i]);
	}
	rig_down(&r);
}

/*
 * With a 4K or 16K granule and DS = 0 the output address of a descriptor
 * is bits [47:granule]: bits 49:48 hold OA[49:48] only with FEAT_LPA2 and
 * DS = 1 (Arm ARM D8.3, VMSAv8-64 descriptor formats; QEMU
 * target/arm/ptw.c get_phys_addr_lpae() masks the address with bits
 * [47:0] unless DS). They are not output address, so setting them changes
 * nothing: no Address size fault, the same output.
 */
static void test_desc_bits_49_48(void **state)
{
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], root, pa, *leaf, l0;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	root = galloc(&r, 4096);
	nested_cd(&r, &f, root, cd);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	/* leaf: L0 -> L1 -> L2 -> L3 entry of VA */
	l0 = *(uint64_t *)gptr(&r, root);
	leaf = gptr(&r, smmuv3_pte_addr(l0, 12));
	leaf = gptr(&r, smmuv3_pte_addr(*leaf, 12));
	leaf = (uint64_t *)gptr(&r, smmuv3_pte_addr(*leaf, 12)) + (VA >> 12);
	*leaf |= XI_BIT(48) | XI_BIT(49);
	/* and the L0 table descriptor */
	*(uint64_t *)gptr(&r, root) |= XI_BIT(49);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA + 8, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 8);
	rig_down(&r);
}

/*
 * A CD whose TTB0 lies above its effective IPS is a legal CD: the walk
 * through TTB0 takes a stage-1 Address size fault (Arm ARM AArch64.S1Walk:
 * a translation table base outside the output size is an Address size
 * fault at the start level; QEMU get_phys_addr_lpae() "if the base address
 * is out of range, raise AddressSizeFault"), not C_BAD_CD.
 */
static void test_ttb0_beyond_ips(void **state)
{
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12, .ips_bits = 32 };
	uint64_t cd[8], w[4];
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	nested_cd(&r, &f, 1ull << 40, cd);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(ev_id(&r, w), SMMUV3_EVT_F_ADDR_SIZE);
	assert_int_equal(w[1] & SMMUV3_WPUT(1, SMMUV3_EVT_S2), 0);
	assert_int_equal(w[2], VA);
	rig_down(&r);
}

/*
 * S1Fmt and S1DSS describe substreams; with S1CDMax = 0 there are none and
 * both are IGNORED (IHI0070 5.2, STE.S1Fmt and STE.S1DSS): S1ContextPtr
 * points at the one CD and SSID-less traffic uses it. Their reserved
 * encodings (0b11) make no STE ILLEGAL then.
 */
static void test_s1dss_s1fmt_ignored_without_substreams(void **state)
{
	struct smmuv3_cd_fields f = { .asid = 1, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], ste[8], ctx, root, pa;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	root = galloc(&r, 4096);
	ctx = nested_cd(&r, &f, root, cd);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	rig_ste_nested(&r, ste, ctx, 3, 0, 3);	/* S1Fmt 0b11, S1CDMax 0, S1DSS 0b11 */
	poke_ste(&r, RIG_SID, ste);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0));
	rig_ste_nested(&r, ste, ctx, 2, 0, SMMUV3_S1DSS_TERMINATE);	/* 2-level, terminate */
	poke_ste(&r, RIG_SID, ste);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0));
	rig_no_event(&r);
	rig_down(&r);
}

/*
 * S2T0SZ above 39 (a stage-2 input of fewer than 25 bits) needs small
 * translation tables, IDR3.STT, which this unit does not have (IDR3.STT =
 * 0): the STE is ILLEGAL. QEMU hw/arm/smmuv3.c s2t0sz_valid(): "Max valid
 * value is 39 when SMMU_IDR3.STT == 0"; Arm ARM: TxSZ above 39 needs
 * FEAT_TTST. S2SL0 = 0 (start at level 2, 4K) would otherwise resolve 22..34
 * input bits (QEMU check_s2_mmu_setup()).
 */
static void test_s2t0sz_needs_stt(void **state)
{
	uint64_t ste[8], w[4];
	struct rig r;
	uint32_t idr[8];

	(void)state;
	rig_up(&r, NULL);
	xh_smmuv3_ops.regs(r.h, idr, sizeof(idr));
	assert_int_equal(SMMUV3_RGET(idr[3], SMMUV3_IDR3_STT), 0);
	rig_ste_s2(&r, ste);
	ste[2] = xi_set(ste[2], 39, 38, 0);	/* start at level 2 */
	ste[2] = xi_set(ste[2], 37, 32, 40);
	poke_ste(&r, RIG_SID, ste);
	assert_int_equal(rig_dma(&r, RD, 0, RIG_SID, 0, 0x1000, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(ev_id(&r, w), SMMUV3_EVT_C_BAD_STE);
	/* 39 is legal: the walk runs (and faults on the domain's L0 table read as L2) */
	ste[2] = xi_set(ste[2], 37, 32, 39);
	poke_ste(&r, RIG_SID, ste);
	rig_dma(&r, RD, 0, RIG_SID, 0, 0x1000, NULL);
	while (!rig_event(&r, w))
		assert_int_not_equal(w[0] & 0xff, SMMUV3_EVT_C_BAD_STE);
	rig_down(&r);
}

/*
 * Stage 2 permits an instruction fetch on XN alone: S2AP grants data
 * reads and writes, and a location stage 2 makes write-only is still
 * executable when XN = 0 (Arm ARM D8.4, stage 2 execute permissions; QEMU
 * target/arm/ptw.c get_S2prot() adds PAGE_EXEC for AArch64 stage 2
 * whatever S2AP says, and an instruction fetch checks PAGE_EXEC only).
 */
static void test_s2_exec_checks_xn_only(void **state)
{
	uint64_t ste[8], pa, w[4];
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	rig_ste_s2(&r, ste);
	assert_int_equal(rig_ste(&r, RIG_SID, ste), 0);
	/* write-only, XN = 0 */
	assert_int_equal(xh_smmuv3_ops.s2_map(r.h, r.d, 0x80000000ull, r.gram_pa, 4096,
					      XIOMMU_MAP_WRITE), 0);
	assert_int_equal(rig_dma(&r, TR, XIOMMU_DMA_F_EXEC, RIG_SID, 0, 0x80000010ull, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, r.gram_pa + 0x10);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x80000010ull, NULL), XIOMMU_DMA_FAULT);
	assert_int_equal(ev_id(&r, w), SMMUV3_EVT_F_PERMISSION);
	/* read-write, XN = 1 (the MSI doorbell page): data yes, instruction fetch no */
	assert_int_equal(xh_smmu_map_msi(r.h, r.d, 0x80001000ull), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x80001010ull, NULL), XIOMMU_DMA_OK);
	assert_int_equal(rig_dma(&r, TR, XIOMMU_DMA_F_EXEC, RIG_SID, 0, 0x80001010ull, NULL),
			 XIOMMU_DMA_FAULT);
	assert_int_equal(ev_id(&r, w), SMMUV3_EVT_F_PERMISSION);
	assert_int_equal(w[1] & SMMUV3_WPUT(1, SMMUV3_EVT_S2), SMMUV3_WPUT(1, SMMUV3_EVT_S2));
	rig_down(&r);
}

/* Host-physical memory as "guest" memory for a stage-1-only STE. */
static int pa_read(void *arg, uint64_t pa, void *buf, uint32_t len)
{
	memcpy(buf, xm_test_mem_ptr(&((struct rig *)arg)->mem, pa), len);
	return 0;
}

static int pa_write(void *arg, uint64_t pa, const void *buf, uint32_t len)
{
	memcpy(xm_test_mem_ptr(&((struct rig *)arg)->mem, pa), buf, len);
	return 0;
}

static uint64_t pa_alloc(void *arg, uint64_t size)
{
	return xm_test_mem_alloc(&((struct rig *)arg)->mem, size, size);
}

/*
 * A stage-1-only STE (Config 0b101) still names a VMID: with IDR0.S2P = 1
 * its TLB entries are tagged with STE.S2VMID, and TLBI_NH_* for that VMID
 * reach them (IHI0070 5.2 STE.S2VMID; QEMU hw/arm/smmuv3.c decode_ste():
 * "VMID is considered even if s2 is disabled").
 */
static void test_s1_only_ste_vmid(void **state)
{
	struct smmuv3_guest_mem pm = { .read = pa_read, .write = pa_write, .alloc = pa_alloc };
	struct smmuv3_cd_fields f = { .asid = 4, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], ste[8], ctx, root, pa, d0, d1;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	pm.arg = &r;
	ctx = pa_alloc(&r, 4096);
	root = pa_alloc(&r, 4096);
	d0 = pa_alloc(&r, 4096);
	d1 = pa_alloc(&r, 4096);
	f.ttb0 = root;
	smmuv3_cd_encode(&f, cd);
	assert_int_equal(smmuv3_cd_write(&pm, ctx, 0, cd), 0);
	assert_int_equal(smmuv3_s1_map(&pm, root, 12, 16, VA, d0, 3, SMMUV3_S1_USER), 0);
	memset(ste, 0, sizeof(ste));
	ste[0] = SMMUV3_WPUT(1, SMMUV3_STE_V) | SMMUV3_WPUT(SMMUV3_CFG_S1, SMMUV3_STE_CONFIG) | ctx;
	ste[2] = SMMUV3_WPUT(r.desc.tag, SMMUV3_STE_S2VMID);
	poke_ste(&r, RIG_SID, ste);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, d0);
	assert_int_equal(smmuv3_s1_unmap(&pm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&pm, root, 12, 16, VA, d1, 3, SMMUV3_S1_USER), 0);
	/* the TLB holds the old page until a TLBI for the STE's VMID and the CD's ASID */
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, d0);
	assert_int_equal(rig_cmd(&r, SMMUV3_OP_TLBI_NH_VA | SMMUV3_WPUT(r.desc.tag, SMMUV3_CMD_VMID) |
				 SMMUV3_WPUT(4, SMMUV3_CMD_ASID), VA), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, d1);
	rig_down(&r);
}

static void tlbi_va(struct rig *r, uint16_t asid, uint64_t addr)
{
	assert_int_equal(rig_cmd(r, SMMUV3_OP_TLBI_NH_VA | SMMUV3_WPUT(r->desc.tag, SMMUV3_CMD_VMID) |
				 SMMUV3_WPUT(asid, SMMUV3_CMD_ASID), addr & XI_GENMASK(63, 12)), 0);
}

/*
 * With CD.TBI0 = 1 the top byte of an IOVA is ignored: Arm TLBs hold the
 * untagged address, so differently tagged accesses share one entry and a
 * TLBI naming the untagged address removes it (Linux passes the untagged
 * IOVA to TLBI_NH_VA; FORMATS.md A.6 "TBI"). A TLBI address's own top byte
 * is not compared either: the PE's TLBI by VA carries VA[55:12] only (Arm
 * ARM, TLBI VAE1 field descriptions).
 */
static void test_tbi_tlb_untagged(void **state)
{
	struct smmuv3_cd_fields f = { .asid = 6, .t0sz = 16, .gshift = 12, .ips_bits = 48 };
	uint64_t cd[8], root, ctx, pa;
	struct xm_stats a, b;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	root = galloc(&r, 4096);
	ctx = nested_cd(&r, &f, root, cd);
	*(uint64_t *)gptr(&r, ctx) |= SMMUV3_WPUT(1, SMMUV3_CD_TBI0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x5a00000000000000ull | VA, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0));
	/* another tag: the same TLB entry, no walk */
	xh_smmuv3_ops.stats(r.h, &a);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x3300000000000008ull | VA, &pa),
			 XIOMMU_DMA_OK);
	xh_smmuv3_ops.stats(r.h, &b);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 8);
	assert_int_equal(b.table_reads, a.table_reads);
	assert_int_equal(b.tlb_hits, a.tlb_hits + 1);
	/* a TLBI of the untagged address reaches it */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x5a00000000000000ull | VA, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0));		/* stale until the TLBI */
	tlbi_va(&r, 6, VA);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, 0x5a00000000000000ull | VA, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA1));
	/* and one of a tagged address too */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 12, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 12, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	tlbi_va(&r, 6, 0x7700000000000000ull | VA);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0));
	rig_down(&r);
}

/*
 * A range TLBI names the translation granule of the entries it is meant
 * for (TG). An entry made with another granule need not be invalidated:
 * the Arm ARM's TLBI RVA* TG field ("if the translations used a different
 * translation granule size than the one being specified, then the
 * architecture does not require that the instruction invalidates any
 * entries"), which SMMUv3 range invalidation follows (IHI0070 4.4.1.1).
 * The model keeps such entries, so a sender that picks the wrong TG sees
 * stale translations. TG = 0 (no range) depends on no granule.
 */
static void test_range_tlbi_tg(void **state)
{
	struct smmuv3_cd_fields f = { .asid = 2, .t0sz = 16, .gshift = 16, .ips_bits = 48 };
	const uint64_t c0 = SMMUV3_OP_TLBI_NH_VA | SMMUV3_WPUT(2, SMMUV3_CMD_ASID);
	uint64_t cd[8], root, pa, vmid;
	struct rig r;

	(void)state;
	rig_up(&r, NULL);
	vmid = SMMUV3_WPUT(r.desc.tag, SMMUV3_CMD_VMID);
	root = galloc(&r, 65536);
	nested_cd(&r, &f, root, cd);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 16, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA + 0x18, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 0x18);
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 16, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 16, 16, VA, DATA1, 3, SMMUV3_S1_USER), 0);
	/* TG = 4K, 16 pages over the whole 64K page: not this entry's granule */
	assert_int_equal(rig_cmd(&r, c0 | vmid | SMMUV3_WPUT(15, SMMUV3_CMD_NUM),
				 VA | SMMUV3_WPUT(1, SMMUV3_CMD_TG)), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA + 0x18, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 0x18);
	/* TG = 64K, one page (TTL 3: NUM = SCALE = TTL = 0 is reserved) */
	assert_int_equal(rig_cmd(&r, c0 | vmid, VA | SMMUV3_WPUT(3, SMMUV3_CMD_TG) |
				 SMMUV3_WPUT(3, SMMUV3_CMD_TTL)), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA + 0x18, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA1) + 0x18);
	/* TG = 0 at any address inside the entry */
	assert_int_equal(smmuv3_s1_unmap(&r.gm, root, 16, 16, VA), 0);
	assert_int_equal(smmuv3_s1_map(&r.gm, root, 16, 16, VA, DATA0, 3, SMMUV3_S1_USER), 0);
	assert_int_equal(rig_cmd(&r, c0 | vmid, VA + 0x3000), 0);
	assert_int_equal(rig_dma(&r, TR, 0, RIG_SID, 0, VA + 0x18, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, gpa2pa(&r, DATA0) + 0x18);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epd1_t1sz0),
		cmocka_unit_test(test_desc_bits_49_48),
		cmocka_unit_test(test_ttb0_beyond_ips),
		cmocka_unit_test(test_s1dss_s1fmt_ignored_without_substreams),
		cmocka_unit_test(test_s2t0sz_needs_stt),
		cmocka_unit_test(test_s2_exec_checks_xn_only),
		cmocka_unit_test(test_s1_only_ste_vmid),
		cmocka_unit_test(test_tbi_tlb_untagged),
		cmocka_unit_test(test_range_tlbi_tg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
