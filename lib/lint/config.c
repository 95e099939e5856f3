/* SPDX-License-Identifier: MIT */
/*
 * The lint config file (--config): which rules are off and at what level
 * the others report. YAML or JSON read with libfyaml:
 *
 *   rules:
 *     cap-spelling: off
 *     CS002: error
 *
 * Strict on purpose: an unknown key, rule id or level is an error with its
 * line, so that a typo cannot leave a rule on (or off) without anyone
 * noticing. Aliases are refused (nothing here needs them), and so are
 * explicit tags: `!!bool off` is false and `!!binary b2Zm` the bytes "off",
 * neither of them the word this reader would take.
 */
#include "lint-internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "../fyaml-mark.h"
#include "../internal/util.h"

#define MAX_CONFIG (64u << 10)

void cs_lint_config_init(struct cs_lint_config *c)
{
	for (int i = 0; i < CS_LINT_NRULES; i++)
		c->level[i] = cs_lint_rule(i)->level;
}

__attribute__((format(printf, 5, 6))) static int
at(struct cs_diag *d, struct fy_node *n, const char *name, const char *field, const char *fmt, ...)
{
	const struct fy_mark *mk = n ? cs_fy_node_mark(n) : NULL;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_diag_set(d, EINVAL, mk ? (unsigned)mk->line + 1 : 0, mk ? (unsigned)mk->column + 1 : 0,
		    field, "%s", msg);
	cs_diag_file(d, name);
	return -EINVAL;
}

/* Whether n carries an explicit tag ("!!str", "!", "!x"...). */
static bool tagged(struct fy_node *n)
{
	size_t l = 0;

	return n && fy_node_get_tag(n, &l) != NULL;
}

/* A scalar's text into buf (cut to fit; the caller compares it whole). */
static const char *scalar(struct fy_node *n, char *buf, size_t len)
{
	size_t l = 0;
	const char *s = fy_node_get_scalar(n, &l);

	snprintf(buf, len, "%.*s", (int)(l < len ? l : len - 1), s ? s : "");
	if (s && (l >= len || memchr(s, '\0', l)))
		buf[0] = '\0'; /* too long or with NUL: matches no rule and no level */
	return buf;
}

static int parse_rules(struct cs_lint_config *c, struct fy_node *rules, const char *name,
		       struct cs_diag *d)
{
	struct fy_node_pair *pr;
	void *it = NULL;
	bool seen[CS_LINT_NRULES] = {false};

	if (!fy_node_is_mapping(rules) || tagged(rules))
		return at(d, rules, name, "rules", "%s",
			  "expected a mapping of rule: level (and no YAML tag)");
	while ((pr = fy_node_mapping_iterate(rules, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		char kb[64], vb[16];
		enum cs_lint_level l;
		int id;

		if (!k || !fy_node_is_scalar(k) || fy_node_is_alias(k) || tagged(k))
			return at(d, k, name, "rules", "%s",
				  "a rule id must be a plain string (no tag, no alias)");
		scalar(k, kb, sizeof(kb));
		if ((id = cs_lint_rule_find(kb)) < 0)
			return at(d, k, name, "rules", "unknown rule '%s'", kb);
		/* YAML refuses a key twice; a rule named by its id and its name
		 * is the same key twice, and the last must not silently win. */
		if (seen[id])
			return at(d, k, name, "rules", "rule %s (%s) is given twice",
				  cs_lint_rule(id)->id, cs_lint_rule(id)->code);
		seen[id] = true;
		if (!v || !fy_node_is_scalar(v) || fy_node_is_alias(v))
			return at(d, v ? v : k, name, kb, "%s",
				  "expected off, note, warning or error");
		if (tagged(v))
			return at(
			    d, v, name, kb, "%s",
			    "an explicit YAML tag is not read: write off, note, warning or error");
		/* YAML 1.1 reads a plain off as false: take the word as written. */
		if (cs_lint_level_parse(scalar(v, vb, sizeof(vb)), &l) < 0)
			return at(d, v, name, kb, "'%s' is not off, note, warning or error", vb);
		c->level[id] = l;
	}
	return 0;
}

int cs_lint_config_parse(struct cs_lint_config *c, const char *buf, size_t len, const char *name,
			 struct cs_diag *d)
{
	struct fy_document *doc;
	struct fy_node *root, *rules;
	struct fy_node_pair *pr;
	void *it = NULL;
	int r = 0;

	if (len > MAX_CONFIG)
		return at(d, NULL, name, "", "%s", "larger than 64 KiB");
	if (cs_json_nests_deeper(buf, len, 8))
		return at(d, NULL, name, "", "%s", "nested too deeply");
	doc = cs_fy_build_quiet(buf, len, 0, "", d);
	if (!doc) {
		cs_diag_file(d, name);
		return -EINVAL;
	}
	root = fy_document_root(doc);
	if (!root || cs_fy_is_yaml_null(root))
		goto out; /* an empty file changes nothing */
	if (!fy_node_is_mapping(root) || tagged(root)) {
		r = at(d, root, name, "", "%s",
		       "expected a mapping with 'rules' (and no YAML tag)");
		goto out;
	}
	while ((pr = fy_node_mapping_iterate(root, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(pr);
		char kb[32];

		if (tagged(k)) {
			r = at(d, k, name, "", "%s", "an explicit YAML tag is not read");
			goto out;
		}
		if (!k || !fy_node_is_scalar(k) || strcmp(scalar(k, kb, sizeof(kb)), "rules")) {
			r = at(d, k, name, "", "unknown key '%s' (only 'rules')",
			       k && fy_node_is_scalar(k) ? kb : "?");
			goto out;
		}
	}
	rules = cs_fy_get(root, "rules");
	if (rules && !cs_fy_is_yaml_null(rules))
		r = parse_rules(c, rules, name, d);
out:
	fy_document_destroy(doc);
	return r;
}

int cs_lint_config_load(struct cs_lint_config *c, const char *path, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r = cs_read_file(path, MAX_CONFIG, &buf, &len);

	if (r < 0) {
		cs_diag_file(d, path);
		return cs_diag_set(d, -r, 0, 0, "", "cannot read: %s",
				   r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
	}
	r = cs_lint_config_parse(c, buf, len, path, d);
	free(buf);
	return r;
}
