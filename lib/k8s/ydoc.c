/* SPDX-License-Identifier: MIT */
/*
 * YAML documents from libfyaml's event stream into ydoc trees (ydoc.h).
 * Each event is freed as soon as it is read, so libfyaml's tokens go with
 * it; what stays is a node of 32 bytes, its text (a pointer into the input
 * where libfyaml hands one out, a copy otherwise) and its children.
 *
 * The checks that libfyaml 0.7.12's document builder made on top of the
 * parser are made here the same way, with the same words and places: a
 * duplicate key (compared as fy_node_compare does), a collection nested 64
 * deep, aliases resolved as fy_document_lookup_anchor_by_token resolves
 * them.
 */
#include "fyaml-text.h"
#include "internal/cleanup.h"
#include "internal/json-check.h"
#include "internal/util.h"
#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <libfyaml.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ydoc-held.h"
#include "ydoc-scalar.h"
#include "ydoc-json.h"
#include "ydoc-keys.h"
#include "ydoc-stream.h"
#include "ydoc-tabs.h"
#include "ydoc-words.h"

/* libfyaml's document builder refuses a collection at this depth. */
#define MAX_DEPTH FYPCF_GUARANTEED_MINIMUM_DEPTH_LIMIT

struct frame {
	struct ydoc_node *node;
	size_t base;	       /* where its children start on the pending stack */
	size_t anchor;	       /* its anchor's index in anchors, or SIZE_MAX */
	struct ydoc_keys keys; /* a mapping's keys so far, for duplicates */
};

struct anchor {
	const char *name;
	uint32_t len;
	size_t pos, order; /* input offset of the anchor; how many came before */
	size_t end;	   /* input offset where its collection ends (pos: a scalar) */
	struct ydoc_node *node;
};

struct alias_ref {
	struct ydoc_node *node;
	size_t pos; /* input offset of the alias */
};

struct reader {
	struct fy_parser *fyp;
	const char *text; /* what libfyaml reads (with the prefix) */
	size_t text_len;
	unsigned shift;	   /* columns of line 1 that the prefix takes */
	bool go_yaml_keys; /* refuse the simple keys go-yaml refuses (not the oracle) */
	/* the first collection read as a key, refused at its document's end
	 * (so that a syntax error after it is libfyaml's to say): its place,
	 * mapping or sequence */
	bool ck_pending;
	unsigned ck_line, ck_column;
	bool ck_map;
	const char *name;
	struct cs_diag *d;
	struct cs_arena *arena; /* the current document's tree */
	struct ydoc_node *root;
	size_t n_nodes;		    /* in the current document's tree */
	struct ydoc_node **pending; /* completed children of open collections */
	size_t n_pending, cap_pending;
	struct frame *frames; /* open collections */
	size_t n_frames, cap_frames;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	struct alias_ref *aliases;
	size_t n_aliases, cap_aliases;
	struct ydoc_held held;	/* the text as fed to libfyaml */
	bool ended;		/* the last document ended with "..." */
	size_t dq_line, dq_off; /* double_quoted_check's cursor: a line's start */
};

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t nc;
	void *p;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if (nc < need)
		nc = need;
	if (nc > SIZE_MAX / elem)
		return -ENOMEM;
	if (!(p = realloc(*v, nc * elem)))
		return -ENOMEM;
	*v = p;
	*cap = nc;
	return 0;
}

