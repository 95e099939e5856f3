/* SPDX-License-Identifier: MIT */
/*
 * The type of every field CRI-O reads from crio.conf and its drop-ins, as
 * CRI-O 1.36 (v1.36.3) declares them: pkg/config/config.go tomlConfig and
 * the structs it embeds (RootConfig under [crio], APIConfig, RuntimeConfig,
 * ImageConfig, NetworkConfig, MetricsConfig, TracingConfig, StatsConfig),
 * RuntimeHandler ([crio.runtime.runtimes.NAME]), WorkloadConfig and
 * Resources (pkg/config/workloads.go) and internal/config/nri's Config and
 * DefaultValidatorConfig. 1.35 differs by one field (cni_status_grace_period
 * is new in 1.36).
 *
 * CRI-O decodes each file with BurntSushi/toml 1.6 (`toml.Decode` into
 * that struct, UpdateFromDropInFile): a value of the wrong TOML type for its
 * field ("incompatible types"), a string a time.Duration cannot parse, or a
 * table where a field wants a value, fails the decode, and CRI-O does not
 * start ("unable to decode configuration"). A key no field has is dropped:
 * Decode's MetaData (whose Undecoded() would list it) is discarded and no
 * other code in CRI-O asks for it, so CRI-O neither warns nor refuses;
 * capscope reads such a key the same way, as nothing. A key matches a field
 * exactly or without case (unifyStruct), a field without a toml tag by its
 * Go name (WorkloadConfig.DisallowedAnnotations, Resources' CPUShares...).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../internal/crio-schema.h"
#include "../internal/util.h"

enum kind {
	STR,	/* string: a TOML string only (unifyString) */
	BOOL,	/* bool: true or false only */
	INT,	/* int, int64, uint64: a TOML integer (a float is refused;
		   BurntSushi does not range-check uint64) */
	DUR,	/* time.Duration: an integer (ns) or a string ParseDuration takes */
	STRS,	/* []string: an array of strings */
	STRMAP, /* map[string]string: a table of strings (anything else: dropped) */
	TABLE,	/* a struct: a table */
	TABLES, /* map[string]*struct: a table of tables (anything else: dropped) */
};

struct field {
	const char *key;
	enum kind kind;
	const struct table *sub; /* TABLE, TABLES */
};

struct table {
	const struct field *f;
	size_t n;
};

#define TBL(a)                                                                                     \
	{                                                                                          \
		a, sizeof(a) / sizeof(a[0])                                                        \
	}

static const struct field resources[] = {
    {"CPUShares", INT, NULL}, {"CPUQuota", INT, NULL}, {"CPUPeriod", INT, NULL},
    {"CPUSet", STR, NULL},    {"CPULimit", INT, NULL},
};
static const struct table resources_t = TBL(resources);

static const struct field workload[] = {
    {"activation_annotation", STR, NULL}, {"annotation_prefix", STR, NULL},
    {"allowed_annotations", STRS, NULL},  {"DisallowedAnnotations", STRS, NULL},
    {"resources", TABLE, &resources_t},
};
static const struct table workload_t = TBL(workload);

static const struct field handler[] = {
    {"runtime_config_path", STR, NULL},
    {"runtime_path", STR, NULL},
    {"runtime_type", STR, NULL},
    {"runtime_root", STR, NULL},
    {"privileged_without_host_devices", BOOL, NULL},
    {"allowed_annotations", STRS, NULL},
    {"monitor_path", STR, NULL},
    {"monitor_cgroup", STR, NULL},
    {"monitor_env", STRS, NULL},
    {"monitor_exec_cgroup", STR, NULL},
    {"platform_runtime_paths", STRMAP, NULL},
    {"runtime_pull_image", BOOL, NULL},
    {"container_min_memory", STR, NULL},
    {"no_sync_log", BOOL, NULL},
    {"inherit_default_runtime", BOOL, NULL},
    {"default_annotations", STRMAP, NULL},
    {"stream_websockets", BOOL, NULL},
    {"exec_cpu_affinity", STR, NULL},
    {"seccomp_profile", STR, NULL},
    {"container_create_timeout", INT, NULL},
};
static const struct table handler_t = TBL(handler);

