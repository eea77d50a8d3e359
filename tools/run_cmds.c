// SPDX-License-Identifier: MIT
/* xiommu run: the trace commands, each one generic message of the public API. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"

#define lookup run_lookup
#define status_names run_status_names
#define reason_names run_reason_names

static int need(struct run *r, int n, int min, const char *usage)
{
	return n < min ? tfail(r, "usage: %s", usage) : 0;
}

static int c_unit(struct run *r, char **tok, int n)
{
	uint32_t i, count = xiommu_unit_count(r->ctx);
	uint64_t v;

	if (need(r, n, 2, "unit NAME|INDEX"))
		return -1;
	for (i = 0; i < count; i++) {
		struct xiommu_hw_info h = { .argsz = sizeof(h), .unit = i };

		if (!xiommu_hw_info(r->ctx, &h) && !strcmp(h.unit_name, tok[1])) {
			r->unit = i;
			printf("  -> unit %u (%s, %s)\n", i, h.vendor_name, h.backend);
			return 0;
		}
	}
	if (tok[1][0] >= '0' && tok[1][0] <= '9' && !num(r, tok[1], &v) && v < count) {
		r->unit = (uint32_t)v;
		printf("  -> unit %u\n", r->unit);
		return 0;
	}
	return tfail(r, "no unit '%s' in the config (%u units)", tok[1], count);
}

static int c_viommu(struct run *r, char **tok, int n)
{
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va) };
	struct vm *v;

	if (need(r, n, 2, "viommu NAME") || name_ok(r, tok[1]))
		return -1;
	if (r->nvm == MAXN)
		return tfail(r, "more than %d viommus", MAXN);
	va.unit = r->unit;
	outcome(r, xiommu_viommu_alloc(r->ctx, &va));
	if (r->ret)
		return 0;
	v = &r->vm[r->nvm++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", tok[1]);
	v->id = va.out_viommu_id;
	printf("     viommu id %u, tag %u\n", v->id, va.out_tag);
	return 0;
}

/* ram V GPA SIZE: guest RAM, every 4 KiB page holding its own GPA; tables in the top half. */
static int c_ram(struct run *r, char **tok, int n)
{
	struct xiommu_mem_register mr = { .argsz = sizeof(mr) };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE };
	uint64_t gpa, size, o;
	struct vm *v;

	if (need(r, n, 4, "ram VIOMMU GPA SIZE") || !(v = vm_get(r, tok[1])) ||
	    num(r, tok[2], &gpa) || num(r, tok[3], &size))
		return -1;
	if (v->ram.buf)
		return tfail(r, "viommu '%s' already has its ram", v->name);
	if (!size || (size & 0x1fff) || (gpa & 0xfff))
		return tfail(r, "ram: GPA 4 KiB aligned, SIZE a non-zero multiple of 8 KiB");
	v->ram.buf = aligned_alloc(4096, size);
	if (!v->ram.buf)
		return tfail(r, "ram: out of memory for %" PRIu64 " bytes", size);
	memset(v->ram.buf, 0, size);
	for (o = 0; o < size; o += 4096) {
		uint64_t p = gpa + o;

		memcpy(v->ram.buf + o, &p, 8);
	}
	v->ram.gpa = gpa;
	v->ram.size = size;
	mr.addr = XIOMMU_PTR(v->ram.buf);
	mr.size = size;
	outcome(r, xiommu_mem_register(r->ctx, &mr));
	if (r->ret)
		return 0;
	v->ram.region = m.region_id = mr.out_region_id;
	m.viommu_id = v->id;
	m.gpa = gpa;
	m.size = size;
	outcome(r, xiommu_map(r->ctx, &m));
	v->g = (struct xiommu_guest){ .argsz = sizeof(v->g), .viommu_id = v->id,
				      .pool_next = gpa + size / 2, .pool_end = gpa + size };
	return 0;
}

