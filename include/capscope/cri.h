/* SPDX-License-Identifier: MIT */
/*
 * Container runtimes in front of the OCI runtime: from what the kubelet
 * sends over CRI (capability add/drop strings, privileged, no_new_privs,
 * user) to the OCI process (config.json's process). Each runtime has its own
 * defaults, `ALL` handling, name normalisation and order of add and drop;
 * docs/runtimes.md cites the source of every rule, per release where the
 * rules changed. Steps use layer "runtime" with rule ids "crio.*",
 * "containerd.*", "docker.*", "podman.*".
 */
#ifndef CAPSCOPE_CRI_H
#define CAPSCOPE_CRI_H

#include "diag.h"
#include "kubelet.h"
#include "oci.h"
#include "steps.h"

enum cs_cri_runtime { CS_CRI_CRIO, CS_CRI_CONTAINERD, CS_CRI_DOCKER, CS_CRI_PODMAN };

/*
 * A runtime at a release, and what the runtime daemon itself holds.
 * containerd (WithAllCurrentCapabilities) and Docker from 25.0 hand out their
 * own effective set for ALL / privileged, so a daemon that runs with fewer
 * capabilities gives fewer; runtime_caps says which (default: every
 * capability of the kernel).
 */
struct cs_docker_config;
struct cs_containerd_config;

struct cs_cri_target {
	enum cs_cri_runtime rt;
	unsigned major, minor;	/* the release whose rules apply */
	cs_mask_t runtime_caps; /* the daemon's effective set, when runtime_caps_set */
	bool runtime_caps_set;
	/* dockerd's daemon.json as read (docker only; NULL: none, dockerd's
	 * defaults) */
	const struct cs_docker_config *docker;
	/* containerd's config.toml as read (containerd only; NULL: none, the
	 * release's defaults) */
	const struct cs_containerd_config *containerd;
};

/* The current release of rt, daemon with every capability. */
CS_EXPORT void cs_cri_target_default(enum cs_cri_runtime rt, struct cs_cri_target *t);

/*
 * "NAME[@VERSION]": crio (cri-o), containerd, docker (moby), podman, with an
 * optional MAJOR[.MINOR] among the releases whose rules are modelled
 * (docs/runtimes.md): containerd 1.6, 1.7, 2.x; docker 20.10, 23..28;
 * podman 4, 5; crio 1.x. Keeps t->runtime_caps. -EINVAL with d set on
 * anything else.
 */
CS_EXPORT int cs_cri_target_parse(const char *arg, struct cs_cri_target *t, struct cs_diag *d);

/*
 * The runtime daemon's own capabilities: a hex mask (0x…), "self" (this
 * process's effective set) or a list of names as cs_names_parse reads them.
 */
CS_EXPORT int cs_cri_runtime_caps_parse(const char *arg, struct cs_cri_target *t,
					struct cs_diag *d);

/*
 * Whether an API server and a kubelet stand in front of the runtime: false
 * for Podman, whose `kube play` reads the pod YAML itself, so neither the API
 * server's validation (allowPrivilegeEscalation: false with privileged) nor
 * the kubelet's runAsNonRoot check happens.
 */
CS_EXPORT bool cs_cri_target_has_kubelet(const struct cs_cri_target *t);

/*
 * Whether the runtime honours supplementalGroupsPolicy: Strict
 * (containerd 2.0+, CRI-O 1.31+); the kubelet rejects such a pod on any
 * other (SupplementalGroupsPolicyNotSupported). Podman's kube play ignores
 * the field.
 */
CS_EXPORT bool cs_cri_target_strict_groups(const struct cs_cri_target *t);

/* "docker@20.10" into buf (snprintf's return value). */
CS_EXPORT int cs_cri_target_format(const struct cs_cri_target *t, char *buf, size_t len);

#define CS_CRIO_MAX_DEFAULTS 64
#define CS_CRIO_MAX_RUNTIMES 64

/* One of CRI-O's start-up checks on a field's value (lib/runtime/crio-startup.c):
 * whether the last value a file gave it fails, and where that value is. */
struct cs_crio_value_check {
	bool bad;
	/* the field given twice in one file (names match without case): one
	 * value refused and one not (default_runtime: two names), and which
	 * CRI-O keeps is Go's random map order */
	bool split;
	unsigned line, column;
	char from[256];
	char value[128];
};

