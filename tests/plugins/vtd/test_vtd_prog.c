// SPDX-License-Identifier: MIT
/*
 * vtd plugin: hardware info, bind / unbind programs (exact words) and the
 * checks on guest bind fields; every accepted program runs on the VT-d model
 * and DMA shows its effect. Invalidations: test_vtd_inv.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vtd_mock.h"

static void test_hw_info(void **state)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL & ~XIOMMU_HW_PRI,
					.pasid_bits = 10, .s1_ias = 48, .s1_oas = 255,
					.s2_ias = 255 }, out;
	uint64_t raw[2];
	uint32_t raw_len = 16;
	struct mock m;

	(void)state;
	mock_up(&m, &defaults);
	assert_int_equal(m.caps.features, XIOMMU_HW_NESTING | XIOMMU_HW_PASID | XIOMMU_HW_PRI |
			 XIOMMU_HW_ATS | XIOMMU_HW_RANGE_INV | XIOMMU_HW_BIND_PASID);
	assert_int_equal(m.caps.pasid_bits, 20);
	assert_int_equal(m.caps.sid_bits, 16);
	assert_int_equal(m.caps.s1_ias, 57);
	assert_int_equal(m.caps.s2_ias, 48);
	assert_int_equal(m.caps.s1_pgsizes, (1ull << 12) | (1ull << 21) | (1ull << 30));
	assert_int_equal(m.caps.raw_type, XIOMMU_RAW_VTD);
	assert_int_equal(m.ops_tab->hw_info(&m.env, &limit, &out, raw, &raw_len), 0);
	assert_int_equal(raw_len, 16);
	assert_false(out.features & XIOMMU_HW_PRI);
	assert_int_equal(out.pasid_bits, 10);
	assert_int_equal(out.s1_ias, 48);
	assert_int_equal(raw[0], m.regs[0] & ~XI_BIT(VTD_CAP_FL5LP));
	assert_int_equal(raw[1], xi_set(m.regs[1] & ~XI_BIT(VTD_ECAP_PRS), VTD_ECAP_PSS_H,
					VTD_ECAP_PSS_L, 9));
	assert_int_equal(m.ops_tab->cmd_len, 32);
	assert_int_equal(m.ops_tab->fault_len, 16);
	assert_null(m.ops_tab->msi_bind);
	mock_down(&m);
}

static void test_bind_program(void **state)
{
	struct xiommu_bind b = pasid_bind(5, 0x500000, 48, XIOMMU_VTD_S1_SRE);
	uint64_t d[4], pa, v = 0xabcdef;
	struct mock m;
	uint32_t did;

	(void)state;
	mock_up(&m, &defaults);
	/* the guest's DID has a host DID of its own, not the viommu's */
	did = mock_tag(&m, GUEST_DID);
	assert_int_not_equal(did, m.viommu.dom.tag);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), 0);
	assert_int_equal(m.prog.n, 6);
	/*
	 * first the domain-selective IOTLB invalidation of the DID (type 2,
	 * G 10b, DR and DW): another requester's entry with this (DID, PASID)
	 * may have cached global translations, which a PASID-selective
	 * P_IOTLB keeps
	 */
	vtd_qi_iotlb(d, VTD_QI_IOTLB_G_DOMAIN, did, 0, 0, 0);
	assert_memory_equal(m.ops[0].w, d, 32);
	assert_int_equal(m.ops[0].w[0], IOTLB_DOMAIN(did));
	assert_int_equal(m.ops[1].code, XIOMMU_OP_ENTRY_WRITE);
	assert_int_equal(m.ops[1].target, PRID);
	assert_int_equal(m.ops[1].index, 5);
	assert_int_equal(m.ops[1].mask, 0xfe);
	assert_int_equal(m.ops[2].mask, 0x01);
	assert_int_equal(m.ops[2].w[0], XI_BIT(VTD_PE_P) | XI_PUT(2, 4, 2) | XI_PUT(3, 8, 6) |
			 m.viommu.dom.s2_root);
	assert_int_equal(m.ops[2].w[1], did | XI_BIT(VTD_PE_PWSNP));	/* ECAP.SMPWC */
	assert_int_equal(m.ops[2].w[2], 0x500000 | XI_BIT(VTD_PE_SRE));
	vtd_qi_pc(d, VTD_QI_PC_G_PASID, did, 5);
	assert_memory_equal(m.ops[3].w, d, 32);
	assert_int_equal(m.ops[3].w[0], 0x0000000500000017ull | ((uint64_t)did << 16));
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, 5, 0, 0, 0);
	assert_memory_equal(m.ops[4].w, d, 32);
	assert_int_equal(m.ops[4].w[0], PIOTLB_PASID(did, 5));
	/* no device-TLB descriptor: the host adds it for a device granted ATS */
	assert_int_equal(m.ops[5].code, XIOMMU_OP_SYNC);
	assert_int_equal(run(&m), 0);
	m.binds[m.nbinds].pasid = 5;
	m.binds[m.nbinds].tagged = 1;
	m.binds[m.nbinds++].gtag = GUEST_DID;
	/* the guest's tables, through the helpers, then DMA */
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x7000, 0x100000, 12,
					  VTD_GUEST_FL_RW), 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_WRITE, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x100008);
	/* rebind (new root): torn down first, accepted by the model, new tables used */
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x501000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x501000, 4, 0x7000, 0x101000, 12,
					  VTD_GUEST_FL_RW), 0);
	do_bind(&m, 5, 0x501000, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, &pa),
			 XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x101008);
	/* unbind: DMA faults with PASID entry not present */
	assert_int_equal(m.ops_tab->unbind_pasid(&m.env, &m.vdev, 5, &m.prog), 0);
	assert_int_equal(m.ops[0].mask, 1);
	assert_int_equal(m.ops[0].w[0], 0);
	vtd_qi_piotlb(d, VTD_QI_PIOTLB_G_PASID, did, 5, 0, 0, 0);
	assert_memory_equal(m.ops[2].w, d, 32);	/* flushed under the binding's DID */
	assert_int_equal(run(&m), 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, XIOMMU_DMA_F_PASID, 5, 0x7008, &v, 8, &pa),
			 XIOMMU_DMA_FAULT);
	{
		struct xm_event ev;
		struct xiommu_fault f;
		uint32_t psid = 0;

		assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), 0);
		assert_int_equal(m.ops_tab->event_decode(&m.env, ev.kind, ev.w, ev.nwords, &psid,
							 &f), 0);
		assert_int_equal(psid, PRID);
		assert_int_equal(f.type, XIOMMU_FAULT_DMA);
		assert_int_equal(f.reason, XIOMMU_FR_DISABLED);
		assert_int_equal(f.vendor_code, VTD_FR_PE_P);
		assert_int_equal(f.flags, XIOMMU_FAULT_F_ADDR | XIOMMU_FAULT_F_PASID);
		assert_int_equal(f.pasid, 5);
		assert_int_equal(f.addr, 0x7008);
		assert_int_equal(f.perm, XIOMMU_PERM_READ);
	}
	mock_down(&m);
}