#define GROW(r, field, need)                                                                       \
	grow((void **)&(r)->field, &(r)->cap_##field, (need), sizeof(*(r)->field))

/* ---- errors, as the reader reported libfyaml's ---- */

/* A 1-based libfyaml column as the user's text counts it (see DOC_PREFIX). */
static unsigned user_column(const struct reader *r, unsigned line, unsigned col)
{
	return line == 1 && col > r->shift ? col - r->shift : col;
}

static void set_file(const struct reader *r)
{
	if (r->d)
		cs_diag_put_file(r->d, "%s", r->name ? r->name : "");
}

/* libfyaml recorded no error, or one without a place: the reader's words. */
static int syntax_error(const struct reader *r)
{
	set_file(r);
	return cs_diag_set(r->d, EINVAL, 0, 0, "", "YAML: syntax error");
}

/*
 * An error at a node (a duplicate key, the depth limit, a merge key), at
 * the node's own place: n->column is 1-based already (set_mark). It used
 * to add one more, as libfyaml's document builder had, so every such error
 * pointed one column right of its key ("kind" in column 1 reported at 2).
 */
static int node_error(const struct reader *r, const struct ydoc_node *n, const char *msg)
{
	if (!n->line)
		return syntax_error(r);
	set_file(r);
	return cs_diag_set(r->d, EINVAL, n->line, n->column, "", "YAML: %s", msg);
}

/*
 * A key given twice, named when it is text: "duplicate key" alone left the
 * reader to find which (twenty-fifth pass, part A); go-yaml, which
 * Kubernetes reads with, says `key "x" already set in map`. Cut at 64
 * bytes on a character.
 */
static int duplicate_key(const struct reader *r, const struct ydoc_node *n)
{
	char msg[128];

	if (n->kind != YDOC_SCALAR)
		return node_error(r, n, "duplicate key");
	cs_format_cut(msg, sizeof(msg), "duplicate key '%.*s%s'", CS_MSG_CUT(n->u.text, n->n, 64));
	return node_error(r, n, msg);
}

/*
 * An error at a place of the text (libfyaml's 0-based line and column, the
 * column as the user's text counts it on line 1: see DOC_PREFIX), as the
 * checks made on tokens report them.
 */
__attribute__((format(printf, 4, 5))) static int place_error(const struct reader *r, size_t line0,
							     size_t col0, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	unsigned line = (unsigned)line0 + 1;

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_file(r);
	return cs_diag_set(r->d, EINVAL, line, user_column(r, line, (unsigned)col0 + 1), "",
			   "YAML: %s", msg);
}

static unsigned indicator_before(struct fy_token *t);

/* The first error libfyaml's parser collected, in capscope's words
 * (ydoc-words.c); its line and column are 1-based. */
static int parser_error(const struct reader *r, struct fy_diag *fd)
{
	void *it = NULL;
	struct fy_diag_error *e = fy_diag_errors_iterate(fd, &it);

	/* Some of libfyaml's refusals record nothing (its fyp_error_check:
	 * a block scalar's indentation indicator 0, `a: |0`): "YAML: syntax
	 * error" named no line (twenty-eighth pass, part A). The place is
	 * where the last thing it read ends; the refusal is in what follows. */
	if (!e && r->held.done) {
		unsigned line = (unsigned)r->held.line + 1;

		set_file(r);
		return cs_diag_set(r->d, EINVAL, line,
				   user_column(r, line, (unsigned)r->held.col + 1), "",
				   "YAML: the YAML reader (libfyaml) refuses the text after here "
				   "without a reason (a block scalar's indentation indicator 0 is "
				   "one such text: Kubernetes refuses it too)");
	}
	if (!e)
		return syntax_error(r);
	set_file(r);
	unsigned line = e->line > 0 ? (unsigned)e->line : 1;
	unsigned col = e->column > 0 ? (unsigned)e->column : 0;
	const struct fy_mark *m = e->fyt ? fy_token_start_mark(e->fyt) : NULL;
	char said[256];

	/* An error at a token is at libfyaml's mark of it: a quoted scalar,
	 * an alias or an anchor one past its quote or indicator, as set_mark
	 * says; named where the user sees it (`metadata: !!map *y`). */
	if (m && col > 1 && (unsigned)m->line + 1 == line && (unsigned)m->column + 1 == col)
		col -= indicator_before(e->fyt);
	return cs_diag_set(r->d, EINVAL, line, col ? user_column(r, line, col) : 0, "", "YAML: %s",
			   ydoc_fyaml_words(e->msg, said, sizeof(said)));
}

/*
 * Kubernetes reads manifests with go-yaml, which merges a `<<` key's mapping
 * into its own. The reader does not: `<<: *privileged` would be an unknown
 * key, ignored, and the container read as a plain one. Refused where it is
 * written (manifests hardly ever use it).
 */
static bool is_merge_key(const struct ydoc_node *n)
{
	return n->kind == YDOC_SCALAR && n->style == YDOC_PLAIN && n->n == 2 &&
	       !memcmp(n->u.text, "<<", 2);
}

/*
 * go-yaml names an anchor or an alias with ASCII letters, digits, '-' and
 * '_' only (yaml_parser_scan_anchor), where libfyaml takes every character
 * but blanks and flow indicators: `&a.b` or `*ä` is a syntax error to
 * Kubernetes, and was read here.
 */
#define ANCHOR_NAME_MSG                                                                            \
	"an anchor or alias name of other characters than ASCII letters, digits, '-' and "         \
	"'_': Kubernetes refuses the document"

static bool go_anchor_name(const char *s, uint32_t len)
{
	if (!s || !len)
		return false;
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* ---- nodes ---- */

/*
 * A node's place is where the user's editor shows it: a quoted scalar at
 * its opening quote, an alias at its '*', an anchor at its '&'. libfyaml's
 * mark of each is one character further (its text: past the quote, and an
 * empty "" at its closing quote; the name past the indicator), so every
 * message about a quoted value named the column after the one the value
 * is written at (twenty-eighth pass, part A). The indicator is on the
 * mark's own line, the character before it.
 */
static unsigned indicator_before(struct fy_token *t)
{
	enum fy_token_type type = fy_token_get_type(t);
	enum fy_scalar_style ss;

	if (type == FYTT_ALIAS || type == FYTT_ANCHOR)
		return 1;
	if (type != FYTT_SCALAR)
		return 0;
	ss = fy_token_scalar_style(t);
	return ss == FYSS_SINGLE_QUOTED || ss == FYSS_DOUBLE_QUOTED;
}

static void set_mark(const struct reader *r, struct ydoc_node *n, struct fy_token *t)
{
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	unsigned back;

	if (!m)
		return;
	if ((back = indicator_before(t)) > (unsigned)m->column)
		back = 0;
	n->line = (uint32_t)m->line + 1;
	n->column = user_column(r, n->line, (unsigned)m->column + 1 - back);
}

/*
 * Where a token starts, as a key that orders the text: its line and column.
 * Not libfyaml's input_pos: the text is fed to it by the piece (ydoc-held.c),
 * and input_pos restarts with each of its buffers; lines and columns do not.
 */
static size_t input_pos(struct fy_token *t)
{
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

	return m ? (size_t)(uint32_t)m->line << 32 | (uint32_t)m->column : 0;
}

/* Characters (UTF-8 lead bytes) of s[0, n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * libfyaml 0.7.12 gives an empty block scalar whose header line is the
 * text's last (`image: |`, `- >+`, `? |2`, a comment after the header,
 * CR LF) as one NUL byte, where go-yaml (kubectl) reads "": the field was
 * refused as "string contains a NUL byte", an untrue message, or read as
 * a one-byte name. No block scalar can hold a NUL of the text's (the text
 * check refuses one, and a block scalar has no escapes), so this one is
 * libfyaml's: the text is "" (session 17, part F).
 */
static bool empty_block(struct fy_token *t, const char *s, size_t l)
{
	enum fy_scalar_style ss;

	if (l != 1 || s[0] != '\0' || fy_token_get_type(t) != FYTT_SCALAR)
		return false;
	ss = fy_token_scalar_style(t);
	return ss == FYSS_LITERAL || ss == FYSS_FOLDED;
}

/*
 * A single-quoted scalar's text. libfyaml 0.7.12 misreads one with two ''
 * escapes in a row: its chunk iterator (fy_atom_iter_format) moves one
 * byte past a '' where it should move two, so n of them in a row come out
 * as 2n - 1 quotes, and fy_token_get_text cuts that at the length its
 * scanner counted: 'a''''b' was read as a''' (go-yaml, and YAML: a''b),
 * and the chunk array of the cut copy leaked (fy_atom_format_text returns
 * without fy_atom_iter_finish; found by fuzz-manifest's LeakSanitizer,
 * twenty-fifth pass, part B). So the text is taken from the iterator
 * itself, each run of 2n - 1 quotes made n again (on one line; over
 * lines such a run is refused: the fold after it can be a line break
 * where YAML has a space), and held to the scanner's length (fy_token_get_text_length); a text that
 * still differs from it is refused at the scalar, never read as another value.
 */
static int single_quoted_line(struct reader *r, const struct fy_mark *m, const struct fy_mark *end,
			      size_t want, const char **out, uint32_t *len);

static int single_quoted_text(struct reader *r, struct fy_token *t, const char **out, uint32_t *len)
{
	struct fy_token_iter *it;
	const struct fy_iter_chunk *ic = NULL;
	const struct fy_mark *m = fy_token_start_mark(t), *end = fy_token_end_mark(t);
	bool lines = !end || !m || end->line != m->line;
	size_t n = 0, cap = 0, k = 0, want = fy_token_get_text_length(t);
	cs_cleanup_free char *b = NULL;
	bool odd = true;
	int err = 0;

	if (!lines && (err = single_quoted_line(r, m, end, want, out, len)) <= 0)
		return err;
	err = 0;
	if (!(it = fy_token_iter_create(t)))
		return -ENOMEM;
	while ((ic = fy_token_iter_chunk_next(it, ic, &err))) {
		if (ic->len > SIZE_MAX / 2 - n - 1) {
			err = -1;
			break;
		}
		if (n + ic->len + 1 > cap) {
			char *nb = realloc(b, (cap = (n + ic->len + 1) * 2));

			if (!nb) {
				fy_token_iter_destroy(it);
				return -ENOMEM;
			}
			b = nb;
		}
		memcpy(b + n, ic->str, ic->len);
		n += ic->len;
	}
	fy_token_iter_destroy(it);
	/* each run of quotes, 2n - 1 of them, made n: in place */
	for (size_t i = 0; !err && i < n;) {
		size_t run = 0;

		while (i + run < n && b[i + run] == '\'')
			run++;
		if (!run) {
			b[k++] = b[i++];
			continue;
		}
		/* over lines, libfyaml's folding goes wrong too (a space read
		 * as a line break): only a one-line text is mended */
		odd = odd && run % 2 && !(lines && run > 1);
		for (size_t q = 0; q < (run + 1) / 2; q++)
			b[k++] = '\'';
		i += run;
	}
	/* the runs are the cause only when one was not odd; else libfyaml's
	 * text is not the length its scanner measured for another reason (a
	 * NEL at the top level, `'a` NEL `b'`: "ab"), and saying '' of a
	 * scalar without any was untrue (twenty-seventh pass, part D) */
	if (err || !odd || k != want || !m)
		return m ? place_error(r, (size_t)m->line, (size_t)m->column,
				       "a single-quoted string libfyaml 0.7 reads wrongly (%s); "
				       "write it double-quoted",
				       err    ? "its chunk iterator failed"
				       : !odd ? "two '' escapes in a row"
					      : "its text is not the length its scanner measured")
			 : syntax_error(r);
	if (k > UINT32_MAX)
		return -E2BIG;
	*len = (uint32_t)k;
	if (!k)
		*out = "";
	else if (!(*out = cs_arena_strndup(r->arena, b, k)))
		return -ENOMEM;
	return 0;
}

/*
 * A single-quoted scalar on one line, read from the text itself: between
 * its quotes, each '' one quote (on one line nothing folds). libfyaml's
 * chunk iterator, which the other path reads, holds some 64 bytes for each
 * '' (a 4 MB line of them took `lint` 140 MB, session 26). 0, -ENOMEM, or
 * 1 when the walker cannot place the scalar or it is not what the scanner
 * measured (then the iterator reads it, as before).
 */
static int single_quoted_line(struct reader *r, const struct fy_mark *m, const struct fy_mark *end,
			      size_t want, const char **out, uint32_t *len)
{
	size_t l = 0, k = 0;
	const char *s = ydoc_held_span(&r->held, (size_t)m->line, (size_t)m->column,
				       (size_t)end->line, (size_t)end->column, &l);
	char *b;

	/* libfyaml's marks are the text's, inside the quotes */
	if (!s || s == r->text || s[-1] != '\'' || (size_t)(s - r->text) + l >= r->text_len ||
	    s[l] != '\'' || want > UINT32_MAX)
		return 1;
	if (!memchr(s, '\'', l)) {
		if (l != want)
			return 1;
		*out = l ? s : "";
		*len = (uint32_t)l;
		return 0;
	}
	if (!(b = cs_arena_alloc(r->arena, l)))
		return -ENOMEM;
	for (size_t i = 0; i < l; i++) {
		if (s[i] == '\'' && (++i == l || s[i] != '\''))
			return 1; /* a lone quote: not the scalar the scanner read */
		b[k++] = s[i];
	}
	if (k != want)
		return 1;
	*out = b;
	*len = (uint32_t)k;
	return 0;
}

/*
 * A double-quoted scalar on one line, read from the text itself
 * (ydoc_dq_line decodes its escapes), as single_quoted_line: libfyaml's
 * chunk iterator holds some 35 bytes for each escape (a 4 MB line of \"
 * took `lint` 78 MB, 19 times the input; twenty-sixth pass, left open).
 * 0, -ENOMEM, or 1 when the walker cannot place it, an escape is left to
 * libfyaml, or the length is not the scanner's (then libfyaml reads it).
 */
static int double_quoted_line(struct reader *r, struct fy_token *t, const char **out, uint32_t *len)
{
	const struct fy_mark *m = fy_token_start_mark(t), *end = fy_token_end_mark(t);
	size_t l = 0, k = 0, want;
	const char *s;
	char *b;

	if (!m || !end || end->line != m->line)
		return 1;
	s = ydoc_held_span(&r->held, (size_t)m->line, (size_t)m->column, (size_t)end->line,
			   (size_t)end->column, &l);
	/* libfyaml's marks are the text's, inside the quotes */
	if (!s || s == r->text || s[-1] != '"' || (size_t)(s - r->text) + l >= r->text_len ||
	    s[l] != '"' || !memchr(s, '\\', l))
		return 1; /* no escape: libfyaml points into the text, no copy */
	if (!(b = cs_arena_alloc(r->arena, l / 2 * 3 + 1)))
		return -ENOMEM;
	if (ydoc_dq_line(s, l, b, &k) != 0 || k > UINT32_MAX ||
	    k != (want = fy_token_get_text_length(t)))
		return 1;
	*out = k ? b : "";
	*len = (uint32_t)k;
	return 0;
}

/*
 * libfyaml 0.7.12 takes a double-quoted scalar's line for one ending in an
 * escaped line break when its last byte but blanks is '\' and the one
 * before it is not (fy_atom_iter_line_analyze, ends_with_backslash), so an
 * escaped backslash before one, `"a\\\` then `b"` on the next line, reads
 * as "a\ " where YAML (go-yaml, Python's yaml) reads a\b: the text after
 * the break is lost. Such a line ends in an odd run of three or more
 * backslashes; found by a differential test of quoted scalars against
 * Python's yaml (twenty-fifth pass, part B), with its twin: an escaped
 * line break before an empty line loses a line break or cuts the text
 * (`"\` then an empty line then `\U0001F600"` gave "\n\n" and half the
 * character; YAML: "\n\n" and the character). Refused at the scalar rather
 * than read as another value. The lines are found from a cursor that moves
 * forward with the tokens (text order), one pass over the text in all.
 */
static size_t line_end(const struct reader *r, size_t off, size_t *next)
{
	const unsigned char *u = (const unsigned char *)r->text;

	for (size_t i = off; i < r->text_len; i++) {
		size_t k = cs_yaml11_break_len(u + i, r->text_len - i);

		if (k) {
			if (u[i] == '\r' && i + 1 < r->text_len && u[i + 1] == '\n')
				k = 2;
			*next = i + k;
			return i;
		}
	}
	*next = r->text_len;
	return r->text_len;
}

/* Does the line at off hold blanks alone (then a break: not the text's end)? */
static bool blank_line(const struct reader *r, size_t off)
{
	size_t next, e = line_end(r, off, &next);

	while (off < e && (r->text[off] == ' ' || r->text[off] == '\t'))
		off++;
	return off == e && e < r->text_len;
}

/* Where the text's line (0-based, as libfyaml counts) starts: from the
 * cursor, which moves forward with the tokens (text order) */
static size_t line_start(struct reader *r, size_t line)
{
	size_t next;

	if (line < r->dq_line)
		r->dq_line = r->dq_off = 0;
	while (r->dq_line < line && r->dq_off < r->text_len) {
		line_end(r, r->dq_off, &next);
		r->dq_off = next;
		r->dq_line++;
	}
	return r->dq_off;
}

/*
 * libfyaml 0.7.12 misreads a quoted scalar over lines whose closing quote
 * has blanks alone before it on its line when the line break before that
 * line is CR LF: its chunk iterator takes the CR and the LF for two breaks
 * there. `k: 'ab` CR LF `  '` (YAML, Python's yaml: "ab ") was read as
 * "ab" and a line feed, silently, single- or double-quoted; with an empty
 * line between, the single-quoted one was refused as "two '' escapes in a
 * row", which it has none of (found by a differential test against
 * Python's yaml, twenty-seventh pass, part D). A CR alone, LF, NEL and the
 * other breaks it reads right, and an escaped line break (double-quoted,
 * an odd run of backslashes before the CR) is no fold. Refused at the
 * scalar rather than read as another value.
 */
static int crlf_closing_check(struct reader *r, struct fy_token *t, char quote)
{
	const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);
	size_t off, i, run = 0, next;

	if (!a || !b || b->line <= a->line)
		return 0;
	/*
	 * U+2028 and U+2029 break lines in YAML 1.1, and Python's yaml and
	 * go-yaml (kubectl) keep each in a quoted scalar as it is; libfyaml
	 * 0.7.12 folds it into a space and cuts the text at the length its
	 * scanner measured, the bytes past the space never written: `"a`
	 * U+2028 `  b"` was read as "a b" and two NUL bytes, a scalar of one
	 * U+2029 as a space, a NUL and a heap byte; a single-quoted one was
	 * refused as "two '' escapes in a row" (twenty-seventh pass, part D).
	 * Each of the scalar's line breaks but its last line's lies inside it.
	 */
	for (size_t line = (size_t)a->line, o = line_start(r, line); line < (size_t)b->line;
	     line++, o = next) {
		size_t brk = line_end(r, o, &next);

		if (brk < r->text_len && (unsigned char)r->text[brk] == 0xe2)
			return place_error(
			    r, (size_t)a->line, (size_t)a->column,
			    "a %s-quoted string with a line or paragraph separator "
			    "(U+2028, U+2029) at the end of its line %zu: libfyaml 0.7 "
			    "reads it as a space, YAML keeps it; write it as backslash "
			    "then 'u2028' or 'u2029' in a double-quoted string",
			    quote == '"' ? "double" : "single", line + 1);
	}
	off = line_start(r, (size_t)b->line);
	if (off < 2 || off > r->text_len || memcmp(r->text + off - 2, "\r\n", 2))
		return 0;
	for (i = off; i < r->text_len && (r->text[i] == ' ' || r->text[i] == '\t'); i++)
		;
	/* '' on that line is an escaped quote: the scalar goes on */
	if (i == r->text_len || r->text[i] != quote ||
	    (quote == '\'' && i + 1 < r->text_len && r->text[i + 1] == '\''))
		return 0;
	while (quote == '"' && off - 2 > run && r->text[off - 3 - run] == '\\')
		run++;
	if (run % 2)
		return 0;
	return place_error(r, (size_t)a->line, (size_t)a->column,
			   "a %s-quoted string whose closing quote opens line %zu after a CR LF "
			   "line break (blanks alone before it): libfyaml 0.7 reads that line "
			   "break wrongly; put the closing quote at the end of the line before",
			   quote == '"' ? "double" : "single", (size_t)b->line + 1);
}

static int double_quoted_check(struct reader *r, struct fy_token *t)
{
	const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);
	size_t next;

	if (!a || !b || b->line <= a->line)
		return 0;
	line_start(r, (size_t)a->line);
	for (size_t line = r->dq_line, off = r->dq_off; line < (size_t)b->line && off < r->text_len;
	     line++, off = next) {
		size_t brk = line_end(r, off, &next), e = brk, end, run = 0;

		while (e > off && (r->text[e - 1] == ' ' || r->text[e - 1] == '\t'))
			e--;
		end = e;
		while (e > off && r->text[e - 1] == '\\')
			e--, run++;
		/*
		 * Blanks after a run of backslashes: an odd run escapes the
		 * first blank, an even one is escaped backslashes and the blanks
		 * are trailing, dropped. libfyaml 0.7.12 reads two of the four
		 * shapes wrongly (against Python's yaml, twenty-sixth pass, part
		 * A): an escaped space it takes for a trailing blank and the
		 * backslash for an escaped line break, and gives a text of the
		 * right length whose last bytes are never written (`"x\ ` then
		 * `y"`: YAML "x  y", libfyaml "xy" and two NUL bytes or whatever
		 * the heap held: refused as "string contains a NUL byte", an
		 * untrue message, or read); after escaped backslashes a tab it
		 * keeps and the next line it loses (`"x\\` tab then `y"`: YAML
		 * "x\ y", libfyaml "x\", a tab and a space, read silently). An
		 * escaped tab, and a space after escaped backslashes, it reads
		 * right, which the two refusals below were said of.
		 */
		if (run && end < brk && (r->text[end] == ' ') == (run % 2 == 1))
			return place_error(
			    r, (size_t)a->line, (size_t)a->column,
			    run % 2 ? "a double-quoted string whose line %zu ends in an escaped "
				      "space (backslash then a space before the line break): "
				      "libfyaml 0.7 reads it wrongly; write that space as "
				      "backslash then 'x20'"
				    : "a double-quoted string whose line %zu ends in an escaped "
				      "backslash then a tab: libfyaml 0.7 reads it wrongly (the "
				      "tab kept, the next line lost); remove the blanks after it",
			    line + 1);
		if (end < brk)
			continue; /* blanks no backslash escapes, or an escaped tab */
		if (run >= 3 && run % 2)
			return place_error(
			    r, (size_t)a->line, (size_t)a->column,
			    "a double-quoted string whose line %zu ends in an escaped "
			    "backslash before an escaped line break: libfyaml 0.7 reads "
			    "it wrongly; join the lines",
			    line + 1);
		if (run % 2 && blank_line(r, next))
			return place_error(
			    r, (size_t)a->line, (size_t)a->column,
			    "a double-quoted string whose line %zu ends in an escaped "
			    "line break before an empty line: libfyaml 0.7 reads it "
			    "wrongly; write its line breaks as backslash then 'n'",
			    line + 1);
	}
	return 0;
}

