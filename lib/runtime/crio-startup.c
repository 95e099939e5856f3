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
 *   a workload table CRI-O refuses (Workloads.Validate, crio-tables.c);
 *   cgroup_manager other than "systemd" or "cgroupfs"
 *     (cgmgr.SetCgroupManager, on execution);
 *   the default runtime's handler table, refused (ValidateRuntimes, on
 *     execution; crio-tables.c), a later file's table of the name
 *     replacing an earlier one whole,
 * and CRI-O does not start, so no container runs. These were read and a
 * container predicted (the fourteenth pass's open item). Each field's last
 * value wins, a later file may mend an earlier one. The runtime tables of
 * all files add up: BurntSushi's decoder fills the map it is given, with a
 * new value for each entry it decodes (unifyMap), so a table of a name
 * already there replaces it whole.
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

/* One file's reading: where the values come from, and which table names
 * it has given already (a second table of a name: another spelling of
 * runtimes or workloads, one map to the decoder). */
struct take_ctx {
	struct cs_crio_startup *st;
	const char *from;
	bool rt_seen[CS_CRIO_MAX_RUNTIMES], wl_seen[CS_CRIO_MAX_RUNTIMES];
};

/* fn on every value at path (depth names) under t, each name matched as the decoder does. */
static void each(const struct cs_toml_value *t, const char *const *path, size_t depth,
		 void (*fn)(const struct cs_toml_value *, struct take_ctx *), struct take_ctx *c)
{
	if (!depth) {
		fn(t, c);
		return;
	}
	for (size_t i = 0; t->type == CS_TOML_TABLE && i < t->n; i++)
		if (cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), path[0]))
			each(t->items[i], path + 1, depth - 1, fn, c);
}

/* a default_runtime too long to hold: no held name can be told from it */
static void long_name(const struct cs_toml_value *v, struct take_ctx *c)
{
	if (v->type == CS_TOML_STRING && strlen(v->s) >= sizeof(c->st->default_runtime.value))
		c->st->runtimes_cut = true;
}

/*
 * The verdict on table t of name: the table replaces an earlier file's of
 * the name whole (CRI-O's decoder builds a new value for each map entry).
 * A second table of the name in the same file replaces the first or not
 * in Go's random map order: verdicts that differ are a split.
 */
static void judge(struct cs_crio_value_check *k, const char **why, const struct cs_toml_value *t,
		  const char *name, bool workload, const char *from, bool again)
{
	const struct cs_toml_value *at;
	bool split;
	const char *w = workload ? cs_crio_workload_refused(t, &at, &split)
				 : cs_crio_handler_refused(t, name, &at, &split);

	if (again) {
		if ((w != NULL) != k->bad || split)
			k->split = true;
		if (k->bad || !w)
			return; /* the first refusal is the one said */
	} else {
		memset(k, 0, sizeof(*k));
		*why = NULL;
	}
	if (!w && !split)
		return;
	note(k, at, w != NULL, name, from);
	k->split = k->split || split;
	*why = w;
}

static bool cut_table_refused(const struct cs_toml_value *t, const char *name, bool workload)
{
	const struct cs_toml_value *at;
	bool split;
	const char *w = workload ? cs_crio_workload_refused(t, &at, &split)
				 : cs_crio_handler_refused(t, name, &at, &split);

	return w || split;
}

/* The names of one [crio.runtime.runtimes] or [...workloads] table, and the verdict on each. */
static void add_tables(const struct cs_toml_value *tables, struct take_ctx *c, bool workload)
{
	struct cs_crio_startup *st = c->st;
	char(*names)[128] = workload ? st->workloads : st->runtimes;
	size_t *n = workload ? &st->n_workloads : &st->n_runtimes;
	bool *cut = workload ? &st->workloads_cut : &st->runtimes_cut;
	bool *seen = workload ? c->wl_seen : c->rt_seen;
	bool *cut_refused = workload ? &st->workloads_cut_refused : &st->runtimes_cut_refused;

	for (size_t i = 0; tables->type == CS_TOML_TABLE && i < tables->n; i++) {
		const char *name = tables->keys[i];
		size_t k;

		for (k = 0; k < *n && strcmp(names[k], name); k++)
			;
		if (k == *n && (*n == CS_CRIO_MAX_RUNTIMES || strlen(name) >= sizeof(names[0]))) {
			*cut = true;
			*cut_refused =
			    *cut_refused || cut_table_refused(tables->items[i], name, workload);
			continue;
		}
		if (k == *n)
			snprintf(names[(*n)++], sizeof(names[0]), "%s", name);
		judge(workload ? &st->workload_checks[k] : &st->runtime_checks[k],
		      workload ? &st->workload_why[k] : &st->runtime_why[k], tables->items[i], name,
		      workload, c->from, seen[k]);
		seen[k] = true;
	}
}

