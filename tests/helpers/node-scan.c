/* SPDX-License-Identifier: MIT */
/*
 * node-scan PROC: one scan of the node inventory over PROC (a /proc made by
 * the test, with no bundle root), printing how many containers it found.
 * tests/cli/serve-node.sh counts its instructions for growing PROCs.
 */
#include <stdio.h>

#include "capscope/node.h"

int main(int argc, char **argv)
{
	struct cs_node_root none = {CS_NODE_TASK, "/nonexistent"};
	struct cs_node_opts o = {.roots = &none, .n_roots = 1, .no_predict = true};
	struct cs_node_inventory inv = {0};
	struct cs_diag d = {0};
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: node-scan PROC\n");
		return 2;
	}
	o.proc = argv[1];
	r = cs_node_scan(&inv, &o, &d);
	if (r == 0)
		r = cs_node_scan(&inv, &o, &d); /* a scrape after the first */
	if (r < 0) {
		fprintf(stderr, "node-scan: %s\n", d.message);
		return 1;
	}
	printf("%zu\n", inv.n);
	cs_node_inventory_free(&inv);
	return 0;
}
