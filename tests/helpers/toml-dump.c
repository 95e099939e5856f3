/* SPDX-License-Identifier: MIT */
/*
 * toml-dump FILE: the document as JSON on stdout (cs_toml_dump_json), exit
 * 0; or the diagnostic on stderr, exit 1. tests/cli/toml-diff.sh compares
 * it with Python's tomllib.
 */
#include <stdio.h>
#include <stdlib.h>

#include "capscope/proc.h"
#include "capscope/toml.h"

int main(int argc, char **argv)
{
	struct cs_toml_doc *doc;
	struct cs_diag d = {0};
	char *buf, msg[600];
	size_t len;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: toml-dump FILE\n");
		return 2;
	}
	if (cs_read_file(argv[1], 16u << 20, &buf, &len) < 0) {
		perror(argv[1]);
		return 2;
	}
	r = cs_toml_load(buf, len, argv[1], &doc, &d);
	free(buf);
	if (r < 0) {
		fprintf(stderr, "%s\n", cs_diag_format(&d, msg, sizeof(msg)));
		return 1;
	}
	r = cs_toml_dump_json(cs_toml_root(doc), stdout);
	cs_toml_free(doc);
	putchar('\n');
	return r < 0 || fflush(stdout) ? 2 : 0;
}
