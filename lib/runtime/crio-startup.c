/* SPDX-License-Identifier: MIT */
/*
 * CRI-O's start-up checks on field values that do not depend on the host,
 * beyond default_capabilities (crio-config.c): after every file is read,
 * Config.Validate (v1.36.3 pkg/config/config.go) refuses, in this order,
 *   image_volumes other than "mkdir", "ignore" or "bind";
 *   log_dir that is not absolute (RootConfig.Validate, on execution);
 *   min_injected_gomaxprocs below 0;
 *   an additional_artifact_stores entry that is not absolute;
 *   default_runtime naming no [crio.runtime.runtimes.NAME] table
 *     (ValidateDefaultRuntime; crun's is CRI-O's own, "" means crun);
 *   log_size_max from 0 to 8191 (OCIBufSize);
 *   a default_sysctls entry Sysctls() refuses (noted by crio-config.c);
 *   cgroup_manager other than "systemd" or "cgroupfs"
 *     (cgmgr.SetCgroupManager, on execution),
 * and CRI-O does not start, so no container runs. These were read and a
 * container predicted (the fourteenth pass's open item). Each field's last
 * value wins, a later file may mend an earlier one. The runtime tables of
 * all files add up: BurntSushi's decoder fills the map it is given.
 * Checks that ask the host (paths, binaries, time zones, devices, ulimits'
 * syntax, seccomp and AppArmor profiles) are not made here.
 */
#include <stdio.h>
#include <string.h>

#include "../internal/crio-startup.h"
#include "../internal/util.h"

static void note(struct cs_crio_value_check *k, const struct cs_toml_value *v, bool bad,
		 const char *value, const char *from)
{
	k->bad = bad;
	k->line = v->line;
	k->column = v->column;
	/* a drop-in's path of 300 bytes ends in "...", not in a file it is not */
	cs_clip(k->from, sizeof(k->from), from);
	if ((size_t)snprintf(k->value, sizeof(k->value), "%s", value) >= sizeof(k->value))
		cs_mark_cut(k->value, sizeof(k->value));
}

static bool one_of(const char *s, const char *a, const char *b, const char *c)
{
	return !strcmp(s, a) || !strcmp(s, b) || (c && !strcmp(s, c));
}

/*
 * Fifteenth pass: CRI-O's decoder puts every key that matches a field
 * without case into it, each table of such a name into one struct, in Go's
 * random map order. `[crio.image]` and `[crio.IMAGE] image_volumes =
 * "none"` always stop CRI-O (one struct, one value), and was read here
 * (the exact spelling's table only); `log_size_max = 8192` and
 * `Log_Size_Max = 5` in one table stop it or not at random, and were read
 * from the exact spelling. Every spelling is now visited: all values
 * refused, refused; some refused and some not, refused as a start CRI-O
 * leaves to chance (split); none, taken.
 */
enum which { VOLUMES, LOG_DIR, GOMAXPROCS, STORES, DEFAULT_RT, LOG_SIZE, CGROUP };

struct seen {
	const struct cs_toml_value *first, *bad, *good, *other_name;
};

/* The value of the field, or the entry of an array field, CRI-O refuses; NULL when none. */
static const struct cs_toml_value *refused(enum which w, const struct cs_toml_value *v)
{
	switch (w) {
	case VOLUMES:
		return v->type == CS_TOML_STRING && !one_of(v->s, "mkdir", "ignore", "bind") ? v
											     : NULL;
	case LOG_DIR:
		return v->type == CS_TOML_STRING && v->s[0] != '/' ? v : NULL;
	case GOMAXPROCS:
		return v->type == CS_TOML_INT && v->i < 0 ? v : NULL;
	case STORES:
		for (size_t i = 0; v->type == CS_TOML_ARRAY && i < v->n; i++)
			if (v->items[i]->type == CS_TOML_STRING && v->items[i]->s[0] != '/')
				return v->items[i];
		return NULL;
	case DEFAULT_RT:
		return NULL; /* told after every file (default_runtime_missing) */
	case LOG_SIZE:
		return v->type == CS_TOML_INT && v->i >= 0 && v->i < 8192 ? v : NULL;
	case CGROUP:
		return v->type == CS_TOML_STRING && !one_of(v->s, "systemd", "cgroupfs", NULL)
			   ? v
			   : NULL;
	}
	return NULL;
}

/* Every value at path (depth names) under t, each name matched as the decoder does. */
static void visit(const struct cs_toml_value *t, const char *const *path, size_t depth,
		  enum which w, struct seen *s)
{
	const struct cs_toml_value *bad;

