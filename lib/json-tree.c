/* SPDX-License-Identifier: MIT */
#include "internal/json-tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal/json-check.h"
#include "internal/util.h"

struct call {
	cs_json_tree_fn fn;
	void *user;
	int calls;
};

static int one_root(void *user, struct ydoc_node *root, size_t nodes)
{
	struct call *c = user;

	(void)nodes;
	/* The checked text is one value: one document, never empty. */
	if (c->calls++ || !root)
		return -EINVAL;
	return c->fn(c->user, root);
}

/*
 * The checked text, its tabs between tokens made spaces: JSON takes a tab
 * anywhere white space goes, YAML not where it would indent ("\n\t\"x\""
 * is one JSON string, and a YAML error). A tab counts one column either way.
 */
static void copy_text(char *to, const char *from, size_t len)
{
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char c = from[i];

		if (in_str && c == '\\' && i + 1 < len) {
			to[i] = c;
			to[i + 1] = from[i + 1];
			i++;
			continue;
		}
		if (c == '"')
			in_str = !in_str;
		to[i] = c == '\t' && !in_str ? ' ' : c;
	}
}

int cs_json_tree(const char *buf, size_t len, bool whole, const char *field, const char *prefix,
		 cs_json_tree_fn fn, void *user, struct cs_diag *d)
{
	struct call c = {fn, user, 0};
	size_t end = 0;
	char *text;
	int r;

	if ((r = cs_json_check(buf, len, whole, NULL, 0, &end, field, prefix, d)) < 0)
		return r;
	/*
	 * The tree reader wants room for "--- " before the text: libfyaml
	 * hands out no token of a line that may still be a block mapping's key
	 * until the line ends (lib/k8s/ydoc.c, DOC_PREFIX), and one-line JSON
	 * is one line. Valid JSON after it means what it meant alone.
	 */
	if (!(text = malloc(YDOC_ROOM + end + 1)))
		return cs_diag_set(d, ENOMEM, 0, 0, field, "out of memory");
	copy_text(text + YDOC_ROOM, buf, end);
	text[YDOC_ROOM + end] = '\0';
	r = ydoc_read_json(text, end, d && d->file[0] ? d->file : "", one_root, &c, d);
	free(text);
	if (r >= 0 && c.calls != 1)
		r = cs_diag_set(d, EINVAL, 1, 1, field, "%sno value", prefix ? prefix : "");
	return r;
}

bool cs_json_is_null(const struct ydoc_node *n)
{
	return !n || (n->kind == YDOC_SCALAR && n->style == YDOC_PLAIN && n->n == 4 &&
		      !memcmp(n->u.text, "null", 4));
}

bool cs_json_is_string(const struct ydoc_node *n)
{
	return n && n->kind == YDOC_SCALAR && n->style == YDOC_DOUBLE_QUOTED;
}

const struct ydoc_node *cs_json_get_go(const struct ydoc_node *map, const char *name,
				       const struct ydoc_node **dup)
{
	const struct ydoc_node *found = NULL;

	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->n; i++) {
		const struct ydoc_node *k = map->u.pairs[i].key;

		if (!cs_json_is_string(k) || !cs_go_fold_equal(k->u.text, k->n, name))
			continue;
		if (!found) {
			found = map->u.pairs[i].value;
		} else {
			if (dup && !*dup)
				*dup = k;
			break;
		}
	}
	return found;
}

int cs_json_strdup(const struct ydoc_node *n, char **out)
{
	*out = NULL;
	if (memchr(n->u.text, '\0', n->n))
		return -EINVAL;
	*out = strndup(n->u.text, n->n);
	return *out ? 0 : -ENOMEM;
}
