/* SPDX-License-Identifier: MIT */
/*
 * Go's encoding/json type checks over a checked JSON tree (see
 * internal/json-types.h). Numbers are checked as strconv parses them for
 * the field's Go type: no fraction or exponent for an integer, no sign for
 * an unsigned one ("-0" too), the type's range.
 */
#include "internal/json-types.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capscope/number.h"
#include "internal/json-tree.h"
#include "internal/util.h"

typedef const struct ydoc_node node;

struct run {
	const char *field, *why;
	node **dup;
	struct cs_diag *d;
};

static const char *const wants[] = {
    [CS_JS_STR] = "a string",
    [CS_JS_BOOL] = "true or false",
    [CS_JS_STRV] = "an array of strings",
    [CS_JS_SET] = "an object whose values are objects",
    [CS_JS_STR_MAP] = "an object whose values are strings",
    [CS_JS_BOOL_MAP] = "an object whose values are true or false",
    [CS_JS_OBJ] = "an object",
    [CS_JS_OBJ_ARRAY] = "an array of objects",
    [CS_JS_OBJ_MAP] = "an object whose values are objects",
    [CS_JS_U16] = "a whole number from 0 to 65535",
    [CS_JS_U32] = "a whole number from 0 to 4294967295",
    [CS_JS_U64] = "a whole number from 0 to 18446744073709551615",
    [CS_JS_I64] = "a whole number from -9223372036854775808 to 9223372036854775807",
    [CS_JS_U32V] = "an array of whole numbers from 0 to 4294967295",
    [CS_JS_B64] = "a string in base64 (standard, padded)",
    [CS_JS_TIME] = "a time as RFC 3339 writes it (2006-01-02T15:04:05Z)",
};

static bool is_bool(node *n)
{
	return n->kind == YDOC_SCALAR && n->style == YDOC_PLAIN &&
	       ((n->n == 4 && !memcmp(n->u.text, "true", 4)) ||
		(n->n == 5 && !memcmp(n->u.text, "false", 5)));
}

/* A JSON number Go decodes into the integer type s (the checker has
 * already refused what is no JSON number at all). */
static bool whole(node *n, enum cs_json_shape s)
{
	uint64_t v, max = s == CS_JS_U16 ? UINT16_MAX : s == CS_JS_U64 ? UINT64_MAX : UINT32_MAX;
	const char *t = n->u.text;
	size_t len = n->n;

	if (n->kind != YDOC_SCALAR || n->style != YDOC_PLAIN || !len)
		return false;
	if (s == CS_JS_I64) {
		bool neg = t[0] == '-';

		/* |INT64_MIN| is one more than INT64_MAX */
		return cs_parse_u64n(t + neg, len - neg, CS_NUM_DEC,
				     neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v) == 0;
	}
	return cs_parse_u64n(t, len, CS_NUM_DEC, max, &v) == 0;
}

/* What base64.StdEncoding.Decode takes, as encoding/json decodes a []byte:
 * the 64 characters in groups of four, the last padded with '=', CR and
 * LF skipped anywhere. */
static bool is_base64(const char *s, size_t len)
{
	size_t k = 0, pad = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\r' || ch == '\n')
			continue;
		if (ch == '=') {
			pad++;
		} else if (pad || !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
				    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/')) {
			return false;
		}
		k++;
	}
	return k % 4 == 0 && pad <= 2;
}

static int check(node *map, const struct cs_json_field *f, const char *where, struct run *r);

