/* SPDX-License-Identifier: MIT */
/*
 * Test seams of the ps reader (lib/proc-snapshot.c), NULL outside the unit
 * tests, not exported. after_status is called after a process's status
 * was read and before its other files are: a unit test ends the process
 * there and gives its pid to another (ns_last_pid), which no test could
 * otherwise time. secbits_text stands for the BPF iterator's output.
 */
#ifndef CAPSCOPE_INTERNAL_PROC_SEAM_H
#define CAPSCOPE_INTERNAL_PROC_SEAM_H

#include <sys/types.h>

extern void (*cs_proc_seam_after_status)(pid_t pid);
/* When set, the text the securebits iterator would write, read instead of it. */
extern const char *cs_proc_seam_secbits_text;

#endif
