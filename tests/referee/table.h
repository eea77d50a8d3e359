/* SPDX-License-Identifier: MIT */
/*
 * The agreement table a referee program prints (table.c): one row per
 * case, QEMU's side against the model's, counted; tests/referee/run reads
 * the rows and the REFEREE-RESULT line.
 */
#ifndef XR_TABLE_H
#define XR_TABLE_H

#include "side_common.h"

struct xr_tally {
	unsigned int agree, known, differ;
};

/* CLOCK_MONOTONIC in seconds. */
double xr_now_s(void);
/* After the program's REFEREE-BEGIN line: the legend (@records: what "!" marks), the header. */
void xr_table_head(const char *records);
/* 1 when the two transcripts are the same to the byte. */
int xr_logs_equal(const struct xr_side *q, const struct xr_side *m);
/*
 * The row of case @name, begun at @start: @same agrees; else @known, a
 * KNOWN_DIFFERENCES.md entry, keeps it out of the count unless a side
 * failed. A row that does not agree shows where the transcripts part;
 * such a row, or every row with @verbose, shows both. Then both are
 * emptied for the next case.
 */
void xr_table_row(struct xr_tally *t, const char *name, struct xr_side *q, struct xr_side *m,
		  int same, const char *known, double start, int verbose);
/* The REFEREE-RESULT line of @mode ("smmuv3", "vtd-sl"); the exit status, 1 if a case differs. */
int xr_table_end(const struct xr_tally *t, const char *mode, unsigned int n, double t0);

#endif
