/* SPDX-License-Identifier: MIT */
/*
 * CRI-O's start-up checks on one [crio.runtime.runtimes.NAME] or
 * [crio.runtime.workloads.NAME] table, as far as they do not ask the host
 * (v1.36.3 pkg/config/config.go RuntimeHandler.Validate, workloads.go
 * WorkloadConfig.Validate). Each such table is a map entry to CRI-O's TOML
 * decoder (BurntSushi unifyMap), which builds a new value for it: a later
 * file's table of the same name replaces the earlier one whole, never
 * merges into it, so the verdict is taken from one table alone
 * (crio-startup.c keeps the last one of each name).
 */
#include <stdio.h>
#include <string.h>

#include "../internal/crio-startup.h"
#include "../internal/util.h"

struct probe {
	const struct cs_toml_value *v;
	bool split; /* two spellings of the field with different values */
};

static bool same(const struct cs_toml_value *a, const struct cs_toml_value *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case CS_TOML_STRING:
		return !strcmp(a->s, b->s);
	case CS_TOML_BOOL:
		return a->b == b->b;
	case CS_TOML_INT:
		return a->i == b->i;
	case CS_TOML_ARRAY:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!same(a->items[i], b->items[i]))
				return false;
		return true;
	default:
		return false;
	}
}

/* The field's value in t, matched as unifyStruct matches (exact or without case). */
static struct probe get(const struct cs_toml_value *t, const char *field)
{
	struct probe p = {0};

	for (size_t i = 0; t && t->type == CS_TOML_TABLE && i < t->n; i++) {
		if (!cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), field))
			continue;
		if (p.v && !same(p.v, t->items[i]))
			p.split = true;
		if (!p.v)
			p.v = t->items[i];
	}
	return p;
}

/*
 * The field's value in every table t names by `sub` (any spelling): the
 * decoder fills one struct through the pointer it reuses for each
 * spelling, in Go's map order, so a field set in one of them is set, and
 * one set in two with different values is a split.
 */
static struct probe get_in(const struct cs_toml_value *t, const char *sub, const char *field)
{
	struct probe p = {0};

	for (size_t i = 0; t && t->type == CS_TOML_TABLE && i < t->n; i++) {
		struct probe q;

		if (!cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), sub))
			continue;
		q = get(t->items[i], field);
		if (!q.v)
			continue;
		p.split = p.split || q.split || (p.v && !same(p.v, q.v));
		if (!p.v)
			p.v = q.v;
	}
	return p;
}

static const char *str(struct probe p)
{
	return p.v && p.v->type == CS_TOML_STRING ? p.v->s : "";
}

static bool on(struct probe p)
{
	return p.v && p.v->type == CS_TOML_BOOL && p.v->b;
}

static bool class_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '+';
}

/*
 * regexp.MatchString("containerd-shim-([a-zA-Z0-9\-\+])+-v2", base): not
 * anchored, so anywhere in the name: "containerd-shim-", one or more of
 * the class, then "-v2".
 */
static bool vm_binary(const char *base)
{
	static const char head[] = "containerd-shim-";

	for (const char *p = strstr(base, head); p; p = strstr(p + 1, head)) {
		const char *q = p + sizeof(head) - 1;

		for (const char *e = q; *e && class_char(*e); e++)
			if (e > q && !strncmp(e, "-v2", 3))
				return true;
	}
	return false;
}

static const char *fail(const struct cs_toml_value **at, const struct cs_toml_value *v,
			const char *why)
{
	if (v)
		*at = v;
	return why;
}

/*
 * The names allowed_annotations may hold (v1.36.3 pkg/annotations/v2
 * AllAllowedAnnotations: the runtimes' own, the V2 and the V1 names),
 * matched exactly; CRI-O refuses any other ("invalid allowed_annotation").
 */
static const char *const annotation_names[] = {
    "io.kubernetes.cri.rdt-class",
    "bundle",
    "org.systemd.property.",
    "org.criu.config",
    "module.wasm.image/variant",
    "io.kubernetes.cri.container-type",
    "run.oci.",
    "cgroup2-mount-hierarchy-rw.crio.io",
    "cpu-c-states.crio.io",
    "cpu-freq-governor.crio.io",
    "cpu-load-balancing.crio.io",
    "cpu-quota.crio.io",
    "cpu-shared.crio.io",
    "devices.crio.io",
    "disable-fips.crio.io",
    "irq-load-balancing.crio.io",
    "link-logs.crio.io",
    "io.containers.trace-syscall",
    "platform-runtime-path.crio.io",
    "pod-linux-overhead.crio.io",
    "pod-linux-resources.crio.io",
    "seccomp-notifier-action.crio.io",
    "seccomp-profile.crio.io",
    "shm-size.crio.io",
    "spoofed.crio.io",
    "org.opencontainers.image.stopSignal",
    "try-skip-volume-selinux-label.crio.io",
    "umask.crio.io",
    "unified-cgroup.crio.io",
    "userns-mode.crio.io",
    "io.kubernetes.cri-o.cgroup2-mount-hierarchy-rw",
    "io.kubernetes.cri-o.Devices",
    "io.kubernetes.cri-o.DisableFIPS",
    "io.kubernetes.cri-o.LinkLogs",
    "io.kubernetes.cri-o.PlatformRuntimePath",
    "io.kubernetes.cri-o.PodLinuxOverhead",
    "io.kubernetes.cri-o.PodLinuxResources",
    "io.kubernetes.cri-o.seccompNotifierAction",
    "seccomp-profile.kubernetes.cri-o.io",
    "io.kubernetes.cri-o.ShmSize",
    "io.kubernetes.cri-o.Spoofed",
    "io.kubernetes.cri-o.TrySkipVolumeSELinuxLabel",
    "io.kubernetes.cri-o.umask",
    "io.kubernetes.cri-o.UnifiedCgroup",
    "io.kubernetes.cri-o.userns-mode",
};

