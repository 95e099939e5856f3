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