static const struct field runtime[] = {
    {"no_pivot", BOOL, NULL},
    {"selinux", BOOL, NULL},
    {"log_to_journald", BOOL, NULL},
    {"drop_infra_ctr", BOOL, NULL},
    {"read_only", BOOL, NULL},
    {"conmon_env", STRS, NULL},
    {"hooks_dir", STRS, NULL},
    {"default_capabilities", STRS, NULL},
    {"add_inheritable_capabilities", BOOL, NULL},
    {"default_env", STRS, NULL},
    {"min_injected_gomaxprocs", INT, NULL},
    {"default_sysctls", STRS, NULL},
    {"default_ulimits", STRS, NULL},
    {"allowed_devices", STRS, NULL},
    {"additional_devices", STRS, NULL},
    {"cdi_spec_dirs", STRS, NULL},
    {"device_ownership_from_security_context", BOOL, NULL},
    {"default_runtime", STR, NULL},
    {"decryption_keys_path", STR, NULL},
    {"additional_artifact_stores", STRS, NULL},
    {"conmon", STR, NULL},
    {"conmon_cgroup", STR, NULL},
    {"seccomp_profile", STR, NULL},
    {"privileged_seccomp_profile", STR, NULL},
    {"apparmor_profile", STR, NULL},
    {"blockio_config_file", STR, NULL},
    {"blockio_reload", BOOL, NULL},
    {"irqbalance_config_file", STR, NULL},
    {"rdt_config_file", STR, NULL},
    {"cgroup_manager", STR, NULL},
    {"default_mounts_file", STR, NULL},
    {"container_exits_dir", STR, NULL},
    {"container_attach_socket_dir", STR, NULL},
    {"bind_mount_prefix", STR, NULL},
    {"uid_mappings", STR, NULL},
    {"minimum_mappable_uid", INT, NULL},
    {"gid_mappings", STR, NULL},
    {"minimum_mappable_gid", INT, NULL},
    {"log_level", STR, NULL},
    {"log_filter", STR, NULL},
    {"namespaces_dir", STR, NULL},
    {"pinns_path", STR, NULL},
    {"enable_criu_support", BOOL, NULL},
    {"runtimes", TABLES, &handler_t},
    {"workloads", TABLES, &workload_t},
    {"pids_limit", INT, NULL},
    {"log_size_max", INT, NULL},
    {"ctr_stop_timeout", INT, NULL},
    {"separate_pull_cgroup", STR, NULL},
    {"infra_ctr_cpuset", STR, NULL},
    {"shared_cpuset", STR, NULL},
    {"absent_mount_sources_to_reject", STRS, NULL},
    {"enable_pod_events", BOOL, NULL},
    {"irqbalance_config_restore_file", STR, NULL},
    {"hostnetwork_disable_selinux", BOOL, NULL},
    {"disable_hostport_mapping", BOOL, NULL},
    {"timezone", STR, NULL},
};
static const struct table runtime_t = TBL(runtime);

static const struct field api[] = {
    {"grpc_max_send_msg_size", INT, NULL},
    {"grpc_max_recv_msg_size", INT, NULL},
    {"listen", STR, NULL},
    {"stream_address", STR, NULL},
    {"stream_port", STR, NULL},
    {"stream_enable_tls", BOOL, NULL},
    {"stream_tls_cert", STR, NULL},
    {"stream_tls_key", STR, NULL},
    {"stream_tls_ca", STR, NULL},
    {"stream_idle_timeout", STR, NULL},
    {"tls_min_version", STR, NULL},
    {"tls_cipher_suites", STRS, NULL},
};
static const struct table api_t = TBL(api);

static const struct field image[] = {
    {"default_transport", STR, NULL},
    {"global_auth_file", STR, NULL},
    {"namespaced_auth_dir", STR, NULL},
    {"pause_image", STR, NULL},
    {"pause_image_auth_file", STR, NULL},
    {"pause_command", STR, NULL},
    {"pinned_images", STRS, NULL},
    {"signature_policy", STR, NULL},
    {"signature_policy_dir", STR, NULL},
    {"insecure_registries", STRS, NULL},
    {"image_volumes", STR, NULL},
    {"big_files_temporary_dir", STR, NULL},
    {"auto_reload_registries", BOOL, NULL},
    {"pull_progress_timeout", DUR, NULL},
    {"oci_artifact_mount_support", BOOL, NULL},
    {"short_name_mode", STR, NULL},
};
static const struct table image_t = TBL(image);

