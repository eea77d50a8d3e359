// SPDX-License-Identifier: MIT
/*
 * The guest-format decoder behind `xiommu decode smmuv3 KIND WORD...`:
 * every named field of an STE, CD, L1CD, command, event record or ID
 * register set through the callback, with reserved bits and illegal values
 * flagged.
 */
#include <string.h>
#include "smmuv3_plugin.h"

struct fld {
	const char *name;
	uint8_t w, h, l;
};

#define F(n, f) { n, f }

static const struct fld ste_f[] = {
	F("V", SMMUV3_STE_V), F("Config", SMMUV3_STE_CONFIG), F("S1Fmt", SMMUV3_STE_S1FMT),
	F("S1ContextPtr", SMMUV3_STE_S1CTXPTR), F("S1CDMax", SMMUV3_STE_S1CDMAX),
	F("S1DSS", SMMUV3_STE_S1DSS), F("S1CIR", SMMUV3_STE_S1CIR), F("S1COR", SMMUV3_STE_S1COR),
	F("S1CSH", SMMUV3_STE_S1CSH), F("S2HWU", SMMUV3_STE_S2HWU), F("DRE", SMMUV3_STE_DRE),
	F("CONT", SMMUV3_STE_CONT), F("DCP", SMMUV3_STE_DCP), F("PPAR", SMMUV3_STE_PPAR),
	F("MEV", SMMUV3_STE_MEV), F("S1PIE", SMMUV3_STE_S1PIE), F("S2FWB", SMMUV3_STE_S2FWB),
	F("S1MPAM", SMMUV3_STE_S1MPAM), F("S1STALLD", SMMUV3_STE_S1STALLD),
	F("EATS", SMMUV3_STE_EATS), F("STRW", SMMUV3_STE_STRW), F("MemAttr", SMMUV3_STE_MEMATTR),
	F("MTCFG", SMMUV3_STE_MTCFG), F("ALLOCCFG", SMMUV3_STE_ALLOCCFG),
	F("SHCFG", SMMUV3_STE_SHCFG), F("NSCFG", SMMUV3_STE_NSCFG),
	F("PRIVCFG", SMMUV3_STE_PRIVCFG), F("INSTCFG", SMMUV3_STE_INSTCFG),
	F("S2VMID", SMMUV3_STE_S2VMID), F("S2T0SZ", SMMUV3_STE_S2T0SZ), F("S2SL0", SMMUV3_STE_S2SL0),
	F("S2IR0", SMMUV3_STE_S2IR0), F("S2OR0", SMMUV3_STE_S2OR0), F("S2SH0", SMMUV3_STE_S2SH0),
	F("S2TG", SMMUV3_STE_S2TG), F("S2PS", SMMUV3_STE_S2PS), F("S2AA64", SMMUV3_STE_S2AA64),
	F("S2ENDI", SMMUV3_STE_S2ENDI), F("S2AFFD", SMMUV3_STE_S2AFFD), F("S2PTW", SMMUV3_STE_S2PTW),
	F("S2HD", SMMUV3_STE_S2HD), F("S2HA", SMMUV3_STE_S2HA), F("S2S", SMMUV3_STE_S2S),
	F("S2R", SMMUV3_STE_S2R), F("S2TTB", SMMUV3_STE_S2TTB), { NULL, 0, 0, 0 },
};

static const struct fld cd_f[] = {
	F("T0SZ", SMMUV3_CD_T0SZ), F("TG0", SMMUV3_CD_TG0), F("IR0", SMMUV3_CD_IR0),
	F("OR0", SMMUV3_CD_OR0), F("SH0", SMMUV3_CD_SH0), F("EPD0", SMMUV3_CD_EPD0),
	F("ENDI", SMMUV3_CD_ENDI), F("T1SZ", SMMUV3_CD_T1SZ), F("TG1", SMMUV3_CD_TG1),
	F("IR1", SMMUV3_CD_IR1), F("OR1", SMMUV3_CD_OR1), F("SH1", SMMUV3_CD_SH1),
	F("EPD1", SMMUV3_CD_EPD1), F("V", SMMUV3_CD_V), F("IPS", SMMUV3_CD_IPS),
	F("AFFD", SMMUV3_CD_AFFD), F("WXN", SMMUV3_CD_WXN), F("UWXN", SMMUV3_CD_UWXN),
	F("TBI0", SMMUV3_CD_TBI0), F("TBI1", SMMUV3_CD_TBI1), F("PAN", SMMUV3_CD_PAN),
	F("AA64", SMMUV3_CD_AA64), F("HD", SMMUV3_CD_HD), F("HA", SMMUV3_CD_HA), F("S", SMMUV3_CD_S),
	F("R", SMMUV3_CD_R), F("A", SMMUV3_CD_A), F("ASET", SMMUV3_CD_ASET), F("ASID", SMMUV3_CD_ASID),
	F("TTB0", SMMUV3_CD_TTB0), F("TTB1", SMMUV3_CD_TTB1), F("MAIR0", SMMUV3_CD_MAIR0),
	F("MAIR1", SMMUV3_CD_MAIR1), { NULL, 0, 0, 0 },
};

