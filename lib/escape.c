/* SPDX-License-Identifier: MIT */
#include "capscope/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cleanup.h"
#include "internal/util.h"

size_t cs_escape_text(const char *str, size_t n, char *out, size_t outlen)
{
	return cs_escape_span(str, n, 0, n, out, outlen);
}

size_t cs_escape_span(const char *str, size_t n, size_t from, size_t to, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need = 0, used = 0;
	char tmp[12];

	for (size_t i = from; i < to;) {
		const char *piece;
		size_t plen, adv = 1;
		uint32_t cp;

		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			piece = (const char *)s + i;
			plen = 1;
		} else if (s[i] == '\\') {
			piece = "\\\\", plen = 2;
		} else if (s[i] == '\n') {
			piece = "\\n", plen = 2;
		} else if (s[i] == '\t') {
			piece = "\\t", plen = 2;
		} else if (s[i] == '\r') {
			piece = "\\r", plen = 2;
		} else if (s[i] >= 0x80 && (adv = cs_utf8_decode(s + i, n - i, &cp)) > 0) {
			if (cs_cp_hidden_at(s, n, i, adv, cp)) {
				/* Past U+FFFF eight digits: "\\u" and four would
				 * read as another character and a digit. */
				plen = (size_t)snprintf(tmp, sizeof(tmp),
							cp > 0xffff ? "\\U%08x" : "\\u%04x",
							(unsigned)cp);
				piece = tmp;
			} else {
				piece = (const char *)s + i, plen = adv;
			}
		} else {
			adv = 1;
			plen = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
			piece = tmp;
		}
		/* Only whole escapes go out, so a cut never leaves half of one. */
		if (outlen && used == need && used + plen < outlen) {
			memcpy(out + used, piece, plen);
			used += plen;
		}
		need += plen;
		i += adv;
	}
	if (outlen)
		out[used] = '\0';
	return need;
}

size_t cs_escape_clip(const char *s, char *out, size_t outlen)
{
	size_t n = s ? strlen(s) : 0;

	if (!outlen)
		return 0;
	if (cs_escape_text(s ? s : "", n, out, outlen) < outlen)
		return strlen(out);
	if (outlen < 4) {
		out[0] = '\0';
		return 0;
	}
	/* Whole escapes and characters only, then the mark: never a byte of
	 * either overwritten by it. */
	cs_escape_text(s, n, out, outlen - 3);
	strcat(out, "...");
	return strlen(out);
}

void cs_escape_write(FILE *f, const char *s)
{
	char buf[4 * 4096 + 1]; /* an escape is at most 4 bytes a byte ("\\xNN") */
	size_t len = s ? strlen(s) : 0;

	/* Each piece escaped with the whole text as its context: a joiner at
	 * a piece's end is judged by the character after it. */
	for (size_t at = 0; at < len;) {
		size_t n = cs_text_cut(s + at, len - at, 4096);

		if (n == 0) /* not reached: a character is at most 4 bytes */
			n = len - at < 4096 ? len - at : 4096;
		cs_escape_span(s, len, at, at + n, buf, sizeof(buf));
		fputs(buf, f);
		at += n;
	}
}

char *cs_escape_dup(const char *s)
{
	size_t n, need;
	char *out;

	if (!s)
		s = "";
	n = strlen(s);
	need = cs_escape_text(s, n, NULL, 0);
	out = malloc(need + 1);
	if (out)
		cs_escape_text(s, n, out, need + 1);
	return out;
}

int cs_text_is_safe(const char *s)
{
	size_t n = strlen(s);

	return cs_escape_text(s, n, NULL, 0) == n;
}

size_t cs_text_cut(const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len <= max)
		return len;
	/* Back to the first byte of the valid character the cut would split,
	 * at most 3 bytes back. Bytes that are no such character stay: they
	 * are escaped one by one as what they are ("\\x80"). A walk back over
	 * every continuation byte cut 100 stray 0x80 bytes to nothing. */
	for (size_t k = 1; k <= 3 && k <= max; k++)
		if (cs_utf8_seq_len(u + max - k, len - (max - k)) > k)
			return max - k;
	return max;
}

/*
 * One blank of the escaped text at p (n bytes left) as its escape into out
 * (at least 7 bytes), returning the bytes of p it stands for, or 0 when p
 * is no blank. Blanks are what cs_go_space_len takes (a space, NBSP,
 * U+2000..U+200A, U+202F, U+205F, U+3000...); controls among them are
 * already escaped.
 */
static size_t cell_blank(const unsigned char *p, size_t n, char *out)
{
	size_t k = cs_go_space_len(p, n);
	uint32_t cp = ' ';

	if (!k)
		return 0;
	if (k > 1)
		cs_utf8_decode(p, n, &cp);
	snprintf(out, 7, cp == ' ' ? "\\x20" : "\\u%04x", (unsigned)cp);
	return k;
}

char *cs_escape_cell_dup(const char *s)
{
	cs_cleanup_free char *e = cs_escape_dup(s);
	size_t n, need = 0, used = 0;
	char piece[8], *out;

	if (!e)
		return NULL;
	n = strlen(e);
	for (size_t i = 0, k; i < n; i += k) {
		k = cell_blank((const unsigned char *)e + i, n - i, piece);
		need += k ? strlen(piece) : 1;
		k = k ? k : 1;
	}
	if (!(out = malloc(need + 1)))
		return NULL;
	for (size_t i = 0, k; i < n; i += k) {
		if ((k = cell_blank((const unsigned char *)e + i, n - i, piece))) {
			memcpy(out + used, piece, strlen(piece));
			used += strlen(piece);
		} else {
			out[used++] = e[i];
			k = 1;
		}
	}
	out[used] = '\0';
	return out;
}

char *cs_escape_item_dup(const char *s, const char *marks)
{
	char *e = cs_escape_cell_dup(s), *out, *w;
	size_t n = 0;

	if (!e || !marks || !*marks)
		return e;
	for (const char *p = e; *p; p++)
		n += strchr(marks, *p) != NULL;
	if (!n)
		return e;
	if ((out = malloc(strlen(e) + 3 * n + 1))) {
		w = out;
		/* '\\' is already escaped, so "\\xNN" cannot be confused. */
		for (const char *p = e; *p; p++)
			if (strchr(marks, *p))
				w += sprintf(w, "\\x%02x", (unsigned char)*p);
			else
				*w++ = *p;
		*w = '\0';
	}
	free(e);
	return out;
}
