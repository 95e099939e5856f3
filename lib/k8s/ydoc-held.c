/* SPDX-License-Identifier: MIT */
/*
 * Why the YAML text goes to libfyaml a piece at a time (session 13,
 * measured): libfyaml 0.7.12 hands out no token of a flow collection that
 * is an item of a flow sequence until the item ends, nor any of a flow
 * collection in block context until its line ends (either may yet turn out
 * to be a mapping's key), and holds some 200 bytes a token meanwhile. JSON
 * is built by hand (ydoc-stream.c), but flow YAML is not JSON: one line
 * `- {name: c, args: [a,a,a,...]}` of 0.4 MB cost lint 84 MB, of 1.6 MB
 * 329 MB; the reader's 16 MiB would have been some 3.4 GB.
 *
 * Fed by the piece, libfyaml asks for more only when it has scanned what it
 * has. Each time, the flow indicators it was given past the end of the
 * last event it handed out are counted (each indicator is about two
 * tokens); when the reader is inside a flow collection, or of the line
 * being read in block context (which holds a flow collection until its line
 * ends: see held), more than YDOC_HELD_MAX of them is refused. A long
 * scalar is one token: a block scalar passes whatever it holds; a quoted or
 * plain scalar of more than 65,536 commas and brackets, inside a flow
 * collection or on one line, is refused too (the count cannot tell it from
 * a held collection without a scanner of its own). The cost is thus bounded by
 * some 30 MB, whatever the file.
 *
 * One exception (session 13, second round): a quoted scalar that is the
 * first token after the last event. kubectl writes a ConfigMap made from a
 * minified JSON file (`kubectl create configmap --from-file`) as one line
 * `  dash.json: '{"panels":[...]}'`: 98,000 indicators in 311 KB were
 * refused, where libfyaml scans one token and holds nothing. What lies
 * between its quotes is not counted; it is found by YAML's rules for where
 * a token starts (after white space, '[', '{', ',', or ':', '-', '?' and a
 * space), so a quote inside a plain scalar (`don't`) opens nothing.
 */
#include "ydoc-held.h"

#include <libfyaml.h>
#include <stdint.h>
#include <string.h>

/* Piece by piece, so that a hold is seen within this many bytes. */
#define PIECE 4096

