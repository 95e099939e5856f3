/* SPDX-License-Identifier: MIT */
/*
 * TOML 1.0 reader (see lib/internal/toml.h). Recursive descent over the
 * buffer into a tree whose nodes live in an arena for the document's life.
 *
 * Which redefinitions are errors follows the TOML 1.0 text and, where the
 * text leaves room, Python's tomllib (the reference we test against): a
 * table declared by a [header] or created by dotted keys in an earlier
 * section cannot be declared again; inline tables and static arrays are
 * frozen; [[name]] appends a new table that later [name.sub] headers
 * extend. Every rejection names the line and column.
 */
#include "../internal/toml.h"
#include "../internal/util.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal/cleanup.h"
#include "../internal/util.h"
#include "../k8s/arena.h"

#define MAX_DEPTH 100

/* internal_flags_ */
#define F_EXPLICIT 1u /* declared by a header, or by dotted keys in an earlier section */
#define F_FROZEN   2u /* an inline table or a static array, and all inside them */
#define F_AOT	   4u /* an array made by [[name]] */
#define F_PENDING  8u /* in t->pending: made explicit at the next header */

struct cs_toml_doc {
	struct cs_arena *a;
	struct cs_toml_value *root;
	unsigned odd_line, odd_column; /* see cs_toml_odd_key */
};

/* A dotted key's parts: most have few, kept in inl on the caller's stack
 * (every key and header took 64 bytes of the arena for its parts). */
struct keypath {
	const char **k;
	size_t n, cap;
	const char *inl[8];
};

/* A longer key's parts are malloc'd and freed with the keypath: grown in
 * the arena, a 98-part key left 1.9 KB there for each line written so
 * (9 bytes a byte of text, session 16). */
static void keypath_free(struct keypath *kp)
{
	if (kp->k != kp->inl)
		free(kp->k);
}

#define cs_cleanup_keypath __attribute__((cleanup(keypath_free)))

/* A key of a table, in the document's index of keys (child, index_key):
 * the table and the key's place in it (16 bytes, not 24: the index is
 * the tree's largest part after the values). */
struct slot {
	const struct cs_toml_value *tbl;
	size_t at; /* tbl->keys[at], tbl->items[at] */
};

struct tp {
	const char *b, *e, *p;
	const char *line_start;
	unsigned line;
	const char *name;
	struct cs_diag *d;
	struct cs_arena *a;
	struct cs_toml_value *root, *cur;
	struct cs_toml_value **pending; /* tables made by dotted keys in this section */
	size_t npending, cappending;
	struct slot *slots; /* every table's keys, hashed (see child) */
	size_t nslots, nused;
	unsigned odd_line, odd_column; /* the first key cs_toml_odd_key names */
	/* The dotted name of the table keys go into (the [header], and the
	 * keys of the inline tables being read), as messages name a key. */
	char path[256];
	size_t path_len;
	bool path_cut;
};

static int fail(struct tp *t, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct tp *t, const char *at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	unsigned col = 1;

	for (const char *q = t->line_start; q < at && q < t->e; q++)
		col++;
	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->d)
		cs_diag_put_file(t->d, "%s", t->name ? t->name : "");
	return cs_diag_set(t->d, EINVAL, t->line, col, "", "%s", msg);
}

/*
 * A character for a message: itself when printable ASCII, else "byte 0xNN"
 * (no backslash: the CLI escapes whole messages once, escape.h).
 */
struct shown {
	char s[12];
};

static struct shown shown(char c)
{
	struct shown r;

	if (c > 0x20 && c < 0x7f)
		snprintf(r.s, sizeof(r.s), "'%c'", c);
	else
		snprintf(r.s, sizeof(r.s), "byte 0x%02x", (unsigned char)c);
	return r;
}

static bool eof(struct tp *t)
{
	return t->p >= t->e;
}

