/* SPDX-License-Identifier: MIT */
/*
 * Checked JSON into a ydoc tree, by hand rather than through libfyaml's
 * events. Why (session 12, measured): libfyaml 0.7.12 hands out no token of
 * a flow collection that is an item of a flow sequence until that item
 * ends, since it may still turn out to be the key of a one-pair mapping
 * (`[{a: 1}: b]`), and in flow context a pending key is dropped only when
 * its collection closes, not at a line's end. Kubernetes JSON is made of
 * such items (containers, env, volumes, ports): one container with 390,000
 * args made a 0.8 MB admission review cost the webhook 166 MB (its limit
 * is 96 MiB), and a 2.7 MB one-line manifest cost lint 112 MB. The "--- "
 * in front (ydoc.c, DOC_PREFIX) helped only at the top level.
 *
 * The text has passed cs_json_check (grammar, UTF-8 without NUL, no
 * duplicate key, nesting at most 63 deep), so this only builds, in one
 * pass and in memory in proportion to the tree. The tree is the one
 * libfyaml's events gave (tests/unit/test-ydoc compares the two): strings
 * double-quoted with their escapes decoded, numbers, true, false and null
 * plain as written, collections flow; each node marked at its first byte
 * (a string at its opening quote), in characters, as cs_json_pos counts them.
 */
#include "ydoc-json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal/json-check.h"

struct frame {
	struct ydoc_node *node;
	size_t base; /* where its children start on the pending stack */
};

struct builder {
	const unsigned char *s;
	size_t len, i;
	struct ydoc_json_mark m; /* lines and columns counted up to m.at */
	struct cs_arena *arena;
	struct ydoc_node *root;
	size_t nodes;
	struct ydoc_node **pending; /* completed children of open collections */
	size_t n_pending, cap_pending;
	struct frame frames[CS_JSON_CHECK_DEPTH];
	int depth;
};

/* Line and column of byte pos (pos >= the last asked): counted on from
 * the last, so that the whole text is counted once. */
static void mark(struct builder *b, size_t pos, struct ydoc_node *n)
{
	struct ydoc_json_mark *m = &b->m;

	for (; m->at < pos; m->at++) {
		unsigned char c = b->s[m->at];

		if (c == '\n' || (c == '\r' && (m->at + 1 >= b->len || b->s[m->at + 1] != '\n')))
			m->line++, m->col = 1;
		else if ((c & 0xc0) != 0x80 && c != '\r')
			m->col++;
	}
	n->line = m->line;
	n->column = m->col;
}

static void skip_space(struct builder *b)
{
	while (b->i < b->len && (b->s[b->i] == ' ' || b->s[b->i] == '\t' || b->s[b->i] == '\n' ||
				 b->s[b->i] == '\r'))
		b->i++;
}

static struct ydoc_node *new_node(struct builder *b, enum ydoc_kind kind, enum ydoc_style style)
{
	struct ydoc_node *n = cs_arena_alloc(b->arena, sizeof(*n));

	if (n) {
		memset(n, 0, sizeof(*n));
		b->nodes++;
		n->kind = (uint8_t)kind;
		n->style = (uint8_t)style;
		mark(b, b->i, n);
	}
	return n;
}

static int attach(struct builder *b, struct ydoc_node *n)
{
	if (!b->depth) {
		b->root = n;
		return 0;
	}
	if (b->n_pending == b->cap_pending) {
		size_t nc = b->cap_pending ? 2 * b->cap_pending : 64;
		struct ydoc_node **p;

		if (nc > SIZE_MAX / sizeof(*p) || !(p = realloc(b->pending, nc * sizeof(*p))))
			return -ENOMEM;
		b->pending = p;
		b->cap_pending = nc;
	}
	b->pending[b->n_pending++] = n;
	return 0;
}

/* A string at its opening quote: its text where it has no escape, else
 * decoded into the arena; b->i past its closing quote. */
