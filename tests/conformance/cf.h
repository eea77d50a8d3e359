/* SPDX-License-Identifier: MIT */
/*
 * The cross-vendor conformance suite: scenarios written once against the
 * public API (xiommu.h, diag.h) and run on every unit of a config. Guest
 * structures come from the unit's plugin through xiommu_guest_*(); every
 * effect is proved by DMA through the test port and by fault records.
 *
 * A scenario is a function returning CF_PASS, CF_FAIL or CF_SKIP. It gets a
 * fresh context on one unit with guest RAM mapped (cf_rig), and fails
 * through the CF_* check macros, which record the expected and seen values.
 * It may skip only when the unit's hardware info says a feature is absent
 * (cf_need), naming that feature.
 */
#ifndef CF_H
#define CF_H

#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <xiommu/xiommu.h>

enum cf_result { CF_PASS = 0, CF_FAIL = 1, CF_SKIP = 2 };

/* Guest RAM of the rig: data pages, then the table pool. */
#define CF_GPA		0x40000000ull	/* 1 GiB aligned, so 1G leaves can map it */
#define CF_DATA_SIZE	(4ull << 20)
#define CF_POOL_SIZE	(12ull << 20)
#define CF_RAM_SIZE	(CF_DATA_SIZE + CF_POOL_SIZE)
#define CF_XGPA		0x48000000ull	/* extra, separately mapped 4 KiB pages */
#define CF_XPAGES	16
#define CF_NO_GPA	0x4c000000ull	/* never mapped in stage 2 */
#define CF_MAX_DEVS	300

struct cf_dev {
	uint32_t id, psid, viommu;
	uint64_t vsid;
	struct xiommu_guest_ctx gc;	/* the guest's context table of the device */
};

struct cf {
	/* what the runner sets */
	const char *config;		/* the ini file */
	uint32_t unit;
	int verbose;
	struct xiommu_hw_info hw;
	/* the rig */
	struct xiommu_ctx *ctx;
	uint8_t *ram, *xram;		/* VMM buffers: guest RAM, extra pages */
	uint32_t region, xregion;
	uint32_t viommu;
	struct xiommu_guest g;		/* table pool of the viommu */
	struct cf_dev dev[CF_MAX_DEVS];
	uint32_t ndev;
	uint32_t next_psid;
	/* the outcome */
	char why[1024];			/* the first failing check */
	char skip[64];			/* the absent feature */
};

struct cf_scenario {
	const char *name;
	const char *summary;
	int (*run)(struct cf *t);
};

/* Every scenario, NULL-terminated (scenarios.c). */
extern const struct cf_scenario *const cf_scenarios[];

/* ---- rig (cf.c) ---- */
/* Open the config, allocate the unit's viommu and guest RAM; 0 or -errno with t->why. */
int cf_rig(struct cf *t);
void cf_unrig(struct cf *t);
/* A second viommu on the unit, with its own stage 2 over the same RAM region. */
int cf_viommu(struct cf *t, uint32_t *viommu, struct xiommu_guest *g);

/* ---- checks ---- */
int cf_failf(struct cf *t, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cf_eq_fail(struct cf *t, int line, const char *what, uint64_t seen, uint64_t want);
#define CF_EQ(what, seen, want) do { \
	uint64_t s_ = (uint64_t)(seen), w_ = (uint64_t)(want); \
	if (s_ != w_) \
		return cf_eq_fail(t, __LINE__, what, s_, w_); \
} while (0)
#define CF_TRUE(what, cond) do { \
	if (!(cond)) \
		return cf_failf(t, __LINE__, "%s: expected true, seen false (%s)", what, #cond); \
} while (0)
/* A call that must succeed. */
#define CF_OK(what, call) do { \
	int r_ = (call); \
	if (r_ < 0) \
		return cf_failf(t, __LINE__, "%s: expected success, seen %d (%s)", what, r_, \
				xiommu_last_error(t->ctx)); \
} while (0)
/* A call that must fail with @err. */
#define CF_ERR(what, call, err) do { \
	int r_ = (call); \
	if (r_ != (err)) \
		return cf_failf(t, __LINE__, "%s: expected errno %d, seen %d (%s)", what, (err), \
				r_, r_ ? xiommu_last_error(t->ctx) : "succeeded"); \
} while (0)
/* A DMA status check that, failing, names the fault record the access left. */
int cf_status_fail(struct cf *t, int line, const char *what, uint32_t seen, uint32_t want,
		   uint32_t viommu);
