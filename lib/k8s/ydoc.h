/* SPDX-License-Identifier: MIT */
/*
 * A compact, read-only tree of one YAML document, built from libfyaml's
 * event stream. libfyaml's own document keeps every token of the text alive
 * through its nodes (about 8 KB a container of a large pod); this tree keeps
 * only what the manifest reader asks: kind, style, text, tag, where each
 * node starts, and an alias's target. Internal to libcapscope.
 *
 * It behaves as libfyaml 0.7's document builder did for the manifest
 * reader: the same parse errors, "duplicate key" and "Max depth (64)
 * exceeded" at the same place, aliases resolved to the same anchor (see
 * resolve_aliases in ydoc.c), collections marked by their first scalar.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_H
#define CAPSCOPE_LIB_K8S_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capscope/diag.h"
#include "capscope/k8s.h"

enum ydoc_kind { YDOC_SCALAR, YDOC_SEQ, YDOC_MAP, YDOC_ALIAS };

/* How a scalar was written (plain is what YAML 1.1 resolves to booleans and
 * numbers); a collection is flow ({}, []) or block. */
enum ydoc_style {
	YDOC_PLAIN,
	YDOC_SINGLE_QUOTED,
	YDOC_DOUBLE_QUOTED,
	YDOC_LITERAL,
	YDOC_FOLDED,
	YDOC_FLOW,
	YDOC_BLOCK,
	YDOC_ALIAS_STYLE,
	YDOC_ANY_STYLE, /* libfyaml could not say */
};

struct ydoc_pair;

struct ydoc_node {
	uint8_t kind;  /* enum ydoc_kind */
	uint8_t style; /* enum ydoc_style */
	/* A double-quoted scalar whose text as written is not its text (an
	 * escape, a fold): Go's time.Time reads a JSON string as written. */
	bool escaped;
	/* Allocated as a struct ydoc_node_x: a tag, or an alias (ydoc_tag,
	 * ydoc_target). */
	bool has_x;
	/* Where the node's own token starts (a collection's: its '{', '[' or
	 * first key), 1-based as the user counts (the "--- " the reader puts
	 * before one-line JSON taken back); 0 when it has none. Messages about
	 * a node use ydoc_pos, as the reader always has. */
	uint32_t line, column;
	uint32_t n; /* text length, items of a sequence, pairs of a mapping */
	union {
		const char *text; /* scalar; alias: the anchor's name (not NUL-ended) */
		struct ydoc_node **items;
		struct ydoc_pair *pairs;
	} u;
};

/*
 * A node with a tag, and every alias: the rare extra is kept apart, so that
 * the common node is 24 bytes, not 32 (twentieth pass, part F: a 4 MB
 * admission review of 7,000 containers adding 41 capabilities each is
 * 365,000 nodes, 2.9 MB of the webhook's 28.9 MB peak).
 */
struct ydoc_node_x {
	struct ydoc_node node;
	union {
		const char *tag;	  /* scalar, sequence, mapping: explicit tag or NULL */
		struct ydoc_node *target; /* alias: the anchored node, NULL if none */
	} x;
};

/* A scalar's or collection's explicit tag, or NULL. */
static inline const char *ydoc_tag(const struct ydoc_node *n)
{
	return n->kind != YDOC_ALIAS && n->has_x ? ((const struct ydoc_node_x *)n)->x.tag : NULL;
}

/* An alias's anchored node, or NULL. */
static inline struct ydoc_node *ydoc_target(const struct ydoc_node *n)
{
	return n->kind == YDOC_ALIAS && n->has_x ? ((const struct ydoc_node_x *)n)->x.target : NULL;
}

struct ydoc_pair {
	struct ydoc_node *key, *value;
};

/* Called with each document's root (NULL for an empty document) and the
 * number of nodes its tree holds; the tree is freed when it returns. A
 * negative return stops the reading. */
typedef int (*ydoc_doc_fn)(void *user, struct ydoc_node *root, size_t nodes);

/*
 * Bytes a caller leaves before the text so that one-line JSON can be read
 * without a copy (see ydoc.c, DOC_PREFIX); ydoc_wants_room says whether
 * this text needs them.
 */
#define YDOC_ROOM 4
bool ydoc_wants_room(const char *text, size_t len);

/*
 * Read every document of the text: at buf (room false) or at buf +
 * YDOC_ROOM (room true; the bytes before it are overwritten). Not UTF-8,
 * YAML syntax, duplicate keys and nesting deeper than libfyaml's limit
 * fill d with name, line, column and "YAML: ..." as libfyaml reports them.
 */
int ydoc_read(char *buf, size_t len, bool room, const char *name, ydoc_doc_fn fn, void *user,
	      struct cs_diag *d);

/* ydoc_read through libfyaml, even for JSON: for the tests that compare
 * the hand-built tree with libfyaml's (libfyaml's own reading: go-yaml's
 * rule for simple keys, ydoc-held.h, is not applied). */
int ydoc_read_fy(char *buf, size_t len, bool room, const char *name, ydoc_doc_fn fn, void *user,
		 struct cs_diag *d);

/*
 * ydoc_read for text cs_json_check has passed (lib/json-tree.c), at buf +
 * YDOC_ROOM: scanned as JSON without being checked again.
 */
int ydoc_read_json(char *buf, size_t len, const char *name, ydoc_doc_fn fn, void *user,
		   struct cs_diag *d);

/* Where a node is for a message: its own token, or for a collection its
 * first scalar's (the first key, the first item), 0:0 when there is none. */
struct cs_pos ydoc_pos(const struct ydoc_node *n);

/* d at n (ydoc_pos) with field and the formatted message; returns -err,
 * so that a reader can `return ydoc_error(...)`. */
int ydoc_error(struct cs_diag *d, const struct ydoc_node *n, int err, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The value of the first plain or quoted scalar key equal to key; NULL when
 * map is NULL, not a mapping, or has no such key. */
struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);

/* YAML null: absent, or a plain empty, ~, null, Null or NULL. */
bool ydoc_is_null(const struct ydoc_node *n);

#endif
