/* SPDX-License-Identifier: MIT */
/*
 * JSON checked in one pass, as Go's encoding/json reads it (see
 * internal/json-check.h for why libfyaml's JSON mode is not used). The
 * memory is a frame per open object or array (at most CS_JSON_CHECK_DEPTH)
 * and the offsets of the keys of the objects still open, for the
 * duplicate check, which sorts an object's keys when it closes: time n log
 * n in its keys, never the square.
 */
#include "internal/json-check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/util.h"

struct frame {
	bool obj;
	uint64_t cand;	   /* object: wants whose earlier keys led here */
	uint64_t key_cand; /* object: of those, the ones whose next key is the current one */
	uint64_t ending;   /* wants whose value is this object or array */
	size_t keys_base;  /* its keys start here in the key stack */
};

struct checker {
	const unsigned char *s;
	size_t len, i;
	struct frame st[CS_JSON_CHECK_DEPTH];
	int depth; /* open objects and arrays */
	size_t *keys, n_keys, cap_keys;
	size_t dup_at; /* the earliest key equal to an earlier one of its object */
	bool dup;
	struct cs_json_want *want;
	size_t n_want;
	const char *field, *prefix;
	struct cs_diag *d;
};

void cs_json_pos(const char *buf, size_t off, unsigned *line, unsigned *column)
{
	unsigned l = 1, c = 1;

	for (size_t i = 0; i < off; i++) {
		unsigned char b = (unsigned char)buf[i];

		/* A CR is a break of its own unless an LF follows; the byte at off
		 * may be past the text (the end), so it is not looked at. */
		if (b == '\n' || (b == '\r' && (i + 1 == off || buf[i + 1] != '\n')))
			l++, c = 1;
		else if ((b & 0xc0) != 0x80 && b != '\r')
			c++;
	}
	*line = l;
	*column = c;
}

__attribute__((format(printf, 3, 4))) static int fail(struct checker *k, size_t at, const char *fmt,
						      ...)
{
	char what[160];
	unsigned line, col;
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(what, sizeof(what), fmt, ap);
	va_end(ap);
	cs_json_pos((const char *)k->s, at, &line, &col);
	return cs_diag_set(k->d, EINVAL, line, col, k->field, "%s%s", k->prefix, what);
}

/* UTF-8 without NUL in the characters that start before upto, as every
 * reader of the library checks its text (the messages are
 * cs_fy_check_text's). */
static int check_text(struct checker *k, size_t upto)
{
	for (size_t i = 0, n; i < upto; i += n)
		if (!(n = k->s[i] ? cs_utf8_seq_len(k->s + i, k->len - i) : 0)) {
			unsigned line, col;

			cs_json_pos((const char *)k->s, i, &line, &col);
			return cs_diag_set(k->d, EINVAL, line, col, k->field,
					   k->s[i] ? "not UTF-8 text (byte 0x%02x)"
						   : "NUL byte in the text%.0d",
					   k->s[i]);
		}
	return 0;
}

/* The byte at i for a message: itself when printable ASCII. */
static const char *shown(const struct checker *k, size_t i, char buf[16])
{
	if (i >= k->len)
		return "the end of the text";
	if (k->s[i] > 0x20 && k->s[i] < 0x7f && k->s[i] != '\'')
		cs_format_cut(buf, 16, "'%c'", k->s[i]);
	else
		snprintf(buf, 16, "byte 0x%02x", k->s[i]);
	return buf;
}

static void skip_space(struct checker *k)
{
	while (k->i < k->len && (k->s[k->i] == ' ' || k->s[k->i] == '\t' || k->s[k->i] == '\n' ||
				 k->s[k->i] == '\r'))
		k->i++;
}

static int hex4(const unsigned char *s, size_t left, uint32_t *u)
{
	*u = 0;
	if (left < 4)
		return -1;
	for (int j = 0; j < 4; j++) {
		int h = cs_hex_digit((char)s[j]);

		if (h < 0)
			return -1;
		*u = *u << 4 | (uint32_t)h;
	}
	return 0;
}

