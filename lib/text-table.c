/* SPDX-License-Identifier: MIT */
/* Aligned text tables (text-table.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/text-table.h"

const char cs_table_later[] = "";

void cs_table_init(struct cs_table *t, size_t ncol)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
}

int cs_table_add(struct cs_table *t, const char *const *cells)
{
	if (t->nrow == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		char **nc = realloc(t->cells, ncap * t->ncol * sizeof(*nc));

		if (!nc) {
			t->failed = true;
			return -ENOMEM;
		}
		t->cells = nc;
		t->cap = ncap;
	}
	for (size_t c = 0; c < t->ncol; c++) {
		char *s = NULL;

		if (cells[c] == cs_table_later && t->later) {
			t->cells[t->nrow * t->ncol + c] = NULL;
			continue;
		}
		if (!(s = strdup(cells[c] ? cells[c] : ""))) {
			for (size_t k = 0; k < c; k++)
				free(t->cells[t->nrow * t->ncol + k]);
			t->failed = true;
			return -ENOMEM;
		}
		t->cells[t->nrow * t->ncol + c] = s;
	}
	t->nrow++;
	return 0;
}

size_t cs_table_width(const char *s)
{
	return cs_text_width(s, strlen(s));
}

void cs_text_pad(FILE *f, const char *s, size_t cols)
{
	fputs(s, f);
	for (size_t k = cs_table_width(s); k < cols; k++)
		fputc(' ', f);
}

void cs_table_print(const struct cs_table *t, FILE *f, const char *header_sgr)
{
	size_t *wid = calloc(t->ncol ? t->ncol : 1, sizeof(*wid));

	if (!wid) {
		((struct cs_table *)t)->failed = true; /* nothing written */
		return;
	}
	for (size_t r = 0; r < t->nrow; r++)
		for (size_t c = 0; c < t->ncol; c++) {
			size_t w;

			if (!t->cells[r * t->ncol + c])
				continue; /* wider than any padding: no column's width */
			w = cs_table_width(t->cells[r * t->ncol + c]);

			if (w > wid[c] && w <= CS_TABLE_MAX_PAD)
				wid[c] = w;
		}
	for (size_t r = 0; r < t->nrow; r++) {
		bool hdr = r == 0 && header_sgr && *header_sgr;

		if (hdr)
			fputs(header_sgr, f);
		for (size_t c = 0; c < t->ncol; c++) {
			const char *s = t->cells[r * t->ncol + c];
			char *made = NULL;

			if (!s && !(s = made = t->later(t->later_ctx, r, c))) {
				((struct cs_table *)t)->failed = true; /* a table is never const */
				s = "";
			}
			if (c + 1 == t->ncol) {
				fputs(s, f);
			} else {
				size_t k = cs_table_width(s);

				fputs(s, f);
				if (k > wid[c]) /* wider than the column: on its own */
					k = wid[c];
				for (; k < wid[c] + 2; k++)
					fputc(' ', f);
			}
			free(made);
		}
		if (hdr)
			fputs("\033[0m", f);
		fputc('\n', f);
	}
	free(wid);
}

void cs_table_free(struct cs_table *t)
{
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
