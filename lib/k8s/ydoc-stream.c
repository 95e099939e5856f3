/* SPDX-License-Identifier: MIT */
/*
 * A YAML stream whose every document is one JSON value, built by
 * ydoc-json.c rather than scanned by libfyaml. Why (session 13, measured):
 * libfyaml 0.7.12 holds every token of a flow collection that is an item of
 * a flow sequence until the item ends (ydoc-json.c says why), and session
 * 12 sent only text opening with '{' or '[' to the builder: the same 2.6 MB
 * one-line manifest written ` {...}`, `--- {...}` or after a byte order
 * mark cost lint 161 MB (a 16 MiB file about 1 GB).
 *
 * What may come before and between the values: white space, comments and
 * "---" markers at a line's start, one before each document but the first
 * (where it is optional), a byte order mark at the very start. Anything
 * else (a directive, "...", an empty document, a value that is not JSON)
 * leaves the whole text to libfyaml, as before.
 *
 * The tree is the one libfyaml's events give (tests/unit/test-ydoc compares
 * them). What it means: a text that is white space then one JSON value is
 * JSON to kubectl (apimachinery's YAMLOrJSONDecoder trims white space
 * before looking for '{'), as a text opening with '{' always was here.
 * A byte order mark at the start changes nothing: kubectl drops it first
 * (before session 14's second round it made the text YAML here, so a key
 * of JSON written over two lines was refused as go-yaml refuses it, and a
 * NEL in a string folded, where kubectl reads JSON). With a marker (on a
 * line of its own: kubectl refuses `--- {...}`, see kubectl-stream.c,
 * which manifests go through first) it is YAML 1.1 to kubectl (go-yaml),
 * which differs from JSON in a string only where it holds NEL, U+2028 or
 * U+2029 (line breaks to YAML 1.1: a string holding one is folded) or an
 * escape go-yaml refuses (`\/`, a surrogate's `\u`), or in an indentation
 * made of tabs: such a text is left to libfyaml's YAML 1.1.
 */
#include "ydoc-stream.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "internal/json-check.h"
#include "ydoc-held.h"
#include "ydoc-json.h"
#include "ydoc-scalar.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* What lies between two values: where the next begins, the markers. */
struct gap {
	size_t end;
	unsigned markers;
	bool tab;
};

static struct gap skip_gap(const char *s, size_t len, size_t i)
{
	struct gap g = {0};

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		bool line_start = i == 0 || s[i - 1] == '\n' || s[i - 1] == '\r';

		if (is_space(c)) {
			g.tab |= c == '\t';
			i++;
		} else if (c == '#' && (i == 0 || is_space((unsigned char)s[i - 1]))) {
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		} else if (c == '-' && line_start && len - i >= 3 && !memcmp(s + i, "---", 3) &&
			   (len - i == 3 || is_space((unsigned char)s[i + 3]))) {
			g.markers++;
			i += 3;
		} else {
			break;
		}
	}
	g.end = i;
	return g;
}

/* YAML 1.1's line breaks beyond CR and LF, in UTF-8. */
static bool has_yaml11_break(const char *s, size_t len)
{
	return memmem(s, len, "\xc2\x85", 2) || memmem(s, len, "\xe2\x80\xa8", 3) ||
	       memmem(s, len, "\xe2\x80\xa9", 3);
}

/*
 * Whether every key of the checked JSON value s[0, len) keeps go-yaml's
 * rule for a simple key (ydoc-held.h): its ':' on its line, at most 1,024
 * characters (UTF-8 sequences; a JSON string holds no line break) from its
 * opening quote. With a marker the stream is YAML to kubectl; a key that breaks the rule is left to
 * libfyaml with the rest, and the reader refuses it there at its place.
 */
