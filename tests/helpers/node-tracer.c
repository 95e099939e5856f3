/* SPDX-License-Identifier: MIT */
/*
 * node-tracer [CGROUP-DIR...]: the node agent's tracer (per-cgroup rows,
 * every process of the node) with the given cgroups named as containers'
 * own (cs_tracer_set_owners, as the agent does after each scan), then
 * "ready" on stdout, then a drain every second until stdin closes or a
 * signal ends it. bench/bench-serve-walk.sh measures the programs' run
 * time per check with it (bpftool, kernel.bpf_stats_enabled).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/node.h"

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct cs_node_trace nt;
	struct cs_diag d = {0};
	uint64_t *ids = calloc((size_t)argc, sizeof(*ids));
	size_t n = 0;

	if (!ids)
		return 1;
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "node-tracer: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		ids[n++] = (uint64_t)st.st_ino; /* a cgroup v2 directory's id */
	}
	if (n)
		qsort(ids, n, sizeof(*ids), cmp);
	if (cs_node_trace_open(&nt, 0, &d) < 0) {
		fprintf(stderr, "node-tracer: %s\n", d.message);
		return 1;
	}
	if (cs_tracer_set_owners(nt.tracer, ids, n) < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		char buf[64];

		if (poll(&p, 1, 1000) > 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
		cs_node_trace_drain(&nt);
		/* The rows are not kept: what is measured is the programs. */
		nt.n = 0;
	}
	cs_node_trace_close(&nt);
	free(ids);
	return 0;
}
