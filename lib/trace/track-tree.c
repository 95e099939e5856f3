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

	if (n) /* v is NULL when /proc could not be listed: qsort's is nonnull */
		qsort(v, n, sizeof(*v), by_parent);
	out[qt++] = root;
	while (qh < qt) {
		pid_t p = out[qh++];

		for (size_t i = first_child(v, n, p); i < n && v[i].ppid == p && qt <= n; i++)
			out[qt++] = v[i].pid;
	}
	return qt;
}

/* Each process of v (sorted by parent) not yet seen below p: tracked (but
 * this capscope), seen, queued; *fresh counts those the kernel had not. */
static size_t take_children(struct cs_tracer *t, const struct cs_pid_parent *v, size_t n,
			    unsigned char *seen, pid_t p, pid_t *queue, size_t qt, size_t *fresh)
{
	for (size_t i = first_child(v, n, p); i < n && v[i].ppid == p; i++) {
		if (seen[i])
			continue;
		seen[i] = 1;
		/* Not the tracer itself, a descendant of the shell it was asked to
		 * watch (`trace -p $$`, `-p 1`): its own reads of /proc and
		 * kallsyms were reported as the shell's, CAP_SYS_PTRACE and
		 * CAP_SYSLOG in a profile of a shell that did nothing. */
		if (v[i].pid == getpid())
			continue;
		if (cs_tracer_track_fresh(t, v[i].pid) > 0)
			(*fresh)++;
		queue[qt++] = v[i].pid;
	}
	return qt;
}

/*
 * One read of /proc, after the programs are attached: every process below
 * root, or below a process the programs tracked (the child of a descendant
 * that exited: reparented, its parent in this read is a reaper), tracked.
 * Each process is looked at once (seen), so a cycle of reused pids ends and
 * the cost is n log n.
 */
static int track_pass(struct cs_tracer *t, pid_t root, size_t *fresh)
{
	struct pid_table tab = {0};
	pid_t *queue;
	unsigned char *seen;
	size_t qh = 0, qt = 0;
	int rc;

	*fresh = 0;
	/* A partial table still tracks what it found: the rest arrive by fork. */
	rc = read_parents(&tab);
	queue = calloc(tab.n + 1, sizeof(*queue));
	seen = calloc(tab.n + 1, 1);
	if (!queue || !seen) {
		free(queue);
		free(seen);
		free(tab.v);
		return -ENOMEM;
	}
	if (tab.n) /* tab.v is NULL when /proc could not be listed */
		qsort(tab.v, tab.n, sizeof(*tab.v), by_parent);
	queue[qt++] = root;
	for (size_t s = 0; s <= tab.n; s++) {
		/* The seeds: root, then each process tracked that was not
		 * reached yet. */
		if (s > 0) {
			if (seen[s - 1] || tab.v[s - 1].pid == getpid() ||
			    !cs_tracer_tracked(t, tab.v[s - 1].pid))
				continue;
			seen[s - 1] = 1;
			queue[qt++] = tab.v[s - 1].pid;
		}
		while (qh < qt)
			qt = take_children(t, tab.v, tab.n, seen, queue[qh++], queue, qt, fresh);
	}
	free(queue);
	free(seen);
	free(tab.v);
	return rc;
}

/*
 * Sixteenth pass' open find: /proc was read until a read found no
 * descendant untracked, at most 8 times, and the fork handler followed
 * only tracked parents: a descendant not yet found that forked in a storm
 * lost its children past the 8 reads, and one whose parent exited before a
 * read saw it (reparented to a reaper) was never found. The programs now
 * follow every fork and exit below a tracked process by its parents
 * (bpf/capscope.bpf.c below_tracked, track_children), so one read after
 * they are attached is enough: a descendant alive then is either in it, or
 * below a process the programs tracked as one of its parents exited (the
 * read's seeds), or made since, by a fork the programs saw.
 */
int cs_tracer_track_tree(struct cs_tracer *t, pid_t root)
{
	size_t fresh = 0;
	int rc = cs_tracer_track(t, root);

	if (rc == 0)
		rc = track_pass(t, root, &fresh);
	return rc;
}
