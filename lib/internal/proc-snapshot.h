/* SPDX-License-Identifier: MIT */
/* lib/proc-snapshot.c's internals that tests look at. */
#ifndef CAPSCOPE_INTERNAL_PROC_SNAPSHOT_H
#define CAPSCOPE_INTERNAL_PROC_SNAPSHOT_H

#include <stddef.h>

/* Slots the user name table has looked at, over the process (a cost test). */
extern size_t cs_proc_user_probes;

#endif