static const struct fld evt_f[] = {
	F("EventID", SMMUV3_EVT_ID), F("SSV", SMMUV3_EVT_SSV), F("SubstreamID", SMMUV3_EVT_SSID),
	F("StreamID", SMMUV3_EVT_SID), F("STAG", SMMUV3_EVT_STAG), F("Stall", SMMUV3_EVT_STALL),
	F("PnU", SMMUV3_EVT_PNU), F("InD", SMMUV3_EVT_IND), F("RnW", SMMUV3_EVT_RNW),
	F("S2", SMMUV3_EVT_S2), F("CLASS", SMMUV3_EVT_CLASS), F("TTRnW", SMMUV3_EVT_TTRNW),
	F("InputAddr", SMMUV3_EVT_INPUT), F("IPA/FetchAddr", SMMUV3_EVT_FETCH), { NULL, 0, 0, 0 },
};

static const char *const evt_names[0x26] = {
	[0x01] = "F_UUT", [0x02] = "C_BAD_STREAMID", [0x03] = "F_STE_FETCH", [0x04] = "C_BAD_STE",
	[0x05] = "F_BAD_ATS_TREQ", [0x06] = "F_STREAM_DISABLED", [0x07] = "F_TRANSL_FORBIDDEN",
	[0x08] = "C_BAD_SUBSTREAMID", [0x09] = "F_CD_FETCH", [0x0a] = "C_BAD_CD",
	[0x0b] = "F_WALK_EABT", [0x10] = "F_TRANSLATION", [0x11] = "F_ADDR_SIZE",
	[0x12] = "F_ACCESS", [0x13] = "F_PERMISSION", [0x20] = "F_TLB_CONFLICT",
	[0x21] = "F_CFG_CONFLICT", [0x24] = "E_PAGE_REQUEST", [0x25] = "F_VMS_FETCH",
};

static const char *cmd_name(unsigned int op)
{
	static const struct { uint8_t op; const char *n; } t[] = {
		{ 0x01, "PREFETCH_CONFIG" }, { 0x02, "PREFETCH_ADDR" }, { 0x03, "CFGI_STE" },
		{ 0x04, "CFGI_STE_RANGE" }, { 0x05, "CFGI_CD" }, { 0x06, "CFGI_CD_ALL" },
		{ 0x07, "CFGI_VMS_PIDM" }, { 0x10, "TLBI_NH_ALL" }, { 0x11, "TLBI_NH_ASID" },
		{ 0x12, "TLBI_NH_VA" }, { 0x13, "TLBI_NH_VAA" }, { 0x20, "TLBI_EL2_ALL" },
		{ 0x21, "TLBI_EL2_ASID" }, { 0x22, "TLBI_EL2_VA" }, { 0x23, "TLBI_EL2_VAA" },
		{ 0x28, "TLBI_S12_VMALL" }, { 0x2a, "TLBI_S2_IPA" }, { 0x30, "TLBI_NSNH_ALL" },
		{ 0x40, "ATC_INV" }, { 0x41, "PRI_RESP" }, { 0x44, "RESUME" }, { 0x45, "STALL_TERM" },
		{ 0x46, "CMD_SYNC" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].op == op)
			return t[i].n;
	return NULL;
}

