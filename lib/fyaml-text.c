/* SPDX-License-Identifier: MIT */
#include "fyaml-text.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "internal/util.h"

/* The header says what; the complex-key check below and kubectl's splitter
 * (lib/k8s/kubectl-stream.c) both ask it. */
size_t cs_yaml11_break_len(const unsigned char *u, size_t n)
{
	if (*u == '\n' || *u == '\r')
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0x85)
		return 2;
	return n >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9) ? 3 : 0;
}

/* Does a new line start after u[i] (len bytes in all)? As libfyaml counts
 * lines in YAML 1.1, whose line numbers the reader's other messages give:
 * at every break, a CR LF once (a file of CR alone was "line 1" here). */
static bool ends_line(const unsigned char *u, size_t len, size_t i)
{
	if (u[i] == '\r' && i + 1 < len && u[i + 1] == '\n')
		return false;
	return cs_yaml11_break_len(u + i, len - i) > 0;
}

/* Does a line break or a byte order mark end at u[i - 1]? */
static bool break_before(const unsigned char *u, size_t i)
{
	for (size_t k = 1; k <= 3 && k <= i; k++)
		if (cs_yaml11_break_len(u + i - k, k) == k)
			return true;
	return i >= 3 && !memcmp(u + i - 3, "\xef\xbb\xbf", 3);
}

/*
 * Can libfyaml take the '?' at i for a complex key indicator? It does where
 * a token may start and a blank or a line break (or the end) follows. A
 * token may start at the text's start, after a blank or a line break, and
 * right after a token that ends in a quote, a flow indicator or ':'; after
 * any other character the '?' belongs to that plain scalar, anchor or tag
 * ("Why? Because" is one scalar). Wider than libfyaml's own rule, never
 * narrower: the session-10 rule asked for the '?' to open its line and
 * missed "\u2028? b:\t:?" (a line break of YAML 1.1's) and ":  ?\t[a]"
 * (found by libFuzzer in session 13).
 */
static bool complex_key_at(const unsigned char *u, size_t len, size_t i)
{
	static const char starts_after[] = " \t\"',[]{}:";
	size_t n = len - i - 1;
	const unsigned char *f = u + i + 1;

	if (n && *f != ' ' && *f != '\t' && !cs_yaml11_break_len(f, n))
		return false;
	return i == 0 || (u[i - 1] && strchr(starts_after, u[i - 1])) || break_before(u, i);
}

/* Whether a line starting at u[i] is a "---" document marker, as
 * libfyaml's scanner takes one: a blank, a line break or the end after it. */
static bool document_marker(const unsigned char *u, size_t len, size_t i)
{
	return len - i >= 3 && !memcmp(u + i, "---", 3) &&
	       (len - i == 3 || u[i + 3] == ' ' || u[i + 3] == '\t' ||
		cs_yaml11_break_len(u + i + 3, len - i - 3));
}

/*
 * libfyaml 0.7.12 writes through NULL (fy_indent_vacuum_internal) or frees
 * twice (fy_fetch_value) on some texts that have a complex key ('? ') and a
 * tab used as a separator: "? b:\t?" and "? b:\t:?" are enough (found by
 * fuzz-lint and fuzz-manifest; the double free is fy_fetch_value giving its
 * simple key back twice when the check of the blanks after ':' fails).
 * Rather than chase each shape, a text with both is refused, at its first
 * tab: complex keys are rare in manifests and configs, and a space does
 * what the tab did.
 */
int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d)
{
	const unsigned char *u = (const unsigned char *)buf;
	unsigned line = 1, col = 1, tab_line = 0, tab_col = 0, directives = 0;
	bool complex_key = false, line_start = true;

	for (size_t i = 0, n; i < len; i += n) {
		n = u[i] ? cs_utf8_seq_len(u + i, len - i) : 0;
		if (!n)
			return cs_diag_set(d, EINVAL, line, col, field,
					   u[i] ? "not UTF-8 text (byte 0x%02x)"
						: "NUL byte in the text%.0d",
					   u[i]);
		/* a byte order mark opening the text: libfyaml skips it */
		if (line_start && !(i == 0 && n == 3 && !memcmp(u, "\xef\xbb\xbf", 3))) {
			line_start = false;
			if (document_marker(u, len, i))
				directives = 0;
			else if (u[i] == '%' && ++directives > CS_FY_DIRECTIVES_MAX)
				return cs_diag_set(
				    d, EINVAL, line, col, field,
				    "YAML: more than %d directives (%%YAML, %%TAG) before one "
				    "document: libfyaml compares each with every one before it, "
				    "and capscope reads no further; remove them",
				    CS_FY_DIRECTIVES_MAX);
		}
		if (u[i] == '?' && !complex_key)
			complex_key = complex_key_at(u, len, i);
		if (u[i] == '\t' && !tab_line)
			tab_line = line, tab_col = col;
		if (ends_line(u, len, i))
			line++, col = 1, line_start = true;
		else
			col++;
	}
	if (complex_key && tab_line)
		return cs_diag_set(d, EINVAL, tab_line, tab_col, field,
				   "a tab in a text with a complex key ('? '): libfyaml 0.7 can "
				   "crash on such a text; use spaces");
	return 0;
}

/*
 * libfyaml skips a byte order mark where it scans for a token at the start
 * of its input buffer, and sets the column to 0: at the text's start, and,
 * as the manifest reader feeds it by the piece (ydoc-held.c), again at the
 * first token after each 64 KiB it lets go of (fy_scan_to_next_token after
 * fy_reader_input_scan_token_mark's chop; 16 pages). So `add: [<U+FEFF>SYS_ADMIN]`
 * read as SYS_ADMIN or as an unknown name with U+FEFF in it, by the length
 * of a comment before it, and a flow collection after such a place was
 * "wrongly indented". go-yaml keeps it in a scalar and skips it only where
 * it opens a line. One placed anywhere but at the text's start is refused.
 */
int cs_fy_check_bom(const char *buf, size_t len, const char *field, struct cs_diag *d)
{
	/* checked UTF-8: EF BB BF is U+FEFF wherever it is */
	const char *bom = len > 1 ? memmem(buf + 1, len - 1, "\xef\xbb\xbf", 3) : NULL;
	unsigned line = 1, col = 1;

	if (!bom)
		return 0;
	for (const char *p = buf; p < bom; p++)
		if (ends_line((const unsigned char *)buf, len, (size_t)(p - buf)))
			line++, col = 1;
		else if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	return cs_diag_set(d, EINVAL, line, col, field,
			   "YAML: a byte order mark (U+FEFF) after the text's start: YAML readers "
			   "disagree on it (libfyaml skips one that opens a token at the start of "
			   "one of its buffers, go-yaml one that opens a line); remove it, or "
			   "write its escape in a double-quoted string");
}
