// SPDX-License-Identifier: MIT
/*
 * `xiommu decode vtd KIND WORD...`: every named field of a VT-d structure,
 * reserved bits that are set, and illegal values. The CLI only prints; a
 * VMM can call the same code to log what its guest wrote.
 */
#include "vtd_plugin.h"

struct fdesc {
	const char *name;
	uint8_t word, h, l;
};

#define F(n, w, h, l) { n, w, h, l }

static const struct fdesc root_f[] = {
	F("LP", 0, 0, 0), F("LCTP", 0, 63, 12), F("UP", 1, 0, 0), F("UCTP", 1, 63, 12), { NULL } };
static const uint64_t root_rsvd[] = { VTD_RE_RSVD, VTD_RE_RSVD };

static const struct fdesc ctx_f[] = {
	F("P", 0, 0, 0), F("FPD", 0, 1, 1), F("DTE", 0, 2, 2), F("PASIDE", 0, 3, 3),
	F("PRE", 0, 4, 4), F("PDTS", 0, 11, 9), F("PASIDDIRPTR", 0, 63, 12),
	F("RID_PASID", 1, 19, 0), F("RID_PRIV", 1, 20, 20), { NULL } };
static const uint64_t ctx_rsvd[] = { VTD_CE_RSVD0, VTD_CE_RSVD1, ~0ull, ~0ull };

static const struct fdesc pde_f[] = {
	F("P", 0, 0, 0), F("FPD", 0, 1, 1), F("SMPTBLPTR", 0, 63, 12), { NULL } };
static const uint64_t pde_rsvd[] = { VTD_PDE_RSVD };

static const struct fdesc pe_f[] = {
	F("P", 0, 0, 0), F("FPD", 0, 1, 1), F("AW", 0, 4, 2), F("SLEE", 0, 5, 5),
	F("PGTT", 0, 8, 6), F("SLADE", 0, 9, 9), F("SLPTPTR", 0, 63, 12), F("DID", 1, 15, 0),
	F("PWSNP", 1, 23, 23), F("PGSNP", 1, 24, 24), F("CD", 1, 25, 25), F("EMTE", 1, 26, 26),
	F("EMT", 1, 29, 27), F("PWT", 1, 30, 30), F("PCD", 1, 31, 31), F("PAT", 1, 63, 32),
	F("SRE", 2, 0, 0), F("ERE", 2, 1, 1), F("FLPM", 2, 3, 2), F("WPE", 2, 4, 4),
	F("NXE", 2, 5, 5), F("SMEP", 2, 6, 6), F("EAFE", 2, 7, 7), F("FLPTPTR", 2, 63, 12),
	{ NULL } };
static const uint64_t pe_rsvd[] = { VTD_PE_RSVD0, VTD_PE_RSVD1, VTD_PE_RSVD2, ~0ull, ~0ull,
				    ~0ull, ~0ull, ~0ull };

static const struct fdesc fault_f[] = {
	F("FI", 0, 63, 12), F("SID", 1, 15, 0), F("PRIV", 1, 29, 29), F("EXE", 1, 30, 30),
	F("PP", 1, 31, 31), F("FR", 1, 39, 32), F("PV", 1, 59, 40), F("AT", 1, 61, 60),
	F("T", 1, 62, 62), F("F", 1, 63, 63), { NULL } };
static const uint64_t fault_rsvd[] = { VTD_FRCD_RSVD0, VTD_FRCD_RSVD1 };

static const struct fdesc prq_f[] = {
	F("TYPE", 0, 7, 0), F("PASID_PRESENT", 0, 8, 8), F("PRIV_DATA_PRESENT", 0, 9, 9),
	F("RID", 0, 31, 16), F("PASID", 0, 51, 32), F("EXE", 0, 52, 52), F("PM", 0, 53, 53),
	F("RD", 1, 0, 0), F("WR", 1, 1, 1), F("LPIG", 1, 2, 2), F("PRGI", 1, 11, 3),
	F("ADDR", 1, 63, 12), F("PRIV_DATA0", 2, 63, 0), F("PRIV_DATA1", 3, 63, 0), { NULL } };
static const uint64_t prq_rsvd[] = { VTD_PRQ_RSVD0, 0, 0, 0 };

