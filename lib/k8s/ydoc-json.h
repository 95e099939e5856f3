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

/*
 * The tree of the one JSON value in text[0, len) (checked: grammar, UTF-8,
 * no duplicate key, nesting at most CS_JSON_CHECK_DEPTH), in arena: *root
 * and the number of its nodes. Text without escapes points into text, which
 * must outlive the tree. 0 or -ENOMEM (-E2BIG for a collection of more than
 * 2^32 items).
 */
int ydoc_json_build(const char *text, size_t len, struct cs_arena *arena, struct ydoc_node **root,
		    size_t *nodes);

/*
 * Give the closed collection n its count children, kids (a sequence's
 * items, or a mapping's keys and values in turn), copied into arena: what
 * both tree builders (ydoc.c's on libfyaml's events, ydoc-json.c's) do at a
 * collection's end. 0, -ENOMEM, or -E2BIG past 2^32 children.
 */
int ydoc_set_children(struct cs_arena *arena, struct ydoc_node *n, struct ydoc_node *const *kids,
		      size_t count);

#endif
