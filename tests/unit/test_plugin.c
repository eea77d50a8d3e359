// SPDX-License-Identifier: MIT
/*
 * A plugin for the core's tests only (never installed): vendor "test". Its
 * programs are easy to predict so tests can check exactly what the core
 * asked the backend to run. Built three more times with defines to exercise
 * the loader: no entry symbol, a different ABI major, a NULL ops table.
 */
#include <stdio.h>
#include <xiommu/plugin.h>

struct test_params {
	uint32_t sid_bits;
	uint32_t pasid_bits;
	uint32_t granules;
	uint32_t mode;		/* 0 table, 1 pasid */
	uint32_t stall;
};

static const char *const granule_names[] = { "4k", "16k", "64k", NULL };
static const char *const mode_names[] = { "table", "pasid", NULL };

static const struct xiommu_param test_params_table[] = {
	{ "sid_bits", "stream id bits", XIOMMU_PARAM_UINT, offsetof(struct test_params, sid_bits),
	  1, 32, 8, NULL, NULL },
	{ "pasid_bits", "PASID bits", XIOMMU_PARAM_UINT, offsetof(struct test_params, pasid_bits),
	  0, 20, 20, NULL, NULL },
	{ "granules", "stage-1 granules", XIOMMU_PARAM_SET, offsetof(struct test_params, granules),
	  0, 7, 1, granule_names, NULL },
	{ "mode", "binding style", XIOMMU_PARAM_ENUM, offsetof(struct test_params, mode), 0, 0, 0,
	  mode_names, NULL },
	{ "stall", "stall support", XIOMMU_PARAM_BOOL, offsetof(struct test_params, stall), 0, 1, 1,
	  NULL, NULL },
	{ NULL },
};

static int test_check_params(const struct xiommu_plugin_env *env)
{
	const struct test_params *p = env->params;

	if (!p->granules) {
		env->error(env->core, "granules: at least one granule is needed");
		return -EINVAL;
	}
	return 0;
}

static uint8_t min8(uint8_t a, uint8_t b)
{
	return a < b ? a : b;
}

static int test_hw_info(const struct xiommu_plugin_env *env, const struct xiommu_hw_info *limit,
			struct xiommu_hw_info *out, void *raw, uint32_t *raw_len)
{
	const struct test_params *p = env->params;
	uint64_t f = XIOMMU_HW_NESTING | XIOMMU_HW_PASID | XIOMMU_HW_MSI_NESTING | XIOMMU_HW_PRI |
		     XIOMMU_HW_RANGE_INV | XIOMMU_HW_ATS |
		     (p->mode ? XIOMMU_HW_BIND_PASID : XIOMMU_HW_BIND_TABLE);

	if (p->stall)
		f |= XIOMMU_HW_STALL;
	memset(out, 0, sizeof(*out));
	out->features = f & limit->features;
	out->pasid_bits = min8((uint8_t)p->pasid_bits, limit->pasid_bits);
	out->sid_bits = (uint8_t)p->sid_bits;
	out->s1_ias = min8(48, limit->s1_ias);
	out->s1_oas = min8(48, limit->s1_oas);
	out->s2_ias = min8(48, limit->s2_ias);
	out->s2_oas = 48;
	out->tag_bits = 16;
	out->s1_granules = p->granules;
	out->s2_granules = XIOMMU_GRANULE_4K;
	out->s1_pgsizes = (1ull << 12) | (1ull << 21) | (1ull << 30);
	out->s2_pgsizes = (1ull << 12) | (1ull << 21);
	if (*raw_len >= 8)
		memcpy(raw, &out->features, 8);
	*raw_len = 8;
	return 0;
}

