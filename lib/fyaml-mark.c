/* SPDX-License-Identifier: MIT */
#include "fyaml-mark.h"
#include "internal/util.h"

#include <stdbool.h>
#include <string.h>

#include <errno.h>

#include "serve/json-doc.h"

/*
 * An empty collection ([] or {}) has no token of its own that libfyaml 0.7
 * gives back: it is placed at the key whose value it is, so that
 * `"capabilities": []` is refused with a line rather than none.
 */
static const struct fy_mark *empty_mark(struct fy_node *n)
{
	struct fy_node *parent = fy_node_get_parent(n);
	struct fy_node_pair *pr;
	void *it = NULL;

	if (!parent || !fy_node_is_mapping(parent))
		return NULL;
	while ((pr = fy_node_mapping_iterate(parent, &it)))
		if (fy_node_pair_value(pr) == n) {
			struct fy_node *k = fy_node_pair_key(pr);
			struct fy_token *t =
			    k && fy_node_is_scalar(k) ? fy_node_get_scalar_token(k) : NULL;

			return t ? fy_token_start_mark(t) : NULL;
		}
	return NULL;
}

const struct fy_mark *cs_fy_node_mark(struct fy_node *n)
{
	if (n && !fy_node_is_scalar(n) && !fy_node_is_alias(n) &&
	    (fy_node_is_mapping(n) ? fy_node_mapping_item_count(n)
				   : fy_node_sequence_item_count(n)) == 0)
		return empty_mark(n);
	/* Bounded: a mark deeper than this is not worth a walk of hostile input. */
	for (int depth = 0; n && depth < 16; depth++) {
		void *it = NULL;

		if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);

			return t ? fy_token_start_mark(t) : NULL;
		}
		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);

			n = pr ? fy_node_pair_key(pr) : NULL;
		} else {
			n = fy_node_sequence_iterate(n, &it);
		}
	}
	return NULL;
}

/* Is the '?' at i a complex key indicator: first on its line (after blanks
 * and "- "), followed by a blank or the end of the line? */
static bool complex_key_at(const unsigned char *u, size_t len, size_t i)
{
	if (i + 1 < len && u[i + 1] != ' ' && u[i + 1] != '\t' && u[i + 1] != '\n' &&
	    u[i + 1] != '\r')
		return false;
	while (i > 0 && (u[i - 1] == ' ' || u[i - 1] == '\t' || u[i - 1] == '-'))
		i--;
	return i == 0 || u[i - 1] == '\n' || u[i - 1] == '\r';
}

/*
 * libfyaml 0.7.12 writes through NULL (fy_indent_vacuum_internal) or frees
 * twice (fy_fetch_value) on some texts that have a complex key ('? ') and a
 * tab used as a separator: "? b:\t?" and "? b:\t:?" are enough (found by
 * fuzz-lint and fuzz-manifest). Rather than chase each shape, a text with
 * both is refused, at its first tab: complex keys are rare in manifests and
 * configs, and a space does what the tab did.
 */
