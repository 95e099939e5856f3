/* SPDX-License-Identifier: MIT */
/*
 * Waiting for our own children when the caller ignores SIGCHLD. SIG_IGN is
 * inherited across execve, and with it the kernel reaps every child itself:
 * waitpid fails with ECHILD. `run --dry-run` printed its whole prediction,
 * then "step 'fork' failed: ECHILD" and exit 127; `trace -- CMD` polled
 * with WNOHANG for a child already gone, forever, and passed SIGTERM on to
 * it (nothing stopped it but SIGKILL).
 */
#ifndef CAPSCOPE_INTERNAL_SIGCHLD_H
#define CAPSCOPE_INTERNAL_SIGCHLD_H

/*
 * Before a fork whose child is waited for: SIGCHLD to SIG_DFL if it is
 * SIG_IGN, SA_NOCLDWAIT taken off (a library caller may set it), and
 * SIGCHLD blocked so that no handler of the caller's reaps the child (the
 * old action and mask kept, once, for cs_sigchld_as_inherited).
 */
void cs_sigchld_wait_own(void);

/*
 * SIGCHLD as this process was given it: in a child before execve (the
 * command inherits what the caller gave, as if capscope were not there),
 * or in the parent once its wait is over.
 */
void cs_sigchld_as_inherited(void);

#endif
