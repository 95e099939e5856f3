/* SPDX-License-Identifier: MIT */
/*
 * JSON text that cs_json_check has passed, built into a ydoc tree (ydoc.h)
 * without libfyaml. Internal to libcapscope; ydoc.c calls it for the text
 * it reads as JSON.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_JSON_H
#define CAPSCOPE_LIB_K8S_YDOC_JSON_H

#include <stddef.h>

#include "arena.h"
#include "ydoc.h"

/* How far lines and columns have been counted: text[at] is at line:col.
 * Carried from one document of a stream to the next (ydoc-stream.c), so
 * that the text is counted once. */
struct ydoc_json_mark {
	size_t at;
	uint32_t line, col;
};

/*
 * The tree of the one JSON value at text[from, len) (checked: grammar, UTF-8,
 * no duplicate key, nesting at most CS_JSON_CHECK_DEPTH), in arena: *root
 * and the number of its nodes. Text without escapes points into text, which
 * must outlive the tree. Marks count text[0] as line 1, column 1,
 * or go on from *m (then left where they stopped); *end (if not NULL) is
 * where the value and the white space after it end. 0 or -ENOMEM (-E2BIG
 * for a collection of more than 2^32 items).
 */
int ydoc_json_build(const char *text, size_t len, size_t from, struct ydoc_json_mark *m,
		    struct cs_arena *arena, struct ydoc_node **root, size_t *nodes, size_t *end);

/*
 * Give the closed collection n its count children, kids (a sequence's
 * items, or a mapping's keys and values in turn), copied into arena: what
 * both tree builders (ydoc.c's on libfyaml's events, ydoc-json.c's) do at a
 * collection's end. 0, -ENOMEM, or -E2BIG past 2^32 children.
 */
int ydoc_set_children(struct cs_arena *arena, struct ydoc_node *n, struct ydoc_node *const *kids,
		      size_t count);

#endif