/* The first allowed_annotations entry CRI-O does not know, or NULL. */
static const struct cs_toml_value *unknown_annotation(struct probe list)
{
	const size_t n = sizeof(annotation_names) / sizeof(annotation_names[0]);

	for (size_t i = 0; list.v && list.v->type == CS_TOML_ARRAY && i < list.v->n; i++) {
		const struct cs_toml_value *it = list.v->items[i];
		size_t k = 0;

		if (it->type != CS_TOML_STRING)
			continue; /* the schema refuses it */
		while (k < n && strcmp(annotation_names[k], it->s))
			k++;
		if (k == n)
			return it;
	}
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Why CRI-O refuses handler table t of name (NULL: it does not, as far as
 * the host is not asked); *at: the value to point at; *split: a field given
 * twice with values CRI-O treats differently. In RuntimeHandler.Validate's
 * order. What asks the host is not checked: whether runtime_path exists,
 * the handler's name found in $PATH, seccomp_profile's file, a
 * runtime_config_path's file (for vm).
 */
const char *cs_crio_handler_refused(const struct cs_toml_value *t, const char *name,
				    const struct cs_toml_value **at, bool *split)
{
	struct probe type = get(t, "runtime_type"), path = get(t, "runtime_path"),
		     conf = get(t, "runtime_config_path"), nosync = get(t, "no_sync_log"),
		     ws = get(t, "stream_websockets"), aff = get(t, "exec_cpu_affinity"),
		     ann = get(t, "allowed_annotations");
	const char *ty = str(type);
	const struct cs_toml_value *unknown = unknown_annotation(ann);

	*at = t;
	*split = type.split || path.split || conf.split || nosync.split || ws.split || aff.split ||
		 ann.split;
	if (*ty && strcmp(ty, "oci") && strcmp(ty, "vm") && strcmp(ty, "pod"))
		return fail(at, type.v, "invalid runtime_type (oci, vm or pod)");
	/* an empty runtime_path is found in $PATH by the handler's name: a
	 * path that is not a shim's fails either way (not found, or the name) */
	if (!strcmp(ty, "vm") && !vm_binary(base_name(*str(path) ? str(path) : name)))
		return fail(
		    at, path.v ? path.v : type.v,
		    "runtime_path of a vm runtime must name a containerd-shim-NAME-v2 binary");
	if (*str(conf) && strcmp(ty, "vm"))
		return fail(at, conf.v,
			    "runtime_config_path can only be used with the vm runtime type");
	if (unknown)
		return fail(at, unknown, "invalid allowed_annotation (a name CRI-O does not know)");
	if (on(nosync) && *ty && strcmp(ty, "oci"))
		return fail(at, nosync.v, "no_sync_log is only allowed with runtime type oci");
	if (on(ws) && strcmp(ty, "pod"))
		return fail(at, ws.v, "only runtime_type = \"pod\" supports websocket streaming");
	if (*str(aff) && strcmp(str(aff), "first"))
		return fail(at, aff.v, "invalid exec_cpu_affinity (\"\" or \"first\")");
	return NULL;
}

/* The same for a workload table (WorkloadConfig.Validate, Resources.ValidateDefaults). */
const char *cs_crio_workload_refused(const struct cs_toml_value *t, const struct cs_toml_value **at,
				     bool *split)
{
	struct probe act = get(t, "activation_annotation"), ann = get(t, "allowed_annotations");
	const struct cs_toml_value *unknown = unknown_annotation(ann);
	struct probe quota = get_in(t, "resources", "CPUQuota"),
		     shares = get_in(t, "resources", "CPUShares"),
		     period = get_in(t, "resources", "CPUPeriod");
	long long q = quota.v && quota.v->type == CS_TOML_INT ? quota.v->i : 0;
	long long s = shares.v && shares.v->type == CS_TOML_INT ? shares.v->i : 0;
	long long p = period.v && period.v->type == CS_TOML_INT ? period.v->i : 0;

	*at = t;
	/* fifteenth pass, part Q: every spelling of resources is read (only
	 * the first was) */
	*split = act.split || quota.split || shares.split || period.split || ann.split;
	if (!*str(act))
		return fail(at, act.v ? act.v : t, "activation_annotation shouldn't be empty");
	if (unknown)
		return fail(at, unknown, "invalid allowed_annotation (a name CRI-O does not know)");
	if (q != 0 && q < s)
		return fail(at, quota.v, "cpuquota cannot be less than cpushares");
	if (p != 0 && p < 1000)
		return fail(at, period.v, "cpuperiod cannot be less than 1000 microseconds");
	return NULL;
}
