// SPDX-License-Identifier: MIT
/*
 * xiommu-smmuv3.so: the Arm SMMUv3 plugin. This file holds the ini
 * parameters, hardware info (IDRs -> generic capabilities, filtered), the
 * program helpers and the ops table.
 */
#include <stddef.h>
#include "smmuv3_plugin.h"

#define OFF(f) ((uint32_t)offsetof(struct xiommu_smmuv3_params, f))
#define BOOL(n, f, d, h) { n, h, XIOMMU_PARAM_BOOL, OFF(f), 0, 1, d, NULL, NULL }

static const char *const oas_names[] = { "32", "36", "40", "42", "44", "48", "52", NULL };
static const uint32_t oas_values[] = { 32, 36, 40, 42, 44, 48, 52 };
static const char *const gran_names[] = { "4k", "16k", "64k", NULL };
static const uint32_t gran_shift[] = { 12, 14, 16 };

static const struct xiommu_param smmuv3_params[] = {
	{ "sid_bits", "StreamID bits (IDR1.SIDSIZE)", XIOMMU_PARAM_UINT, OFF(sid_bits), 1, 20, 16,
	  NULL, NULL },
	{ "ssid_bits", "SubstreamID bits (IDR1.SSIDSIZE)", XIOMMU_PARAM_UINT, OFF(ssid_bits), 0, 20,
	  20, NULL, NULL },
	{ "oas", "output address bits (IDR5.OAS)", XIOMMU_PARAM_ENUM, OFF(oas), 0, 0, 48, oas_names,
	  oas_values },
	{ "granules", "translation granules (IDR5.GRAN4K/16K/64K)", XIOMMU_PARAM_SET, OFF(granules),
	  0, 7, SMMUV3_GRAN_4K | SMMUV3_GRAN_64K, gran_names, NULL },
	BOOL("ril", ril, 1, "range invalidation (IDR3.RIL)"),
	BOOL("stall", stall, 1, "stall model: yes = stall and terminate, no = no stall (IDR0.STALL_MODEL)"),
	BOOL("ats", ats, 1, "ATS / ATC invalidation (IDR0.ATS)"),
	BOOL("pri", pri, 0, "PCI page requests (IDR0.PRI, needs ats)"),
	BOOL("vmid16", vmid16, 1, "16-bit VMIDs (IDR0.VMID16)"),
	BOOL("asid16", asid16, 1, "16-bit ASIDs (IDR0.ASID16)"),
	BOOL("st_level", st_level, 1, "2-level stream table (IDR0.ST_LEVEL)"),
	BOOL("cd2l", cd2l, 1, "2-level CD tables (IDR0.CD2L)"),
	{ "s2_granule", "host stage-2 granule (STE.S2TG)", XIOMMU_PARAM_ENUM, OFF(s2_granule), 0, 0,
	  12, gran_names, gran_shift },
	{ "s2_ias", "host stage-2 input bits (STE.S2T0SZ)", XIOMMU_PARAM_UINT, OFF(s2_ias), 32, 48,
	  48, NULL, NULL },
	BOOL("hitless_check", hitless_check, 1,
	     "model rejects programs whose intermediate STEs are neither old, new nor abort"),
	{ "evtq_bits", "log2 event queue entries (IDR1.EVENTQS)", XIOMMU_PARAM_UINT, OFF(evtq_bits),
	  1, 10, 7, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

static int smmuv3_check_params(const struct xiommu_plugin_env *env)
{
	const struct xiommu_smmuv3_params *p = env->params;

	if (!(p->granules & (1u << ((p->s2_granule - 12) / 2)))) {
		env->error(env->core, "s2_granule %uk is not in granules (mask 0x%x)",
			   1u << (p->s2_granule - 10), p->granules);
		return -EINVAL;
	}
	if (!p->granules) {
		env->error(env->core, "granules: name at least one of 4k, 16k, 64k");
		return -EINVAL;
	}
	if (p->s2_ias > p->oas) {
		env->error(env->core, "s2_ias %u exceeds oas %u", p->s2_ias, p->oas);
		return -EINVAL;
	}
	if (p->pri && !p->ats) {
		env->error(env->core, "pri = yes needs ats = yes");
		return -EINVAL;
	}
	return 0;
}

void smmuv3_env_idr(const struct xiommu_plugin_env *env, uint32_t idr[8])
{
	memset(idr, 0, 32);
	if (env->regs)
		memcpy(idr, env->regs, env->regs_len < 32 ? env->regs_len : 32);
}

static uint64_t idr_features(const uint32_t *idr)
{
	uint64_t f = XIOMMU_HW_MSI_NESTING | XIOMMU_HW_BIND_TABLE;

	if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_S1P) && SMMUV3_RGET(idr[0], SMMUV3_IDR0_S2P))
		f |= XIOMMU_HW_NESTING;
	if (SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE))
		f |= XIOMMU_HW_PASID;
	if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_STALL_MODEL) != SMMUV3_STALL_MODEL_NONE)
		f |= XIOMMU_HW_STALL;
	if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_PRI))
		f |= XIOMMU_HW_PRI;
	if (SMMUV3_RGET(idr[3], SMMUV3_IDR3_RIL))
		f |= XIOMMU_HW_RANGE_INV;
	if (SMMUV3_RGET(idr[0], SMMUV3_IDR0_ATS))
		f |= XIOMMU_HW_ATS;
	return f;
}

