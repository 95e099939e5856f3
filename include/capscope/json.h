/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer. Written by hand because output is emitted
 * as the data is read (ps over thousands of processes, scan over a tree) and
 * must never be held whole in memory; libfyaml is used for reading.
 */
#ifndef CAPSCOPE_JSON_H
#define CAPSCOPE_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "caps.h"

#define CS_JSON_MAX_DEPTH 32

struct cs_json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[CS_JSON_MAX_DEPTH];
	bool after_key;
	int error; /* first error (-errno), sticky */
	/*
	 * Twenty-first pass: JSON is UTF-8, so a byte that is not becomes
	 * U+FFFD and "a\xff" read as "a" U+FFFD (two set-uid files, one
	 * finding path). A string value of a member that is not UTF-8 is
	 * followed by a member KEY_escaped holding its text by the escaping
	 * rule (escape.h, one to one): two names never give one object.
	 * key: the last member's name (cut: no companion). A string in an
	 * array has none of its own: a list is written whole by cs_json_strv,
	 * whose twin is KEY_escaped, an array (session 22). no_escaped:
	 * none at all (SARIF, whose schema has no place for it; its URIs
	 * are percent-encoded, its messages escaped text).
	 */
	char key[48];
	bool no_escaped;
};

CS_EXPORT void cs_json_init(struct cs_json *j, FILE *f, bool pretty);
CS_EXPORT void cs_json_obj_begin(struct cs_json *j);
CS_EXPORT void cs_json_obj_end(struct cs_json *j);
CS_EXPORT void cs_json_arr_begin(struct cs_json *j);
CS_EXPORT void cs_json_arr_end(struct cs_json *j);
CS_EXPORT void cs_json_key(struct cs_json *j, const char *key);
CS_EXPORT void cs_json_str(struct cs_json *j, const char *s);
CS_EXPORT void cs_json_strn(struct cs_json *j, const char *s, size_t n);
/* One string written from n pieces (a NULL piece is none), never joined in
 * memory. Each character is escaped on its own, so pieces that meet beside
 * ASCII give the bytes of the joined text (a piece cut inside a UTF-8
 * character would not: its bytes become U+FFFD). */
CS_EXPORT void cs_json_str_parts(struct cs_json *j, const char *const *parts, size_t n);
/* The same, each piece escaped first as escape.h escapes text for a
 * terminal: for prose a person reads in a viewer (a SARIF message), which
 * shows the text as the terminal does, never a name's controls raw. */
CS_EXPORT void cs_json_text_parts(struct cs_json *j, const char *const *parts, size_t n);
/* [v[0], ..., v[n-1]] (a NULL element is null). After a member's key, a
 * list holding a string that is not UTF-8 is followed by the member
 * KEY_escaped: an array of as many elements, each by the escaping rule
 * (escape.h), as a string member's twin. Every list of names from outside
 * (an image's entrypoint, a manifest's capabilities, comms) is written
 * with it: a string in an array written one at a time has no twin. */
CS_EXPORT void cs_json_strv(struct cs_json *j, const char *const *v, size_t n);
CS_EXPORT void cs_json_int(struct cs_json *j, int64_t v);
CS_EXPORT void cs_json_uint(struct cs_json *j, uint64_t v);
CS_EXPORT void cs_json_bool(struct cs_json *j, bool v);
CS_EXPORT void cs_json_null(struct cs_json *j);

/* ["CAP_…", …]: the names of the capabilities in m, lowest first. */
CS_EXPORT void cs_json_cap_names(struct cs_json *j, cs_mask_t m);
/* {"mask": "0x%016x", "names": ["CAP_…"]} — the one shape every command uses. */
CS_EXPORT void cs_json_mask(struct cs_json *j, cs_mask_t m);
/* {"inheritable": mask, "permitted": …, "effective": …, "bounding": …, "ambient": …};
 * a set not present in q is null. */
CS_EXPORT void cs_json_caps(struct cs_json *j, const struct cs_quintet *q);

/* Newline, flush; returns 0 or the first error (-EIO, -ENOSPC, …). */
CS_EXPORT int cs_json_finish(struct cs_json *j);

#endif
