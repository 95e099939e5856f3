/* SPDX-License-Identifier: MIT */
/* Where a libfyaml node starts, for errors that name line and column. */
#ifndef CAPSCOPE_LIB_FYAML_MARK_H
#define CAPSCOPE_LIB_FYAML_MARK_H

#include <libfyaml.h>

#include "capscope/diag.h"

/*
 * libfyaml 0.7 keeps marks on tokens, not on nodes: the mark of the first
 * scalar inside n (a mapping's first key, a sequence's first item), or NULL.
 */
const struct fy_mark *cs_fy_node_mark(struct fy_node *n);

/*
 * fy_document_build_from_string without a word on stderr: FYPCF_QUIET alone
 * still lets libfyaml 0.7 print its own report (a source excerpt with a
 * heap address as the file name) when no diag object is given, so errors
 * go to a collecting diag that prints nothing, and the first becomes d:
 * line, column, field, "not valid JSON: <libfyaml's message>" ("YAML"
 * without FYPCF_JSON_FORCE). flags are added to FYPCF_QUIET. NULL on
 * failure (d filled; -ENOMEM shows as a message too).
 */
struct fy_document *cs_fy_build_quiet(const char *buf, size_t len, unsigned flags,
				      const char *field, struct cs_diag *d);

#endif