/*
 * A token's text: in the input when libfyaml gives a pointer there (it
 * lives as long as the reading), else copied into the document's arena.
 * Like fy_token_get_text, no token (an empty scalar) is "".
 */
static int token_text(struct reader *r, struct fy_token *t, const char **out, uint32_t *len)
{
	size_t l = 0;
	const char *s;
	uintptr_t p, lo = (uintptr_t)r->text;

	*out = NULL;
	*len = 0;
	if (t && fy_token_get_type(t) == FYTT_SCALAR &&
	    fy_token_scalar_style(t) == FYSS_SINGLE_QUOTED) {
		int rc = crlf_closing_check(r, t, '\'');

		return rc < 0 ? rc : single_quoted_text(r, t, out, len);
	}
	if (t && fy_token_get_type(t) == FYTT_SCALAR &&
	    fy_token_scalar_style(t) == FYSS_DOUBLE_QUOTED) {
		int rc = double_quoted_check(r, t);

		if (rc < 0 || (rc = crlf_closing_check(r, t, '"')) < 0 ||
		    (rc = double_quoted_line(r, t, out, len)) <= 0)
			return rc;
	}
	s = t ? fy_token_get_text(t, &l) : "";
	p = (uintptr_t)s;
	/* A token whose text libfyaml could not build (its allocation failed)
	 * is out of memory, not an empty scalar: read as "", a pod lost its
	 * name with exit 0 (cli/yaml-enomem-said). */
	if (!s)
		return -ENOMEM;
	if (l == 0 && t && fy_token_scalar_style(t) == FYSS_PLAIN) {
		/* libfyaml answers "" when the text's allocation failed: a plain
		 * scalar over some input is never empty text. */
		const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);

		if (a && b && b->input_pos > a->input_pos)
			return -ENOMEM;
	}
	if (l > UINT32_MAX)
		return -E2BIG;
	if (l == 0 || empty_block(t, s, l))
		*out = "", l = 0;
	else if (p >= lo && p - lo <= r->text_len && l <= r->text_len - (p - lo))
		*out = s;
	else if (!(*out = cs_arena_strndup(r->arena, s, l)))
		return -ENOMEM;
	*len = (uint32_t)l;
	return 0;
}

