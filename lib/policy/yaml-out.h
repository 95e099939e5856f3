/* SPDX-License-Identifier: MIT */
/*
 * The small YAML writer the generators share. Structure (keys, indentation,
 * list dashes) is written by the generators as fixed text; every value that
 * comes from input (names, capability strings) goes through yw_str, which
 * always writes a double-quoted scalar with every character that could end
 * it or start a new line escaped — so "x: y" or "a\nkind: Secret" in a name
 * stays one string and cannot add a key.
 */
#ifndef CAPSCOPE_POLICY_YAML_OUT_H
#define CAPSCOPE_POLICY_YAML_OUT_H

#include <stdio.h>

#include "capscope/caps.h"

/* Write s as a double-quoted YAML scalar (ASCII only: other characters as \u/\U escapes). */
void yw_str(FILE *f, const char *s);
/* "key: <quoted s>\n" at indent. */
void yw_kv(FILE *f, int indent, const char *key, const char *s);
/* A flow list of capability names without prefix, sorted by number: ["NET_RAW", ...]. */
void yw_caps(FILE *f, cs_mask_t m, const char *quote);
/* A literal block (`|`) of text at indent; text must not hold control characters. */
void yw_block(FILE *f, int indent, const char *text);
/* 0, or -EIO when f has seen a write error. */
int yw_finish(FILE *f);

#endif
