/* SPDX-License-Identifier: MIT */
/*
 * The backend interface: where programs run and DMA happens. The embedded
 * backend runs the software models in process; the kernel backend will
 * pass the same calls to /dev/xiommu. Tests may register a backend of their
 * own (xc_backend_register) to record what the core asks for.
 *
 * A backend has context-wide state (@ctx_init: host memory, the device
 * file) and per-unit state (@unit_create). The semantics of each unit op
 * are those of struct xh_unit_ops (kernel/host/xh.h): the host layer over
 * a unit, which the embedded backend runs in process.
 */
#ifndef XC_BACKEND_H
#define XC_BACKEND_H

#include <stdint.h>
#include <xiommu/program.h>
#include "xh.h"

struct xc_backend_ops {
	const char *name;
	/* Context-wide state, created on first use and freed at close. */
	int (*ctx_init)(void **bctx);
	void (*ctx_fini)(void *bctx);
	/* Host memory: give a VMM buffer a host PA (or pin it). */
	int (*mem_register)(void *bctx, void *addr, uint64_t size, uint64_t *hpa);
	void (*mem_unregister)(void *bctx, uint64_t hpa, uint64_t size);

	int (*unit_create)(void *bctx, const char *vendor, const void *params,
			   uint32_t params_size, void **bu, char *err, uint32_t errlen);
	void (*unit_destroy)(void *bu);
	uint32_t (*regs)(void *bu, void *buf, uint32_t len);
	int (*domain_alloc)(void *bu, void **dom, struct xiommu_domain_desc *desc);
	void (*domain_free)(void *bu, void *dom);
	/* NULL when the unit's model has no extra tags */
	int (*tag_alloc)(void *bu, void *dom, uint32_t *tag);
	int (*tag_free)(void *bu, void *dom, uint32_t tag);
	int (*s2_map)(void *bu, void *dom, uint64_t gpa, uint64_t hpa, uint64_t size,
		      uint32_t prot);
	int (*s2_unmap)(void *bu, void *dom, uint64_t gpa, uint64_t size);
	int (*stream_attach)(void *bu, void *dom, uint32_t sid, uint32_t grants);
	void (*stream_detach)(void *bu, void *dom, uint32_t sid);
	int (*exec)(void *bu, void *dom, const struct xiommu_op *ops, uint32_t n, uint32_t *bad);
	int (*dma)(void *bu, struct xm_dma *req);
	int (*event_pop)(void *bu, struct xm_event *ev);
	int (*msi_pop)(void *bu, uint64_t *rec);
	void (*stats)(void *bu, struct xm_stats *st);
};

extern const struct xc_backend_ops xc_backend_embedded;

/* Find a backend by its ini name (built-in or registered). */
const struct xc_backend_ops *xc_backend_find(const char *name);
/* Register an extra backend (tests). Not thread-safe: call before xiommu_open. */
int xc_backend_register(const struct xc_backend_ops *ops);
/* Comma-separated names for messages. */
void xc_backend_names(char *buf, size_t len);

#endif /* XC_BACKEND_H */
