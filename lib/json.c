/* SPDX-License-Identifier: MIT */
#include "capscope/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/text.h"
#include "internal/util.h"

void cs_json_init(struct cs_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void put(struct cs_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (fwrite(s, 1, n, j->f) != n)
		j->error = errno ? -errno : -EIO;
}

static void puts_(struct cs_json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void indent(struct cs_json *j)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Separator before a value (or key) at the current depth. */
static void sep(struct cs_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			put(j, ",", 1);
		j->first[j->depth - 1] = false;
		indent(j);
	}
}

static void open_(struct cs_json *j, char c)
{
	sep(j);
	put(j, &c, 1);
	if (j->depth >= CS_JSON_MAX_DEPTH) {
		j->error = -E2BIG;
		return;
	}
	j->first[j->depth++] = true;
}

static void close_(struct cs_json *j, char c)
{
	bool empty;

	if (j->depth <= 0) {
		j->error = -EINVAL;
		return;
	}
	empty = j->first[j->depth - 1];
	j->depth--;
	if (!empty)
		indent(j);
	put(j, &c, 1);
}

void cs_json_obj_begin(struct cs_json *j)
{
	open_(j, '{');
}

void cs_json_obj_end(struct cs_json *j)
{
	close_(j, '}');
}

void cs_json_arr_begin(struct cs_json *j)
{
	open_(j, '[');
}

void cs_json_arr_end(struct cs_json *j)
{
	close_(j, ']');
}

/* cp as \uNNNN, past U+FFFF as its UTF-16 surrogate pair (RFC 8259 7):
 * "\u" and five digits would be another character and a digit. */
static void hidden(struct cs_json *j, uint32_t cp)
{
	char esc[16];

	if (cp > 0xffff)
		snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xd800u + ((cp - 0x10000u) >> 10),
			 0xdc00u + ((cp - 0x10000u) & 0x3ffu));
	else
		snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
	puts_(j, esc);
}

/* The inside of a JSON string: each byte or character escaped on its own,
 * so text written in pieces that meet beside ASCII reads as the whole. */
static void body(struct cs_json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t u;

		if (c >= 0x80) {
			/* JSON is UTF-8 (RFC 8259): a byte that is not part of a valid
			 * sequence (a file or tar name, a comm) becomes U+FFFD, as jq
			 * and the Prometheus writer show it, rather than make the
			 * whole document unreadable (a SARIF upload refused). */
			uint32_t cp;

			if ((u = cs_utf8_decode((const unsigned char *)s + i, n - i, &cp)) > 0) {
				/* The same string to a JSON reader, and no C1 or bidi
				 * control reaches a terminal that shows the document. */
				/* Joiners and selectors always: a string can
				 * be written in parts (cs_json_str_parts), and
				 * \\u200d is the same string to a reader. */
				if (cs_cp_hidden_control(cp) || cs_cp_shaping(cp)) {
					put(j, s + run, i - run);
					run = i + u;
					hidden(j, cp);
				}
				i += u - 1;
				continue;
			}
			put(j, s + run, i - run);
			run = i + 1;
			puts_(j, "\xef\xbf\xbd");
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		put(j, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			puts_(j, "\\\"");
			break;
		case '\\':
			puts_(j, "\\\\");
			break;
		case '\n':
			puts_(j, "\\n");
			break;
		case '\t':
			puts_(j, "\\t");
			break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			put(j, esc, 6);
		}
	}
	put(j, s + run, n - run);
}

static void quoted(struct cs_json *j, const char *s, size_t n)
{
	put(j, "\"", 1);
	body(j, s, n);
	put(j, "\"", 1);
}

void cs_json_key(struct cs_json *j, const char *key)
{
	size_t n = strlen(key);

	/* Room for "_escaped" after it, or no companion (cs_json). */
	if (n + sizeof("_escaped") <= sizeof(j->key))
		memcpy(j->key, key, n + 1);
	else
		j->key[0] = '\0';
	sep(j);
	quoted(j, key, strlen(key));
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
}

/* s[0, len) escaped (escape.h) into the string being written, in pieces of
 * whole characters (cs_text_cut), each with s as its context, as
 * cs_escape_write. */
static void escaped_body(struct cs_json *j, const char *s, size_t len)
{
	char buf[4 * 1024 + 1]; /* an escape is at most 4 bytes a byte */

	for (size_t at = 0, k; at < len; at += k) {
		if (!(k = cs_text_cut(s + at, len - at, 1024)))
			k = len - at < 1024 ? len - at : 1024;
		cs_escape_span(s, len, at, at + k, buf, sizeof(buf));
		body(j, buf, strlen(buf));
	}
}

/* One string of np parts escaped, lens[i] bytes each (lens NULL: each
 * NUL-terminated; a NULL part is none): a twin's value, a list twin's
 * element, or a text (cs_json_text_parts). */
static void escaped_string(struct cs_json *j, const char *const *parts, const size_t *lens,
			   size_t np)
{
	sep(j);
	put(j, "\"", 1);
	for (size_t i = 0; i < np; i++)
		if (parts[i])
			escaped_body(j, parts[i], lens ? lens[i] : strlen(parts[i]));
	put(j, "\"", 1);
}

