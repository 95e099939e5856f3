/* SPDX-License-Identifier: MIT */
/*
 * The schema of containerd 1.x's config.toml that lib/runtime/containerd-config.c
 * checks (twenty-first pass, part D): the fields of the tables it reads and of
 * the other plugins, with the types containerd 1.6.20 decodes them as.
 */
#include "../internal/containerd-schema.h"

/*
 * Types from containerd 1.6.20's `config dump` of an empty version 2
 * file: a value of another type is refused by go-toml v1 ("Can't convert
 * 1(int64) to string", "... to []string") and containerd does not start.
 * Not listed, not checked: the entries of maps (registry mirrors and
 * auths, proxy_plugins, stream_processors, timeouts) and the fields of
 * the deprecated default_runtime and untrusted_workload_runtime tables.
 */
const struct cs_ctrd_field cs_ctrd_root_fields[] = {{"version", CS_TOML_INT},
						    {"root", CS_TOML_STRING},
						    {"state", CS_TOML_STRING},
						    {"temp", CS_TOML_STRING},
						    {"plugin_dir", CS_TOML_STRING},
						    {"disabled_plugins", CS_TOML_ARRAY},
						    {"required_plugins", CS_TOML_ARRAY},
						    {"oom_score", CS_TOML_INT},
						    {"imports", CS_TOML_ARRAY},
						    {"grpc", CS_TOML_TABLE},
						    {"ttrpc", CS_TOML_TABLE},
						    {"debug", CS_TOML_TABLE},
						    {"metrics", CS_TOML_TABLE},
						    {"cgroup", CS_TOML_TABLE},
						    {"proxy_plugins", CS_TOML_TABLE},
						    {"stream_processors", CS_TOML_TABLE},
						    {"timeouts", CS_TOML_TABLE},
						    {"plugins", CS_TOML_TABLE},
						    {NULL, CS_TOML_TABLE}};

const struct cs_ctrd_field cs_ctrd_cri_fields[] = {
    {"device_ownership_from_security_context", CS_TOML_BOOL},
    {"disable_apparmor", CS_TOML_BOOL},
    {"disable_cgroup", CS_TOML_BOOL},
    {"disable_hugetlb_controller", CS_TOML_BOOL},
    {"disable_proc_mount", CS_TOML_BOOL},
    {"disable_tcp_service", CS_TOML_BOOL},
    {"enable_selinux", CS_TOML_BOOL},
    {"enable_tls_streaming", CS_TOML_BOOL},
    {"enable_unprivileged_icmp", CS_TOML_BOOL},
    {"enable_unprivileged_ports", CS_TOML_BOOL},
    {"ignore_image_defined_volumes", CS_TOML_BOOL},
    {"max_concurrent_downloads", CS_TOML_INT},
    {"max_container_log_line_size", CS_TOML_INT},
    {"netns_mounts_under_state_dir", CS_TOML_BOOL},
    {"restrict_oom_score_adj", CS_TOML_BOOL},
    {"sandbox_image", CS_TOML_STRING},
    {"selinux_category_range", CS_TOML_INT},
    {"stats_collect_period", CS_TOML_INT},
    {"stream_idle_timeout", CS_TOML_STRING},
    {"stream_server_address", CS_TOML_STRING},
    {"stream_server_port", CS_TOML_STRING},
    {"systemd_cgroup", CS_TOML_BOOL},
    {"tolerate_missing_hugetlb_controller", CS_TOML_BOOL},
    {"unset_seccomp_profile", CS_TOML_STRING},
    {"cni", CS_TOML_TABLE},
    {"containerd", CS_TOML_TABLE},
    {"image_decryption", CS_TOML_TABLE},
    {"registry", CS_TOML_TABLE},
    {"x509_key_pair_streaming", CS_TOML_TABLE},
    {NULL, CS_TOML_TABLE}};

const struct cs_ctrd_field cs_ctrd_ctrd_fields[] = {{"default_runtime_name", CS_TOML_STRING},
						    {"disable_snapshot_annotations", CS_TOML_BOOL},
						    {"discard_unpacked_layers", CS_TOML_BOOL},
						    {"ignore_rdt_not_enabled_errors", CS_TOML_BOOL},
						    {"no_pivot", CS_TOML_BOOL},
						    {"snapshotter", CS_TOML_STRING},
						    {"default_runtime", CS_TOML_TABLE},
						    {"runtimes", CS_TOML_TABLE},
						    {"untrusted_workload_runtime", CS_TOML_TABLE},
						    {NULL, CS_TOML_TABLE}};

const struct cs_ctrd_field cs_ctrd_runtime_fields[] = {
    {"base_runtime_spec", CS_TOML_STRING},
    {"cni_conf_dir", CS_TOML_STRING},
    {"cni_max_conf_num", CS_TOML_INT},
    {"container_annotations", CS_TOML_ARRAY},
    {"pod_annotations", CS_TOML_ARRAY},
    {"privileged_without_host_devices", CS_TOML_BOOL},
    {"runtime_engine", CS_TOML_STRING},
    {"runtime_path", CS_TOML_STRING},
    {"runtime_root", CS_TOML_STRING},
    {"runtime_type", CS_TOML_STRING},
    {"options", CS_TOML_TABLE},
    {NULL, CS_TOML_TABLE}};