uint64_t smmuv3_env_features(const struct xiommu_plugin_env *env)
{
	uint32_t idr[8];

	if (env->caps)
		return env->caps->features;
	smmuv3_env_idr(env, idr);
	return idr_features(idr);
}

static uint64_t pgsizes(uint32_t gran)
{
	uint64_t s = 0;

	if (gran & XIOMMU_GRANULE_4K)
		s |= (1ull << 12) | (1ull << 21) | (1ull << 30);
	if (gran & XIOMMU_GRANULE_16K)
		s |= (1ull << 14) | (1ull << 25);
	if (gran & XIOMMU_GRANULE_64K)
		s |= (1ull << 16) | (1ull << 29);
	return s;
}

static uint8_t min8(unsigned int a, unsigned int b)
{
	return (uint8_t)(a < b ? a : b);
}

static int smmuv3_hw_info(const struct xiommu_plugin_env *env, const struct xiommu_hw_info *limit,
			  struct xiommu_hw_info *out, void *raw, uint32_t *raw_len)
{
	const struct xiommu_smmuv3_params *p = env->params;
	uint32_t idr[8], room = raw_len ? *raw_len : 0;
	unsigned int oas;

	if (!env->regs || env->regs_len < SMMUV3_REGS_LEN) {
		env->error(env->core, "smmuv3: backend reported %u register bytes, need %u",
			   env->regs_len, SMMUV3_REGS_LEN);
		return -EINVAL;
	}
	smmuv3_env_idr(env, idr);
	oas = smmuv3_pa_bits(SMMUV3_RGET(idr[5], SMMUV3_IDR5_OAS));
	out->vendor = XIOMMU_VENDOR_SMMUV3;
	out->features = idr_features(idr) & limit->features;
	out->pasid_bits = min8((unsigned int)SMMUV3_RGET(idr[1], SMMUV3_IDR1_SSIDSIZE),
			       limit->pasid_bits);
	out->sid_bits = (uint8_t)SMMUV3_RGET(idr[1], SMMUV3_IDR1_SIDSIZE);
	out->s1_ias = min8(SMMUV3_RGET(idr[5], SMMUV3_IDR5_VAX) ? 52 : 48, limit->s1_ias);
	/*
	 * Nested, the guest's stage-1 output (its IDR5.OAS) is the input of the
	 * host's stage 2: one guest-physical space, so s1_oas and s2_ias are
	 * one number. The SMMU applies its own OAS to the guest's CD.IPS, and a
	 * host cannot make it apply a smaller one; what the host controls is
	 * stage 2. With s2_ias cut to the advertised OAS, no GPA at or above it
	 * is ever mapped (xiommu_map, MSI and bind addresses are checked against
	 * s2_ias), so a stage-1 output beyond the advertised size takes a
	 * stage-2 fault instead of reaching memory - what a real host gets by
	 * mapping only the guest's physical address space.
	 */
	out->s1_oas = min8(min8(p && p->s2_ias ? p->s2_ias : oas, limit->s1_oas), limit->s2_ias);
	if (out->s1_oas < 32) {
		env->error(env->core, "smmuv3: advertise_s1_oas / advertise_s2_ias %u: IDR5.OAS encodes 32 bits at least",
			   out->s1_oas);
		return -EINVAL;
	}
	out->s2_oas = (uint8_t)oas;
	out->tag_bits = SMMUV3_RGET(idr[0], SMMUV3_IDR0_ASID16) ? 16 : 8;
	out->s1_granules = (uint32_t)((SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN4K) ? XIOMMU_GRANULE_4K : 0) |
		(SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN16K) ? XIOMMU_GRANULE_16K : 0) |
		(SMMUV3_RGET(idr[5], SMMUV3_IDR5_GRAN64K) ? XIOMMU_GRANULE_64K : 0));
	out->s2_granules = p ? 1u << ((p->s2_granule - 12) / 2) : out->s1_granules;
	out->s1_pgsizes = pgsizes(out->s1_granules);
	out->s2_pgsizes = pgsizes(out->s2_granules);
	out->raw_type = XIOMMU_RAW_SMMUV3;
	/* the raw copy: what the guest may not use is cleared the same way */
	if (!(out->features & XIOMMU_HW_RANGE_INV))
		idr[3] &= ~(uint32_t)SMMUV3_RPUT(1, SMMUV3_IDR3_RIL);
	if (!(out->features & XIOMMU_HW_STALL))
		idr[0] = (uint32_t)xi_set(idr[0], SMMUV3_IDR0_STALL_MODEL, SMMUV3_STALL_MODEL_NONE);
	if (!(out->features & XIOMMU_HW_PRI))
		idr[0] &= ~(uint32_t)SMMUV3_RPUT(1, SMMUV3_IDR0_PRI);
	if (!(out->features & XIOMMU_HW_ATS))
		idr[0] &= ~(uint32_t)SMMUV3_RPUT(1, SMMUV3_IDR0_ATS);
	/* nesting offers no HTTU, BTM or stage 2 to the guest */
	idr[0] &= ~(uint32_t)(SMMUV3_RPUT(3, SMMUV3_IDR0_HTTU) | SMMUV3_RPUT(1, SMMUV3_IDR0_BTM) |
			      SMMUV3_RPUT(1, SMMUV3_IDR0_S2P));
	idr[1] = (uint32_t)xi_set(idr[1], SMMUV3_IDR1_SSIDSIZE, out->pasid_bits);
	/* the guest's output size: the largest OAS encoding within s1_oas */
	for (oas = 7; oas > 0 && smmuv3_pa_bits(oas) > out->s1_oas; oas--)
		;
	out->s1_oas = (uint8_t)smmuv3_pa_bits(oas);
	out->s2_ias = out->s1_oas;
	idr[5] = (uint32_t)xi_set(idr[5], SMMUV3_IDR5_OAS, oas);
	if (out->s1_ias < 52)
		idr[5] = (uint32_t)xi_set(idr[5], SMMUV3_IDR5_VAX, 0);
	if (!(out->features & XIOMMU_HW_PRI))
		idr[1] = (uint32_t)xi_set(idr[1], SMMUV3_IDR1_PRIQS, 0);
	if (raw && room)
		memcpy(raw, idr, room < SMMUV3_REGS_LEN ? room : SMMUV3_REGS_LEN);
	if (raw_len)
		*raw_len = SMMUV3_REGS_LEN;
	return 0;
}

