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

static void rule_json(struct cs_json *j, enum cs_lint_rule_id id)
{
	const struct cs_lint_rule *ru = cs_lint_rule(id);
	char uri[256], *md, *help = cs_strf("%s Fix: %s.", ru->full_desc, ru->fix);

	cs_json_obj_begin(j);
	cs_json_key(j, "id");
	cs_json_str(j, ru->id);
	cs_json_key(j, "name");
	cs_json_str(j, ru->name);
	text_obj(j, "shortDescription", ru->short_desc);
	text_obj(j, "fullDescription", ru->full_desc);
	cs_lint_help_uri(id, uri, sizeof(uri));
	md = cs_strf("%s\n\n**Fix:** %s.\n\n[%s](%s)", ru->full_desc, ru->fix, ru->id, uri);
	cs_json_key(j, "help");
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	cs_json_str(j, help ? help : ru->full_desc);
	cs_json_key(j, "markdown");
	cs_json_str(j, md ? md : ru->full_desc);
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
	free(help);
	free(md);
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
 * pieces follow the head (cs_lint_finding's parts). 0 or -ENOMEM.
 */
static int message_json(struct cs_json *j, const struct cs_lint_finding *f)
{
	const char *head[] = {f->kind ? f->kind : "object",	" ",
			      f->namespace ? f->namespace : "", f->namespace ? "/" : "",
			      f->name ? f->name : "(unnamed)",	f->container ? ", container " : "",
			      f->container ? f->container : "", ": "};
	size_t nh = sizeof(head) / sizeof(head[0]), nm = f->parts ? f->n_parts : 1;
	const char **parts = calloc(nh + nm, sizeof(*parts));

	if (!parts)
		return -ENOMEM;
	memcpy(parts, head, sizeof(head));
	for (size_t i = 0; i < nm; i++)
		parts[nh + i] = f->parts ? f->parts[i] : f->message;
	cs_json_key(j, "message");
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	/* Nineteenth pass: the viewer shows what the terminal shows (a pod
	 * named with U+202E reordered the message in a code-scanning page). */
	cs_json_text_parts(j, parts, nh + nm);
	cs_json_obj_end(j);
	free(parts);
	return 0;
}

static int result_json(struct cs_json *j, const struct cs_lint_finding *f, const char *cwd)
{
	char *uri = artifact_uri(f->file, cwd);

	if (!uri)
		return -ENOMEM;
	cs_json_obj_begin(j);
	cs_json_key(j, "ruleId");
	cs_json_str(j, cs_lint_rule(f->rule)->id);
	cs_json_key(j, "ruleIndex");
	cs_json_uint(j, (uint64_t)f->rule);
	cs_json_key(j, "level");
	cs_json_str(j, cs_lint_level_name(f->level));
	if (message_json(j, f) < 0) {
		free(uri);
		return -ENOMEM;
	}
	cs_sarif_location(j, uri, f->line, f->column);
	cs_json_key(j, "partialFingerprints");
	cs_json_obj_begin(j);
	cs_json_key(j, FINGERPRINT_KEY);
	cs_json_str(j, f->fingerprint);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
	free(uri);
	return 0;
}

int cs_lint_sarif(FILE *f, const struct cs_lint_report *r, const char *tool_version)
{
	struct cs_json j;
	char cwd[PATH_MAX];
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	int ret = 0;

	cs_json_init(&j, f, true);
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
		rule_json(&j, (enum cs_lint_rule_id)i);
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
	for (size_t i = 0; ret == 0 && i < r->n; i++)
		ret = result_json(&j, &r->v[i], have_cwd ? cwd : NULL);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	if (ret < 0)
		return ret;
	return cs_json_finish(&j);
}
