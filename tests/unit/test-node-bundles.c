/* SPDX-License-Identifier: MIT */
/*
 * The node agent's bundle scan looks every directory name of a bundle root
 * up by container id (lib/node/bundles.c, an open-addressing table). Whoever
 * may write a bundle root chooses those names (docs/serve.md: a rootless
 * user's storage), so the table's slot must not be predictable from them.
 * Session 16, second round (part L): the slot was the 64-bit FNV-1a from its
 * fixed start, masked; its low bits depend only on the low bits before, so
 * names made of blocks that meet in the low 20 bits all fell into one slot,
 * and each scan probed past every container before: 2,048 such bundles cost
 * some 4 million probes a scan. Counted (cs_node_id_probes), not timed.
 */
#include "cmocka-wrap.h"
#include "fixtures.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/node.h"
#include "../../lib/node/node-internal.h"

#define BLOCKS 11 /* 2^11 = 2,048 names */
#define BITS   20 /* the low bits they share: tables up to 2^20 slots */

static char root[] = "/tmp/capscope-test-nb-XXXXXX";

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	return h;
}

/*
 * From state h, two different 4-hex-digit blocks after which the state's
 * low BITS bits are the same (a birthday search over 65,536 blocks); the
 * state after the first is returned (the low bits are all that matter).
 */
static uint64_t pair(uint64_t h, char a[5], char b[5])
{
	static uint32_t seen[1u << BITS]; /* block + 1 that reached these bits */

	memset(seen, 0, sizeof(seen));
	for (uint32_t k = 0; k < 65536; k++) {
		char s[5];

		snprintf(s, sizeof(s), "%04x", k & 0xffffu);
		uint32_t low = (uint32_t)fnv(h, s, 4) & ((1u << BITS) - 1);

		if (seen[low]) {
			snprintf(a, 5, "%04x", (seen[low] - 1) & 0xffffu);
			memcpy(b, s, 5);
			return fnv(h, a, 4);
		}
		seen[low] = k + 1;
	}
	fail_msg("no two blocks meet in %d bits", BITS);
	return 0;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* 2^BLOCKS bundles ROOT/<id>/userdata/config.json, the ids meeting in one slot of the old hash. */
static void make_bundles(void)
{
	char blk[BLOCKS][2][5];
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a's start (CS_FNV1A_START) */

	for (int i = 0; i < BLOCKS; i++)
		h = pair(h, blk[i][0], blk[i][1]);
	for (uint32_t m = 0; m < (1u << BLOCKS); m++) {
		char id[4 * BLOCKS + 1] = "", path[512];

		for (int i = 0; i < BLOCKS; i++)
			strcat(id, blk[i][(m >> i) & 1]);
		snprintf(path, sizeof(path), "%s/%s", root, id);
		assert_int_equal(mkdir(path, 0700), 0);
		strcat(path, "/userdata");
		assert_int_equal(mkdir(path, 0700), 0);
		strcat(path, "/config.json");
		put(path, "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/x\"]}}\n");
	}
}

static void one_slot_names(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(root));
	make_bundles();

	struct cs_node_root r = {CS_NODE_USERDATA, root};
	struct cs_node_opts o = {.roots = &r, .n_roots = 1, .no_predict = true};
	struct cs_node_inventory inv = {0};
	size_t n = 1u << BLOCKS, before = cs_node_id_probes;

	assert_int_equal(cs_node_scan_bundles(&inv, &o), 0);
	assert_int_equal(inv.n, n);
	print_message("# a cold scan of %zu bundles: %zu probes\n", n, cs_node_id_probes - before);
	assert_true(cs_node_id_probes - before < 4 * n);
	/* A warm scan looks every name up again, each found. */
	before = cs_node_id_probes;
	assert_int_equal(cs_node_scan_bundles(&inv, &o), 0);
	assert_int_equal(inv.n, n);
	print_message("# a warm scan: %zu probes\n", cs_node_id_probes - before);
	assert_true(cs_node_id_probes - before < 4 * n);
	cs_node_inventory_free(&inv);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	if (strcmp(root + strlen(root) - 6, "XXXXXX") != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(one_slot_names, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
