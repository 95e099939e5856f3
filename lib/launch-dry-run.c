/* SPDX-License-Identifier: MIT */
/* capscope run --dry-run: the prediction and its JSON (see launch-dry-run.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "capscope/explain.h"
#include "capscope/launch-dry-run.h"
#include "internal/cleanup.h"

int cs_launch_dry_run(const struct cs_launch *l, const char *cmd, const char *path_env,
		      struct cs_steps *st, struct cs_launch_dry_run *out)
{
	cs_cleanup_free char *abs = NULL;
	char cwd[PATH_MAX];
	const char *wd = getcwd(cwd, sizeof(cwd));
	int rc;

	memset(out, 0, sizeof(*out));
	out->post = l->predicted;
	/* execve takes "./x" or "bin/x" from the working directory; the
	 * resolver's root is "/", where "./x" is "/x" (ENOENT predicted for a
	 * command that ran). */
	if (cmd[0] != '/' && strchr(cmd, '/') && wd) {
		if (asprintf(&abs, "%s/%s", strcmp(wd, "/") ? wd : "", cmd) < 0)
			return -ENOMEM;
		cmd = abs;
	}
	/* "#!" interpreters are followed, a relative one from the working directory. */
	rc = cs_exec_file_resolve("/", wd, cmd, path_env, &out->file, NULL);
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

/* -EPERM with d set when r (the model of cmd's execve) gains what the plan drops. */
static int refuse_gain(const struct cs_launch *l, const struct cs_launch_dry_run *r,
		       const char *cmd, struct cs_diag *d)
{
	cs_mask_t gain = r->res.ok ? r->post.caps.set[CS_PRM] & ~l->predicted.caps.set[CS_PRM] : 0;
	cs_cleanup_free char *shown = NULL;
	char name[32];

	if (!gain)
		return 0;
	if (!(shown = cs_escape_dup(cmd)))
		return cs_diag_set(d, ENOMEM, 0, 0, "execve", "out of memory");
	return cs_diag_set(d, EPERM, 0, 0, "execve",
			   "%s would gain %d capabilities the plan drops (%s...) at execve: it (or "
			   "its \"#!\" interpreter) "
			   "is set-uid root or has file capabilities; add --no-new-privs; "
			   "nothing was run",
			   shown, __builtin_popcountll(gain),
			   cs_cap_name_r(__builtin_ctzll(gain), false, name, sizeof(name)));
}

int cs_launch_check_gain(const struct cs_launch *l, const char *cmd, const char *path_env,
			 struct cs_diag *d)
{
	struct cs_launch_dry_run r;
	struct cs_steps st;
	int rc;

	if (!l->plan || !l->plan->set_caps)
		return 0;
	cs_steps_init(&st);
	rc = cs_launch_dry_run(l, cmd, path_env, &st, &r);
	cs_steps_free(&st);
	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, "execve", "out of memory");
	rc = refuse_gain(l, &r, cmd, d);
	cs_launch_dry_run_clear(&r);
	return rc;
}

int cs_launch_check_gain_fd(const struct cs_launch *l, int fd, const char *path,
			    enum cs_exec_head *head, struct cs_diag *d)
{
	bool first_line_read = false;
	cs_cleanup_free char *shown = cs_escape_dup(path);
	struct cs_launch_dry_run r = {0};
	struct cs_steps st;
	char cwd[PATH_MAX];
	int rc;

	*head = CS_EXEC_HEAD_UNREAD;
	if (!shown)
		return cs_diag_set(d, ENOMEM, 0, 0, "execve", "out of memory");
	r.post = l->predicted;
	/* A relative "#!" interpreter is opened from the working directory. */
	rc = cs_exec_file_from_fd(fd, path, getcwd(cwd, sizeof(cwd)) ? cwd : NULL, &r.file,
				  &first_line_read);
	if (first_line_read)
		*head = r.file.interp ? CS_EXEC_HEAD_SCRIPT : CS_EXEC_HEAD_OTHER;
	if (rc < 0) {
		cs_launch_dry_run_clear(&r);
		return cs_diag_set(
		    d, -rc, 0, 0, "execve",
		    "cannot read what execve would look at in %s: %s; nothing was run", shown,
		    strerror(-rc));
	}
	cs_steps_init(&st);
	rc = cs_kernel_execve(&r.post, &r.file, &st);
	cs_steps_free(&st);
	r.res.ok = rc == 0;
	rc = refuse_gain(l, &r, path, d);
	cs_launch_dry_run_clear(&r);
	return rc;
}

void cs_launch_dry_run_json(struct cs_json *j, const struct cs_launch *l,
			    const struct cs_launch_dry_run *r, const struct cs_steps *st)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "exec");
	cs_explain_json_exec(j, &r->res, &r->file);
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