/*
 * The next character of a checked string at *i (after its opening quote):
 * its code point, *i moved past it; -1 at the closing quote. Surrogate
 * pairs are one character, as Go decodes them.
 */
static int32_t next_char(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t cp, lo;

	if (s[*i] == '"')
		return -1;
	if (s[*i] != '\\') {
		*i += cs_utf8_decode(s + *i, len - *i, &cp);
		return (int32_t)cp;
	}
	switch (s[*i + 1]) {
	case 'b':
		cp = '\b';
		break;
	case 'f':
		cp = '\f';
		break;
	case 'n':
		cp = '\n';
		break;
	case 'r':
		cp = '\r';
		break;
	case 't':
		cp = '\t';
		break;
	case 'u':
		hex4(s + *i + 2, len - *i - 2, &cp);
		if (cp >= 0xd800 && cp < 0xdc00) {
			hex4(s + *i + 8, len - *i - 8, &lo);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*i += 6;
		}
		*i += 6;
		return (int32_t)cp;
	default:
		cp = s[*i + 1];
		break; /* '"', '\\', '/' */
	}
	*i += 2;
	return (int32_t)cp;
}

/* Compare two checked strings (offsets of their opening quotes) by their
 * decoded characters. */
static int str_cmp(const unsigned char *s, size_t len, size_t a, size_t b)
{
	size_t i = a + 1, j = b + 1;

	for (;;) {
		int32_t x = next_char(s, len, &i), y = next_char(s, len, &j);

		if (x != y || x < 0)
			return x < y ? -1 : x > y;
	}
}

/* Is the checked string at at (its opening quote) want, decoded? */
static bool str_is(const unsigned char *s, size_t len, size_t at, const char *want)
{
	const unsigned char *p = (const unsigned char *)want;
	size_t i = at + 1, left = strlen(want);

	for (;;) {
		int32_t x = next_char(s, len, &i);
		uint32_t w = 0;
		size_t n;

		if (!left || x < 0)
			return !left && x < 0;
		if (!(n = cs_utf8_decode(p, left, &w)) || (uint32_t)x != w)
			return false;
		p += n;
		left -= n;
	}
}

/* A string from its opening quote: checked, k->i past its closing quote. */
static int check_string(struct checker *k)
{
	size_t start = k->i;

	for (k->i++;;) {
		size_t i = k->i;
		unsigned char c = i < k->len ? k->s[i] : 0;
		uint32_t u, lo;

		if (i >= k->len)
			return fail(k, start, "the text ends inside this string");
		if (c == '"') {
			k->i++;
			return 0;
		}
		if (c < 0x20)
			return fail(
			    k, i,
			    "a control character (U+%04X) in a string: JSON writes it as an escape",
			    c);
		if (c != '\\') {
			size_t n = cs_utf8_seq_len(k->s + i, k->len - i);

			/* Checked first, unless only the first value is read: then
			 * check_text says what this is. */
			if (!n)
				return fail(k, i, "not UTF-8 text (byte 0x%02x)", c);
			k->i += n;
			continue;
		}
		c = i + 1 < k->len ? k->s[i + 1] : 0;
		if (c && strchr("\"\\/bfnrt", c)) {
			k->i += 2;
			continue;
		}
		/* No backslash of capscope's own in a message: the CLI escapes
		 * the whole message once (escape.h), and "(\\q)" showed as
		 * "(\\\\q)", a text the file does not hold (twenty-fifth pass,
		 * part A), as lib/runtime/toml.c words its own. */
		if (c != 'u' && c > 0x20 && c < 0x7f)
			return fail(k, i, "an escape JSON does not have: backslash then '%s'",
				    (char[]){(char)c, 0});
		if (c != 'u')
			return fail(k, i, "an escape JSON does not have: backslash then %s",
				    c ? "a blank or a byte that is not printable ASCII"
				      : "the end of the text");
		if (hex4(k->s + i + 2, k->len - i - 2, &u) < 0)
			return fail(k, i, "backslash then 'u' wants four hex digits");
		k->i += 6;
		if (u >= 0xdc00 && u < 0xe000)
			return fail(
			    k, i,
			    "a lone UTF-16 surrogate (U+%04X, escaped), which Go reads as U+FFFD",
			    u);
		if (u < 0xd800 || u >= 0xdc00)
			continue;
		if (k->i + 1 >= k->len || k->s[k->i] != '\\' || k->s[k->i + 1] != 'u' ||
		    hex4(k->s + k->i + 2, k->len - k->i - 2, &lo) < 0 || lo < 0xdc00 ||
		    lo >= 0xe000)
			return fail(
			    k, i,
			    "a lone UTF-16 surrogate (U+%04X, escaped), which Go reads as U+FFFD",
			    u);
		k->i += 6;
	}
}

