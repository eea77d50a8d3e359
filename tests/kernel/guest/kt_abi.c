// SPDX-License-Identifier: MIT
/*
 * The ioctl ABI's rejections (include/xiommu/uapi.h): short size, unknown
 * flags, non-zero reserved fields, non-zero bytes past the kernel's
 * struct, unknown ioctls, ids of the wrong kind; a longer zero-extended
 * struct is accepted and results are copied back over exactly the
 * caller's size. A rejected call changes nothing.
 */
#include "kt.h"
#include <xiommu/arch/vtd.h>

int main(void)
{
	int fd = kt_open();
	uint32_t unit, dom, mem;
	uint64_t hpa;
	struct xiommu_domain_desc desc;
	void *buf = kt_pages(1 << 20);

	/* unknown ioctl number / a foreign type */
	KT_EQ(kt_ioc(fd, _IO(XIOMMU_TYPE, XIOMMU_CMD_BASE + 0x70), &(struct xiommu_ioc_null){ 8, 0 }), -ENOTTY);
	KT_EQ(kt_ioc(fd, _IO('z', XIOMMU_CMD_NULL), &(struct xiommu_ioc_null){ 8, 0 }), -ENOTTY);
	/* null call: ok, flags refused, short size refused */
	KT_EQ(kt_ioc(fd, XIOMMU_NULL, &(struct xiommu_ioc_null){ 8, 0 }), 0);
	KT_EQ(kt_ioc(fd, XIOMMU_NULL, &(struct xiommu_ioc_null){ 8, 1 }), -EINVAL);
	KT_EQ(kt_ioc(fd, XIOMMU_NULL, &(struct xiommu_ioc_null){ 7, 0 }), -EINVAL);
	KT_EQ(kt_ioc(fd, XIOMMU_NULL, NULL), -EFAULT);
	{
		/* longer struct: zero tail accepted, non-zero tail -E2BIG */
		struct { struct xiommu_ioc_null n; uint32_t more[2]; } big = { { 16, 0 }, { 0, 0 } };

		KT_EQ(kt_ioc(fd, XIOMMU_NULL, &big), 0);
		big.more[1] = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_NULL, &big), -E2BIG);
	}

	/* unit_create rejections */
	{
		struct xiommu_smmuv3_params p = SMMUV3_PARAMS_DEFAULT;
		struct xiommu_ioc_unit_create c = {
			.size = sizeof(c), .vendor = "smmuv3", .params_len = sizeof(p),
			.params_uptr = (uintptr_t)&p,
		};
		char err[128] = "";

		c.flags = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EINVAL);
		c.flags = 0;
		c.__reserved = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EINVAL);
		c.__reserved = 0;
		memset(c.vendor, 'a', sizeof(c.vendor));
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EINVAL);
		strcpy(c.vendor, "nosuch");
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -ENOENT);
		strcpy(c.vendor, "smmuv3");
		c.params_len = sizeof(p) - 4;
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EPROTO);
		c.params_len = sizeof(p);
		c.params_uptr = 8;
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EFAULT);
		c.params_uptr = (uintptr_t)&p;
		c.size = offsetof(struct xiommu_ioc_unit_create, out_unit_id);
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EINVAL);
		c.size = sizeof(c);
		/* the model refuses its parameters and says why */
		p.sid_bits = 40;
		c.err_uptr = (uintptr_t)err;
		c.err_len = sizeof(err);
		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), -EINVAL);
		KT_CHECK(strstr(err, "sid_bits") != NULL);
		printf("model's reason: %s\n", err);
	}
	KT_EQ(kt_unit(fd, &unit), 0);
	KT_EQ(kt_domain(fd, unit, &dom, &desc), 0);
	KT_CHECK(desc.s2_root != 0 && desc.granule_shift == 12);

	/* a failed call copies nothing back */
	{
		struct xiommu_ioc_domain_alloc a = { .size = sizeof(a), .unit_id = 999,
						     .out_domain_id = 0xdeadbeef };

		KT_EQ(kt_ioc(fd, XIOMMU_DOMAIN_ALLOC, &a), -ENOENT);
		KT_EQ(a.out_domain_id, 0xdeadbeef);
		KT_EQ(a.size, sizeof(a));
	}
	/* a longer caller struct: results fill the kernel's part, the tail stays */
	{
		struct { struct xiommu_ioc_domain_alloc a; uint64_t tail; } big;
		uint32_t d2;

		memset(&big, 0, sizeof(big));
		big.a.size = sizeof(big);
		big.a.unit_id = unit;
		KT_EQ(kt_ioc(fd, XIOMMU_DOMAIN_ALLOC, &big), 0);
		KT_CHECK(big.a.out_domain_id != 0 && big.a.out_desc.s2_root != 0);
		KT_EQ(big.tail, 0);
		d2 = big.a.out_domain_id;
		KT_EQ(kt_destroy(fd, d2), 0);
	}
	/* at most XIOMMU_UNITS_MAX units per file */
	{
		uint32_t ids[XIOMMU_UNITS_MAX], i, extra;

		for (i = 1; i < XIOMMU_UNITS_MAX; i++)
			KT_EQ(kt_unit(fd, &ids[i]), 0);
		KT_EQ(kt_unit(fd, &extra), -ENOSPC);
		for (i = 1; i < XIOMMU_UNITS_MAX; i++)
			KT_EQ(kt_destroy(fd, ids[i]), 0);
	}

	/* ids of the wrong kind / unknown ids */
	KT_EQ(kt_domain(fd, dom, &(uint32_t){ 0 }, NULL), -ENOENT);
	KT_EQ(kt_domain(fd, 999, &(uint32_t){ 0 }, NULL), -ENOENT);
	KT_EQ(kt_map(fd, unit, 0x100000, 0x100000000ull, 4096), -ENOENT);
	KT_EQ(kt_destroy(fd, 12345), -ENOENT);
	{
		struct xiommu_ioc_destroy d = { .size = sizeof(d), .id = dom, .__reserved = 1 };

		KT_EQ(kt_ioc(fd, XIOMMU_DESTROY, &d), -EINVAL);
		d.__reserved = 0;
		d.flags = 2;
		KT_EQ(kt_ioc(fd, XIOMMU_DESTROY, &d), -EINVAL);
	}

	/* memory */
	KT_EQ(kt_mem(fd, (char *)buf + 1, 4096, &mem, &hpa), -EINVAL);
	KT_EQ(kt_mem(fd, buf, 4095, &mem, &hpa), -EINVAL);
	KT_EQ(kt_mem(fd, buf, 0, &mem, &hpa), -EINVAL);
	KT_EQ(kt_mem(fd, buf, (1ull << 30) + 4096, &mem, &hpa), -EINVAL);
	KT_EQ(kt_mem(fd, (void *)0x1000, 4096, &mem, &hpa), -EFAULT);
	KT_EQ(kt_param("pinned_pages"), 0);
	KT_EQ(kt_mem(fd, buf, 1 << 20, &mem, &hpa), 0);
	KT_EQ(kt_param("pinned_pages"), 256);

	/* map rejections */
	{
		struct xiommu_ioc_s2_map m = { .size = sizeof(m), .domain_id = dom, .prot = 4,
					       .gpa = 0x100000, .hpa = hpa, .length = 4096 };

		KT_EQ(kt_ioc(fd, XIOMMU_S2_MAP, &m), -EINVAL);
		m.prot = 0;
		KT_EQ(kt_ioc(fd, XIOMMU_S2_MAP, &m), -EINVAL);
		m.prot = XIOMMU_MAP_READ;
		m.gpa = 0x100800;
		KT_EQ(kt_ioc(fd, XIOMMU_S2_MAP, &m), -EINVAL);
		m.gpa = 0x100000;
		m.flags = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_S2_MAP, &m), -EINVAL);
	}
	KT_EQ(kt_map(fd, dom, 0x100000, hpa + (1 << 20) - 4096, 8192), -EPERM);
	KT_EQ(kt_map(fd, dom, 0x100000, desc.s2_root, 4096), -EPERM);	/* a model table */
	KT_EQ(kt_map(fd, dom, 0x100000, hpa, 1 << 20), 0);
	KT_EQ(kt_map(fd, dom, 0x180000, hpa, 4096), -EEXIST);
	KT_EQ(kt_destroy(fd, mem), -EBUSY);
	KT_EQ(kt_unmap(fd, dom, 0x100000, 4096), -EINVAL);	/* cuts the mapping */
	KT_EQ(kt_unmap(fd, dom, 0x300000, 4096), -ENOENT);
	{
		struct xiommu_ioc_s2_unmap u = { .size = sizeof(u), .domain_id = dom,
						 .__reserved = 1, .gpa = 0x100000, .length = 1 << 20 };

		KT_EQ(kt_ioc(fd, XIOMMU_S2_UNMAP, &u), -EINVAL);
		u.__reserved = 0;
		u.length = 0;
		KT_EQ(kt_ioc(fd, XIOMMU_S2_UNMAP, &u), -EINVAL);
	}

	/* streams */
	{
		struct xiommu_ioc_stream s = { .size = sizeof(s), .domain_id = dom, .sid = 1, .grants = 8 };

		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s), -EINVAL);
		s.grants = 0;
		s.__reserved = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s), -EINVAL);
		s.__reserved = 0;
		s.sid = 1000;	/* not granted (sids=0-63) */
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s), -EPERM);
		s.sid = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_DETACH, &s), -ENOENT);
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s), 0);
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_ATTACH, &s), -EBUSY);
		s.grants = XIOMMU_VDEV_ATS;
		KT_EQ(kt_ioc(fd, XIOMMU_STREAM_DETACH, &s), -EINVAL);
	}

	/* exec rejections: count, flags, a stream the domain does not hold */
	{
		struct xiommu_op op = { .code = XIOMMU_OP_SYNC, .index = XIOMMU_OP_INDEX_NONE };
		struct xiommu_ioc_exec e = { .size = sizeof(e), .domain_id = dom, .nops = 0,
					     .ops_uptr = (uintptr_t)&op };
		uint32_t bad = 99;

		KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), -EINVAL);
		e.nops = XIOMMU_EXEC_MAX_OPS + 1;
		KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), -EINVAL);
		e.nops = 1;
		e.flags = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), -EINVAL);
		e.flags = 0;
		e.ops_uptr = 16;
		KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), -EFAULT);
		e.ops_uptr = (uintptr_t)&op;
		KT_EQ(kt_ioc(fd, XIOMMU_EXEC, &e), 0);
		/* STE of stream 2, attached nowhere: refused at index 0 */
		KT_EQ(kt_ste_s2(fd, dom, &desc, 2, &bad), -EPERM);
		KT_EQ(bad, 0);
		/* a VMID other than the domain's: refused */
		{
			struct xiommu_domain_desc wrong = desc;

			wrong.tag ^= 1;
			bad = 99;
			KT_EQ(kt_ste_s2(fd, dom, &wrong, 1, &bad), -EPERM);
			KT_EQ(bad, 0);
		}
		KT_EQ(kt_ste_s2(fd, dom, &desc, 1, &bad), 0);
	}

	/* DMA rejections, then one that reaches the pinned buffer */
	{
		struct xiommu_ioc_dma_port d = { .size = sizeof(d), .unit_id = unit,
						 .op = 9 };
		uint32_t st;
		uint64_t pa;
		char data[16] = "hello, xiommu";

		KT_EQ(kt_ioc(fd, XIOMMU_DMA, &d), -EINVAL);
		d.op = XIOMMU_DMA_READ;	/* no length */
		KT_EQ(kt_ioc(fd, XIOMMU_DMA, &d), -EINVAL);
		d.op = XIOMMU_DMA_TRANSLATE;
		d.dma_flags = 1u << 7;
		KT_EQ(kt_ioc(fd, XIOMMU_DMA, &d), -EINVAL);
		d.dma_flags = 0;
		d.__reserved2 = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_DMA, &d), -EINVAL);
		KT_EQ(kt_dma(fd, unit, XIOMMU_DMA_WRITE, 1, 0x100000 + 0x2345, data, sizeof(data),
			     &st, &pa), 0);
		KT_EQ(st, XIOMMU_DMA_OK);
		KT_EQ(pa, hpa + 0x2345);
		KT_CHECK(!memcmp((char *)buf + 0x2345, "hello, xiommu", 14));
		memcpy((char *)buf + 0x5000, "from the vmm", 13);
		memset(data, 0, sizeof(data));
		KT_EQ(kt_dma(fd, unit, XIOMMU_DMA_READ, 1, 0x105000, data, 13, &st, NULL), 0);
		KT_CHECK(!strcmp(data, "from the vmm"));
		/* outside stage 2: the access does not complete */
		KT_EQ(kt_dma(fd, unit, XIOMMU_DMA_READ, 1, 0x400000, data, 4, &st, NULL), 0);
		KT_CHECK(st != XIOMMU_DMA_OK);
	}

	/* stats: exact copy-back over a short (first-version) size */
	{
		struct xiommu_ioc_unit_stats s;

		memset(&s, 0xa5, sizeof(s));
		s.size = offsetof(struct xiommu_ioc_unit_stats, queue_errors) + 8;
		s.flags = 0;
		s.unit_id = unit;
		s.__reserved = 0;
		KT_EQ(kt_ioc(fd, XIOMMU_STATS, &s), 0);
		KT_CHECK(s.programs >= 2 && s.commands >= 1);
	}
	{
		/* out_bad goes back on a refused program only over the caller's size */
		struct xiommu_ioc_tag t = { .size = sizeof(t), .domain_id = dom };

		KT_EQ(kt_ioc(fd, XIOMMU_TAG_ALLOC, &t), -EOPNOTSUPP);	/* SMMUv3: no extra tags */
		t.flags = 1;
		KT_EQ(kt_ioc(fd, XIOMMU_TAG_ALLOC, &t), -EINVAL);
	}
	{
		struct xiommu_ioc_msi_pop m = { .size = sizeof(m), .unit_id = unit, .count = 5000 };

		KT_EQ(kt_ioc(fd, XIOMMU_MSI_POP, &m), -EINVAL);
		m.count = 0;
		KT_EQ(kt_ioc(fd, XIOMMU_MSI_POP, &m), 0);
	}

	/* VT-d: extra DIDs of a domain, each distinct from the domain's own */
	{
		struct xiommu_vtd_params p = VTD_PARAMS_DEFAULT;
		struct xiommu_ioc_unit_create c = {
			.size = sizeof(c), .vendor = "vtd", .params_len = sizeof(p),
			.params_uptr = (uintptr_t)&p,
		};
		struct xiommu_domain_desc vd;
		struct xiommu_ioc_tag t1, t2;
		uint32_t vdom;

		KT_EQ(kt_ioc(fd, XIOMMU_UNIT_CREATE, &c), 0);
		KT_EQ(kt_domain(fd, c.out_unit_id, &vdom, &vd), 0);
		t1 = (struct xiommu_ioc_tag){ .size = sizeof(t1), .domain_id = vdom };
		t2 = t1;
		KT_EQ(kt_ioc(fd, XIOMMU_TAG_ALLOC, &t1), 0);
		KT_EQ(kt_ioc(fd, XIOMMU_TAG_ALLOC, &t2), 0);
		KT_CHECK(t1.tag != vd.tag && t2.tag != vd.tag && t1.tag != t2.tag);
		KT_EQ(kt_ioc(fd, XIOMMU_TAG_FREE, &t1), 0);
		KT_CHECK(kt_ioc(fd, XIOMMU_TAG_FREE, &t1) < 0);	/* no longer held */
		t1.domain_id = dom;	/* an SMMUv3 domain: no tags */
		KT_EQ(kt_ioc(fd, XIOMMU_TAG_FREE, &t1), -EOPNOTSUPP);
		/* the unit goes with its domain and the tag left */
		KT_EQ(kt_destroy(fd, c.out_unit_id), 0);
		KT_EQ(kt_destroy(fd, vdom), -ENOENT);
	}

	/* destroying the domain detaches, unmaps; then memory can go */
	KT_EQ(kt_destroy(fd, dom), 0);
	KT_EQ(kt_destroy(fd, dom), -ENOENT);
	KT_EQ(kt_destroy(fd, mem), 0);
	KT_EQ(kt_param("pinned_pages"), 0);
	KT_EQ(kt_destroy(fd, unit), 0);
	close(fd);
	KT_EQ(kt_param("live_allocs"), 0);
	return kt_finish("kt_abi");
}