int cs_fy_check_text(const char *buf, size_t len, const char *field, struct cs_diag *d)
{
	const unsigned char *u = (const unsigned char *)buf;
	unsigned line = 1, col = 1, tab_line = 0, tab_col = 0;
	bool complex_key = false;

	for (size_t i = 0, n; i < len; i += n) {
		n = u[i] ? cs_utf8_seq_len(u + i, len - i) : 0;
		if (!n)
			return cs_diag_set(d, EINVAL, line, col, field,
					   u[i] ? "not UTF-8 text (byte 0x%02x)"
						: "NUL byte in the text%.0d",
					   u[i]);
		if (u[i] == '?' && !complex_key)
			complex_key = complex_key_at(u, len, i);
		if (u[i] == '\t' && !tab_line)
			tab_line = line, tab_col = col;
		if (u[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	if (complex_key && tab_line)
		return cs_diag_set(d, EINVAL, tab_line, tab_col, field,
				   "a tab in a text with a complex key ('? '): libfyaml 0.7 can "
				   "crash on such a text; use spaces");
	return 0;
}

static void say_nothing(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

/* d from the first error libfyaml collected, or "parse error" at 1:0; after
 * says it came after the first document. */
static void first_error(struct fy_diag *diag, const char *kind, bool after, const char *field,
			struct cs_diag *d)
{
	void *it = NULL;
	struct fy_diag_error *e = fy_diag_errors_iterate(diag, &it);

	cs_diag_set(d, EINVAL,
		    e && e->line > 0 ? (unsigned)e->line
		    : e		     ? 1
				     : 0,
		    e && e->column > 0 ? (unsigned)e->column : 0, field, "not valid %s: %s%s", kind,
		    after ? "text after the first document: " : "",
		    e && e->msg ? e->msg : "parse error");
}

/*
 * The first document, and nothing after it. fy_document_build_from_string
 * drains what follows the first document and drops it, errors included, so
 * `{...} {...}` read as the first object and a second YAML document was
 * never looked at; Go's json.Unmarshal (containerd and CRI-O reading an
 * image config) refuses the text, and a second document of a file that
 * holds one is not read by anyone. An empty one (a trailing `---`) is
 * nothing and passes.
 */
int cs_fy_after_first(struct fy_parser *fyp, struct fy_mark *at)
{
	struct fy_document *more = fy_parse_load_document(fyp);
	struct fy_node *root = more ? fy_document_root(more) : NULL;
	const struct fy_mark *mk = NULL;
	int rc = 0;

	*at = (struct fy_mark){.line = -1, .column = -1}; /* no mark: 0:0 to the caller */
	if (root && !cs_fy_is_yaml_null(root)) {
		if ((mk = cs_fy_node_mark(root)))
			*at = *mk;
		rc = 1;
	} else if (fy_parser_get_stream_error(fyp)) {
		rc = -1;
	}
	fy_document_destroy(more);
	return rc;
}

static struct fy_document *load_one(struct fy_parser *fyp, struct fy_diag *diag, const char *kind,
				    const char *field, struct cs_diag *d)
{
	struct fy_document *doc = fy_parse_load_document(fyp);
	struct fy_mark at;
	int after;

	if (!doc) {
		first_error(diag, kind, false, field, d);
		return NULL;
	}
	if ((after = cs_fy_after_first(fyp, &at)) == 0)
		return doc;
	if (after > 0)
		cs_diag_set(d, EINVAL, (unsigned)(at.line + 1), (unsigned)(at.column + 1), field,
			    "not valid %s: a second document after the first (one is read)", kind);
	else
		first_error(diag, kind, true, field, d);
	fy_document_destroy(doc);
	return NULL;
}

struct fy_document *cs_fy_build_quiet(const char *buf, size_t len, unsigned flags,
				      const char *field, struct cs_diag *d)
{
	const char *kind = flags & FYPCF_JSON_FORCE ? "JSON" : "YAML";
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg = {0};
	struct fy_document *doc = NULL;
	struct fy_parser *fyp;
	struct fy_diag *diag;

	if (cs_fy_check_text(buf, len, field, d) < 0)
		return NULL;
	/* libfyaml skips a byte order mark, as YAML allows; Go's encoding/json
	 * (runc's config.json, containerd's and CRI-O's image config) refuses it
	 * (RFC 8259 8.1), as the webhook's reader does (lib/serve/json-doc.c). */
	if ((flags & FYPCF_JSON_FORCE) && len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		cs_diag_set(d, EINVAL, 1, 1, field,
			    "not valid JSON: a byte order mark (U+FEFF) before the value");
		return NULL;
	}
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = say_nothing;
	dcfg.colorize = false;
	dcfg.level = FYET_ERROR;
	if (!(diag = fy_diag_create(&dcfg))) {
		cs_diag_set(d, ENOMEM, 0, 0, field, "out of memory");
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	/* JSON's duplicate keys are refused after the build (cs_fy_json_dup_keys):
	 * libfyaml's check is quadratic. */
	if (flags & FYPCF_JSON_FORCE)
		flags |= FYPCF_ALLOW_DUPLICATE_KEYS;
	pcfg.flags = (enum fy_parse_cfg_flags)(FYPCF_QUIET | FYPCF_COLLECT_DIAG | flags);
	pcfg.diag = diag;
	if (!(fyp = fy_parser_create(&pcfg)) || fy_parser_set_string(fyp, buf, len) != 0)
		cs_diag_set(d, ENOMEM, 0, 0, field, "out of memory");
	else
		doc = load_one(fyp, diag, kind, field, d);
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	if (doc && (flags & FYPCF_JSON_FORCE) &&
	    cs_fy_json_dup_keys(doc, field, "not valid JSON: ", d) < 0) {
		fy_document_destroy(doc);
		doc = NULL;
	}
	return doc;
}

struct fy_node *cs_fy_get(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, strlen(key));
}

struct fy_node *cs_fy_get_go(struct fy_node *map, const char *name, struct fy_node **dup)
{
	struct fy_node_pair *p;
	struct fy_node *found = NULL;
	void *it = NULL;

	if (!map || !fy_node_is_mapping(map))
		return NULL;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		size_t len = 0;
		const char *s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;

		if (!s || !cs_go_fold_equal(s, len, name))
			continue;
		if (!found) {
			found = fy_node_pair_value(p);
		} else if (dup && !*dup) {
			*dup = k;
			break;
		}
	}
	return found;
}

/* The text of a plain scalar, or NULL for anything else. */
static const char *plain(struct fy_node *n, size_t *len)
{
	if (!fy_node_is_scalar(n) || fy_node_get_style(n) != FYNS_PLAIN)
		return NULL;
	return fy_node_get_scalar(n, len);
}

bool cs_fy_is_json_null(struct fy_node *n)
{
	size_t len = 0;
	const char *s;

	if (!n)
		return true;
	s = plain(n, &len);
	return s && len == 4 && memcmp(s, "null", 4) == 0;
}

bool cs_fy_is_yaml_null(struct fy_node *n)
{
	size_t len = 0;
	const char *s;

	if (!n)
		return true;
	if (!fy_node_is_scalar(n) || fy_node_get_style(n) != FYNS_PLAIN)
		return false;
	s = fy_node_get_scalar(n, &len);
	if (!s || len == 0)
		return true;
	return (len == 1 && s[0] == '~') ||
	       (len == 4 &&
		(!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

bool cs_json_nests_deeper(const char *buf, size_t len, int max)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if ((c == '[' || c == '{') && ++depth > max) {
			return true;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return false;
}
