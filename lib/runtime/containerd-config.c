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
 * table, a key spelt in another case (containerd's TOML decoders match
 * field names without case), and a value of the wrong type (containerd
 * does not start), and a base_runtime_spec of another handler containerd
 * could not load (its CRI plugin loads them all when it starts). Every
 * other key is containerd's business, not read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capscope/cri.h"
#include "capscope/oci.h"
#include "../internal/cleanup.h"
#include "../internal/toml.h"
#include "../internal/util.h"

typedef const struct cs_toml_value tval;

/*
 * t's value for key, of type want, or NULL when absent. A key that is the
 * same but for case is refused: containerd's decoders (go-toml) would take
 * it for the field too.
 */
static int get(tval *t, const char *key, enum cs_toml_type want, const char *path, tval **out,
	       struct cs_diag *d)
{
	*out = NULL;
	if (!t)
		return 0;
	for (uint32_t i = 0; i < t->n; i++) {
		tval *v = t->items[i];

		if (strcasecmp(t->keys[i], key))
			continue;
		if (strcmp(t->keys[i], key))
			return cs_diag_set(d, EINVAL, v->line, v->column, path,
					   "'%s' is '%s' in another case, which containerd may "
					   "also take for it: write it as '%s'",
					   t->keys[i], key, key);
		if (v->type != want)
			return cs_diag_set(d, EINVAL, v->line, v->column, path,
					   "must be %s, not %s (containerd does not start)",
					   cs_toml_type_name(want), cs_toml_type_name(v->type));
		*out = v;
	}
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

/*
 * The base spec of a handler other than the default: not predicted from,
 * but containerd loads every handler's base_runtime_spec when its CRI
 * plugin starts (loadBaseOCISpecs: "failed to load base OCI spec from
 * file") and without the plugin no pod starts at all, so one it cannot
 * read is refused here too (twentieth pass, part I: it was not looked at).
 */
static int check_other_base(struct cs_containerd_config *c, const char *plugin, const char *name,
			    tval *rt, struct cs_diag *d)
{
	struct cs_oci_config spec;
	char path[256];
	tval *base;
	int rc;

	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes.%s", plugin, name);
	if (rt->type != CS_TOML_TABLE)
		return cs_diag_set(d, EINVAL, rt->line, rt->column, path, "must be a table");
	/* formatted whole again: a strcat after a cut path wrote past path[]
	 * (a runtime name of 200 bytes; twenty-first pass, part C audit) */
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes.%s.base_runtime_spec",
		      plugin, name);
	if ((rc = get(rt, "base_runtime_spec", CS_TOML_STRING, path, &base, d)) < 0)
		return rc;
	if (!base || !base->s[0])
		return 0;
	if (base->s[0] != '/')
		return cs_diag_set(d, EINVAL, base->line, base->column, path,
				   "'%s' is relative: containerd opens it from its own working "
				   "directory; give the absolute path",
				   base->s);
	if ((rc = cs_oci_base_spec_load(base->s, &spec, d)) < 0)
		return cs_diag_context(
		    d, rc,
		    "the base_runtime_spec of runtime '%s' (%s:%u:%u), which "
		    "containerd loads for every handler when its CRI plugin starts "
		    "(no pod starts without it)",
		    name, c->file, base->line, base->column);
	cs_oci_config_free(&spec);
	return 0;
}

static int read_runtime(struct cs_containerd_config *c, tval *cri_ctrd, const char *plugin,
			struct cs_diag *d)
{
	char path[256];
	tval *name, *runtimes, *rt, *type, *base, *opts, *bin, *old;
	int rc;

	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.default_runtime", plugin);
	if ((rc = get(cri_ctrd, "default_runtime", CS_TOML_TABLE, path, &old, d)) < 0)
		return rc;
	if (old)
		return cs_diag_set(
		    d, EINVAL, old->line, old->column, path,
		    "the deprecated default_runtime table is not read: name the "
		    "runtime in default_runtime_name and configure it under runtimes");
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.default_runtime_name", plugin);
	if ((rc = get(cri_ctrd, "default_runtime_name", CS_TOML_STRING, path, &name, d)) < 0)
		return rc;
	if (name && (rc = copy_str(c->runtime, sizeof(c->runtime), name, path, d)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes", plugin);
	if ((rc = get(cri_ctrd, "runtimes", CS_TOML_TABLE, path, &runtimes, d)) < 0)
		return rc;
	for (uint32_t i = 0; runtimes && i < runtimes->n; i++)
		if (strcmp(runtimes->keys[i], c->runtime) &&
		    (rc = check_other_base(c, plugin, runtimes->keys[i], runtimes->items[i], d)) <
			0)
			return rc;
	rt = runtimes ? cs_toml_get(runtimes, c->runtime) : NULL;
	if (!rt && strcmp(c->runtime, "runc"))
		return cs_diag_set(d, EINVAL, name->line, name->column, path,
				   "the default runtime '%s' is not configured under runtimes "
				   "(containerd does not start)",
				   c->runtime);
	if (!rt)
		return 0; /* containerd's own runc entry */
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes.%s", plugin,
		      c->runtime);
	if (rt->type != CS_TOML_TABLE)
		return cs_diag_set(d, EINVAL, rt->line, rt->column, path, "must be a table");
	if ((rc = get(rt, "runtime_type", CS_TOML_STRING, path, &type, d)) < 0)
		return rc;
	if (type && type->s[0] && strcmp(type->s, "io.containerd.runc.v2"))
		return cs_diag_set(d, EINVAL, type->line, type->column, path,
				   "runtime_type '%s': the default handler is not runc "
				   "(io.containerd.runc.v2); another runtime (a VM such as Kata, "
				   "gVisor) is not modelled",
				   type->s);
	if ((rc = get(rt, "options", CS_TOML_TABLE, path, &opts, d)) < 0 ||
	    (rc = get(opts, "BinaryName", CS_TOML_STRING, path, &bin, d)) < 0)
		return rc;
	if (bin && bin->s[0]) {
		const char *b = strrchr(bin->s, '/');

		if (strcmp(b ? b + 1 : bin->s, "runc"))
			return cs_diag_set(d, EINVAL, bin->line, bin->column, path,
					   "options.BinaryName '%s' is another OCI runtime than "
					   "runc: not modelled",
					   bin->s);
	}
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd.runtimes.%s.base_runtime_spec",
		      plugin, c->runtime); /* not strcat: see check_other_base */
	if ((rc = get(rt, "base_runtime_spec", CS_TOML_STRING, path, &base, d)) < 0)
		return rc;
	return base ? read_base_spec(c, base, path, d) : 0;
}