	if (depth) {
		for (size_t i = 0; t->type == CS_TOML_TABLE && i < t->n; i++)
			if (cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), path[0]))
				visit(t->items[i], path + 1, depth - 1, w, s);
		return;
	}
	if (!s->first)
		s->first = t;
	/* default_runtime: one spelling's name may have its table, another's not */
	if (w == DEFAULT_RT && !s->other_name && t->type == CS_TOML_STRING &&
	    s->first->type == CS_TOML_STRING && strcmp(t->s, s->first->s) != 0)
		s->other_name = t;
	if ((bad = refused(w, t)) && !s->bad)
		s->bad = bad;
	if (!bad && !s->good)
		s->good = t;
}

/* This file's value of one field, as its last (it replaces an earlier file's). */
static void value_of(struct cs_crio_value_check *k, const struct cs_toml_value *root,
		     const char *const *path, size_t depth, enum which w, const char *from)
{
	struct seen s = {0};
	const struct cs_toml_value *v;
	char n[24];

	visit(root, path, depth, w, &s);
	if (!s.first)
		return; /* not in this file: an earlier file's value stands */
	v = s.bad ? s.bad : s.other_name ? s.other_name : s.first; /* the value said */
	if (v->type == CS_TOML_INT)
		snprintf(n, sizeof(n), "%lld", (long long)v->i);
	note(k, v, s.bad && !s.good,
	     v->type == CS_TOML_INT	 ? n
	     : v->type == CS_TOML_STRING ? v->s
					 : "",
	     from);
	k->split = (s.bad && s.good) || s.other_name;
}

/* fn on every value at path (depth names) under t, each name matched as the decoder does. */
static void each(const struct cs_toml_value *t, const char *const *path, size_t depth,
		 void (*fn)(const struct cs_toml_value *, struct cs_crio_startup *),
		 struct cs_crio_startup *st)
{
	if (!depth) {
		fn(t, st);
		return;
	}
	for (size_t i = 0; t->type == CS_TOML_TABLE && i < t->n; i++)
		if (cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), path[0]))
			each(t->items[i], path + 1, depth - 1, fn, st);
}

/* a default_runtime too long to hold: no held name can be told from it */
static void long_name(const struct cs_toml_value *v, struct cs_crio_startup *st)
{
	if (v->type == CS_TOML_STRING && strlen(v->s) >= sizeof(st->default_runtime.value))
		st->runtimes_cut = true;
}

/* The runtime names of one [crio.runtime.runtimes] table. */
static void add_runtimes(const struct cs_toml_value *runtimes, struct cs_crio_startup *st)
{
	for (size_t i = 0; runtimes->type == CS_TOML_TABLE && i < runtimes->n; i++) {
		const char *name = runtimes->keys[i];
		size_t k;

		if (strlen(name) >= sizeof(st->runtimes[0])) {
			st->runtimes_cut = true;
			continue;
		}
		for (k = 0; k < st->n_runtimes && strcmp(st->runtimes[k], name); k++)
			;
		if (k < st->n_runtimes)
			continue;
		if (st->n_runtimes == CS_CRIO_MAX_RUNTIMES) {
			st->runtimes_cut = true;
			continue;
		}
		snprintf(st->runtimes[st->n_runtimes++], sizeof(st->runtimes[0]), "%s", name);
	}
}

/* The values this file gives (the schema has typed them already). */
void cs_crio_startup_take(struct cs_crio_startup *st, const struct cs_toml_value *root,
			  const char *from)
{
	static const char *const image[] = {"crio", "image", "image_volumes"};
	static const char *const log_dir[] = {"crio", "log_dir"};
	static const char *const procs[] = {"crio", "runtime", "min_injected_gomaxprocs"};
	static const char *const stores[] = {"crio", "runtime", "additional_artifact_stores"};
	static const char *const dflt[] = {"crio", "runtime", "default_runtime"};
	static const char *const size[] = {"crio", "runtime", "log_size_max"};
	static const char *const cgroup[] = {"crio", "runtime", "cgroup_manager"};
	static const char *const tables[] = {"crio", "runtime", "runtimes"};

	value_of(&st->image_volumes, root, image, 3, VOLUMES, from);
	value_of(&st->log_dir, root, log_dir, 2, LOG_DIR, from);
	value_of(&st->gomaxprocs, root, procs, 3, GOMAXPROCS, from);
	value_of(&st->artifact_stores, root, stores, 3, STORES, from);
	value_of(&st->default_runtime, root, dflt, 3, DEFAULT_RT, from);
	each(root, dflt, 3, long_name, st);
	value_of(&st->log_size_max, root, size, 3, LOG_SIZE, from);
	value_of(&st->cgroup_manager, root, cgroup, 3, CGROUP, from);
	/* the tables of [crio.runtime.RUNTIMES.x] too: one map to the decoder */
	each(root, tables, 3, add_runtimes, st);
}

