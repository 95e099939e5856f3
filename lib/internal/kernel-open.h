/* SPDX-License-Identifier: MIT */
/* execve's open of the file it is given, alone (lib/kernel.c). */
#ifndef CAPSCOPE_INTERNAL_KERNEL_OPEN_H
#define CAPSCOPE_INTERNAL_KERNEL_OPEN_H

#include "capscope/kernel.h"

/*
 * The checks of execve's open of f itself (do_open_execat: the lookup's
 * error, the directories' search, MAY_EXEC), in c, with their steps:
 * nothing of its "#!" chain and no credential change. Since Linux 6.8
 * (978ffcbf00d8, alloc_bprm) the file is opened before argv and envp are
 * copied, so these come before E2BIG. 0 or -errno.
 */
int cs_kernel_execve_open(const struct cs_cred *c, const struct cs_exec_file *f,
			  struct cs_steps *st);

#endif