static const struct fdesc cap_f[] = {
	F("ND", 0, 2, 0), F("AFL", 0, 3, 3), F("RWBF", 0, 4, 4), F("PLMR", 0, 5, 5),
	F("PHMR", 0, 6, 6), F("CM", 0, 7, 7), F("SAGAW", 0, 12, 8), F("MGAW", 0, 21, 16),
	F("ZLR", 0, 22, 22), F("FRO", 0, 33, 24), F("SLLPS", 0, 37, 34), F("PSI", 0, 39, 39),
	F("NFR", 0, 47, 40), F("MAMV", 0, 53, 48), F("DWD", 0, 54, 54), F("DRD", 0, 55, 55),
	F("FL1GP", 0, 56, 56), F("PI", 0, 59, 59), F("FL5LP", 0, 60, 60), F("ECMDS", 0, 61, 61),
	F("ESIRTPS", 0, 62, 62), F("ESRTPS", 0, 63, 63), { NULL } };
static const uint64_t cap_rsvd[] = { VTD_CAP_RSVD };

static const struct fdesc ecap_f[] = {
	F("C", 0, 0, 0), F("QI", 0, 1, 1), F("DT", 0, 2, 2), F("IR", 0, 3, 3), F("EIM", 0, 4, 4),
	F("PT", 0, 6, 6), F("SC", 0, 7, 7), F("IRO", 0, 17, 8), F("MHMV", 0, 23, 20),
	F("MTS", 0, 25, 25), F("NEST", 0, 26, 26), F("PRS", 0, 29, 29), F("ERS", 0, 30, 30),
	F("SRS", 0, 31, 31), F("NWFS", 0, 33, 33), F("EAFS", 0, 34, 34), F("PSS", 0, 39, 35),
	F("PASID", 0, 40, 40), F("DIT", 0, 41, 41), F("PDS", 0, 42, 42), F("SMTS", 0, 43, 43),
	F("SLADS", 0, 45, 45), F("SLTS", 0, 46, 46), F("FLTS", 0, 47, 47), F("SMPWCS", 0, 48, 48),
	F("RPS", 0, 49, 49), F("PMS", 0, 51, 51), F("ADMS", 0, 52, 52), F("RPRIVS", 0, 53, 53),
	{ NULL } };
static const uint64_t ecap_rsvd[] = { VTD_ECAP_RSVD };

static const struct fdesc fl_f[] = {
	F("P", 0, 0, 0), F("RW", 0, 1, 1), F("US", 0, 2, 2), F("PWT", 0, 3, 3), F("PCD", 0, 4, 4),
	F("A", 0, 5, 5), F("D", 0, 6, 6), F("PS_PAT", 0, 7, 7), F("G", 0, 8, 8), F("EA", 0, 10, 10),
	F("ADDR", 0, 51, 12), F("XD", 0, 63, 63), { NULL } };
static const uint64_t fl_rsvd[] = { 0 };

static const struct fdesc sl_f[] = {
	F("R", 0, 0, 0), F("W", 0, 1, 1), F("X", 0, 2, 2), F("PS", 0, 7, 7), F("A", 0, 8, 8),
	F("D", 0, 9, 9), F("SNP", 0, 11, 11), F("ADDR", 0, 51, 12), { NULL } };
static const uint64_t sl_rsvd[] = { VTD_SL_RSVD };

/* QI descriptors, per type */
static const struct fdesc qi_cc[] = {
	F("G", 0, 5, 4), F("DID", 0, 31, 16), F("SID", 0, 47, 32), F("FM", 0, 49, 48), { NULL } };
static const struct fdesc qi_iotlb[] = {
	F("G", 0, 5, 4), F("DW", 0, 6, 6), F("DR", 0, 7, 7), F("DID", 0, 31, 16), F("AM", 1, 5, 0),
	F("IH", 1, 6, 6), F("ADDR", 1, 63, 12), { NULL } };
static const struct fdesc qi_dt[] = {
	F("PFSID_LO", 0, 15, 12), F("QDEP", 0, 20, 16), F("SID", 0, 47, 32),
	F("PFSID_HI", 0, 63, 52), F("S", 1, 0, 0), F("ADDR", 1, 63, 12), { NULL } };
static const struct fdesc qi_iec[] = {
	F("G", 0, 4, 4), F("IM", 0, 31, 27), F("IIDX", 0, 47, 32), { NULL } };
