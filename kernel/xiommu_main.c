// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xiommu: the misc device, one context per open file, the ioctl table
 * and the module's allocation counters.
 *
 * Module parameters:
 *  sids=FIRST-LAST   streams every file may attach (default: none; a
 *                    privileged process grants more with XIOMMU_GRANT_STREAMS)
 *  live_allocs       (read-only) allocations of the module not yet freed
 *  pinned_pages      (read-only) user pages pinned
 *  fail_nth=N        the N-th counted allocation from now fails (-ENOMEM),
 *                    once; 0 = off. For the allocation-failure tests.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include "xiommu.h"

static atomic_long_t xmk_live = ATOMIC_LONG_INIT(0);
static atomic_long_t xmk_pinned = ATOMIC_LONG_INIT(0);
static atomic_t xmk_fail_nth = ATOMIC_INIT(0);

static int xmk_get_live(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&xmk_live));
}

static int xmk_get_pinned(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&xmk_pinned));
}

static const struct kernel_param_ops xmk_live_ops = { .get = xmk_get_live };
static const struct kernel_param_ops xmk_pinned_ops = { .get = xmk_get_pinned };
module_param_cb(live_allocs, &xmk_live_ops, NULL, 0444);
MODULE_PARM_DESC(live_allocs, "allocations of the module not yet freed");
module_param_cb(pinned_pages, &xmk_pinned_ops, NULL, 0444);
MODULE_PARM_DESC(pinned_pages, "user pages pinned by all files");

static int xmk_set_fail(const char *val, const struct kernel_param *kp)
{
	int n, ret = kstrtoint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 0)
		return -EINVAL;
	atomic_set(&xmk_fail_nth, n);
	return 0;
}

static int xmk_get_fail(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&xmk_fail_nth));
}

static const struct kernel_param_ops xmk_fail_ops = { .set = xmk_set_fail, .get = xmk_get_fail };
module_param_cb(fail_nth, &xmk_fail_ops, NULL, 0600);
MODULE_PARM_DESC(fail_nth, "the N-th allocation from now fails once (0: off)");

static char xmk_sids[32];
module_param_string(sids, xmk_sids, sizeof(xmk_sids), 0444);
MODULE_PARM_DESC(sids, "FIRST-LAST: streams every file may attach");
static u32 xmk_sid_first, xmk_sid_count;

bool xmk_fail_now(void)
{
	int old = atomic_read(&xmk_fail_nth);

	while (old > 0) {
		if (atomic_try_cmpxchg(&xmk_fail_nth, &old, old - 1))
			return old == 1;
	}
	return false;
}

void *xmk_zalloc(size_t size)
{
	void *p;

	if (xmk_fail_now())
		return NULL;
	p = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (p)
		atomic_long_inc(&xmk_live);
	return p;
}

void xmk_free(const void *p)
{
	if (!p)
		return;
	atomic_long_dec(&xmk_live);
	kvfree(p);
}

void xmk_pinned_add(long n)
{
	atomic_long_add(n, &xmk_pinned);
}

bool xmk_sid_granted(struct xmk_ctx *ctx, u32 sid)
{
	u32 i;

	if (sid - xmk_sid_first < xmk_sid_count)
		return true;
	for (i = 0; i < ctx->ngrants; i++)
		if (sid - ctx->grants[i].first < ctx->grants[i].count)
			return true;
	return false;
}

struct xmk_obj *xmk_obj_get(struct xmk_ctx *ctx, u32 id, enum xmk_kind kind)
{
	struct xmk_obj *o = xa_load(&ctx->objs, id);

	return o && o->kind == kind ? o : NULL;
}

int xmk_obj_add(struct xmk_ctx *ctx, struct xmk_obj *obj, enum xmk_kind kind)
{
	obj->kind = kind;
	if (xmk_fail_now())
		return -ENOMEM;
	return xa_alloc(&ctx->objs, &obj->id, obj, xa_limit_31b, GFP_KERNEL_ACCOUNT);
}

void xmk_obj_del(struct xmk_ctx *ctx, struct xmk_obj *obj)
{
	xa_erase(&ctx->objs, obj->id);
}

