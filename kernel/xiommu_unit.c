// SPDX-License-Identifier: GPL-2.0-only
/*
 * Units: one hardware model instance each, private to the file that made
 * it. Also the per-unit calls: ID registers, the DMA test port, the MSI log,
 * statistics, and the event fd that carries the unit's records.
 */
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include "xiommu.h"

static struct xmk_unit *xmk_unit_get(struct xmk_ctx *ctx, u32 id)
{
	struct xmk_obj *o = xmk_obj_get(ctx, id, XMK_UNIT);

	return o ? container_of(o, struct xmk_unit, obj) : NULL;
}

static void xmk_evq_release(struct kref *ref)
{
	xmk_free(container_of(ref, struct xmk_evq, ref));
}

static void xmk_evq_put(struct xmk_evq *q)
{
	kref_put(&q->ref, xmk_evq_release);
}

/* Move the model's pending records to the event queue, waking readers. */
void xmk_events_pump(struct xmk_unit *u)
{
	struct xmk_evq *q = u->evq;
	struct xm_event ev;
	bool woke = false;

	while (!u->ops->event_pop(u->mu, &ev)) {
		spin_lock(&q->lock);
		if (q->n < XMK_EVQ_LEN) {
			struct xiommu_event_rec *r = &q->rec[(q->head + q->n) % XMK_EVQ_LEN];

			r->kind = ev.kind;
			r->nwords = ev.nwords;
			memcpy(r->w, ev.w, sizeof(r->w));
			q->n++;
			woke = true;
		} else {
			q->lost++;
		}
		spin_unlock(&q->lock);
	}
	if (woke)
		wake_up_interruptible(&q->wq);
}

int xmk_unit_create(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_unit_create *in = msg;
	const struct xh_unit_ops *ops;
	char err[128] = "";
	struct xmk_unit *u;
	void *params;
	int ret;

	if (in->flags || in->__reserved ||
	    !memchr(in->vendor, 0, sizeof(in->vendor)))
		return -EINVAL;
	ops = xh_find(in->vendor);
	if (!ops)
		return -ENOENT;
	if (in->params_len != ops->params_size)
		return -EPROTO;
	if (ctx->nunits >= XIOMMU_UNITS_MAX)
		return -ENOSPC;
	params = xmk_zalloc(ops->params_size);
	if (!params)
		return -ENOMEM;
	if (copy_from_user(params, u64_to_user_ptr(in->params_uptr), ops->params_size)) {
		ret = -EFAULT;
		goto out_params;
	}
	ret = -ENOMEM;
	u = xmk_zalloc(sizeof(*u));
	if (!u)
		goto out_params;
	u->evq = xmk_zalloc(sizeof(*u->evq));
	if (!u->evq)
		goto out_unit;
	kref_init(&u->evq->ref);
	spin_lock_init(&u->evq->lock);
	init_waitqueue_head(&u->evq->wq);
	INIT_LIST_HEAD(&u->domains);
	u->ctx = ctx;
	u->ops = ops;
	u->host.priv = ctx;
	u->host.map = xmk_host_map;
	u->host.alloc = xmk_host_alloc;
	u->host.free = xmk_host_free;
	u->host.msi_db = xmk_space_reserve(ctx, PAGE_SIZE);
	ret = ops->create(params, ops->params_size, &u->host, &u->mu, err, sizeof(err));
	if (ret) {
		if (in->err_len && err[0]) {
			size_t n = min_t(size_t, strlen(err) + 1, in->err_len);

			err[n - 1] = 0;
			if (copy_to_user(u64_to_user_ptr(in->err_uptr), err, n))
				ret = -EFAULT;
		}
		goto out_evq;
	}
	ret = xmk_obj_add(ctx, &u->obj, XMK_UNIT);
	if (ret) {
		ops->destroy(u->mu);
		goto out_evq;
	}
	ctx->nunits++;
	xmk_free(params);
	in->out_unit_id = u->obj.id;
	return 0;

out_evq:
	xmk_evq_put(u->evq);
out_unit:
	xmk_free(u);
out_params:
	xmk_free(params);
	return ret;
}

