/* SPDX-License-Identifier: MIT */
/*
 * A tab between tokens, in block context, where go-yaml's scanner
 * (yaml_parser_scan_to_next_token, as libyaml's) does not skip it: at a
 * line's start or on a line of white space alone, and after '-', a '?' or
 * the ':' of a '?' key on the same line, wherever a simple key may start.
 * There go-yaml takes the tab for the next token and kubectl 1.32 refuses
 * the file ("found character that cannot start any token"): `-<TAB>name: c`
 * or a line of spaces and a tab under `securityContext:`. libfyaml 0.7.12
 * reads the tab as white space, so a pod kubectl never creates was linted
 * and predicted (twenty-first pass, part H). In flow context, after a ':'
 * of a simple key, after "---", a tag, an anchor or a scalar on its line,
 * go-yaml skips tabs as libfyaml does. Tabs inside a scalar are the
 * scalar's (ydoc-scalar.c has block scalars' rule). After a plain scalar,
 * go-yaml's scalar scanner eats the blank lines that follow, up to the
 * next text: a tab there is refused only left of the scalar's indentation
 * (its block's column + 1: "found a tab character that violates
 * indentation"), and a comment after it ends the scalar.
 *
 * The tokens come from libfyaml's own scanner, run once more over the
 * text, and only when it holds a tab: a text without one costs a memchr.
 * The text is fed as the reader feeds it (ydoc-held.c): where libfyaml
 * would hold too many tokens, the scan stops and the reader says so.
 */
#include "ydoc-tabs.h"

#include "internal/json-check.h"
#include "ydoc-held.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdbool.h>
#include <string.h>

static ssize_t feed(void *user, void *buf, size_t count)
{
	return ydoc_held_feed(user, buf, count);
}

/* A quoted scalar's end mark is its closing quote: the walker wants one on. */
static size_t end_col(struct fy_token *t, const struct fy_mark *e)
{
	enum fy_scalar_style ss;

	if (fy_token_get_type(t) != FYTT_SCALAR)
		return (size_t)e->column;
	ss = fy_token_scalar_style(t);
	return (size_t)e->column + (ss == FYSS_SINGLE_QUOTED || ss == FYSS_DOUBLE_QUOTED);
}

/* Where the gap after the token before it starts, as go-yaml sees it. */
struct gap {
	bool allowed; /* a simple key may start: a tab is the next token */
	bool plain;   /* after a plain scalar: its scanner eats blank lines */
	long indent;  /* that scalar's indentation (column, 0-based) */
};

/* The first tab go-yaml refuses in text[from, to), between two tokens in
 * block context: to when none. */
static size_t refused_tab(const char *text, size_t from, size_t to, struct gap g)
{
	bool after_break = false;
	long col = 0;

	for (size_t i = from; i < to; i++) {
		char c = text[i];

		if (c == '\n' || c == '\r') {
			g.allowed = !g.plain;
			after_break = true;
			col = 0;
			continue;
		}
		if (c == '#') {
			g.plain = false; /* the scalar ended; its line's break allows keys */
			while (i + 1 < to && text[i + 1] != '\n' && text[i + 1] != '\r')
				i++;
		} else if (c == '\t' && g.plain && after_break && col < g.indent) {
			return i;
		} else if (c == '\t' && g.allowed) {
			return i;
		} else if (c != ' ' && c != '\t') {
			g.allowed = g.plain = false;
		}
		if (((unsigned char)c & 0xc0) != 0x80)
			col++;
	}
	return to;
}

static int refuse(const char *text, size_t at, struct cs_diag *d)
{
	unsigned line, col;

	cs_json_pos(text, at, &line, &col);
	return cs_diag_set(
	    d, EINVAL, line, col, "",
	    /* under 256 bytes: cs_diag cuts a longer message in its middle */
	    "YAML: a tab where go-yaml takes no white space (a line's start, a blank "
	    "line, after '-' or '?', left of a plain scalar's indentation): kubectl "
	    "refuses the file; use spaces");
}

