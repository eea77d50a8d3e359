// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Configuration fetch: StreamID -> STE (linear or 2-level stream table),
 * STE validity against the ID registers, SubstreamID -> CD (single CD,
 * linear or 2-level CD table, reached through stage 2 when nested), CD
 * validity. Valid STEs and CDs are cached (cache.c) until a CFGI command.
 */
#include "smmuv3_int.h"

int smmu_ste_locate(struct smmu_unit *u, uint32_t sid, uint64_t *pa)
{
	uint64_t l1, span;

	if (sid >> u->strtab_log2size || !u->strtab)
		return -ERANGE;
	if (!u->two_level) {
		*pa = u->strtab + (uint64_t)sid * SMMUV3_STE_SIZE;
		return 0;
	}
	*pa = u->strtab + (uint64_t)(sid >> SMMUV3_STRTAB_SPLIT) * 8;
	if (smmu_read64(u, *pa, &l1))
		return -EFAULT;
	span = SMMUV3_WGET(l1, SMMUV3_L1STD_SPAN);
	if (!span || span > SMMUV3_STRTAB_SPLIT + 1 ||
	    (sid & ((1u << SMMUV3_STRTAB_SPLIT) - 1)) >= (1u << (span - 1)))
		return -ERANGE;
	*pa = (l1 & XI_GENMASK(55, 6)) +
	      (uint64_t)(sid & ((1u << SMMUV3_STRTAB_SPLIT) - 1)) * SMMUV3_STE_SIZE;
	return 0;
}

