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
};

#endif
