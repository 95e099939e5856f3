/* SPDX-License-Identifier: MIT */
/* Where a libfyaml node starts, for errors that name line and column. */
#ifndef CAPSCOPE_LIB_FYAML_MARK_H
#define CAPSCOPE_LIB_FYAML_MARK_H

#include <libfyaml.h>

/*
 * libfyaml 0.7 keeps marks on tokens, not on nodes: the mark of the first
 * scalar inside n (a mapping's first key, a sequence's first item), or NULL.
 */
const struct fy_mark *cs_fy_node_mark(struct fy_node *n);

#endif
