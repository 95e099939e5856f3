/* SPDX-License-Identifier: MIT */
/*
 * kubectl splits a YAML stream into documents itself, line by line, before
 * go-yaml sees any of it (apimachinery's util/yaml YAMLReader): a line that
 * starts with "---" ends a document, and since Kubernetes 1.22 (PR 103457)
 * such a line holding anything after the dashes but white space (Go's
 * unicode.IsSpace) or a comment is refused: "invalid Yaml document
 * separator". Before 1.22 the next document was silently dropped. Either
 * way `--- {"kind":"Pod",...}` or `--- kind: Pod` never creates that pod,
 * and neither does a quoted scalar with a line starting "---x" in it
 * (kubectl issue 1645), though YAML (libfyaml, go-yaml) reads all of them.
 * The reader refuses them too, rather than predict an object kubectl never
 * sends (session 13, second round). The line is kubectl's: up to '\n', a
 * byte order mark at the start of the text dropped (kubectl strips it).
 *
 * Before that, kubectl looks at the first 4,096 bytes (apimachinery's
 * GuessJSONStream): when they open with '{' after white space, the whole
 * file is read by Go's json.Decoder as JSON values one after another, with
 * only JSON's white space between them, and kubectl stops with an error at
 * the first thing that is not one: flow YAML (`{kind: Pod, ...}`), a "---"
 * line, a comment. libfyaml reads all of those as YAML; the reader refuses
 * them where kubectl stops.
 *
 * go-yaml then reads each piece, and refuses a character outside YAML's
 * printable set anywhere in it, comments too ("control characters are not
 * allowed": C0 controls but tab, LF and CR; DEL; C1 controls but NEL;
 * U+FFFE and U+FFFF). libfyaml reads all of them, so a pod kubectl never
 * creates was linted and predicted: refused here too (sixteenth pass). A
 * "---" line the splitter drops never reaches go-yaml and is not checked.
 * Go's JSON decoder takes all but the C0 controls (which the JSON checker
 * refuses), so a file kubectl reads as JSON is not checked for them.
 */
#include "kubectl-stream.h"

#include "../fyaml-text.h"
#include "../internal/json-check.h"
#include "../internal/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Whether the rest of a "---" line, s[0, n) (no '\n'), is what kubectl allows. */
static bool allowed_rest(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n && (k = cs_go_space_len(s + i, n - i)) > 0)
		i += k;
	return i == n || s[i] == '#';
}

/* What kubectl's GuessJSONStream peeks at. */
#define JSON_PEEK 4096

/* Whether kubectl reads text[i, len) as JSON: '{' within the peek after
 * Go's white space. */
static bool json_first(const unsigned char *s, size_t len, size_t i)
{
	size_t k, from = i;

	while (i < len && (k = cs_go_space_len(s + i, len - i)) > 0)
		i += k;
	return i < len && i - from < JSON_PEEK && s[i] == '{';
}

/* Whether Go's JSON decoder reads what the checker refused with msg (a
 * key twice, a lone surrogate, deep nesting, bytes that are not UTF-8): then
 * kubectl does not stop there, and the message must not say it does. */
static bool go_reads(const char *msg)
{
	return !strncmp(msg, "duplicate key", 13) || strstr(msg, "surrogate") ||
	       !strncmp(msg, "more than ", 10) || !strncmp(msg, "not UTF-8", 9);
}

