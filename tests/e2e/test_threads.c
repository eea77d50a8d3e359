// SPDX-License-Identifier: MIT
/*
 * One lock per context, proven: threads issue mixed calls (DMA, binds and
 * unbinds of their own PASID, generic invalidations, faulting accesses,
 * fault reads, stats) on one shared context, while other threads do the
 * same on contexts of their own. Every translation is one of the legal
 * answers, no fault record is lost or duplicated, and sequence numbers
 * strictly increase. test-all also runs it built with -fsanitize=thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <xiommu/xiommu.h>
#include "guest_ram.h"
#include "vtd_guest.h"

#define RAM (1u << 20)
#define RID 0x10u
#define SHARED_THREADS 4
#define OWN_THREADS 2
#define ITERS 150

struct env {
	struct xiommu_ctx *ctx;
	struct guest_ram ram;
	uint32_t viommu, vdev;
	uint64_t root;		/* first-level table: 0x1000 -> 0x2000 */
	uint64_t pa;		/* what 0x1000 translates to */
	pthread_mutex_t lock;	/* the test's own counters */
	uint64_t faults_made, faults_read;
	uint32_t last_seq;
	int have_seq;
	int failed;		/* atomic: set once error[] is written */
	char error[256];
};

struct worker {
	struct env *e;
	uint32_t pasid;
};

static void failf(struct env *e, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&e->lock);
	if (!e->error[0]) {
		va_start(ap, fmt);
		vsnprintf(e->error, sizeof(e->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&e->lock);
	__atomic_store_n(&e->failed, 1, __ATOMIC_RELEASE);
}

static int env_open(struct env *e)
{
	static const char ini[] = "[unit vtd0]\nvendor = vtd\n";
	struct xiommu_viommu_alloc va = { .argsz = sizeof(va), .fault_depth = 65536 };
	struct xiommu_mem_register mr = { .argsz = sizeof(mr), .size = RAM };
	struct xiommu_map m = { .argsz = sizeof(m), .flags = XIOMMU_MAP_READ | XIOMMU_MAP_WRITE,
				.size = RAM };
	struct xiommu_vdev_attach at = { .argsz = sizeof(at), .psid = RID, .vsid = RID,
					 .pasid_bits = 8 };
	struct vtd_guest_mem gm;

	memset(e, 0, sizeof(*e));
	pthread_mutex_init(&e->lock, NULL);
	if (xiommu_open_config(ini, sizeof(ini) - 1, "threads.ini", &e->ctx))
		return -1;
	e->ram = (struct guest_ram){ aligned_alloc(4096, RAM), 0, RAM, 0x80000 };
	if (!e->ram.mem)
		return -1;
	memset(e->ram.mem, 0, RAM);
	gm = (struct vtd_guest_mem){ &e->ram, guest_ram_read, guest_ram_write, 0x80000, 0x90000 };
	e->root = vtd_guest_table(&gm);
	if (vtd_guest_fl_map(&gm, e->root, 4, 0x1000, 0x2000, 12, VTD_GUEST_FL_RW) ||
	    xiommu_viommu_alloc(e->ctx, &va))
		return -1;
	e->viommu = m.viommu_id = at.viommu_id = va.out_viommu_id;
	mr.addr = XIOMMU_PTR(e->ram.mem);
	if (xiommu_mem_register(e->ctx, &mr))
		return -1;
	m.region_id = mr.out_region_id;
	if (xiommu_map(e->ctx, &m) || xiommu_vdev_attach(e->ctx, &at))
		return -1;
	e->vdev = at.out_vdev_id;
	return 0;
}

static void env_close(struct env *e)
{
	xiommu_close(e->ctx);
	free(e->ram.mem);
	pthread_mutex_destroy(&e->lock);
}

static int bind(struct env *e, uint32_t pasid, int on)
{
	struct xiommu_bind b = { .argsz = sizeof(b), .flags = XIOMMU_BIND_PASID,
				 .vdev_id = e->vdev, .config = XIOMMU_CONFIG_TRANSLATE,
				 .pasid = pasid, .format = XIOMMU_S1_VTD_FIRST_LEVEL,
				 .table_gpa = e->root, .addr_width = 48 };
	struct xiommu_unbind u = { .argsz = sizeof(u), .flags = XIOMMU_BIND_PASID,
				   .vdev_id = e->vdev, .pasid = pasid };

	b.s1.vtd.did = pasid;
	return on ? xiommu_bind(e->ctx, &b) : xiommu_unbind(e->ctx, &u);
}

static int dma(struct env *e, uint32_t pasid, uint64_t iova, struct xiommu_dma *d)
{
	*d = (struct xiommu_dma){ .argsz = sizeof(*d), .flags = XIOMMU_DMA_F_PASID,
				  .op = XIOMMU_DMA_TRANSLATE, .sid = RID, .pasid = pasid,
				  .iova = iova };
	return xiommu_dma(e->ctx, d);
}

static void read_faults(struct env *e)
{
	struct xiommu_fault f[32];
	struct xiommu_fault_read fr = { .argsz = sizeof(fr), .viommu_id = e->viommu,
					.record_len = sizeof(f[0]), .count = 32,
					.records_ptr = XIOMMU_PTR(f) };
	uint32_t i;

	/* the test's lock keeps reads and the sequence check in one order */
	pthread_mutex_lock(&e->lock);
	if (xiommu_fault_read(e->ctx, &fr)) {
		pthread_mutex_unlock(&e->lock);
		failf(e, "fault_read: %s", xiommu_last_error(e->ctx));
		return;
	}
	for (i = 0; i < fr.count; i++) {
		if (f[i].type == XIOMMU_FAULT_LOST) {
			pthread_mutex_unlock(&e->lock);
			failf(e, "%u fault records lost", f[i].lost);
			return;
		}
		if (e->have_seq && (int32_t)(f[i].sequence - e->last_seq) <= 0) {
			pthread_mutex_unlock(&e->lock);
			failf(e, "fault sequence %u after %u", f[i].sequence, e->last_seq);
			return;
		}
		e->last_seq = f[i].sequence;
		e->have_seq = 1;
		e->faults_read++;
	}
	pthread_mutex_unlock(&e->lock);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct env *e = w->e;
	struct xiommu_inv_entry inv = { .cache = XIOMMU_CACHE_IOTLB, .scope = XIOMMU_INV_PASID,
					.flags = XIOMMU_INV_F_PASID, .pasid = w->pasid };
	struct xiommu_invalidate in = { .argsz = sizeof(in), .viommu_id = e->viommu,
					.type = XIOMMU_INV_GENERIC, .entry_len = sizeof(inv),
					.entry_num = 1, .entries_ptr = XIOMMU_PTR(&inv) };
	struct xiommu_dma d;
	int i, bound = 0;

	for (i = 0; i < ITERS && !__atomic_load_n(&e->failed, __ATOMIC_ACQUIRE); i++) {
		switch (i % 6) {
		case 0:
			if (bind(e, w->pasid, !bound))
				failf(e, "pasid %u bind %d: %s", w->pasid, !bound,
				      xiommu_last_error(e->ctx));
			bound = !bound;
			break;
		case 1:
		case 2:
			/* bound: the page; unbound: a fault (one record each) */
			if (dma(e, w->pasid, 0x1000, &d))
				failf(e, "dma: %s", xiommu_last_error(e->ctx));
			else if (bound ? d.out_status != XIOMMU_DMA_OK || d.out_addr != e->pa :
					 d.out_status != XIOMMU_DMA_FAULT)
				failf(e, "pasid %u %s: status %u addr 0x%llx", w->pasid,
				      bound ? "bound" : "unbound", d.out_status,
				      (unsigned long long)d.out_addr);
			if (!bound) {
				pthread_mutex_lock(&e->lock);
				e->faults_made++;
				pthread_mutex_unlock(&e->lock);
			}
			break;
		case 3:
			if (xiommu_invalidate(e->ctx, &in))
				failf(e, "invalidate: %s", xiommu_last_error(e->ctx));
			break;
		case 4:
			read_faults(e);
			break;
		default: {
			struct xiommu_stats st = { .argsz = sizeof(st) };

			if (xiommu_stats(e->ctx, &st))
				failf(e, "stats: %s", xiommu_last_error(e->ctx));
			break;
		}
		}
	}
	if (bound && bind(e, w->pasid, 0))
		failf(e, "unbind: %s", xiommu_last_error(e->ctx));
	return NULL;
}

/* The reference answer for 0x1000, taken with one thread. */
static void reference(struct env *e)
{
	struct xiommu_dma d;

	assert_int_equal(bind(e, 99, 1), 0);
	assert_int_equal(dma(e, 99, 0x1000, &d), 0);
	assert_int_equal(d.out_status, XIOMMU_DMA_OK);
	e->pa = d.out_addr;
	assert_int_equal(bind(e, 99, 0), 0);
}

static void run_env(struct env *e, unsigned int threads, uint32_t pasid0)
{
	pthread_t t[SHARED_THREADS];
	struct worker w[SHARED_THREADS];
	unsigned int i;

	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ e, pasid0 + i };
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
}