/* A node; x: with room for a tag or an alias's target (ydoc.h, ydoc_node_x). */
static struct ydoc_node *new_node(struct reader *r, enum ydoc_kind kind, enum ydoc_style style,
				  bool x)
{
	struct ydoc_node *n =
	    cs_arena_alloc(r->arena, x ? sizeof(struct ydoc_node_x) : sizeof(struct ydoc_node));

	if (n) {
		r->n_nodes++;
		n->kind = (uint8_t)kind;
		n->style = (uint8_t)style;
		n->has_x = x;
	}
	return n;
}

/* Tag and anchor of a scalar or collection. */
static int properties(struct reader *r, struct ydoc_node *n, struct fy_token *tag,
		      struct fy_token *anchor)
{
	const char *t = NULL;
	uint32_t len;
	int rc;

	if (tag && (rc = token_text(r, tag, &t, &len)) < 0)
		return rc;
	/* The manifest reader prints it: always a NUL-ended copy (tags are rare);
	 * a node with a tag was made with room for it (new_node). */
	if (t && n->has_x &&
	    !(((struct ydoc_node_x *)n)->x.tag = cs_arena_strndup(r->arena, t, len)))
		return -ENOMEM;
	if (!anchor)
		return 0;
	if ((rc = GROW(r, anchors, r->n_anchors + 1)) < 0)
		return rc;
	struct anchor *a = &r->anchors[r->n_anchors];

	if ((rc = token_text(r, anchor, &a->name, &a->len)) < 0)
		return rc;
	if (r->go_yaml_keys && !go_anchor_name(a->name, a->len)) {
		struct ydoc_node at = {0};

		set_mark(r, &at, anchor);
		return node_error(r, at.line ? &at : n, ANCHOR_NAME_MSG);
	}
	a->pos = a->end = input_pos(anchor);
	a->order = r->n_anchors++;
	a->node = n;
	return 0;
}

static bool is_scalar_like(const struct ydoc_node *n)
{
	return n->kind == YDOC_SCALAR || n->kind == YDOC_ALIAS;
}

/* ---- building ---- */

/* The pending nodes from base on; NULL (not NULL + 0, undefined) before any. */
static struct ydoc_node **pending_from(const struct reader *r, size_t base)
{
	return r->pending ? r->pending + base : NULL;
}

static int attach(struct reader *r, struct ydoc_node *n)
{
	struct frame *f;
	size_t have;
	int rc;

	if (!r->n_frames) {
		r->root = n;
		return 0;
	}
	f = &r->frames[r->n_frames - 1];
	have = r->n_pending - f->base;
	if (f->node->kind == YDOC_MAP && have % 2 == 0 && is_merge_key(n))
		return node_error(r, n,
				  "merge key '<<': Kubernetes merges the aliased mapping into this "
				  "one, capscope does not; write its keys out");
	/* go-yaml resolves an alias or a tag on a key (`*p : true` with `&p
	 * privileged`, `!!binary cHJp...`) to the key it names; the lookups
	 * here compare the written text, so such a key was ignored. */
	if (f->node->kind == YDOC_MAP && have % 2 == 0 && n->kind == YDOC_ALIAS)
		return node_error(r, n,
				  "an alias as a key: Kubernetes reads the key it names, capscope "
				  "does not; write the key out");
	if (f->node->kind == YDOC_MAP && have % 2 == 0 && ydoc_tag(n))
		return node_error(
		    r, n,
		    "a tag on a key: Kubernetes resolves it, capscope does not; write "
		    "the key out without the tag");
	/* go-yaml reads an empty, `~` or `null` key as nil, and Kubernetes'
	 * conversion to JSON refuses it ("unsupported map key"); libfyaml
	 * reads `{: x}` or `? ` as a key like any other. An empty key has no
	 * place of its own: its mapping's is given. */
	if (r->go_yaml_keys && f->node->kind == YDOC_MAP && have % 2 == 0 &&
	    n->kind == YDOC_SCALAR && ydoc_is_null(n))
		return node_error(r, n->line ? n : f->node,
				  "a null key (empty, '~' or 'null'): Kubernetes refuses it; quote "
				  "it or remove it");
	/* A collection as a key is refused at its document's end when read
	 * as Kubernetes reads (check_collection_key), so it is not compared
	 * with the keys before it: each was, one by one and deeply, and 40,000
	 * `? [kN]` keys took lint 9 s (4x a doubling, session 16). */
	if (f->node->kind == YDOC_MAP && have % 2 == 0 && (is_scalar_like(n) || !r->go_yaml_keys) &&
	    (rc = ydoc_keys_seen(&f->keys, pending_from(r, f->base), have / 2, n)) != 0)
		return rc < 0 ? rc : duplicate_key(r, n);
	if ((rc = GROW(r, pending, r->n_pending + 1)) < 0)
		return rc;
	r->pending[r->n_pending++] = n;
	return 0;
}

/*
 * A scalar libfyaml reads otherwise than go-yaml (ydoc-scalar.c): an
 * escaped double-quoted one (its text between the quotes), a block one
 * (from its indicator): refused at the scalar.
 */
static int scalar_misread(struct reader *r, const struct ydoc_node *n, struct fy_token *v)
{
	const struct fy_mark *a = v ? fy_token_start_mark(v) : NULL,
			     *b = v ? fy_token_end_mark(v) : NULL;
	const char *raw = NULL, *why = NULL;
	size_t len = 0, plen = 0;
	bool block = n->style == YDOC_LITERAL || n->style == YDOC_FOLDED;

	if (!a || !b || !((n->style == YDOC_DOUBLE_QUOTED && n->escaped) || block))
		return 0;
	raw = ydoc_held_span(&r->held, (size_t)a->line, (size_t)a->column, (size_t)b->line,
			     (size_t)b->column, &len);
	if (n->style == YDOC_DOUBLE_QUOTED) {
		why = raw ? ydoc_dq_escapes(raw, len) : NULL;
	} else {
		/* a block scalar starts on the line after its header: the header
		 * is the last line between the last event's end and it */
		const char *pre = ydoc_held_span(&r->held, r->held.line, r->held.col,
						 (size_t)a->line, (size_t)a->column, &plen);
		const char *hdr = pre;

		for (size_t i = 0; pre && plen && i + 1 < plen; i++)
			if (pre[i] == '\n')
				hdr = pre + i + 1;
		if (pre)
			plen -= (size_t)(hdr - pre);
		/* its end mark is where the next token's line starts or its
		 * indentation ends: that indentation is not the scalar's, unless
		 * the text ends there */
		while (raw && len && raw[len - 1] != '\n' &&
		       ydoc_held_char_at(&r->held, (size_t)b->line, (size_t)b->column) !=
			   YDOC_HELD_END)
			len--;
		why = ydoc_block_misread(hdr, hdr ? plen : 0, raw, raw ? len : 0, n->u.text, n->n);
	}
	return why ? node_error(r, n, why) : 0;
}