/* Extra checks: illegal values per field name (0 or XIOMMU_FIELD_ILLEGAL), with a note. */
static uint32_t ste_check(const char *n, uint64_t v, const uint64_t *w, const char **note)
{
	unsigned int cfg = (unsigned int)XI_GET(w[0], 3, 1);
	int subs = XI_GET(w[0], 63, 59) != 0;	/* S1Fmt, S1DSS IGNORED without substreams */

	if (!strcmp(n, "Config")) {
		static const char *const c[8] = { "abort", "abort (reserved)", "abort (reserved)",
			"abort (reserved)", "bypass", "stage 1", "stage 2", "nested" };
		*note = c[v & 7];
	} else if (!strcmp(n, "S1Fmt") && (cfg & 5) == 5 && subs && v == 3) {
		*note = "reserved";
		return XIOMMU_FIELD_ILLEGAL;
	} else if (!strcmp(n, "S1DSS") && (cfg & 5) == 5 && subs && v == 3) {
		*note = "reserved";
		return XIOMMU_FIELD_ILLEGAL;
	} else if (!strcmp(n, "S2TG") && (cfg & 6) == 6) {
		*note = v == 0 ? "4KB" : v == 1 ? "64KB" : v == 2 ? "16KB" : "reserved";
		return v == 3 ? XIOMMU_FIELD_ILLEGAL : 0;
	} else if (!strcmp(n, "S2SL0") && (cfg & 6) == 6 && v == 3) {
		*note = "needs FEAT_TTST";
		return XIOMMU_FIELD_ILLEGAL;
	} else if (!strcmp(n, "S2AA64") && (cfg & 6) == 6 && !v) {
		*note = "AArch32 stage 2 is not supported";
		return XIOMMU_FIELD_ILLEGAL;
	}
	return 0;
}

static uint32_t cd_check(const char *n, uint64_t v, const uint64_t *w, const char **note)
{
	int valid = (int)XI_GET(w[0], 31, 31);

	if (!valid)
		return 0;
	if (!strcmp(n, "TG0")) {
		*note = v == 0 ? "4KB" : v == 1 ? "64KB" : v == 2 ? "16KB" : "reserved";
		return v == 3 && !XI_GET(w[0], 14, 14) ? XIOMMU_FIELD_ILLEGAL : 0;
	}
	if (!strcmp(n, "T0SZ") && !XI_GET(w[0], 14, 14) && (v < 16 || v > 39)) {
		*note = "outside 16..39";
		return XIOMMU_FIELD_ILLEGAL;
	}
	if ((!strcmp(n, "AA64") && !v) || (!strcmp(n, "A") && !v)) {
		*note = !strcmp(n, "A") ? "must be 1 (TERM_MODEL)" : "must be 1";
		return XIOMMU_FIELD_ILLEGAL;
	}
	return 0;
}

/* Fields holding an address: printed as the address, not the shifted field. */
static int is_ptr(const char *n)
{
	static const char *const p[] = { "S1ContextPtr", "S2TTB", "TTB0", "TTB1", "InputAddr",
					 "IPA/FetchAddr", NULL };
	int i;

	for (i = 0; p[i]; i++)
		if (!strcmp(p[i], n))
			return 1;
	return 0;
}

/* Names of enumerated values (SMMUv3 STE/CD field encodings), or NULL. */
static const char *enum_note(const char *n, uint64_t v)
{
	static const char *const s1fmt[] = { "linear", "2-level, 4KB leaf tables",
					     "2-level, 64KB leaf tables", "reserved" };
	static const char *const s1dss[] = { "terminate", "bypass", "substream 0", "reserved" };
	static const char *const cache[] = { "non-cacheable", "write-back, write-allocate",
					     "write-through", "write-back, no write-allocate" };
	static const char *const sh[] = { "non-shareable", "reserved", "outer shareable",
					  "inner shareable" };
	static const char *const ps[] = { "32 bits", "36 bits", "40 bits", "42 bits", "44 bits",
					  "48 bits", "52 bits", "56 bits" };
	static const char *const strw[] = { "NS-EL1", "reserved", "EL2", "EL2-E2H" };

	if (!strcmp(n, "S1Fmt"))
		return s1fmt[v & 3];
	if (!strcmp(n, "S1DSS"))
		return s1dss[v & 3];
	if (!strcmp(n, "S1CIR") || !strcmp(n, "S1COR") || !strcmp(n, "S2IR0") ||
	    !strcmp(n, "S2OR0") || !strcmp(n, "IR0") || !strcmp(n, "OR0"))
		return cache[v & 3];
	if (!strcmp(n, "S1CSH") || !strcmp(n, "S2SH0") || !strcmp(n, "SH0"))
		return sh[v & 3];
	if (!strcmp(n, "S2PS") || !strcmp(n, "IPS"))
		return ps[v & 7];
	if (!strcmp(n, "STRW"))
		return strw[v & 3];
	if (!strcmp(n, "EATS"))
		return v == 0 ? "ATS off" : v == 1 ? "full ATS" : v == 2 ? "split-stage ATS" :
		       "ATS with DPT";
	return NULL;
}

