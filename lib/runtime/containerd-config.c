/* SPDX-License-Identifier: MIT */
/*
 * containerd's config.toml, the settings of its CRI plugin that change a
 * container's capabilities or what it may do with them (twentieth pass,
 * part E: before, no config.toml was read and the release's defaults were
 * predicted silently):
 *
 *  - the default runtime handler (`default_runtime_name`, "runc" unless
 *    set) and its `base_runtime_spec`: an OCI spec file containerd reads
 *    when it starts (loadBaseOCISpecs) and copies for every container of
 *    that handler in place of its own default spec (runtimeSpec: "if
 *    baseSpecFile != \"\" ... DeepCopy(&spec, &baseSpec)", then the CRI's
 *    options on top): its capability sets replace the default 14, its
 *    inheritable set stays (a pod's drop touches bounding, effective and
 *    permitted only), its noNewPrivileges is cleared (the CRI starts with
 *    oci.WithNewPrivileges; lib/runtime/cri.c, seen with the real
 *    containerd 1.6 in tests/truth/containerd-base-spec.sh);
 *  - `enable_unprivileged_ports` (net.ipv4.ip_unprivileged_port_start=0 in
 *    the pod's sandbox): off by default in 1.6 and 1.7, on in 2.x.
 *
 * Tables: version 2 configs (1.6, 1.7; 2.x migrates them) under
 * plugins."io.containerd.grpc.v1.cri", version 3 (2.x) under
 * plugins."io.containerd.cri.v1.runtime". Refused, with file:line:column,
 * rather than predicted for another setup: version 1 (no `version`: the
 * plugin was "cri", never read here), `imports` (other files merged in),
 * a default handler of another runtime_type (a VM: Kata, gVisor) or
 * another OCI binary (options.BinaryName), the deprecated default_runtime
 * table, and a value of the wrong type (containerd does not start), and a
 * base_runtime_spec of another handler containerd could not load (its CRI
 * plugin loads them all when it starts); for 2.x, version 4 and the keys
 * its migration of an older file moves between the two CRI tables
 * (migration_rules). Every other key is containerd's business, not read.
 *
 * Twenty-first pass, part D: checked against the real containerd 1.6
 * (`containerd config dump`, tests/truth/containerd-config-diff.sh). Its
 * TOML reader, go-toml v1, is not TOML 1.0 and does not match keys as
 * TOML does: a field is found under four spellings of its name only (see
 * v1_field; no Unicode folding), maps (plugins, runtimes) by the exact
 * key; a quoted key with an escape, '"' or ']' is read otherwise
 * (cs_toml_odd_key) and a local date is refused. containerd also refuses a
 * plugin key that is not a URI of four parts, a wrong type of any key of
 * the tables read here (schema below), and its CRI plugin a runtimes table
 * without the default handler (the table replaces containerd's own, runc
 * with it).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/cri.h"
#include "capscope/oci.h"
#include "../internal/cleanup.h"
#include "../internal/containerd-schema.h"
#include "../internal/go-syntax.h"
#include "../internal/toml.h"
#include "../internal/util.h"

typedef const struct cs_toml_value tval;

/* One reading: the config filled in, the release whose decoder reads it. */
struct rd {
	struct cs_containerd_config *c;
	unsigned major;
	struct cs_diag *d;
};

/*
 * containerd 1.x's decoder, go-toml v1 (valueFromTree), looks a struct cs_ctrd_field
 * up under the spellings {tag, strings.ToLower(tag), strings.ToTitle(tag),
 * the tag with its first letter lowered}, in that order, and takes the
 * first present; another spelling is a key it does not know, and ignores.
 * The tags are ASCII, so no Unicode folding: a quoted "baſe_runtime_spec"
 * or Kelvin-sign key is ignored, a bare one refused by its lexer (as by
 * this reader). Seen with containerd 1.6.20: DEFAULT_RUNTIME_NAME read,
 * Default_Runtime_Name ignored, the exact spelling first when both are
 * there.
 */
static tval *v1_field(tval *t, const char *key)
{
	char sp[3][64];
	size_t n = strlen(key);
	tval *v;

	if (!(v = cs_toml_get(t, key)) && n < sizeof(sp[0])) {
		for (size_t i = 0; i <= n; i++) {
			sp[0][i] = (char)tolower((unsigned char)key[i]);
			sp[1][i] = (char)toupper((unsigned char)key[i]);
			sp[2][i] = i ? key[i] : (char)tolower((unsigned char)key[i]);
		}
		for (int i = 0; i < 3 && !v; i++)
			v = cs_toml_get(t, sp[i]);
	}
	return v;
}

/*
 * t's field key, of type want, or NULL when absent (1.x: as v1_field finds
 * it). containerd 2.x's go-toml v2 is not here to see: a key that is the
 * same but for Go's case folding (ASCII case, U+017F for s, U+212A for k)
 * is refused, as it may take it for the field too.
 */
