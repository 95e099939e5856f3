/* SPDX-License-Identifier: MIT */
/*
 * SARIF 2.1.0 as GitHub code scanning reads it: rule metadata with
 * security-severity (a string) and tags, results with a relative artifact
 * URI and a region, and partialFingerprints that name the finding rather
 * than its line, so that a re-run or an unrelated edit keeps the alert.
 * Written with the streaming JSON writer; no timestamps or absolute paths,
 * so two runs over the same input give the same bytes.
 */
#include "lint-internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../explain/strf.h"
#include "internal/sarif.h"

#define FINGERPRINT_KEY "capscopeFinding/v1"

static void text_obj(struct cs_json *j, const char *key, const char *text)
{
	cs_json_key(j, key);
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	cs_json_str(j, text);
	cs_json_obj_end(j);
}

static void rule_json(struct cs_json *j, enum cs_lint_rule_id id, const char *help, const char *md,
		      const char *uri)
{
	const struct cs_lint_rule *ru = cs_lint_rule(id);

	cs_json_obj_begin(j);
	cs_json_key(j, "id");
	cs_json_str(j, ru->id);
	cs_json_key(j, "name");
	cs_json_str(j, ru->name);
	text_obj(j, "shortDescription", ru->short_desc);
	text_obj(j, "fullDescription", ru->full_desc);
	cs_json_key(j, "help");
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	cs_json_str(j, help);
	cs_json_key(j, "markdown");
	cs_json_str(j, md);
	cs_json_obj_end(j);
	cs_json_key(j, "helpUri");
	cs_json_str(j, uri);
	cs_json_key(j, "defaultConfiguration");
	cs_json_obj_begin(j);
	cs_json_key(j, "level");
	cs_json_str(j, cs_lint_level_name(ru->level));
	cs_json_obj_end(j);
	cs_json_key(j, "properties");
	cs_json_obj_begin(j);
	cs_json_key(j, "security-severity");
	cs_json_str(j, ru->security_severity);
	cs_json_key(j, "precision");
	cs_json_str(j, "high");
	cs_json_key(j, "tags");
	cs_json_arr_begin(j);
	cs_json_str(j, "security");
	cs_json_str(j, "kubernetes");
	cs_json_str(j, "capabilities");
	cs_json_arr_end(j);
	cs_json_key(j, "code");
	cs_json_str(j, ru->code);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

/*
 * The artifact URI: relative to the current directory (the checkout, in
 * CI) when the path is below it, "./" stripped; an absolute path elsewhere
 * stays absolute (file://). stdin is "stdin".
 */
static char *artifact_uri(const char *file, const char *cwd)
{
	size_t cl = cwd ? strlen(cwd) : 0;
	char *enc, *u;

	if (!strcmp(file, "-"))
		return strdup("stdin");
	while (!strncmp(file, "./", 2))
		file += 2;
	if (file[0] == '/' && cl && !strncmp(file, cwd, cl) && file[cl] == '/')
		file += cl + 1;
	if (!(enc = cs_sarif_uri_encode(file)))
		return NULL;
	if (file[0] != '/')
		return enc;
	u = cs_strf("file://%s", enc);
	free(enc);
	return u;
}

/*
 * {"text": "Kind ns/name, container c: message"}, written in pieces: the
 * message of a refused pod names every container (every SCC's refusal of
 * each), and a joined copy (through vasprintf's doubling buffer) held up
 * to three times it while the document was written. The message's own
 * pieces follow the head (cs_lint_finding's parts), in parts, made room
 * for before the document began (struct prep).
 */
#define HEAD_PARTS 8
static void message_json(struct cs_json *j, const struct cs_lint_finding *f, const char **parts)
{
	const char *head[HEAD_PARTS] = {
	    f->kind ? f->kind : "object",     " ",
	    f->namespace ? f->namespace : "", f->namespace ? "/" : "",
	    f->name ? f->name : "(unnamed)",  f->container ? ", container " : "",
	    f->container ? f->container : "", ": "};
	size_t nm = f->parts ? f->n_parts : 1;

	memcpy(parts, head, sizeof(head));
	for (size_t i = 0; i < nm; i++)
		parts[HEAD_PARTS + i] = f->parts ? f->parts[i] : f->message;
	cs_json_key(j, "message");
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	/* Nineteenth pass: the viewer shows what the terminal shows (a pod
	 * named with U+202E reordered the message in a code-scanning page). */
	cs_json_text_parts(j, parts, HEAD_PARTS + nm);
	cs_json_obj_end(j);
}

static void result_json(struct cs_json *j, const struct cs_lint_finding *f, const char *uri,
			const char **parts)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "ruleId");
	cs_json_str(j, cs_lint_rule(f->rule)->id);
	cs_json_key(j, "ruleIndex");
	cs_json_uint(j, (uint64_t)f->rule);
	cs_json_key(j, "level");
	cs_json_str(j, cs_lint_level_name(f->level));
	message_json(j, f, parts);
	cs_sarif_location(j, uri, f->line, f->column);
	cs_json_key(j, "partialFingerprints");
	cs_json_obj_begin(j);
	cs_json_key(j, FINGERPRINT_KEY);
	cs_json_str(j, f->fingerprint);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