int smmuv3_prog_ste(struct xiommu_prog *p, uint32_t sid, uint32_t mask, const uint64_t *ste)
{
	struct xiommu_op *op = xiommu_prog_add(p, XIOMMU_OP_ENTRY_WRITE);
	unsigned int i;

	if (!op)
		return -ENOSPC;
	op->target = sid;
	op->mask = mask;
	for (i = 0; i < SMMUV3_STE_DWORDS; i++)
		if (mask & (1u << i))
			op->w[i] = ste[i];
	return 0;
}

int smmuv3_prog_cmd(struct xiommu_prog *p, uint64_t c0, uint64_t c1)
{
	struct xiommu_op *op = xiommu_prog_add(p, XIOMMU_OP_CMD);

	if (!op)
		return -ENOSPC;
	op->count = SMMUV3_CMD_DWORDS;
	op->w[0] = c0;
	op->w[1] = c1;
	return 0;
}

int smmuv3_prog_sync(struct xiommu_prog *p)
{
	return xiommu_prog_add(p, XIOMMU_OP_SYNC) ? 0 : -ENOSPC;
}

void smmuv3_dom_words(const struct xiommu_domain_desc *d, uint64_t *w1, uint64_t *w2,
		      uint64_t *w3)
{
	int oas = smmuv3_pa_code(d->s2_oas);

	smmuv3_ste_host_words(d->s2_root, d->tag, d->s2_ias, oas < 0 ? 5 : (unsigned int)oas,
			      d->granule_shift, d->start_level, w1, w2, w3);
}

