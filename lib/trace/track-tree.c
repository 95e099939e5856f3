/* SPDX-License-Identifier: MIT */
/* Tracing an existing process: it and every process below it, from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "capscope/proc.h"
#include "capscope/trace.h"
#include "../internal/pid-tree.h"
#include "../internal/util.h"

struct pid_table {
	struct cs_pid_parent *v;
	size_t n, cap;
};

static int table_add(struct pid_table *t, pid_t pid, pid_t ppid)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 512;
		struct cs_pid_parent *a = realloc(t->v, cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		t->v = a;
		t->cap = cap;
	}
	t->v[t->n++] = (struct cs_pid_parent){pid, ppid};
	return 0;
}

/* Every process with its parent (the ppid field of /proc/N/stat). */
static int read_parents(struct pid_table *t)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int rc = 0;

	if (!d)
		return -errno;
	while (rc == 0 && (de = readdir(d))) {
		char p[64], *buf = NULL, *rp;
		size_t len;
		int pp;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "/proc/%.32s/stat", de->d_name);
		if (cs_read_file(p, 4096, &buf, &len) < 0)
			continue;
		/* The comm may hold ')': the fields follow the last one. */
		rp = strrchr(buf, ')');
		if (rp && sscanf(rp + 1, " %*c %d", &pp) == 1)
			rc = table_add(t, (pid_t)atoi(de->d_name), (pid_t)pp);
		free(buf);
	}
	closedir(d);
	return rc;
}

static int by_parent(const void *a, const void *b)
{
	const struct cs_pid_parent *x = a, *y = b;

	return x->ppid < y->ppid ? -1 : x->ppid > y->ppid;
}

/* The first entry of sorted v whose parent is p, or n. */
static size_t first_child(const struct cs_pid_parent *v, size_t n, pid_t p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].ppid < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t cs_pid_descendants(struct cs_pid_parent *v, size_t n, pid_t root, pid_t *out)
{
	size_t qh = 0, qt = 0;

	qsort(v, n, sizeof(*v), by_parent);
	out[qt++] = root;
	while (qh < qt) {
		pid_t p = out[qh++];

		for (size_t i = first_child(v, n, p); i < n && v[i].ppid == p && qt <= n; i++)
			out[qt++] = v[i].pid;
	}
	return qt;
}

/*
 * One read of /proc: every descendant of root found tracked; *fresh says
 * how many were not already (by an earlier pass or the fork handler).
 */
static int track_pass(struct cs_tracer *t, pid_t root, size_t *fresh)
{
	struct pid_table tab = {0};
	pid_t *queue;
	int rc;

	*fresh = 0;
	/* A partial table still tracks what it found: the rest arrive by fork. */
	rc = read_parents(&tab);
	queue = calloc(tab.n + 1, sizeof(*queue));
	if (queue) {
		size_t n = cs_pid_descendants(tab.v, tab.n, root, queue);

		/* Not the tracer itself, a descendant of the shell it was asked to
		 * watch (`trace -p $$`, `-p 1`): its own reads of /proc and
		 * kallsyms were reported as the shell's, CAP_SYS_PTRACE and
		 * CAP_SYSLOG in a profile of a shell that did nothing. */
		for (size_t i = 1; i < n; i++)
			if (queue[i] != getpid() && cs_tracer_track_fresh(t, queue[i]) > 0)
				(*fresh)++;
	} else {
		rc = -ENOMEM;
	}
	free(queue);
	free(tab.v);
	return rc;
}

/*
 * Reads of /proc until one finds no descendant untracked. Sixteenth pass:
 * one read only, and a descendant that forked between the read (which saw
 * it, not its new child) and its own tracking had that child, and all the
 * child's descendants, never traced: the fork handler follows only tracked
 * parents. A later read finds such a child alive and tracks it; a process
 * tracked by the pass before forks under the fork handler's eye. Bounded
 * (a forking storm never gives a quiet read): past it, what a read did
 * not see is not traced, as before.
 */
#define TRACK_PASSES 8

int cs_tracer_track_tree(struct cs_tracer *t, pid_t root)
{
	size_t fresh = 1;
	int rc = cs_tracer_track(t, root);

	for (int pass = 0; rc == 0 && fresh && pass < TRACK_PASSES; pass++)
		rc = track_pass(t, root, &fresh);
	return rc;
}