static const struct fdesc qi_wait[] = {
	F("IF", 0, 4, 4), F("SW", 0, 5, 5), F("FN", 0, 6, 6), F("PD", 0, 7, 7),
	F("STATUS_DATA", 0, 63, 32), F("STATUS_ADDR", 1, 63, 2), { NULL } };
static const struct fdesc qi_piotlb[] = {
	F("G", 0, 5, 4), F("DID", 0, 31, 16), F("PASID", 0, 51, 32), F("AM", 1, 5, 0),
	F("IH", 1, 6, 6), F("ADDR", 1, 63, 12), { NULL } };
static const struct fdesc qi_pc[] = {
	F("G", 0, 5, 4), F("DID", 0, 31, 16), F("PASID", 0, 51, 32), { NULL } };
static const struct fdesc qi_pdt[] = {
	F("QDEP", 0, 8, 4), F("PFSID_LO", 0, 15, 12), F("SID", 0, 31, 16), F("PASID", 0, 51, 32),
	F("PFSID_HI", 0, 63, 52), F("G", 1, 0, 0), F("S", 1, 11, 11), F("ADDR", 1, 63, 12),
	{ NULL } };
static const struct fdesc qi_pgr[] = {
	F("PP", 0, 4, 4), F("RESPONSE_CODE", 0, 15, 12), F("RID", 0, 31, 16),
	F("PASID", 0, 51, 32), F("LPIG", 1, 2, 2), F("PRGI", 1, 11, 3), { NULL } };

/* Fields holding an address: printed as the address, not the shifted field. */
static int is_ptr(const char *n)
{
	static const char *const p[] = { "LCTP", "UCTP", "PASIDDIRPTR", "SMPTBLPTR", "SLPTPTR",
					 "FLPTPTR", "FI", "ADDR", "STATUS_ADDR", NULL };
	int i;

	for (i = 0; p[i]; i++)
		if (!strcmp(p[i], n))
			return 1;
	return 0;
}

/* Names of enumerated values (VT-d structure encodings), or NULL. */
static const char *enum_note(const char *n, uint64_t v)
{
	static const char *const pgtt[] = { "reserved", "first-level", "second-level", "nested",
					    "pass-through", "reserved", "reserved", "reserved" };
	static const char *const aw[] = { "reserved", "39-bit, 3-level", "48-bit, 4-level",
					  "57-bit, 5-level", "reserved", "reserved", "reserved",
					  "reserved" };
	static const char *const flpm[] = { "4-level", "5-level", "reserved", "reserved" };

	if (!strcmp(n, "PGTT"))
		return pgtt[v & 7];
	if (!strcmp(n, "AW"))
		return aw[v & 7];
	if (!strcmp(n, "FLPM"))
		return flpm[v & 3];
	if (!strcmp(n, "RESPONSE_CODE"))
		return v == VTD_PGR_SUCCESS ? "success" : v == VTD_PGR_INVALID ? "invalid request" :
		       v == VTD_PGR_FAILURE ? "response failure" : "reserved";
	return NULL;
}

static void fields(const struct fdesc *f, const uint64_t *w, xiommu_field_fn fn, void *arg)
{
	uint64_t v;

	for (; f->name; f++) {
		v = XI_GET(w[f->word], f->h, f->l);
		fn(arg, f->name, is_ptr(f->name) ? v << f->l : v, 0, enum_note(f->name, v));
	}
}

/* The granularity G of a QI descriptor of @type, by name. */
static const char *qi_gran(uint32_t type, uint32_t g)
{
	static const char *const cc[] = { "reserved", "global", "domain", "device" };
	static const char *const iotlb[] = { "reserved", "global", "domain", "page" };
	static const char *const piotlb[] = { "reserved", "reserved", "PASID", "page" };
	static const char *const pc[] = { "domain", "PASID", "reserved", "global" };

	switch (type) {
	case VTD_QI_CC: return cc[g & 3];
	case VTD_QI_IOTLB: return iotlb[g & 3];
	case VTD_QI_PIOTLB: return piotlb[g & 3];
	case VTD_QI_PC: return pc[g & 3];
	default: return NULL;
	}
}

