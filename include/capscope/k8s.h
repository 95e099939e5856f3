/* SPDX-License-Identifier: MIT */
/*
 * Kubernetes manifests as far as credentials go: the pod templates of Pod,
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * OpenShift's DeploymentConfig,
 * Job, CronJob and List
 * documents (YAML, several documents per file, or JSON), every container,
 * init container and ephemeral container, and the security contexts that
 * decide user, capabilities and no_new_privs. OpenShift
 * SecurityContextConstraints documents found in the same files are kept too.
 *
 * Values are kept as written (strings exactly as the manifest spells them,
 * unset fields unset): admission and the runtimes each normalise in their
 * own way and capscope must show where that matters.
 */
#ifndef CAPSCOPE_K8S_H
#define CAPSCOPE_K8S_H

#include <stdint.h>

#include "caps.h"
#include "diag.h"
#include "image.h"

struct cs_arena; /* owns every string and array below */

struct cs_opt_bool {
	bool set, v;
};

struct cs_opt_i64 {
	bool set;
	int64_t v;
};

/* Where a node was found, for messages that point at the manifest. */
struct cs_pos {
	unsigned line, column;
};

/* A container's securityContext, or the effective one after merging. */
struct cs_k8s_sc {
	struct cs_opt_i64 run_as_user, run_as_group;
	struct cs_opt_bool run_as_non_root, allow_privilege_escalation, privileged;
	struct cs_opt_bool read_only_root_fs;
	bool caps_set; /* capabilities: {} present */
	struct cs_strlist add, drop;
	const char *seccomp_type;	 /* seccompProfile.type or NULL */
	struct cs_opt_bool host_process; /* windowsOptions.hostProcess */
	/* what Pod Security's baseline also judges (or NULL): appArmorProfile.type,
	 * seLinuxOptions type, user and role, procMount (containers only) */
	const char *apparmor_type, *selinux_type, *selinux_user, *selinux_role, *proc_mount;
	const char *apparmor_local; /* appArmorProfile.localhostProfile, or NULL */
	const char *seccomp_local;  /* seccompProfile.localhostProfile, or NULL */
	struct cs_pos pos, add_pos, drop_pos, caps_pos;
	/* where each add / drop entry is (same index), or NULL when not known */
	const struct cs_pos *add_item_pos, *drop_item_pos;
};

enum cs_k8s_ctr_kind { CS_CTR_INIT, CS_CTR_APP, CS_CTR_EPHEMERAL };

/* One env entry of a container; value is NULL when it comes from valueFrom
 * (a Secret, a ConfigMap, the downward API: not in the manifest). */
struct cs_k8s_env {
	const char *name, *value;
	struct cs_pos pos;
};

struct cs_k8s_container {
	const char *name, *image;
	const char *working_dir; /* workingDir, or NULL (the image's WorkingDir applies) */
	enum cs_k8s_ctr_kind kind;
	struct cs_strlist command, args;
	/* env in order (the kubelet expands $(NAME) in command, args and env
	 * values with it); env_from: envFrom is given, whose variables are not
	 * in the manifest (env_from_pos: where) */
	struct cs_k8s_env *env;
	size_t n_env;
	bool env_from;
	struct cs_pos env_from_pos;
	struct cs_k8s_sc sc;
	bool has_sc;
	bool host_port; /* some ports[].hostPort is non-zero */
	int low_port;	/* the lowest ports[].containerPort below 1024, or 0 */
	struct cs_pos pos;
};

struct cs_k8s_sysctl {
	const char *name, *value;
};

struct cs_k8s_pod {
	const char *file;
	const char *kind;	  /* the document's kind: Pod, Deployment, … */
	const char *name;	  /* metadata.name of the document */
	const char *namespace;	  /* or NULL */
	const char *required_scc; /* openshift.io/required-scc annotation of the pod template */
	const char *lint_ignore;  /* capscope.io/lint-ignore annotation (object, else template) */
	const char *service_account;
	struct cs_pos pos;
	/* spec.securityContext */
	struct cs_opt_i64 run_as_user, run_as_group, fs_group;
	struct cs_opt_bool run_as_non_root;
	const char *seccomp_type;
	struct cs_opt_bool host_process; /* windowsOptions.hostProcess */
	/* as in cs_k8s_sc */
	const char *apparmor_type, *selinux_type, *selinux_user, *selinux_role;
	const char *apparmor_local; /* appArmorProfile.localhostProfile, or NULL */
	const char *seccomp_local;  /* seccompProfile.localhostProfile, or NULL */
	/* the pod (template) annotations container.apparmor.security.beta.kubernetes.io/NAME
	 * whose value Pod Security's baseline forbids, as "KEY=VALUE" */
	struct cs_strlist apparmor_bad;
	int64_t *supplemental_groups;
	size_t n_supplemental_groups;
	const char *supplemental_groups_policy; /* "Merge", "Strict" (KEP-3619), or NULL */
	struct cs_k8s_sysctl *sysctls;
	size_t n_sysctls;
	/* spec */
	const char *os_name;  /* spec.os.name: "linux", "windows", or NULL (not set) */
	const char *os_label; /* the pod (template) label kubernetes.io/os, or NULL */
	struct cs_opt_bool host_users;
	/* spec.runtimeClassName, or NULL: the RuntimeClass object (and the
	 * handler it names) is not in the manifest, so it is only reported */
	const char *runtime_class;
	bool host_network, host_pid, host_ipc;
	struct cs_strlist volume_types; /* "hostPath", "emptyDir", … per volume */
	struct cs_k8s_container *containers;
	size_t n_containers;
};

