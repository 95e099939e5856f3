/* SPDX-License-Identifier: MIT */
/*
 * The text report: one aligned row per finding (location, level, rule,
 * object, message) and a summary line. Every field from the manifest is
 * escaped (cs_escape_dup): a name or a path can hold terminal controls.
 */
#include "lint-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../explain/strf.h"
#include "capscope/escape.h"
#include "capscope/text-table.h"

#define NCOL 5

static int row(const struct cs_lint_finding *f, char **cells)
{
	/* Columns follow the first four: a space as \x20 (escape.h). The
	 * object is KIND/NAME:CONTAINER, so the kind's "/" and the name's ":"
	 * are marks (the item rule): a pod "web:x" with a container "c" read
	 * as a pod "web" with a container "x:c" (eighteenth pass). */
	char *file = cs_escape_cell_dup(f->file), *kind = cs_escape_item_dup(f->kind, "/"),
	     *name = cs_escape_item_dup(f->name, ":"), *ctr = cs_escape_cell_dup(f->container);

	/* "?" stands for a field the finding has not; one that could not be
	 * escaped is out of memory, never "?" (a lint out of memory named its
	 * file "?" and exited 0: twenty-third pass). */
	bool lost = (f->file && !file) || (f->kind && !kind) || (f->name && !name) ||
		    (f->container && !ctr);

	cells[0] = cs_strf("%s:%u:%u", file ? file : "?", f->line, f->column);
	cells[1] = strdup(cs_lint_level_name(f->level));
	cells[2] = strdup(cs_lint_rule(f->rule)->id);
	cells[3] = cs_strf("%s/%s%s%s", kind ? kind : "?", name ? name : "?",
			   f->container ? ":" : "", f->container && ctr ? ctr : "");
	free(file);
	free(kind);
	free(name);
	free(ctr);
	for (int i = 0; i < NCOL - 1; i++)
		if (!cells[i])
			return -ENOMEM;
	return lost ? -ENOMEM : 0;
}

/*
 * The message, the last column (never padded), escaped as it is written,
 * 4 KiB cut on a character at a time (escapes are per character, so the
 * bytes of the whole): held escaped for every finding until the table was
 * printed, a refused pod's message (every SCC's refusal of every
 * container) was held twice, up to four times over for control bytes.
 */
static int put_piece(const char *piece, void *out)
{
	cs_escape_write(out, piece);
	return 0;
}

static void put_message(FILE *out, const struct cs_lint_finding *f)
{
	cs_lint_message_each(f, put_piece, out);
	fputc('\n', out);
}

int cs_lint_text(FILE *out, const struct cs_lint_report *r)
{
	char **cells = calloc(r->n * NCOL + 1, sizeof(*cells));
	size_t width[NCOL] = {0}, n[CS_LINT_ERROR + 1] = {0};
	int ret = cells ? 0 : -ENOMEM;

	for (size_t i = 0; ret == 0 && i < r->n; i++) {
		ret = row(&r->v[i], cells + i * NCOL);
		n[r->v[i].level]++;
		/* Columns, not bytes (text-table.h): a pod named in CJK was
		 * padded as if each character took three columns, and its
		 * message started under another row's object (twenty-first
		 * pass). */
		for (int c = 0; ret == 0 && c < NCOL - 1; c++)
			if (cs_table_width(cells[i * NCOL + c]) > width[c])
				width[c] = cs_table_width(cells[i * NCOL + c]);
	}
	for (size_t i = 0; ret == 0 && i < r->n; i++) {
		for (int c = 0; c < NCOL - 1; c++) {
			cs_text_pad(out, cells[i * NCOL + c], width[c]);
			fputs("  ", out);
		}
		put_message(out, &r->v[i]);
	}
	for (size_t i = 0; cells && i < r->n * NCOL; i++)
		free(cells[i]);
	free(cells);
	if (ret < 0)
		return ret;
	fprintf(out,
		"%zu finding(s): %zu error, %zu warning, %zu note; %zu object(s) in %zu file(s), "
		"%zu suppressed\n",
		r->n, n[CS_LINT_ERROR], n[CS_LINT_WARNING], n[CS_LINT_NOTE], r->n_objects,
		r->n_files, r->n_suppressed);
	if (r->n_other_files)
		fprintf(out, "%zu YAML/JSON file(s) without a Kubernetes kind passed over\n",
			r->n_other_files);
	if (r->n_same_files)
		fprintf(out,
			"%zu file(s) reached again (by a link, a hard link, or named again) read "
			"once\n",
			r->n_same_files);
	return ferror(out) ? -EIO : 0;
}