static void test_bind_rejects(void **state)
{
	struct xiommu_vtd_params p = defaults;
	struct xiommu_bind b;
	struct mock m;

	(void)state;
	p.fl5lp = 0;
	p.eafs = 0;
	mock_up(&m, &p);
	/* a guest DID the core has not mapped, one wider than 16 bits */
	b = pasid_bind(5, 0x500000, 48, 0);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EPROTO);
	assert_non_null(strstr(m.err, "guest DID 7"));
	b.s1.vtd.did = 0x10000;
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -ERANGE);
	assert_non_null(strstr(m.err, "s1.vtd.did 65536"));
	b.s1.vtd.did = GUEST_DID;
	b.s1.vtd.__reserved0 = 1;
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -ERANGE);
	mock_tag(&m, GUEST_DID);
	b = pasid_bind(5, 0x500000, 48, XIOMMU_VTD_S1_WPE);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EINVAL);
	assert_non_null(strstr(m.err, "WPE"));
	b = pasid_bind(5, 0x500000, 57, 0);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EOPNOTSUPP);
	b = pasid_bind(5, 0x500000, 48, XIOMMU_VTD_S1_EAFE);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EOPNOTSUPP);
	b = pasid_bind(5, 0x500000, 48, 1ull << 5);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EINVAL);
	b = pasid_bind(5, 0x500800, 48, 0);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EINVAL);
	b = pasid_bind(0, 0x500000, 48, 0);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EINVAL);
	b = pasid_bind(5, 0x500000, 48, 0);
	b.format = XIOMMU_S1_VTD_PASID_TABLE;
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EOPNOTSUPP);
	b = pasid_bind(5, 0x500000, 40, 0);
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EINVAL);
	assert_int_equal(m.prog.n, 0);
	/*
	 * BYPASS is a second-level-only entry: a unit without ECAP.SLTS (bit
	 * 46; QEMU's with x-flts=on) cannot translate it (fault 0x5B), so the
	 * bind is refused with a message naming the capability.
	 */
	m.regs[1] &= ~(1ull << 46);
	b = (struct xiommu_bind){ .argsz = sizeof(b), .vdev_id = 9,
				  .config = XIOMMU_CONFIG_BYPASS };
	assert_int_equal(m.ops_tab->bind(&m.env, &m.vdev, &b, &m.prog), -EOPNOTSUPP);
	assert_non_null(strstr(m.err, "ECAP.SLTS"));
	assert_int_equal(m.prog.n, 0);
	mock_down(&m);
}

