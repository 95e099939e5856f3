/* SPDX-License-Identifier: MIT */
/*
 * BUNDLE/config.json (OCI runtime spec, config.md / config-linux.md), checked
 * as Go reads JSON and read as a compact tree (lib/json-tree.c). Only what decides credentials is
 * read; types are checked the way runc's Go decoder checks them (a string where a number belongs, a
 * uid beyond 32 bits: runc refuses the bundle, so do we, naming the field).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/number.h"
#include "capscope/oci.h"
#include "capscope/proc.h"
#include "capscope/text.h"
#include "internal/cleanup.h"
#include "internal/json-tree.h"
#include "internal/oci-tree.h"
#include "internal/oci-types.h"
#include "internal/util.h"

#define MAX_CONFIG (16u << 20)

struct ctx {
	const char *file;
	struct cs_diag *d;
	const struct ydoc_node *dup; /* a second key for one field (see get) */
	const char *dup_field;
};

static int errf(struct ctx *c, const struct ydoc_node *n, int err, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int errf(struct ctx *c, const struct ydoc_node *n, int err, const char *field,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	cs_vformat_cut(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->d)
		cs_diag_put_file(c->d, "%s", c->file ? c->file : "");
	return ydoc_error(c->d, n, err, field, "%s", msg);
}

/*
 * runc decodes config.json with Go's encoding/json, which takes a key in
 * any case for a field (`"Capabilities"`, `"NoNewPrivileges"`) and keeps
 * the later of two: such a key is read, and two for one field refused
 * once the reading is done.
 */
static const struct ydoc_node *get(struct ctx *c, const struct ydoc_node *map, const char *name)
{
	const struct ydoc_node *had = c->dup, *v = cs_json_get_go(map, name, &c->dup);

	if (!had && c->dup)
		c->dup_field = name;
	return v;
}

/* A plain scalar's text (true, false, a number), "" for anything else. */
static bool plain_is(const struct ydoc_node *n, const char *text)
{
	return n->kind == YDOC_SCALAR && n->style == YDOC_PLAIN && n->n == strlen(text) &&
	       !memcmp(n->u.text, text, n->n);
}

/* A string field as a C string: a NUL in it is refused, not cut there. */
static int dup_string(struct ctx *c, const struct ydoc_node *n, const char *field, char **out)
{
	int rc;

	if (!cs_json_is_string(n))
		return errf(c, n, EINVAL, field, "must be a string");
	if ((rc = cs_json_strdup(n, out)) == -EINVAL)
		return errf(c, n, EINVAL, field,
			    "holds a NUL character (U+0000), which no path, argument or name can");
	return rc;
}

static int want_map(struct ctx *c, const struct ydoc_node *n, const char *field)
{
	if (n && !cs_json_is_null(n) && n->kind != YDOC_MAP)
		return errf(c, n, EINVAL, field, "must be an object");
	return 0;
}

static int get_string(struct ctx *c, const struct ydoc_node *n, const char *field, char **out)
{
	if (cs_json_is_null(n))
		return 0;
	return dup_string(c, n, field, out);
}

/*
 * runc refuses the process for an env entry without '=' or with an empty
 * name ("invalid environment variable", runc 1.1's
 * populateProcessEnvironment and 1.2's prepareEnv): said with its place,
 * not read as if the process started.
 */
static int check_env(struct ctx *c, const struct ydoc_node *seq, const struct cs_oci_config *cfg)
{
	char field[48];

	for (size_t i = 0; i < cfg->nenv; i++) {
		const char *eq = strchr(cfg->env[i], '=');

		if (eq && eq != cfg->env[i])
			continue;
		snprintf(field, sizeof(field), "process.env[%zu]", i);
		return errf(c, seq->u.items[i], EINVAL, field,
			    "'%.*s%s' %s: runc refuses the process (invalid environment variable)",
			    CS_MSG_CUTS(cfg->env[i], 64), eq ? "has an empty name" : "has no '='");
	}
	return 0;
}

static int get_bool(struct ctx *c, const struct ydoc_node *n, const char *field, bool *out)
{
	if (cs_json_is_null(n))
		return 0;
	if (plain_is(n, "true"))
		*out = true;
	else if (plain_is(n, "false"))
		*out = false;
	else
		return errf(c, n, EINVAL, field, "must be true or false");
	return 0;
}

/* A JSON number that Go would decode into a uint32 (digits only: no sign, fraction or exponent). */
static int get_u32(struct ctx *c, const struct ydoc_node *n, const char *field, uint32_t *out)
{
	uint64_t v;

	if (cs_json_is_null(n))
		return 0;
	/* A JSON number is a plain scalar; a string of digits is not one. */
	if (n->kind != YDOC_SCALAR || n->style != YDOC_PLAIN ||
	    cs_parse_u64n(n->u.text, n->n, CS_NUM_DEC, UINT32_MAX, &v) < 0)
		return errf(c, n, EINVAL, field, "must be a number from 0 to 4294967295");
	*out = (uint32_t)v;
	return 0;
}

static int get_strv(struct ctx *c, const struct ydoc_node *n, const char *field, char ***out,
		    size_t *nout)
{
	char f[64];
	int rc;

	if (cs_json_is_null(n))
		return 0;
	if (n->kind != YDOC_SEQ)
		return errf(c, n, EINVAL, field, "must be an array of strings");
	*out = calloc((size_t)n->n + 1, sizeof(char *));
	if (!*out)
		return -ENOMEM;
	for (uint32_t i = 0; i < n->n; i++) {
		snprintf(f, sizeof(f), "%s[%u]", field, i);
		/* null leaves a string as it is in Go: "" (runc runs args ["sh",
		 * null] with an empty argument) */
		if (cs_json_is_null(n->u.items[i]))
			rc = ((*out)[i] = strdup("")) ? 0 : -ENOMEM;
		else
			rc = dup_string(c, n->u.items[i], f, &(*out)[i]);
		if (rc < 0)
			return rc;
		*nout = i + 1;
	}
	return 0;
}

/*
 * runc 1.1 looks names up exactly as "CAP_" + upper-case name among the
 * capabilities gocapability knows (≤ CAP_CHECKPOINT_RESTORE) and the kernel
 * has (≤ cap_last_cap); anything else is warned about and skipped.
 */
static int runc_cap(const char *name)
{
	char buf[32];
	int cap = cs_cap_from_name(name, strlen(name));
	int last = cs_cap_last() < CS_CAP_LAST_KNOWN ? cs_cap_last() : CS_CAP_LAST_KNOWN;

	if (cap < 0 || cap > last)
		return -1;
	if (strcmp(cs_cap_name_r(cap, true, buf, sizeof(buf)), name) != 0)
		return -1;
	return cap;
}

/*
 * Once per name, as runc's map does: "a, b, c", each a word (lib/word.c:
 * a name holding ", " or '"' is quoted, so it reads as one name; an empty
 * one as ""), ending in ", ..." when the list is full.
 */
static void note_unknown(struct cs_oci_process *p, const char *name)
{
	cs_word_list_add(p->unknown_caps, sizeof(p->unknown_caps), name);
}

static int read_caps(struct ctx *c, const struct ydoc_node *caps, struct cs_oci_process *p)
{
	static const struct {
		const char *key;
		enum cs_set set;
	} sets[] = {{"bounding", CS_BND},
		    {"effective", CS_EFF},
		    {"inheritable", CS_INH},
		    {"permitted", CS_PRM},
		    {"ambient", CS_AMB}};
	int rc;

	cs_quintet_clear(&p->caps);
	if (cs_json_is_null(caps))
		return 0;
	rc = want_map(c, caps, "process.capabilities");
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char field[64];
		char **v = NULL;
		size_t n = 0;

		snprintf(field, sizeof(field), "process.capabilities.%s", sets[i].key);
		rc = get_strv(c, get(c, caps, sets[i].key), field, &v, &n);
		if (!rc && v) {
			p->caps.present |= 1u << sets[i].set;
			for (size_t k = 0; k < n; k++) {
				int cap = runc_cap(v[k]);

				if (cap < 0)
					note_unknown(p, v[k]);
				else
					p->caps.set[sets[i].set] |= CS_BIT(cap);
			}
		}
		for (size_t k = 0; v && v[k]; k++)
			free(v[k]);
		free(v);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_maps(struct ctx *c, const struct ydoc_node *seq, const char *field,
		     struct cs_idmap *m, size_t *n)
{
	char f[96];

	if (cs_json_is_null(seq))
		return 0;
	if (seq->kind != YDOC_SEQ)
		return errf(c, seq, EINVAL, field, "must be an array");
	for (uint32_t i = 0; i < seq->n; i++) {
		const struct ydoc_node *item = seq->u.items[i];
		int rc;

		snprintf(f, sizeof(f), "%s[%zu]", field, *n);
		if (*n >= CS_OCI_MAX_IDMAPS)
			return errf(c, item, E2BIG, f, "more than %d mappings", CS_OCI_MAX_IDMAPS);
		if (item->kind != YDOC_MAP)
			return errf(c, item, EINVAL, f, "must be an object");
		memset(&m[*n], 0, sizeof(m[*n]));
		rc = get_u32(c, get(c, item, "containerID"), f, &m[*n].container_id);
		if (!rc)
			rc = get_u32(c, get(c, item, "hostID"), f, &m[*n].host_id);
		if (!rc)
			rc = get_u32(c, get(c, item, "size"), f, &m[*n].size);
		if (rc)
			return rc;
		(*n)++;
	}
	return 0;
}

/* A JSON number Go decodes into a uint64 (digits only). */
static int get_u64(struct ctx *c, const struct ydoc_node *n, const char *field, uint64_t *out)
{
	if (cs_json_is_null(n))
		return 0;
	if (n->kind != YDOC_SCALAR || n->style != YDOC_PLAIN ||
	    cs_parse_u64n(n->u.text, n->n, CS_NUM_DEC, UINT64_MAX, out) < 0)
		return errf(c, n, EINVAL, field, "must be a number from 0 to 18446744073709551615");
	return 0;
}

/*
 * The last RLIMIT_STACK of process.rlimits: execve's bound on args and env
 * is a quarter of its soft limit (explain oci's E2BIG). What runc refuses
 * in the list (an unknown type, soft above hard) is oci-runc-checks.c's.
 */
static int read_rlimits(struct ctx *c, const struct ydoc_node *seq, struct cs_oci_config *cfg)
{
	char f[64];

	if (cs_json_is_null(seq))
		return 0;
	if (seq->kind != YDOC_SEQ)
		return errf(c, seq, EINVAL, "process.rlimits", "must be an array");
	for (uint32_t i = 0; i < seq->n; i++) {
		const struct ydoc_node *item = seq->u.items[i];
		cs_cleanup_free char *type = NULL;
		uint64_t soft = 0;
		int rc;

		snprintf(f, sizeof(f), "process.rlimits[%u]", (unsigned)i);
		if (item->kind != YDOC_MAP)
			return errf(c, item, EINVAL, f, "must be an object");
		rc = get_string(c, get(c, item, "type"), f, &type);
		if (!rc)
			rc = get_u64(c, get(c, item, "soft"), f, &soft);
		if (rc)
			return rc;
		if (type && !strcmp(type, "RLIMIT_STACK")) {
			cfg->stack_rlimit_set = true;
			cfg->stack_rlimit = soft;
		}
	}
	return 0;
}

static int read_process(struct ctx *c, const struct ydoc_node *proc, struct cs_oci_config *cfg,
			bool base)
{
	struct cs_oci_process *p = &cfg->process;
	const struct ydoc_node *user, *gids;
	int rc;

	if (cs_json_is_null(proc) && base)
		return 0;
	if (cs_json_is_null(proc))
		return errf(c, NULL, EINVAL, "process", "config.json has no process");
	rc = want_map(c, proc, "process");
	if (!rc)
		rc = get_strv(c, get(c, proc, "args"), "process.args", &cfg->args, &cfg->nargs);
	if (!rc && cfg->nargs == 0 && !base)
		rc = errf(c, proc, EINVAL, "process.args", "must list at least the program to run");
	if (!rc)
		rc = get_strv(c, get(c, proc, "env"), "process.env", &cfg->env, &cfg->nenv);
	if (!rc)
		rc = check_env(c, get(c, proc, "env"), cfg);
	if (!rc)
		rc = get_string(c, get(c, proc, "cwd"), "process.cwd", &cfg->cwd);
	/* runc's validateProcessSpec refuses the bundle: nothing would start. */
	if (!rc && cfg->cwd && cfg->cwd[0] != '/')
		rc = errf(c, get(c, proc, "cwd"), EINVAL, "process.cwd",
			  "must be an absolute path (runc refuses the bundle)");
	if (!rc)
		rc = get_bool(c, get(c, proc, "terminal"), "process.terminal", &cfg->terminal);
	if (!rc)
		rc = get_bool(c, get(c, proc, "noNewPrivileges"), "process.noNewPrivileges",
			      &p->no_new_privileges);
	if (rc)
		return rc;
	user = get(c, proc, "user");
	rc = want_map(c, user, "process.user");
	if (!rc)
		rc = get_u32(c, get(c, user, "uid"), "process.user.uid", &p->uid);
	if (!rc)
		rc = get_u32(c, get(c, user, "gid"), "process.user.gid", &p->gid);
	if (rc)
		return rc;
	gids = get(c, user, "additionalGids");
	if (!cs_json_is_null(gids)) {
		if (gids->kind != YDOC_SEQ)
			return errf(c, gids, EINVAL, "process.user.additionalGids",
				    "must be an array of numbers");
		for (uint32_t i = 0; i < gids->n; i++) {
			const struct ydoc_node *item = gids->u.items[i];
			char f[64];
			uint32_t g = 0;

			snprintf(f, sizeof(f), "process.user.additionalGids[%zu]",
				 p->n_additional_gids);
			if (p->n_additional_gids >= CS_OCI_MAX_GROUPS)
				return errf(c, item, E2BIG, f, "more than %d groups",
					    CS_OCI_MAX_GROUPS);
			rc = get_u32(c, item, f, &g);
			if (rc)
				return rc;
			p->additional_gids[p->n_additional_gids++] = g;
		}
	}
	rc = read_caps(c, get(c, proc, "capabilities"), p);
	return rc ? rc : read_rlimits(c, get(c, proc, "rlimits"), cfg);
}

/*
 * linux.namespaces as runc's specconv takes them: a type it does not know
 * ("namespace {\"usr\" \"\"} does not exist"; a null entry is Go's zero
 * namespace, of type "") or a type given twice ("malformed spec file:
 * duplicated ns") fails the container, so it is refused here, not read as
 * if it started. "time" is runc 1.2's (1.1 refuses it too); kept.
 */
static int read_namespaces(struct ctx *c, const struct ydoc_node *ns, struct cs_oci_process *p)
{
	static const char *const types[] = {"pid", "network", "mount",	"ipc",
					    "uts", "user",    "cgroup", "time"};
	unsigned seen = 0;

	if (cs_json_is_null(ns))
		return 0;
	if (ns->kind != YDOC_SEQ)
		return errf(c, ns, EINVAL, "linux.namespaces", "must be an array");
	for (uint32_t i = 0; i < ns->n; i++) {
		const struct ydoc_node *item = ns->u.items[i], *tn;
		char f[64], *type = NULL;
		size_t t = 0;
		int rc;

		snprintf(f, sizeof(f), "linux.namespaces[%u]", i);
		if (!cs_json_is_null(item) && item->kind != YDOC_MAP)
			return errf(c, item, EINVAL, f, "must be an object");
		snprintf(f, sizeof(f), "linux.namespaces[%u].type", i);
		tn = cs_json_is_null(item) ? NULL : get(c, item, "type");
		if ((rc = get_string(c, tn, f, &type)) < 0)
			return rc;
		while (t < sizeof(types) / sizeof(types[0]) && strcmp(types[t], type ? type : ""))
			t++;
		if (t == sizeof(types) / sizeof(types[0]) || (seen & 1u << t)) {
			rc = errf(
			    c, tn ? tn : item, EINVAL, f,
			    t == sizeof(types) / sizeof(types[0])
				? "'%.*s%s' is not a namespace runc knows (pid, network, mount, "
				  "ipc, uts, user, cgroup, time): runc refuses the bundle"
				: "'%.*s%s' is given twice: runc refuses the bundle (malformed "
				  "spec file: duplicated ns)",
			    CS_MSG_CUTS(type ? type : "", 32));
			free(type);
			return rc;
		}
		seen |= 1u << t;
		if (!strcmp(types[t], "user"))
			p->user_namespace = true;
		free(type);
	}
	return 0;
}

static int read_linux(struct ctx *c, const struct ydoc_node *lx, struct cs_oci_process *p)
{
	const struct ydoc_node *ns;
	int rc = want_map(c, lx, "linux");

	if (rc || cs_json_is_null(lx))
		return rc;
	ns = get(c, lx, "namespaces");
	if ((rc = read_namespaces(c, ns, p)) < 0)
		return rc;
	rc =
	    read_maps(c, get(c, lx, "uidMappings"), "linux.uidMappings", p->uid_map, &p->n_uid_map);
	if (!rc)
		rc = read_maps(c, get(c, lx, "gidMappings"), "linux.gidMappings", p->gid_map,
			       &p->n_gid_map);
	if (!rc && p->user_namespace && (!p->n_uid_map || !p->n_gid_map))
		rc = errf(c, lx, EINVAL, "linux.uidMappings",
			  "a user namespace needs uidMappings and gidMappings");
	return rc;
}

struct parse {
	struct ctx c;
	struct cs_oci_config *cfg;
	/* runc's own refusals (oci-runc-checks.c): for a bundle to be run, not
	 * one a runtime (runc, crun) has already started (the node agent's) */
	bool runc_checks;
	/* a runtime's base spec (containerd's base_runtime_spec): no root or
	 * process needed, the runtime fills them */
	bool base;
};

/* Who decodes the file: containerd a base_runtime_spec (its CRI plugin's
 * loadOCISpec), runc a bundle's config.json. */
static const char *reader(const struct parse *p)
{
	return p->base ? "containerd" : "runc";
}

static int read_config(void *user, const struct ydoc_node *root)
{
	struct parse *p = user;
	struct ctx *c = &p->c;
	struct cs_oci_config *cfg = p->cfg;
	const struct ydoc_node *r;
	char *rootpath = NULL;
	int rc;

	/* the message names the decoder, not a file: the file named may be a
	 * base spec (twenty-first pass, part E: "config.json" for base.json) */
	if (root->kind != YDOC_MAP)
		return errf(c, root, EINVAL, "",
			    "must hold a JSON object: %s decodes it into an OCI spec", reader(p));
	r = get(c, root, "root");
	rc = want_map(c, r, "root");
	if (!rc)
		rc = get_string(c, get(c, r, "path"), "root.path", &rootpath);
	if (!rc && rootpath) {
		struct cs_pos at = ydoc_pos(get(c, r, "path"));

		cfg->root_path_line = at.line;
		cfg->root_path_column = at.column;
		if (c->file && !(cfg->file = strdup(c->file)))
			rc = -ENOMEM;
	}
	if (!rc && !rootpath && !p->base)
		rc =
		    errf(c, r ? r : root, EINVAL, "root.path", "missing: the bundle has no rootfs");
	if (!rc)
		rc = get_bool(c, get(c, r, "readonly"), "root.readonly", &cfg->root_readonly);
	if (!rc)
		rc = read_process(c, get(c, root, "process"), cfg, p->base);
	if (!rc)
		rc = read_linux(c, get(c, root, "linux"), &cfg->process);
	if (!rc && c->dup)
		rc = errf(c, c->dup, EINVAL, c->dup_field,
			  "a second key '%.*s%s' for %s: %s (Go's encoding/json) matches keys "
			  "without case and keeps the later one; keep one",
			  CS_MSG_CUT(c->dup->u.text, c->dup->n, 40), c->dup_field, reader(p));
	if (!rc && (rc = cs_oci_config_types(root, reader(p), c->d)) < 0 && c->d)
		cs_diag_put_file(c->d, "%s", c->file ? c->file : "");
	if (!rc && p->runc_checks && (rc = cs_oci_runc_checks(root, c->d)) < 0 && c->d)
		cs_diag_put_file(c->d, "%s", c->file ? c->file : "");
	if (!rc && rootpath) {
		if (rootpath[0] == '/' || !cfg->bundle) {
			cfg->root_path = rootpath;
			rootpath = NULL;
		} else if (asprintf(&cfg->root_path, "%s/%s", cfg->bundle, rootpath) < 0) {
			cfg->root_path = NULL;
			rc = -ENOMEM;
		}
	}
	free(rootpath);
	return rc;
}

int cs_oci_config_read_tree(const struct ydoc_node *root, const char *filename,
			    struct cs_oci_config *cfg, struct cs_diag *d)
{
	struct parse p = {{filename, d, NULL, NULL}, cfg};

	return read_config(&p, root);
}

int cs_oci_config_parse(const char *buf, size_t len, const char *filename,
			struct cs_oci_config *cfg, struct cs_diag *d)
{
	struct parse p = {{filename, d, NULL, NULL}, cfg, true};
	/*
	 * runc's loadSpec is json.NewDecoder(f).Decode(&spec): the first value
	 * only, nothing after it looked at (a second value, NUL, bytes that
	 * are no UTF-8: runc 1.1.5 ran such a bundle). It was refused ("more
	 * after the first value"), a bundle runc runs (eighteenth pass).
	 */
	int rc = cs_json_tree(buf, len, false, "", "not valid JSON: ", read_config, &p, d);

	/* Twenty-seventh pass, part C: a bare -ENOMEM from the tree's reader
	 * was "capscope explain oci: bundle/config.json: " and nothing. */
	if (rc < 0)
		cs_diag_file(d, filename);
	return cs_diag_unsaid(d, rc);
}

int cs_oci_config_load(const char *bundle, struct cs_oci_config *cfg, struct cs_diag *d)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->bundle = strdup(bundle);
	if (!cfg->bundle || asprintf(&path, "%s/config.json", bundle) < 0) {
		free(cfg->bundle);
		cfg->bundle = NULL;
		return cs_diag_unsaid(d, -ENOMEM); /* was "capscope explain oci: " */
	}
	rc = cs_read_config_file(path, MAX_CONFIG, "runc", &buf, &len, d);
	if (rc == 0) {
		rc = cs_oci_config_parse(buf, len, path, cfg, d);
	}
	free(buf);
	free(path);
	if (rc)
		cs_oci_config_free(cfg);
	return rc;
}

int cs_oci_base_spec_load(const char *path, struct cs_oci_config *cfg, struct cs_diag *d)
{
	struct parse p = {{path, d, NULL, NULL}, cfg, false, true};
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = cs_read_config_file(path, MAX_CONFIG, "containerd", &buf, &len, d);
	if (rc < 0)
		return rc;
	rc = cs_json_tree(buf, len, false, "", "not valid JSON: ", read_config, &p, d);
	if (rc < 0)
		cs_diag_file(d, path);
	free(buf);
	if (rc)
		cs_oci_config_free(cfg);
	return cs_diag_unsaid(d, rc);
}

void cs_oci_config_free(struct cs_oci_config *c)
{
	for (size_t i = 0; c->args && i < c->nargs; i++)
		free(c->args[i]);
	for (size_t i = 0; c->env && i < c->nenv; i++)
		free(c->env[i]);
	free(c->args);
	free(c->env);
	free(c->bundle);
	free(c->root_path);
	free(c->file);
	free(c->cwd);
	memset(c, 0, sizeof(*c));
}

const char *cs_oci_config_getenv(const struct cs_oci_config *c, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;

	for (size_t i = 0; i < c->nenv; i++)
		if (strncmp(c->env[i], name, n) == 0 && c->env[i][n] == '=')
			v = c->env[i] + n + 1;
	return v;
}
