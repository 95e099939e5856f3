/* SPDX-License-Identifier: MIT */
/*
 * Strict TOML subset reader (see include/capscope/toml.h for what it takes).
 * Recursive descent over the buffer; values live in an arena for the length
 * of one parse. Every rejection names the line and column.
 */
#include "capscope/toml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../k8s/arena.h"

#define MAX_DEPTH 32
#define MAX_PATH 512

struct tp {
	const char *b, *e, *p;
	const char *line_start;
	unsigned line;
	const char *name;
	struct cs_diag *d;
	struct cs_arena *a;
	char table[MAX_PATH];
	char **defined;
	size_t n_defined, cap_defined;
	cs_toml_cb cb;
	void *user;
};

static int fail(struct tp *t, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct tp *t, const char *at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	unsigned col = 1;

	for (const char *q = t->line_start; q < at && q < t->e; q++)
		col++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->d)
		snprintf(t->d->file, sizeof(t->d->file), "%s", t->name ? t->name : "");
	return cs_diag_set(t->d, EINVAL, t->line, col, "", "%s", msg);
}

static unsigned colof(struct tp *t)
{
	return (unsigned)(t->p - t->line_start) + 1;
}

static bool eof(struct tp *t)
{
	return t->p >= t->e;
}

static void ws(struct tp *t)
{
	while (!eof(t) && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static void newline(struct tp *t)
{
	t->line++;
	t->line_start = t->p;
}

/* Comment to end of line (not consuming the newline). */
static int comment(struct tp *t)
{
	if (eof(t) || *t->p != '#')
		return 0;
	while (!eof(t) && *t->p != '\n') {
		unsigned char ch = (unsigned char)*t->p;

		if ((ch < 0x20 && ch != '\t' && !(ch == '\r' && t->p + 1 < t->e && t->p[1] == '\n')) ||
		    ch == 0x7f)
			return fail(t, t->p, "control character in a comment");
		t->p++;
	}
	return 0;
}

/* Expect the end of a line (after optional ws and comment). */
static int eol(struct tp *t)
{
	int r;

	ws(t);
	if ((r = comment(t)) < 0)
		return r;
	if (eof(t))
		return 0;
	if (*t->p == '\r' && t->p + 1 < t->e && t->p[1] == '\n')
		t->p++;
	if (*t->p != '\n')
		return fail(t, t->p, "expected the end of the line, found '%c'", *t->p);
	t->p++;
	newline(t);
	return 0;
}

/* Whitespace, newlines and comments (inside arrays). */
static int ws_nl(struct tp *t)
{
	int r;

	for (;;) {
		ws(t);
		if ((r = comment(t)) < 0)
			return r;
		if (eof(t))
			return 0;
		if (*t->p == '\r' && t->p + 1 < t->e && t->p[1] == '\n')
			t->p++;
		if (*t->p != '\n')
			return 0;
		t->p++;
		newline(t);
	}
}

struct sbuf {
	char *s;
	size_t n, cap;
};

static int sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = (b->n + n + 1) * 2;
		char *v = realloc(b->s, nc);

		if (!v)
			return -ENOMEM;
		b->s = v;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static int utf8_put(struct sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return sb_put(b, u, n);
}

/* A string starting at t->p (a quote). Result in arena. */
static int string(struct tp *t, const char **out)
{
	struct sbuf b = {0};
	char q = *t->p;
	bool multi = t->e - t->p >= 3 && t->p[1] == q && t->p[2] == q;
	const char *start = t->p;
	int r = 0;

	t->p += multi ? 3 : 1;
	if (multi) { /* a newline right after the opening quotes is trimmed */
		if (!eof(t) && *t->p == '\r' && t->p + 1 < t->e && t->p[1] == '\n')
			t->p++;
		if (!eof(t) && *t->p == '\n') {
			t->p++;
			newline(t);
		}
	}
	sb_put(&b, "", 0);
	for (;;) {
		if (eof(t)) {
			r = fail(t, start, "unterminated string");
			goto out;
		}
		char ch = *t->p;

		if (ch == q) {
			if (!multi) {
				t->p++;
				break;
			}
			if (t->e - t->p >= 3 && t->p[1] == q && t->p[2] == q) {
				/* up to two more quotes may belong to the content */
				int extra = 0;

				while (t->e - t->p >= 4 && t->p[3] == q && extra < 2) {
					if ((r = sb_put(&b, &q, 1)) < 0)
						goto out;
					t->p++;
					extra++;
				}
				t->p += 3;
				break;
			}
			if ((r = sb_put(&b, &ch, 1)) < 0)
				goto out;
			t->p++;
			continue;
		}
		if (ch == '\n' || (ch == '\r' && t->p + 1 < t->e && t->p[1] == '\n')) {
			if (!multi) {
				r = fail(t, t->p, "newline in a single-line string");
				goto out;
			}
			if (ch == '\r')
				t->p++;
			t->p++;
			newline(t);
			if ((r = sb_put(&b, "\n", 1)) < 0)
				goto out;
			continue;
		}
		if (((unsigned char)ch < 0x20 && ch != '\t') || ch == 0x7f) {
			r = fail(t, t->p, "control character in a string");
			goto out;
		}
		if (ch == '\\' && q == '"') {
			t->p++;
			if (eof(t)) {
				r = fail(t, t->p, "unterminated escape");
				goto out;
			}
			char e = *t->p++;
			const char *map = "b\bt\tn\nf\fr\r\"\"\\\\";
			const char *m = NULL;

			for (const char *k = map; *k; k += 2)
				if (*k == e)
					m = k;
			if (m) {
				r = sb_put(&b, m + 1, 1);
			} else if (e == 'u' || e == 'U') {
				int nd = e == 'u' ? 4 : 8;
				uint32_t cp = 0;

				if (t->e - t->p < nd) {
					r = fail(t, t->p, "short \\%c escape", e);
					goto out;
				}
				for (int i = 0; i < nd; i++) {
					char h = *t->p++;
					int v = h >= '0' && h <= '9'	 ? h - '0'
						: h >= 'a' && h <= 'f' ? h - 'a' + 10
						: h >= 'A' && h <= 'F' ? h - 'A' + 10
									 : -1;
					if (v < 0) {
						r = fail(t, t->p - 1, "bad hex digit in \\%c escape", e);
						goto out;
					}
					cp = cp * 16 + (uint32_t)v;
				}
				if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
					r = fail(t, t->p - nd, "escape is not a valid Unicode scalar (or is NUL)");
					goto out;
				}
				r = utf8_put(&b, cp);
			} else if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
				/* line-ending backslash: trim whitespace and newlines */
				t->p--;
				const char *save = t->p;
				ws(t);
				if (eof(t) || (*t->p != '\n' && *t->p != '\r')) {
					r = fail(t, save, "bad escape in a string");
					goto out;
				}
				while (!eof(t) && (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' ||
						   *t->p == '\r')) {
					if (*t->p == '\n') {
						t->p++;
						newline(t);
					} else {
						t->p++;
					}
				}
			} else {
				r = fail(t, t->p - 2, "unknown escape '\\%c'", e);
				goto out;
			}
			if (r < 0)
				goto out;
			continue;
		}
		if ((r = sb_put(&b, &ch, 1)) < 0)
			goto out;
		t->p++;
	}
	*out = cs_arena_strndup(t->a, b.s, b.n);
	if (!*out)
		r = -ENOMEM;
out:
	free(b.s);
	return r;
}