static int read_doc(struct cs_containerd_config *c, tval *root, unsigned major, struct cs_diag *d)
{
	tval *ver, *imports, *plugins, *cri, *ctrd, *ports;
	const char *plugin;
	int rc;

	if ((rc = get(root, "version", CS_TOML_INT, "version", &ver, d)) < 0 ||
	    (rc = get(root, "imports", CS_TOML_ARRAY, "imports", &imports, d)) < 0)
		return rc;
	if (!ver || ver->i < 2)
		return cs_diag_set(d, EINVAL, ver ? ver->line : 1, ver ? ver->column : 1, "version",
				   "a version 1 config (no 'version = 2' or 3): its CRI plugin "
				   "is \"cri\", whose keys are not read; migrate it (containerd "
				   "config migrate) or write version = 2");
	if (ver->i > 3 || (ver->i == 3 && major < 2))
		return cs_diag_set(d, EINVAL, ver->line, ver->column, "version",
				   "version %lld is not one containerd %s reads", (long long)ver->i,
				   major < 2 ? "1.x" : "2.x");
	if (imports && imports->n)
		return cs_diag_set(d, EINVAL, imports->line, imports->column, "imports",
				   "other files are merged in: not followed; give the merged "
				   "config ('containerd config dump')");
	plugin = ver->i == 3 ? "io.containerd.cri.v1.runtime" : "io.containerd.grpc.v1.cri";
	if ((rc = get(root, "plugins", CS_TOML_TABLE, "plugins", &plugins, d)) < 0)
		return rc;
	char path[128];

	cs_format_cut(path, sizeof(path), "plugins.\"%s\"", plugin);
	if ((rc = get(plugins, plugin, CS_TOML_TABLE, path, &cri, d)) < 0)
		return rc;
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".enable_unprivileged_ports", plugin);
	if ((rc = get(cri, "enable_unprivileged_ports", CS_TOML_BOOL, path, &ports, d)) < 0)
		return rc;
	if (ports) {
		c->unpriv_ports_set = true;
		c->unpriv_ports = ports->b;
	}
	cs_format_cut(path, sizeof(path), "plugins.\"%s\".containerd", plugin);
	if ((rc = get(cri, "containerd", CS_TOML_TABLE, path, &ctrd, d)) < 0)
		return rc;
	return read_runtime(c, ctrd, plugin, d);
}

void cs_containerd_config_default(struct cs_containerd_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->runtime, "runc");
}

int cs_containerd_config_load(struct cs_containerd_config *c, const char *path, unsigned major,
			      struct cs_diag *d)
{
	cs_cleanup_free char *buf = NULL;
	struct cs_toml_doc *doc = NULL;
	size_t len = 0;
	int rc;

	cs_containerd_config_default(c);
	/* for messages about its base spec; a path past 255 bytes marked as cut
	 * in its middle, not cut silently (twenty-first pass, part C audit) */
	cs_format_cut(c->file, sizeof(c->file), "%s", path);
	if ((rc = cs_read_file(path, 4u << 20, &buf, &len)) < 0) {
		rc = cs_diag_read_error(d, path, rc, 4u << 20);
	} else if ((rc = cs_toml_load(buf, len, path, &doc, d)) == 0) {
		rc = read_doc(c, cs_toml_root(doc), major, d);
		cs_toml_free(doc);
	}
	if (rc < 0) {
		cs_diag_file(d, path);
		cs_containerd_config_default(c);
	}
	return rc;
}