static bool is_indicator(char c)
{
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

enum { Q_LOOK, Q_SINGLE, Q_DOUBLE, Q_NONE, Q_BLOCK, Q_PROPERTY, Q_COMMENT };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One step of looking for the quote, at i < given: how far on, 0 to wait. */
static size_t look(struct ydoc_held *h, size_t i)
{
	char c = h->text[i];

	if (is_blank(c) || c == '[' || c == '{' || c == ',')
		return 1;
	/* an anchor (or a tag) before the token: looked past */
	if (c == '&' || c == '!') {
		h->q_state = Q_PROPERTY;
		return 1;
	}
	/* a comment (no token starts with '#'): nothing to libfyaml, looked
	 * past to its line's end; a commented-out line of 70,000 indicators
	 * after the last event was refused */
	if (c == '#') {
		h->q_state = Q_COMMENT;
		return 1;
	}
	/* a block scalar's indicator: the rest is one token (see ydoc_held_feed) */
	if (c == '|' || c == '>') {
		h->q_state = Q_BLOCK;
		return 1;
	}
	if (c == '\'' || c == '"') {
		h->q_state = c == '\'' ? Q_SINGLE : Q_DOUBLE;
		return 1;
	}
	if (c == ':' || c == '-' || c == '?') {
		if (i + 1 == h->given)
			return 0;
		if (is_blank(h->text[i + 1]))
			return 2;
	}
	h->q_state = Q_NONE; /* anything else: a plain scalar, a comment, ... */
	return 1;
}

/* One step inside the quotes, at i < given: how far on, 0 to wait. */
static size_t inside(struct ydoc_held *h, size_t i)
{
	char c = h->text[i], q = h->q_state == Q_SINGLE ? '\'' : '"';

	if (h->q_state == Q_PROPERTY) {
		if (is_blank(c))
			h->q_state = Q_LOOK;
		return 1;
	}
	if (h->q_state == Q_COMMENT) {
		if (c == '\n' || c == '\r')
			h->q_state = Q_LOOK;
		else
			h->q_inside += is_indicator(c);
		return 1;
	}
	if (h->q_state == Q_BLOCK) {
		h->q_inside += is_indicator(c);
		return 1;
	}
	if ((c == '\\' && h->q_state == Q_DOUBLE) || (c == '\'' && h->q_state == Q_SINGLE)) {
		if (i + 1 == h->given)
			return 0;
		if (c == '\\' || h->text[i + 1] == '\'')
			return 2; /* an escape: \x, or '' in single quotes */
	}
	if (c == q)
		h->q_state = Q_NONE; /* closed: what it held stays discounted */
	else if (is_indicator(c))
		h->q_inside++;
	return 1;
}

/* Indicators in [done, given) inside the quoted scalar that is the first
 * token after done: one token to libfyaml, whatever it holds. Scanned on
 * from where the last call stopped while done stays where it was. */
static size_t quoted_inside(struct ydoc_held *h)
{
	if (h->q_done != h->done) {
		h->q_done = h->q_pos = h->done;
		h->q_inside = h->q_line = h->q_break = 0;
		h->q_state = Q_LOOK;
	}
	while (h->q_pos < h->given && h->q_state != Q_NONE) {
		size_t before = h->q_inside;
		size_t k = h->q_state == Q_LOOK ? look(h, h->q_pos) : inside(h, h->q_pos);

		if (!k)
			break;
		for (size_t j = h->q_pos; j < h->q_pos + k; j++)
			if (h->text[j] == '\n' || h->text[j] == '\r') {
				h->q_break = j + 1;
				h->q_line = 0;
			}
		h->q_line += h->q_inside - before;
		h->q_pos += k;
	}
	return h->q_inside;
}

static bool step(struct ydoc_held *h, bool breaks);

/*
 * The flow indicators libfyaml may hold, given but not yet handed out as
 * an event: in a flow collection, all those past the last event; in block
 * context, those of the line being read. Before session 16 block context
 * counted nothing once a line had ended after the last event: a flow
 * collection opening a line (`---` then `{...}` on the next, or a value
 * under its key) is held until its line ends, as a possible key, and one
 * such line of 1.9 MB cost lint 162 MB (the 16 MiB limit about 1 GB). A
 * quoted or block scalar that is the first token after the last event is
 * one token, whatever it holds: not counted.
 */
static size_t held(struct ydoc_held *h)
{
	size_t from = h->n_done, q = quoted_inside(h), n;

	/* counted from the line's start, only what was looked past on that
	 * line is taken off: a comment line of many indicators before a held
	 * line would have excused as many of the held ones */
	if (!h->flow && h->line_start > h->done) {
		from = h->n_line_start;
		q = h->q_break == h->line_start ? h->q_line : 0;
	}
	n = h->n_given - from;
	return n > q ? n - q : 0;
}

/*
 * The end of the input (the text's, or a refusal), session 22 (valgrind):
 * libfyaml 0.7.12 grows its input buffer with realloc when it looks past
 * what it holds (fy_reader_input_try_pull), then asks for more; when the
 * answer is the end, the look ahead fails and the reader's current pointer
 * is left in the freed block, which the scanner goes on reading
 * (fy_token_queue_simple_internal, fy_reader_skip_ws). A text whose last
 * byte ends a page of libfyaml's buffer (8,192 bytes ending in `ab:`), or
 * a refusal there, read a freed byte. When the buffer moved since the last
 * piece that could meet any look ahead, the end is given as NUL bytes
 * instead: libfyaml takes a NUL for the end of the stream (fy_is_z, its
 * stream end), and the look ahead that moved the buffer is met, which
 * points the reader into the new one. Once, and within the space the move
 * made, so the buffer does not move again.
 */
#define END_PAD 64

static ssize_t end_of_input(struct ydoc_held *h, void *buf, size_t count)
{
	size_t n = count < END_PAD ? count : END_PAD;

	if (!h->fy_moved || h->fy_padded)
		return 0;
	h->fy_padded = true;
	memset(buf, 0, n);
	return (ssize_t)n;
}

ssize_t ydoc_held_feed(struct ydoc_held *h, void *buf, size_t count)
{
	size_t n = h->len - h->given;

	if (h->fy_next && (const char *)buf != h->fy_next)
		h->fy_moved = true;
	if (h->refused)
		return end_of_input(h, buf, count);
	if (held(h) > YDOC_HELD_MAX) {
		h->refused = true;
		/* counted from the line's start: the error is placed there */
		while (h->done < h->line_start && step(h, true))
			;
		return end_of_input(h, buf, count);
	}
	if (n > count)
		n = count;
	if (n > PIECE)
		n = PIECE;
	if (!n)
		return end_of_input(h, buf, count);
	h->fy_next = (const char *)buf + n;
	if (n >= END_PAD)
		h->fy_moved = false;
	memcpy(buf, h->text + h->given, n);
	for (size_t i = 0; i < n; i++) {
		char c = h->text[h->given + i];

		if (is_indicator(c))
			h->n_given++;
		else if (c == '\n' || c == '\r') {
			h->line_start = h->given + i + 1;
			h->n_line_start = h->n_given;
		}
	}
	h->given += n;
	return (ssize_t)n;
}

/* A line break as libfyaml's YAML 1.1 reader counts one (CR LF as one;
 * NEL, U+2028, U+2029 too): its length at text[i], 0 when none. Counting
 * one too many only puts the last event earlier (more held, never less). */
static size_t line_break(const struct ydoc_held *h, size_t i)
{
	const unsigned char *s = (const unsigned char *)h->text;
	size_t left = h->given - i;

	if (s[i] == '\r')
		return left > 1 && s[i + 1] == '\n' ? 2 : 1;
	if (s[i] == '\n')
		return 1;
	if (left > 1 && s[i] == 0xc2 && s[i + 1] == 0x85)
		return 2;
	if (left > 2 && s[i] == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
		return 3;
	return 0;
}

/* Past one character (or line break) at h->done, counting indicators. */
static bool step(struct ydoc_held *h, bool breaks)
{
	size_t lb = line_break(h, h->done);

	if (lb && !breaks)
		return false;
	if (lb) {
		h->done += lb;
		h->line++;
		h->col = 0;
		return true;
	}
	if (is_indicator(h->text[h->done]))
		h->n_done++;
	do
		h->done++;
	while (h->done < h->given && ((unsigned char)h->text[h->done] & 0xc0) == 0x80);
	h->col++;
	return true;
}

void ydoc_held_event(struct ydoc_held *h, size_t line, size_t col, bool flow)
{
	/* libfyaml's marks carry no absolute offset once the text is fed by
	 * the piece (input_pos restarts with each of its buffers): the offset
	 * is found by walking on from the last event, lines and characters */
	while (h->done < h->given && h->line < line)
		step(h, true);
	while (h->done < h->given && h->line == line && h->col < col && step(h, false))
		;
	h->flow = flow;
}

/* Past blanks, line breaks and comments from h->done: where the next token
 * starts (h->given when it lies beyond), its column, whether a line ended. */
static size_t next_token(const struct ydoc_held *h, size_t *col, bool *crossed)
{
	size_t k = h->done, lb;

	while (k < h->given) {
		char c = h->text[k];

		if (c == ' ' || c == '\t') {
			k++;
			++*col;
		} else if ((lb = line_break(h, k)) != 0) {
			k += lb;
			*crossed = true;
		} else if (c == '#') {
			while (k < h->given && !line_break(h, k))
				k++;
		} else {
			break;
		}
	}
	return k;
}

/* The length of a YAML 1.1 line break ending just before i (LF, CR, NEL,
 * U+2028, U+2029), 0 when none */
static size_t break_before(const struct ydoc_held *h, size_t i)
{
	const unsigned char *s = (const unsigned char *)h->text;

	if (i >= 1 && (s[i - 1] == '\n' || s[i - 1] == '\r'))
		return 1;
	if (i >= 2 && s[i - 2] == 0xc2 && s[i - 1] == 0x85)
		return 2;
	if (i >= 3 && s[i - 3] == 0xe2 && s[i - 2] == 0x80 &&
	    (s[i - 1] == 0xa8 || s[i - 1] == 0xa9))
		return 3;
	return 0;
}

/*
 * Back from k over blanks, line breaks and comments: where the token before
 * k ends. A '#' opens a comment at a line's start or after a blank; a line
 * with a quote before its '#' is not looked into (the '#' may be inside a
 * scalar): the walk stops there, as it did before comments were passed.
 * A line is looked into only when a line break was crossed, so only the
 * first key after a line break scans the line above it: the walks of all
 * keys cover the text about once.
 */
static size_t back_over_space(const struct ydoc_held *h, size_t k)
{
	for (;;) {
		size_t ls, hash = SIZE_MAX;
		bool crossed = false;

		for (size_t n;;) {
			if ((n = break_before(h, k)) != 0)
				k -= n, crossed = true;
			else if (k > 0 && is_blank(h->text[k - 1]))
				k--;
			else
				break;
		}
		/* a comment runs to its line's end: only a line above may end in one
		 * (so a long line of flow keys is not scanned again for each key) */
		if (k == 0 || !crossed)
			return k;
		for (ls = k; ls > 0 && !break_before(h, ls); ls--)
			;
		for (size_t i = ls; i < k; i++) {
			if (h->text[i] == '\'' || h->text[i] == '"')
				return k;
			if (h->text[i] == '#' && (i == ls || is_blank(h->text[i - 1]))) {
				hash = i;
				break;
			}
		}
		if (hash == SIZE_MAX)
			return k;
		k = hash;
	}
}

bool ydoc_held_simple_key(struct ydoc_held *h, size_t sl, size_t sc, size_t el, size_t ec)
{
	size_t k, col;
	bool crossed = false;

	ydoc_held_event(h, sl, sc, h->flow);
	if (h->line != sl || h->col != sc)
		return true; /* the walker lags libfyaml here: cannot place the key */
	/* '?', blanks, line breaks or comments, the key: a complex key, which
	 * may take any length and lines (a '?' that ends a plain scalar,
	 * `why?`, is none) */
	k = back_over_space(h, h->done);
	if (k < h->done && k > 0 && h->text[k - 1] == '?' &&
	    (k == 1 || is_blank(h->text[k - 2]) || is_indicator(h->text[k - 2])))
		return true;
	ydoc_held_event(h, el, ec, h->flow);
	if (h->line != el || h->col != ec)
		return true;
	col = h->col;
	k = next_token(h, &col, &crossed);
	/* no ':' after it (`{a, b: c}`): a key without a value, nothing to check */
	if (k == h->given || h->text[k] != ':')
		return true;
	return !crossed && el == sl && col <= sc + YDOC_SIMPLE_KEY_MAX;
}

/* On a copy of the walker: the key check after (ydoc_held_simple_key)
 * places a key from its anchor's start, which may lie before (line, col);
 * the stretch is walked again by the next event, once */
static int char_at(const struct ydoc_held *h, size_t line, size_t col, size_t *at)
{
	struct ydoc_held w = *h;

	ydoc_held_event(&w, line, col, w.flow);
	*at = w.done;
	if (w.line != line || w.col != col || (w.done >= w.given && w.given < w.len))
		return -1; /* the walker lags libfyaml here: cannot place it */
	return w.done >= w.given ? YDOC_HELD_END : (unsigned char)w.text[w.done];
}

const char *ydoc_held_span(const struct ydoc_held *h, size_t sl, size_t sc, size_t el, size_t ec,
			   size_t *len)
{
	size_t a, b;

	if (char_at(h, sl, sc, &a) < 0 || char_at(h, el, ec, &b) < 0 || b < a)
		return NULL;
	*len = b - a;
	return h->text + a;
}

int ydoc_held_char_at(const struct ydoc_held *h, size_t line, size_t col)
{
	size_t at;

	return char_at(h, line, col, &at);
}

/* go-yaml's is_blankz: a blank, a YAML 1.1 line break, or the text's end */
bool ydoc_held_blank_at(const struct ydoc_held *h, size_t line, size_t col)
{
	size_t at;
	int c = char_at(h, line, col, &at);

	return c < 0 || c == YDOC_HELD_END || c == ' ' || c == '\t' || line_break(h, at);
}

struct fy_parser *ydoc_quiet_parser(struct fy_diag **fd, bool json, bool collect)
{
	struct fy_diag_cfg dcfg;
	struct fy_parser *fyp;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if (!(*fd = fy_diag_create(&dcfg)))
		return NULL;
	fy_diag_set_collect_errors(*fd, collect);
	struct fy_parse_cfg pcfg = {
	    .flags = FYPCF_QUIET | (json ? FYPCF_DEFAULT_VERSION_1_2 : FYPCF_DEFAULT_VERSION_1_1) |
		     FYPCF_JSON_NONE | FYPCF_DISABLE_RECYCLING,
	    .diag = *fd,
	};
	if (!(fyp = fy_parser_create(&pcfg))) {
		fy_diag_destroy(*fd);
		*fd = NULL;
	}
	return fyp;
}
