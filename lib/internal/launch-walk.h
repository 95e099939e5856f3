/* SPDX-License-Identifier: MIT */
/*
 * The one PATH walk of capscope run (execvp's rule, without its /bin/sh
 * fallback), shared by the run, which executes each candidate, and its dry
 * run, which models each candidate with the same credentials: the two
 * cannot pick different files. (explain's resolver, lib/exec-file.c, walks
 * by Go's exec.LookPath instead: that is runc's rule, a different program.)
 */
#ifndef CAPSCOPE_INTERNAL_LAUNCH_WALK_H
#define CAPSCOPE_INTERNAL_LAUNCH_WALK_H

#include <stdbool.h>

/*
 * One candidate: 0 when it would run, or the errno execve gives (negated).
 * *final stops the walk whatever the errno (a refusal by the check).
 */
typedef int (*cs_launch_try_fn)(void *ctx, const char *path, bool *final);

struct cs_launch;

/*
 * Whether the run opens each candidate, checks that open file against the
 * plan and executes that descriptor (exec_checked): with --caps (a gain the
 * plan drops) and with --ambient (a set-uid, set-gid or file-capability
 * command, for which execve clears the ambient set asked for). Without
 * either, a candidate is executed by path. The dry run follows the same rule.
 */
bool cs_launch_checks_file(const struct cs_launch *l);

/* Whether execvp goes on to the next directory after a candidate said rc. */
bool cs_launch_walk_goes_on(int rc);

/*
 * name alone when it holds a '/'; else each directory of search (an empty
 * entry is the working directory), EACCES kept while the search goes on.
 * Returns what the chosen candidate said, or -ENOENT/-EACCES.
 */
int cs_launch_walk(const char *name, const char *search, cs_launch_try_fn try_one, void *ctx);

#endif