/*
 * Everything the document needs memory for, made before its first byte.
 * Eighteenth pass, part D (found, not fixed): an allocation failing while
 * the document was written (an artifact URI, a message's pieces) stopped it
 * mid-way, the partial document on stdout, and a rule's help text failing
 * was written as its description alone, silently. Now the document is
 * written whole from what is made here, or not begun: -ENOMEM before a byte.
 */
struct prep {
	char *help[CS_LINT_NRULES], *md[CS_LINT_NRULES];
	char uri[CS_LINT_NRULES][256];
	char **uris; /* one a finding; a finding of the last one's file shares its URI */
	const char **parts;
	size_t n;
};

static void prep_free(struct prep *p)
{
	for (int i = 0; i < CS_LINT_NRULES; i++) {
		free(p->help[i]);
		free(p->md[i]);
	}
	for (size_t i = 0; p->uris && i < p->n; i++)
		if (!i || p->uris[i] != p->uris[i - 1])
			free(p->uris[i]);
	free(p->uris);
	free(p->parts);
}

static int prep_make(struct prep *p, const struct cs_lint_report *r)
{
	char cwd[PATH_MAX];
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	size_t most = 1;

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < CS_LINT_NRULES; i++) {
		const struct cs_lint_rule *ru = cs_lint_rule((enum cs_lint_rule_id)i);

		cs_lint_help_uri((enum cs_lint_rule_id)i, p->uri[i], sizeof(p->uri[i]));
		p->help[i] = cs_strf("%s Fix: %s.", ru->full_desc, ru->fix);
		p->md[i] = cs_strf("%s\n\n**Fix:** %s.\n\n[%s](%s)", ru->full_desc, ru->fix, ru->id,
				   p->uri[i]);
		if (!p->help[i] || !p->md[i])
			return -ENOMEM;
	}
	p->n = r->n;
	if (r->n && !(p->uris = calloc(r->n, sizeof(*p->uris))))
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		const struct cs_lint_finding *f = &r->v[i];

		if (f->parts && f->n_parts > most)
			most = f->n_parts;
		if (i && !strcmp(f->file, r->v[i - 1].file))
			p->uris[i] = p->uris[i - 1];
		else if (!(p->uris[i] = artifact_uri(f->file, have_cwd ? cwd : NULL)))
			return -ENOMEM;
	}
	if (most > SIZE_MAX / sizeof(*p->parts) - HEAD_PARTS ||
	    !(p->parts = calloc(HEAD_PARTS + most, sizeof(*p->parts))))
		return -ENOMEM;
	return 0;
}

int cs_lint_sarif(FILE *f, const struct cs_lint_report *r, const char *tool_version)
{
	struct cs_json j;
	struct prep p;
	int ret = prep_make(&p, r);

	if (ret < 0) {
		prep_free(&p);
		return ret;
	}
	cs_json_init(&j, f, true);
	j.no_escaped = true; /* no place in SARIF's schema (json.h) */
	cs_json_obj_begin(&j);
	cs_json_key(&j, "$schema");
	cs_json_str(&j, "https://json.schemastore.org/sarif-2.1.0.json");
	cs_json_key(&j, "version");
	cs_json_str(&j, "2.1.0");
	cs_json_key(&j, "runs");
	cs_json_arr_begin(&j);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "tool");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "driver");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "name");
	cs_json_str(&j, "capscope");
	cs_json_key(&j, "version");
	cs_json_str(&j, tool_version);
	cs_json_key(&j, "informationUri");
	cs_json_str(&j, "https://github.com/capscope/capscope");
	cs_json_key(&j, "rules");
	cs_json_arr_begin(&j);
	for (int i = 0; i < CS_LINT_NRULES; i++)
		rule_json(&j, (enum cs_lint_rule_id)i, p.help[i], p.md[i], p.uri[i]);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_obj_end(&j);
	/* Eleventh pass: columns are counted in code points (the manifest
	 * reader's), and without this a consumer may read them as UTF-16 code
	 * units: a finding after an emoji on its line was shown one column off
	 * per astral character. */
	cs_json_key(&j, "columnKind");
	cs_json_str(&j, "unicodeCodePoints");
	cs_json_key(&j, "results");
	cs_json_arr_begin(&j);
	for (size_t i = 0; i < r->n; i++)
		result_json(&j, &r->v[i], p.uris[i], p.parts);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	prep_free(&p);
	return cs_json_finish(&j);
}
