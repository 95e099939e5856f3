/* SPDX-License-Identifier: MIT */
/*
 * The reports of scan --diff: JSON (exact bytes, lib/json.c escapes them)
 * and text, where every name that comes from the scanned data — paths, the
 * targets as given, the config User, the entrypoint — goes through the one
 * escaping rule (escape.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/escape.h"
#include "internal/util.h"
#include "capscope/explain.h"
#include "capscope/scan-diff.h"
#include "capscope/text.h"
#include "capscope/text-table.h"
#include "../internal/cleanup.h"
#include "internal/memstream.h"

static const unsigned what_bits[] = {CS_DIFF_SETUID, CS_DIFF_SETGID, CS_DIFF_FCAPS, CS_DIFF_ROOTID,
				     CS_DIFF_OWNER};
#define NWHAT (sizeof(what_bits) / sizeof(what_bits[0]))

static void json_side(struct cs_json *j, const struct cs_diff_side *s)
{
	if (!s->exists) {
		cs_json_null(j);
		return;
	}
	cs_json_obj_begin(j);
	cs_json_key(j, "privileged");
	cs_json_bool(j, s->privileged);
	cs_scan_json_owner_mode(j, s->uid, s->gid, s->mode);
	cs_json_key(j, "file_caps");
	cs_scan_json_file_caps(j, s->has_fcaps, s->fcaps_invalid, &s->fcaps);
	cs_json_key(j, "layer");
	if (s->layer >= 0)
		cs_json_int(j, s->layer);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static void json_file(struct cs_json *j, const struct cs_diff_file *f)
{
	cs_json_obj_begin(j);
	const char *path = cs_diff_file_path(f);

	if (!path && !j->error)
		j->error = -ENOMEM; /* never a null path */
	cs_json_key(j, "path");
	cs_json_str(j, path);
	cs_json_key(j, "change");
	cs_json_str(j, cs_diff_file_change(f));
	cs_json_key(j, "what");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < NWHAT; i++)
		if (f->what & what_bits[i])
			cs_json_str(j, cs_diff_what_name(what_bits[i]));
	cs_json_arr_end(j);
	cs_json_key(j, "caps_gained");
	cs_json_mask(j, f->caps_gained);
	cs_json_key(j, "caps_lost");
	cs_json_mask(j, f->caps_lost);
	cs_json_key(j, "old");
	json_side(j, &f->old);
	cs_json_key(j, "new");
	json_side(j, &f->new);
	cs_json_obj_end(j);
}

static void json_target(struct cs_json *j, const struct cs_scan_target *t)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "target");
	cs_json_str(j, t->name);
	cs_json_key(j, "kind");
	cs_json_str(j, t->image ? t->r.image_kind : "tree");
	cs_json_key(j, "layers");
	if (t->image)
		cs_json_uint(j, t->r.nlayers);
	else
		cs_json_null(j);
	cs_json_key(j, "findings");
	cs_json_uint(j, t->r.nfindings);
	cs_json_key(j, "errors");
	cs_json_uint(j, t->r.nerrors);
	cs_json_obj_end(j);
}

static void json_entry(struct cs_json *j, const struct cs_diff_entry *e)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "known");
	cs_json_bool(j, e->known);
	cs_json_key(j, "user");
	cs_json_str(j, e->user);
	cs_json_key(j, "path");
	cs_json_str(j, e->path);
	cs_json_key(j, "starts");
	cs_json_bool(j, e->exec_ok);
	cs_json_key(j, "error");
	cs_json_str(j, e->error);
	cs_json_key(j, "note");
	cs_json_str(j, e->note);
	cs_json_key(j, "process");
	if (e->exec_ok)
		cs_explain_json_cred(j, &e->post);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

void cs_scan_diff_write_json(struct cs_json *j, const struct cs_scan_diff *df)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "old");
	json_target(j, &df->old);
	cs_json_key(j, "new");
	json_target(j, &df->new);
	cs_json_key(j, "files");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < df->nfiles; i++)
		json_file(j, &df->files[i]);
	cs_json_arr_end(j);
	cs_json_key(j, "entrypoint");
	cs_json_obj_begin(j);
	cs_json_key(j, "compared");
	cs_json_bool(j, df->ep_compared);
	cs_json_key(j, "differs");
	cs_json_bool(j, df->ep_differs);
	cs_json_key(j, "old");
	json_entry(j, &df->ep_old);
	cs_json_key(j, "new");
	json_entry(j, &df->ep_new);
	cs_json_obj_end(j);
	cs_json_key(j, "summary");
	cs_json_obj_begin(j);
	cs_json_key(j, "files");
	cs_json_uint(j, df->nfiles);
	cs_json_key(j, "difference");
	cs_json_bool(j, cs_scan_diff_found(df));
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