const char *const smmuv3_decode_kinds[] = { "ste", "cd", "cmd", "evt", "idr", "l1cd", NULL };

static const struct xiommu_plugin_ops smmuv3_ops = {
	.abi_major = XIOMMU_PLUGIN_ABI_MAJOR,
	.abi_minor = XIOMMU_PLUGIN_ABI_MINOR,
	.vendor = "smmuv3",
	.vendor_id = XIOMMU_VENDOR_SMMUV3,
	.raw_type = XIOMMU_RAW_SMMUV3,
	.params_size = sizeof(struct xiommu_smmuv3_params),
	.inv_raw_type = XIOMMU_INV_RAW_SMMUV3,
	.cmd_len = 16,
	.fault_len = 32,
	.params = smmuv3_params,
	.check_params = smmuv3_check_params,
	.hw_info = smmuv3_hw_info,
	.bind = smmuv3_bind,
	.unbind_pasid = NULL,
	.invalidate = smmuv3_invalidate,
	.invalidate_raw = smmuv3_invalidate_raw,
	.msi_bind = smmuv3_msi_bind,
	.page_response = smmuv3_page_response,
	.event_decode = smmuv3_event_decode,
	.fault_encode = smmuv3_fault_encode,
	.decode = smmuv3_decode,
	.decode_kinds = smmuv3_decode_kinds,
	.guest_s1_alloc = smmuv3_guest_s1_alloc,
	.guest_s1_map = smmuv3_guest_s1_map,
	.guest_s1_unmap = smmuv3_guest_s1_unmap,
	.guest_ctx_write = smmuv3_guest_ctx_write,
	.guest_inv_encode = smmuv3_guest_inv_encode,
};

__attribute__((visibility("default")))
const struct xiommu_plugin_ops *xiommu_plugin_entry(uint32_t abi_major, uint32_t abi_minor)
{
	/* it reads (1.2) members the core hands it: vdev grants, env->gpa_check */
	return abi_major == XIOMMU_PLUGIN_ABI_MAJOR && abi_minor >= 2 ? &smmuv3_ops : NULL;
}
