/* SPDX-License-Identifier: MIT */
/*
 * RLIMIT_NPROC after the run's user change. Since Linux 3.1 setresuid to a
 * user that already has more tasks than the caller's RLIMIT_NPROC succeeds,
 * but marks the task (PF_NPROC_EXCEEDED, kernel/sys.c flag_nproc_exceeded);
 * the next execve fails with EAGAIN while the user is still over the limit
 * (fs/exec.c do_execveat_common), before any file is looked at. The run
 * said only "E11 (Resource temporarily unavailable)" and its dry run
 * predicted a command that runs.
 */
#ifndef CAPSCOPE_INTERNAL_LAUNCH_NPROC_H
#define CAPSCOPE_INTERNAL_LAUNCH_NPROC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * 1 when this task carries the mark, with why filled (a sentence naming
 * uid, the user the run changed to, and the limit); 0 when it does not,
 * or when /proc/thread-self/stat cannot be read or is not understood (the
 * run's own execve then still says EAGAIN).
 */
int cs_launch_nproc_exceeded(uid_t uid, char *why, size_t len);

#endif