static int test_bind(const struct xiommu_plugin_env *env, const struct xiommu_plugin_vdev *vdev,
		     const struct xiommu_bind *b, struct xiommu_prog *prog)
{
	struct xiommu_op *op;
	uint32_t htag = 0;

	if (b->table_gpa & 0xfff) {
		env->error(env->core, "bind: table_gpa 0x%llx must be 4 KiB aligned",
			   (unsigned long long)b->table_gpa);
		return -EINVAL;
	}
	op = xiommu_prog_add(prog, XIOMMU_OP_ENTRY_WRITE);
	if (!op)
		return -ENOSPC;
	op->target = vdev->psid;
	if (b->flags & XIOMMU_BIND_PASID)
		op->index = b->pasid;
	op->mask = 0xf;
	op->w[0] = b->config;
	op->w[1] = b->table_gpa;
	op->w[2] = vdev->viommu->dom.tag;
	/* a guest tag (s1.raw[1]) shows up as the host tag the core mapped it to */
	if (b->s1.raw[1] && env->tag_lookup(env->core, vdev->viommu->id,
					    (uint32_t)b->s1.raw[1], &htag)) {
		env->error(env->core, "bind: guest tag %llu is not mapped",
			   (unsigned long long)b->s1.raw[1]);
		return -EPROTO;
	}
	op->w[3] = b->s1.raw[1] ? htag : 0;
	op = xiommu_prog_add(prog, XIOMMU_OP_CMD);
	if (!op)
		return -ENOSPC;
	op->count = 1;
	op->w[0] = 0x03;
	return xiommu_prog_add(prog, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

/* TRANSLATE binds with a non-zero s1.raw[1] carry that guest tag. */
static int test_bind_tag(const struct xiommu_plugin_env *env,
			 const struct xiommu_plugin_vdev *vdev, const struct xiommu_bind *b,
			 uint32_t *gtag)
{
	(void)env;
	(void)vdev;
	if (b->config != XIOMMU_CONFIG_TRANSLATE || !b->s1.raw[1])
		return 0;
	*gtag = (uint32_t)b->s1.raw[1];
	return 1;
}

static int test_unbind_pasid(const struct xiommu_plugin_env *env,
			     const struct xiommu_plugin_vdev *vdev, uint32_t pasid,
			     struct xiommu_prog *prog)
{
	struct xiommu_op *op = xiommu_prog_add(prog, XIOMMU_OP_ENTRY_WRITE);

	(void)env;
	if (!op)
		return -ENOSPC;
	op->target = vdev->psid;
	op->index = pasid;
	op->mask = 1;
	return xiommu_prog_add(prog, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

static int test_invalidate(const struct xiommu_plugin_env *env,
			   const struct xiommu_plugin_viommu *viommu,
			   const struct xiommu_inv_entry *e, uint32_t n, struct xiommu_prog *prog,
			   uint32_t *bad)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct xiommu_op *op;

		if (e[i].tag == 0xdead) {
			env->error(env->core, "invalidate: entry %u: tag 0xdead refused by the test plugin", i);
			*bad = i;
			return -EINVAL;
		}
		op = xiommu_prog_add(prog, XIOMMU_OP_CMD);
		if (!op)
			return -ENOSPC;
		op->count = 3;
		op->w[0] = (uint64_t)e[i].cache << 8 | e[i].scope;
		op->w[1] = e[i].addr;
		op->w[2] = viommu->dom.tag;
	}
	return xiommu_prog_add(prog, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

static int test_invalidate_raw(const struct xiommu_plugin_env *env,
			       const struct xiommu_plugin_viommu *viommu, const void *cmds,
			       uint32_t n, struct xiommu_prog *prog, uint32_t *bad)
{
	const uint64_t *c = cmds;
	uint32_t i;

	(void)viommu;
	for (i = 0; i < n; i++) {
		struct xiommu_op *op;

		if ((c[2 * i] & 0xff) == 0xff) {
			env->error(env->core, "raw command %u: opcode 0xff is not for guests", i);
			*bad = i;
			return -EPERM;
		}
		op = xiommu_prog_add(prog, XIOMMU_OP_CMD);
		if (!op)
			return -ENOSPC;
		op->count = 2;
		op->w[0] = c[2 * i];
		op->w[1] = c[2 * i + 1];
	}
	return xiommu_prog_add(prog, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

static int test_msi_bind(const struct xiommu_plugin_env *env,
			 const struct xiommu_plugin_viommu *viommu,
			 const struct xiommu_msi_bind *m, struct xiommu_prog *prog)
{
	struct xiommu_op *op = xiommu_prog_add(prog, (m->flags & XIOMMU_MSI_UNBIND) ?
							     XIOMMU_OP_MSI_UNMAP : XIOMMU_OP_MSI_MAP);

	(void)env;
	(void)viommu;
	if (!op)
		return -ENOSPC;
	op->w[0] = m->gdb;
	return 0;
}

static int test_page_response(const struct xiommu_plugin_env *env,
			      const struct xiommu_plugin_vdev *vdev,
			      const struct xiommu_page_response *r, struct xiommu_prog *prog)
{
	struct xiommu_op *op = xiommu_prog_add(prog, XIOMMU_OP_CMD);

	(void)env;
	if (!op)
		return -ENOSPC;
	op->target = vdev->psid;
	op->count = 2;
	op->w[0] = 0x44;
	op->w[1] = (uint64_t)r->grpid << 8 | r->code;
	return 0;
}

/* kind 1: w[0] psid, w[1] address, w[2] generic reason; kind 2: page request */
static int test_event_decode(const struct xiommu_plugin_env *env, uint32_t kind,
			     const uint64_t *w, uint32_t nwords, uint32_t *psid,
			     struct xiommu_fault *out)
{
	(void)env;
	if ((kind != 1 && kind != 2) || nwords < 3)
		return -EINVAL;
	*psid = (uint32_t)w[0];
	out->type = kind == 1 ? XIOMMU_FAULT_DMA : XIOMMU_FAULT_PAGE_REQ;
	out->flags = XIOMMU_FAULT_F_ADDR;
	out->reason = (uint32_t)w[2];
	out->addr = w[1];
	out->perm = XIOMMU_PERM_READ;
	out->vendor_code = 0x10;
	return 0;
}

static int test_fault_encode(const struct xiommu_plugin_env *env,
			     const struct xiommu_plugin_vdev *vdev, const struct xiommu_fault *f,
			     void *rec, uint32_t len)
{
	uint64_t w[2] = { vdev->vsid, f->addr };

	(void)env;
	(void)len;
	memcpy(rec, w, sizeof(w));
	return 0;
}

static int test_decode(const char *kind, const uint64_t *w, uint32_t n, xiommu_field_fn fn,
		       void *arg)
{
	if (strcmp(kind, "word") || n != 1)
		return -EINVAL;
	fn(arg, "low", w[0] & 0xffffffff, 0, NULL);
	fn(arg, "high", w[0] >> 32, (w[0] >> 63) ? XIOMMU_FIELD_RESERVED : 0, NULL);
	return 0;
}

static const char *const test_kinds[] = { "word", NULL };

static const struct xiommu_plugin_ops test_ops = {
#ifdef TEST_ABI_MAJOR
	.abi_major = TEST_ABI_MAJOR,
#else
	.abi_major = XIOMMU_PLUGIN_ABI_MAJOR,
#endif
	.abi_minor = XIOMMU_PLUGIN_ABI_MINOR,
	.vendor = "test",
	.vendor_id = XIOMMU_VENDOR_TEST,
	.raw_type = XIOMMU_RAW_TEST,
	.params_size = sizeof(struct test_params),
	.inv_raw_type = XIOMMU_INV_RAW_TEST,
	.cmd_len = 16,
	.fault_len = 16,
	.params = test_params_table,
	.check_params = test_check_params,
	.hw_info = test_hw_info,
	.bind = test_bind,
	.unbind_pasid = test_unbind_pasid,
	.invalidate = test_invalidate,
	.invalidate_raw = test_invalidate_raw,
	.msi_bind = test_msi_bind,
	.page_response = test_page_response,
	.event_decode = test_event_decode,
	.fault_encode = test_fault_encode,
	.decode = test_decode,
	.decode_kinds = test_kinds,
	.bind_tag = test_bind_tag,
};

#ifndef TEST_NO_ENTRY
__attribute__((visibility("default"))) const struct xiommu_plugin_ops *
xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor)
{
	(void)abi_major;
	(void)abi_minor;
#ifdef TEST_NULL_OPS
	return abi_major == 0xffff ? &test_ops : NULL; /* refuses every real ABI */
#else
	return &test_ops;
#endif
}
#else
/* keep the table referenced so the build does not warn */
__attribute__((visibility("default"))) const void *xiommu_plugin_other = &test_ops;
#endif
