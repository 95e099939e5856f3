/* SPDX-License-Identifier: MIT */
/*
 * Aligned text tables: rows of cells, columns padded to the widest cell by
 * display width. Shared by every text report (the CLI's, and any program
 * that wants the same layout), as lib/json.c is shared by every JSON one.
 */
#ifndef CAPSCOPE_TEXT_TABLE_H
#define CAPSCOPE_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "caps.h"

struct cs_table {
	size_t ncol, nrow, cap;
	char **cells; /* nrow * ncol, owned; NULL: asked of later() when printed */
	/*
	 * A cell given as cs_table_later is not kept: later(later_ctx, row,
	 * col) makes it (heap) when the row is printed. Only for a cell wider
	 * than CS_TABLE_MAX_PAD, which sets no column's width: a scan's paths
	 * of a planted chain of d levels are d^2/2 bytes, not to be held.
	 * failed: out of memory, the table is not whole: a row cs_table_add
	 * could not keep, a later() cell left empty, or cs_table_print wrote
	 * nothing. Sticky; whoever prints the table must say so (twentieth
	 * pass: ps, scan, explain and trace printed what was left, exit 0).
	 */
	char *(*later)(void *later_ctx, size_t row, size_t col);
	void *later_ctx;
	bool failed;
};
CS_EXPORT extern const char cs_table_later[];

CS_EXPORT void cs_table_init(struct cs_table *t, size_t ncol);
/* Append a row of ncol cells (copied; NULL is ""); 0 or -ENOMEM (failed set). */
CS_EXPORT int cs_table_add(struct cs_table *t, const char *const *cells);
/*
 * A column is padded to its widest cell of at most this many columns; a
 * wider cell is followed by two spaces and leaves the others as they are.
 * Padding every row to the widest cell let one long planted path (a deep
 * chain in /tmp) widen each of 100,000 short rows: output N x longest.
 */
#define CS_TABLE_MAX_PAD 128
/*
 * Write the rows to f, the first one wrapped in header_sgr (an SGR escape
 * such as "\033[1m"; NULL or "" for none). Cells are written as they are:
 * escaping untrusted text (cs_escape_text) is the caller's job.
 */
CS_EXPORT void cs_table_print(const struct cs_table *t, FILE *f, const char *header_sgr);
CS_EXPORT void cs_table_free(struct cs_table *t);
/* A cell's display width as the table counts it: cs_text_width. */
CS_EXPORT size_t cs_table_width(const char *s);
/*
 * The columns a terminal gives a code point (0, 1 or 2: glibc's wcwidth()
 * in a UTF-8 locale, whatever the process's locale; a control 0) and the
 * text of n bytes (a byte that is no UTF-8 one column). Every aligned
 * output counts with these, so a cell is padded as wide as it shows.
 */
CS_EXPORT unsigned cs_cp_width(uint32_t cp);
CS_EXPORT size_t cs_text_width(const char *s, size_t n);
/* Write s to f, then spaces up to cols columns (none when it is wider). */
CS_EXPORT void cs_text_pad(FILE *f, const char *s, size_t cols);

#endif