/* What CRI-O's start-up checks need beyond the capabilities. */
struct cs_crio_startup {
	struct cs_crio_value_check image_volumes, log_dir, gomaxprocs, artifact_stores,
	    default_runtime, log_size_max, cgroup_manager;
	/* the first default_sysctls entry CRI-O's Sysctls() refuses, of the
	 * last list read; spaces: refused for the spaces around key or value
	 * (else: not key=value) */
	struct cs_crio_value_check default_sysctls;
	bool sysctl_spaces;
	/* the [crio.runtime.runtimes.NAME] tables of every file read (crun is
	 * CRI-O's own); cut: one name too long, or too many, to hold */
	char runtimes[CS_CRIO_MAX_RUNTIMES][128];
	size_t n_runtimes;
	bool runtimes_cut;
	/* The verdict on each of those tables, from the last file that has a
	 * table of the name: CRI-O's decoder builds a new handler for each,
	 * so a later table replaces an earlier one whole (bad: refused,
	 * why[k] says why; split: a field given twice with different values) */
	struct cs_crio_value_check runtime_checks[CS_CRIO_MAX_RUNTIMES];
	const char *runtime_why[CS_CRIO_MAX_RUNTIMES];
	/* the [crio.runtime.workloads.NAME] tables, likewise */
	char workloads[CS_CRIO_MAX_RUNTIMES][128];
	struct cs_crio_value_check workload_checks[CS_CRIO_MAX_RUNTIMES];
	const char *workload_why[CS_CRIO_MAX_RUNTIMES];
	size_t n_workloads;
	bool workloads_cut;
	/* a table not held (cut) was refused in its file: whether a later
	 * file replaced it cannot be told */
	bool runtimes_cut_refused, workloads_cut_refused;
};

/* The parts of crio.conf that shape capabilities. */
struct cs_crio_config {
	/* [crio.runtime] default_capabilities, as written (CRI-O prefixes them
	 * when a container is created). */
	char default_caps[CS_CRIO_MAX_DEFAULTS][48];
	size_t n_default_caps;
	bool add_inheritable;	 /* add_inheritable_capabilities */
	char defaults_from[256]; /* file that last set default_capabilities, "" = built-in */
	char inheritable_from[256];
	/* [crio.runtime] default_sysctls: the values it gives
	 * net.ipv4.ip_unprivileged_port_start and net.ipv4.ip_local_port_range
	 * ("" = none), and the file */
	char unpriv_port_start[32];
	char local_port_range[32];
	/* the key is in the list, its value maybe "" (which pinns refuses:
	 * every pod that does not set the key fails) */
	bool unpriv_port_start_set, local_port_range_set;
	/* The first key of the list that CRI-O's Validate takes (a net. one,
	 * [0]; an IPC one, [1]) and this kernel does not have: pinns fails on
	 * it and no pod's sandbox is made (not with hostNetwork, hostIPC);
	 * "" = none. Cut with "..." (the check was made on the whole key). */
	char sysctl_absent[2][128];
	/* The first such key whose presence this kernel cannot tell (an
	 * interface's own, no namespace to look in): assumed there, said in
	 * a step (twenty-eighth pass, part D); "" = none. */
	char sysctl_untold[2][128];
	char sysctls_from[256];
	/* The first default capability CRI-O's start-up check refuses, and
	 * where it is (in defaults_from), cut with "..."; bad_line 0 = none
	 * (the name may be ""). cs_crio_config_load
	 * refuses the configuration when the last list read has one. */
	char bad_cap[48];
	unsigned bad_line, bad_column;
	struct cs_crio_startup startup;
};

/* What the kubelet passes for one container (CRI LinuxContainerSecurityContext). */
struct cs_cri_request {
	const char *const *add;
	size_t n_add;
	const char *const *drop;
	size_t n_drop;
	bool privileged;
	bool no_new_privs;
	uid_t uid;
	gid_t gid;
	const gid_t *groups; /* supplementalGroups */
	size_t n_groups;
	bool fs_group_set; /* fsGroup: the kubelet adds it to the groups, kube play does not */
	gid_t fs_group;
	/* The image's /etc/group memberships of the user (NULL: not known). */
	const struct cs_image_groups *members;
	/* The runtime is given a group with the user ("UID:GID": runAsGroup,
	 * or Podman's image USER with ':'): runc's lookup then adds no
	 * memberships (Docker, Podman). */
	bool group_explicit;
	/* The runtime is given a user at all (Podman adds the gid to the
	 * groups only then). */
	bool user_given;
	/* supplementalGroupsPolicy: Strict: no /etc/group memberships. */
	bool strict_groups;
	/* Podman: the user string before ':' is "", "root" or "0". Its
	 * securityConfigureGenerator gives root's capabilities by that string,
	 * not by the uid it resolves to ("+0" is not root, a passwd name whose
	 * uid field is no number is uid 0 but not root). Others: unused. */
	bool user_string_root;
	bool user_namespace; /* hostUsers: false */
	/* The node uid (and gid) the pod's id 0 maps to: what the kubelet's
	 * userns manager allocated (cs_userns_pod_map); 0 means the first block,
	 * CS_USERNS_DEFAULT_BASE. */
	uint32_t userns_base;
};

/* CRI-O's built-in defaults (internal/config/capabilities). */
CS_EXPORT void cs_crio_config_default(struct cs_crio_config *c);

