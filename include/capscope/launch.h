/* SPDX-License-Identifier: MIT */
/*
 * capscope run: put this thread into exactly the credentials asked for, then
 * exec. One list of operations is built from the request; the kernel model
 * runs it first (prediction, refusal before anything happens), then the real
 * system calls run it, then the credentials are read back and compared with
 * the prediction. Any difference or failure: nothing is executed.
 * Small on purpose and free of libfyaml, so it links statically.
 * Every message it leaves in a struct cs_diag is raw text: a file's name is
 * the name's bytes, escaped once by whoever prints it (escape.h), written
 * as it is by a JSON writer.
 */
#ifndef CAPSCOPE_LAUNCH_H
#define CAPSCOPE_LAUNCH_H

#include <sys/types.h>

#include "diag.h"
#include "kernel.h"
#include "steps.h"

enum cs_groups_mode { CS_GROUPS_UNSET = 0, CS_GROUPS_LIST, CS_GROUPS_CLEAR, CS_GROUPS_KEEP };

/* What the user asked for. */
struct cs_launch_plan {
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;
	enum cs_groups_mode groups_mode;
	gid_t groups[CS_CRED_MAX_GROUPS];
	size_t ngroups;
	bool set_caps; /* --caps: exact I/P/E */
	cs_mask_t caps_inh, caps_prm, caps_eff;
	bool set_inh; /* --inh: exact I */
	cs_mask_t inh;
	bool set_ambient; /* --ambient: exact A, and I/P raised to allow it */
	cs_mask_t ambient;
	bool set_bounding; /* --bounding: keep only these */
	cs_mask_t bounding;
	bool no_new_privs;
	bool set_securebits;
	unsigned securebits;
};

enum cs_launch_op_kind {
	CS_OP_BOUNDING,	  /* drop every capability not in mask */
	CS_OP_SECUREBITS, /* PR_SET_SECUREBITS value */
	CS_OP_KEEPCAPS,	  /* PR_SET_KEEPCAPS value */
	CS_OP_SETGROUPS,
	CS_OP_SETRESGID,
	CS_OP_SETRESUID,
	CS_OP_CAPSET,  /* eff, prm, inh */
	CS_OP_AMBIENT, /* clear all, raise mask */
	CS_OP_NNP,
};

struct cs_launch_op {
	enum cs_launch_op_kind kind;
	const char *name; /* the step name in messages: "setgroups", "capset", … */
	cs_mask_t mask, eff, prm, inh;
	unsigned value;
	uid_t id;
};

#define CS_LAUNCH_MAX_OPS 16

struct cs_launch {
	struct cs_launch_op ops[CS_LAUNCH_MAX_OPS];
	size_t nops;
	const struct cs_launch_plan *plan;
	struct cs_cred start;	  /* the credentials it started from */
	struct cs_cred predicted; /* what the model says they are just before execve */
};

/*
 * Build the operations and run them through the model from start.
 * Exactly what was asked, or nothing: -EINVAL when the request contradicts
 * itself or names capabilities this kernel does not have (d says why: a
 * capability outside --bounding, --caps and --inh disagreeing, ambient left
 * out of the sets --caps asks for …); -EPERM when it asks for what this
 * process can no longer get (a bounding capability already dropped, ambient
 * beyond permitted); -EPERM etc. when the
 * model predicts that a step fails (d->field names the step). Nothing is
 * changed in the real process.
 */
CS_EXPORT int cs_launch_prepare(const struct cs_launch_plan *plan, const struct cs_cred *start,
				struct cs_launch *l, struct cs_steps *st, struct cs_diag *d);

/*
 * Run the operations for real. 0, or -errno with d->field naming the step
 * that failed and d->message the system's text for the error; the process
 * must then exit without executing anything.
 */
CS_EXPORT int cs_launch_apply(const struct cs_launch *l, struct cs_diag *d);

/*
 * Read the credentials back and compare them with the prediction. 0 when
 * equal; -EPROTO with d->field "verify" and what differs in d->message.
 */
CS_EXPORT int cs_launch_verify(const struct cs_launch *l, struct cs_diag *d);

/* execvp without its /bin/sh fallback; returns only on failure, with -errno. */
CS_EXPORT int cs_launch_exec(char *const argv[]);

/*
 * The run's execve, after cs_launch_apply and cs_launch_verify: execvp's
 * walk (no /bin/sh fallback) done with the new credentials, each candidate
 * opened once and executed through that descriptor (execveat); with --caps
 * or --ambient the descriptor is checked first (cs_launch_check_gain_fd), and
 * without either a candidate is executed by path. Returns only on
 * failure: -errno, and d->message is set when the check refused the file.
 */
CS_EXPORT int cs_launch_exec_checked(const struct cs_launch *l, char *const argv[],
				     struct cs_diag *d);

/*
 * fn(arg) in a child process that has carried out the plan first
 * (cs_launch_apply, cs_launch_verify): whatever fn asks of the kernel, it
 * asks with the credentials the command would run with. The dry run walks
 * $PATH and reads the command there (a directory the caller may search and
 * the new user may not is skipped by the run, and so by the prediction).
 * Returns fn's value (0-255), 128 + N when the child was ended by signal N
 * (as a shell says it), or -errno with d set when the child could not take
 * the credentials (the step and the error, as cs_launch_apply says them).
 * Buffered stdio output is flushed before the fork.
 */
CS_EXPORT int cs_launch_in_child(const struct cs_launch *l, int (*fn)(void *arg), void *arg,
				 struct cs_diag *d);

/*
 * The directories cs_launch_exec searches for a name without a '/': $PATH,
 * or execvp's default when it is unset. A model of the run
 * (cs_launch_dry_run, cs_launch_check_gain) must be given this, not
 * getenv("PATH"): with PATH unset it would look for nothing while the run
 * finds /usr/bin/NAME, and check another file than the one executed.
 */
CS_EXPORT const char *cs_launch_search_path(void);

#endif