static const struct field network[] = {
    {"cni_default_network", STR, NULL},
    {"network_dir", STR, NULL},
    {"plugin_dir", STR, NULL},
    {"plugin_dirs", STRS, NULL},
    {"cni_status_grace_period", DUR, NULL},
};
static const struct table network_t = TBL(network);

static const struct field metrics[] = {
    {"enable_metrics", BOOL, NULL}, {"metrics_collectors", STRS, NULL}, {"metrics_host", STR, NULL},
    {"metrics_port", INT, NULL},    {"metrics_socket", STR, NULL},	{"metrics_cert", STR, NULL},
    {"metrics_key", STR, NULL},
};
static const struct table metrics_t = TBL(metrics);

static const struct field tracing[] = {
    {"enable_tracing", BOOL, NULL},
    {"tracing_endpoint", STR, NULL},
    {"tracing_sampling_rate_per_million", INT, NULL},
};
static const struct table tracing_t = TBL(tracing);

static const struct field stats[] = {
    {"stats_collection_period", INT, NULL},
    {"collection_period", INT, NULL},
    {"included_pod_metrics", STRS, NULL},
};
static const struct table stats_t = TBL(stats);

static const struct field validator[] = {
    {"nri_enable_default_validator", BOOL, NULL},
    {"nri_validator_reject_oci_hook_adjustment", BOOL, NULL},
    {"nri_validator_reject_runtime_default_seccomp_adjustment", BOOL, NULL},
    {"nri_validator_reject_unconfined_seccomp_adjustment", BOOL, NULL},
    {"nri_validator_reject_custom_seccomp_adjustment", BOOL, NULL},
    {"nri_validator_reject_namespace_adjustment", BOOL, NULL},
    {"nri_validator_required_plugins", STRS, NULL},
    {"nri_validator_tolerate_missing_plugins_annotation", STR, NULL},
};
static const struct table validator_t = TBL(validator);

static const struct field nri[] = {
    {"enable_nri", BOOL, NULL},
    {"nri_listen", STR, NULL},
    {"nri_plugin_dir", STR, NULL},
    {"nri_plugin_config_dir", STR, NULL},
    {"nri_plugin_registration_timeout", DUR, NULL},
    {"nri_plugin_request_timeout", DUR, NULL},
    {"nri_disable_connections", BOOL, NULL},
    {"default_validator", TABLE, &validator_t},
};
static const struct table nri_t = TBL(nri);

/* [crio]: RootConfig's fields, then the sub-tables */
static const struct field crio[] = {
    {"root", STR, NULL},
    {"runroot", STR, NULL},
    {"imagestore", STR, NULL},
    {"storage_driver", STR, NULL},
    {"storage_option", STRS, NULL},
    {"log_dir", STR, NULL},
    {"version_file", STR, NULL},
    {"version_file_persist", STR, NULL},
    {"clean_shutdown_file", STR, NULL},
    {"internal_wipe", BOOL, NULL},
    {"internal_repair", BOOL, NULL},
    {"api", TABLE, &api_t},
    {"runtime", TABLE, &runtime_t},
    {"image", TABLE, &image_t},
    {"network", TABLE, &network_t},
    {"metrics", TABLE, &metrics_t},
    {"tracing", TABLE, &tracing_t},
    {"stats", TABLE, &stats_t},
    {"nri", TABLE, &nri_t},
};
static const struct table crio_t = TBL(crio);

static const struct field root[] = {{"crio", TABLE, &crio_t}};
static const struct table root_t = TBL(root);

/* unifyStruct: the field of that exact name, else one equal without case */
static const struct field *find(const struct table *t, const char *key)
{
	const struct field *fold = NULL;
	size_t kl = strlen(key);

	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->f[i].key, key))
			return &t->f[i];
		if (!fold && cs_go_fold_equal(key, kl, t->f[i].key))
			fold = &t->f[i];
	}
	return fold;
}

