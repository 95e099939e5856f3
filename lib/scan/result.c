/* SPDX-License-Identifier: MIT */
/* Findings and errors: growing arrays, sorting, freeing. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/scan.h"
#include "internal/util.h"

/*
 * v (an array of cap elements of size elem, used of them in use) with room
 * for one more: v itself, or grown to twice (first when empty); NULL when
 * out of memory, v and *cap unchanged.
 */
static void *room(void *v, size_t *cap, size_t used, size_t elem, size_t first)
{
	size_t n = *cap ? *cap * 2 : first;
	void *w;

	if (used < *cap)
		return v;
	if (n > SIZE_MAX / elem || !(w = realloc(v, n * elem)))
		return NULL;
	*cap = n;
	return w;
}

/* The next error's slot, zeroed (not yet counted); NULL when out of memory. */
static struct cs_scan_error *next_error(struct cs_scan_result *r)
{
	struct cs_scan_error *v = room(r->errors, &r->caperrors, r->nerrors, sizeof(*v), 16);

	if (!v)
		return NULL;
	r->errors = v;
	v[r->nerrors] = (struct cs_scan_error){0};
	return &v[r->nerrors];
}

int cs_scan_add_finding(struct cs_scan_result *r, const struct cs_finding *f)
{
	struct cs_finding *v = room(r->findings, &r->capfindings, r->nfindings, sizeof(*v), 64);

	if (!v)
		return -ENOMEM;
	r->findings = v;
	struct cs_finding *n = &r->findings[r->nfindings];

	*n = *f;
	n->path = f->path ? strdup(f->path) : NULL;
	n->name = f->name ? strdup(f->name) : NULL;
	n->reason = strdup(f->reason ? f->reason : "");
	if ((f->path && !n->path) || (f->name && !n->name) || !n->reason) {
		free(n->path);
		free(n->name);
		free(n->reason);
		return -ENOMEM;
	}
	r->nfindings++;
	return 0;
}

/*
 * As the walker shows a path: the root as given, then "/" and each name
 * (a root ending in '/' brings its own); name NULL: directory dir itself.
 */
static const char *spell(const struct cs_scan_result *r, uint32_t dir, const char *name)
{
	/* A scratch buffer of the result's: the result is never a const object. */
	struct cs_scan_result *w = (struct cs_scan_result *)r;
	size_t len = name ? strlen(name) + 1 : 0, at, n, k;
	uint32_t d;

	for (d = dir; r->tdirs[d].parent != CS_SCAN_NO_DIR; d = r->tdirs[d].parent)
		len += r->tdirs[d].namelen + 1;
	n = r->tdirs[d].namelen;
	len += n - (len && n && r->tdirs[d].name[n - 1] == '/');
	if (!len) /* the root itself, named "" by scan --diff (relativise): "/" */
		return "/";
	if (len + 1 > w->pathcap) {
		char *b = realloc(w->pathbuf, len + 1);

		if (!b)
			return NULL;
		w->pathbuf = b;
		w->pathcap = len + 1;
	}
	at = len;
	w->pathbuf[at] = 0;
	if (name) {
		k = strlen(name);
		memcpy(w->pathbuf + (at -= k), name, k);
		w->pathbuf[--at] = '/';
	}
	for (d = dir; r->tdirs[d].parent != CS_SCAN_NO_DIR; d = r->tdirs[d].parent) {
		k = r->tdirs[d].namelen;
		memcpy(w->pathbuf + (at -= k), r->tdirs[d].name, k);
		w->pathbuf[--at] = '/';
	}
	memcpy(w->pathbuf, r->tdirs[d].name, n); /* over the first '/' when it ends in one */
	return w->pathbuf;
}

const char *cs_finding_path(const struct cs_scan_result *r, const struct cs_finding *f)
{
	if (f->path || !f->name || f->dir >= r->ntdirs)
		return f->path;
	return spell(r, f->dir, f->name);
}

const char *cs_scan_error_path(const struct cs_scan_result *r, const struct cs_scan_error *e)
{
	if (e->path || e->dir >= r->ntdirs)
		return e->path ? e->path : "";
	return spell(r, e->dir, e->name);
}

int cs_scan_add_error(struct cs_scan_result *r, const char *path, int err, const char *fmt, ...)
{
	struct cs_scan_error *e = next_error(r);
	va_list ap;
	char msg[512];

	if (!e)
		return -ENOMEM;
	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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

int cs_scan_add_tree_error(struct cs_scan_result *r, uint32_t dir, const char *name, int err,
			   const char *message)
{
	struct cs_scan_error *e = next_error(r);

	if (!e)
		return -ENOMEM;
	*e = (struct cs_scan_error){.dir = dir, .err = err};
	e->name = name ? strdup(name) : NULL;
	e->message = strdup(message);
	if ((name && !e->name) || !e->message) {
		free(e->name);
		free(e->message);
		return -ENOMEM;
	}
	r->nerrors++;
	return 0;
}

/* A tree's findings compare by order (tree_order), an image's by path. */
static int path_cmp(const struct cs_finding *x, const struct cs_finding *y)
{
	if (x->path && y->path)
		return strcmp(x->path, y->path);
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_path(const void *a, const void *b)
{
	return path_cmp(a, b);
}

static int by_risk(const void *a, const void *b)
{
	const struct cs_finding *x = a, *y = b;

	if (x->risk != y->risk)
		return x->risk > y->risk ? -1 : 1;
	return path_cmp(x, y);
}

static int err_by_path(const void *a, const void *b)
{
	const struct cs_scan_error *x = a, *y = b;

	if (x->path && y->path)
		return strcmp(x->path, y->path);
	return x->order < y->order ? -1 : x->order > y->order;
}

void cs_scan_sort_by_path(struct cs_scan_result *r)
{
	if (r->ntdirs && (r->nfindings > 1 || r->nerrors > 1) && cs_scan_tree_order(r) < 0)
		return; /* out of memory: left in the walk's order, said by the caller */
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

void cs_scan_result_free(struct cs_scan_result *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].path);
		free(r->findings[i].name);
		free(r->findings[i].reason);
	}
	for (uint32_t i = 0; i < r->ntdirs; i++)
		free(r->tdirs[i].name);
	free(r->tdirs);
	free(r->pathbuf);
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].path);
		free(r->errors[i].name);
		free(r->errors[i].message);
	}
	free(r->findings);
	free(r->errors);
	free(r->image_kind);
	cs_image_config_free(&r->config);
	free(r->entrypoint_path);
	memset(r, 0, sizeof(*r));
}
