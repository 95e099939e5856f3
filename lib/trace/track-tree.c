/* SPDX-License-Identifier: MIT */
/* Tracing an existing process: it and every process below it, from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/proc.h"
#include "capscope/trace.h"

struct pid_table {
	pid_t *pid, *ppid;
	size_t n, cap;
};

static int table_add(struct pid_table *t, pid_t pid, pid_t ppid)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 512;
		pid_t *a = realloc(t->pid, cap * sizeof(*a)), *b;

		if (!a)
			return -ENOMEM;
		t->pid = a;
		b = realloc(t->ppid, cap * sizeof(*b));
		if (!b)
			return -ENOMEM;
		t->ppid = b;
		t->cap = cap;
	}
	t->pid[t->n] = pid;
	t->ppid[t->n++] = ppid;
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

int cs_tracer_track_tree(struct cs_tracer *t, pid_t root)
{
	struct pid_table tab = {0};
	pid_t *queue;
	size_t qh = 0, qt = 0;
	int rc = cs_tracer_track(t, root);

	if (rc < 0)
		return rc;
	/* A partial table still tracks what it found: the rest arrive by fork. */
	rc = read_parents(&tab);
	queue = calloc(tab.n + 1, sizeof(*queue));
	if (queue) {
		queue[qt++] = root;
		while (qh < qt) {
			pid_t p = queue[qh++];

			for (size_t i = 0; i < tab.n; i++)
				if (tab.ppid[i] == p && qt <= tab.n) {
					queue[qt++] = tab.pid[i];
					cs_tracer_track(t, tab.pid[i]);
				}
		}
	} else {
		rc = -ENOMEM;
	}
	free(queue);
	free(tab.pid);
	free(tab.ppid);
	return rc;
}