/*
 * 0: default_runtime has a table (or is unset, "" or crun, CRI-O's own);
 * 1: no file has [crio.runtime.runtimes.NAME] (CRI-O does not start);
 * -1: capscope cannot tell: a table's name (or the value) was too long to
 * hold, or there were more tables than it holds, and none held matches.
 * That was read as 0 and a container predicted where CRI-O may not start.
 */
static int default_runtime_missing(const struct cs_crio_startup *st)
{
	const char *name = st->default_runtime.value;

	if (!st->default_runtime.line || !*name || !strcmp(name, "crun"))
		return 0; /* unset, "" or crun: CRI-O's own handler */
	for (size_t k = 0; k < st->n_runtimes; k++)
		if (!strcmp(st->runtimes[k], name))
			return 0;
	return st->runtimes_cut ? -1 : 1;
}

static int refuse(const struct cs_crio_value_check *k, const char *field, const char *why,
		  struct cs_diag *d)
{
	char cl[CS_CLIP];
	int r = k->split ? cs_diag_set(d, EINVAL, k->line, k->column, field,
				       "\"%s\": the field is given twice in this file, with values "
				       "CRI-O treats differently (it matches names without case); "
				       "which it keeps is left to Go's random map order: keep one",
				       cs_clip(cl, sizeof(cl), k->value))
			 : cs_diag_set(d, EINVAL, k->line, k->column, field,
				       "\"%s\": %s: CRI-O does not start with this configuration",
				       k->value, why);

	cs_diag_file(d, k->from);
	return r;
}

/* a value CRI-O refuses, or one it may refuse (split) */
static bool stops(const struct cs_crio_value_check *k)
{
	return k->bad || k->split;
}

int cs_crio_startup_check(const struct cs_crio_startup *st, bool after_caps, struct cs_diag *d)
{
	int m;

	if (after_caps)
		return stops(&st->cgroup_manager)
			   ? refuse(&st->cgroup_manager, "crio.runtime.cgroup_manager",
				    "invalid cgroup manager (systemd or cgroupfs)", d)
			   : 0;
	if (stops(&st->image_volumes))
		return refuse(&st->image_volumes, "crio.image.image_volumes",
			      "unrecognized image volume type (mkdir, ignore or bind)", d);
	if (stops(&st->log_dir))
		return refuse(&st->log_dir, "crio.log_dir", "log_dir is not an absolute path", d);
	if (stops(&st->gomaxprocs))
		return refuse(&st->gomaxprocs, "crio.runtime.min_injected_gomaxprocs",
			      "min_injected_gomaxprocs must be >= 0", d);
	if (stops(&st->artifact_stores))
		return refuse(&st->artifact_stores, "crio.runtime.additional_artifact_stores",
			      "an additional_artifact_stores entry must be absolute", d);
	if (st->default_runtime.split)
		return refuse(&st->default_runtime, "crio.runtime.default_runtime", "", d);
	if ((m = default_runtime_missing(st)) > 0)
		return refuse(&st->default_runtime, "crio.runtime.default_runtime",
			      "no runtime entry table [crio.runtime.runtimes.NAME] of that name",
			      d);
	if (m < 0) {
		char cl[CS_CLIP];
		int r =
		    cs_diag_set(d, EINVAL, st->default_runtime.line, st->default_runtime.column,
				"crio.runtime.default_runtime",
				"\"%s\": more runtime tables than capscope holds (%d), or a name "
				"over %zu bytes: it cannot tell whether this one has a table, "
				"without which CRI-O does not start; refused",
				cs_clip(cl, sizeof(cl), st->default_runtime.value),
				CS_CRIO_MAX_RUNTIMES, sizeof(st->runtimes[0]) - 1);

		cs_diag_file(d, st->default_runtime.from);
		return r;
	}
	if (stops(&st->log_size_max))
		return refuse(&st->log_size_max, "crio.runtime.log_size_max",
			      "log size max should be negative or >= 8192", d);
	if (st->default_sysctls.bad)
		return refuse(&st->default_sysctls, "crio.runtime.default_sysctls",
			      st->sysctl_spaces
				  ? "invalid default_sysctls, extra spaces around the key or value"
				  : "invalid default_sysctls, not in key=value format",
			      d);
	return 0;
}