/* The member KEY_escaped after a value that is not UTF-8 (cs_json): its
 * np parts, lens[i] bytes each (lens NULL: each NUL-terminated). */
static void escaped_twin(struct cs_json *j, bool keyed, const char *const *parts,
			 const size_t *lens, size_t np)
{
#define PART_LEN(i) (lens ? lens[i] : parts[i] ? strlen(parts[i]) : 0)
	char key[sizeof(j->key) + sizeof("_escaped")];
	bool whole = true;

	if (!keyed || j->no_escaped || !j->key[0])
		return;
	for (size_t i = 0; i < np; i++)
		whole = whole && (!parts[i] || cs_utf8_valid(parts[i], PART_LEN(i)));
	if (whole)
		return;
	snprintf(key, sizeof(key), "%s_escaped", j->key);
	cs_json_key(j, key);
	escaped_string(j, parts, lens, np);
#undef PART_LEN
}

void cs_json_strn(struct cs_json *j, const char *s, size_t n)
{
	bool keyed = j->after_key;

	sep(j);
	quoted(j, s, n);
	escaped_twin(j, keyed, &s, &n, 1);
}

void cs_json_str(struct cs_json *j, const char *s)
{
	if (!s) {
		cs_json_null(j);
		return;
	}
	cs_json_strn(j, s, strlen(s));
}

void cs_json_str_parts(struct cs_json *j, const char *const *parts, size_t n)
{
	bool keyed = j->after_key;

	sep(j);
	put(j, "\"", 1);
	for (size_t i = 0; i < n; i++)
		if (parts[i])
			body(j, parts[i], strlen(parts[i]));
	put(j, "\"", 1);
	escaped_twin(j, keyed, parts, NULL, n);
}

/* A list's strings after a member's key: if one is not UTF-8, the member
 * KEY_escaped follows the array, every element by the escaping rule at its
 * index (null for null), so two lists never give one array either. */
void cs_json_strv(struct cs_json *j, const char *const *v, size_t n)
{
	char key[sizeof(j->key) + sizeof("_escaped")];
	bool keyed = j->after_key && !j->no_escaped && j->key[0], whole = true;

	if (keyed)
		snprintf(key, sizeof(key), "%s_escaped", j->key);
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		cs_json_str(j, v[i]);
		whole = whole && (!v[i] || cs_utf8_valid(v[i], strlen(v[i])));
	}
	cs_json_arr_end(j);
	if (!keyed || whole)
		return;
	cs_json_key(j, key);
	cs_json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		if (v[i])
			escaped_string(j, &v[i], NULL, 1);
		else
			cs_json_null(j);
	cs_json_arr_end(j);
}

void cs_json_text_parts(struct cs_json *j, const char *const *parts, size_t n)
{
	escaped_string(j, parts, NULL, n);
}

void cs_json_int(struct cs_json *j, int64_t v)
{
	char b[32];

	sep(j);
	snprintf(b, sizeof(b), "%" PRId64, v);
	puts_(j, b);
}

void cs_json_uint(struct cs_json *j, uint64_t v)
{
	char b[32];

	sep(j);
	snprintf(b, sizeof(b), "%" PRIu64, v);
	puts_(j, b);
}

void cs_json_bool(struct cs_json *j, bool v)
{
	sep(j);
	puts_(j, v ? "true" : "false");
}

void cs_json_null(struct cs_json *j)
{
	sep(j);
	puts_(j, "null");
}

void cs_json_cap_names(struct cs_json *j, cs_mask_t m)
{
	char name[32];

	cs_json_arr_begin(j);
	for (int cap = 0; cap < CS_CAP_BITS; cap++)
		if (m & CS_BIT(cap))
			cs_json_str(j, cs_cap_name_r(cap, true, name, sizeof(name)));
	cs_json_arr_end(j);
}

void cs_json_mask(struct cs_json *j, cs_mask_t m)
{
	char b[24];

	cs_json_obj_begin(j);
	cs_json_key(j, "mask");
	snprintf(b, sizeof(b), "0x%016" PRIx64, m);
	cs_json_str(j, b);
	cs_json_key(j, "names");
	cs_json_cap_names(j, m);
	cs_json_obj_end(j);
}

void cs_json_caps(struct cs_json *j, const struct cs_quintet *q)
{
	cs_json_obj_begin(j);
	for (int s = 0; s < CS_NSETS; s++) {
		cs_json_key(j, cs_set_name((enum cs_set)s));
		if (q->present & (1u << s))
			cs_json_mask(j, q->set[s]);
		else
			cs_json_null(j);
	}
	cs_json_obj_end(j);
}

int cs_json_finish(struct cs_json *j)
{
	put(j, "\n", 1);
	if (!j->error && fflush(j->f) != 0)
		j->error = errno ? -errno : -EIO;
	if (!j->error && ferror(j->f))
		j->error = -EIO;
	return j->error;
}
