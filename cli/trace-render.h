/* SPDX-License-Identifier: MIT */
/* capscope trace's output: the live event lines, the text report, the JSON report. */
#ifndef CAPSCOPE_CLI_TRACE_RENDER_H
#define CAPSCOPE_CLI_TRACE_RENDER_H

#include <stdbool.h>

#include "capscope/trace.h"

struct trace_view {
	bool verbose;
	unsigned profiles; /* bit per enum cs_profile_kind */
	const char *scope; /* "command", "pid", "all", "cgroup" */
	const char *what;  /* "'CMD'", "process N and its children", … (raw, escaped here) */
	const char *hook;
	char **cmd; /* the traced command, or NULL */
	size_t ncmd;
	int status; /* its exit status */
	const struct cs_trace_verify *verify;
};

/* The state of the --events stream. */
struct event_ctx {
	bool json;
	uint64_t t0;
};
void trace_print_event(const struct cs_trace_rec *r, void *ctx);

void trace_text_report(const struct cs_trace_report *r, const struct trace_view *v);
void trace_json_report(const struct cs_trace_report *r, const struct trace_view *v);

#endif
