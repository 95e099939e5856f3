/* SPDX-License-Identifier: MIT */
/* The descendants of one process in a snapshot of every process's parent. */
#ifndef CAPSCOPE_INTERNAL_PID_TREE_H
#define CAPSCOPE_INTERNAL_PID_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct cs_pid_parent {
	pid_t pid, ppid;
};

/*
 * Sorts v (n processes with their parents) by parent and writes root, then
 * its descendants in breadth-first order, into out (room for n + 1); returns
 * how many. O(n log n): each parent's children are found by a binary search,
 * not by a pass over every process for each one (n^2: 300,000 processes
 * under a traced one, which an unprivileged user may fork, held the start of
 * `trace -p` for tens of seconds). A cycle
 * (a pid reused between two reads of /proc) ends when out is full.
 */
size_t cs_pid_descendants(struct cs_pid_parent *v, size_t n, pid_t root, pid_t *out);

struct cs_tracer;
/* cs_tracer_track, saying whether tgid was not tracked before: 1 if it was
 * not (now it is), 0 if it was, -errno. */
int cs_tracer_track_fresh(struct cs_tracer *t, pid_t tgid);
/* Whether tgid is tracked (by cs_tracer_track or the programs). */
bool cs_tracer_tracked(struct cs_tracer *t, pid_t tgid);

#endif
