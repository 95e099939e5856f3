/* SPDX-License-Identifier: MIT */
/* capscope run --dry-run: the model's prediction for a prepared launch. */
#ifndef CAPSCOPE_LAUNCH_DRY_RUN_H
#define CAPSCOPE_LAUNCH_DRY_RUN_H

#include "diag.h"
#include "json.h"
#include "kernel.h"
#include "launch.h"

struct cs_launch_dry_run {
	struct cs_exec_file file; /* what execve would run */
	struct cs_exec_result res;
	struct cs_cred post; /* the credentials after execve (when res.ok) */
	/* message[0] when the run's check (--caps) refuses the file: what the run says (raw) */
	struct cs_diag refused;
};

/*
 * Find cmd as the run does (its execvp walk over path_env, the value of
 * cs_launch_search_path(); NULL is that) and run the kernel's execve rules
 * on l->predicted for the file it would execute, appending their steps to
 * st. Each candidate is opened and its execute permission asked of the
 * kernel with the calling process's credentials: call it in
 * cs_launch_in_child for the run's. Whether execve would fail is in
 * out->res, not the return value (0, or -ENOMEM). Free out with
 * cs_launch_dry_run_clear().
 */
CS_EXPORT int cs_launch_dry_run(const struct cs_launch *l, const char *cmd, const char *path_env,
				struct cs_steps *st, struct cs_launch_dry_run *out);
/*
 * The same for cmd's whole argv (argv[0] is cmd) and the environment the
 * run passes (envp, NULL-terminated): execve's bounds on the strings it
 * copies are asked too, under this process's RLIMIT_STACK (E2BIG, step
 * execve.e2big). envp NULL: they are not asked, as cs_launch_dry_run.
 */
CS_EXPORT int cs_launch_dry_run_argv(const struct cs_launch *l, char *const argv[],
				     char *const envp[], const char *path_env, struct cs_steps *st,
				     struct cs_launch_dry_run *out);
CS_EXPORT void cs_launch_dry_run_clear(struct cs_launch_dry_run *r);
/*
 * For the real run, before execve: with --caps, a file that would gain
 * permitted capabilities the plan drops (set-uid root, file capabilities;
 * the root rule for a file) is refused, -EPERM with d set, as the root rule
 * is for a caller that stays root; with --ambient, a file for which execve
 * would clear the ambient set asked for (set-uid, set-gid, file
 * capabilities). 0 otherwise (also when execve would fail: the real execve
 * says why).
 */
CS_EXPORT int cs_launch_check_gain(const struct cs_launch *l, const char *cmd, const char *path_env,
				   struct cs_diag *d);
/* What the first bytes of the file about to be executed turned out to be. */
enum cs_exec_head {
	CS_EXEC_HEAD_UNREAD, /* executable but not readable: not known */
	CS_EXEC_HEAD_OTHER,  /* read, not a "#!" script (ELF, or ENOEXEC) */
	CS_EXEC_HEAD_SCRIPT, /* a "#!" script, its interpreter followed */
};
/*
 * The same check for the file the run is about to execute, open as fd
 * (O_PATH is enough) and shown as path, with the credentials already set:
 * the descriptor checked is the one executed. *head says whether its first
 * bytes could be read and were a "#!" line (a file we may execute but not
 * read is modelled as itself). A file whose security.capability cannot be
 * read is refused. 0, or -errno with d set; or -errno with d not set when
 * the model says execve fails with it (nothing after it was checked, so
 * the run must not try: that errno is its answer).
 */
CS_EXPORT int cs_launch_check_gain_fd(const struct cs_launch *l, int fd, const char *path,
				      enum cs_exec_head *head, struct cs_diag *d);
/* {"exec", "before_exec", "process" (null when execve fails), "refused" (null or the
 * run's refusal), "steps"} */
CS_EXPORT void cs_launch_dry_run_json(struct cs_json *j, const struct cs_launch *l,
				      const struct cs_launch_dry_run *r, const struct cs_steps *st);

#endif
