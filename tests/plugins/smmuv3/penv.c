// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <string.h>
#include "penv.h"

static void env_error(void *core, const char *fmt, ...)
{
	struct penv *e = core;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
}

static int env_read(void *core, uint32_t viommu_id, uint64_t gpa, void *buf, uint32_t len)
{
	(void)viommu_id;
	memcpy(buf, gptr(&((struct penv *)core)->r, gpa), len);
	return 0;
}

static int env_write(void *core, uint32_t viommu_id, uint64_t gpa, const void *buf, uint32_t len)
{
	(void)viommu_id;
	memcpy(gptr(&((struct penv *)core)->r, gpa), buf, len);
	return 0;
}

static const struct xiommu_plugin_vdev *by_vsid(void *core, uint32_t viommu_id, uint64_t vsid)
{
	struct penv *e = core;

	return viommu_id == e->viommu.id && vsid == e->vdev.vsid ? &e->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_psid(void *core, uint32_t psid)
{
	struct penv *e = core;

	return psid == e->vdev.psid ? &e->vdev : NULL;
}

static const struct xiommu_plugin_vdev *by_id(void *core, uint32_t viommu_id, uint32_t id)
{
	struct penv *e = core;

	return viommu_id == e->viommu.id && id == e->vdev.id ? &e->vdev : NULL;
}

void penv_up(struct penv *e, const struct xiommu_smmuv3_params *p)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL, .pasid_bits = 255,
					.s1_ias = 255, .s1_oas = 255, .s2_ias = 255 };
	uint32_t raw_len = 0;

	memset(e, 0, sizeof(*e));
	if (p)
		e->params = *p;
	else
		rig_params(&e->params);
	rig_up(&e->r, &e->params);
	xh_smmuv3_ops.regs(e->r.h, e->idr, sizeof(e->idr));
	e->ops = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	assert_non_null(e->ops);
	e->env.core = e;
	e->env.params = &e->params;
	e->env.regs = e->idr;
	e->env.regs_len = sizeof(e->idr);
	e->env.error = env_error;
	e->env.read_gpa = env_read;
	e->env.write_gpa = env_write;
	e->env.vdev_by_vsid = by_vsid;
	e->env.vdev_by_psid = by_psid;
	e->env.vdev_by_id = by_id;
	assert_int_equal(e->ops->hw_info(&e->env, &limit, &e->caps, NULL, &raw_len), 0);
	e->env.caps = &e->caps;
	e->viommu.id = 3;
	e->viommu.dom = e->r.desc;
	e->vdev.id = 11;
	e->vdev.psid = RIG_SID;
	e->vdev.vsid = PENV_VSID;
	e->vdev.pasid_bits = 20;
	e->vdev.grants = rig_grants(&e->params);	/* as rig_up attached RIG_SID */
	e->vdev.config = XIOMMU_CONFIG_ABORT;
	e->vdev.viommu = &e->viommu;
	penv_prog_reset(e);
	assert_int_equal(penv_run(e), 0);
}

void penv_down(struct penv *e)
{
	rig_down(&e->r);
}

void penv_prog_reset(struct penv *e)
{
	e->prog.ops = e->ops_buf;
	e->prog.cap = 256;
	e->prog.n = 0;
	e->prog.widened = 0;
}

int penv_run(struct penv *e)
{
	uint32_t bad;
	uint64_t pa;
	int ret = xh_smmuv3_ops.exec(e->r.h, e->r.d, e->prog.ops, e->prog.n, &bad);

	assert_int_equal(smmu_ste_locate(e->r.u, e->vdev.psid, &pa), 0);
	memcpy(e->vdev.entry, xm_test_mem_ptr(&e->r.mem, pa), 64);
	return ret;
}

int penv_bind(struct penv *e, uint32_t config, uint64_t table, uint8_t pasid_bits, uint8_t s1dss)
{
	struct xiommu_bind b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.argsz = sizeof(b);
	b.vdev_id = e->vdev.id;
	b.config = config;
	if (config == XIOMMU_CONFIG_TRANSLATE) {
		b.format = XIOMMU_S1_SMMUV3_CD_TABLE;
		b.table_gpa = table;
		b.pasid_bits = pasid_bits;
		b.s1.smmuv3.s1dss = s1dss;
		b.s1.smmuv3.s1cir = b.s1.smmuv3.s1cor = 1;
		b.s1.smmuv3.s1csh = 3;
	}
	penv_prog_reset(e);
	ret = e->ops->bind(&e->env, &e->vdev, &b, &e->prog);
	if (ret)
		return ret;
	return penv_run(e);
}
