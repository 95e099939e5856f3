/* SPDX-License-Identifier: MIT */
/* capscope trace's whole JSON report: scope, command, totals, snippets, verify. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "capscope/trace-json.h"
#include "internal/memstream.h"

static void json_snippets(struct cs_json *j, const struct cs_trace_report *r,
			  const struct cs_trace_view *v)
{
	cs_json_key(j, "snippets");
	cs_json_obj_begin(j);
	for (int k = 0; k <= CS_PROFILE_SYSTEMD; k++) {
		char *buf = NULL;
		size_t n = 0;
		FILE *f;

		if (!(v->profiles & (1u << k)))
			continue;
		f = cs_memstream_open(&buf, &n);
		if (f) {
			cs_profile_write((enum cs_profile_kind)k, cs_trace_profile(r),
					 (const char *const *)v->cmd, f);
			cs_memstream_close(f);
		}
		if (!buf && !j->error) /* out of memory: the report is not whole */
			j->error = -ENOMEM;
		cs_json_key(j, cs_profile_kind_name((enum cs_profile_kind)k));
		cs_json_str(j, buf);
		free(buf);
	}
	cs_json_obj_end(j);
}

void cs_trace_view_json(struct cs_json *j, const struct cs_trace_report *r,
			const struct cs_trace_view *v)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "scope");
	cs_json_str(j, v->scope);
	cs_json_key(j, "target");
	cs_json_str(j, v->what);
	cs_json_key(j, "hook");
	cs_json_str(j, v->hook);
	if (v->cmd) {
		cs_json_key(j, "command");
		cs_json_strv(j, (const char *const *)v->cmd, v->ncmd);
		cs_json_key(j, "exit_status");
		cs_json_int(j, v->status);
	}
	cs_trace_report_json(r, j);
	if (v->profiles)
		json_snippets(j, r, v);
	cs_json_key(j, "verify");
	if (!v->verify || (!v->verify->ran && !v->verify->error)) {
		cs_json_null(j);
	} else {
		cs_json_obj_begin(j);
		cs_json_key(j, "runner");
		cs_json_str(j, v->verify->runner);
		cs_json_key(j, "exit_status");
		if (v->verify->ran)
			cs_json_int(j, v->verify->status);
		else
			cs_json_null(j); /* the command was not executed */
		cs_json_key(j, "ok");
		cs_json_bool(j, v->verify->ok);
		if (!v->verify->ran) {
			cs_json_key(j, "error");
			cs_json_str(j, v->verify->error);
		}
		cs_json_obj_end(j);
	}
	cs_json_obj_end(j);
}