/* JSON values with JSON's white space between them, from i on. */
static int check_json_values(const char *text, size_t len, size_t i, struct cs_diag *d)
{
	struct cs_diag e = {0};
	unsigned line, col;
	size_t end;
	int rc;

	for (;;) {
		while (i < len &&
		       (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i == len)
			return 0;
		if ((rc = cs_json_check(text + i, len - i, false, NULL, 0, &end, "", "", &e)) >=
		    0) {
			i += end;
			continue;
		}
		/* the checker's memory, not the text: kubectl does not stop there
		 * (it said "kubectl ... stops here (out of memory)", session 26) */
		if (rc == -ENOMEM)
			return cs_diag_set(d, ENOMEM, 0, 0, "", "out of memory");
		/* the checker's place is in the value: put it in the file */
		cs_json_pos(text, i, &line, &col);
		if (e.line > 1)
			line += e.line - 1, col = e.column;
		else if (e.column)
			col += e.column - 1;
		if (go_reads(e.message))
			return cs_diag_set(d, EINVAL, line, col, "", "JSON: %s", e.message);
		return cs_diag_set(d, EINVAL, line, col, "",
				   "kubectl reads a file that opens with '{' as JSON values one "
				   "after another and stops here (%s); write it all as JSON, or "
				   "as YAML that does not open with '{'",
				   e.message);
	}
}

/* Whether s[0, n) opens with marker ("---" or "...") and only white space
 * or a comment after it, as kubectl's splitter would allow after "---". */
static bool is_marker(const unsigned char *s, size_t n, const char *marker)
{
	return n >= 3 && !memcmp(s, marker, 3) && allowed_rest(s + 3, n - 3);
}

static int refuse(struct cs_diag *d, unsigned line, unsigned col, const char *what)
{
	return cs_diag_set(d, EINVAL, line, col, "", "YAML: %s", what);
}

/* Where the YAML line that starts at s[from] ends: the next of YAML 1.1's
 * line breaks in s[from, n), or n. */
static size_t yaml_line_end(const unsigned char *s, size_t from, size_t n)
{
	while (from < n && !cs_yaml11_break_len(s + from, n - from))
		from++;
	return from;
}

/* Where the splitter is (kubectl's YAMLReader): it hands go-yaml a piece of
 * the stream at each "---" line, and keeps that line with the piece after
 * it only when nothing at all (not even an empty line) came since the last
 * cut; else the line is dropped. */
struct pieces {
	bool after_end; /* a "..." line was seen since the last "---" line */
	bool bytes;	/* the piece holds something (kubectl's buffer) */
	bool opened;	/* it opens with a kept "---" line, or holds a token */
	bool not_utf8;	/* bytes that are not UTF-8 seen: refused later, there */
};

/* What go-yaml's reader (yaml_parser_update_buffer) takes: tab, LF, CR,
 * 0x20-0x7E, NEL, U+00A0-U+D7FF, U+E000-U+FFFD, U+10000 and above. */
static bool go_yaml_printable(uint32_t c)
{
	return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0x7e) || c == 0x85 ||
	       (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
}

/* The first character of s[0, n) (one of kubectl's lines, starting at YAML
 * line `line`) that go-yaml refuses: -EINVAL at its line and column. The
 * scan stops for good at bytes that are not UTF-8, which the text check
 * refuses at their own place. */
static int check_printable(const unsigned char *s, size_t n, unsigned line, struct pieces *p,
			   struct cs_diag *d)
{
	unsigned col = 1;
	uint32_t c = 0;

	for (size_t i = 0, k; i < n && !p->not_utf8; i += k) {
		if (!(k = s[i] ? cs_utf8_decode(s + i, n - i, &c) : 0)) {
			p->not_utf8 = true;
			break;
		}
		if (!go_yaml_printable(c))
			return cs_diag_set(
			    d, EINVAL, line, col, "",
			    "YAML: U+%04X is outside YAML's printable characters: kubectl "
			    "refuses the file (go-yaml: control characters are not "
			    "allowed, in comments too); remove it, or write its escape "
			    "in a double-quoted string",
			    (unsigned)c);
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			col++;
		else if (cs_yaml11_break_len(s + i, n - i))
			line++, col = 1;
		else
			col++;
	}
	return 0;
}

/* One YAML line, s[0, n), as to "...": it ends a document (after_end), or,
 * after one, opens a document with no "---" line before it (refused). A
 * "..." before any token of its piece is refused too: go-yaml finds no
 * document before it (kubectl 1.32: "...", "# c" then "...", or a pod then
 * "---" and "...": "did not find expected node content"), where libfyaml
 * reads an empty stream or the end of the document before. */
static int check_after_end(const unsigned char *s, size_t n, unsigned line, struct pieces *p,
			   struct cs_diag *d)
{
	if (is_marker(s, n, "...") && !p->opened)
		return refuse(d, line, 1,
			      "'...' before any document of the piece kubectl cuts at each '---' "
			      "line: go-yaml finds no document before it and kubectl refuses "
			      "the file (did not find expected node content); remove it");
	if (is_marker(s, n, "..."))
		p->after_end = true;
	else if (p->after_end && !allowed_rest(s, n) && s[0] != '%')
		return refuse(d, line, 1,
			      "a document after '...' with no '---' line before it: kubectl "
			      "hands go-yaml both as one and only the first is read; put a "
			      "'---' line before it");
	if (!allowed_rest(s, n))
		p->opened = true;
	return 0;
}

/*
 * One of kubectl's lines, s[0, n) without its '\n'. YAML 1.1 (libfyaml's
 * and go-yaml's scanner) also ends a line at a CR alone, NEL, U+2028 and
 * U+2029, kubectl at '\n' only: *line is YAML's count, p where the
 * splitter is.
 */
static int check_line(const unsigned char *s, size_t n, unsigned *line, struct pieces *p,
		      struct cs_diag *d)
{
	size_t rest = n && s[n - 1] == '\r' ? n - 1 : n; /* without a CR LF's CR */
	size_t i = yaml_line_end(s, 0, rest), k, seg;
	int rc;

	if (n >= 3 && !memcmp(s, "---", 3) && !allowed_rest(s + 3, n - 3))
		return refuse(d, *line, 4,
			      "a line starting with '---' has more than a comment after it: "
			      "kubectl refuses the file (invalid Yaml document separator); "
			      "put the document on the next line");
	bool separator = is_marker(s, n, "---");

	/* kubectl drops a separator line that ends a piece; go-yaml reads the rest */
	if ((!separator || !p->bytes) && (rc = check_printable(s, n, *line, p, d)) < 0)
		return rc;
	if (separator) {
		p->after_end = false;
		p->opened = !p->bytes; /* kept, or dropped and a new piece begun */
		p->bytes = !p->bytes;
	} else {
		p->bytes = true;
		if ((rc = check_after_end(s, i, *line, p, d)) < 0)
			return rc;
	}
	/* YAML's further lines in it, each after one of its breaks */
	for (; i < rest; i += k + seg) {
		k = cs_yaml11_break_len(s + i, rest - i);
		++*line;
		seg = yaml_line_end(s, i + k, rest) - (i + k);
		/* kubectl drops a separator line whole, YAML reads on after its
		 * comment ends at such a break ("--- #c<NEL>kind: Pod") */
		if (separator && !allowed_rest(s + i + k, seg))
			return refuse(d, *line, 1,
				      "text after a '---' line's comment and a line break other "
				      "than a line feed (a carriage return alone, NEL, U+2028 or "
				      "U+2029): kubectl drops the whole line, YAML reads this; "
				      "end the lines with LF or CR LF");
		if (is_marker(s + i + k, seg, "---") || is_marker(s + i + k, seg, "..."))
			return refuse(d, *line, 1,
				      "a document marker after a line break other than a line "
				      "feed (a carriage return alone, NEL, U+2028 or U+2029): "
				      "kubectl ends lines at a line feed only, sees no marker "
				      "here and reads the first document only; end the lines "
				      "with LF or CR LF");
		if ((rc = check_after_end(s + i + k, seg, *line, p, d)) < 0)
			return rc;
	}
	return 0;
}

int cs_k8s_kubectl_stream(const char *text, size_t len, struct cs_diag *d)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	unsigned line = 1;
	struct pieces p = {0};
	int rc;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	if (json_first(s, len, i))
		return check_json_values(text, len, i, d);
	while (i < len) {
		const unsigned char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		if ((rc = check_line(s + i, end - i, &line, &p, d)) < 0)
			return rc;
		i = end + 1;
		line++;
	}
	return 0;
}
