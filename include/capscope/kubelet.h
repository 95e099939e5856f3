/* SPDX-License-Identifier: MIT */
/*
 * The kubelet's (and the API server's) part between a pod as written and
 * the CRI request a runtime receives: which user the container runs as
 * (runAsUser, else the image's USER, a name looked up in the image's
 * /etc/passwd), the runAsNonRoot check, the command line built from
 * command/args and the image's Entrypoint/Cmd, no_new_privs from
 * allowPrivilegeEscalation, and the API server's validation that rejects
 * some combinations outright. Pure logic: the caller hands in the image's
 * config and passwd text; nothing is read here.
 */
#ifndef CAPSCOPE_KUBELET_H
#define CAPSCOPE_KUBELET_H

#include <sys/types.h>

#include "diag.h"
#include "k8s.h"
#include "oci.h"
#include "steps.h"

/*
 * An image's /etc/passwd and /etc/group read once (cs_etc_index_new), for
 * the lookups of many containers: each lookup in the text reads the whole
 * file again (3.5 s for 1,000 containers of one image with a 1 MB passwd).
 */
struct cs_etc_index;

/* What the kubelet knows about the image (all optional). */
struct cs_kubelet_image {
	const struct cs_image_config *config; /* NULL: not given (USER, Entrypoint unknown) */
	bool fs_given;	    /* the image's files were given (--rootfs or --image) */
	const char *passwd; /* its /etc/passwd text, NULL when absent or not given */
	size_t passwd_len;
	const char *group; /* its /etc/group text, NULL when absent or not given */
	size_t group_len;
	/*
	 * No kubelet stands in front (Podman's kube play): the image USER
	 * reaches the runtime whole, its group part included, and runAsGroup
	 * without runAsUser is "0:GID". With a kubelet the runtime is given
	 * only run_as_user (the pod's, or the image's uid) or run_as_username
	 * (the image's name): the image's group part is never read.
	 */
	bool whole_user;
	/*
	 * NULL, or passwd and group above read once (cs_etc_index_new of the
	 * same texts): the lookups then take their answers from it.
	 */
	const struct cs_etc_index *index;
};

/*
 * The groups the image's /etc/group lists the container's user in, read as
 * runc's user package reads it (containerd, CRI-O, Docker and Podman all
 * use it): the user's passwd name (the image USER's name when the runtime
 * is given that name, else the first line with its uid), then every group
 * line whose member list holds that name.
 */
struct cs_image_groups {
	bool known; /* the image's files were given and its passwd names the user */
	char user[128];
	size_t n;
	gid_t gid[CS_OCI_MAX_GROUPS];
	bool
	    own_name[CS_OCI_MAX_GROUPS]; /* the group bears the user's name (containerd skips it) */
};

/*
 * Fill g for the container's user (uid, after cs_kubelet_user). Returns 0,
 * or -E2BIG when the image lists the user in more groups than the model
 * holds (d says so).
 */
CS_EXPORT int cs_image_member_groups(const struct cs_k8s_sc *sc, const struct cs_kubelet_image *img,
				     uid_t uid, struct cs_image_groups *g, struct cs_diag *d);

/*
 * The user and primary group the container runs as
 * (kuberuntime's getImageUser / verifyRunAsNonRoot and the runtimes'
 * user lookup). Appends a "pod.user" step (and "kubelet.run-as-non-root" when
 * the kubelet refuses). Returns 0, or the error class the kubelet reports:
 * -EPERM for CreateContainerConfigError, -ENOENT for CreateContainerError
 * (cs_kubelet_error_name), with the reason in d->message.
 */
CS_EXPORT int cs_kubelet_user(const struct cs_k8s_sc *sc, const struct cs_kubelet_image *img,
			      uid_t *uid, gid_t *gid, struct cs_steps *st, struct cs_diag *d);

/* "CreateContainerConfigError" for -EPERM, "CreateContainerError" for -ENOENT. */
CS_EXPORT const char *cs_kubelet_error_name(int err);

/*
 * Can the model read an image's /etc/passwd or /etc/group (what: its name
 * in the message) as the runtimes read it? A NUL byte is a byte of a field
 * to runc's user package, but the lookups here hold lines as C strings, so
 * a file with one is refused (-EINVAL, its line in d) rather than read
 * short, which predicted "no such user" for users listed after it.
 */
CS_EXPORT int cs_etc_file_check(const char *what, const char *data, size_t len, struct cs_diag *d);

/*
 * The first line of passwd text runc's user package cannot read (1-based),
 * 0 when none: ParsePasswdFilter reads lines with a bufio.Scanner, which
 * holds at most 65536 bytes, so a line of 65536 bytes or more (its '\n' not
 * counted) fails every lookup with "token too long" (its group reader has
 * no such limit).
 */
CS_EXPORT size_t cs_passwd_unreadable_line(const char *passwd, size_t len);

/*
 * Index passwd and group text (either NULL: absent) for many lookups; the
 * answers are those of the lookups in the text. 0 or -ENOMEM. The index
 * holds its own copy of the texts.
 */
CS_EXPORT int cs_etc_index_new(const char *passwd, size_t plen, const char *group, size_t glen,
			       struct cs_etc_index **out);
CS_EXPORT void cs_etc_index_free(struct cs_etc_index *x);
/* cs_passwd_unreadable_line of the indexed passwd, found once. */
CS_EXPORT size_t cs_etc_index_unreadable_line(const struct cs_etc_index *x);

