/* SPDX-License-Identifier: MIT */
/*
 * The lint config file (--config): which rules are off and at what level
 * the others report. YAML or JSON:
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
#include <stdlib.h>
#include <string.h>

#include "../internal/util.h"
#include "../k8s/ydoc.h"

#define MAX_CONFIG (64u << 10)

typedef const struct ydoc_node node;

void cs_lint_config_init(struct cs_lint_config *c)
{
	for (int i = 0; i < CS_LINT_NRULES; i++)
		c->level[i] = cs_lint_rule(i)->level;
}

__attribute__((format(printf, 5, 6))) static int at(struct cs_diag *d, node *n, const char *name,
						    const char *field, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ydoc_error(d, n, EINVAL, field, "%s", msg);
	cs_diag_file(d, name);
	return -EINVAL;
}

/* Whether n carries an explicit tag ("!!str", "!", "!x"...). */
static bool tagged(node *n)
{
	return n && ydoc_tag(n) != NULL;
}

/* A scalar's text into buf (cut to fit; the caller compares it whole). */
static const char *scalar(node *n, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)(n->n < len ? n->n : len - 1), n->u.text ? n->u.text : "");
	if (n->u.text && (n->n >= len || memchr(n->u.text, '\0', n->n)))
		buf[0] = '\0'; /* too long or with NUL: matches no rule and no level */
	return buf;
}

static int parse_rules(struct cs_lint_config *c, node *rules, const char *name, struct cs_diag *d)
{
	bool seen[CS_LINT_NRULES] = {false};

	if (rules->kind != YDOC_MAP || tagged(rules))
		return at(d, rules, name, "rules", "%s",
			  "expected a mapping of rule: level (and no YAML tag)");
	for (uint32_t i = 0; i < rules->n; i++) {
		node *k = rules->u.pairs[i].key, *v = rules->u.pairs[i].value;
		char kb[64], vb[16];
		enum cs_lint_level l;
		int id;

		if (!k || k->kind != YDOC_SCALAR || tagged(k))
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
		if (!v || v->kind != YDOC_SCALAR)
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

struct read {
	struct cs_lint_config *c;
	const char *name;
	struct cs_diag *d;
	int docs;
};

static int read_config(void *user, struct ydoc_node *root, size_t nodes)
{
	struct read *r = user;

	(void)nodes;
	/* A trailing "---" is an empty document: nothing (a plain empty scalar). */
	if (r->docs++ && root &&
	    !(root->kind == YDOC_SCALAR && root->style == YDOC_PLAIN && !root->n))
		return at(r->d, root, r->name, "", "%s",
			  "not valid YAML: a second document after the first (one is read)");
	if (!root || ydoc_is_null(root))
		return 0; /* an empty file changes nothing */
	if (root->kind != YDOC_MAP || tagged(root))
		return at(r->d, root, r->name, "", "%s",
			  "expected a mapping with 'rules' (and no YAML tag)");
	for (uint32_t i = 0; i < root->n; i++) {
		node *k = root->u.pairs[i].key;
		char kb[32];

		if (tagged(k))
			return at(r->d, k, r->name, "", "%s", "an explicit YAML tag is not read");
		if (k->kind != YDOC_SCALAR || strcmp(scalar(k, kb, sizeof(kb)), "rules"))
			return at(r->d, k, r->name, "", "unknown key '%s' (only 'rules')",
				  k->kind == YDOC_SCALAR ? kb : "?");
	}
	node *rules = ydoc_get(root, "rules");

	return rules && !ydoc_is_null(rules) ? parse_rules(r->c, rules, r->name, r->d) : 0;
}

/*
 * Read with the manifest reader's tree (lib/k8s/ydoc.c), whose duplicate
 * key check grows with the keys: libfyaml's document compared each key with
 * every earlier one (tenth pass: 8,000 keys, 3 to 6 s), and a config is
 * 64 KiB. Aliases are kept as alias nodes, never a rule or a level.
 */
int cs_lint_config_parse(struct cs_lint_config *c, const char *buf, size_t len, const char *name,
			 struct cs_diag *d)
{
	struct read r = {c, name, d, 0};
	char *text;
	bool room;
	int rc;

	if (len > MAX_CONFIG)
		return at(d, NULL, name, "", "%s", "larger than 64 KiB");
	if (!(text = malloc(YDOC_ROOM + len + 1)))
		return -ENOMEM;
	memcpy(text + YDOC_ROOM, buf, len);
	text[YDOC_ROOM + len] = '\0';
	room = ydoc_wants_room(buf, len);
	rc = ydoc_read(room ? text : text + YDOC_ROOM, len, room, name, read_config, &r, d);
	free(text);
	if (rc < 0)
		cs_diag_file(d, name);
	return rc < 0 ? rc : 0;
}

int cs_lint_config_load(struct cs_lint_config *c, const char *path, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r = cs_read_config_file(path, MAX_CONFIG, NULL, &buf, &len, d);

	if (r < 0)
		return r;
	r = cs_diag_unsaid(d, cs_lint_config_parse(c, buf, len, path, d));
	free(buf);
	return r;
}