static void reserved(const uint64_t *rsvd, const uint64_t *w, uint32_t n, xiommu_field_fn fn,
		     void *arg)
{
	static const char *const names[] = { "reserved_qw0", "reserved_qw1", "reserved_qw2",
					     "reserved_qw3", "reserved_qw4", "reserved_qw5",
					     "reserved_qw6", "reserved_qw7" };
	uint32_t i;

	for (i = 0; i < n && i < 8; i++)
		if (w[i] & rsvd[i])
			fn(arg, names[i], w[i] & rsvd[i], XIOMMU_FIELD_RESERVED,
			   "reserved bits set");
}

static void illegal(xiommu_field_fn fn, void *arg, const char *name, uint64_t v, const char *why)
{
	fn(arg, name, v, XIOMMU_FIELD_ILLEGAL, why);
}

static int decode_qi(const uint64_t *w, xiommu_field_fn fn, void *arg)
{
	static const char *const tname[] = { NULL, "context-cache", "IOTLB", "device-TLB",
					     "interrupt-entry-cache", "invalidation-wait",
					     "PASID-based IOTLB", "PASID-cache",
					     "PASID-based device-TLB", "page-group-response",
					     "page-stream-response" };
	/* per type: its fields and the reserved bits of qw0 / qw1 */
	static const struct {
		const struct fdesc *f;
		uint64_t rsvd0, rsvd1;
	} kinds[] = {
		[VTD_QI_CC] = { qi_cc, VTD_QI_CC_RSVD0, ~0ull },
		[VTD_QI_IOTLB] = { qi_iotlb, VTD_QI_IOTLB_RSVD0, VTD_QI_ADDR_RSVD1 },
		[VTD_QI_DEVTLB] = { qi_dt, VTD_QI_DT_RSVD0, VTD_QI_DT_RSVD1 },
		[VTD_QI_IEC] = { qi_iec, VTD_QI_IEC_RSVD0, ~0ull },
		[VTD_QI_WAIT] = { qi_wait, VTD_QI_WAIT_RSVD0, VTD_QI_WAIT_RSVD1 },
		[VTD_QI_PIOTLB] = { qi_piotlb, VTD_QI_PIOTLB_RSVD0, VTD_QI_ADDR_RSVD1 },
		[VTD_QI_PC] = { qi_pc, VTD_QI_PC_RSVD0, ~0ull },
		[VTD_QI_PDEVTLB] = { qi_pdt, VTD_QI_PDT_RSVD0, VTD_QI_PDT_RSVD1 },
		[VTD_QI_PGRP_RESP] = { qi_pgr, VTD_QI_PGR_RSVD0, VTD_QI_PGR_RSVD1 },
	};
	uint32_t type = vtd_qi_type(w), g = (uint32_t)XI_GET(w[0], 5, 4);
	const struct fdesc *f;
	uint64_t rsvd[4] = { 0, 0, ~0ull, ~0ull };

	fn(arg, "TYPE", type, 0, type < 11 ? tname[type] : NULL);
	if (type >= sizeof(kinds) / sizeof(kinds[0]) || !kinds[type].f) {
		illegal(fn, arg, "TYPE", type, "not a descriptor type this model knows");
		return 0;
	}
	f = kinds[type].f;
	rsvd[0] = kinds[type].rsvd0;
	rsvd[1] = kinds[type].rsvd1;
	if (type == VTD_QI_PGRP_RESP)
		rsvd[2] = rsvd[3] = 0;	/* private data */
	for (; f->name; f++) {
		uint64_t v = XI_GET(w[f->word], f->h, f->l);

		fn(arg, f->name, is_ptr(f->name) ? v << f->l : v, 0,
		   !strcmp(f->name, "G") ? qi_gran(type, (uint32_t)v) : enum_note(f->name, v));
	}
	reserved(rsvd, w, 4, fn, arg);
	if ((type == VTD_QI_CC || type == VTD_QI_IOTLB) && !g)
		illegal(fn, arg, "G", g, "granularity 0 is reserved");
	if (type == VTD_QI_PIOTLB && g < 2)
		illegal(fn, arg, "G", g, "P_IOTLB granularity must be 2 (PASID) or 3 (page)");
	if (type == VTD_QI_PC && g == 2)
		illegal(fn, arg, "G", g, "PASID-cache granularity 2 is reserved");
	if ((type == VTD_QI_IOTLB || type == VTD_QI_PIOTLB) && g == 3) {
		uint32_t am = (uint32_t)XI_GET(w[1], 5, 0);

		if ((w[1] & VTD_QI_ADDR_MASK) & ((1ull << (12 + (am < 52 ? am : 51))) - 1))
			illegal(fn, arg, "ADDR", w[1] & VTD_QI_ADDR_MASK, "not aligned to 2^(12+AM)");
	}
	if (type == VTD_QI_PGRP_RESP) {
		uint64_t rc = XI_GET(w[0], 15, 12);

		if (rc != VTD_PGR_SUCCESS && rc != VTD_PGR_INVALID && rc != VTD_PGR_FAILURE)
			illegal(fn, arg, "RESPONSE_CODE", rc, "accepted 0, 1, 0xF");
	}
	return 0;
}

