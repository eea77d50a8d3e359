// SPDX-License-Identifier: MIT
/*
 * Guest tags of a viommu. Some vendors tag cached translations with a value
 * the guest chooses outside guest memory (VT-d: the DID of a PASID entry),
 * so the host gives every guest tag of a viommu a host tag of its own from
 * the backend (tag_alloc), and frees it when the last binding using it
 * goes. The map is a sorted array: lookups are O(log n) for raw guest
 * descriptors, and inserting happens once per new guest address space.
 *
 * A bind first acquires its tag (allocating the host tag if needed, with
 * no reference yet), runs its program, and then either takes a reference
 * (success) or drops an unreferenced tag again (failure), so a failed bind
 * leaves the map as it found it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Index of @gtag, or of the slot it would be inserted at (*found = 0). */
static uint32_t tag_index(const struct xc_tagmap *m, uint32_t gtag, int *found)
{
	uint32_t lo = 0, hi = m->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->t[mid].gtag < gtag)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < m->n && m->t[lo].gtag == gtag;
	return lo;
}

const struct xc_tag *xc_tag_find(const struct xc_viommu *v, uint32_t gtag)
{
	int found;
	uint32_t i = tag_index(&v->tags, gtag, &found);

	return found ? &v->tags.t[i] : NULL;
}

int xc_tag_acquire(struct xiommu_ctx *ctx, struct xc_viommu *v, uint32_t gtag, uint32_t *htag)
{
	struct xc_tagmap *m = &v->tags;
	struct xc_unit *u = v->unit;
	uint32_t i, tag;
	int found, ret;

	i = tag_index(m, gtag, &found);
	if (found) {
		*htag = m->t[i].htag;
		return 0;
	}
	if (!u->be->tag_alloc)
		return xc_err(ctx, -EOPNOTSUPP, "bind: backend '%s' of unit '%s' has no extra tags for guest tag 0x%x",
			      u->be->name, u->name, gtag);
	if (m->n == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 8;
		struct xc_tag *t = realloc(m->t, cap * sizeof(*t));

		if (!t)
			return xc_err(ctx, -ENOMEM, "bind: no memory for guest tag 0x%x", gtag);
		m->t = t;
		m->cap = cap;
	}
	ret = u->be->tag_alloc(u->bu, v->dom, &tag);
	if (ret)
		return xc_err(ctx, ret, "bind: unit '%s' has no free host tag for guest tag 0x%x of viommu %u (%u in use)",
			      u->name, gtag, v->id, m->n);
	memmove(&m->t[i + 1], &m->t[i], (m->n - i) * sizeof(*m->t));
	m->t[i] = (struct xc_tag){ .gtag = gtag, .htag = tag, .refs = 0 };
	v->pv.ntags = ++m->n;
	*htag = tag;
	return 0;
}

/*
 * Give the host tag back. A backend refuses while an entry still carries
 * it (a core bug, never a guest's doing): the tag then stays mapped and
 * owned until the domain goes.
 */
static void tag_remove(struct xc_viommu *v, uint32_t i)
{
	struct xc_tagmap *m = &v->tags;
	struct xc_unit *u = v->unit;

	if (u->be->tag_free(u->bu, v->dom, m->t[i].htag))
		return;
	memmove(&m->t[i], &m->t[i + 1], (m->n - i - 1) * sizeof(*m->t));
	v->pv.ntags = --m->n;
}

void xc_tag_ref(struct xc_viommu *v, uint32_t gtag)
{
	int found;
	uint32_t i = tag_index(&v->tags, gtag, &found);

	if (found)
		v->tags.t[i].refs++;
}

void xc_tag_put(struct xc_viommu *v, uint32_t gtag)
{
	int found;
	uint32_t i = tag_index(&v->tags, gtag, &found);

	if (found && (!v->tags.t[i].refs || !--v->tags.t[i].refs))
		tag_remove(v, i);
}

void xc_tag_drop_unused(struct xc_viommu *v, uint32_t gtag)
{
	int found;
	uint32_t i = tag_index(&v->tags, gtag, &found);

	if (found && !v->tags.t[i].refs)
		tag_remove(v, i);
}

/* Before domain_free, which takes back whatever tag_free refused. */
void xc_tags_fini(struct xc_viommu *v)
{
	while (v->tags.n) {
		uint32_t n = v->tags.n;

		tag_remove(v, n - 1);
		if (v->tags.n == n)
			v->pv.ntags = --v->tags.n;	/* refused: domain_free frees it */
	}
	free(v->tags.t);
	memset(&v->tags, 0, sizeof(v->tags));
}

/* ---- the plugin's view (env->tag_lookup / tag_foreach) ---- */

static struct xc_viommu *env_viommu(void *core, uint32_t viommu_id)
{
	struct xc_call *c = core;
	struct xc_viommu *v = xc_obj_get(c->ctx, XC_OBJ_VIOMMU, viommu_id);

	return v && v->unit == c->u ? v : NULL;
}

int xc_env_tag_lookup(void *core, uint32_t viommu_id, uint32_t gtag, uint32_t *htag)
{
	struct xc_viommu *v = env_viommu(core, viommu_id);
	const struct xc_tag *t = v ? xc_tag_find(v, gtag) : NULL;

	if (!t)
		return -ENOENT;
	*htag = t->htag;
	return 0;
}

int xc_env_tag_foreach(void *core, uint32_t viommu_id, xiommu_tag_fn fn, void *arg)
{
	struct xc_viommu *v = env_viommu(core, viommu_id);
	uint32_t i;
	int ret;

	if (!v)
		return -ENOENT;
	for (i = 0; i < v->tags.n; i++) {
		ret = fn(arg, v->tags.t[i].gtag, v->tags.t[i].htag);
		if (ret)
			return ret;
	}
	return 0;
}