static void set_config(struct mock *m, uint32_t config, uint64_t root)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .vdev_id = 9, .config = config };

	if (config == XIOMMU_CONFIG_TRANSLATE) {
		b.format = XIOMMU_S1_VTD_FIRST_LEVEL;
		b.table_gpa = root;
		b.s1.vtd.did = GUEST_DID;
		mock_tag(m, GUEST_DID);
	}
	assert_int_equal(m->ops_tab->bind(&m->env, &m->vdev, &b, &m->prog), 0);
	assert_int_equal(run(m), 0);
	m->vdev.config = config;
	m->vdev.tagged = config == XIOMMU_CONFIG_TRANSLATE;
	m->vdev.gtag = m->vdev.tagged ? GUEST_DID : 0;
}

static void test_whole_device(void **state)
{
	struct xm_event ev;
	struct mock m;
	uint64_t v = 1, pa;

	(void)state;
	mock_up(&m, &defaults);
	/* ABORT from ABORT: nothing to do; ABORT is silent (no fault record) */
	set_config(&m, XIOMMU_CONFIG_ABORT, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, 0, 0, 0x1000, &v, 8, NULL), XIOMMU_DMA_ABORT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), -ENOENT);
	set_config(&m, XIOMMU_CONFIG_BYPASS, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, 0, 0, 0x1000, &v, 8, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x1000);
	memset(xm_test_mem_ptr(&m.m, m.guest_pa + 0x500000), 0, 4096);
	assert_int_equal(vtd_guest_fl_map(&m.gm, 0x500000, 4, 0x40000000, 0x200000, 21,
					  VTD_GUEST_FL_RW), 0);
	set_config(&m, XIOMMU_CONFIG_TRANSLATE, 0x500000);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, 0, 0, 0x40001000, &v, 8, &pa), XIOMMU_DMA_OK);
	assert_int_equal(pa, m.guest_pa + 0x201000);
	/* back to ABORT: the entry is torn down to not present with FPD */
	set_config(&m, XIOMMU_CONFIG_ABORT, 0);
	assert_int_equal(mock_dma(&m, XIOMMU_DMA_READ, 0, 0, 0x40001000, &v, 8, NULL),
			 XIOMMU_DMA_ABORT);
	assert_int_equal(xh_vtd_ops.event_pop(m.h, &ev), -ENOENT);
	mock_down(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hw_info),
		cmocka_unit_test(test_bind_program),
		cmocka_unit_test(test_bind_rejects),
		cmocka_unit_test(test_whole_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