static bool bare_ch(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* A dotted key into buf. */
static int key(struct tp *t, char *buf, size_t len)
{
	size_t n = 0;
	int r;

	buf[0] = '\0';
	for (;;) {
		const char *part;
		size_t pl;

		ws(t);
		if (eof(t))
			return fail(t, t->p, "expected a key");
		if (*t->p == '"' || *t->p == '\'') {
			if (t->e - t->p >= 3 && t->p[1] == *t->p && t->p[2] == *t->p)
				return fail(t, t->p, "a multi-line string cannot be a key");
			if ((r = string(t, &part)) < 0)
				return r;
			pl = strlen(part);
		} else {
			part = t->p;
			while (!eof(t) && bare_ch(*t->p))
				t->p++;
			pl = (size_t)(t->p - part);
			if (!pl)
				return fail(t, t->p, eof(t) ? "expected a key" : "unexpected '%c' in a key", *t->p);
		}
		if (n + pl + 2 >= len)
			return fail(t, t->p, "key too long");
		if (n)
			buf[n++] = '.';
		memcpy(buf + n, part, pl);
		n += pl;
		buf[n] = '\0';
		ws(t);
		if (eof(t) || *t->p != '.')
			return 0;
		t->p++;
	}
}

static int value(struct tp *t, struct cs_toml_value *v, int depth);

static int number(struct tp *t, struct cs_toml_value *v)
{
	const char *s = t->p;
	char buf[80];
	size_t n = 0;
	bool isfloat = false;
	int base = 10;

	while (!eof(t) && (bare_ch(*t->p) || *t->p == '.' || *t->p == '+' || *t->p == ':')) {
		if (n + 1 >= sizeof(buf))
			return fail(t, s, "number too long");
		if (*t->p == ':')
			return fail(t, s, "dates and times are not supported");
		t->p++;
		n++;
	}
	if (!n)
		return fail(t, s, eof(t) ? "expected a value" : "unexpected '%c': expected a value", *s);
	/* copy without underscores, each of which must sit between digits */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_') {
			bool okl = i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') ||
					     (base == 16 && bare_ch(s[i - 1]) && s[i - 1] != '_'));
			bool okr = i + 1 < n && bare_ch(s[i + 1]) && s[i + 1] != '_';

			if (!okl || !okr)
				return fail(t, s + i, "misplaced '_' in a number");
			continue;
		}
		buf[k++] = s[i];
	}
	buf[k] = '\0';
	const char *d = buf;
	bool neg = false;

	if (*d == '+' || *d == '-') {
		neg = *d == '-';
		d++;
	}
	if (!strcmp(d, "inf") || !strcmp(d, "nan")) {
		v->type = CS_TOML_FLOAT;
		v->f = !strcmp(d, "inf") ? (neg ? -INFINITY : INFINITY) : NAN;
		return 0;
	}
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'o' || d[1] == 'b')) {
		if (d != buf)
			return fail(t, s, "a sign is not allowed on a hex, octal or binary integer");
		base = d[1] == 'x' ? 16 : d[1] == 'o' ? 8 : 2;
		d += 2;
	}
	for (const char *q = d; *q; q++) {
		if (base == 10 && (*q == '.' || *q == 'e' || *q == 'E'))
			isfloat = true;
		else if (base == 10 && (*q == '-' || *q == '+') && q > d &&
			 (q[-1] == 'e' || q[-1] == 'E'))
			continue;
		else if (base == 10 && (*q < '0' || *q > '9'))
			return fail(t, s, "'%.*s' is not a value (strings need quotes)", (int)n, s);
	}
	if (base == 10 && d[0] == '0' && d[1] && d[1] != '.' && d[1] != 'e' && d[1] != 'E')
		return fail(t, s, "leading zeros are not allowed");
	if (!*d)
		return fail(t, s, "expected digits");
	errno = 0;
	char *end;
	if (isfloat) {
		const char *dot = strchr(d, '.');

		if (dot && (dot == d || dot[1] < '0' || dot[1] > '9'))
			return fail(t, s, "a float needs digits on both sides of '.'");
		v->type = CS_TOML_FLOAT;
		v->f = strtod(buf, &end);
	} else if (base == 10) {
		v->type = CS_TOML_INT;
		v->i = strtoll(buf, &end, 10);
	} else {
		unsigned long long u = strtoull(d, &end, base);

		if (u > INT64_MAX)
			errno = ERANGE;
		v->type = CS_TOML_INT;
		v->i = (int64_t)u;
	}
	if (errno == ERANGE || *end)
		return fail(t, s, "bad number '%.*s'", (int)n, s);
	return 0;
}

