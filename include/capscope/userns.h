/* SPDX-License-Identifier: MIT */
/*
 * User namespaces as a `hostUsers: false` pod gets them: the id range the
 * kubelet allocates (pkg/kubelet/userns/userns_manager.go), and what each
 * capability held inside such a namespace can act on. The kernel decides the
 * latter at every check: ns_capable(ns, cap) looks for cap in the user
 * namespace that owns the object (a network, mount, UTS, IPC or PID
 * namespace, or a file through its owner's mapping), capable(cap) only in the
 * initial namespace, which a pod's process never holds anything in.
 * docs/runtimes.md, "User namespaces", cites each check.
 */
#ifndef CAPSCOPE_USERNS_H
#define CAPSCOPE_USERNS_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "json.h"
#include "kernel.h"
#include "oci.h"

/* userns_manager.go: userNsUnitLength, the default idsPerPod. */
#define CS_USERNS_IDS_PER_POD 65536u
/*
 * kubelet_pods.go getKubeletMappings: without a "kubelet" entry in
 * /etc/subuid the kubelet may use every id from 65536 up; allocateOne hands
 * out the first free 65536-id block of that, so the first pod's root is node
 * uid 65536.
 */
#define CS_USERNS_DEFAULT_BASE 65536u

/*
 * --userns-base N: the node id the pod's id 0 maps to. The kubelet only ever
 * picks a multiple of 65536 that is at least 65536 (it refuses to map node
 * uid 0) with the whole block below 2^32. -EINVAL with d set otherwise.
 */
CS_EXPORT int cs_userns_base_parse(const char *arg, uint32_t *base, struct cs_diag *d);

/* The mapping the kubelet sends over CRI and the runtime writes into
 * linux.uidMappings / gidMappings: pod 0..65535 → node base..base+65535. */
CS_EXPORT struct cs_idmap cs_userns_pod_map(uint32_t base);

/* Where a capability held in a pod's user namespace acts. */
enum cs_userns_scope {
	CS_USERNS_POD_NAMESPACES, /* works on the namespaces the pod's user namespace owns */
	CS_USERNS_MAPPED_IDS,	  /* works only on files / ids mapped into the pod's range */
	CS_USERNS_PARTLY,	  /* some operations work inside the pod, others need the node */
	CS_USERNS_NODE_ONLY,	  /* checked with capable(): never works from the pod */
};

struct cs_userns_cap {
	int cap;
	enum cs_userns_scope scope;
	const char *acts_on; /* what it can and cannot touch from the pod */
	const char *source;  /* the kernel check that decides (file: function) */
};

/* The row for cap (0..63); a generic NODE_ONLY row for numbers the table
 * does not know (a capability newer than capscope). */
CS_EXPORT const struct cs_userns_cap *cs_userns_cap_info(int cap);
/* "pod-namespaces", "mapped-ids", "partly", "node-only" (stable, for JSON). */
CS_EXPORT const char *cs_userns_scope_id(enum cs_userns_scope s);
/* "inside the pod", "pod-owned files", "partly", "never" (the text column). */
CS_EXPORT const char *cs_userns_scope_label(enum cs_userns_scope s);

/*
 * An id as the pod sees it and as the node does: "0 (node 65536)", or just
 * "1000" outside a user namespace, "70000 (unmapped)" for an id the map does
 * not cover. snprintf's return value.
 */
CS_EXPORT int cs_userns_id_text(const struct cs_idmap *map, size_t n, bool userns, uint32_t id,
				char *buf, size_t len);

/*
 * explain's "User namespace" section for a process created from oci (NULL
 * when oci has no user namespace): the mapping, the process's uid in the pod
 * and on the node, what files it cannot touch, and for each capability in
 * post's effective set (oci's when post is NULL) where it acts. Each line
 * starts with indent. A heap string (free it), NULL when there is no user
 * namespace or on ENOMEM (*err says which: 0 or -ENOMEM).
 */
CS_EXPORT char *cs_userns_report_text(const struct cs_oci_process *oci, const struct cs_cred *post,
				      const char *indent, int *err);
/*
 * The same as a JSON value: null without a user namespace, else
 * {"uid_map": [{"container_id", "host_id", "size"}], "gid_map": [...],
 *  "uid", "host_uid", "unmapped_files", "capabilities": [{"name", "scope",
 *  "works", "acts_on", "source"}]} ("works": true, false or "partly").
 */
CS_EXPORT void cs_userns_report_json(struct cs_json *j, const struct cs_oci_process *oci,
				     const struct cs_cred *post);

/*
 * A user namespace's id map as /proc/PID/uid_map and gid_map show it: every
 * line exactly as the kernel writes it ("%10u %10u %10u\n": the first id
 * inside, the first outside, the count), ending in '\n', with the kernel's
 * own rules (a count of at least 1, no range past 4294967294 on either
 * side, no id in two ranges, at most CS_IDMAP_KERNEL_MAX ranges). Into
 * m[0..max), *n of them; an empty text is a map not written yet (0
 * ranges). 0, -EINVAL (d: line, column, why) or -E2BIG (more than max).
 */
#define CS_IDMAP_KERNEL_MAX 340 /* UID_GID_MAP_MAX_EXTENTS */
CS_EXPORT int cs_idmap_parse(const char *text, size_t len, struct cs_idmap *m, size_t max,
			     size_t *n, struct cs_diag *d);
/*
 * This process's uid map (gid false) or gid map, through cs_idmap_parse:
 * the one reader of them. A kernel without user namespaces (no such file
 * in a /proc that is this process's) gives the initial map, 0 0 4294967295.
 * 0 or -errno with d naming the file (a /proc of another PID namespace, a
 * text not understood: never a map cut where the reading stopped).
 */
CS_EXPORT int cs_idmap_read_self(bool gid, struct cs_idmap *m, size_t max, size_t *n,
				 struct cs_diag *d);
/* Whether the map is the initial namespace's (one range, 0 0 4294967295). */
CS_EXPORT bool cs_idmap_is_initial(const struct cs_idmap *m, size_t n);

#endif
