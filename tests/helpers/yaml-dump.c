#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capscope/diag.h"
#include "internal/util.h"
#include "k8s/ydoc.h"

static void put_string(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}
static void put_node(const struct ydoc_node *n, int depth)
{
	if (!n) {
		printf("null");
		return;
	}
	if (depth > 50) {
		printf("\"DEEP\"");
		return;
	}
	switch (n->kind) {
	case YDOC_MAP:
		printf("{\"m\":[");
		for (uint32_t i = 0; i < n->n; i++) {
			printf(i ? ",[" : "[");
			put_node(n->u.pairs[i].key, depth + 1);
			putchar(',');
			put_node(n->u.pairs[i].value, depth + 1);
			putchar(']');
		}
		printf("]}");
		break;
	case YDOC_SEQ:
		printf("{\"s\":[");
		for (uint32_t i = 0; i < n->n; i++) {
			if (i)
				putchar(',');
			put_node(n->u.items[i], depth + 1);
		}
		printf("]}");
		break;
	case YDOC_SCALAR:
		printf("{\"t\":%d,\"v\":", n->style);
		put_string(n->u.text, n->n);
		putchar('}');
		break;
	default:
		put_node(ydoc_target(n), depth + 1);
	}
}
static int dump(void *user, struct ydoc_node *root, size_t nodes)
{
	(void)user;
	(void)nodes;
	printf("doc ");
	put_node(root, 0);
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
		char *b2 = malloc(YDOC_ROOM + len + 1);
		bool room = ydoc_wants_room(buf, len);
		memcpy(b2 + YDOC_ROOM, buf, len);
		b2[YDOC_ROOM + len] = 0;
		int fy = getenv("FY") != NULL;
		char *t = room ? b2 : b2 + YDOC_ROOM;
		int rc = fy ? ydoc_read_fy(t, len, room, argv[i], dump, NULL, &d)
			    : ydoc_read(t, len, room, argv[i], dump, NULL, &d);
		if (rc < 0)
			printf("error %s\n", cs_diag_format(&d, msg, sizeof(msg)));
		printf("end\n");
		free(buf);
		free(b2);
	}
	return fflush(stdout) ? 2 : 0;
}
