/* SPDX-License-Identifier: MIT */
/*
 * Findings: appending, the fingerprint that code scanning matches alerts by,
 * the one sort order that makes output byte-identical, and the JSON writer.
 */
#include "lint-internal.h"
#include "../internal/util.h"

#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = true;
	return d;
}

/*
 * FNV-1a over the identity of a finding: rule, object and the part of it.
 * Not the file or the line, so moving an object or editing around it keeps
 * the alert; fields are separated so ("ab","c") and ("a","bc") differ.
 */
static void fingerprint(struct cs_lint_finding *f)
{
	const char *parts[] = {
	    cs_lint_rule(f->rule)->id, f->kind, f->namespace, f->name, f->container, f->capability};
	uint64_t h = CS_FNV1A_START;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char sep = parts[i] ? 0x1f : 0x1e;

		h = cs_fnv1a(h, parts[i] ? parts[i] : "", parts[i] ? strlen(parts[i]) : 0);
		h = cs_fnv1a(h, &sep, 1);
	}
	snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx", (unsigned long long)h);
}

static void finding_free(struct cs_lint_finding *f)
{
	free(f->file);
	free(f->kind);
	free(f->namespace);
	free(f->name);
	free(f->container);
	free(f->capability);
	cs_lint_message_free(f);
}

/* Fill the next finding around its message (taken: freed on error). */
static int add(struct cs_lint_report *r, enum cs_lint_rule_id rule, enum cs_lint_level level,
	       const struct cs_lint_where *w, struct cs_lint_finding *msg)
{
	struct cs_lint_finding *f;
	bool oom = !msg->message && !msg->parts;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		struct cs_lint_finding *v = realloc(r->v, nc * sizeof(*v));

		if (!v) {
			cs_lint_message_free(msg);
			return -ENOMEM;
		}
		r->v = v;
		r->cap = nc;
	}
	f = &r->v[r->n];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->level = level;
	f->message = msg->message;
	f->parts = msg->parts;
	f->n_parts = msg->n_parts;
	f->file = dup_or_null(w->pod->file ? w->pod->file : "-", &oom);
	f->kind = dup_or_null(w->pod->kind, &oom);
	f->namespace = dup_or_null(w->pod->namespace, &oom);
	f->name = dup_or_null(w->pod->name, &oom);
	f->container = dup_or_null(w->container, &oom);
	f->capability = dup_or_null(w->capability, &oom);
	f->line = w->pos.line ? w->pos.line : w->pod->pos.line;
	f->column = w->pos.line ? w->pos.column : w->pod->pos.column;
	if (oom) {
		finding_free(f);
		return -ENOMEM;
	}
	fingerprint(f);
	r->n++;
	return 0;
}

int cs_lint_report_add(struct cs_lint_report *r, enum cs_lint_rule_id rule,
		       enum cs_lint_level level, const struct cs_lint_where *w, char *message)
{
	struct cs_lint_finding msg = {.message = message};

	return add(r, rule, level, w, &msg);
}

int cs_lint_report_add_parts(struct cs_lint_report *r, enum cs_lint_rule_id rule,
			     enum cs_lint_level level, const struct cs_lint_where *w, char **parts,
			     size_t n)
{
	struct cs_lint_finding msg = {.parts = parts, .n_parts = n};

	return add(r, rule, level, w, &msg);
}

void cs_lint_report_free(struct cs_lint_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(&r->v[i]);
	free(r->v);
	for (size_t i = 0; i < r->n_unknown; i++) {
		free(r->unknown[i].file);
		free(r->unknown[i].field);
	}
	free(r->unknown);
	tdestroy(r->seen, free);
	memset(r, 0, sizeof(*r));
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct cs_lint_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((c = cmp_str(a->container, b->container)))
		return c;
	if ((c = cmp_str(a->capability, b->capability)))
		return c;
	return cs_lint_message_cmp(a, b);
}

void cs_lint_report_sort(struct cs_lint_report *r)
{
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(r->v[0]), cmp_finding);
}

enum cs_lint_level cs_lint_report_max(const struct cs_lint_report *r)
{
	enum cs_lint_level m = CS_LINT_OFF;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].level > m)
			m = r->v[i].level;
	return m;
}

static void str_or_null(struct cs_json *j, const char *key, const char *s)
{
	cs_json_key(j, key);
	if (s)
		cs_json_str(j, s);
	else
		cs_json_null(j);
}

void cs_lint_json(struct cs_json *j, const struct cs_lint_report *r)
{
	size_t by_level[CS_LINT_ERROR + 1] = {0};
	char uri[256];

	cs_json_obj_begin(j);
	cs_json_key(j, "findings");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct cs_lint_finding *f = &r->v[i];
		const struct cs_lint_rule *ru = cs_lint_rule(f->rule);

		by_level[f->level]++;
		cs_json_obj_begin(j);
		cs_json_key(j, "rule");
		cs_json_str(j, ru->id);
		cs_json_key(j, "code");
		cs_json_str(j, ru->code);
		cs_json_key(j, "level");
		cs_json_str(j, cs_lint_level_name(f->level));
		cs_json_key(j, "file");
		cs_json_str(j, f->file);
		cs_json_key(j, "line");
		cs_json_uint(j, f->line);
		cs_json_key(j, "column");
		cs_json_uint(j, f->column);
		str_or_null(j, "kind", f->kind);
		str_or_null(j, "namespace", f->namespace);
		str_or_null(j, "name", f->name);
		str_or_null(j, "container", f->container);
		str_or_null(j, "capability", f->capability);
		cs_json_key(j, "message");
		if (f->parts)
			cs_json_str_parts(j, (const char *const *)f->parts, f->n_parts);
		else
			cs_json_str(j, f->message);
		cs_json_key(j, "help");
		cs_json_str(j, cs_lint_help_uri(f->rule, uri, sizeof(uri)));
		cs_json_key(j, "fingerprint");
		cs_json_str(j, f->fingerprint);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_key(j, "summary");
	cs_json_obj_begin(j);
	cs_json_key(j, "files");
	cs_json_uint(j, r->n_files);
	cs_json_key(j, "objects");
	cs_json_uint(j, r->n_objects);
	cs_json_key(j, "suppressed");
	cs_json_uint(j, r->n_suppressed);
	cs_json_key(j, "other_files");
	cs_json_uint(j, r->n_other_files);
	cs_json_key(j, "same_files");
	cs_json_uint(j, r->n_same_files);
	for (int l = CS_LINT_ERROR; l > CS_LINT_OFF; l--) {
		cs_json_key(j, l == CS_LINT_ERROR     ? "errors"
			       : l == CS_LINT_WARNING ? "warnings"
						      : "notes");
		cs_json_uint(j, by_level[l]);
	}
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

int cs_lint_write(FILE *f, const struct cs_lint_report *r, enum cs_lint_format fmt,
		  const char *tool_version)
{
	struct cs_json j;

	if (fmt == CS_LINT_SARIF)
		return cs_lint_sarif(f, r, tool_version);
	if (fmt == CS_LINT_TEXT)
		return cs_lint_text(f, r);
	cs_json_init(&j, f, false);
	cs_lint_json(&j, r);
	return cs_json_finish(&j);
}