#define CF_STATUS(what, seen, want) do { \
	uint32_t s_ = (seen); \
	if (s_ != (uint32_t)(want)) \
		return cf_status_fail(t, __LINE__, what, s_, (want), t->viommu); \
} while (0)
/* Skip unless the unit offers @feature (XIOMMU_HW_*). */
#define CF_NEED(feature, name) do { \
	if (!(t->hw.features & (feature))) \
		return cf_skip(t, name); \
} while (0)
int cf_skip(struct cf *t, const char *feature);

/* ---- devices and guest structures ---- */
#define CF_PASID	1		/* the PASID scenarios use unless they say */
#define CF_TAG		7		/* the guest tag (ASID / DID) they use */
/* Attach a device (next free psid) with @grants; pasid_bits min(10, hw). */
int cf_attach(struct cf *t, uint32_t viommu, uint32_t grants, struct cf_dev **out);
/* A fresh stage-1 address space with @tag and input bits @ias (0 = 48). */
int cf_space(struct cf *t, struct xiommu_guest *g, struct xiommu_guest_s1 *s1, uint32_t tag,
	     uint8_t ias);
/* Map one page of 2^@pgshift bytes. */
int cf_map(struct cf *t, struct xiommu_guest *g, const struct xiommu_guest_s1 *s1,
	   uint64_t iova, uint64_t gpa, uint32_t pgshift, uint32_t perm);
int cf_unmap(struct cf *t, struct xiommu_guest *g, const struct xiommu_guest_s1 *s1,
	     uint64_t iova);
/*
 * Point @pasid of @d at @s1 and make it take effect: the bind the guest
 * codec asks for, or (when it only changed memory the unit uses and
 * @config_inv) a CONFIG invalidation of the PASID. *bound = 1 if a bind was
 * sent. @g: the device's viommu pool.
 */
int cf_bind(struct cf *t, struct xiommu_guest *g, struct cf_dev *d, uint32_t pasid,
	    const struct xiommu_guest_s1 *s1);
/* Only write the guest context: 1 = a bind is needed, 0 = a config invalidation is. */
int cf_ctx_write(struct cf *t, struct xiommu_guest *g, struct cf_dev *d, uint32_t pasid,
		 const struct xiommu_guest_s1 *s1, struct xiommu_bind *b);

/*
 * The common start: one device with @grants, a stage 1 with CF_TAG mapping
 * CF_IOVA -> data page 1 (4 KiB, read/write), bound at CF_PASID.
 * 0, or CF_FAIL with the reason recorded.
 */
int cf_basic(struct cf *t, uint32_t grants, struct cf_dev **d, struct xiommu_guest_s1 *s1);
#define CF_BASIC(grants, d, s1) do { \
	if (cf_basic(t, grants, d, s1)) \
		return CF_FAIL; \
} while (0)

/* ---- DMA, faults, invalidation ---- */
#define CF_ACC_WRITE	XIOMMU_DMA_F_WRITE
#define CF_ACC_PRIV	XIOMMU_DMA_F_PRIV
#define CF_ACC_EXEC	XIOMMU_DMA_F_EXEC
#define CF_NOPASID	0xffffffffu
/*
 * Read 8 bytes at @iova as device @d with @pasid (CF_NOPASID: untagged);
 * returns the status, *val the data. Every data page of guest RAM holds
 * its own GPA in its first 8 bytes (cf_stamp), so *val names the page.
 */
uint32_t cf_read(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		 uint32_t acc, uint64_t *val);
/* Write @val at @iova; status. */
uint32_t cf_write(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		  uint32_t acc, uint64_t val);
/* Translate only (no data), for exec or privileged checks. */
uint32_t cf_xlate(struct cf *t, const struct cf_dev *d, uint32_t pasid, uint64_t iova,
		  uint32_t acc, uint64_t *hpa);
/* The 8 bytes at @gpa of guest RAM as the VMM sees them (0 outside). */
uint64_t cf_peek(struct cf *t, uint64_t gpa);
/* Re-stamp every data page with its own GPA. */
void cf_stamp(struct cf *t);
/* Read up to @n fault records of @viommu; returns the count. */
uint32_t cf_faults(struct cf *t, uint32_t viommu, struct xiommu_fault *f, uint32_t n);
/* Generic invalidation batch on @viommu: the call's return. */
int cf_inv(struct cf *t, uint32_t viommu, const struct xiommu_inv_entry *e, uint32_t n);
/* The vendor's raw guest commands for @e: the call's return. */
int cf_inv_raw(struct cf *t, uint32_t viommu, const struct xiommu_inv_entry *e);
struct xiommu_stats cf_stats(struct cf *t);

/* A data page: GPA of page @i of the data area. */
static inline uint64_t cf_page(uint32_t i)
{
	return CF_GPA + (uint64_t)i * 4096;
}

#define CF_IOVA		0x80000000ull	/* a 1 GiB aligned IOVA the scenarios map at */

#endif