static int get(const struct rd *r, tval *t, const char *key, enum cs_toml_type want,
	       const char *path, tval **out)
{
	tval *v = NULL;

	*out = NULL;
	if (!t)
		return 0;
	if (r->major < 2) {
		v = v1_field(t, key);
	} else {
		for (uint32_t i = 0; i < t->n; i++) {
			if (!cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), key))
				continue;
			if (strcmp(t->keys[i], key))
				return cs_diag_set(r->d, EINVAL, t->items[i]->line,
						   t->items[i]->column, path,
						   "'%s' is '%s' in another case, which containerd "
						   "2.x may also take for it: write it as '%s'",
						   t->keys[i], key, key);
			v = t->items[i];
		}
	}
	if (v && v->type != want)
		return cs_diag_set(r->d, EINVAL, v->line, v->column, path,
				   "must be %s, not %s (containerd does not start)",
				   cs_toml_type_name(want), cs_toml_type_name(v->type));
	*out = v;
	return 0;
}

static int copy_str(char *dst, size_t len, tval *v, const char *path, struct cs_diag *d)
{
	if (strlen(v->s) >= len)
		return cs_diag_set(d, ENAMETOOLONG, v->line, v->column, path,
				   "longer than %zu bytes", len - 1);
	memcpy(dst, v->s, strlen(v->s) + 1);
	return 0;
}

/* The base spec of the default handler: its capability sets and no_new_privs. */
static int read_base_spec(struct cs_containerd_config *c, tval *v, const char *path,
			  struct cs_diag *d)
{
	struct cs_oci_config spec;
	int rc;

	if (!v->s[0])
		return 0; /* "": containerd's own default spec */
	if (v->s[0] != '/')
		return cs_diag_set(d, EINVAL, v->line, v->column, path,
				   "'%s' is relative: containerd opens it from its own working "
				   "directory; give the absolute path",
				   v->s);
	if ((rc = copy_str(c->base_spec, sizeof(c->base_spec), v, path, d)) < 0)
		return rc;
	if ((rc = cs_oci_base_spec_load(v->s, &spec, d)) < 0) /* named where it was given */
		return cs_diag_context(d, rc, "the base_runtime_spec of runtime '%s' (%s:%u:%u)",
				       c->runtime, c->file, v->line, v->column);
	if (spec.process.user_namespace) {
		cs_oci_config_free(&spec);
		return cs_diag_set(d, EINVAL, v->line, v->column, path,
				   "the base spec %s has a user namespace: not modelled", v->s);
	}
	c->base_caps = spec.process.caps;
	/* A set the base spec leaves out is empty (containerd's options make
	 * the capabilities object; runc then sets an empty set). */
	c->base_caps.present = (1u << CS_NSETS) - 1;
	c->base_no_new_privs = spec.process.no_new_privileges;
	memcpy(c->base_unknown, spec.process.unknown_caps, sizeof(c->base_unknown));
	c->base_set = true;
	cs_oci_config_free(&spec);
	return 0;
}

/* t's fields of fs of the type containerd 1.x decodes (2.x: not checked). */
static int check_fields(const struct rd *r, tval *t, const struct cs_ctrd_field *fs, const char *at)
{
	char path[320];
	tval *v;
	int rc;

	for (; r->major < 2 && fs->key; fs++) {
		cs_format_cut(path, sizeof(path), "%s%s%s", at, at[0] ? "." : "", fs->key);
		if ((rc = get(r, t, fs->key, fs->type, path, &v)) < 0)
			return rc;
		for (uint32_t i = 0; v && v->type == CS_TOML_ARRAY && i < v->n; i++)
			if (v->items[i]->type != CS_TOML_STRING)
				return cs_diag_set(r->d, EINVAL, v->items[i]->line,
						   v->items[i]->column, path,
						   "must be an array of strings, not of %s "
						   "(containerd does not start)",
						   cs_toml_type_name(v->items[i]->type));
	}
	return 0;
}

/* The fields of t's sub-tables in subs (each a field of t). */
static int check_subs(const struct rd *r, tval *t, const struct cs_ctrd_sub *subs, const char *at)
{
	char path[320];
	tval *v;
	int rc;

	for (; r->major < 2 && subs->key; subs++) {
		cs_format_cut(path, sizeof(path), "%s%s%s", at, at[0] ? "." : "", subs->key);
		if ((rc = get(r, t, subs->key, CS_TOML_TABLE, path, &v)) < 0 ||
		    (rc = check_fields(r, v, subs->fields, path)) < 0)
			return rc;
	}
	return 0;
}

/* l (disabled_plugins) names the plugin uri: containerd neither loads it
 * nor decodes its table (server.LoadPlugins filters it out). */
static bool listed(tval *l, const char *uri)
{
	for (uint32_t i = 0; l && i < l->n; i++)
		if (l->items[i]->type == CS_TOML_STRING && !strcmp(l->items[i]->s, uri))
			return true;
	return false;
}

/*
 * The base spec of a handler other than the default: not predicted from,
 * but containerd loads every handler's base_runtime_spec when its CRI
 * plugin starts (loadBaseOCISpecs: "failed to load base OCI spec from
 * file") and without the plugin no pod starts at all, so one it cannot
 * read is refused here too (twentieth pass, part I: it was not looked at).
 */
