/* SPDX-License-Identifier: MIT */
/*
 * A test seam of the ps reader (lib/proc-snapshot.c): called, when set,
 * after a process's status was read and before its other files are. A
 * unit test ends the process there and gives its pid to another
 * (ns_last_pid), which no test could otherwise time. Not exported; NULL
 * outside the unit tests.
 */
#ifndef CAPSCOPE_INTERNAL_PROC_SEAM_H
#define CAPSCOPE_INTERNAL_PROC_SEAM_H

#include <sys/types.h>

extern void (*cs_proc_seam_after_status)(pid_t pid);

#endif
