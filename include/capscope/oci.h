/* SPDX-License-Identifier: MIT */
/*
 * The OCI process as an OCI runtime receives it (config.json's process and
 * the parts of linux that matter to credentials). explain oci reads it from a
 * bundle; explain pod builds it from a manifest through SCC admission and a
 * container runtime's merge rules; the kernel model takes it from there.
 */
#ifndef CAPSCOPE_OCI_H
#define CAPSCOPE_OCI_H

#include <sys/types.h>

#include "caps.h"
#include "diag.h"

#define CS_OCI_MAX_GROUPS 256
#define CS_OCI_MAX_IDMAPS 16

struct cs_idmap {
	uint32_t container_id, host_id, size;
};

struct cs_oci_process {
	uid_t uid;
	gid_t gid;
	gid_t additional_gids[CS_OCI_MAX_GROUPS];
	size_t n_additional_gids;
	/* process.capabilities: a set absent from the config is not present. */
	struct cs_quintet caps;
	bool no_new_privileges;
	/* linux.namespaces has "user", with these mappings. */
	bool user_namespace;
	struct cs_idmap uid_map[CS_OCI_MAX_IDMAPS], gid_map[CS_OCI_MAX_IDMAPS];
	size_t n_uid_map, n_gid_map;
	/* Capability names the runtime would not know (runc warns and skips). */
	char unknown_caps[512];
	/* process.env holds an entry with an empty name (an image's "=x"):
	 * runc init refuses it and the process never starts. */
	bool env_empty_name;
	/* Non-empty: execve certainly refuses the strings it copies (the
	 * process's args and env) with E2BIG, and why, as step execve.e2big
	 * says it (filled by the caller that knows them: explain pod, explain
	 * oci; cs_oci_predict_from reads it). */
	char exec_e2big[320];
	/* Non-empty: runc's reading of the rootfs's /etc/passwd for
	 * process.user fails (a line of 64 KiB or more, a directory
	 * there), and why; the process never starts (filled by explain oci,
	 * which knows the rootfs or the image; cs_oci_predict_from reads it). */
	char user_files[160];
};

/* A bundle's config.json, the parts capscope reads. */
struct cs_oci_config {
	char *bundle;	 /* the bundle directory as given */
	char *root_path; /* root.path made absolute (relative paths are against the bundle) */
	/* The config's name and root.path's place in it: a rootfs that cannot
	 * be opened is found only when explain oci looks in it, and said there
	 * (twenty-sixth pass, part A: it had no line and column). */
	char *file;
	unsigned root_path_line, root_path_column;
	bool root_readonly;
	char **args, **env; /* process.args / process.env, owned */
	size_t nargs, nenv;
	char *cwd;
	bool terminal;
	struct cs_oci_process process;
	/* process.rlimits holds RLIMIT_STACK (the last one's soft limit):
	 * runc sets it before execve, whose bound on args and env it sets. */
	bool stack_rlimit_set;
	uint64_t stack_rlimit;
};

/*
 * Read BUNDLE/config.json. Errors (-EINVAL, -ENOENT …) fill d with file,
 * line, column and the field (e.g. "process.capabilities.bounding[2]").
 * Unknown capability names are not errors: runc warns and ignores them; they
 * are listed in process.unknown_caps.
 */
CS_EXPORT int cs_oci_config_load(const char *bundle, struct cs_oci_config *c, struct cs_diag *d);
/* The same for a config.json already in memory; filename is only for d. */
CS_EXPORT int cs_oci_config_parse(const char *buf, size_t len, const char *filename,
				  struct cs_oci_config *c, struct cs_diag *d);
CS_EXPORT void cs_oci_config_free(struct cs_oci_config *c);
/*
 * A runtime's base spec (containerd's base_runtime_spec): an OCI config
 * whose root and process may be missing (the runtime fills them); read as
 * cs_oci_config_load reads one, without runc's own refusals.
 */
CS_EXPORT int cs_oci_base_spec_load(const char *path, struct cs_oci_config *c, struct cs_diag *d);
/* The value of NAME in process.env, or NULL (the last one wins, as in Go's os.Setenv). */
CS_EXPORT const char *cs_oci_config_getenv(const struct cs_oci_config *c, const char *name);

#endif
