/* SPDX-License-Identifier: MIT */
/*
 * A TOML 1.0 reader, enough for all that crio.conf and its drop-ins may
 * contain: comments, [tables], [[arrays of tables]], dotted and quoted keys,
 * inline tables, all four string forms, integers, floats, booleans, and
 * dates and times (kept as opaque ISO 8601 text). Written by hand because
 * Debian ships no C TOML library. It builds the whole document as a tree,
 * so a quoted key "crio.runtime" stays one key and an inline table is the
 * same table as a [header]; whatever it cannot represent exactly — an
 * integer beyond 64 bits, a NUL in a string — it refuses with
 * file:line:column, never guessing. Checked against Python's tomllib
 * (tests/cli/toml-diff.sh).
 */
#ifndef CAPSCOPE_TOML_H
#define CAPSCOPE_TOML_H

#include <stdint.h>
#include <stdio.h>

#include "capscope/caps.h"
#include "capscope/diag.h"

enum cs_toml_type {
	CS_TOML_STRING,
	CS_TOML_INT,
	CS_TOML_FLOAT,
	CS_TOML_BOOL,
	CS_TOML_DATETIME,
	CS_TOML_ARRAY,
	CS_TOML_TABLE
};

enum cs_toml_datetime_kind {
	CS_TOML_OFFSET_DATETIME,
	CS_TOML_LOCAL_DATETIME,
	CS_TOML_LOCAL_DATE,
	CS_TOML_LOCAL_TIME
};

/*
 * One value of the tree, 40 bytes: a scalar's fields and a collection's
 * share a union (which is read follows the type), counts are 32 bits. A
 * crio.conf of many small tables is made of little else: 307,527 tables of
 * one key (a 4 MiB drop-in) cost 141 MB with 64-byte values and a key
 * index at most half full.
 */
struct cs_toml_value {
	enum cs_toml_type type;
	unsigned line, column;	  /* where the value (or the table's header) starts */
	unsigned internal_flags_; /* the reader's own bookkeeping */
	union {
		struct { /* STRING, INT, FLOAT, BOOL, DATETIME */
			/* STRING: the text (no NUL inside); DATETIME: normalised
			 * ISO 8601, as Python's isoformat() writes it
			 * ("1979-05-27T07:32:00+00:00") */
			const char *s;
			union {
				int64_t i; /* INT; DATETIME: enum cs_toml_datetime_kind */
				double f;  /* FLOAT */
				bool b;	   /* BOOL */
			};
		};
		struct {			      /* ARRAY, TABLE */
			struct cs_toml_value **items; /* n values */
			const char **keys;	      /* TABLE: the n keys, in document order */
		};
	};
	uint32_t n; /* ARRAY, TABLE; 0 for the others */
	uint32_t internal_cap_;
};

struct cs_toml_doc;

/*
 * Parse buf[0..len) (name is used in diagnostics). 0 and *out, to be freed
 * with cs_toml_free; -EINVAL with d filled (file, line, column, message);
 * -ENOMEM.
 */
int cs_toml_load(const char *buf, size_t len, const char *name, struct cs_toml_doc **out,
		 struct cs_diag *d);
void cs_toml_free(struct cs_toml_doc *doc);

/* The document's root table. */
const struct cs_toml_value *cs_toml_root(const struct cs_toml_doc *doc);

/*
 * The line (and *column) of the document's first quoted key part that
 * containerd 1.x's go-toml v1 reads otherwise than TOML 1.0: in a [table]
 * name, a "..." one with an escape (kept undecoded) or one holding ']'
 * (ends the name); in a key = value, one holding '"' or a backslash once
 * decoded (ends the part). 0 when there is none.
 */
unsigned cs_toml_odd_key(const struct cs_toml_doc *doc, unsigned *column);

/* The value of key in table (one key, not a dotted path), or NULL. */
const struct cs_toml_value *cs_toml_get(const struct cs_toml_value *table, const char *key);

/* A value's type as a message names it: "a string", "an integer", ... */
const char *cs_toml_type_name(enum cs_toml_type type);

/* The table entries the last cs_toml_load looked at to find keys: about one
 * per key read (tests/unit/test-toml.c keeps it linear). */
extern size_t cs_toml_key_probes;

/*
 * The tree as JSON, for tests: tables as objects, arrays as arrays, strings
 * and booleans as themselves, integers as numbers, floats as {"$f": "%.17g"}
 * (nan and inf spelled so), dates as {"$dt": "ISO text"}. 0 or -errno.
 */
int cs_toml_dump_json(const struct cs_toml_value *v, FILE *f);

#endif
