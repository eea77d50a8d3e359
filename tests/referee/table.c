// SPDX-License-Identifier: MIT
/* The agreement table of a referee program: see table.h. */
#include <stdio.h>
#include <string.h>
#include "devmem.h"
#include "table.h"

double xr_now_s(void)
{
	return (double)xr_now_ns() / 1e9;
}

void xr_table_head(const char *records)
{
	printf("DMAs: W/R, candidate it landed at or came from (- none), ! %s\n", records);
	printf("| %-32s | %-20s | %-20s | %-5s | %4s |\n", "case", "qemu", "model", "agree", "s");
}

int xr_logs_equal(const struct xr_side *q, const struct xr_side *m)
{
	return q->loglen == m->loglen && !memcmp(q->log, m->log, q->loglen);
}

/* The first line where the transcripts part. */
static void first_diff(const char *a, const char *b)
{
	unsigned int line = 1;
	const char *la = a, *lb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	printf("    line %u\n      qemu : %.*s\n      model: %.*s\n", line,
	       (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

void xr_table_row(struct xr_tally *t, const char *name, struct xr_side *q, struct xr_side *m,
		  int same, const char *known, double start, int verbose)
{
	printf("| %-32s | %-20s | %-20s | %-5s | %4.1f |\n", name,
	       q->failed ? "FAILED" : q->digest, m->failed ? "FAILED" : m->digest,
	       same ? "yes" : known ? "known" : "NO", xr_now_s() - start);
	if (same)
		t->agree++;
	else if (known && !q->failed && !m->failed)
		t->known++;
	else
		t->differ++;
	if (!same) {
		if (known)
			printf("    (%s)\n", known);
		first_diff(q->log ? q->log : "", m->log ? m->log : "");
	}
	if (verbose || !same)
		printf("  -- qemu:\n%s  -- model:\n%s", q->log ? q->log : "", m->log ? m->log : "");
	q->loglen = m->loglen = 0;
	if (q->log)
		q->log[0] = 0;
	if (m->log)
		m->log[0] = 0;
}

int xr_table_end(const struct xr_tally *t, const char *mode, unsigned int n, double t0)
{
	printf("REFEREE-RESULT %s agree=%u differ=%u known=%u total=%u seconds=%.1f\n", mode,
	       t->agree, t->differ, t->known, n, xr_now_s() - t0);
	printf("%u passed, %u failed\n", t->agree + t->known, t->differ);
	return t->differ ? 1 : 0;
}