static int on_scalar(struct reader *r, struct fy_event *e)
{
	static const enum ydoc_style styles[] = {
	    [FYSS_PLAIN] = YDOC_PLAIN,
	    [FYSS_SINGLE_QUOTED] = YDOC_SINGLE_QUOTED,
	    [FYSS_DOUBLE_QUOTED] = YDOC_DOUBLE_QUOTED,
	    [FYSS_LITERAL] = YDOC_LITERAL,
	    [FYSS_FOLDED] = YDOC_FOLDED,
	};
	struct fy_token *v = e->scalar.value;
	enum fy_scalar_style ss = v ? fy_token_scalar_style(v) : FYSS_PLAIN;
	bool known = ss >= FYSS_PLAIN && ss <= FYSS_FOLDED;
	struct ydoc_node *n =
	    new_node(r, YDOC_SCALAR, known ? styles[ss] : YDOC_ANY_STYLE, e->scalar.tag != NULL);
	int rc;

	if (!n)
		return -ENOMEM;
	set_mark(r, n, v);
	if ((rc = token_text(r, v, &n->u.text, &n->n)) < 0 ||
	    (rc = properties(r, n, e->scalar.tag, e->scalar.anchor)) < 0)
		return rc;
	if (n->style == YDOC_DOUBLE_QUOTED) {
		const struct fy_mark *a = fy_token_start_mark(v), *b = fy_token_end_mark(v);

		/* libfyaml's marks of a double-quoted scalar are its first
		 * character past the opening quote and its closing quote: on one
		 * line and as many characters apart as its text has, unless an
		 * escape (each is longer than what it stands for) or a fold made
		 * the text differ from what is written. Columns, not input_pos
		 * (see input_pos). */
		n->escaped = !a || !b || a->line != b->line || b->column < a->column ||
			     (size_t)(b->column - a->column) != chars(n->u.text, n->n);
	}
	if (r->go_yaml_keys && (rc = scalar_misread(r, n, v)) < 0)
		return rc;
	return attach(r, n);
}

static int on_alias(struct reader *r, struct fy_event *e)
{
	struct ydoc_node *n = new_node(r, YDOC_ALIAS, YDOC_ALIAS_STYLE, true);
	int rc;

	if (!n)
		return -ENOMEM;
	set_mark(r, n, e->alias.anchor);
	if ((rc = token_text(r, e->alias.anchor, &n->u.text, &n->n)) < 0 ||
	    (rc = GROW(r, aliases, r->n_aliases + 1)) < 0)
		return rc;
	if (r->go_yaml_keys && !go_anchor_name(n->u.text, n->n))
		return node_error(r, n, ANCHOR_NAME_MSG);
	r->aliases[r->n_aliases++] = (struct alias_ref){n, input_pos(e->alias.anchor)};
	return attach(r, n);
}

static int on_start(struct reader *r, enum ydoc_kind kind, struct fy_token *start,
		    struct fy_token *tag, struct fy_token *anchor, bool flow)
{
	struct ydoc_node *n = new_node(r, kind, flow ? YDOC_FLOW : YDOC_BLOCK, tag != NULL);
	char msg[48];
	int rc;

	if (!n)
		return -ENOMEM;
	set_mark(r, n, start);
	/* The builder counted the document and each open collection. */
	if (1 + r->n_frames >= MAX_DEPTH) {
		snprintf(msg, sizeof(msg), "Max depth (%zu) exceeded", 1 + r->n_frames);
		return node_error(r, n, msg);
	}
	if ((rc = properties(r, n, tag, anchor)) < 0 || (rc = GROW(r, frames, r->n_frames + 1)) < 0)
		return rc;
	r->frames[r->n_frames++] = (struct frame){
	    .node = n, .base = r->n_pending, .anchor = anchor ? r->n_anchors - 1 : SIZE_MAX};
	return 0;
}

int ydoc_set_children(struct cs_arena *arena, struct ydoc_node *n, struct ydoc_node *const *kids,
		      size_t count)
{
	if (count > UINT32_MAX)
		return -E2BIG;
	if (!count)
		return 0;
	if (n->kind == YDOC_SEQ) {
		if (!(n->u.items = cs_arena_alloc(arena, count * sizeof(*kids))))
			return -ENOMEM;
		memcpy(n->u.items, kids, count * sizeof(*kids));
		n->n = (uint32_t)count;
	} else if (n->kind == YDOC_MAP) {
		n->n = (uint32_t)(count / 2);
		if (!(n->u.pairs = cs_arena_alloc(arena, n->n * sizeof(*n->u.pairs))))
			return -ENOMEM;
		for (uint32_t i = 0; i < n->n; i++)
			n->u.pairs[i] = (struct ydoc_pair){kids[2 * i], kids[2 * i + 1]};
	}
	return 0;
}

static int on_end(struct reader *r, struct fy_token *end)
{
	struct frame *f = &r->frames[r->n_frames - 1];
	struct ydoc_node *n = f->node;
	int rc = ydoc_set_children(r->arena, n, pending_from(r, f->base), r->n_pending - f->base);

	if (rc < 0)
		return rc;
	/* Where the collection ends (no token: it runs to the end of the input). */
	if (f->anchor != SIZE_MAX)
		r->anchors[f->anchor].end = end ? input_pos(end) : SIZE_MAX;
	ydoc_keys_free(&f->keys);
	r->n_pending = f->base;
	r->n_frames--;
	return attach(r, n);
}

/* ---- aliases ---- */

static int cmp_name(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen ? memcmp(a, b, alen) : 0;
}

