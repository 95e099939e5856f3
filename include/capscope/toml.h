/* SPDX-License-Identifier: MIT */
/*
 * A small, strict TOML reader, enough for crio.conf and its drop-ins.
 * Written by hand because Debian ships no C TOML library. It accepts the
 * TOML 1.0 syntax crio.conf uses — comments, [tables], dotted and quoted
 * keys, basic/literal/multi-line strings, integers, floats, booleans,
 * arrays, inline tables — and rejects everything else (dates, [[arrays of
 * tables]], a key defined twice) with the line and column, never guessing.
 */
#ifndef CAPSCOPE_TOML_H
#define CAPSCOPE_TOML_H

#include <stdint.h>

#include "caps.h"
#include "diag.h"

enum cs_toml_type { CS_TOML_STRING, CS_TOML_INT, CS_TOML_FLOAT, CS_TOML_BOOL, CS_TOML_ARRAY,
		    CS_TOML_TABLE };

struct cs_toml_value {
	enum cs_toml_type type;
	unsigned line, column;
	const char *s; /* STRING (NUL-terminated; may not contain NUL) */
	int64_t i;
	double f;
	bool b;
	struct cs_toml_value *items; /* ARRAY; TABLE: values, keys in keys[] */
	const char **keys;
	size_t n;
};

/*
 * Called once per key = value, with the full dotted path of the key
 * ("crio.runtime.default_capabilities"). A non-zero return stops parsing
 * and is returned (fill d yourself).
 */
typedef int (*cs_toml_cb)(void *user, const char *path, const struct cs_toml_value *v,
			  struct cs_diag *d);

/* Parse; returns 0, the callback's value, -EINVAL (d filled) or -ENOMEM. */
CS_EXPORT int cs_toml_parse(const char *buf, size_t len, const char *name, cs_toml_cb cb,
			    void *user, struct cs_diag *d);

#endif