static int check_number(struct checker *k)
{
	size_t start = k->i;
	const unsigned char *s = k->s;

#define DIGIT(j) ((j) < k->len && s[j] >= '0' && s[j] <= '9')
	if (s[k->i] == '-')
		k->i++;
	if (!DIGIT(k->i))
		return fail(k, start, "a number wants a digit after '-'");
	if (s[k->i++] != '0')
		while (DIGIT(k->i))
			k->i++;
	if (k->i < k->len && s[k->i] == '.') {
		if (!DIGIT(k->i + 1))
			return fail(k, start, "a number wants a digit after '.'");
		for (k->i++; DIGIT(k->i); k->i++)
			;
	}
	if (k->i < k->len && (s[k->i] == 'e' || s[k->i] == 'E')) {
		k->i++;
		if (k->i < k->len && (s[k->i] == '+' || s[k->i] == '-'))
			k->i++;
		if (!DIGIT(k->i))
			return fail(k, start, "a number wants a digit in its exponent");
		while (DIGIT(k->i))
			k->i++;
	}
#undef DIGIT
	return 0;
}

static int key_cmp(const void *a, const void *b, void *ctx)
{
	const struct checker *k = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = str_cmp(k->s, k->len, x, y);

	return c ? c : (x > y) - (x < y);
}

/*
 * The key given twice, named: "duplicate key" alone left the reader to
 * find which (twenty-fifth pass, part A), as Go's strict decoders and
 * go-yaml name it ("key \"x\" already set in map"). Its text decoded, cut
 * at 64 bytes on a character.
 */
static int dup_key(struct checker *k)
{
	size_t from = k->dup_at, to = from + 1, n;
	char *name;
	int r;

	while (to < k->len && k->s[to] != '"')
		to += k->s[to] == '\\' ? 2 : 1;
	if (++to > k->len || !(name = malloc(to - from)))
		return to > k->len ? fail(k, from, "duplicate key")
				   : cs_diag_set(k->d, ENOMEM, 0, 0, k->field, "out of memory");
	n = cs_json_decode((const char *)k->s, from, to, name);
	r = fail(k, from, "duplicate key '%.*s%s'", CS_MSG_CUT(name, n, 64));
	free(name);
	return r;
}

/* An object closes: is a key of it equal to an earlier one? */
static void close_object(struct checker *k, struct frame *f)
{
	size_t n = k->n_keys - f->keys_base;

	if (n > 1) {
		size_t *v = k->keys + f->keys_base;

		qsort_r(v, n, sizeof(*v), key_cmp, k);
		for (size_t j = 1; j < n; j++)
			if (!str_cmp(k->s, k->len, v[j - 1], v[j]) &&
			    (!k->dup || v[j] < k->dup_at)) {
				k->dup = true;
				k->dup_at = v[j];
			}
	}
	k->n_keys = f->keys_base;
}

static int push_key(struct checker *k, size_t at)
{
	if (k->n_keys == k->cap_keys) {
		size_t cap = k->cap_keys ? k->cap_keys * 2 : 64;
		size_t *v = realloc(k->keys, cap * sizeof(*v));

		if (!v)
			return cs_diag_set(k->d, ENOMEM, 0, 0, k->field, "out of memory");
		k->keys = v;
		k->cap_keys = cap;
	}
	k->keys[k->n_keys++] = at;
	return 0;
}

