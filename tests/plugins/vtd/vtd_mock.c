// SPDX-License-Identifier: MIT
/* The env and model behind the vtd plugin tests (see vtd_mock.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vtd_mock.h"

static void m_error(void *core, const char *fmt, ...)
{
	struct mock *m = core;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
}

static int m_gpa(uint64_t gpa, uint32_t len)
{
	return gpa < GUEST_SIZE && len <= GUEST_SIZE - gpa;
}

static int m_read(void *core, uint32_t v, uint64_t gpa, void *buf, uint32_t len)
{
	struct mock *m = core;

	(void)v;
	if (!m_gpa(gpa, len))
		return -EFAULT;
	memcpy(buf, xm_test_mem_ptr(&m->m, m->guest_pa + gpa), len);
	return 0;
}

static int m_write(void *core, uint32_t v, uint64_t gpa, const void *buf, uint32_t len)
{
	struct mock *m = core;

	(void)v;
	if (!m_gpa(gpa, len))
		return -EFAULT;
	memcpy(xm_test_mem_ptr(&m->m, m->guest_pa + gpa), buf, len);
	return 0;
}

static int g_read(void *arg, uint64_t gpa, void *buf, uint32_t len)
{
	return m_read(arg, 0, gpa, buf, len);
}

static int g_write(void *arg, uint64_t gpa, const void *buf, uint32_t len)
{
	return m_write(arg, 0, gpa, buf, len);
}

static const struct xiommu_plugin_vdev *m_by_vsid(void *core, uint32_t v, uint64_t vsid)
{
	struct mock *m = core;

	return v == m->viommu.id && vsid == m->vdev.vsid ? &m->vdev : NULL;
}

static const struct xiommu_plugin_vdev *m_by_psid(void *core, uint32_t psid)
{
	struct mock *m = core;

	return psid == m->vdev.psid ? &m->vdev : NULL;
}

static const struct xiommu_plugin_vdev *m_by_id(void *core, uint32_t viommu_id, uint32_t id)
{
	struct mock *m = core;

	return viommu_id == m->viommu.id && id == m->vdev.id ? &m->vdev : NULL;
}

static const struct xiommu_pasid_binding *m_lookup(void *core, uint32_t vdev, uint32_t pasid)
{
	struct mock *m = core;
	uint32_t i;

	for (i = 0; vdev == m->vdev.id && i < m->nbinds; i++)
		if (m->binds[i].pasid == pasid)
			return &m->binds[i];
	return NULL;
}

static int m_foreach(void *core, uint32_t vdev, xiommu_pasid_fn fn, void *arg)
{
	struct mock *m = core;
	uint32_t i;
	int ret;

	for (i = 0; vdev == m->vdev.id && i < m->nbinds; i++) {
		ret = fn(arg, &m->binds[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int m_tag_lookup(void *core, uint32_t v, uint32_t gtag, uint32_t *htag)
{
	struct mock *m = core;
	uint32_t i;

	for (i = 0; v == m->viommu.id && i < m->ntags; i++)
		if (m->gtags[i] == gtag) {
			*htag = m->htags[i];
			return 0;
		}
	return -ENOENT;
}

static int m_tag_foreach(void *core, uint32_t v, xiommu_tag_fn fn, void *arg)
{
	struct mock *m = core;
	uint32_t i;
	int ret;

	for (i = 0; v == m->viommu.id && i < m->ntags; i++) {
		ret = fn(arg, m->gtags[i], m->htags[i]);
		if (ret)
			return ret;
	}
	return 0;
}

uint32_t mock_tag(struct mock *m, uint32_t gdid)
{
	uint32_t htag;

	if (!m_tag_lookup(m, m->viommu.id, gdid, &htag))
		return htag;
	assert_true(m->ntags < 8);
	assert_int_equal(xh_vtd_ops.tag_alloc(m->h, m->dom, &htag), 0);
	m->gtags[m->ntags] = gdid;
	m->htags[m->ntags++] = htag;
	m->viommu.ntags = m->ntags;
	return htag;
}

void prog_reset(struct mock *m)
{
	memset(&m->prog, 0, sizeof(m->prog));
	m->prog.ops = m->ops;
	m->prog.cap = 64;
	m->err[0] = 0;
}

/* What the rig grants its requester: ATS and PRI where the unit has them. */
uint32_t mock_grants(const struct xiommu_vtd_params *p)
{
	return (p->dt ? XIOMMU_VDEV_ATS : 0) | (p->dt && p->prs ? XIOMMU_VDEV_PRI : 0);
}