static int xmk_destroy(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_destroy *in = msg;
	struct xmk_obj *o;

	if (in->flags || in->__reserved)
		return -EINVAL;
	o = xa_load(&ctx->objs, in->id);
	if (!o)
		return -ENOENT;
	switch (o->kind) {
	case XMK_UNIT:
		xmk_unit_destroy(ctx, container_of(o, struct xmk_unit, obj));
		return 0;
	case XMK_DOMAIN:
		xmk_domain_destroy(ctx, container_of(o, struct xmk_domain, obj));
		return 0;
	case XMK_MEM:
		return xmk_mem_destroy(ctx, container_of(o, struct xmk_mem, obj));
	}
	return -ENOENT;
}

static int xmk_grant(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_grant_streams *in = msg;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (in->flags || !in->count || in->first + (u64)in->count - 1 > U32_MAX)
		return -EINVAL;
	if (ctx->ngrants == XIOMMU_GRANTS_MAX)
		return -ENOSPC;
	ctx->grants[ctx->ngrants].first = in->first;
	ctx->grants[ctx->ngrants].count = in->count;
	ctx->ngrants++;
	return 0;
}

static int xmk_null(struct xmk_ctx *ctx, void *msg)
{
	struct xiommu_ioc_null *in = msg;

	return in->flags ? -EINVAL : 0;
}

union xmk_msg {
	struct xiommu_ioc_destroy destroy;
	struct xiommu_ioc_unit_create unit_create;
	struct xiommu_ioc_unit_regs unit_regs;
	struct xiommu_ioc_domain_alloc domain_alloc;
	struct xiommu_ioc_tag tag;
	struct xiommu_ioc_mem_register mem_register;
	struct xiommu_ioc_s2_map s2_map;
	struct xiommu_ioc_s2_unmap s2_unmap;
	struct xiommu_ioc_stream stream;
	struct xiommu_ioc_exec exec;
	struct xiommu_ioc_dma_port dma;
	struct xiommu_ioc_event_fd event_fd;
	struct xiommu_ioc_msi_pop msi_pop;
	struct xiommu_ioc_unit_stats stats;
	struct xiommu_ioc_grant_streams grant;
	struct xiommu_ioc_null null;
};

struct xmk_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int cmd;
	bool out_on_error;		/* copy the struct back on failure too */
	int (*fn)(struct xmk_ctx *ctx, void *msg);
};

#define XMK_OP(_ioctl, _fn, _struct, _last, _err)			\
	[_IOC_NR(_ioctl) - XIOMMU_CMD_BASE] = {				\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.cmd = _ioctl,						\
		.out_on_error = _err,					\
		.fn = _fn,						\
	}

static const struct xmk_ioctl_op xmk_ops[] = {
	XMK_OP(XIOMMU_DESTROY, xmk_destroy, struct xiommu_ioc_destroy, __reserved, false),
	XMK_OP(XIOMMU_UNIT_CREATE, xmk_unit_create, struct xiommu_ioc_unit_create, __reserved, false),
	XMK_OP(XIOMMU_UNIT_REGS, xmk_unit_regs, struct xiommu_ioc_unit_regs, __reserved, false),
	XMK_OP(XIOMMU_DOMAIN_ALLOC, xmk_domain_alloc, struct xiommu_ioc_domain_alloc, out_desc, false),
	XMK_OP(XIOMMU_TAG_ALLOC, xmk_tag_alloc, struct xiommu_ioc_tag, tag, false),
	XMK_OP(XIOMMU_TAG_FREE, xmk_tag_free, struct xiommu_ioc_tag, tag, false),
	XMK_OP(XIOMMU_MEM_REGISTER, xmk_mem_register, struct xiommu_ioc_mem_register, __reserved, false),
	XMK_OP(XIOMMU_S2_MAP, xmk_s2_map, struct xiommu_ioc_s2_map, length, false),
	XMK_OP(XIOMMU_S2_UNMAP, xmk_s2_unmap, struct xiommu_ioc_s2_unmap, length, false),
	XMK_OP(XIOMMU_STREAM_ATTACH, xmk_stream_attach, struct xiommu_ioc_stream, __reserved, false),
	XMK_OP(XIOMMU_STREAM_DETACH, xmk_stream_detach, struct xiommu_ioc_stream, __reserved, false),
	XMK_OP(XIOMMU_EXEC, xmk_exec, struct xiommu_ioc_exec, __reserved, true),
	XMK_OP(XIOMMU_DMA, xmk_dma, struct xiommu_ioc_dma_port, __reserved2, false),
	XMK_OP(XIOMMU_EVENT_FD, xmk_event_fd, struct xiommu_ioc_event_fd, out_fd, false),
	XMK_OP(XIOMMU_MSI_POP, xmk_msi_pop, struct xiommu_ioc_msi_pop, records_uptr, false),
	XMK_OP(XIOMMU_STATS, xmk_stats, struct xiommu_ioc_unit_stats, queue_errors, false),
	XMK_OP(XIOMMU_GRANT_STREAMS, xmk_grant, struct xiommu_ioc_grant_streams, count, false),
	XMK_OP(XIOMMU_NULL, xmk_null, struct xiommu_ioc_null, flags, false),
};