static int walk(const struct fld *t, const uint64_t *w, uint32_t nw, xiommu_field_fn fn,
		void *arg, uint32_t (*chk)(const char *, uint64_t, const uint64_t *, const char **))
{
	uint64_t v;
	const char *note;
	uint32_t fl;

	for (; t->name; t++) {
		if (t->w >= nw)
			continue;
		v = XI_GET(w[t->w], t->h, t->l);
		note = enum_note(t->name, v);
		fl = chk ? chk(t->name, v, w, &note) : 0;
		fn(arg, t->name, is_ptr(t->name) ? v << t->l : v, fl, note);
	}
	return 0;
}

static void res0(const char *name, uint64_t bits, xiommu_field_fn fn, void *arg)
{
	if (bits)
		fn(arg, name, bits, XIOMMU_FIELD_RESERVED, "reserved bits set");
}

static int decode_cmd(const uint64_t *w, xiommu_field_fn fn, void *arg)
{
	unsigned int op = (unsigned int)XI_GET(w[0], 7, 0), tg = (unsigned int)XI_GET(w[1], 11, 10);
	const char *n = cmd_name(op);
	uint64_t m0, m1;

	fn(arg, "Opcode", op, n ? 0 : XIOMMU_FIELD_ILLEGAL, n ? n : "unknown opcode");
	smmuv3_cmd_valid_mask(op, &m0, &m1);
	if (!m0)
		return 0;
	if (m0 & XI_BIT(11))
		fn(arg, "SSV", XI_GET(w[0], 11, 11), 0, NULL);
	if ((m0 & XI_GENMASK(31, 12)) == XI_GENMASK(31, 12))
		fn(arg, "SubstreamID", XI_GET(w[0], 31, 12), 0, NULL);
	switch (op) {
	case SMMUV3_OP_TLBI_NH_ALL: case SMMUV3_OP_TLBI_S12_VMALL:
	case SMMUV3_OP_TLBI_NH_ASID: case SMMUV3_OP_TLBI_NH_VA:
	case SMMUV3_OP_TLBI_NH_VAA: case SMMUV3_OP_TLBI_S2_IPA:
		fn(arg, "VMID", XI_GET(w[0], 47, 32), 0, NULL);
		if (op == SMMUV3_OP_TLBI_NH_ASID || op == SMMUV3_OP_TLBI_NH_VA)
			fn(arg, "ASID", XI_GET(w[0], 63, 48), 0, NULL);
		if (op != SMMUV3_OP_TLBI_NH_VA && op != SMMUV3_OP_TLBI_NH_VAA &&
		    op != SMMUV3_OP_TLBI_S2_IPA)
			break;
		fn(arg, "NUM", XI_GET(w[0], 16, 12), 0, NULL);
		fn(arg, "SCALE", XI_GET(w[0], 24, 20), 0, NULL);
		fn(arg, "Leaf", XI_GET(w[1], 0, 0), 0, NULL);
		fn(arg, "TTL", XI_GET(w[1], 9, 8), 0, NULL);
		fn(arg, "TG", tg, (tg && !XI_GET(w[0], 16, 12) && !XI_GET(w[0], 24, 20) &&
				   !XI_GET(w[1], 9, 8)) ? XIOMMU_FIELD_ILLEGAL : 0,
		   tg ? (tg == 1 ? "4KB range" : tg == 2 ? "16KB range" : "64KB range") : "no range");
		fn(arg, "Address", w[1] & (op == SMMUV3_OP_TLBI_S2_IPA ? XI_GENMASK(55, 12) :
					   XI_GENMASK(63, 12)), 0, NULL);
		break;
	case SMMUV3_OP_TLBI_EL2_ASID:
		fn(arg, "ASID", XI_GET(w[0], 63, 48), 0, NULL);
		break;
	case SMMUV3_OP_CMD_SYNC:
		fn(arg, "CS", XI_GET(w[0], 13, 12), XI_GET(w[0], 13, 12) == 3 ? XIOMMU_FIELD_ILLEGAL : 0,
		   NULL);
		fn(arg, "MSH", XI_GET(w[0], 23, 22), 0, NULL);
		fn(arg, "MSIAttr", XI_GET(w[0], 27, 24), 0, NULL);
		fn(arg, "MSIData", XI_GET(w[0], 63, 32), 0, NULL);
		fn(arg, "MSIAddr", w[1] & XI_GENMASK(55, 2), 0, NULL);
		break;
	default:
		if (m0 & XI_BIT(32))
			fn(arg, "StreamID", XI_GET(w[0], 63, 32), 0, NULL);
		if (op == SMMUV3_OP_CFGI_STE || op == SMMUV3_OP_CFGI_CD)
			fn(arg, "Leaf", XI_GET(w[1], 0, 0), 0, NULL);
		if (op == SMMUV3_OP_CFGI_STE_RANGE)
			fn(arg, "Range", XI_GET(w[1], 4, 0), 0,
			   XI_GET(w[1], 4, 0) == 31 ? "CFGI_ALL" : NULL);
		if (op == SMMUV3_OP_ATC_INV) {
			fn(arg, "Global", XI_GET(w[0], 9, 9), 0, NULL);
			fn(arg, "Size", XI_GET(w[1], 5, 0),
			   XI_GET(w[1], 5, 0) > 52 ? XIOMMU_FIELD_ILLEGAL : 0, NULL);
			fn(arg, "Address", w[1] & XI_GENMASK(63, 12), 0, NULL);
		}
		if (op == SMMUV3_OP_PRI_RESP) {
			fn(arg, "PRGIndex", XI_GET(w[1], 8, 0), 0, NULL);
			fn(arg, "Resp", XI_GET(w[1], 13, 12),
			   XI_GET(w[1], 13, 12) == 3 ? XIOMMU_FIELD_ILLEGAL : 0, NULL);
		}
		if (op == SMMUV3_OP_RESUME) {
			fn(arg, "Ac", XI_GET(w[0], 12, 12), 0,
			   XI_GET(w[0], 12, 12) ? "retry" : "terminate");
			fn(arg, "Ab", XI_GET(w[0], 13, 13), 0, NULL);
			fn(arg, "STAG", XI_GET(w[1], 15, 0), 0, NULL);
		}
		break;
	}
	res0("RES0[0]", w[0] & ~m0, fn, arg);
	res0("RES0[1]", w[1] & ~m1, fn, arg);
	return 0;
}