const char *const vtdp_decode_kinds[] = { "root", "context", "pasid_dir", "pasid", "qi", "fault",
					  "prq", "cap", "ecap", "fl_pte", "sl_pte", NULL };

int vtdp_decode(const char *kind, const uint64_t *w, uint32_t nwords, xiommu_field_fn fn,
		void *arg)
{
	static const struct {
		const char *kind;
		uint32_t nwords;
		const struct fdesc *f;
		const uint64_t *rsvd;
	} k[] = {
		{ "root", 2, root_f, root_rsvd }, { "context", 4, ctx_f, ctx_rsvd },
		{ "pasid_dir", 1, pde_f, pde_rsvd }, { "pasid", 8, pe_f, pe_rsvd },
		{ "qi", 4, NULL, NULL }, { "fault", 2, fault_f, fault_rsvd },
		{ "prq", 4, prq_f, prq_rsvd }, { "cap", 1, cap_f, cap_rsvd },
		{ "ecap", 1, ecap_f, ecap_rsvd }, { "fl_pte", 1, fl_f, fl_rsvd },
		{ "sl_pte", 1, sl_f, sl_rsvd },
	};
	uint32_t i;

	if (!kind || !fn)
		return -EINVAL;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(k[i].kind, kind))
			break;
	if (i == sizeof(k) / sizeof(k[0]) || !w || nwords != k[i].nwords)
		return -EINVAL;
	if (!k[i].f)
		return decode_qi(w, fn, arg);
	fields(k[i].f, w, fn, arg);
	reserved(k[i].rsvd, w, nwords, fn, arg);
	if (!strcmp(kind, "pasid")) {
		uint64_t pgtt = XI_GET(w[0], 8, 6), aw = XI_GET(w[0], 4, 2), flpm = XI_GET(w[2], 3, 2);

		if (!pgtt || pgtt > 4)
			illegal(fn, arg, "PGTT", pgtt, "accepted 1 FL, 2 SL, 3 nested, 4 pass-through");
		if ((pgtt == 2 || pgtt == 3) && (!aw || aw > 3))
			illegal(fn, arg, "AW", aw, "accepted 1 (39), 2 (48), 3 (57)");
		if (flpm > 1)
			illegal(fn, arg, "FLPM", flpm, "accepted 0 (4-level), 1 (5-level)");
		if ((w[2] & XI_BIT(VTD_PE_WPE)) && !(w[2] & XI_BIT(VTD_PE_SRE)))
			illegal(fn, arg, "WPE", 1, "write protect without SRE has no effect");
	} else if (!strcmp(kind, "prq")) {
		if (XI_GET(w[0], 7, 0) != VTD_PRQ_TYPE_PAGE_REQ)
			illegal(fn, arg, "TYPE", XI_GET(w[0], 7, 0), "page request type is 1");
	} else if (!strcmp(kind, "cap")) {
		if (w[0] & XI_BIT(VTD_CAP_CM))
			illegal(fn, arg, "CM", 1, "caching mode: not-present entries may be cached");
		if (XI_GET(w[0], 2, 0) > 6)
			illegal(fn, arg, "ND", XI_GET(w[0], 2, 0), "accepted 0..6");
	} else if (!strcmp(kind, "ecap")) {
		if (XI_GET(w[0], 28, 28))
			illegal(fn, arg, "bit28", 1, "pre-3.0 PASID support bit (broken PASID)");
	}
	return 0;
}
