/* SPDX-License-Identifier: MIT */
/* capscope run --dry-run: the prediction and its JSON (see launch-dry-run.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capscope/explain.h"
#include "capscope/launch-dry-run.h"

int cs_launch_dry_run(const struct cs_launch *l, const char *cmd, const char *path_env,
		      struct cs_steps *st, struct cs_launch_dry_run *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->post = l->predicted;
	rc = cs_exec_file_resolve("/", cmd, path_env, &out->file, NULL);
	if (rc == -ENOMEM)
		return rc;
	rc = cs_kernel_execve(&out->post, &out->file, st);
	out->res.ok = rc == 0;
	out->res.error = -rc;
	return 0;
}

void cs_launch_dry_run_clear(struct cs_launch_dry_run *r)
{
	cs_exec_file_clear(&r->file);
}

void cs_launch_dry_run_json(struct cs_json *j, const struct cs_launch *l,
			    const struct cs_launch_dry_run *r, const struct cs_steps *st)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "exec");
	cs_explain_json_exec(j, &r->res, r->file.path);
	cs_json_key(j, "before_exec");
	cs_explain_json_cred(j, &l->predicted);
	cs_json_key(j, "process");
	if (r->res.ok)
		cs_explain_json_cred(j, &r->post);
	else
		cs_json_null(j);
	cs_json_key(j, "steps");
	cs_explain_json_steps(j, st);
	cs_json_obj_end(j);
}