/* A value starts at k->i: which wants it is, given the wants that led here. */
static uint64_t found_here(struct checker *k, uint64_t led)
{
	uint64_t ending = 0;

	for (size_t w = 0; led && w < k->n_want; w++)
		if ((led >> w & 1) && k->want[w].n == (size_t)k->depth) {
			k->want[w].found = true;
			k->want[w].type = (char)k->s[k->i];
			k->want[w].from = k->i;
			ending |= UINT64_C(1) << w;
		}
	return ending;
}

static void found_end(struct checker *k, uint64_t ending)
{
	for (size_t w = 0; ending && w < k->n_want; w++)
		if (ending >> w & 1)
			k->want[w].to = k->i;
}

/* The wants a key of the top object leads on to. */
static uint64_t key_leads(struct checker *k, size_t at)
{
	const struct frame *f = &k->st[k->depth - 1];
	uint64_t out = 0;

	for (size_t w = 0; f->cand && w < k->n_want; w++)
		if ((f->cand >> w & 1) && str_is(k->s, k->len, at, k->want[w].path[k->depth - 1]))
			out |= UINT64_C(1) << w;
	return out;
}

static int open_container(struct checker *k, bool obj, uint64_t led, uint64_t ending)
{
	struct frame *f;

	if (k->depth >= CS_JSON_CHECK_DEPTH)
		return fail(k, k->i, "more than %d objects and arrays nested", CS_JSON_CHECK_DEPTH);
	f = &k->st[k->depth++];
	*f = (struct frame){.obj = obj, .ending = ending, .keys_base = k->n_keys};
	/* Only objects lead on: a want's path is object keys. */
	for (size_t w = 0; obj && led && w < k->n_want; w++)
		if ((led >> w & 1) && k->want[w].n >= (size_t)k->depth)
			f->cand |= UINT64_C(1) << w;
	k->i++;
	return 0;
}

/* A key of the top object, then ':': k->i at the value after it. */
static int read_key(struct checker *k)
{
	struct frame *f = &k->st[k->depth - 1];
	size_t at;
	char b[16];
	int r;

	skip_space(k);
	at = k->i;
	if (at >= k->len || k->s[at] != '"')
		return fail(k, at, "a key (a string) was expected, not %s", shown(k, at, b));
	if ((r = check_string(k)) < 0 || (r = push_key(k, at)) < 0)
		return r;
	f->key_cand = key_leads(k, at);
	skip_space(k);
	if (k->i >= k->len || k->s[k->i] != ':')
		return fail(k, k->i, "':' was expected after a key, not %s", shown(k, k->i, b));
	k->i++;
	return 0;
}

static int read_scalar(struct checker *k)
{
	const unsigned char *s = k->s + k->i;
	size_t left = k->len - k->i;
	char b[16];

	if (*s == '"')
		return check_string(k);
	if (*s == '-' || (*s >= '0' && *s <= '9'))
		return check_number(k);
	for (const char *const *lit = (const char *const[]){"true", "false", "null", NULL}; *lit;
	     lit++)
		if (left >= strlen(*lit) && !memcmp(s, *lit, strlen(*lit))) {
			k->i += strlen(*lit);
			return 0;
		}
	return fail(k, k->i, "a value was expected, not %s", shown(k, k->i, b));
}

/* After a value: ',' and the next, or the close of the top object or array. */
static int after_value(struct checker *k, bool *more)
{
	char b[16];

	while (k->depth > 0) {
		struct frame *f = &k->st[k->depth - 1];
		char close = f->obj ? '}' : ']';

		skip_space(k);
		if (k->i < k->len && k->s[k->i] == ',') {
			k->i++;
			*more = true;
			return f->obj ? read_key(k) : 0;
		}
		if (k->i >= k->len || k->s[k->i] != (unsigned char)close)
			return fail(k, k->i, "',' or '%c' was expected, not %s", close,
				    shown(k, k->i, b));
		k->i++;
		if (f->obj)
			close_object(k, f);
		found_end(k, f->ending);
		k->depth--;
	}
	*more = false;
	return 0;
}

