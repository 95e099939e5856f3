/* SPDX-License-Identifier: MIT */
/*
 * node-scan PROC [USERDATA-ROOT [WARM]]: one scan of the node inventory over
 * PROC (a /proc made by the test) and WARM more (default 1, a scrape after
 * the first), printing how many containers it found. tests/cli/serve-node.sh
 * counts its instructions for growing PROCs and roots. With a CRI-O/Podman
 * userdata root (or LAYOUT:/PATH, as --bundle-root takes it: runc:/PATH),
 * each container follows as "ID PID N_PROCS", and its pod's
 * namespace after them ("-" for none) when NODE_SCAN_NS is set.
 * NODE_SCAN_ROOT2 names a second root, scanned after the first (two roots
 * naming one id: the contest of tests/cli/serve-node-owner-enomem.sh).
 * NODE_SCAN_PIDFD_MAX sets how many pidfds a scan may hold (cs_node_pidfd_max:
 * more than RLIMIT_NOFILE allows, for tests/cli/serve-node-fds.sh).
 * NODE_SCAN_NO_FDS: every descriptor taken just before the processes'
 * credentials are read (cs_node_seam_before_procs), and each container's
 * line ends with "status" when they were.
 */
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

#include "capscope/node.h"
#include "../../lib/node/node-internal.h"

static int taken[4096], ntaken;

/* Every descriptor left, held until the scan returns (take_back). */
static void take_all(const struct cs_node_inventory *inv)
{
	(void)inv;
	while (ntaken < 4096 && (taken[ntaken] = dup(2)) >= 0)
		ntaken++;
}

static void take_back(void)
{
	while (ntaken > 0)
		close(taken[--ntaken]);
}

int main(int argc, char **argv)
{
	struct cs_node_root roots[2] = {{CS_NODE_TASK, "/nonexistent"}};
	struct cs_node_opts o = {.roots = roots, .n_roots = 1, .no_predict = true};
	const char *second = getenv("NODE_SCAN_ROOT2");
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	int r, warm = argc == 4 ? atoi(argv[3]) : 1;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: node-scan PROC [USERDATA-ROOT [WARM]]\n");
		return 2;
	}
	if (getenv("NODE_SCAN_PIDFD_MAX"))
		cs_node_pidfd_max = strtoul(getenv("NODE_SCAN_PIDFD_MAX"), NULL, 10);
	o.proc = argv[1];
	/* A userdata root, or any layout as --bundle-root gives it (runc:/PATH). */
	if (argc >= 3 && cs_node_root_parse(argv[2], &roots[0]) < 0)
		roots[0] = (struct cs_node_root){CS_NODE_USERDATA, argv[2]};
	if (argc >= 3 && second && *second) {
		if (cs_node_root_parse(second, &roots[1]) < 0)
			roots[1] = (struct cs_node_root){CS_NODE_USERDATA, second};
		o.n_roots = 2;
	}
	r = cs_node_scan(&inv, &o, &d);
	if (getenv("NODE_SCAN_NO_FDS"))
		cs_node_seam_before_procs = take_all;
	for (int i = 0; r == 0 && i < warm; i++) {
		r = cs_node_scan(&inv, &o, &d); /* the scrapes after the first */
		take_back();
	}
	if (r < 0) {
		fprintf(stderr, "node-scan: %s\n", d.message);
		return 1;
	}
	printf("%zu\n", inv.n);
	for (size_t i = 0; argc >= 3 && i < inv.n; i++) {
		const char *ns = inv.v[i]->namespace ? inv.v[i]->namespace : "-";

		printf("%s %d %zu", inv.v[i]->id, (int)inv.v[i]->pid, inv.v[i]->n_procs);
		if (getenv("NODE_SCAN_NS"))
			printf(" %s", ns);
		if (getenv("NODE_SCAN_NO_FDS") && inv.v[i]->have_status)
			printf(" status");
		printf("\n");
	}
	cs_node_inventory_free(&inv);
	return 0;
}