static int string(struct builder *b)
{
	size_t from = b->i, j = from + 1;
	struct ydoc_node *n;
	bool esc = false;

	/* marked at its opening quote, as ydoc.c marks a quoted scalar */
	if (!(n = new_node(b, YDOC_SCALAR, YDOC_DOUBLE_QUOTED)))
		return -ENOMEM;
	for (; b->s[j] != '"'; j++)
		if (b->s[j] == '\\')
			esc = true, j++;
	b->i = j + 1;
	if (j - from - 1 > UINT32_MAX)
		return -E2BIG;
	/* Every JSON escape is longer than what it stands for: the text as
	 * written is not the text (ydoc_node.escaped, as ydoc.c sets it from
	 * libfyaml's marks). */
	n->escaped = esc;
	if (!esc) {
		n->u.text = (const char *)b->s + from + 1;
		n->n = (uint32_t)(j - from - 1);
	} else {
		char *t = cs_arena_alloc(b->arena, b->i - from);

		if (!t)
			return -ENOMEM;
		n->n = (uint32_t)cs_json_decode((const char *)b->s, from, b->i, t);
		n->u.text = t;
	}
	return attach(b, n);
}

/* A number, true, false or null: plain, as written. */
static int plain(struct builder *b)
{
	struct ydoc_node *n = new_node(b, YDOC_SCALAR, YDOC_PLAIN);
	size_t from = b->i;

	if (!n)
		return -ENOMEM;
	while (b->i < b->len && !strchr(",]} \t\r\n", b->s[b->i]))
		b->i++;
	n->u.text = (const char *)b->s + from;
	n->n = (uint32_t)(b->i - from); /* a number of 4 GiB: never past the check */
	return attach(b, n);
}

static int open_collection(struct builder *b, enum ydoc_kind kind)
{
	struct ydoc_node *n = new_node(b, kind, YDOC_FLOW);

	if (!n)
		return -ENOMEM;
	if (b->depth == CS_JSON_CHECK_DEPTH)
		return -EINVAL; /* the check refused it */
	b->frames[b->depth++] = (struct frame){n, b->n_pending};
	b->i++;
	return 0;
}

static int close_collection(struct builder *b)
{
	struct frame *f = &b->frames[b->depth - 1];
	size_t count = b->n_pending - f->base;
	struct ydoc_node *n = f->node;
	/* No pending array yet (an empty document's first collection): NULL + 0
	 * is undefined, as clang's UBSan says (fuzz-manifest). */
	int rc = ydoc_set_children(b->arena, n, count ? b->pending + f->base : NULL, count);

	if (rc < 0)
		return rc;
	b->n_pending = f->base;
	b->depth--;
	b->i++;
	return attach(b, n);
}

/* One value at b->i; a collection is only opened (its items follow). */
static int value(struct builder *b)
{
	switch (b->s[b->i]) {
	case '{':
		return open_collection(b, YDOC_MAP);
	case '[':
		return open_collection(b, YDOC_SEQ);
	case '"':
		return string(b);
	default:
		return plain(b);
	}
}

/* After a value or an opening: close what ends here; 1 when an item (or a
 * key and ':') follows, 0 at the end of the text. */
static int next_item(struct builder *b, bool opened)
{
	int rc;

	for (;;) {
		skip_space(b);
		if (!b->depth)
			return 0;
		char c = (char)b->s[b->i];

		if (c == '}' || c == ']') {
			if ((rc = close_collection(b)) < 0)
				return rc;
			opened = false;
			continue;
		}
		if (!opened)
			b->i++; /* ',' */
		skip_space(b);
		if (b->frames[b->depth - 1].node->kind == YDOC_MAP) {
			if ((rc = string(b)) < 0)
				return rc;
			skip_space(b);
			b->i++; /* ':' */
			skip_space(b);
		}
		return 1;
	}
}

int ydoc_json_build(const char *text, size_t len, size_t from, struct ydoc_json_mark *m,
		    struct cs_arena *arena, struct ydoc_node **root, size_t *nodes, size_t *end)
{
	struct builder b = {.s = (const unsigned char *)text,
			    .len = len,
			    .i = from,
			    .m = m ? *m : (struct ydoc_json_mark){0, 1, 1},
			    .arena = arena};
	int rc;

	skip_space(&b);
	do {
		bool opened = b.i < len && (b.s[b.i] == '{' || b.s[b.i] == '[');

		if ((rc = value(&b)) < 0)
			break;
		rc = next_item(&b, opened);
	} while (rc > 0);
	free(b.pending);
	*root = rc < 0 ? NULL : b.root;
	*nodes = b.nodes;
	if (m)
		*m = b.m;
	if (end)
		*end = b.i;
	return rc < 0 ? rc : 0;
}
