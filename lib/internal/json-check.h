/* SPDX-License-Identifier: MIT */
/*
 * JSON text checked as Go's encoding/json reads it (runc, containerd, the
 * API server), in one pass and in memory that grows with the nesting, not
 * with the values; and values found by their keys on the way. Internal to
 * libcapscope.
 *
 * Why not libfyaml's JSON mode: libfyaml 0.7.12 keeps every token of a
 * line until the line ends, and one-line JSON (what Go's json.Marshal, runc
 * and the API server write) is one line, so a parse holds some 500 bytes a
 * value and a document some 600 more (session 11, measured: a 1.9 MB
 * config.json of 190,000 values took 112 MB; the agent's limit is 64 MiB,
 * and a pod's author writes the env and annotations in it). Readers check
 * the text here, then build the compact tree of lib/k8s/ydoc.h from it
 * (lib/json-tree.c), or, for the webhook's envelope, read the few strings
 * they need straight from the text.
 */
#ifndef CAPSCOPE_LIB_INTERNAL_JSON_CHECK_H
#define CAPSCOPE_LIB_INTERNAL_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "capscope/diag.h"

/* Objects and arrays open at once: more are refused, as libfyaml's builder
 * refused them ("Max depth (64) exceeded", the document counting as one),
 * and as the tree built after the check (lib/k8s/ydoc.c) would. */
#define CS_JSON_CHECK_DEPTH 63

/* A value to find while checking: the object keys that lead to it from the
 * root (exact, after escapes are decoded). Found: [from, to) are its bytes
 * in the text, type its first byte ('"', '{', '[', 't', 'f', 'n', or '-'
 * and a digit for a number). */
struct cs_json_want {
	const char *const *path;
	size_t n;
	bool found;
	char type;
	size_t from, to;
};

/*
 * Check buf[0, len) as one JSON value: UTF-8 without NUL, RFC 8259's
 * grammar, no byte order mark, no lone UTF-16 surrogate (Go would read it as
 * U+FFFD; every reader here refused it before), no key twice in an object
 * (compared after escapes, as Go compares them), nesting at most
 * CS_JSON_CHECK_DEPTH. whole: only white space may follow the value (Go's
 * json.Unmarshal); otherwise what follows is not read (Go's json.Decoder,
 * as runc reads config.json). *end (if not NULL) is where the value ends.
 * Errors fill d with line, column (characters, 1-based) and
 * "<prefix><what>"; field is d's field. 0, -EINVAL or -ENOMEM.
 */
int cs_json_check(const char *buf, size_t len, bool whole, struct cs_json_want *want, size_t n_want,
		  size_t *end, const char *field, const char *prefix, struct cs_diag *d);

/* The line and column (1-based, in characters) of byte off of buf. */
void cs_json_pos(const char *buf, size_t off, unsigned *line, unsigned *column);

/*
 * A string value as cs_json_check found it ([from, to) with its quotes),
 * its escapes decoded: a new NUL-ended string, *len its bytes. -EINVAL when
 * the decoded text holds a NUL (no C string can carry it), -ENOMEM.
 */
int cs_json_string(const char *buf, size_t from, size_t to, char **out, size_t *len);

/*
 * A checked string ([from, to) with its quotes) decoded into out, which has
 * room for to - from bytes (decoded is never longer): its length. A NUL
 * (\u0000) is kept, as a YAML tree's text of known length keeps it.
 */
size_t cs_json_decode(const char *buf, size_t from, size_t to, char *out);

/*
 * An upper bound on the values and keys of JSON text (checked or not): the
 * separators and openings outside strings, plus one. One pass, no memory:
 * readers that build a tree of the text cap its size with it.
 */
size_t cs_json_values(const char *s, size_t len);

#endif