void xmk_unit_destroy(struct xmk_ctx *ctx, struct xmk_unit *u)
{
	struct xmk_domain *d, *tmp;

	list_for_each_entry_safe(d, tmp, &u->domains, node)
		xmk_domain_destroy(ctx, d);
	u->ops->destroy(u->mu);
	spin_lock(&u->evq->lock);
	u->evq->dead = true;
	spin_unlock(&u->evq->lock);
	wake_up_interruptible(&u->evq->wq);
	xmk_evq_put(u->evq);
	xmk_obj_del(ctx, &u->obj);
	ctx->nunits--;
	xmk_free(u);
}

int xmk_unit_regs(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_unit_regs *in = msg;
	struct xmk_unit *u;
	void *buf;
	int ret = 0;

	if (in->flags || in->__reserved || in->len > PAGE_SIZE)
		return -EINVAL;
	u = xmk_unit_get(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	buf = xmk_zalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	in->out_len = u->ops->regs(u->mu, buf, in->len);
	if (in->out_len > in->len)
		in->out_len = in->len;
	if (copy_to_user(u64_to_user_ptr(in->buf_uptr), buf, in->out_len))
		ret = -EFAULT;
	xmk_free(buf);
	return ret;
}

int xmk_dma(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_dma_port *in = msg;
	struct xm_dma req = {
		.op = in->op, .flags = in->dma_flags, .sid = in->sid, .pasid = in->pasid,
		.iova = in->iova, .len = in->len, .data = in->data,
	};
	void __user *ubuf = u64_to_user_ptr(in->buf_uptr);
	struct xmk_unit *u;
	void *buf = NULL;
	int ret;

	if (in->flags || in->__reserved || in->__reserved2 ||
	    (in->dma_flags & ~(XIOMMU_DMA_F_PASID | XIOMMU_DMA_F_PRIV | XIOMMU_DMA_F_EXEC |
				XIOMMU_DMA_F_WRITE)))
		return -EINVAL;
	switch (in->op) {
	case XIOMMU_DMA_TRANSLATE:
		if (in->len || in->buf_uptr || in->data)
			return -EINVAL;
		break;
	case XIOMMU_DMA_READ:
	case XIOMMU_DMA_WRITE:
		if (!in->len || in->len > XIOMMU_DMA_MAX || !in->buf_uptr || in->data ||
		    in->iova + in->len - 1 < in->iova || (in->dma_flags & XIOMMU_DMA_F_WRITE))
			return -EINVAL;
		break;
	case XIOMMU_DMA_MSI:
		if ((in->len && in->len != 4) || in->buf_uptr || (in->iova & 3) ||
		    (in->dma_flags & XIOMMU_DMA_F_WRITE))
			return -EINVAL;
		req.len = 4;
		break;
	default:
		return -EINVAL;
	}
	u = xmk_unit_get(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	if (in->op == XIOMMU_DMA_READ || in->op == XIOMMU_DMA_WRITE) {
		buf = xmk_zalloc(in->len);
		if (!buf)
			return -ENOMEM;
		if (in->op == XIOMMU_DMA_WRITE && copy_from_user(buf, ubuf, in->len)) {
			xmk_free(buf);
			return -EFAULT;
		}
		req.buf = buf;
	}
	ret = u->ops->dma(u->mu, &req);
	if (ret || req.status != XIOMMU_DMA_OK)
		xmk_events_pump(u);
	if (!ret && in->op == XIOMMU_DMA_READ && req.done &&
	    copy_to_user(ubuf, buf, min_t(u64, req.done, in->len)))
		ret = -EFAULT;
	xmk_free(buf);
	if (ret)
		return ret;
	in->out_status = req.status;
	in->out_perm = req.perm;
	in->out_pa = req.pa;
	in->out_done = req.done;
	in->out_stag = req.stag;
	return 0;
}

/*
 * Whole records, at most 8 per call. Records are popped before they are
 * copied out: a reader passing a bad buffer loses them (-EFAULT).
 */
static ssize_t xmk_evq_read(struct file *filp, char __user *ubuf, size_t len, loff_t *ppos)
{
	struct xmk_evq *q = filp->private_data;
	const size_t one = sizeof(struct xiommu_event_rec);
	struct xiommu_event_rec rec[8];
	size_t n = 0;
	int ret;

	if (len < one)
		return -EINVAL;
	for (;;) {
		spin_lock(&q->lock);
		if (q->n || q->dead)
			break;
		spin_unlock(&q->lock);
		if (filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(q->wq, READ_ONCE(q->n) || READ_ONCE(q->dead));
		if (ret)
			return ret;
	}
	while (q->n && n < ARRAY_SIZE(rec) && (n + 1) * one <= len) {
		rec[n++] = q->rec[q->head];
		q->head = (q->head + 1) % XMK_EVQ_LEN;
		q->n--;
	}
	spin_unlock(&q->lock);
	if (n && copy_to_user(ubuf, rec, n * one))
		return -EFAULT;
	return n * one;
}

static __poll_t xmk_evq_poll(struct file *filp, struct poll_table_struct *wait)
{
	struct xmk_evq *q = filp->private_data;
	__poll_t mask = 0;

	poll_wait(filp, &q->wq, wait);
	spin_lock(&q->lock);
	if (q->n)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (q->dead)
		mask |= EPOLLHUP;
	spin_unlock(&q->lock);
	return mask;
}

static int xmk_evq_close(struct inode *inode, struct file *filp)
{
	xmk_evq_put(filp->private_data);
	return 0;
}

static const struct file_operations xmk_evq_fops = {
	.owner = THIS_MODULE,
	.read = xmk_evq_read,
	.poll = xmk_evq_poll,
	.release = xmk_evq_close,
	.llseek = noop_llseek,
};

int xmk_event_fd(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_event_fd *in = msg;
	struct xmk_unit *u;
	int fd;

	if (in->flags)
		return -EINVAL;
	u = xmk_unit_get(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	kref_get(&u->evq->ref);
	fd = anon_inode_getfd("[xiommu-event]", &xmk_evq_fops, u->evq, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		xmk_evq_put(u->evq);
		return fd;
	}
	in->out_fd = fd;
	return 0;
}

int xmk_msi_pop(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_msi_pop *in = msg;
	u64 __user *out = u64_to_user_ptr(in->records_uptr);
	struct xmk_unit *u;
	u32 n = 0;
	u64 rec;

	if (in->flags || in->count > 4096)
		return -EINVAL;
	u = xmk_unit_get(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	/* an unwritable buffer loses nothing: check it before popping */
	if (in->count && !access_ok(out, (size_t)in->count * sizeof(*out)))
		return -EFAULT;
	while (n < in->count && !u->ops->msi_pop(u->mu, &rec)) {
		if (put_user(rec, out + n))
			return -EFAULT;
		n++;
	}
	in->count = n;
	return 0;
}

int xmk_stats(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_unit_stats *in = msg;
	struct xm_stats st = { 0 };
	struct xmk_unit *u;

	if (in->flags || in->__reserved)
		return -EINVAL;
	u = xmk_unit_get(ctx, in->unit_id);
	if (!u)
		return -ENOENT;
	u->ops->stats(u->mu, &st);
	in->programs = st.programs;
	in->commands = st.commands;
	in->syncs = st.syncs;
	in->tlb_hits = st.tlb_hits;
	in->tlb_misses = st.tlb_misses;
	in->cfg_hits = st.cfg_hits;
	in->cfg_misses = st.cfg_misses;
	in->table_reads = st.table_reads;
	in->events = st.events;
	spin_lock(&u->evq->lock);
	in->events_lost = st.events_lost + u->evq->lost;
	spin_unlock(&u->evq->lock);
	in->queue_errors = st.queue_errors;
	return 0;
}
