// SPDX-License-Identifier: MIT
/* The scenario catalogue, in the order reports list it. */
#include "cf.h"

#define SC(n) extern const struct cf_scenario cf_sc_##n;
#define SCENARIOS \
	SC(hw_info) SC(codec) SC(4k) SC(2m) SC(1g) SC(5l) SC(many) SC(2pasid) \
	SC(f_unmapped) SC(f_ro) SC(f_nx) SC(f_priv) SC(f_s2out) SC(f_s2walk) SC(f_s2ro) \
	SC(f_encode) \
	SC(inv_all) SC(inv_pasid) SC(inv_tag) SC(inv_range) SC(inv_range_tag) \
	SC(inv_range_pasid) SC(inv_range_both) SC(inv_leaf) SC(inv_range64) SC(inv_unmap) \
	SC(raw_all) SC(raw_pasid) SC(raw_tag) SC(raw_range_tag) SC(raw_range_pasid) \
	SC(raw_leaf) SC(raw_range64) \
	SC(dt_guest) SC(dt_iotlb) SC(dt_s2) SC(dt_none) \
	SC(cfg_pasid) SC(cfg_all) SC(cfg_raw) SC(ub_abort) SC(ub_bypass) SC(rebind) \
	SC(msi) SC(stall) SC(pri) \
	SC(isolation) SC(hidden) SC(malformed) \
	SC(scale_pasids) SC(scale_vdevs) SC(scale_batch) SC(td_dev) SC(td_mem) SC(td_close)
SCENARIOS
#undef SC
#define SC(n) &cf_sc_##n,

const struct cf_scenario *const cf_scenarios[] = { SCENARIOS NULL };