enum cs_scc_user_type {
	CS_SCC_USER_UNSET = 0,
	CS_SCC_MUST_RUN_AS,
	CS_SCC_MUST_RUN_AS_RANGE,
	CS_SCC_MUST_RUN_AS_NON_ROOT,
	CS_SCC_RUN_AS_ANY,
};

/* An SCC IDRange (fsGroup / supplementalGroups ranges), inclusive. */
struct cs_id_range {
	int64_t min, max;
};

struct cs_scc {
	const char *name;
	const char *file;
	struct cs_pos pos;
	struct cs_opt_i64 priority;
	bool allow_privileged, allow_host_network, allow_host_pid, allow_host_ipc;
	bool allow_host_ports, allow_host_dir_volume, read_only_root_fs;
	struct cs_opt_bool allow_privilege_escalation, default_allow_privilege_escalation;
	struct cs_strlist allowed_caps, default_add_caps, required_drop_caps;
	struct cs_strlist volumes, allowed_unsafe_sysctls, forbidden_sysctls, seccomp_profiles;
	enum cs_scc_user_type run_as_user;
	struct cs_opt_i64 uid, uid_min, uid_max;
	const char *selinux_type;	  /* "MustRunAs" / "RunAsAny" */
	const char *selinux_options_type; /* seLinuxContext.seLinuxOptions.type, or NULL */
	const char *fs_group_type, *supplemental_groups_type;
	/* The SCC's own group ranges; none = the namespace's (matcher.go). */
	struct cs_id_range *fs_group_ranges, *supplemental_groups_ranges;
	size_t n_fs_group_ranges, n_supplemental_groups_ranges;
	/* runAsUser had a `ranges` key: not a field of RunAsUserStrategyOptions,
	 * so the API server prunes it and the range comes from the namespace. */
	bool run_as_user_ranges_pruned;
	const char *user_namespace_level; /* "AllowHostLevel" / "RequirePodLevel" or NULL */
};

/*
 * What the reader does with a key that is not a field of its object in
 * Kubernetes 1.32, the release its field lists follow (kubectl's
 * --validate): refuse it (strict, the default, as kubectl 1.27 and later
 * asks the API server), or read it as absent and record it (warn: a
 * manifest for a newer cluster, or an object the API server has already
 * decoded). A key that is a field in another case, or a field of another
 * object (`SecurityContext`, `privileged` in a container), is refused in
 * both: no release makes it a field.
 */
enum cs_k8s_validate { CS_K8S_VALIDATE_STRICT = 0, CS_K8S_VALIDATE_WARN };

/* A key read as absent under CS_K8S_VALIDATE_WARN. */
struct cs_k8s_unknown_field {
	const char *file;
	struct cs_pos pos;
	const char *field;  /* its path ("spec.containers[0].foo"), cut at 64 bytes a key */
	const char *object; /* "a container", "a pod spec", ... */
	const char
	    *api; /* whose fields: "Kubernetes 1.32", "OpenShift's security.openshift.io/v1" */
};
#define CS_K8S_UNKNOWN_KEPT 100 /* the first ones kept; all are counted */

struct cs_k8s_manifest {
	/* set by the caller after cs_k8s_manifest_init (0: strict) */
	enum cs_k8s_validate validate;
	/* the keys read as absent: the first CS_K8S_UNKNOWN_KEPT, and how many */
	struct cs_k8s_unknown_field *unknown;
	size_t n_unknown, n_unknown_total;
	struct cs_arena *arena;
	struct cs_k8s_pod *pods;
	size_t n_pods, cap_pods;
	struct cs_scc *sccs;
	size_t n_sccs, cap_sccs;
	size_t n_skipped; /* documents of other kinds (Service, Role, …) */
};

CS_EXPORT void cs_k8s_manifest_init(struct cs_k8s_manifest *m);
CS_EXPORT void cs_k8s_manifest_free(struct cs_k8s_manifest *m);

/*
 * Parse YAML (one or more documents) or JSON text and append what it holds to
 * m. name is used in diagnostics and recorded as each pod's file. On error
 * returns -EINVAL (or -ENOMEM, -E2BIG) and fills d with line, column, field.
 */
CS_EXPORT int cs_k8s_parse(struct cs_k8s_manifest *m, const char *buf, size_t len, const char *name,
			   struct cs_diag *d);
/* Read a file (at most 16 MiB) and parse it. */
CS_EXPORT int cs_k8s_load(struct cs_k8s_manifest *m, const char *path, struct cs_diag *d);

/*
 * The container's effective securityContext as the kubelet computes it
 * (pkg/securitycontext DetermineEffectiveSecurityContext): runAsUser,
 * runAsGroup, runAsNonRoot and seccompProfile fall back to the pod's; the
 * rest is container-only.
 */
CS_EXPORT void cs_k8s_effective_sc(const struct cs_k8s_pod *p, const struct cs_k8s_container *c,
				   struct cs_k8s_sc *out);

/* The value of a pod sysctl, or NULL. */
CS_EXPORT const char *cs_k8s_sysctl(const struct cs_k8s_pod *p, const char *name);

CS_EXPORT const char *cs_k8s_ctr_kind_name(enum cs_k8s_ctr_kind k);

#endif