static int check_other_base(const struct rd *r, const char *plugin, const char *name, tval *rt,
			    const char *table)
{
	struct cs_oci_config spec;
	char path[256];
	tval *base;
	int rc;

	/* formatted whole: a strcat after a cut path wrote past path[] (a
	 * runtime name of 200 bytes; twenty-first pass, part C audit) */
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.%s.base_runtime_spec", plugin,
		      table);
	if ((rc = get(r, rt, "base_runtime_spec", CS_TOML_STRING, path, &base)) < 0)
		return rc;
	if (!base || !base->s[0])
		return 0;
	if (base->s[0] != '/')
		return cs_diag_set(r->d, EINVAL, base->line, base->column, path,
				   "'%s' is relative: containerd opens it from its own working "
				   "directory; give the absolute path",
				   base->s);
	if ((rc = cs_oci_base_spec_load(base->s, &spec, r->d)) < 0)
		return cs_diag_context(
		    r->d, rc,
		    "the base_runtime_spec of runtime '%s' (%s:%u:%u), which "
		    "containerd loads for every handler when its CRI plugin starts "
		    "(no pod starts without it)",
		    name, r->c->file, base->line, base->column);
	cs_oci_config_free(&spec);
	return 0;
}

#define RUNC_V2	 "io.containerd.runc.v2"
#define LINUX_V1 "io.containerd.runtime.v1.linux"

/* t's string field key, or "" when t or the field is absent (type checked). */
static int str_of(const struct rd *r, tval *t, const char *key, const char *path, const char **s,
		  tval **v)
{
	int rc = get(r, t, key, CS_TOML_STRING, path, v);

	*s = rc == 0 && *v ? (*v)->s : "";
	return rc;
}

/*
 * containerd 1.x's deprecated handler tables (ValidatePluginConfig, 1.6.20):
 * taken only when their runtime_type is set (`containerd config default`
 * writes both empty, and they were refused: no such file was read).
 * untrusted_workload_runtime becomes the handler "untrusted", refused beside
 * a runtimes.untrusted; default_runtime becomes the default handler
 * "default" whatever default_runtime_name says: not modelled.
 */
static int deprecated_tables(const struct rd *r, tval *ctrd, tval *runtimes, const char *plugin,
			     tval **untr)
{
	static const char *const names[] = {"untrusted_workload_runtime", "default_runtime"};
	char path[256];
	const char *type;
	tval *t, *tv;
	int rc;

	*untr = NULL;
	for (int k = 0; k < 2; k++) {
		cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.%s", plugin, names[k]);
		if ((rc = get(r, ctrd, names[k], CS_TOML_TABLE, path, &t)) < 0 ||
		    (rc = check_fields(r, t, cs_ctrd_runtime_fields, path)) < 0 ||
		    (rc = str_of(r, t, "runtime_type", path, &type, &tv)) < 0)
			return rc;
		if (!type[0])
			continue; /* ignored by containerd, as here */
		if (k == 1)
			return cs_diag_set(
			    r->d, EINVAL, tv->line, tv->column, path,
			    "the deprecated default_runtime (runtime_type '%s') is the default "
			    "handler, named \"default\", whatever default_runtime_name says: not "
			    "read; configure it under runtimes and name it in default_runtime_name",
			    type);
		if (runtimes && cs_toml_get(runtimes, "untrusted"))
			return cs_diag_set(
			    r->d, EINVAL, tv->line, tv->column, path,
			    "both untrusted_workload_runtime and runtimes.untrusted: "
			    "\"conflicting definitions\", containerd's CRI plugin "
			    "does not start");
		*untr = t;
	}
	return 0;
}

/* registry (ValidatePluginConfig): mirrors or a configs.*.tls beside
 * config_path, an auths key url.Parse refuses. */
static int registry_rules(const struct rd *r, tval *cri, const char *at)
{
	char path[320];
	const char *cp, *why;
	tval *reg, *v, *m, *cf, *au;
	int rc;

	cs_format_cut(path, sizeof(path), "%s.registry", at);
	if ((rc = get(r, cri, "registry", CS_TOML_TABLE, path, &reg)) < 0 ||
	    (rc = str_of(r, reg, "config_path", path, &cp, &v)) < 0 ||
	    (rc = get(r, reg, "mirrors", CS_TOML_TABLE, path, &m)) < 0 ||
	    (rc = get(r, reg, "configs", CS_TOML_TABLE, path, &cf)) < 0 ||
	    (rc = get(r, reg, "auths", CS_TOML_TABLE, path, &au)) < 0)
		return rc;
	if (cp[0] && m && m->n)
		return cs_diag_set(r->d, EINVAL, m->line, m->column, path,
				   "mirrors beside config_path: containerd's CRI plugin does not "
				   "start (\"`mirrors` cannot be set when `config_path` is "
				   "provided\")");
	for (uint32_t i = 0; cp[0] && cf && i < cf->n; i++) {
		tval *tls =
		    cf->items[i]->type == CS_TOML_TABLE ? v1_field(cf->items[i], "tls") : NULL;
		if (tls)
			return cs_diag_set(r->d, EINVAL, tls->line, tls->column, path,
					   "configs.%s.tls beside config_path: containerd's CRI "
					   "plugin does not start",
					   cf->keys[i]);
	}
	for (uint32_t i = 0; au && i < au->n; i++)
		if ((why = cs_go_url_error(au->keys[i])))
			return cs_diag_set(r->d, EINVAL, au->items[i]->line, au->items[i]->column,
					   path,
					   "auths key '%s': %s (Go's url.Parse): containerd's CRI "
					   "plugin does not start",
					   au->keys[i], why);
	return 0;
}