/* Decode @ste into @c: 0, or -EINVAL when the STE is ILLEGAL (C_BAD_STE). */
int smmu_ste_decode(struct smmu_unit *u, const uint64_t *ste, struct smmu_ste_cfg *c)
{
	unsigned int cfg, stride, shift, top, eats, tg, sl, code;
	uint64_t w1 = ste[1], w2 = ste[2];
	int lvl;

	memset(c, 0, sizeof(*c));
	if (!SMMUV3_WGET(ste[0], SMMUV3_STE_V))
		return -EINVAL;
	cfg = (unsigned int)SMMUV3_WGET(ste[0], SMMUV3_STE_CONFIG);
	c->config = (uint8_t)cfg;
	c->s1_on = cfg == SMMUV3_CFG_S1 || cfg == SMMUV3_CFG_NESTED;
	c->s2_on = cfg == SMMUV3_CFG_S2 || cfg == SMMUV3_CFG_NESTED;
	if (cfg < SMMUV3_CFG_BYPASS)
		return 0;
	if ((ste[0] & SMMUV3_STE_RES0_0) || (w1 & SMMUV3_STE_RES0_1) ||
	    (w2 & SMMUV3_STE_RES0_2) || (ste[3] & SMMUV3_STE_RES0_3) ||
	    ste[4] || ste[5] || ste[6] || ste[7])
		return -EINVAL;
	eats = (unsigned int)SMMUV3_WGET(w1, SMMUV3_STE_EATS);
	if (eats > 1 || (eats && !u->p.ats))
		return -EINVAL;
	c->ats = eats == SMMUV3_EATS_FULL;
	if (SMMUV3_WGET(w1, SMMUV3_STE_S2FWB) || SMMUV3_WGET(w1, SMMUV3_STE_S1PIE) ||
	    SMMUV3_WGET(w1, SMMUV3_STE_S1MPAM) || SMMUV3_WGET(w1, SMMUV3_STE_S2HWU))
		return -EINVAL;
	if (c->s1_on) {
		c->s1fmt = (uint8_t)SMMUV3_WGET(ste[0], SMMUV3_STE_S1FMT);
		c->s1cdmax = (uint8_t)SMMUV3_WGET(ste[0], SMMUV3_STE_S1CDMAX);
		c->s1dss = (uint8_t)SMMUV3_WGET(w1, SMMUV3_STE_S1DSS);
		c->s1stalld = (uint8_t)SMMUV3_WGET(w1, SMMUV3_STE_S1STALLD);
		c->ctxptr = ste[0] & XI_GENMASK(55, 6);
		/* S1Fmt and S1DSS are IGNORED without substreams (S1CDMax = 0) */
		if (c->s1cdmax > u->p.ssid_bits ||
		    (c->s1cdmax && (c->s1dss == 3 || c->s1fmt == 3)))
			return -EINVAL;
		if (c->s1cdmax && c->s1fmt != SMMUV3_S1FMT_LINEAR && !u->p.cd2l)
			return -EINVAL;
		if (c->ctxptr >> u->p.oas)
			return -EINVAL;
	}
	/*
	 * S2VMID tags the TLB entries of stage-1-only configs too (IDR0.S2P =
	 * 1): IHI0070 5.2 STE.S2VMID; QEMU decode_ste() reads it "even if s2
	 * is disabled".
	 */
	c->s2.vmid = (uint16_t)SMMUV3_WGET(w2, SMMUV3_STE_S2VMID);
	if (!u->p.vmid16 && (c->s2.vmid >> 8))
		return -EINVAL;
	if (!c->s2_on)
		return 0;
	tg = (unsigned int)SMMUV3_WGET(w2, SMMUV3_STE_S2TG);
	c->s2.g = (uint8_t)smmuv3_tg_shift(tg);
	if (!c->s2.g || !(u->p.granules & (1u << ((c->s2.g - 12) / 2))))
		return -EINVAL;
	if (!SMMUV3_WGET(w2, SMMUV3_STE_S2AA64) || SMMUV3_WGET(w2, SMMUV3_STE_S2ENDI) ||
	    SMMUV3_WGET(w2, SMMUV3_STE_S2HD) || SMMUV3_WGET(w2, SMMUV3_STE_S2HA))
		return -EINVAL;
	if (SMMUV3_WGET(w2, SMMUV3_STE_S2S) && !u->p.stall)
		return -EINVAL;
	c->s2.ias = (uint8_t)(64 - SMMUV3_WGET(w2, SMMUV3_STE_S2T0SZ));
	/* S2T0SZ above 39 needs IDR3.STT, which this unit does not implement */
	if (c->s2.ias > (u->p.oas > 48 ? 48 : u->p.oas) || c->s2.ias < 64 - 39)
		return -EINVAL;
	sl = (unsigned int)SMMUV3_WGET(w2, SMMUV3_STE_S2SL0);
	lvl = smmuv3_sl0_level(c->s2.g, sl);
	if (lvl < 0)
		return -EINVAL;
	c->s2.sl = (uint8_t)lvl;
	stride = c->s2.g - 3;
	shift = c->s2.g + (3 - (unsigned int)lvl) * stride;
	/* bits resolved at the start level: 1..stride, or up to 16 concatenated tables */
	if (c->s2.ias <= shift || c->s2.ias - shift > stride + 4)
		return -EINVAL;
	top = c->s2.ias - shift;
	code = (unsigned int)SMMUV3_WGET(w2, SMMUV3_STE_S2PS);
	c->s2.ps = (uint8_t)(smmuv3_pa_bits(code) < u->p.oas ? smmuv3_pa_bits(code) : u->p.oas);
	if (c->s2.g != 16 && c->s2.ps > SMMUV3_OA_MAX_NO_DS)
		c->s2.ps = SMMUV3_OA_MAX_NO_DS;
	c->s2.ttb = ste[3] & XI_GENMASK(55, 4);
	if ((c->s2.ttb >> c->s2.ps) || (c->s2.ttb & ((8ull << top) - 1)))
		return -EINVAL;
	c->s2.affd = (uint8_t)SMMUV3_WGET(w2, SMMUV3_STE_S2AFFD);
	c->s2.ptw = (uint8_t)SMMUV3_WGET(w2, SMMUV3_STE_S2PTW);
	c->s2.s2r = (uint8_t)SMMUV3_WGET(w2, SMMUV3_STE_S2R);
	return 0;
}

/*
 * Is a CD decoded by cd_decode() ILLEGAL under the STE @c? Its stall bit
 * is checked against the STE's S1STALLD, which may change while the CD
 * stays cached.
 */
static int cd_bad_for(const struct smmu_unit *u, const struct smmu_ste_cfg *c,
		      const struct smmu_s1cfg *s)
{
	return s->s && (!u->p.stall || c->s1stalld);
}

/* Decode a CD: 0, or -EINVAL when ILLEGAL (C_BAD_CD). */
static int cd_decode(struct smmu_unit *u, const struct smmu_ste_cfg *c, const uint64_t *cd,
		     struct smmu_s1cfg *s)
{
	uint64_t w0 = cd[0];
	unsigned int i, ips;

