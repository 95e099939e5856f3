/* SPDX-License-Identifier: MIT */
/*
 * HTML escaping: the one terminal rule of escape.h first, then entities.
 * Going through cs_escape_text means a page shows a hostile name exactly as
 * the terminal does ("\x1b[31m", "\u202e"), and no control byte or invalid
 * UTF-8 reaches the browser; the entities then make it inert in element
 * text and in a quoted attribute alike.
 */
#include "capscope/html.h"
#include "html-internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "../internal/util.h"

/*
 * The input is fed to cs_escape_text in pieces of one byte that is not a
 * UTF-8 continuation byte plus at most three continuation bytes after it.
 * A valid sequence never spans such a boundary and a stray continuation
 * byte is escaped alone either way, so the pieces escape exactly as the
 * whole string would, with a fixed buffer and no allocation: each piece
 * with the whole string as its context (cs_escape_span), which a joiner
 * beside ASCII needs (nineteenth pass: "web" U+200D was kept, fed alone).
 */
static size_t piece_len(const unsigned char *s, size_t n)
{
	size_t k = 1;

	while (k < n && k < 4 && (s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

static const char *entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

typedef void (*sink_fn)(void *ctx, const char *p, size_t len);

/*
 * Escape s[0..n) into sink, one whole escape at a time; returns the total
 * length. keep_backslash: s is text the library already wrote for a
 * terminal (its escapes, shell or YAML quoting hold backslashes), so a
 * backslash is not escaped again; every other byte still is.
 */
static size_t html_escape_to(const char *s, size_t n, bool keep_backslash, sink_fn sink, void *ctx)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t total = 0;
	char t[40];

	for (size_t i = 0; i < n;) {
		size_t k = piece_len(u + i, n - i);
		size_t tl;

		if (keep_backslash && s[i] == '\\') {
			t[0] = '\\';
			tl = 1;
		} else {
			tl = cs_escape_span(s, n, i, i + k, t, sizeof(t));
		}

		for (size_t j = 0; j < tl && j < sizeof(t) - 1; j++) {
			const char *e = entity(t[j]);
			size_t el = e ? strlen(e) : 1;

			sink(ctx, e ? e : &t[j], el);
			total += el;
		}
		i += k;
	}
	return total;
}

struct buf_sink {
	char *out;
	size_t len, used;
	bool full; /* a piece did not fit: nothing after it is written */
};

static void buf_put(void *ctx, const char *p, size_t len)
{
	struct buf_sink *b = ctx;

	if (b->full || b->used + len >= b->len) {
		b->full = true;
		return;
	}
	memcpy(b->out + b->used, p, len);
	b->used += len;
	b->out[b->used] = '\0';
}

size_t cs_html_escape(const char *s, size_t n, char *out, size_t outlen)
{
	struct buf_sink b = {.out = out, .len = outlen};

	if (out && outlen)
		out[0] = '\0';
	else
		b.full = true;
	return html_escape_to(s, n, false, buf_put, &b);
}

char *cs_html_escape_dup(const char *s)
{
	size_t n = s ? strlen(s) : 0, need = cs_html_escape(s ? s : "", n, NULL, 0);
	char *out = malloc(need + 1);

	if (out)
		cs_html_escape(s ? s : "", n, out, need + 1);
	return out;
}

static void file_put(void *ctx, const char *p, size_t len)
{
	fwrite(p, 1, len, ctx);
}

void cs_html_put(FILE *f, const char *s)
{
	if (s)
		html_escape_to(s, strlen(s), false, file_put, f);
}

void cs_html_put_escaped(FILE *f, const char *s)
{
	if (s)
		html_escape_to(s, strlen(s), true, file_put, f);
}

void html_put_escaped_n(FILE *f, const char *s, size_t n)
{
	html_escape_to(s, n, true, file_put, f);
}