static int c_map(struct run *r, char **tok, int n, int unmap)
{
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE };
	struct xiommu_unmap u = { .argsz = sizeof(u) };
	uint64_t gpa, size;
	struct vm *v;

	if (need(r, n, 4, unmap ? "unmap VIOMMU GPA SIZE" : "map VIOMMU GPA SIZE [r|rw]") ||
	    !(v = vm_get(r, tok[1])) || num(r, tok[2], &gpa) || num(r, tok[3], &size))
		return -1;
	if (unmap) {
		u.viommu_id = v->id;
		u.gpa = gpa;
		u.size = size;
		outcome(r, xiommu_unmap(r->ctx, &u));
		return 0;
	}
	if (!v->ram.buf || gpa < v->ram.gpa || gpa - v->ram.gpa >= v->ram.size)
		return tfail(r, "map: GPA 0x%" PRIx64 " is not in viommu '%s' ram", gpa, v->name);
	if (word(tok, n, "r"))
		m.flags = XIOMMU_MAP_READ;
	m.viommu_id = v->id;
	m.region_id = v->ram.region;
	m.offset = gpa - v->ram.gpa;
	m.gpa = gpa;
	m.size = size;
	outcome(r, xiommu_map(r->ctx, &m));
	return 0;
}

static int c_attach(struct run *r, char **tok, int n)
{
	struct xiommu_vdev_attach at = { .argsz = sizeof(at) };
	uint64_t psid = 0, vsid = 0, pb = 0;
	struct dev *d;
	struct vm *v;

	if (need(r, n, 3, "attach DEV VIOMMU psid=N vsid=N [pasid_bits=N] [ats] [pri] [stall]") ||
	    name_ok(r, tok[1]) || !(v = vm_get(r, tok[2])))
		return -1;
	if (kv(r, tok, n, "psid", &psid) != 1 || kv(r, tok, n, "vsid", &vsid) != 1 ||
	    kv(r, tok, n, "pasid_bits", &pb) < 0)
		return tfail(r, "attach: psid=N and vsid=N are needed");
	if (r->ndev == MAXN)
		return tfail(r, "more than %d devices", MAXN);
	at.viommu_id = v->id;
	at.psid = (uint32_t)psid;
	at.vsid = vsid;
	at.pasid_bits = (uint32_t)pb;
	at.flags = (word(tok, n, "ats") ? XIOMMU_VDEV_ATS : 0) |
		   (word(tok, n, "pri") ? XIOMMU_VDEV_PRI : 0) |
		   (word(tok, n, "stall") ? XIOMMU_VDEV_STALL : 0);
	outcome(r, xiommu_vdev_attach(r->ctx, &at));
	if (r->ret)
		return 0;
	d = &r->dev[r->ndev++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", tok[1]);
	d->id = at.out_vdev_id;
	d->psid = at.psid;
	d->vsid = vsid;
	d->vm = (uint32_t)(v - r->vm);
	d->gc.pasid_bits = at.pasid_bits;
	return 0;
}

static int c_detach(struct run *r, char **tok, int n)
{
	struct dev *d;

	if (need(r, n, 2, "detach DEV") || !(d = dev_get(r, tok[1])))
		return -1;
	outcome(r, xiommu_vdev_detach(r->ctx, d->id));
	return 0;
}

static int c_s1(struct run *r, char **tok, int n)
{
	uint64_t tag = 0, ias = 0;
	struct space *s;
	struct vm *v;

	if (need(r, n, 3, "s1 NAME VIOMMU tag=N [ias=48|57] [stall]") || name_ok(r, tok[1]) ||
	    !(v = vm_get(r, tok[2])) || kv(r, tok, n, "tag", &tag) < 0 ||
	    kv(r, tok, n, "ias", &ias) < 0)
		return -1;
	if (r->nsp == MAXN)
		return tfail(r, "more than %d stage-1 tables", MAXN);
	s = &r->sp[r->nsp];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", tok[1]);
	s->vm = (uint32_t)(v - r->vm);
	s->s1.tag = (uint32_t)tag;
	s->s1.ias = (uint8_t)ias;
	s->s1.flags = word(tok, n, "stall") ? XIOMMU_GUEST_S1_STALL : 0;
	outcome(r, xiommu_guest_s1_alloc(r->ctx, &v->g, &s->s1));
	if (!r->ret) {
		r->nsp++;
		printf("     root 0x%" PRIx64 ", %u levels\n", s->s1.root, s->s1.levels);
	}
	return 0;
}

static int c_s1map(struct run *r, char **tok, int n, int unmap)
{
	uint64_t iova, gpa = 0, size = 4096;
	const char *perm = kvs(tok, n, "perm");
	uint32_t p = 0, shift;
	struct space *s;

	if (need(r, n, unmap ? 3 : 4, unmap ? "s1unmap S1 IOVA" :
		 "s1map S1 IOVA GPA [size=4k|2m|1g] [perm=rwxp]") || !(s = sp_get(r, tok[1])) ||
	    num(r, tok[2], &iova) || (!unmap && num(r, tok[3], &gpa)) ||
	    kv(r, tok, n, "size", &size) < 0)
		return -1;
	if (unmap) {
		outcome(r, xiommu_guest_s1_unmap(r->ctx, &r->vm[s->vm].g, &s->s1, iova));
		return 0;
	}
	if (!perm)
		perm = "rw";
	for (; *perm; perm++) {
		const char *at = strchr("rwxp", *perm);

		if (!at)
			return tfail(r, "perm: letters r, w, x (execute), p (privileged only)");
		p |= 1u << (at - "rwxp");
	}
	if (size != 4096 && size != 2u << 20 && size != 1u << 30)
		return tfail(r, "size=%" PRIu64 ": 4k, 2m or 1g", size);
	shift = (uint32_t)__builtin_ctzll(size);
	outcome(r, xiommu_guest_s1_map(r->ctx, &r->vm[s->vm].g, &s->s1, iova, gpa, shift, p));
	return 0;
}

/* bind DEV pasid=N s1=S [ats] [write-only] | bind DEV abort|bypass */
static int c_bind(struct run *r, char **tok, int n)
{
	struct xiommu_bind b = { .argsz = sizeof(b) };
	const char *sname = kvs(tok, n, "s1");
	uint64_t pasid = 0;
	struct space *s;
	struct dev *d;
	int ret;

	if (need(r, n, 3, "bind DEV pasid=N s1=S [ats] [write-only] | bind DEV abort|bypass") ||
	    !(d = dev_get(r, tok[1])) || kv(r, tok, n, "pasid", &pasid) < 0)
		return -1;
	if (word(tok, n, "abort") || word(tok, n, "bypass")) {
		b.vdev_id = d->id;
		b.config = word(tok, n, "abort") ? XIOMMU_CONFIG_ABORT : XIOMMU_CONFIG_BYPASS;
		d->gc.table = 0;
		outcome(r, xiommu_bind(r->ctx, &b));
		return 0;
	}
	if (!sname || !(s = sp_get(r, sname)))
		return sname ? -1 : tfail(r, "bind: s1=NAME or abort|bypass");
	if (word(tok, n, "ats"))
		d->gc.flags |= XIOMMU_GUEST_CTX_ATS;
	ret = xiommu_guest_ctx_write(r->ctx, &r->vm[s->vm].g, &d->gc, (uint32_t)pasid, &s->s1, &b);
	if (ret < 0 || word(tok, n, "write-only")) {
		printf("     guest context written%s\n", ret == 1 ? "; a bind is needed" :
		       ret == 0 ? "; a config invalidation is needed" : "");
		outcome(r, ret < 0 ? ret : 0);
		return 0;
	}
	if (ret == 0) {
		struct xiommu_inv_entry e = { .cache = XIOMMU_CACHE_CONFIG,
					      .scope = XIOMMU_INV_PASID,
					      .flags = XIOMMU_INV_F_VDEV | XIOMMU_INV_F_PASID,
					      .vdev_id = d->id, .pasid = (uint32_t)pasid };
		struct xiommu_invalidate inv = { .argsz = sizeof(inv),
						 .viommu_id = r->vm[d->vm].id,
						 .type = XIOMMU_INV_GENERIC, .entry_len = sizeof(e),
						 .entry_num = 1, .entries_ptr = XIOMMU_PTR(&e) };

		printf("     the unit uses the table already: config invalidation\n");
		outcome(r, xiommu_invalidate(r->ctx, &inv));
		return 0;
	}
	b.vdev_id = d->id;
	outcome(r, xiommu_bind(r->ctx, &b));
	return 0;
}

static int c_unbind(struct run *r, char **tok, int n)
{
	struct xiommu_unbind u = { .argsz = sizeof(u) };
	uint64_t pasid = 0;
	struct dev *d;
	int k;

	if (need(r, n, 3, "unbind DEV abort|bypass | unbind DEV pasid=N") ||
	    !(d = dev_get(r, tok[1])))
		return -1;
	k = kv(r, tok, n, "pasid", &pasid);
	if (k < 0)
		return -1;
	u.vdev_id = d->id;
	if (k) {
		u.flags = XIOMMU_BIND_PASID;
		u.pasid = (uint32_t)pasid;
	} else {
		u.config = word(tok, n, "bypass") ? XIOMMU_CONFIG_BYPASS : XIOMMU_CONFIG_ABORT;
		d->gc.table = 0;
	}
	outcome(r, xiommu_unbind(r->ctx, &u));
	return 0;
}

/* invalidate V iotlb|devtlb|config all|pasid|tag|range [pasid=] [tag=] [dev=] [addr= size=] [leaf] [raw] */
static int c_invalidate(struct run *r, char **tok, int n)
{
	static const char *const caches[] = { "-", "iotlb", "devtlb", "config", NULL };
	static const char *const scopes[] = { "-", "all", "pasid", "tag", "range", NULL };
	struct xiommu_inv_entry e = { 0 };
	struct xiommu_invalidate inv = { .argsz = sizeof(inv), .type = XIOMMU_INV_GENERIC,
					 .entry_len = sizeof(e), .entry_num = 1,
					 .entries_ptr = XIOMMU_PTR(&e) };
	const char *dname = kvs(tok, n, "dev");
	uint64_t v;
	int c, s, k;
	struct vm *vm;
	struct dev *d;

	if (need(r, n, 4, "invalidate VIOMMU iotlb|devtlb|config all|pasid|tag|range [pasid=N] [tag=N] [dev=D] [addr=A size=S] [leaf] [raw]") ||
	    !(vm = vm_get(r, tok[1])))
		return -1;
	c = lookup(caches, tok[2]);
	s = lookup(scopes, tok[3]);
	if (c < 1 || s < 1)
		return tfail(r, "invalidate: cache iotlb|devtlb|config, scope all|pasid|tag|range");
	e.cache = (uint8_t)c;
	e.scope = (uint8_t)s;
	if ((k = kv(r, tok, n, "pasid", &v)) < 0)
		return -1;
	if (k) {
		e.flags |= XIOMMU_INV_F_PASID;
		e.pasid = (uint32_t)v;
	}
	if ((k = kv(r, tok, n, "tag", &v)) < 0)
		return -1;
	if (k) {
		e.flags |= XIOMMU_INV_F_TAG;
		e.tag = (uint32_t)v;
	}
	if (dname) {
		if (!(d = dev_get(r, dname)))
			return -1;
		e.flags |= XIOMMU_INV_F_VDEV;
		e.vdev_id = d->id;
	}
	if (kv(r, tok, n, "addr", &e.addr) < 0 || kv(r, tok, n, "size", &e.size) < 0)
		return -1;
	if (word(tok, n, "leaf"))
		e.flags |= XIOMMU_INV_F_LEAF;
	inv.viommu_id = vm->id;
	if (word(tok, n, "raw")) {
		static uint64_t buf[4096 * 4];

		outcome(r, xiommu_guest_inv_encode(r->ctx, vm->id, &e, buf, sizeof(buf), &inv));
		if (r->ret)
			return 0;
		printf("     %u raw guest command(s) of %u bytes\n", inv.entry_num, inv.entry_len);
	}
	outcome(r, xiommu_invalidate(r->ctx, &inv));
	if (r->ret)
		printf("     rejected entry %u\n", inv.out_error_index);
	return 0;
}

static int c_msi(struct run *r, char **tok, int n)
{
	struct xiommu_msi_bind mb = { .argsz = sizeof(mb), .size = 4096 };
	struct vm *v;

	if (need(r, n, 4, "msi VIOMMU giova=A gdb=G [size=S] [unbind]") ||
	    !(v = vm_get(r, tok[1])) || kv(r, tok, n, "giova", &mb.giova) != 1 ||
	    kv(r, tok, n, "gdb", &mb.gdb) != 1 || kv(r, tok, n, "size", &mb.size) < 0)
		return tfail(r, "msi: giova=A and gdb=G are needed");
	mb.viommu_id = v->id;
	mb.flags = word(tok, n, "unbind") ? XIOMMU_MSI_UNBIND : 0;
	outcome(r, xiommu_msi_bind(r->ctx, &mb));
	return 0;
}

/* dma DEV read|write|translate|msi IOVA [pasid=N] [priv] [exec] [data=V] */
static int c_dma(struct run *r, char **tok, int n)
{
	static const char *const ops[] = { "-", "translate", "read", "write", "msi", NULL };
	struct xiommu_dma *x = &r->dma;
	uint64_t pasid = 0, data = 0;
	struct dev *d;
	int op, k;

	if (need(r, n, 4, "dma DEV read|write|translate|msi IOVA [pasid=N] [priv] [exec] [data=V]") ||
	    !(d = dev_get(r, tok[1])))
		return -1;
	op = lookup(ops, tok[2]);
	if (op < 1)
		return tfail(r, "dma: read, write, translate or msi");
	memset(x, 0, sizeof(*x));
	x->argsz = sizeof(*x);
	x->unit = r->unit;
	x->op = (uint32_t)op;
	x->sid = d->psid;
	if (num(r, tok[3], &x->iova) || (k = kv(r, tok, n, "pasid", &pasid)) < 0 ||
	    kv(r, tok, n, "data", &data) < 0)
		return -1;
	if (k) {
		x->flags |= XIOMMU_DMA_F_PASID;
		x->pasid = (uint32_t)pasid;
	}
	x->flags |= (word(tok, n, "priv") ? XIOMMU_DMA_F_PRIV : 0) |
		    (word(tok, n, "exec") ? XIOMMU_DMA_F_EXEC : 0);
	r->value = data;
	if (op == XIOMMU_DMA_READ || op == XIOMMU_DMA_WRITE) {
		x->len = 8;
		x->buf_ptr = XIOMMU_PTR(&r->value);
	} else if (op == XIOMMU_DMA_MSI) {
		x->len = 4;
		x->data = (uint32_t)data;
	} else if (word(tok, n, "w")) {
		x->flags |= XIOMMU_DMA_F_WRITE;
	}
	outcome(r, xiommu_dma(r->ctx, x));
	r->have_dma = !r->ret;
	if (r->ret)
		return 0;
	printf("     status %s", x->out_status < 4 ? status_names[x->out_status] : "?");
	if (x->out_status == XIOMMU_DMA_OK && op == XIOMMU_DMA_READ)
		printf(", value 0x%" PRIx64, r->value);
	if (x->out_status == XIOMMU_DMA_OK && op == XIOMMU_DMA_TRANSLATE)
		printf(", host address 0x%" PRIx64 ", perm 0x%x", x->out_addr, x->out_perm);
	printf("\n");
	return 0;
}

static int c_fault(struct run *r, char **tok, int n)
{
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .record_len = sizeof(r->faults[0]),
					.count = 16, .records_ptr = XIOMMU_PTR(r->faults) };
	struct vm *v;
	uint32_t i;

	if (need(r, n, 2, "fault VIOMMU") || !(v = vm_get(r, tok[1])))
		return -1;
	fr.viommu_id = v->id;
	outcome(r, xiommu_fault_read(r->ctx, &fr));
	r->nfaults = r->ret ? 0 : fr.count;
	for (i = 0; i < r->nfaults; i++) {
		const struct xiommu_fault *f = &r->faults[i];

		printf("     %s reason %s flags 0x%x addr 0x%" PRIx64 " fetch 0x%" PRIx64
		       " pasid %u vdev %u grpid %u vendor code 0x%x\n",
		       f->type == XIOMMU_FAULT_PAGE_REQ ? "page request" :
		       f->type == XIOMMU_FAULT_LOST ? "lost" : "dma",
		       f->reason < 11 ? reason_names[f->reason] : "?", f->flags, f->addr,
		       f->fetch_addr, f->pasid, f->vdev_id, f->grpid, f->vendor_code);
	}
	if (!r->nfaults && !r->ret)
		printf("     no records\n");
	return 0;
}