static bool setid(const struct cs_diff_side *s, uint32_t bit)
{
	return S_ISREG(s->mode) && (s->mode & bit);
}

/* "04755 0:0 setuid cap_net_raw=ep", "-" when nothing is there. Heap, escaped. */
static char *side_text(const struct cs_diff_side *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	if (!s->exists)
		return strdup("-");
	if (!(m = cs_memstream_open(&out, &len)))
		return NULL;
	fprintf(m, "0%o %" PRIu32 ":%" PRIu32, s->mode & 07777, s->uid, s->gid);
	if (!S_ISREG(s->mode))
		fputs(S_ISDIR(s->mode) ? " directory" : " not a regular file", m);
	else if (!s->privileged)
		fputs(" plain", m);
	fputs(setid(s, S_ISUID) ? " setuid" : "", m);
	fputs(setid(s, S_ISGID) ? " setgid" : "", m);
	if (s->has_fcaps && s->fcaps_invalid) {
		fputs(" (invalid security.capability)", m);
	} else if (s->has_fcaps) {
		cs_cleanup_free char *t = cs_fcaps_to_text(&s->fcaps);

		if (!t) { /* a cell "?" read as the file's capabilities (exit 1) */
			cs_memstream_close(m);
			free(out);
			return NULL;
		}
		fprintf(m, " %s", t);
		if (s->fcaps.version == 3)
			fprintf(m, " v3 rootid=%" PRIu32, s->fcaps.rootid);
	}
	if (cs_memstream_close(m) < 0)
		return NULL;
	return out;
}

static char *what_text(const struct cs_diff_file *f)
{
	char buf[128] = "";

	for (size_t i = 0; i < NWHAT; i++)
		if (f->what & what_bits[i])
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "," : "", cs_diff_what_name(what_bits[i]));
	return strdup(buf);
}

#define NCOL 5

/* cs_table's later(): the path of file row - 1, escaped. */
static char *later_path(void *ctx, size_t row, size_t col)
{
	const struct cs_scan_diff *df = ctx;
	const char *p = cs_diff_file_path(&df->files[row - 1]);

	(void)col;
	return p ? cs_escape_cell_dup(p) : NULL;
}

/*
 * The table of files (text-table.h: padded to the widest cell of at most
 * CS_TABLE_MAX_PAD characters, as scan's). A path wider than that is made
 * again when its row is printed, not held: two planted chains of d levels
 * have paths of d^2/2 bytes; and each row was padded to the widest path.
 */
static int files_table(const struct cs_scan_diff *df, FILE *f)
{
	static const char *const hdr[NCOL] = {"CHANGE", "PATH", "WHAT", "OLD", "NEW"};
	struct cs_table t;
	int rc = 0;

	cs_table_init(&t, NCOL);
	t.later = later_path;
	t.later_ctx = (void *)df;
	if (cs_table_add(&t, hdr) < 0)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < df->nfiles; i++) {
		const struct cs_diff_file *d = &df->files[i];
		const char *path = cs_diff_file_path(d);
		bool later = path && strlen(path) > 4 * CS_TABLE_MAX_PAD; /* escaped: >= 1/4 */
		char *row[NCOL] = {strdup(cs_diff_file_change(d)),
				   later || !path ? NULL : cs_escape_cell_dup(path), what_text(d),
				   side_text(&d->old), side_text(&d->new)};
		const char *cells[NCOL];

		for (size_t c = 0; c < NCOL; c++) {
			cells[c] = row[c];
			if (!row[c] && !(c == 1 && later))
				rc = -ENOMEM;
		}
		if (later || (row[1] && cs_table_width(row[1]) > CS_TABLE_MAX_PAD))
			cells[1] = cs_table_later;
		if (rc == 0 && cs_table_add(&t, cells) < 0)
			rc = -ENOMEM;
		for (size_t c = 0; c < NCOL; c++)
			free(row[c]);
	}
	if (rc == 0) {
		cs_table_print(&t, f, NULL);
		if (t.failed)
			rc = -ENOMEM;
	}
	cs_table_free(&t);
	return rc;
}

