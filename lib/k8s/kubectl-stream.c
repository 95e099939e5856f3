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
 */
#include "kubectl-stream.h"

#include "../internal/json-check.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

/* Go's unicode.IsSpace at s (n bytes left): its length, 0 when not one. */
static size_t go_space(const unsigned char *s, size_t n)
{
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2; /* NEL, no-break space */
	if (n < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3; /* U+1680 */
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000 to U+200A, U+2028, U+2029, U+202F */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3; /* U+205F */
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

/* Whether the rest of a "---" line, s[0, n) (no '\n'), is what kubectl allows. */
static bool allowed_rest(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n && (k = go_space(s + i, n - i)) > 0)
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

	while (i < len && (k = go_space(s + i, len - i)) > 0)
		i += k;
	return i < len && i - from < JSON_PEEK && s[i] == '{';
}

/* JSON values with JSON's white space between them, from i on. */
static int check_json_values(const char *text, size_t len, size_t i, struct cs_diag *d)
{
	struct cs_diag e = {0};
	unsigned line, col;
	size_t end;

	for (;;) {
		while (i < len &&
		       (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i == len)
			return 0;
		if (cs_json_check(text + i, len - i, false, NULL, 0, &end, "", "", &e) >= 0) {
			i += end;
			continue;
		}
		/* the checker's place is in the value: put it in the file */
		cs_json_pos(text, i, &line, &col);
		if (e.line > 1)
			line += e.line - 1, col = e.column;
		else if (e.column)
			col += e.column - 1;
		return cs_diag_set(d, EINVAL, line, col, "",
				   "kubectl reads a file that opens with '{' as JSON values one "
				   "after another and stops here (%s); write it all as JSON, or "
				   "as YAML that does not open with '{'",
				   e.message);
	}
}

int cs_k8s_kubectl_stream(const char *text, size_t len, struct cs_diag *d)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	unsigned line = 1;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	if (json_first(s, len, i))
		return check_json_values(text, len, i, d);
	while (i < len) {
		const unsigned char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		if (end - i >= 3 && !memcmp(s + i, "---", 3) &&
		    !allowed_rest(s + i + 3, end - i - 3))
			return cs_diag_set(d, EINVAL, line, 4, "",
					   "YAML: a line starting with '---' has more than a "
					   "comment after it: kubectl refuses the file (invalid "
					   "Yaml document separator); put the document on the "
					   "next line");
		i = end + 1;
		line++;
	}
	return 0;
}