static int c_respond(struct run *r, char **tok, int n)
{
	static const char *const codes[] = { "success", "invalid", "failure", NULL };
	struct xiommu_page_response pr = { .argsz = sizeof(pr) };
	const char *code = kvs(tok, n, "code");
	struct dev *d;
	uint32_t i;
	int c = 0;

	if (need(r, n, 2, "respond DEV [code=success|invalid|failure]") ||
	    !(d = dev_get(r, tok[1])))
		return -1;
	if (code && (c = lookup(codes, code)) < 0)
		return tfail(r, "respond: code=success|invalid|failure");
	for (i = 0; i < r->nfaults; i++)
		if (r->faults[i].type == XIOMMU_FAULT_PAGE_REQ && r->faults[i].vdev_id == d->id)
			break;
	if (i == r->nfaults)
		return tfail(r, "respond: the last 'fault' read no page request of '%s'", d->name);
	pr.viommu_id = r->vm[d->vm].id;
	pr.vdev_id = d->id;
	pr.pasid = r->faults[i].pasid;
	pr.grpid = r->faults[i].grpid;
	pr.flags = r->faults[i].flags & (XIOMMU_FAULT_F_PASID | XIOMMU_FAULT_F_STALL);
	pr.code = (uint32_t)c;
	outcome(r, xiommu_page_response(r->ctx, &pr));
	return 0;
}