static int wrong(const struct cs_toml_value *v, const char *path, const char *want,
		 struct cs_diag *d)
{
	return cs_diag_set(d, EINVAL, v->line, v->column, path,
			   "CRI-O reads %s here, not %s, and does not start with this file", want,
			   cs_toml_type_name(v->type));
}

static int walk(const struct cs_toml_value *t, const struct table *s, const char *path,
		struct cs_diag *d);

/* path.key into out (the diagnostic's size); a longer one (a runtime's
 * name of 300 bytes) ends in "..." rather than naming a key the file lacks */
static void join(char *out, size_t len, const char *path, const char *key)
{
	if ((size_t)snprintf(out, len, "%s%s%s", path, *path ? "." : "", key) >= len)
		cs_mark_cut(out, len);
}

static int check(const struct cs_toml_value *v, const struct field *f, const char *path,
		 struct cs_diag *d)
{
	char sub[sizeof(d->field)], cl[CS_CLIP];
	int r;

	switch (f->kind) {
	case STR:
		return v->type == CS_TOML_STRING ? 0 : wrong(v, path, "a string", d);
	case BOOL:
		return v->type == CS_TOML_BOOL ? 0 : wrong(v, path, "true or false", d);
	case INT:
		return v->type == CS_TOML_INT ? 0 : wrong(v, path, "an integer", d);
	case DUR:
		if (v->type == CS_TOML_INT)
			return 0;
		if (v->type != CS_TOML_STRING)
			return wrong(v, path,
				     "a duration (a string such as \"10s\", or nanoseconds)", d);
		if (!cs_go_duration_ok(v->s, strlen(v->s)))
			return cs_diag_set(d, EINVAL, v->line, v->column, path,
					   "\"%s\" is no Go duration (\"1m30s\", \"500ms\"): CRI-O "
					   "does not start with this file",
					   cs_clip(cl, sizeof(cl), v->s));
		return 0;
	case STRS:
		if (v->type != CS_TOML_ARRAY)
			return wrong(v, path, "an array of strings", d);
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->type != CS_TOML_STRING)
				return wrong(v->items[i], path,
					     "a string (the field is an array of strings)", d);
		return 0;
	case STRMAP:
		if (v->type != CS_TOML_TABLE)
			return 0; /* dropped: see TABLES */
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->type != CS_TOML_STRING)
				return wrong(v->items[i], path,
					     "a string (the field is a table of strings)", d);
		return 0;
	case TABLE:
		if (v->type != CS_TOML_TABLE)
			return wrong(v, path, "a table", d);
		return walk(v, f->sub, path, d);
	case TABLES:
		/*
		 * BurntSushi's unifyMap drops a value that is not a table without
		 * a word (it tests the failed type assertion's nil map, which is
		 * always nil): `runtimes = 1` leaves the runtimes as they were and
		 * CRI-O starts. Read the same way: not refused, not taken.
		 */
		if (v->type != CS_TOML_TABLE)
			return 0;
		for (size_t i = 0; i < v->n; i++) {
			join(sub, sizeof(sub), path, v->keys[i]);
			if (v->items[i]->type != CS_TOML_TABLE)
				return wrong(v->items[i], sub, "a table", d);
			if ((r = walk(v->items[i], f->sub, sub, d)) < 0)
				return r;
		}
		return 0;
	}
	return 0;
}

static int walk(const struct cs_toml_value *t, const struct table *s, const char *path,
		struct cs_diag *d)
{
	char sub[sizeof(d->field)];
	int r;

	for (size_t i = 0; i < t->n; i++) {
		const struct field *f = find(s, t->keys[i]);

		if (!f)
			continue; /* dropped by CRI-O's decoder, unread here */
		join(sub, sizeof(sub), path, t->keys[i]);
		if ((r = check(t->items[i], f, sub, d)) < 0)
			return r;
	}
	return 0;
}

int cs_crio_schema_check(const struct cs_toml_value *root_table, struct cs_diag *d)
{
	return walk(root_table, &root_t, "", d);
}