/* Whether n has f's shape (null always does); the node at fault in *bad. */
static bool fits(node *n, const struct cs_json_field *f, const char *path, node **bad,
		 struct run *r, int *err)
{
	*bad = n;
	if (cs_json_is_null(n))
		return true;
	switch (f->shape) {
	case CS_JS_STR:
		return cs_json_is_string(n);
	case CS_JS_BOOL:
		return is_bool(n);
	case CS_JS_TIME:
		/* Go's time reader takes the string's bytes as written: an
		 * escape, which it does not decode, is no digit to it. */
		return cs_json_is_string(n) && !n->escaped && cs_go_time_ok(n->u.text, n->n);
	case CS_JS_B64:
		return cs_json_is_string(n) && is_base64(n->u.text, n->n);
	case CS_JS_U16:
	case CS_JS_U32:
	case CS_JS_U64:
	case CS_JS_I64:
		return whole(n, f->shape);
	case CS_JS_OBJ:
		if (n->kind != YDOC_MAP)
			return false;
		*err = check(n, f->inner, path, r);
		return true;
	case CS_JS_STRV:
	case CS_JS_U32V:
	case CS_JS_OBJ_ARRAY:
		if (n->kind != YDOC_SEQ)
			return false;
		for (uint32_t i = 0; i < n->n && !*err; i++) {
			node *it = n->u.items[i];

			*bad = it;
			if (cs_json_is_null(it))
				continue;
			if (f->shape == CS_JS_STRV   ? !cs_json_is_string(it)
			    : f->shape == CS_JS_U32V ? !whole(it, CS_JS_U32)
						     : it->kind != YDOC_MAP)
				return false;
			if (f->shape == CS_JS_OBJ_ARRAY) { /* "history[1].created" */
				char here[256];

				snprintf(here, sizeof(here), "%s[%u]", path, i);
				*err = check(it, f->inner, here, r);
			}
		}
		return true;
	case CS_JS_SET:
	case CS_JS_STR_MAP:
	case CS_JS_BOOL_MAP:
	case CS_JS_OBJ_MAP:
		if (n->kind != YDOC_MAP)
			return false;
		for (uint32_t i = 0; i < n->n && !*err; i++) {
			node *v = n->u.pairs[i].value;

			*bad = v;
			if (cs_json_is_null(v))
				continue;
			if (f->shape == CS_JS_STR_MAP	 ? !cs_json_is_string(v)
			    : f->shape == CS_JS_BOOL_MAP ? !is_bool(v)
							 : v->kind != YDOC_MAP)
				return false;
			if (f->shape == CS_JS_OBJ_MAP) { /* "default-ulimits.nofile.Hard" */
				node *k = n->u.pairs[i].key;
				char here[256];

				snprintf(here, sizeof(here), "%s.%.*s%s", path,
					 CS_MSG_CUT(k->u.text, k->n, 40));
				*err = check(v, f->inner, here, r);
			}
		}
		return true;
	}
	return false;
}

/*
 * Every key of map that is f's (any case), in the text's order: Go decodes
 * each in turn into the one field, so a second key of another type
 * (`"GC"` then `"gc": {"Enabled": 1}`) fails the decode even where the
 * first fits. A reader that looks at the first only predicted for a file
 * dockerd refuses (eighteenth pass). A second key is also noted in *dup.
 */
static int check_field(node *map, const struct cs_json_field *f, const char *path, struct run *r)
{
	bool seen = false;

	for (uint32_t i = 0; map && map->kind == YDOC_MAP && i < map->n; i++) {
		node *k = map->u.pairs[i].key, *bad = NULL;
		int err = 0;

		if (!cs_json_is_string(k) || !cs_go_fold_equal(k->u.text, k->n, f->name))
			continue;
		if (seen && r->dup && !*r->dup)
			*r->dup = k;
		seen = true;
		if (!fits(map->u.pairs[i].value, f, path, &bad, r, &err))
			return ydoc_error(r->d, bad, EINVAL, r->field ? r->field : path,
					  "%s%smust be %s: %s", r->field ? path : "",
					  r->field ? " " : "", wants[f->shape], r->why);
		if (err)
			return err;
	}
	return 0;
}

static int check(node *map, const struct cs_json_field *f, const char *where, struct run *r)
{
	for (; f->name; f++) {
		char path[240];
		int err;

		snprintf(path, sizeof(path), "%s%s%s", where, *where ? "." : "", f->name);
		if ((err = check_field(map, f, path, r)) < 0)
			return err;
	}
	return 0;
}

int cs_json_check_types(const struct ydoc_node *map, const struct cs_json_field *f,
			const char *where, const char *field, const char *why,
			const struct ydoc_node **dup, struct cs_diag *d)
{
	struct run r = {field, why, dup, d};

	return check(map, f, where, &r);
}