static int c_msilog(struct run *r)
{
	struct xiommu_msi_log ml = { .argsz = sizeof(ml), .count = 16,
				     .records_ptr = XIOMMU_PTR(r->msi) };
	uint32_t i;

	ml.unit = r->unit;
	outcome(r, xiommu_msi_log(r->ctx, &ml));
	r->nmsi = r->ret ? 0 : ml.count;
	for (i = 0; i < r->nmsi; i++)
		printf("     doorbell offset 0x%" PRIx64 " data 0x%" PRIx64 "\n", r->msi[i] >> 32,
		       r->msi[i] & 0xffffffffu);
	return 0;
}

static int c_poke(struct run *r, char **tok, int n)
{
	uint64_t gpa, val;
	struct vm *v;

	if (need(r, n, 4, "poke VIOMMU GPA VALUE") || !(v = vm_get(r, tok[1])) ||
	    num(r, tok[2], &gpa) || num(r, tok[3], &val))
		return -1;
	if (!v->ram.buf || gpa < v->ram.gpa || gpa + 8 > v->ram.gpa + v->ram.size)
		return tfail(r, "poke: GPA 0x%" PRIx64 " is not in viommu '%s' ram", gpa, v->name);
	memcpy(v->ram.buf + (gpa - v->ram.gpa), &val, 8);
	return 0;
}

