/* SPDX-License-Identifier: MIT */
/* Shared by the page writers of lib/html. */
#ifndef CAPSCOPE_HTML_INTERNAL_H
#define CAPSCOPE_HTML_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "capscope/html.h"
#include "capscope/steps.h"

struct cs_html {
	FILE *f;
	char *path; /* the page asked for */
	char *tmp;  /* the file written, renamed to path at the end; NULL: path itself */
	bool oom;   /* a cell was left out for memory: cs_html_close fails, no page */
};

/* <tag class="cls">escaped text</tag>; cls may be NULL. */
void html_elem(FILE *f, const char *tag, const char *cls, const char *text);
/* cs_html_put_escaped of the n bytes at s (nothing allocated). */
void html_put_escaped_n(FILE *f, const char *s, size_t n);
/* <pre> of text that may hold newlines: each line escaped, the newlines kept. */
void html_pre(FILE *f, const char *cls, const char *text);

/* explain pod's flow grid of one container (pod-flow.c). */
void html_pod_flow(FILE *f, const struct cs_pod_explain_result *pod,
		   const struct cs_pod_ctr_result *c);
/* The model's steps in a <details> table, numbered from first. */
void html_steps(FILE *f, const struct cs_steps *st, size_t first);

#endif