/*
 * The lines below name what they could not escape for memory as -ENOMEM,
 * never "?" (twenty-fifth pass, part C: "0755 0:0 ?" for a file's
 * capabilities, exit 1 as for a whole answer).
 */
static int target_line(FILE *f, const char *label, const struct cs_scan_target *t)
{
	cs_cleanup_free char *name = cs_escape_cell_dup(t->name); /* text follows: escape.h */

	if (!name)
		return -ENOMEM;
	fprintf(f, "%s %s (", label, name);
	if (t->image)
		fprintf(f, "%s, %u layer%s", t->r.image_kind, t->r.nlayers,
			t->r.nlayers == 1 ? "" : "s");
	else
		fputs("tree", f);
	fprintf(f, ", %zu privileged file%s)\n", t->r.nfindings, t->r.nfindings == 1 ? "" : "s");
	return 0;
}

static void names(FILE *f, const char *label, cs_mask_t m)
{
	char buf[1024];

	if (!m)
		fprintf(f, "; %s -", label);
	else if (cs_mask_format_names(m, CS_NAMES_LOWER, buf, sizeof(buf)) < sizeof(buf))
		fprintf(f, "; %s %s", label, buf);
	else
		fprintf(f, "; %s 0x%016" PRIx64, label, (uint64_t)m);
}

static int entry_line(FILE *f, const char *label, const struct cs_diff_entry *e)
{
	/* Text follows the path and the user: the cell rule (escape.h). */
	cs_cleanup_free char *path = cs_escape_cell_dup(e->path),
			     *user = cs_escape_cell_dup(e->user);
	cs_cleanup_free char *note = cs_escape_dup(e->note), *err = cs_escape_dup(e->error);

	if ((e->path && !path) || (e->user && !user) || (e->note && !note) || (e->error && !err))
		return -ENOMEM;
	fprintf(f, "  %s ", label);
	if (!e->known) {
		fprintf(f, "not predicted: %s\n", note ? note : "?");
		return 0;
	}
	fprintf(f, "%s, ", path && *path ? path : "?");
	if (e->user) {
		/* its text not made: out of memory (a write error sets ferror) */
		if (cs_fputf(f, "user '%s': ", user ? user : "?") < 0 && !ferror(f))
			return -ENOMEM;
	} else
		fputs("no USER (root): ", f);
	if (!e->exec_ok) {
		fprintf(f, "does not start (%s%s%s)\n", err ? err : "?", note && *note ? ": " : "",
			note ? note : "");
		return 0;
	}
	fprintf(f, "uid %u euid %u gid %u", (unsigned)e->post.uid[0], (unsigned)e->post.uid[1],
		(unsigned)e->post.gid[0]);
	names(f, "effective", e->post.caps.set[CS_EFF]);
	names(f, "permitted", e->post.caps.set[CS_PRM]);
	names(f, "ambient", e->post.caps.set[CS_AMB]);
	fprintf(f, "%s\n", e->post.no_new_privs ? "; no_new_privs" : "");
	return 0;
}

int cs_scan_diff_write_text(const struct cs_scan_diff *df, FILE *f)
{
	int rc = 0;

	if ((rc = target_line(f, "old:", &df->old)) < 0 ||
	    (rc = target_line(f, "new:", &df->new)) < 0)
		return rc;
	if (df->nfiles) {
		fputc('\n', f);
		rc = files_table(df, f);
	}
	/* Two trees have no config: nothing to say about an entrypoint. */
	if (df->ep_old.known || df->ep_new.known) {
		fputs("\nEntrypoint, as explain pod predicts a container that asks for nothing "
		      "(CRI-O defaults):\n",
		      f);
		if (rc == 0)
			rc = entry_line(f, "old:", &df->ep_old);
		if (rc == 0)
			rc = entry_line(f, "new:", &df->ep_new);
	}
	if (df->ep_compared)
		fprintf(f, "  %s\n",
			df->ep_differs ? "the entrypoint's credentials differ"
				       : "the same credentials");
	fputc('\n', f);
	if (!cs_scan_diff_found(df))
		fputs("No privilege difference.\n", f);
	else
		fprintf(f, "Privilege difference: %zu file%s%s.\n", df->nfiles,
			df->nfiles == 1 ? "" : "s",
			df->ep_differs ? ", the entrypoint's credentials" : "");
	if (rc == 0 && ferror(f))
		rc = -EIO;
	return rc;
}