	memset(s, 0, sizeof(*s));
	if (!SMMUV3_WGET(w0, SMMUV3_CD_V) || !SMMUV3_WGET(w0, SMMUV3_CD_AA64) ||
	    SMMUV3_WGET(w0, SMMUV3_CD_ENDI) || SMMUV3_WGET(w0, SMMUV3_CD_HA) || SMMUV3_WGET(w0, SMMUV3_CD_HD))
		return -EINVAL;
	if ((cd[1] & SMMUV3_CD_RES0_1) || (cd[2] & SMMUV3_CD_RES0_2))
		return -EINVAL;
	s->epd[0] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_EPD0);
	s->epd[1] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_EPD1);
	s->g[0] = (uint8_t)smmuv3_tg_shift((unsigned int)SMMUV3_WGET(w0, SMMUV3_CD_TG0));
	s->g[1] = (uint8_t)smmuv3_tg1_shift((unsigned int)SMMUV3_WGET(w0, SMMUV3_CD_TG1));
	s->tsz[0] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_T0SZ);
	s->tsz[1] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_T1SZ);
	s->tbi[0] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_TBI0);
	s->tbi[1] = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_TBI1);
	ips = smmuv3_pa_bits((unsigned int)SMMUV3_WGET(w0, SMMUV3_CD_IPS));
	s->ps = (uint8_t)(ips < u->p.oas ? ips : u->p.oas);
	s->ttb[0] = cd[1] & XI_GENMASK(55, 4);
	s->ttb[1] = cd[2] & XI_GENMASK(55, 4);
	for (i = 0; i < 2; i++) {
		if (s->epd[i])
			continue;
		if (!s->g[i] || !(u->p.granules & (1u << ((s->g[i] - 12) / 2))))
			return -EINVAL;
		if (s->tsz[i] < 16 || s->tsz[i] > 39)
			return -EINVAL;
		/* a TTBn above the IPS is an Address size fault of the walk (walk.c) */
	}
	s->affd = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_AFFD);
	s->wxn = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_WXN);
	s->uwxn = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_UWXN);
	s->s = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_S);
	s->r = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_R);
	s->a = (uint8_t)SMMUV3_WGET(w0, SMMUV3_CD_A);
	s->asid = (uint16_t)SMMUV3_WGET(w0, SMMUV3_CD_ASID);
	if (cd_bad_for(u, c, s))
		return -EINVAL;
	if (!s->a)		/* TERM_MODEL = 1 */
		return -EINVAL;
	if (!u->p.asid16 && (s->asid >> 8))
		return -EINVAL;
	return 0;
}

/* Fetch the 8 words of the CD for index @idx of the STE's CD table. */
static int cd_fetch(struct smmu_unit *u, const struct smmu_cfg *c, uint32_t idx, uint64_t *cd,
		    struct smmu_fault *f)
{
	unsigned int split = smmuv3_cd_split(c->ste->s1fmt);
	uint64_t addr = c->ste->ctxptr, l1, pa;
	struct smmu_tx t;

	f->cls = SMMUV3_CLASS_CD;
	f->record = 1;
	if (c->ste->s1cdmax && split) {	/* one L1CD at least, even when S1CDMax <= split */
		if (smmu_ipa_read64(u, c, addr + (uint64_t)(idx >> split) * 8, 1, &l1, f))
			return -EFAULT;
		if (!SMMUV3_WGET(l1, SMMUV3_L1CD_V)) {
			f->id = SMMUV3_EVT_C_BAD_SUBSTREAMID;
			return -EINVAL;
		}
		if (l1 & SMMUV3_L1CD_RES0) {
			f->id = SMMUV3_EVT_C_BAD_CD;
			return -EINVAL;
		}
		addr = (l1 & XI_GENMASK(55, 12)) + (uint64_t)(idx & ((1u << split) - 1)) * 64;
	} else {
		addr += (uint64_t)idx * SMMUV3_CD_SIZE;
	}
	pa = addr;
	if (c->s2_on) {
		if (smmu_s2_walk(u, c->s2, addr, 0, 1, &t, f)) {
			f->cls = SMMUV3_CLASS_CD;
			return -EFAULT;
		}
		pa = t.pa;
	}
	if (smmu_read_block(u, pa, cd, SMMUV3_CD_DWORDS)) {
		f->id = SMMUV3_EVT_F_CD_FETCH;
		f->s2 = 0;
		f->fetch = pa;
		return -EFAULT;
	}
	return 0;
}