static void add_runtimes(const struct cs_toml_value *t, struct take_ctx *c)
{
	add_tables(t, c, false);
}

static void add_workloads(const struct cs_toml_value *t, struct take_ctx *c)
{
	add_tables(t, c, true);
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
	static const char *const workloads[] = {"crio", "runtime", "workloads"};
	struct take_ctx c = {.st = st, .from = from};

	value_of(&st->image_volumes, root, image, 3, VOLUMES, from);
	value_of(&st->log_dir, root, log_dir, 2, LOG_DIR, from);
	value_of(&st->gomaxprocs, root, procs, 3, GOMAXPROCS, from);
	value_of(&st->artifact_stores, root, stores, 3, STORES, from);
	value_of(&st->default_runtime, root, dflt, 3, DEFAULT_RT, from);
	each(root, dflt, 3, long_name, &c);
	value_of(&st->log_size_max, root, size, 3, LOG_SIZE, from);
	value_of(&st->cgroup_manager, root, cgroup, 3, CGROUP, from);
	/* the tables of [crio.runtime.RUNTIMES.x] too: one map to the decoder */
	each(root, tables, 3, add_runtimes, &c);
	each(root, workloads, 3, add_workloads, &c);
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

static int cut(const char *what, struct cs_diag *d)
{
	return cs_diag_set(d, EINVAL, 0, 0, what,
			   "more tables than capscope holds (%d), or a name over %d bytes: it "
			   "cannot tell whether CRI-O starts with them; refused",
			   CS_CRIO_MAX_RUNTIMES, 127);
}

/*
 * After default_capabilities, in RuntimeConfig.Validate's order: every
 * workload (Workloads.Validate: any refused stops CRI-O), cgroup_manager,
 * then the default runtime's handler (ValidateRuntimes: a refused handler
 * that is not the default is dropped with a warning, the default's stops
 * CRI-O). crun with no table of that name is CRI-O's own, valid.
 */
static int after_caps_check(const struct cs_crio_startup *st, struct cs_diag *d)
{
	const char *name = st->default_runtime.line && *st->default_runtime.value
			       ? st->default_runtime.value
			       : "crun";

	if (st->workloads_cut_refused)
		return cut("crio.runtime.workloads", d);
	for (size_t k = 0; k < st->n_workloads; k++)
		if (stops(&st->workload_checks[k]))
			return refuse(&st->workload_checks[k], "crio.runtime.workloads",
				      st->workload_why[k] ? st->workload_why[k] : "", d);
	if (stops(&st->cgroup_manager))
		return refuse(&st->cgroup_manager, "crio.runtime.cgroup_manager",
			      "invalid cgroup manager (systemd or cgroupfs)", d);
	for (size_t k = 0; k < st->n_runtimes; k++)
		if (!strcmp(st->runtimes[k], name))
			return stops(&st->runtime_checks[k])
				   ? refuse(&st->runtime_checks[k], "crio.runtime.runtimes",
					    st->runtime_why[k] ? st->runtime_why[k] : "", d)
				   : 0;
	/* crun not held: one of the tables not held, refused, may be crun's */
	return st->runtimes_cut_refused ? cut("crio.runtime.runtimes", d) : 0;
}

int cs_crio_startup_check(const struct cs_crio_startup *st, bool after_caps, struct cs_diag *d)
{
	int m;

	if (after_caps)
		return after_caps_check(st, d);
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