static bool keys_keep_go_yaml_rule(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t chars = 2; /* the quotes */
		bool crossed = false;

		if (s[i] != '"')
			continue;
		for (i++; s[i] != '"'; i++) { /* checked JSON: the string is closed */
			if (s[i] == '\\') {
				i++;
				chars++;
			}
			chars += ((unsigned char)s[i] & 0xc0) != 0x80;
		}
		for (i++; i < len && is_space((unsigned char)s[i]); i++, chars++)
			crossed |= s[i] == '\n' || s[i] == '\r';
		if (i < len && s[i] == ':' && (crossed || chars > YDOC_SIMPLE_KEY_MAX))
			return false;
		i--;
	}
	return true;
}

/*
 * Whether the strings of the checked JSON value s[0, len) hold an escape
 * go-yaml refuses where JSON takes it ("\/", a surrogate's \u: see
 * ydoc-scalar.c). After a marker such a text is YAML to kubectl, refused
 * by go-yaml: left to libfyaml, whose reading refuses it at the string
 * (it was read as JSON, session 17, part F).
 */
static bool has_go_yaml_refused_escape(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t from;

		if (s[i] != '"')
			continue;
		for (from = ++i; s[i] != '"'; i++) /* checked JSON: the string is closed */
			if (s[i] == '\\')
				i++;
		if (memchr(s + from, '\\', i - from) && ydoc_dq_escapes(s + from, i - from))
			return true;
	}
	return false;
}

/*
 * Whether s is such a stream (1, else 0): each value checked, nothing
 * built; -ENOMEM when the checker's memory ran out. That was "no": one
 * failed allocation sent a JSON text to libfyaml's YAML 1.1, which folds a
 * NEL in a string into a space, and `explain pod` answered for another
 * command, exit 1 as always (session 26).
 */
static int is_json_stream(const char *s, size_t len)
{
	bool yaml = false, tab = false, keys = true;
	size_t i = 0, docs = 0, end;
	int rc;

	for (;;) {
		struct gap g = skip_gap(s, len, i);

		yaml |= g.markers > 0;
		tab |= g.tab;
		if (g.end == len) {
			if (!docs || g.markers)
				return 0; /* no value, or an empty document last */
			break;
		}
		if (g.markers > 1 || (docs && g.markers != 1) ||
		    (s[g.end] != '{' && s[g.end] != '['))
			return 0;
		if ((rc = cs_json_check(s + g.end, len - g.end, false, NULL, 0, &end, "", "",
					NULL)) < 0)
			return rc == -ENOMEM ? rc : 0;
		keys &= keys_keep_go_yaml_rule(s + g.end, end) &&
			!has_go_yaml_refused_escape(s + g.end, end);
		i = g.end + end;
		docs++;
	}
	return !yaml || (!tab && !has_yaml11_break(s, len) && keys);
}

static int build(const char *s, size_t len, ydoc_doc_fn fn, void *user)
{
	struct ydoc_json_mark m = {0, 1, 1};
	size_t i = 0;
	int rc = 0;

	for (;;) {
		struct gap g = skip_gap(s, len, i);
		struct cs_arena *arena;
		struct ydoc_node *root;
		size_t nodes;

		if (g.end == len)
			return rc;
		if (!(arena = cs_arena_new()))
			return -ENOMEM;
		rc = ydoc_json_build(s, len, g.end, &m, arena, &root, &nodes, &i);
		if (rc == 0)
			rc = fn(user, root, nodes);
		cs_arena_free(arena);
		if (rc < 0)
			return rc;
	}
}

int ydoc_is_json_stream(const char *text, size_t len)
{
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		text += 3, len -= 3;
	return is_json_stream(text, len);
}

int ydoc_stream_read(const char *text, size_t len, ydoc_doc_fn fn, void *user)
{
	/* kubectl drops a byte order mark at a file's start before it looks
	 * for '{' (cli-runtime's FileVisitor reads the file through
	 * unicode.BOMOverride): after one, the text is what it would be
	 * without. libfyaml counts no column for it either. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		text += 3, len -= 3;
	int rc = is_json_stream(text, len);

	if (rc <= 0)
		return rc < 0 ? rc : 1;
	return build(text, len, fn, user);
}