void mock_up(struct mock *m, const struct xiommu_vtd_params *p)
{
	struct xiommu_hw_info limit = { .features = XIOMMU_HW_ALL, .pasid_bits = 255,
					.s1_ias = 255, .s1_oas = 255, .s2_ias = 255 };
	uint32_t raw_len = 16;
	uint64_t raw[2], off;
	char err[128];

	memset(m, 0, sizeof(*m));
	assert_int_equal(xm_test_mem_init(&m->m, ARENA_PA, 48u << 20), 0);
	m->p = *p;
	assert_int_equal(xh_vtd_ops.create(&m->p, sizeof(m->p), &m->m.host, &m->h, err,
					   sizeof(err)), 0);
	m->u = xh_vtd_ops.hw(m->h);
	assert_int_equal(xh_vtd_ops.regs(m->h, m->regs, 16), 16);
	assert_int_equal(xh_vtd_ops.domain_alloc(m->h, &m->dom, &m->viommu.dom), 0);
	m->guest_pa = xm_test_mem_alloc(&m->m, GUEST_SIZE, 2u << 20);
	/* page by page, so walks read every second-level level (golden leaf words) */
	for (off = 0; off < GUEST_SIZE; off += 4096)
		assert_int_equal(xh_vtd_ops.s2_map(m->h, m->dom, off, m->guest_pa + off, 4096,
						   XIOMMU_MAP_READ | XIOMMU_MAP_WRITE), 0);
	assert_int_equal(xh_vtd_ops.stream_attach(m->h, m->dom, PRID,
						  mock_grants(p)), 0);
	m->viommu.id = 3;
	m->vdev.id = 9;
	m->vdev.psid = PRID;
	m->vdev.vsid = VRID;
	m->vdev.pasid_bits = 20;
	m->vdev.config = XIOMMU_CONFIG_ABORT;
	m->vdev.grants = mock_grants(p);
	m->vdev.viommu = &m->viommu;
	m->env.core = m;
	m->env.params = &m->p;
	m->env.regs = m->regs;
	m->env.regs_len = 16;
	m->env.error = m_error;
	m->env.read_gpa = m_read;
	m->env.write_gpa = m_write;
	m->env.vdev_by_vsid = m_by_vsid;
	m->env.vdev_by_psid = m_by_psid;
	m->env.vdev_by_id = m_by_id;
	m->env.pasid_lookup = m_lookup;
	m->env.pasid_foreach = m_foreach;
	m->env.tag_lookup = m_tag_lookup;
	m->env.tag_foreach = m_tag_foreach;
	m->ops_tab = xiommu_plugin_entry(XIOMMU_PLUGIN_ABI_MAJOR, XIOMMU_PLUGIN_ABI_MINOR);
	assert_non_null(m->ops_tab);
	assert_int_equal(m->ops_tab->hw_info(&m->env, &limit, &m->caps, raw, &raw_len), 0);
	m->env.caps = &m->caps;
	m->gm.arg = m;
	m->gm.read = g_read;
	m->gm.write = g_write;
	m->gm.next = 0x600000;
	m->gm.end = GUEST_SIZE;
	prog_reset(m);
}

void mock_down(struct mock *m)
{
	xh_vtd_ops.stream_detach(m->h, m->dom, PRID);
	xh_vtd_ops.domain_free(m->h, m->dom);
	xh_vtd_ops.destroy(m->h);
	xm_test_mem_fini(&m->m);
}

int run(struct mock *m)
{
	uint32_t bad = ~0u;
	int ret = xh_vtd_ops.exec(m->h, m->dom, m->prog.ops, m->prog.n, &bad);

	prog_reset(m);
	return ret;
}

uint32_t mock_dma(struct mock *m, uint32_t op, uint32_t flags, uint32_t pasid,
		  uint64_t iova, void *buf, uint64_t len, uint64_t *pa)
{
	struct xm_dma d = { .op = op, .flags = flags, .sid = PRID, .pasid = pasid, .iova = iova,
			    .len = len, .buf = buf };

	assert_int_equal(xh_vtd_ops.dma(m->h, &d), 0);
	if (pa)
		*pa = d.pa;
	return d.status;
}

struct xiommu_bind pasid_bind(uint32_t pasid, uint64_t root, uint8_t aw, uint64_t flags)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID, .vdev_id = 9,
				 .config = XIOMMU_CONFIG_TRANSLATE, .pasid = pasid,
				 .format = XIOMMU_S1_VTD_FIRST_LEVEL, .table_gpa = root,
				 .addr_width = aw };

	b.s1.vtd.flags = flags;
	b.s1.vtd.did = GUEST_DID;
	return b;
}

/* bind through the plugin, run on the model, record the binding as the core would */
void do_bind(struct mock *m, uint32_t pasid, uint64_t root, uint64_t flags)
{
	struct xiommu_bind b = pasid_bind(pasid, root, 48, flags);
	struct xiommu_pasid_binding *cur;
	uint32_t gtag = ~0u;

	assert_int_equal(m->ops_tab->bind_tag(&m->env, &m->vdev, &b, &gtag), 1);
	assert_int_equal(gtag, b.s1.vtd.did);
	mock_tag(m, gtag);
	assert_int_equal(m->ops_tab->bind(&m->env, &m->vdev, &b, &m->prog), 0);
	assert_int_equal(run(m), 0);
	cur = (struct xiommu_pasid_binding *)m_lookup(m, m->vdev.id, pasid);
	if (!cur) {
		cur = &m->binds[m->nbinds++];
		cur->pasid = pasid;
	}
	cur->table_gpa = root;
	cur->tagged = 1;
	cur->gtag = gtag;
}

const struct xiommu_vtd_params defaults = VTD_PARAMS_DEFAULT;