/*
 * Read crio.conf and drop-ins into c (which should hold the defaults first).
 * path is a file, a directory holding crio.conf and/or crio.conf.d/ (as
 * /etc/crio: the file, then the drop-ins), or a drop-in directory; drop-ins
 * (every file, walked as CRI-O walks them) are read in byte order and a
 * later value wins. Errors name file, line and column.
 */
CS_EXPORT int cs_crio_config_load(struct cs_crio_config *c, const char *path, struct cs_diag *d);
/* Parse one crio.conf text into c. */
CS_EXPORT int cs_crio_config_parse(struct cs_crio_config *c, const char *buf, size_t len,
				   const char *name, struct cs_diag *d);

/*
 * What dockerd's daemon.json changes in every container
 * (lib/runtime/docker-config.c): today no-new-privileges. Keys that put
 * containers where the model does not reach (userns-remap, rootless, a
 * default runtime other than runc) are refused when the file is read.
 */
struct cs_docker_config {
	bool no_new_privs; /* "no-new-privileges": true */
	char from[256];	   /* the file it was read from */
	unsigned line, column;
};

/* dockerd's defaults: nothing set. */
CS_EXPORT void cs_docker_config_default(struct cs_docker_config *c);

/*
 * Read daemon.json at path into c as dockerd 20.10 reads it at start:
 * the first JSON value, an object (or null); every key (and every key of
 * an object under a key other than dockerd's six "flat" ones) one of its
 * options; every value of the type the option has. -EINVAL with d (file,
 * line, column, key) where dockerd refuses to start; -ENOTSUP with d at the
 * key when the file is one dockerd starts with but capscope cannot predict
 * for (userns-remap, rootless, another default runtime).
 */
CS_EXPORT int cs_docker_config_load(struct cs_docker_config *c, const char *path,
				    struct cs_diag *d);
/* The same for text already read; name is the file named in messages. */
CS_EXPORT int cs_docker_config_parse(struct cs_docker_config *c, const char *buf, size_t len,
				     const char *name, struct cs_diag *d);

/*
 * What containerd's config.toml changes in every container of its default
 * handler (lib/runtime/containerd-config.c): that handler's
 * base_runtime_spec (its capability sets replace the default 14; its
 * noNewPrivileges the CRI clears) and enable_unprivileged_ports.
 */
struct cs_containerd_config {
	char file[256];	  /* the config.toml read, "" for none */
	char runtime[64]; /* default_runtime_name ("runc") */
	bool base_set;	  /* the handler has a base_runtime_spec */
	char base_spec[256];
	struct cs_quintet base_caps; /* its process.capabilities (ambient: cleared) */
	bool base_no_new_privs;
	char base_unknown[512]; /* names in it runc does not know (warns, skips) */
	bool unpriv_ports_set, unpriv_ports;
};

/* No config.toml: containerd's defaults. */
CS_EXPORT void cs_containerd_config_default(struct cs_containerd_config *c);

/*
 * Read config.toml at path into c, as containerd of release major (1 or 2)
 * reads it (version 2 or 3). -EINVAL with d (file, line, column, key) for
 * what containerd refuses and for what capscope does not model (version 1,
 * imports, a default handler that is not runc, a relative or unreadable
 * base spec).
 */
CS_EXPORT int cs_containerd_config_load(struct cs_containerd_config *c, const char *path,
					unsigned major, struct cs_diag *d);
/* The same for a config.toml's text of len bytes, named name (its base
 * spec is still read from the file it names). */
CS_EXPORT int cs_containerd_config_parse(struct cs_containerd_config *c, const char *buf,
					 size_t len, const char *name, unsigned major,
					 struct cs_diag *d);

/*
 * Merge the request with the runtime's rules into out (uid, gid, groups,
 * capabilities, noNewPrivileges, user namespace). Returns 0, or -EINVAL when
 * the runtime refuses to create the container (d says why, e.g. CRI-O's
 * "unknown capability "CAP_FOO" to add").
 */
CS_EXPORT int cs_cri_merge_target(const struct cs_cri_target *t, const struct cs_crio_config *crio,
				  const struct cs_cri_request *req, struct cs_oci_process *out,
				  struct cs_steps *st, struct cs_diag *d);
/* The same for the current release of rt, daemon with every capability. */
CS_EXPORT int cs_cri_merge(enum cs_cri_runtime rt, const struct cs_crio_config *crio,
			   const struct cs_cri_request *req, struct cs_oci_process *out,
			   struct cs_steps *st, struct cs_diag *d);

CS_EXPORT const char *cs_cri_runtime_name(enum cs_cri_runtime rt);

/* Docker's (moby's) default capability set, which containerd's CRI plugin also uses. */
CS_EXPORT cs_mask_t cs_cri_docker_defaults(void);
/* Podman's default_capabilities (containers-common containers.conf). */
CS_EXPORT cs_mask_t cs_cri_podman_defaults(void);
/* CRI-O's built-in default_capabilities (cs_crio_config_default's list). */
CS_EXPORT cs_mask_t cs_cri_crio_defaults(void);

#endif