static long xmk_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct xmk_ctx *ctx = filp->private_data;
	void __user *uarg = (void __user *)arg;
	const struct xmk_ioctl_op *op;
	unsigned int nr = _IOC_NR(cmd);
	union xmk_msg msg;
	u32 usize;
	int ret;

	if (nr < XIOMMU_CMD_BASE || nr - XIOMMU_CMD_BASE >= ARRAY_SIZE(xmk_ops))
		return -ENOIOCTLCMD;
	op = &xmk_ops[nr - XIOMMU_CMD_BASE];
	if (op->cmd != cmd)
		return -ENOIOCTLCMD;
	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	ret = copy_struct_from_user(&msg, op->size, uarg, usize);
	if (ret)
		return ret;
	if (mutex_lock_killable(&ctx->lock))
		return -EINTR;
	ret = op->fn(ctx, &msg);
	mutex_unlock(&ctx->lock);
	if ((!ret || op->out_on_error) &&
	    copy_to_user(uarg, &msg, min_t(u32, usize, op->size)))
		return ret ? ret : -EFAULT;
	return ret;
}

static int xmk_open(struct inode *inode, struct file *filp)
{
	struct xmk_ctx *ctx = xmk_zalloc(sizeof(*ctx));

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->objs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	xmk_space_init(ctx);
	filp->private_data = ctx;
	return 0;
}

/* Everything the file created goes: domains (streams, mappings), units, memory. */
static int xmk_release(struct inode *inode, struct file *filp)
{
	struct xmk_ctx *ctx = filp->private_data;
	enum xmk_kind kind;
	struct xmk_obj *o;
	unsigned long id;

	mutex_lock(&ctx->lock);
	for (kind = XMK_UNIT; kind <= XMK_MEM; kind++) {
		xa_for_each(&ctx->objs, id, o) {
			if (kind == XMK_UNIT && o->kind == XMK_UNIT)
				xmk_unit_destroy(ctx, container_of(o, struct xmk_unit, obj));
			else if (kind == XMK_MEM && o->kind == XMK_MEM)
				WARN_ON(xmk_mem_destroy(ctx, container_of(o, struct xmk_mem, obj)));
		}
	}
	WARN_ON(!xa_empty(&ctx->objs));
	xa_destroy(&ctx->objs);
	xmk_space_fini(ctx);
	mutex_unlock(&ctx->lock);
	mutex_destroy(&ctx->lock);
	xmk_free(ctx);
	return 0;
}

static const struct file_operations xmk_fops = {
	.owner = THIS_MODULE,
	.open = xmk_open,
	.release = xmk_release,
	.unlocked_ioctl = xmk_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice xmk_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xiommu",
	.fops = &xmk_fops,
	.mode = 0660,	/* root's; a udev rule or chgrp opens it to a VMM group */
};

static int __init xmk_init(void)
{
	u32 first, last;

	if (xmk_sids[0]) {
		if (sscanf(xmk_sids, "%u-%u", &first, &last) != 2 || last < first) {
			pr_err("xiommu: sids=%s: expected FIRST-LAST\n", xmk_sids);
			return -EINVAL;
		}
		xmk_sid_first = first;
		xmk_sid_count = last - first + 1;
		if (!xmk_sid_count)	/* 0-4294967295 */
			xmk_sid_count = U32_MAX;
	}
	return misc_register(&xmk_misc);
}

static void __exit xmk_exit(void)
{
	misc_deregister(&xmk_misc);
	WARN(atomic_long_read(&xmk_live) || atomic_long_read(&xmk_pinned),
	     "xiommu: %ld allocations and %ld pinned pages left at unload\n",
	     atomic_long_read(&xmk_live), atomic_long_read(&xmk_pinned));
}

module_init(xmk_init);
module_exit(xmk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xiommu: software IOMMU models with host ownership, /dev/xiommu");
