/* SPDX-License-Identifier: MIT */
/* Printing helpers shared by the explain subjects (and run's steps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/text.h"
#include "explain.h"
#include "output.h"

#define ESC_RING 16

static char *esc_ring[ESC_RING];
static size_t esc_next;

const char *cs_esc(const char *s)
{
	char **slot = &esc_ring[esc_next++ % ESC_RING];

	free(*slot);
	*slot = cs_escape_dup(s);
	return *slot ? *slot : cs_oom_mark();
}

/* The same for a cell with a column after it: a space as \x20 (escape.h). */
const char *cs_esc_cell(const char *s)
{
	char **slot = &esc_ring[esc_next++ % ESC_RING];

	free(*slot);
	*slot = cs_escape_cell_dup(s);
	return *slot ? *slot : cs_oom_mark();
}

const char *cs_esc_own(char *s)
{
	char **slot = &esc_ring[esc_next++ % ESC_RING];

	free(*slot);
	*slot = s;
	return s;
}

void cs_esc_release(void)
{
	for (size_t i = 0; i < ESC_RING; i++) {
		free(esc_ring[i]);
		esc_ring[i] = NULL;
	}
}

const char *cs_explain_set_cell(cs_mask_t m, char *buf, size_t len)
{
	int n = cs_mask_count(m);

	if (n == 0)
		snprintf(buf, len, "-");
	else if (m == cs_mask_all())
		snprintf(buf, len, "all %d", n);
	else if (n <= 3)
		cs_mask_format_names(m, CS_NAMES_K8S, buf, len);
	else
		snprintf(buf, len, "%d caps", n);
	return buf;
}

void cs_explain_print_steps_from(FILE *f, const struct cs_steps *st, size_t first)
{
	for (size_t i = 0; i < st->n; i++)
		fprintf(f, "  %2zu. [%s] %s: %s\n", first + i, st->v[i].layer, st->v[i].rule,
			cs_esc(st->v[i].detail));
}

void cs_explain_print_steps(FILE *f, const struct cs_steps *st)
{
	cs_explain_print_steps_from(f, st, 1);
	cs_esc_release();
}

void cs_explain_flow_row(struct cs_table *t, const char *stage, const char *uid,
			 const struct cs_quintet *q, bool nnp)
{
	char b[5][64];
	const char *cells[8];
	static const enum cs_set order[5] = {CS_BND, CS_PRM, CS_EFF, CS_INH, CS_AMB};

	cells[0] = stage;
	cells[1] = uid;
	for (int i = 0; i < 5; i++)
		cells[2 + i] = (q->present & (1u << order[i]))
				   ? cs_explain_set_cell(q->set[order[i]], b[i], sizeof(b[i]))
				   : "(absent)";
	cells[7] = nnp ? "yes" : "no";
	cs_table_add(t, cells);
}
