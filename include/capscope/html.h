/* SPDX-License-Identifier: MIT */
/*
 * One self-contained HTML page per run (`--html FILE` of explain pod, scan
 * and trace): no network, no scripts, no fonts or images; inline CSS only,
 * and a Content-Security-Policy meta tag that forbids loading anything else.
 * The page shows the flow a person would otherwise read from /proc hex:
 * stages as columns, capabilities as rows, each cell kept / dropped / gained
 * (a colour AND a text symbol), the model's reason on hover.
 *
 * Every name that a less-privileged party controls (manifest names, file
 * names, comm, image names, SCC names) goes through cs_html_escape: first the
 * one terminal rule of escape.h (control bytes, invalid UTF-8, bidi controls
 * become visible "\xNN" / "\uNNNN" text), then the five HTML metacharacters
 * become entities, so the result is safe in element text and in a quoted
 * attribute alike. Output is byte-identical on re-runs (no timestamps).
 */
#ifndef CAPSCOPE_HTML_H
#define CAPSCOPE_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "caps.h"
#include "diag.h"

struct cs_pod_explain_result;
struct cs_pod_ctr_result;
struct cs_scan_target;
struct cs_trace_report;
struct cs_trace_view;

/*
 * Escape the n bytes at s for HTML text or a quoted attribute value into out
 * (NUL-terminated, cut on a whole escape when it does not fit). Returns the
 * length the whole escaped text needs, without the NUL, as snprintf does.
 */
CS_EXPORT size_t cs_html_escape(const char *s, size_t n, char *out, size_t outlen);

/* The escaped text of the string s on the heap ("" for NULL); NULL on ENOMEM. */
CS_EXPORT char *cs_html_escape_dup(const char *s);

/* Write s escaped (cs_html_escape) to f; NULL writes nothing. */
CS_EXPORT void cs_html_put(FILE *f, const char *s);

/*
 * Write s, text the library already made safe for a terminal (remedies and
 * profiles: escaped names, shell and YAML quoting), to f: entities, and the
 * escaping rule for any byte it would change, except that a backslash is
 * kept, so "\x1b" shows as the terminal shows it and is not doubled.
 */
CS_EXPORT void cs_html_put_escaped(FILE *f, const char *s);

/* A page being written. */
struct cs_html;

/*
 * Start the page at path and write its head (title escaped). -errno with d
 * naming the file when it cannot be created. The page is written to a new
 * file beside path and renamed over it only by a successful cs_html_close:
 * a run that fails, or a disk that fills, leaves path as it was (never a
 * half page that looks whole). A path that exists and is not a regular file
 * (/dev/stdout, a pipe) is written in place.
 */
CS_EXPORT int cs_html_open(const char *path, const char *title, struct cs_html **out,
			   struct cs_diag *d);
/* The stream the page goes to (for writers outside the library). */
CS_EXPORT FILE *cs_html_stream(struct cs_html *h);
/*
 * Write the page's end, close it and put it at its path; -errno (d says
 * which and names the file) when any write failed, and then path is left
 * as it was.
 */
CS_EXPORT int cs_html_close(struct cs_html *h, struct cs_diag *d);
/* Give the page up after an error: nothing is written at its path. */
CS_EXPORT void cs_html_discard(struct cs_html *h);
/*
 * The file the page is being written to, renamed to its path by
 * cs_html_close; NULL when the path itself is written (not a regular
 * file). For a program that removes it when a signal ends it mid-page:
 * the library installs no signal handler (cli/html-guard.c does).
 */
CS_EXPORT const char *cs_html_temp_name(const struct cs_html *h);

/*
 * explain pod, one container as cs_pod_explain hands it over (on_container):
 * the pod's header before its first container, then the flow grid (pod
 * request, SCC admission when modelled, runtime OCI, runc before execve,
 * after execve), the verdict per requested capability, the checks, the
 * model's steps and the remedies with their snippets. 0, or -ENOMEM (the
 * pod's SCC reason is made as it is written: cs_scc_reason_each).
 */
CS_EXPORT int cs_html_pod_container(struct cs_html *h, const struct cs_pod_explain_result *pod,
				    const struct cs_pod_ctr_result *c);

/* scan: summary counts and the table of privileged files of every target. */
CS_EXPORT void cs_html_scan(struct cs_html *h, const struct cs_scan_target *t, size_t n);
/* A whole scan page at path (open, cs_html_scan, close). */
CS_EXPORT int cs_html_scan_page(const char *path, const struct cs_scan_target *t, size_t n,
				struct cs_diag *d);

/* trace: what was traced, the checks per capability and process, the least set and profiles. */
CS_EXPORT void cs_html_trace(struct cs_html *h, const struct cs_trace_report *r,
			     const struct cs_trace_view *v);
/* A whole trace page at path (open, cs_html_trace, close). */
CS_EXPORT int cs_html_trace_page(const char *path, const struct cs_trace_report *r,
				 const struct cs_trace_view *v, struct cs_diag *d);

#endif
