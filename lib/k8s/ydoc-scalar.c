/* SPDX-License-Identifier: MIT */
/*
 * What libfyaml 0.7.12 reads in a scalar where go-yaml v2 (sigs.k8s.io/
 * yaml's copy, kubectl 1.32) refuses it or reads another text, found by
 * a differential run of both over every escape and some thousands of block
 * scalars (session 17, part F). Each was read as libfyaml gives it:
 *
 * - the escape "\/" (YAML 1.2's) and \u or \U escapes of a UTF-16
 *   surrogate: go-yaml refuses them ("found unknown escape character",
 *   "found invalid Unicode character escape code"), libfyaml gives "/" and
 *   joins a pair ("\ud83d\ude00" read as one emoji);
 * - a folded scalar with an empty line before a more-indented one: libfyaml
 *   loses a line break and ends the text with a NUL byte, which the reader
 *   then refused as "string contains a NUL byte" (untrue);
 * - a tab among the spaces that indent a block scalar's first line (or
 *   a blank line before it): go-yaml refuses it, libfyaml reads the tab;
 * - a block scalar with an indentation indicator and no line but blank
 *   ones: go-yaml keeps the spaces past the indentation, libfyaml drops
 *   them (`|2` then a line of 6 spaces under a key at column 3: "  \n"
 *   against "").
 */
#include "ydoc-scalar.h"

#include <stdbool.h>
#include <string.h>

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Code point c as UTF-8 at o; its length. */
static size_t put_utf8(char *o, unsigned long c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * YAML 1.2's escapes (libfyaml's fy_utf8_parse_escape): one character each,
 * \x, \u and \U a code point written as UTF-8. None writes more than 1.5
 * times what it takes (\L and \P: 3 bytes for 2), the room the caller gives.
 */
int ydoc_dq_line(const char *raw, size_t len, char *out, size_t *outlen)
{
	static const char simple[][2] = {{'0', '\0'},  {'a', '\a'},   {'b', '\b'}, {'t', '\t'},
					 {'\t', '\t'}, {'n', '\n'},   {'v', '\v'}, {'f', '\f'},
					 {'r', '\r'},  {'e', '\033'}, {' ', ' '},  {'"', '"'},
					 {'\\', '\\'}};
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned long v = 0;
		size_t n = 0;
		char c;
		bool done = false;

		if (raw[i] != '\\') {
			out[k++] = raw[i];
			continue;
		}
		if (++i == len)
			return 1;
		c = raw[i];
		for (size_t e = 0; e < sizeof(simple) / sizeof(simple[0]) && !done; e++)
			if (c == simple[e][0])
				out[k++] = simple[e][1], done = true;
		if (done)
			continue;
		switch (c) {
		case 'N': /* U+0085, 2 bytes for 2 */
			v = 0x85;
			break;
		case '_': /* U+00A0, 2 bytes for 2 */
			v = 0xa0;
			break;
		case 'L': /* U+2028 */
			v = 0x2028;
			break;
		case 'P': /* U+2029 */
			v = 0x2029;
			break;
		case 'x':
			n = 2;
			break;
		case 'u':
			n = 4;
			break;
		case 'U':
			n = 8;
			break;
		default: /* \/ (refused at the scalar) or unknown: libfyaml's */
			return 1;
		}
		if (n && (len - i - 1 < n))
			return 1;
		for (size_t h = 1; h <= n; h++) {
			if (hex(raw[i + h]) < 0)
				return 1;
			v = v * 16 + (unsigned long)hex(raw[i + h]);
		}
		i += n;
		if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
			return 1;
		k += put_utf8(out + k, v);
	}
	*outlen = k;
	return 0;
}