static void *own_context(void *arg)
{
	struct env *e = arg;

	if (env_open(e)) {
		snprintf(e->error, sizeof(e->error), "open: %s", xiommu_last_error(NULL));
		return NULL;
	}
	{
		struct xiommu_dma d;

		if (bind(e, 99, 1) || dma(e, 99, 0x1000, &d) || bind(e, 99, 0)) {
			snprintf(e->error, sizeof(e->error), "reference: %s",
				 xiommu_last_error(e->ctx));
			return NULL;
		}
		e->pa = d.out_addr;
	}
	{
		struct worker w = { e, 1 };

		work(&w);
	}
	read_faults(e);
	return NULL;
}

static void test_shared_and_own_contexts(void **state)
{
	static struct env shared, own[OWN_THREADS];
	pthread_t t[OWN_THREADS];
	unsigned int i;

	(void)state;
	assert_int_equal(env_open(&shared), 0);
	reference(&shared);
	for (i = 0; i < OWN_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, own_context, &own[i]), 0);
	run_env(&shared, SHARED_THREADS, 1);
	for (i = 0; i < OWN_THREADS; i++)
		pthread_join(t[i], NULL);
	read_faults(&shared);
	if (shared.error[0])
		fail_msg("shared context: %s", shared.error);
	print_message("shared context: %llu faults made, %llu read\n",
		      (unsigned long long)shared.faults_made,
		      (unsigned long long)shared.faults_read);
	assert_int_equal(shared.faults_read, shared.faults_made);
	assert_true(shared.faults_made > 0);
	for (i = 0; i < OWN_THREADS; i++) {
		if (own[i].error[0])
			fail_msg("own context %u: %s", i, own[i].error);
		assert_int_equal(own[i].faults_read, own[i].faults_made);
		env_close(&own[i]);
	}
	env_close(&shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_and_own_contexts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