/*
 * Look a user (name or number) up in passwd text: uid and primary gid.
 * -ENOENT when no line matches.
 */
CS_EXPORT int cs_passwd_lookup(const char *passwd, size_t len, const char *user, long *uid,
			       long *gid);

/*
 * Look a group name up in /etc/group text (the first line of that name, as
 * runc's and containerd's lookups take): its gid. -ENOENT when no line matches.
 */
CS_EXPORT int cs_group_lookup(const char *group, size_t len, const char *name, long *gid);

/*
 * The command line the container starts with, as the kubelet and CRI-O
 * build it (setupContainerEntrypoint): command, else the image's Entrypoint;
 * then args, else the image's Cmd (only when the command came from the
 * image). The pod's command and args are expanded as the kubelet expands
 * them (cs_kubelet_expand); the image's are not. *argv is one heap block
 * (the array and its strings) the caller frees; n may be 0. Returns -ENOMEM,
 * or a sum of flags (0: none): 1 when argv[0] depends on a variable the
 * manifest does not hold (it is then kept as written); 2 when execve
 * certainly refuses the line with E2BIG, whatever the stack limit and the
 * environment (4 KiB pages): a word of 128 KiB or more (MAX_ARG_STRLEN), or
 * the words known exactly and their pointers past 6 MiB (_STK_LIM / 4 * 3).
 * Once that total is passed the later words are not expanded (kept as
 * written): the line fails whatever they hold.
 */
CS_EXPORT int cs_kubelet_argv(const struct cs_k8s_container *c, const struct cs_image_config *img,
			      const char ***argv, size_t *n);

/*
 * $(NAME) in s expanded with the container's env as the kubelet expands
 * command and args (lib/k8s/kubelet-env.c). Returns 0 with *out (heap), 1
 * when the result depends on what the manifest does not hold (a valueFrom,
 * envFrom, a service link variable, or past the work bound: 64 lookups,
 * 64 KiB) with *out NULL, or -ENOMEM.
 */
CS_EXPORT int cs_kubelet_expand(const struct cs_k8s_container *c, const char *s, char **out);

/*
 * The PATH the container's env sets (the last PATH entry, expanded as the
 * kubelet expands it): 0 with *out (heap), or *out NULL when env does not
 * set it (the image's Env applies); 1 when it is not in the manifest
 * (valueFrom, envFrom, an unknown reference); -ENOMEM.
 */
CS_EXPORT int cs_kubelet_path(const struct cs_k8s_container *c, char **out);

/*
 * The API server's validation of the effective securityContext: it rejects
 * allowPrivilegeEscalation: false together with privileged: true or with
 * capabilities.add CAP_SYS_ADMIN. Returns true when rejected, with the
 * reason in d->message.
 */
CS_EXPORT bool cs_k8s_api_rejects(const struct cs_k8s_sc *sc, struct cs_diag *d);

/*
 * The API server's validation of the pod's ids (apimachinery IsValidUserID,
 * IsValidGroupID): runAsUser and runAsGroup of the pod and of every
 * container, fsGroup and each supplementalGroups entry must be 0-2147483647,
 * and supplementalGroupsPolicy Merge or Strict, or the whole pod is rejected. Returns true when
 * rejected, naming the field and value in d->message (a wider value used to wrap in the model:
 * fsGroup 4294967296 became group 0).
 */
CS_EXPORT bool cs_k8s_api_rejects_ids(const struct cs_k8s_pod *pod, struct cs_diag *d);

/*
 * no_new_privs as the kubelet sets it: allowPrivilegeEscalation: false and
 * not privileged (unset means allowed).
 */
CS_EXPORT bool cs_kubelet_no_new_privs(const struct cs_k8s_sc *sc);

/*
 * The kubelet's sysctl admission: 1 and name (the first of the pod's
 * sysctls the kubelet forbids, with dots, as it names it) when one is
 * neither in its safe set nor matched by allowed (its
 * --allowed-unsafe-sysctls: names, or prefixes ending in '*', each
 * passed by cs_kubelet_unsafe_sysctl_check), 0 when all are admitted, -ENOMEM.
 */
CS_EXPORT int cs_kubelet_sysctl_forbidden(const struct cs_k8s_pod *pod, const char *const *allowed,
					  size_t n, char *name, size_t len);
/* One --allowed-unsafe-sysctls pattern as the kubelet takes it: 0, or
 * -EINVAL and d (the kubelet does not start with it). */
CS_EXPORT int cs_kubelet_unsafe_sysctl_check(const char *pattern, struct cs_diag *d);

#define CS_KUBELET_UNSAFE_SYSCTLS_MAX 64
/* The kubelet's --allowed-unsafe-sysctls, split at its commas. */
struct cs_kubelet_unsafe_sysctls {
	char text[4096];
	const char *v[CS_KUBELET_UNSAFE_SYSCTLS_MAX]; /* into text */
	size_t n;
};
/*
 * Add LIST's patterns (comma-separated, each cs_kubelet_unsafe_sysctl_check'd;
 * an empty one, from "a,,b", too; an empty LIST adds none, as the kubelet's
 * flag reads it) to u: 0, or -EINVAL / -E2BIG and d, u then unchanged.
 */
CS_EXPORT int cs_kubelet_unsafe_sysctls_add(struct cs_kubelet_unsafe_sysctls *u, const char *list,
					    struct cs_diag *d);

#endif