/* Block collections deeper than this: their tabs are left to the reader. */
#define TAB_DEPTH 256

int ydoc_check_tabs(const char *text, size_t len, struct cs_diag *d)
{
	struct fy_diag *fd;
	struct fy_parser *fyp;
	struct fy_token *t;
	size_t prev = 0, at = len;
	unsigned flow = 0, depth = 0;
	long cols[TAB_DEPTH];
	struct gap g = {.allowed = true};
	struct ydoc_held h;
	bool explicit_key = false, done = false;

	if (!memchr(text, '\t', len))
		return 0;
	/* quiet: its errors are the reader's to say. Collected, not "shown":
	 * libfyaml 0.7.12 shows an error (fy_diag_vreport when not collecting)
	 * by walking its token's source lines even with no output, and a flow
	 * scalar's error among fed pieces walks past them (SEGV in
	 * fy_diag_error_atom_display; session 27 part B, libFuzzer, corpus
	 * ydoc-tabs/flow-scalar-diag). The reader collects its own likewise. */
	if (!(fyp = ydoc_quiet_parser(&fd, false, true)))
		return -ENOMEM;
	/* libfyaml skips a byte order mark and counts no column for it */
	h = (struct ydoc_held){
	    .text = text, .len = len, .done = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0};
	if (fy_parser_set_input_callback(fyp, &h, feed)) {
		fy_parser_destroy(fyp);
		fy_diag_destroy(fd);
		return -ENOMEM;
	}
	while (!done && at == len && !h.refused && (t = fy_scan(fyp))) {
		if (h.refused) { /* the token may come from the cut text */
			fy_scan_token_free(fyp, t);
			break;
		}
		enum fy_token_type ty = fy_token_get_type(t);
		const struct fy_mark *s = fy_token_start_mark(t), *e = fy_token_end_mark(t);
		size_t to = s && s->input_pos <= len ? s->input_pos : prev;

		if (!flow && to > prev && depth <= TAB_DEPTH &&
		    (at = refused_tab(text, prev, to, g)) == to)
			at = len;
		if (ty == FYTT_FLOW_SEQUENCE_START || ty == FYTT_FLOW_MAPPING_START)
			flow++;
		else if ((ty == FYTT_FLOW_SEQUENCE_END || ty == FYTT_FLOW_MAPPING_END) && flow)
			flow--;
		else if (ty == FYTT_BLOCK_SEQUENCE_START || ty == FYTT_BLOCK_MAPPING_START)
			depth < TAB_DEPTH ? (void)(cols[depth++] = s ? s->column : 0)
					  : (void)depth++;
		else if (ty == FYTT_BLOCK_END && depth)
			depth--;
		if (ty == FYTT_KEY && !flow)
			explicit_key = s && s->input_pos < len && text[s->input_pos] == '?';
		/* where go-yaml's simple_key_allowed stays set after the token */
		g.allowed = !flow && (ty == FYTT_BLOCK_ENTRY || (ty == FYTT_KEY && explicit_key) ||
				      (ty == FYTT_VALUE && explicit_key));
		g.plain = !flow && ty == FYTT_SCALAR && fy_token_scalar_style(t) == FYSS_PLAIN;
		g.indent = (depth && depth <= TAB_DEPTH ? cols[depth - 1] : -1) + 1;
		if (ty == FYTT_VALUE)
			explicit_key = false;
		if (e && e->input_pos > prev) {
			prev = e->input_pos;
			ydoc_held_event(&h, (size_t)e->line, end_col(t, e), flow > 0);
		}
		done = ty == FYTT_STREAM_END;
		fy_scan_token_free(fyp, t);
	}
	fy_parser_destroy(fyp);
	fy_diag_destroy(fd);
	/* a text cut short (h.refused) is the reader's to refuse */
	if (at < len && !h.refused)
		return refuse(text, at, d);
	/* Stopped before the stream's end, not by the feed: a text libfyaml
	 * cannot scan, or an allocation that failed. The caller tells which. */
	return !done && !h.refused ? 1 : 0;
}