/* STE cache miss: fetch, decode and cache the STE of @sid. */
static __attribute__((__noinline__)) const struct smmu_ste_cfg *
ste_fetch(struct smmu_unit *u, uint32_t sid, struct smmu_fault *f)
{
	uint64_t words[SMMUV3_STE_DWORDS], pa = 0;
	struct smmu_ste_cfg dec;
	int ret;

	ret = smmu_ste_locate(u, sid, &pa);
	if (ret == -ERANGE) {
		f->id = SMMUV3_EVT_C_BAD_STREAMID;
		return NULL;
	}
	if (ret || smmu_read_block(u, pa, words, SMMUV3_STE_DWORDS)) {
		f->id = SMMUV3_EVT_F_STE_FETCH;
		f->fetch = pa;
		return NULL;
	}
	if (smmu_ste_decode(u, words, &dec)) {
		f->id = SMMUV3_EVT_C_BAD_STE;
		return NULL;
	}
	return smmu_stec_insert(u, sid, &dec);
}

/* The CD of index @idx for stage 1 of @c (CD cache, else fetched): 0 or a fault. */
static __attribute__((__noinline__)) int cd_get(struct smmu_unit *u, struct smmu_cfg *c,
					    uint32_t sid, uint32_t idx, struct smmu_fault *f)
{
	const struct smmu_s1cfg *s1 = smmu_cdc_lookup(u, sid, idx);
	uint64_t cd[SMMUV3_CD_DWORDS];
	struct smmu_s1cfg dec;
	int ret;

	if (s1) {
		if (cd_bad_for(u, c->ste, s1)) {
			f->id = SMMUV3_EVT_C_BAD_CD;
			f->record = 1;
			return -EINVAL;
		}
		c->s1 = s1;
		return 0;
	}
	ret = cd_fetch(u, c, idx, cd, f);
	if (ret)
		return ret;
	if (cd_decode(u, c->ste, cd, &dec)) {
		f->id = SMMUV3_EVT_C_BAD_CD;
		f->record = 1;
		return -EINVAL;
	}
	c->s1 = smmu_cdc_insert(u, sid, idx, &dec);
	return 0;
}

/*
 * Everything needed to translate for (sid, ssid): 0 with @c pointing into
 * the config caches, or a fault in @f (f->id set; f->record 1 for
 * configuration errors). A cached STE or CD is used as decoded when it was
 * fetched, until a CFGI removes it.
 */
int smmu_cfg_get(struct smmu_unit *u, uint32_t sid, uint32_t ssv, uint32_t ssid,
		 struct smmu_cfg *c, struct smmu_fault *f)
{
	const struct smmu_ste_cfg *sc;
	uint32_t idx = 0;

	f->record = 1;
	sc = smmu_stec_lookup(u, sid);
	if (!sc) {
		sc = ste_fetch(u, sid, f);
		if (!sc)
			return f->id == SMMUV3_EVT_F_STE_FETCH ? -EFAULT : -EINVAL;
	}
	c->ste = sc;
	c->s2 = &sc->s2;
	c->s1 = NULL;
	c->s1_on = sc->s1_on;
	c->s2_on = sc->s2_on;
	if (sc->config < SMMUV3_CFG_BYPASS)
		return 0;
	if (!sc->s1_on) {
		if (ssv) {
			f->id = SMMUV3_EVT_C_BAD_SUBSTREAMID;
			return -EINVAL;
		}
		return 0;
	}
	if (ssv) {
		if (!sc->s1cdmax || (ssid >> sc->s1cdmax)) {
			f->id = SMMUV3_EVT_C_BAD_SUBSTREAMID;
			return -EINVAL;
		}
		if (ssid == 0 && sc->s1dss == SMMUV3_S1DSS_SSID0) {
			f->id = SMMUV3_EVT_F_STREAM_DISABLED;
			return -EINVAL;
		}
		idx = ssid;
	} else if (sc->s1cdmax) {
		if (sc->s1dss == SMMUV3_S1DSS_TERMINATE) {
			f->id = SMMUV3_EVT_F_STREAM_DISABLED;
			return -EINVAL;
		}
		if (sc->s1dss == SMMUV3_S1DSS_BYPASS) {
			c->s1_on = 0;
			return 0;
		}
	}
	return cd_get(u, c, sid, idx, f);
}
