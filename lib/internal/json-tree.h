/* SPDX-License-Identifier: MIT */
/*
 * JSON read into the compact tree of lib/k8s/ydoc.h (about 40 bytes a value
 * and 80 a key with its value, where libfyaml's JSON document held some
 * 1.1 KiB a value of one-line JSON: see internal/json-check.h), after the
 * text is checked as Go's encoding/json reads it. For the readers of
 * config.json, state.json, image configs and policy profiles. Internal to
 * libcapscope.
 */
#ifndef CAPSCOPE_LIB_INTERNAL_JSON_TREE_H
#define CAPSCOPE_LIB_INTERNAL_JSON_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/diag.h"
#include "../k8s/ydoc.h"

/* Called with the root of the tree, freed when it returns; its return is
 * cs_json_tree's. */
typedef int (*cs_json_tree_fn)(void *user, const struct ydoc_node *root);

/*
 * Check buf (cs_json_check: whole, or the first value only, as Go's
 * json.Decoder reads a file) and call fn with its tree. A text that is not
 * JSON fills d with line, column, field and "<prefix><what>" and returns
 * -EINVAL; -ENOMEM.
 */
int cs_json_tree(const char *buf, size_t len, bool whole, const char *field, const char *prefix,
		 cs_json_tree_fn fn, void *user, struct cs_diag *d);

/* JSON null: absent, or null. */
bool cs_json_is_null(const struct ydoc_node *n);

/* A JSON string (in the tree, a double-quoted scalar). */
bool cs_json_is_string(const struct ydoc_node *n);

/*
 * The value of struct field name in map as Go's encoding/json finds it
 * (runc, Docker, containerd): the key may be written in any case
 * (cs_go_fold_equal). When a second key names the same field, Go keeps the
 * later one; *dup, if still NULL, is set to that key so that the caller
 * refuses the text instead of reading one. NULL when map is not an object.
 */
const struct ydoc_node *cs_json_get_go(const struct ydoc_node *map, const char *name,
				       const struct ydoc_node **dup);

/* A string's text as a new C string: -EINVAL when it holds a NUL (no C
 * string can carry it), -ENOMEM. */
int cs_json_strdup(const struct ydoc_node *n, char **out);

#endif