/*
 * The rest of containerd 1.x's ValidatePluginConfig (1.6.20; each seen
 * refused by the real containerd: "failed to load plugin
 * io.containerd.grpc.v1.cri", after which no pod starts): systemd_cgroup or
 * no_pivot unless the default handler is the legacy io.containerd.runtime.v1.linux,
 * runtime_engine or runtime_root on any other handler, the registry's
 * conflicts, a stream_idle_timeout Go's time.ParseDuration refuses.
 */
static int cri_rules(const struct rd *r, tval *cri, tval *runtimes, tval *untr,
		     const char *def_type, const char *plugin)
{
	static const char *const flags[] = {"systemd_cgroup", "no_pivot"};
	char at[128], path[320];
	const char *s, *why;
	tval *v;
	int rc;

	cs_format_cut(at, sizeof(at), "plugins.\"%s\"", plugin);
	for (int k = 0; k < 2; k++) {
		tval *t = k ? (get(r, cri, "containerd", CS_TOML_TABLE, at, &v), v) : cri;

		cs_format_cut(path, sizeof(path), "%s%s.%s", at, k ? ".containerd" : "", flags[k]);
		if ((rc = get(r, t, flags[k], CS_TOML_BOOL, path, &v)) < 0)
			return rc;
		if (v && v->b && strcmp(def_type, LINUX_V1))
			return cs_diag_set(r->d, EINVAL, v->line, v->column, path,
					   "only works for runtime %s, not the default handler's "
					   "'%s': containerd's CRI plugin does not start",
					   LINUX_V1, def_type);
	}
	for (uint32_t i = 0; i <= (runtimes ? runtimes->n : 0); i++) {
		tval *rt = runtimes && i < runtimes->n ? runtimes->items[i] : untr;
		static const char *const legacy[] = {"runtime_engine", "runtime_root"};
		const char *type;

		if (!rt)
			continue;
		cs_format_cut(path, sizeof(path), "%s.containerd.%s%s", at,
			      rt == untr ? "untrusted_workload_runtime" : "runtimes.",
			      rt == untr ? "" : runtimes->keys[i]);
		if ((rc = str_of(r, rt, "runtime_type", path, &type, &v)) < 0)
			return rc;
		for (int k = 0; k < 2; k++) {
			if ((rc = str_of(r, rt, legacy[k], path, &s, &v)) < 0)
				return rc;
			if (s[0] && strcmp(type, LINUX_V1))
				return cs_diag_set(r->d, EINVAL, v->line, v->column, path,
						   "%s only works for runtime %s: containerd's "
						   "CRI plugin does not start",
						   legacy[k], LINUX_V1);
		}
	}
	if ((rc = registry_rules(r, cri, at)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "%s.stream_idle_timeout", at);
	if ((rc = str_of(r, cri, "stream_idle_timeout", path, &s, &v)) < 0)
		return rc;
	if (s[0] && (why = cs_go_duration_error(s)))
		return cs_diag_set(r->d, EINVAL, v->line, v->column, path,
				   "'%s': %s (Go's time.ParseDuration): containerd's CRI plugin "
				   "does not start",
				   s, why);
	return 0;
}

/*
 * The default handler's options, decoded by go-toml v1 as runc's
 * (runcoptions.Options) when a pod starts: a value of another type, or an
 * IoUid/IoGid outside uint32, fails every RunPodSandbox ("failed to
 * generate runtime options", seen with 1.6.20).
 */
static int check_options(const struct rd *r, tval *opts, const char *path)
{
	static const struct cs_ctrd_field fields[] = {
	    {"NoPivotRoot", CS_TOML_BOOL},    {"NoNewKeyring", CS_TOML_BOOL},
	    {"ShimCgroup", CS_TOML_STRING},   {"IoUid", CS_TOML_INT},
	    {"IoGid", CS_TOML_INT},	      {"BinaryName", CS_TOML_STRING},
	    {"Root", CS_TOML_STRING},	      {"CriuPath", CS_TOML_STRING},
	    {"SystemdCgroup", CS_TOML_BOOL},  {"CriuImagePath", CS_TOML_STRING},
	    {"CriuWorkPath", CS_TOML_STRING}, {NULL, CS_TOML_TABLE}};
	tval *v;

	for (const struct cs_ctrd_field *f = fields; r->major < 2 && opts && f->key; f++) {
		if ((v = v1_field(opts, f->key)) && v->type != f->type)
			return cs_diag_set(
			    r->d, EINVAL, v->line, v->column, path,
			    "options.%s must be %s, not %s: every pod fails to start "
			    "(\"failed to generate runtime options\")",
			    f->key, cs_toml_type_name(f->type), cs_toml_type_name(v->type));
		if (v && f->type == CS_TOML_INT && (v->i < 0 || v->i > UINT32_MAX))
			return cs_diag_set(r->d, EINVAL, v->line, v->column, path,
					   "options.%s %lld does not fit in a uint32: every pod "
					   "fails to start",
					   f->key, (long long)v->i);
	}
	return 0;
}

/* The default handler rt (at path): its base spec, runc through runc's v2
 * shim, its options. */
static int read_handler(const struct rd *r, tval *rt, const char *path)
{
	struct cs_containerd_config *c = r->c;
	char bpath[320];
	const char *type;
	tval *tv, *opts, *bin, *base;
	int rc;

	/* its base spec first: loaded when the CRI plugin starts, the rest
	 * when a pod does */
	cs_format_cut(bpath, sizeof(bpath), "%s.base_runtime_spec", path);
	if ((rc = get(r, rt, "base_runtime_spec", CS_TOML_STRING, bpath, &base)) < 0 ||
	    (base && (rc = read_base_spec(c, base, bpath, r->d)) < 0) ||
	    (rc = str_of(r, rt, "runtime_type", path, &type, &tv)) < 0)
		return rc;
	/* 1.6.20: RunPodSandbox "container.Runtime.Name must be set": the
	 * handler's table replaces containerd's own entry, runtime_type with
	 * it (it was predicted as runc) */
	if (!type[0])
		return cs_diag_set(r->d, EINVAL, tv ? tv->line : rt->line,
				   tv ? tv->column : rt->column, path,
				   "the default handler '%s' has no runtime_type: every pod fails "
				   "to start (\"container.Runtime.Name must be set\"); write "
				   "runtime_type = \"" RUNC_V2 "\"",
				   c->runtime);
	if (strcmp(type, RUNC_V2))
		return cs_diag_set(r->d, EINVAL, tv->line, tv->column, path,
				   "runtime_type '%s': the default handler is not runc "
				   "(" RUNC_V2 "); another runtime (a VM such as Kata, "
				   "gVisor) is not modelled",
				   type);
	if ((rc = get(r, rt, "options", CS_TOML_TABLE, path, &opts)) < 0 ||
	    (rc = check_options(r, opts, path)) < 0 ||
	    (rc = get(r, opts, "BinaryName", CS_TOML_STRING, path, &bin)) < 0)
		return rc;
	if (bin && bin->s[0]) {
		const char *b = strrchr(bin->s, '/');

		if (strcmp(b ? b + 1 : bin->s, "runc"))
			return cs_diag_set(r->d, EINVAL, bin->line, bin->column, path,
					   "options.BinaryName '%s' is another OCI runtime than "
					   "runc: not modelled",
					   bin->s);
	}
	return 0;
}

static int read_runtime(const struct rd *r, tval *cri, tval *cri_ctrd, const char *plugin)
{
	struct cs_containerd_config *c = r->c;
	struct cs_diag *d = r->d;
	char path[256];
	tval *name, *runtimes, *rt, *untr, *tv;
	const char *def_type = RUNC_V2; /* containerd's own runc entry */
	int rc;

	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd", plugin);
	if ((rc = check_fields(r, cri_ctrd, cs_ctrd_ctrd_fields, path)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes", plugin);
	if ((rc = get(r, cri_ctrd, "runtimes", CS_TOML_TABLE, path, &runtimes)) < 0)
		return rc;
	for (uint32_t i = 0; runtimes && i < runtimes->n; i++) {
		rt = runtimes->items[i];
		cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes.%s", plugin,
			      runtimes->keys[i]);
		if (rt->type != CS_TOML_TABLE)
			return cs_diag_set(d, EINVAL, rt->line, rt->column, path,
					   "must be a table");
		if ((rc = check_fields(r, rt, cs_ctrd_runtime_fields, path)) < 0)
			return rc;
	}
	if ((rc = deprecated_tables(r, cri_ctrd, runtimes, plugin, &untr)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.default_runtime_name", plugin);
	if ((rc = get(r, cri_ctrd, "default_runtime_name", CS_TOML_STRING, path, &name)) < 0)
		return rc;
	if (name && !name->s[0])
		return cs_diag_set(d, EINVAL, name->line, name->column, path,
				   "empty: containerd's CRI plugin does not start");
	if (name && (rc = copy_str(c->runtime, sizeof(c->runtime), name, path, d)) < 0)
		return rc;
	/* the map is looked up by the exact name (go-toml's map keys) */
	rt = runtimes ? cs_toml_get(runtimes, c->runtime) : NULL;
	if (!rt && untr && !strcmp(c->runtime, "untrusted"))
		rt = untr;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes", plugin);
	if (!rt && strcmp(c->runtime, "runc"))
		return cs_diag_set(d, EINVAL, name->line, name->column, path,
				   "the default runtime '%s' is not configured under runtimes "
				   "(containerd does not start)",
				   c->runtime);
	/* containerd 1.x decodes a runtimes table in place of its own (which
	 * holds runc): without runc in it, its CRI plugin refuses to start, "no
	 * corresponding runtime configured in `containerd.runtimes` for
	 * `containerd` `default_runtime_name = "runc"` (seen with 1.6.20; it
	 * was predicted with containerd's own runc entry). */
	if (!rt && runtimes && r->major < 2)
		return cs_diag_set(d, EINVAL, runtimes->line, runtimes->column, path,
				   "no runtime 'runc', the default: this table replaces "
				   "containerd's own (its runc with it), and its CRI plugin "
				   "does not start");
	if (rt && (rc = str_of(r, rt, "runtime_type", path, &def_type, &tv)) < 0)
		return rc;
	if (r->major < 2 && (rc = cri_rules(r, cri, runtimes, untr, def_type, plugin)) < 0)
		return rc;
	for (uint32_t i = 0; runtimes && i < runtimes->n; i++) {
		char table[160];

		cs_format_cut(table, sizeof(table), "runtimes.%s", runtimes->keys[i]);
		if (runtimes->items[i] != rt &&
		    (rc = check_other_base(r, plugin, runtimes->keys[i], runtimes->items[i],
					   table)) < 0)
			return rc;
	}
	if (untr && untr != rt &&
	    (rc = check_other_base(r, plugin, "untrusted", untr, "untrusted_workload_runtime")) < 0)
		return rc;
	if (!rt)
		return 0; /* containerd's own runc entry */
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.%s%s", plugin,
		      rt == untr ? "untrusted_workload_runtime" : "runtimes.",
		      rt == untr ? "" : c->runtime);
	return read_handler(r, rt, path);
}

/* A local date anywhere (go-toml v1: "incorrect date/time separation
 * character", containerd 1.6.20 does not start), or NULL. */
static tval *local_date(tval *v)
{
	tval *f = NULL;

	if (v->type == CS_TOML_DATETIME && v->i == CS_TOML_LOCAL_DATE)
		return v;
	for (uint32_t i = 0;
	     !f && (v->type == CS_TOML_ARRAY || v->type == CS_TOML_TABLE) && i < v->n; i++)
		f = local_date(v->items[i]);
	return f;
}

/* The TOML that go-toml v1 (containerd 1.x) reads otherwise than TOML 1.0. */
static int check_v1_syntax(const struct rd *r, const struct cs_toml_doc *doc)
{
	unsigned line, col;
	tval *v;

	if ((line = cs_toml_odd_key(doc, &col)))
		return cs_diag_set(r->d, EINVAL, line, col, "",
				   "a quoted key with a backslash, '\"' or ']': containerd 1.x's "
				   "TOML reader (go-toml v1) reads it otherwise (a [table] "
				   "name's escapes undecoded, the quote or bracket ending it): "
				   "write the key without them");
	if ((v = local_date(cs_toml_root(doc))))
		return cs_diag_set(r->d, EINVAL, v->line, v->column, "",
				   "a local date (%s): containerd 1.x's TOML reader refuses it "
				   "and containerd does not start",
				   v->s);
	return 0;
}

/*
 * containerd 1.x's ValidateV2 (a version 2 config): each plugin named by a
 * URI of four dotted parts at least ("invalid plugin key URI %q expect
 * io.containerd.x.vx"), in plugins and in disabled_plugins, required_plugins;
 * and each plugin's value a table (go-toml: "Can't convert 1(int64) to
 * toml.Tree"). containerd does not start otherwise; a `[plugins.cri]` left
 * in a version 2 file was read as if absent.
 */
static bool uri4(const char *s)
{
	int dots = 0;

	for (; *s; s++)
		dots += *s == '.';
	return dots >= 3;
}

static int check_plugin_names(const struct rd *r, tval *root, tval *plugins)
{
	static const char *const lists[] = {"disabled_plugins", "required_plugins"};
	tval *l;
	int rc;

	for (uint32_t i = 0; plugins && i < plugins->n; i++) {
		tval *p = plugins->items[i];

		if (!uri4(plugins->keys[i]))
			return cs_diag_set(r->d, EINVAL, p->line, p->column, "plugins",
					   "'%s' is not a plugin URI (io.containerd.x.vx): "
					   "containerd does not start",
					   plugins->keys[i]);
		if (p->type != CS_TOML_TABLE)
			return cs_diag_set(r->d, EINVAL, p->line, p->column, "plugins",
					   "'%s' must be a table, not %s (containerd does not "
					   "start)",
					   plugins->keys[i], cs_toml_type_name(p->type));
	}
	if ((rc = get(r, root, "disabled_plugins", CS_TOML_ARRAY, "disabled_plugins", &l)) < 0)
		return rc;
	if (listed(l, "io.containerd.grpc.v1.cri"))
		return cs_diag_set(r->d, EINVAL, l->line, l->column, "disabled_plugins",
				   "the CRI plugin io.containerd.grpc.v1.cri is disabled: no pod "
				   "starts through this containerd");
	for (const struct cs_ctrd_sub *s = cs_ctrd_plugin_subs; s->key; s++) {
		char path[128];
		tval *p = plugins ? cs_toml_get(plugins, s->key) : NULL;

		cs_format_cut(path, sizeof(path), "plugins.\"%s\"", s->key);
		if (p && !listed(l, s->key) && (rc = check_fields(r, p, s->fields, path)) < 0)
			return rc;
	}
	for (int k = 0; k < 2; k++) {
		if ((rc = get(r, root, lists[k], CS_TOML_ARRAY, lists[k], &l)) < 0)
			return rc;
		for (uint32_t i = 0; l && i < l->n; i++)
			if (l->items[i]->type == CS_TOML_STRING && !uri4(l->items[i]->s))
				return cs_diag_set(r->d, EINVAL, l->items[i]->line,
						   l->items[i]->column, lists[k],
						   "'%s' is not a plugin URI (io.containerd.x.vx): "
						   "containerd does not start",
						   l->items[i]->s);
	}
	return 0;
}

/* A key of migrateConfig's containerd table that stays with the image service. */
static bool image_key(const char *k)
{
	return !strcmp(k, "snapshotter") || !strcmp(k, "disable_snapshot_annotations") ||
	       !strcmp(k, "discard_unpacked_layers");
}

/*
 * The first key of the CRI gRPC plugin's table that containerd 2.x's
 * migration (plugins/cri/runtime configMigration, migrateConfig) copies into
 * the runtime plugin's table, which does not have it: enable_unprivileged_ports,
 * or a key of its containerd table (default_runtime_name, runtimes, ...).
 * NULL when none; *at is the key's value, for its place.
 */
static const char *migrated_key(tval *grpc, tval *rt, tval **at)
{
	tval *v, *gc, *rc;

	if (!grpc || grpc->type != CS_TOML_TABLE)
		return NULL;
	if ((v = cs_toml_get(grpc, "enable_unprivileged_ports")) &&
	    !(rt && rt->type == CS_TOML_TABLE && cs_toml_get(rt, "enable_unprivileged_ports"))) {
		*at = v;
		return "enable_unprivileged_ports";
	}
	if (!(gc = cs_toml_get(grpc, "containerd")) || gc->type != CS_TOML_TABLE)
		return NULL;
	rc = rt && rt->type == CS_TOML_TABLE ? cs_toml_get(rt, "containerd") : NULL;
	for (uint32_t i = 0; i < gc->n; i++) {
		if (image_key(gc->keys[i]) ||
		    (rc && rc->type == CS_TOML_TABLE && cs_toml_get(rc, gc->keys[i])))
			continue;
		*at = gc->items[i];
		return gc->keys[i];
	}
	return NULL;
}

/*
 * containerd 2.x migrates a file older than its own config version (3 in
 * 2.0 to 2.2, 4 from 2.3 on), plugin by plugin: the CRI runtime plugin's
 * migration copies each key of plugins."io.containerd.grpc.v1.cri" (and of
 * its containerd table) into plugins."io.containerd.cri.v1.runtime" that is
 * not there already, and the runtime plugin reads only the latter. Its
 * check (configVersion >= version.ConfigVersion) lets 2.3 and later run it
 * on a version 3 file too. Twenty-eighth pass: a version 2 file was read
 * from the gRPC table alone, so a runtime table beside it (whose keys win)
 * was not read; a version 3 file from the runtime table alone, so a gRPC
 * table's runtimes or enable_unprivileged_ports, which 2.3 and later take,
 * were not. Either is refused: capscope is told 2.x, not which.
 */
static int migration_rules(const struct rd *r, tval *plugins, long long ver)
{
	tval *grpc = plugins ? cs_toml_get(plugins, "io.containerd.grpc.v1.cri") : NULL;
	tval *rt = plugins ? cs_toml_get(plugins, "io.containerd.cri.v1.runtime") : NULL;
	tval *at = NULL;
	const char *k;

	if (ver == 2 && rt && (rt->type != CS_TOML_TABLE || rt->n))
		return cs_diag_set(r->d, EINVAL, rt->line, rt->column,
				   "plugins.\"io.containerd.cri.v1.runtime\"",
				   "a version 2 file with the version 3 runtime table: containerd "
				   "2.x migrates the file and takes this table's keys over "
				   "plugins.\"io.containerd.grpc.v1.cri\"'s; not read: write "
				   "version = 3 with the runtime keys here, or version 2 without "
				   "this table");
	if (ver == 3 && (k = migrated_key(grpc, rt, &at)))
		return cs_diag_set(
		    r->d, EINVAL, at->line, at->column, "plugins.\"io.containerd.grpc.v1.cri\"",
		    "'%s' in a version 3 file: containerd 2.3 and later (config "
		    "version 4) copy it into plugins.\"io.containerd.cri.v1.runtime\", "
		    "which has none, and read it; 2.0 to 2.2 ignore it. capscope "
		    "does not know which 2.x runs: move it to the runtime table",
		    k);
	return 0;
}

static int read_doc(const struct rd *r, const struct cs_toml_doc *doc)
{
	struct cs_containerd_config *c = r->c;
	struct cs_diag *d = r->d;
	tval *root = cs_toml_root(doc), *ver, *imports, *plugins, *cri, *ctrd, *ports;
	const char *plugin;
	char path[128];
	int rc;

	if (r->major < 2 && (rc = check_v1_syntax(r, doc)) < 0)
		return rc;
	if ((rc = get(r, root, "version", CS_TOML_INT, "version", &ver)) < 0 ||
	    (rc = get(r, root, "imports", CS_TOML_ARRAY, "imports", &imports)) < 0)
		return rc;
	if (!ver || ver->i < 2)
		return cs_diag_set(d, EINVAL, ver ? ver->line : 1, ver ? ver->column : 1, "version",
				   "a version 1 config (no 'version = 2' or 3): its CRI plugin "
				   "is \"cri\", whose keys are not read; migrate it (containerd "
				   "config migrate) or write version = 2");
	if (ver->i == 4 && r->major >= 2)
		return cs_diag_set(d, EINVAL, ver->line, ver->column, "version",
				   "version 4 is read by containerd 2.3 and later only (2.0 to "
				   "2.2 do not start); capscope reads versions 2 and 3");
	if (ver->i > 3 || (ver->i == 3 && r->major < 2))
		return cs_diag_set(d, EINVAL, ver->line, ver->column, "version",
				   "version %lld is not one containerd %s reads", (long long)ver->i,
				   r->major < 2 ? "1.x" : "2.x");
	if (imports && imports->n)
		return cs_diag_set(d, EINVAL, imports->line, imports->column, "imports",
				   "other files are merged in: not followed; give the merged "
				   "config ('containerd config dump')");
	plugin = ver->i == 3 ? "io.containerd.cri.v1.runtime" : "io.containerd.grpc.v1.cri";
	if ((rc = check_fields(r, root, cs_ctrd_root_fields, "")) < 0 ||
	    (rc = check_subs(r, root, cs_ctrd_root_subs, "")) < 0 ||
	    (rc = get(r, root, "plugins", CS_TOML_TABLE, "plugins", &plugins)) < 0 ||
	    (r->major < 2 && (rc = check_plugin_names(r, root, plugins)) < 0) ||
	    (r->major >= 2 && plugins && plugins->type == CS_TOML_TABLE &&
	     (rc = migration_rules(r, plugins, ver->i)) < 0))
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\"", plugin);
	/* plugins is a map: its keys are exact */
	if ((cri = plugins ? cs_toml_get(plugins, plugin) : NULL) && cri->type != CS_TOML_TABLE)
		return cs_diag_set(d, EINVAL, cri->line, cri->column, path,
				   "must be a table, not %s (containerd does not start)",
				   cs_toml_type_name(cri->type));
	if ((rc = check_fields(r, cri, cs_ctrd_cri_fields, path)) < 0 ||
	    (rc = check_subs(r, cri, cs_ctrd_cri_subs, path)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".enable_unprivileged_ports", plugin);
	if ((rc = get(r, cri, "enable_unprivileged_ports", CS_TOML_BOOL, path, &ports)) < 0)
		return rc;
	if (ports) {
		c->unpriv_ports_set = true;
		c->unpriv_ports = ports->b;
	}
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd", plugin);
	if ((rc = get(r, cri, "containerd", CS_TOML_TABLE, path, &ctrd)) < 0)
		return rc;
	return read_runtime(r, cri, ctrd, plugin);
}

void cs_containerd_config_default(struct cs_containerd_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->runtime, "runc");
}

int cs_containerd_config_parse(struct cs_containerd_config *c, const char *buf, size_t len,
			       const char *name, unsigned major, struct cs_diag *d)
{
	const struct rd r = {c, major, d};
	struct cs_toml_doc *doc = NULL;
	int rc;

	cs_containerd_config_default(c);
	/* for messages about its base spec; a path past 255 bytes marked as cut
	 * in its middle, not cut silently (twenty-first pass, part C audit) */
	cs_format_cut(c->file, sizeof(c->file), "%s", name);
	if ((rc = cs_toml_load(buf, len, name, &doc, d)) == 0) {
		rc = read_doc(&r, doc);
		cs_toml_free(doc);
	}
	if (rc < 0) {
		cs_diag_file(d, name);
		cs_containerd_config_default(c);
	}
	return rc;
}

int cs_containerd_config_load(struct cs_containerd_config *c, const char *path, unsigned major,
			      struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	size_t len = 0;
	int rc;

	cs_containerd_config_default(c);
	if ((rc = cs_read_config_file(path, 4u << 20, "containerd", &buf, &len, d)) < 0) {
		cs_diag_file(d, path);
		return rc;
	}
	/* a bare -ENOMEM of the TOML reader said "ctd.toml: " and nothing */
	return cs_diag_unsaid(d, cs_containerd_config_parse(c, buf, len, path, major, d));
}
