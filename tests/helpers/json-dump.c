/* SPDX-License-Identifier: MIT */
/*
 * json-dump FILE...: for each file one line, "ok " and its tree as JSON
 * (objects as arrays of [key, value] pairs, numbers as their text in a
 * string, so that nothing is rounded), or "error " and the diagnostic.
 * The tree is what the readers get: cs_json_tree (lib/json-check.c, then
 * lib/k8s/ydoc.c). tests/cli/json-diff.py compares it with Python's json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/diag.h"
#include "internal/json-tree.h"
#include "internal/util.h"

static void put_string(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void put_node(const struct ydoc_node *n)
{
	switch (n->kind) {
	case YDOC_MAP:
		putchar('[');
		for (uint32_t i = 0; i < n->n; i++) {
			printf(i ? ",[" : "[");
			put_node(n->u.pairs[i].key);
			putchar(',');
			put_node(n->u.pairs[i].value);
			putchar(']');
		}
		putchar(']');
		break;
	case YDOC_SEQ:
		printf("{\"a\":[");
		for (uint32_t i = 0; i < n->n; i++) {
			if (i)
				putchar(',');
			put_node(n->u.items[i]);
		}
		printf("]}");
		break;
	case YDOC_SCALAR:
		if (n->style == YDOC_DOUBLE_QUOTED) {
			put_string(n->u.text, n->n);
		} else {
			printf("{\"p\":");
			put_string(n->u.text, n->n);
			putchar('}');
		}
		break;
	default:
		printf("{\"alias\":true}");
	}
}

static int dump(void *user, const struct ydoc_node *root)
{
	(void)user;
	printf("ok ");
	put_node(root);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct cs_diag d = {0};
		char *buf, msg[600];
		size_t len;

		if (cs_read_file(argv[i], 16u << 20, &buf, &len) < 0) {
			perror(argv[i]);
			return 2;
		}
		if (cs_json_tree(buf, len, true, "", "", dump, NULL, &d) < 0)
			printf("error %s\n", cs_diag_format(&d, msg, sizeof(msg)));
		free(buf);
	}
	return fflush(stdout) ? 2 : 0;
}
