/* SPDX-License-Identifier: MIT */
/* capscope run --dry-run: the prediction and its JSON (see launch-dry-run.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "capscope/explain.h"
#include "capscope/launch-dry-run.h"
#include "internal/cleanup.h"

/*
 * A "#!" script: the interpreter named on its first line, or NULL. execve
 * runs the interpreter, and the credentials come from the interpreter's
 * set-uid bit and file capabilities; the script's own are ignored.
 */
static char *interpreter(const char *path, bool *readable)
{
	char line[256]; /* the kernel reads this much (BINPRM_BUF_SIZE) */
	cs_cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);
	char *p, *e;

	if (readable)
		*readable = n >= 0;
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return NULL;
	line[n] = '\0';
	for (p = line + 2; *p == ' ' || *p == '\t'; p++)
		;
	for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
		;
	return e > p ? strndup(p, (size_t)(e - p)) : NULL;
}

/*
 * out->file is the command; model the interpreters its "#!" line names (the
 * kernel follows up to 4, BINPRM_MAX_RECURSION). first_path, when given, is
 * where the command's first line is read (its /proc/self/fd link).
 */
static int follow_interpreters(struct cs_launch_dry_run *out, const char *first_path,
			       bool *readable)
{
	int rc;

	for (int depth = 0;
	     depth < 4 && !out->file.error && out->file.known && S_ISREG(out->file.mode); depth++) {
		cs_cleanup_free char *interp =
		    interpreter(depth == 0 && first_path ? first_path : out->file.path,
				depth ? NULL : readable);

		cs_cleanup_free char *abs = NULL;
		char cwd[PATH_MAX];

		if (!interp)
			break;
		/* The kernel opens "#!fcat" or "#!bin/x" from the working
		 * directory, as any relative name: skipping them modelled the
		 * script itself, and a cap_net_raw=ep ./fcat ran under --caps =. */
		if (interp[0] != '/') {
			if (!getcwd(cwd, sizeof(cwd)))
				return -errno;
			if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") ? cwd : "", interp) < 0)
				return -ENOMEM;
		}
		cs_exec_file_clear(&out->file);
		rc = cs_exec_file_resolve("/", abs ? abs : interp, NULL, &out->file, NULL);
		if (rc == -ENOMEM)
			return rc;
	}
	return 0;
}

int cs_launch_dry_run(const struct cs_launch *l, const char *cmd, const char *path_env,
		      struct cs_steps *st, struct cs_launch_dry_run *out)
{
	cs_cleanup_free char *abs = NULL;
	char cwd[PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	out->post = l->predicted;
	/* execve takes "./x" or "bin/x" from the working directory; the
	 * resolver's root is "/", where "./x" is "/x" (ENOENT predicted for a
	 * command that ran). */
	if (cmd[0] != '/' && strchr(cmd, '/') && getcwd(cwd, sizeof(cwd))) {
		if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") ? cwd : "", cmd) < 0)
			return -ENOMEM;
		cmd = abs;
	}
	rc = cs_exec_file_resolve("/", cmd, path_env, &out->file, NULL);
	if (rc == -ENOMEM)
		return rc;
	if ((rc = follow_interpreters(out, NULL, NULL)) < 0)
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
			    bool *first_line_read, struct cs_diag *d)
{
	cs_cleanup_free char *shown = cs_escape_dup(path);
	struct cs_launch_dry_run r = {0};
	struct cs_steps st;
	char self[64];
	int rc;

	*first_line_read = false;
	if (!shown)
		return cs_diag_set(d, ENOMEM, 0, 0, "execve", "out of memory");
	r.post = l->predicted;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if ((rc = cs_exec_file_from_fd(fd, path, &r.file)) < 0 ||
	    (rc = follow_interpreters(&r, self, first_line_read)) < 0) {
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
