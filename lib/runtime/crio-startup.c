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

/* t's value for key, matched as CRI-O's decoder matches a field (exactly,
 * else without case); crio-config.c refuses two spellings in one table. */
static const struct cs_toml_value *get(const struct cs_toml_value *t, const char *key)
{
	const struct cs_toml_value *fold = NULL;

	for (size_t i = 0; t && t->type == CS_TOML_TABLE && i < t->n; i++) {
		if (!strcmp(t->keys[i], key))
			return t->items[i];
		if (!fold && cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), key))
			fold = t->items[i];
	}
	return fold;
}

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

/* The values this file gives (the schema has typed them already). */
void cs_crio_startup_take(struct cs_crio_startup *st, const struct cs_toml_value *root,
			  const char *from)
{
	const struct cs_toml_value *crio = get(root, "crio"), *rt = get(crio, "runtime");
	const struct cs_toml_value *v, *runtimes = get(rt, "runtimes");
	char n[24];

	if ((v = get(get(crio, "image"), "image_volumes")) && v->type == CS_TOML_STRING)
		note(&st->image_volumes, v, !one_of(v->s, "mkdir", "ignore", "bind"), v->s, from);
	if ((v = get(crio, "log_dir")) && v->type == CS_TOML_STRING)
		note(&st->log_dir, v, v->s[0] != '/', v->s, from);
	if ((v = get(rt, "min_injected_gomaxprocs")) && v->type == CS_TOML_INT) {
		snprintf(n, sizeof(n), "%lld", (long long)v->i);
		note(&st->gomaxprocs, v, v->i < 0, n, from);
	}
	if ((v = get(rt, "additional_artifact_stores")) && v->type == CS_TOML_ARRAY) {
		st->artifact_stores.bad = false; /* the list is replaced whole */
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->type == CS_TOML_STRING && v->items[i]->s[0] != '/') {
				note(&st->artifact_stores, v->items[i], true, v->items[i]->s, from);
				break;
			}
	}
	if ((v = get(rt, "default_runtime")) && v->type == CS_TOML_STRING) {
		note(&st->default_runtime, v, false, v->s, from);
		st->runtimes_cut |= strlen(v->s) >= sizeof(st->default_runtime.value);
	}
	if ((v = get(rt, "log_size_max")) && v->type == CS_TOML_INT) {
		snprintf(n, sizeof(n), "%lld", (long long)v->i);
		note(&st->log_size_max, v, v->i >= 0 && v->i < 8192, n, from);
	}
	if ((v = get(rt, "cgroup_manager")) && v->type == CS_TOML_STRING)
		note(&st->cgroup_manager, v, !one_of(v->s, "systemd", "cgroupfs", NULL), v->s,
		     from);
	for (size_t i = 0; runtimes && runtimes->type == CS_TOML_TABLE && i < runtimes->n; i++) {
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
	int r =
	    cs_diag_set(d, EINVAL, k->line, k->column, field,
			"\"%s\": %s: CRI-O does not start with this configuration", k->value, why);

	cs_diag_file(d, k->from);
	return r;
}

int cs_crio_startup_check(const struct cs_crio_startup *st, bool after_caps, struct cs_diag *d)
{
	int m;

	if (after_caps)
		return st->cgroup_manager.bad
			   ? refuse(&st->cgroup_manager, "crio.runtime.cgroup_manager",
				    "invalid cgroup manager (systemd or cgroupfs)", d)
			   : 0;
	if (st->image_volumes.bad)
		return refuse(&st->image_volumes, "crio.image.image_volumes",
			      "unrecognized image volume type (mkdir, ignore or bind)", d);
	if (st->log_dir.bad)
		return refuse(&st->log_dir, "crio.log_dir", "log_dir is not an absolute path", d);
	if (st->gomaxprocs.bad)
		return refuse(&st->gomaxprocs, "crio.runtime.min_injected_gomaxprocs",
			      "min_injected_gomaxprocs must be >= 0", d);
	if (st->artifact_stores.bad)
		return refuse(&st->artifact_stores, "crio.runtime.additional_artifact_stores",
			      "an additional_artifact_stores entry must be absolute", d);
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
	if (st->log_size_max.bad)
		return refuse(&st->log_size_max, "crio.runtime.log_size_max",
			      "log size max should be negative or >= 8192", d);
	return 0;
}