static bool at(struct tp *t, const char *s)
{
	size_t l = strlen(s);

	return (size_t)(t->e - t->p) >= l && memcmp(t->p, s, l) == 0;
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

static bool is_ctrl(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

/* A comment to the end of the line (the newline is left). */
static int comment(struct tp *t)
{
	if (eof(t) || *t->p != '#')
		return 0;
	for (t->p++; !eof(t) && *t->p != '\n'; t->p++)
		if (is_ctrl((unsigned char)*t->p) && *t->p != '\t')
			return fail(t, t->p, "control character in a comment");
	return 0;
}

/* After a statement: spaces, a comment, then a newline or the end. */
static int eol(struct tp *t)
{
	int r;

	ws(t);
	if ((r = comment(t)) < 0)
		return r;
	if (eof(t))
		return 0;
	if (*t->p != '\n')
		return fail(t, t->p, "expected the end of the line, found %s", shown(*t->p).s);
	t->p++;
	newline(t);
	return 0;
}

/* Spaces, newlines and comments (inside arrays). */
static int ws_nl(struct tp *t)
{
	int r;

	for (;;) {
		ws(t);
		if ((r = comment(t)) < 0)
			return r;
		if (eof(t) || *t->p != '\n')
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

	return sb_put(b, u, cs_utf8_encode(cp, u));
}

/* A backslash escape in a basic string; t->p is on the backslash. */
static int escape(struct tp *t, struct sbuf *b, bool multi)
{
	static const char map[] = "b\bt\tn\nf\fr\r\"\"\\\\";
	const char *bs = t->p;
	char e;

	t->p++;
	if (eof(t))
		return fail(t, bs, "unterminated escape");
	e = *t->p;
	if (multi && (e == ' ' || e == '\t' || e == '\n')) {
		/* line-ending backslash: only spaces may follow it on its line */
		ws(t);
		if (!eof(t) && *t->p != '\n')
			return fail(t, t->p,
				    "a backslash that ends a line must be followed by the newline");
		while (!eof(t) && (*t->p == ' ' || *t->p == '\t' || *t->p == '\n')) {
			t->p++;
			if (t->p[-1] == '\n')
				newline(t);
		}
		return 0;
	}
	t->p++;
	for (const char *k = map; *k; k += 2)
		if (*k == e)
			return sb_put(b, k + 1, 1);
	if (e == 'u' || e == 'U') {
		int nd = e == 'u' ? 4 : 8;
		uint32_t cp = 0;

		for (int i = 0; i < nd; i++) {
			int v = eof(t) ? -1 : cs_hex_digit(*t->p);

			if (v < 0)
				return fail(t, t->p, "the %c escape needs %d hex digits", e, nd);
			cp = cp * 16 + (uint32_t)v;
			t->p++;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(t, bs, "the %c escape is not a Unicode scalar value", e);
		if (cp == 0) /* strings here are C strings */
			return fail(t, bs, "a NUL character (U+0000) is not supported in strings");
		return utf8_put(b, cp);
	}
	/* Fourteenth pass: TOML 1.1 adds \e and \xHH, and CRI-O 1.36's decoder
	 * (BurntSushi/toml 1.6) reads them; this reader is TOML 1.0 (its
	 * oracle is Python's tomllib), so say so rather than call them unknown. */
	/* in words, as below: a message's backslash is printed doubled (every
	 * message is escaped), and "\\u00XX" would then ask for two */
	if (e == 'e' || e == 'x')
		return fail(t, bs,
			    "backslash then '%c' is a TOML 1.1 escape (CRI-O 1.36 reads it); "
			    "capscope reads TOML 1.0: after the backslash write %s instead",
			    e, e == 'e' ? "'u001B'" : "'u00' and the same two hex digits");
	return fail(t, bs, "unknown escape: backslash then %s", shown(e).s);
}

/* A string of any of the four forms; t->p is on the opening quote. */
static int string(struct tp *t, const char **out, size_t *outlen)
{
	cs_cleanup_free char *freeme = NULL;
	struct sbuf b = {0};
	const char q = *t->p, *start = t->p;
	const bool multi = at(t, q == '"' ? "\"\"\"" : "'''");
	int r;

	t->p += multi ? 3 : 1;
	if (multi && !eof(t) && *t->p == '\n') { /* trimmed */
		t->p++;
		newline(t);
	}
	if ((r = sb_put(&b, "", 0)) < 0)
		return r;
	freeme = b.s;
	for (;;) {
		char ch;

		if (eof(t))
			return fail(t, start, "unterminated string");
		ch = *t->p;
		if (ch == q) {
			if (!multi) {
				t->p++;
				break;
			}
			if (at(t, q == '"' ? "\"\"\"" : "'''")) {
				t->p += 3;
				/* up to two more quotes belong to the content */
				for (int extra = 0; extra < 2 && !eof(t) && *t->p == q; extra++) {
					if ((r = sb_put(&b, &q, 1)) < 0)
						return r;
					freeme = b.s;
					t->p++;
				}
				break;
			}
		} else if (ch == '\n') {
			if (!multi)
				return fail(t, t->p, "newline in a single-line string");
			if ((r = sb_put(&b, "\n", 1)) < 0)
				return r;
			freeme = b.s;
			t->p++;
			newline(t);
			continue;
		} else if (is_ctrl((unsigned char)ch) && ch != '\t') {
			return fail(t, t->p, "control character in a string");
		} else if (ch == '\\' && q == '"') {
			r = escape(t, &b, multi);
			freeme = b.s;
			if (r < 0)
				return r;
			continue;
		}
		if ((r = sb_put(&b, &ch, 1)) < 0)
			return r;
		freeme = b.s;
		t->p++;
	}
	if (!(*out = cs_arena_strndup(t->a, b.s, b.n)))
		return -ENOMEM;
	if (outlen)
		*outlen = b.n;
	return 0;
}

static bool bare_ch(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/*
 * A quoted key part go-toml v1 (containerd 1.x) reads otherwise: in a
 * [header] (its raw text split by parseKey) a "..." part's escapes stay
 * undecoded and a ']' ends the header; in a key = value the decoded part
 * is quoted again and split, so a '"' (or a trailing backslash) in it ends
 * the part early. Seen with containerd 1.6.20.
 */
static bool odd_for_go_toml_v1(const char *src, const char *end, const char *part, bool hdr)
{
	if (hdr)
		return (*src == '"' && memchr(src, '\\', (size_t)(end - src))) || strchr(part, ']');
	return strpbrk(part, "\"\\") != NULL;
}

/* part after the name at out[*len] (size bytes), ".part" (as "...",
 * quoted, when not bare); *cut once it does not fit. */
static void name_put(char *out, size_t size, size_t *len, bool *cut, const char *part)
{
	bool bare = *part != '\0';
	int n;

	if (*cut || *len >= size) {
		*cut = true;
		return;
	}
	for (const char *c = part; *c && bare; c++)
		bare = bare_ch(*c);
	n = snprintf(out + *len, size - *len, "%s%s%s%s", *len ? "." : "", bare ? "" : "\"", part,
		     bare ? "" : "\"");
	if (n < 0 || (size_t)n >= size - *len) {
		out[*len] = '\0';
		*cut = true;
		return;
	}
	*len += (size_t)n;
}

/*
 * A key's whole name, as TOML writes it: the table it is in, then its
 * parts up to upto ("crio.runtime.default_capabilities"), "..." after a
 * name too long for buf. Twenty-fifth pass, part A: a message named the
 * last part alone: `[crio.runtime]` twice was "table 'runtime' defined
 * twice", a key of it "key 'default_capabilities' defined twice".
 */
struct keyname {
	char s[200];
};

static struct keyname key_name(const struct tp *t, const char *const *k, size_t upto)
{
	struct keyname b;
	/* the parts go in the room left for "..." (twenty-sixth pass, part B:
	 * a table's name of 197 to 199 bytes was copied whole, past that room,
	 * and the first part was written at size - len wrapped round: a stack
	 * overflow, found by fuzz-toml; a longer one is cut at the room) */
	const size_t room = sizeof(b.s) - 3;
	size_t len = t->path_len < room ? t->path_len : room - 1;
	bool cut = t->path_cut || t->path_len >= room;

	memcpy(b.s, t->path, len);
	b.s[len] = '\0';
	for (size_t i = 0; i <= upto; i++)
		name_put(b.s, room, &len, &cut, k[i]);
	if (cut)
		strcpy(b.s + len, "...");
	return b;
}

/* A key: parts separated by dots, each bare or a one-line quoted string;
 * hdr: a table's name in [ ] or [[ ]]. */
static int key(struct tp *t, struct keypath *kp, bool hdr)
{
	int r;

	kp->n = 0;
	if (!kp->k) {
		kp->k = kp->inl;
		kp->cap = sizeof(kp->inl) / sizeof(kp->inl[0]);
	}
	for (;;) {
		const char *part, *pat;

		ws(t);
		pat = t->p;
		if (eof(t))
			return fail(t, t->p, "expected a key");
		if (*t->p == '"' || *t->p == '\'') {
			if (at(t, "\"\"\"") || at(t, "'''"))
				return fail(t, t->p, "a multi-line string cannot be a key");
			if ((r = string(t, &part, NULL)) < 0)
				return r;
			if (!t->odd_line && odd_for_go_toml_v1(pat, t->p, part, hdr)) {
				t->odd_line = t->line;
				t->odd_column = (unsigned)(pat - t->line_start) + 1;
			}
		} else {
			const char *s = t->p;

			while (!eof(t) && bare_ch(*t->p))
				t->p++;
			if (t->p == s)
				return fail(t, t->p, "unexpected %s where a key belongs",
					    shown(*t->p).s);
			if (!(part = cs_arena_strndup(t->a, s, (size_t)(t->p - s))))
				return -ENOMEM;
		}
		/* Each part is a table level: the tree was as deep as the key was
		 * long, and freeze (and every reader that walks it) recursed so
		 * deep; a 4 MB inline table `{a.a.a... = 1}` crashed explain pod
		 * on its stack (session 16). */
		if (kp->n == MAX_DEPTH)
			return fail(
			    t, pat,
			    "a key of more than %d dotted parts: capscope reads no deeper (no "
			    "setting of CRI-O's is so deep)",
			    MAX_DEPTH);
		if (kp->n == kp->cap) {
			size_t nc = kp->cap * 2;
			const char **v = kp->k == kp->inl ? malloc(nc * sizeof(*v))
							  : realloc(kp->k, nc * sizeof(*v));

			if (!v)
				return -ENOMEM;
			if (kp->k == kp->inl)
				memcpy(v, kp->inl, sizeof(kp->inl));
			kp->k = v;
			kp->cap = nc;
		}
		kp->k[kp->n++] = part;
		ws(t);
		if (eof(t) || *t->p != '.')
			return 0;
		t->p++;
	}
}

static struct cs_toml_value *node(struct tp *t, enum cs_toml_type type, const char *where)
{
	struct cs_toml_value *v = cs_arena_alloc(t->a, sizeof(*v));

	if (v) {
		v->type = type;
		v->line = t->line;
		v->column = (unsigned)(where - t->line_start) + 1;
	}
	return v;
}

/*
 * The keys of every table are found through one hash of (table, key) for
 * the document: a table's key looked up by comparing it with each key
 * before made a section of n keys cost n^2 string compares (200,000 keys,
 * some 2 MB of crio.conf, took five minutes).
 */
size_t cs_toml_key_probes;

static size_t slot_of(const struct tp *t, const struct cs_toml_value *tbl, const char *k)
{
	/* keyed by the table too: tables are aligned, the mix spreads them */
	uint64_t h = cs_hash_seeded((uintptr_t)tbl, k, strlen(k));

	for (size_t i = (size_t)h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		cs_toml_key_probes++;
		if (!t->slots[i].tbl ||
		    (t->slots[i].tbl == tbl && !strcmp(tbl->keys[t->slots[i].at], k)))
			return i;
	}
}

static struct cs_toml_value *child(const struct tp *t, const struct cs_toml_value *tbl,
				   const char *k)
{
	size_t i;

	if (!t->nslots)
		return NULL;
	i = slot_of(t, tbl, k);
	return t->slots[i].tbl ? tbl->items[t->slots[i].at] : NULL;
}

/* Enter tbl's key at (already in tbl->keys) in the index, grown to stay at
 * most two thirds full (some 5 probes a miss; half full, the index was a
 * quarter of the tree of a file of small tables). */
static int index_key(struct tp *t, const struct cs_toml_value *tbl, size_t at)
{
	if (3 * (t->nused + 1) > 2 * t->nslots) {
		struct slot *old = t->slots;
		size_t n = t->nslots;

		t->nslots = n ? 2 * n : 64;
		if (!(t->slots = calloc(t->nslots, sizeof(*t->slots)))) {
			t->slots = old;
			t->nslots = n;
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			if (old[i].tbl)
				t->slots[slot_of(t, old[i].tbl, old[i].tbl->keys[old[i].at])] =
				    old[i];
		free(old);
	}
	t->slots[slot_of(t, tbl, tbl->keys[at])] = (struct slot){tbl, at};
	t->nused++;
	return 0;
}

static int push(struct tp *t, struct cs_toml_value *c, const char *k, struct cs_toml_value *v)
{
	if (c->n == c->internal_cap_) {
		/* from 2: most tables of a crio.conf hold a few keys */
		size_t nc = c->internal_cap_ ? (size_t)c->internal_cap_ * 2 : 2;

		if (nc > UINT32_MAX)
			return -ENOMEM; /* not reached: no file read is so large */
		struct cs_toml_value **nv = cs_arena_grow(t->a, c->items, c->n, nc, sizeof(*nv));
		const char **nk = c->type == CS_TOML_TABLE
				      ? cs_arena_grow(t->a, c->keys, c->n, nc, sizeof(*nk))
				      : NULL;

		if (!nv || (c->type == CS_TOML_TABLE && !nk))
			return -ENOMEM;
		c->items = nv;
		c->keys = nk;
		c->internal_cap_ = (uint32_t)nc;
	}
	c->items[c->n] = v;
	if (c->type == CS_TOML_TABLE) {
		c->keys[c->n] = k;
		if (index_key(t, c, c->n) < 0)
			return -ENOMEM;
	}
	c->n++;
	return 0;
}

static void freeze(struct cs_toml_value *v)
{
	v->internal_flags_ |= F_FROZEN;
	if (v->type == CS_TOML_ARRAY || v->type == CS_TOML_TABLE)
		for (size_t i = 0; i < v->n; i++)
			freeze(v->items[i]);
}

static int value(struct tp *t, struct cs_toml_value **out, int depth);

/*
 * key = value into table base. top: a statement of the document (not
 * inside an inline table), whose dotted keys make tables that count as
 * declared once the section ends.
 */
static int keyval(struct tp *t, struct cs_toml_value *base, bool top, int depth)
{
	cs_cleanup_keypath struct keypath kp = {0};
	struct cs_toml_value *tbl = base, *v;
	const char *kat = t->p;
	int r;

	const size_t path_len = t->path_len;
	const bool path_cut = t->path_cut;

	if ((r = key(t, &kp, false)) < 0)
		return r;
	if (eof(t) || *t->p != '=')
		return fail(t, t->p, "expected '=' after a key");
	t->p++;
	ws(t);
	/* the key's parts are levels of the tree, as the value's nesting is:
	 * inline tables of dotted keys nest no deeper than MAX_DEPTH in all;
	 * an inline table's keys are named after this key */
	for (size_t i = 0; i < kp.n; i++)
		name_put(t->path, sizeof(t->path), &t->path_len, &t->path_cut, kp.k[i]);
	r = value(t, &v, depth + (int)kp.n);
	t->path_len = path_len;
	t->path[path_len] = '\0';
	t->path_cut = path_cut;
	if (r < 0)
		return r;
	for (size_t i = 0; i + 1 < kp.n; i++) {
		struct cs_toml_value *c = child(t, tbl, kp.k[i]);

		if (!c) {
			if (!(c = node(t, CS_TOML_TABLE, kat)) || push(t, tbl, kp.k[i], c) < 0)
				return -ENOMEM;
		} else if (c->internal_flags_ & F_EXPLICIT) {
			return fail(
			    t, kat,
			    "'%s' is a table declared elsewhere: dotted keys cannot add to it",
			    key_name(t, kp.k, i).s);
		} else if (c->internal_flags_ & F_FROZEN) {
			return fail(t, kat, "'%s' is an inline value: it cannot be extended",
				    key_name(t, kp.k, i).s);
		} else if (c->type != CS_TOML_TABLE) {
			return fail(t, kat, "'%s' is already a value, not a table",
				    key_name(t, kp.k, i).s);
		}
		/* each table once: `a.b.c.kN = 1` on 20,000 lines held a.b.c
		 * 20,000 times (some 30 MB of a 4 MB file's 86, session 16) */
		if (top && !(c->internal_flags_ & F_PENDING)) {
			c->internal_flags_ |= F_PENDING;
			if (t->npending == t->cappending) {
				size_t nc = t->cappending ? t->cappending * 2 : 16;
				struct cs_toml_value **np =
				    cs_arena_grow(t->a, t->pending, t->npending, nc, sizeof(*np));

				if (!np)
					return -ENOMEM;
				t->pending = np;
				t->cappending = nc;
			}
			t->pending[t->npending++] = c;
		}
		tbl = c;
	}
	if (child(t, tbl, kp.k[kp.n - 1]))
		return fail(t, kat, "key '%s' defined twice", key_name(t, kp.k, kp.n - 1).s);
	if (v->type == CS_TOML_ARRAY || v->type == CS_TOML_TABLE)
		freeze(v);
	return push(t, tbl, kp.k[kp.n - 1], v);
}

static int array(struct tp *t, struct cs_toml_value *v, int depth)
{
	int r;

	t->p++;
	for (;;) {
		struct cs_toml_value *it;

		if ((r = ws_nl(t)) < 0)
			return r;
		if (eof(t))
			return fail(t, t->p, "unterminated array");
		if (*t->p == ']') {
			t->p++;
			return 0;
		}
		if ((r = value(t, &it, depth + 1)) < 0 || (r = push(t, v, NULL, it)) < 0)
			return r;
		if ((r = ws_nl(t)) < 0)
			return r;
		if (eof(t))
			return fail(t, t->p, "unterminated array");
		if (*t->p == ']') {
			t->p++;
			return 0;
		}
		if (*t->p != ',')
			return fail(t, t->p, "expected ',' or ']' in an array");
		t->p++;
	}
}

/* TOML 1.1 lets an inline table span lines; 1.0 does not (see escape()) */
static int inline_newline(struct tp *t)
{
	return fail(t, t->p,
		    "a newline or comment in an inline table is TOML 1.1 (CRI-O 1.36 reads "
		    "it); capscope reads TOML 1.0: keep the table on one line");
}

static int inline_table(struct tp *t, struct cs_toml_value *v, int depth)
{
	int r;

	t->p++;
	ws(t);
	if (!eof(t) && *t->p == '}') {
		t->p++;
		return 0;
	}
	for (;;) {
		if (!eof(t) && (*t->p == '\n' || *t->p == '#'))
			return inline_newline(t);
		if ((r = keyval(t, v, false, depth)) < 0)
			return r;
		ws(t);
		if (eof(t))
			return fail(t, t->p, "unterminated inline table");
		if (*t->p == '}') {
			t->p++;
			return 0;
		}
		if (*t->p == '\n' || *t->p == '#')
			return inline_newline(t);
		if (*t->p != ',')
			return fail(t, t->p, "expected ',' or '}' in an inline table");
		t->p++;
		ws(t);
		if (!eof(t) && *t->p == '}')
			return fail(t, t->p,
				    "a ',' before '}' in an inline table is TOML 1.1 (CRI-O 1.36 "
				    "reads it); capscope reads TOML 1.0: drop the ','");
	}
}

/* n decimal digits at s into *out; false if any is not a digit. */
static bool digits(const char *s, const char *e, int n, int *out)
{
	int v = 0;

	if (e - s < n)
		return false;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* HH:MM:SS[.frac] at s; returns its length or 0. */
static size_t time_at(const char *s, const char *e, int *h, int *m, int *sec, int *us)
{
	const char *q = s + 8;

	if (!digits(s, e, 2, h) || e - s < 8 || s[2] != ':' || !digits(s + 3, e, 2, m) ||
	    s[5] != ':' || !digits(s + 6, e, 2, sec) || *h > 23 || *m > 59 || *sec > 59)
		return 0;
	*us = 0;
	if (q < e && *q == '.' && q + 1 < e && q[1] >= '0' && q[1] <= '9') {
		int nd = 0;

		for (q++; q < e && *q >= '0' && *q <= '9'; q++, nd++)
			if (nd < 6)
				*us = *us * 10 + (*q - '0');
		for (; nd < 6; nd++)
			*us *= 10;
	}
	return (size_t)(q - s);
}

/* HH:MM without :SS at s: a TOML 1.1 time (see escape()), refused by name */
static bool hhmm_only(const char *s, const char *e)
{
	int h, m;

	return digits(s, e, 2, &h) && e - s >= 5 && s[2] == ':' && digits(s + 3, e, 2, &m) &&
	       (e - s == 5 || s[5] != ':');
}

static int no_seconds(struct tp *t, const char *at)
{
	return fail(t, at,
		    "a time without seconds is TOML 1.1 (CRI-O 1.36 reads it); capscope reads "
		    "TOML 1.0: write HH:MM:SS");
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* A date, a time or both; 1 when one was read, 0 when none starts here. */
static int datetime(struct tp *t, struct cs_toml_value *v)
{
	const char *s = t->p, *e = t->e;
	int y, mo, d, h, mi, sec, us, oh = 0, om = 0;
	char sign = 0, buf[64], frac[8] = "";
	size_t tl;

	if (digits(s, e, 4, &y) && e - s >= 10 && s[4] == '-' && digits(s + 5, e, 2, &mo) &&
	    s[7] == '-' && digits(s + 8, e, 2, &d) && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
		const char *q = s + 10;

		if (y < 1 || d > days_in(y, mo))
			return fail(t, s, "no such date");
		v->type = CS_TOML_DATETIME;
		if (q < e && (*q == 'T' || *q == 't' || *q == ' ') && hhmm_only(q + 1, e))
			return no_seconds(t, q + 1);
		if (q < e && (*q == 'T' || *q == 't' || *q == ' ') &&
		    (tl = time_at(q + 1, e, &h, &mi, &sec, &us))) {
			q += 1 + tl;
			v->i = CS_TOML_LOCAL_DATETIME;
			if (q < e && (*q == 'Z' || *q == 'z')) {
				q++;
				sign = '+';
				v->i = CS_TOML_OFFSET_DATETIME;
			} else if (q < e && (*q == '+' || *q == '-') && digits(q + 1, e, 2, &oh) &&
				   e - q >= 6 && q[3] == ':' && digits(q + 4, e, 2, &om) &&
				   oh <= 23 && om <= 59) {
				sign = oh || om ? *q : '+';
				q += 6;
				v->i = CS_TOML_OFFSET_DATETIME;
			}
			if (us)
				snprintf(frac, sizeof(frac), ".%06d", us);
			if (sign)
				snprintf(buf, sizeof(buf),
					 "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d", y, mo, d, h,
					 mi, sec, frac, sign, oh, om);
			else
				snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo,
					 d, h, mi, sec, frac);
		} else {
			v->i = CS_TOML_LOCAL_DATE;
			snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, mo, d);
		}
		t->p = q;
	} else if ((tl = time_at(s, e, &h, &mi, &sec, &us))) {
		v->type = CS_TOML_DATETIME;
		v->i = CS_TOML_LOCAL_TIME;
		if (us)
			snprintf(frac, sizeof(frac), ".%06d", us);
		snprintf(buf, sizeof(buf), "%02d:%02d:%02d%s", h, mi, sec, frac);
		t->p = s + tl;
	} else if (hhmm_only(s, e)) {
		return no_seconds(t, s);
	} else {
		return 0;
	}
	if (!(v->s = cs_arena_strndup(t->a, buf, strlen(buf))))
		return -ENOMEM;
	return 1;
}

/* digit (_? digit)* in the given base at q; returns the end, or q when none. */
static const char *run(const char *q, const char *e, int base)
{
	const char *s = q;

	if (q >= e || cs_hex_digit(*q) < 0 || cs_hex_digit(*q) >= base)
		return s;
	for (q++; q < e; q++) {
		if (*q == '_' && q + 1 < e && cs_hex_digit(q[1]) >= 0 && cs_hex_digit(q[1]) < base)
			q++;
		else if (cs_hex_digit(*q) < 0 || cs_hex_digit(*q) >= base)
			break;
	}
	return q;
}

/* An integer or float; 1 when one was read, 0 when none starts here. */
static int number(struct tp *t, struct cs_toml_value *v)
{
	const char *s = t->p, *e = t->e, *q = s, *end;
	char buf[128];
	size_t k = 0;
	int base = 10;
	bool isfloat = false;

	if (e - s >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		end = run(s + 2, e, base);
		if (end == s + 2)
			base = 10; /* "0x" with no digit: the 0 alone, then junk */
		else
			q = s + 2;
	}
	if (base == 10) {
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q < e && *q == '0')
			end = q + 1;
		else if (q < e && *q >= '1' && *q <= '9')
			end = run(q, e, 10);
		else
			return 0;
		if (end < e && *end == '.' && run(end + 1, e, 10) != end + 1) {
			end = run(end + 1, e, 10);
			isfloat = true;
		}
		if (end < e && (*end == 'e' || *end == 'E')) {
			const char *x = end + 1;

			if (x < e && (*x == '+' || *x == '-'))
				x++;
			if (run(x, e, 10) != x) {
				end = run(x, e, 10);
				isfloat = true;
			}
		}
		q = s;
	}
	for (; q < end; q++) {
		if (*q == '_')
			continue;
		if (k + 1 >= sizeof(buf))
			return fail(t, s, "number too long");
		buf[k++] = *q;
	}
	buf[k] = '\0';
	errno = 0;
	if (isfloat) {
		v->type = CS_TOML_FLOAT;
		v->f = strtod(buf, NULL);
		/* Python reads inf; CRI-O's reader (BurntSushi/toml, strconv's
		 * ErrRange) refuses the file, and CRI-O does not start. An
		 * underflow is 0 to both. */
		if (errno == ERANGE && isinf(v->f))
			return fail(t, s,
				    "a float beyond the 64-bit range: CRI-O's TOML reader refuses "
				    "it (write inf if that is meant)");
	} else if (base == 10) {
		v->type = CS_TOML_INT;
		v->i = strtoll(buf, NULL, 10);
		if (errno == ERANGE)
			return fail(t, s, "integer out of the 64-bit range");
	} else {
		unsigned long long u = strtoull(buf, NULL, base);

		if (errno == ERANGE || u > INT64_MAX)
			return fail(t, s, "integer out of the 64-bit range");
		v->type = CS_TOML_INT;
		v->i = (int64_t)u;
	}
	t->p = end;
	return 1;
}

static int special_float(struct tp *t, struct cs_toml_value *v)
{
	const char *s = t->p;
	bool neg = false;

	if (at(t, "+") || at(t, "-")) {
		neg = *s == '-';
		t->p++;
	}
	if (at(t, "inf") || at(t, "nan")) {
		v->type = CS_TOML_FLOAT;
		v->f = *t->p == 'i' ? (neg ? -INFINITY : INFINITY) : NAN;
		t->p += 3;
		return 1;
	}
	t->p = s;
	return 0;
}

static int value(struct tp *t, struct cs_toml_value **out, int depth)
{
	struct cs_toml_value *v;
	int r;

	if (depth > MAX_DEPTH)
		return fail(t, t->p, "values nested more than %d deep", MAX_DEPTH);
	if (eof(t) || *t->p == '\n')
		return fail(t, t->p, "expected a value");
	if (!(v = node(t, CS_TOML_STRING, t->p)))
		return -ENOMEM;
	*out = v;
	switch (*t->p) {
	case '"':
	case '\'': {
		size_t len;

		return string(t, &v->s, &len);
	}
	case '[':
		v->type = CS_TOML_ARRAY;
		return array(t, v, depth);
	case '{':
		v->type = CS_TOML_TABLE;
		return inline_table(t, v, depth);
	}
	if (at(t, "true") || at(t, "false")) {
		v->type = CS_TOML_BOOL;
		v->b = *t->p == 't';
		t->p += v->b ? 4 : 5;
		return 0;
	}
	if ((r = datetime(t, v)) != 0 || (r = number(t, v)) != 0 || (r = special_float(t, v)) != 0)
		return r < 0 ? r : 0;
	return fail(t, t->p, "%s does not start a value (strings need quotes)", shown(*t->p).s);
}

/* [name] or [[name]]; t->p is on the first '['. */
static int header(struct tp *t)
{
	const char *hat = t->p;
	const bool aot = at(t, "[[");
	cs_cleanup_keypath struct keypath kp = {0};
	struct cs_toml_value *tbl = t->root, *c;
	int r;

	/* tables made by dotted keys count as declared from now on */
	for (size_t i = 0; i < t->npending; i++)
		t->pending[i]->internal_flags_ |= F_EXPLICIT;
	t->npending = 0;
	t->p += aot ? 2 : 1;
	t->path_len = 0; /* a header names its table from the top */
	t->path[0] = '\0';
	t->path_cut = false;
	if ((r = key(t, &kp, true)) < 0)
		return r;
	if (!at(t, aot ? "]]" : "]"))
		return fail(t, t->p, "expected '%s' after a table name", aot ? "]]" : "]");
	t->p += aot ? 2 : 1;
	for (size_t i = 0; i < kp.n; i++) {
		const bool last = i + 1 == kp.n;

		c = child(t, tbl, kp.k[i]);
		if (!c) {
			if (!(c = node(t, last && aot ? CS_TOML_ARRAY : CS_TOML_TABLE, hat)) ||
			    push(t, tbl, kp.k[i], c) < 0)
				return -ENOMEM;
			if (last && aot)
				c->internal_flags_ |= F_AOT;
		} else if (c->internal_flags_ & F_FROZEN) {
			return fail(t, hat, "'%s' is an inline value: it cannot be extended",
				    key_name(t, kp.k, i).s);
		} else if (last && !aot && (c->internal_flags_ & F_EXPLICIT)) {
			return fail(t, hat, "table '%s' defined twice", key_name(t, kp.k, i).s);
		} else if (last && aot && !(c->internal_flags_ & F_AOT)) {
			return fail(t, hat, "'%s' is not an array of tables",
				    key_name(t, kp.k, i).s);
		} else if (!last && c->type == CS_TOML_ARRAY && (c->internal_flags_ & F_AOT)) {
			c = c->items[c->n - 1]; /* [a.b] after [[a]]: the last a */
		} else if (c->type != CS_TOML_TABLE && !(last && aot)) {
			return fail(t, hat, "'%s' is already a value, not a table",
				    key_name(t, kp.k, i).s);
		}
		tbl = c;
	}
	for (size_t i = 0; i < kp.n; i++)
		name_put(t->path, sizeof(t->path), &t->path_len, &t->path_cut, kp.k[i]);
	tbl->internal_flags_ |= F_EXPLICIT;
	if (aot) {
		struct cs_toml_value *el = node(t, CS_TOML_TABLE, hat);

		if (!el || push(t, tbl, NULL, el) < 0)
			return -ENOMEM;
		tbl = el;
	}
	tbl->line = t->line;
	tbl->column = (unsigned)(hat - t->line_start) + 1;
	t->cur = tbl;
	return 0;
}

/* UTF-8 as Python's decoder takes it: no overlongs, surrogates or > U+10FFFF. */
static const char *bad_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0, n; i < len; i += n)
		if (!(n = cs_utf8_seq_len(s + i, len - i)))
			return (const char *)s + i;
	return NULL;
}

static int parse(struct tp *t)
{
	int r;

	for (;;) {
		ws(t);
		if (eof(t))
			return 0;
		if (*t->p == '\n') {
			t->p++;
			newline(t);
			continue;
		}
		if (*t->p == '[')
			r = header(t);
		else if (*t->p == '#')
			r = 0;
		else if (bare_ch(*t->p) || *t->p == '"' || *t->p == '\'')
			r = keyval(t, t->cur, true, 0);
		else
			r = fail(t, t->p, "unexpected %s: expected a key, a [table] or a comment",
				 shown(*t->p).s);
		if (r < 0 || (r = eol(t)) < 0)
			return r;
	}
}

/*
 * CRI-O's TOML reader (BurntSushi/toml `parse`, since 1.3.0, commit
 * 1a6ca6e; CRI-O's go.mod has 1.4.0 and later) drops a UTF-8 byte order
 * mark at the file's start, or the two bytes of a UTF-16 one, before it
 * reads anything: CRI-O starts with such a crio.conf, so it is read as
 * CRI-O reads it (refused before, session 16 part B's open find). Only
 * at the start, once: a mark anywhere else is U+FEFF, which the grammar
 * refuses outside strings and comments, as BurntSushi's lexer does. What
 * follows a UTF-16 mark is then read as UTF-8, as BurntSushi does; UTF-16
 * text itself holds a NUL and is refused below, as it refuses it.
 */
static void skip_marks(const char **buf, size_t *len)
{
	size_t k = 0;

	if (*len >= 2 && (!memcmp(*buf, "\xff\xfe", 2) || !memcmp(*buf, "\xfe\xff", 2)))
		k = 2;
	else if (*len >= 3 && !memcmp(*buf, "\xef\xbb\xbf", 3))
		k = 3;
	*buf += k;
	*len -= k;
}

int cs_toml_load(const char *buf, size_t len, const char *name, struct cs_toml_doc **out,
		 struct cs_diag *d)
{
	cs_cleanup_free char *text = malloc(len + 1);
	cs_cleanup_free struct cs_toml_doc *doc = calloc(1, sizeof(*doc));
	struct tp t = {.line = 1, .name = name, .d = d};
	const char *bad;
	size_t n = 0;
	int r;

	*out = NULL;
	cs_toml_key_probes = 0;
	if (!text || !doc || !(doc->a = cs_arena_new()))
		return -ENOMEM;
	skip_marks(&buf, &len);
	/* CRLF is a newline; a lone CR is a control character like any other */
	for (size_t i = 0; i < len; i++)
		if (!(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n'))
			text[n++] = buf[i];
	text[n] = '\0';
	t.a = doc->a;
	t.b = t.p = t.line_start = text;
	t.e = text + n;
	r = -ENOMEM;
	if (!(doc->root = t.root = t.cur = node(&t, CS_TOML_TABLE, text)))
		goto out;
	if ((bad = bad_utf8((const unsigned char *)text, n)) || (bad = memchr(text, '\0', n))) {
		for (const char *q = text; q < bad; q++)
			if (*q == '\n')
				t.line++, t.line_start = q + 1;
		r = fail(&t, bad, *bad ? "not UTF-8" : "NUL byte in the file");
		goto out;
	}
	if ((r = parse(&t)) < 0)
		goto out;
	doc->odd_line = t.odd_line;
	doc->odd_column = t.odd_column;
	free(t.slots);
	*out = cs_steal_ptr(doc);
	return 0;
out:
	free(t.slots);
	cs_arena_free(doc->a);
	return r;
}

void cs_toml_free(struct cs_toml_doc *doc)
{
	if (doc) {
		cs_arena_free(doc->a);
		free(doc);
	}
}

const struct cs_toml_value *cs_toml_root(const struct cs_toml_doc *doc)
{
	return doc ? doc->root : NULL;
}

unsigned cs_toml_odd_key(const struct cs_toml_doc *doc, unsigned *column)
{
	*column = doc ? doc->odd_column : 0;
	return doc ? doc->odd_line : 0;
}

const struct cs_toml_value *cs_toml_get(const struct cs_toml_value *table, const char *key)
{
	for (size_t i = 0; table && table->type == CS_TOML_TABLE && i < table->n; i++)
		if (!strcmp(table->keys[i], key))
			return table->items[i];
	return NULL;
}

const char *cs_toml_type_name(enum cs_toml_type type)
{
	switch (type) {
	case CS_TOML_STRING:
		return "a string";
	case CS_TOML_INT:
		return "an integer";
	case CS_TOML_FLOAT:
		return "a float";
	case CS_TOML_BOOL:
		return "a boolean";
	case CS_TOML_DATETIME:
		return "a date or time";
	case CS_TOML_ARRAY:
		return "an array";
	case CS_TOML_TABLE:
		break;
	}
	return "a table";
}

static void json_str(const char *s, FILE *f)
{
	fputc('"', f);
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if (*q == '"' || *q == '\\')
			fprintf(f, "\\%c", *q);
		else if (*q < 0x20 || *q == 0x7f)
			fprintf(f, "\\u%04x", *q);
		else
			fputc(*q, f);
	}
	fputc('"', f);
}

int cs_toml_dump_json(const struct cs_toml_value *v, FILE *f)
{
	char buf[64];

	switch (v->type) {
	case CS_TOML_STRING:
		json_str(v->s, f);
		break;
	case CS_TOML_INT:
		fprintf(f, "%" PRId64, v->i);
		break;
	case CS_TOML_FLOAT:
		if (isnan(v->f))
			snprintf(buf, sizeof(buf), "nan");
		else
			snprintf(buf, sizeof(buf), "%.17g", v->f);
		fprintf(f, "{\"$f\":\"%s\"}", buf);
		break;
	case CS_TOML_BOOL:
		fputs(v->b ? "true" : "false", f);
		break;
	case CS_TOML_DATETIME:
		fprintf(f, "{\"$dt\":\"%s\"}", v->s);
		break;
	case CS_TOML_ARRAY:
	case CS_TOML_TABLE:
		fputc(v->type == CS_TOML_ARRAY ? '[' : '{', f);
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				fputc(',', f);
			if (v->type == CS_TOML_TABLE) {
				json_str(v->keys[i], f);
				fputc(':', f);
			}
			cs_toml_dump_json(v->items[i], f);
		}
		fputc(v->type == CS_TOML_ARRAY ? ']' : '}', f);
		break;
	}
	return ferror(f) ? -EIO : 0;
}