static int decode_idr(const uint64_t *w, uint32_t nw, xiommu_field_fn fn, void *arg)
{
	static const struct fld idr_f[] = {
		{ "IDR0.S2P", 0, 0, 0 }, { "IDR0.S1P", 0, 1, 1 }, { "IDR0.TTF", 0, 3, 2 },
		{ "IDR0.COHACC", 0, 4, 4 }, { "IDR0.BTM", 0, 5, 5 }, { "IDR0.HTTU", 0, 7, 6 },
		{ "IDR0.Hyp", 0, 9, 9 }, { "IDR0.ATS", 0, 10, 10 }, { "IDR0.ASID16", 0, 12, 12 },
		{ "IDR0.MSI", 0, 13, 13 }, { "IDR0.PRI", 0, 16, 16 }, { "IDR0.VMID16", 0, 18, 18 },
		{ "IDR0.CD2L", 0, 19, 19 }, { "IDR0.TTENDIAN", 0, 22, 21 },
		{ "IDR0.STALL_MODEL", 0, 25, 24 }, { "IDR0.TERM_MODEL", 0, 26, 26 },
		{ "IDR0.ST_LEVEL", 0, 28, 27 }, { "IDR1.SIDSIZE", 1, 5, 0 },
		{ "IDR1.SSIDSIZE", 1, 10, 6 }, { "IDR1.PRIQS", 1, 15, 11 },
		{ "IDR1.EVENTQS", 1, 20, 16 }, { "IDR1.CMDQS", 1, 25, 21 },
		{ "IDR1.ATTR_TYPES_OVR", 1, 27, 27 }, { "IDR3.FWB", 3, 8, 8 }, { "IDR3.STT", 3, 9, 9 },
		{ "IDR3.RIL", 3, 10, 10 }, { "IDR3.BBML", 3, 12, 11 }, { "IDR5.OAS", 5, 2, 0 },
		{ "IDR5.GRAN4K", 5, 4, 4 }, { "IDR5.GRAN16K", 5, 5, 5 }, { "IDR5.GRAN64K", 5, 6, 6 },
		{ "IDR5.VAX", 5, 11, 10 }, { "IDR5.STALL_MAX", 5, 31, 16 }, { "IIDR", 6, 31, 0 },
		{ "AIDR", 7, 31, 0 }, { NULL, 0, 0, 0 },
	};
	uint32_t i;

	for (i = 0; i < nw; i++)
		if (w[i] >> 32)
			fn(arg, "RES0", w[i] >> 32, XIOMMU_FIELD_RESERVED, "IDRs are 32-bit");
	if (nw > 0 && XI_GET(w[0], 25, 24) == 3)
		fn(arg, "IDR0.STALL_MODEL", 3, XIOMMU_FIELD_ILLEGAL, "reserved");
	return walk(idr_f, w, nw, fn, arg, NULL);
}

