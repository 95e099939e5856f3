/* SPDX-License-Identifier: MIT */
/*
 * The part of cs_trace_target_resolve that takes hold of a pid target (its
 * pidfd and start time), apart so that a unit test can run it in a pid
 * namespace of its own, where cs_trace_target_resolve refuses -p.
 */
#ifndef CAPSCOPE_INTERNAL_TRACE_TARGET_H
#define CAPSCOPE_INTERNAL_TRACE_TARGET_H

#include "capscope/trace-watch.h"

/* 0, or -errno with d saying why (no such process, a thread, ourselves). */
int cs_trace_resolve_pid(struct cs_trace_target *tg, struct cs_diag *d);

#endif