static int array(struct tp *t, struct cs_toml_value *v, int depth)
{
	size_t cap = 0;
	int r;

	v->type = CS_TOML_ARRAY;
	t->p++;
	for (;;) {
		if ((r = ws_nl(t)) < 0)
			return r;
		if (eof(t))
			return fail(t, t->p, "unterminated array");
		if (*t->p == ']') {
			t->p++;
			return 0;
		}
		if (v->n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct cs_toml_value *nv = cs_arena_grow(t->a, v->items, v->n, nc, sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			v->items = nv;
			cap = nc;
		}
		if ((r = value(t, &v->items[v->n], depth + 1)) < 0)
			return r;
		v->n++;
		if ((r = ws_nl(t)) < 0)
			return r;
		if (eof(t))
			return fail(t, t->p, "unterminated array");
		if (*t->p == ',') {
			t->p++;
			continue;
		}
		if (*t->p != ']')
			return fail(t, t->p, "expected ',' or ']' in an array");
	}
}

static int inline_table(struct tp *t, struct cs_toml_value *v, int depth)
{
	size_t cap = 0;
	char k[MAX_PATH];
	int r;

	v->type = CS_TOML_TABLE;
	t->p++;
	ws(t);
	if (!eof(t) && *t->p == '}') {
		t->p++;
		return 0;
	}
	for (;;) {
		if ((r = key(t, k, sizeof(k))) < 0)
			return r;
		for (size_t i = 0; i < v->n; i++)
			if (!strcmp(v->keys[i], k))
				return fail(t, t->p, "key '%s' defined twice", k);
		if (eof(t) || *t->p != '=')
			return fail(t, t->p, "expected '=' after a key");
		t->p++;
		ws(t);
		if (v->n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct cs_toml_value *nv = cs_arena_grow(t->a, v->items, v->n, nc, sizeof(*nv));
			const char **nk = cs_arena_grow(t->a, v->keys, v->n, nc, sizeof(*nk));

			if (!nv || !nk)
				return -ENOMEM;
			v->items = nv;
			v->keys = nk;
			cap = nc;
		}
		if (!(v->keys[v->n] = cs_arena_strndup(t->a, k, strlen(k))))
			return -ENOMEM;
		if ((r = value(t, &v->items[v->n], depth + 1)) < 0)
			return r;
		v->n++;
		ws(t);
		if (eof(t))
			return fail(t, t->p, "unterminated inline table");
		if (*t->p == ',') {
			t->p++;
			continue;
		}
		if (*t->p == '}') {
			t->p++;
			return 0;
		}
		return fail(t, t->p, "expected ',' or '}' in an inline table");
	}
}

static int value(struct tp *t, struct cs_toml_value *v, int depth)
{
	memset(v, 0, sizeof(*v));
	v->line = t->line;
	v->column = colof(t);
	if (depth > MAX_DEPTH)
		return fail(t, t->p, "values nested more than %d deep", MAX_DEPTH);
	if (eof(t))
		return fail(t, t->p, "expected a value");
	switch (*t->p) {
	case '"':
	case '\'':
		v->type = CS_TOML_STRING;
		return string(t, &v->s);
	case '[':
		return array(t, v, depth);
	case '{':
		return inline_table(t, v, depth);
	case 't':
	case 'f': {
		size_t rem = (size_t)(t->e - t->p);

		if (rem >= 4 && !memcmp(t->p, "true", 4) && (rem == 4 || !bare_ch(t->p[4]))) {
			v->type = CS_TOML_BOOL;
			v->b = true;
			t->p += 4;
			return 0;
		}
		if (rem >= 5 && !memcmp(t->p, "false", 5) && (rem == 5 || !bare_ch(t->p[5]))) {
			v->type = CS_TOML_BOOL;
			t->p += 5;
			return 0;
		}
		return fail(t, t->p, "unquoted text is not a value (strings need quotes)");
	}
	default:
		return number(t, v);
	}
}

static int define(struct tp *t, const char *path, const char *at, bool table)
{
	for (size_t i = 0; i < t->n_defined; i++)
		if (!strcmp(t->defined[i] + 1, path))
			return fail(t, at, "%s '%s' defined twice", table ? "table" : "key", path);
	if (t->n_defined == t->cap_defined) {
		size_t nc = t->cap_defined ? t->cap_defined * 2 : 32;
		char **v = cs_arena_grow(t->a, t->defined, t->n_defined, nc, sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->defined = v;
		t->cap_defined = nc;
	}
	size_t l = strlen(path);
	char *s = cs_arena_alloc(t->a, l + 2);

	if (!s)
		return -ENOMEM;
	s[0] = table ? 'T' : 'K';
	memcpy(s + 1, path, l + 1);
	t->defined[t->n_defined++] = s;
	return 0;
}

int cs_toml_parse(const char *buf, size_t len, const char *name, cs_toml_cb cb, void *user,
		  struct cs_diag *d)
{
	struct tp t = {.b = buf, .e = buf + len, .p = buf, .line_start = buf, .line = 1,
		       .name = name, .d = d, .cb = cb, .user = user};
	int r = 0;

	if (!(t.a = cs_arena_new()))
		return -ENOMEM;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		t.p += 3, t.line_start = t.p;
	if (memchr(buf, '\0', len)) {
		const char *z = memchr(buf, '\0', len);

		for (const char *q = buf; q < z; q++)
			if (*q == '\n')
				t.line++, t.line_start = q + 1;
		r = fail(&t, z, "NUL byte in the file");
		goto out;
	}
	while (r == 0) {
		if ((r = ws_nl(&t)) < 0 || eof(&t))
			break;
		if (*t.p == '[') {
			const char *at = t.p;

			t.p++;
			if (!eof(&t) && *t.p == '[') {
				r = fail(&t, at, "arrays of tables ([[...]]) are not supported");
				break;
			}
			if ((r = key(&t, t.table, sizeof(t.table))) < 0)
				break;
			if (eof(&t) || *t.p != ']') {
				r = fail(&t, t.p, "expected ']' after a table name");
				break;
			}
			t.p++;
			if ((r = define(&t, t.table, at, true)) < 0 || (r = eol(&t)) < 0)
				break;
			continue;
		}
		char k[MAX_PATH], path[MAX_PATH * 2 + 2];
		const char *at = t.p;
		struct cs_toml_value v;

		if ((r = key(&t, k, sizeof(k))) < 0)
			break;
		if (eof(&t) || *t.p != '=') {
			r = fail(&t, t.p, "expected '=' after key '%s'", k);
			break;
		}
		t.p++;
		ws(&t);
		snprintf(path, sizeof(path), "%s%s%s", t.table, t.table[0] ? "." : "", k);
		if ((r = define(&t, path, at, false)) < 0)
			break;
		if ((r = value(&t, &v, 0)) < 0)
			break;
		if ((r = eol(&t)) < 0)
			break;
		if (cb && (r = cb(user, path, &v, d)) != 0)
			break;
	}
out:
	cs_arena_free(t.a);
	return r;
}