static int cmp_anchor(const void *pa, const void *pb)
{
	const struct anchor *a = pa, *b = pb;
	int c = cmp_name(a->name, a->len, b->name, b->len);

	return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* The first anchor whose name sorts after name (after: true) or not before
 * it (after: false), in [0, n]. */
static size_t name_bound(const struct anchor *v, size_t n, const char *name, uint32_t len,
			 bool after)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(v[mid].name, v[mid].len, name, len);

		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* How many of v[0..n) (anchors of one name, in document order) come before
 * pos: a binary search, as a name may have many anchors and aliases. */
static size_t count_before(const struct anchor *v, size_t n, size_t pos)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * An alias names the last anchor of that name before it, as go-yaml
 * resolves it while parsing (libfyaml would also take one after it). go-yaml
 * refuses the whole document when there is none ("unknown anchor") and when
 * the alias is inside the anchored collection ("contains itself"), even
 * under a key nobody reads: Kubernetes never sees such a manifest, so it is
 * refused here too, never read. An alias that names a path ("*a/b") is not
 * followed into it: it does not resolve.
 */
static int resolve_aliases(struct reader *r)
{
	char msg[160];

	if (r->n_anchors)
		qsort(r->anchors, r->n_anchors, sizeof(*r->anchors), cmp_anchor);
	for (size_t i = 0; i < r->n_aliases; i++) {
		struct ydoc_node *n = r->aliases[i].node;
		size_t lo = name_bound(r->anchors, r->n_anchors, n->u.text, n->n, false);
		size_t hi = name_bound(r->anchors, r->n_anchors, n->u.text, n->n, true), k;
		const struct anchor *a;

		k = hi == lo ? 0 : count_before(r->anchors + lo, hi - lo, r->aliases[i].pos);
		if (k == 0) {
			cs_format_cut(
			    msg, sizeof(msg),
			    "unknown anchor '%.*s%s' referenced: no anchor of that name before "
			    "it (Kubernetes refuses the document)",
			    CS_MSG_CUT(n->u.text, n->n, 40));
			return node_error(r, n, msg);
		}
		a = &r->anchors[lo + k - 1];
		if (r->aliases[i].pos < a->end) {
			cs_format_cut(
			    msg, sizeof(msg),
			    "anchor '%.*s%s' value contains itself (Kubernetes refuses the "
			    "document)",
			    CS_MSG_CUT(n->u.text, n->n, 40));
			return node_error(r, n, msg);
		}
		((struct ydoc_node_x *)n)->x.target = a->node; /* an alias has room */
	}
	return 0;
}

/*
 * go-yaml v2 (Kubernetes) counts every node it decodes, each time an alias
 * brings it in again, and refuses the document ("document contains
 * excessive aliasing") as soon as more than 100 of over 1,000 decodes came
 * through aliases and their share passes 99 % (up to 400,000 decodes),
 * then a limit falling to 10 % at 4,000,000. The tree here shares an
 * anchored node instead of copying it, so a billion laughs under a key
 * nobody reads was read (and the pod predicted) where Kubernetes never
 * sees it. The same count, in go-yaml's order (the document, then each
 * node before its children, a key before its value), stops where go-yaml
 * stops: the work is bounded by the tree's nodes plus about 400,000.
 */
struct decode_step {
	const struct ydoc_node *node;
	const struct ydoc_node *alias; /* the outermost alias being expanded, or NULL */
};

static double allowed_alias_ratio(uint64_t decodes)
{
	if (decodes <= 400000)
		return 0.99;
	if (decodes >= 4000000)
		return 0.10;
	return 0.99 - 0.89 * ((double)(decodes - 400000) / (double)(4000000 - 400000));
}

static int push_step(struct decode_step **v, size_t *n, size_t *cap, const struct ydoc_node *node,
		     const struct ydoc_node *alias)
{
	if (grow((void **)v, cap, *n + 1, sizeof(**v)) < 0)
		return -ENOMEM;
	(*v)[(*n)++] = (struct decode_step){node, alias};
	return 0;
}

static int check_aliasing(const struct reader *r)
{
	struct decode_step *st = NULL;
	size_t n = 0, cap = 0;
	uint64_t decodes = 1, aliased = 0; /* the document node */
	int rc = 0;

	if (!r->n_aliases || !r->root)
		return 0;
	rc = push_step(&st, &n, &cap, r->root, NULL);
	while (rc == 0 && n) {
		struct decode_step s = st[--n];
		const struct ydoc_node *x = s.node;

		decodes++;
		aliased += s.alias != NULL;
		if (aliased > 100 && decodes > 1000 &&
		    (double)aliased / (double)decodes > allowed_alias_ratio(decodes)) {
			rc = node_error(r, s.alias ? s.alias : x,
					"document contains excessive aliasing (Kubernetes refuses "
					"the document)");
			break;
		}
		if (x->kind == YDOC_ALIAS) {
			if (ydoc_target(x))
				rc =
				    push_step(&st, &n, &cap, ydoc_target(x), s.alias ? s.alias : x);
		} else if (x->kind == YDOC_SEQ) {
			for (uint32_t i = x->n; rc == 0 && i-- > 0;)
				rc = push_step(&st, &n, &cap, x->u.items[i], s.alias);
		} else if (x->kind == YDOC_MAP) {
			for (uint32_t i = x->n; rc == 0 && i-- > 0;) {
				rc = push_step(&st, &n, &cap, x->u.pairs[i].value, s.alias);
				if (rc == 0)
					rc = push_step(&st, &n, &cap, x->u.pairs[i].key, s.alias);
			}
		}
	}
	free(st);
	return rc;
}

/* ---- documents ---- */

static void end_document(struct reader *r)
{
	for (size_t i = 0; i < r->n_frames; i++) /* left open by an error */
		ydoc_keys_free(&r->frames[i].keys);
	cs_arena_free(r->arena);
	r->arena = NULL;
	r->root = NULL;
	r->n_nodes = 0;
	r->n_pending = r->n_frames = r->n_anchors = r->n_aliases = 0;
}

/*
 * go-yaml v2 (Kubernetes) refuses a document whose %YAML directive is not
 * 1.1 ("found incompatible YAML document"); libfyaml reads 1.2 and 1.3,
 * and the reader would have read such a manifest with go-yaml's 1.1 rules.
 */
static int check_version(const struct reader *r, const struct fy_event_document_start_data *ds)
{
	struct fy_document_state *st = ds->document_state;
	const struct fy_version *v;
	const struct fy_mark *m;
	char msg[128];

	if (!st || !fy_document_state_version_explicit(st) ||
	    !(v = fy_document_state_version(st)) || (v->major == 1 && v->minor == 1))
		return 0;
	snprintf(msg, sizeof(msg),
		 "%%YAML %d.%d: Kubernetes reads YAML 1.1 and refuses this document (found "
		 "incompatible YAML document)",
		 v->major, v->minor);
	set_file(r);
	m = ds->document_start ? fy_token_start_mark(ds->document_start) : NULL;
	return cs_diag_set(r->d, EINVAL, m ? (unsigned)m->line + 1 : 0,
			   m ? (unsigned)m->column + 1 : 0, "", "YAML: %s", msg);
}

/* A document's directives, where kubectl refuses them. */
static int check_directives(const struct reader *r, const struct fy_event_document_start_data *ds)
{
	struct fy_document_state *st = ds->document_state;
	const struct fy_mark *m;

	/* kubectl's splitter (kubectl-stream.c) cuts the stream at each "---"
	 * line: directives that do not follow a "..." in the piece before go to
	 * go-yaml alone, or after an empty document, and go-yaml refuses them
	 * ("did not find expected <document start>", kubectl 1.32: `%YAML 1.1`
	 * or `%TAG ! x:` then "---" opening the file; "---", "...", "---",
	 * `%YAML 1.1`, "---"). After a "..." they are in the piece of the
	 * document before, of which go-yaml reads the first document only.
	 * libfyaml ends a document implicitly at a "---" line: the directives
	 * follow a "..." with no "---" line between when the document before
	 * ended explicitly. */
	if (!r->go_yaml_keys || r->ended || !st ||
	    (!fy_document_state_version_explicit(st) && !fy_document_state_tags_explicit(st)))
		return 0;
	m = ds->document_start ? fy_token_start_mark(ds->document_start) : NULL;
	set_file(r);
	return cs_diag_set(r->d, EINVAL, m ? (unsigned)m->line + 1 : 0,
			   m ? (unsigned)m->column + 1 : 0, "",
			   "YAML: a directive (%%YAML, %%TAG) not after a '...' line: kubectl "
			   "hands it to go-yaml without the '---' line after it and refuses the "
			   "file (did not find expected <document start>); remove it");
}

static int on_event(struct reader *r, struct fy_event *e, ydoc_doc_fn fn, void *user)
{
	int rc;

	switch (e->type) {
	case FYET_DOCUMENT_START:
		end_document(r);
		if ((rc = check_version(r, &e->document_start)) < 0 ||
		    (rc = check_directives(r, &e->document_start)) < 0)
			return rc;
		return (r->arena = cs_arena_new()) ? 0 : -ENOMEM;
	case FYET_DOCUMENT_END:
		r->ended = !e->document_end.implicit;
		if ((rc = resolve_aliases(r)) < 0 || (rc = check_aliasing(r)) < 0)
			return rc;
		rc = fn(user, r->root, r->n_nodes);
		end_document(r);
		return rc;
	case FYET_SCALAR:
		return on_scalar(r, e);
	case FYET_ALIAS:
		return on_alias(r, e);
	case FYET_MAPPING_START: {
		struct fy_token *t = e->mapping_start.mapping_start;

		return on_start(r, YDOC_MAP, t, e->mapping_start.tag, e->mapping_start.anchor,
				t && fy_token_get_type(t) == FYTT_FLOW_MAPPING_START);
	}
	case FYET_SEQUENCE_START: {
		struct fy_token *t = e->sequence_start.sequence_start;

		return on_start(r, YDOC_SEQ, t, e->sequence_start.tag, e->sequence_start.anchor,
				t && fy_token_get_type(t) == FYTT_FLOW_SEQUENCE_START);
	}
	case FYET_MAPPING_END:
		return r->n_frames ? on_end(r, e->mapping_end.mapping_end) : -EINVAL;
	case FYET_SEQUENCE_END:
		return r->n_frames ? on_end(r, e->sequence_end.sequence_end) : -EINVAL;
	default:
		return 0;
	}
}

/*
 * Why a document that opens with '{' or '[' gets "--- " in front: libfyaml
 * 0.7.12 hands out no token while any simple key may still be pending, and
 * a flow collection at column 1 in block context may be the key of a block
 * mapping ("{a: 1}: b") until its line ends, with no length limit. For
 * one-line JSON (what kubectl and generators write) that line is the whole
 * document, so every token of it, down to each ':' and ',', stayed queued
 * until the end. After "--- " no simple key is allowed, so the scanner
 * hands tokens out as it reads them. No valid manifest changes meaning: a
 * collection as a mapping key is not one. Columns on line 1 are given back
 * by user_column.
 */
#define DOC_PREFIX "--- "

bool ydoc_wants_room(const char *text, size_t len)
{
	return len > 0 && (text[0] == '{' || text[0] == '[');
}

static ssize_t feed(void *user, void *buf, size_t count)
{
	return ydoc_held_feed(user, buf, count);
}

/* Refused by ydoc-held.c: where the last node given out ended. */
static int held_error(const struct reader *r)
{
	unsigned line = (unsigned)r->held.line + 1, col = (unsigned)r->held.col + 1;

	set_file(r);
	return cs_diag_set(
	    r->d, EINVAL, line, user_column(r, line, col), "",
	    "YAML: more than %d flow indicators (',', '[', ']', '{', '}') after this "
	    "place in one flow collection or on one line: capscope reads no further "
	    "(libfyaml would hold every token of them); write it in block style, or "
	    "as JSON",
	    YDOC_HELD_MAX);
}

/* A quoted scalar's end mark is its closing quote: the event ends one on. */
static bool is_quoted(struct fy_event *e)
{
	enum fy_scalar_style ss;

	if (e->type != FYET_SCALAR || !e->scalar.value)
		return false;
	ss = fy_token_scalar_style(e->scalar.value);
	return ss == FYSS_SINGLE_QUOTED || ss == FYSS_DOUBLE_QUOTED;
}

/* Whether a node about to be attached is a mapping's key. */
static bool at_key(const struct reader *r)
{
	const struct frame *f;

	if (!r->n_frames)
		return false;
	f = &r->frames[r->n_frames - 1];
	return f->node->kind == YDOC_MAP && (r->n_pending - f->base) % 2 == 0;
}

/* Whether e, about to be attached, is a mapping's key: a scalar with text. */
static bool is_key(const struct reader *r, const struct fy_event *e)
{
	return e->type == FYET_SCALAR && e->scalar.value && at_key(r);
}

/*
 * A mapping or a sequence as a mapping's key (`? [a]`, `{{}: b}`): sigs.k8s.io/yaml
 * turns YAML into JSON, whose keys are strings, and kubectl 1.32 refuses
 * the file ("invalid map key: []interface {}{\"a\"}"); libfyaml reads it,
 * and the rest of the object was read and predicted. Noted where the key
 * starts, refused at its document's end, before the document is handed on
 * (a syntax error after it is libfyaml's to say: ` {"a": 1}x: 2`).
 */
static int check_collection_key(struct reader *r, struct fy_event *e)
{
	const struct fy_mark *m;

	if (r->ck_pending && e->type == FYET_DOCUMENT_END) {
		set_file(r);
		return cs_diag_set(r->d, EINVAL, r->ck_line, r->ck_column, "",
				   "YAML: a %s as a mapping's key: Kubernetes refuses it (invalid "
				   "map key: JSON's keys are strings)",
				   r->ck_map ? "mapping" : "sequence");
	}
	if (r->ck_pending || (e->type != FYET_MAPPING_START && e->type != FYET_SEQUENCE_START) ||
	    !at_key(r) || !(m = fy_event_start_mark(e)))
		return 0;
	r->ck_pending = true;
	r->ck_line = (unsigned)m->line + 1;
	r->ck_column = user_column(r, r->ck_line, (unsigned)m->column + 1);
	r->ck_map = e->type == FYET_MAPPING_START;
	return 0;
}

/*
 * A key go-yaml refuses (ydoc-held.h says which). Not in a text opening
 * with '{' or '[' (r->shift): kubectl reads that with Go's JSON decoder,
 * which takes a key of any length, its ':' on any line.
 */
static int check_simple_key(struct reader *r, struct fy_event *e)
{
	struct fy_token *first = e->scalar.anchor ? e->scalar.anchor : e->scalar.value;
	const struct fy_mark *s = fy_token_start_mark(first);
	const struct fy_mark *t = fy_token_end_mark(e->scalar.value);
	/* libfyaml starts an anchor past its '&', a quoted scalar past its
	 * quote; go-yaml's key starts at either (kubectl 1.32: a key of 1,022
	 * characters written "..." or &a ... is refused) */
	bool past = e->scalar.anchor || is_quoted(e);
	size_t sc = s && s->column >= past ? (size_t)s->column - past : 0;

	if (!r->go_yaml_keys || r->shift || !s || !t || s->column < past ||
	    ydoc_held_simple_key(&r->held, (size_t)s->line, sc, (size_t)t->line,
				 (size_t)t->column + is_quoted(e)))
		return 0;
	return place_error(r, (size_t)s->line, sc,
			   "this key's ':' is on another line, or more than %d characters "
			   "from the key's start: Kubernetes (go-yaml) refuses it (\"could not "
			   "find expected ':'\"); shorten the key, or keep it and its ':' on "
			   "one line",
			   YDOC_SIMPLE_KEY_MAX);
}

/*
 * A plain scalar holding '?' in a flow collection. go-yaml (kubectl 1.32
 * uses sigs.k8s.io/yaml's copy of go-yaml v2) ends a plain scalar there at
 * any '?' and takes a '?' opening a token for a key indicator, as YAML
 * 1.1's libyaml did; libfyaml reads the '?' as part of the scalar.
 * `securityContext: {?privileged: true}` is `privileged: true` to kubectl
 * and was the unknown key "?privileged" here (a privileged container read
 * as a plain one); `add: [NET_ADMIN?]` kubectl refuses ("did not find
 * expected ',' or ']'"). So does a ':' opening a plain scalar there: a
 * value indicator to go-yaml (`[:a]`, `{k: a, :b}`: "did not find expected
 * node content"), the scalar ":a" to libfyaml. Refused, at the scalar:
 * quote it.
 */
static int check_flow_plain(struct reader *r, struct fy_event *e)
{
	const struct fy_mark *m;
	const char *s;
	size_t len = 0;

	if (e->type != FYET_SCALAR || !e->scalar.value || !r->n_frames ||
	    r->frames[r->n_frames - 1].node->style != YDOC_FLOW ||
	    fy_token_scalar_style(e->scalar.value) != FYSS_PLAIN ||
	    !(s = fy_token_get_text(e->scalar.value, &len)) ||
	    (!memchr(s, '?', len) && (!len || s[0] != ':')) ||
	    !(m = fy_token_start_mark(e->scalar.value)))
		return 0;
	return place_error(r, (size_t)m->line, (size_t)m->column,
			   "a plain scalar holding '?' or opening with ':' in a flow "
			   "collection: Kubernetes (go-yaml) reads a key or value indicator "
			   "there; quote it");
}

/*
 * A tag not followed by a blank, a line break or the text's end. go-yaml v2
 * (yaml_parser_scan_tag) requires one there and refuses the document ("did
 * not find expected whitespace or line break", kubectl 1.32: `{a: !x}`,
 * `{a: !!str,}`); libfyaml ends a tag at a flow indicator and reads on. In
 * a flow collection go-yaml takes ',', '[' and ']' into the tag: `[!!str,
 * a]` is one item "a" tagged "!!str," to kubectl, the two items "" and "a"
 * here. Refused at the tag, whatever field it is in (a tag in a field
 * capscope reads is refused later anyway).
 */
static int check_tag_end(struct reader *r, struct fy_token *tag)
{
	const struct fy_mark *s = tag ? fy_token_start_mark(tag) : NULL;
	const struct fy_mark *t = tag ? fy_token_end_mark(tag) : NULL;

	if (!s || !t || ydoc_held_blank_at(&r->held, (size_t)t->line, (size_t)t->column))
		return 0;
	return place_error(r, (size_t)s->line, (size_t)s->column,
			   "a tag not followed by a space or a line break: Kubernetes "
			   "(go-yaml) refuses it or reads another tag; put a space after it");
}

/*
 * An anchor or alias name followed by '[' or '{'. go-yaml v2
 * (yaml_parser_scan_anchor) wants a blank, a line break or one of
 * "?:,]}%@`" after the name and refuses the document otherwise ("did not
 * find expected alphabetic or numeric character", kubectl 1.32: `args:
 * &q["-g"]`); libfyaml ends the name at the bracket and reads on. (A name
 * holding another character is refused by go_anchor_name.)
 */
static int check_anchor_end(struct reader *r, struct fy_token *anchor)
{
	const struct fy_mark *s = anchor ? fy_token_start_mark(anchor) : NULL;
	const struct fy_mark *t = anchor ? fy_token_end_mark(anchor) : NULL;
	int c;

	if (!s || !t ||
	    ((c = ydoc_held_char_at(&r->held, (size_t)t->line, (size_t)t->column)) != '[' &&
	     c != '{'))
		return 0;
	/* libfyaml starts the token past its '&' or '*': the place is the indicator's */
	return place_error(r, (size_t)s->line, s->column > 0 ? (size_t)s->column - 1 : 0,
			   "an anchor or alias followed by '%c': Kubernetes (go-yaml) "
			   "refuses it; put a space after the name",
			   c);
}

/* The tag and anchor of e, in the order they are written (the walker of
 * r->held goes forward only) */
static int check_properties(struct reader *r, struct fy_event *e)
{
	struct fy_token *tag = NULL, *anchor = NULL;
	int rc;

	if (e->type == FYET_SCALAR)
		tag = e->scalar.tag, anchor = e->scalar.anchor;
	else if (e->type == FYET_MAPPING_START)
		tag = e->mapping_start.tag, anchor = e->mapping_start.anchor;
	else if (e->type == FYET_SEQUENCE_START)
		tag = e->sequence_start.tag, anchor = e->sequence_start.anchor;
	else if (e->type == FYET_ALIAS)
		anchor = e->alias.anchor;
	if (tag && anchor && input_pos(tag) < input_pos(anchor))
		return (rc = check_tag_end(r, tag)) < 0 ? rc : check_anchor_end(r, anchor);
	if ((rc = check_anchor_end(r, anchor)) < 0)
		return rc;
	return check_tag_end(r, tag);
}

/* What go-yaml reads otherwise than libfyaml, refused before e is taken
 * (not for the libfyaml oracle, ydoc_read_fy) */
static int go_yaml_checks(struct reader *r, struct fy_event *e)
{
	int rc;

	if (!r->go_yaml_keys)
		return 0;
	if ((rc = check_flow_plain(r, e)) < 0 || (rc = check_properties(r, e)) < 0)
		return rc;
	return check_collection_key(r, e);
}

static int read_events(struct reader *r, struct fy_diag *fd, ydoc_doc_fn fn, void *user)
{
	struct fy_event *e;
	int rc = 0;

	/*
	 * libfyaml says nothing of an allocation of its own that failed: the
	 * parse stops with a stream error, and no error recorded, which the
	 * reader took for "YAML: syntax error" in a valid file (twenty-first
	 * pass, Still open; 381 of 675 allocations of `lint` of a small pod,
	 * session 26). malloc's errno tells the two apart: set by nothing else
	 * while libfyaml parses a text held in memory.
	 */
	errno = 0;
	while (rc >= 0 && (e = fy_parser_parse(r->fyp)) != NULL) {
		const struct fy_mark *end = fy_event_end_mark(e);

		/* refused while libfyaml scanned: this event is of the cut text */
		bool key = !r->held.refused && is_key(r, e);

		if (r->held.refused)
			rc = -EINVAL;
		else if ((rc = go_yaml_checks(r, e)) >= 0)
			rc = on_event(r, e, fn, user);
		if (rc >= 0 && key)
			rc = check_simple_key(r, e);
		if (end)
			ydoc_held_event(
			    &r->held, (size_t)end->line, (size_t)end->column + is_quoted(e),
			    r->n_frames && r->frames[r->n_frames - 1].node->style == YDOC_FLOW);
		fy_parser_event_free(r->fyp, e);
	}
	if (r->held.refused)
		rc = held_error(r);
	else if (rc >= 0 && fy_parser_get_stream_error(r->fyp) && errno == ENOMEM) {
		set_file(r);
		rc = cs_diag_set(r->d, ENOMEM, 0, 0, "", "out of memory");
	} else if (rc >= 0 && fy_parser_get_stream_error(r->fyp))
		rc = parser_error(r, fd);
	return rc;
}

/* Checked JSON text: its one document, built without libfyaml (ydoc-json.c says why). */
static int read_json(const char *text, size_t len, ydoc_doc_fn fn, void *user)
{
	struct cs_arena *arena = cs_arena_new();
	struct ydoc_node *root;
	size_t nodes;
	int rc;

	if (!arena)
		return -ENOMEM;
	rc = ydoc_json_build(text, len, 0, NULL, arena, &root, &nodes, NULL);
	if (rc == 0)
		rc = fn(user, root, nodes);
	cs_arena_free(arena);
	return rc;
}

/* The text at buf (after the room when room), read as JSON when json. */
static int read_text(char *buf, size_t len, bool room, bool json, bool keys, const char *name,
		     ydoc_doc_fn fn, void *user, struct cs_diag *d)
{
	struct reader r = {.name = name, .d = d, .go_yaml_keys = keys};
	struct fy_diag *fd;
	int rc;

	if (json)
		return read_json(buf + (room ? YDOC_ROOM : 0), len, fn, user);
	if ((rc = cs_fy_check_bom(buf + (room ? YDOC_ROOM : 0), len, "", d)) < 0) {
		set_file(&r);
		return rc;
	}
	if (room) {
		memcpy(buf, DOC_PREFIX, YDOC_ROOM);
		r.shift = YDOC_ROOM;
	}
	r.text = buf;
	r.text_len = len + r.shift;
	if (!(r.fyp = ydoc_quiet_parser(&fd, json, true)))
		return -ENOMEM;
	r.held = (struct ydoc_held){.text = buf, .len = r.text_len};
	/* libfyaml skips a byte order mark at the start and counts no column
	 * for it: the walker starts past it too, or it lags one character on
	 * line 1 and cannot place a key there (go-yaml's rule went unchecked) */
	if (!room && len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		r.held.done = 3;
	rc = fy_parser_set_input_callback(r.fyp, &r.held, feed) ? -ENOMEM
								: read_events(&r, fd, fn, user);
	end_document(&r);
	free(r.pending);
	free(r.frames);
	free(r.anchors);
	free(r.aliases);
	fy_parser_destroy(r.fyp);
	fy_diag_destroy(fd);
	return rc;
}

int ydoc_read(char *buf, size_t len, bool room, const char *name, ydoc_doc_fn fn, void *user,
	      struct cs_diag *d)
{
	const char *text = buf + (room ? YDOC_ROOM : 0);
	int rc, tabs = 0;

	/* UTF-8 only (Kubernetes accepts nothing else), checked before libfyaml
	 * sees the bytes: it loops forever on some invalid sequences. */
	if ((rc = cs_fy_check_text(text, len, "", d)) < 0) {
		set_file(&(struct reader){.name = name, .d = d});
		return rc;
	}
	/*
	 * JSON documents are built by hand (ydoc-stream.c): libfyaml holds the
	 * tokens of a flow collection inside a flow sequence until it ends.
	 * JSON was also scanned as YAML 1.2, where only CR and LF break lines:
	 * YAML 1.1's scanner takes NEL, U+2028 and U+2029 in a string for line
	 * breaks, folds NEL into a space, and libfyaml 0.7.12 writes a space
	 * and two stray bytes (NUL, 0x05) for a U+2029 ending a string that
	 * has an escape (session 11, found by tests/cli/json-diff.py).
	 */
	if ((rc = ydoc_stream_read(text, len, fn, user)) != 1)
		return rc;
	/* not in a text opening with '{' or '[': kubectl reads it as JSON */
	if (!room && (tabs = ydoc_check_tabs(text, len, d)) < 0) {
		set_file(&(struct reader){.name = name, .d = d});
		return tabs;
	}
	rc = read_text(buf, len, room, false, true, name, fn, user, d);
	/*
	 * The tab scan stopped early on a text the reader then read whole:
	 * its stop was a failed allocation, and the tabs went unchecked. Fail
	 * closed (twenty-first pass: a text of tabs kubectl refuses was read
	 * when one allocation of the scan failed).
	 */
	if (rc >= 0 && tabs == 1) {
		set_file(&(struct reader){.name = name, .d = d});
		return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
	}
	return rc;
}

int ydoc_read_fy(char *buf, size_t len, bool room, const char *name, ydoc_doc_fn fn, void *user,
		 struct cs_diag *d)
{
	int rc = cs_fy_check_text(buf + (room ? YDOC_ROOM : 0), len, "", d);

	return rc < 0 ? rc : read_text(buf, len, room, false, false, name, fn, user, d);
}

int ydoc_read_json(char *buf, size_t len, const char *name, ydoc_doc_fn fn, void *user,
		   struct cs_diag *d)
{
	return read_text(buf, len, true, true, false, name, fn, user, d);
}

/* ---- reading the tree ---- */

struct cs_pos ydoc_pos(const struct ydoc_node *n)
{
	/* Bounded, as before: a mark deeper than this is not worth a walk. */
	for (int depth = 0; n && depth < 16; depth++) {
		if (is_scalar_like(n))
			return (struct cs_pos){n->line, n->column};
		/* An empty collection ([] or {}) has no first scalar: its own
		 * '[' or '{' (a message named no line for `spec: []`). */
		if (!n->n)
			return (struct cs_pos){n->line, n->column};
		n = n->kind == YDOC_MAP ? n->u.pairs[0].key : n->u.items[0];
	}
	return (struct cs_pos){0, 0};
}

int ydoc_error(struct cs_diag *d, const struct ydoc_node *n, int err, const char *field,
	       const char *fmt, ...)
{
	struct cs_pos at = ydoc_pos(n);
	char msg[sizeof(d->message)];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cs_diag_set(d, err, at.line, at.column, field, "%s", msg);
}

struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
	size_t len = strlen(key);

	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->n; i++) {
		const struct ydoc_node *k = map->u.pairs[i].key;

		if (k->kind == YDOC_SCALAR && k->n == len && k->u.text &&
		    !memcmp(k->u.text, key, len))
			return map->u.pairs[i].value;
	}
	return NULL;
}

bool ydoc_is_null(const struct ydoc_node *n)
{
	const char *s;

	if (!n)
		return true;
	if (n->kind != YDOC_SCALAR || n->style != YDOC_PLAIN)
		return false;
	s = n->u.text;
	if (!s || n->n == 0)
		return true;
	return (n->n == 1 && s[0] == '~') ||
	       (n->n == 4 &&
		(!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}