int run_cmd(struct run *r, char **tok, int n)
{
	const char *c = tok[0];

	if (!strcmp(c, "unit"))
		return c_unit(r, tok, n);
	if (!strcmp(c, "viommu"))
		return c_viommu(r, tok, n);
	if (!strcmp(c, "ram"))
		return c_ram(r, tok, n);
	if (!strcmp(c, "map") || !strcmp(c, "unmap"))
		return c_map(r, tok, n, c[0] == 'u');
	if (!strcmp(c, "attach"))
		return c_attach(r, tok, n);
	if (!strcmp(c, "detach"))
		return c_detach(r, tok, n);
	if (!strcmp(c, "s1"))
		return c_s1(r, tok, n);
	if (!strcmp(c, "s1map") || !strcmp(c, "s1unmap"))
		return c_s1map(r, tok, n, c[2] == 'u');
	if (!strcmp(c, "bind"))
		return c_bind(r, tok, n);
	if (!strcmp(c, "unbind"))
		return c_unbind(r, tok, n);
	if (!strcmp(c, "invalidate"))
		return c_invalidate(r, tok, n);
	if (!strcmp(c, "msi"))
		return c_msi(r, tok, n);
	if (!strcmp(c, "dma"))
		return c_dma(r, tok, n);
	if (!strcmp(c, "fault"))
		return c_fault(r, tok, n);
	if (!strcmp(c, "respond"))
		return c_respond(r, tok, n);
	if (!strcmp(c, "msilog"))
		return c_msilog(r);
	if (!strcmp(c, "poke"))
		return c_poke(r, tok, n);
	if (!strcmp(c, "expect"))
		return run_expect(r, tok, n);
	return tfail(r, "unknown command '%s' (unit viommu ram map unmap attach detach s1 s1map s1unmap bind unbind invalidate msi dma fault respond msilog poke expect)",
		     c);
}