int smmuv3_decode(const char *kind, const uint64_t *w, uint32_t nw, xiommu_field_fn fn, void *arg)
{
	if (!kind || !w || !fn)
		return -EINVAL;
	if (!strcmp(kind, "ste")) {
		if (nw < 1 || nw > 8)
			return -EINVAL;
		walk(ste_f, w, nw, fn, arg, ste_check);
		res0("RES0[0]", w[0] & SMMUV3_STE_RES0_0, fn, arg);
		if (nw > 1)
			res0("RES0[1]", w[1] & SMMUV3_STE_RES0_1, fn, arg);
		if (nw > 2)
			res0("RES0[2]", w[2] & SMMUV3_STE_RES0_2, fn, arg);
		if (nw > 3)
			res0("RES0[3]", w[3] & SMMUV3_STE_RES0_3, fn, arg);
		return 0;
	}
	if (!strcmp(kind, "cd")) {
		if (nw < 1 || nw > 8)
			return -EINVAL;
		walk(cd_f, w, nw, fn, arg, cd_check);
		if (nw > 1)
			res0("RES0[1]", w[1] & SMMUV3_CD_RES0_1, fn, arg);
		if (nw > 2)
			res0("RES0[2]", w[2] & SMMUV3_CD_RES0_2, fn, arg);
		return 0;
	}
	if (!strcmp(kind, "l1cd")) {
		if (nw != 1)
			return -EINVAL;
		fn(arg, "V", w[0] & 1, 0, NULL);
		fn(arg, "L2Ptr", w[0] & XI_GENMASK(55, 12), 0, NULL);
		res0("RES0", w[0] & SMMUV3_L1CD_RES0, fn, arg);
		return 0;
	}
	if (!strcmp(kind, "cmd")) {
		if (nw != 2)
			return -EINVAL;
		return decode_cmd(w, fn, arg);
	}
	if (!strcmp(kind, "evt")) {
		unsigned int id;

		if (nw != 4)
			return -EINVAL;
		id = (unsigned int)(w[0] & 0xff);
		fn(arg, "Event", id, 0, id < 0x26 && evt_names[id] ? evt_names[id] :
		   (id >= 0xe0 && id <= 0xef) ? "IMPDEF" : "unknown");
		walk(evt_f, w, nw, fn, arg, NULL);
		res0("RES0[0]", w[0] & XI_GENMASK(10, 8), fn, arg);
		res0("RES0[1]", w[1] & (XI_GENMASK(30, 16) | XI_BIT(32) | XI_GENMASK(38, 36) |
					XI_GENMASK(43, 42) | XI_GENMASK(63, 45)), fn, arg);
		return 0;
	}
	if (!strcmp(kind, "idr")) {
		if (nw < 1 || nw > 8)
			return -EINVAL;
		return decode_idr(w, nw, fn, arg);
	}
	return -EINVAL;
}
