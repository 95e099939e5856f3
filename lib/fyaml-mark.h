/* SPDX-License-Identifier: MIT */
/*
 * The libfyaml reader helpers that every JSON/YAML reader of the library
 * shares (manifests, OCI config.json, image configs and manifests, policy
 * profiles, AdmissionReviews): where a node starts, key lookup, null in
 * JSON and in YAML, and building a document without printing.
 */
#ifndef CAPSCOPE_LIB_FYAML_MARK_H
#define CAPSCOPE_LIB_FYAML_MARK_H

#include <libfyaml.h>
#include <stdbool.h>

#include "capscope/diag.h"

/*
 * libfyaml 0.7 keeps marks on tokens, not on nodes: the mark of the first
 * scalar inside n (a mapping's first key, a sequence's first item), or NULL.
 */
const struct fy_mark *cs_fy_node_mark(struct fy_node *n);

/*
 * Is buf UTF-8 without NUL? libfyaml 0.7.12 loops forever on some invalid
 * sequences (a directive line "%" then bytes 0x91 0x99 0x99 0x99 never ends),
 * so every reader checks first: 0, or -EINVAL with d at the line and column.
 * cs_fy_build_quiet does it itself.
 */
int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d);

/*
 * What follows the first document fyp has loaded (fy_parse_load_document),
 * read without a second pass over the text: 0 for nothing, or an empty
 * document (a trailing `---`); 1 for a second document, *at its first
 * node's mark; -1 when the rest is not valid (fyp's diag has the error).
 * fy_document_build_from_string drops all that: `{...} {...}` read as its
 * first object.
 */
int cs_fy_after_first(struct fy_parser *fyp, struct fy_mark *at);

/*
 * fy_document_build_from_string without a word on stderr: FYPCF_QUIET alone
 * still lets libfyaml 0.7 print its own report (a source excerpt with a
 * heap address as the file name) when no diag object is given, so errors
 * go to a collecting diag that prints nothing, and the first becomes d:
 * line, column, field, "not valid JSON: <libfyaml's message>" ("YAML"
 * without FYPCF_JSON_FORCE). flags are added to FYPCF_QUIET. NULL on
 * failure (d filled; -ENOMEM shows as a message too). The first document
 * only: anything after it but an empty one is refused.
 */
struct fy_document *cs_fy_build_quiet(const char *buf, size_t len, unsigned flags,
				      const char *field, struct cs_diag *d);

/*
 * A document built in JSON mode with FYPCF_ALLOW_DUPLICATE_KEYS: 0, or
 * -EINVAL with d at the first key equal to an earlier one of its object
 * ("<prefix>duplicate key", field), or -ENOMEM. libfyaml's own check costs
 * the square of an object's keys (lib/fyaml-keys.c); this one grows with them.
 */
int cs_fy_json_dup_keys(struct fy_document *doc, const char *field, const char *prefix,
			struct cs_diag *d);

/* The value of key in mapping map; NULL when map is NULL, not a mapping, or
 * has no such key. */
struct fy_node *cs_fy_get(struct fy_node *map, const char *key);

/*
 * The value of struct field name in map as Go's encoding/json finds it
 * (runc, Docker, containerd): the key may be written in any case
 * (cs_go_fold_equal). When a second key names the same field, Go keeps the
 * later one (or merges the two objects); *dup, if still NULL, is set to
 * that key so that the caller refuses the text instead of reading one.
 */
struct fy_node *cs_fy_get_go(struct fy_node *map, const char *name, struct fy_node **dup);

/* JSON null: absent, or the plain scalar null. */
bool cs_fy_is_json_null(struct fy_node *n);

/* YAML 1.1/1.2 null: absent, empty, ~, null, Null or NULL (plain scalars). */
bool cs_fy_is_yaml_null(struct fy_node *n);

/*
 * Does JSON text nest arrays and objects deeper than max? libfyaml recurses
 * once per level, so readers of untrusted JSON refuse deep input before
 * parsing it. A cheap scan that skips strings; it does not validate.
 */
bool cs_json_nests_deeper(const char *buf, size_t len, int max);

#endif
