/* SPDX-License-Identifier: MIT */
/* capscope trace's JSON report, around the totals of cs_trace_report_json. */
#ifndef CAPSCOPE_TRACE_JSON_H
#define CAPSCOPE_TRACE_JSON_H

#include <stdbool.h>

#include "json.h"
#include "trace.h"

/* What was traced and how, besides the report itself. */
struct cs_trace_view {
	bool verbose;
	unsigned profiles; /* bit per enum cs_profile_kind: snippets to include */
	const char *scope; /* "command", "pid", "all", "cgroup" */
	const char *what;  /* "'CMD'", "process N and its children", … (raw) */
	const char *hook;
	char **cmd; /* the traced command, or NULL */
	size_t ncmd;
	int status; /* its exit status */
	const struct cs_trace_verify *verify;
};

/* {"scope", "target", "hook", ["command", "exit_status"], totals, ["snippets"], "verify"} */
CS_EXPORT void cs_trace_view_json(struct cs_json *j, const struct cs_trace_report *r,
				  const struct cs_trace_view *v);

#endif