#define S CS_TOML_STRING
#define I CS_TOML_INT
#define B CS_TOML_BOOL
#define A CS_TOML_ARRAY
#define T CS_TOML_TABLE
static const struct cs_ctrd_field grpc_fields[] = {{"address", S},
						   {"gid", I},
						   {"max_recv_message_size", I},
						   {"max_send_message_size", I},
						   {"tcp_address", S},
						   {"tcp_tls_ca", S},
						   {"tcp_tls_cert", S},
						   {"tcp_tls_key", S},
						   {"uid", I},
						   {NULL, T}};
static const struct cs_ctrd_field ttrpc_fields[] = {
    {"address", S}, {"gid", I}, {"uid", I}, {NULL, T}};
static const struct cs_ctrd_field debug_fields[] = {{"address", S}, {"format", S}, {"gid", I},
						    {"level", S},   {"uid", I},	   {NULL, T}};
static const struct cs_ctrd_field metrics_fields[] = {
    {"address", S}, {"grpc_histogram", B}, {NULL, T}};
static const struct cs_ctrd_field cgroup_fields[] = {{"path", S}, {NULL, T}};
static const struct cs_ctrd_field cni_fields[] = {{"bin_dir", S},	{"conf_dir", S},
						  {"conf_template", S}, {"ip_pref", S},
						  {"max_conf_num", I},	{NULL, T}};
static const struct cs_ctrd_field registry_fields[] = {
    {"config_path", S}, {"auths", T}, {"configs", T}, {"headers", T}, {"mirrors", T}, {NULL, T}};
static const struct cs_ctrd_field decryption_fields[] = {{"key_model", S}, {NULL, T}};
static const struct cs_ctrd_field x509_fields[] = {
    {"tls_cert_file", S}, {"tls_key_file", S}, {NULL, T}};

const struct cs_ctrd_sub cs_ctrd_root_subs[] = {
    {"grpc", grpc_fields},	 {"ttrpc", ttrpc_fields},   {"debug", debug_fields},
    {"metrics", metrics_fields}, {"cgroup", cgroup_fields}, {NULL, NULL}};
const struct cs_ctrd_sub cs_ctrd_cri_subs[] = {{"cni", cni_fields},
					       {"registry", registry_fields},
					       {"image_decryption", decryption_fields},
					       {"x509_key_pair_streaming", x509_fields},
					       {NULL, NULL}};

/* The other plugins of containerd 1.6.20 with a configuration, by URI (a
 * map key: exact), and their fields (a float is a float64: an integer is
 * refused, "Can't convert 1(int64) to float64"). */
static const struct cs_ctrd_field gc_fields[] = {
    {"deletion_threshold", I}, {"mutation_threshold", I}, {"pause_threshold", CS_TOML_FLOAT},
    {"schedule_delay", S},     {"startup_delay", S},	  {NULL, T}};
static const struct cs_ctrd_field opt_fields[] = {{"path", S}, {NULL, T}};
static const struct cs_ctrd_field restart_fields[] = {{"interval", S}, {NULL, T}};
static const struct cs_ctrd_field bolt_fields[] = {{"content_sharing_policy", S}, {NULL, T}};
static const struct cs_ctrd_field cgroups_fields[] = {{"no_prometheus", B}, {NULL, T}};
static const struct cs_ctrd_field linux_fields[] = {
    {"no_shim", B}, {"runtime", S}, {"runtime_root", S}, {"shim", S}, {"shim_debug", B}, {NULL, T}};
static const struct cs_ctrd_field task_fields[] = {{"platforms", A}, {"sched_core", B}, {NULL, T}};
static const struct cs_ctrd_field diff_fields[] = {{"default", A}, {NULL, T}};
static const struct cs_ctrd_field tasks_fields[] = {{"rdt_config_file", S}, {NULL, T}};
static const struct cs_ctrd_field root_path_fields[] = {{"root_path", S}, {NULL, T}};
static const struct cs_ctrd_field devmapper_fields[] = {
    {"async_remove", B}, {"base_image_size", S}, {"discard_blocks", B}, {"fs_options", S},
    {"fs_type", S},	 {"pool_name", S},	 {"root_path", S},	{NULL, T}};
static const struct cs_ctrd_field overlay_fields[] = {
    {"root_path", S}, {"upperdir_label", B}, {NULL, T}};
#undef S
#undef I
#undef B
#undef A
#undef T

const struct cs_ctrd_sub cs_ctrd_plugin_subs[] = {
    {"io.containerd.gc.v1.scheduler", gc_fields},
    {"io.containerd.internal.v1.opt", opt_fields},
    {"io.containerd.internal.v1.restart", restart_fields},
    {"io.containerd.metadata.v1.bolt", bolt_fields},
    {"io.containerd.monitor.v1.cgroups", cgroups_fields},
    {"io.containerd.runtime.v1.linux", linux_fields},
    {"io.containerd.runtime.v2.task", task_fields},
    {"io.containerd.service.v1.diff-service", diff_fields},
    {"io.containerd.service.v1.tasks-service", tasks_fields},
    {"io.containerd.snapshotter.v1.aufs", root_path_fields},
    {"io.containerd.snapshotter.v1.btrfs", root_path_fields},
    {"io.containerd.snapshotter.v1.devmapper", devmapper_fields},
    {"io.containerd.snapshotter.v1.native", root_path_fields},
    {"io.containerd.snapshotter.v1.overlayfs", overlay_fields},
    {"io.containerd.snapshotter.v1.zfs", root_path_fields},
    {NULL, NULL}};
