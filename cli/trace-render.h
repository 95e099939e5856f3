/* SPDX-License-Identifier: MIT */
/* capscope trace's output: the live event lines, the text report, the JSON report. */
#ifndef CAPSCOPE_CLI_TRACE_RENDER_H
#define CAPSCOPE_CLI_TRACE_RENDER_H

#include <stdbool.h>

#include "capscope/trace-json.h"

/* The state of the --events stream. */
struct event_ctx {
	bool json;
	uint64_t t0;
};
void trace_print_event(const struct cs_trace_rec *r, void *ctx);

void trace_text_report(const struct cs_trace_report *r, const struct cs_trace_view *v);
int trace_json_report(const struct cs_trace_report *r, const struct cs_trace_view *v);

#endif
