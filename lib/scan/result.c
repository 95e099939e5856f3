/* SPDX-License-Identifier: MIT */
/* Findings and errors: growing arrays, sorting, freeing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/scan.h"

int cs_scan_add_finding(struct cs_scan_result *r, const struct cs_finding *f)
{
	if (r->nfindings == r->capfindings) {
		size_t n = r->capfindings ? r->capfindings * 2 : 64;
		struct cs_finding *v = realloc(r->findings, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->findings = v;
		r->capfindings = n;
	}
	r->findings[r->nfindings] = *f;
	r->findings[r->nfindings].path = strdup(f->path);
	r->findings[r->nfindings].reason = strdup(f->reason ? f->reason : "");
	if (!r->findings[r->nfindings].path || !r->findings[r->nfindings].reason) {
		free(r->findings[r->nfindings].path);
		free(r->findings[r->nfindings].reason);
		return -ENOMEM;
	}
	r->nfindings++;
	return 0;
}

int cs_scan_add_error(struct cs_scan_result *r, const char *path, int err, const char *fmt, ...)
{
	struct cs_scan_error *e;
	va_list ap;
	char msg[512];

	if (r->nerrors == r->caperrors) {
		size_t n = r->caperrors ? r->caperrors * 2 : 16;
		struct cs_scan_error *v = realloc(r->errors, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->errors = v;
		r->caperrors = n;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e = &r->errors[r->nerrors];
	e->path = strdup(path ? path : "");
	e->message = strdup(msg);
	e->err = err;
	if (!e->path || !e->message) {
		free(e->path);
		free(e->message);
		return -ENOMEM;
	}
	r->nerrors++;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	const struct cs_finding *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static int by_risk(const void *a, const void *b)
{
	const struct cs_finding *x = a, *y = b;

	if (x->risk != y->risk)
		return x->risk > y->risk ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int err_by_path(const void *a, const void *b)
{
	const struct cs_scan_error *x = a, *y = b;

	return strcmp(x->path, y->path);
}

void cs_scan_sort_by_path(struct cs_scan_result *r)
{
	if (r->nfindings > 1)
		qsort(r->findings, r->nfindings, sizeof(r->findings[0]), by_path);
	if (r->nerrors > 1)
		qsort(r->errors, r->nerrors, sizeof(r->errors[0]), err_by_path);
}

void cs_scan_sort_by_risk(struct cs_scan_result *r)
{
	if (r->nfindings > 1)
		qsort(r->findings, r->nfindings, sizeof(r->findings[0]), by_risk);
}

static void free_argv(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void cs_scan_result_free(struct cs_scan_result *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].path);
		free(r->findings[i].reason);
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].path);
		free(r->errors[i].message);
	}
	free(r->findings);
	free(r->errors);
	free(r->image_kind);
	free(r->image_user);
	free_argv(r->entrypoint);
	free_argv(r->cmd);
	free(r->entrypoint_path);
	memset(r, 0, sizeof(*r));
}