static int check_values(struct checker *k)
{
	bool more = true;
	int r;

	while (more) {
		struct frame *f = k->depth ? &k->st[k->depth - 1] : NULL;
		/* Wants this value is reached by: all at the root, the key's in an
		 * object, none in an array. */
		uint64_t led = !f ? (k->n_want >= 64 ? UINT64_MAX : (UINT64_C(1) << k->n_want) - 1)
			       : f->obj ? f->key_cand
					: 0;
		uint64_t ending;

		skip_space(k);
		if (k->i >= k->len)
			return fail(k, k->i, "the text ends where a value was expected");
		ending = found_here(k, led);
		if (k->s[k->i] == '{' || k->s[k->i] == '[') {
			bool obj = k->s[k->i] == '{';

			if ((r = open_container(k, obj, led, ending)) < 0)
				return r;
			skip_space(k);
			if (k->i < k->len && k->s[k->i] == (obj ? '}' : ']'))
				r = after_value(k, &more);
			else
				r = obj ? read_key(k) : 0; /* an array's first value: the loop */
			if (r < 0)
				return r;
			continue;
		}
		if ((r = read_scalar(k)) < 0)
			return r;
		found_end(k, ending);
		if ((r = after_value(k, &more)) < 0)
			return r;
	}
	return 0;
}

int cs_json_check(const char *buf, size_t len, bool whole, struct cs_json_want *want, size_t n_want,
		  size_t *end, const char *field, const char *prefix, struct cs_diag *d)
{
	struct checker k = {.s = (const unsigned char *)buf,
			    .len = len,
			    .want = want,
			    .n_want = n_want > 64 ? 64 : n_want,
			    .field = field ? field : "",
			    .prefix = prefix ? prefix : "",
			    .d = d};
	int r;

	for (size_t w = 0; w < k.n_want; w++)
		want[w].found = false;
	/* Go's encoding/json (RFC 8259 8.1: a sender must not add one) refuses
	 * it; libfyaml would skip it, as YAML allows. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		return fail(&k, 0, "a byte order mark (U+FEFF) before the value");
	if (whole && (r = check_text(&k, len)) < 0)
		return r;
	r = check_values(&k);
	/*
	 * Go's json.Decoder reads the first value and not a byte after it: the
	 * text is checked up to the value's end, or to the byte where the
	 * grammar stopped, whose message a text error there or before takes
	 * over, as when the text was checked first.
	 */
	if (!whole && r != -ENOMEM) {
		int t = check_text(&k, r < 0 && k.i < len ? k.i + 1 : k.i);

		if (t < 0)
			r = t;
	}
	/* The open objects' frames are gone with k; only their keys are kept. */
	if (!r && whole) {
		skip_space(&k);
		if (k.i < len)
			r = fail(&k, k.i, "more after the first value");
	}
	if (!r && k.dup)
		r = dup_key(&k); /* at its opening quote, as the tree marks a key */
	free(k.keys);
	if (!r && end)
		*end = k.i;
	return r;
}

size_t cs_json_decode(const char *buf, size_t from, size_t to, char *out)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = from + 1, n = 0;
	int32_t c;

	while ((c = next_char(s, to, &i)) >= 0)
		n += cs_utf8_encode((uint32_t)c, out + n);
	return n;
}

int cs_json_string(const char *buf, size_t from, size_t to, char **out, size_t *len)
{
	char *p = malloc(to - from); /* decoded is never longer than the escapes */
	size_t n;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	n = cs_json_decode(buf, from, to, p);
	if (memchr(p, '\0', n)) {
		free(p);
		return -EINVAL;
	}
	p[n] = '\0';
	*out = p;
	if (len)
		*len = n;
	return 0;
}

size_t cs_json_values(const char *s, size_t len)
{
	size_t n = 1;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = false;
		} else if (s[i] == '"') {
			in_str = true;
		} else if (s[i] == ',' || s[i] == ':' || s[i] == '[' || s[i] == '{') {
			n++;
		}
	}
	return n;
}