const char *ydoc_dq_escapes(const char *raw, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned long v = 0;
		size_t n = 0;

		if (raw[i] != '\\')
			continue;
		if (raw[++i] == '/')
			return "the escape backslash then '/' in a double-quoted scalar: "
			       "Kubernetes (go-yaml, "
			       "YAML 1.1) refuses it (found unknown escape character); write '/'";
		n = raw[i] == 'u' ? 4 : raw[i] == 'U' ? 8 : 0;
		for (size_t k = 1; k <= n && i + k < len && hex(raw[i + k]) >= 0; k++)
			v = v * 16 + (unsigned long)hex(raw[i + k]);
		if (n && v >= 0xd800 && v <= 0xdfff)
			return "a UTF-16 surrogate escaped in a double-quoted scalar: Kubernetes "
			       "(go-yaml) refuses it (found invalid Unicode character escape "
			       "code); write the character itself, or backslash then 'U' and 8 hex "
			       "digits";
		/* any other escape: both read it the same, or both refuse it (libfyaml
		 * has said so before this is asked) */
	}
	return NULL;
}

/*
 * The indentation indicator of a block scalar's header line (a digit 1-9
 * beside its chomping sign), or 0. The header is the last '|' or '>'
 * followed by at most two of [-+1-9] and a blank or the line's end, before
 * any comment: a key or an anchor before it may hold one too.
 */
static int indicator(const char *hdr, size_t len)
{
	int found = 0;

	for (size_t i = 0; i < len; i++) {
		size_t k = i + 1;
		int digit = 0;

		if (found >= 0 && (hdr[i] == ' ' || hdr[i] == '\t') && i + 1 < len &&
		    hdr[i + 1] == '#' && found)
			break; /* a comment after the header */
		if (hdr[i] != '|' && hdr[i] != '>')
			continue;
		while (k < len && k < i + 3 &&
		       (hdr[k] == '-' || hdr[k] == '+' || (hdr[k] >= '1' && hdr[k] <= '9'))) {
			if (hdr[k] >= '1' && hdr[k] <= '9')
				digit = hdr[k] - '0';
			k++;
		}
		if (k == len || hdr[k] == ' ' || hdr[k] == '\t' || hdr[k] == '\r' || hdr[k] == '\n')
			found = digit ? digit : -1;
	}
	return found > 0 ? found : 0;
}

/*
 * go-yaml's scanner, finding a block scalar's indentation from its first
 * line that is not blank, refuses a tab among the spaces before it, on
 * that line or a blank one before it ("found a tab character where an
 * indentation space is expected"); libfyaml takes the tab as the text's.
 * Without an indentation indicator only: with one, where the indentation
 * ends depends on the parent's, not known here.
 */
static bool tab_in_indentation(const char *raw, size_t len)
{
	const char *p = raw, *e = raw + len;

	while (p && p < e) {
		while (p < e && *p == ' ')
			p++;
		if (p < e && *p == '\t')
			return true;
		if (p >= e || (*p != '\n' && *p != '\r'))
			return false; /* the first line with text: the indentation is found */
		if ((p = memchr(p, '\n', (size_t)(e - p))))
			p++;
	}
	return false;
}

const char *ydoc_block_misread(const char *hdr, size_t hdr_len, const char *raw, size_t raw_len,
			       const char *text, size_t len)
{
	bool blank = true;
	int ind = hdr ? indicator(hdr, hdr_len) : -1;

	if (!ind && raw && tab_in_indentation(raw, raw_len))
		return "a tab before the text of a block scalar's first line: Kubernetes "
		       "(go-yaml) refuses it (found a tab character where an indentation space "
		       "is expected); indent with spaces";
	if (memchr(text, '\0', len))
		return "a folded scalar (>) with an empty line before a more-indented one: "
		       "libfyaml 0.7.12 reads it otherwise than Kubernetes (go-yaml); write it "
		       "as a literal (|) or quoted scalar";
	for (size_t i = 0; i < len && blank; i++)
		blank = text[i] == '\n';
	if (!blank || ind <= 0 || !raw)
		return NULL;
	/* only blank lines: a space on any of them may be one go-yaml keeps
	 * (past the indentation) and libfyaml drops */
	if (memchr(raw, ' ', raw_len))
		return "a block scalar with an indentation indicator and only blank "
		       "lines: libfyaml 0.7.12 drops spaces Kubernetes (go-yaml) keeps; "
		       "write it as a quoted scalar";
	return NULL;
}
